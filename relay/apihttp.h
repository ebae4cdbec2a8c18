#pragma once

#include "operators.h"

#include <QByteArray>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTcpSocket>

#include <optional>
#include <utility>

namespace Relay {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

//! One HTTP answer: status, headers and body. Content-Length is added when it is written.
struct HttpAnswer
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
};

//! A request answered later (or at once): it keeps the responder, and watches the socket,
//! because the responder does not notice the connection going away.
class PendingResponse final
{
    Q_DISABLE_COPY_MOVE(PendingResponse)

public:
    explicit PendingResponse(QHttpServerResponder &&responder);

    //! Writes `answer`, once. False when it was written before or the client has gone.
    bool send(const HttpAnswer &answer);
    bool isAnswered() const { return m_answered; }

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_answered = false;
};

//! "GET", "POST", ...
QByteArray methodName(QHttpServerRequest::Method method);

//! The path's segments as on the wire (percent-encoded), empty ones dropped.
QStringList encodedSegments(const QHttpServerRequest &request);
//! A percent-encoded segment, decoded.
QString decodeSegment(QStringView encoded);

//! The operator of the request's `Authorization: Bearer` header, or nullopt.
std::optional<OperatorIdentity> requestOperator(
    const QHttpServerRequest &request, const OperatorDirectory &operators);

// ---- the relay's own API (/api): JSON bodies, errors as {"error":{"code","message"}}

HttpAnswer apiJson(int status, const QJsonObject &body);
HttpAnswer apiError(int status, const QString &code, const QString &message);
HttpAnswer apiUnauthorized(); //!< 401 with WWW-Authenticate: Bearer
HttpAnswer apiMethodNotAllowed(const QByteArray &allowed); //!< 405 with Allow
//! A request body for /api: none gives an empty object; a body that is not a JSON object gives
//! nullopt, and `refusal` is the 400 to answer with.
std::optional<QJsonObject> apiJsonBody(const QHttpServerRequest &request, HttpAnswer *refusal);

} // namespace Relay

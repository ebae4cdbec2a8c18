#include "apihttp.h"

#include "limitedtcpserver.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QUrl>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponder::StatusCode;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcApi, "frontdesk.relay.http")

bool isKnownStatus(int status)
{
    return QMetaEnum::fromType<StatusCode>().valueToKey(status) != nullptr;
}

} // namespace

PendingResponse::PendingResponse(QHttpServerResponder &&responder)
    : m_responder(std::move(responder))
    , m_socket(m_responder.socket())
{ }

bool PendingResponse::send(const HttpAnswer &answer)
{
    if (m_answered)
        return false;
    m_answered = true;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    int status = answer.status;
    if (!isKnownStatus(status)) {
        // Qt 6.4 writes only the statuses it has a reason phrase for; keep the class.
        qCWarning(lcApi) << "status" << status << "is unknown to QHttpServer; answering"
                         << status / 100 * 100;
        status = status / 100 * 100;
    }
    m_responder.writeStatusLine(StatusCode(status));
    for (const auto &[name, value] : answer.headers)
        m_responder.writeHeader(name, value);
    m_responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
    // Also ends the head when the body is empty.
    m_responder.writeBody(answer.body.constData(), answer.body.size());
    return true;
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    const char *key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QByteArray(key).toUpper() : QByteArray("UNKNOWN");
}

QStringList encodedSegments(const QHttpServerRequest &request)
{
    return request.url().path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);
}

QString decodeSegment(QStringView encoded)
{
    return QUrl::fromPercentEncoding(encoded.toUtf8());
}

std::optional<OperatorIdentity> requestOperator(
    const QHttpServerRequest &request, const OperatorDirectory &operators)
{
    return operators.authenticateHeader(request.value("Authorization"));
}

HttpAnswer apiJson(int status, const QJsonObject &body)
{
    return { status, { { "Content-Type", "application/json" } },
        QJsonDocument(body).toJson(QJsonDocument::Compact) };
}

HttpAnswer apiError(int status, const QString &code, const QString &message)
{
    return { status, { { "Content-Type", "application/json" } }, httpErrorJson(code, message) };
}

HttpAnswer apiUnauthorized()
{
    HttpAnswer answer = apiError(401, u"unauthorized"_s, u"a valid operator token is required"_s);
    answer.headers.emplaceBack("WWW-Authenticate", "Bearer");
    return answer;
}

HttpAnswer apiMethodNotAllowed(const QByteArray &allowed)
{
    HttpAnswer answer =
        apiError(405, u"methodNotAllowed"_s, u"allowed: %1"_s.arg(QString::fromLatin1(allowed)));
    answer.headers.emplaceBack("Allow", allowed);
    return answer;
}

std::optional<QJsonObject> apiJsonBody(const QHttpServerRequest &request, HttpAnswer *refusal)
{
    const QByteArray body = request.body();
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        if (refusal) {
            *refusal = apiError(400, u"badRequest"_s,
                error.error != QJsonParseError::NoError
                    ? u"the body is not JSON: %1 at offset %2"_s.arg(error.errorString())
                          .arg(error.offset)
                    : u"the body must be a JSON object"_s);
        }
        return std::nullopt;
    }
    return document.object();
}

} // namespace Relay

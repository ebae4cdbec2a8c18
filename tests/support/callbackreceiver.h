#pragma once

#include "graph/jwks.h"
#include "graph/jwt.h"
#include "graph/types.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Graph {
class Clock;
}

namespace TestSupport {

//! One callback as the receiver got it.
struct ReceivedCallback
{
    QString path; //!< percent-encoded, as on the wire
    QString query; //!< percent-encoded, without '?'
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QJsonObject json; //!< the body as a JSON object; empty when it is not one
    Graph::JwtResult jwt; //!< the bearer token checked against the key set
    bool hadToken = false; //!< an `Authorization: Bearer` header was present

    //! The first header `name`, compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool verified() const { return hadToken && jwt.ok(); }
    QString pathAndQuery() const { return query.isEmpty() ? path : path + u'?' + query; }
};

//! A loopback HTTP server that plays a calling bot's webhook (graph-notes §3.1, §3.8): it
//! accepts POSTs on any path, records them, verifies each bearer JWT with Graph::verifyJwt
//! against the key set it was given, answers 202 (or the status set), and emits one signal per
//! callback. It verifies; it never refuses: tests look at verified() and jwt.
class CallbackReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallbackReceiver)

public:
    //! Listens at once on 127.0.0.1 and a free port; check isListening().
    explicit CallbackReceiver(QObject *parent = nullptr);
    ~CallbackReceiver() override;

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    //! http://127.0.0.1:<port>
    QUrl baseUrl() const;
    //! baseUrl() with `pathAndQuery` appended as it is: the callback URL to hand out.
    QUrl url(const QString &pathAndQuery = QStringLiteral("/api/calls")) const;

    //! Keys and expectations for the JWT check: issuers https://api.botframework.com and
    //! https://graph.microsoft.com, audience = the bot's client id, a tid required.
    void setJwks(const Graph::Jwks &keys) { m_keys = keys; }
    void setAudience(const QString &clientId) { m_options.audience = clientId; }
    void setVerifyOptions(const Graph::JwtVerifyOptions &options) { m_options = options; }
    const Graph::JwtVerifyOptions &verifyOptions() const { return m_options; }
    //! Checks exp and nbf against this clock instead of the system time (a ManualClock).
    void setClock(const Graph::Clock *clock) { m_clock = clock; }
    //! What to answer; 202 unless set.
    void setStatus(int status) { m_status = status; }

    const QList<ReceivedCallback> &callbacks() const { return m_callbacks; }
    int count() const { return int(m_callbacks.size()); }
    void clear() { m_callbacks.clear(); }
    //! Every commsNotification received, in order of arrival, decoded with graph/codec.
    QList<Graph::CommsNotification> notifications() const;

    //! Spins the event loop until `count` callbacks have arrived in all, or `timeoutMs` passes.
    bool waitForCount(int count, int timeoutMs = 5000);

    //! Fetches the key set the way a bot does: the OpenID configuration, then its jwks_uri.
    //! nullopt with `error` set when either step fails. Spins the event loop while it waits.
    static std::optional<Graph::Jwks> fetchJwks(QNetworkAccessManager *nam,
        const QUrl &openIdConfiguration, QString *error = nullptr, int timeoutMs = 5000);

Q_SIGNALS:
    void callbackReceived(const TestSupport::ReceivedCallback &callback);

private:
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
    Graph::Jwks m_keys;
    Graph::JwtVerifyOptions m_options;
    const Graph::Clock *m_clock = nullptr;
    int m_status = 202;
    QList<ReceivedCallback> m_callbacks;
};

} // namespace TestSupport

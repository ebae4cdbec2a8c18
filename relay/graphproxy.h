#pragma once

#include "apihttp.h"
#include "relaycontext.h"

#include <QByteArrayView>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace Graph {
class GraphReply;
}

namespace Relay {

class AuditLog;
class ClaimRegistry;

//! One request the relay proxies: a row of the contract's allow-list, matched.
struct ProxyRoute
{
    QString action; //!< "createCall", "getCall", "answer", "hangUp", "muteParticipant", ...
    Role role = Role::Operator; //!< the least role allowed
    QString callId; //!< percent-decoded; empty when the path names no call
    bool isRead = false; //!< GET: no audit row, no claim
    bool actsOnCall = false; //!< changes a call: the claim rules apply
    bool fillsCallbackUri = false; //!< createCall, answer, reject, redirect
    bool decidesIncoming = false; //!< answer, reject, redirect
    bool handlesCall = false; //!< answer, reject, redirect, transfer, hangUp: "handled" on 2xx
};

//! The allow-list row for `method` and the path under /graph/v1.0, as percent-encoded segments.
//! Keywords match case-insensitively (as at Graph); an id is any segment but "." and "..".
//! nullopt: not allowed (404).
std::optional<ProxyRoute> matchProxyRoute(QByteArrayView method, const QStringList &segments);

//! `body` with `callbackUri` set to `callbackUri` when it is a JSON object whose callbackUri is
//! absent, null or empty; otherwise `body` unchanged, byte for byte.
QByteArray fillCallbackUri(const QByteArray &body, const QString &callbackUri);
//! A new call (POST /communications/calls) to a phone number is placed from the bot's
//! application instance (graph-notes §1.1): when a target is a phone and the body has no
//! `source`, the application instance becomes its source, and `tenantId` is filled when absent.
//! Any other body, or an empty `applicationInstanceId`, comes back unchanged.
QByteArray fillPhoneCallSource(
    const QByteArray &body, const QString &applicationInstanceId, const QString &tenantId);

//! The Graph proxy for consoles (relay-contract.md "Graph action proxy for consoles"):
//! /graph/v1.0/... is authenticated (401), matched against the allow-list (404), the role
//! checked (403) and the claim rules applied (409), then forwarded with the bot's app token by
//! GraphClient::send. The console gets Graph's status, headers and body as they came. Requests
//! run concurrently: each keeps its responder until Graph has answered.
class GraphProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphProxy)

public:
    explicit GraphProxy(const RelayContext &context, ClaimRegistry *claims, AuditLog *audit,
        QObject *parent = nullptr);
    //! Requests still waiting for Graph are cancelled; their consoles get no answer.
    ~GraphProxy() override;

    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    //! Requests waiting for Graph.
    int pendingCount() const { return int(m_inFlight.size()); }

private:
    struct Job;
    void refuse(Job &job, int status, const QString &code, const QString &message);
    void forward(const std::shared_ptr<Job> &job, const QHttpServerRequest &request);
    void finish(Job &job, Graph::GraphReply *reply);
    void conclude(Job &job, const HttpAnswer &answer, const QString &requestId,
        const QString &errorCode, const QString &clientRequestId);
    HttpAnswer relayError(const Job &job, int status, const QString &code, const QString &message,
        QString *requestId) const;

    RelayContext m_context;
    ClaimRegistry *m_claims;
    AuditLog *m_audit;
    QSet<Graph::GraphReply *> m_inFlight;
};

} // namespace Relay

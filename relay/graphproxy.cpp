#include "graphproxy.h"

#include "auditlog.h"
#include "claims.h"
#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/grapherror.h"
#include "graph/graphreply.h"
#include "graph/ids.h"
#include "metrics.h"
#include "relayconfig.h"
#include "relaystate.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>

#include <array>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcActions, "frontdesk.relay.actions")

enum Flag : unsigned {
    ActsOnCall = 1,
    FillsCallbackUri = 2,
    DecidesIncoming = 4,
    HandlesCall = 8,
};

struct Pattern
{
    QByteArrayView method;
    QLatin1StringView path; // under /v1.0; {id} is the call, other {...} any id
    Role role;
    QLatin1StringView action;
    unsigned flags;
};

constexpr unsigned Decides = ActsOnCall | FillsCallbackUri | DecidesIncoming | HandlesCall;

// The contract's allow-list, one row per action.
constexpr std::array Patterns {
    Pattern {
        "POST", "communications/calls"_L1, Role::Operator, "createCall"_L1, FillsCallbackUri },
    Pattern { "GET", "communications/calls/{id}"_L1, Role::Operator, "getCall"_L1, 0 },
    Pattern { "DELETE", "communications/calls/{id}"_L1, Role::Operator, "hangUp"_L1,
        ActsOnCall | HandlesCall },
    Pattern { "POST", "communications/calls/{id}/answer"_L1, Role::Operator, "answer"_L1, Decides },
    Pattern { "POST", "communications/calls/{id}/reject"_L1, Role::Operator, "reject"_L1, Decides },
    Pattern {
        "POST", "communications/calls/{id}/redirect"_L1, Role::Operator, "redirect"_L1, Decides },
    Pattern { "POST", "communications/calls/{id}/transfer"_L1, Role::Operator, "transfer"_L1,
        ActsOnCall | HandlesCall },
    Pattern { "POST", "communications/calls/{id}/playPrompt"_L1, Role::Operator, "playPrompt"_L1,
        ActsOnCall },
    Pattern { "POST", "communications/calls/{id}/subscribeToTone"_L1, Role::Operator,
        "subscribeToTone"_L1, ActsOnCall },
    Pattern { "POST", "communications/calls/{id}/recordResponse"_L1, Role::Operator,
        "recordResponse"_L1, ActsOnCall },
    Pattern { "POST", "communications/calls/{id}/keepAlive"_L1, Role::Operator, "keepAlive"_L1,
        ActsOnCall },
    Pattern { "POST", "communications/calls/{id}/mute"_L1, Role::Operator, "mute"_L1, ActsOnCall },
    Pattern {
        "POST", "communications/calls/{id}/unmute"_L1, Role::Operator, "unmute"_L1, ActsOnCall },
    Pattern { "POST", "communications/calls/{id}/cancelMediaProcessing"_L1, Role::Operator,
        "cancelMediaProcessing"_L1, ActsOnCall },
    Pattern { "GET", "communications/calls/{id}/participants"_L1, Role::Operator,
        "listParticipants"_L1, 0 },
    Pattern { "POST", "communications/calls/{id}/participants/invite"_L1, Role::Operator,
        "inviteParticipants"_L1, ActsOnCall },
    Pattern { "GET", "communications/calls/{id}/participants/{pid}"_L1, Role::Operator,
        "getParticipant"_L1, 0 },
    Pattern { "POST", "communications/calls/{id}/participants/{pid}/mute"_L1, Role::Supervisor,
        "muteParticipant"_L1, ActsOnCall },
    Pattern { "DELETE", "communications/calls/{id}/participants/{pid}"_L1, Role::Supervisor,
        "removeParticipant"_L1, ActsOnCall },
    Pattern {
        "POST", "users/{uid}/onlineMeetings"_L1, Role::Operator, "createOnlineMeeting"_L1, 0 },
    Pattern {
        "GET", "users/{uid}/onlineMeetings/{mid}"_L1, Role::Operator, "getOnlineMeeting"_L1, 0 },
};

// Headers of one connection only (RFC 9110 §7.6.1), and those the relay sets itself.
bool isHopByHop(QByteArrayView name, const QList<QByteArray> &connectionTokens)
{
    static const std::array<QByteArrayView, 11> Dropped { "Connection", "Keep-Alive",
        "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Content-Length", "Content-Encoding" };
    for (QByteArrayView dropped : Dropped) {
        if (name.compare(dropped, Qt::CaseInsensitive) == 0)
            return true;
    }
    for (const QByteArray &token : connectionTokens) {
        if (name.compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

//! A call the bot placed, as Graph's 201 describes it, published like a reconciliation
//! (graph-notes §1.1, §3.4): Graph's callbacks for an outgoing call may carry only its state,
//! and without this the relay and every console would know neither its direction nor whom it
//! is with (targets, subject, meetingInfo, chatInfo). CallBook takes it before or after the
//! call's first callback alike.
void publishCreatedCall(EventPublisher *publisher, const QByteArray &body)
{
    QJsonObject resource = QJsonDocument::fromJson(body).object();
    const QString callId = resource.value("id"_L1).toString();
    if (callId.isEmpty())
        return;
    if (!resource.contains("@odata.type"_L1))
        resource.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    QList<StreamEvent> events { callUpdateEvent(callId, resource, u"createCall"_s) };
    QString why;
    if (!publisher->publish(events, &why)) {
        qCWarning(lcActions).noquote()
            << u"the created call %1 was not journaled: %2"_s.arg(callId, why);
    }
}

QString graphDate(const QDateTime &now)
{
    return now.toUTC().toString(Qt::ISODate);
}

QByteArray httpDate(const QDateTime &now)
{
    return QLocale::c().toString(now.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
}

} // namespace

std::optional<ProxyRoute> matchProxyRoute(QByteArrayView method, const QStringList &segments)
{
    for (const Pattern &pattern : Patterns) {
        if (method.compare(pattern.method) != 0)
            continue;
        const QStringList parts = QString(pattern.path).split(u'/');
        if (parts.size() != segments.size())
            continue;
        ProxyRoute route;
        bool matched = true;
        for (qsizetype i = 0; matched && i < parts.size(); ++i) {
            const QString &part = parts.at(i);
            const QString segment = decodeSegment(segments.at(i));
            if (part.startsWith(u'{')) {
                // An id travels to Graph as it came; dot segments could climb out of it.
                matched = !segment.isEmpty() && segment != "."_L1 && segment != ".."_L1;
                if (part == "{id}"_L1)
                    route.callId = segment;
            } else {
                matched = segment.compare(part, Qt::CaseInsensitive) == 0;
            }
        }
        if (!matched)
            continue;
        route.action = pattern.action;
        route.role = pattern.role;
        route.isRead = pattern.method.compare("GET") == 0;
        route.actsOnCall = pattern.flags & ActsOnCall;
        route.fillsCallbackUri = pattern.flags & FillsCallbackUri;
        route.decidesIncoming = pattern.flags & DecidesIncoming;
        route.handlesCall = pattern.flags & HandlesCall;
        return route;
    }
    return std::nullopt;
}

QByteArray fillCallbackUri(const QByteArray &body, const QString &callbackUri)
{
    if (callbackUri.isEmpty())
        return body;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return body; // Graph judges it
    QJsonObject object = document.object();
    const QJsonValue current = object.value("callbackUri"_L1);
    const bool missing = current.isUndefined() || current.isNull()
        || (current.isString() && current.toString().isEmpty());
    if (!missing)
        return body;
    object.insert("callbackUri"_L1, callbackUri);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray fillPhoneCallSource(
    const QByteArray &body, const QString &applicationInstanceId, const QString &tenantId)
{
    if (applicationInstanceId.isEmpty())
        return body;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return body; // Graph judges it
    QJsonObject object = document.object();
    if (object.contains("source"_L1))
        return body;
    bool phone = false;
    for (const QJsonValue &target : object.value("targets"_L1).toArray()) {
        if (target.toObject().value("identity"_L1).toObject().value("phone"_L1).isObject())
            phone = true;
    }
    if (!phone)
        return body;
    QJsonObject instance { { "@odata.type"_L1, u"#microsoft.graph.identity"_s },
        { "id"_L1, applicationInstanceId } };
    if (!tenantId.isEmpty())
        instance.insert("tenantId"_L1, tenantId);
    object.insert("source"_L1,
        QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
            { "identity"_L1,
                QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.communicationsIdentitySet"_s },
                    { "applicationInstance"_L1, instance } } } });
    if (!object.contains("tenantId"_L1) && !tenantId.isEmpty())
        object.insert("tenantId"_L1, tenantId);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

struct GraphProxy::Job
{
    explicit Job(QHttpServerResponder &&responder)
        : response(std::move(responder))
    { }

    PendingResponse response;
    QElapsedTimer elapsed;
    QByteArray method;
    QString path; // percent-encoded, without the query: for logs and the audit
    QStringList segments; // under /graph/v1.0, percent-encoded
    QString clientRequestId; // the console's, when it sent one
    std::optional<OperatorIdentity> op;
    std::optional<ProxyRoute> route;
    bool autoClaimed = false;
};

GraphProxy::GraphProxy(
    const RelayContext &context, ClaimRegistry *claims, AuditLog *audit, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_claims(claims)
    , m_audit(audit)
{ }

GraphProxy::~GraphProxy()
{
    // Deleting a reply cancels its request without a signal.
    const QSet<Graph::GraphReply *> replies = std::exchange(m_inFlight, {});
    for (Graph::GraphReply *reply : replies)
        delete reply;
}

void GraphProxy::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    auto job = std::make_shared<Job>(std::move(responder));
    job->elapsed.start();
    job->method = methodName(request.method());
    job->path = request.url().path(QUrl::FullyEncoded);
    job->segments = encodedSegments(request).mid(2); // after "graph" and "v1.0"
    job->clientRequestId = QString::fromLatin1(request.value("client-request-id"));

    job->op = requestOperator(request, *m_context.operators);
    if (!job->op) {
        refuse(
            *job, 401, u"InvalidAuthenticationToken"_s, u"A valid operator token is required."_s);
        return;
    }
    job->route = matchProxyRoute(job->method, job->segments);
    if (!job->route) {
        refuse(*job, 404, u"routeNotAllowed"_s,
            u"The relay does not proxy %1 /%2."_s.arg(
                QString::fromLatin1(job->method), job->segments.join(u'/')));
        return;
    }
    const OperatorIdentity &op = *job->op;
    const ProxyRoute &route = *job->route;
    if (route.role == Role::Supervisor && !op.isSupervisor()) {
        refuse(*job, 403, u"accessDenied"_s,
            u"%1 is an operator; %2 needs the supervisor role."_s.arg(op.name, route.action));
        return;
    }

    if (route.actsOnCall && m_claims->knows(route.callId)) {
        const QString &callId = route.callId;
        const Graph::RelayProtocol::CallMeta meta = m_context.state->meta(callId);
        // A call in an IVR flow is the relay's too, but an operator who claimed it took it out
        // of the flow: their answer, reject or redirect goes to Graph, which judges it.
        const bool takenFromFlow = !meta.ivrFlow.isEmpty() && !meta.claimedBy.isEmpty()
            && (meta.claimedBy == op.name || op.isSupervisor());
        if (route.decidesIncoming && meta.handledBy == "relay"_L1 && !takenFromFlow) {
            if (!meta.ivrFlow.isEmpty()) {
                refuse(*job, 409, u"handledByRelay"_s,
                    u"Call %1 is in the relay's IVR flow %2; claim it to take it out of the "
                    u"flow first."_s.arg(callId, meta.ivrFlow));
                return;
            }
            refuse(*job, 409, u"handledByRelay"_s,
                u"The relay's unattended policy already handled call %1; it can no longer be "
                u"answered, rejected or redirected."_s.arg(callId));
            return;
        }
        const QString holder = m_claims->holder(callId);
        if (!holder.isEmpty() && holder != op.name && !op.isSupervisor()) {
            refuse(*job, 409, u"callClaimed"_s, u"Call %1 is claimed by %2."_s.arg(callId, holder));
            return;
        }
        if (holder.isEmpty() && !m_claims->hasEnded(callId)) {
            // Claimed before anything is sent, on the event loop: a second operator's request,
            // even one already queued, finds this claim and gets 409.
            const ClaimRegistry::Outcome outcome =
                m_claims->claim(op, callId, false, { { "action"_L1, route.action } });
            if (outcome.kind == ClaimRegistry::Outcome::Kind::JournalError) {
                refuse(*job, 500, u"journalError"_s,
                    u"The relay could not record the claim on call %1; nothing was sent."_s.arg(
                        callId));
                return;
            }
            job->autoClaimed = outcome.kind == ClaimRegistry::Outcome::Kind::Claimed;
        }
    }
    forward(job, request);
}

void GraphProxy::forward(const std::shared_ptr<Job> &job, const QHttpServerRequest &request)
{
    QByteArray body = request.body();
    if (job->route->fillsCallbackUri) {
        body = fillCallbackUri(body, m_context.config->publicUrl.toString(QUrl::FullyEncoded));
    }
    if (job->route->action == "createCall"_L1) {
        body = fillPhoneCallSource(
            body, m_context.config->applicationInstanceId, m_context.config->tenantId);
    }
    Graph::GraphClient::HeaderList headers;
    if (!job->clientRequestId.isEmpty())
        headers.emplaceBack("client-request-id", job->clientRequestId.toLatin1());
    const QByteArray contentType = request.value("Content-Type");
    if (!contentType.isEmpty() && !body.isEmpty())
        headers.emplaceBack("Content-Type", contentType);
    QString pathAndQuery = u'/' + job->segments.join(u'/');
    const QString query = request.url().query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        pathAndQuery += u'?' + query;

    Graph::GraphReply *reply = m_context.graph->send(job->method, pathAndQuery, body, headers);
    m_inFlight.insert(reply);
    connect(reply, &Graph::GraphReply::finished, this, [this, job, reply] { finish(*job, reply); });
}

void GraphProxy::finish(Job &job, Graph::GraphReply *reply)
{
    m_inFlight.remove(reply);
    const OperatorIdentity &op = *job.op;
    const ProxyRoute &route = *job.route;
    const int status = reply->httpStatus();
    m_context.metrics->countGraphRequest(status);

    if (status == 0) {
        // No answer: the action may still have reached Graph, so the claim stays and nothing
        // is published.
        const std::optional<Graph::GraphError> error = reply->error();
        const bool timeout = error && error->kind == Graph::GraphError::Kind::Timeout;
        QString detail = error ? error->summary() : u"no answer"_s;
        if (error && error->kind == Graph::GraphError::Kind::Token)
            detail = u"the relay could not get its app token: "_s + detail;
        const QString code = timeout ? u"gatewayTimeout"_s : u"badGateway"_s;
        QString requestId;
        const HttpAnswer answer = relayError(job, timeout ? 504 : 502, code,
            u"Microsoft Graph did not answer the relay: %1"_s.arg(detail), &requestId);
        conclude(job, answer, requestId, code, reply->clientRequestId());
        return;
    }

    HttpAnswer answer;
    answer.status = status;
    answer.body = reply->body();
    QList<QByteArray> connectionTokens = reply->header("Connection").split(',');
    for (QByteArray &token : connectionTokens)
        token = token.trimmed();
    for (const auto &[name, value] : reply->headers()) {
        if (!isHopByHop(name, connectionTokens))
            answer.headers.emplaceBack(name, value);
    }
    const bool ok = status >= 200 && status < 300;
    const QString errorCode =
        ok ? QString() : Graph::GraphError::fromResponse(status, answer.body).code;

    // The state changes before the console hears back, so its next look agrees.
    const QString &callId = route.callId;
    if (ok && route.action == "createCall"_L1)
        publishCreatedCall(m_context.publisher, answer.body);
    if (ok && route.handlesCall && m_claims->knows(callId)) {
        QString why;
        if (!m_context.publisher->publishRelay(u"handled"_s, callId,
                { { "by"_L1, op.name }, { "action"_L1, route.action } }, &why)) {
            qCWarning(lcActions).noquote()
                << u"handled on call %1 not journaled: %2"_s.arg(callId, why);
        }
    } else if (!ok && job.autoClaimed && m_claims->holder(callId) == op.name) {
        // Graph refused the action: the claim it took goes back, so that a failed click does
        // not lock the call for everyone else.
        m_claims->release(
            op, callId, { { "reason"_L1, u"actionFailed"_s }, { "action"_L1, route.action } });
    }
    conclude(job, answer, reply->requestId(), errorCode, reply->clientRequestId());
}

HttpAnswer GraphProxy::relayError(const Job &job, int status, const QString &code,
    const QString &message, QString *requestId) const
{
    const QDateTime now = m_context.clock->now();
    Graph::GraphError error;
    error.httpStatus = status;
    error.code = code;
    error.message = message;
    error.requestId = Graph::newGuid();
    error.clientRequestId = job.clientRequestId;
    error.date = graphDate(now);
    if (requestId)
        *requestId = error.requestId;

    HttpAnswer answer { status,
        { { "Content-Type", "application/json" }, { "request-id", error.requestId.toLatin1() },
            { "Date", httpDate(now) } },
        error.toJsonBytes() };
    if (!job.clientRequestId.isEmpty())
        answer.headers.emplaceBack("client-request-id", job.clientRequestId.toLatin1());
    if (status == 401)
        answer.headers.emplaceBack("WWW-Authenticate", "Bearer");
    return answer;
}

void GraphProxy::refuse(Job &job, int status, const QString &code, const QString &message)
{
    QString requestId;
    const HttpAnswer answer = relayError(job, status, code, message, &requestId);
    conclude(job, answer, requestId, code, job.clientRequestId);
}

void GraphProxy::conclude(Job &job, const HttpAnswer &answer, const QString &requestId,
    const QString &errorCode, const QString &clientRequestId)
{
    if (!job.response.send(answer)) {
        qCInfo(lcActions).noquote() << u"the console went away before the answer to %1 %2"_s.arg(
            QString::fromLatin1(job.method), job.path);
    }
    const qint64 ms = job.elapsed.elapsed();
    // Every action an operator was identified for and that names an allowed route gets one
    // row, refusals by the relay included; reads and unknown routes get none.
    if (job.op && job.route && !job.route->isRead) {
        AuditEntry entry;
        entry.at = m_context.clock->now();
        entry.operatorName = job.op->name;
        entry.role = roleName(job.op->role);
        entry.action = job.route->action;
        entry.method = job.method;
        entry.path = job.path;
        entry.callId = job.route->callId;
        entry.status = answer.status;
        entry.errorCode = errorCode;
        entry.requestId = requestId;
        entry.clientRequestId = clientRequestId;
        entry.durationMs = ms;
        m_audit->record(entry);
    }
    qCInfo(lcActions).noquote() << u"%1 %2 %3 -> %4 request-id %5, %6 ms"_s
                                       .arg(job.op ? job.op->name : u"-"_s,
                                           QString::fromLatin1(job.method), job.path)
                                       .arg(answer.status)
                                       .arg(requestId.isEmpty() ? u"-"_s : requestId)
                                       .arg(ms);
}

} // namespace Relay

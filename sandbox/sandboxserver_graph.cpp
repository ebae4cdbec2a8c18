// The Graph surface under /v1.0: authentication, chaos, and every endpoint of graph-notes §1
// mapped onto the Engine.
#include "sandboxserver.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

using Action = Reply (Engine::*)(const QString &, const QJsonObject &);

// POST /communications/calls/{id}/<action>, matched case-insensitively as Graph does.
struct CallAction
{
    QLatin1StringView name;
    Action action;
};

const CallAction CallActions[] = {
    { "answer"_L1, &Engine::answer },
    { "reject"_L1, &Engine::reject },
    { "redirect"_L1, &Engine::redirect },
    { "transfer"_L1, &Engine::transfer },
    { "playPrompt"_L1, &Engine::playPrompt },
    { "subscribeToTone"_L1, &Engine::subscribeToTone },
    { "recordResponse"_L1, &Engine::recordResponse },
    { "cancelMediaProcessing"_L1, &Engine::cancelMediaProcessing },
    { "mute"_L1, &Engine::muteSelf },
    { "unmute"_L1, &Engine::unmuteSelf },
};

// Reads `$filter=<property> eq '<value>'` (OData: a quote inside the literal is doubled).
std::optional<QString> filterValue(const QUrlQuery &query, QLatin1StringView property)
{
    const QString filter = query.queryItemValue(u"$filter"_s, QUrl::FullyDecoded).trimmed();
    const QString head = property + " eq '"_L1;
    if (!filter.startsWith(head, Qt::CaseInsensitive) || !filter.endsWith(u'\'')
        || filter.size() < head.size() + 1) {
        return std::nullopt;
    }
    QString literal = filter.mid(head.size(), filter.size() - head.size() - 1);
    return literal.replace(u"''"_s, u"'"_s);
}

} // namespace

SandboxServer::Response SandboxServer::routeGraph(const Request &request)
{
    // Graph checks the token before it looks at the path.
    const QByteArray scheme = request.authorization.left(7);
    const QString token = scheme.compare("Bearer ", Qt::CaseInsensitive) == 0
        ? QString::fromLatin1(request.authorization.mid(7).trimmed())
        : QString();
    const TokenIssuer::Validity validity = m_tokens->validate(token);
    if (validity != TokenIssuer::Validity::Valid) {
        const QString message = validity == TokenIssuer::Validity::Missing
            ? u"Access token is empty."_s
            : validity == TokenIssuer::Validity::Expired
            ? u"Lifetime validation failed, the token is expired."_s
            : u"Access token validation failure. Invalid audience or unknown token."_s;
        Response refused = graphError(request, 401, u"InvalidAuthenticationToken"_s, message);
        refused.headers.append(Header { "WWW-Authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/"
            "oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"" });
        return refused;
    }

    // Chaos answers before routing, as Graph's front door would, so that a refused request
    // never reaches the engine.
    const Chaos::RequestDecision decision = m_chaos->decideRequest();
    Response response;
    if (decision.fault == Chaos::RequestDecision::Fault::None) {
        response = routeGraphPath(request, request.segments.mid(1));
    } else {
        const bool throttled = decision.fault == Chaos::RequestDecision::Fault::Throttle;
        response = throttled
            ? graphError(request, 429, u"TooManyRequests"_s,
                u"Too many requests. Retry after the time in the Retry-After header."_s)
            : graphError(request, 503, u"serviceNotAvailable"_s,
                u"The service is temporarily unavailable. Retry after the time in the "
                "Retry-After header."_s);
        if (throttled) {
            // graph-notes §4.2: the inner error repeats the status as a code.
            QJsonObject body = QJsonDocument::fromJson(response.body).object();
            QJsonObject error = body.value("error"_L1).toObject();
            QJsonObject inner = error.value("innerError"_L1).toObject();
            inner.insert("code"_L1, u"429"_s);
            inner.insert("status"_L1, u"429"_s);
            error.insert("innerError"_L1, inner);
            body.insert("error"_L1, error);
            response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        response.headers.append(Header {
            "Retry-After", QByteArray::number(m_chaos->config().retryAfterSeconds, 'g', 6) });
        qCInfo(lcServer).noquote()
            << request.method << request.path << "refused by chaos with" << response.status;
    }
    response.delay = decision.latency;
    return response;
}

SandboxServer::Response SandboxServer::routeGraphPath(const Request &request, const QStringList &p)
{
    const qsizetype n = p.size();
    const auto is = [&p](qsizetype i, QLatin1StringView word) {
        return i < p.size() && p.at(i).compare(word, Qt::CaseInsensitive) == 0;
    };
    const QByteArray &method = request.method;
    Response refusal;
    // Runs an action with the request's JSON body, or answers why the body is not acceptable.
    const auto withBody = [&](auto &&run) -> Response {
        const std::optional<QJsonObject> body = jsonBody(request, &refusal);
        return body ? fromReply(request, run(*body)) : refusal;
    };
    Engine *engine = m_engine.get();

    if (is(0, "communications"_L1) && is(1, "calls"_L1)) {
        if (n == 2) {
            if (method != "POST")
                return methodNotAllowed(request, "POST");
            return withBody([engine](const QJsonObject &body) { return engine->createCall(body); });
        }
        const QString callId = p.at(2);
        if (n == 3) {
            if (method == "GET")
                return fromReply(request, engine->getCall(callId));
            if (method == "DELETE")
                return fromReply(request, engine->hangUp(callId));
            return methodNotAllowed(request, "GET, DELETE");
        }
        if (n == 4 && is(3, "participants"_L1)) {
            if (method != "GET")
                return methodNotAllowed(request, "GET");
            return fromReply(request, engine->listParticipants(callId));
        }
        if (n == 4 && is(3, "keepAlive"_L1)) {
            if (method != "POST")
                return methodNotAllowed(request, "POST");
            return withBody(
                [engine, &callId](const QJsonObject &) { return engine->keepAlive(callId); });
        }
        if (n == 4) {
            for (const CallAction &action : CallActions) {
                if (!is(3, action.name))
                    continue;
                if (method != "POST")
                    return methodNotAllowed(request, "POST");
                return withBody([engine, &callId, &action](const QJsonObject &body) {
                    return (engine->*action.action)(callId, body);
                });
            }
        }
        if (n == 5 && is(3, "participants"_L1)) {
            const QString participantId = p.at(4);
            if (is(4, "invite"_L1) && method == "POST") {
                return withBody([engine, &callId](const QJsonObject &body) {
                    return engine->inviteParticipants(callId, body);
                });
            }
            if (method == "GET")
                return fromReply(request, engine->getParticipant(callId, participantId));
            if (method == "DELETE")
                return fromReply(request, engine->removeParticipant(callId, participantId));
            return methodNotAllowed(request, is(4, "invite"_L1) ? "POST" : "GET, DELETE");
        }
        if (n == 5 && is(3, "operations"_L1)) {
            if (method != "GET")
                return methodNotAllowed(request, "GET");
            return fromReply(request, engine->getOperation(callId, p.at(4)));
        }
        if (n == 6 && is(3, "participants"_L1) && is(5, "mute"_L1)) {
            if (method != "POST")
                return methodNotAllowed(request, "POST");
            const QString participantId = p.at(4);
            return withBody([engine, &callId, &participantId](const QJsonObject &body) {
                return engine->muteParticipant(callId, participantId, body);
            });
        }
        return unknownSegment(request, p.value(3));
    }

    if (is(0, "communications"_L1) && is(1, "onlineMeetings"_L1) && n == 2) {
        if (method != "GET")
            return methodNotAllowed(request, "GET");
        const std::optional<QString> vtcId = filterValue(request.query, "VideoTeleconferenceId"_L1);
        if (!vtcId) {
            return graphError(request, 400, u"BadRequest"_s,
                u"This request needs $filter=VideoTeleconferenceId eq '<id>'."_s);
        }
        return fromReply(request, engine->findOnlineMeetingsByVtcId(*vtcId));
    }

    // /users/{id}/onlineMeetings... and /me/onlineMeetings...: `k` is where the rest starts.
    QString userId;
    qsizetype k = 0;
    if (is(0, "users"_L1) && n >= 3 && is(2, "onlineMeetings"_L1)) {
        userId = p.at(1);
        k = 3;
    } else if (is(0, "me"_L1) && is(1, "onlineMeetings"_L1)) {
        userId = meUserId();
        k = 2;
    }
    if (k > 0) {
        if (n == k) {
            if (method == "POST") {
                return withBody([engine, &userId](const QJsonObject &body) {
                    return engine->createOnlineMeeting(userId, body);
                });
            }
            if (method != "GET")
                return methodNotAllowed(request, "GET, POST");
            const std::optional<QString> joinUrl = filterValue(request.query, "JoinWebUrl"_L1);
            if (!joinUrl) {
                return graphError(request, 400, u"BadRequest"_s,
                    u"Listing online meetings needs $filter=JoinWebUrl eq '<url>'."_s);
            }
            return fromReply(request, engine->findOnlineMeetingsByJoinUrl(userId, *joinUrl));
        }
        if (n == k + 1 && is(k, "createOrGet"_L1)) {
            if (method != "POST")
                return methodNotAllowed(request, "POST");
            return withBody([engine, &userId](const QJsonObject &body) {
                return engine->createOrGetOnlineMeeting(userId, body);
            });
        }
        if (n == k + 1) {
            if (method != "GET")
                return methodNotAllowed(request, "GET");
            return fromReply(request, engine->getOnlineMeeting(userId, p.at(k)));
        }
        return unknownSegment(request, p.value(k + 1));
    }
    // The first segment that Graph would not know.
    if (is(0, "communications"_L1))
        return unknownSegment(request, p.value(1));
    if (is(0, "users"_L1) || is(0, "me"_L1))
        return unknownSegment(request, p.value(is(0, "me"_L1) ? 1 : 2));
    return unknownSegment(request, p.value(0));
}

} // namespace Sandbox

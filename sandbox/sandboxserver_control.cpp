// The control API under /sandbox (sandbox-contract.md, "Control API"): loopback only, no
// token. It drives the remote parties, chaos and scenarios, and shows the engine's state.
#include "graph/jwt.h"
#include "sandboxserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

// Reads {"displayName","phone"|"userId"}; someone with neither is a guest, and needs a name.
std::optional<Caller> readCaller(const QJsonObject &json, QString *error)
{
    static const QRegularExpression e164(u"^\\+[1-9][0-9]{6,14}$"_s);
    for (const QLatin1StringView key : { "displayName"_L1, "phone"_L1, "userId"_L1 }) {
        if (json.contains(key) && !json.value(key).isString()) {
            *error = key + u" must be a string"_s;
            return std::nullopt;
        }
    }
    Caller caller { json.value("displayName"_L1).toString(), json.value("phone"_L1).toString(),
        json.value("userId"_L1).toString() };
    if (!caller.phone.isEmpty() && !caller.userId.isEmpty()) {
        *error = u"give phone or userId, not both"_s;
        return std::nullopt;
    }
    if (!caller.phone.isEmpty() && !e164.match(caller.phone).hasMatch()) {
        *error = u"phone must be an E.164 number such as +15550100"_s;
        return std::nullopt;
    }
    if (caller.phone.isEmpty() && caller.userId.isEmpty() && caller.displayName.isEmpty()) {
        *error = u"needs a phone, a userId or at least a displayName"_s;
        return std::nullopt;
    }
    return caller;
}

std::optional<QStringList> readStrings(
    const QJsonObject &json, QLatin1StringView key, QString *error)
{
    if (!json.value(key).isArray()) {
        *error = key + u" must be an array of strings"_s;
        return std::nullopt;
    }
    QStringList list;
    const QJsonArray array = json.value(key).toArray();
    for (const QJsonValue &value : array) {
        if (!value.isString() || value.toString().isEmpty()) {
            *error = key + u" must hold only non-empty strings"_s;
            return std::nullopt;
        }
        list.append(value.toString());
    }
    return list;
}

} // namespace

SandboxServer::Response SandboxServer::routeControl(const Request &request)
{
    if (!isLoopbackPeer(request.peer)) {
        qCWarning(lcServer).noquote() << "control API refused to" << request.peer.toString();
        return graphError(request, 403, u"accessDenied"_s,
            u"The sandbox's control API answers loopback clients only."_s);
    }
    const QStringList &s = request.segments;
    const qsizetype n = s.size();
    const QByteArray &method = request.method;
    const auto is = [&s](qsizetype i, QLatin1StringView word) {
        return i < s.size() && s.at(i).compare(word, Qt::CaseInsensitive) == 0;
    };
    const auto badRequest = [this, &request](const QString &message) {
        return graphError(request, 400, u"BadRequest"_s, message);
    };
    Response refusal;

    if (n == 3 && is(1, "calls"_L1))
        return unknownSegment(request, s.at(2));
    if (n == 4 && is(1, "calls"_L1))
        return routeControlCall(request, s.mid(2));

    if (n == 2 && is(1, "incoming"_L1)) {
        if (method != "POST")
            return methodNotAllowed(request, "POST");
        const std::optional<QJsonObject> body = jsonBody(request, &refusal);
        if (!body)
            return refusal;
        if (!body->value("from"_L1).isObject())
            return badRequest(u"from is required: {\"displayName\",\"phone\"|\"userId\"}"_s);
        QString error;
        const std::optional<Caller> from = readCaller(body->value("from"_L1).toObject(), &error);
        if (!from)
            return badRequest(u"from: "_s + error);
        IncomingOptions options;
        if (body->contains("to"_L1) && !body->value("to"_L1).isString())
            return badRequest(u"to must be a string"_s);
        options.to = body->value("to"_L1).toString();
        // Extensions: an invitation into a group call.
        options.groupInvite = body->value("groupInvite"_L1).toBool();
        options.subject = body->value("subject"_L1).toString();
        const int groupSize = body->value("groupSize"_L1).toInt(-1);
        if (body->contains("groupSize"_L1) && (groupSize < 0 || groupSize > 1000))
            return badRequest(u"groupSize must be a whole number from 0 to 1000"_s);
        options.groupSize = std::max(groupSize, 0);
        const QString callId = m_engine->incoming(*from, options);
        return json(201, QJsonObject { { "callId"_L1, callId } });
    }

    if (n == 2 && is(1, "scenario"_L1)) {
        if (method == "DELETE") {
            for (const auto &runner : m_scenarios)
                runner->stop();
            return Response { 204, {}, {} };
        }
        if (method != "POST")
            return methodNotAllowed(request, "POST, DELETE");
        const std::optional<QJsonObject> body = jsonBody(request, &refusal);
        if (!body)
            return refusal;
        QString error;
        const std::optional<Scenario> scenario = Scenario::fromJson(*body, &error);
        if (!scenario)
            return badRequest(u"Not a valid scenario: "_s + error);
        std::optional<quint32> seed;
        if (request.query.hasQueryItem(u"seed"_s)) {
            bool ok = false;
            seed = request.query.queryItemValue(u"seed"_s).toUInt(&ok);
            if (!ok)
                return badRequest(u"seed must be a whole number from 0 to 4294967295"_s);
        }
        const ScenarioRunner *runner = runScenario(*scenario, seed);
        return json(202, runner->status());
    }

    if (n == 2 && is(1, "chaos"_L1)) {
        if (method == "GET") {
            QJsonObject config = m_chaos->config().toJson();
            config.insert("seed"_L1, qint64(m_chaos->seed()));
            return json(200, config);
        }
        if (method != "PUT")
            return methodNotAllowed(request, "GET, PUT");
        const std::optional<QJsonObject> body = jsonBody(request, &refusal);
        if (!body)
            return refusal;
        QString error;
        std::optional<quint32> seed;
        const std::optional<ChaosConfig> config = ChaosConfig::fromJson(*body, &error, &seed);
        if (!config)
            return badRequest(error);
        m_chaos->setConfig(*config);
        if (seed)
            m_chaos->reseed(*seed);
        qCInfo(lcServer).noquote()
            << "chaos set:" << QJsonDocument(config->toJson()).toJson(QJsonDocument::Compact);
        QJsonObject answer = config->toJson();
        answer.insert("seed"_L1, qint64(m_chaos->seed()));
        return json(200, answer);
    }

    if (n == 2 && is(1, "state"_L1)) {
        if (method != "GET")
            return methodNotAllowed(request, "GET");
        return json(200, m_engine->state());
    }

    if (n == 2 && is(1, "callbacks"_L1)) {
        if (method != "GET")
            return methodNotAllowed(request, "GET");
        QJsonObject stats = m_callbacks->stats().toJson();
        stats.insert("pending"_L1, m_callbacks->pending());
        return json(200, stats);
    }

    if (n == 3 && is(1, "media"_L1)) {
        // Prompts for service-hosted media (the example IVR flow's), so that a demo needs no
        // media host: WAV, mono, 16-bit, 16 kHz, from the sandbox's resources.
        if (method != "GET")
            return methodNotAllowed(request, "GET");
        static const QRegularExpression name(u"^[A-Za-z0-9_-]+\\.wav$"_s);
        QFile file(u":/frontdesk/prompts/"_s + s.at(2));
        if (!name.match(s.at(2)).hasMatch() || !file.open(QIODevice::ReadOnly))
            return graphError(request, 404, u"itemNotFound"_s, u"No such prompt."_s);
        return Response { 200, file.readAll(), { { "Content-Type", "audio/wav" } } };
    }

    if (n == 3 && is(1, "recordings"_L1)) {
        if (method != "GET")
            return methodNotAllowed(request, "GET");
        const QString expected = m_engine->recordingAccessToken(s.at(2));
        if (expected.isEmpty())
            return graphError(request, 404, u"itemNotFound"_s, u"No such recording."_s);
        // As at Graph: the recordingAccessToken from the recordOperation, as a bearer token.
        const QByteArray given = request.authorization.mid(7).trimmed();
        if (request.authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) != 0
            || !TokenIssuer::constantTimeEquals(given, expected.toUtf8())) {
            return graphError(request, 401, u"InvalidAuthenticationToken"_s,
                u"Send the recordingAccessToken as a bearer token."_s);
        }
        return Response { 200, m_engine->recording(s.at(2)),
            { { "Content-Type", "application/octet-stream" } } };
    }

    if (n == 2 && is(1, "callees"_L1))
        return routeControlCallees(request);
    if (n == 2 && (is(1, "unreachable"_L1) || is(1, "meeting-access"_L1))) {
        if (method != "PUT")
            return methodNotAllowed(request, "PUT");
        const std::optional<QJsonObject> body = jsonBody(request, &refusal);
        if (!body)
            return refusal;
        const bool unreachable = is(1, "unreachable"_L1);
        const QLatin1StringView key = unreachable ? "targets"_L1 : "denied"_L1;
        QString error;
        const std::optional<QStringList> list = readStrings(*body, key, &error);
        if (!list)
            return badRequest(error);
        if (unreachable)
            m_engine->setUnreachable(*list);
        else
            m_engine->setMeetingAccessDenied(*list);
        return json(200, QJsonObject { { key, QJsonArray::fromStringList(*list) } });
    }

    return unknownSegment(request, s.value(1));
}

SandboxServer::Response SandboxServer::routeControlCall(
    const Request &request, const QStringList &path)
{
    const QString &callId = path.at(0);
    const QString action = path.at(1).toLower();
    if (action != "tones"_L1 && action != "hangup"_L1 && action != "join"_L1
        && action != "admit"_L1)
        return unknownSegment(request, path.at(1));
    if (request.method != "POST")
        return methodNotAllowed(request, "POST");
    Response refusal;
    const std::optional<QJsonObject> body = jsonBody(request, &refusal);
    if (!body)
        return refusal;
    const auto badRequest = [this, &request](const QString &message) {
        return graphError(request, 400, u"BadRequest"_s, message);
    };
    if (action == "hangup"_L1)
        return fromReply(request, m_engine->remoteHangup(callId));
    if (action == "tones"_L1) {
        static const QRegularExpression keys(u"^[0-9*#A-Da-d]+$"_s);
        const QString tones = body->value("tones"_L1).toString();
        if (!keys.match(tones).hasMatch())
            return badRequest(u"tones must be a string of 0-9, *, # and A-D, such as \"12#\""_s);
        return fromReply(request, m_engine->tones(callId, tones));
    }
    if (action == "admit"_L1) {
        const QString participantId = body->value("participantId"_L1).toString();
        if (participantId.isEmpty())
            return badRequest(u"participantId is required"_s);
        return fromReply(request, m_engine->admit(callId, participantId));
    }
    QString error;
    const std::optional<Caller> who = readCaller(*body, &error);
    if (!who)
        return badRequest(error);
    const QJsonValue inLobby = body->value("inLobby"_L1);
    if (!inLobby.isUndefined() && !inLobby.isBool())
        return badRequest(u"inLobby must be true or false"_s);
    return fromReply(request, m_engine->join(callId, *who, inLobby.toBool()));
}

SandboxServer::Response SandboxServer::routeControlCallees(const Request &request)
{
    if (request.method != "PUT")
        return methodNotAllowed(request, "PUT");
    Response refusal;
    const std::optional<QJsonObject> body = jsonBody(request, &refusal);
    if (!body)
        return refusal;
    using Behaviour = Engine::CalleeBehaviour;
    const std::pair<QLatin1StringView, Behaviour> keys[] = {
        { "noAnswer"_L1, Behaviour::NoAnswer },
        { "busy"_L1, Behaviour::Busy },
        { "fail"_L1, Behaviour::Fail },
    };
    QHash<QString, Behaviour> behaviours;
    QJsonObject echo;
    for (const auto &[key, behaviour] : keys) {
        QStringList list;
        if (body->contains(key)) {
            QString error;
            const std::optional<QStringList> read = readStrings(*body, key, &error);
            if (!read)
                return graphError(request, 400, u"BadRequest"_s, error);
            list = *read;
        }
        for (const QString &target : std::as_const(list))
            behaviours.insert(target, behaviour);
        echo.insert(key, QJsonArray::fromStringList(list));
    }
    m_engine->setCalleeBehaviours(behaviours);
    return json(200, echo);
}

} // namespace Sandbox

// Call control: incoming calls and their answer, reject and redirect; transfer; placing calls
// and joining meetings (graph-notes §1.1–§1.5, §2.1).

#include "engine.h"
#include "engine_p.h"

using namespace Qt::StringLiterals;

namespace Sandbox {

using Graph::CallState;
using Graph::ChangeType;

namespace {

// Invented: names for the people already in a group call the bot is invited to.
const QStringList s_names {
    u"Adele Vance"_s,
    u"Alex Wilber"_s,
    u"Diego Siciliani"_s,
    u"Grady Archie"_s,
    u"Isaiah Langer"_s,
    u"Johanna Lorenz"_s,
    u"Lee Gu"_s,
    u"Lidia Holloway"_s,
    u"Lynne Robbins"_s,
    u"Miriam Graham"_s,
    u"Nestor Wilke"_s,
    u"Patti Fernandez"_s,
};

bool modalitiesKnown(const QJsonValue &modalities)
{
    for (const QJsonValue &m : modalities.toArray()) {
        const auto modality = Graph::parseWireEnum<Graph::Modality>(m.toString());
        if (!modality.isKnown() || modality == Graph::Modality::UnknownFutureValue)
            return false;
    }
    return true;
}

} // namespace

QString Engine::incoming(const Caller &from, const IncomingOptions &options)
{
    auto owned = std::make_unique<SimCall>();
    SimCall &c = *owned;
    c.call.id = d->newId();
    c.call.state = CallState::Incoming;
    c.call.direction = Graph::CallDirection::Incoming;
    c.call.callChainId = d->newId();
    c.call.myParticipantId = d->newId();
    c.call.tenantId = m_config.tenantId;
    c.call.subject = options.subject;
    c.call.callbackUri = m_config.globalCallbackUrl;
    c.notifyUrl = m_config.globalCallbackUrl;

    Graph::ParticipantInfo source;
    source.identity = d->identityOf(from);
    // As in Graph's incoming-call example (graph-notes §3.3).
    source.region = u"amer"_s;
    source.languageId = u"en-US"_s;
    c.call.source = source;

    Graph::InvitationParticipantInfo target;
    target.identity = d->botIdentity();
    if (options.to.startsWith(u'+')) {
        // Invented: a number dialled shows as the phone member beside the bot.
        target.identity.set(
            Graph::IdentitySet::Kind::Phone, Graph::Identity { options.to, {}, {}, {} });
    } else if (!options.to.isEmpty()) {
        // Invented: any other "to" is the name under which the caller reached the bot.
        target.identity = Graph::IdentitySet::application(m_config.clientId, options.to);
    }
    c.call.targets = { target };
    c.call.requestedModalities = { Graph::Modality::Audio };

    c.joiners.append(source.identity);
    if (options.groupInvite) {
        c.group = true;
        c.call.chatInfo.threadId = d->newThreadId();
        c.call.chatInfo.messageId = u"0"_s;
        c.call.meetingInfo.kind = Graph::MeetingInfo::Kind::Organizer;
        Graph::Identity organizer { from.userId.isEmpty() ? d->newId() : from.userId,
            from.displayName, m_config.tenantId, {} };
        c.call.meetingInfo.organizer.set(Graph::IdentitySet::Kind::User, organizer);
        for (int i = 0; i < options.groupSize; ++i) {
            QString name = s_names[i % s_names.size()];
            if (i >= s_names.size())
                name += u" %1"_s.arg(i / s_names.size() + 1);
            c.joiners.append(Graph::IdentitySet::user(d->newId(), name));
        }
    }

    d->add(std::move(owned));
    d->sendCall(c, ChangeType::Created);
    d->afterExactly(Delay::RingTimeout, [this, &c] {
        if (c.call.state != CallState::Incoming || c.ending || !c.pending.isEmpty())
            return;
        // Invented: Graph does not say how an unanswered call ends for the bot; 408/1106
        // ("acceptance acknowledgement not received in time", graph-notes §2.5) is the
        // nearest of its end reasons.
        d->finish(c, resultInfo(408, 1106, u"Call was not answered within 15 seconds"_s));
    });
    Q_EMIT callEvent(c.call.id, u"incoming from %1"_s.arg(source.identity.displayName()));
    return c.call.id;
}

Reply Engine::answer(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Incoming }, u"answer"_s))
        return *error;
    if (!body.value("mediaConfig"_L1).isObject())
        return badRequest(u"mediaConfig is required"_s);
    if (auto error = checkUrl(body, "callbackUri"_L1, false))
        return badRequest(*error);
    if (!modalitiesKnown(body.value("acceptedModalities"_L1)))
        return badRequest(u"acceptedModalities holds an unknown modality"_s);

    Private::adoptCallbackUri(*c, body);
    const Graph::Call given = Graph::decodeCall(body);
    c->call.mediaConfigType = given.mediaConfigType;
    c->call.preFetchMedia = given.preFetchMedia;
    if (given.isDeltaRosterEnabled) {
        c->call.isDeltaRosterEnabled = given.isDeltaRosterEnabled;
        c->deltaRoster = *given.isDeltaRosterEnabled;
    }
    c->pending = u"answer"_s;
    d->armKeepAlive(*c);
    const quint64 flow = ++c->flow;
    d->after(Delay::Establishing, [this, c, flow] {
        if (c->flow != flow)
            return;
        d->setState(*c, CallState::Establishing);
        d->after(Delay::Established, [this, c, flow] {
            if (c->flow == flow)
                d->establish(*c);
        });
    });
    Q_EMIT callEvent(c->call.id, u"answered"_s);
    return Reply::accepted();
}

Reply Engine::reject(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Incoming }, u"reject"_s))
        return *error;
    const QJsonValue reasonValue = body.value("reason"_L1);
    Graph::RejectReason reason = Graph::RejectReason::None;
    if (!reasonValue.isUndefined() && !reasonValue.isNull()) {
        reason = Graph::parseWireEnum<Graph::RejectReason>(reasonValue.toString()).value;
        if (reason != Graph::RejectReason::None && reason != Graph::RejectReason::Busy
            && reason != Graph::RejectReason::Forbidden)
            return badRequest(u"reason must be none, busy or forbidden"_s);
    }
    if (auto error = checkUrl(body, "callbackUri"_L1, false))
        return badRequest(*error);
    Private::adoptCallbackUri(*c, body);
    // Invented: Graph documents no result for a rejected call; SIP's codes say it best
    // (busy 486, forbidden 403, declined 603), with subcode 0.
    Graph::ResultInfo result;
    switch (reason) {
    case Graph::RejectReason::Busy:
        result = resultInfo(486, 0, u"Call rejected: busy"_s);
        break;
    case Graph::RejectReason::Forbidden:
        result = resultInfo(403, 0, u"Call rejected: forbidden"_s);
        break;
    default:
        result = resultInfo(603, 0, u"Call rejected"_s);
        break;
    }
    d->endCall(*c, result, false);
    Q_EMIT callEvent(c->call.id, u"rejected (%1)"_s.arg(Graph::wireName(reason)));
    return Reply::accepted();
}

Reply Engine::redirect(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Incoming }, u"redirect"_s))
        return *error;
    if (auto error = checkInvitations(body.value("targets"_L1), u"targets"_s, 25))
        return badRequest(*error);
    const QJsonValue timeout = body.value("timeout"_L1);
    if (!timeout.isUndefined() && !timeout.isNull()) {
        const auto seconds = Graph::readInteger(timeout);
        if (!seconds || *seconds < 15 || *seconds > 90)
            return badRequest(u"timeout must be between 15 and 90 seconds"_s);
    }
    if (auto error = checkUrl(body, "callbackUri"_L1, false))
        return badRequest(*error);
    Private::adoptCallbackUri(*c, body);
    // Invented: the bot's leg ends with 200/0 "Call redirected", whether or not a target
    // answers: what happens past the bot is not visible to it (graph-notes §1.4).
    d->endCall(*c, resultInfo(200, 0, u"Call redirected"_s), false, Delay::Redirect);
    Q_EMIT callEvent(c->call.id, u"redirected"_s);
    return Reply::accepted();
}

Reply Engine::transfer(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"transfer"_s))
        return *error;
    const QJsonValue targetValue = body.value("transferTarget"_L1);
    if (!targetValue.isObject())
        return badRequest(u"transferTarget is required"_s);
    if (auto error = checkInvitation(targetValue, u"transferTarget"_s))
        return badRequest(*error);
    if (c->group && !body.value("transferee"_L1).isObject())
        return badRequest(u"transferee is required when transferring out of a group call"_s);

    const Graph::InvitationParticipantInfo target =
        Graph::decodeInvitationParticipantInfo(targetValue.toObject());
    SimCall *consultation = nullptr;
    if (!target.replacesCallId.isEmpty()) {
        consultation = d->live(target.replacesCallId);
        if (!consultation || consultation == c || consultation->call.state != CallState::Established
            || !consultation->pending.isEmpty())
            return badRequest(u"transferTarget.replacesCallId %1 does not name another "
                              "established call"_s.arg(target.replacesCallId));
    }
    const bool fails = d->isUnreachable(target.identity);
    c->pending = u"transfer"_s;
    const quint64 flow = ++c->flow;
    d->after(Delay::Ack, [this, c, consultation, flow, fails] {
        if (c->flow != flow)
            return;
        d->setState(*c, CallState::Transferring);
        d->after(Delay::TransferStep, [this, c, consultation, flow, fails] {
            if (c->flow != flow)
                return;
            if (fails) {
                // graph-notes §1.5: a failed transfer returns the call to established, 500.
                // Invented: the message.
                c->pending.clear();
                c->call.resultInfo = resultInfo(500, 7000, u"Transfer failed"_s);
                d->setState(*c, CallState::Established);
                Q_EMIT callEvent(c->call.id, u"transfer failed"_s);
                return;
            }
            d->setState(*c, CallState::TransferAccepted);
            d->after(Delay::Terminated, [this, c, consultation, flow] {
                if (c->flow != flow)
                    return;
                const Graph::ResultInfo done = resultInfo(0, 7015, u"GracefulTransferCompleted"_s);
                d->finish(*c, done);
                // The consultation leg is replaced by the transferred call, so it ends too.
                // Invented: with the same resultInfo.
                if (consultation && !consultation->ending)
                    d->finish(*consultation, done);
            });
        });
    });
    Q_EMIT callEvent(c->call.id, u"transferring to %1"_s.arg(identityId(target.identity)));
    return Reply::accepted();
}

Reply Engine::createCall(const QJsonObject &body)
{
    if (auto error = checkUrl(body, "callbackUri"_L1, true))
        return badRequest(*error);
    if (!body.value("mediaConfig"_L1).isObject())
        return badRequest(u"mediaConfig is required"_s);
    const QJsonValue targets = body.value("targets"_L1);
    const bool hasTargets = !targets.toArray().isEmpty();
    const bool hasMeeting = body.value("meetingInfo"_L1).isObject();
    if (!hasTargets && !hasMeeting)
        return badRequest(u"targets or meetingInfo is required"_s);
    if (hasTargets) {
        if (auto error = checkInvitations(targets, u"targets"_s, int(targets.toArray().size())))
            return badRequest(*error);
    }
    if (!modalitiesKnown(body.value("requestedModalities"_L1)))
        return badRequest(u"requestedModalities holds an unknown modality"_s);

    Graph::Call call = Graph::decodeCall(body);
    Private::Meeting *meeting = nullptr;
    if (hasMeeting) {
        QString error;
        meeting = d->meetingForJoin(call.meetingInfo, call.chatInfo, &error);
        if (!meeting)
            return badRequest(error);
    }

    auto owned = std::make_unique<SimCall>();
    SimCall &c = *owned;
    // The platform owns these; whatever the body said about them does not count.
    for (const QLatin1StringView key :
        { "id"_L1, "state"_L1, "direction"_L1, "myParticipantId"_L1, "callChainId"_L1,
            "resultInfo"_L1, "toneInfo"_L1, "mediaState"_L1, "@odata.etag"_L1, "@odata.id"_L1 })
        call.raw.remove(key);
    call.resultInfo = {};
    call.toneInfo.reset();
    call.audioState = {};
    call.id = d->newId();
    call.state = CallState::Establishing;
    call.direction = Graph::CallDirection::Outgoing;
    call.myParticipantId = d->newId();
    call.callChainId = d->newId();
    if (call.tenantId.isEmpty())
        call.tenantId = m_config.tenantId;
    if (!call.source) {
        Graph::ParticipantInfo source;
        source.identity = d->botIdentity();
        call.source = source;
    }
    if (call.requestedModalities.isEmpty())
        call.requestedModalities = { Graph::Modality::Audio };
    c.call = call;
    c.notifyUrl = call.callbackUri;
    c.deltaRoster = call.isDeltaRosterEnabled.value_or(false);
    c.group = call.targets.size() > 1 || meeting;

    bool unreachable = false;
    if (meeting) {
        c.meetingId = meeting->meeting.id;
        // Invented: a join by meeting id learns the meeting's chat at once, so that
        // invitations work in it as in a meeting joined with chatInfo.
        if (c.call.chatInfo.isEmpty())
            c.call.chatInfo = meeting->meeting.chatInfo;
        if (meeting->meeting.organizer)
            c.joiners.append(meeting->meeting.organizer->identity);
        for (const Graph::MeetingParticipantInfo &attendee : meeting->meeting.attendees)
            c.joiners.append(attendee.identity);
    } else {
        for (const Graph::InvitationParticipantInfo &target : std::as_const(c.call.targets)) {
            // Unreachable people of a group call just never join it. Invented: a call that
            // nobody can join ends like an unreachable peer-to-peer call, 480/10037.
            if (!d->isUnreachable(target.identity))
                c.joiners.append(target.identity);
        }
        unreachable = c.joiners.isEmpty();
    }

    d->add(std::move(owned));
    d->armKeepAlive(c);
    const quint64 flow = ++c.flow;
    d->after(Delay::Establishing, [this, &c, flow, unreachable] {
        if (c.flow != flow)
            return;
        d->setState(c, CallState::Establishing);
        d->after(Delay::Connect, [this, &c, flow, unreachable] {
            if (c.flow != flow)
                return;
            if (unreachable) {
                // graph-notes §2.5: 480/10037, no callee endpoints. Invented: the message.
                d->finish(c, resultInfo(480, 10037, u"Callee unreachable"_s));
                return;
            }
            if (d->calleeDeclines(c, flow))
                return;
            d->establish(c);
        });
    });
    Q_EMIT callEvent(c.call.id, c.meetingId.isEmpty() ? u"placed"_s : u"joining meeting"_s);
    return Reply::created(
        Graph::encode(c.call), m_config.baseUrl + u"/v1.0/communications/calls/"_s + c.call.id);
}

void Engine::Private::adoptCallbackUri(SimCall &c, const QJsonObject &body)
{
    const QString callbackUri = body.value("callbackUri"_L1).toString();
    if (!callbackUri.isEmpty()) {
        c.call.callbackUri = callbackUri;
        c.notifyUrl = callbackUri;
    }
}

} // namespace Sandbox

// Participants and group calls: rosters, invitations, muting, removing, people joining
// (graph-notes §1.11, §1.12, §2.2, §3.5).

#include "engine.h"
#include "engine_p.h"

using namespace Qt::StringLiterals;

namespace Sandbox {

using Graph::CallState;
using Graph::OperationStatus;

// ---- Private: roster ---------------------------------------------------------------------

Graph::Participant Engine::Private::newParticipant(
    SimCall &c, const Graph::IdentitySet &identity, const QString &id)
{
    Graph::Participant p;
    p.id = id.isEmpty() ? newId() : id;
    p.info.identity = identity;
    p.info.endpointType = Graph::EndpointType::Default;
    Graph::MediaStream audio;
    audio.mediaType = Graph::Modality::Audio;
    audio.direction = Graph::MediaDirection::SendReceive;
    audio.sourceId = QString::number(c.nextSourceId++);
    p.mediaStreams.append(audio);
    return p;
}

Graph::Participant *Engine::Private::participant(SimCall &c, QStringView participantId)
{
    if (participantId.isEmpty())
        return nullptr;
    for (Graph::Participant &p : c.participants) {
        if (Graph::sameId(p.id, participantId))
            return &p;
    }
    return nullptr;
}

void Engine::Private::sendRoster(
    SimCall &c, const QStringList &changed, const QList<Graph::Participant> &removed)
{
    if (c.deltaRoster && changed.isEmpty() && removed.isEmpty())
        return;
    const qint64 sequence = ++c.rosterSequence;
    QJsonArray data;
    for (Graph::Participant &p : c.participants) {
        if (c.deltaRoster && !changed.contains(p.id))
            continue;
        // Invented: a full roster restates everyone, so every entry in it carries the roster's
        // number; a client that keeps max(rosterSequenceNumber) can then tell a newer roster
        // from a reordered older one (graph-notes §3.5).
        p.rosterSequenceNumber = sequence;
        data.append(Graph::encode(p));
    }
    if (c.deltaRoster) {
        // graph-notes §3.5: with delta rosters, those who left carry removedState.
        for (Graph::Participant gone : removed) {
            gone.rosterSequenceNumber = sequence;
            gone.removed = true;
            if (gone.removedReason.isEmpty())
                gone.removedReason = u"removed"_s;
            data.append(Graph::encode(gone));
        }
    }
    send(c, Graph::ChangeType::Updated, u"/participants"_s, data);
}

void Engine::Private::removeLater(SimCall &c, const QString &participantId, const QString &reason)
{
    after(Delay::Roster, [this, &c, participantId, reason] {
        if (c.ending || c.call.state == CallState::Terminated)
            return;
        const auto it = std::find_if(c.participants.begin(), c.participants.end(),
            [&](const Graph::Participant &p) { return Graph::sameId(p.id, participantId); });
        if (it == c.participants.end())
            return;
        Graph::Participant gone = *it;
        gone.removedReason = reason;
        c.participants.erase(it);
        sendRoster(c, {}, { gone });
        Q_EMIT q->callEvent(c.call.id, u"participant %1 removed"_s.arg(participantId));
    });
}

Reply Engine::Private::setSelfMuted(SimCall &c, const QJsonObject &body, bool muted)
{
    const QString action = muted ? u"mute"_s : u"unmute"_s;
    if (auto error = requireState(c, { CallState::Established }, action))
        return *error;
    if (auto error = requireGroup(c, action))
        return *error;
    if (auto error = checkClientContext(body))
        return badRequest(*error);
    const Graph::CommsOperation op =
        newOperation(muted ? u"muteParticipantOperation" : u"unmuteParticipantOperation",
            body.value("clientContext"_L1).toString(), OperationStatus::Completed);
    c.operations.append(op);
    after(Delay::Roster, [this, &c, muted] {
        Graph::Participant *bot = participant(c, c.call.myParticipantId);
        if (c.ending || !bot || bot->isMuted == muted)
            return;
        bot->isMuted = muted;
        for (Graph::MediaStream &stream : bot->mediaStreams)
            stream.serverMuted = muted; // graph-notes §1.11: a server-side mute
        sendRoster(c, { bot->id });
    });
    return operationReply(c, op);
}

// ---- Engine ------------------------------------------------------------------------------

Reply Engine::listParticipants(const QString &callId) const
{
    const SimCall *c = d->find(callId);
    if (!c || c->call.state == CallState::Terminated)
        return notFound(u"Call %1 not found"_s.arg(callId));
    QJsonArray value;
    for (const Graph::Participant &p : c->participants)
        value.append(Graph::encode(p));
    return Reply::ok(QJsonObject { { "value"_L1, value } });
}

Reply Engine::getParticipant(const QString &callId, const QString &participantId) const
{
    SimCall *c = d->find(callId);
    if (!c || c->call.state == CallState::Terminated)
        return notFound(u"Call %1 not found"_s.arg(callId));
    const Graph::Participant *p = d->participant(*c, participantId);
    if (!p)
        return notFound(u"Participant %1 not found in call %2"_s.arg(participantId, callId));
    return Reply::ok(Graph::encode(*p));
}

Reply Engine::inviteParticipants(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"invite"_s))
        return *error;
    if (auto error = d->requireGroup(*c, u"invite"_s))
        return *error;
    if (c->call.chatInfo.isEmpty()) {
        // graph-notes §1.12: invitations need a group call with a valid chatInfo.
        return Reply::error(400, u"InvalidStateForOperation"_s,
            u"Call %1 has no chatInfo; invite needs a group call with a chat"_s.arg(c->call.id));
    }
    if (auto error = checkInvitations(body.value("participants"_L1), u"participants"_s, 5))
        return badRequest(*error);
    if (auto error = checkClientContext(body))
        return badRequest(*error);

    Graph::CommsOperation op = d->newOperation(u"inviteParticipantsOperation",
        body.value("clientContext"_L1).toString(), OperationStatus::Running);
    for (const QJsonValue &v : body.value("participants"_L1).toArray())
        op.participants.append(Graph::decodeInvitationParticipantInfo(v.toObject()));
    c->operations.append(op);
    d->after(Delay::Invite, [this, c, id = op.id, invited = op.participants] {
        if (c->ending || c->call.state == CallState::Terminated)
            return;
        QStringList added;
        bool failed = false;
        for (const Graph::InvitationParticipantInfo &person : invited) {
            if (d->isUnreachable(person.identity)) {
                failed = true;
                continue;
            }
            c->participants.append(d->newParticipant(*c, person.identity));
            added.append(c->participants.last().id);
        }
        if (!added.isEmpty())
            d->sendRoster(*c, added);
        if (failed) {
            // graph-notes §2.5: 480/10037, callee unreachable. Invented: that an invitation
            // with anyone unreachable fails as a whole, and the message.
            d->completeOperation(
                *c, id, OperationStatus::Failed, resultInfo(480, 10037, u"Callee unreachable"_s));
        } else {
            d->completeOperation(
                *c, id, OperationStatus::Completed, resultInfo(200, 0, ActionCompleted.toString()));
        }
    });
    return d->operationReply(*c, op);
}

Reply Engine::muteParticipant(
    const QString &callId, const QString &participantId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"mute"_s))
        return *error;
    if (auto error = d->requireGroup(*c, u"mute"_s))
        return *error;
    if (!d->participant(*c, participantId))
        return notFound(u"Participant %1 not found in call %2"_s.arg(participantId, callId));
    if (auto error = checkClientContext(body))
        return badRequest(*error);
    const Graph::CommsOperation op = d->newOperation(u"muteParticipantOperation",
        body.value("clientContext"_L1).toString(), OperationStatus::Completed);
    c->operations.append(op);
    d->after(Delay::Roster, [this, c, participantId] {
        Graph::Participant *p = d->participant(*c, participantId);
        if (c->ending || !p || p->isMuted)
            return;
        p->isMuted = true;
        for (Graph::MediaStream &stream : p->mediaStreams)
            stream.serverMuted = true;
        d->sendRoster(*c, { p->id });
    });
    return d->operationReply(*c, op);
}

Reply Engine::removeParticipant(const QString &callId, const QString &participantId)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"removing a participant"_s))
        return *error;
    if (auto error = d->requireGroup(*c, u"removing a participant"_s))
        return *error;
    const Graph::Participant *p = d->participant(*c, participantId);
    if (!p)
        return notFound(u"Participant %1 not found in call %2"_s.arg(participantId, callId));
    if (Graph::sameId(p->id, c->call.myParticipantId)) {
        // Invented: Graph documents no answer for a bot removing itself; DELETE on the call
        // is how it leaves.
        return badRequest(u"The application leaves a call with DELETE on the call, not by "
                          "removing its own participant"_s);
    }
    d->removeLater(*c, p->id, u"removed"_s);
    return Reply::noContent();
}

Reply Engine::muteSelf(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    return d->setSelfMuted(*c, body, true);
}

Reply Engine::unmuteSelf(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    return d->setSelfMuted(*c, body, false);
}

Reply Engine::join(const QString &callId, const Caller &who, bool inLobby)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"join"_s))
        return *error;
    if (auto error = d->requireGroup(*c, u"join"_s))
        return *error;
    Graph::Participant joiner = d->newParticipant(*c, d->identityOf(who));
    joiner.isInLobby = inLobby;
    joiner.raw.insert("isInLobby"_L1, inLobby);
    d->after(Delay::Roster, [this, c, joiner] {
        if (c->ending || c->call.state == CallState::Terminated)
            return;
        c->participants.append(joiner);
        d->sendRoster(*c, { joiner.id });
    });
    Q_EMIT callEvent(c->call.id,
        inLobby ? u"%1 waits in the lobby"_s.arg(joiner.displayName())
                : u"%1 joins"_s.arg(joiner.displayName()));
    return Reply::ok(Graph::encode(joiner));
}

Reply Engine::admit(const QString &callId, const QString &participantId)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    Graph::Participant *p = d->participant(*c, participantId);
    if (!p)
        return notFound(u"Participant %1 not found in call %2"_s.arg(participantId, callId));
    if (!p->isInLobby)
        return badRequest(u"Participant %1 is not in the lobby"_s.arg(participantId));
    d->after(Delay::Roster, [this, c, participantId] {
        Graph::Participant *waiting = d->participant(*c, participantId);
        if (c->ending || !waiting || !waiting->isInLobby)
            return;
        waiting->isInLobby = false;
        waiting->raw.insert("isInLobby"_L1, false);
        d->sendRoster(*c, { waiting->id });
    });
    Q_EMIT callEvent(c->call.id, u"participant %1 admitted from the lobby"_s.arg(participantId));
    return Reply::accepted();
}

} // namespace Sandbox

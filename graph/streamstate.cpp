#include "streamstate.h"

#include "codec.h"
#include "ids.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Graph {

using RelayProtocol::CallMeta;
using RelayProtocol::SnapshotCall;

namespace {

constexpr auto CheckpointFormat = "frontdesk-relay-state"_L1;
constexpr int CheckpointVersion = 1;

bool sameMeta(const CallMeta &a, const CallMeta &b)
{
    return a.firstSeenAt == b.firstSeenAt && a.lastEventAt == b.lastEventAt
        && a.claimedBy == b.claimedBy && a.answerDeadline == b.answerDeadline
        && a.handledBy == b.handledBy && a.ivrFlow == b.ivrFlow && a.ivrMenu == b.ivrMenu
        && a.ivrDigits == b.ivrDigits && a.ivrStatus == b.ivrStatus && a.ivrTarget == b.ivrTarget;
}

// "ivr" {callId, flow, action, menu, digit?, target?, recordingLocation?, by?}: where the caller
// is in the relay's IVR flow.
bool applyIvr(const QJsonObject &event, CallMeta *meta)
{
    const QString action = event.value("action"_L1).toString();
    const QString menu = event.value("menu"_L1).toString();
    if (action == "entered"_L1) {
        const QString flow = event.value("flow"_L1).toString();
        if (meta->ivrFlow != flow) {
            meta->ivrDigits.clear();
            meta->ivrTarget.clear();
        }
        meta->ivrFlow = flow;
        meta->ivrMenu = menu;
        meta->ivrStatus = u"menu"_s;
        return true;
    }
    if (meta->ivrFlow.isEmpty())
        meta->ivrFlow = event.value("flow"_L1).toString();
    if (!menu.isEmpty())
        meta->ivrMenu = menu;
    if (action == "digit"_L1 || action == "invalid"_L1) {
        meta->ivrDigits += event.value("digit"_L1).toString();
    } else if (action == "routed"_L1) {
        meta->ivrStatus = u"routed"_s;
        meta->ivrTarget = event.value("target"_L1).toString();
    } else if (action == "recorded"_L1) {
        meta->ivrStatus = u"recorded"_s;
    } else if (action == "left"_L1) {
        meta->ivrStatus = u"left"_s;
        meta->ivrTarget = event.value("by"_L1).toString();
    } else if (action != "timeout"_L1) {
        return false;
    }
    return true;
}

ApplyResult ignored(const QString &reason)
{
    return { ApplyResult::Outcome::Ignored, {}, reason };
}

// ---- checkpoints ---------------------------------------------------------------------------
// A checkpoint call is the snapshot's CALL, so there is one encoding. The snapshot carries Graph's
// JSON as received, which is what CallBook compares when it tells news from repeats, so a
// restored book judges the next duplicate exactly as the original would.

} // namespace

StreamState::StreamState(
    std::chrono::milliseconds endedRetention, std::chrono::milliseconds answerDeadline)
    : m_answerDeadline(answerDeadline)
    , m_book(endedRetention)
{ }

ApplyResult StreamState::apply(const StreamEvent &event)
{
    // Replaying a journal over a state restored from a checkpoint starts before the checkpoint's
    // seq; what the state already holds must not be applied twice.
    if (event.seq <= m_seq)
        return { ApplyResult::Outcome::Duplicate, {},
            u"seq %1 already applied (state at %2)"_s.arg(
                QString::number(event.seq), QString::number(m_seq)) };
    m_seq = event.seq;
    if (event.type == StreamEvent::Type::Relay)
        return applyRelay(event);

    const Decoded<CommsNotification> n = decodeNotification(event.notification);
    if (!n)
        return ignored(u"not a commsNotification: "_s + n.error->toString());
    ApplyResult result = m_book.apply(n.value, event.at);
    syncMeta(n.value.callId);
    // Most changes concern the notification's own call, whose meta is in step already.
    for (const CallBookChange &change : std::as_const(result.changes)) {
        if (change.callId != n.value.callId)
            syncMeta(change.callId);
    }
    return result;
}

ApplyResult StreamState::applyRelay(const StreamEvent &event)
{
    const QString kind = event.relayKind();
    const QString callId = event.relay.value("callId"_L1).toString();
    const CallEntry *entry = callId.isEmpty() ? nullptr : m_book.find(callId);
    if (kind == "expired"_L1) {
        // The relay found the call gone from Graph (a GET or keepAlive answered 404).
        ResultInfo gone;
        gone.code = 404;
        ApplyResult result = m_book.markEnded(callId, gone, event.at);
        syncMeta(callId);
        return result;
    }
    CallMeta meta = m_meta.value(normalizeId(callId));
    if (kind == "claimed"_L1) {
        meta.claimedBy = event.relay.value("by"_L1).toString();
    } else if (kind == "released"_L1) {
        meta.claimedBy.clear();
    } else if (kind == "policy"_L1) {
        const QString action = event.relay.value("action"_L1).toString();
        if (action != "answered"_L1 && action != "redirected"_L1 && action != "rejected"_L1)
            return ignored(u"policy action %1 changes no call"_s.arg(action));
        meta.handledBy = u"relay"_s;
    } else if (kind == "handled"_L1) {
        meta.handledBy = event.relay.value("by"_L1).toString();
    } else if (kind == "transfer"_L1) {
        // "transfer" {callId, outcome, code, subcode}: a failed transfer leaves the call
        // established with nobody on it, so it goes back to the queue; a completed one ends
        // the call, which Graph's own notification says.
        const QString outcome = event.relay.value("outcome"_L1).toString();
        if (outcome != "failed"_L1)
            return ignored(u"transfer outcome %1 changes no call"_s.arg(outcome));
        meta.claimedBy.clear();
        meta.handledBy.clear();
    } else if (kind == "ivr"_L1) {
        if (!applyIvr(event.relay, &meta))
            return ignored(
                u"ivr action %1 changes no call"_s.arg(event.relay.value("action"_L1).toString()));
    } else {
        return ignored(u"relay event %1 changes no call"_s.arg(kind));
    }
    if (!entry)
        return ignored(u"relay event %1 for an unknown call"_s.arg(kind));

    const CallMeta before = m_meta.value(normalizeId(callId));
    m_meta.insert(normalizeId(callId), meta);
    syncMeta(callId);
    if (sameMeta(before, m_meta.value(normalizeId(callId))))
        return { ApplyResult::Outcome::Duplicate, {}, {} };
    CallBookChange change { CallBookChange::Kind::CallChanged, entry->call.id, {}, {}, {}, {},
        entry->call.state, {}, {} };
    return { ApplyResult::Outcome::Applied, { change }, {} };
}

void StreamState::syncMeta(const QString &callId)
{
    const CallEntry *entry = callId.isEmpty() ? nullptr : m_book.find(callId);
    if (!entry)
        return;
    CallMeta &meta = m_meta[normalizeId(entry->call.id)];
    meta.firstSeenAt = entry->firstSeenAt;
    meta.lastEventAt = entry->lastEventAt;
    // The policy acts on a call that still rings and that nobody has handled; a handled call
    // waits for Graph to report its new state, and must not get a second action meanwhile.
    const bool waiting =
        entry->call.state == CallState::Incoming && !entry->isEnded() && meta.handledBy.isEmpty();
    meta.answerDeadline =
        waiting ? entry->firstSeenAt.addMSecs(m_answerDeadline.count()) : QDateTime();
}

QList<CallBookChange> StreamState::expire(const QDateTime &now)
{
    const QList<CallBookChange> changes = m_book.expire(now);
    for (const CallBookChange &change : changes) {
        if (change.kind == CallBookChange::Kind::CallRemoved)
            m_meta.remove(normalizeId(change.callId));
    }
    return changes;
}

bool StreamState::remove(const QString &callId)
{
    if (!m_book.remove(callId))
        return false;
    m_meta.remove(normalizeId(callId));
    return true;
}

CallMeta StreamState::meta(const QString &callId) const
{
    return m_meta.value(normalizeId(callId));
}

void StreamState::setMeta(const QString &callId, const CallMeta &meta)
{
    m_meta.insert(normalizeId(callId), meta);
}

RelayProtocol::Snapshot StreamState::snapshot() const
{
    RelayProtocol::Snapshot snapshot;
    snapshot.seq = m_seq;
    snapshot.calls.reserve(m_book.size());
    for (const QString &id : m_book.ids()) {
        if (const CallEntry *entry = m_book.find(id))
            snapshot.calls.append(SnapshotCall { *entry, meta(id) });
    }
    return snapshot;
}

QByteArray StreamState::toCheckpoint() const
{
    QJsonArray calls;
    for (const SnapshotCall &call : snapshot().calls)
        calls.append(RelayProtocol::encodeSnapshotCall(call));
    const QJsonObject o {
        { "format"_L1, CheckpointFormat },
        { "version"_L1, CheckpointVersion },
        { "seq"_L1, m_seq },
        { "calls"_L1, calls },
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool StreamState::restoreCheckpoint(qint64 seq, const QByteArray &state, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = u"checkpoint at seq %1: %2"_s.arg(QString::number(seq), why);
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(state, &parseError);
    if (!document.isObject())
        return fail(u"not a JSON object (%1)"_s.arg(parseError.errorString()));
    const QJsonObject o = document.object();
    if (o.value("format"_L1).toString() != CheckpointFormat)
        return fail(u"not a relay state"_s);
    if (o.value("version"_L1).toInt() != CheckpointVersion)
        return fail(u"version %1 is not known"_s.arg(o.value("version"_L1).toInt()));
    if (const auto written = readInteger(o.value("seq"_L1)); written && *written != seq)
        return fail(u"it holds the state at seq %1"_s.arg(*written));
    if (!o.value("calls"_L1).isArray())
        return fail(u"no calls"_s);

    // Everything is decoded before anything is replaced: a bad checkpoint leaves the state as
    // it was.
    RelayProtocol::Snapshot snapshot;
    snapshot.seq = seq;
    for (const QJsonValue &v : o.value("calls"_L1).toArray()) {
        std::optional<SnapshotCall> call = RelayProtocol::decodeSnapshotCall(v.toObject());
        if (!call)
            return fail(u"a call without an id"_s);
        snapshot.calls.append(std::move(*call));
    }
    reset(std::move(snapshot));
    return true;
}

void StreamState::reset(RelayProtocol::Snapshot snapshot)
{
    QList<CallEntry> entries;
    QHash<QString, CallMeta> metas;
    for (SnapshotCall &call : snapshot.calls) {
        metas.insert(normalizeId(call.entry.call.id), call.meta);
        entries.append(std::move(call.entry));
    }
    m_book.reset(std::move(entries));
    m_meta = std::move(metas);
    m_seq = snapshot.seq;
}

} // namespace Graph

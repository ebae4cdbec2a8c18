#include "callbook.h"

#include "codec.h"
#include "ids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Graph {
namespace {

// Where a state sits in a call's life. Equal ranks may follow each other (established ⇄ hold).
int rank(CallState s)
{
    switch (s) {
    case CallState::Incoming:
    case CallState::Ringing:
        return 0;
    case CallState::Establishing:
        return 1;
    case CallState::Established:
    case CallState::Hold:
        return 2;
    case CallState::Transferring:
    case CallState::Redirecting:
        return 3;
    case CallState::TransferAccepted:
        return 4;
    case CallState::Terminating:
        return 5;
    case CallState::Terminated:
        return 6;
    case CallState::Unknown:
    case CallState::UnknownFutureValue:
        break;
    }
    return -1;
}

QJsonObject mergedObject(QJsonObject base, const QJsonObject &update)
{
    for (auto it = update.begin(); it != update.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

} // namespace

const Participant *CallEntry::participant(QStringView id) const
{
    for (const Participant &p : participants) {
        if (sameId(p.id, id))
            return &p;
    }
    return nullptr;
}

ParticipantIndex::ParticipantIndex(const CallEntry &entry)
{
    m_byId.reserve(entry.participants.size());
    for (const Participant &p : entry.participants)
        m_byId.insert(normalizeId(p.id), &p);
}

const Participant *ParticipantIndex::find(const QString &participantId) const
{
    return m_byId.value(normalizeId(participantId), nullptr);
}

CallBook::CallBook(std::chrono::milliseconds retainEnded)
    : m_retainEnded(retainEnded)
{ }

bool CallBook::isForwardTransition(CallState from, CallState to)
{
    // Nothing follows the end of a call, not even a state we do not know.
    if (from == CallState::Terminated)
        return to == CallState::Terminated;
    const int a = rank(from);
    const int b = rank(to);
    if (a < 0 || b < 0)
        return true;
    if (b >= a)
        return true;
    // A failed transfer returns the call to established (resultInfo 500).
    return (from == CallState::Transferring || from == CallState::TransferAccepted)
        && (to == CallState::Established || to == CallState::Hold);
}

const CallEntry *CallBook::find(QStringView callId) const
{
    const auto it = m_calls.constFind(normalizeId(callId));
    return it == m_calls.cend() ? nullptr : &*it;
}

const CallEntry *CallBook::find(const QString &callId) const
{
    const auto it = m_calls.constFind(normalizeId(callId));
    return it == m_calls.cend() ? nullptr : &*it;
}

CallEntry *CallBook::findMutable(const QString &callId)
{
    const auto it = m_calls.find(normalizeId(callId));
    return it == m_calls.end() ? nullptr : &*it;
}

CallEntry &CallBook::create(const QString &callId, const QDateTime &at, ApplyResult &result)
{
    CallEntry entry;
    entry.call.id = callId;
    entry.call.raw.insert("id"_L1, callId);
    entry.firstSeenAt = at;
    entry.lastEventAt = at;
    m_order.append(callId);
    result.changes.append({ CallBookChange::Kind::CallAdded, callId, {}, {}, {}, {}, {}, {}, {} });
    return *m_calls.emplace(normalizeId(callId), std::move(entry));
}

ApplyResult CallBook::apply(const CommsNotification &n, const QDateTime &at)
{
    switch (n.kind) {
    case ResourceKind::Call: {
        if (!n.resourceData.isObject())
            return { ApplyResult::Outcome::Ignored, {}, u"call data is not an object"_s };
        QJsonObject data = n.resourceData.toObject();
        const QString callId = n.callId.isEmpty() ? data.value("id"_L1).toString() : n.callId;
        if (callId.isEmpty())
            return { ApplyResult::Outcome::Ignored, {}, u"no call id"_s };
        return applyCallData(callId, std::move(data), n.changeType == ChangeType::Deleted, at);
    }
    case ResourceKind::Participants:
    case ResourceKind::Participant:
        return applyRoster(n, at);
    case ResourceKind::Operation:
        return applyOperation(n, at);
    case ResourceKind::Unknown:
        break;
    }
    return { ApplyResult::Outcome::Ignored, {}, u"resource not tracked: "_s + n.resourceUrl };
}

ApplyResult CallBook::applyCall(const Call &call, const QDateTime &at)
{
    if (call.id.isEmpty())
        return { ApplyResult::Outcome::Ignored, {}, u"no call id"_s };
    return applyCallData(call.id, encode(call), false, at);
}

ApplyResult CallBook::markEnded(
    const QString &callId, const ResultInfo &result, const QDateTime &at)
{
    const CallEntry *entry = find(callId);
    if (!entry)
        return { ApplyResult::Outcome::Ignored, {}, u"unknown call"_s };
    // Graph's own account of the end wins over ours.
    if (entry->isEnded())
        return { ApplyResult::Outcome::Duplicate, {}, {} };
    QJsonObject data { { "state"_L1, wireName(CallState::Terminated) } };
    if (result.isPresent())
        data.insert("resultInfo"_L1, encode(result));
    return applyCallData(callId, data, true, at);
}

ApplyResult CallBook::applyCallData(
    const QString &callId, QJsonObject data, bool deleted, const QDateTime &at)
{
    if (m_memory == Memory::Full)
        return mergeCallData(callId, std::move(data), deleted, at);
    // Lean: the call's tree lives only while an update is merged into it.
    if (CallEntry *entry = findMutable(callId); entry && !entry->callJson.isEmpty())
        entry->call.raw = QJsonDocument::fromJson(entry->callJson).object();
    ApplyResult result = mergeCallData(callId, std::move(data), deleted, at);
    if (CallEntry *entry = findMutable(callId))
        makeLean(*entry);
    return result;
}

void CallBook::makeLean(CallEntry &entry)
{
    if (!entry.call.raw.isEmpty()) {
        entry.callJson = QJsonDocument(entry.call.raw).toJson(QJsonDocument::Compact);
        dropJson(entry.call);
    }
    // Writing to a list that is shared (a snapshot the caller still holds) copies it, so each
    // list is written to only when something in it still has JSON.
    const auto participantHasJson = [](const Participant &p) { return !p.raw.isEmpty(); };
    if (std::any_of(entry.participants.cbegin(), entry.participants.cend(), participantHasJson)) {
        for (Participant &participant : entry.participants)
            dropJson(participant);
    }
    const auto toneHasJson = [](const ToneInfo &tone) { return !tone.raw.isEmpty(); };
    if (std::any_of(entry.tones.cbegin(), entry.tones.cend(), toneHasJson)) {
        for (ToneInfo &tone : entry.tones)
            tone.raw = {};
    }
}

ApplyResult CallBook::mergeCallData(
    const QString &callId, QJsonObject data, bool deleted, const QDateTime &at)
{
    ApplyResult result;
    // A deleted call is terminated, whatever the notification spelled out.
    if (deleted)
        data.insert("state"_L1, wireName(CallState::Terminated));
    // Tones are a stream, not a property: they go to the entry's list, and the call resource
    // keeps only the state-like fields of the update.
    std::optional<ToneInfo> tone;
    if (data.value("toneInfo"_L1).isObject()) {
        tone = decodeToneInfo(data.value("toneInfo"_L1).toObject());
        data.remove("toneInfo"_L1);
        // A tone notification repeats "established" whatever the call is doing; it must not
        // end a transfer or undo a hold.
        if (!deleted)
            data.remove("state"_L1);
    }
    data.remove("@odata.type"_L1);
    data.remove("@odata.etag"_L1);

    // A resource whose id names another call than its URL does is not trusted with the id.
    if (const QString dataId = data.value("id"_L1).toString();
        !dataId.isEmpty() && !sameId(dataId, callId))
        data.remove("id"_L1);

    CallEntry *entry = findMutable(callId);
    const bool isNew = entry == nullptr;
    if (isNew)
        entry = &create(data.value("id"_L1).toString(callId), at, result);

    // Graph's own id spelling (from the resource) wins over one taken from a URL.
    if (const QString dataId = data.value("id"_L1).toString();
        !isNew && !dataId.isEmpty() && dataId != entry->call.id && sameId(dataId, entry->call.id)) {
        const qsizetype pos = m_order.indexOf(entry->call.id);
        if (pos >= 0)
            m_order[pos] = dataId;
        entry->call.id = dataId;
        entry->call.raw.insert("id"_L1, dataId);
    }

    const WireEnum<CallState> before = entry->call.state;
    const WireEnum<CallState> incoming =
        parseWireEnum<CallState>(data.value("state"_L1).toString());
    if (!isNew && incoming.isPresent() && !isForwardTransition(before.value, incoming.value)) {
        // The state is older than ours, but fields we never had (a create response arriving
        // after the "established" callback) are still news.
        QJsonObject missing;
        for (auto it = data.begin(); it != data.end(); ++it) {
            if (it.key() != "state"_L1 && it.key() != "resultInfo"_L1
                && !entry->call.raw.contains(it.key()))
                missing.insert(it.key(), it.value());
        }
        if (!missing.isEmpty()) {
            entry->call = decodeCall(mergedObject(entry->call.raw, missing));
            result.changes.append({ CallBookChange::Kind::CallChanged, entry->call.id, {}, {}, {},
                {}, before, {}, {} });
            entry->lastEventAt = at;
        }
        result.outcome = ApplyResult::Outcome::Stale;
        result.reason = u"state %1 after %2"_s.arg(incoming.text, before.text);
        return result;
    }
    if (incoming.isKnown() && incoming.value == before.value)
        data.insert("state"_L1, before.text); // "Established" after "established" is no news
    // A result that explained an earlier state (a failed transfer's 500) does not explain the end.
    if (incoming == CallState::Terminated && before != CallState::Terminated
        && !data.contains("resultInfo"_L1) && entry->call.resultInfo.isPresent()
        && before != CallState::Terminating)
        entry->call.raw.remove("resultInfo"_L1);

    const QJsonObject merged = mergedObject(entry->call.raw, data);
    if (merged != entry->call.raw) {
        entry->call = decodeCall(merged);
        if (!isNew)
            result.changes.append({ CallBookChange::Kind::CallChanged, entry->call.id, {}, {}, {},
                {}, before, {}, {} });
    }
    if (tone)
        applyTone(*entry, *tone, result);

    if (entry->call.state == CallState::Terminated && !entry->endedAt.isValid())
        entry->endedAt = at;
    if (result.changes.isEmpty()) {
        result.outcome = ApplyResult::Outcome::Duplicate;
        return result;
    }
    entry->lastEventAt = at;
    result.outcome = ApplyResult::Outcome::Applied;
    return result;
}

void CallBook::applyTone(CallEntry &entry, const ToneInfo &tone, ApplyResult &result)
{
    // Tones may arrive out of order or twice; sequenceId puts them in place.
    const auto pos = std::lower_bound(entry.tones.begin(), entry.tones.end(), tone.sequenceId,
        [](const ToneInfo &t, qint64 seq) { return t.sequenceId < seq; });
    if (pos != entry.tones.end() && pos->sequenceId == tone.sequenceId)
        return;
    entry.tones.insert(pos, tone);
    result.changes.append(
        { CallBookChange::Kind::ToneReceived, entry.call.id, {}, {}, {}, {}, {}, {}, {} });
}

ApplyResult CallBook::applyRoster(const CommsNotification &n, const QDateTime &at)
{
    ApplyResult result;
    if (n.callId.isEmpty())
        return { ApplyResult::Outcome::Ignored, {}, u"no call id"_s };

    // The roster as sent. A participant is decoded only when it is new or differs from the
    // one applied: Graph sends a big call's whole roster for every change in it.
    struct Sent
    {
        QJsonObject json;
        QString id;
        std::optional<qint64> sequence;
    };
    QList<Sent> incoming;
    const auto take = [&incoming](QJsonObject o, const QString &urlId) {
        QString id = o.value("id"_L1).toString();
        // On /participants/{pid} the URL names the participant even when the data does not.
        if (id.isEmpty() && !urlId.isEmpty()) {
            id = urlId;
            o.insert("id"_L1, urlId);
        }
        if (!id.isEmpty()) {
            const std::optional<qint64> sequence = readInteger(o.value("rosterSequenceNumber"_L1));
            incoming.append({ std::move(o), std::move(id), sequence });
        }
    };
    if (n.resourceData.isArray()) {
        const QJsonArray data = n.resourceData.toArray();
        incoming.reserve(data.size());
        for (const QJsonValue &v : data) {
            if (v.isObject())
                take(v.toObject(), {});
        }
    } else if (n.resourceData.isObject()) {
        take(n.resourceData.toObject(), n.subId);
    }

    CallEntry *entry = findMutable(n.callId);
    if (!entry)
        entry = &create(n.callId, at, result);

    qint64 notificationSequence = -1;
    for (const Sent &sent : incoming)
        notificationSequence = std::max(notificationSequence, sent.sequence.value_or(-1));

    const bool deleted = n.changeType == ChangeType::Deleted;
    // Without delta rosters Graph sends the whole roster, so whoever is missing has left. That
    // holds only for a roster at least as new as the one applied, never for a reordered one.
    const bool wholeRoster = n.kind == ResourceKind::Participants && !deleted
        && !entry->call.isDeltaRosterEnabled.value_or(false);
    const bool olderRoster =
        notificationSequence >= 0 && notificationSequence < entry->rosterSequence;
    const bool fullRoster = wholeRoster && !olderRoster;

    CallBookChange change { CallBookChange::Kind::ParticipantsChanged, entry->call.id, {}, {}, {},
        {}, {}, {}, {} };
    bool sawStale = false;
    // One pass over the notification. Graph sends the whole roster of a big call each time,
    // mostly in the order it sent before: a participant is first looked for where it stood in
    // the roster applied, by its id as spelled; only when that fails is the roster indexed by
    // normalized id (once), so a search per participant is never quadratic. Leavers are marked
    // and dropped at the end, which keeps the positions valid.
    QList<Participant> &roster = entry->participants;
    const bool keepJson = m_memory == Memory::Full;
    QHash<QString, qsizetype> index; // normalized id → position; built when first needed
    bool indexed = false;
    const auto lookUp = [&](const QString &key) -> qsizetype {
        if (!indexed) {
            index.reserve(roster.size() + incoming.size());
            for (qsizetype i = 0; i < roster.size(); ++i)
                index.insert(normalizeId(roster.at(i).id), i);
            indexed = true;
        }
        return index.value(key, -1);
    };
    QList<bool> gone(roster.size(), false);
    QList<bool> seen(roster.size(), false); // named in this notification
    for (qsizetype j = 0; j < incoming.size(); ++j) {
        const Sent &sent = incoming.at(j);
        qsizetype found = j < roster.size() && roster.at(j).id == sent.id ? j : -1;
        QString key;
        if (found < 0) {
            key = normalizeId(sent.id);
            found = lookUp(key);
        }
        const qsizetype pos = found < 0 || gone.at(found) ? -1 : found;
        const bool known = pos >= 0;
        if (found >= 0)
            seen[found] = true;
        // Exactly what was applied: no news (a participant on the roster is never "removed").
        if (keepJson && known && !deleted && roster.at(pos).raw == sent.json)
            continue;
        // Without the JSON: Graph stamps a participant with the roster in which it last
        // changed, so one stamped as applied is no news either. Any other is decoded and
        // compared field by field.
        if (!keepJson && known && !deleted && sent.sequence
            && sent.sequence == roster.at(pos).rosterSequenceNumber
            && !sent.json.contains("removedState"_L1))
            continue;
        Participant p = decodeParticipant(sent.json);
        if (!keepJson)
            dropJson(p);
        if (known && roster.at(pos).rosterSequenceNumber && p.rosterSequenceNumber
            && *p.rosterSequenceNumber < *roster.at(pos).rosterSequenceNumber) {
            sawStale = true;
            continue;
        }
        if (!known && p.rosterSequenceNumber && *p.rosterSequenceNumber < entry->rosterSequence
            && (deleted || p.removed)) {
            sawStale = true; // an old "left" for someone already gone
            continue;
        }
        if (!known && wholeRoster && olderRoster) {
            sawStale = true; // someone in an older whole roster may have left since
            continue;
        }
        if (deleted || p.removed) {
            if (known) {
                change.removed.append(roster.at(pos).id);
                change.before.append(roster.at(pos));
                gone[pos] = true;
            }
            continue;
        }
        if (!known) {
            if (indexed)
                index.insert(key.isNull() ? normalizeId(sent.id) : key, roster.size());
            roster.append(p);
            gone.append(false);
            seen.append(true);
            change.added.append(p.id);
            change.after.append(p);
        } else if (keepJson || roster.at(pos) != p) {
            change.before.append(roster.at(pos));
            roster[pos] = p;
            change.changed.append(p.id);
            change.after.append(p);
        }
    }
    if (fullRoster) {
        for (qsizetype i = 0; i < roster.size(); ++i) {
            if (!gone.at(i) && !seen.at(i)) {
                gone[i] = true;
                change.removed.append(roster.at(i).id);
                change.before.append(roster.at(i));
            }
        }
    }
    if (gone.contains(true)) {
        QList<Participant> kept;
        kept.reserve(roster.size());
        for (qsizetype i = 0; i < roster.size(); ++i) {
            if (!gone.at(i))
                kept.append(std::move(roster[i]));
        }
        roster = std::move(kept);
    }
    entry->rosterSequence = std::max(entry->rosterSequence, notificationSequence);

    if (!change.added.isEmpty() || !change.changed.isEmpty() || !change.removed.isEmpty())
        result.changes.append(change);
    if (result.changes.isEmpty()) {
        result.outcome = sawStale ? ApplyResult::Outcome::Stale : ApplyResult::Outcome::Duplicate;
        if (sawStale)
            result.reason = u"roster entries older than the roster applied"_s;
        return result;
    }
    entry->lastEventAt = at;
    result.outcome = ApplyResult::Outcome::Applied;
    return result;
}

ApplyResult CallBook::applyOperation(const CommsNotification &n, const QDateTime &at)
{
    if (!n.resourceData.isObject())
        return { ApplyResult::Outcome::Ignored, {}, u"operation data is not an object"_s };
    CallEntry *entry = findMutable(n.callId);
    if (!entry)
        return { ApplyResult::Outcome::Ignored, {}, u"operation on an unknown call"_s };

    // What the notification leaves out but the URL or the change type says goes into the JSON
    // too, which is what snapshots and checkpoints carry.
    QJsonObject data = n.resourceData.toObject();
    if (data.value("id"_L1).toString().isEmpty())
        data.insert("id"_L1, n.subId);
    // Graph reports completion as the operation's deletion; status says how it went, and a
    // deletion without one still means the operation is over.
    const CommsOperation reported = decodeOperation(data);
    if (n.changeType == ChangeType::Deleted && !reported.isFinished())
        data.insert("status"_L1, wireName(OperationStatus::Completed));
    const CommsOperation op = decodeOperation(data);

    ApplyResult result;
    const auto it = std::find_if(entry->operations.begin(), entry->operations.end(),
        [&](const CommsOperation &o) { return sameId(o.id, op.id); });
    const bool wasFinished = it != entry->operations.end() && it->isFinished();
    if (it == entry->operations.end()) {
        entry->operations.append(op);
    } else if (wasFinished || it->raw == op.raw) {
        return { ApplyResult::Outcome::Duplicate, {}, {} };
    } else {
        *it = op;
    }
    result.changes.append({ op.isFinished() ? CallBookChange::Kind::OperationFinished
                                            : CallBookChange::Kind::OperationUpdated,
        entry->call.id, {}, {}, {}, op.id, {}, {}, {} });
    entry->lastEventAt = at;
    result.outcome = ApplyResult::Outcome::Applied;
    return result;
}

QStringList CallBook::expiring(const QDateTime &now) const
{
    const QDateTime cutoff = now.addMSecs(-m_retainEnded.count());
    QStringList ids;
    for (const CallEntry &entry : m_calls) {
        if (entry.isEnded() && entry.endedAt <= cutoff)
            ids.append(entry.call.id);
    }
    return ids;
}

QList<CallBookChange> CallBook::expire(const QDateTime &now)
{
    QList<CallBookChange> changes;
    const QStringList going = expiring(now);
    if (going.isEmpty())
        return changes;
    // expiring() gives each id as the entry spells it, and so does m_order: the ids compare as
    // they are, and only those that go are normalized.
    const QSet<QString> ids(going.cbegin(), going.cend());
    // In first-seen order, as the ids are kept.
    m_order.removeIf([&](const QString &id) {
        if (!ids.contains(id))
            return false;
        changes.append({ CallBookChange::Kind::CallRemoved, id, {}, {}, {}, {}, {}, {}, {} });
        m_calls.remove(normalizeId(id));
        return true;
    });
    Q_ASSERT(changes.size() == going.size());
    return changes;
}

bool CallBook::remove(const QString &callId)
{
    const auto it = m_calls.find(normalizeId(callId));
    if (it == m_calls.end())
        return false;
    [[maybe_unused]] const bool listed = m_order.removeOne(it->call.id);
    Q_ASSERT(listed);
    m_calls.erase(it);
    return true;
}

void CallBook::reset(QList<CallEntry> entries)
{
    clear();
    for (CallEntry &entry : entries) {
        const QString key = normalizeId(entry.call.id);
        if (entry.call.id.isEmpty() || m_calls.contains(key))
            continue;
        if (m_memory == Memory::Lean)
            makeLean(entry);
        m_order.append(entry.call.id);
        m_calls.insert(key, std::move(entry));
    }
}

void CallBook::clear()
{
    m_calls.clear();
    m_order.clear();
}

} // namespace Graph

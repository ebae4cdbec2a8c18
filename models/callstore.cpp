#include "callstore.h"

#include "calltexts.h"
#include "graph/ids.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Models {

using Graph::ApplyResult;
using Graph::CallBookChange;
using Graph::CallEntry;
using Graph::CallState;
using Graph::normalizeId;
using Graph::RelayProtocol::StreamEvent;

namespace {

// States a call reaches only once it has been answered or placed: its duration counts from the
// first of them.
bool isLive(CallState state)
{
    switch (state) {
    case CallState::Established:
    case CallState::Hold:
    case CallState::Transferring:
    case CallState::TransferAccepted:
        return true;
    default:
        return false;
    }
}

bool sameState(const Graph::WireEnum<CallState> &a, const Graph::WireEnum<CallState> &b)
{
    // "Established" after "established" is the same state; two unknown states are not, unless
    // Graph spelled them alike.
    if (a.value != b.value)
        return false;
    return a.isKnown() || a.text.compare(b.text, Qt::CaseInsensitive) == 0;
}

// "#microsoft.graph.playPromptOperation" → "playPrompt".
QString operationType(const QString &odataType)
{
    QString type = odataType;
    const qsizetype dot = type.lastIndexOf(u'.');
    if (dot >= 0)
        type = type.mid(dot + 1);
    if (type.endsWith("Operation"_L1) && type.size() > 9)
        type.chop(9);
    return type;
}

} // namespace

// What a call looked like before an event: what a change report needs and no longer finds.
struct CallStore::Before
{
    QSet<qint64> toneIds;
};

CallStore::CallStore(std::chrono::milliseconds endedRetention, QObject *parent)
    : QObject(parent)
    , m_state(endedRetention, std::chrono::seconds(15))
{
    // Nothing in the console sends a participant on, and their JSON is most of a big roster's
    // memory.
    m_state.setMemory(Graph::CallBook::Memory::Lean);
    m_expireMore.setSingleShot(true);
    m_expireMore.setObjectName(u"call expiry pass"_s);
    connect(&m_expireMore, &QTimer::timeout, this, &CallStore::expireSome);
}

CallStore::~CallStore() = default;

void CallStore::applySnapshot(Graph::RelayProtocol::Snapshot snapshot)
{
    // The snapshot says which calls there are now; tick() decides again which of them go.
    m_expiring.clear();
    m_expireMore.stop();
    Q_EMIT aboutToReset();
    QHash<QString, Graph::WireEnum<CallState>> previous;
    for (const QString &id : m_state.book().ids()) {
        if (const CallEntry *e = m_state.book().find(id))
            previous.insert(normalizeId(id), e->call.state);
    }
    const qint64 seq = snapshot.seq;
    m_state.reset(std::move(snapshot));

    // A reconnect keeps what this console saw of a call; the snapshot only says where the call
    // stands now, so a call new to us, or one that moved while we were away, gets one entry
    // saying so.
    QHash<QString, History> kept;
    for (const QString &id : m_state.book().ids()) {
        const CallEntry *e = m_state.book().find(id);
        if (!e)
            continue;
        const QString key = normalizeId(id);
        History history = m_history.take(key);
        const auto was = previous.constFind(key);
        if (was == previous.cend() || !sameState(*was, e->call.state)) {
            TimelineEntry entry;
            entry.kind = TimelineEntry::Kind::Snapshot;
            entry.at = e->lastEventAt.isValid() ? e->lastEventAt : e->firstSeenAt;
            entry.seq = seq;
            entry.toState = e->call.state;
            entry.resultInfo = e->call.resultInfo;
            history.timeline.append(std::move(entry));
            if (history.timeline.size() > m_timelineLimit)
                history.timeline.remove(0, history.timeline.size() - m_timelineLimit);
        }
        if (!history.establishedAt.isValid() && isLive(e->call.state.value))
            history.establishedAt = e->firstSeenAt;
        kept.insert(key, std::move(history));
    }
    m_history = std::move(kept);
    Q_EMIT reset();
    Q_EMIT seqChanged(m_state.seq());
}

Graph::ApplyResult CallStore::applyEvent(const StreamEvent &event)
{
    const Before before = capture(event);
    const qint64 seqBefore = m_state.seq();
    const ApplyResult result = m_state.apply(event);
    const bool relay = event.type == StreamEvent::Type::Relay;
    const bool expired = relay && event.relayKind() == "expired"_L1;

    for (const CallBookChange &change : result.changes) {
        const QString &id = change.callId;
        // Before the signals: a model reads the time a call went live when it hears of it.
        if (change.kind == CallBookChange::Kind::CallAdded
            || change.kind == CallBookChange::Kind::CallChanged) {
            if (const CallEntry *e = entry(id); e && isLive(e->call.state.value))
                noteEstablished(id, event.at);
        }
        switch (change.kind) {
        case CallBookChange::Kind::CallAdded:
            Q_EMIT callAdded(id);
            break;
        case CallBookChange::Kind::CallChanged:
            // A relay event changes only what the relay adds to a call, except "expired", which
            // ends the call itself.
            if (relay && !expired)
                Q_EMIT metaChanged(id);
            else
                Q_EMIT callChanged(id);
            break;
        case CallBookChange::Kind::CallRemoved:
            // StreamState::apply never drops a call (only expire() does), but a row must not
            // outlive its call if that ever changes.
            Q_EMIT aboutToRemove(id);
            m_history.remove(normalizeId(id));
            Q_EMIT callRemoved(id);
            continue;
        case CallBookChange::Kind::ParticipantsChanged:
            Q_EMIT participantsChanged(id, change.added, change.changed, change.removed);
            break;
        case CallBookChange::Kind::ToneReceived:
            Q_EMIT toneReceived(id);
            break;
        case CallBookChange::Kind::OperationUpdated:
        case CallBookChange::Kind::OperationFinished:
            Q_EMIT operationUpdated(id, change.operationId);
            break;
        }
        record(id, event, change, before);
    }
    if (relay && result.outcome == ApplyResult::Outcome::Applied && !result.changes.isEmpty()) {
        recordRelay(result.changes.constFirst().callId, event);
    } else if (const CallEntry *e =
                   relay && event.relayKind() == "ivr"_L1 ? entry(event.callId()) : nullptr) {
        // Every step of an IVR flow belongs in the timeline, also those that leave the
        // call's state as it was (a timeout, the menu played again).
        recordRelay(e->call.id, event);
    }
    if (m_state.seq() != seqBefore)
        Q_EMIT seqChanged(m_state.seq());
    return result;
}

void CallStore::tick(const QDateTime &now)
{
    // Those still pending from the last tick are due now too, and expiring() names them again.
    const QStringList going = m_state.book().expiring(now);
    m_expiring.assign(going.cbegin(), going.cend());
    m_expireAt = now;
    if (m_expiring.empty())
        m_expireMore.stop();
    else if (!m_expireMore.isActive())
        m_expireMore.start(0);
}

void CallStore::expireSome()
{
    const QDateTime cutoff = m_expireAt.addMSecs(-m_state.book().retainEnded().count());
    const qint64 deadline = m_passes->begin();
    while (!m_expiring.empty()) {
        const QString id = std::move(m_expiring.front());
        m_expiring.pop_front();
        // The rule of CallBook::expiring, checked again: the call may have gone since.
        const CallEntry *e = entry(id);
        if (!e || !e->isEnded() || e->endedAt > cutoff)
            continue;
        Q_EMIT aboutToRemove(id);
        m_state.remove(id);
        m_history.remove(normalizeId(id));
        Q_EMIT callRemoved(id);
        if (m_passes->isSpent(deadline))
            break;
    }
    m_passes->end();
    if (!m_expiring.empty())
        m_expireMore.start(0);
}

void CallStore::setAnswerDeadline(std::chrono::milliseconds deadline)
{
    m_state.setAnswerDeadline(deadline);
}

void CallStore::setTimelineLimit(int limit)
{
    m_timelineLimit = std::max(limit, 1);
    for (History &history : m_history) {
        if (history.timeline.size() > m_timelineLimit)
            history.timeline.remove(0, history.timeline.size() - m_timelineLimit);
    }
}

const CallEntry *CallStore::entry(const QString &callId) const
{
    return m_state.book().find(callId);
}

Graph::RelayProtocol::CallMeta CallStore::meta(const QString &callId) const
{
    return m_state.meta(callId);
}

QList<TimelineEntry> CallStore::timeline(const QString &callId) const
{
    return m_history.value(normalizeId(callId)).timeline;
}

QDateTime CallStore::establishedAt(const QString &callId) const
{
    return m_history.value(normalizeId(callId)).establishedAt;
}

QString CallStore::tones(const QString &callId) const
{
    QString out;
    if (const CallEntry *e = entry(callId)) {
        out.reserve(e->tones.size());
        for (const Graph::ToneInfo &tone : e->tones)
            out.append(Graph::toneChar(tone.tone.value));
    }
    return out;
}

CallStore::Before CallStore::capture(const StreamEvent &event) const
{
    // Only a call update can bring a tone; the roster's changes carry their own before.
    Before before;
    if (event.type != StreamEvent::Type::Notification)
        return before;
    using Kind = Graph::ResourcePath::Kind;
    const Kind kind =
        Graph::parseResourcePath(event.notification.value("resourceUrl"_L1).toString()).kind;
    if (kind != Kind::Call && kind != Kind::Unknown)
        return before;
    const QString callId = event.callId();
    if (const CallEntry *e = callId.isEmpty() ? nullptr : entry(callId)) {
        for (const Graph::ToneInfo &tone : e->tones)
            before.toneIds.insert(tone.sequenceId);
    }
    return before;
}

void CallStore::record(const QString &callId, const StreamEvent &event,
    const CallBookChange &change, const Before &before)
{
    const CallEntry *e = entry(callId);
    if (!e)
        return;
    TimelineEntry entry;
    entry.at = event.at;
    entry.seq = event.seq;
    switch (change.kind) {
    case CallBookChange::Kind::CallAdded:
        entry.kind = TimelineEntry::Kind::Created;
        entry.toState = e->call.state;
        break;
    case CallBookChange::Kind::CallChanged:
        // Only a new state is news for the timeline; claims and other fields are not.
        if (!change.previousState.isPresent() && !e->call.state.isPresent())
            return;
        if (sameState(change.previousState, e->call.state))
            return;
        entry.kind = TimelineEntry::Kind::StateChanged;
        entry.fromState = change.previousState;
        entry.toState = e->call.state;
        entry.resultInfo = e->call.resultInfo;
        break;
    case CallBookChange::Kind::CallRemoved:
        return;
    case CallBookChange::Kind::ParticipantsChanged: {
        entry.kind = TimelineEntry::Kind::Roster;
        // The change carries the people concerned, before and after: a big roster is not
        // searched for them.
        const auto find = [](const QList<Graph::Participant> &people, const QString &pid) {
            const auto it = std::find_if(people.cbegin(), people.cend(),
                [&pid](const Graph::Participant &p) { return Graph::sameId(p.id, pid); });
            return it == people.cend() ? nullptr : &*it;
        };
        for (const QString &pid : change.added) {
            const Graph::Participant *p = find(change.after, pid);
            entry.joined.append(p ? CallTexts::participantName(*p) : pid);
        }
        for (const QString &pid : change.removed) {
            const Graph::Participant *was = find(change.before, pid);
            entry.left.append(was ? CallTexts::participantName(*was) : pid);
        }
        for (const QString &pid : change.changed) {
            const Graph::Participant *p = find(change.after, pid);
            const Graph::Participant *was = find(change.before, pid);
            if (p && was && was->isMuted != p->isMuted)
                (p->isMuted ? entry.muted : entry.unmuted).append(CallTexts::participantName(*p));
            else
                ++entry.updated;
        }
        break;
    }
    case CallBookChange::Kind::ToneReceived: {
        entry.kind = TimelineEntry::Kind::Tone;
        // The new tone is the one the call did not have before (it may sit anywhere in the list
        // when tones arrive out of order).
        const auto it = std::find_if(e->tones.cbegin(), e->tones.cend(),
            [&](const Graph::ToneInfo &t) { return !before.toneIds.contains(t.sequenceId); });
        if (it == e->tones.cend())
            return;
        entry.tone = it->tone;
        break;
    }
    case CallBookChange::Kind::OperationUpdated:
    case CallBookChange::Kind::OperationFinished: {
        entry.kind = TimelineEntry::Kind::Operation;
        const auto it = std::find_if(
            e->operations.cbegin(), e->operations.cend(), [&](const Graph::CommsOperation &op) {
                return Graph::sameId(op.id, change.operationId);
            });
        entry.operationId = change.operationId;
        if (it != e->operations.cend()) {
            entry.operationType = operationType(it->odataType);
            entry.operationStatus = it->status;
            entry.resultInfo = it->resultInfo;
        }
        break;
    }
    }
    append(callId, std::move(entry));
}

void CallStore::recordRelay(const QString &callId, const StreamEvent &event)
{
    TimelineEntry entry;
    entry.kind = TimelineEntry::Kind::Relay;
    entry.at = event.at;
    entry.seq = event.seq;
    entry.relayKind = event.relayKind();
    const QString field = entry.relayKind == "policy"_L1 ? u"action"_s : u"by"_s;
    entry.who = event.relay.value(field).toString();
    entry.relay = event.relay;
    append(callId, std::move(entry));
}

void CallStore::append(const QString &callId, TimelineEntry entry)
{
    QList<TimelineEntry> &timeline = m_history[normalizeId(callId)].timeline;
    timeline.append(entry);
    if (timeline.size() > m_timelineLimit)
        timeline.remove(0, timeline.size() - m_timelineLimit);
    Q_EMIT timelineAppended(callId, entry);
}

void CallStore::noteEstablished(const QString &callId, const QDateTime &at)
{
    History &history = m_history[normalizeId(callId)];
    if (!history.establishedAt.isValid())
        history.establishedAt = at;
}

} // namespace Models

#pragma once

#include "graph/streamstate.h"
#include "passbudget.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <deque>

namespace Models {

//! One thing that happened to a call, for the detail pane's timeline. It holds structured
//! values only; TimelineModel turns them into (translated) text.
struct TimelineEntry
{
    enum class Kind {
        Created, //!< the call appeared; toState is its first state
        StateChanged, //!< fromState → toState; resultInfo is the call's result, if any
        Roster, //!< joined / left / muted / unmuted (display names), updated: other changes
        Tone, //!< a DTMF tone was received
        Operation, //!< an operation started, progressed or finished (status, resultInfo)
        Relay, //!< relayKind: claimed (who), released, policy (who = action), handled (who),
               //!< expired, ivr (relay: action, menu, digit, target, ...)
        Snapshot, //!< seen in a snapshot after (re)connecting; toState is its state then
    };
    Kind kind = Kind::Created;
    QDateTime at;
    qint64 seq = 0; //!< the stream seq that caused it; the snapshot's seq for Snapshot
    Graph::WireEnum<Graph::CallState> fromState;
    Graph::WireEnum<Graph::CallState> toState;
    Graph::ResultInfo resultInfo;
    QStringList joined;
    QStringList left;
    QStringList muted;
    QStringList unmuted;
    int updated = 0;
    Graph::WireEnum<Graph::Tone> tone;
    QString operationId;
    QString operationType; //!< "playPrompt", "invite", ...: the @odata.type without decoration
    Graph::WireEnum<Graph::OperationStatus> operationStatus;
    QString relayKind;
    QString who;
    QJsonObject relay; //!< Relay: the relay event's fields (an "ivr" event's action, menu, ...)
};

//! The console's copy of the relay's state, fed by the event stream, and the one source of
//! change signals for the item models. It owns a Graph::StreamState and reports every change
//! precisely, so models can insert, change and remove single rows.
//!
//! Call ids in signals are spelled as the CallBook spells them; compare them with
//! Graph::normalizeId or Graph::sameId. Time is passed in, never read: tick(now) drops
//! calls whose retention has passed.
class CallStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallStore)

public:
    static constexpr int DefaultTimelineLimit = 200;

    //! `endedRetention`: how long an ended call stays (the relay's snapshots keep 10 minutes).
    //! The answer deadline is Graph's 15 s until setAnswerDeadline() passes on the relay's.
    explicit CallStore(std::chrono::milliseconds endedRetention = std::chrono::minutes(10),
        QObject *parent = nullptr);
    ~CallStore() override;

    //! Replaces the whole state (after (re)connecting). Emits aboutToReset() and reset().
    //! Timelines of calls still present are kept; new calls start theirs with a Snapshot entry.
    void applySnapshot(Graph::RelayProtocol::Snapshot snapshot);
    //! Applies one stream event and emits a signal for each change it made. Events at or below
    //! seq() change nothing (Duplicate). Returns what StreamState reported.
    Graph::ApplyResult applyEvent(const Graph::RelayProtocol::StreamEvent &event);
    //! Drops calls that ended more than the retention before `now`: for each, aboutToRemove(id)
    //! while it is still in state(), then callRemoved(id) once it is gone. Each call that goes
    //! costs the views a row, so they go in passes of the event loop that each stop once the
    //! passBudget() is spent, starting with the next pass after tick() returns; a snapshot
    //! cancels those that have not gone yet. At least one goes per pass.
    void tick(const QDateTime &now);
    //! Calls due to go that have not gone yet.
    qsizetype expiryPending() const { return qsizetype(m_expiring.size()); }
    //! The budget of the passes that drop expired calls, which other work may share (an
    //! App::FrameQueue does). `budget` must outlive the store; by default it has its own.
    void setPassBudget(PassBudget *budget) { m_passes = budget; }
    PassBudget *passBudget() const { return m_passes; }
    //! The relay's answer deadline, from its hello; applies to calls from the next event on.
    void setAnswerDeadline(std::chrono::milliseconds deadline);
    std::chrono::milliseconds answerDeadline() const { return m_state.answerDeadline(); }

    //! The most timeline entries kept per call; older ones are dropped first.
    void setTimelineLimit(int limit);
    int timelineLimit() const { return m_timelineLimit; }

    const Graph::StreamState &state() const { return m_state; }
    qint64 seq() const { return m_state.seq(); }
    QStringList ids() const { return m_state.book().ids(); } //!< first seen first
    const Graph::CallEntry *entry(const QString &callId) const; //!< nullptr when unknown
    Graph::RelayProtocol::CallMeta meta(const QString &callId) const;
    QList<TimelineEntry> timeline(const QString &callId) const;
    //! When the call was first seen established (or in a later live state); invalid before.
    //! For a call that was already live in a snapshot, the snapshot does not say, and it is
    //! the time the call was first seen.
    QDateTime establishedAt(const QString &callId) const;
    //! The DTMF tones received on the call, in sequence order: "12#".
    QString tones(const QString &callId) const;

Q_SIGNALS:
    void aboutToReset();
    void reset();
    void callAdded(const QString &callId);
    //! The call resource changed (state, result, ...). Its meta may have changed too.
    void callChanged(const QString &callId);
    //! The call is about to go; it is still in state() while this runs.
    void aboutToRemove(const QString &callId);
    void callRemoved(const QString &callId);
    void participantsChanged(const QString &callId, const QStringList &added,
        const QStringList &changed, const QStringList &removed);
    void toneReceived(const QString &callId);
    void operationUpdated(const QString &callId, const QString &operationId);
    //! A relay event changed claimedBy, handledBy or the answer deadline.
    void metaChanged(const QString &callId);
    //! An entry was appended to the call's timeline (the oldest may have been dropped).
    void timelineAppended(const QString &callId, const Models::TimelineEntry &entry);
    void seqChanged(qint64 seq);

private:
    struct History
    {
        QList<TimelineEntry> timeline;
        QDateTime establishedAt;
    };
    struct Before; // what a call looked like before an event, to describe the change

    Before capture(const Graph::RelayProtocol::StreamEvent &event) const;
    void record(const QString &callId, const Graph::RelayProtocol::StreamEvent &event,
        const Graph::CallBookChange &change, const Before &before);
    void recordRelay(const QString &callId, const Graph::RelayProtocol::StreamEvent &event);
    void append(const QString &callId, TimelineEntry entry);
    void noteEstablished(const QString &callId, const QDateTime &at);
    void expireSome();

    Graph::StreamState m_state;
    QHash<QString, History> m_history; // by normalized call id
    int m_timelineLimit = DefaultTimelineLimit;
    std::deque<QString> m_expiring; // due to go, as of m_expireAt
    QDateTime m_expireAt;
    PassBudget m_ownPasses;
    PassBudget *m_passes = &m_ownPasses;
    QTimer m_expireMore;
};

} // namespace Models

Q_DECLARE_METATYPE(Models::TimelineEntry)

#pragma once

#include "types.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

namespace Graph {

//! Everything known about one call.
struct CallEntry
{
    Call call; //!< the call resource, merged from every notification
    QList<Participant> participants; //!< roster order
    QList<ToneInfo> tones; //!< DTMF received, ordered by sequenceId, no repeats
    QList<CommsOperation> operations; //!< operations seen on the call, oldest first
    qint64 rosterSequence = -1; //!< the highest rosterSequenceNumber applied
    QDateTime firstSeenAt;
    QDateTime lastEventAt; //!< when a notification last changed this entry
    QDateTime endedAt; //!< when it reached terminated; invalid while live
    //! CallBook::Memory::Lean: the call resource's JSON as compact text (`call.raw` is empty).
    QByteArray callJson;

    bool isEnded() const { return endedAt.isValid(); }
    //! A linear search: for many lookups in one roster, use ParticipantIndex.
    const Participant *participant(QStringView id) const;
};

//! The participants of one CallEntry by normalized id, for many lookups in one roster. It points
//! into the entry, so it is valid until the entry's roster changes.
class ParticipantIndex final
{
public:
    explicit ParticipantIndex(const CallEntry &entry);
    const Participant *find(const QString &participantId) const;

private:
    QHash<QString, const Participant *> m_byId;
};

//! One precise change, for item models and event streams.
struct CallBookChange
{
    enum class Kind {
        CallAdded,
        CallChanged, //!< the call resource changed (state, resultInfo, ...)
        CallRemoved, //!< dropped from the book (ended long enough ago, or cleared)
        ParticipantsChanged, //!< see added / changed / removed
        ToneReceived, //!< a new tone; it is the call's last in tones unless reordered
        OperationUpdated, //!< operationId was seen or changed, and is still running
        OperationFinished, //!< operationId reached completed or failed
    };
    Kind kind;
    QString callId;
    QStringList added; //!< participant ids, for ParticipantsChanged
    QStringList changed;
    QStringList removed;
    QString operationId; //!< for OperationFinished
    WireEnum<CallState> previousState; //!< for CallChanged: the state before
    //! For ParticipantsChanged: the removed and changed participants as they were, and the
    //! added and changed ones as they are now, so that whoever describes the change need not
    //! search a big roster for them.
    QList<Participant> before;
    QList<Participant> after;
};

//! What applying a notification did.
struct ApplyResult
{
    enum class Outcome {
        Applied, //!< the state changed; see changes
        Duplicate, //!< the state already said this
        Stale, //!< older than what the state already has (reordered)
        Ignored, //!< about nothing the book tracks (see reason)
    };
    Outcome outcome = Outcome::Ignored;
    QList<CallBookChange> changes;
    QString reason; //!< for Stale and Ignored: why, in a few words
};

//! The reducer that applies commsNotifications to the state of calls, participants and
//! operations. The relay and the console both use it, so their views cannot drift apart.
//! It follows the call state machine Graph shows (incoming → establishing → established →
//! terminating → terminated; transferring/transferAccepted and back to established when a
//! transfer fails), ignores duplicates, reordered state and stale roster entries, orders tones
//! by sequenceId, and keeps ended calls for `retainEnded` so that they can still be shown.
//! Time is passed in, never read: the caller owns the clock.
class CallBook final
{
public:
    explicit CallBook(std::chrono::milliseconds retainEnded = std::chrono::minutes(10));

    //! What the book keeps of the JSON it was given.
    enum class Memory {
        //! Every value keeps its JSON tree in `raw`, so that unknown fields can be sent on: the
        //! relay's snapshots. A roster entry exactly as applied is skipped undecoded.
        Full,
        //! For a holder that never sends a value on (the console). Participants and tones keep
        //! no JSON (Graph::dropJson). A roster entry with the rosterSequenceNumber applied is
        //! skipped undecoded (Graph stamps a participant with the roster in which it last
        //! changed); any other is decoded and compared field by field.
        //! A call keeps its JSON as compact text in CallEntry::callJson, parsed again to merge
        //! each update, and `call.raw` stays empty. A roster of 100,000 people takes about a
        //! fifth of the memory, a call about a quarter.
        Lean,
    };
    //! Applies to what is stored from now on, and to reset().
    void setMemory(Memory memory) { m_memory = memory; }
    Memory memory() const { return m_memory; }
    //! Turns an entry kept in full into a lean one (see Memory::Lean).
    static void makeLean(CallEntry &entry);

    ApplyResult apply(const CommsNotification &notification, const QDateTime &at);
    //! Applies a call read with GET or returned by create: like an "updated" notification that
    //! carries the whole resource.
    ApplyResult applyCall(const Call &call, const QDateTime &at);
    //! Ends a call that Graph no longer knows (a GET or keepAlive answered 404). Unknown calls
    //! are Ignored, and a call that already ended keeps Graph's account of it (Duplicate).
    ApplyResult markEnded(const QString &callId, const ResultInfo &result, const QDateTime &at);
    //! Drops calls that ended more than retainEnded before `now`.
    QList<CallBookChange> expire(const QDateTime &now);
    //! Drops one call, whatever its state; false when the book lacks it.
    bool remove(const QString &callId);
    //! The ids of the calls expire(now) would drop, in no particular order. It reads every entry
    //! once and looks none up, so a clock's tick over 10,000 calls stays well under a millisecond.
    QStringList expiring(const QDateTime &now) const;

    //! Replaces the whole state, as a console does with a snapshot.
    void reset(QList<CallEntry> entries);
    void clear();

    const CallEntry *find(QStringView callId) const;
    //! The same; no copy of the id is made when it is normalized already.
    const CallEntry *find(const QString &callId) const;
    //! Call ids in the order the calls were first seen.
    const QStringList &ids() const { return m_order; }
    int size() const { return int(m_order.size()); }
    std::chrono::milliseconds retainEnded() const { return m_retainEnded; }

    //! Whether Graph may move a call from `from` to `to`; anything else is a reordered
    //! notification. Unknown states are always accepted.
    static bool isForwardTransition(CallState from, CallState to);

private:
    CallEntry *findMutable(const QString &callId);
    CallEntry &create(const QString &callId, const QDateTime &at, ApplyResult &result);
    ApplyResult applyCallData(
        const QString &callId, QJsonObject data, bool deleted, const QDateTime &at);
    ApplyResult mergeCallData(
        const QString &callId, QJsonObject data, bool deleted, const QDateTime &at);

    ApplyResult applyRoster(const CommsNotification &n, const QDateTime &at);
    ApplyResult applyOperation(const CommsNotification &n, const QDateTime &at);
    void applyTone(CallEntry &entry, const ToneInfo &tone, ApplyResult &result);

    std::chrono::milliseconds m_retainEnded;
    Memory m_memory = Memory::Full;
    QHash<QString, CallEntry> m_calls; // by normalizeId()
    QStringList m_order; // each entry's call.id as it spells it, first seen first
};

} // namespace Graph

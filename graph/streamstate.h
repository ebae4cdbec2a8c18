#pragma once

#include "callbook.h"
#include "relayprotocol.h"

#include <QHash>

namespace Graph {

using RelayProtocol::StreamEvent;

//! The state an event stream describes: a CallBook fed in seq order, plus what the relay adds to
//! each call (claims, deadlines, who handled it). The relay keeps it from its journal and the
//! console from the stream, so both hold the same state. The same events give the same state, so a
//! restart that replays the journal rebuilds it exactly.
class StreamState
{
public:
    //! `answerDeadline`: how long after it was first seen an incoming call still ringing gets
    //! the unattended policy (CallMeta::answerDeadline).
    explicit StreamState(std::chrono::milliseconds endedRetention = std::chrono::minutes(10),
        std::chrono::milliseconds answerDeadline = std::chrono::seconds(10));

    //! Applies one journaled event; returns what changed (for metrics and policies).
    //! Notifications go through the CallBook at event.at. Relay events: "claimed" {callId, by}
    //! and "released" set claimedBy; "policy" {callId, action: answered|redirected|rejected}
    //! sets handledBy "relay"; "handled" {callId, by} sets handledBy; "expired" {callId} ends
    //! the call with resultInfo 404; "transfer" {callId, outcome: failed} clears claimedBy and
    //! handledBy (the call is back in the queue); "ivr" {callId, flow, action, menu, ...} sets
    //! the CallMeta::ivr* fields (where the caller is in the relay's IVR). Other kinds, and calls
    //! the book lacks, are Ignored. An event with seq <= seq() was applied already: Duplicate, and
    //! nothing changes. CallMeta::answerDeadline is firstSeenAt + answerDeadline while the call is
    //! incoming and nobody has handled it, invalid otherwise.
    ApplyResult apply(const StreamEvent &event);
    //! Drops calls that ended more than endedRetention before `now`.
    QList<CallBookChange> expire(const QDateTime &now);
    //! Drops one call and its meta, whatever its state; false when the book lacks it.
    bool remove(const QString &callId);

    qint64 seq() const { return m_seq; } //!< the seq of the last event applied
    const CallBook &book() const { return m_book; }
    RelayProtocol::CallMeta meta(const QString &callId) const;
    void setMeta(const QString &callId, const RelayProtocol::CallMeta &meta);

    //! The snapshot message's content: live calls and those ended within endedRetention.
    RelayProtocol::Snapshot snapshot() const;

    //! The whole state as a JSON document, for journal checkpoints, and back.
    QByteArray toCheckpoint() const;
    bool restoreCheckpoint(qint64 seq, const QByteArray &state, QString *error);
    //! Replaces the whole state with a snapshot's, as a console does after (re)connecting.
    void reset(RelayProtocol::Snapshot snapshot);

    std::chrono::milliseconds answerDeadline() const { return m_answerDeadline; }
    //! A console learns the relay's deadline from its hello.
    void setAnswerDeadline(std::chrono::milliseconds deadline) { m_answerDeadline = deadline; }
    void setMemory(CallBook::Memory mode) { m_book.setMemory(mode); }

private:
    ApplyResult applyRelay(const StreamEvent &event);
    void syncMeta(const QString &callId);

    std::chrono::milliseconds m_answerDeadline;
    CallBook m_book;
    QHash<QString, RelayProtocol::CallMeta> m_meta; // by normalized call id
    qint64 m_seq = 0;
};

} // namespace Graph

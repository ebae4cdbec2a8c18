#pragma once

#include "graph/codec.h"
#include "relaycontext.h"
#include "relaystate.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

namespace Relay {

//! Follows transfers to their outcome (graph-notes §1.5, DESIGN.md "Transfers are followed to
//! their outcome"). From each journaled call notification it tracks the call's state, in the
//! order Graph reports it (reordered notifications that CallBook would refuse are skipped). A
//! call that was transferring/transferAccepted and then
//! - ends (terminated, possibly after terminating): the relay event "transfer" {callId,
//!   outcome: "completed", code, subcode, message};
//! - returns to established (or hold), which Graph does with resultInfo 500 when the target
//!   could not be reached: "transfer" {callId, outcome: "failed", code, subcode, message},
//!   which puts the call back in the queue (StreamState clears claimedBy and handledBy).
//! A call that Graph forgot during a transfer ("expired") gets no outcome: its end says enough.
class TransferWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferWatch)

public:
    explicit TransferWatch(const RelayContext &context, QObject *parent = nullptr);

    //! Learns the states of the live calls (after a restart); calls already followed keep theirs.
    void start();
    //! One journaled relay event, after it was applied.
    void observeRelay(const StreamEvent &event);
    //! One journaled notification (decoded), after it was applied.
    void observe(const Graph::CommsNotification &n);

private:
    RelayContext m_context;
    QHash<QString, Graph::CallState> m_states; // normalised call id -> last state reported
    QSet<QString> m_transferring; // calls whose transfer has no outcome yet
};

} // namespace Relay

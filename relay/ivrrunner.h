#pragma once

#include "ivrflow.h"
#include "relaycontext.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>

namespace Graph {
class GraphReply;
}

namespace Relay {

//! Drives calls through IVR flows (docs/ivr.md). It answers a call into a flow, plays the menu
//! prompt, subscribes to tones once, and then acts on the events the relay publishes: each new
//! tone (by sequenceId, once), the completion of its own prompts and recordings (matched by
//! clientContext), and operator claims. A timeout for no input runs on the injected clock
//! from the end of a menu's prompt. Wrong digits and timeouts count together; at the flow's
//! maxFailures the call takes the fallback (the operators' queue unless the flow says otherwise).
//!
//! Every step is published as the relay event "ivr" {callId, flow, action, menu, ...}: entered,
//! digit, invalid, timeout, routed, recorded, left. A claim takes the call out of the flow at
//! once: "left" {by}, the timers are void, the playing prompt is cancelled, and nothing more is
//! sent for the call. The runner's state is not journaled: after a restart a call that was in
//! a menu is routed to the operators' queue (start()).
class IvrRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IvrRunner)

public:
    IvrRunner(const RelayContext &context, QList<IvrFlow> flows, QObject *parent = nullptr);

    //! The flow that applies to a ringing call at once (by its caller, or the default flow).
    const IvrFlow *flowForCall(const QString &callId) const;
    //! The flow [policy] flow names, for calls the unattended policy answers; null when none.
    const IvrFlow *policyFlow() const;

    //! Answers the ringing `callId` into `flow` (publishing "policy" answered, reason "ivr",
    //! first). False when it did not (the journal refused the event).
    bool take(const QString &callId, const IvrFlow &flow, const QString &reason);
    //! Once the relay runs: calls the journal shows in a menu were in a flow before a restart,
    //! and their flow cannot resume. Each gets "routed" {target: "operators", reason:
    //! "restart"}: it is answered, and waits in the operators' queue.
    void start();
    //! After events about `callId` were applied.
    void callChanged(const QString &callId);
    //! A relay event was published ("claimed" takes the call out of its flow).
    void relayEvent(const QString &kind, const QString &callId, const QJsonObject &event);

    bool isInFlow(const QString &callId) const;

private:
    enum class Phase {
        Answering, //!< answer sent; waits for established
        Prompting, //!< the menu prompt plays; keys count already
        Waiting, //!< the prompt ended; the no-input timer runs
        Recording, //!< recordResponse runs
        Goodbye, //!< the last prompt plays; then the call is hung up
    };
    struct Session
    {
        QString callId;
        const IvrFlow *flow = nullptr;
        QString menu;
        Phase phase = Phase::Answering;
        int failures = 0;
        quint64 generation = 0; //!< bumped by every step: older timers and prompts are void
        QSet<qint64> tones; //!< the sequenceIds treated (a late key still counts, once)
        QString awaiting; //!< clientContext of the prompt or recording that ends this step
        bool subscribed = false;
        IvrAction current; //!< the action being carried out (Record: its goodbye)
    };
    using SessionPtr = std::shared_ptr<Session>;

    // Each step publishes events, and publishing runs the policies again (re-entrantly): a
    // step holds its session by pointer and checks live() after every publish.
    void enterMenu(const SessionPtr &s, const QString &menu, const QString &before);
    void onTone(const SessionPtr &s, const QString &key);
    void onFailure(const SessionPtr &s, const QString &action, const QString &key);
    void run(const SessionPtr &s, const IvrAction &action);
    void promptEnded(const SessionPtr &s, const QString &recordingLocation, int code);
    void timedOut(const QString &key, quint64 generation);
    //! Plays `uris` with a fresh clientContext, which the session then awaits.
    void play(const SessionPtr &s, const QStringList &uris);
    //! The session ends: nothing more is sent for the call.
    void finish(const Session &s);
    bool live(const SessionPtr &s) const;
    //! False when the journal refused the event; the session has ended then.
    bool publish(const SessionPtr &s, const QString &action, const QJsonObject &fields = {});
    void watch(const QString &callId, const QString &attempted, Graph::GraphReply *reply);

    RelayContext m_context;
    QList<IvrFlow> m_flows;
    QHash<QString, SessionPtr> m_sessions; // by normalised call id
    quint64 m_nextContext = 0;
};

} // namespace Relay

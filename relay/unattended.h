#pragma once

#include "relaycontext.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

namespace Graph {
class GraphReply;
}

namespace Relay {

class Blocklist;
class IvrRunner;

//! What the relay does with a ringing call (relay-contract.md [policy]): a blocklisted caller is
//! rejected at once (reason forbidden); any other call gets, at firstSeenAt + answerDeadline and
//! only if it still rings and nobody handled it (a claim alone is no decision), the unattended
//! action: answer (then the hold prompt once established) or redirect to redirectTarget.
//!
//! Each action is published as the relay event "policy" {callId, action, ...} before its Graph
//! request is sent, so that a racing operator's request through the proxy finds the call
//! handled; a refusal from Graph follows as "policy" {action: "failed", attempted, status, code,
//! message, requestId}. A call is acted on at most once: the state's handledBy, rebuilt from the
//! journal, guards across restarts.
class UnattendedPolicy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnattendedPolicy)

public:
    //! `blocklist` must outlive this object.
    explicit UnattendedPolicy(
        const RelayContext &context, const Blocklist *blocklist, QObject *parent = nullptr);

    //! With IVR flows: a call a flow applies to is answered into it at once, and
    //! unattended=answer with [policy] flow answers into that flow instead of the hold prompt.
    void setIvr(IvrRunner *ivr) { m_ivr = ivr; }

    //! A call that rings: rejects it when blocklisted, otherwise arms its deadline. Calls seen
    //! before, calls that no longer ring and handled calls are left alone.
    void consider(const QString &callId);
    //! After events were applied: the hold prompt for calls the relay answered that are now
    //! established.
    void callChanged(const QString &callId);

private:
    void fire(const QString &callId);
    void reject(const QString &callId, const QString &entry);
    void answer(const QString &callId);
    void redirect(const QString &callId);
    void playHoldPrompt(const QString &callId);
    //! Publishes "policy" {callId, fields...}; false (and the action must not be sent) when
    //! the journal refused it.
    bool publishPolicy(const QString &callId, const QJsonObject &fields);
    //! Counts the request and reports a refusal as "policy" failed. True on success.
    bool finished(const QString &callId, const QString &attempted, const Graph::GraphReply *reply);

    RelayContext m_context;
    const Blocklist *m_blocklist;
    IvrRunner *m_ivr = nullptr;
    QSet<QString> m_considered; // normalised call ids
    QSet<QString> m_acted;
    QSet<QString> m_awaitingPrompt;
};

} // namespace Relay

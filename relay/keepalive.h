#pragma once

#include "relaycontext.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <chrono>

namespace Relay {

//! Keeps answered calls alive (graph-notes §1.7): every call in a connected state (established,
//! hold, transferring, transferAccepted) gets POST .../keepAlive at least every [policy]
//! keepAliveMinutes, on the Clock, the first one keepAliveMinutes after it connected (at once
//! for calls already connected when the relay starts, whose last keepAlive is unknown). A 404
//! means Graph no longer knows the call: the relay event "expired" {callId} ends it. Any other
//! failure is logged and retried at the next round.
class KeepAlive final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeepAlive)

public:
    explicit KeepAlive(const RelayContext &context, QObject *parent = nullptr);

    //! Arms every connected call of the state (after a restart).
    void start();
    //! After events were applied: arms a call that is now connected, forgets one that ended.
    void callChanged(const QString &callId);

private:
    void arm(const QString &callId, std::chrono::milliseconds delay);
    void send(const QString &callId, quint64 generation);

    RelayContext m_context;
    QHash<QString, quint64> m_armed; // normalised call id -> generation of its pending round
    quint64 m_generation = 0;
};

} // namespace Relay

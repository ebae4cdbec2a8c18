#pragma once

#include "graph/clock.h"
#include "journal.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

namespace Relay {

class EventHub;
class Metrics;
class RelayState;

//! A call resource the relay learnt itself (from a create request's answer, or a GET), as the
//! "updated" notification Graph would have sent, marked `"frontdeskSource": source`.
StreamEvent callUpdateEvent(
    const QString &callId, const QJsonObject &resource, const QString &source);

//! The one way events enter the relay: journal them (committed before anything else happens),
//! apply them to the state, and broadcast them to consoles. Callbacks from Graph and the relay's
//! own events (claims, policy, blocklist, ...) both come through here, so seq order, state and
//! stream always agree.
class EventPublisher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventPublisher)

public:
    EventPublisher(Journal *journal, RelayState *state, EventHub *hub, Metrics *metrics,
        Graph::Clock *clock, QObject *parent = nullptr);

    //! Journals, applies and broadcasts `events`, giving each its seq (and `at` when unset).
    //! On a journal failure nothing is applied or sent, and `error` says why.
    bool publish(QList<StreamEvent> &events, QString *error);
    //! A relay event `{"kind": kind, "callId": callId, ...fields}`; false when the journal
    //! refused it.
    bool publishRelay(const QString &kind, const QString &callId, const QJsonObject &fields = {},
        QString *error = nullptr);

Q_SIGNALS:
    //! After the events were journaled, applied and broadcast.
    void published(const QList<Relay::StreamEvent> &events);

private:
    Journal *m_journal;
    RelayState *m_state;
    EventHub *m_hub;
    Metrics *m_metrics;
    Graph::Clock *m_clock;
};

} // namespace Relay

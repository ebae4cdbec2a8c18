#include "eventpublisher.h"

#include "eventhub.h"
#include "metrics.h"
#include "relaystate.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {
Q_LOGGING_CATEGORY(lcEvents, "frontdesk.relay.events")
}

EventPublisher::EventPublisher(Journal *journal, RelayState *state, EventHub *hub, Metrics *metrics,
    Graph::Clock *clock, QObject *parent)
    : QObject(parent)
    , m_journal(journal)
    , m_state(state)
    , m_hub(hub)
    , m_metrics(metrics)
    , m_clock(clock)
{ }

bool EventPublisher::publish(QList<StreamEvent> &events, QString *error)
{
    if (events.isEmpty())
        return true;
    const QDateTime now = m_clock->now();
    // Each event's JSON is written once, for its journal row and its frame to the consoles.
    QList<EventText> texts;
    texts.reserve(events.size());
    for (StreamEvent &event : events) {
        if (!event.at.isValid())
            event.at = now;
        texts.append(eventText(event, now));
    }
    QString why;
    if (!m_journal->append(events, texts, &why)) {
        qCWarning(lcEvents).noquote()
            << u"%1 events not journaled: %2"_s.arg(events.size()).arg(why);
        if (error)
            *error = why;
        return false;
    }
    for (const StreamEvent &event : std::as_const(events))
        m_state->apply(event);
    m_hub->broadcast(events, texts);
    m_metrics->countEvents(int(events.size()));
    Q_EMIT published(events);
    return true;
}

bool EventPublisher::publishRelay(
    const QString &kind, const QString &callId, const QJsonObject &fields, QString *error)
{
    StreamEvent event;
    event.type = StreamEvent::Type::Relay;
    event.relay = fields;
    event.relay.insert("kind"_L1, kind);
    if (!callId.isEmpty())
        event.relay.insert("callId"_L1, callId);
    QList<StreamEvent> events { event };
    const bool ok = publish(events, error);
    if (ok)
        qCInfo(lcEvents).noquote()
            << u"relay event %1 %2 seq %3"_s.arg(kind, callId).arg(events.first().seq);
    return ok;
}

StreamEvent callUpdateEvent(
    const QString &callId, const QJsonObject &resource, const QString &source)
{
    StreamEvent event;
    event.type = StreamEvent::Type::Notification;
    event.notification = QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, u"updated"_s },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + callId) },
        { "resourceData"_L1, resource },
        { "frontdeskSource"_L1, source },
    };
    return event;
}

} // namespace Relay

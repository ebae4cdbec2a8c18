#pragma once

#include <QList>

class QHttpServer;

namespace Graph {
class Clock;
class GraphClient;
} // namespace Graph

namespace Relay {

class EventHub;
struct IvrFlow;
class EventPublisher;
class Journal;
class Metrics;
class OperatorDirectory;
class RelayState;
struct RelayConfig;

//! The parts of a running relay that its components share. RelayService owns them all and
//! outlives every component it hands this to.
struct RelayContext
{
    const RelayConfig *config = nullptr;
    Journal *journal = nullptr;
    RelayState *state = nullptr;
    EventHub *hub = nullptr;
    EventPublisher *publisher = nullptr;
    Metrics *metrics = nullptr;
    const OperatorDirectory *operators = nullptr;
    Graph::GraphClient *graph = nullptr; //!< Graph with the bot's app token
    Graph::Clock *clock = nullptr;
    QHttpServer *http = nullptr; //!< to add routes to
    const QList<IvrFlow> *ivrFlows = nullptr; //!< [ivr] flows, loaded and checked by start()
};

} // namespace Relay

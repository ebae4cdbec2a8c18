#pragma once

#include "eventhub.h"
#include "eventpublisher.h"
#include "graph/clock.h"
#include "ivrflow.h"
#include "relayconfig.h"

#include <QObject>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;

namespace Graph {
class ClientCredentialsTokenSource;
class GraphClient;
} // namespace Graph

namespace Relay {

class ActionGateway;
class Journal;
class JwksProvider;
class Metrics;
class OperatorDirectory;
class PolicyEngine;
class RelayServer;
class RelayState;
class Reminders;

//! The relay put together from a RelayConfig: the journal in dataDir, the state rebuilt from it,
//! the operators, the metrics, the callback keys, the consoles' event stream and the HTTP server,
//! plus the housekeeping that runs on the Clock (expiring ended calls, checkpoints and
//! compaction). main.cpp and the end-to-end tests build one of these; nothing else is global.
//!
//! The housekeeping re-arms itself on the Clock: with a Graph::ManualClock, drive it with
//! advance(), never runAll().
class RelayService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayService)

public:
    struct Timing
    {
        std::chrono::milliseconds expiry { std::chrono::minutes(1) };
        std::chrono::milliseconds checkpoint { std::chrono::minutes(10) };
        //! After shutdown(), how long the consoles' connections may take to deliver their close
        //! frames before drained() is emitted anyway.
        std::chrono::milliseconds drainLimit { std::chrono::seconds(2) };
        EventHub::Timing hub;
    };

    //! `clock` must outlive the service.
    RelayService(RelayConfig config, Graph::Clock *clock, QObject *parent = nullptr);
    RelayService(RelayConfig config, Graph::Clock *clock, Timing timing, QObject *parent = nullptr);
    //! Shuts down first when still running.
    ~RelayService() override;

    //! Creates dataDir, opens the journal, rebuilds the state, loads or fetches the callback keys
    //! and listens. On failure everything started so far is torn down again, the service can be
    //! started anew, and `error` is one line (no secrets).
    bool start(QString *error);
    //! Stops accepting connections, writes a checkpoint, closes every console with 1001 and
    //! closes the journal. Idempotent. drained() follows (queued) once the consoles' connections
    //! are gone, or after Timing::drainLimit.
    void shutdown();
    bool isRunning() const { return m_running; }

    const RelayConfig &config() const { return m_config; }
    //! The address actually listened on ("http://127.0.0.1:PORT/"); port 0 is resolved. Empty
    //! before start().
    QUrl baseUrl() const;
    //! "http://HOST:PORT" (https when the server serves TLS): the start-up line's address.
    QString listeningAddress() const;

    // The parts, for tests and for part 2's routes. Null before start(); the journal is closed
    // after shutdown() but the objects stay until the service is destroyed.
    Journal *journal() const { return m_journal.get(); }
    RelayState *state() const { return m_state.get(); }
    const OperatorDirectory *operators() const { return m_operators.get(); }
    Metrics *metrics() const { return m_metrics.get(); }
    QNetworkAccessManager *network() const { return m_network.get(); }
    JwksProvider *jwks() const { return m_jwks.get(); }
    EventHub *hub() const { return m_hub.get(); }
    EventPublisher *publisher() const { return m_publisher.get(); }
    RelayServer *server() const { return m_server.get(); }
    Graph::GraphClient *graph() const { return m_graph.get(); }
    ActionGateway *actions() const { return m_actions.get(); }
    PolicyEngine *policy() const { return m_policy.get(); }
    Reminders *reminders() const { return m_reminders.get(); }

    //! What the checkpoint timer does: writes a checkpoint of the state when it has moved since
    //! the last one, then compacts the events older than the resume window.
    bool checkpoint(QString *error);
    //! What the expiry timer does: drops calls that ended more than endedRetention ago.
    //! Returns how many changes that made.
    int expireEndedCalls();

Q_SIGNALS:
    //! After shutdown(): the consoles' connections are gone (or drainLimit passed).
    void drained();

private:
    bool openJournal(QString *error);
    void rebuildState();
    bool startKeys(QString *error);
    void scheduleExpiry();
    void scheduleCheckpoint();
    void watchDrain();
    void finishDrain();
    void teardown();

    RelayConfig m_config;
    QList<IvrFlow> m_ivrFlows; //!< [ivr] flows, loaded by start()
    Graph::Clock *m_clock;
    Timing m_timing;
    bool m_running = false;
    bool m_drainPending = false;
    int m_draining = 0;
    quint64 m_generation = 0; // a start's timers stop when a later start or shutdown bumps it
    qint64 m_checkpointSeq = -1;
    // Declared in dependency order: each part only points at parts above it, and they are
    // destroyed from the bottom up.
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<RelayState> m_state;
    std::unique_ptr<OperatorDirectory> m_operators;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<JwksProvider> m_jwks;
    std::unique_ptr<EventHub> m_hub;
    std::unique_ptr<EventPublisher> m_publisher;
    std::unique_ptr<RelayServer> m_server;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> m_tokens;
    std::unique_ptr<Graph::GraphClient> m_graph;
    std::unique_ptr<ActionGateway> m_actions;
    std::unique_ptr<PolicyEngine> m_policy;
    std::unique_ptr<Reminders> m_reminders;
};

} // namespace Relay

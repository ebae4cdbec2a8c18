#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QTemporaryDir;
QT_END_NAMESPACE

namespace Graph {
class Clock;
}

namespace Relay {
class RelayService;
}

namespace Sandbox {
class SandboxServer;
class ScenarioRunner;
struct Scenario;
} // namespace Sandbox

namespace App {

struct SandboxModeOptions
{
    //! >1 plays the scenario and Graph's 15 s ring timeout faster (tests).
    double timeScale = 1.0;
    //! A scenario file; empty plays the built-in front-desk-morning.
    QString scenarioFile;
    bool runScenario = true;
    //! Play the scenario again (with a new seed) each time it has finished.
    bool loop = true;
    std::optional<quint32> seed; //!< the scenario's own seed when absent
    //! The relay's [policy] answerDeadlineSeconds.
    std::chrono::seconds answerDeadline { 10 };
    //! The phone menu demo (docs/ivr.md): the relay answers every call with the example IVR
    //! flow, and the built-in scenario is the one whose callers press its keys.
    bool ivr = false;
};

//! The console's embedded sandbox mode: a local Graph (Sandbox::SandboxServer) and a relay
//! (Relay::RelayService) in this process on loopback, wired to each other as a deployment would
//! be, with a front-desk scenario ringing. The relay knows one operator, "you", a supervisor, so
//! that every action can be tried; its token is random, made at start(), held only in memory
//! and never logged. The relay's journal lives in a temporary folder that goes with this object.
//! Nothing is written to QSettings.
class SandboxMode final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxMode)

public:
    using Options = SandboxModeOptions;

    //! `clock` must outlive this object.
    explicit SandboxMode(Graph::Clock *clock, QObject *parent = nullptr);
    explicit SandboxMode(Graph::Clock *clock, Options options, QObject *parent = nullptr);
    ~SandboxMode() override;

    //! Starts the sandbox, then the relay, points the sandbox's calling webhook at the relay and
    //! starts the scenario. On failure nothing stays running and `error` says why in one line.
    bool start(QString *error);
    //! Stops the scenario, the relay and the sandbox. Idempotent.
    void stop();
    bool isRunning() const { return m_relay != nullptr; }

    //! The relay's base URL, for the session ("http://127.0.0.1:PORT/"). Empty before start().
    QUrl relayUrl() const;
    //! The operator token the relay accepts; empty before start(). Never log it.
    QString operatorToken() const { return m_token; }
    static QString operatorName(); //!< "you"

    Sandbox::SandboxServer *sandbox() const { return m_sandbox.get(); }
    Relay::RelayService *relay() const { return m_relay.get(); }
    //! The scenario playing now, or nullptr.
    Sandbox::ScenarioRunner *scenario() const { return m_runner; }
    const Options &options() const { return m_options; }

    //! The built-in scenario, compiled into the program as a resource.
    static QString builtInScenarioPath();
    //! The scenario and the flow of the phone menu demo (Options::ivr), built in.
    static QString builtInIvrScenarioPath();
    static QString builtInIvrFlowPath();
    //! Reads a scenario from `path` (a resource path too); nullopt with `error` set on failure.
    static std::optional<Sandbox::Scenario> loadScenario(const QString &path, QString *error);

Q_SIGNALS:
    //! The scenario started again after it had finished (Options::loop).
    void scenarioRestarted();

private:
    bool startRelay(QString *error);
    void playScenario(std::optional<quint32> seed);

    Graph::Clock *m_clock;
    Options m_options;
    QString m_token;
    std::unique_ptr<Sandbox::Scenario> m_scenario;
    Sandbox::ScenarioRunner *m_runner = nullptr; // belongs to the sandbox server
    // Destroyed in reverse: the relay (which talks to the sandbox) before the sandbox, and the
    // journal's folder last.
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<Sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<Relay::RelayService> m_relay;
};

} // namespace App

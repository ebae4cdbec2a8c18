#pragma once

// The console's end-to-end fixture: the sandbox as Graph and the relay on loopback, in the test's
// process, for the consoles a test builds (each test wires its own, as main.cpp does).

#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/retrypolicy.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "sandbox/sandboxserver.h"
#include "sandboxasgraph.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace ConsoleE2e {

using namespace Qt::StringLiterals;

//! Retries without waiting: a throttled or failed request is tried again at once.
inline Graph::RetryPolicy fastRetries()
{
    using namespace std::chrono_literals;
    Graph::RetryPolicy policy;
    policy.setBaseDelay(10ms);
    policy.setMaxJitter(0ms);
    return policy;
}

//! The sandbox and the relay. The relay's unattended policy is off, so that only the consoles
//! act on calls; alice is an operator and sam a supervisor, with the tokens the test gives.
struct Backend
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Relay::RelayService> relay;

    //! `adjust` changes the relay's configuration before it starts. Graph's 15 s ring timeout
    //! becomes 7.5 s.
    QString start(quint32 seed, const QString &aliceToken, const QString &samToken,
        const std::function<void(Relay::RelayConfig &)> &adjust = {})
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 2;
        sandboxConfig.seed = seed;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();
        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = 0;
        config.dataDir = dataDir.path();
        TestSupport::useSandboxAsGraph(config, *sandbox);
        config.unattended = Relay::UnattendedMode::None;
        config.operators = {
            { u"alice"_s, Relay::Role::Operator,
                Relay::OperatorDirectory::hashToken(aliceToken.toUtf8()) },
            { u"sam"_s, Relay::Role::Supervisor,
                Relay::OperatorDirectory::hashToken(samToken.toUtf8()) },
        };
        if (adjust)
            adjust(config);
        // Graph must be told the relay's own callback URL: learn the port, then start on it.
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return u"relay: "_s + error;
        config.listenPort = quint16(relay->baseUrl().port());
        config.publicUrl = relay->baseUrl().resolved(QUrl(u"/callbacks"_s));
        relay.reset();
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        if (!relay->start(&error))
            return u"relay: "_s + error;
        relay->graph()->setRetryPolicy(fastRetries());
        sandbox->engine()->setGlobalCallbackUrl(config.publicUrl.toString());
        return {};
    }

    //! A control-API request to the sandbox; the parsed JSON answer.
    QJsonObject control(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        return TestSupport::sandboxControl(nam, *sandbox, verb, path, body);
    }

    //! The call as GET /sandbox/state reports it, participants and operations included.
    QJsonObject sandboxCall(const QString &callId)
    {
        return TestSupport::sandboxCall(nam, *sandbox, callId);
    }
};

} // namespace ConsoleE2e

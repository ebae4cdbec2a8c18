#include "sandboxmode.h"

#include "graph/clock.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "sandbox/sandboxserver.h"
#include "sandbox/scenario.h"

#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcSandboxMode, "frontdesk.console.sandbox")

// The relay's callback URL must be known before it starts (Graph is told it as callbackUri), so
// its port is chosen first; another program may take that port in between, hence a few tries.
constexpr int RelayStartAttempts = 5;

//! 32 random bytes from the system's generator, base64url without padding.
QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

//! A port free on loopback right now.
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

namespace App {

SandboxMode::SandboxMode(Graph::Clock *clock, QObject *parent)
    : SandboxMode(clock, Options {}, parent)
{ }

SandboxMode::SandboxMode(Graph::Clock *clock, Options options, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_options(std::move(options))
{ }

SandboxMode::~SandboxMode()
{
    stop();
}

QString SandboxMode::operatorName()
{
    return u"you"_s;
}

QString SandboxMode::builtInScenarioPath()
{
    return u":/frontdesk/scenarios/front-desk-morning.json"_s;
}

QString SandboxMode::builtInIvrScenarioPath()
{
    return u":/frontdesk/scenarios/ivr-menu.json"_s;
}

QString SandboxMode::builtInIvrFlowPath()
{
    return u":/frontdesk/ivr/frontdesk-example.json"_s;
}

std::optional<Sandbox::Scenario> SandboxMode::loadScenario(const QString &path, QString *error)
{
    return Sandbox::Scenario::load(path, error);
}

QUrl SandboxMode::relayUrl() const
{
    return m_relay ? m_relay->baseUrl() : QUrl();
}

bool SandboxMode::start(QString *error)
{
    const auto fail = [&](const QString &why) {
        stop();
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return true;

    if (m_options.runScenario) {
        QString path = m_options.scenarioFile;
        if (path.isEmpty() && m_options.ivr) {
            path = builtInIvrScenarioPath();
        } else if (path.isEmpty()) {
            path = builtInScenarioPath();
#ifdef FRONTDESK_SCENARIO_SOURCE_PATH
            // A build whose resource went missing still finds the file in its source tree.
            if (!QFile::exists(path))
                path = QString::fromUtf8(FRONTDESK_SCENARIO_SOURCE_PATH);
#endif
        }
        QString why;
        std::optional<Sandbox::Scenario> scenario = loadScenario(path, &why);
        if (!scenario)
            return fail(tr("Sandbox scenario: %1").arg(why));
        m_scenario = std::make_unique<Sandbox::Scenario>(std::move(*scenario));
    }

    Sandbox::ServerConfig sandboxConfig;
    sandboxConfig.timeScale = m_options.timeScale;
    m_sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, m_clock);
    if (!m_sandbox->start())
        return fail(tr("The sandbox could not start: %1").arg(m_sandbox->errorString()));

    m_dataDir = std::make_unique<QTemporaryDir>();
    if (!m_dataDir->isValid())
        return fail(
            tr("No temporary folder for the relay's journal: %1").arg(m_dataDir->errorString()));
    m_token = randomToken();

    QString why;
    if (!startRelay(&why))
        return fail(tr("The relay could not start: %1").arg(why));

    m_sandbox->engine()->setGlobalCallbackUrl(
        m_relay->baseUrl().resolved(QUrl(u"/callbacks"_s)).toString());
    if (m_scenario)
        playScenario(m_options.seed);
    qCInfo(lcSandboxMode).noquote() << "sandbox at" << m_sandbox->baseUrl().toString() << "relay at"
                                    << m_relay->baseUrl().toString();
    return true;
}

bool SandboxMode::startRelay(QString *error)
{
    const Sandbox::ServerConfig &graph = m_sandbox->config();
    const QUrl sandboxUrl = m_sandbox->baseUrl();

    Relay::RelayConfig config;
    config.listenHost = QHostAddress::LocalHost;
    config.dataDir = m_dataDir->path();
    config.graphBaseUrl = sandboxUrl.resolved(QUrl(u"/v1.0"_s));
    config.tokenUrlTemplate =
        sandboxUrl.resolved(QUrl(u"/%1/oauth2/v2.0/token"_s.arg(graph.tenantId))).toString();
    config.tenantId = graph.tenantId;
    config.clientId = graph.clientId;
    config.clientSecret = graph.clientSecret;
    config.jwksUrl = sandboxUrl.resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s));
    config.operators = { Relay::OperatorEntry { operatorName(), Relay::Role::Supervisor,
        Relay::OperatorDirectory::hashToken(m_token.toUtf8()) } };
    config.unattended = Relay::UnattendedMode::Answer;
    config.answerDeadline = m_options.answerDeadline;
    // The sandbox never fetches prompts; a reserved name makes that plain.
    config.holdPromptUri = QUrl(u"https://sandbox.frontdesk.invalid/prompts/hold.wav"_s);
    config.reminderPromptUri = QUrl(u"https://sandbox.frontdesk.invalid/prompts/reminder.wav"_s);
    if (m_options.ivr)
        config.ivrFlowFiles = { builtInIvrFlowPath() };

    QString why = tr("no free port on 127.0.0.1");
    for (int attempt = 0; attempt < RelayStartAttempts; ++attempt) {
        const quint16 port = freeLoopbackPort();
        if (port == 0)
            break;
        config.listenPort = port;
        config.publicUrl = QUrl(u"http://127.0.0.1:%1/callbacks"_s.arg(port));
        auto relay = std::make_unique<Relay::RelayService>(config, m_clock);
        if (relay->start(&why)) {
            m_relay = std::move(relay);
            return true;
        }
    }
    if (error)
        *error = why;
    return false;
}

void SandboxMode::playScenario(std::optional<quint32> seed)
{
    m_runner = m_sandbox->runScenario(*m_scenario, seed);
    if (!m_options.loop)
        return;
    connect(
        m_runner, &Sandbox::ScenarioRunner::finished, this,
        [this] {
            if (!isRunning())
                return;
            // A new seed each time, so that the morning does not repeat itself call for call.
            playScenario(QRandomGenerator::system()->generate());
            Q_EMIT scenarioRestarted();
        },
        Qt::QueuedConnection);
}

void SandboxMode::stop()
{
    if (m_runner)
        m_runner->stop();
    m_runner = nullptr;
    if (m_relay)
        m_relay->shutdown();
    m_relay.reset();
    m_sandbox.reset();
    m_dataDir.reset();
    m_token.clear();
}

} // namespace App

// SandboxMode: the console's embedded sandbox and relay, as a new user gets them with no
// configuration.

#include "app/consolesession.h"
#include "app/sandboxmode.h"
#include "graph/clock.h"
#include "models/callstore.h"
#include "relay/journal.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "sandbox/sandboxserver.h"
#include "sandbox/scenario.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

//! Collects every log line of the process, to prove what never appears in one.
class LogCapture final
{
    Q_DISABLE_COPY_MOVE(LogCapture)

public:
    LogCapture()
    {
        s_lines.clear();
        s_previousFilter = nullptr;
        m_previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                       const QString &message) { s_lines.append(message); });
        // Our categories (and Qt's default one) at every level while the capture lasts,
        // whatever QT_LOGGING_RULES says: a filter has the last word. Qt's own categories keep
        // their rules; qt.httpserver's debug output holds request headers, which is why
        // main.cpp keeps it off.
        s_previousFilter = QLoggingCategory::installFilter([](QLoggingCategory *category) {
            if (s_previousFilter)
                s_previousFilter(category);
            const QByteArrayView name(category->categoryName());
            if (!name.startsWith("frontdesk") && name != "default")
                return;
            for (const QtMsgType type : { QtDebugMsg, QtInfoMsg, QtWarningMsg, QtCriticalMsg })
                category->setEnabled(type, true);
        });
    }
    ~LogCapture()
    {
        QLoggingCategory::installFilter(s_previousFilter);
        qInstallMessageHandler(m_previous);
    }
    //! The first line that contains `text`, or empty.
    QString lineWith(const QString &text) const
    {
        const auto it = std::find_if(
            s_lines.cbegin(), s_lines.cend(), [&](const QString &l) { return l.contains(text); });
        return it == s_lines.cend() ? QString() : *it;
    }
    int size() const { return int(s_lines.size()); }

private:
    static inline QStringList s_lines;
    static inline QLoggingCategory::CategoryFilter s_previousFilter = nullptr;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class TstSandboxMode final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void builtInScenarioIsAResourceOfTheProgram();
    void startsSandboxAndRelayOnLoopback();
    void relayIsConfiguredAgainstTheSandbox();
    void sessionConnectsAsSupervisorAndScenarioCallsArrive();
    void tokenIsRandomAndNeverLogged();
    void nothingIsWrittenToSettings();
    void stopEndsBothServers();
    void badScenarioFileFailsToStartWithItsPath();
    void ivrDemoCallersPressKeysInTheExampleFlow();
};

void TstSandboxMode::initTestCase()
{
    // QSettings must not touch the user's real settings from a test.
    QCoreApplication::setOrganizationName(u"FrontdeskTests"_s);
    QCoreApplication::setApplicationName(u"tst_sandboxmode"_s);
    QSettings::setDefaultFormat(QSettings::IniFormat);
}

void TstSandboxMode::builtInScenarioIsAResourceOfTheProgram()
{
    QVERIFY(App::SandboxMode::builtInScenarioPath().startsWith(u":/"_s));
    QVERIFY(QFile::exists(App::SandboxMode::builtInScenarioPath()));
    QString error;
    const auto scenario =
        App::SandboxMode::loadScenario(App::SandboxMode::builtInScenarioPath(), &error);
    QVERIFY2(scenario, qPrintable(error));
    QCOMPARE(scenario->name, u"front-desk-morning"_s);
}

void TstSandboxMode::startsSandboxAndRelayOnLoopback()
{
    Graph::SystemClock clock;
    App::SandboxMode mode(&clock);
    QVERIFY(!mode.isRunning());
    QString error;
    QVERIFY2(mode.start(&error), qPrintable(error));
    QVERIFY(mode.isRunning());
    QVERIFY(mode.sandbox()->isListening());
    QVERIFY(mode.relay()->isRunning());
    QCOMPARE(mode.sandbox()->baseUrl().host(), u"127.0.0.1"_s);
    QCOMPARE(mode.relayUrl().host(), u"127.0.0.1"_s);
    QVERIFY(mode.relayUrl().port() > 0);

    // The relay answers its health check.
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(mode.relayUrl().resolved(QUrl(u"/healthz"_s))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
}

void TstSandboxMode::relayIsConfiguredAgainstTheSandbox()
{
    Graph::SystemClock clock;
    App::SandboxMode mode(&clock);
    QString error;
    QVERIFY2(mode.start(&error), qPrintable(error));
    const Relay::RelayConfig &config = mode.relay()->config();
    const QUrl sandbox = mode.sandbox()->baseUrl();
    QCOMPARE(config.graphBaseUrl, sandbox.resolved(QUrl(u"/v1.0"_s)));
    QCOMPARE(config.tokenUrl().host(), sandbox.host());
    QCOMPARE(config.tokenUrl().port(), sandbox.port());
    QCOMPARE(config.clientId, mode.sandbox()->config().clientId);
    QCOMPARE(config.clientSecret, mode.sandbox()->config().clientSecret);
    QCOMPARE(config.jwksUrl, sandbox.resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s)));
    QCOMPARE(config.publicUrl, mode.relayUrl().resolved(QUrl(u"/callbacks"_s)));
    QCOMPARE(config.unattended, Relay::UnattendedMode::Answer);
    QCOMPARE(config.answerDeadline, 10s);
    QCOMPARE(config.operators.size(), 1);
    QCOMPARE(config.operators.first().name, u"you"_s);
    QCOMPARE(config.operators.first().role, Relay::Role::Supervisor);
    // The sandbox's calling webhook is the relay.
    QCOMPARE(mode.sandbox()->engine()->config().globalCallbackUrl,
        mode.relayUrl().resolved(QUrl(u"/callbacks"_s)).toString());
    QCOMPARE(mode.sandbox()->config().timeScale, 1.0);
}

void TstSandboxMode::sessionConnectsAsSupervisorAndScenarioCallsArrive()
{
    Graph::SystemClock clock;
    App::SandboxMode::Options options;
    options.timeScale = 4; // the scenario's first calls ring within half a second
    App::SandboxMode mode(&clock, options);
    QString error;
    QVERIFY2(mode.start(&error), qPrintable(error));
    QVERIFY(mode.scenario());
    QCOMPARE(mode.scenario()->name(), u"front-desk-morning"_s);

    QNetworkAccessManager nam;
    Models::CallStore store;
    App::ConsoleSession session(mode.relayUrl(), mode.operatorToken(), &nam, &clock, &store);
    QSignalSpy operatorChanged(&session, &App::ConsoleSession::operatorChanged);
    QSignalSpy incoming(&session, &App::ConsoleSession::incomingCall);
    session.start();
    QTRY_COMPARE(session.connectionStatus(), Gui::ConnectionStatus::Connected);
    QTRY_COMPARE(operatorChanged.size(), 1);
    QCOMPARE(session.operatorName(), u"you"_s);
    QVERIFY(session.isSupervisor());

    // Within a few seconds the scenario's callers ring, and the store shows them ringing.
    QTRY_VERIFY_WITH_TIMEOUT(store.ids().size() >= 2, 5000);
    QVERIFY(incoming.size() >= 1);
    const Graph::CallEntry *first = store.entry(store.ids().first());
    QVERIFY(first);
    QVERIFY(first->call.source.has_value());
    QVERIFY(!first->call.source->identity.displayName().isEmpty());
    QCOMPARE(store.seq(), mode.relay()->journal()->lastSeq());
}

void TstSandboxMode::tokenIsRandomAndNeverLogged()
{
    LogCapture log;
    Graph::SystemClock clock;
    App::SandboxMode one(&clock);
    App::SandboxMode two(&clock);
    QString error;
    QVERIFY2(one.start(&error), qPrintable(error));
    QVERIFY2(two.start(&error), qPrintable(error));
    const QString token = one.operatorToken();
    QVERIFY(token.size() >= 40); // 32 random bytes, base64url
    QVERIFY(token != two.operatorToken());

    QNetworkAccessManager nam;
    Models::CallStore store;
    App::ConsoleSession session(one.relayUrl(), token, &nam, &clock, &store);
    session.start();
    QTRY_COMPARE(session.connectionStatus(), Gui::ConnectionStatus::Connected);
    QTRY_VERIFY(store.seq() > 0);
    QVERIFY(log.size() > 0); // the capture works: the servers and the session did log
    // The line itself would print the token; its start tells where it came from.
    const QString leak = log.lineWith(token);
    QVERIFY2(leak.isEmpty(), qPrintable(leak.left(leak.indexOf(token)) + u"<token>"_s));
}

void TstSandboxMode::nothingIsWrittenToSettings()
{
    QSettings settings;
    settings.clear();
    settings.sync();
    {
        Graph::SystemClock clock;
        App::SandboxMode::Options options;
        options.timeScale = 4;
        App::SandboxMode mode(&clock, options);
        QString error;
        QVERIFY2(mode.start(&error), qPrintable(error));
        QTRY_VERIFY(mode.scenario()->firedCount() > 0); // it has run, not only started
    }
    settings.sync();
    QVERIFY2(settings.allKeys().isEmpty(), qPrintable(settings.allKeys().join(u", "_s)));
}

void TstSandboxMode::stopEndsBothServers()
{
    Graph::SystemClock clock;
    App::SandboxMode mode(&clock);
    QString error;
    QVERIFY2(mode.start(&error), qPrintable(error));
    const QUrl relay = mode.relayUrl();
    mode.stop();
    QVERIFY(!mode.isRunning());
    QVERIFY(mode.operatorToken().isEmpty());
    QVERIFY(!mode.sandbox());

    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(relay.resolved(QUrl(u"/healthz"_s))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(5000));
    QCOMPARE(reply->error(), QNetworkReply::ConnectionRefusedError);
    reply->deleteLater();
}

void TstSandboxMode::badScenarioFileFailsToStartWithItsPath()
{
    Graph::SystemClock clock;
    App::SandboxMode::Options options;
    options.scenarioFile = u"/nonexistent/scenario.json"_s;
    App::SandboxMode mode(&clock, options);
    QString error;
    QVERIFY(!mode.start(&error));
    QVERIFY2(error.contains(u"/nonexistent/scenario.json"_s), qPrintable(error));
    QVERIFY(!mode.isRunning());
    QVERIFY(!mode.sandbox());
}

void TstSandboxMode::ivrDemoCallersPressKeysInTheExampleFlow()
{
    QVERIFY(QFile::exists(App::SandboxMode::builtInIvrFlowPath()));
    Graph::SystemClock clock;
    App::SandboxMode::Options options;
    options.timeScale = 4;
    options.ivr = true;
    App::SandboxMode mode(&clock, options);
    QString error;
    QVERIFY2(mode.start(&error), qPrintable(error));
    QCOMPARE(mode.scenario()->name(), u"ivr-menu"_s);
    QCOMPARE(mode.relay()->config().ivrFlowFiles,
        QStringList { App::SandboxMode::builtInIvrFlowPath() });

    QNetworkAccessManager nam;
    Models::CallStore store;
    App::ConsoleSession session(mode.relayUrl(), mode.operatorToken(), &nam, &clock, &store);
    session.start();
    QTRY_COMPARE(session.connectionStatus(), Gui::ConnectionStatus::Connected);
    // The first caller presses 1 (appointments) and is transferred; the console knows.
    const auto routed = [&store] {
        for (const QString &id : store.ids()) {
            const Graph::RelayProtocol::CallMeta meta = store.meta(id);
            if (meta.ivrStatus == "routed"_L1 && meta.ivrDigits == "1"_L1)
                return meta.ivrTarget;
        }
        return QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(routed(), u"+15550100100"_s, 10000);
}

QTEST_GUILESS_MAIN(TstSandboxMode)
#include "tst_sandboxmode.moc"

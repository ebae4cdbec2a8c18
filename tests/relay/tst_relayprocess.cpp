// Runs the real frontdesk-relay binary, as scripts and operators do (relay-contract.md "Start-up
// and configuration"), and, in process, the RelayService it is made of, with a manual clock for
// its housekeeping.

#include "graph/jwt.h"
#include "relay/journal.h"
#include "relay/operators.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <csignal>
#include <memory>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 30000;
const QString Secret = u"Process-Secret-Do-Not-Print-7f3a"_s;
const QByteArray AliceToken = "alice-console-token";
const QString ClientId = u"app-under-test"_s;
const QString TenantId = u"tenant-under-test"_s;
const QString Issuer = u"https://graph.microsoft.com"_s;

QJsonObject incomingCall(const QString &callId)
{
    return QJsonObject {
        { u"@odata.type"_s, u"#microsoft.graph.commsNotification"_s },
        { u"changeType"_s, u"created"_s },
        { u"resourceUrl"_s, QString(u"/communications/calls/"_s + callId) },
        { u"resourceData"_s,
            QJsonObject { { u"@odata.type"_s, u"#microsoft.graph.call"_s }, { u"id"_s, callId },
                { u"state"_s, u"incoming"_s }, { u"direction"_s, u"incoming"_s } } },
    };
}

QJsonObject callDeleted(const QString &callId)
{
    return QJsonObject {
        { u"@odata.type"_s, u"#microsoft.graph.commsNotification"_s },
        { u"changeType"_s, u"deleted"_s },
        { u"resourceUrl"_s, QString(u"/communications/calls/"_s + callId) },
        { u"resourceData"_s,
            QJsonObject { { u"@odata.type"_s, u"#microsoft.graph.call"_s },
                { u"state"_s, u"terminated"_s } } },
    };
}

QList<Relay::StreamEvent> notifications(const QList<QJsonObject> &bodies, const QDateTime &at)
{
    QList<Relay::StreamEvent> events;
    for (const QJsonObject &body : bodies) {
        Relay::StreamEvent event;
        event.at = at;
        event.notification = body;
        events.append(event);
    }
    return events;
}

// What RelayServer does with a verified callback: journal, then apply.
bool journalAndApply(
    Relay::RelayService &service, const QList<QJsonObject> &bodies, const QDateTime &at)
{
    QList<Relay::StreamEvent> events = notifications(bodies, at);
    QString error;
    if (!service.journal()->append(events, &error)) {
        qWarning().noquote() << error;
        return false;
    }
    for (const Relay::StreamEvent &event : std::as_const(events))
        service.state()->apply(event);
    return true;
}

const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString CallB = u"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"_s;

struct Entry
{
    QString section;
    QString key;
    QString value;
};

} // namespace

class TstRelayProcess final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void servesHealthzPrintsOneLineAndExitsZeroOnSigterm();
    void sigintAlsoExitsZero();
    void consoleIsClosedWith1001OnSigterm();
    void restartRecoversSeqAndStreamFromTheJournal();
    void badConfigExitsTwoWithOneLineNamingTheKey_data();
    void badConfigExitsTwoWithOneLineNamingTheKey();
    void helpListsEveryOptionAndKey();
    void versionPrintsTheVersion();
    void serviceExpiresCheckpointsAndCompactsOnTheClock();
    void serviceRebuildsStateFromCheckpointAndLaterEvents();
    void serviceStartFailureNamesTheProblem();

private:
    Relay::RelayConfig serviceConfig(const QString &dataDir) const;
    //! The config file: the base entries with `changes` applied ("section/key=value" sets,
    //! "-section/key" removes).
    QString writeConfig(const QStringList &changes = {});
    QProcess *launch(const QStringList &arguments, const QProcessEnvironment &env);
    QProcessEnvironment environment() const;
    //! Starts a relay on a free port with its data in `dataDir`; returns its base URL, or an
    //! empty one (after failing the test) when it did not come up.
    QUrl startRelay(const QString &dataDir, QProcess **process);
    static bool finishes(QProcess *process);
    QJsonObject getHealth(const QUrl &base);
    QByteArray signedCallbackToken() const;

    QTemporaryDir m_dir;
    Graph::JwtSigner m_signer;
    QString m_jwksFile;
    int m_files = 0;
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

void TstRelayProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(FRONTDESK_RELAY_BINARY)), FRONTDESK_RELAY_BINARY);
    m_signer = Graph::JwtSigner::generate(u"process-key"_s);
    QVERIFY(m_signer.isValid());
    m_jwksFile = m_dir.filePath(u"keys.json"_s);
    QFile file(m_jwksFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_signer.jwksJson());

    // An IVR flow whose menu sends a key to a menu that does not exist (docs/ivr.md).
    QFile flow(m_dir.filePath(u"bad-flow.json"_s));
    QVERIFY(flow.open(QIODevice::WriteOnly));
    flow.write(R"({"name": "frontdesk", "default": true, "start": "main", "menus": {"main": {
        "prompt": "https://media.example.org/main.wav",
        "choices": {"4": {"do": "menu", "menu": "x"}}}}})");
}

void TstRelayProcess::cleanup()
{
    for (const auto &process : m_processes) {
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(Timeout);
        }
    }
    m_processes.clear();
}

QString TstRelayProcess::writeConfig(const QStringList &changes)
{
    const QString aliceHash =
        QString::fromLatin1(Relay::OperatorDirectory::hashToken(AliceToken).toHex());
    QList<Entry> entries {
        // Both are overridden on the command line in every test that starts the relay.
        { u"server"_s, u"listen"_s, u"127.0.0.1:1"_s },
        { u"server"_s, u"dataDir"_s, u"/nonexistent/frontdesk-relay"_s },
        { u"graph"_s, u"tenantId"_s, TenantId },
        { u"graph"_s, u"clientId"_s, ClientId },
        { u"callbacks"_s, u"publicUrl"_s, u"http://127.0.0.1:9/callbacks"_s },
        { u"callbacks"_s, u"jwksFile"_s, m_jwksFile },
        { u"callbacks"_s, u"issuers"_s, Issuer },
        { u"operators"_s, u"alice"_s, u"operator:"_s + aliceHash },
        { u"policy"_s, u"answerDeadlineSeconds"_s, u"10"_s },
    };
    for (const QString &change : changes) {
        const bool remove = change.startsWith(u'-');
        const QString path = remove ? change.mid(1) : change.section(u'=', 0, 0);
        const QString section = path.section(u'/', 0, 0);
        const QString key = path.section(u'/', 1);
        const auto it = std::find_if(entries.begin(), entries.end(),
            [&](const Entry &e) { return e.section == section && e.key == key; });
        if (remove && it != entries.end())
            entries.erase(it);
        else if (it != entries.end())
            it->value = change.section(u'=', 1);
        else if (!remove)
            entries.append({ section, key, change.section(u'=', 1) });
    }
    QMap<QString, QByteArray> sections;
    QStringList order;
    for (const Entry &e : std::as_const(entries)) {
        if (!order.contains(e.section))
            order.append(e.section);
        sections[e.section] += e.key.toUtf8() + '=' + e.value.toUtf8() + '\n';
    }
    QByteArray text;
    for (const QString &section : std::as_const(order))
        text += '[' + section.toUtf8() + "]\n" + sections.value(section);

    const QString path = m_dir.filePath(u"relay-%1.ini"_s.arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

QProcessEnvironment TstRelayProcess::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_s, Secret);
    return env;
}

QProcess *TstRelayProcess::launch(const QStringList &arguments, const QProcessEnvironment &env)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(env);
    process->setProgram(QStringLiteral(FRONTDESK_RELAY_BINARY));
    process->setArguments(arguments);
    process->start();
    m_processes.push_back(std::move(process));
    return m_processes.back().get();
}

bool TstRelayProcess::finishes(QProcess *process)
{
    return process->state() == QProcess::NotRunning || process->waitForFinished(Timeout);
}

QUrl TstRelayProcess::startRelay(const QString &dataDir, QProcess **out)
{
    QProcess *process = launch(
        { u"--config"_s, writeConfig(), u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, dataDir },
        environment());
    *out = process;
    if (!process->waitForStarted(Timeout))
        return {};
    const bool ready = QTest::qWaitFor(
        [process] { return process->canReadLine() || process->state() == QProcess::NotRunning; },
        Timeout);
    if (!ready || !process->canReadLine()) {
        qWarning().noquote() << "the relay did not come up:" << process->readAllStandardError();
        return {};
    }
    const QString line = QString::fromUtf8(process->readLine());
    static const QRegularExpression Ready(u"^listening on (http://127\\.0\\.0\\.1:([0-9]+))\n$"_s);
    const QRegularExpressionMatch match = Ready.match(line);
    if (!match.hasMatch() || match.captured(2).toInt() == 0) {
        qWarning().noquote() << "unexpected first line:" << line;
        return {};
    }
    return QUrl(match.captured(1));
}

QJsonObject TstRelayProcess::getHealth(const QUrl &base)
{
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    QUrl url = base;
    url.setPath(u"/healthz"_s);
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(url)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(Timeout))
        return {};
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

QByteArray TstRelayProcess::signedCallbackToken() const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return m_signer.sign(QJsonObject {
        { u"iss"_s, Issuer },
        { u"aud"_s, ClientId },
        { u"tid"_s, TenantId },
        { u"iat"_s, now },
        { u"nbf"_s, now - 10 },
        { u"exp"_s, now + 600 },
    });
}

void TstRelayProcess::servesHealthzPrintsOneLineAndExitsZeroOnSigterm()
{
    const QString dataDir = m_dir.filePath(u"data-healthz"_s);
    QProcess *process = nullptr;
    const QUrl base = startRelay(dataDir, &process);
    QVERIFY(base.isValid());

    const QJsonObject health = getHealth(base);
    QCOMPARE(health.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(health.value("seq"_L1).toInteger(-1), 0);

    process->terminate(); // SIGTERM
    QVERIFY(finishes(process));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 0);

    // The ready line was the only thing on stdout.
    QCOMPARE(process->readAllStandardOutput(), QByteArray());
    const QByteArray errors = process->readAllStandardError();
    QVERIFY(!errors.contains(Secret.toUtf8()));
    QVERIFY(QFile::exists(dataDir + u"/journal.sqlite"_s));
}

void TstRelayProcess::sigintAlsoExitsZero()
{
    QProcess *process = nullptr;
    const QUrl base = startRelay(m_dir.filePath(u"data-sigint"_s), &process);
    QVERIFY(base.isValid());
    QCOMPARE(::kill(pid_t(process->processId()), SIGINT), 0);
    QVERIFY(finishes(process));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 0);
}

void TstRelayProcess::consoleIsClosedWith1001OnSigterm()
{
    QProcess *process = nullptr;
    const QUrl base = startRelay(m_dir.filePath(u"data-console"_s), &process);
    QVERIFY(base.isValid());

    QWebSocket console;
    console.setProxy(QNetworkProxy::NoProxy);
    QSignalSpy messages(&console, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&console, &QWebSocket::disconnected);
    QUrl url = base;
    url.setScheme(u"ws"_s);
    url.setPath(u"/events"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + AliceToken);
    console.open(request);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), Timeout);
    const QJsonObject hello =
        QJsonDocument::fromJson(messages.constFirst().constFirst().toString().toUtf8()).object();
    QCOMPARE(hello.value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(hello.value("operator"_L1).toObject().value("name"_L1).toString(), u"alice"_s);

    process->terminate();
    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty(), Timeout);
    QCOMPARE(console.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QVERIFY(finishes(process));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 0);
}

void TstRelayProcess::restartRecoversSeqAndStreamFromTheJournal()
{
    const QString dataDir = m_dir.filePath(u"data-restart"_s);
    const auto helloStream = [](const QUrl &base) -> QString {
        QWebSocket console;
        console.setProxy(QNetworkProxy::NoProxy);
        QSignalSpy messages(&console, &QWebSocket::textMessageReceived);
        QUrl url = base;
        url.setScheme(u"ws"_s);
        url.setPath(u"/events"_s);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + AliceToken);
        console.open(request);
        if (!QTest::qWaitFor([&] { return !messages.isEmpty(); }, Timeout))
            return {};
        const QJsonObject hello =
            QJsonDocument::fromJson(messages.constFirst().constFirst().toString().toUtf8())
                .object();
        return hello.value("stream"_L1).toString();
    };

    QProcess *first = nullptr;
    const QUrl base = startRelay(dataDir, &first);
    QVERIFY(base.isValid());
    const QString stream = helloStream(base);
    QVERIFY(!stream.isEmpty());

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    QUrl url = base;
    url.setPath(u"/callbacks"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", "Bearer " + signedCallbackToken());
    const QJsonObject notification {
        { u"@odata.type"_s, u"#microsoft.graph.commsNotification"_s },
        { u"changeType"_s, u"created"_s },
        { u"resourceUrl"_s, u"/communications/calls/2f1a0000-1111-2222-3333-444455556666"_s },
        { u"resourceData"_s,
            QJsonObject { { u"@odata.type"_s, u"#microsoft.graph.call"_s },
                { u"id"_s, u"2f1a0000-1111-2222-3333-444455556666"_s },
                { u"state"_s, u"incoming"_s }, { u"direction"_s, u"incoming"_s } } },
    };
    const QByteArray body =
        QJsonDocument(QJsonObject { { u"value"_s, QJsonArray { notification } } })
            .toJson(QJsonDocument::Compact);
    std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(Timeout));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    QCOMPARE(getHealth(base).value("seq"_L1).toInteger(-1), 1);

    first->terminate();
    QVERIFY(finishes(first));
    QCOMPARE(first->exitCode(), 0);

    QProcess *second = nullptr;
    const QUrl again = startRelay(dataDir, &second);
    QVERIFY(again.isValid());
    QCOMPARE(getHealth(again).value("seq"_L1).toInteger(-1), 1);
    QCOMPARE(helloStream(again), stream);
    second->terminate();
    QVERIFY(finishes(second));
    QCOMPARE(second->exitCode(), 0);
}

void TstRelayProcess::badConfigExitsTwoWithOneLineNamingTheKey_data()
{
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QStringList>("extraArguments");
    QTest::addColumn<QString>("secret"); // FRONTDESK_RELAY_GRAPH_CLIENTSECRET
    QTest::addColumn<QString>("named");

    QTest::newRow("answerDeadlineSeconds out of range")
        << QStringList { u"policy/answerDeadlineSeconds=20"_s } << QStringList() << Secret
        << u"[policy] answerDeadlineSeconds: must be between 1 and 14 (got 20)"_s;
    QTest::newRow("clientId missing")
        << QStringList { u"-graph/clientId"_s } << QStringList() << Secret << u"[graph] clientId"_s;
    QTest::newRow("publicUrl missing") << QStringList { u"-callbacks/publicUrl"_s } << QStringList()
                                       << Secret << u"[callbacks] publicUrl"_s;
    QTest::newRow("operator hash malformed")
        << QStringList { u"operators/alice=operator:"_s + Secret } << QStringList() << Secret
        << u"[operators] alice"_s;
    QTest::newRow("clientSecret with a line break")
        << QStringList() << QStringList() << Secret + u"\nsecond-line"_s
        << u"[graph] clientSecret"_s;
    QTest::newRow("invalid IVR flow")
        << QStringList { u"ivr/flows=bad-flow.json"_s } << QStringList() << Secret
        << u"[ivr] flows: "_s + m_dir.filePath(u"bad-flow.json"_s)
            + u": menu 'main': choice '4' goes to unknown menu 'x'"_s;
    QTest::newRow("bad --listen") << QStringList() << QStringList { u"--listen"_s, u"localhost"_s }
                                  << Secret << u"--listen"_s;
    QTest::newRow("missing config file")
        << QStringList() << QStringList { u"--config"_s, u"/nonexistent/relay.ini"_s } << Secret
        << u"/nonexistent/relay.ini"_s;
}

void TstRelayProcess::badConfigExitsTwoWithOneLineNamingTheKey()
{
    QFETCH(QStringList, changes);
    QFETCH(QStringList, extraArguments);
    QFETCH(QString, secret);
    QFETCH(QString, named);

    QStringList arguments { u"--config"_s, writeConfig(changes), u"--data-dir"_s,
        m_dir.filePath(u"data-bad"_s) };
    if (extraArguments.value(0) == "--config"_L1)
        arguments = extraArguments;
    else
        arguments += extraArguments;
    QProcessEnvironment env = environment();
    env.insert(u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_s, secret);
    QProcess *process = launch(arguments, env);
    QVERIFY(finishes(process));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 2);

    const QByteArray out = process->readAllStandardOutput();
    const QByteArray err = process->readAllStandardError();
    QCOMPARE(out, QByteArray());
    QVERIFY2(err.endsWith('\n') && err.count('\n') == 1, err.constData());
    QVERIFY2(err.contains(named.toUtf8()), err.constData());
    QVERIFY(!err.contains(Secret.toUtf8()));
    QVERIFY(!err.contains("second-line"));
}

void TstRelayProcess::helpListsEveryOptionAndKey()
{
    QProcess *process = launch({ u"--help"_s }, environment());
    QVERIFY(finishes(process));
    QCOMPARE(process->exitCode(), 0);
    const QString help = QString::fromUtf8(process->readAllStandardOutput());
    const QStringList expected {
        u"--config"_s,
        u"--listen"_s,
        u"--data-dir"_s,
        u"--help"_s,
        u"--version"_s,
        u"FRONTDESK_RELAY_<SECTION>_<KEY>"_s,
        u"[server]"_s,
        u"listen"_s,
        u"dataDir"_s,
        u"maxBodyBytes"_s,
        u"certificate"_s,
        u"privateKey"_s,
        u"[graph]"_s,
        u"baseUrl"_s,
        u"tokenUrl"_s,
        u"tenantId"_s,
        u"clientId"_s,
        u"clientSecret"_s,
        u"[callbacks]"_s,
        u"publicUrl"_s,
        u"jwksUrl"_s,
        u"jwksFile"_s,
        u"issuers"_s,
        u"[operators]"_s,
        u"ROLE:SHA256HEX"_s,
        u"[policy]"_s,
        u"answerDeadlineSeconds"_s,
        u"unattended"_s,
        u"holdPromptUri"_s,
        u"redirectTarget"_s,
        u"blocklist"_s,
        u"[journal]"_s,
        u"resumeWindowHours"_s,
        u"endedRetentionMinutes"_s,
    };
    for (const QString &item : expected)
        QVERIFY2(help.contains(item), qPrintable(item));
    QVERIFY(!help.contains(Secret));
}

void TstRelayProcess::versionPrintsTheVersion()
{
    QProcess *process = launch({ u"--version"_s }, environment());
    QVERIFY(finishes(process));
    QCOMPARE(process->exitCode(), 0);
    QCOMPARE(process->readAllStandardOutput(), "frontdesk-relay 0.1.0\n"_ba);
}

Relay::RelayConfig TstRelayProcess::serviceConfig(const QString &dataDir) const
{
    Relay::RelayConfig config;
    config.listenHost = QHostAddress(QHostAddress::LocalHost);
    config.listenPort = 0;
    config.dataDir = dataDir;
    config.tenantId = TenantId;
    config.clientId = ClientId;
    config.publicUrl = QUrl(u"http://127.0.0.1:9/callbacks"_s);
    config.jwksFile = m_jwksFile;
    config.issuers = { Issuer };
    config.operators = { { u"alice"_s, Relay::Role::Operator,
        Relay::OperatorDirectory::hashToken(AliceToken) } };
    return config;
}

void TstRelayProcess::serviceExpiresCheckpointsAndCompactsOnTheClock()
{
    Graph::ManualClock clock;
    Relay::RelayService service(serviceConfig(m_dir.filePath(u"svc-clock"_s)), &clock);
    QSignalSpy drained(&service, &Relay::RelayService::drained);
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    QVERIFY(service.baseUrl().port() > 0);
    QVERIFY(service.listeningAddress().startsWith("http://127.0.0.1:"_L1));

    QVERIFY(journalAndApply(service, { incomingCall(CallA), callDeleted(CallA) }, clock.now()));
    QCOMPARE(service.state()->seq(), qint64(2));
    QCOMPARE(service.state()->snapshot().calls.size(), qsizetype(1));
    QVERIFY(!service.journal()->latestCheckpoint());

    // Ended calls stay for endedRetention (10 min); the minute's expiry after it drops them. The
    // checkpoint comes every 10 minutes.
    clock.advance(9min);
    QCOMPARE(service.state()->snapshot().calls.size(), qsizetype(1));
    QVERIFY(!service.journal()->latestCheckpoint());
    clock.advance(2min);
    QCOMPARE(service.state()->snapshot().calls.size(), qsizetype(0));
    QCOMPARE(service.journal()->latestCheckpoint()->seq, qint64(2));

    // The events stay resumable for resumeWindow (24 h), then the checkpoint replaces them.
    QCOMPARE(service.journal()->firstSeq(), qint64(1));
    clock.advance(23h);
    QCOMPARE(service.journal()->firstSeq(), qint64(1));
    clock.advance(1h);
    QCOMPARE(service.journal()->firstSeq(), qint64(3));
    QCOMPARE(service.journal()->lastSeq(), qint64(2));

    service.shutdown();
    QVERIFY(!service.isRunning());
    QVERIFY(drained.wait(Timeout));
    service.shutdown(); // idempotent
    QCOMPARE(drained.size(), qsizetype(1));
}

void TstRelayProcess::serviceRebuildsStateFromCheckpointAndLaterEvents()
{
    const QString dataDir = m_dir.filePath(u"svc-rebuild"_s);
    Graph::ManualClock clock;
    QString error;
    QString stream;
    {
        Relay::RelayService first(serviceConfig(dataDir), &clock);
        QVERIFY2(first.start(&error), qPrintable(error));
        stream = first.journal()->streamId();
        QVERIFY(journalAndApply(first, { incomingCall(CallA) }, clock.now()));
        first.shutdown(); // writes the checkpoint at seq 1
    }
    {
        // An event journaled after the last checkpoint (as before a kill -9).
        Relay::Journal journal(dataDir + u"/journal.sqlite"_s, u"tst_relayprocess.extra"_s);
        QVERIFY2(journal.open(&error), qPrintable(error));
        QCOMPARE(journal.latestCheckpoint()->seq, qint64(1));
        QList<Relay::StreamEvent> later = notifications({ incomingCall(CallB) }, clock.now());
        QVERIFY2(journal.append(later, &error), qPrintable(error));
        journal.close();
    }

    Relay::RelayService second(serviceConfig(dataDir), &clock);
    QVERIFY2(second.start(&error), qPrintable(error));
    QCOMPARE(second.journal()->streamId(), stream);
    QCOMPARE(second.state()->seq(), qint64(2));
    QStringList ids;
    for (const auto &call : second.state()->snapshot().calls)
        ids.append(call.entry.call.id);
    ids.sort();
    QCOMPARE(ids, QStringList({ CallA, CallB }));
}

void TstRelayProcess::serviceStartFailureNamesTheProblem()
{
    Graph::ManualClock clock;
    // dataDir below a file cannot be created.
    const QString file = m_dir.filePath(u"a-file"_s);
    QFile touch(file);
    QVERIFY(touch.open(QIODevice::WriteOnly));
    touch.close();
    Relay::RelayService service(serviceConfig(file + u"/data"_s), &clock);
    QString error;
    QVERIFY(!service.start(&error));
    QVERIFY2(error.startsWith("[server] dataDir: "_L1), qPrintable(error));
    QVERIFY(!service.isRunning());
    QVERIFY(!service.journal());
    QVERIFY(!service.server());
}

QTEST_GUILESS_MAIN(TstRelayProcess)
#include "tst_relayprocess.moc"

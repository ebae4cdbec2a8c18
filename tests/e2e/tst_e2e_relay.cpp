// Sandbox → relay → console, end to end: the sandbox plays Graph and signs its callbacks, the
// relay verifies, journals and streams them, and the console's own RelayConnection and CallStore
// receive them. The console's final state must be the sandbox's.

#include "app/relayconnection.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "models/callstore.h"
#include "relay/journal.h"
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
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString OperatorToken = u"e2e-operator-token"_s;

//! The whole system in one process.
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Relay::RelayService> relay;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> tokens;
    std::unique_ptr<Graph::GraphClient> graph;
    std::unique_ptr<Models::CallStore> store;
    std::unique_ptr<App::RelayConnection> console;

    QString start()
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 5; // Graph's 15 s ring timeout becomes 3 s
        sandboxConfig.seed = 7;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();

        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = 0;
        config.dataDir = dataDir.path();
        config.graphBaseUrl = sandbox->baseUrl().resolved(QUrl(u"/v1.0"_s));
        config.tenantId = sandboxConfig.tenantId;
        config.clientId = sandboxConfig.clientId;
        config.clientSecret = sandboxConfig.clientSecret;
        config.jwksUrl = sandbox->baseUrl().resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s));
        config.publicUrl = QUrl(u"http://127.0.0.1/callbacks"_s); // set once the port is known
        config.operators = { Relay::OperatorEntry { u"alice"_s, Relay::Role::Operator,
            Relay::OperatorDirectory::hashToken(OperatorToken.toUtf8()) } };
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return u"relay: "_s + error;
        const QString callbacks = relay->baseUrl().resolved(QUrl(u"/callbacks"_s)).toString();
        sandbox->engine()->setGlobalCallbackUrl(callbacks);

        Graph::ClientCredentialsTokenSource::Config tokenConfig;
        tokenConfig.tokenUrl = sandbox->baseUrl().resolved(
            QUrl(u"/%1/oauth2/v2.0/token"_s.arg(sandboxConfig.tenantId)));
        tokenConfig.clientId = sandboxConfig.clientId;
        tokenConfig.clientSecret = sandboxConfig.clientSecret;
        tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(&nam, &clock, tokenConfig);
        graph =
            std::make_unique<Graph::GraphClient>(&nam, tokens.get(), &clock, config.graphBaseUrl);

        store = std::make_unique<Models::CallStore>();
        console = std::make_unique<App::RelayConnection>(relay->baseUrl(), &clock);
        QObject::connect(console.get(), &App::RelayConnection::helloReceived, store.get(),
            [this](const Graph::RelayProtocol::Hello &hello) {
                if (hello.answerDeadlineSeconds > 0)
                    store->setAnswerDeadline(std::chrono::seconds(hello.answerDeadlineSeconds));
            });
        QObject::connect(console.get(), &App::RelayConnection::snapshotReceived, store.get(),
            [this](const Graph::RelayProtocol::Snapshot &s) { store->applySnapshot(s); });
        QObject::connect(console.get(), &App::RelayConnection::eventReceived, store.get(),
            [this](const Graph::RelayProtocol::StreamEvent &e) { store->applyEvent(e); });
        console->setToken(OperatorToken);
        console->open();
        return {};
    }

    QString callbackUrl() const
    {
        return relay->baseUrl().resolved(QUrl(u"/callbacks"_s)).toString();
    }

    //! A control-API request to the sandbox; the parsed JSON answer.
    QJsonObject control(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        return TestSupport::sandboxControl(nam, *sandbox, verb, path, body);
    }

    //! Runs a GraphClient request to its end; true when Graph answered 2xx.
    bool finish(Graph::GraphReply *reply, QString *why = nullptr)
    {
        return TestSupport::finishGraphRequest(reply, why);
    }

    //! Every call of the sandbox, as Graph resources with their participants.
    QHash<QString, QJsonObject> sandboxCalls()
    {
        QHash<QString, QJsonObject> calls;
        for (const QJsonValue &v : control("GET", u"/sandbox/state"_s).value("calls"_L1).toArray())
            calls.insert(v.toObject().value("id"_L1).toString(), v.toObject());
        return calls;
    }

    const Graph::CallEntry *consoleCall(const QString &id) const { return store->entry(id); }
};

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList participantIds(const QJsonObject &call)
{
    QStringList ids;
    for (const QJsonValue &p : call.value("participants"_L1).toArray())
        ids.append(p.toObject().value("id"_L1).toString());
    return sorted(ids);
}

QStringList participantIds(const Graph::CallEntry *entry)
{
    QStringList ids;
    if (entry) {
        for (const Graph::Participant &p : entry->participants)
            ids.append(p.id);
    }
    return sorted(ids);
}

QString consoleState(const System &system, const QString &id)
{
    const Graph::CallEntry *entry = system.consoleCall(id);
    return entry ? entry->call.state.text : QString();
}

} // namespace

class TstE2eRelay final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullLifecycleReachesTheConsoleAsInTheSandbox();
    void groupCallRosterOfFiftyMatchesTheSandbox();
    void consoleResumesAfterRelayRestartWithoutLosingEvents();
};

void TstE2eRelay::fullLifecycleReachesTheConsoleAsInTheSandbox()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE(system.console->state(), App::RelayConnection::State::Connected);

    // A caller rings: the console shows the incoming call.
    const QString callId = system
                               .control("POST", u"/sandbox/incoming"_s,
                                   QJsonObject { { "from"_L1,
                                       QJsonObject { { "displayName"_L1, u"Irina Smirnova"_s },
                                           { "phone"_L1, u"+74951234567"_s } } } })
                               .value("callId"_L1)
                               .toString();
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(consoleState(system, callId), u"incoming"_s);
    QCOMPARE(system.consoleCall(callId)->call.source->identity.phoneNumber(), u"+74951234567"_s);

    // The bot answers through Graph's API, with the relay as its callback URI.
    Graph::AnswerParams answer;
    answer.callbackUri = system.callbackUrl();
    QString why;
    QVERIFY2(system.finish(system.graph->answer(callId, answer), &why), qPrintable(why));
    QTRY_COMPARE(consoleState(system, callId), u"established"_s);
    QTRY_COMPARE(system.consoleCall(callId)->participants.size(), 2);

    // Keys pressed after a subscription reach the console in order.
    QVERIFY2(
        system.finish(system.graph->subscribeToTone(callId, u"menu"_s), &why), qPrintable(why));
    system.control(
        "POST", u"/sandbox/calls/%1/tones"_s.arg(callId), QJsonObject { { "tones"_L1, u"12#"_s } });
    QTRY_COMPARE(system.store->tones(callId), u"12#"_s);

    // The bot hangs up: terminating, then terminated.
    QVERIFY2(system.finish(system.graph->hangUp(callId), &why), qPrintable(why));
    QTRY_COMPARE(consoleState(system, callId), u"terminated"_s);

    // The console ends where the sandbox is, and where the relay is.
    const QHash<QString, QJsonObject> sandboxCalls = system.sandboxCalls();
    QVERIFY(sandboxCalls.contains(callId));
    const Graph::Call sandboxCall = Graph::decodeCall(sandboxCalls.value(callId));
    QCOMPARE(system.consoleCall(callId)->call.state.value, sandboxCall.state.value);
    QCOMPARE(system.consoleCall(callId)->call.resultInfo.code, sandboxCall.resultInfo.code);
    QCOMPARE(system.consoleCall(callId)->call.resultInfo.subcode, sandboxCall.resultInfo.subcode);
    QCOMPARE(system.store->seq(), system.relay->journal()->lastSeq());
    QCOMPARE(system.relay->state()->book().find(callId)->call.state.value, sandboxCall.state.value);
}

void TstE2eRelay::groupCallRosterOfFiftyMatchesTheSandbox()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE(system.console->state(), App::RelayConnection::State::Connected);

    // An invitation into a group call where 47 people and the organizer wait.
    const QString callId =
        system
            .control("POST", u"/sandbox/incoming"_s,
                QJsonObject {
                    { "from"_L1,
                        QJsonObject { { "displayName"_L1, u"Dr. Amelia Koch"_s },
                            { "userId"_L1, u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s } } },
                    { "groupInvite"_L1, true }, { "subject"_L1, u"Ward round"_s },
                    { "groupSize"_L1, 47 } })
            .value("callId"_L1)
            .toString();
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(consoleState(system, callId), u"incoming"_s);
    Graph::AnswerParams answer;
    answer.callbackUri = system.callbackUrl();
    QString why;
    QVERIFY2(system.finish(system.graph->answer(callId, answer), &why), qPrintable(why));
    QTRY_COMPARE(consoleState(system, callId), u"established"_s);

    // Two more join, bringing the roster to fifty with the bot.
    for (const QString &name : { u"Lena Vogel"_s, u"Kenji Watanabe"_s })
        system.control("POST", u"/sandbox/calls/%1/join"_s.arg(callId),
            QJsonObject { { "displayName"_L1, name } });
    QTRY_COMPARE_WITH_TIMEOUT(system.consoleCall(callId)->participants.size(), 50, 10000);
    QTRY_COMPARE(participantIds(system.consoleCall(callId)),
        participantIds(system.sandboxCalls().value(callId)));

    // A supervisor's mute shows in the console as it does in the sandbox.
    const QString someone = system.consoleCall(callId)->participants.at(3).id;
    QVERIFY2(system.finish(system.graph->muteParticipant(callId, someone, u"supervisor"_s), &why),
        qPrintable(why));
    QTRY_VERIFY(system.consoleCall(callId)->participant(someone)->isMuted);
    const QJsonObject sandboxCall = system.sandboxCalls().value(callId);
    for (const QJsonValue &v : sandboxCall.value("participants"_L1).toArray()) {
        const Graph::Participant p = Graph::decodeParticipant(v.toObject());
        const Graph::Participant *mine = system.consoleCall(callId)->participant(p.id);
        QVERIFY2(mine, qPrintable(p.id));
        QCOMPARE(mine->isMuted, p.isMuted);
        QCOMPARE(mine->isInLobby, p.isInLobby);
        QCOMPARE(mine->displayName(), p.displayName());
    }
}

void TstE2eRelay::consoleResumesAfterRelayRestartWithoutLosingEvents()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE(system.console->state(), App::RelayConnection::State::Connected);

    const QString first = system
                              .control("POST", u"/sandbox/incoming"_s,
                                  QJsonObject { { "from"_L1,
                                      QJsonObject { { "displayName"_L1, u"Lena Vogel"_s },
                                          { "phone"_L1, u"+4930123456"_s } } } })
                              .value("callId"_L1)
                              .toString();
    QTRY_COMPARE(consoleState(system, first), u"incoming"_s);
    const QString stream = system.console->streamId();
    const qint64 seqBefore = system.relay->journal()->lastSeq();

    // The relay stops and starts again on the same data and port: same stream, same seq.
    const quint16 port = quint16(system.relay->baseUrl().port());
    Relay::RelayConfig config = system.relay->config();
    config.listenPort = port;
    system.relay->shutdown();
    system.relay.reset();
    system.relay = std::make_unique<Relay::RelayService>(config, &system.clock);
    QString startError;
    QVERIFY2(system.relay->start(&startError), qPrintable(startError));
    QCOMPARE(system.relay->journal()->streamId(), stream);
    QCOMPARE(system.relay->journal()->lastSeq(), seqBefore);
    QCOMPARE(system.relay->state()->book().find(first)->call.state.text, u"incoming"_s);

    // The console notices, comes back by itself and resumes; what happens next reaches it too.
    QTRY_VERIFY(system.console->state() != App::RelayConnection::State::Connected);
    QTRY_COMPARE_WITH_TIMEOUT(
        system.console->state(), App::RelayConnection::State::Connected, 15000);
    system.control("POST", u"/sandbox/calls/%1/hangup"_s.arg(first));
    QTRY_COMPARE(consoleState(system, first), u"terminated"_s);
    QCOMPARE(system.console->streamId(), stream);
    QTRY_COMPARE(system.store->seq(), system.relay->journal()->lastSeq());
}

QTEST_GUILESS_MAIN(TstE2eRelay)
#include "tst_e2e_relay.moc"

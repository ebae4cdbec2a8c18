// IVR flows end to end: the sandbox plays Graph and its callers (who press keys), the relay
// answers calls into their flow and drives them on tones and prompt completions, and a console's
// event stream shows where each caller is. Flow timeouts run on the relay's clock, which is the
// real one here; the flows' timeouts are one second and the sandbox's time scale shortens its
// prompts.

#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "relay/eventpublisher.h"
#include "relay/ivrflow.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"
#include "sandbox/sandboxserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtEndian>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 10000;
const QByteArray OperatorToken = "e2e-ivr-operator-token";
const QString Colleague = u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s;

//! The sandbox as Graph, the relay with its policy and IVR flows, and a console's event stream, in
//! one process. The relay's clock is the real one: its deadlines are short instead, and the
//! sandbox's time scale keeps Graph's 15 s ring timeout (3 s here) above them.
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Relay::RelayService> relay;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> tokens;
    std::unique_ptr<Graph::GraphClient> graph; // the bot's own access to the sandbox
    QWebSocket console;
    QList<QJsonObject> messages; // what the console received, in order

    //! `adjust` changes the relay's configuration before it starts.
    QString start(const std::function<void(Relay::RelayConfig &)> &adjust)
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 5; // Graph's 15 s ring timeout becomes 3 s
        sandboxConfig.seed = 11;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();

        // The relay sends its public URL to Graph as callbackUri, so it must be known before
        // the relay starts: a free port, taken again at once.
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return u"no free port"_s;
        const quint16 port = probe.serverPort();
        probe.close();

        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = port;
        config.dataDir = dataDir.path();
        config.graphBaseUrl = sandbox->baseUrl().resolved(QUrl(u"/v1.0"_s));
        config.tokenUrlTemplate =
            sandbox->baseUrl()
                .resolved(QUrl(u"/%1/oauth2/v2.0/token"_s.arg(sandboxConfig.tenantId)))
                .toString();
        config.tenantId = sandboxConfig.tenantId;
        config.clientId = sandboxConfig.clientId;
        config.clientSecret = sandboxConfig.clientSecret;
        config.jwksUrl = sandbox->baseUrl().resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s));
        config.publicUrl = QUrl(u"http://127.0.0.1:%1/callbacks"_s.arg(port));
        config.operators = { Relay::OperatorEntry { u"alice"_s, Relay::Role::Operator,
            Relay::OperatorDirectory::hashToken(OperatorToken) } };
        config.answerDeadline = 1s;
        config.unattended = Relay::UnattendedMode::None;
        adjust(config);
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return u"relay: "_s + error;
        sandbox->engine()->setGlobalCallbackUrl(config.publicUrl.toString());

        Graph::ClientCredentialsTokenSource::Config tokenConfig;
        tokenConfig.tokenUrl = sandbox->baseUrl().resolved(
            QUrl(u"/%1/oauth2/v2.0/token"_s.arg(sandboxConfig.tenantId)));
        tokenConfig.clientId = sandboxConfig.clientId;
        tokenConfig.clientSecret = sandboxConfig.clientSecret;
        tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(&nam, &clock, tokenConfig);
        graph =
            std::make_unique<Graph::GraphClient>(&nam, tokens.get(), &clock, config.graphBaseUrl);

        QObject::connect(
            &console, &QWebSocket::textMessageReceived, &console, [this](const QString &text) {
                messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
        QUrl events = relay->baseUrl().resolved(QUrl(u"/events"_s));
        events.setScheme(u"ws"_s);
        QNetworkRequest request(events);
        request.setRawHeader("Authorization", "Bearer " + OperatorToken);
        console.open(request);
        return {};
    }

    bool consoleReady() const
    {
        return !messages.isEmpty() && messages.constFirst().value("type"_L1) == "hello"_L1;
    }

    QString callbackUrl() const { return relay->config().publicUrl.toString(); }

    //! The relay events of `kind` the console received for `callId`.
    QList<QJsonObject> streamed(const QString &kind, const QString &callId) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &m : messages) {
            if (m.value("type"_L1) == "relay"_L1 && m.value("kind"_L1).toString() == kind
                && m.value("callId"_L1).toString() == callId)
                found.append(m);
        }
        return found;
    }

    //! A control-API request to the sandbox; the parsed JSON answer.
    QJsonObject control(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest request(sandbox->baseUrl().resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.sendCustomRequest(request, verb, QJsonDocument(body).toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(Timeout))
            return {};
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object();
    }

    QString incoming(const QJsonObject &from)
    {
        return control("POST", u"/sandbox/incoming"_s, QJsonObject { { "from"_L1, from } })
            .value("callId"_L1)
            .toString();
    }

    //! The sandbox's call, as a Graph resource with "participants" and "operations".
    QJsonObject sandboxCall(const QString &callId)
    {
        for (const QJsonValue &v :
            control("GET", u"/sandbox/state"_s).value("calls"_L1).toArray()) {
            if (v.toObject().value("id"_L1).toString() == callId)
                return v.toObject();
        }
        return {};
    }

    QString sandboxState(const QString &callId)
    {
        return sandboxCall(callId).value("state"_L1).toString();
    }

    QString relayState(const QString &callId) const
    {
        const Graph::CallEntry *entry = relay->state()->book().find(callId);
        return entry ? entry->call.state.text : QString();
    }

    //! A request to the relay as alice: the HTTP status, and the JSON answer in `body`.
    int relayRequest(const QByteArray &verb, const QString &path, const QJsonObject &json,
        QJsonObject *body = nullptr)
    {
        QNetworkRequest request(relay->baseUrl().resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + OperatorToken);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.sendCustomRequest(request, verb, QJsonDocument(json).toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(Timeout))
            return 0;
        reply->deleteLater();
        if (body)
            *body = QJsonDocument::fromJson(reply->readAll()).object();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    //! The "ivr" events of `callId` with `action`.
    QList<QJsonObject> ivr(const QString &callId, const QString &action) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &m : streamed(u"ivr"_s, callId)) {
            if (m.value("action"_L1).toString() == action)
                found.append(m);
        }
        return found;
    }

    //! Whether the sandbox has the bot's subscribeToTone on `callId`: keys pressed before it
    //! are not heard (as with Graph).
    bool subscribed(const QString &callId)
    {
        for (const QJsonValue &op : sandboxCall(callId).value("operations"_L1).toArray()) {
            if (op.toObject()
                    .value("@odata.type"_L1)
                    .toString()
                    .endsWith("subscribeToToneOperation"_L1))
                return true;
        }
        return false;
    }

    //! How many tones the relay has received on `callId`.
    qsizetype tonesHeard(const QString &callId) const
    {
        const Graph::CallEntry *entry = relay->state()->book().find(callId);
        return entry ? entry->tones.size() : 0;
    }

    //! The caller presses `keys` on the phone.
    int press(const QString &callId, const QString &keys)
    {
        return control(
            "POST", u"/sandbox/calls/%1/tones"_s.arg(callId), QJsonObject { { "tones"_L1, keys } })
            .value("delivered"_L1)
            .toInt();
    }

    //! Runs a GraphClient request to its end; true when Graph answered 2xx.
    bool finish(Graph::GraphReply *reply, QString *why)
    {
        reply->setAutoDelete(false);
        QSignalSpy done(reply, &Graph::GraphReply::finished);
        const bool ended = reply->isFinished() || done.wait(Timeout);
        const bool ok = ended && reply->isSuccess();
        if (!ok)
            *why = reply->error() ? reply->error()->summary() : u"no answer"_s;
        reply->deleteLater();
        return ok;
    }
};

QJsonObject phoneCaller(const QString &name, const QString &number)
{
    return { { "displayName"_L1, name }, { "phone"_L1, number } };
}

QString media(const QString &name)
{
    return u"https://media.example.org/%1.wav"_s.arg(name);
}

//! A default flow: 1 transfers to a colleague, 2 leads to a sub-menu, 3 records a message,
//! 0 goes to the operators; one second without input is a failure, three fail.
QJsonObject testFlow()
{
    const QJsonObject choices {
        { "1"_L1, QJsonObject { { "do"_L1, u"transfer"_s }, { "target"_L1, Colleague } } },
        { "2"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"billing"_s } } },
        { "3"_L1,
            QJsonObject { { "do"_L1, u"record"_s }, { "prompt"_L1, media(u"message"_s) },
                { "goodbye"_L1, media(u"goodbye"_s) }, { "maxSeconds"_L1, 5 } } },
        { "0"_L1, QJsonObject { { "do"_L1, u"operators"_s } } },
    };
    const QJsonObject billing {
        { "prompt"_L1, media(u"billing"_s) },
        { "choices"_L1,
            QJsonObject {
                { "*"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"main"_s } } },
                { "9"_L1,
                    QJsonObject {
                        { "do"_L1, u"hangup"_s }, { "prompt"_L1, media(u"goodbye"_s) } } } } },
    };
    return QJsonObject {
        { "name"_L1, u"frontdesk"_s },
        { "default"_L1, true },
        { "start"_L1, u"main"_s },
        { "timeoutSeconds"_L1, 1 },
        { "maxFailures"_L1, 3 },
        { "invalidPrompt"_L1, media(u"invalid"_s) },
        { "noInputPrompt"_L1, media(u"noinput"_s) },
        { "fallback"_L1,
            QJsonObject { { "do"_L1, u"operators"_s }, { "prompt"_L1, media(u"hold"_s) } } },
        { "menus"_L1,
            QJsonObject {
                { "main"_L1,
                    QJsonObject { { "prompt"_L1, media(u"main"_s) }, { "choices"_L1, choices } } },
                { "billing"_L1, billing } } },
    };
}

QString writeFlow(const QTemporaryDir &dir, const QString &name, const QJsonObject &flow)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(QJsonDocument(flow).toJson());
    return path;
}

} // namespace

class TstE2eIvr final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callerPressesOneAndReachesTheTarget();
    void threeWrongDigitsReachTheOperatorsQueue();
    void noInputTimesOutToTheFallback();
    void subMenuAndGoodbyeHangUp();
    void recordedMessageLocationIsInTheEvent();
    void operatorTakesTheCallOutOfTheFlowMidMenu();
    void callersFlowAndPolicyFlowAtTheDeadline();
    void invalidFlowFileFailsStartWithItsProblem();
    void sandboxServesTheExampleFlowsPrompts();

private:
    //! Starts `system` with testFlow(); a call from `number` that reached the main menu (its
    //! prompt plays and the bot listens to keys).
    QString callInMenu(System &system, const QString &number);
};

QString TstE2eIvr::callInMenu(System &system, const QString &number)
{
    const QString flowFile = writeFlow(system.dataDir, u"flow.json"_s, testFlow());
    const QString error = system.start([&](Relay::RelayConfig &config) {
        config.ivrFlowFiles = { flowFile };
        config.answerDeadline = std::chrono::seconds(10);
    });
    if (!error.isEmpty()) {
        qWarning().noquote() << error;
        return {};
    }
    if (!QTest::qWaitFor([&] { return system.consoleReady(); }, Timeout))
        return {};
    const QString callId = system.incoming(phoneCaller(u"Lena Vogel"_s, number));
    if (callId.isEmpty())
        return {};
    // An IVR answers first: no unattended deadline, the flow takes the call at once.
    if (!QTest::qWaitFor([&] { return !system.ivr(callId, u"entered"_s).isEmpty(); }, Timeout)
        || !QTest::qWaitFor([&] { return system.subscribed(callId); }, Timeout))
        return {};
    return callId;
}

void TstE2eIvr::callerPressesOneAndReachesTheTarget()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550201"_s);
    QVERIFY(!callId.isEmpty());
    const QJsonObject policy = system.streamed(u"policy"_s, callId).value(0);
    QCOMPARE(policy.value("action"_L1).toString(), u"answered"_s);
    QCOMPARE(policy.value("reason"_L1).toString(), u"ivr"_s);
    QCOMPARE(policy.value("flow"_L1).toString(), u"frontdesk"_s);
    const QJsonObject entered = system.ivr(callId, u"entered"_s).constFirst();
    QCOMPARE(entered.value("flow"_L1).toString(), u"frontdesk"_s);
    QCOMPARE(entered.value("menu"_L1).toString(), u"main"_s);
    // The answer asked Graph to fetch the flow's prompts ahead.
    QCOMPARE(system.relay->state()->meta(callId).ivrStatus, u"menu"_s);

    QCOMPARE(system.press(callId, u"1"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"routed"_s).size(), qsizetype(1), Timeout);
    const QJsonObject digit = system.ivr(callId, u"digit"_s).value(0);
    QCOMPARE(digit.value("digit"_L1).toString(), u"1"_s);
    QCOMPARE(digit.value("menu"_L1).toString(), u"main"_s);
    QCOMPARE(system.ivr(callId, u"routed"_s).constFirst().value("target"_L1).toString(), Colleague);
    QTRY_COMPARE_WITH_TIMEOUT(system.streamed(u"transfer"_s, callId).size(), qsizetype(1), Timeout);
    QCOMPARE(system.streamed(u"transfer"_s, callId).constFirst().value("outcome"_L1).toString(),
        u"completed"_s);
    QTRY_COMPARE(system.sandboxState(callId), u"terminated"_s);
    const Graph::RelayProtocol::CallMeta meta = system.relay->state()->meta(callId);
    QCOMPARE(meta.ivrDigits, u"1"_s);
    QCOMPARE(meta.ivrStatus, u"routed"_s);
    QCOMPARE(meta.ivrTarget, Colleague);
    QVERIFY(system.ivr(callId, u"invalid"_s).isEmpty());
}

void TstE2eIvr::threeWrongDigitsReachTheOperatorsQueue()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550202"_s);
    QVERIFY(!callId.isEmpty());

    QCOMPARE(system.press(callId, u"7"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"invalid"_s).size(), qsizetype(1), Timeout);
    QCOMPARE(system.press(callId, u"8"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"invalid"_s).size(), qsizetype(2), Timeout);
    QCOMPARE(system.press(callId, u"#"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"routed"_s).size(), qsizetype(1), Timeout);

    const QList<QJsonObject> invalid = system.ivr(callId, u"invalid"_s);
    QCOMPARE(invalid.size(), qsizetype(3));
    QCOMPARE(invalid.at(0).value("digit"_L1).toString(), u"7"_s);
    QCOMPARE(invalid.at(2).value("digit"_L1).toString(), u"#"_s);
    QCOMPARE(invalid.at(2).value("failures"_L1).toInt(), 3);
    // The menu was played again after the first two, with the "invalid" prompt first.
    QCOMPARE(system.ivr(callId, u"entered"_s).size(), qsizetype(3));
    QCOMPARE(
        system.ivr(callId, u"routed"_s).constFirst().value("target"_L1).toString(), u"operators"_s);
    // In the operators' queue: answered, the relay's, nobody on it, the hold prompt playing.
    QCOMPARE(system.sandboxState(callId), u"established"_s);
    const Graph::RelayProtocol::CallMeta meta = system.relay->state()->meta(callId);
    QCOMPARE(meta.handledBy, u"relay"_s);
    QVERIFY(meta.claimedBy.isEmpty());
    QCOMPARE(meta.ivrDigits, u"78#"_s);
    QCOMPARE(meta.ivrStatus, u"routed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &op :
                system.sandboxCall(callId).value("operations"_L1).toArray()) {
                if (op.toObject().value("clientContext"_L1).toString()
                    == "frontdesk-hold-prompt"_L1)
                    return true;
            }
            return false;
        }(),
        Timeout);
    // Keys no longer count.
    const qsizetype heard = system.tonesHeard(callId);
    QCOMPARE(system.press(callId, u"1"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.tonesHeard(callId), heard + 1, Timeout);
    QCOMPARE(system.ivr(callId, u"digit"_s).size(), qsizetype(0));
}

void TstE2eIvr::noInputTimesOutToTheFallback()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550203"_s);
    QVERIFY(!callId.isEmpty());

    // Nobody presses anything: three timeouts of one second after each prompt.
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"routed"_s).size(), qsizetype(1), 3 * Timeout);
    const QList<QJsonObject> timeouts = system.ivr(callId, u"timeout"_s);
    QCOMPARE(timeouts.size(), qsizetype(3));
    QCOMPARE(timeouts.constLast().value("failures"_L1).toInt(), 3);
    QCOMPARE(system.ivr(callId, u"entered"_s).size(), qsizetype(3));
    QCOMPARE(
        system.ivr(callId, u"routed"_s).constFirst().value("target"_L1).toString(), u"operators"_s);
    QCOMPARE(system.sandboxState(callId), u"established"_s);
    QVERIFY(system.relay->state()->meta(callId).ivrDigits.isEmpty());
}

void TstE2eIvr::subMenuAndGoodbyeHangUp()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550204"_s);
    QVERIFY(!callId.isEmpty());

    QCOMPARE(system.press(callId, u"2"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"entered"_s).size(), qsizetype(2), Timeout);
    QCOMPARE(
        system.ivr(callId, u"entered"_s).constLast().value("menu"_L1).toString(), u"billing"_s);
    QCOMPARE(system.relay->state()->meta(callId).ivrMenu, u"billing"_s);
    QCOMPARE(system.press(callId, u"9"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"routed"_s).size(), qsizetype(1), Timeout);
    QCOMPARE(
        system.ivr(callId, u"routed"_s).constFirst().value("target"_L1).toString(), u"hangup"_s);
    // The goodbye prompt plays to its end, then the bot hangs up.
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"terminated"_s, Timeout);
    QTRY_COMPARE(system.relayState(callId), u"terminated"_s);
    QCOMPARE(system.relay->state()->meta(callId).ivrDigits, u"29"_s);
}

void TstE2eIvr::recordedMessageLocationIsInTheEvent()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550205"_s);
    QVERIFY(!callId.isEmpty());

    QCOMPARE(system.press(callId, u"3"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"digit"_s).size(), qsizetype(1), Timeout);
    // The caller speaks, then ends the message with #.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &op :
                system.sandboxCall(callId).value("operations"_L1).toArray()) {
                if (op.toObject().value("@odata.type"_L1).toString().endsWith("recordOperation"_L1))
                    return true;
            }
            return false;
        }(),
        Timeout);
    QCOMPARE(system.press(callId, u"#"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"recorded"_s).size(), qsizetype(1), Timeout);
    const QJsonObject recorded = system.ivr(callId, u"recorded"_s).constFirst();
    const QString location = recorded.value("recordingLocation"_L1).toString();
    QVERIFY2(location.startsWith(system.sandbox->baseUrl().toString()), qPrintable(location));
    QVERIFY(location.contains(u"/sandbox/recordings/"_s));
    // Where it is, never the token to fetch it.
    QVERIFY(!recorded.contains("recordingAccessToken"_L1));
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"terminated"_s, Timeout);
    // The # that ended the recording is no menu choice.
    QVERIFY(system.ivr(callId, u"invalid"_s).isEmpty());
}

void TstE2eIvr::operatorTakesTheCallOutOfTheFlowMidMenu()
{
    System system;
    const QString callId = callInMenu(system, u"+14255550206"_s);
    QVERIFY(!callId.isEmpty());
    QCOMPARE(system.press(callId, u"2"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"entered"_s).size(), qsizetype(2), Timeout);

    QJsonObject body;
    QCOMPARE(system.relayRequest("POST", u"/api/calls/%1/claim"_s.arg(callId), {}, &body), 200);
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(callId, u"left"_s).size(), qsizetype(1), Timeout);
    const QJsonObject left = system.ivr(callId, u"left"_s).constFirst();
    QCOMPARE(left.value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(left.value("menu"_L1).toString(), u"billing"_s);
    QCOMPARE(system.relay->state()->meta(callId).ivrStatus, u"left"_s);

    // The flow no longer acts: a key changes nothing.
    const qsizetype heard = system.tonesHeard(callId);
    QCOMPARE(system.press(callId, u"9"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(system.tonesHeard(callId), heard + 1, Timeout);
    QCOMPARE(system.ivr(callId, u"digit"_s).size(), qsizetype(1));
    QVERIFY(system.ivr(callId, u"routed"_s).isEmpty());
    QCOMPARE(system.sandboxState(callId), u"established"_s);

    // Answer is not refused as the policy's (409): Graph judges it, and the call is answered.
    QCOMPARE(
        system.relayRequest("POST", u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId),
            QJsonObject { { "acceptedModalities"_L1, QJsonArray { u"audio"_s } } }, &body),
        400);
    QVERIFY(body.value("error"_L1).toObject().value("code"_L1).toString() != "handledByRelay"_L1);
    // The operator transfers the caller to a colleague.
    const QJsonObject transfer { { "transferTarget"_L1,
        QJsonObject { { "identity"_L1,
            QJsonObject { { "user"_L1,
                QJsonObject {
                    { "id"_L1, Colleague }, { "displayName"_L1, u"Alex Wilber"_s } } } } } } } };
    QCOMPARE(system.relayRequest(
                 "POST", u"/graph/v1.0/communications/calls/%1/transfer"_s.arg(callId), transfer),
        202);
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"terminated"_s, Timeout);
}

void TstE2eIvr::callersFlowAndPolicyFlowAtTheDeadline()
{
    // "vip" answers its callers at once; "late" takes the calls nobody answered by the
    // deadline ([policy] flow), and neither is a default flow.
    QJsonObject vip = testFlow();
    vip.insert("name"_L1, u"vip"_s);
    vip.remove("default"_L1);
    vip.insert("callers"_L1, QJsonArray { u"+14255550301"_s });
    QJsonObject late = testFlow();
    late.insert("name"_L1, u"late"_s);
    late.remove("default"_L1);
    System system;
    const QStringList files { writeFlow(system.dataDir, u"vip.json"_s, vip),
        writeFlow(system.dataDir, u"late.json"_s, late) };
    const QString error = system.start([&](Relay::RelayConfig &config) {
        config.ivrFlowFiles = files;
        config.unattended = Relay::UnattendedMode::Answer;
        config.policyFlow = u"late"_s;
        config.answerDeadline = std::chrono::seconds(1);
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString vipCall = system.incoming(phoneCaller(u"Very Important"_s, u"+14255550301"_s));
    const QString otherCall = system.incoming(phoneCaller(u"Someone"_s, u"+14255550302"_s));
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(vipCall, u"entered"_s).size(), qsizetype(1), Timeout);
    QCOMPARE(system.ivr(vipCall, u"entered"_s).constFirst().value("flow"_L1).toString(), u"vip"_s);
    QCOMPARE(
        system.streamed(u"policy"_s, vipCall).constFirst().value("reason"_L1).toString(), u"ivr"_s);
    // The other caller rings for the operators until the deadline, then enters "late".
    QTRY_COMPARE_WITH_TIMEOUT(system.ivr(otherCall, u"entered"_s).size(), qsizetype(1), Timeout);
    const QJsonObject policy = system.streamed(u"policy"_s, otherCall).constFirst();
    QCOMPARE(policy.value("reason"_L1).toString(), u"unattended"_s);
    QCOMPARE(policy.value("flow"_L1).toString(), u"late"_s);
    const QDateTime answeredAt =
        QDateTime::fromString(policy.value("at"_L1).toString(), Qt::ISODateWithMs);
    const Graph::CallEntry *other = system.relay->state()->book().find(otherCall);
    QVERIFY(other);
    QVERIFY(other->firstSeenAt.msecsTo(answeredAt) >= 1000);
    QCOMPARE(
        system.ivr(otherCall, u"entered"_s).constFirst().value("flow"_L1).toString(), u"late"_s);
    // No hold prompt for it: the flow plays its menu instead.
    for (const QJsonValue &op : system.sandboxCall(otherCall).value("operations"_L1).toArray())
        QVERIFY(op.toObject().value("clientContext"_L1).toString() != "frontdesk-hold-prompt"_L1);
}

void TstE2eIvr::invalidFlowFileFailsStartWithItsProblem()
{
    System system;
    QJsonObject flow = testFlow();
    QJsonObject menus = flow.value("menus"_L1).toObject();
    QJsonObject main = menus.value("main"_L1).toObject();
    QJsonObject choices = main.value("choices"_L1).toObject();
    choices.insert("4"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"x"_s } });
    main.insert("choices"_L1, choices);
    menus.insert("main"_L1, main);
    flow.insert("menus"_L1, menus);
    const QString flowFile = writeFlow(system.dataDir, u"bad-flow.json"_s, flow);
    const QString error =
        system.start([&](Relay::RelayConfig &config) { config.ivrFlowFiles = { flowFile }; });
    QCOMPARE(error,
        u"relay: [ivr] flows: "_s + flowFile
            + u": menu 'main': choice '4' goes to unknown menu 'x'"_s);
    QVERIFY(!system.relay->isRunning());
}

void TstE2eIvr::sandboxServesTheExampleFlowsPrompts()
{
    System system;
    const QString error = system.start([](Relay::RelayConfig &) {});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QString why;
    const auto flows = Relay::IvrFlow::loadAll(
        { QStringLiteral(FRONTDESK_SOURCE_DIR "/relay/ivr/frontdesk-example.json") }, {}, &why);
    QVERIFY2(flows, qPrintable(why));
    const QStringList prompts = flows->constFirst().prompts();
    QVERIFY(prompts.size() >= 6);
    for (const QString &uri : prompts) {
        // The example names the sandbox of scripts/run.sh; this one listens elsewhere.
        const QString path = QUrl(uri).path();
        QVERIFY2(path.startsWith(u"/sandbox/media/"_s), qPrintable(uri));
        QNetworkReply *reply =
            system.nam.get(QNetworkRequest(system.sandbox->baseUrl().resolved(QUrl(path))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || done.wait(Timeout));
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QByteArray wav = reply->readAll();
        // RIFF/WAVE, PCM, mono, 16 kHz, 16-bit: what Graph plays.
        QVERIFY2(wav.startsWith("RIFF") && wav.mid(8, 8) == "WAVEfmt ", qPrintable(path));
        QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 20), quint16(1));
        QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 22), quint16(1));
        QCOMPARE(qFromLittleEndian<quint32>(wav.constData() + 24), quint32(16000));
        QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 34), quint16(16));
    }
    QNetworkReply *missing = system.nam.get(QNetworkRequest(
        system.sandbox->baseUrl().resolved(QUrl(u"/sandbox/media/..%2Fsecret.wav"_s))));
    QSignalSpy done(missing, &QNetworkReply::finished);
    QVERIFY(missing->isFinished() || done.wait(Timeout));
    missing->deleteLater();
    QCOMPARE(missing->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
}

QTEST_GUILESS_MAIN(TstE2eIvr)
#include "tst_e2e_ivr.moc"

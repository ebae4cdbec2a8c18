// The IVR runner on a ManualClock (docs/ivr.md): the no-input timer starts when the menu's
// prompt has ended and fires exactly on time, each tone counts once by sequenceId, and a claim
// stops the flow. Graph is a RecordingServer; calls are driven by publishing Graph's
// notifications through the relay's own EventPublisher, as its callback endpoint does.

#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/graphreply.h"
#include "graph/jwt.h"
#include "recordingserver.h"
#include "relay/eventpublisher.h"
#include "relay/journal.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using TestSupport::CannedResponse;
using TestSupport::RecordedRequest;

namespace {

const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString Caller = u"+14255550123"_s;
const QString PublicUrl = u"https://relay.example.org/callbacks"_s;
const QString Target = u"+15550100"_s;

QString media(const QString &name)
{
    return u"https://media.example.org/%1.wav"_s.arg(name);
}

QJsonObject notification(
    const QString &changeType, const QString &callId, const QString &state, QJsonObject data = {})
{
    data.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    data.insert("state"_L1, state);
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, changeType },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + callId) },
        { "resourceData"_L1, data },
    };
}

QJsonObject incoming(const QString &callId, const QString &phone = Caller)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1, QJsonObject { { "phone"_L1, QJsonObject { { "id"_L1, phone } } } } },
    };
    return notification(u"created"_s, callId, u"incoming"_s,
        { { "id"_L1, callId }, { "direction"_L1, u"incoming"_s }, { "source"_L1, source } });
}

QJsonObject updated(const QString &callId, const QString &state, const QJsonObject &data = {})
{
    return notification(u"updated"_s, callId, state, data);
}

QJsonObject resultInfo(int code, int subcode, const QString &message)
{
    return { { "code"_L1, code }, { "subcode"_L1, subcode }, { "message"_L1, message } };
}

QJsonObject tone(const QString &callId, qint64 sequenceId, const QString &name)
{
    return updated(callId, u"established"_s,
        { { "toneInfo"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.toneInfo"_s },
                { "sequenceId"_L1, sequenceId }, { "tone"_L1, name } } } });
}

//! graph-notes §3.7: an operation's completion.
QJsonObject promptEnded(const QString &callId, const QString &opId, const QString &clientContext)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, u"deleted"_s },
        { "resourceUrl"_L1, u"/communications/calls/%1/operations/%2"_s.arg(callId, opId) },
        { "resourceData"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.playPromptOperation"_s },
                { "id"_L1, opId }, { "clientContext"_L1, clientContext },
                { "status"_L1, u"completed"_s },
                { "resultInfo"_L1, resultInfo(200, 0, u"ok"_s) } } },
    };
}

} // namespace
class TstIvrRunner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void answersAtOnceWithThePromptsPrefetched();
    void noInputTimerStartsWhenThePromptEndsAndFiresOnTime();
    void eachToneCountsOnceBySequenceId();
    void aClaimStopsTheFlow();
    void aCallInAMenuGoesToTheOperatorsAfterARestart();

private:
    void startRelay();
    void publish(const QJsonObject &notification);
    void publishRelay(const QString &kind, const QString &callId, const QJsonObject &fields);
    QList<QJsonObject> relayEvents(const QString &kind) const;
    QList<QJsonObject> ivr(const QString &action) const;
    QList<RecordedRequest> graphRequests(const QString &suffix) const;
    int requestsInFlight(const QString &suffix) const;
    //! The call rings, the flow answers it, it is established, and the main menu's prompt was
    //! sent: its clientContext.
    QString callInMenu();
    //! The prompts of the n-th playPrompt (from 0), and its clientContext.
    QStringList promptsOf(qsizetype n, QString *clientContext = nullptr) const;

    QTemporaryDir m_keys;
    QString m_jwksFile;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Graph::ManualClock> m_clock;
    std::unique_ptr<TestSupport::RecordingServer> m_graph;
    Relay::RelayConfig m_config;
    std::unique_ptr<Relay::RelayService> m_relay;
    QHash<QString, QList<CannedResponse>> m_answers;
};

void TstIvrRunner::initTestCase()
{
    QVERIFY(m_keys.isValid());
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"ivr-test-key"_s);
    QVERIFY(signer.isValid());
    m_jwksFile = m_keys.filePath(u"jwks.json"_s);
    QFile file(m_jwksFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(signer.jwksJson());

    // main: 1 transfers, 2 leads to "more"; two seconds without a key fail, twice is the end.
    QFile flow(m_keys.filePath(u"flow.json"_s));
    QVERIFY(flow.open(QIODevice::WriteOnly));
    const QJsonObject main { { "prompt"_L1, media(u"main"_s) },
        { "choices"_L1,
            QJsonObject {
                { "1"_L1, QJsonObject { { "do"_L1, u"transfer"_s }, { "target"_L1, Target } } },
                { "2"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"more"_s } } } } } };
    const QJsonObject more { { "prompt"_L1, media(u"more"_s) },
        { "choices"_L1, QJsonObject { { "0"_L1, QJsonObject { { "do"_L1, u"operators"_s } } } } } };
    flow.write(QJsonDocument(
        QJsonObject { { "name"_L1, u"desk"_s }, { "default"_L1, true }, { "start"_L1, u"main"_s },
            { "timeoutSeconds"_L1, 2 }, { "maxFailures"_L1, 2 },
            { "noInputPrompt"_L1, media(u"noinput"_s) },
            { "invalidPrompt"_L1, media(u"invalid"_s) },
            { "menus"_L1, QJsonObject { { "main"_L1, main }, { "more"_L1, more } } } })
                   .toJson());
}

void TstIvrRunner::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    m_clock = std::make_unique<Graph::ManualClock>();
    m_graph = std::make_unique<TestSupport::RecordingServer>();
    QVERIFY(m_graph->isListening());
    m_answers.clear();
    m_graph->setHandler([this](const RecordedRequest &request) -> std::optional<CannedResponse> {
        if (request.path.endsWith("/oauth2/v2.0/token"_L1))
            return CannedResponse::token(u"app-token"_s);
        const QString key =
            request.method == "GET" ? u"GET"_s : request.path.mid(request.path.lastIndexOf(u'/'));
        if (QList<CannedResponse> &queue = m_answers[key]; !queue.isEmpty())
            return queue.size() == 1 ? queue.constFirst() : queue.takeFirst();
        if (key == "/playPrompt"_L1) {
            return CannedResponse::json(200,
                { { "@odata.type"_L1, u"#microsoft.graph.playPromptOperation"_s },
                    { "id"_L1, u"op-1"_s }, { "status"_L1, u"Running"_s } });
        }
        if (key == "/cancelMediaProcessing"_L1) {
            return CannedResponse::json(200,
                { { "@odata.type"_L1, u"#microsoft.graph.commsOperation"_s },
                    { "id"_L1, u"op-cancel"_s }, { "status"_L1, u"completed"_s } });
        }
        if (key == "/subscribeToTone"_L1) {
            return CannedResponse::json(200,
                { { "@odata.type"_L1, u"#microsoft.graph.subscribeToToneOperation"_s },
                    { "id"_L1, u"op-tones"_s }, { "status"_L1, u"completed"_s } });
        }
        if (key == "/keepAlive"_L1)
            return CannedResponse::empty(200);
        if (key == "GET"_L1) {
            // Graph shows the call as the relay knows it: reading it is no news.
            const QString callId = request.path.mid(request.path.lastIndexOf(u'/') + 1);
            const Graph::CallEntry *entry =
                m_relay ? m_relay->state()->book().find(callId) : nullptr;
            if (!entry || entry->isEnded())
                return CannedResponse::graphError(404, u"itemNotFound"_s, u"Call not found"_s);
            return CannedResponse::json(200,
                { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, callId },
                    { "state"_L1, entry->call.state.text } });
        }
        return CannedResponse::empty(202);
    });

    m_config = Relay::RelayConfig();
    m_config.listenHost = QHostAddress::LocalHost;
    m_config.listenPort = 0;
    m_config.dataDir = m_data->path();
    m_config.graphBaseUrl = m_graph->url(u"/v1.0"_s);
    m_config.tokenUrlTemplate = m_graph->url(u"/tenant/oauth2/v2.0/token"_s).toString();
    m_config.clientId = u"app-under-test"_s;
    m_config.clientSecret = u"secret"_s;
    m_config.publicUrl = QUrl(PublicUrl);
    m_config.jwksFile = m_jwksFile;
    m_config.answerDeadline = 10s;
    m_config.unattended = Relay::UnattendedMode::Answer;
    m_config.ivrFlowFiles = { m_keys.filePath(u"flow.json"_s) };
    m_config.operators = { { u"alice"_s, Relay::Role::Operator,
        Relay::OperatorDirectory::hashToken("alice-token") } };
}

void TstIvrRunner::cleanup()
{
    m_relay.reset();
    m_graph.reset();
    m_clock.reset();
    m_data.reset();
}

void TstIvrRunner::startRelay()
{
    m_relay = std::make_unique<Relay::RelayService>(m_config, m_clock.get());
    QString error;
    QVERIFY2(m_relay->start(&error), qPrintable(error));
    // The policy takes up the state's calls once the relay runs.
    m_clock->advance(0ms);
}

void TstIvrRunner::publish(const QJsonObject &notification)
{
    Relay::StreamEvent event;
    event.type = Relay::StreamEvent::Type::Notification;
    event.notification = notification;
    QList<Relay::StreamEvent> events { event };
    QString error;
    QVERIFY2(m_relay->publisher()->publish(events, &error), qPrintable(error));
}

void TstIvrRunner::publishRelay(
    const QString &kind, const QString &callId, const QJsonObject &fields)
{
    QString error;
    QVERIFY2(m_relay->publisher()->publishRelay(kind, callId, fields, &error), qPrintable(error));
}

QList<QJsonObject> TstIvrRunner::relayEvents(const QString &kind) const
{
    QList<QJsonObject> events;
    for (const Relay::StreamEvent &event : m_relay->journal()->readAfter(0)) {
        if (event.type == Relay::StreamEvent::Type::Relay && event.relayKind() == kind) {
            QJsonObject relay = event.relay;
            relay.insert("at"_L1, event.at.toString(Qt::ISODateWithMs));
            events.append(relay);
        }
    }
    return events;
}

QList<RecordedRequest> TstIvrRunner::graphRequests(const QString &suffix) const
{
    QList<RecordedRequest> matching;
    for (const RecordedRequest &request : m_graph->requests()) {
        if (request.path.startsWith("/v1.0/"_L1) && request.path.endsWith(suffix))
            matching.append(request);
    }
    return matching;
}

int TstIvrRunner::requestsInFlight(const QString &suffix) const
{
    int count = 0;
    for (const Graph::GraphReply *reply : m_relay->graph()->findChildren<Graph::GraphReply *>()) {
        if (!reply->isFinished() && reply->pathAndQuery().endsWith(suffix))
            ++count;
    }
    return count;
}

QList<QJsonObject> TstIvrRunner::ivr(const QString &action) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &event : relayEvents(u"ivr"_s)) {
        if (event.value("action"_L1).toString() == action)
            found.append(event);
    }
    return found;
}

QString TstIvrRunner::callInMenu()
{
    startRelay();
    publish(incoming(CallA));
    if (!QTest::qWaitFor([&] { return graphRequests(u"/answer"_s).size() == 1; }))
        return {};
    publish(updated(CallA, u"establishing"_s));
    publish(updated(CallA, u"established"_s));
    if (!QTest::qWaitFor([&] { return graphRequests(u"/playPrompt"_s).size() == 1; }))
        return {};
    QString context;
    promptsOf(0, &context);
    return context;
}

QStringList TstIvrRunner::promptsOf(qsizetype n, QString *clientContext) const
{
    const QList<RecordedRequest> requests = graphRequests(u"/playPrompt"_s);
    if (n >= requests.size())
        return {};
    const QJsonObject body = requests.at(n).json();
    if (clientContext)
        *clientContext = body.value("clientContext"_L1).toString();
    QStringList uris;
    for (const QJsonValue &prompt : body.value("prompts"_L1).toArray())
        uris.append(prompt.toObject().value("mediaInfo"_L1).toObject().value("uri"_L1).toString());
    return uris;
}

void TstIvrRunner::answersAtOnceWithThePromptsPrefetched()
{
    startRelay();
    publish(incoming(CallA));
    // No deadline: the flow takes the call as it rings.
    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(policy.constFirst().value("reason"_L1).toString(), u"ivr"_s);
    QCOMPARE(policy.constFirst().value("flow"_L1).toString(), u"desk"_s);
    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
    const QJsonObject mediaConfig =
        graphRequests(u"/answer"_s).constFirst().json().value("mediaConfig"_L1).toObject();
    QCOMPARE(mediaConfig.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.serviceHostedMediaConfig"_s);
    QStringList prefetched;
    for (const QJsonValue &v : mediaConfig.value("preFetchMedia"_L1).toArray())
        prefetched.append(v.toObject().value("uri"_L1).toString());
    prefetched.sort();
    QCOMPARE(prefetched,
        QStringList(
            { media(u"invalid"_s), media(u"main"_s), media(u"more"_s), media(u"noinput"_s) }));
    // Nothing plays before the call is established.
    publish(updated(CallA, u"establishing"_s));
    QVERIFY(ivr(u"entered"_s).isEmpty());
    publish(updated(CallA, u"established"_s));
    QCOMPARE(ivr(u"entered"_s).size(), qsizetype(1));
    QTRY_COMPARE(graphRequests(u"/subscribeToTone"_s).size(), qsizetype(1));
    QTRY_COMPARE(graphRequests(u"/playPrompt"_s).size(), qsizetype(1));
    QCOMPARE(promptsOf(0), QStringList { media(u"main"_s) });
}

void TstIvrRunner::noInputTimerStartsWhenThePromptEndsAndFiresOnTime()
{
    const QString context = callInMenu();
    QVERIFY(!context.isEmpty());
    // The prompt still plays: however long it takes, that is no timeout.
    m_clock->advance(30s);
    QVERIFY(ivr(u"timeout"_s).isEmpty());
    // Another operation's end is not this prompt's.
    publish(promptEnded(CallA, u"op-other"_s, u"someone-else"_s));
    m_clock->advance(5s);
    QVERIFY(ivr(u"timeout"_s).isEmpty());

    publish(promptEnded(CallA, u"op-1"_s, context));
    m_clock->advance(1999ms);
    QVERIFY(ivr(u"timeout"_s).isEmpty());
    m_clock->advance(1ms);
    QCOMPARE(ivr(u"timeout"_s).size(), qsizetype(1));
    QCOMPARE(ivr(u"timeout"_s).constFirst().value("failures"_L1).toInt(), 1);
    // The menu again, after the no-input prompt, in one playPrompt.
    QTRY_COMPARE(graphRequests(u"/playPrompt"_s).size(), qsizetype(2));
    QString second;
    QCOMPARE(promptsOf(1, &second), QStringList({ media(u"noinput"_s), media(u"main"_s) }));
    QVERIFY(second != context);
    // The second failure is the last: the call goes to the operators.
    publish(promptEnded(CallA, u"op-2"_s, second));
    m_clock->advance(2s);
    QCOMPARE(ivr(u"timeout"_s).size(), qsizetype(2));
    QCOMPARE(ivr(u"routed"_s).size(), qsizetype(1));
    QCOMPARE(ivr(u"routed"_s).constFirst().value("target"_L1).toString(), u"operators"_s);
    m_clock->advance(60s);
    QCOMPARE(ivr(u"timeout"_s).size(), qsizetype(2));
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"relay"_s);
}

void TstIvrRunner::eachToneCountsOnceBySequenceId()
{
    const QString context = callInMenu();
    QVERIFY(!context.isEmpty());
    publish(promptEnded(CallA, u"op-1"_s, context));
    publish(tone(CallA, 5, u"tone9"_s));
    publish(tone(CallA, 5, u"tone9"_s)); // a duplicate callback
    QCOMPARE(ivr(u"invalid"_s).size(), qsizetype(1));
    // A key counts at once and voids the running timer.
    m_clock->advance(2s);
    QVERIFY(ivr(u"timeout"_s).isEmpty());
    publish(tone(CallA, 7, u"tone2"_s));
    publish(tone(CallA, 6, u"tone8"_s)); // reordered: still a key, once
    QCOMPARE(ivr(u"digit"_s).size(), qsizetype(1));
    QCOMPARE(ivr(u"digit"_s).constFirst().value("digit"_L1).toString(), u"2"_s);
    QCOMPARE(ivr(u"entered"_s).constLast().value("menu"_L1).toString(), u"more"_s);
    QCOMPARE(ivr(u"invalid"_s).size(), qsizetype(2));
    QCOMPARE(ivr(u"invalid"_s).constLast().value("digit"_L1).toString(), u"8"_s);
    QCOMPARE(ivr(u"invalid"_s).constLast().value("menu"_L1).toString(), u"more"_s);
    QCOMPARE(m_relay->state()->meta(CallA).ivrDigits, u"928"_s);
}

void TstIvrRunner::aClaimStopsTheFlow()
{
    const QString context = callInMenu();
    QVERIFY(!context.isEmpty());
    publishRelay(u"claimed"_s, CallA, { { "by"_L1, u"alice"_s } });
    QCOMPARE(ivr(u"left"_s).size(), qsizetype(1));
    QCOMPARE(ivr(u"left"_s).constFirst().value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(ivr(u"left"_s).constFirst().value("menu"_L1).toString(), u"main"_s);
    // The rest of the menu is cut short.
    QTRY_COMPARE(graphRequests(u"/cancelMediaProcessing"_s).size(), qsizetype(1));
    publish(promptEnded(CallA, u"op-1"_s, context));
    m_clock->advance(60s);
    publish(tone(CallA, 1, u"tone1"_s));
    const qsizetype events = relayEvents(u"ivr"_s).size();
    QCOMPARE(events, qsizetype(2)); // entered, left
    QCOMPARE(graphRequests(u"/transfer"_s).size(), qsizetype(0));
    QCOMPARE(requestsInFlight(u"/playPrompt"_s), 0);
    QCOMPARE(graphRequests(u"/playPrompt"_s).size(), qsizetype(1));
}

void TstIvrRunner::aCallInAMenuGoesToTheOperatorsAfterARestart()
{
    const QString context = callInMenu();
    QVERIFY(!context.isEmpty());
    publish(tone(CallA, 1, u"tone2"_s));
    QCOMPARE(m_relay->state()->meta(CallA).ivrMenu, u"more"_s);
    m_relay->shutdown();
    m_relay.reset();

    startRelay();
    const QList<QJsonObject> routed = ivr(u"routed"_s);
    QCOMPARE(routed.size(), qsizetype(1));
    QCOMPARE(routed.constFirst().value("target"_L1).toString(), u"operators"_s);
    QCOMPARE(routed.constFirst().value("reason"_L1).toString(), u"restart"_s);
    QCOMPARE(routed.constFirst().value("menu"_L1).toString(), u"more"_s);
    const Graph::RelayProtocol::CallMeta meta = m_relay->state()->meta(CallA);
    QCOMPARE(meta.ivrStatus, u"routed"_s);
    QCOMPARE(meta.handledBy, u"relay"_s);
    // The flow does not resume: no timeout, keys change nothing.
    m_clock->advance(60s);
    publish(tone(CallA, 2, u"tone0"_s));
    QVERIFY(ivr(u"timeout"_s).isEmpty());
    QCOMPARE(ivr(u"digit"_s).size(), qsizetype(1));
    // A second restart finds nothing to do.
    m_relay->shutdown();
    m_relay.reset();
    startRelay();
    QCOMPARE(ivr(u"routed"_s).size(), qsizetype(1));
}

QTEST_GUILESS_MAIN(TstIvrRunner)
#include "tst_ivrrunner.moc"

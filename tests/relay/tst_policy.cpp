// Tests of what the relay does on its own (relay-contract.md [policy]): the unattended action at
// the answer deadline, the blocklist's immediate reject, keepAlive, reconciliation of quiet calls
// and transfer outcomes. A real RelayService runs on a ManualClock, so deadlines and rounds fall
// exactly when the test moves time; Graph is a RecordingServer that records the relay's
// requests. Calls are driven by publishing Graph's notifications through the relay's own
// EventPublisher, as its callback endpoint does.

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
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using TestSupport::CannedResponse;
using TestSupport::RecordedRequest;

namespace {

const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString Caller = u"+14255550123"_s;
const QString PublicUrl = u"https://relay.example.org/callbacks"_s;
const QString HoldPrompt = u"https://media.example.org/hold.wav"_s;

QString callPath(const QString &callId)
{
    return u"/v1.0/communications/calls/"_s + callId;
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

} // namespace

class TstPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void unattendedAnswerFiresExactlyAtTheDeadline();
    void answeredCallGetsTheHoldPromptOnceEstablished();
    void handledCallIsLeftAlone();
    void claimedButUnhandledCallIsAnswered();
    void callThatStopsRingingIsLeftAlone();
    void unattendedNoneDoesNothing();
    void unattendedRedirectSendsTheTarget_data();
    void unattendedRedirectSendsTheTarget();
    void refusedActionIsReportedWithGraphsError();
    void blocklistedCallerIsRejectedAtOnce();
    void restartReArmsTheDeadline();
    void keepAliveEveryIntervalForAnEstablishedCall();
    void keepAlive404ExpiresTheCall();
    void keepAliveFailureIsRetriedAtTheNextRound();
    void quietCallIsReadAndTheNewsPublished();
    void quietCallThatGraphForgotExpires();
    void unchangedQuietCallAddsNoEvent();
    void completedTransferIsReported();
    void failedTransferIsReportedAndReturnsTheCallToTheQueue();
    void policyKeysAreReadAndChecked_data();
    void policyKeysAreReadAndChecked();
    void helpListsThePolicyKeys();

private:
    void startRelay();
    void restartRelay();
    void publish(const QJsonObject &notification);
    void publishRelay(const QString &kind, const QString &callId, const QJsonObject &fields);
    //! Relay events of `kind` in the journal, oldest first, each with "at" added.
    QList<QJsonObject> relayEvents(const QString &kind) const;
    //! Requests to Graph whose path ends with `suffix`.
    QList<RecordedRequest> graphRequests(const QString &suffix) const;
    //! GraphClient requests of the relay still out whose path ends with `suffix`.
    int requestsInFlight(const QString &suffix) const;
    //! An incoming call, answered by an operator (handled by alice), now established.
    void establishedCall(const QString &callId);

    QTemporaryDir m_keys;
    QString m_jwksFile;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Graph::ManualClock> m_clock;
    std::unique_ptr<TestSupport::RecordingServer> m_graph;
    Relay::RelayConfig m_config;
    std::unique_ptr<Relay::RelayService> m_relay;
    // What the fake Graph answers, per endpoint suffix ("/answer", "/keepAlive", "GET").
    QHash<QString, QList<CannedResponse>> m_answers;
};

void TstPolicy::initTestCase()
{
    QVERIFY(m_keys.isValid());
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"policy-test-key"_s);
    QVERIFY(signer.isValid());
    m_jwksFile = m_keys.filePath(u"jwks.json"_s);
    QFile file(m_jwksFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(signer.jwksJson());
}

void TstPolicy::init()
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
    m_config.operators = { { u"alice"_s, Relay::Role::Operator,
        Relay::OperatorDirectory::hashToken("alice-token") } };
}

void TstPolicy::cleanup()
{
    m_relay.reset();
    m_graph.reset();
    m_clock.reset();
    m_data.reset();
}

void TstPolicy::startRelay()
{
    m_relay = std::make_unique<Relay::RelayService>(m_config, m_clock.get());
    QString error;
    QVERIFY2(m_relay->start(&error), qPrintable(error));
    // The policy takes up the state's calls once the relay runs.
    m_clock->advance(0ms);
}

void TstPolicy::restartRelay()
{
    m_relay->shutdown();
    m_relay.reset();
    startRelay();
}

void TstPolicy::publish(const QJsonObject &notification)
{
    Relay::StreamEvent event;
    event.type = Relay::StreamEvent::Type::Notification;
    event.notification = notification;
    QList<Relay::StreamEvent> events { event };
    QString error;
    QVERIFY2(m_relay->publisher()->publish(events, &error), qPrintable(error));
}

void TstPolicy::publishRelay(const QString &kind, const QString &callId, const QJsonObject &fields)
{
    QString error;
    QVERIFY2(m_relay->publisher()->publishRelay(kind, callId, fields, &error), qPrintable(error));
}

QList<QJsonObject> TstPolicy::relayEvents(const QString &kind) const
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

QList<RecordedRequest> TstPolicy::graphRequests(const QString &suffix) const
{
    QList<RecordedRequest> matching;
    for (const RecordedRequest &request : m_graph->requests()) {
        if (request.path.startsWith("/v1.0/"_L1) && request.path.endsWith(suffix))
            matching.append(request);
    }
    return matching;
}

int TstPolicy::requestsInFlight(const QString &suffix) const
{
    int count = 0;
    for (const Graph::GraphReply *reply : m_relay->graph()->findChildren<Graph::GraphReply *>()) {
        if (!reply->isFinished() && reply->pathAndQuery().endsWith(suffix))
            ++count;
    }
    return count;
}

void TstPolicy::establishedCall(const QString &callId)
{
    publish(incoming(callId));
    publishRelay(u"handled"_s, callId, { { "by"_L1, u"alice"_s } });
    publish(updated(callId, u"establishing"_s));
    publish(updated(callId, u"established"_s));
}

void TstPolicy::unattendedAnswerFiresExactlyAtTheDeadline()
{
    startRelay();
    const QDateTime rang = m_clock->now();
    publish(incoming(CallA));
    QCOMPARE(m_relay->state()->meta(CallA).answerDeadline, rang.addSecs(10));

    m_clock->advance(9999ms);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    QVERIFY(m_relay->state()->meta(CallA).handledBy.isEmpty());
    QCOMPARE(requestsInFlight(u"/answer"_s), 0);

    m_clock->advance(1ms);
    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(policy.first().value("action"_L1).toString(), u"answered"_s);
    QCOMPARE(policy.first().value("callId"_L1).toString(), CallA);
    QCOMPARE(
        policy.first().value("at"_L1).toString(), rang.addSecs(10).toString(Qt::ISODateWithMs));
    // Published before the request: a racing operator's answer through the proxy finds it.
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"relay"_s);
    QCOMPARE(requestsInFlight(u"/answer"_s), 1);

    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
    const QJsonObject body = graphRequests(u"/answer"_s).first().json();
    QCOMPARE(graphRequests(u"/answer"_s).first().path, callPath(CallA) + u"/answer"_s);
    QCOMPARE(body.value("callbackUri"_L1).toString(), PublicUrl);
    QCOMPARE(body.value("acceptedModalities"_L1).toArray(), QJsonArray { u"audio"_s });
    QCOMPARE(body.value("mediaConfig"_L1).toObject().value("@odata.type"_L1).toString(),
        u"#microsoft.graph.serviceHostedMediaConfig"_s);

    // Never twice: later deadlines and events do not answer it again. (The first answer's
    // reply may still be on its way back on a busy machine: wait for it, then count.)
    QTRY_COMPARE(requestsInFlight(u"/answer"_s), 0);
    m_clock->advance(30s);
    QCOMPARE(relayEvents(u"policy"_s).size(), qsizetype(1));
    QCOMPARE(requestsInFlight(u"/answer"_s), 0);
    QCOMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
}

void TstPolicy::answeredCallGetsTheHoldPromptOnceEstablished()
{
    m_config.holdPromptUri = QUrl(HoldPrompt);
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(10s);
    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
    QCOMPARE(requestsInFlight(u"/playPrompt"_s), 0);

    publish(updated(CallA, u"establishing"_s));
    QCOMPARE(requestsInFlight(u"/playPrompt"_s), 0);
    publish(updated(CallA, u"established"_s));
    QTRY_COMPARE(graphRequests(u"/playPrompt"_s).size(), qsizetype(1));
    const QJsonObject body = graphRequests(u"/playPrompt"_s).first().json();
    const QJsonObject prompt = body.value("prompts"_L1).toArray().first().toObject();
    QCOMPARE(prompt.value("mediaInfo"_L1).toObject().value("uri"_L1).toString(), HoldPrompt);
    // The call stays in the queue for an operator, held by the relay.
    QCOMPARE(m_relay->state()->book().find(CallA)->call.state.value, Graph::CallState::Established);
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"relay"_s);

    // Played once, not at every update of the established call.
    QTRY_COMPARE(requestsInFlight(u"/playPrompt"_s), 0);
    publish(updated(CallA, u"established"_s,
        { { "mediaState"_L1, QJsonObject { { "audio"_L1, u"inactive"_s } } } }));
    QCOMPARE(requestsInFlight(u"/playPrompt"_s), 0);
    QCOMPARE(graphRequests(u"/playPrompt"_s).size(), qsizetype(1));
}

void TstPolicy::handledCallIsLeftAlone()
{
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(3s);
    publishRelay(u"handled"_s, CallA, { { "by"_L1, u"alice"_s } });
    m_clock->advance(7s);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    QCOMPARE(requestsInFlight(u"/answer"_s), 0);
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"alice"_s);
}

void TstPolicy::claimedButUnhandledCallIsAnswered()
{
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(3s);
    publishRelay(u"claimed"_s, CallA, { { "by"_L1, u"alice"_s } });
    m_clock->advance(7s);
    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(policy.first().value("action"_L1).toString(), u"answered"_s);
    QCOMPARE(m_relay->state()->meta(CallA).claimedBy, u"alice"_s);
    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
}

void TstPolicy::callThatStopsRingingIsLeftAlone()
{
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(4s);
    publish(notification(u"deleted"_s, CallA, u"terminated"_s,
        { { "resultInfo"_L1, resultInfo(200, 4097, u"Caller hung up"_s) } }));
    m_clock->advance(10s);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    QCOMPARE(requestsInFlight(u"/answer"_s), 0);
}

void TstPolicy::unattendedNoneDoesNothing()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(14s);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    QVERIFY(m_relay->state()->meta(CallA).handledBy.isEmpty());
    QCOMPARE(m_relay->graph()->findChildren<Graph::GraphReply *>().size(), qsizetype(0));
}

void TstPolicy::unattendedRedirectSendsTheTarget_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("identityKind");
    QTest::newRow("number") << u"+15550199"_s << u"phone"_s;
    QTest::newRow("user") << u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s << u"user"_s;
}

void TstPolicy::unattendedRedirectSendsTheTarget()
{
    QFETCH(QString, target);
    QFETCH(QString, identityKind);
    m_config.unattended = Relay::UnattendedMode::Redirect;
    m_config.redirectTarget = target;
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(9999ms);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    m_clock->advance(1ms);

    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(policy.first().value("action"_L1).toString(), u"redirected"_s);
    QCOMPARE(policy.first().value("target"_L1).toString(), target);
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"relay"_s);
    QTRY_COMPARE(graphRequests(u"/redirect"_s).size(), qsizetype(1));
    const QJsonObject body = graphRequests(u"/redirect"_s).first().json();
    const QJsonObject identity =
        body.value("targets"_L1).toArray().first().toObject().value("identity"_L1).toObject();
    QCOMPARE(identity.value(identityKind).toObject().value("id"_L1).toString(), target);
    QCOMPARE(body.value("callbackUri"_L1).toString(), PublicUrl);
    QCOMPARE(graphRequests(u"/answer"_s).size(), qsizetype(0));
}

void TstPolicy::refusedActionIsReportedWithGraphsError()
{
    m_answers[u"/answer"_s] = { CannedResponse::graphError(400, u"InvalidStateForOperation"_s,
        u"Call is not in a state to be answered"_s, u"req-7f3a"_s) };
    startRelay();
    publish(incoming(CallA));
    m_clock->advance(10s);
    QTRY_COMPARE(relayEvents(u"policy"_s).size(), qsizetype(2));
    const QJsonObject failed = relayEvents(u"policy"_s).last();
    QCOMPARE(failed.value("action"_L1).toString(), u"failed"_s);
    QCOMPARE(failed.value("attempted"_L1).toString(), u"answer"_s);
    QCOMPARE(failed.value("callId"_L1).toString(), CallA);
    QCOMPARE(failed.value("status"_L1).toInt(), 400);
    QCOMPARE(failed.value("code"_L1).toString(), u"InvalidStateForOperation"_s);
    QCOMPARE(failed.value("message"_L1).toString(), u"Call is not in a state to be answered"_s);
    QCOMPARE(failed.value("requestId"_L1).toString(), u"req-7f3a"_s);
}

void TstPolicy::blocklistedCallerIsRejectedAtOnce()
{
    m_config.blocklist = { Caller };
    startRelay();
    publish(incoming(CallA, u"+1 (425) 555-0123"_s));

    // At once: in the same turn as the incoming call, long before the deadline.
    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(policy.first().value("action"_L1).toString(), u"rejected"_s);
    QCOMPARE(policy.first().value("reason"_L1).toString(), u"blocklist"_s);
    QCOMPARE(policy.first().value("entry"_L1).toString(), Caller);
    QCOMPARE(m_relay->state()->meta(CallA).handledBy, u"relay"_s);
    QTRY_COMPARE(graphRequests(u"/reject"_s).size(), qsizetype(1));
    const RecordedRequest reject = graphRequests(u"/reject"_s).first();
    QCOMPARE(reject.path, callPath(CallA) + u"/reject"_s);
    QCOMPARE(reject.json().value("reason"_L1).toString(), u"forbidden"_s);

    // An unlisted caller rings on.
    const QString other = u"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"_s;
    publish(incoming(other, u"+14255550999"_s));
    QCOMPARE(relayEvents(u"policy"_s).size(), qsizetype(1));
    m_clock->advance(10s);
    QCOMPARE(relayEvents(u"policy"_s).size(), qsizetype(2));
    QCOMPARE(relayEvents(u"policy"_s).last().value("callId"_L1).toString(), other);
    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));
    QCOMPARE(graphRequests(u"/reject"_s).size(), qsizetype(1));
}

void TstPolicy::restartReArmsTheDeadline()
{
    startRelay();
    const QDateTime rang = m_clock->now();
    publish(incoming(CallA));
    m_clock->advance(4s);
    restartRelay();
    QCOMPARE(m_relay->state()->book().find(CallA)->call.state.value, Graph::CallState::Incoming);

    m_clock->advance(5999ms);
    QVERIFY(relayEvents(u"policy"_s).isEmpty());
    m_clock->advance(1ms);
    const QList<QJsonObject> policy = relayEvents(u"policy"_s);
    QCOMPARE(policy.size(), qsizetype(1));
    QCOMPARE(
        policy.first().value("at"_L1).toString(), rang.addSecs(10).toString(Qt::ISODateWithMs));
    QTRY_COMPARE(graphRequests(u"/answer"_s).size(), qsizetype(1));

    // A second restart finds the call handled and does not act again.
    restartRelay();
    m_clock->advance(10s);
    QCOMPARE(relayEvents(u"policy"_s).size(), qsizetype(1));
}

void TstPolicy::keepAliveEveryIntervalForAnEstablishedCall()
{
    startRelay();
    establishedCall(CallA);

    for (int round = 1; round <= 3; ++round) {
        m_clock->advance(15min - 1ms);
        QCOMPARE(requestsInFlight(u"/keepAlive"_s), 0);
        QCOMPARE(graphRequests(u"/keepAlive"_s).size(), qsizetype(round - 1));
        m_clock->advance(1ms);
        QCOMPARE(requestsInFlight(u"/keepAlive"_s), 1);
        QTRY_COMPARE(graphRequests(u"/keepAlive"_s).size(), qsizetype(round));
        QTRY_COMPARE(requestsInFlight(u"/keepAlive"_s), 0);
    }
    QCOMPARE(graphRequests(u"/keepAlive"_s).first().path, callPath(CallA) + u"/keepAlive"_s);
    QVERIFY(relayEvents(u"expired"_s).isEmpty());

    // An ended call gets no more.
    publish(notification(u"deleted"_s, CallA, u"terminated"_s));
    m_clock->advance(15min);
    QCOMPARE(requestsInFlight(u"/keepAlive"_s), 0);
}

void TstPolicy::keepAlive404ExpiresTheCall()
{
    m_answers[u"/keepAlive"_s] = { CannedResponse::graphError(
        404, u"itemNotFound"_s, u"Call not found"_s, u"req-404"_s) };
    startRelay();
    establishedCall(CallA);
    m_clock->advance(15min);
    QTRY_COMPARE(relayEvents(u"expired"_s).size(), qsizetype(1));
    QCOMPARE(relayEvents(u"expired"_s).first().value("callId"_L1).toString(), CallA);
    const Graph::CallEntry *entry = m_relay->state()->book().find(CallA);
    QVERIFY(entry->isEnded());
    QCOMPARE(entry->call.resultInfo.code, std::optional<int>(404));

    m_clock->advance(15min);
    QCOMPARE(requestsInFlight(u"/keepAlive"_s), 0);
    QCOMPARE(graphRequests(u"/keepAlive"_s).size(), qsizetype(1));
}

void TstPolicy::keepAliveFailureIsRetriedAtTheNextRound()
{
    m_answers[u"/keepAlive"_s] = {
        CannedResponse::graphError(500, u"generalException"_s, u"Internal error"_s),
        CannedResponse::empty(200),
    };
    startRelay();
    establishedCall(CallA);
    m_clock->advance(15min);
    QTRY_COMPARE(graphRequests(u"/keepAlive"_s).size(), qsizetype(1));
    QTRY_COMPARE(requestsInFlight(u"/keepAlive"_s), 0);
    QVERIFY(relayEvents(u"expired"_s).isEmpty());
    QVERIFY(!m_relay->state()->book().find(CallA)->isEnded());

    m_clock->advance(15min - 1ms);
    QCOMPARE(requestsInFlight(u"/keepAlive"_s), 0);
    m_clock->advance(1ms);
    QTRY_COMPARE(graphRequests(u"/keepAlive"_s).size(), qsizetype(2));
}

void TstPolicy::quietCallIsReadAndTheNewsPublished()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    // A call the bot placed; its "established" callback is lost.
    publish(notification(u"created"_s, CallA, u"establishing"_s,
        { { "id"_L1, CallA }, { "direction"_L1, u"outgoing"_s } }));
    m_answers[u"GET"_s] = { CannedResponse::json(200,
        { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, CallA },
            { "state"_L1, u"established"_s }, { "direction"_L1, u"outgoing"_s } }) };

    m_clock->advance(119s);
    QCOMPARE(requestsInFlight(callPath(CallA).mid(5)), 0);
    m_clock->advance(1s);
    QCOMPARE(requestsInFlight(callPath(CallA).mid(5)), 1);
    // Later scans while the GET is out do not send another.
    m_clock->advance(30s);
    m_clock->advance(30s);
    QCOMPARE(requestsInFlight(callPath(CallA).mid(5)), 1);

    QTRY_COMPARE(
        m_relay->state()->book().find(CallA)->call.state.value, Graph::CallState::Established);
    QCOMPARE(graphRequests(callPath(CallA)).size(), qsizetype(1));
    QCOMPARE(graphRequests(callPath(CallA)).first().method, QByteArray("GET"));
    const QList<Relay::StreamEvent> events = m_relay->journal()->readAfter(0);
    const Relay::StreamEvent &last = events.last();
    QCOMPARE(last.type, Relay::StreamEvent::Type::Notification);
    QCOMPARE(last.notification.value("frontdeskSource"_L1).toString(), u"reconciliation"_s);
    QCOMPARE(last.notification.value("changeType"_L1).toString(), u"updated"_s);
    QCOMPARE(last.notification.value("resourceUrl"_L1).toString(),
        QString(u"/communications/calls/"_s + CallA));
    QCOMPARE(last.notification.value("resourceData"_L1).toObject().value("state"_L1).toString(),
        u"established"_s);
}

void TstPolicy::quietCallThatGraphForgotExpires()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    establishedCall(CallA);
    m_answers[u"GET"_s] = { CannedResponse::graphError(
        404, u"itemNotFound"_s, u"Call not found"_s) };
    m_clock->advance(2min);
    QTRY_COMPARE(relayEvents(u"expired"_s).size(), qsizetype(1));
    QCOMPARE(relayEvents(u"expired"_s).first().value("callId"_L1).toString(), CallA);
    const Graph::CallEntry *entry = m_relay->state()->book().find(CallA);
    QVERIFY(entry->isEnded());
    QCOMPARE(entry->call.resultInfo.code, std::optional<int>(404));
    // An ended call is not read again.
    m_clock->advance(5min);
    QCOMPARE(graphRequests(callPath(CallA)).size(), qsizetype(1));
}

void TstPolicy::unchangedQuietCallAddsNoEvent()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    establishedCall(CallA);
    m_answers[u"GET"_s] = { CannedResponse::json(200,
        { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, CallA },
            { "state"_L1, u"established"_s } }) };
    const qint64 seq = m_relay->journal()->lastSeq();
    m_clock->advance(2min);
    QTRY_COMPARE(graphRequests(callPath(CallA)).size(), qsizetype(1));
    QTRY_COMPARE(requestsInFlight(callPath(CallA).mid(5)), 0);
    QCOMPARE(m_relay->journal()->lastSeq(), seq);
    // The check counts as news: the next read is reconcileAfterSeconds later, not at each scan.
    m_clock->advance(90s);
    QCOMPARE(requestsInFlight(callPath(CallA).mid(5)), 0);
    m_clock->advance(30s);
    QCOMPARE(requestsInFlight(callPath(CallA).mid(5)), 1);
}

void TstPolicy::completedTransferIsReported()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    establishedCall(CallA);
    publish(updated(CallA, u"transferring"_s));
    publish(updated(CallA, u"transferAccepted"_s));
    QVERIFY(relayEvents(u"transfer"_s).isEmpty());
    publish(notification(u"deleted"_s, CallA, u"terminated"_s,
        { { "resultInfo"_L1, resultInfo(0, 7015, u"GracefulTransferCompleted"_s) } }));

    const QList<QJsonObject> transfers = relayEvents(u"transfer"_s);
    QCOMPARE(transfers.size(), qsizetype(1));
    QCOMPARE(transfers.first().value("callId"_L1).toString(), CallA);
    QCOMPARE(transfers.first().value("outcome"_L1).toString(), u"completed"_s);
    QCOMPARE(transfers.first().value("code"_L1).toInt(), 0);
    QCOMPARE(transfers.first().value("subcode"_L1).toInt(), 7015);
}

void TstPolicy::failedTransferIsReportedAndReturnsTheCallToTheQueue()
{
    m_config.unattended = Relay::UnattendedMode::None;
    startRelay();
    establishedCall(CallA);
    publishRelay(u"claimed"_s, CallA, { { "by"_L1, u"alice"_s } });
    publish(updated(CallA, u"transferring"_s));
    // A duplicate changes nothing.
    publish(updated(CallA, u"transferring"_s));
    publish(updated(CallA, u"established"_s,
        { { "resultInfo"_L1, resultInfo(500, 7000, u"Transfer failed"_s) } }));

    const QList<QJsonObject> transfers = relayEvents(u"transfer"_s);
    QCOMPARE(transfers.size(), qsizetype(1));
    QCOMPARE(transfers.first().value("outcome"_L1).toString(), u"failed"_s);
    QCOMPARE(transfers.first().value("code"_L1).toInt(), 500);
    QCOMPARE(transfers.first().value("subcode"_L1).toInt(), 7000);
    QCOMPARE(transfers.first().value("message"_L1).toString(), u"Transfer failed"_s);
    // Back in the queue: nobody holds it, and it is still established.
    const Graph::RelayProtocol::CallMeta meta = m_relay->state()->meta(CallA);
    QVERIFY(meta.claimedBy.isEmpty());
    QVERIFY(meta.handledBy.isEmpty());
    QCOMPARE(m_relay->state()->book().find(CallA)->call.state.value, Graph::CallState::Established);

    // The next transfer is followed again.
    publish(updated(CallA, u"transferring"_s));
    publish(notification(u"deleted"_s, CallA, u"terminated"_s,
        { { "resultInfo"_L1, resultInfo(0, 7015, u"GracefulTransferCompleted"_s) } }));
    QCOMPARE(relayEvents(u"transfer"_s).size(), qsizetype(2));
    QCOMPARE(relayEvents(u"transfer"_s).last().value("outcome"_L1).toString(), u"completed"_s);
}

void TstPolicy::policyKeysAreReadAndChecked_data()
{
    QTest::addColumn<QString>("line"); // in [policy]
    QTest::addColumn<QString>("error"); // empty: loads
    QTest::addColumn<int>("keepAliveMinutes");
    QTest::addColumn<int>("reconcileAfterSeconds");
    QTest::addColumn<QStringList>("blocklist");
    QTest::newRow("defaults") << QString() << QString() << 15 << 120 << QStringList();
    QTest::newRow("keepAlive") << u"keepAliveMinutes=5"_s << QString() << 5 << 120 << QStringList();
    QTest::newRow("reconcile") << u"reconcileAfterSeconds=30"_s << QString() << 15 << 30
                               << QStringList();
    QTest::newRow("keepAlive too long")
        << u"keepAliveMinutes=45"_s
        << u"[policy] keepAliveMinutes: must be between 1 and 44 (got 45)"_s << 0 << 0
        << QStringList();
    QTest::newRow("keepAlive not a number")
        << u"keepAliveMinutes=soon"_s
        << u"[policy] keepAliveMinutes: must be between 1 and 44 (got soon)"_s << 0 << 0
        << QStringList();
    QTest::newRow("reconcile zero")
        << u"reconcileAfterSeconds=0"_s
        << u"[policy] reconcileAfterSeconds: must be between 1 and 86400 (got 0)"_s << 0 << 0
        << QStringList();
    QTest::newRow("blocklist normalised")
        << u"blocklist=+1-555-010-0100,(+49)30.1234567,ALEX@contoso"_s << QString() << 15 << 120
        << QStringList({ u"+15550100100"_s, u"+49301234567"_s, u"alex@contoso"_s });
    QTest::newRow("blocklist bad number")
        << u"blocklist=+15550100,+1555CALLME"_s
        << u"[policy] blocklist: a number may hold only digits, spaces, dashes, dots and "
           u"parentheses (got +1555CALLME)"_s
        << 0 << 0 << QStringList();
    QTest::newRow("blocklist number without plus")
        << u"blocklist=5550100"_s
        << u"[policy] blocklist: a number must be +E.164: a plus sign, then 2 to 15 digits "
           u"(got 5550100)"_s
        << 0 << 0 << QStringList();
}

void TstPolicy::policyKeysAreReadAndChecked()
{
    QFETCH(QString, line);
    QFETCH(QString, error);
    QFETCH(int, keepAliveMinutes);
    QFETCH(int, reconcileAfterSeconds);
    QFETCH(QStringList, blocklist);
    const QString path = m_data->filePath(u"relay.ini"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[graph]\ntenantId=t\nclientId=c\n[callbacks]\n"
               "publicUrl=https://relay.example.org/callbacks\n[policy]\n");
    file.write(line.toUtf8() + '\n');
    file.close();

    QString why;
    const std::optional<Relay::RelayConfig> config =
        Relay::RelayConfig::load(path, QProcessEnvironment(), &why);
    if (!error.isEmpty()) {
        QVERIFY(!config);
        QCOMPARE(why, error);
        return;
    }
    QVERIFY2(config, qPrintable(why));
    QCOMPARE(config->keepAlive, std::chrono::minutes(keepAliveMinutes));
    QCOMPARE(config->reconcileAfter, std::chrono::seconds(reconcileAfterSeconds));
    QCOMPARE(config->blocklist, blocklist);

    // The environment overrides the file, as for every key.
    QProcessEnvironment env;
    env.insert(u"FRONTDESK_RELAY_POLICY_KEEPALIVEMINUTES"_s, u"7"_s);
    env.insert(u"FRONTDESK_RELAY_POLICY_RECONCILEAFTERSECONDS"_s, u"45"_s);
    const std::optional<Relay::RelayConfig> overridden = Relay::RelayConfig::load(path, env, &why);
    QVERIFY2(overridden, qPrintable(why));
    QCOMPARE(overridden->keepAlive, 7min);
    QCOMPARE(overridden->reconcileAfter, 45s);
}

void TstPolicy::helpListsThePolicyKeys()
{
    const QString reference = Relay::RelayConfig::keyReference();
    const qsizetype policy = reference.indexOf("[policy]"_L1);
    const qsizetype journal = reference.indexOf("[journal]"_L1);
    QVERIFY(policy >= 0 && journal > policy);
    const QString section = reference.mid(policy, journal - policy);
    QVERIFY2(section.contains("keepAliveMinutes"_L1), qPrintable(section));
    QVERIFY2(section.contains("reconcileAfterSeconds"_L1), qPrintable(section));
    QVERIFY(section.contains("default: 15"_L1));
    QVERIFY(section.contains("default: 120"_L1));
}

QTEST_GUILESS_MAIN(TstPolicy)
#include "tst_policy.moc"

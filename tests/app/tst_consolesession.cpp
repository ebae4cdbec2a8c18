// ConsoleSession against the real thing, in one process on loopback: the sandbox plays Graph,
// the relay streams its callbacks and proxies the session's actions. Each action is checked
// where it lands (the sandbox's state) and in the result the session reports.

#include "app/consolesession.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "graph/retrypolicy.h"
#include "models/callstore.h"
#include "relay/journal.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"
#include "sandbox/sandboxserver.h"
#include "sandboxasgraph.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString AliceToken = u"alice-operator-token-5b1e"_s;
const QString BobToken = u"bob-operator-token-90c4"_s;
const QString SamToken = u"sam-supervisor-token-77d2"_s;
constexpr auto RelayAnswerDeadline = 7s;

//! Sandbox and relay in this process, the relay's unattended policy off so that only the
//! session acts on calls.
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Relay::RelayService> relay;
    Models::CallStore store;

    QString start()
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 3; // Graph's 15 s ring timeout becomes 5 s
        sandboxConfig.seed = 11;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();

        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = 0;
        config.dataDir = dataDir.path();
        TestSupport::useSandboxAsGraph(config, *sandbox);
        config.publicUrl = QUrl(u"http://127.0.0.1/callbacks"_s); // the port is known below
        config.unattended = Relay::UnattendedMode::None;
        config.answerDeadline = RelayAnswerDeadline;
        config.operators = {
            { u"alice"_s, Relay::Role::Operator,
                Relay::OperatorDirectory::hashToken(AliceToken.toUtf8()) },
            { u"bob"_s, Relay::Role::Operator,
                Relay::OperatorDirectory::hashToken(BobToken.toUtf8()) },
            { u"sam"_s, Relay::Role::Supervisor,
                Relay::OperatorDirectory::hashToken(SamToken.toUtf8()) },
        };
        // The callback URL Graph is given must be the relay's own: start once to learn the
        // port, then again on that port with the right publicUrl.
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
        sandbox->engine()->setGlobalCallbackUrl(
            relay->baseUrl().resolved(QUrl(u"/callbacks"_s)).toString());
        return {};
    }

    std::unique_ptr<App::ConsoleSession> session(const QString &token)
    {
        auto s =
            std::make_unique<App::ConsoleSession>(relay->baseUrl(), token, &nam, &clock, &store);
        // Chaos answers 503 with a short Retry-After; the policy's own backoff is made short
        // too, so that "beyond retries" takes well under a second.
        Graph::RetryPolicy fast;
        fast.setBaseDelay(10ms);
        fast.setMaxJitter(0ms);
        s->graph()->setRetryPolicy(fast);
        return s;
    }

    QString ring(const QString &name, const QString &phone)
    {
        return sandbox->engine()->incoming(Sandbox::Caller { name, phone, {} });
    }

    //! A call as the sandbox holds it: the Graph resource with participants and operations.
    QJsonObject sandboxCall(const QString &callId) const
    {
        const QJsonArray calls = sandbox->engine()->state().value("calls"_L1).toArray();
        for (const QJsonValue &call : calls) {
            if (Graph::sameId(call.toObject().value("id"_L1).toString(), callId))
                return call.toObject();
        }
        return {};
    }
    QString sandboxState(const QString &callId) const
    {
        return sandboxCall(callId).value("state"_L1).toString();
    }
    QString consoleState(const QString &callId) const
    {
        const Graph::CallEntry *entry = store.entry(callId);
        return entry ? entry->call.state.text : QString();
    }

    //! GET on the relay's own API with `token`; the parsed JSON answer.
    QJsonObject relayApi(const QString &path, const QString &token)
    {
        QNetworkRequest request(relay->baseUrl().resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(10000))
            return {};
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object();
    }
};

//! Waits for the session's next result and returns it.
Gui::ActionResult nextResult(QSignalSpy &spy, int index = 0)
{
    if (spy.size() <= index && !QTest::qWaitFor([&] { return spy.size() > index; }, 20000))
        return {};
    return spy.at(index).at(0).value<Gui::ActionResult>();
}

QString describe(const Gui::ActionResult &r)
{
    return u"%1 %2: ok=%3 status=%4 code=%5 message=%6 request-id=%7"_s.arg(r.action, r.callId)
        .arg(r.ok)
        .arg(r.httpStatus)
        .arg(r.code, r.message, r.requestId);
}

} // namespace

class TstConsoleSession final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void helloSetsOperatorRoleAndAnswerDeadline();
    void snapshotAndEventsFillTheStoreAndAnnounceIncomingCalls();
    void eventLatencyIsMeasuredAndTickAnnouncesTimeAndLatency();
    void answerEstablishesTheCallInTheSandbox();
    void rejectAsSpamRejectsForbiddenAndBlocklistsTheNumber();
    void rejectEndsTheCallInTheSandbox();
    void redirectHandsTheCallToTheTarget();
    void blindTransferEndsTheBotsLeg();
    void consultativeTransferReplacesTheConsultationCall();
    void hangUpTerminatesTheCall();
    void playPromptStartsAnOperationInTheSandbox();
    void collectDigitsDeliversTonesToTheStore();
    void inviteAddsAParticipantInTheSandbox();
    void supervisorMutesAParticipantInTheSandbox();
    void operatorMayNotMuteAParticipant();
    void answeringAnEndedCallReportsItemNotFound();
    void chaosBeyondRetriesReportsServiceUnavailable();
    void claimAndReleaseReachTheRelay();
    void claimHeldByAnotherOperatorIsRefused();
    void refusedTokenReportsAuthenticationFailed();
    void remindersAreCreatedListedAndCancelledThroughTheRelay();

private:
    std::unique_ptr<System> m_system;
    std::unique_ptr<App::ConsoleSession> m_session;
    std::unique_ptr<QSignalSpy> m_results; // every actionFinished of m_session

    //! A session with `token`, connected, with its first snapshot applied.
    bool connectAs(const QString &token);
    //! Runs `act` and returns the first result the session reports after it.
    Gui::ActionResult run(const std::function<void()> &act);
    //! A ringing call the console has seen.
    QString ringingCall(
        const QString &name = u"Irina Smirnova"_s, const QString &phone = u"+74951234567"_s);
    //! An established call the console has seen, answered through the session.
    QString establishedCall(
        const QString &name = u"Lena Vogel"_s, const QString &phone = u"+4930123456"_s);
    //! An established group call with three others in it, and one of them who is not muted.
    QString groupCall(QString *someone);
    bool mutedInSandbox(const QString &callId, const QString &participantId) const;
};

void TstConsoleSession::initTestCase()
{
    qRegisterMetaType<Gui::ActionResult>();
    qRegisterMetaType<Gui::ConnectionStatus>();
}

void TstConsoleSession::init()
{
    m_system = std::make_unique<System>();
    QVERIFY(m_system->dataDir.isValid());
    const QString error = m_system->start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstConsoleSession::cleanup()
{
    m_results.reset();
    m_session.reset();
    m_system.reset();
}

bool TstConsoleSession::connectAs(const QString &token)
{
    m_session = m_system->session(token);
    m_results = std::make_unique<QSignalSpy>(m_session.get(), &App::ConsoleSession::actionFinished);
    m_session->start();
    // Connected comes with the upgrade; the relay's hello, with the role, is the next frame.
    return QTest::qWaitFor(
        [&] {
            return m_session->connectionStatus() == Gui::ConnectionStatus::Connected
                && !m_session->operatorName().isEmpty();
        },
        10000);
}

Gui::ActionResult TstConsoleSession::run(const std::function<void()> &act)
{
    const int index = int(m_results->size());
    act();
    return nextResult(*m_results, index);
}

QString TstConsoleSession::ringingCall(const QString &name, const QString &phone)
{
    const QString callId = m_system->ring(name, phone);
    if (!QTest::qWaitFor([&] { return m_system->consoleState(callId) == "incoming"_L1; }, 5000))
        return {};
    return callId;
}

QString TstConsoleSession::establishedCall(const QString &name, const QString &phone)
{
    const QString callId = ringingCall(name, phone);
    if (callId.isEmpty())
        return {};
    if (!run([&] { m_session->answer(callId); }).ok)
        return {};
    if (!QTest::qWaitFor([&] { return m_system->consoleState(callId) == "established"_L1; }, 10000))
        return {};
    return callId;
}

QString TstConsoleSession::groupCall(QString *someone)
{
    Sandbox::IncomingOptions group;
    group.groupInvite = true;
    group.subject = u"Ward round"_s;
    group.groupSize = 3;
    const QString callId = m_system->sandbox->engine()->incoming(
        Sandbox::Caller { u"Dr. Amelia Koch"_s, {}, u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s },
        group);
    if (!QTest::qWaitFor([&] { return m_system->consoleState(callId) == "incoming"_L1; }, 5000))
        return {};
    if (!run([&] { m_session->answer(callId); }).ok)
        return {};
    const auto roster = [&] {
        const Graph::CallEntry *entry = m_system->store.entry(callId);
        return entry && entry->participants.size() >= 4 ? entry : nullptr;
    };
    if (!QTest::qWaitFor([&] { return roster() != nullptr; }, 10000))
        return {};
    for (const Graph::Participant &p : roster()->participants) {
        if (!p.isMuted && !Graph::sameId(p.id, roster()->call.myParticipantId))
            *someone = p.id;
    }
    return callId;
}

bool TstConsoleSession::mutedInSandbox(const QString &callId, const QString &participantId) const
{
    for (const QJsonValue &p : m_system->sandboxCall(callId).value("participants"_L1).toArray()) {
        const Graph::Participant participant = Graph::decodeParticipant(p.toObject());
        if (Graph::sameId(participant.id, participantId))
            return participant.isMuted;
    }
    return false;
}

void TstConsoleSession::helloSetsOperatorRoleAndAnswerDeadline()
{
    m_session = m_system->session(AliceToken);
    QSignalSpy operatorChanged(m_session.get(), &App::ConsoleSession::operatorChanged);
    QSignalSpy status(m_session.get(), &App::ConsoleSession::connectionStatusChanged);
    QCOMPARE(m_system->store.answerDeadline(), 15000ms); // Graph's, until the relay says
    m_session->start();

    QTRY_COMPARE(operatorChanged.size(), 1);
    QCOMPARE(operatorChanged.at(0).at(0).toString(), u"alice"_s);
    QCOMPARE(operatorChanged.at(0).at(1).toString(), u"operator"_s);
    QCOMPARE(m_session->operatorName(), u"alice"_s);
    QVERIFY(!m_session->isSupervisor());
    QCOMPARE(m_system->store.answerDeadline(), std::chrono::milliseconds(RelayAnswerDeadline));
    QTRY_COMPARE(m_session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QCOMPARE(
        status.first().at(0).value<Gui::ConnectionStatus>(), Gui::ConnectionStatus::Connecting);
}

void TstConsoleSession::snapshotAndEventsFillTheStoreAndAnnounceIncomingCalls()
{
    // A call that rang before the console connected arrives in the snapshot...
    const QString before = m_system->ring(u"Kenji Watanabe"_s, u"+81312345678"_s);
    QTRY_VERIFY(m_system->relay->state()->book().find(before));
    QVERIFY(connectAs(AliceToken));
    QTRY_COMPARE(m_system->consoleState(before), u"incoming"_s);

    // ...and one that rings afterwards through an event, which is announced.
    QSignalSpy incoming(m_session.get(), &App::ConsoleSession::incomingCall);
    const QString after = ringingCall();
    QVERIFY(!after.isEmpty());
    QTRY_COMPARE(incoming.size(), 1);
    QVERIFY(Graph::sameId(incoming.at(0).at(0).toString(), after));
    QCOMPARE(m_system->store.seq(), m_system->relay->journal()->lastSeq());
    // Frames are applied within the store's pass budget, which its expiry passes share.
    QCOMPARE(m_session->connection()->passBudget(), m_system->store.passBudget());
}

void TstConsoleSession::eventLatencyIsMeasuredAndTickAnnouncesTimeAndLatency()
{
    QVERIFY(connectAs(AliceToken));
    QCOMPARE(m_session->latencySamples(), 0);
    QCOMPARE(m_session->eventLatencyP95(), 0us);
    const qint64 seqBefore = m_system->store.seq();
    QVERIFY(!ringingCall().isEmpty());
    QTRY_COMPARE(m_system->store.seq(), m_system->relay->journal()->lastSeq());

    QCOMPARE(m_session->latencySamples(), int(m_system->store.seq() - seqBefore));
    QVERIFY(m_session->eventLatencyP95() > 0us);
    QVERIFY(m_session->eventLatencyP95() < 1s);

    QSignalSpy latency(m_session.get(), &App::ConsoleSession::eventLatencyChanged);
    QSignalSpy ticked(m_session.get(), &App::ConsoleSession::ticked);
    const QDateTime now = m_system->clock.now();
    m_session->tick(now);
    QCOMPARE(ticked.size(), 1);
    QCOMPARE(ticked.at(0).at(0).toDateTime(), now);
    QCOMPARE(latency.size(), 1);
    QCOMPARE(latency.at(0).at(0).value<std::chrono::microseconds>(), m_session->eventLatencyP95());
    QVERIFY(!m_system->store.ids().isEmpty()); // a tick drops only calls ended long ago
    QVERIFY(ticked.wait(3000)); // start() ticks by itself, once a second on the Clock

    m_session->setLatencyWindow(1);
    QCOMPARE(m_session->latencySamples(), 1);
}

void TstConsoleSession::answerEstablishesTheCallInTheSandbox()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    QVERIFY(!callId.isEmpty());
    const Gui::ActionResult result = run([&] { m_session->answer(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"answer"_s);
    QCOMPARE(result.callId, callId);
    QCOMPARE(result.httpStatus, 202);
    QVERIFY(!result.requestId.isEmpty());
    QTRY_COMPARE(m_system->sandboxState(callId), u"established"_s);
    // The relay put its own callback URL in, so the call's events keep reaching the console.
    QCOMPARE(m_system->sandboxCall(callId).value("callbackUri"_L1).toString(),
        m_system->relay->config().publicUrl.toString());
    QTRY_COMPARE(m_system->consoleState(callId), u"established"_s);
    QCOMPARE(m_results->size(), 1); // and never twice
}

void TstConsoleSession::rejectAsSpamRejectsForbiddenAndBlocklistsTheNumber()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall(u"Prize Desk"_s, u"+18885550199"_s);
    QSignalSpy log(m_session.get(), &App::ConsoleSession::logMessage);
    const Gui::ActionResult result = run([&] { m_session->rejectAsSpam(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"rejectAsSpam"_s);
    QTRY_COMPARE(m_system->sandboxState(callId), u"terminated"_s);
    QCOMPARE(m_system->sandboxCall(callId).value("resultInfo"_L1)["code"_L1].toInt(), 403);
    // The caller's number is on the relay's blocklist, the log says so, and nothing failed.
    QTRY_VERIFY(std::any_of(log.cbegin(), log.cend(), [](const QList<QVariant> &line) {
        return line.at(0).toString().contains(u"+18885550199"_s);
    }));
    QVERIFY(m_system->relayApi(u"/api/blocklist"_s, AliceToken)
                .value("entries"_L1)
                .toArray()
                .contains(u"+18885550199"_s));
    QCOMPARE(m_results->size(), 1); // and never twice
}

void TstConsoleSession::rejectEndsTheCallInTheSandbox()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    const Gui::ActionResult result = run([&] { m_session->reject(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"reject"_s);
    QTRY_COMPARE(m_system->sandboxState(callId), u"terminated"_s);
    // Reason none: the sandbox ends it as "declined".
    QCOMPARE(m_system->sandboxCall(callId).value("resultInfo"_L1)["code"_L1].toInt(), 603);
    QTRY_COMPARE(m_system->consoleState(callId), u"terminated"_s);
}

void TstConsoleSession::redirectHandsTheCallToTheTarget()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    Gui::RedirectRequest request;
    request.targets = { { Gui::CallTarget::Kind::User, u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s,
        u"Dr. Amelia Koch"_s } };
    request.timeoutSeconds = 20;
    const Gui::ActionResult result = run([&] { m_session->redirect(callId, request); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"redirect"_s);
    QTRY_COMPARE(m_system->sandboxState(callId), u"terminated"_s);
    QCOMPARE(m_system->sandboxCall(callId).value("resultInfo"_L1)["message"_L1].toString(),
        u"Call redirected"_s);
}

void TstConsoleSession::blindTransferEndsTheBotsLeg()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = establishedCall();
    QVERIFY(!callId.isEmpty());
    Gui::TransferRequest request;
    request.target = { Gui::CallTarget::Kind::Phone, u"+74951234500"_s, u"Reception 2"_s };
    const Gui::ActionResult result = run([&] { m_session->transfer(callId, request); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"transfer"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_system->sandboxState(callId), u"terminated"_s, 10000);
    QCOMPARE(m_system->sandboxCall(callId).value("resultInfo"_L1)["subcode"_L1].toInt(), 7015);
}

void TstConsoleSession::consultativeTransferReplacesTheConsultationCall()
{
    QVERIFY(connectAs(AliceToken));
    const QString caller = establishedCall();
    const QString consultation = establishedCall(u"Dr. Amelia Koch"_s, u"+4930555000"_s);
    QVERIFY(!caller.isEmpty());
    QVERIFY(!consultation.isEmpty());
    Gui::TransferRequest request;
    request.target = { Gui::CallTarget::Kind::Phone, u"+4930555000"_s, u"Dr. Amelia Koch"_s };
    request.replacesCallId = consultation;
    const Gui::ActionResult result = run([&] { m_session->transfer(caller, request); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    // The sandbox accepts replacesCallId only when it names another established call, and
    // ends that consultation leg with the transferred one.
    QTRY_COMPARE_WITH_TIMEOUT(m_system->sandboxState(caller), u"terminated"_s, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_system->sandboxState(consultation), u"terminated"_s, 10000);
}

void TstConsoleSession::hangUpTerminatesTheCall()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = establishedCall();
    QVERIFY(!callId.isEmpty());
    const Gui::ActionResult result = run([&] { m_session->hangUp(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"hangUp"_s);
    QTRY_COMPARE(m_system->sandboxState(callId), u"terminated"_s);
    QTRY_COMPARE(m_system->consoleState(callId), u"terminated"_s);
}

void TstConsoleSession::playPromptStartsAnOperationInTheSandbox()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = establishedCall();
    QVERIFY(!callId.isEmpty());
    const Gui::ActionResult result = run([&] {
        m_session->playPrompt(callId, QUrl(u"https://cdn.example.org/prompts/welcome.wav"_s));
    });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"playPrompt"_s);
    const QJsonArray operations = m_system->sandboxCall(callId).value("operations"_L1).toArray();
    QVERIFY(std::any_of(operations.begin(), operations.end(), [](const QJsonValue &op) {
        return op.toObject().value("@odata.type"_L1).toString().contains("playPrompt"_L1);
    }));
}

void TstConsoleSession::collectDigitsDeliversTonesToTheStore()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = establishedCall();
    QVERIFY(!callId.isEmpty());
    const Gui::ActionResult result = run([&] { m_session->collectDigits(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"collectDigits"_s);
    QVERIFY(m_system->sandbox->engine()->tones(callId, u"12#"_s).status < 300);
    QTRY_COMPARE(m_system->store.tones(callId), u"12#"_s);
}

void TstConsoleSession::inviteAddsAParticipantInTheSandbox()
{
    QVERIFY(connectAs(AliceToken));
    QString someone;
    const QString callId = groupCall(&someone); // Graph invites into group calls only
    QVERIFY(!callId.isEmpty());
    const auto sandboxRoster = [&] {
        return m_system->sandboxCall(callId).value("participants"_L1).toArray().size();
    };
    const qsizetype before = sandboxRoster();
    Gui::InviteRequest request;
    request.participants = { { Gui::CallTarget::Kind::User,
        u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s, u"Alex Wilber"_s } };
    const Gui::ActionResult result = run([&] { m_session->invite(callId, request); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"invite"_s);
    QTRY_VERIFY_WITH_TIMEOUT(sandboxRoster() > before, 10000);
    QTRY_COMPARE(m_system->store.entry(callId)->participants.size(), sandboxRoster());
}

void TstConsoleSession::supervisorMutesAParticipantInTheSandbox()
{
    QVERIFY(connectAs(SamToken));
    QVERIFY(m_session->isSupervisor());
    QString someone;
    const QString callId = groupCall(&someone);
    QVERIFY(!callId.isEmpty());
    QVERIFY(!someone.isEmpty());
    const Gui::ActionResult result = run([&] { m_session->muteParticipant(callId, someone); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"muteParticipant"_s);
    QVERIFY(mutedInSandbox(callId, someone));
    QTRY_VERIFY(m_system->store.entry(callId)->participant(someone)->isMuted);
}

void TstConsoleSession::operatorMayNotMuteAParticipant()
{
    QVERIFY(connectAs(AliceToken));
    QString someone;
    const QString callId = groupCall(&someone);
    QVERIFY(!callId.isEmpty());
    const Gui::ActionResult result = run([&] { m_session->muteParticipant(callId, someone); });
    QVERIFY2(!result.ok, qPrintable(describe(result)));
    QCOMPARE(result.httpStatus, 403);
    QVERIFY(!result.code.isEmpty());
    QVERIFY(!result.message.isEmpty());
    QVERIFY(!result.requestId.isEmpty());
    QVERIFY(!mutedInSandbox(callId, someone));
}

void TstConsoleSession::answeringAnEndedCallReportsItemNotFound()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    QVERIFY(m_system->sandbox->engine()->remoteHangup(callId).status < 300);
    QTRY_COMPARE(m_system->consoleState(callId), u"terminated"_s);

    const Gui::ActionResult result = run([&] { m_session->answer(callId); });
    QVERIFY2(!result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"answer"_s);
    QCOMPARE(result.httpStatus, 404);
    QCOMPARE(result.code, u"itemNotFound"_s);
    QVERIFY(result.message.contains(callId));
    QVERIFY(!result.requestId.isEmpty());
    QCOMPARE(m_results->size(), 1); // and never twice
}

void TstConsoleSession::chaosBeyondRetriesReportsServiceUnavailable()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    // The relay retries too: its own backoff is made short as well.
    Graph::RetryPolicy fast;
    fast.setBaseDelay(10ms);
    fast.setMaxJitter(0ms);
    m_system->relay->graph()->setRetryPolicy(fast);
    Sandbox::ChaosConfig chaos;
    chaos.errorRate = 1.0;
    chaos.retryAfterSeconds = 0.01;
    m_system->sandbox->chaos()->setConfig(chaos);

    const Gui::ActionResult result = run([&] { m_session->answer(callId); });
    QVERIFY2(!result.ok, qPrintable(describe(result)));
    QCOMPARE(result.httpStatus, 503);
    QCOMPARE(result.code, u"serviceNotAvailable"_s);
    QVERIFY(!result.message.isEmpty());
    QVERIFY(!result.requestId.isEmpty());
    QCOMPARE(m_results->size(), 1); // and never twice
    QCOMPARE(m_system->sandboxState(callId), u"incoming"_s); // a refused request did nothing
}

void TstConsoleSession::claimAndReleaseReachTheRelay()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    Gui::ActionResult result = run([&] { m_session->claim(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"claim"_s);
    QCOMPARE(result.httpStatus, 200);
    QTRY_COMPARE(m_system->store.meta(callId).claimedBy, u"alice"_s);

    result = run([&] { m_session->release(callId); });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.action, u"release"_s);
    QCOMPARE(result.httpStatus, 204);
    QTRY_VERIFY(m_system->store.meta(callId).claimedBy.isEmpty());
}

void TstConsoleSession::claimHeldByAnotherOperatorIsRefused()
{
    QVERIFY(connectAs(AliceToken));
    const QString callId = ringingCall();
    const Gui::ActionResult claimed = run([&] { m_session->claim(callId); });
    QVERIFY2(claimed.ok, qPrintable(describe(claimed)));

    Models::CallStore bobsStore;
    App::ConsoleSession bob(
        m_system->relay->baseUrl(), BobToken, &m_system->nam, &m_system->clock, &bobsStore);
    QSignalSpy bobFinished(&bob, &App::ConsoleSession::actionFinished);
    bob.claim(callId);
    const Gui::ActionResult refused = nextResult(bobFinished);
    QVERIFY2(!refused.ok, qPrintable(describe(refused)));
    QCOMPARE(refused.httpStatus, 409);
    QVERIFY2(refused.message.contains(u"alice"_s), qPrintable(refused.message));
    // An action on the call claimed by alice is refused for bob as well.
    bob.answer(callId);
    const Gui::ActionResult answer = nextResult(bobFinished, 1);
    QCOMPARE(answer.httpStatus, 409);
    QCOMPARE(m_system->sandboxState(callId), u"incoming"_s);
}

void TstConsoleSession::refusedTokenReportsAuthenticationFailed()
{
    m_session = m_system->session(u"not-a-token"_s);
    QSignalSpy refused(m_session.get(), &App::ConsoleSession::authenticationFailed);
    m_session->start();
    QTRY_COMPARE(refused.size(), 1);
    QCOMPARE(m_session->connectionStatus(), Gui::ConnectionStatus::Offline);

    // A right token from the settings dialog connects without a restart.
    QSignalSpy operatorChanged(m_session.get(), &App::ConsoleSession::operatorChanged);
    m_session->setToken(AliceToken);
    QTRY_COMPARE(operatorChanged.size(), 1);
    QTRY_COMPARE(m_session->connectionStatus(), Gui::ConnectionStatus::Connected);
}

void TstConsoleSession::remindersAreCreatedListedAndCancelledThroughTheRelay()
{
    QVERIFY(connectAs(AliceToken));
    QSignalSpy listed(m_session.get(), &App::ConsoleSession::remindersListed);
    QSignalSpy created(m_session.get(), &App::ConsoleSession::reminderCreated);
    QSignalSpy failed(m_session.get(), &App::ConsoleSession::reminderRequestFailed);
    QSignalSpy events(m_session.get(), &App::ConsoleSession::reminderEvent);

    const QString at = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODateWithMs);
    m_session->createReminder({ { "target"_L1, u"+4930123456"_s }, { "at"_L1, at },
        { "prompt"_L1, u"https://media.example.org/reminder.wav"_s } });
    QTRY_COMPARE(created.size(), 1);
    const QString id = created.at(0).at(0).value<QJsonObject>().value("id"_L1).toString();
    QVERIFY(!id.isEmpty());
    // A fresh list follows, and the relay's event reaches the stream.
    QTRY_COMPARE(listed.size(), 1);
    const auto reminders = listed.at(0).at(0).value<QList<QJsonObject>>();
    QCOMPARE(reminders.size(), qsizetype(1));
    QCOMPARE(reminders.at(0).value("state"_L1).toString(), u"scheduled"_s);
    QTRY_COMPARE(events.size(), 1);
    QCOMPARE(events.at(0).at(0).value<QJsonObject>().value("action"_L1).toString(), u"created"_s);

    // Refusals come back in words with the relay's code.
    m_session->createReminder({ { "at"_L1, at } });
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(u"badRequest"_s),
        qPrintable(failed.at(0).at(0).toString()));

    m_session->cancelReminder(id);
    QTRY_COMPARE(listed.size(), 2);
    QCOMPARE(listed.at(1).at(0).value<QList<QJsonObject>>().at(0).value("state"_L1).toString(),
        u"cancelled"_s);
    QTRY_COMPARE(events.size(), 2);
    QCOMPARE(events.at(1).at(0).value<QJsonObject>().value("action"_L1).toString(), u"cancelled"_s);
    QCOMPARE(m_results->size(), 0); // reminders are not call actions
}

QTEST_GUILESS_MAIN(TstConsoleSession)
#include "tst_consolesession.moc"

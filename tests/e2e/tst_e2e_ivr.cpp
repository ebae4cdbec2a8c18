// IVR flows end to end: the sandbox plays Graph and its callers (who press keys), the relay
// answers calls into their flow and drives them on tones and prompt completions, and a console's
// event stream shows where each caller is. Flow timeouts run on the relay's clock, which is the
// real one here; the flows' timeouts are one second and the sandbox's time scale shortens its
// prompts.

#include "e2esystem.h"
#include "relay/ivrflow.h"

#include <QFile>
#include <QJsonArray>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace E2e;

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

    // In the flow and unclaimed, the call is the relay's: an answer is refused, with the way out.
    QJsonObject body;
    const QString answerPath = u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId);
    const QJsonObject answer { { "acceptedModalities"_L1, QJsonArray { u"audio"_s } } };
    QCOMPARE(system.relayRequest("POST", answerPath, answer, &body), 409);
    const QJsonObject refusal = body.value("error"_L1).toObject();
    QCOMPARE(refusal.value("code"_L1).toString(), u"handledByRelay"_s);
    QVERIFY2(refusal.value("message"_L1).toString().contains(u"claim it"_s),
        qPrintable(refusal.value("message"_L1).toString()));
    QVERIFY(system.ivr(callId, u"left"_s).isEmpty());

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

    // Now the relay does not refuse an answer as the policy's (409): Graph judges it, and says
    // the call is answered already.
    QCOMPARE(system.relayRequest("POST", answerPath, answer, &body), 400);
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

// What the relay does on its own, end to end: the sandbox plays Graph (and its callers), the
// relay runs its policy against it, and a console's event stream shows the outcome. Blocklisted
// callers are rejected, unattended calls answered (with the hold prompt) or redirected, a call
// whose callbacks were lost is reconciled, and transfers are followed to their outcome.

#include "e2esystem.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace E2e;

namespace {

const QString HoldPrompt = u"https://media.example.org/hold.wav"_s;
const QString SpamNumber = u"+18885550199"_s;
const QString Unreachable = u"+14255550999"_s;

} // namespace

class TstE2ePolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blocklistedCallerIsRejectedAndTheConsoleIsTold();
    void unattendedAnswerEstablishesTheCallAndPlaysTheHoldPrompt();
    void unattendedRedirectEndsTheCallWithTheRedirectsResult();
    void callWhoseCallbacksWereDroppedIsReconciled();
    void failedTransferIsReportedAndTheCallIsBackInTheQueue();
    void completedTransferIsReported();

private:
    //! A call from `number` that the bot answers itself, established in the relay.
    QString establishedCall(System &system, const QString &number);
};

QString TstE2ePolicy::establishedCall(System &system, const QString &number)
{
    const QString callId = system.incoming(phoneCaller(u"Lena Vogel"_s, number));
    if (callId.isEmpty())
        return {};
    if (!QTest::qWaitFor([&] { return system.relayState(callId) == "incoming"_L1; }, Timeout))
        return {};
    Graph::AnswerParams answer;
    answer.callbackUri = system.callbackUrl();
    QString why;
    if (!system.finish(system.graph->answer(callId, answer), &why)) {
        qWarning().noquote() << "answer:" << why;
        return {};
    }
    if (!QTest::qWaitFor([&] { return system.relayState(callId) == "established"_L1; }, Timeout))
        return {};
    // What the relay's proxy records when an operator answers and holds the call.
    system.relay->publisher()->publishRelay(u"handled"_s, callId, { { "by"_L1, u"alice"_s } });
    system.relay->publisher()->publishRelay(u"claimed"_s, callId, { { "by"_L1, u"alice"_s } });
    return callId;
}

void TstE2ePolicy::blocklistedCallerIsRejectedAndTheConsoleIsTold()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start([](Relay::RelayConfig &config) {
        config.unattended = Relay::UnattendedMode::Answer;
        config.blocklist = { SpamNumber };
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = system.incoming(phoneCaller(u"Spam Caller"_s, SpamNumber));
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(system.sandboxState(callId), u"terminated"_s);
    const QJsonObject result = system.sandboxCall(callId).value("resultInfo"_L1).toObject();
    QCOMPARE(result.value("code"_L1).toInt(), 403); // the sandbox's code for reason forbidden

    QTRY_COMPARE(system.streamed(u"policy"_s, callId).size(), qsizetype(1));
    const QJsonObject policy = system.streamed(u"policy"_s, callId).first();
    QCOMPARE(policy.value("action"_L1).toString(), u"rejected"_s);
    QCOMPARE(policy.value("reason"_L1).toString(), u"blocklist"_s);
    QCOMPARE(policy.value("entry"_L1).toString(), SpamNumber);
    QTRY_COMPARE(system.relayState(callId), u"terminated"_s);
    QCOMPARE(system.relay->state()->meta(callId).handledBy, u"relay"_s);
}

void TstE2ePolicy::unattendedAnswerEstablishesTheCallAndPlaysTheHoldPrompt()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start([](Relay::RelayConfig &config) {
        config.unattended = Relay::UnattendedMode::Answer;
        config.holdPromptUri = QUrl(HoldPrompt);
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = system.incoming(phoneCaller(u"Adele Vance"_s, u"+14255550101"_s));
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(system.relayState(callId), u"incoming"_s);
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"established"_s, Timeout);

    // The hold prompt runs (or has run) on the call.
    QTRY_VERIFY([&] {
        for (const QJsonValue &v : system.sandboxCall(callId).value("operations"_L1).toArray()) {
            const QJsonObject op = v.toObject();
            if (op.value("@odata.type"_L1).toString() == "#microsoft.graph.playPromptOperation"_L1)
                return true;
        }
        return false;
    }());
    QTRY_COMPARE(system.streamed(u"policy"_s, callId).size(), qsizetype(1));
    QCOMPARE(
        system.streamed(u"policy"_s, callId).first().value("action"_L1).toString(), u"answered"_s);
    // The call waits in the queue, established, held by the relay.
    QTRY_COMPARE(system.relayState(callId), u"established"_s);
    QCOMPARE(system.relay->state()->meta(callId).handledBy, u"relay"_s);
    QCOMPARE(system.sandboxCall(callId).value("callbackUri"_L1).toString(), system.callbackUrl());
}

void TstE2ePolicy::unattendedRedirectEndsTheCallWithTheRedirectsResult()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start([](Relay::RelayConfig &config) {
        config.unattended = Relay::UnattendedMode::Redirect;
        config.redirectTarget = Colleague;
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = system.incoming(phoneCaller(u"Alex Wilber"_s, u"+14255550102"_s));
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"terminated"_s, Timeout);
    const QJsonObject result = system.sandboxCall(callId).value("resultInfo"_L1).toObject();
    QCOMPARE(result.value("code"_L1).toInt(), 200);
    QCOMPARE(result.value("message"_L1).toString(), u"Call redirected"_s);

    QTRY_COMPARE(system.streamed(u"policy"_s, callId).size(), qsizetype(1));
    const QJsonObject policy = system.streamed(u"policy"_s, callId).first();
    QCOMPARE(policy.value("action"_L1).toString(), u"redirected"_s);
    QCOMPARE(policy.value("target"_L1).toString(), Colleague);
    QTRY_COMPARE(system.relayState(callId), u"terminated"_s);
    const Graph::CallEntry *entry = system.relay->state()->book().find(callId);
    QCOMPARE(entry->call.resultInfo.message, u"Call redirected"_s);
}

void TstE2ePolicy::callWhoseCallbacksWereDroppedIsReconciled()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error =
        system.start([](Relay::RelayConfig &config) { config.reconcileAfter = 1s; });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = system.incoming(phoneCaller(u"Kenji Watanabe"_s, u"+14255550103"_s));
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(system.relayState(callId), u"incoming"_s);

    // From now on Graph's callbacks are lost; the caller hangs up.
    system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "callbacks"_L1, QJsonObject { { "drop"_L1, 1.0 } } } });
    system.control("POST", u"/sandbox/calls/%1/hangup"_s.arg(callId));
    QTRY_COMPARE(system.sandboxState(callId), u"terminated"_s);

    // The relay reads the quiet call, finds it gone, and ends it.
    QTRY_COMPARE_WITH_TIMEOUT(system.relayState(callId), u"terminated"_s, Timeout);
    const Graph::CallEntry *entry = system.relay->state()->book().find(callId);
    QCOMPARE(entry->call.resultInfo.code, std::optional<int>(404));
    QTRY_COMPARE(system.streamed(u"expired"_s, callId).size(), qsizetype(1));
    QCOMPARE(system.control("GET", u"/sandbox/callbacks"_s).value("dropped"_L1).toInt() > 0, true);
}

void TstE2ePolicy::failedTransferIsReportedAndTheCallIsBackInTheQueue()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start([](Relay::RelayConfig &) {});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = establishedCall(system, u"+14255550104"_s);
    QVERIFY(!callId.isEmpty());
    QCOMPARE(system.relay->state()->meta(callId).claimedBy, u"alice"_s);
    QCOMPARE(system.relay->state()->meta(callId).handledBy, u"alice"_s);

    system.control("PUT", u"/sandbox/unreachable"_s,
        QJsonObject { { "targets"_L1, QJsonArray { Unreachable } } });
    Graph::TransferParams transfer;
    transfer.transferTarget.identity = Graph::IdentitySet::phone(Unreachable);
    QString why;
    QVERIFY2(system.finish(system.graph->transfer(callId, transfer), &why), qPrintable(why));

    QTRY_COMPARE_WITH_TIMEOUT(system.streamed(u"transfer"_s, callId).size(), qsizetype(1), Timeout);
    const QJsonObject outcome = system.streamed(u"transfer"_s, callId).first();
    QCOMPARE(outcome.value("outcome"_L1).toString(), u"failed"_s);
    QCOMPARE(outcome.value("code"_L1).toInt(), 500);
    QCOMPARE(outcome.value("subcode"_L1).toInt(), 7000);
    // Back in the queue: established, and nobody holds it.
    QCOMPARE(system.relayState(callId), u"established"_s);
    QCOMPARE(system.sandboxState(callId), u"established"_s);
    QVERIFY(system.relay->state()->meta(callId).claimedBy.isEmpty());
    QVERIFY(system.relay->state()->meta(callId).handledBy.isEmpty());
}

void TstE2ePolicy::completedTransferIsReported()
{
    System system;
    QVERIFY(system.dataDir.isValid());
    const QString error = system.start([](Relay::RelayConfig &) {});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(system.consoleReady());

    const QString callId = establishedCall(system, u"+14255550105"_s);
    QVERIFY(!callId.isEmpty());
    Graph::TransferParams transfer;
    transfer.transferTarget.identity = Graph::IdentitySet::user(Colleague, u"Alex Wilber"_s);
    QString why;
    QVERIFY2(system.finish(system.graph->transfer(callId, transfer), &why), qPrintable(why));

    QTRY_COMPARE_WITH_TIMEOUT(system.streamed(u"transfer"_s, callId).size(), qsizetype(1), Timeout);
    const QJsonObject outcome = system.streamed(u"transfer"_s, callId).first();
    QCOMPARE(outcome.value("outcome"_L1).toString(), u"completed"_s);
    QCOMPARE(outcome.value("code"_L1).toInt(), 0);
    QCOMPARE(outcome.value("subcode"_L1).toInt(), 7015);
    QCOMPARE(system.relayState(callId), u"terminated"_s);
    QCOMPARE(system.sandboxState(callId), u"terminated"_s);
}

QTEST_GUILESS_MAIN(TstE2ePolicy)
#include "tst_e2e_policy.moc"

// Two operators act on one call at the same moment, through the relay, against the sandbox as
// Graph: exactly one answer reaches Graph, the other operator hears who has the call, and every
// console sees one claim and one "handled".

#include "../relay/actionsfixture.h"

using namespace ActionsFixture;
using namespace Qt::StringLiterals;

namespace {

QByteArray answerBody()
{
    // No callbackUri: the relay gives Graph its own.
    return json(routeCase(u"answer"_s).body);
}

} // namespace

class TstE2eActions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoOperatorsAnsweringAtOnceGetOneAnswerThrough();
};

void TstE2eActions::twoOperatorsAnsweringAtOnceGetOneAnswerThrough()
{
    System system;
    // At the sandbox's own pace: an answered call stays "incoming" for 100 ms, so a second
    // answer that reached it would be accepted too. Only the relay can keep it out.
    const QString error = system.start(Options { 1, false });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    Console sam(system.relay->baseUrl(), SamToken);
    QTRY_VERIFY(sam.hasHello());
    QSignalSpy events(system.sandbox->engine(), &Sandbox::Engine::callEvent);
    // Each operator's console has its own connections to the relay.
    QNetworkAccessManager aliceConsole;
    QNetworkAccessManager bobConsole;

    for (int round = 0; round < 5; ++round) {
        const QString callId = system.incomingCall();
        QVERIFY(!callId.isEmpty());
        const QString path = u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId);
        // Both requests leave before the event loop runs again.
        QNetworkReply *alice =
            system.send("POST", path, AliceToken, answerBody(), {}, &aliceConsole);
        QNetworkReply *bob = system.send("POST", path, BobToken, answerBody(), {}, &bobConsole);
        QTRY_VERIFY_WITH_TIMEOUT(alice->isFinished() && bob->isFinished(), 10000);
        const HttpResult a = readReply(alice);
        const HttpResult b = readReply(bob);
        alice->deleteLater();
        bob->deleteLater();

        QList<int> statuses { a.status, b.status };
        std::sort(statuses.begin(), statuses.end());
        QCOMPARE(statuses, QList<int>({ 202, 409 }));
        const bool aliceWon = a.status == 202;
        const QString winner = aliceWon ? u"alice"_s : u"bob"_s;
        const HttpResult &loser = aliceWon ? b : a;
        QCOMPARE(loser.errorCode(), u"callClaimed"_s);
        QVERIFY2(loser.json()
                     .value("error"_L1)
                     .toObject()
                     .value("message"_L1)
                     .toString()
                     .contains(winner),
            loser.body.constData());
        QVERIFY(!loser.header("request-id").isEmpty());

        // One answer reached the sandbox, and the call established once.
        int answered = 0;
        for (const QList<QVariant> &event : std::as_const(events)) {
            if (event.at(0).toString() == callId && event.at(1).toString() == "answered"_L1)
                ++answered;
        }
        QCOMPARE(answered, 1);
        QTRY_COMPARE(system.sandboxCall(callId).value("state"_L1).toString(), u"established"_s);
        QCOMPARE(
            system.sandboxCall(callId).value("callbackUri"_L1).toString(), system.callbackUrl());
        QTRY_COMPARE(system.state()->book().find(callId)->call.state.text, u"established"_s);

        // The relay's state and every console agree on who has it.
        QCOMPARE(system.state()->meta(callId).claimedBy, winner);
        QCOMPARE(system.state()->meta(callId).handledBy, winner);
        QTRY_COMPARE(sam.relayEvents(u"handled"_s, callId).size(), 1);
        QCOMPARE(sam.relayEvents(u"claimed"_s, callId).size(), 1);
        QCOMPARE(
            sam.relayEvents(u"claimed"_s, callId).constFirst().value("by"_L1).toString(), winner);
    }
}

QTEST_GUILESS_MAIN(TstE2eActions)
#include "tst_e2e_actions.moc"

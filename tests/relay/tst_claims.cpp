// POST and DELETE /api/calls/{id}/claim against a running relay with the sandbox as Graph: who
// gets a call, the relay events every console sees, the state's claimedBy, lapsing when the
// operator's last console leaves, and claims surviving a restart.

#include "actionsfixture.h"
#include "relay/journal.h"

using namespace ActionsFixture;
using namespace Qt::StringLiterals;

class TstClaims final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void claimAnswersWithTheHolderAndPublishesClaimed();
    void claimingYourOwnClaimAgainIs200AndPublishesNothing();
    void claimHeldByAnotherOperatorIs409NamingTheHolder();
    void supervisorTakesOverAClaim();
    void claimOfAnUnknownCallIs404();
    void releaseByTheHolderIs204AndPublishesReleased();
    void releaseByAnotherOperatorIs403();
    void supervisorReleasesAnyonesClaim();
    void claimEndpointsNeedAValidToken();
    void malformedJsonIs400();
    void otherMethodsAre405();
    void claimLapsesWhenTheOperatorsLastConsoleLeaves();
    void claimStaysWhileAnotherConsoleOfTheOperatorRemains();
    void claimsSurviveARestartWithConsolesConnected();

private:
    QString claimPath(const QString &callId) const { return u"/api/calls/%1/claim"_s.arg(callId); }
    HttpResult claim(const QString &callId, const QByteArray &token)
    {
        return m_system.request("POST", claimPath(callId), token);
    }
    HttpResult release(const QString &callId, const QByteArray &token)
    {
        return m_system.request("DELETE", claimPath(callId), token);
    }

    //! The relay events about `callId` journaled after `seq`: other calls' events may come
    //! at any time (callbacks, lapsing claims), so a test looks only at its own call's.
    QList<Relay::StreamEvent> relayEventsAfter(qint64 seq, const QString &callId) const
    {
        QList<Relay::StreamEvent> found;
        for (const Relay::StreamEvent &event : m_system.relay->journal()->readAfter(seq)) {
            if (event.type == Relay::StreamEvent::Type::Relay
                && event.relay.value("callId"_L1).toString() == callId)
                found.append(event);
        }
        return found;
    }

    System m_system;
};

void TstClaims::initTestCase()
{
    // Graph's 15 s ring timeout, so that no call ends while a test claims it.
    const QString error = m_system.start(Options { 1, false });
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstClaims::claimAnswersWithTheHolderAndPublishesClaimed()
{
    Console sam(m_system.relay->baseUrl(), SamToken);
    QTRY_VERIFY(sam.hasHello());
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());

    const HttpResult got = claim(callId, AliceToken);
    QCOMPARE(got.status, 200);
    QVERIFY(got.header("Content-Type").startsWith("application/json"));
    QCOMPARE(got.json(), QJsonObject({ { "claimedBy"_L1, u"alice"_s } }));
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
    QTRY_COMPARE(sam.relayEvents(u"claimed"_s, callId).size(), 1);
    const QJsonObject event = sam.relayEvents(u"claimed"_s, callId).constFirst();
    QCOMPARE(event.value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(relayEventsAfter(0, callId).size(), 1);
}

void TstClaims::claimingYourOwnClaimAgainIs200AndPublishesNothing()
{
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    const qint64 seq = m_system.relay->journal()->lastSeq();

    const HttpResult again = claim(callId, AliceToken);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().value("claimedBy"_L1).toString(), u"alice"_s);
    QVERIFY(relayEventsAfter(seq, callId).isEmpty());
}

void TstClaims::claimHeldByAnotherOperatorIs409NamingTheHolder()
{
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    const qint64 seq = m_system.relay->journal()->lastSeq();

    const HttpResult refused = claim(callId, BobToken);
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.json().value("claimedBy"_L1).toString(), u"alice"_s);
    QCOMPARE(refused.errorCode(), u"callClaimed"_s);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
    QVERIFY(relayEventsAfter(seq, callId).isEmpty());
}

void TstClaims::supervisorTakesOverAClaim()
{
    Console alice(m_system.relay->baseUrl(), AliceToken);
    QTRY_VERIFY(alice.hasHello());
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, BobToken).status, 200);

    const HttpResult taken = claim(callId, SamToken);
    QCOMPARE(taken.status, 200);
    QCOMPARE(taken.json().value("claimedBy"_L1).toString(), u"sam"_s);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"sam"_s);
    QTRY_COMPARE(alice.relayEvents(u"claimed"_s, callId).size(), 2);
    const QJsonObject event = alice.relayEvents(u"claimed"_s, callId).constLast();
    QCOMPARE(event.value("by"_L1).toString(), u"sam"_s);
    QCOMPARE(event.value("previous"_L1).toString(), u"bob"_s);
    // Now bob is the one refused.
    QCOMPARE(claim(callId, BobToken).status, 409);
}

void TstClaims::claimOfAnUnknownCallIs404()
{
    const qint64 seq = m_system.relay->journal()->lastSeq();
    for (const QByteArray &verb : { QByteArray("POST"), QByteArray("DELETE") }) {
        const HttpResult got = m_system.request(verb, claimPath(u"no-such-call"_s), AliceToken);
        QCOMPARE(got.status, 404);
        QCOMPARE(got.errorCode(), u"notFound"_s);
        QVERIFY(!got.json().value("error"_L1).toObject().value("message"_L1).toString().isEmpty());
    }
    // Other calls' events may come meanwhile; none is about this one.
    for (const Relay::StreamEvent &event : m_system.relay->journal()->readAfter(seq))
        QVERIFY(event.relay.value("callId"_L1).toString() != "no-such-call"_L1);
}

void TstClaims::releaseByTheHolderIs204AndPublishesReleased()
{
    Console sam(m_system.relay->baseUrl(), SamToken);
    QTRY_VERIFY(sam.hasHello());
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);

    const HttpResult got = release(callId, AliceToken);
    QCOMPARE(got.status, 204);
    QVERIFY(got.body.isEmpty());
    QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
    QTRY_COMPARE(sam.relayEvents(u"released"_s, callId).size(), 1);
    const QJsonObject event = sam.relayEvents(u"released"_s, callId).constFirst();
    QCOMPARE(event.value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(event.value("holder"_L1).toString(), u"alice"_s);
    // Released, the call is anyone's again; releasing it again changes nothing.
    const qint64 seq = m_system.relay->journal()->lastSeq();
    QCOMPARE(release(callId, AliceToken).status, 204);
    QVERIFY(relayEventsAfter(seq, callId).isEmpty());
    QCOMPARE(claim(callId, BobToken).status, 200);
}

void TstClaims::releaseByAnotherOperatorIs403()
{
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    const HttpResult refused = release(callId, BobToken);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorCode(), u"forbidden"_s);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
}

void TstClaims::supervisorReleasesAnyonesClaim()
{
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    QCOMPARE(release(callId, SamToken).status, 204);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
}

void TstClaims::claimEndpointsNeedAValidToken()
{
    const QString callId = m_system.incomingCall();
    for (const QByteArray &verb : { QByteArray("POST"), QByteArray("DELETE") }) {
        for (const QByteArray &token : { QByteArray(), UnknownToken }) {
            const HttpResult got = m_system.request(verb, claimPath(callId), token);
            QCOMPARE(got.status, 401);
            QCOMPARE(got.header("WWW-Authenticate"), QByteArray("Bearer"));
            QCOMPARE(got.errorCode(), u"unauthorized"_s);
        }
    }
    QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
}

void TstClaims::malformedJsonIs400()
{
    const QString callId = m_system.incomingCall();
    for (const QByteArray &body : { QByteArray("{\"note\":"), QByteArray("[1,2]") }) {
        const HttpResult got = m_system.request("POST", claimPath(callId), AliceToken, body);
        QCOMPARE(got.status, 400);
        QCOMPARE(got.errorCode(), u"badRequest"_s);
    }
    QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
    // A JSON object is fine, and so is no body at all.
    QCOMPARE(m_system.request("POST", claimPath(callId), AliceToken, "{}").status, 200);
}

void TstClaims::otherMethodsAre405()
{
    const QString callId = m_system.incomingCall();
    const HttpResult got = m_system.request("GET", claimPath(callId), AliceToken);
    QCOMPARE(got.status, 405);
    QCOMPARE(got.header("Allow"), QByteArray("POST, DELETE"));
}

void TstClaims::claimLapsesWhenTheOperatorsLastConsoleLeaves()
{
    Console sam(m_system.relay->baseUrl(), SamToken);
    auto alice = std::make_unique<Console>(m_system.relay->baseUrl(), AliceToken);
    QTRY_VERIFY(sam.hasHello());
    QTRY_VERIFY(alice->hasHello());
    const QString first = m_system.incomingCall();
    const QString second = m_system.incomingCall();
    QCOMPARE(claim(first, AliceToken).status, 200);
    QCOMPARE(claim(second, AliceToken).status, 200);

    alice->socket.close();
    for (const QString &callId : { first, second }) {
        QTRY_COMPARE(sam.relayEvents(u"released"_s, callId).size(), 1);
        const QJsonObject event = sam.relayEvents(u"released"_s, callId).constFirst();
        QCOMPARE(event.value("by"_L1).toString(), u"alice"_s);
        QCOMPARE(event.value("reason"_L1).toString(), u"disconnected"_s);
        QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
    }
    QCOMPARE(claim(first, BobToken).status, 200);
}

void TstClaims::claimStaysWhileAnotherConsoleOfTheOperatorRemains()
{
    Console sam(m_system.relay->baseUrl(), SamToken);
    Console desk(m_system.relay->baseUrl(), AliceToken);
    auto laptop = std::make_unique<Console>(m_system.relay->baseUrl(), AliceToken);
    QTRY_VERIFY(sam.hasHello());
    QTRY_VERIFY(desk.hasHello());
    QTRY_VERIFY(laptop->hasHello());
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    const int consoles = m_system.relay->hub()->consoleCount();

    laptop->socket.close();
    QTRY_COMPARE(m_system.relay->hub()->consoleCount(), consoles - 1);
    // A claim event of another call, published after, proves the stream moved on meanwhile.
    const QString other = m_system.incomingCall();
    QCOMPARE(claim(other, BobToken).status, 200);
    QTRY_COMPARE(sam.relayEvents(u"claimed"_s, other).size(), 1);
    QVERIFY(sam.relayEvents(u"released"_s, callId).isEmpty());
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
}

void TstClaims::claimsSurviveARestartWithConsolesConnected()
{
    Console alice(m_system.relay->baseUrl(), AliceToken);
    QTRY_VERIFY(alice.hasHello());
    const QString callId = m_system.incomingCall();
    QCOMPARE(claim(callId, AliceToken).status, 200);
    const qint64 seq = m_system.relay->journal()->lastSeq();

    // Stopping closes alice's console; the claim must not lapse with it.
    const QString error = m_system.restartRelay();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE(alice.socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(relayEventsAfter(seq, callId).isEmpty());
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
    const HttpResult refused = claim(callId, BobToken);
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.json().value("claimedBy"_L1).toString(), u"alice"_s);
}

QTEST_GUILESS_MAIN(TstClaims)
#include "tst_claims.moc"

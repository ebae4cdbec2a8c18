// The relay's Graph proxy against the real sandbox, with a wiretap between them: who may do
// what (401/403/404), that consoles get exactly what Graph answered, callbackUri filling, retries
// under chaos, and the claim and policy conflicts (409).

#include "actionsfixture.h"
#include "relay/actiongateway.h"
#include "relay/eventpublisher.h"
#include "relay/graphproxy.h"

using namespace ActionsFixture;
using namespace Qt::StringLiterals;

namespace {

QByteArray tokenOf(const QString &who)
{
    if (who == "alice"_L1)
        return AliceToken;
    if (who == "sam"_L1)
        return SamToken;
    if (who == "unknown"_L1)
        return UnknownToken;
    return {};
}

} // namespace

class TstGraphProxy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void roleMatrixGivesEachRouteItsStatus_data();
    void roleMatrixGivesEachRouteItsStatus();
    void routesOutsideTheAllowListAre404GraphShaped_data();
    void routesOutsideTheAllowListAre404GraphShaped();
    void graphErrorsOfEachActionPassThroughExactly_data();
    void graphErrorsOfEachActionPassThroughExactly();
    void callbackUriIsFilledOnlyWhenAbsentOrEmpty_data();
    void callbackUriIsFilledOnlyWhenAbsentOrEmpty();
    void throttledActionIsRetriedAndTakesEffectOnce();
    void twentyActionsUnderChaosEachTakeEffectOnce();
    void claimedCallIs409ForOperatorsButNotForSupervisors();
    void callHandledByThePolicyIs409();
    void firstActorClaimsTheCallAndHandledIsPublished();
    void refusedActionGivesItsClaimBack();
    void requestsRunConcurrentlyWithoutBlocking();
    void unreachableGraphIs502GraphShaped();
    void createdCallIsKnownFromGraphsAnswerWithoutACallback();
    void phoneCallsArePlacedFromTheApplicationInstance();

private:
    struct Prepared
    {
        QString path;
        QByteArray body;
        QString callId;
    };
    Prepared prepare(const RouteCase &route, bool withFixture);
    //! What the console got is what the sandbox answered to the request with this id.
    void verifyExact(const HttpResult &got, const QByteArray &clientRequestId);
    void verifyRelayError(const HttpResult &got, int status, const QString &code);
    int answeredCount(const QSignalSpy &events, const QString &callId) const;
    QJsonObject answerBody() const;

    System m_system;
};

void TstGraphProxy::initTestCase()
{
    const QString error = m_system.start(Options { 5, true });
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstGraphProxy::cleanup()
{
    m_system.control("PUT", u"/sandbox/chaos"_s, {});
}

TstGraphProxy::Prepared TstGraphProxy::prepare(const RouteCase &route, bool withFixture)
{
    Prepared prepared;
    QString callId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString pid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString mid = u"bm8tc3VjaC1tZWV0aW5n"_s;
    if (withFixture) {
        switch (route.fixture) {
        case Fixture::Incoming:
            callId = m_system.incomingCall();
            break;
        case Fixture::Established:
            callId = m_system.establishedCall();
            pid = m_system.someoneElse(callId);
            break;
        case Fixture::Group:
            callId = m_system.establishedCall(true);
            pid = m_system.someoneElse(callId);
            break;
        case Fixture::Meeting: {
            Graph::GraphReply *reply =
                m_system.graph->send("POST", u"/users/%1/onlineMeetings"_s.arg(SomeUser),
                    json(routeCase(u"createOnlineMeeting"_s).body));
            reply->setAutoDelete(false);
            QSignalSpy done(reply, &Graph::GraphReply::finished);
            done.wait(10000);
            mid = QJsonDocument::fromJson(reply->body()).object().value("id"_L1).toString();
            delete reply;
            break;
        }
        case Fixture::None:
            break;
        }
    }
    prepared.callId = callId;
    prepared.path = u"/graph/v1.0"_s
        + QString(route.path)
              .replace(u"{id}"_s, encoded(callId))
              .replace(u"{pid}"_s, encoded(pid))
              .replace(u"{uid}"_s, SomeUser)
              .replace(u"{mid}"_s, encoded(mid));
    // Without callbackUri: the relay fills in its own, so the calls report to it.
    if (route.method == "POST" && route.name != "keepAlive"_L1)
        prepared.body = json(route.body);
    return prepared;
}

void TstGraphProxy::verifyExact(const HttpResult &got, const QByteArray &clientRequestId)
{
    const QList<Tap::Exchange> exchanges = m_system.tap->withClientRequestId(clientRequestId);
    QVERIFY2(!exchanges.isEmpty(), "the request never reached the sandbox");
    const Tap::Exchange &graph = exchanges.constLast();
    QCOMPARE(got.status, graph.status);
    QCOMPARE(got.body, graph.responseBody);
    QVERIFY(!got.header("request-id").isEmpty());
    QCOMPARE(got.header("request-id"), headerOf(graph.responseHeaders, "request-id"));
    QCOMPARE(got.header("Location"), headerOf(graph.responseHeaders, "Location"));
    QCOMPARE(got.header("Content-Type"), headerOf(graph.responseHeaders, "Content-Type"));
}

void TstGraphProxy::verifyRelayError(const HttpResult &got, int status, const QString &code)
{
    QCOMPARE(got.status, status);
    const QJsonObject error = got.json().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    const QJsonObject inner = error.value("innerError"_L1).toObject();
    const QString requestId = inner.value("request-id"_L1).toString();
    QVERIFY(!QUuid::fromString(requestId).isNull());
    QCOMPARE(got.header("request-id"), requestId.toLatin1());
    QVERIFY(QDateTime::fromString(inner.value("date"_L1).toString(), Qt::ISODate).isValid());
}

int TstGraphProxy::answeredCount(const QSignalSpy &events, const QString &callId) const
{
    int count = 0;
    for (const QList<QVariant> &event : events) {
        if (event.at(0).toString() == callId && event.at(1).toString() == "answered"_L1)
            ++count;
    }
    return count;
}

QJsonObject TstGraphProxy::answerBody() const
{
    return routeCase(u"answer"_s).body;
}

void TstGraphProxy::roleMatrixGivesEachRouteItsStatus_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("expected");
    for (const RouteCase &route : routeCases()) {
        for (const QString &who : { u"none"_s, u"unknown"_s, u"alice"_s, u"sam"_s }) {
            int expected = route.success;
            if (who == "none"_L1 || who == "unknown"_L1)
                expected = 401;
            else if (who == "alice"_L1 && route.supervisorOnly)
                expected = 403;
            QTest::addRow(
                "%s %s as %s", route.method.constData(), qPrintable(route.name), qPrintable(who))
                << route.name << who << expected;
        }
    }
}

void TstGraphProxy::roleMatrixGivesEachRouteItsStatus()
{
    QFETCH(QString, route);
    QFETCH(QString, who);
    QFETCH(int, expected);
    const RouteCase c = routeCase(route);
    const bool refused = expected == 401 || expected == 403;
    const Prepared prepared = prepare(c, !refused);
    QVERIFY(!prepared.callId.isEmpty());

    const QByteArray id = newRequestId();
    const HttpResult got = m_system.request(
        c.method, prepared.path, tokenOf(who), prepared.body, { { "client-request-id", id } });
    QVERIFY(got.finished);
    if (refused) {
        verifyRelayError(
            got, expected, expected == 401 ? u"InvalidAuthenticationToken"_s : u"accessDenied"_s);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(got.header("client-request-id"), id);
        QVERIFY2(
            m_system.tap->withClientRequestId(id).isEmpty(), "a refused request reached Graph");
        return;
    }
    QVERIFY2(got.status == expected, got.body.constData());
    verifyExact(got, id);
}

void TstGraphProxy::routesOutsideTheAllowListAre404GraphShaped_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    const QString call = u"/graph/v1.0/communications/calls/4f1c0a52-1f7e-4f3a-9d5b-0c2e8a7b6d10"_s;
    QTest::newRow("GET /me") << QByteArray("GET") << u"/graph/v1.0/me"_s;
    QTest::newRow("GET the calls") << QByteArray("GET") << u"/graph/v1.0/communications/calls"_s;
    QTest::newRow("PATCH a call") << QByteArray("PATCH") << call;
    QTest::newRow("PUT a call") << QByteArray("PUT") << call;
    QTest::newRow("POST to a call") << QByteArray("POST") << call;
    QTest::newRow("GET an operation") << QByteArray("GET") << call + u"/operations/x"_s;
    QTest::newRow("sendDtmfTones") << QByteArray("POST") << call + u"/sendDtmfTones"_s;
    QTest::newRow("unmute a participant")
        << QByteArray("POST") << call + u"/participants/p/unmute"_s;
    QTest::newRow("POST /me/onlineMeetings")
        << QByteArray("POST") << u"/graph/v1.0/me/onlineMeetings"_s;
    QTest::newRow("createOrGet") << QByteArray("POST")
                                 << u"/graph/v1.0/users/u/onlineMeetings/createOrGet"_s;
    QTest::newRow("dot-dot as an id")
        << QByteArray("GET") << u"/graph/v1.0/communications/calls/%2E%2E"_s;
    QTest::newRow("the prefix alone") << QByteArray("GET") << u"/graph/v1.0"_s;
}

void TstGraphProxy::routesOutsideTheAllowListAre404GraphShaped()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    for (const QByteArray &token : { AliceToken, SamToken }) {
        const QByteArray id = newRequestId();
        const HttpResult got =
            m_system.request(method, path, token, {}, { { "client-request-id", id } });
        verifyRelayError(got, 404, u"routeNotAllowed"_s);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_system.tap->withClientRequestId(id).isEmpty());
    }
    // Without a token it is 401 first: nothing about the routes is given away.
    verifyRelayError(m_system.request(method, path, {}), 401, u"InvalidAuthenticationToken"_s);
}

void TstGraphProxy::graphErrorsOfEachActionPassThroughExactly_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<int>("fixtureValue");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    // An unknown id for everything that names one: 404 itemNotFound from Graph.
    for (const RouteCase &route : routeCases()) {
        if (route.path.contains(u"{id}"_s) || route.path.contains(u"{mid}"_s)) {
            QTest::addRow("%s on an unknown call", qPrintable(route.name))
                << route.name << int(Fixture::None) << 404 << u"itemNotFound"_s;
        }
    }
    // The wrong state, a wrong body: 400 from Graph.
    QTest::newRow("answer an established call")
        << u"answer"_s << int(Fixture::Established) << 400 << u"InvalidStateForOperation"_s;
    QTest::newRow("reject an established call")
        << u"reject"_s << int(Fixture::Established) << 400 << u"InvalidStateForOperation"_s;
    QTest::newRow("redirect an established call")
        << u"redirect"_s << int(Fixture::Established) << 400 << u"InvalidStateForOperation"_s;
    QTest::newRow("transfer a ringing call")
        << u"transfer"_s << int(Fixture::Incoming) << 400 << u"InvalidStateForOperation"_s;
    QTest::newRow("mute in a peer-to-peer call")
        << u"mute"_s << int(Fixture::Established) << 400 << u"InvalidStateForOperation"_s;
    QTest::newRow("invite into a peer-to-peer call")
        << u"inviteParticipants"_s << int(Fixture::Established) << 400
        << u"InvalidStateForOperation"_s;
    QTest::newRow("createCall without targets")
        << u"createCall"_s << int(Fixture::None) << 400 << u"BadRequest"_s;
    QTest::newRow("createOnlineMeeting ending before it starts")
        << u"createOnlineMeeting"_s << int(Fixture::None) << 400 << u"BadRequest"_s;
}

void TstGraphProxy::graphErrorsOfEachActionPassThroughExactly()
{
    QFETCH(QString, route);
    QFETCH(int, fixtureValue);
    const auto fixture = Fixture(fixtureValue);
    QFETCH(int, status);
    QFETCH(QString, code);
    RouteCase c = routeCase(route);
    c.fixture = fixture;
    if (route == "createCall"_L1)
        c.body.remove(u"targets"_s);
    if (route == "createOnlineMeeting"_L1)
        c.body.insert("endDateTime"_L1, u"2026-01-05T08:00:00Z"_s);
    const Prepared prepared = prepare(c, fixture != Fixture::None);
    QVERIFY(!prepared.callId.isEmpty());

    const QByteArray id = newRequestId();
    const HttpResult got = m_system.request(
        c.method, prepared.path, SamToken, prepared.body, { { "client-request-id", id } });
    QCOMPARE(got.status, status);
    QCOMPARE(got.errorCode(), code);
    verifyExact(got, id);
}

void TstGraphProxy::callbackUriIsFilledOnlyWhenAbsentOrEmpty_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QJsonValue>("given"); // undefined: absent
    QTest::addColumn<bool>("filled");
    // The console's own choice: the relay's URL, but not its publicUrl.
    const QString mine = m_system.callbackUrl() + u"?from=console"_s;
    QTest::newRow("answer, absent") << u"answer"_s << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("answer, empty") << u"answer"_s << QJsonValue(u""_s) << true;
    QTest::newRow("answer, null") << u"answer"_s << QJsonValue(QJsonValue::Null) << true;
    QTest::newRow("answer, present") << u"answer"_s << QJsonValue(mine) << false;
    QTest::newRow("reject, empty") << u"reject"_s << QJsonValue(u""_s) << true;
    QTest::newRow("redirect, absent") << u"redirect"_s << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("createCall, absent")
        << u"createCall"_s << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("createCall, present") << u"createCall"_s << QJsonValue(mine) << false;
}

void TstGraphProxy::callbackUriIsFilledOnlyWhenAbsentOrEmpty()
{
    QFETCH(QString, route);
    QFETCH(QJsonValue, given);
    QFETCH(bool, filled);
    const RouteCase c = routeCase(route);
    const Prepared prepared = prepare(c, true);
    QJsonObject body = c.body;
    if (!given.isUndefined())
        body.insert("callbackUri"_L1, given);
    // Spaced and ordered as a hand-written body would be, to see it arrive unchanged.
    const QByteArray sent = QJsonDocument(body).toJson(QJsonDocument::Indented);

    const QByteArray id = newRequestId();
    const HttpResult got = m_system.request(
        c.method, prepared.path, AliceToken, sent, { { "client-request-id", id } });
    QCOMPARE(got.status, c.success);
    const QList<Tap::Exchange> exchanges = m_system.tap->withClientRequestId(id);
    QCOMPARE(exchanges.size(), 1);
    const QByteArray forwarded = exchanges.constFirst().requestBody;
    if (!filled) {
        QCOMPARE(forwarded, sent);
        return;
    }
    QJsonObject expected = body;
    expected.insert("callbackUri"_L1, m_system.callbackUrl());
    QCOMPARE(QJsonDocument::fromJson(forwarded).object(), expected);
    // Graph took it: the call now reports to the relay's public URL.
    if (route == "answer"_L1 || route == "createCall"_L1) {
        const QString callId = route == "createCall"_L1
            ? QJsonDocument::fromJson(got.body).object().value("id"_L1).toString()
            : prepared.callId;
        QCOMPARE(m_system.sandboxCall(callId).value("callbackUri"_L1).toString(),
            m_system.callbackUrl());
    }
}

void TstGraphProxy::throttledActionIsRetriedAndTakesEffectOnce()
{
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    QSignalSpy events(m_system.sandbox->engine(), &Sandbox::Engine::callEvent);
    m_system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "throttleRate"_L1, 1.0 }, { "retryAfterSeconds"_L1, 0.2 } });

    const QByteArray id = newRequestId();
    QNetworkReply *reply =
        m_system.send("POST", u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId),
            AliceToken, json(answerBody()), { { "client-request-id", id } });
    // Graph throttles it; then the throttling stops while the relay waits out Retry-After.
    QTRY_VERIFY(!m_system.tap->withClientRequestId(id).isEmpty());
    QCOMPARE(m_system.tap->withClientRequestId(id).constFirst().status, 429);
    m_system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "throttleRate"_L1, 0.0 }, { "retryAfterSeconds"_L1, 0 } });
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    reply->deleteLater();
    const HttpResult got = readReply(reply);

    QCOMPARE(got.status, 202);
    const QList<Tap::Exchange> attempts = m_system.tap->withClientRequestId(id);
    QVERIFY2(attempts.size() >= 2, "no retry was made");
    QCOMPARE(attempts.constLast().status, 202);
    QCOMPARE(headerOf(attempts.constLast().requestHeaders, "Retry-Attempt"),
        QByteArray::number(attempts.size() - 1));
    verifyExact(got, id);
    // One answer's effect at the sandbox: answered once, and the call establishes.
    QCOMPARE(answeredCount(events, callId), 1);
    QTRY_COMPARE(m_system.sandboxCall(callId).value("state"_L1).toString(), u"established"_s);
    QCOMPARE(answeredCount(events, callId), 1);
}

void TstGraphProxy::twentyActionsUnderChaosEachTakeEffectOnce()
{
    QSignalSpy events(m_system.sandbox->engine(), &Sandbox::Engine::callEvent);
    // Seeded, and one action at a time, so that the sandbox's decisions repeat from run to run.
    m_system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "throttleRate"_L1, 0.2 }, { "errorRate"_L1, 0.05 },
            { "retryAfterSeconds"_L1, 0.05 }, { "seed"_L1, 2024 } });
    int retried = 0;
    for (int i = 0; i < 20; ++i) {
        const QString callId = m_system.incomingCall();
        QVERIFY(!callId.isEmpty());
        const QByteArray id = newRequestId();
        const HttpResult got =
            m_system.request("POST", u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId),
                i % 2 ? AliceToken : SamToken, json(answerBody()), { { "client-request-id", id } });
        QVERIFY2(got.status == 202,
            qPrintable(
                u"action %1: %2 %3"_s.arg(i).arg(got.status).arg(QString::fromUtf8(got.body))));
        const QList<Tap::Exchange> attempts = m_system.tap->withClientRequestId(id);
        int accepted = 0;
        for (const Tap::Exchange &attempt : attempts) {
            QVERIFY(attempt.status == 202 || attempt.status == 429 || attempt.status == 503);
            accepted += attempt.status == 202 ? 1 : 0;
        }
        QCOMPARE(accepted, 1);
        retried += attempts.size() > 1 ? 1 : 0;
        QCOMPARE(answeredCount(events, callId), 1);
    }
    QVERIFY2(retried > 0, "the chaos never struck; the test proves nothing");
}

void TstGraphProxy::claimedCallIs409ForOperatorsButNotForSupervisors()
{
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    const HttpResult claim =
        m_system.request("POST", u"/api/calls/%1/claim"_s.arg(callId), BobToken);
    QCOMPARE(claim.status, 200);

    const QString answer = u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId);
    const QByteArray id = newRequestId();
    const HttpResult refused = m_system.request(
        "POST", answer, AliceToken, json(answerBody()), { { "client-request-id", id } });
    verifyRelayError(refused, 409, u"callClaimed"_s);
    QVERIFY(refused.json()
                .value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"bob"_s));
    QVERIFY(m_system.tap->withClientRequestId(id).isEmpty());

    // Reads stay open to everyone.
    QCOMPARE(
        m_system.request("GET", u"/graph/v1.0/communications/calls/%1"_s.arg(callId), AliceToken)
            .status,
        200);
    // A supervisor acts on anyone's call; the claim stays bob's.
    const HttpResult taken = m_system.request("POST", answer, SamToken, json(answerBody()));
    QCOMPARE(taken.status, 202);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"bob"_s);
}

void TstGraphProxy::callHandledByThePolicyIs409()
{
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    QVERIFY(m_system.relay->publisher()->publishRelay(
        u"policy"_s, callId, QJsonObject { { "action"_L1, u"answered"_s } }));
    QCOMPARE(m_system.state()->meta(callId).handledBy, u"relay"_s);

    const QString base = u"/graph/v1.0/communications/calls/%1/"_s.arg(callId);
    for (const QByteArray &token : { AliceToken, SamToken }) {
        const QByteArray id = newRequestId();
        const HttpResult got = m_system.request(
            "POST", base + u"answer"_s, token, json(answerBody()), { { "client-request-id", id } });
        verifyRelayError(got, 409, u"handledByRelay"_s);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_system.tap->withClientRequestId(id).isEmpty());
        verifyRelayError(
            m_system.request("POST", base + u"reject"_s, token, "{}"), 409, u"handledByRelay"_s);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(m_system.sandboxCall(callId).value("state"_L1).toString(), u"incoming"_s);
}

void TstGraphProxy::firstActorClaimsTheCallAndHandledIsPublished()
{
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    Console sam(m_system.relay->baseUrl(), SamToken);
    QTRY_VERIFY(sam.hasHello());

    const HttpResult got =
        m_system.request("POST", u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId),
            AliceToken, json(answerBody()));
    QCOMPARE(got.status, 202);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, u"alice"_s);
    QCOMPARE(m_system.state()->meta(callId).handledBy, u"alice"_s);
    QTRY_COMPARE(sam.relayEvents(u"handled"_s, callId).size(), 1);
    QCOMPARE(sam.relayEvents(u"claimed"_s, callId).size(), 1);
    const QJsonObject claimed = sam.relayEvents(u"claimed"_s, callId).constFirst();
    QCOMPARE(claimed.value("by"_L1).toString(), u"alice"_s);
    const QJsonObject handled = sam.relayEvents(u"handled"_s, callId).constFirst();
    QCOMPARE(handled.value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(handled.value("action"_L1).toString(), u"answer"_s);
    QVERIFY(claimed.value("seq"_L1).toInteger() < handled.value("seq"_L1).toInteger());

    // Bob may not hang up alice's call.
    verifyRelayError(
        m_system.request("DELETE", u"/graph/v1.0/communications/calls/%1"_s.arg(callId), BobToken),
        409, u"callClaimed"_s);
}

void TstGraphProxy::refusedActionGivesItsClaimBack()
{
    // Transferring a call that still rings is refused by Graph: alice's click claimed the call
    // for a moment, and the claim goes back so that bob can still answer.
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    const HttpResult refused =
        m_system.request("POST", u"/graph/v1.0/communications/calls/%1/transfer"_s.arg(callId),
            AliceToken, json(routeCase(u"transfer"_s).body));
    QCOMPARE(refused.status, 400);
    QCOMPARE(m_system.state()->meta(callId).claimedBy, QString());
    QCOMPARE(m_system
                 .request("POST", u"/graph/v1.0/communications/calls/%1/answer"_s.arg(callId),
                     BobToken, json(answerBody()))
                 .status,
        202);
}

void TstGraphProxy::requestsRunConcurrentlyWithoutBlocking()
{
    const QString callId = m_system.establishedCall();
    QVERIFY(!callId.isEmpty());
    m_system.control(
        "PUT", u"/sandbox/chaos"_s, QJsonObject { { "latencyMs"_L1, QJsonArray { 400, 400 } } });
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 3; ++i) {
        replies.append(
            m_system.send("GET", u"/graph/v1.0/communications/calls/%1"_s.arg(callId), AliceToken));
    }
    // All three wait for Graph at once, and the relay still answers meanwhile.
    QTRY_COMPARE(m_system.relay->actions()->proxy()->pendingCount(), 3);
    QCOMPARE(m_system.request("GET", u"/healthz"_s, {}).status, 200);
    QVERIFY(m_system.relay->actions()->proxy()->pendingCount() > 0);
    for (QNetworkReply *reply : std::as_const(replies)) {
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    }
    QCOMPARE(m_system.relay->actions()->proxy()->pendingCount(), 0);
}

void TstGraphProxy::unreachableGraphIs502GraphShaped()
{
    // A relay whose Graph is a closed port, beside the shared one.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closed = probe.serverPort();
    probe.close();
    Relay::RelayConfig config = m_system.relay->config();
    QTemporaryDir dataDir;
    config.dataDir = dataDir.path();
    config.listenPort = 0;
    config.graphBaseUrl = QUrl(u"http://127.0.0.1:%1/v1.0"_s.arg(closed));
    Relay::RelayService relay(config, &m_system.clock);
    QString error;
    QVERIFY2(relay.start(&error), qPrintable(error));

    QNetworkRequest request(relay.baseUrl().resolved(QUrl(u"/graph/v1.0/communications/calls"_s)));
    request.setRawHeader("Authorization", "Bearer " + AliceToken);
    request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = m_system.nam.post(request, json(routeCase(u"createCall"_s).body));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    reply->deleteLater();
    verifyRelayError(readReply(reply), 502, u"badGateway"_s);
}

void TstGraphProxy::createdCallIsKnownFromGraphsAnswerWithoutACallback()
{
    // Graph's callbacks for a placed call may carry only its state; here none arrives at all.
    m_system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "callbacks"_L1, QJsonObject { { "drop"_L1, 1.0 } } } });
    const RouteCase c = routeCase(u"createCall"_s);
    const Prepared prepared = prepare(c, false);
    const HttpResult got = m_system.request(c.method, prepared.path, AliceToken, prepared.body);
    QCOMPARE(got.status, 201);
    const QString callId = got.json().value("id"_L1).toString();
    QVERIFY(!callId.isEmpty());

    // The relay published Graph's answer before the console heard it.
    const Graph::CallEntry *entry = m_system.state()->book().find(callId);
    QVERIFY(entry);
    QCOMPARE(entry->call.direction.text, u"outgoing"_s);
    QCOMPARE(entry->call.targets.size(), 1);
    QCOMPARE(entry->call.state.text, u"establishing"_s);
}

void TstGraphProxy::phoneCallsArePlacedFromTheApplicationInstance()
{
    const QString instance = u"9b3a1c2d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"_s;
    const QString tenant = u"00000000-0000-0000-0000-000000000001"_s;
    const QJsonObject phoneTarget { { "identity"_L1,
        QJsonObject { { "phone"_L1, QJsonObject { { "id"_L1, u"+4930123456"_s } } } } } };
    const QJsonObject toPhone { { "targets"_L1, QJsonArray { phoneTarget } },
        { "mediaConfig"_L1, serviceMedia() } };
    const QJsonObject filled =
        QJsonDocument::fromJson(Relay::fillPhoneCallSource(json(toPhone), instance, tenant))
            .object();
    const QJsonObject source = filled.value("source"_L1)
                                   .toObject()
                                   .value("identity"_L1)
                                   .toObject()
                                   .value("applicationInstance"_L1)
                                   .toObject();
    QCOMPARE(source.value("id"_L1).toString(), instance);
    QCOMPARE(source.value("tenantId"_L1).toString(), tenant);
    QCOMPARE(filled.value("tenantId"_L1).toString(), tenant);
    QCOMPARE(filled.value("targets"_L1), toPhone.value("targets"_L1));

    // Unchanged: a call to a user, a body with its own source, no application instance.
    const QJsonObject toUser { { "targets"_L1, QJsonArray { userTarget() } } };
    QCOMPARE(Relay::fillPhoneCallSource(json(toUser), instance, tenant), json(toUser));
    QJsonObject ownSource = toPhone;
    ownSource.insert("source"_L1, QJsonObject { { "identity"_L1, QJsonObject {} } });
    QCOMPARE(Relay::fillPhoneCallSource(json(ownSource), instance, tenant), json(ownSource));
    QCOMPARE(Relay::fillPhoneCallSource(json(toPhone), QString(), tenant), json(toPhone));
    QCOMPARE(Relay::fillPhoneCallSource("not json", instance, tenant), QByteArray("not json"));
}

QTEST_GUILESS_MAIN(TstGraphProxy)
#include "tst_graphproxy.moc"

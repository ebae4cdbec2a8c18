// Each chaos knob with a fixed seed, on the Graph surface and on callbacks, its validation, and
// the repeatability of its decisions.
#include "callbackreceiver.h"
#include "graph/clock.h"
#include "sandbox/chaos.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Sandbox;
using TestSupport::CallbackReceiver;

namespace {

const QString Tenant = u"00000000-0000-0000-0000-000000000001"_s;

struct Http
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value("error"_L1).toObject(); }
};

QNetworkReply *start(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url,
    const QByteArray &body, const QByteArray &token)
{
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setRawHeader("Content-Type",
            body.startsWith('{') ? "application/json" : "application/x-www-form-urlencoded");
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    return nam.sendCustomRequest(request, verb, body);
}

Http finish(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    reply->deleteLater();
    return Http { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->readAll(), reply->rawHeaderPairs() };
}

Http send(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url,
    const QByteArray &body = {}, const QByteArray &token = {})
{
    return finish(start(nam, verb, url, body, token));
}

const QByteArray AnswerBody =
    R"({"callbackUri":"CALLBACK","acceptedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}})";

} // namespace

class TstChaos final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void throttleRateOneGives429WithRetryAfterAndNoStateChange();
    void errorRateOneGives503WithRetryAfterAndNoStateChange();
    void latencyDelaysTheAnswerByTheClock();
    void callbacksDuplicateSendsEachTwice();
    void callbacksDropSendsNone();
    void callbacksReorderChangesTheOrderButNotTheSet();
    void callbacksDelayWaitsOnTheClock();
    void badChaosJsonIsRefusedNamingTheKey_data();
    void badChaosJsonIsRefusedNamingTheKey();
    void chaosIsReadBack();
    void sameSeedMakesSameDecisions();

private:
    void makeServer(Graph::Clock *clock, double timeScale = 10);
    QUrl url(const QString &path) const { return QUrl(m_server->baseUrl().toString() + path); }
    QByteArray token();
    Http putChaos(const QByteArray &json)
    {
        return send(*m_nam, "PUT", url(u"/sandbox/chaos"_s), json);
    }
    QString incoming();
    QByteArray answerBody() const
    {
        return QByteArray(AnswerBody).replace("CALLBACK", m_receiver->url().toEncoded());
    }
    QString state(const QString &callId) const
    {
        return m_server->engine()->getCall(callId).body.value("state"_L1).toString();
    }
    QStringList receivedBodies() const;

    Graph::SystemClock m_systemClock;
    std::unique_ptr<CallbackReceiver> m_receiver;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_token;
};

void TstChaos::init()
{
    m_receiver = std::make_unique<CallbackReceiver>();
    QVERIFY(m_receiver->isListening());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_token.clear();
}

void TstChaos::cleanup()
{
    m_server.reset();
    m_nam.reset();
    m_receiver.reset();
}

void TstChaos::makeServer(Graph::Clock *clock, double timeScale)
{
    ServerConfig config;
    config.seed = 1234;
    config.timeScale = timeScale;
    config.callbackUrl = m_receiver->url().toString();
    m_server = std::make_unique<SandboxServer>(config, clock);
    QVERIFY(m_server->start());
}

QByteArray TstChaos::token()
{
    if (m_token.isEmpty()) {
        const Http http = send(*m_nam, "POST", url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
            "grant_type=client_credentials&client_id=00000000-0000-0000-0000-"
            "0000000000b0&client_secret=sandbox-secret&scope=https%3A%2F%2F"
            "graph.microsoft.com%2F.default");
        m_token = http.json().value("access_token"_L1).toString().toLatin1();
    }
    return m_token;
}

QString TstChaos::incoming()
{
    return m_server->engine()->incoming(Caller { u"Ada"_s, u"+15550100001"_s, {} });
}

QStringList TstChaos::receivedBodies() const
{
    QStringList bodies;
    for (const auto &callback : m_receiver->callbacks())
        bodies.append(QString::fromUtf8(callback.body));
    return bodies;
}

void TstChaos::throttleRateOneGives429WithRetryAfterAndNoStateChange()
{
    makeServer(&m_systemClock);
    const QString callId = incoming();
    // The incoming call's `created` is delivered first; nothing after it may follow.
    QVERIFY(m_receiver->waitForCount(1));
    const QByteArray bearer = token();
    const Http chaos = putChaos(R"({"throttleRate":1.0,"retryAfterSeconds":1.5})");
    QCOMPARE(chaos.status, 200);

    const QString call = u"/v1.0/communications/calls/"_s + callId;
    for (const auto &[verb, path, body] :
        { std::tuple { QByteArray("POST"), QString(call + u"/answer"_s), answerBody() },
            std::tuple { QByteArray("GET"), call, QByteArray() },
            std::tuple { QByteArray("DELETE"), call, QByteArray() } }) {
        const Http http = send(*m_nam, verb, url(path), body, bearer);
        QCOMPARE(http.status, 429);
        QCOMPARE(http.header("Retry-After"), "1.5");
        QCOMPARE(http.error().value("code"_L1).toString(), u"TooManyRequests"_s);
        const QJsonObject inner = http.error().value("innerError"_L1).toObject();
        QCOMPARE(inner.value("code"_L1).toString(), u"429"_s);
        QCOMPARE(inner.value("request-id"_L1).toString().toLatin1(), http.header("request-id"));
    }
    QCOMPARE(state(callId), u"incoming"_s);
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);
    QCOMPARE(m_receiver->count(), 1); // only the incoming call's `created`

    // Never on the token endpoint or the control API.
    m_token.clear();
    QVERIFY(!token().isEmpty());
    QCOMPARE(send(*m_nam, "GET", url(u"/sandbox/state"_s)).status, 200);
}

void TstChaos::errorRateOneGives503WithRetryAfterAndNoStateChange()
{
    makeServer(&m_systemClock);
    const QString callId = incoming();
    const Http chaos = putChaos(R"({"errorRate":1.0,"retryAfterSeconds":2})");
    QCOMPARE(chaos.status, 200);
    const Http http = send(*m_nam, "POST",
        url(u"/v1.0/communications/calls/%1/answer"_s.arg(callId)), answerBody(), token());
    QCOMPARE(http.status, 503);
    QCOMPARE(http.header("Retry-After"), "2");
    QCOMPARE(http.error().value("code"_L1).toString(), u"serviceNotAvailable"_s);
    QCOMPARE(state(callId), u"incoming"_s);
}

void TstChaos::latencyDelaysTheAnswerByTheClock()
{
    Graph::ManualClock clock;
    makeServer(&clock, 1);
    const QString callId = incoming();
    const QByteArray bearer = token();
    const Http chaos = putChaos(R"({"latencyMs":[500,500]})");
    QCOMPARE(chaos.status, 200);
    const qsizetype scheduled = clock.scheduledDelays().size();
    QNetworkReply *reply =
        start(*m_nam, "GET", url(u"/v1.0/communications/calls/"_s + callId), {}, bearer);
    // The server holds the answer on the clock: nothing comes back until the clock moves.
    QTRY_VERIFY(clock.scheduledDelays().size() > scheduled);
    QCOMPARE(clock.scheduledDelays().constLast(), 500ms);
    clock.advance(499ms);
    QCoreApplication::processEvents();
    QVERIFY(!reply->isFinished());
    clock.advance(1ms);
    const Http http = finish(reply);
    QCOMPARE(http.status, 200);
    QCOMPARE(http.json().value("id"_L1).toString(), callId);
}

void TstChaos::callbacksDuplicateSendsEachTwice()
{
    makeServer(&m_systemClock);
    const Http chaos = putChaos(R"({"callbacks":{"duplicate":1.0}})");
    QCOMPARE(chaos.status, 200);
    incoming();
    QVERIFY(m_receiver->waitForCount(2));
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);
    QCOMPARE(m_receiver->count(), 2);
    QCOMPARE(m_receiver->callbacks().at(0).body, m_receiver->callbacks().at(1).body);
    QCOMPARE(m_server->callbacks()->stats().duplicated, 1);
    QCOMPARE(m_server->callbacks()->stats().sent, 2);
}

void TstChaos::callbacksDropSendsNone()
{
    makeServer(&m_systemClock);
    const Http chaos = putChaos(R"({"callbacks":{"drop":1.0}})");
    QCOMPARE(chaos.status, 200);
    QSignalSpy dropped(m_server->callbacks(), &CallbackSender::dropped);
    const QString callId = incoming();
    QCOMPARE(send(*m_nam, "POST", url(u"/v1.0/communications/calls/%1/answer"_s.arg(callId)),
                 answerBody(), token())
                 .status,
        202);
    QTRY_COMPARE(state(callId), u"established"_s);
    QTRY_VERIFY(dropped.count() >= 4); // created, establishing, established, roster
    QCOMPARE(m_server->callbacks()->pending(), 0);
    QCOMPARE(m_server->callbacks()->stats().sent, 0);
    QCOMPARE(m_server->callbacks()->stats().dropped, int(dropped.count()));
    QCOMPARE(m_receiver->count(), 0);
}

void TstChaos::callbacksReorderChangesTheOrderButNotTheSet()
{
    // The same seed and the same requests, without and then with reordering.
    QStringList runs[2];
    for (int run = 0; run < 2; ++run) {
        m_receiver->clear();
        m_token.clear();
        makeServer(&m_systemClock);
        if (run == 1) {
            const Http chaos = putChaos(R"({"callbacks":{"reorder":1.0}})");
            QCOMPARE(chaos.status, 200);
        }
        const QString callId = incoming();
        QCOMPARE(send(*m_nam, "POST", url(u"/v1.0/communications/calls/%1/answer"_s.arg(callId)),
                     answerBody(), token())
                     .status,
            202);
        QTRY_COMPARE(state(callId), u"established"_s);
        QTRY_VERIFY(m_receiver->count() >= 4 && m_server->callbacks()->pending() == 0);
        runs[run] = receivedBodies();
        if (run == 1)
            QVERIFY(m_server->callbacks()->stats().reordered >= 1);
        m_server.reset();
    }
    QVERIFY(runs[0] != runs[1]);
    std::sort(runs[0].begin(), runs[0].end());
    std::sort(runs[1].begin(), runs[1].end());
    QCOMPARE(runs[1], runs[0]);
}

void TstChaos::callbacksDelayWaitsOnTheClock()
{
    Graph::ManualClock clock;
    makeServer(&clock, 1);
    const Http chaos = putChaos(R"({"callbacks":{"delayMs":[300,300]}})");
    QCOMPARE(chaos.status, 200);
    incoming();
    QTRY_VERIFY(clock.scheduledDelays().contains(300ms));
    clock.advance(299ms);
    QCoreApplication::processEvents();
    QCOMPARE(m_receiver->count(), 0);
    QCOMPARE(m_server->callbacks()->pending(), 1);
    clock.advance(1ms);
    QVERIFY(m_receiver->waitForCount(1));
    QTRY_COMPARE(m_server->callbacks()->stats().sent, 1);
}

void TstChaos::badChaosJsonIsRefusedNamingTheKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("key");
    QTest::newRow("rate above 1") << QByteArray(R"({"throttleRate":1.5})") << u"throttleRate"_s;
    QTest::newRow("negative rate") << QByteArray(R"({"errorRate":-0.1})") << u"errorRate"_s;
    QTest::newRow("rate as text") << QByteArray(R"({"errorRate":"high"})") << u"errorRate"_s;
    QTest::newRow("retry after") << QByteArray(R"({"retryAfterSeconds":-1})")
                                 << u"retryAfterSeconds"_s;
    QTest::newRow("min above max") << QByteArray(R"({"latencyMs":[200,100]})") << u"latencyMs"_s;
    QTest::newRow("one bound") << QByteArray(R"({"latencyMs":[200]})") << u"latencyMs"_s;
    QTest::newRow("callback rate")
        << QByteArray(R"({"callbacks":{"drop":2}})") << u"callbacks.drop"_s;
    QTest::newRow("callback delay")
        << QByteArray(R"({"callbacks":{"delayMs":[5,1]}})") << u"callbacks.delayMs"_s;
    QTest::newRow("unknown key") << QByteArray(R"({"throtleRate":0.1})") << u"throtleRate"_s;
    QTest::newRow("callbacks not object") << QByteArray(R"({"callbacks":[]})") << u"callbacks"_s;
}

void TstChaos::badChaosJsonIsRefusedNamingTheKey()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, key);
    makeServer(&m_systemClock);
    const Http http = putChaos(json);
    QCOMPARE(http.status, 400);
    const QString message = http.error().value("message"_L1).toString();
    QVERIFY2(message.startsWith(key + u':'), qPrintable(message));
    QCOMPARE(m_server->chaos()->config(), ChaosConfig()); // nothing was applied
}

void TstChaos::chaosIsReadBack()
{
    makeServer(&m_systemClock);
    const QByteArray json =
        R"({"throttleRate":0.1,"retryAfterSeconds":1.5,"errorRate":0.05,"latencyMs":[20,200],"callbacks":{"reorder":0.05,"duplicate":0.05,"drop":0.01,"delayMs":[0,500]},"seed":99})";
    QCOMPARE(putChaos(json).status, 200);
    const Http http = send(*m_nam, "GET", url(u"/sandbox/chaos"_s));
    QCOMPARE(http.status, 200);
    QCOMPARE(http.json(), QJsonDocument::fromJson(json).object());
    QCOMPARE(m_server->chaos()->seed(), 99u);
}

void TstChaos::sameSeedMakesSameDecisions()
{
    ChaosConfig config;
    config.throttleRate = 0.3;
    config.errorRate = 0.3;
    config.latencyMs = { 0, 1000 };
    config.callbacks = { 0.3, 0.3, 0.3, { 0, 1000 } };
    Chaos a(7);
    Chaos b(7);
    Chaos other(8);
    for (Chaos *chaos : { &a, &b, &other })
        chaos->setConfig(config);
    QList<Chaos::RequestDecision> requests[3];
    QList<Chaos::CallbackDecision> callbacks[3];
    Chaos *all[3] = { &a, &b, &other };
    for (int i = 0; i < 200; ++i) {
        for (int c = 0; c < 3; ++c) {
            requests[c].append(all[c]->decideRequest());
            callbacks[c].append(all[c]->decideCallback());
        }
    }
    QVERIFY(requests[0] == requests[1]);
    QVERIFY(callbacks[0] == callbacks[1]);
    QVERIFY(requests[0] != requests[2]);
    QVERIFY(callbacks[0] != callbacks[2]);
    // Every kind of decision happens with these rates.
    QVERIFY(std::any_of(requests[0].begin(), requests[0].end(),
        [](const auto &d) { return d.fault == Chaos::RequestDecision::Fault::Throttle; }));
    QVERIFY(std::any_of(
        callbacks[0].begin(), callbacks[0].end(), [](const auto &d) { return d.reorder; }));

    // Request decisions do not depend on how many callback decisions came between them.
    Chaos c(7);
    c.setConfig(config);
    for (int i = 0; i < 200; ++i)
        QVERIFY(c.decideRequest() == requests[0].at(i));
    // Reseeding starts again.
    c.reseed(7);
    QVERIFY(c.decideCallback() == callbacks[0].at(0));
}

QTEST_GUILESS_MAIN(TstChaos)
#include "tst_chaos.moc"

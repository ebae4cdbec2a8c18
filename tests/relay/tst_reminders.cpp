// Tests of the relay's reminders (docs/relay-protocol.md "Reminders"): /api/reminders on a real
// RelayService over loopback HTTP (status codes, roles, validation), the table that keeps them
// across restarts, and the scheduler on a ManualClock against a recording Graph: a refused
// create is "failed" with Graph's code and request-id and retried, and a create interrupted by
// a restart is never sent again. The sandbox-backed outcomes are in tst_e2e_reminders.

#include "graph/clock.h"
#include "graph/jwt.h"
#include "graph/relayprotocol.h"
#include "graph/streamstate.h"
#include "recordingserver.h"
#include "relay/eventpublisher.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/reminders.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 10000;
const QByteArray AliceToken = "alice-reminders-token"; // operator
const QByteArray CarolToken = "carol-reminders-token"; // operator
const QByteArray BobToken = "bob-reminders-token"; // supervisor
const QString Prompt = u"https://media.example.org/reminder.wav"_s;
const QString CallsPath = u"/v1.0/communications/calls"_s;

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class TstReminders final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void requestsWithoutAValidTokenGet401();
    void operatorCreatesWith201AndAnEvent();
    void badBodiesGet400_data();
    void badBodiesGet400();
    void listAndGetShowReminders();
    void cancelNeedsTheCreatorOrASupervisor();
    void cancelOfAnUnknownReminderIs404AndOfAFinishedOne409();
    void otherMethodsGet405();
    void remindersSurviveARestart();
    void refusedCreateIsFailedWithGraphsCodeAndRetried();
    void createInterruptedByARestartIsNeverSentAgain();
    void callThatNeverReportsIsHungUpAndFailed();
    void callThatNeverFinishesIsHungUpAfterTenMinutes();
    void reminderEventsChangeNoCallInTheConsolesState();

private:
    Relay::RelayConfig config() const;
    void startRelay();
    void restartRelay();
    HttpResult request(const QByteArray &verb, const QString &path, const QByteArray &token,
        const QByteArray &body = {});
    HttpResult create(const QJsonObject &body, const QByteArray &token = AliceToken);
    QJsonObject reminderBody(std::chrono::seconds in) const;
    QString state(const QString &id) const;
    QList<QJsonObject> reminderEvents() const;
    int creates() const;

    QTemporaryDir m_keys;
    QString m_jwksFile;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Graph::ManualClock> m_clock;
    QNetworkAccessManager m_nam;
    std::unique_ptr<TestSupport::RecordingServer> m_graph;
    QUrl m_graphBase; // where the relay sends Graph requests
    int m_maxAttempts = 3;
    std::unique_ptr<Relay::RelayService> m_relay;
};

void TstReminders::initTestCase()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(m_keys.isValid());
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"reminders-test-key"_s);
    QVERIFY(signer.isValid());
    m_jwksFile = m_keys.filePath(u"jwks.json"_s);
    QFile file(m_jwksFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(signer.jwksJson());
}

void TstReminders::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    m_clock = std::make_unique<Graph::ManualClock>();
    m_graph = std::make_unique<TestSupport::RecordingServer>();
    QVERIFY(m_graph->isListening());
    m_graph->setHandler(
        [](const TestSupport::RecordedRequest &r) -> std::optional<TestSupport::CannedResponse> {
            if (r.path.contains("/oauth2/"_L1))
                return TestSupport::CannedResponse::token(u"app-token"_s);
            return std::nullopt;
        });
    m_graphBase = m_graph->url(u"/v1.0"_s);
    m_maxAttempts = 3;
}

void TstReminders::cleanup()
{
    m_relay.reset();
    m_graph.reset();
    m_clock.reset();
    m_data.reset();
}

Relay::RelayConfig TstReminders::config() const
{
    Relay::RelayConfig config;
    config.listenHost = QHostAddress::LocalHost;
    config.listenPort = 0;
    config.dataDir = m_data->path();
    config.graphBaseUrl = m_graphBase;
    config.tokenUrlTemplate = m_graph->url(u"/tenant/oauth2/v2.0/token"_s).toString();
    config.clientId = u"app-under-test"_s;
    config.clientSecret = u"secret"_s;
    config.publicUrl = QUrl(u"https://relay.example.org/callbacks"_s);
    config.jwksFile = m_jwksFile;
    config.unattended = Relay::UnattendedMode::None;
    config.operators = {
        { u"alice"_s, Relay::Role::Operator, Relay::OperatorDirectory::hashToken(AliceToken) },
        { u"carol"_s, Relay::Role::Operator, Relay::OperatorDirectory::hashToken(CarolToken) },
        { u"bob"_s, Relay::Role::Supervisor, Relay::OperatorDirectory::hashToken(BobToken) },
    };
    config.reminderMaxAttempts = m_maxAttempts;
    config.reminderRetrySpacing = 60s;
    config.reminderGrace = 120s;
    config.reminderPromptUri = QUrl(Prompt);
    return config;
}

void TstReminders::startRelay()
{
    m_relay = std::make_unique<Relay::RelayService>(config(), m_clock.get());
    QString error;
    QVERIFY2(m_relay->start(&error), qPrintable(error));
    m_clock->advance(1ms); // the reminders are taken up once the relay runs
}

void TstReminders::restartRelay()
{
    m_relay->shutdown();
    m_relay.reset();
    startRelay();
}

HttpResult TstReminders::request(
    const QByteArray &verb, const QString &path, const QByteArray &token, const QByteArray &body)
{
    QNetworkRequest request(m_relay->baseUrl().resolved(QUrl(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    HttpResult result;
    if (reply->isFinished() || done.wait(Timeout)) {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.headers = reply->rawHeaderPairs();
    }
    reply->deleteLater();
    return result;
}

HttpResult TstReminders::create(const QJsonObject &body, const QByteArray &token)
{
    return request(
        "POST", u"/api/reminders"_s, token, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QJsonObject TstReminders::reminderBody(std::chrono::seconds in) const
{
    return { { "target"_L1, u"+1 (425) 555-0123"_s }, { "displayName"_L1, u"Lena Vogel"_s },
        { "at"_L1, m_clock->now().addSecs(in.count()).toString(Qt::ISODateWithMs) },
        { "subject"_L1, u"Dentist at 10"_s } };
}

QString TstReminders::state(const QString &id) const
{
    const std::optional<Relay::Reminder> r = m_relay->reminders()->store()->find(id);
    return r ? Relay::reminderStateName(r->state) : QString();
}

QList<QJsonObject> TstReminders::reminderEvents() const
{
    QList<QJsonObject> events;
    for (const Relay::StreamEvent &e : m_relay->journal()->readAfter(0)) {
        if (e.type == Relay::StreamEvent::Type::Relay && e.relayKind() == "reminder"_L1)
            events.append(e.relay);
    }
    return events;
}

int TstReminders::creates() const
{
    int count = 0;
    for (const TestSupport::RecordedRequest &r : m_graph->requests()) {
        if (r.method == "POST" && r.path == CallsPath)
            ++count;
    }
    return count;
}

void TstReminders::requestsWithoutAValidTokenGet401()
{
    startRelay();
    QCOMPARE(request("GET", u"/api/reminders"_s, {}).status, 401);
    QCOMPARE(request("GET", u"/api/reminders"_s, "not-a-token").status, 401);
    QCOMPARE(create(reminderBody(60s), "not-a-token").status, 401);
    QCOMPARE(request("DELETE", u"/api/reminders/x"_s, {}).status, 401);
    QVERIFY(reminderEvents().isEmpty());
}

void TstReminders::operatorCreatesWith201AndAnEvent()
{
    startRelay();
    const HttpResult created = create(reminderBody(60s));
    QCOMPARE(created.status, 201);
    const QJsonObject r = created.json();
    const QString id = r.value("id"_L1).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(r.value("target"_L1).toString(), u"+14255550123"_s); // stored normalised
    QCOMPARE(r.value("displayName"_L1).toString(), u"Lena Vogel"_s);
    QCOMPARE(r.value("prompt"_L1).toString(), Prompt); // the configured default
    QCOMPARE(r.value("state"_L1).toString(), u"scheduled"_s);
    QCOMPARE(r.value("createdBy"_L1).toString(), u"alice"_s);
    QCOMPARE(r.value("attempt"_L1).toInt(), 0);
    QCOMPARE(QDateTime::fromString(r.value("at"_L1).toString(), Qt::ISODateWithMs),
        m_clock->now().addSecs(60));
    bool located = false;
    for (const auto &[name, value] : created.headers)
        located |= name.compare("Location", Qt::CaseInsensitive) == 0
            && value == "/api/reminders/" + id.toUtf8();
    QVERIFY(located);

    const QList<QJsonObject> events = reminderEvents();
    QCOMPARE(events.size(), qsizetype(1));
    QCOMPARE(events[0].value("action"_L1).toString(), u"created"_s);
    QCOMPARE(events[0].value("reminderId"_L1).toString(), id);
    QCOMPARE(events[0].value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(events[0].value("target"_L1).toString(), u"+14255550123"_s);
    QVERIFY(!events[0].contains("callId"_L1) || events[0].value("callId"_L1).toString().isEmpty());

    // An own prompt and a time with an offset are taken as given, in UTC.
    QJsonObject own = reminderBody(60s);
    own.insert("prompt"_L1, u"https://media.example.org/other.wav"_s);
    own.insert("at"_L1, m_clock->now().addSecs(3600).toOffsetFromUtc(7200).toString(Qt::ISODate));
    own.insert("target"_L1, u"3C7B9A1E-5D2F-4E8A-9B6C-1A2B3C4D5E02"_s);
    const HttpResult second = create(own);
    QCOMPARE(second.status, 201);
    QCOMPARE(second.json().value("prompt"_L1).toString(), u"https://media.example.org/other.wav"_s);
    QCOMPARE(
        second.json().value("target"_L1).toString(), u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s);
    QVERIFY(second.json().value("at"_L1).toString().endsWith(u'Z'));
}

void TstReminders::badBodiesGet400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    const auto body = [](const QJsonObject &o) { return QJsonDocument(o).toJson(); };
    const QString soon = QDateTime(QDate(2026, 1, 5), QTime(9, 10), Qt::UTC).toString(Qt::ISODate);
    QTest::newRow("not JSON") << QByteArray("{target") << u"JSON"_s;
    QTest::newRow("no target") << body({ { "at"_L1, soon } }) << u"target"_s;
    QTest::newRow("target not a string")
        << body({ { "target"_L1, 5 }, { "at"_L1, soon } }) << u"target"_s;
    QTest::newRow("bad number") << body({ { "target"_L1, u"+0123"_s }, { "at"_L1, soon } })
                                << u"E.164"_s;
    QTest::newRow("bad user id") << body({ { "target"_L1, u"who is this?"_s }, { "at"_L1, soon } })
                                 << u"target"_s;
    QTest::newRow("no time") << body({ { "target"_L1, u"+14255550123"_s } }) << u"at"_s;
    QTest::newRow("time unparsable")
        << body({ { "target"_L1, u"+14255550123"_s }, { "at"_L1, u"tomorrow"_s } }) << u"at"_s;
    QTest::newRow("time without an offset")
        << body({ { "target"_L1, u"+14255550123"_s }, { "at"_L1, u"2026-01-05T09:10:00"_s } })
        << u"offset"_s;
    QTest::newRow("past beyond the grace")
        << body({ { "target"_L1, u"+14255550123"_s }, { "at"_L1, u"2026-01-05T08:57:00Z"_s } })
        << u"grace"_s;
    QTest::newRow("prompt not a URL") << body({ { "target"_L1, u"+14255550123"_s },
        { "at"_L1, soon }, { "prompt"_L1, u"reminder.wav"_s } })
                                      << u"prompt"_s;
    QTest::newRow("subject not a string")
        << body({ { "target"_L1, u"+14255550123"_s }, { "at"_L1, soon }, { "subject"_L1, 1 } })
        << u"subject"_s;
}

void TstReminders::badBodiesGet400()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    startRelay(); // the ManualClock starts at 2026-01-05 09:00 UTC
    const HttpResult result = request("POST", u"/api/reminders"_s, AliceToken, body);
    QCOMPARE(result.status, 400);
    const QJsonObject error = result.json().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"badRequest"_s);
    QVERIFY2(error.value("message"_L1).toString().contains(mentions, Qt::CaseInsensitive),
        qPrintable(error.value("message"_L1).toString()));
    QVERIFY(m_relay->reminders()->store()->all().isEmpty());
    QVERIFY(reminderEvents().isEmpty());
}

void TstReminders::listAndGetShowReminders()
{
    startRelay();
    const QString later = create(reminderBody(600s)).json().value("id"_L1).toString();
    const QString sooner = create(reminderBody(60s), CarolToken).json().value("id"_L1).toString();
    const HttpResult list = request("GET", u"/api/reminders"_s, AliceToken);
    QCOMPARE(list.status, 200);
    const QJsonArray reminders = list.json().value("reminders"_L1).toArray();
    QCOMPARE(reminders.size(), qsizetype(2));
    QCOMPARE(reminders[0]["id"_L1].toString(), sooner); // by time
    QCOMPARE(reminders[1]["id"_L1].toString(), later);
    QCOMPARE(reminders[0]["createdBy"_L1].toString(), u"carol"_s);

    const HttpResult one = request("GET", u"/api/reminders/"_s + later, CarolToken);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value("id"_L1).toString(), later);
    QCOMPARE(request("GET", u"/api/reminders/unknown"_s, CarolToken).status, 404);
}

void TstReminders::cancelNeedsTheCreatorOrASupervisor()
{
    startRelay();
    const QString mine = create(reminderBody(60s)).json().value("id"_L1).toString();
    const QString other = create(reminderBody(60s)).json().value("id"_L1).toString();
    const HttpResult refused = request("DELETE", u"/api/reminders/"_s + mine, CarolToken);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()["error"_L1]["code"_L1].toString(), u"forbidden"_s);
    QCOMPARE(state(mine), u"scheduled"_s);

    QCOMPARE(request("DELETE", u"/api/reminders/"_s + mine, AliceToken).status, 204);
    QCOMPARE(request("DELETE", u"/api/reminders/"_s + other, BobToken).status, 204);
    QCOMPARE(state(mine), u"cancelled"_s);
    QCOMPARE(state(other), u"cancelled"_s);
    const QList<QJsonObject> events = reminderEvents();
    QCOMPARE(events.size(), qsizetype(4));
    QCOMPARE(events[2].value("action"_L1).toString(), u"cancelled"_s);
    QCOMPARE(events[2].value("by"_L1).toString(), u"alice"_s);
    QCOMPARE(events[3].value("by"_L1).toString(), u"bob"_s);

    m_clock->advance(5min);
    QCOMPARE(creates(), 0);
}

void TstReminders::cancelOfAnUnknownReminderIs404AndOfAFinishedOne409()
{
    startRelay();
    QCOMPARE(request("DELETE", u"/api/reminders/nope"_s, BobToken).status, 404);
    const QString id = create(reminderBody(60s)).json().value("id"_L1).toString();
    QCOMPARE(request("DELETE", u"/api/reminders/"_s + id, AliceToken).status, 204);
    const HttpResult again = request("DELETE", u"/api/reminders/"_s + id, AliceToken);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json()["error"_L1]["code"_L1].toString(), u"reminderNotPending"_s);
}

void TstReminders::otherMethodsGet405()
{
    startRelay();
    const HttpResult put = request("PUT", u"/api/reminders"_s, AliceToken, "{}");
    QCOMPARE(put.status, 405);
    bool allow = false;
    for (const auto &[name, value] : put.headers)
        allow |= name.compare("Allow", Qt::CaseInsensitive) == 0 && value == "GET, POST";
    QVERIFY(allow);
    QCOMPARE(request("POST", u"/api/reminders/x"_s, AliceToken, "{}").status, 405);
}

void TstReminders::remindersSurviveARestart()
{
    startRelay();
    const QString id = create(reminderBody(600s)).json().value("id"_L1).toString();
    restartRelay();
    const std::optional<Relay::Reminder> r = m_relay->reminders()->store()->find(id);
    QVERIFY(r.has_value());
    QCOMPARE(r->target, u"+14255550123"_s);
    QCOMPARE(r->subject, u"Dentist at 10"_s);
    QCOMPARE(r->createdBy, u"alice"_s);
    QCOMPARE(r->at, m_clock->now().addSecs(600).addMSecs(-1)); // startRelay advanced 1 ms
    QCOMPARE(r->state, Relay::Reminder::State::Scheduled);
}

void TstReminders::refusedCreateIsFailedWithGraphsCodeAndRetried()
{
    m_maxAttempts = 2;
    m_graph->enqueue("POST", CallsPath,
        TestSupport::CannedResponse::graphError(
            403, u"Forbidden"_s, u"Application is not allowed to call"_s, u"req-1"_s));
    m_graph->enqueue("POST", CallsPath,
        TestSupport::CannedResponse::graphError(
            403, u"Forbidden"_s, u"Application is not allowed to call"_s, u"req-2"_s));
    startRelay();
    const QString id = create(reminderBody(60s)).json().value("id"_L1).toString();
    m_clock->advance(60s);
    QCOMPARE(state(id), u"placing"_s);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), u"scheduled"_s, Timeout);
    QCOMPARE(creates(), 1);
    const QJsonObject body = m_graph->requests().constLast().json();
    QCOMPARE(
        body["targets"_L1][0]["identity"_L1]["phone"_L1]["id"_L1].toString(), u"+14255550123"_s);
    QCOMPARE(body["callbackUri"_L1].toString(), u"https://relay.example.org/callbacks"_s);
    QCOMPARE(body["mediaConfig"_L1]["preFetchMedia"_L1][0]["uri"_L1].toString(), Prompt);

    QList<QJsonObject> events = reminderEvents();
    QCOMPARE(events.size(), qsizetype(3)); // created, failed, retrying
    QCOMPARE(events[1].value("action"_L1).toString(), u"failed"_s);
    QCOMPARE(events[1].value("code"_L1).toString(), u"Forbidden"_s);
    QCOMPARE(events[1].value("requestId"_L1).toString(), u"req-1"_s);
    QCOMPARE(events[1].value("attempt"_L1).toInt(), 1);
    QCOMPARE(events[1].value("final"_L1).toBool(), false);
    QCOMPARE(events[2].value("action"_L1).toString(), u"retrying"_s);

    m_clock->advance(59s);
    QCOMPARE(creates(), 1);
    m_clock->advance(1s);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), u"failed"_s, Timeout);
    QCOMPARE(creates(), 2);
    events = reminderEvents();
    QCOMPARE(events.constLast().value("requestId"_L1).toString(), u"req-2"_s);
    QCOMPARE(events.constLast().value("attempt"_L1).toInt(), 2);
    QCOMPARE(events.constLast().value("final"_L1).toBool(), true);
    m_clock->advance(10min);
    QCOMPARE(creates(), 2);
}

void TstReminders::createInterruptedByARestartIsNeverSentAgain()
{
    m_maxAttempts = 1;
    // A Graph that takes the create request and never answers it.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> held;
    QByteArray received;
    connect(&silent, &QTcpServer::newConnection, &silent, [&] {
        while (QTcpSocket *socket = silent.nextPendingConnection()) {
            held.append(socket);
            connect(socket, &QTcpSocket::readyRead, socket,
                [&received, socket] { received += socket->readAll(); });
        }
    });
    m_graphBase = QUrl(u"http://127.0.0.1:%1/v1.0"_s.arg(silent.serverPort()));
    startRelay();
    const QString id = create(reminderBody(60s)).json().value("id"_L1).toString();
    m_clock->advance(60s);
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("POST /v1.0/communications/calls"), Timeout);
    QCOMPARE(state(id), u"placing"_s);

    // Killed (here: stopped) while the request is out; the next start must not resend it.
    m_graphBase = m_graph->url(u"/v1.0"_s);
    restartRelay();
    QCOMPARE(state(id), u"failed"_s);
    const QJsonObject last = reminderEvents().constLast();
    QCOMPARE(last.value("action"_L1).toString(), u"failed"_s);
    QCOMPARE(last.value("code"_L1).toString(), u"interrupted"_s);
    QCOMPARE(last.value("final"_L1).toBool(), true);
    m_clock->advance(10min);
    QCOMPARE(creates(), 0);
    qDeleteAll(held);
}

void TstReminders::callThatNeverReportsIsHungUpAndFailed()
{
    m_maxAttempts = 1;
    m_graph->enqueue("POST", CallsPath,
        TestSupport::CannedResponse::json(201,
            { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, u"call-silent"_s },
                { "state"_L1, u"establishing"_s } }));
    m_graph->enqueue(
        "DELETE", CallsPath + u"/call-silent"_s, TestSupport::CannedResponse::empty(204));
    startRelay();
    const QString id = create(reminderBody(60s)).json().value("id"_L1).toString();
    m_clock->advance(60s);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), u"calling"_s, Timeout);
    QCOMPARE(reminderEvents().constLast().value("callId"_L1).toString(), u"call-silent"_s);

    // No callback ever comes; once the reconciler's time and the watchdog's have passed:
    m_clock->advance(2min + 3min - 1s);
    QCOMPARE(state(id), u"calling"_s);
    m_clock->advance(1s);
    QCOMPARE(state(id), u"failed"_s);
    QCOMPARE(reminderEvents().constLast().value("code"_L1).toString(), u"noCallbacks"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_graph->lastRequest().method == "DELETE", Timeout);
    QCOMPARE(m_graph->lastRequest().path, CallsPath + u"/call-silent"_s);
}

void TstReminders::callThatNeverFinishesIsHungUpAfterTenMinutes()
{
    m_maxAttempts = 1;
    m_graph->enqueue("POST", CallsPath,
        TestSupport::CannedResponse::json(201,
            { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, u"call-long"_s },
                { "state"_L1, u"establishing"_s } }));
    m_graph->setDefaultResponse(TestSupport::CannedResponse::empty(204));
    startRelay();
    const QString id = create(reminderBody(60s)).json().value("id"_L1).toString();
    m_clock->advance(60s);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), u"calling"_s, Timeout);
    // The call is known to the relay (a callback said it rings), but it never ends.
    const QJsonObject ringing { { "changeType"_L1, u"updated"_s },
        { "resourceUrl"_L1, u"/communications/calls/call-long"_s },
        { "resourceData"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
                { "id"_L1, u"call-long"_s }, { "state"_L1, u"establishing"_s } } } };
    QList<Relay::StreamEvent> events { Relay::StreamEvent {} };
    events[0].notification = ringing;
    QVERIFY(m_relay->publisher()->publish(events, nullptr));
    m_clock->advance(10min - 1s);
    QCOMPARE(state(id), u"calling"_s);
    m_clock->advance(1s);
    QCOMPARE(state(id), u"failed"_s);
    QCOMPARE(reminderEvents().constLast().value("code"_L1).toString(), u"timeout"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_graph->lastRequest().method == "DELETE", Timeout);
}

void TstReminders::reminderEventsChangeNoCallInTheConsolesState()
{
    Graph::StreamState state;
    Graph::RelayProtocol::StreamEvent event;
    event.type = Graph::RelayProtocol::StreamEvent::Type::Relay;
    event.seq = 1;
    event.at = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    event.relay = { { "kind"_L1, u"reminder"_s }, { "reminderId"_L1, u"r1"_s },
        { "action"_L1, u"created"_s }, { "attempt"_L1, 0 } };
    QCOMPARE(state.apply(event).outcome, Graph::ApplyResult::Outcome::Ignored);
    event.seq = 2;
    event.relay.insert("callId"_L1, u"call-of-a-reminder"_s);
    event.relay.insert("action"_L1, u"placing"_s);
    QCOMPARE(state.apply(event).outcome, Graph::ApplyResult::Outcome::Ignored);
    QCOMPARE(state.seq(), 2);
    QVERIFY(state.book().ids().isEmpty());
}

QTEST_GUILESS_MAIN(TstReminders)
#include "tst_reminders.moc"

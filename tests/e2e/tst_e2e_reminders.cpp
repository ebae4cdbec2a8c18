// Reminders end to end: the sandbox plays Graph and the person called, the relay places each
// reminder at its time through the sandbox, plays its prompt and hangs up, retries, survives a
// restart across the reminder's time, and never places a cancelled one. The relay's clock is a
// ManualClock (the reminders' times), the sandbox's the real one (its short platform delays).

#include "graph/clock.h"
#include "relay/eventpublisher.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/reminders.h"
#include "sandbox/sandboxserver.h"
#include "sandboxasgraph.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 10000;
const QByteArray OperatorToken = "e2e-reminders-operator-token";
const QString Prompt = u"https://media.example.org/reminder.wav"_s;
const QString Person = u"+14255550123"_s;

struct ApiAnswer
{
    int status = 0;
    QJsonObject body;
};

//! The sandbox as Graph and a relay on a ManualClock that starts at the real time (so that
//! the sandbox's signed callbacks are fresh for it).
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock sandboxClock;
    Graph::ManualClock clock { QDateTime::currentDateTimeUtc() };
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    Relay::RelayConfig config;
    std::unique_ptr<Relay::RelayService> relay;
    QList<QJsonObject> events; // the relay's "reminder" events, in order, across restarts

    QString start(const std::function<void(Relay::RelayConfig &)> &adjust = {})
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 20; // the 15 s ring timeout becomes 0.75 s
        sandboxConfig.seed = 17;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &sandboxClock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();

        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return u"no free port"_s;
        const quint16 port = probe.serverPort();
        probe.close();

        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = port;
        config.dataDir = dataDir.path();
        TestSupport::useSandboxAsGraph(config, *sandbox);
        config.publicUrl = QUrl(u"http://127.0.0.1:%1/callbacks"_s.arg(port));
        config.operators = { Relay::OperatorEntry { u"alice"_s, Relay::Role::Operator,
            Relay::OperatorDirectory::hashToken(OperatorToken) } };
        config.unattended = Relay::UnattendedMode::None;
        config.reminderMaxAttempts = 3;
        config.reminderRetrySpacing = 60s;
        config.reminderGrace = 120s;
        config.reminderPromptUri = QUrl(Prompt);
        if (adjust)
            adjust(config);
        sandbox->engine()->setGlobalCallbackUrl(config.publicUrl.toString());
        return startRelay();
    }

    //! Starts (again) a relay on the same data directory and port.
    QString startRelay()
    {
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return u"relay: "_s + error;
        QObject::connect(relay->publisher(), &Relay::EventPublisher::published, relay.get(),
            [this](const QList<Relay::StreamEvent> &published) {
                for (const Relay::StreamEvent &event : published) {
                    if (event.type == Relay::StreamEvent::Type::Relay
                        && event.relayKind() == "reminder"_L1)
                        events.append(event.relay);
                }
            });
        clock.advance(1ms); // the policy and the reminders take up their work
        return {};
    }

    void stopRelay()
    {
        relay->shutdown();
        relay.reset();
    }

    ApiAnswer api(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest request(relay->baseUrl().resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + OperatorToken);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.sendCustomRequest(
            request, verb, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(Timeout))
            return {};
        reply->deleteLater();
        return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object() };
    }

    //! POST /api/reminders for Person, `in` from the relay's now; the new reminder's id.
    QString remind(std::chrono::seconds in)
    {
        const ApiAnswer answer = api("POST", u"/api/reminders"_s,
            { { "target"_L1, Person }, { "displayName"_L1, u"Lena Vogel"_s },
                { "at"_L1, clock.now().addSecs(in.count()).toString(Qt::ISODateWithMs) },
                { "subject"_L1, u"Dentist at 10"_s } });
        if (answer.status != 201)
            qWarning() << "POST /api/reminders:" << answer.status << answer.body;
        return answer.body.value("id"_L1).toString();
    }

    void control(const QByteArray &verb, const QString &path, const QJsonObject &body)
    {
        TestSupport::sandboxControl(nam, *sandbox, verb, path, body, Timeout);
    }

    //! The sandbox's outgoing calls, as Graph resources with "operations".
    QList<QJsonObject> placedCalls() const
    {
        QList<QJsonObject> calls;
        for (const QJsonValue &v : sandbox->engine()->state().value("calls"_L1).toArray()) {
            if (v.toObject().value("direction"_L1).toString() == "outgoing"_L1)
                calls.append(v.toObject());
        }
        return calls;
    }

    QString state(const QString &id) const
    {
        if (!relay || !relay->reminders())
            return {};
        const std::optional<Relay::Reminder> r = relay->reminders()->store()->find(id);
        return r ? Relay::reminderStateName(r->state) : QString();
    }

    QStringList actions() const
    {
        QStringList list;
        for (const QJsonObject &e : events)
            list.append(e.value("action"_L1).toString());
        return list;
    }
};

} // namespace

class TstE2eReminders final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placedOnTimePlaysThePromptAndHangsUp();
    void unansweredCallIsRetriedAfterTheSpacing();
    void failingCallsEndAsFailedWithGraphsCode();
    void restartWithinGracePlacesItOnce();
    void restartBeyondGraceMarksItMissed();
    void cancelledReminderIsNeverPlaced();
};

void TstE2eReminders::placedOnTimePlaysThePromptAndHangsUp()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString id = system.remind(60s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(system.state(id), u"scheduled"_s);

    system.clock.advance(59s);
    QCOMPARE(system.state(id), u"scheduled"_s); // placing would have left this at once
    QVERIFY(system.placedCalls().isEmpty());

    system.clock.advance(1s);
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"played"_s, Timeout);
    const QList<QJsonObject> calls = system.placedCalls();
    QCOMPARE(calls.size(), qsizetype(1));
    const QJsonObject call = calls.constFirst();
    QCOMPARE(call.value("targets"_L1)[0]["identity"_L1]["phone"_L1]["id"_L1].toString(), Person);
    QCOMPARE(call.value("callbackUri"_L1).toString(), system.config.publicUrl.toString());
    const QJsonArray operations = call.value("operations"_L1).toArray();
    QCOMPARE(operations.size(), qsizetype(1));
    QCOMPARE(operations[0]["clientContext"_L1].toString(), u"frontdesk-reminder:"_s + id);
    QCOMPARE(operations[0]["status"_L1].toString().toLower(), u"completed"_s);
    // The relay hangs up once the prompt has played.
    QTRY_VERIFY_WITH_TIMEOUT(
        system.placedCalls().constFirst().value("state"_L1).toString() == "terminated"_L1, Timeout);
    QCOMPARE(system.placedCalls().constFirst()["resultInfo"_L1]["code"_L1].toInt(), 200);

    QCOMPARE(system.actions(), (QStringList { u"created"_s, u"placing"_s, u"played"_s }));
    const QJsonObject placing = system.events.at(1);
    QCOMPARE(placing.value("callId"_L1).toString(), call.value("id"_L1).toString());
    QCOMPARE(placing.value("attempt"_L1).toInt(), 1);
    QCOMPARE(placing.value("target"_L1).toString(), Person);
    QCOMPARE(system.events.at(2).value("final"_L1).toBool(), true);
}

void TstE2eReminders::unansweredCallIsRetriedAfterTheSpacing()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    system.control("PUT", u"/sandbox/callees"_s, { { "noAnswer"_L1, QJsonArray { Person } } });
    const QString id = system.remind(10s);
    system.clock.advance(10s);
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"scheduled"_s, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(system.actions().contains(u"retrying"_s), Timeout);
    QCOMPARE(system.actions(),
        (QStringList { u"created"_s, u"placing"_s, u"noAnswer"_s, u"retrying"_s }));
    const QJsonObject noAnswer = system.events.at(2);
    QCOMPARE(noAnswer.value("code"_L1).toString(), u"408"_s);
    QCOMPARE(noAnswer.value("final"_L1).toBool(), false);
    QCOMPARE(system.placedCalls().size(), qsizetype(1));

    // The person is back; nothing happens before the spacing has passed.
    system.control("PUT", u"/sandbox/callees"_s, QJsonObject {});
    system.clock.advance(59s);
    QCOMPARE(system.state(id), u"scheduled"_s);
    system.clock.advance(1s);
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"played"_s, Timeout);
    QCOMPARE(system.placedCalls().size(), qsizetype(2));
    QCOMPARE(system.events.constLast().value("attempt"_L1).toInt(), 2);
}

void TstE2eReminders::failingCallsEndAsFailedWithGraphsCode()
{
    System system;
    const QString error =
        system.start([](Relay::RelayConfig &config) { config.reminderMaxAttempts = 2; });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    system.control("PUT", u"/sandbox/callees"_s, { { "fail"_L1, QJsonArray { Person } } });
    const QString id = system.remind(10s);
    system.clock.advance(10s);
    QTRY_VERIFY_WITH_TIMEOUT(system.actions().contains(u"retrying"_s), Timeout);
    system.clock.advance(60s);
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"failed"_s, Timeout);
    QCOMPARE(system.placedCalls().size(), qsizetype(2));
    const QJsonObject last = system.events.constLast();
    QCOMPARE(last.value("action"_L1).toString(), u"failed"_s);
    QCOMPARE(last.value("code"_L1).toString(), u"500"_s);
    QCOMPARE(last.value("subcode"_L1).toString(), u"7002"_s);
    QCOMPARE(last.value("attempt"_L1).toInt(), 2);
    QCOMPARE(last.value("final"_L1).toBool(), true);
}

void TstE2eReminders::restartWithinGracePlacesItOnce()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString id = system.remind(60s);
    system.stopRelay();

    system.clock.advance(90s); // its time passes while the relay is down, within the grace
    QVERIFY(system.placedCalls().isEmpty());
    const QString again = system.startRelay();
    QVERIFY2(again.isEmpty(), qPrintable(again));
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"played"_s, Timeout);

    // A second restart finds it done and places nothing.
    system.stopRelay();
    const QString third = system.startRelay();
    QVERIFY2(third.isEmpty(), qPrintable(third));
    system.clock.advance(5min);
    QCOMPARE(system.state(id), u"played"_s);
    QCOMPARE(system.placedCalls().size(), qsizetype(1));
    QCOMPARE(system.actions().count(u"placing"_s), qsizetype(1));
}

void TstE2eReminders::restartBeyondGraceMarksItMissed()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString id = system.remind(60s);
    system.stopRelay();

    system.clock.advance(60s + 121s); // back after the grace of 120 s
    const QString again = system.startRelay();
    QVERIFY2(again.isEmpty(), qPrintable(again));
    QTRY_COMPARE_WITH_TIMEOUT(system.state(id), u"missed"_s, Timeout);
    QCOMPARE(system.actions(), (QStringList { u"created"_s, u"missed"_s }));
    QVERIFY(system.placedCalls().isEmpty());
}

void TstE2eReminders::cancelledReminderIsNeverPlaced()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString id = system.remind(60s);
    QCOMPARE(system.api("DELETE", u"/api/reminders/"_s + id).status, 204);
    QCOMPARE(system.state(id), u"cancelled"_s);
    system.clock.advance(5min);
    QCOMPARE(system.state(id), u"cancelled"_s);
    QVERIFY(system.placedCalls().isEmpty());
    QCOMPARE(system.api("DELETE", u"/api/reminders/"_s + id).status, 409);
    QCOMPARE(system.actions(), (QStringList { u"created"_s, u"cancelled"_s }));
    const ApiAnswer list = system.api("GET", u"/api/reminders"_s);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.body["reminders"_L1][0]["state"_L1].toString(), u"cancelled"_s);
}

QTEST_GUILESS_MAIN(TstE2eReminders)
#include "tst_e2e_reminders.moc"

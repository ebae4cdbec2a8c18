// The scenario format, the plans seeds make of it, and the runner playing them on the clock.
#include "callbackreceiver.h"
#include "graph/clock.h"
#include "sandbox/sandboxserver.h"
#include "sandbox/scenario.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Sandbox;
using TestSupport::CallbackReceiver;

namespace {

// A value that with() removes.
const QJsonValue Absent(QJsonValue::Undefined);
const QString ScenarioDir = QStringLiteral(FRONTDESK_TEST_DATA_DIR "/../../sandbox/scenarios");

QJsonObject goodScenario()
{
    return QJsonDocument::fromJson(R"({
        "name": "test",
        "description": "every feature",
        "seed": 5,
        "unreachable": ["+14255550999"],
        "meetingAccessDenied": ["u-denied"],
        "events": [
            {"at": 1.5, "type": "incoming", "label": "c1",
             "from": {"displayName": "Ada", "phone": "+15550100001"}, "to": "Reception",
             "patienceSeconds": 12, "talkSeconds": [30, 90]},
            {"at": 5, "type": "tones", "call": "c1", "tones": "1#"},
            {"at": 9, "type": "hangup", "call": "c1"},
            {"at": 2, "type": "incomingGroup", "label": "g1",
             "from": {"displayName": "Sue", "userId": "u-sue"}, "subject": "All hands",
             "groupSize": 10, "initialParticipants": 4, "joinEverySeconds": [0.2, 1.0]},
            {"at": 3, "type": "join", "call": "g1", "who": {"displayName": "Guest"}}
        ],
        "generators": [
            {"type": "incoming", "start": 0, "every": [3, 8], "count": 40, "labelPrefix": "m",
             "callers": [{"displayName": "Bob", "userId": "u-bob"}], "unknownRate": 0.3,
             "spamRate": 0.2, "spamNumbers": ["+18885550199"], "patienceSeconds": [8, 14],
             "talkSeconds": [20, 120]}
        ]})")
        .object();
}

QJsonObject with(QJsonObject object, const QString &path, const QJsonValue &value)
{
    // path: "key", "events.0.key" or "generators.0.key"
    const QStringList parts = path.split(u'.');
    if (parts.size() == 1) {
        if (value.isUndefined())
            object.remove(path);
        else
            object.insert(path, value);
        return object;
    }
    QJsonArray array = object.value(parts[0]).toArray();
    QJsonObject item = array.at(parts[1].toInt()).toObject();
    if (value.isUndefined())
        item.remove(parts[2]);
    else
        item.insert(parts[2], value);
    array.replace(parts[1].toInt(), item);
    object.insert(parts[0], array);
    return object;
}

QJsonArray planJson(const QList<PlannedEvent> &plan)
{
    QJsonArray array;
    for (const PlannedEvent &event : plan)
        array.append(event.toJson());
    return array;
}

} // namespace

class TstScenario final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryField();
    void refusesBadFields_data();
    void refusesBadFields();
    void shippedScenariosParse_data();
    void shippedScenariosParse();
    void sameSeedGivesSameEventList_data();
    void sameSeedGivesSameEventList();
    void generatorMixesKnownUnknownAndSpamCallers();
    void ringTimeoutFollowsTheTimeScale();
    void callersAbandonAfterTheirPatience();
    void callersHangUpAfterTheirTalkTime();
    void groupInviteGrowsItsRoster();
    void frontDeskMorningProducesIncomingCallsAtAReceiver();
};

void TstScenario::parsesEveryField()
{
    QString error;
    const auto scenario = Scenario::fromJson(goodScenario(), &error);
    QVERIFY2(scenario, qPrintable(error));
    QCOMPARE(scenario->name, u"test"_s);
    QCOMPARE(scenario->seed, std::optional<quint32>(5));
    QCOMPARE(scenario->unreachable, QStringList { u"+14255550999"_s });
    QCOMPARE(scenario->meetingAccessDenied, QStringList { u"u-denied"_s });
    QCOMPARE(scenario->events.size(), 5);
    const ScenarioEvent &first = scenario->events.at(0);
    QCOMPARE(first.type, ScenarioEvent::Type::Incoming);
    QCOMPARE(first.at, 1.5);
    QCOMPARE(first.from.phone, u"+15550100001"_s);
    QCOMPARE(first.patienceSeconds->min, 12.0);
    QCOMPARE(first.talkSeconds->max, 90.0);
    QCOMPARE(scenario->events.at(1).tones, u"1#"_s);
    QCOMPARE(scenario->events.at(3).groupSize, 10);
    QCOMPARE(scenario->events.at(3).initialParticipants, 4);
    QCOMPARE(scenario->events.at(4).who.displayName, u"Guest"_s);
    QCOMPARE(scenario->generators.size(), 1);
    QCOMPARE(scenario->generators.at(0).count, 40);
    QCOMPARE(scenario->generators.at(0).spamNumbers, QStringList { u"+18885550199"_s });

    const QList<PlannedEvent> plan = planScenario(*scenario, 5);
    QCOMPARE(plan.size(), 45);
    QVERIFY(std::is_sorted(
        plan.begin(), plan.end(), [](const auto &a, const auto &b) { return a.at < b.at; }));
    const auto group = std::find_if(plan.begin(), plan.end(),
        [](const PlannedEvent &e) { return e.type == ScenarioEvent::Type::IncomingGroup; });
    QCOMPARE(group->joiners.size(), 6);
}

void TstScenario::refusesBadFields_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("no name") << u"name"_s << Absent << u"name: is required"_s;
    QTest::newRow("unknown key") << u"colour"_s << QJsonValue(1) << u"colour: unknown key"_s;
    QTest::newRow("seed") << u"seed"_s << QJsonValue(-1) << u"seed:"_s;
    QTest::newRow("events not array") << u"events"_s << QJsonValue(1) << u"events:"_s;
    QTest::newRow("negative at") << u"events.0.at"_s << QJsonValue(-1) << u"events[0].at:"_s;
    QTest::newRow("unknown type") << u"events.0.type"_s << QJsonValue(u"ring"_s)
                                  << u"events[0].type:"_s;
    QTest::newRow("no from") << u"events.0.from"_s << Absent << u"events[0].from:"_s;
    QTest::newRow("bad phone") << u"events.0.from"_s
                               << QJsonValue(QJsonObject { { "phone"_L1, u"555"_s } })
                               << u"events[0].from.phone:"_s;
    QTest::newRow("two identities")
        << u"events.0.from"_s
        << QJsonValue(QJsonObject { { "phone"_L1, u"+15550100001"_s }, { "userId"_L1, u"u"_s } })
        << u"events[0].from:"_s;
    QTest::newRow("range reversed") << u"events.0.talkSeconds"_s << QJsonValue(QJsonArray { 9, 3 })
                                    << u"events[0].talkSeconds: min must not exceed max"_s;
    QTest::newRow("range of three")
        << u"events.0.patienceSeconds"_s << QJsonValue(QJsonArray { 1, 2, 3 })
        << u"events[0].patienceSeconds:"_s;
    QTest::newRow("bad tones") << u"events.1.tones"_s << QJsonValue(u"12x"_s)
                               << u"events[1].tones:"_s;
    QTest::newRow("unknown label") << u"events.2.call"_s << QJsonValue(u"c9"_s)
                                   << u"events[2].call: no call is labelled 'c9'"_s;
    QTest::newRow("label twice") << u"events.3.label"_s << QJsonValue(u"c1"_s)
                                 << u"events[3].label: is used twice"_s;
    QTest::newRow("group too small")
        << u"events.3.groupSize"_s << QJsonValue(2) << u"events[3].initialParticipants:"_s;
    QTest::newRow("generator count")
        << u"generators.0.count"_s << QJsonValue(0) << u"generators[0].count:"_s;
    QTest::newRow("generator every")
        << u"generators.0.every"_s << Absent << u"generators[0].every: is required"_s;
    QTest::newRow("rates above 1")
        << u"generators.0.unknownRate"_s << QJsonValue(0.9) << u"generators[0].spamRate:"_s;
    QTest::newRow("spam without numbers")
        << u"generators.0.spamNumbers"_s << Absent << u"generators[0].spamNumbers:"_s;
    QTest::newRow("bad spam number")
        << u"generators.0.spamNumbers"_s << QJsonValue(QJsonArray { u"spam"_s })
        << u"generators[0].spamNumbers[0]:"_s;
}

void TstScenario::refusesBadFields()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!Scenario::fromJson(with(goodScenario(), path, value), &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
}

void TstScenario::shippedScenariosParse_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &name : { u"front-desk-morning"_s, u"spam-burst"_s, u"group-call-50"_s,
             u"failing-transfers"_s, u"ivr-menu"_s })
        QTest::newRow(qPrintable(name)) << ScenarioDir + u'/' + name + u".json"_s;
}

void TstScenario::shippedScenariosParse()
{
    QFETCH(QString, file);
    QString error;
    const auto scenario = Scenario::load(file, &error);
    QVERIFY2(scenario, qPrintable(error));
    QVERIFY(!scenario->description.isEmpty());
    QVERIFY(!planScenario(*scenario, 1).isEmpty());
}

void TstScenario::sameSeedGivesSameEventList_data()
{
    shippedScenariosParse_data();
}

void TstScenario::sameSeedGivesSameEventList()
{
    QFETCH(QString, file);
    const auto scenario = Scenario::load(file, nullptr);
    QVERIFY(scenario);
    const QJsonArray first = planJson(planScenario(*scenario, 2026));
    QCOMPARE(planJson(planScenario(*scenario, 2026)), first);
    QVERIFY(planJson(planScenario(*scenario, 2027)) != first);

    // The runner plays the same plan the seed makes.
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 2026;
    SandboxServer server(config, &clock);
    const ScenarioRunner *runner = server.runScenario(*scenario);
    QCOMPARE(runner->seed(), 2026u);
    QCOMPARE(planJson(runner->plan()), first);
}

void TstScenario::generatorMixesKnownUnknownAndSpamCallers()
{
    const auto scenario = Scenario::fromJson(goodScenario(), nullptr);
    QVERIFY(scenario);
    QHash<QString, int> kinds;
    const QList<PlannedEvent> plan = planScenario(*scenario, 77);
    for (const PlannedEvent &event : plan) {
        if (event.callerKind.isEmpty())
            continue;
        ++kinds[event.callerKind];
        QVERIFY(event.patienceSeconds >= 8 && event.patienceSeconds <= 14);
        QVERIFY(event.talkSeconds >= 20 && event.talkSeconds <= 120);
        if (event.callerKind == "spam"_L1)
            QCOMPARE(event.from.phone, u"+18885550199"_s);
        if (event.callerKind == "known"_L1)
            QCOMPARE(event.from.userId, u"u-bob"_s);
        if (event.callerKind == "unknown"_L1)
            QVERIFY(event.from.phone.startsWith(u"+1555"_s) && event.from.displayName.isEmpty());
    }
    QCOMPARE(kinds.value(u"known"_s) + kinds.value(u"unknown"_s) + kinds.value(u"spam"_s), 40);
    QVERIFY(kinds.value(u"known"_s) > 0);
    QVERIFY(kinds.value(u"unknown"_s) > 0);
    QVERIFY(kinds.value(u"spam"_s) > 0);
}

void TstScenario::ringTimeoutFollowsTheTimeScale()
{
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 3;
    config.timeScale = 100; // Graph's 15 s become 150 ms
    SandboxServer server(config, &clock);
    const QString callId = server.engine()->incoming(Caller { u"Ada"_s, u"+15550100001"_s, {} });
    clock.advance(149ms);
    QCOMPARE(server.engine()->getCall(callId).body.value("state"_L1).toString(), u"incoming"_s);
    clock.advance(1ms);
    const QJsonArray calls = server.engine()->state().value("calls"_L1).toArray();
    QCOMPARE(calls.size(), 1);
    const QJsonObject call = calls.at(0).toObject();
    QCOMPARE(call.value("state"_L1).toString(), u"terminated"_s);
    QCOMPARE(call.value("resultInfo"_L1).toObject().value("code"_L1).toInt(), 408);
}

void TstScenario::callersAbandonAfterTheirPatience()
{
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 4;
    SandboxServer server(config, &clock);
    QString error;
    const auto scenario = Scenario::fromJson(
        QByteArray(R"({"name":"abandon","events":[{"at":1,"type":"incoming","label":"c",
            "from":{"phone":"+15550100001"},"patienceSeconds":5}]})"),
        &error);
    QVERIFY2(scenario, qPrintable(error));
    ScenarioRunner *runner = server.runScenario(*scenario);
    QSignalSpy finished(runner, &ScenarioRunner::finished);
    clock.advance(1s);
    QCOMPARE(finished.count(), 1);
    const QString callId = runner->callId(u"c"_s);
    QVERIFY(!callId.isEmpty());
    clock.advance(4999ms);
    QCOMPARE(server.engine()->getCall(callId).body.value("state"_L1).toString(), u"incoming"_s);
    clock.advance(1ms);
    clock.advance(1s); // the platform's own delays for the hang-up
    QCOMPARE(server.engine()->liveCallCount(), 0);
}

void TstScenario::callersHangUpAfterTheirTalkTime()
{
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 5;
    SandboxServer server(config, &clock);
    const auto scenario = Scenario::fromJson(
        QByteArray(R"({"name":"talk","events":[{"at":0,"type":"incoming","label":"c",
            "from":{"phone":"+15550100001"},"talkSeconds":10}]})"),
        nullptr);
    QVERIFY(scenario);
    ScenarioRunner *runner = server.runScenario(*scenario);
    clock.advance(0ms);
    const QString callId = runner->callId(u"c"_s);
    QVERIFY(!callId.isEmpty());
    const QJsonObject answer {
        { "callbackUri"_L1, u"https://bot.example.org/cb"_s },
        { "mediaConfig"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
    };
    QCOMPARE(server.engine()->answer(callId, answer).status, 202);
    clock.advance(1s); // established, and seen by the runner's watch
    QCoreApplication::processEvents();
    clock.advance(1s);
    QCOMPARE(server.engine()->getCall(callId).body.value("state"_L1).toString(), u"established"_s);
    clock.advance(10s);
    clock.advance(2s);
    QCOMPARE(server.engine()->liveCallCount(), 0);
}

void TstScenario::groupInviteGrowsItsRoster()
{
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 6;
    SandboxServer server(config, &clock);
    const auto scenario = Scenario::fromJson(
        QByteArray(R"({"name":"group","events":[{"at":0,"type":"incomingGroup","label":"g",
            "from":{"displayName":"Sue","userId":"u-sue"},"subject":"All hands",
            "groupSize":12,"initialParticipants":3,"joinEverySeconds":[0.2,1.0]}]})"),
        nullptr);
    QVERIFY(scenario);
    ScenarioRunner *runner = server.runScenario(*scenario);
    clock.advance(0ms);
    const QString callId = runner->callId(u"g"_s);
    const QJsonObject answer {
        { "callbackUri"_L1, u"https://bot.example.org/cb"_s },
        { "mediaConfig"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
    };
    QCOMPARE(server.engine()->answer(callId, answer).status, 202);
    const auto rosterSize = [&] {
        return int(
            server.engine()->listParticipants(callId).body.value("value"_L1).toArray().size());
    };
    clock.advance(1s);
    QCoreApplication::processEvents();
    QCOMPARE(rosterSize(), 1 + 3); // the bot, the organizer and two others
    clock.advance(30s);
    QCOMPARE(rosterSize(), 1 + 12);
}

void TstScenario::frontDeskMorningProducesIncomingCallsAtAReceiver()
{
    CallbackReceiver receiver;
    QVERIFY(receiver.isListening());
    Graph::SystemClock clock;
    ServerConfig config;
    config.seed = 9;
    config.timeScale = 50; // a call every 60 to 160 ms
    config.callbackUrl = receiver.url().toString();
    SandboxServer server(config, &clock);
    QVERIFY(server.start());

    QFile file(ScenarioDir + u"/front-desk-morning.json"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(server.baseUrl().toString() + u"/sandbox/scenario"_s));
    request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = nam.post(request, file.readAll());
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait());
    reply->deleteLater();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value("name"_L1).toString(),
        u"front-desk-morning"_s);

    const auto created = [&receiver] {
        int count = 0;
        const auto notifications = receiver.notifications();
        for (const auto &n : notifications)
            count += n.changeType == Graph::ChangeType::Created ? 1 : 0;
        return count;
    };
    QTRY_VERIFY_WITH_TIMEOUT(created() >= 5, 10000);
    QCOMPARE(server.scenarios().size(), 1);
    QVERIFY(server.scenarios().first()->firedCount() >= 5);
}

QTEST_GUILESS_MAIN(TstScenario)
#include "tst_scenario.moc"

// Tests of Sandbox::Engine's callees of outgoing calls (PUT /sandbox/callees): by default they
// answer; set to noAnswer the call rings until Graph's ring timeout and ends 408/1106; busy ends
// it 486/0 and fail 500/7002. Time moves only with ManualClock::advance().

#include "graph/clock.h"
#include "sandbox/engine.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString CreateUrl = u"https://relay.example.org/callbacks"_s;
const QString Number = u"+14255550123"_s;
const QString UserId = u"9d2c6a41-7e3b-4f05-8c1a-6b4e2d9f0a37"_s;

class NullNotifier final : public Sandbox::Notifier
{
public:
    void notify(const QString &, const QJsonObject &) override { }
};

struct Rig
{
    Rig()
        : engine(config(), &clock, &notifier, 5)
    { }

    static Sandbox::EngineConfig config()
    {
        Sandbox::EngineConfig c;
        c.baseUrl = u"http://127.0.0.1:8765"_s;
        return c;
    }

    QString place(const QJsonObject &identity)
    {
        const QJsonObject body {
            { "callbackUri"_L1, CreateUrl },
            { "mediaConfig"_L1,
                QJsonObject {
                    { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
            { "targets"_L1,
                QJsonArray { QJsonObject {
                    { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
                    { "identity"_L1, identity } } } },
        };
        return engine.createCall(body).body.value("id"_L1).toString();
    }

    QJsonObject call(const QString &id) const
    {
        for (const QJsonValue &v : engine.state().value("calls"_L1).toArray()) {
            if (v.toObject().value("id"_L1).toString() == id)
                return v.toObject();
        }
        return {};
    }

    Graph::ManualClock clock;
    NullNotifier notifier;
    Sandbox::Engine engine;
};

QJsonObject phone(const QString &number)
{
    return { { "phone"_L1, QJsonObject { { "id"_L1, number } } } };
}

} // namespace

class TstEngineCallees final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void calleesAnswerByDefault();
    void noAnswerRingsUntilTheRingTimeout();
    void busyAndFailEndTheCallWithTheirCodes_data();
    void busyAndFailEndTheCallWithTheirCodes();
    void eachSettingReplacesTheLast();
};

void TstEngineCallees::calleesAnswerByDefault()
{
    Rig rig;
    const QString id = rig.place(phone(Number));
    rig.clock.advance(2s);
    QCOMPARE(rig.call(id).value("state"_L1).toString(), u"established"_s);
}

void TstEngineCallees::noAnswerRingsUntilTheRingTimeout()
{
    Rig rig;
    rig.engine.setCalleeBehaviours(
        { { UserId.toUpper(), Sandbox::Engine::CalleeBehaviour::NoAnswer } });
    const QString id =
        rig.place(QJsonObject { { "user"_L1, QJsonObject { { "id"_L1, UserId } } } });
    rig.clock.advance(2s);
    QCOMPARE(rig.call(id).value("state"_L1).toString(), u"establishing"_s);
    rig.clock.advance(15s);
    const QJsonObject call = rig.call(id);
    QCOMPARE(call.value("state"_L1).toString(), u"terminated"_s);
    QCOMPARE(call["resultInfo"_L1]["code"_L1].toInt(), 408);
    QCOMPARE(call["resultInfo"_L1]["subcode"_L1].toInt(), 1106);
}

void TstEngineCallees::busyAndFailEndTheCallWithTheirCodes_data()
{
    QTest::addColumn<int>("behaviour");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::newRow("busy") << int(Sandbox::Engine::CalleeBehaviour::Busy) << 486 << 0;
    QTest::newRow("fail") << int(Sandbox::Engine::CalleeBehaviour::Fail) << 500 << 7002;
}

void TstEngineCallees::busyAndFailEndTheCallWithTheirCodes()
{
    QFETCH(int, behaviour);
    QFETCH(int, code);
    QFETCH(int, subcode);
    Rig rig;
    rig.engine.setCalleeBehaviours({ { Number, Sandbox::Engine::CalleeBehaviour(behaviour) } });
    const QString id = rig.place(phone(Number));
    rig.clock.advance(2s);
    const QJsonObject call = rig.call(id);
    QCOMPARE(call.value("state"_L1).toString(), u"terminated"_s);
    QCOMPARE(call["resultInfo"_L1]["code"_L1].toInt(), code);
    QCOMPARE(call["resultInfo"_L1]["subcode"_L1].toInt(), subcode);
}

void TstEngineCallees::eachSettingReplacesTheLast()
{
    Rig rig;
    rig.engine.setCalleeBehaviours({ { Number, Sandbox::Engine::CalleeBehaviour::Fail } });
    rig.engine.setCalleeBehaviours({});
    const QString id = rig.place(phone(Number));
    rig.clock.advance(2s);
    QCOMPARE(rig.call(id).value("state"_L1).toString(), u"established"_s);
}

QTEST_GUILESS_MAIN(TstEngineCallees)
#include "tst_engine_callees.moc"

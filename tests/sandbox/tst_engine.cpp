// Tests of Sandbox::Engine's call lifecycles: incoming calls and their answer, reject, redirect
// and ring timeout; transfer; hang-up; keep-alive; placing calls; errors. Time moves only with
// ManualClock::advance(), and a recording Notifier keeps every callback. One test feeds every
// callback through Graph::decodeNotifications into a Graph::CallBook and checks that the book
// ends where the engine's state() is: what a client sees is what the sandbox holds.

#include "graph/callbook.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "sandbox/engine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString GlobalUrl = u"https://bot.example.org/api/calling?tenant=contoso"_s;
const QString AnswerUrl = u"https://relay.example.org/api/calls/answered"_s;
const QString CreateUrl = u"https://relay.example.org/api/calls/placed"_s;
const QString BaseUrl = u"http://127.0.0.1:8765"_s;
const QString AgentId = u"9d2c6a41-7e3b-4f05-8c1a-6b4e2d9f0a37"_s;
const QString OtherAgentId = u"4b1e8c2d-0f3a-4d6b-9e5c-7a2f1d8b3c60"_s;

// Keeps every callback; `book`, when set, also receives each one as a client would: the JSON
// bytes decoded by the graph codec and applied to a CallBook.
class RecordingNotifier final : public Sandbox::Notifier
{
public:
    struct Item
    {
        QString url;
        QJsonObject notification; // one commsNotification
    };

    void notify(const QString &url, const QJsonObject &envelope) override
    {
        envelopes.append(envelope);
        for (const QJsonValue &v : envelope.value("value"_L1).toArray())
            items.append({ url, v.toObject() });
        if (!book)
            return;
        const auto decoded = Graph::decodeNotifications(QJsonDocument(envelope).toJson());
        if (!decoded) {
            decodeErrors.append(decoded.error->toString());
            return;
        }
        for (const Graph::CommsNotification &n : decoded.value.value) {
            const Graph::ApplyResult result = book->apply(n, at);
            if (result.outcome != Graph::ApplyResult::Outcome::Applied)
                notApplied.append(n.resourceUrl + u": "_s + result.reason);
        }
    }

    void clear()
    {
        items.clear();
        envelopes.clear();
    }

    QList<Item> items;
    QList<QJsonObject> envelopes;
    Graph::CallBook *book = nullptr;
    QDateTime at;
    QStringList decodeErrors;
    QStringList notApplied;
};

// "updated call established", "updated roster 2", "deleted playPromptOperation Completed".
QString describe(const QJsonObject &n)
{
    const QString change = n.value("changeType"_L1).toString();
    const QString url = n.value("resourceUrl"_L1).toString();
    if (url.endsWith(u"/participants"_s))
        return change + u" roster "_s
            + QString::number(n.value("resourceData"_L1).toArray().size());
    const QJsonObject data = n.value("resourceData"_L1).toObject();
    if (url.contains(u"/operations/"_s))
        return change + u' ' + data.value("@odata.type"_L1).toString().mid(17) + u' '
            + data.value("status"_L1).toString();
    QString text = change + u" call "_s + data.value("state"_L1).toString();
    if (data.contains("toneInfo"_L1))
        text += u" tone "_s + data.value("toneInfo"_L1).toObject().value("tone"_L1).toString();
    return text;
}

struct Rig
{
    explicit Rig(double timeScale = 1.0, quint32 seed = 7)
        : engine(config(timeScale), &clock, &notifier, seed)
    { }

    static Sandbox::EngineConfig config(double timeScale)
    {
        Sandbox::EngineConfig c;
        c.globalCallbackUrl = GlobalUrl;
        c.baseUrl = BaseUrl;
        c.timeScale = timeScale;
        return c;
    }

    QStringList sequence(const QString &callId = {}) const
    {
        QStringList out;
        for (const auto &item : notifier.items) {
            if (callId.isEmpty()
                || item.notification.value("resourceUrl"_L1).toString().contains(callId))
                out.append(describe(item.notification));
        }
        return out;
    }

    QStringList urls() const
    {
        QStringList out;
        for (const auto &item : notifier.items)
            out.append(item.url);
        return out;
    }

    QJsonObject last() const { return notifier.items.last().notification; }
    QJsonObject lastData() const { return last().value("resourceData"_L1).toObject(); }

    QString ring(const Sandbox::Caller &from = { u"Megan Bowen"_s, u"+14255550123"_s, {} },
        const Sandbox::IncomingOptions &options = {})
    {
        return engine.incoming(from, options);
    }

    // An incoming call, answered with AnswerUrl and established; the callbacks so far dropped.
    QString answered()
    {
        const QString id = ring();
        engine.answer(id, answerBody());
        clock.advance(1s);
        notifier.clear();
        return id;
    }

    static QJsonObject mediaConfig()
    {
        return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } };
    }

    static QJsonObject answerBody(const QString &callbackUri = AnswerUrl)
    {
        QJsonObject body { { "mediaConfig"_L1, mediaConfig() },
            { "acceptedModalities"_L1, QJsonArray { u"audio"_s } } };
        if (!callbackUri.isEmpty())
            body.insert("callbackUri"_L1, callbackUri);
        return body;
    }

    Graph::ManualClock clock;
    RecordingNotifier notifier;
    Sandbox::Engine engine;
};

QJsonObject userTarget(const QString &id, const QString &name = u"Agent"_s)
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.identitySet"_s },
                { "user"_L1, QJsonObject { { "id"_L1, id }, { "displayName"_L1, name } } } } } };
}

QJsonObject createBody(const QJsonArray &targets)
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
        { "callbackUri"_L1, CreateUrl }, { "targets"_L1, targets },
        { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
        { "mediaConfig"_L1, Rig::mediaConfig() } };
}

QString errorCode(const Sandbox::Reply &reply)
{
    return reply.body.value("error"_L1).toObject().value("code"_L1).toString();
}

QString errorMessage(const Sandbox::Reply &reply)
{
    return reply.body.value("error"_L1).toObject().value("message"_L1).toString();
}

std::pair<int, int> result(const QJsonObject &resource)
{
    const QJsonObject info = resource.value("resultInfo"_L1).toObject();
    return { info.value("code"_L1).toInt(-1), info.value("subcode"_L1).toInt(-1) };
}

QJsonObject stateCall(const Sandbox::Engine &engine, const QString &id)
{
    for (const QJsonValue &v : engine.state().value("calls"_L1).toArray()) {
        if (v.toObject().value("id"_L1).toString() == id)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestEngine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void incomingNotifiesGlobalUrlWithGraphsShape();
    void incomingFromTeamsUserHasUserIdentity();
    void answerEstablishesAndSendsRosterToAnswerCallbackUri();
    void answerWithoutCallbackUriKeepsGlobalUrl();
    void answerWithoutMediaConfigIs400();
    void answerTwiceIs400InvalidState();
    void rejectEndsCallWithReasonCode_data();
    void rejectEndsCallWithReasonCode();
    void rejectWithUnknownReasonIs400();
    void rejectNotifiesItsCallbackUri();
    void redirectEndsBotsLeg();
    void redirectValidatesTimeout_data();
    void redirectValidatesTimeout();
    void redirectValidatesTargets_data();
    void redirectValidatesTargets();
    void ringTimeoutEndsCallAt15Seconds();
    void ringTimeoutIsScaledByTimeScale();
    void answeredCallDoesNotRingOut();
    void transferSucceeds();
    void transferToUnreachableTargetFailsAndCallStaysUsable();
    void transferWithoutTargetIs400();
    void consultativeTransferEndsBothCalls();
    void consultativeTransferWithUnknownCallIs400();
    void deleteGoesThroughTerminating();
    void deleteOfUnknownOrEndedCallIs404();
    void keepAliveExpiresAfter45Minutes();
    void keepAliveResetsTheDeadline();
    void keepAliveOfUnknownCallIs404();
    void unknownCallIs404ForEveryAction();
    void actionsInWrongStateAre400();
    void createCallValidatesBody_data();
    void createCallValidatesBody();
    void createCallPeerToPeerEstablishes();
    void createCallToUnreachableTargetTerminates();
    void remoteHangupEndsEstablishedCall();
    void remoteHangupOfRingingCallJustEndsIt();
    void getCallReturnsTheResource();
    void idsAreLowerCaseGuidsRepeatableBySeed();
    void callEventsDescribeWhatHappened();
    void callBookFollowsEngineState();
};

void TestEngine::incomingNotifiesGlobalUrlWithGraphsShape()
{
    Rig rig;
    const QString id = rig.ring();

    QCOMPARE(rig.notifier.envelopes.size(), 1);
    const QJsonObject envelope = rig.notifier.envelopes.first();
    QCOMPARE(envelope.value("@odata.type"_L1).toString(), u"#microsoft.graph.commsNotifications"_s);
    QCOMPARE(rig.urls(), QStringList { GlobalUrl });
    const QJsonObject n = rig.last();
    QCOMPARE(n.value("@odata.type"_L1).toString(), u"#microsoft.graph.commsNotification"_s);
    QCOMPARE(n.value("changeType"_L1).toString(), u"created"_s);
    QCOMPARE(n.value("resourceUrl"_L1).toString(), u"/communications/calls/"_s + id);
    QCOMPARE(n.value("resource"_L1).toString(), u"/app/calls/"_s + id);

    const QJsonObject call = rig.lastData();
    QCOMPARE(call.value("@odata.type"_L1).toString(), u"#microsoft.graph.call"_s);
    QCOMPARE(call.value("id"_L1).toString(), id);
    QCOMPARE(call.value("state"_L1).toString(), u"incoming"_s);
    QCOMPARE(call.value("direction"_L1).toString(), u"incoming"_s);
    QCOMPARE(call.value("callbackUri"_L1).toString(), GlobalUrl);
    QCOMPARE(call.value("tenantId"_L1).toString(), rig.engine.config().tenantId);
    QCOMPARE(call.value("requestedModalities"_L1).toArray(), QJsonArray { u"audio"_s });
    QVERIFY(!call.value("myParticipantId"_L1).toString().isEmpty());
    QVERIFY(!call.value("callChainId"_L1).toString().isEmpty());

    const QJsonObject source = call.value("source"_L1).toObject();
    QCOMPARE(source.value("@odata.type"_L1).toString(), u"#microsoft.graph.participantInfo"_s);
    const QJsonObject identity = source.value("identity"_L1).toObject();
    QCOMPARE(identity.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.communicationsIdentitySet"_s);
    QCOMPARE(identity.value("phone"_L1).toObject().value("id"_L1).toString(), u"+14255550123"_s);
    QCOMPARE(
        identity.value("phone"_L1).toObject().value("displayName"_L1).toString(), u"Megan Bowen"_s);

    const QJsonArray targets = call.value("targets"_L1).toArray();
    QCOMPARE(targets.size(), 1);
    const QJsonObject bot =
        targets[0].toObject().value("identity"_L1).toObject().value("application"_L1).toObject();
    QCOMPARE(bot.value("id"_L1).toString(), rig.engine.config().clientId);
    QCOMPARE(bot.value("displayName"_L1).toString(), rig.engine.config().botDisplayName);
    QVERIFY(!call.contains("chatInfo"_L1));
    QCOMPARE(rig.engine.liveCallCount(), 1);
}

void TestEngine::incomingFromTeamsUserHasUserIdentity()
{
    Rig rig;
    rig.ring({ u"Adele Vance"_s, {}, AgentId });
    const QJsonObject identity =
        rig.lastData().value("source"_L1).toObject().value("identity"_L1).toObject();
    QCOMPARE(identity.value("user"_L1).toObject().value("id"_L1).toString(), AgentId);
    QVERIFY(!identity.contains("phone"_L1));
}

void TestEngine::answerEstablishesAndSendsRosterToAnswerCallbackUri()
{
    Rig rig;
    const QString id = rig.ring();
    rig.notifier.clear();

    const Sandbox::Reply reply = rig.engine.answer(id, Rig::answerBody());
    QCOMPARE(reply.status, 202);
    QVERIFY(!reply.hasBody);
    QVERIFY(rig.notifier.items.isEmpty()); // nothing before the response has gone out

    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call establishing"_s, u"updated call established"_s,
            u"updated roster 2"_s }));
    QCOMPARE(rig.urls(), QStringList(3, AnswerUrl));
    QCOMPARE(rig.notifier.items[1]
                 .notification.value("resourceData"_L1)
                 .toObject()
                 .value("callbackUri"_L1)
                 .toString(),
        AnswerUrl);

    const QJsonObject roster = rig.last();
    QCOMPARE(roster.value("resourceUrl"_L1).toString(),
        u"/communications/calls/%1/participants"_s.arg(id));
    const QJsonArray people = roster.value("resourceData"_L1).toArray();
    const QJsonObject bot = people[0].toObject();
    const QJsonObject caller = people[1].toObject();
    QCOMPARE(bot.value("@odata.type"_L1).toString(), u"#microsoft.graph.participant"_s);
    QCOMPARE(bot.value("id"_L1).toString(),
        stateCall(rig.engine, id).value("myParticipantId"_L1).toString());
    QCOMPARE(bot.value("info"_L1)
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("application"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        rig.engine.config().clientId);
    QCOMPARE(caller.value("info"_L1)
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("phone"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        u"+14255550123"_s);
    for (const QJsonValue &v : people) {
        const QJsonObject p = v.toObject();
        QCOMPARE(p.value("isMuted"_L1).toBool(true), false);
        QCOMPARE(p.value("isInLobby"_L1).toBool(true), false);
        QCOMPARE(p.value("rosterSequenceNumber"_L1).toInteger(), 1);
        const QJsonObject stream = p.value("mediaStreams"_L1).toArray().first().toObject();
        QCOMPARE(stream.value("mediaType"_L1).toString(), u"audio"_s);
        QCOMPARE(stream.value("direction"_L1).toString(), u"sendReceive"_s);
    }
    QCOMPARE(stateCall(rig.engine, id).value("state"_L1).toString(), u"established"_s);
}

void TestEngine::answerWithoutCallbackUriKeepsGlobalUrl()
{
    Rig rig;
    const QString id = rig.ring();
    QCOMPARE(rig.engine.answer(id, Rig::answerBody(QString())).status, 202);
    rig.clock.advance(1s);
    QCOMPARE(rig.urls(), QStringList(4, GlobalUrl));
    QCOMPARE(stateCall(rig.engine, id).value("callbackUri"_L1).toString(), GlobalUrl);
}

void TestEngine::answerWithoutMediaConfigIs400()
{
    Rig rig;
    const QString id = rig.ring();
    const Sandbox::Reply reply =
        rig.engine.answer(id, QJsonObject { { "callbackUri"_L1, AnswerUrl } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"BadRequest"_s);
    QVERIFY(errorMessage(reply).contains(u"mediaConfig"_s));
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(), QStringList { u"created call incoming"_s });
}

void TestEngine::answerTwiceIs400InvalidState()
{
    Rig rig;
    const QString id = rig.ring();
    QCOMPARE(rig.engine.answer(id, Rig::answerBody()).status, 202);
    const Sandbox::Reply early = rig.engine.answer(id, Rig::answerBody());
    QCOMPARE(early.status, 400);
    QCOMPARE(errorCode(early), u"InvalidStateForOperation"_s);
    rig.clock.advance(1s);
    const Sandbox::Reply late = rig.engine.answer(id, Rig::answerBody());
    QCOMPARE(late.status, 400);
    QCOMPARE(errorCode(late), u"InvalidStateForOperation"_s);
    QVERIFY(errorMessage(late).contains(u"established"_s));
}

void TestEngine::rejectEndsCallWithReasonCode_data()
{
    QTest::addColumn<QJsonValue>("reason");
    QTest::addColumn<int>("code");
    QTest::newRow("none") << QJsonValue(u"none"_s) << 603;
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << 603;
    QTest::newRow("busy") << QJsonValue(u"busy"_s) << 486;
    QTest::newRow("Busy, as the docs' table writes it") << QJsonValue(u"Busy"_s) << 486;
    QTest::newRow("forbidden") << QJsonValue(u"forbidden"_s) << 403;
}

void TestEngine::rejectEndsCallWithReasonCode()
{
    QFETCH(QJsonValue, reason);
    QFETCH(int, code);
    Rig rig;
    const QString id = rig.ring();
    rig.notifier.clear();
    QJsonObject body;
    if (!reason.isUndefined())
        body.insert("reason"_L1, reason);
    QCOMPARE(rig.engine.reject(id, body).status, 202);
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(code, 0));
    QCOMPARE(rig.engine.liveCallCount(), 0);
    QCOMPARE(rig.engine.getCall(id).status, 404);
}

void TestEngine::rejectWithUnknownReasonIs400()
{
    Rig rig;
    const QString id = rig.ring();
    const Sandbox::Reply reply = rig.engine.reject(id, QJsonObject { { "reason"_L1, u"later"_s } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"BadRequest"_s);
    QVERIFY(errorMessage(reply).contains(u"reason"_s));
}

void TestEngine::rejectNotifiesItsCallbackUri()
{
    Rig rig;
    const QString id = rig.ring();
    rig.notifier.clear();
    rig.engine.reject(
        id, QJsonObject { { "reason"_L1, u"busy"_s }, { "callbackUri"_L1, AnswerUrl } });
    rig.clock.advance(1s);
    QCOMPARE(rig.urls(), QStringList { AnswerUrl });
}

void TestEngine::redirectEndsBotsLeg()
{
    Rig rig;
    rig.engine.setUnreachable({ OtherAgentId });
    for (const QString &target : { AgentId, OtherAgentId }) {
        const QString id = rig.ring();
        rig.notifier.clear();
        const QJsonObject body { { "targets"_L1, QJsonArray { userTarget(target) } },
            { "timeout"_L1, 30 }, { "callbackUri"_L1, AnswerUrl } };
        QCOMPARE(rig.engine.redirect(id, body).status, 202);
        rig.clock.advance(1s);
        // The bot's leg ends the same way whether or not the target can be reached.
        QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
        QCOMPARE(rig.urls(), QStringList { AnswerUrl });
        QCOMPARE(result(rig.lastData()), std::make_pair(200, 0));
    }
}

void TestEngine::redirectValidatesTimeout_data()
{
    QTest::addColumn<QJsonValue>("timeout");
    QTest::addColumn<int>("status");
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << 202;
    QTest::newRow("15") << QJsonValue(15) << 202;
    QTest::newRow("90") << QJsonValue(90) << 202;
    QTest::newRow("14") << QJsonValue(14) << 400;
    QTest::newRow("91") << QJsonValue(91) << 400;
    QTest::newRow("text") << QJsonValue(u"soon"_s) << 400;
}

void TestEngine::redirectValidatesTimeout()
{
    QFETCH(QJsonValue, timeout);
    QFETCH(int, status);
    Rig rig;
    const QString id = rig.ring();
    QJsonObject body { { "targets"_L1, QJsonArray { userTarget(AgentId) } } };
    if (!timeout.isUndefined())
        body.insert("timeout"_L1, timeout);
    const Sandbox::Reply reply = rig.engine.redirect(id, body);
    QCOMPARE(reply.status, status);
    if (status == 400)
        QVERIFY(errorMessage(reply).contains(u"timeout"_s));
}

void TestEngine::redirectValidatesTargets_data()
{
    QTest::addColumn<QJsonValue>("targets");
    QTest::addColumn<int>("status");
    QJsonArray many;
    for (int i = 0; i < 26; ++i)
        many.append(userTarget(AgentId));
    QJsonArray most = many;
    most.removeLast();
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << 400;
    QTest::newRow("empty") << QJsonValue(QJsonArray()) << 400;
    QTest::newRow("no identity") << QJsonValue(
        QJsonArray { QJsonObject { { "hidden"_L1, false } } })
                                 << 400;
    QTest::newRow("26 targets") << QJsonValue(many) << 400;
    QTest::newRow("25 targets") << QJsonValue(most) << 202;
}

void TestEngine::redirectValidatesTargets()
{
    QFETCH(QJsonValue, targets);
    QFETCH(int, status);
    Rig rig;
    const QString id = rig.ring();
    QJsonObject body;
    if (!targets.isUndefined())
        body.insert("targets"_L1, targets);
    const Sandbox::Reply reply = rig.engine.redirect(id, body);
    QCOMPARE(reply.status, status);
    if (status == 400)
        QVERIFY(errorMessage(reply).contains(u"targets"_s));
}

void TestEngine::ringTimeoutEndsCallAt15Seconds()
{
    Rig rig;
    const QString id = rig.ring();
    rig.notifier.clear();
    rig.clock.advance(14900ms);
    QVERIFY(rig.notifier.items.isEmpty());
    QCOMPARE(rig.engine.liveCallCount(), 1);
    rig.clock.advance(100ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
    QCOMPARE(rig.urls(), QStringList { GlobalUrl });
    QCOMPARE(result(rig.lastData()), std::make_pair(408, 1106));
    QCOMPARE(rig.engine.answer(id, Rig::answerBody()).status, 404);
}

void TestEngine::ringTimeoutIsScaledByTimeScale()
{
    Rig rig(10.0);
    rig.ring();
    rig.notifier.clear();
    rig.clock.advance(1490ms);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.clock.advance(10ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
}

void TestEngine::answeredCallDoesNotRingOut()
{
    Rig rig;
    const QString id = rig.answered();
    rig.clock.advance(60s);
    QVERIFY(rig.notifier.items.isEmpty());
    QCOMPARE(stateCall(rig.engine, id).value("state"_L1).toString(), u"established"_s);
}

void TestEngine::transferSucceeds()
{
    Rig rig;
    const QString id = rig.answered();
    const QJsonObject body { { "transferTarget"_L1, userTarget(AgentId) },
        { "clientContext"_L1, u"transfer-1"_s } };
    QCOMPARE(rig.engine.transfer(id, body).status, 202);
    rig.clock.advance(3s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call transferring"_s, u"updated call transferAccepted"_s,
            u"deleted call terminated"_s }));
    QCOMPARE(result(rig.lastData()), std::make_pair(0, 7015));
    QCOMPARE(rig.lastData().value("resultInfo"_L1).toObject().value("message"_L1).toString(),
        u"GracefulTransferCompleted"_s);
    QCOMPARE(rig.engine.liveCallCount(), 0);
}

void TestEngine::transferToUnreachableTargetFailsAndCallStaysUsable()
{
    Rig rig;
    rig.engine.setUnreachable({ u"+1 425 555 0199"_s });
    const QString id = rig.answered();
    QJsonObject target { { "identity"_L1,
        QJsonObject { { "phone"_L1, QJsonObject { { "id"_L1, u"+14255550199"_s } } } } } };
    QCOMPARE(rig.engine.transfer(id, QJsonObject { { "transferTarget"_L1, target } }).status, 202);
    rig.clock.advance(3s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call transferring"_s, u"updated call established"_s }));
    QCOMPARE(result(rig.lastData()), std::make_pair(500, 7000));
    QCOMPARE(stateCall(rig.engine, id).value("state"_L1).toString(), u"established"_s);
    QCOMPARE(rig.engine.keepAlive(id).status, 200);
    const QJsonObject prompt { { "mediaInfo"_L1,
        QJsonObject { { "uri"_L1, u"https://x/a.wav"_s } } } };
    QCOMPARE(
        rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, QJsonArray { prompt } } }).status,
        200);
    QCOMPARE(rig.engine.transfer(id, QJsonObject { { "transferTarget"_L1, userTarget(AgentId) } })
                 .status,
        202);
}

void TestEngine::transferWithoutTargetIs400()
{
    Rig rig;
    const QString id = rig.answered();
    for (const QJsonObject &body : { QJsonObject {},
             QJsonObject {
                 { "transferTarget"_L1, QJsonObject { { "endpointType"_L1, u"default"_s } } } } }) {
        const Sandbox::Reply reply = rig.engine.transfer(id, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(errorCode(reply), u"BadRequest"_s);
        QVERIFY(errorMessage(reply).contains(u"transferTarget"_s));
    }
}

void TestEngine::consultativeTransferEndsBothCalls()
{
    Rig rig;
    const QString first = rig.answered();
    const QString consultation = rig.answered();
    QJsonObject target = userTarget(AgentId);
    target.insert("replacesCallId"_L1, consultation);
    QCOMPARE(
        rig.engine.transfer(first, QJsonObject { { "transferTarget"_L1, target } }).status, 202);
    rig.clock.advance(3s);
    QCOMPARE(rig.sequence(first),
        (QStringList { u"updated call transferring"_s, u"updated call transferAccepted"_s,
            u"deleted call terminated"_s }));
    QCOMPARE(rig.sequence(consultation), QStringList { u"deleted call terminated"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(0, 7015));
    QCOMPARE(rig.engine.liveCallCount(), 0);
}

void TestEngine::consultativeTransferWithUnknownCallIs400()
{
    Rig rig;
    const QString id = rig.answered();
    const QString ringing = rig.ring();
    for (const QString &replaces : { u"0b9e2c1d-0000-4000-8000-000000000000"_s, id, ringing }) {
        QJsonObject target = userTarget(AgentId);
        target.insert("replacesCallId"_L1, replaces);
        const Sandbox::Reply reply =
            rig.engine.transfer(id, QJsonObject { { "transferTarget"_L1, target } });
        QCOMPARE(reply.status, 400);
        QVERIFY(errorMessage(reply).contains(replaces));
    }
}

void TestEngine::deleteGoesThroughTerminating()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.hangUp(id);
    QCOMPARE(reply.status, 204);
    QVERIFY(!reply.hasBody);
    QCOMPARE(rig.engine.getCall(id).status, 200); // until its end is reported
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call terminating"_s, u"deleted call terminated"_s }));
    QCOMPARE(result(rig.lastData()), std::make_pair(200, 7000));
    QCOMPARE(rig.urls(), QStringList(2, AnswerUrl));
}

void TestEngine::deleteOfUnknownOrEndedCallIs404()
{
    Rig rig;
    const QString id = rig.answered();
    QCOMPARE(rig.engine.hangUp(id).status, 204);
    // Once the bot has hung up, the call is going away: a second DELETE finds nothing.
    QCOMPARE(rig.engine.hangUp(id).status, 404);
    rig.clock.advance(1s);
    const Sandbox::Reply ended = rig.engine.hangUp(id);
    QCOMPARE(ended.status, 404);
    QCOMPARE(errorCode(ended), u"itemNotFound"_s);
    QVERIFY(errorMessage(ended).contains(id));
    QCOMPARE(rig.engine.hangUp(u"1e2d3c4b-0000-4000-8000-000000000000"_s).status, 404);
}

void TestEngine::keepAliveExpiresAfter45Minutes()
{
    Rig rig;
    const QString id = rig.answered(); // answered one second ago
    rig.clock.advance(45min - 2s);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(408, 8537));
    QCOMPARE(rig.engine.keepAlive(id).status, 404);
}

void TestEngine::keepAliveResetsTheDeadline()
{
    Rig rig;
    const QString id = rig.answered();
    rig.clock.advance(30min);
    const Sandbox::Reply reply = rig.engine.keepAlive(id);
    QCOMPARE(reply.status, 200);
    QVERIFY(!reply.hasBody);
    rig.clock.advance(45min - 1ms);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.clock.advance(1ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(408, 8537));
}

void TestEngine::keepAliveOfUnknownCallIs404()
{
    Rig rig;
    const Sandbox::Reply reply = rig.engine.keepAlive(u"5f4e3d2c-0000-4000-8000-000000000000"_s);
    QCOMPARE(reply.status, 404);
    QCOMPARE(errorCode(reply), u"itemNotFound"_s);
}

void TestEngine::unknownCallIs404ForEveryAction()
{
    Rig rig;
    const QString id = u"deadbeef-0000-4000-8000-000000000000"_s;
    const QJsonObject body;
    const QList<std::pair<const char *, Sandbox::Reply>> replies {
        { "get", rig.engine.getCall(id) },
        { "answer", rig.engine.answer(id, Rig::answerBody()) },
        { "reject", rig.engine.reject(id, body) },
        { "redirect", rig.engine.redirect(id, body) },
        { "transfer", rig.engine.transfer(id, body) },
        { "playPrompt", rig.engine.playPrompt(id, body) },
        { "subscribeToTone", rig.engine.subscribeToTone(id, body) },
        { "recordResponse", rig.engine.recordResponse(id, body) },
        { "cancelMediaProcessing", rig.engine.cancelMediaProcessing(id, body) },
        { "mute", rig.engine.muteSelf(id, body) },
        { "unmute", rig.engine.unmuteSelf(id, body) },
        { "participants", rig.engine.listParticipants(id) },
        { "participant", rig.engine.getParticipant(id, id) },
        { "invite", rig.engine.inviteParticipants(id, body) },
        { "mute participant", rig.engine.muteParticipant(id, id, body) },
        { "remove participant", rig.engine.removeParticipant(id, id) },
        { "operation", rig.engine.getOperation(id, id) },
        { "tones", rig.engine.tones(id, u"1"_s) },
        { "remote hang-up", rig.engine.remoteHangup(id) },
        { "join", rig.engine.join(id, { u"Lee Gu"_s, {}, AgentId }) },
    };
    for (const auto &[what, reply] : replies) {
        QVERIFY2(reply.status == 404, what);
        QVERIFY2(errorCode(reply) == u"itemNotFound"_s, what);
    }
}

void TestEngine::actionsInWrongStateAre400()
{
    Rig rig;
    const QString established = rig.answered();
    const QString ringing = rig.ring();
    const QList<std::pair<const char *, Sandbox::Reply>> replies {
        { "answer established", rig.engine.answer(established, Rig::answerBody()) },
        { "reject established", rig.engine.reject(established, {}) },
        { "redirect established",
            rig.engine.redirect(established,
                QJsonObject { { "targets"_L1, QJsonArray { userTarget(AgentId) } } }) },
        { "transfer incoming",
            rig.engine.transfer(
                ringing, QJsonObject { { "transferTarget"_L1, userTarget(AgentId) } }) },
        { "playPrompt incoming", rig.engine.playPrompt(ringing, {}) },
    };
    for (const auto &[what, reply] : replies) {
        QVERIFY2(reply.status == 400, what);
        QVERIFY2(errorCode(reply) == u"InvalidStateForOperation"_s, what);
    }
    QVERIFY(errorMessage(replies[0].second).contains(u"is established"_s));
    QVERIFY(errorMessage(replies[3].second).contains(u"is incoming"_s));
}

void TestEngine::createCallValidatesBody_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QJsonObject good = createBody(QJsonArray { userTarget(AgentId) });
    QJsonObject noCallback = good;
    noCallback.remove("callbackUri"_L1);
    QJsonObject ftpCallback = good;
    ftpCallback.insert("callbackUri"_L1, u"ftp://relay.example.org/calls"_s);
    QJsonObject noMedia = good;
    noMedia.remove("mediaConfig"_L1);
    QJsonObject noTargets = good;
    noTargets.remove("targets"_L1);
    QJsonObject emptyTargets = good;
    emptyTargets.insert("targets"_L1, QJsonArray());
    QJsonObject anonymous = good;
    anonymous.insert("targets"_L1, QJsonArray { QJsonObject { { "identity"_L1, QJsonObject() } } });
    QTest::newRow("no callbackUri") << noCallback << u"callbackUri"_s;
    QTest::newRow("ftp callbackUri") << ftpCallback << u"callbackUri"_s;
    QTest::newRow("no mediaConfig") << noMedia << u"mediaConfig"_s;
    QTest::newRow("no targets") << noTargets << u"targets or meetingInfo"_s;
    QTest::newRow("empty targets") << emptyTargets << u"targets or meetingInfo"_s;
    QTest::newRow("target without identity") << anonymous << u"targets[0].identity"_s;
}

void TestEngine::createCallValidatesBody()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    Rig rig;
    const Sandbox::Reply reply = rig.engine.createCall(body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"BadRequest"_s);
    QVERIFY2(errorMessage(reply).contains(field), qPrintable(errorMessage(reply)));
    QCOMPARE(rig.engine.liveCallCount(), 0);
}

void TestEngine::createCallPeerToPeerEstablishes()
{
    Rig rig;
    const Sandbox::Reply reply =
        rig.engine.createCall(createBody(QJsonArray { userTarget(AgentId) }));
    QCOMPARE(reply.status, 201);
    const QJsonObject call = reply.body;
    const QString id = call.value("id"_L1).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(reply.headers.size(), 1);
    QCOMPARE(reply.headers.first().first, "Location"_ba);
    QCOMPARE(QString::fromUtf8(reply.headers.first().second),
        BaseUrl + u"/v1.0/communications/calls/"_s + id);
    QCOMPARE(call.value("state"_L1).toString(), u"establishing"_s);
    QCOMPARE(call.value("direction"_L1).toString(), u"outgoing"_s);
    QCOMPARE(call.value("callbackUri"_L1).toString(), CreateUrl);
    QVERIFY(!call.value("myParticipantId"_L1).toString().isEmpty());
    QVERIFY(!call.value("callChainId"_L1).toString().isEmpty());
    QCOMPARE(call.value("targets"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("user"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        AgentId);

    rig.clock.advance(800ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated call establishing"_s });
    rig.clock.advance(1200ms);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call establishing"_s, u"updated call established"_s,
            u"updated roster 2"_s }));
    QCOMPARE(rig.urls(), QStringList(3, CreateUrl));
}

void TestEngine::createCallToUnreachableTargetTerminates()
{
    Rig rig;
    rig.engine.setUnreachable({ AgentId.toUpper() });
    const Sandbox::Reply reply =
        rig.engine.createCall(createBody(QJsonArray { userTarget(AgentId) }));
    QCOMPARE(reply.status, 201);
    rig.clock.advance(2s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call establishing"_s, u"deleted call terminated"_s }));
    QCOMPARE(result(rig.lastData()), std::make_pair(480, 10037));
    QCOMPARE(rig.engine.liveCallCount(), 0);
}

void TestEngine::remoteHangupEndsEstablishedCall()
{
    Rig rig;
    const QString id = rig.answered();
    QCOMPARE(rig.engine.remoteHangup(id).status, 202);
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call terminating"_s, u"deleted call terminated"_s }));
    QCOMPARE(result(rig.lastData()), std::make_pair(200, 4097));
}

void TestEngine::remoteHangupOfRingingCallJustEndsIt()
{
    Rig rig;
    const QString id = rig.ring();
    rig.notifier.clear();
    QCOMPARE(rig.engine.remoteHangup(id).status, 202);
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(), QStringList { u"deleted call terminated"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(200, 4097));
    rig.clock.advance(20s); // and the ring timeout has nothing left to end
    QCOMPARE(rig.notifier.items.size(), 1);
}

void TestEngine::getCallReturnsTheResource()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.getCall(id.toUpper()); // ids compare in any form
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("id"_L1).toString(), id);
    QCOMPARE(reply.body.value("state"_L1).toString(), u"established"_s);
    QCOMPARE(reply.body.value("callbackUri"_L1).toString(), AnswerUrl);
    QCOMPARE(
        reply.body.value("mediaState"_L1).toObject().value("audio"_L1).toString(), u"active"_s);
}

void TestEngine::idsAreLowerCaseGuidsRepeatableBySeed()
{
    Rig a(1.0, 42);
    Rig b(1.0, 42);
    Rig c(1.0, 43);
    const QString first = a.ring();
    QCOMPARE(b.ring(), first);
    QVERIFY(c.ring() != first);
    QCOMPARE(a.ring(), b.ring());
    static const QRegularExpression guid(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    QVERIFY2(guid.match(first).hasMatch(), qPrintable(first));
    const QJsonObject call =
        a.notifier.items.first().notification.value("resourceData"_L1).toObject();
    QVERIFY(guid.match(call.value("myParticipantId"_L1).toString()).hasMatch());
    QVERIFY(guid.match(call.value("callChainId"_L1).toString()).hasMatch());
}

void TestEngine::callEventsDescribeWhatHappened()
{
    Rig rig;
    QSignalSpy spy(&rig.engine, &Sandbox::Engine::callEvent);
    const QString id = rig.ring();
    rig.engine.reject(id, QJsonObject { { "reason"_L1, u"busy"_s } });
    rig.clock.advance(1s);
    QStringList events;
    for (const QList<QVariant> &args : std::as_const(spy)) {
        QCOMPARE(args.at(0).toString(), id);
        events.append(args.at(1).toString());
    }
    QCOMPARE(events,
        (QStringList { u"incoming from Megan Bowen"_s, u"rejected (busy)"_s,
            u"terminated 486/0 Call rejected: busy"_s }));
}

void TestEngine::callBookFollowsEngineState()
{
    Rig rig;
    Graph::CallBook book;
    rig.notifier.book = &book;
    auto step = [&](std::chrono::milliseconds by) {
        rig.notifier.at = rig.clock.now();
        rig.clock.advance(by);
    };
    // Compares every call of the engine with the book's view of it, built from callbacks alone.
    auto compare = [&] {
        const QJsonArray calls = rig.engine.state().value("calls"_L1).toArray();
        QCOMPARE(book.size(), calls.size());
        for (const QJsonValue &v : calls) {
            const Graph::Call call = Graph::decodeCall(v.toObject());
            const Graph::CallEntry *entry = book.find(call.id);
            QVERIFY2(entry, qPrintable(call.id));
            QCOMPARE(entry->call.state.text, call.state.text);
            QCOMPARE(entry->call.callbackUri, call.callbackUri);
            QCOMPARE(entry->call.resultInfo.code, call.resultInfo.code);
            QCOMPARE(entry->call.resultInfo.subcode, call.resultInfo.subcode);
            const QJsonArray people = v.toObject().value("participants"_L1).toArray();
            QCOMPARE(entry->participants.size(), people.size());
            for (qsizetype i = 0; i < people.size(); ++i) {
                const Graph::Participant p = Graph::decodeParticipant(people[i].toObject());
                const Graph::Participant *seen = entry->participant(p.id);
                QVERIFY2(seen, qPrintable(p.id));
                QCOMPARE(seen->isMuted, p.isMuted);
                QCOMPARE(seen->displayName(), p.displayName());
            }
            // Operations reach a client only through callbacks; those it saw must agree.
            for (const QJsonValue &o : v.toObject().value("operations"_L1).toArray()) {
                const Graph::CommsOperation op = Graph::decodeOperation(o.toObject());
                for (const Graph::CommsOperation &known : entry->operations) {
                    if (known.id == op.id)
                        QCOMPARE(known.status.text, op.status.text);
                }
            }
        }
    };

    // A group invitation, answered, with media, tones, roster changes and a failed transfer.
    rig.engine.setUnreachable({ OtherAgentId });
    Sandbox::IncomingOptions group;
    group.groupInvite = true;
    group.groupSize = 2;
    group.subject = u"Reception handover"_s;
    const QString groupCall = rig.ring({ u"Megan Bowen"_s, {}, AgentId }, group);
    rig.engine.answer(groupCall, Rig::answerBody());
    step(1s);
    compare();
    QVERIFY(!QTest::currentTestFailed());
    rig.engine.subscribeToTone(groupCall, {});
    rig.engine.tones(groupCall, u"4#"_s);
    const QJsonObject prompt { { "mediaInfo"_L1,
        QJsonObject { { "uri"_L1, u"https://x/hello.wav"_s } } } };
    rig.engine.playPrompt(groupCall, QJsonObject { { "prompts"_L1, QJsonArray { prompt } } });
    rig.engine.join(groupCall, { u"Lee Gu"_s, {}, u"0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b"_s });
    step(2s);
    const QJsonArray roster = stateCall(rig.engine, groupCall).value("participants"_L1).toArray();
    rig.engine.muteParticipant(groupCall, roster[2].toObject().value("id"_L1).toString(), {});
    rig.engine.removeParticipant(groupCall, roster[3].toObject().value("id"_L1).toString());
    rig.engine.muteSelf(groupCall, {});
    rig.engine.inviteParticipants(
        groupCall, QJsonObject { { "participants"_L1, QJsonArray { userTarget(OtherAgentId) } } });
    step(2s);
    compare();
    QVERIFY(!QTest::currentTestFailed());
    const QJsonObject transferee { { "identity"_L1,
        QJsonObject { { "user"_L1, QJsonObject { { "id"_L1, AgentId } } } } } };
    QCOMPARE(rig.engine
                 .transfer(groupCall,
                     QJsonObject { { "transferTarget"_L1, userTarget(OtherAgentId) },
                         { "transferee"_L1, transferee } })
                 .status,
        202);
    step(3s);
    compare();
    QVERIFY(!QTest::currentTestFailed());

    // A rejected call, a placed call that is hung up, and one that rings out.
    const QString rejected = rig.ring();
    rig.engine.reject(rejected, QJsonObject { { "reason"_L1, u"busy"_s } });
    const QString placed = rig.engine.createCall(createBody(QJsonArray { userTarget(AgentId) }))
                               .body.value("id"_L1)
                               .toString();
    step(2s);
    rig.engine.hangUp(placed);
    rig.engine.hangUp(groupCall);
    rig.ring();
    step(20s);
    compare();

    QCOMPARE(rig.notifier.decodeErrors, QStringList());
    QCOMPARE(rig.notifier.notApplied, QStringList());
    QCOMPARE(rig.engine.liveCallCount(), 0);
    QCOMPARE(book.find(groupCall)->tones.size(), 2);
    QCOMPARE(book.find(groupCall)->call.state, Graph::CallState::Terminated);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"

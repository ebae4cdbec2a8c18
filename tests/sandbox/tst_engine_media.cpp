// Tests of Sandbox::Engine's service-hosted media: playPrompt, subscribeToTone and DTMF,
// recordResponse and its recordings, cancelMediaProcessing, and operations. Time moves only
// with ManualClock::advance(); a recording Notifier keeps every callback.

#include "graph/clock.h"
#include "graph/codec.h"
#include "sandbox/engine.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString GlobalUrl = u"https://bot.example.org/api/calling"_s;
const QString AnswerUrl = u"https://relay.example.org/api/calls/answered"_s;
const QString BaseUrl = u"http://127.0.0.1:8765"_s;

class RecordingNotifier final : public Sandbox::Notifier
{
public:
    void notify(const QString &url, const QJsonObject &envelope) override
    {
        for (const QJsonValue &v : envelope.value("value"_L1).toArray())
            items.append({ url, v.toObject() });
    }

    QList<std::pair<QString, QJsonObject>> items;
};

// "updated call established tone pound", "deleted playPromptOperation Completed".
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

QJsonObject prompt(const QString &uri = u"https://media.example.org/welcome.wav"_s)
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.mediaPrompt"_s },
        { "mediaInfo"_L1, QJsonObject { { "uri"_L1, uri } } } };
}

QJsonArray prompts(int count)
{
    QJsonArray out;
    for (int i = 0; i < count; ++i)
        out.append(prompt());
    return out;
}

struct Rig
{
    Rig()
        : engine(config(), &clock, &notifier, 11)
    { }

    static Sandbox::EngineConfig config()
    {
        Sandbox::EngineConfig c;
        c.globalCallbackUrl = GlobalUrl;
        c.baseUrl = BaseUrl;
        return c;
    }

    // An incoming call, answered and established; the callbacks so far dropped.
    QString answered()
    {
        const QString id = engine.incoming({ u"Alex Wilber"_s, u"+14255550142"_s, {} });
        engine.answer(id,
            QJsonObject { { "callbackUri"_L1, AnswerUrl },
                { "mediaConfig"_L1,
                    QJsonObject {
                        { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } } });
        clock.advance(1s);
        notifier.items.clear();
        return id;
    }

    QStringList sequence() const
    {
        QStringList out;
        for (const auto &item : notifier.items)
            out.append(describe(item.second));
        return out;
    }

    QJsonObject lastData() const
    {
        return notifier.items.last().second.value("resourceData"_L1).toObject();
    }

    Graph::ManualClock clock;
    RecordingNotifier notifier;
    Sandbox::Engine engine;
};

std::pair<int, int> result(const QJsonObject &resource)
{
    const QJsonObject info = resource.value("resultInfo"_L1).toObject();
    return { info.value("code"_L1).toInt(-1), info.value("subcode"_L1).toInt(-1) };
}

QString errorMessage(const Sandbox::Reply &reply)
{
    return reply.body.value("error"_L1).toObject().value("message"_L1).toString();
}

} // namespace

class TestEngineMedia final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void playPromptAnswersRunningOperation();
    void playPromptCompletesAfterOneSecondPerPrompt();
    void playPromptsQueueBehindEachOther();
    void playPromptValidatesPrompts_data();
    void playPromptValidatesPrompts();
    void playPromptNeedsEstablishedCall();
    void subscribeToToneIsCompletedAtOnce();
    void tonesBeforeSubscribeAreNotDelivered();
    void tonesAfterSubscribeArriveWithIncreasingSequenceIds();
    void tonesRejectUnknownKeys();
    void recordResponseCompletesAtMaxDuration();
    void recordResponseStopsOnStopTone();
    void recordResponseValidatesParameters_data();
    void recordResponseValidatesParameters();
    void cancelMediaProcessingCancelsRunningOperations();
    void recordingIsAShortWav();
    void recordingOfUnknownIdIsEmpty();
    void getOperationReturnsTheOperation();
};

void TestEngineMedia::playPromptAnswersRunningOperation()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.playPrompt(
        id, QJsonObject { { "prompts"_L1, prompts(1) }, { "clientContext"_L1, u"greeting"_s } });
    QCOMPARE(reply.status, 200);
    const QJsonObject op = reply.body;
    QCOMPARE(op.value("@odata.type"_L1).toString(), u"#microsoft.graph.playPromptOperation"_s);
    QCOMPARE(op.value("status"_L1).toString(), u"Running"_s);
    QCOMPARE(op.value("clientContext"_L1).toString(), u"greeting"_s);
    const QString opId = op.value("id"_L1).toString();
    QVERIFY(!opId.isEmpty());
    QCOMPARE(reply.headers.size(), 1);
    QCOMPARE(reply.headers.first().first, "Location"_ba);
    QCOMPARE(QString::fromUtf8(reply.headers.first().second),
        BaseUrl + u"/v1.0/communications/calls/%1/operations/%2"_s.arg(id, opId));
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineMedia::playPromptCompletesAfterOneSecondPerPrompt()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.playPrompt(
        id, QJsonObject { { "prompts"_L1, prompts(2) }, { "clientContext"_L1, u"menu"_s } });
    const QString opId = reply.body.value("id"_L1).toString();
    rig.clock.advance(1999ms);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.clock.advance(1ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted playPromptOperation Completed"_s });
    const auto &[url, n] = rig.notifier.items.first();
    QCOMPARE(url, AnswerUrl);
    QCOMPARE(n.value("resourceUrl"_L1).toString(),
        u"/communications/calls/%1/operations/%2"_s.arg(id, opId));
    QCOMPARE(n.value("resource"_L1).toString(), u"/app/calls/%1/operations/%2"_s.arg(id, opId));
    const QJsonObject data = rig.lastData();
    QCOMPARE(data.value("id"_L1).toString(), opId);
    QCOMPARE(data.value("clientContext"_L1).toString(), u"menu"_s);
    QCOMPARE(result(data), std::make_pair(200, 0));
    QCOMPARE(data.value("resultInfo"_L1).toObject().value("message"_L1).toString(),
        u"Action completed successfully."_s);
    QCOMPARE(rig.engine.getOperation(id, opId).body.value("status"_L1).toString(), u"Completed"_s);
}

void TestEngineMedia::playPromptsQueueBehindEachOther()
{
    Rig rig;
    const QString id = rig.answered();
    rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, prompts(1) } });
    rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, prompts(1) } });
    rig.clock.advance(1s);
    QCOMPARE(rig.notifier.items.size(), 1);
    rig.clock.advance(1s);
    QCOMPARE(rig.notifier.items.size(), 2);
}

void TestEngineMedia::playPromptValidatesPrompts_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<int>("status");
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << 400;
    QTest::newRow("none") << QJsonValue(prompts(0)) << 400;
    QTest::newRow("one") << QJsonValue(prompts(1)) << 200;
    QTest::newRow("twenty") << QJsonValue(prompts(20)) << 200;
    QTest::newRow("twenty-one") << QJsonValue(prompts(21)) << 400;
    QTest::newRow("no uri") << QJsonValue(QJsonArray { prompt(QString()) }) << 400;
    QTest::newRow("not an array") << QJsonValue(prompt()) << 400;
}

void TestEngineMedia::playPromptValidatesPrompts()
{
    QFETCH(QJsonValue, value);
    QFETCH(int, status);
    Rig rig;
    const QString id = rig.answered();
    QJsonObject body;
    if (!value.isUndefined())
        body.insert("prompts"_L1, value);
    const Sandbox::Reply reply = rig.engine.playPrompt(id, body);
    QCOMPARE(reply.status, status);
    if (status == 400) {
        QCOMPARE(
            reply.body.value("error"_L1).toObject().value("code"_L1).toString(), u"BadRequest"_s);
        QVERIFY(errorMessage(reply).contains(u"prompts"_s));
    }
}

void TestEngineMedia::playPromptNeedsEstablishedCall()
{
    Rig rig;
    const QString ringing = rig.engine.incoming({ u"Lee Gu"_s, u"+14255550111"_s, {} });
    const Sandbox::Reply reply =
        rig.engine.playPrompt(ringing, QJsonObject { { "prompts"_L1, prompts(1) } });
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body.value("error"_L1).toObject().value("code"_L1).toString(),
        u"InvalidStateForOperation"_s);
}

void TestEngineMedia::subscribeToToneIsCompletedAtOnce()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply =
        rig.engine.subscribeToTone(id, QJsonObject { { "clientContext"_L1, u"dtmf"_s } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.subscribeToToneOperation"_s);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Completed"_s);
    QCOMPARE(reply.body.value("clientContext"_L1).toString(), u"dtmf"_s);
    rig.clock.advance(5s);
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineMedia::tonesBeforeSubscribeAreNotDelivered()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.tones(id, u"12#"_s);
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.body.value("delivered"_L1).toInt(-1), 0);
    rig.clock.advance(2s);
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineMedia::tonesAfterSubscribeArriveWithIncreasingSequenceIds()
{
    Rig rig;
    const QString id = rig.answered();
    rig.engine.subscribeToTone(id, {});
    const Sandbox::Reply reply = rig.engine.tones(id, u"12#"_s);
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.body.value("delivered"_L1).toInt(), 3);
    rig.clock.advance(1s);
    rig.engine.tones(id, u"*"_s);
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call established tone tone1"_s,
            u"updated call established tone tone2"_s, u"updated call established tone pound"_s,
            u"updated call established tone star"_s }));
    QList<qint64> sequenceIds;
    for (const auto &[url, n] : std::as_const(rig.notifier.items)) {
        QCOMPARE(url, AnswerUrl);
        QCOMPARE(n.value("resourceUrl"_L1).toString(), u"/communications/calls/"_s + id);
        const QJsonObject tone =
            n.value("resourceData"_L1).toObject().value("toneInfo"_L1).toObject();
        QCOMPARE(tone.value("@odata.type"_L1).toString(), u"#microsoft.graph.toneInfo"_s);
        sequenceIds.append(tone.value("sequenceId"_L1).toInteger());
    }
    QCOMPARE(sequenceIds, (QList<qint64> { 1, 2, 3, 4 }));
    // The call resource itself does not keep the last tone.
    QVERIFY(!rig.engine.getCall(id).body.contains("toneInfo"_L1));
}

void TestEngineMedia::tonesRejectUnknownKeys()
{
    Rig rig;
    const QString id = rig.answered();
    rig.engine.subscribeToTone(id, {});
    QCOMPARE(rig.engine.tones(id, u"1x"_s).status, 400);
    QCOMPARE(rig.engine.tones(id, QString()).status, 400);
    rig.clock.advance(1s);
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineMedia::recordResponseCompletesAtMaxDuration()
{
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.recordResponse(id,
        QJsonObject {
            { "maxRecordDurationInSeconds"_L1, 10 }, { "clientContext"_L1, u"voicemail"_s } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("@odata.type"_L1).toString(), u"#microsoft.graph.recordOperation"_s);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Running"_s);
    rig.clock.advance(9999ms);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.clock.advance(1ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted recordOperation Completed"_s });
    const QJsonObject data = rig.lastData();
    QCOMPARE(result(data), std::make_pair(200, 8515));
    QCOMPARE(data.value("clientContext"_L1).toString(), u"voicemail"_s);
    const QString location = data.value("recordingLocation"_L1).toString();
    QVERIFY2(location.startsWith(BaseUrl + u"/sandbox/recordings/"_s), qPrintable(location));
    const QString recordingId = location.mid(location.lastIndexOf(u'/') + 1);
    const QString token = data.value("recordingAccessToken"_L1).toString();
    QVERIFY(!token.isEmpty());
    QCOMPARE(rig.engine.recordingAccessToken(recordingId), token);
    QVERIFY(!rig.engine.recording(recordingId).isEmpty());
}

void TestEngineMedia::recordResponseStopsOnStopTone()
{
    Rig rig;
    const QString id = rig.answered();
    rig.engine.recordResponse(id, QJsonObject { { "stopTones"_L1, QJsonArray { u"#"_s } } });
    // A key that is not a stop tone does not end it; the stop tone does, before the default
    // five seconds, and whether or not the call subscribed to tones.
    rig.engine.tones(id, u"1"_s);
    rig.clock.advance(1s);
    QVERIFY(rig.notifier.items.isEmpty());
    rig.engine.tones(id, u"#"_s);
    rig.clock.advance(200ms);
    QCOMPARE(rig.sequence(), QStringList { u"deleted recordOperation Completed"_s });
    QCOMPARE(result(rig.lastData()), std::make_pair(200, 0));
    QVERIFY(!rig.lastData().value("recordingLocation"_L1).toString().isEmpty());
    rig.clock.advance(10s);
    QCOMPARE(rig.notifier.items.size(), 1);
}

void TestEngineMedia::recordResponseValidatesParameters_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("defaults") << QJsonObject() << 200;
    QTest::newRow("all at their limits")
        << QJsonObject { { "initialSilenceTimeoutInSeconds"_L1, 1 },
               { "maxSilenceTimeoutInSeconds"_L1, 120 }, { "maxRecordDurationInSeconds"_L1, 120 },
               { "prompts"_L1, prompts(1) }, { "playBeep"_L1, false },
               { "bargeInAllowed"_L1, true }, { "stopTones"_L1, QJsonArray { u"#"_s, u"*"_s } } }
        << 200;
    QTest::newRow("max duration 0")
        << QJsonObject { { "maxRecordDurationInSeconds"_L1, 0 } } << 400;
    QTest::newRow("max duration 121")
        << QJsonObject { { "maxRecordDurationInSeconds"_L1, 121 } } << 400;
    QTest::newRow("initial silence 0")
        << QJsonObject { { "initialSilenceTimeoutInSeconds"_L1, 0 } } << 400;
    QTest::newRow("max silence 121")
        << QJsonObject { { "maxSilenceTimeoutInSeconds"_L1, 121 } } << 400;
    QTest::newRow("two prompts") << QJsonObject { { "prompts"_L1, prompts(2) } } << 400;
    QTest::newRow("stop tone x") << QJsonObject { { "stopTones"_L1, QJsonArray { u"x"_s } } }
                                 << 400;
    QTest::newRow("playBeep text") << QJsonObject { { "playBeep"_L1, u"yes"_s } } << 400;
}

void TestEngineMedia::recordResponseValidatesParameters()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    Rig rig;
    const QString id = rig.answered();
    const Sandbox::Reply reply = rig.engine.recordResponse(id, body);
    QCOMPARE(reply.status, status);
    if (status == 400) {
        // The message names the parameter at fault.
        QVERIFY2(
            errorMessage(reply).contains(body.keys().first()), qPrintable(errorMessage(reply)));
    }
}

void TestEngineMedia::cancelMediaProcessingCancelsRunningOperations()
{
    Rig rig;
    const QString id = rig.answered();
    const QString play = rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, prompts(3) } })
                             .body.value("id"_L1)
                             .toString();
    const QString record = rig.engine.recordResponse(id, {}).body.value("id"_L1).toString();
    rig.clock.advance(500ms);
    const Sandbox::Reply reply =
        rig.engine.cancelMediaProcessing(id, QJsonObject { { "clientContext"_L1, u"stop"_s } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.cancelMediaProcessingOperation"_s);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Completed"_s);
    rig.clock.advance(200ms);
    QCOMPARE(rig.sequence(),
        (QStringList {
            u"deleted playPromptOperation Completed"_s, u"deleted recordOperation Completed"_s }));
    for (const auto &[url, n] : std::as_const(rig.notifier.items))
        QCOMPARE(result(n.value("resourceData"_L1).toObject()), std::make_pair(400, 8508));
    QVERIFY(rig.notifier.items[0].second.value("resourceUrl"_L1).toString().endsWith(play));
    QVERIFY(rig.notifier.items[1].second.value("resourceUrl"_L1).toString().endsWith(record));
    QVERIFY(!rig.lastData().contains("recordingLocation"_L1));
    // Their scheduled ends do not come any more, and new media starts at once.
    rig.clock.advance(20s);
    QCOMPARE(rig.notifier.items.size(), 2);
    rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, prompts(1) } });
    rig.clock.advance(1s);
    QCOMPARE(rig.notifier.items.size(), 3);
}

void TestEngineMedia::recordingIsAShortWav()
{
    Rig rig;
    const QString id = rig.answered();
    rig.engine.recordResponse(id, QJsonObject { { "maxRecordDurationInSeconds"_L1, 1 } });
    rig.clock.advance(2s);
    const QString location = rig.lastData().value("recordingLocation"_L1).toString();
    const QByteArray wav = rig.engine.recording(location.mid(location.lastIndexOf(u'/') + 1));
    QVERIFY(wav.size() > 44);
    const auto u16 = [&](int at) { return qFromLittleEndian<quint16>(wav.constData() + at); };
    const auto u32 = [&](int at) { return qFromLittleEndian<quint32>(wav.constData() + at); };
    QCOMPARE(wav.left(4), "RIFF"_ba);
    QCOMPARE(u32(4), quint32(wav.size() - 8));
    QCOMPARE(wav.mid(8, 8), "WAVEfmt "_ba);
    QCOMPARE(u16(20), quint16(1)); // PCM
    QCOMPARE(u16(22), quint16(1)); // mono
    QCOMPARE(u32(24), quint32(16000)); // 16 kHz
    QCOMPARE(u32(28), quint32(32000)); // bytes per second
    QCOMPARE(u16(34), quint16(16)); // 16-bit
    QCOMPARE(wav.mid(36, 4), "data"_ba);
    QCOMPARE(u32(40), quint32(wav.size() - 44));
    QCOMPARE(u32(40), quint32(16000)); // half a second
}

void TestEngineMedia::recordingOfUnknownIdIsEmpty()
{
    Rig rig;
    QVERIFY(rig.engine.recording(u"3c2b1a09-0000-4000-8000-000000000000"_s).isEmpty());
    QVERIFY(rig.engine.recordingAccessToken(u"3c2b1a09-0000-4000-8000-000000000000"_s).isEmpty());
}

void TestEngineMedia::getOperationReturnsTheOperation()
{
    Rig rig;
    const QString id = rig.answered();
    const QString opId = rig.engine.playPrompt(id, QJsonObject { { "prompts"_L1, prompts(1) } })
                             .body.value("id"_L1)
                             .toString();
    Sandbox::Reply reply = rig.engine.getOperation(id, opId);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Running"_s);
    rig.clock.advance(2s);
    reply = rig.engine.getOperation(id, opId);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Completed"_s);
    QCOMPARE(rig.engine.getOperation(id, u"00000000-0000-4000-8000-00000000000f"_s).status, 404);
}

QTEST_GUILESS_MAIN(TestEngineMedia)
#include "tst_engine_media.moc"

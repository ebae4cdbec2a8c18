// Tests of Graph::RelayProtocol, the messages of the relay's event stream (relay-contract.md,
// protocol 1): what the relay writes, the console reads back the same; what is not a message of
// the kind asked for is refused without a crash.

#include "graph/codec.h"
#include "graph/relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Graph;
using namespace Graph::RelayProtocol;

namespace {

const QDateTime Base = QDateTime(QDate(2024, 5, 1), QTime(12, 0), QTimeZone::utc());

QDateTime when(qint64 seconds)
{
    return Base.addSecs(seconds);
}

const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString CallB = u"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"_s;
const QString Caller = u"e41a7b90-3c5d-4a2e-b6f1-8d0c9e7a5b13"_s;
const QString PromptOp = u"0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50"_s;

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QByteArray text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QJsonObject incomingNotification(const QString &callId)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, u"created"_s },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + callId) },
        { "resourceData"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
                { "state"_L1, u"incoming"_s }, { "direction"_L1, u"incoming"_s },
                { "id"_L1, callId } } },
    };
}

// A call with everything a snapshot CALL carries, as a CallBook would hold it.
SnapshotCall fullCall()
{
    SnapshotCall call;
    CallEntry &entry = call.entry;
    entry.call = decodeCall(parse(R"({
        "@odata.type": "#microsoft.graph.call",
        "id": "491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90",
        "state": "established",
        "direction": "incoming",
        "callChainId": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "source": {"@odata.type": "#microsoft.graph.participantInfo",
                   "identity": {"@odata.type": "#microsoft.graph.communicationsIdentitySet",
                                "phone": {"@odata.type": "#microsoft.graph.identity", "id": "+14255550123"}}},
        "resultInfo": {"@odata.type": "#microsoft.graph.resultInfo", "code": 200, "subcode": 0,
                       "message": "ok"},
        "requestedModalities": ["audio"],
        "futureField": {"kept": true}
    })"));
    entry.participants.append(decodeParticipant(parse(R"({
        "@odata.type": "#microsoft.graph.participant",
        "id": "e41a7b90-3c5d-4a2e-b6f1-8d0c9e7a5b13",
        "info": {"@odata.type": "#microsoft.graph.participantInfo",
                 "identity": {"@odata.type": "#microsoft.graph.identitySet",
                              "user": {"@odata.type": "#microsoft.graph.identity",
                                       "id": "oid-caller", "displayName": "Caller"}}},
        "mediaStreams": [{"@odata.type": "#microsoft.graph.mediaStream", "mediaType": "audio",
                          "sourceId": "1", "direction": "sendReceive", "serverMuted": false}],
        "isMuted": true, "isInLobby": false, "rosterSequenceNumber": 7
    })")));
    entry.tones.append(decodeToneInfo(parse(
        R"({"@odata.type": "#microsoft.graph.toneInfo", "sequenceId": 1, "tone": "tone5"})")));
    entry.tones.append(decodeToneInfo(parse(
        R"({"@odata.type": "#microsoft.graph.toneInfo", "sequenceId": 2, "tone": "pound"})")));
    entry.operations.append(decodeOperation(parse(R"({
        "@odata.type": "#microsoft.graph.playPromptOperation",
        "id": "0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50", "clientContext": "hold", "status": "completed",
        "resultInfo": {"@odata.type": "#microsoft.graph.resultInfo", "code": 200, "subcode": 0,
                       "message": "Action completed successfully."}
    })")));
    entry.rosterSequence = 7;
    entry.firstSeenAt = when(0);
    entry.lastEventAt = when(5).addMSecs(250);
    call.meta.firstSeenAt = entry.firstSeenAt;
    call.meta.lastEventAt = entry.lastEventAt;
    call.meta.claimedBy = u"alice"_s;
    call.meta.answerDeadline = when(10);
    call.meta.handledBy = u"relay"_s;
    return call;
}

} // namespace

class TestRelayProtocol final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helloRoundTrip()
    {
        Hello hello;
        hello.stream = u"5f0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b"_s;
        hello.seq = 1234567890123;
        hello.op = { u"alice"_s, u"supervisor"_s };
        hello.callbackUri = u"https://relay.example.org/callbacks"_s;

        const QJsonObject wire = encodeHello(hello);
        QCOMPARE(wire.value("type"_L1).toString(), u"hello"_s);
        QCOMPARE(wire.value("protocol"_L1).toInt(), 1);
        QCOMPARE(wire.value("operator"_L1).toObject().value("name"_L1).toString(), u"alice"_s);
        QVERIFY(messageType(wire) == MessageType::Hello);

        const std::optional<Hello> back = decodeHello(wire);
        QVERIFY(back);
        QCOMPARE(back->protocol, Version);
        QCOMPARE(back->stream, hello.stream);
        QCOMPARE(back->seq, hello.seq);
        QCOMPARE(back->op.name, hello.op.name);
        QCOMPARE(back->op.role, hello.op.role);
        QCOMPARE(back->callbackUri, hello.callbackUri);
    }

    void snapshotRoundTrip()
    {
        Snapshot snapshot;
        snapshot.seq = 42;
        snapshot.calls.append(fullCall());
        SnapshotCall ended;
        ended.entry.call = decodeCall(parse(R"({"id": "7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471",
            "state": "terminated", "direction": "outgoing"})"));
        ended.entry.firstSeenAt = when(1);
        ended.entry.lastEventAt = when(3);
        ended.entry.endedAt = when(3);
        snapshot.calls.append(ended); // no meta: the entry's times are written

        const QJsonObject wire = encodeSnapshot(snapshot);
        QVERIFY(messageType(wire) == MessageType::Snapshot);
        const QJsonObject a = wire.value("calls"_L1).toArray().at(0).toObject();
        QCOMPARE(a.value("id"_L1).toString(), CallA);
        QCOMPARE(a.value("state"_L1).toString(), u"established"_s);
        QCOMPARE(a.value("futureField"_L1).toObject().value("kept"_L1).toBool(), true);
        QCOMPARE(a.value("participants"_L1).toArray().size(), 1);
        QCOMPARE(a.value("tones"_L1).toArray().size(), 2);
        QCOMPARE(a.value("operations"_L1).toArray().size(), 1);
        const QJsonObject frontdesk = a.value("frontdesk"_L1).toObject();
        QCOMPARE(frontdesk.value("firstSeenAt"_L1).toString(), u"2024-05-01T12:00:00.000Z"_s);
        QCOMPARE(frontdesk.value("lastEventAt"_L1).toString(), u"2024-05-01T12:00:05.250Z"_s);
        QCOMPARE(frontdesk.value("claimedBy"_L1).toString(), u"alice"_s);
        QCOMPARE(frontdesk.value("answerDeadline"_L1).toString(), u"2024-05-01T12:00:10.000Z"_s);
        QCOMPARE(frontdesk.value("handledBy"_L1).toString(), u"relay"_s);
        const QJsonObject b = wire.value("calls"_L1).toArray().at(1).toObject();
        QVERIFY(b.value("frontdesk"_L1).toObject().value("claimedBy"_L1).isNull());
        QVERIFY(b.value("frontdesk"_L1).toObject().value("answerDeadline"_L1).isNull());

        const std::optional<Snapshot> back = decodeSnapshot(wire);
        QVERIFY(back);
        QCOMPARE(back->seq, 42);
        QCOMPARE(back->calls.size(), 2);
        const SnapshotCall &call = back->calls[0];
        QCOMPARE(call.entry.call.id, CallA);
        QVERIFY(call.entry.call.state == CallState::Established);
        QCOMPARE(call.entry.call.source->identity.phoneNumber(), u"+14255550123"_s);
        QCOMPARE(call.entry.call.resultInfo.code, std::optional<int>(200));
        QCOMPARE(call.entry.participants.size(), 1);
        QCOMPARE(call.entry.participants[0].id, Caller);
        QCOMPARE(call.entry.participants[0].displayName(), u"Caller"_s);
        QVERIFY(call.entry.participants[0].isMuted);
        QCOMPARE(call.entry.participants[0].rosterSequenceNumber, std::optional<qint64>(7));
        QCOMPARE(call.entry.tones.size(), 2);
        QCOMPARE(call.entry.tones[0].sequenceId, 1);
        QVERIFY(call.entry.tones[1].tone == Tone::Pound);
        QCOMPARE(call.entry.operations.size(), 1);
        QCOMPARE(call.entry.operations[0].id, PromptOp);
        QVERIFY(call.entry.operations[0].isFinished());
        QCOMPARE(call.entry.rosterSequence, 7);
        QCOMPARE(call.entry.firstSeenAt, when(0));
        QCOMPARE(call.entry.lastEventAt, when(5).addMSecs(250));
        QVERIFY(!call.entry.isEnded());
        QCOMPARE(call.meta.claimedBy, u"alice"_s);
        QCOMPARE(call.meta.answerDeadline, when(10));
        QCOMPARE(call.meta.handledBy, u"relay"_s);
        QCOMPARE(back->calls[1].entry.call.id, CallB);
        QCOMPARE(back->calls[1].entry.endedAt, when(3));
        QCOMPARE(back->calls[1].meta.firstSeenAt, when(1));
        QVERIFY(back->calls[1].meta.claimedBy.isEmpty());

        // Written again, it is the same message.
        QCOMPARE(text(encodeSnapshot(*back)), text(wire));
    }

    void eventRoundTrip()
    {
        StreamEvent event;
        event.type = StreamEvent::Type::Notification;
        event.seq = 17;
        event.at = when(3).addMSecs(45);
        event.notification = incomingNotification(CallA);

        const QJsonObject wire = encodeEvent(event);
        QVERIFY(messageType(wire) == MessageType::Event);
        QCOMPARE(wire.value("at"_L1).toString(), u"2024-05-01T12:00:03.045Z"_s);
        QCOMPARE(wire.value("notification"_L1).toObject(), event.notification);

        const std::optional<StreamEvent> back = decodeEvent(wire);
        QVERIFY(back);
        QVERIFY(back->type == StreamEvent::Type::Notification);
        QCOMPARE(back->seq, 17);
        QCOMPARE(back->at, event.at);
        QCOMPARE(back->notification, event.notification);
        QVERIFY(back->relay.isEmpty());
        QCOMPARE(back->callId(), CallA);
        QCOMPARE(text(encodeEvent(*back)), text(wire));
    }

    void relayRoundTrip()
    {
        StreamEvent event;
        event.type = StreamEvent::Type::Relay;
        event.seq = 18;
        event.at = when(4);
        event.relay = QJsonObject { { "kind"_L1, u"claimed"_s }, { "callId"_L1, CallA },
            { "by"_L1, u"alice"_s } };

        const QJsonObject wire = encodeEvent(event);
        QVERIFY(messageType(wire) == MessageType::Relay);
        QCOMPARE(wire.value("type"_L1).toString(), u"relay"_s);
        QCOMPARE(wire.value("kind"_L1).toString(), u"claimed"_s);
        QCOMPARE(wire.value("seq"_L1).toInteger(), 18);

        const std::optional<StreamEvent> back = decodeEvent(wire);
        QVERIFY(back);
        QVERIFY(back->type == StreamEvent::Type::Relay);
        QCOMPARE(back->seq, 18);
        QCOMPARE(back->at, event.at);
        QCOMPARE(back->relay, event.relay);
        QCOMPARE(back->relayKind(), u"claimed"_s);
        QCOMPARE(back->callId(), CallA);
        QCOMPARE(text(encodeEvent(*back)), text(wire));
    }

    void unknownFieldsAreIgnored()
    {
        const auto hello = decodeHello(parse(R"({"type":"hello","protocol":1,"stream":"s",
            "seq":3,"operator":{"name":"bob","role":"operator"},"callbackUri":"u","new":[1]})"));
        QVERIFY(hello);
        QCOMPARE(hello->op.name, u"bob"_s);
        const auto event = decodeEvent(parse(R"({"type":"event","seq":"9",
            "at":"2024-05-01T12:00:00.1234567Z","notification":{},"new":true})"));
        QVERIFY(event);
        QCOMPARE(event->seq, 9); // a numeric string counts
        QCOMPARE(event->at, when(0).addMSecs(123)); // Graph's seven digits are cut to ms
    }

    void decodersRefuseBadMessages_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("decoder"); // 0 hello, 1 snapshot, 2 event

        QTest::newRow("hello: wrong type") << QByteArray(R"({"type":"snapshot","protocol":1,
            "stream":"s","seq":1})") << 0;
        QTest::newRow("hello: no type")
            << QByteArray(R"({"protocol":1,"stream":"s","seq":1})") << 0;
        QTest::newRow("hello: no seq")
            << QByteArray(R"({"type":"hello","protocol":1,"stream":"s"})") << 0;
        QTest::newRow("hello: no stream")
            << QByteArray(R"({"type":"hello","protocol":1,"seq":1})") << 0;
        QTest::newRow("hello: no protocol")
            << QByteArray(R"({"type":"hello","stream":"s","seq":1})") << 0;
        QTest::newRow("snapshot: wrong type")
            << QByteArray(R"({"type":"hello","seq":1,"calls":[]})") << 1;
        QTest::newRow("snapshot: no seq") << QByteArray(R"({"type":"snapshot","calls":[]})") << 1;
        QTest::newRow("snapshot: seq not a number")
            << QByteArray(R"({"type":"snapshot","seq":"seven","calls":[]})") << 1;
        QTest::newRow("snapshot: no calls") << QByteArray(R"({"type":"snapshot","seq":1})") << 1;
        QTest::newRow("snapshot: calls not an array")
            << QByteArray(R"({"type":"snapshot","seq":1,"calls":{}})") << 1;
        QTest::newRow("event: wrong type")
            << QByteArray(R"({"type":"hello","seq":1,"notification":{}})") << 2;
        QTest::newRow("event: no seq") << QByteArray(R"({"type":"event","notification":{}})") << 2;
        QTest::newRow("event: fractional seq")
            << QByteArray(R"({"type":"event","seq":1.5,"notification":{}})") << 2;
        QTest::newRow("event: huge seq")
            << QByteArray(R"({"type":"event","seq":1e300,"notification":{}})") << 2;
        QTest::newRow("event: seq null")
            << QByteArray(R"({"type":"event","seq":null,"notification":{}})") << 2;
        QTest::newRow("event: no notification") << QByteArray(R"({"type":"event","seq":1})") << 2;
        QTest::newRow("event: notification not an object")
            << QByteArray(R"({"type":"event","seq":1,"notification":[1]})") << 2;
        QTest::newRow("relay: no seq") << QByteArray(R"({"type":"relay","kind":"claimed"})") << 2;
        QTest::newRow("not an object") << QByteArray(R"([1,2,3])") << 2;
        QTest::newRow("not JSON") << QByteArray("{\"type\":\"event\",") << 2;
        QTest::newRow("empty") << QByteArray() << 1;
    }

    void decodersRefuseBadMessages()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, decoder);
        const QJsonObject message = QJsonDocument::fromJson(json).object();
        switch (decoder) {
        case 0:
            QVERIFY(!decodeHello(message));
            break;
        case 1:
            QVERIFY(!decodeSnapshot(message));
            break;
        default:
            QVERIFY(!decodeEvent(message));
            break;
        }
        // No decoder takes a message meant for another.
        QVERIFY(!decodeHello(message));
        QVERIFY(!decodeSnapshot(message));
        QVERIFY(!decodeEvent(message));
    }

    void snapshotSkipsCallsWithoutId()
    {
        const auto snapshot = decodeSnapshot(parse(R"({"type":"snapshot","seq":5,"calls":[
            {"state":"incoming"}, 7, {"id":"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"}]})"));
        QVERIFY(snapshot);
        QCOMPARE(snapshot->calls.size(), 1);
        QCOMPARE(snapshot->calls[0].entry.call.id, CallB);
        QVERIFY(!decodeSnapshotCall(parse(R"({"id":5})")));
    }

    void messageTypeNamesTheFourMessages()
    {
        QVERIFY(messageType(parse(R"({"type":"hello"})")) == MessageType::Hello);
        QVERIFY(messageType(parse(R"({"type":"snapshot"})")) == MessageType::Snapshot);
        QVERIFY(messageType(parse(R"({"type":"event"})")) == MessageType::Event);
        QVERIFY(messageType(parse(R"({"type":"relay"})")) == MessageType::Relay);
        QVERIFY(messageType(parse(R"({"type":"Event"})")) == MessageType::Unknown);
        QVERIFY(messageType(parse(R"({"type":3})")) == MessageType::Unknown);
        QVERIFY(messageType(QJsonObject()) == MessageType::Unknown);
    }
};

QTEST_GUILESS_MAIN(TestRelayProtocol)

#include "tst_relayprotocol.moc"

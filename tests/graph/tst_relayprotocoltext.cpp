// RelayProtocol::decodeSnapshotText and peekMessageType: a snapshot read from its JSON text one
// call at a time decodes to exactly what decodeSnapshot makes of the whole tree, and text that is
// not a well-formed snapshot is refused.

#include "../models/streamfixtures.h"
#include "graph/relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
namespace RP = Graph::RelayProtocol;

namespace {

//! A relay's snapshot with three calls, one of whose callers has a name full of JSON's own
//! punctuation.
QJsonObject snapshotMessage()
{
    Relay relay;
    const Who tricky = Who::phone(u"+4930123456"_s, u"He said \"}]{[\\\" ok, \u00e9\u4e2d"_s);
    relay.notify(at(0), incomingCall(callId(1), tricky));
    relay.notify(at(1), incomingCall(callId(2), Who::user(u"Lena Vogel"_s)));
    relay.notify(at(2), callUpdated(callId(2), u"established"_s));
    relay.notify(at(3),
        roster(callId(2),
            { botParticipant(1), participant(participantId(7), Who::guest(u"Guest 7"_s), 1) }));
    relay.notify(at(4), incomingCall(callId(3), Who::phone(u"+74951234567"_s)));
    relay.relay(at(5), u"claimed"_s, callId(3), { { "by"_L1, u"alice"_s } });
    return RP::encodeSnapshot(relay.snapshot());
}

QByteArray wire(const QJsonObject &message, QJsonDocument::JsonFormat format)
{
    return QJsonDocument(message).toJson(format);
}

//! Everything a snapshot holds, as the relay would write it again.
QJsonObject canonical(const RP::Snapshot &snapshot)
{
    return RP::encodeSnapshot(snapshot);
}

} // namespace

class TstRelayProtocolText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsTheWholeTree_data();
    void sameAsTheWholeTree();
    void leanReadingMatchesLeanDecoding();
    void emptyCalls();
    void malformedTextIsRefused_data();
    void malformedTextIsRefused();
    void escapedKeysAreRead();
    void peekMessageType_data();
    void peekMessageType();
};

void TstRelayProtocolText::sameAsTheWholeTree_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("compact") << wire(snapshotMessage(), QJsonDocument::Compact);
    QTest::newRow("indented") << wire(snapshotMessage(), QJsonDocument::Indented);
}

void TstRelayProtocolText::sameAsTheWholeTree()
{
    QFETCH(QByteArray, text);
    const auto whole = RP::decodeSnapshot(QJsonDocument::fromJson(text).object());
    const auto pieces = RP::decodeSnapshotText(text);
    QVERIFY(whole);
    QVERIFY(pieces);
    QCOMPARE(pieces->seq, whole->seq);
    QCOMPARE(pieces->calls.size(), 3);
    QCOMPARE(canonical(*pieces), canonical(*whole));
    QCOMPARE(pieces->calls.at(0).entry.call.source->identity.displayName(),
        u"He said \"}]{[\\\" ok, \u00e9\u4e2d"_s);
    QCOMPARE(pieces->calls.at(2).meta.claimedBy, u"alice"_s);
}

void TstRelayProtocolText::leanReadingMatchesLeanDecoding()
{
    const QByteArray text = wire(snapshotMessage(), QJsonDocument::Compact);
    const auto lean = RP::decodeSnapshotText(text, Graph::CallBook::Memory::Lean);
    const auto whole =
        RP::decodeSnapshot(QJsonDocument::fromJson(text).object(), Graph::CallBook::Memory::Lean);
    QVERIFY(lean && whole);
    QCOMPARE(lean->calls.size(), whole->calls.size());
    for (qsizetype i = 0; i < lean->calls.size(); ++i) {
        const Graph::CallEntry &a = lean->calls.at(i).entry;
        const Graph::CallEntry &b = whole->calls.at(i).entry;
        QVERIFY(a.call.raw.isEmpty());
        QCOMPARE(a.callJson, b.callJson);
        QCOMPARE(a.participants, b.participants);
    }
}

void TstRelayProtocolText::emptyCalls()
{
    const auto snapshot =
        RP::decodeSnapshotText(R"( { "type" : "snapshot", "seq":7,"calls":[ ] } )");
    QVERIFY(snapshot);
    QCOMPARE(snapshot->seq, 7);
    QVERIFY(snapshot->calls.isEmpty());
}

void TstRelayProtocolText::malformedTextIsRefused_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray good = wire(snapshotMessage(), QJsonDocument::Compact);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not an object") << QByteArray("[1,2]");
    QTest::newRow("truncated") << good.left(good.size() / 2);
    QTest::newRow("truncated by one") << good.chopped(1);
    QTest::newRow("trailing garbage") << good + "x";
    QTest::newRow("two objects") << good + good;
    QTest::newRow("calls not an array")
        << QByteArray(R"({"type":"snapshot","seq":1,"calls":{"id":"x"}})");
    QTest::newRow("no calls") << QByteArray(R"({"type":"snapshot","seq":1})");
    QTest::newRow("no seq") << QByteArray(R"({"type":"snapshot","calls":[]})");
    QTest::newRow("an event") << QByteArray(R"({"type":"event","seq":1,"calls":[]})");
    QTest::newRow("missing comma between calls")
        << QByteArray(R"({"type":"snapshot","seq":1,"calls":[{"id":"a"} {"id":"b"}]})");
    QTest::newRow("bad call") << QByteArray(R"({"type":"snapshot","seq":1,"calls":[{"id":"a",}]})");
    QTest::newRow("mismatched brackets")
        << QByteArray(R"({"type":"snapshot","seq":1,"calls":[{"id":"a"]]})");
    QTest::newRow("unterminated string")
        << QByteArray(R"({"type":"snapshot","seq":1,"calls":[{"id":"a}]})");
    QTest::newRow("bad literal") << QByteArray(R"({"type":"snapshot","seq":tru,"calls":[]})");
    QTest::newRow("missing colon") << QByteArray(R"({"type" "snapshot","seq":1,"calls":[]})");
}

void TstRelayProtocolText::malformedTextIsRefused()
{
    QFETCH(QByteArray, text);
    QVERIFY(!RP::decodeSnapshotText(text));
    QVERIFY(!RP::decodeSnapshotText(text, Graph::CallBook::Memory::Lean));
}

void TstRelayProtocolText::escapedKeysAreRead()
{
    // "\u0063alls" is "calls" and "t\u0079pe" is "type", however a relay chose to write them.
    const auto snapshot = RP::decodeSnapshotText(
        R"({"t\u0079pe":"snapshot","seq":3,"\u0063alls":[{"id":"491f0b00-ffff-4c6a-9b0e-000000000001","state":"incoming"}]})");
    QVERIFY(snapshot);
    QCOMPARE(snapshot->calls.size(), 1);
    QCOMPARE(snapshot->calls.at(0).entry.call.id, callId(1));
}

void TstRelayProtocolText::peekMessageType_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type");
    QTest::newRow("snapshot") << wire(snapshotMessage(), QJsonDocument::Indented)
                              << int(RP::MessageType::Snapshot);
    QTest::newRow("hello") << QByteArray(R"({"seq":0,"type":"hello"})")
                           << int(RP::MessageType::Hello);
    QTest::newRow("event") << QByteArray(R"({"type":"event","notification":{"a":[1,{"b":"]"}]}})")
                           << int(RP::MessageType::Event);
    QTest::newRow("relay") << QByteArray(R"({"type":"relay"})") << int(RP::MessageType::Relay);
    QTest::newRow("new type") << QByteArray(R"({"type":"later"})") << int(RP::MessageType::Unknown);
    QTest::newRow("no type") << QByteArray(R"({"seq":1})") << int(RP::MessageType::Unknown);
    QTest::newRow("garbage") << QByteArray("{\"type\":\"snapshot\"")
                             << int(RP::MessageType::Unknown);
}

void TstRelayProtocolText::peekMessageType()
{
    QFETCH(QByteArray, text);
    QFETCH(int, type);
    QCOMPARE(int(RP::peekMessageType(text)), type);
}

QTEST_GUILESS_MAIN(TstRelayProtocolText)
#include "tst_relayprotocoltext.moc"

// App::FrameQueue: frames decoded on a worker thread, handed on in order, in passes bounded by
// the budget; and decodeRelayFrame, what the worker makes of a frame.

#include "app/framequeue.h"
#include "models/passbudget.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
namespace RP = Graph::RelayProtocol;

namespace {

//! A decoder for the queue's own tests: the frame's text, as the event's seq.
App::RelayFrame numbered(const QByteArray &json)
{
    App::RelayFrame frame;
    frame.type = RP::MessageType::Event;
    RP::StreamEvent event;
    event.seq = json.toLongLong();
    frame.event = event;
    return frame;
}

QList<qint64> sequence(qint64 from, qint64 to)
{
    QList<qint64> out;
    for (qint64 i = from; i <= to; ++i)
        out << i;
    return out;
}

QByteArray text(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

} // namespace

class TstFrameQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesArriveInOrder();
    void noPassRunsPastTheBudgetByMoreThanOneFrame();
    void aFrameLongerThanTheBudgetRunsWhole();
    void aSharedBudgetSpentByOtherWorkLeavesOneFramePerPass();
    void clearDropsWaitingFrames();
    void handlerMayClearTheQueue();

    void decodesAnEvent();
    void decodesAHelloAndAnUnknownType();
    void textThatIsNotAnObjectIsAnError();
    void bigSnapshotIsDecodedLean();
};

void TstFrameQueue::framesArriveInOrder()
{
    QList<qint64> handled;
    App::FrameQueue queue([&](App::RelayFrame &frame) { handled << frame.event->seq; });
    queue.setDecoder(numbered);
    for (int i = 1; i <= 300; ++i) // more than MaxDecodedAhead
        queue.push(QByteArray::number(i));
    QVERIFY(handled.isEmpty()); // nothing runs inside push()
    QCOMPARE(queue.size(), 300);
    QTRY_COMPARE(handled, sequence(1, 300));
    QVERIFY(queue.isEmpty());
}

void TstFrameQueue::noPassRunsPastTheBudgetByMoreThanOneFrame()
{
    qint64 now = 0;
    QList<qint64> handled;
    App::FrameQueue queue([&](App::RelayFrame &frame) {
        handled << frame.event->seq;
        now += 3'000'000; // each frame "takes" 3 ms
    });
    queue.setDecoder(numbered);
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return now; });
    QSignalSpy passes(&queue, &App::FrameQueue::passFinished);
    for (int i = 1; i <= 40; ++i)
        queue.push(QByteArray::number(i));
    QTRY_COMPARE(handled, sequence(1, 40));
    // 3, 6, 9 ms: the third frame spends the budget, so no pass hands on more than three.
    int total = 0;
    for (const QList<QVariant> &pass : std::as_const(passes)) {
        QVERIFY2(pass.at(0).toInt() <= 3, qPrintable(QString::number(pass.at(0).toInt())));
        total += pass.at(0).toInt();
    }
    QCOMPARE(total, 40);
    QVERIFY(passes.size() >= 14);
}

void TstFrameQueue::aFrameLongerThanTheBudgetRunsWhole()
{
    qint64 now = 0;
    int handled = 0;
    App::FrameQueue queue([&](App::RelayFrame &) {
        ++handled;
        now += 50'000'000; // a snapshot: 50 ms
    });
    queue.setDecoder(numbered);
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return now; });
    QSignalSpy passes(&queue, &App::FrameQueue::passFinished);
    queue.push("1");
    queue.push("2");
    QTRY_COMPARE(handled, 2);
    for (const QList<QVariant> &pass : std::as_const(passes))
        QVERIFY(pass.at(0).toInt() <= 1);
}

void TstFrameQueue::aSharedBudgetSpentByOtherWorkLeavesOneFramePerPass()
{
    qint64 now = 0;
    Models::PassBudget shared(8ms);
    shared.setElapsedSource([&] { return now; });
    QList<qint64> handled;
    App::FrameQueue queue([&](App::RelayFrame &frame) {
        handled << frame.event->seq;
        now += 1'000'000; // each frame "takes" 1 ms
    });
    queue.setDecoder(numbered);
    queue.setPassBudget(&shared);
    QCOMPARE(queue.passBudget(), &shared);
    QCOMPARE(queue.budget(), 8ms);
    // Other work (expiring calls) spent the whole budget, and the queue's passes follow it with
    // no time in between: each still hands on one frame, and no more.
    shared.begin();
    now += 8'000'000;
    shared.end();
    QSignalSpy passes(&queue, &App::FrameQueue::passFinished);
    for (int i = 1; i <= 5; ++i)
        queue.push(QByteArray::number(i));
    QTRY_COMPARE(handled, sequence(1, 5));
    for (const QList<QVariant> &pass : std::as_const(passes))
        QCOMPARE(pass.at(0).toInt(), 1);
}

void TstFrameQueue::clearDropsWaitingFrames()
{
    QList<qint64> handled;
    App::FrameQueue queue([&](App::RelayFrame &frame) { handled << frame.event->seq; });
    queue.setDecoder(numbered);
    for (int i = 1; i <= 100; ++i)
        queue.push(QByteArray::number(i));
    queue.clear(); // some are being decoded: what comes back is dropped
    QVERIFY(queue.isEmpty());
    queue.push("500");
    // The worker keeps order, so whatever from before the clear came back late would come
    // before a frame pushed after it.
    queue.push("501");
    QTRY_COMPARE(handled.size(), 2);
    QCOMPARE(handled, (QList<qint64> { 500, 501 }));
}

void TstFrameQueue::handlerMayClearTheQueue()
{
    QList<qint64> handled;
    App::FrameQueue *self = nullptr;
    App::FrameQueue queue([&](App::RelayFrame &frame) {
        handled << frame.event->seq;
        if (frame.event->seq == 2)
            self->clear(); // as RelayConnection gives a connection up on a gap
    });
    self = &queue;
    queue.setDecoder(numbered);
    for (int i = 1; i <= 10; ++i)
        queue.push(QByteArray::number(i));
    QTRY_VERIFY(handled.size() >= 2);
    QVERIFY(queue.isEmpty());
    queue.push("11"); // the next frame after the clear is the next one handed on
    QTRY_COMPARE(handled.size(), 3);
    QCOMPARE(handled, (QList<qint64> { 1, 2, 11 }));
}

void TstFrameQueue::decodesAnEvent()
{
    const App::RelayFrame frame = App::decodeRelayFrame(text(
        { { "type"_L1, u"relay"_s }, { "seq"_L1, 7 }, { "at"_L1, u"2026-01-05T09:00:00.000Z"_s },
            { "kind"_L1, u"claimed"_s }, { "callId"_L1, u"call-1"_s }, { "by"_L1, u"alice"_s } }));
    QVERIFY(frame.error.isEmpty());
    QCOMPARE(frame.type, RP::MessageType::Relay);
    QVERIFY(frame.event);
    QCOMPARE(frame.event->seq, 7);
    // A message of the right type but the wrong shape decodes to nothing, for the caller to refuse.
    const App::RelayFrame broken = App::decodeRelayFrame(R"({"type":"event"})");
    QCOMPARE(broken.type, RP::MessageType::Event);
    QVERIFY(!broken.event);
}

void TstFrameQueue::decodesAHelloAndAnUnknownType()
{
    const App::RelayFrame hello = App::decodeRelayFrame(R"({"type":"hello","protocol":1})");
    QCOMPARE(hello.type, RP::MessageType::Hello);
    QCOMPARE(hello.message.value("protocol"_L1).toInt(), 1);
    const App::RelayFrame later = App::decodeRelayFrame(R"({"type":"later","x":1})");
    QCOMPARE(later.type, RP::MessageType::Unknown);
    QCOMPARE(later.message.value("type"_L1).toString(), u"later"_s);
}

void TstFrameQueue::textThatIsNotAnObjectIsAnError()
{
    QVERIFY(!App::decodeRelayFrame("{\"type\":").error.isEmpty());
    QCOMPARE(App::decodeRelayFrame("[1,2]").error, u"not an object"_s);
}

void TstFrameQueue::bigSnapshotIsDecodedLean()
{
    QJsonArray calls;
    for (int c = 0; c < 400; ++c) {
        calls.append(QJsonObject { { "id"_L1, u"call-%1"_s.arg(c) },
            { "state"_L1, u"established"_s }, { "padding"_L1, QString(800, u'x') },
            { "participants"_L1,
                QJsonArray {
                    QJsonObject { { "id"_L1, u"p-%1"_s.arg(c) }, { "isMuted"_L1, true } } } } });
    }
    const QByteArray json =
        text({ { "type"_L1, u"snapshot"_s }, { "seq"_L1, 9 }, { "calls"_L1, calls } });
    QVERIFY(json.size() > 256 * 1024); // read one call at a time
    const App::RelayFrame frame = App::decodeRelayFrame(json);
    QCOMPARE(frame.type, RP::MessageType::Snapshot);
    QVERIFY(frame.snapshot);
    QCOMPARE(frame.snapshot->seq, 9);
    QCOMPARE(frame.snapshot->calls.size(), 400);
    const Graph::CallEntry &last = frame.snapshot->calls.constLast().entry;
    QCOMPARE(last.call.id, u"call-399"_s);
    QVERIFY(last.call.raw.isEmpty());
    QVERIFY(last.callJson.contains("padding"));
    QCOMPARE(last.participants.size(), 1);
    QVERIFY(last.participants.at(0).isMuted);
    QVERIFY(last.participants.at(0).raw.isEmpty());
    // A small snapshot is parsed whole, and is lean too.
    const App::RelayFrame small = App::decodeRelayFrame(
        R"({"type":"snapshot","seq":1,"calls":[{"id":"a","state":"incoming"}]})");
    QVERIFY(small.snapshot);
    QVERIFY(small.snapshot->calls.at(0).entry.call.raw.isEmpty());
}

QTEST_GUILESS_MAIN(TstFrameQueue)
#include "tst_framequeue.moc"

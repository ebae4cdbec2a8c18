// App::FrameQueue: frames handed on in order, in passes bounded by the budget.

#include "app/framequeue.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TstFrameQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passStopsOnceTheBudgetIsSpent();
    void aFrameLongerThanTheBudgetRunsWhole();
    void theEventLoopDeliversEveryFrameInOrder();
    void clearDropsWaitingFrames();
    void handlerMayClearTheQueue();
};

namespace {

//! A clock the handler moves: each frame "takes" `cost`.
struct FakeTime
{
    qint64 now = 0;
};

} // namespace

void TstFrameQueue::passStopsOnceTheBudgetIsSpent()
{
    FakeTime time;
    QList<QByteArray> handled;
    App::FrameQueue queue([&](const QByteArray &frame) {
        handled << frame;
        time.now += 3'000'000; // 3 ms each
    });
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return time.now; });
    for (int i = 0; i < 10; ++i)
        queue.push(QByteArray::number(i));
    QCOMPARE(queue.size(), 10);
    // 3, 6, 9 ms: the third frame spends the budget.
    QCOMPARE(queue.drain(), 3);
    QCOMPARE(handled, QList<QByteArray>({ "0"_ba, "1"_ba, "2"_ba }));
    QCOMPARE(queue.size(), 7);
    QCOMPARE(queue.drain(), 3);
    QCOMPARE(queue.drain(), 3);
    QCOMPARE(queue.drain(), 1);
    QVERIFY(queue.isEmpty());
    QCOMPARE(queue.drain(), 0);
}

void TstFrameQueue::aFrameLongerThanTheBudgetRunsWhole()
{
    FakeTime time;
    int handled = 0;
    App::FrameQueue queue([&](const QByteArray &) {
        ++handled;
        time.now += 50'000'000; // a snapshot: 50 ms
    });
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return time.now; });
    queue.push("snapshot"_ba);
    queue.push("event"_ba);
    QCOMPARE(queue.drain(), 1);
    QCOMPARE(handled, 1);
    QCOMPARE(queue.size(), 1);
}

void TstFrameQueue::theEventLoopDeliversEveryFrameInOrder()
{
    FakeTime time;
    QList<QByteArray> handled;
    App::FrameQueue queue([&](const QByteArray &frame) {
        handled << frame;
        time.now += 5'000'000;
    });
    queue.setBudget(8ms); // two frames a pass
    queue.setElapsedSource([&] { return time.now; });
    QList<QByteArray> sent;
    for (int i = 0; i < 25; ++i) {
        sent << "frame " + QByteArray::number(i);
        queue.push(sent.constLast());
    }
    QVERIFY(handled.isEmpty()); // nothing runs inside push()
    QTRY_COMPARE(handled, sent);
    QVERIFY(queue.isEmpty());
}

void TstFrameQueue::clearDropsWaitingFrames()
{
    QList<QByteArray> handled;
    App::FrameQueue queue([&](const QByteArray &frame) { handled << frame; });
    queue.push("a"_ba);
    queue.push("b"_ba);
    queue.clear();
    QVERIFY(queue.isEmpty());
    queue.push("c"_ba);
    QTRY_COMPARE(handled, QList<QByteArray> { "c"_ba });
    // Nothing else arrives later.
    QCoreApplication::processEvents();
    QCOMPARE(handled, QList<QByteArray> { "c"_ba });
}

void TstFrameQueue::handlerMayClearTheQueue()
{
    QList<QByteArray> handled;
    App::FrameQueue *self = nullptr;
    App::FrameQueue queue([&](const QByteArray &frame) {
        handled << frame;
        if (frame == "gap")
            self->clear(); // as RelayConnection gives a connection up
    });
    self = &queue;
    queue.push("1"_ba);
    queue.push("gap"_ba);
    queue.push("3"_ba);
    QCOMPARE(queue.drain(), 2);
    QCOMPARE(handled, QList<QByteArray>({ "1"_ba, "gap"_ba }));
    QVERIFY(queue.isEmpty());
}

QTEST_GUILESS_MAIN(TstFrameQueue)
#include "tst_framequeue.moc"

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
    QStringList handled;
    App::FrameQueue queue([&](const QString &frame) {
        handled << frame;
        time.now += 3'000'000; // 3 ms each
    });
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return time.now; });
    for (int i = 0; i < 10; ++i)
        queue.push(QString::number(i));
    QCOMPARE(queue.size(), 10);
    // 3, 6, 9 ms: the third frame spends the budget.
    QCOMPARE(queue.drain(), 3);
    QCOMPARE(handled, QStringList({ u"0"_s, u"1"_s, u"2"_s }));
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
    App::FrameQueue queue([&](const QString &) {
        ++handled;
        time.now += 50'000'000; // a snapshot: 50 ms
    });
    queue.setBudget(8ms);
    queue.setElapsedSource([&] { return time.now; });
    queue.push(u"snapshot"_s);
    queue.push(u"event"_s);
    QCOMPARE(queue.drain(), 1);
    QCOMPARE(handled, 1);
    QCOMPARE(queue.size(), 1);
}

void TstFrameQueue::theEventLoopDeliversEveryFrameInOrder()
{
    FakeTime time;
    QStringList handled;
    App::FrameQueue queue([&](const QString &frame) {
        handled << frame;
        time.now += 5'000'000;
    });
    queue.setBudget(8ms); // two frames a pass
    queue.setElapsedSource([&] { return time.now; });
    QStringList sent;
    for (int i = 0; i < 25; ++i) {
        sent << u"frame %1"_s.arg(i);
        queue.push(sent.constLast());
    }
    QVERIFY(handled.isEmpty()); // nothing runs inside push()
    QTRY_COMPARE(handled, sent);
    QVERIFY(queue.isEmpty());
}

void TstFrameQueue::clearDropsWaitingFrames()
{
    QStringList handled;
    App::FrameQueue queue([&](const QString &frame) { handled << frame; });
    queue.push(u"a"_s);
    queue.push(u"b"_s);
    queue.clear();
    QVERIFY(queue.isEmpty());
    queue.push(u"c"_s);
    QTRY_COMPARE(handled, QStringList { u"c"_s });
    // Nothing else arrives later.
    QCoreApplication::processEvents();
    QCOMPARE(handled, QStringList { u"c"_s });
}

void TstFrameQueue::handlerMayClearTheQueue()
{
    QStringList handled;
    App::FrameQueue *self = nullptr;
    App::FrameQueue queue([&](const QString &frame) {
        handled << frame;
        if (frame == "gap"_L1)
            self->clear(); // as RelayConnection gives a connection up
    });
    self = &queue;
    queue.push(u"1"_s);
    queue.push(u"gap"_s);
    queue.push(u"3"_s);
    QCOMPARE(queue.drain(), 2);
    QCOMPARE(handled, QStringList({ u"1"_s, u"gap"_s }));
    QVERIFY(queue.isEmpty());
}

QTEST_GUILESS_MAIN(TstFrameQueue)
#include "tst_framequeue.moc"

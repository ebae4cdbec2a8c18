// Tests of Models::CallFilterProxy: the queue's order (ringing calls by wait, longest first;
// then live calls; then ended ones) and its filters, over a CallsModel fed by stream events.

#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "streamfixtures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Models::CallFilterProxy;
using Models::CallsModel;
using Models::CallStore;

namespace {

using Tester = QAbstractItemModelTester;

// The caller names in the proxy's row order.
QStringList callers(const CallFilterProxy &proxy)
{
    QStringList out;
    for (int row = 0; row < proxy.rowCount(); ++row)
        out.append(proxy.index(row, CallsModel::CallerColumn).data().toString());
    return out;
}

//! A queue with every kind of call, seen at the times given (seconds after 09:00:00):
//!   Anna      incoming at 5
//!   Ben       incoming at 0        (longest waiting)
//!   Irina     incoming at 2, phone +7 495 123-45-67, claimed by alice
//!   Lena      answered at 1, established at 3, on hold at 20
//!   Kenji     established (outgoing) at 4
//!   Old       incoming at 0, ended (480) at 6
struct Queue
{
    Relay relay;
    CallStore store;
    CallsModel model { &store };
    CallFilterProxy proxy;

    Queue()
    {
        proxy.setSourceModel(&model);
        feed(at(0), incomingCall(callId(2), Who::user(u"Ben"_s)));
        feed(at(0), incomingCall(callId(6), Who::user(u"Old"_s)));
        feed(at(1), incomingCall(callId(4), Who::user(u"Lena"_s)));
        feed(at(1), callUpdated(callId(4), u"establishing"_s));
        feed(
            at(2), incomingCall(callId(3), Who::phone(u"+7 495 123-45-67"_s, u"Irina Smirnova"_s)));
        store.applyEvent(
            relay.relay(at(2), u"claimed"_s, callId(3), QJsonObject { { "by"_L1, u"alice"_s } }));
        feed(at(3), callUpdated(callId(4), u"established"_s));
        feed(at(4), outgoingCall(callId(5), Who::user(u"Kenji"_s)));
        feed(at(4), callUpdated(callId(5), u"established"_s));
        feed(at(5), incomingCall(callId(1), Who::user(u"Anna"_s)));
        feed(at(6), callDeleted(callId(6), resultInfo(480, 10037)));
        feed(at(20), callUpdated(callId(4), u"hold"_s));
    }

    void feed(const QDateTime &when, const QJsonObject &notification)
    {
        store.applyEvent(relay.notify(when, notification));
    }
};

} // namespace

class TstCallFilterProxy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultOrderIsTheQueue();
    void orderFollowsStateChanges();
    void otherColumnsSortBySortRole();
    void textFilter_data();
    void textFilter();
    void showEnded();
    void endingCallLeavesTheDefaultView();
};

void TstCallFilterProxy::defaultOrderIsTheQueue()
{
    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.proxy.setShowEnded(true);
    q.model.setNow(at(10));

    QCOMPARE(q.proxy.sortColumn(), int(CallsModel::WaitColumn));
    QCOMPARE(q.proxy.sortRole(), int(CallsModel::SortRole));
    // Ringing by wait (Ben 10 s, Irina 8 s, Anna 5 s); then live by duration (Lena since 3,
    // Kenji since 4); then ended.
    QCOMPARE(callers(q.proxy),
        QStringList({ u"Ben"_s, u"Irina Smirnova"_s, u"Anna"_s, u"Lena"_s, u"Kenji"_s, u"Old"_s }));
}

void TstCallFilterProxy::orderFollowsStateChanges()
{
    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.model.setNow(at(10));
    QCOMPARE(callers(q.proxy),
        QStringList({ u"Ben"_s, u"Irina Smirnova"_s, u"Anna"_s, u"Lena"_s, u"Kenji"_s }));

    // Ben is answered: he joins the live calls, the newest of them.
    q.feed(at(11), callUpdated(callId(2), u"establishing"_s));
    q.feed(at(12), callUpdated(callId(2), u"established"_s));
    q.model.setNow(at(13));
    QCOMPARE(callers(q.proxy),
        QStringList({ u"Irina Smirnova"_s, u"Anna"_s, u"Lena"_s, u"Kenji"_s, u"Ben"_s }));

    // A new call rings: it goes after the ringing calls that waited longer.
    q.feed(at(13), incomingCall(callId(7), Who::user(u"Zoe"_s)));
    QCOMPARE(callers(q.proxy),
        QStringList({ u"Irina Smirnova"_s, u"Anna"_s, u"Zoe"_s, u"Lena"_s, u"Kenji"_s, u"Ben"_s }));
}

void TstCallFilterProxy::otherColumnsSortBySortRole()
{
    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.model.setNow(at(10));

    q.proxy.sort(CallsModel::CallerColumn, Qt::AscendingOrder);
    QCOMPARE(callers(q.proxy),
        QStringList({ u"Anna"_s, u"Ben"_s, u"Irina Smirnova"_s, u"Kenji"_s, u"Lena"_s }));
    q.proxy.sort(CallsModel::CallerColumn, Qt::DescendingOrder);
    QCOMPARE(callers(q.proxy).first(), u"Lena"_s);
    // Back to the queue.
    q.proxy.sort(CallsModel::WaitColumn, Qt::AscendingOrder);
    QCOMPARE(callers(q.proxy).first(), u"Ben"_s);
}

void TstCallFilterProxy::textFilter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString()
                           << QStringList { u"Ben"_s, u"Irina Smirnova"_s, u"Anna"_s, u"Lena"_s,
                                  u"Kenji"_s };
    QTest::newRow("name, any case") << u"iRiNa"_s << QStringList { u"Irina Smirnova"_s };
    QTest::newRow("part of a name") << u"en"_s << QStringList { u"Ben"_s, u"Lena"_s, u"Kenji"_s };
    QTest::newRow("number as written") << u"123-45"_s << QStringList { u"Irina Smirnova"_s };
    QTest::newRow("number, digits only") << u"4951234567"_s << QStringList { u"Irina Smirnova"_s };
    QTest::newRow("number, other spacing")
        << u"+7 (495) 1234567"_s << QStringList { u"Irina Smirnova"_s };
    QTest::newRow("state word") << u"on hold"_s << QStringList { u"Lena"_s };
    QTest::newRow("state word, many")
        << u"incoming"_s << QStringList { u"Ben"_s, u"Irina Smirnova"_s, u"Anna"_s };
    QTest::newRow("operator") << u"ALICE"_s << QStringList { u"Irina Smirnova"_s };
    QTest::newRow("surrounding spaces") << u"  kenji "_s << QStringList { u"Kenji"_s };
    QTest::newRow("nothing") << u"zzz"_s << QStringList();
}

void TstCallFilterProxy::textFilter()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);

    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.model.setNow(at(10));

    q.proxy.setText(text);

    QCOMPARE(q.proxy.text(), text.trimmed());
    QCOMPARE(callers(q.proxy), expected);
    q.proxy.setText({});
    QCOMPARE(q.proxy.rowCount(), 5);
}

void TstCallFilterProxy::showEnded()
{
    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.model.setNow(at(10));
    QVERIFY(!q.proxy.showEnded());
    QVERIFY(!callers(q.proxy).contains(u"Old"_s));
    QSignalSpy inserted(&q.proxy, &CallFilterProxy::rowsInserted);

    q.proxy.setShowEnded(true);
    QCOMPARE(callers(q.proxy).last(), u"Old"_s);
    QCOMPARE(inserted.count(), 1);
    // Ended calls match the filter like any other.
    q.proxy.setText(u"(480)"_s);
    QCOMPARE(callers(q.proxy), QStringList({ u"Old"_s }));
    q.proxy.setShowEnded(false);
    QCOMPARE(q.proxy.rowCount(), 0);
}

void TstCallFilterProxy::endingCallLeavesTheDefaultView()
{
    Queue q;
    Tester tester(&q.proxy, Tester::FailureReportingMode::Fatal);
    q.model.setNow(at(10));
    QSignalSpy removed(&q.proxy, &CallFilterProxy::rowsRemoved);

    q.feed(at(11), callDeleted(callId(1), resultInfo(200, 5001)));

    QCOMPARE(removed.count(), 1);
    QVERIFY(!callers(q.proxy).contains(u"Anna"_s));
    QCOMPARE(q.model.rowCount(), 6);
}

QTEST_GUILESS_MAIN(TstCallFilterProxy)
#include "tst_callfilterproxy.moc"

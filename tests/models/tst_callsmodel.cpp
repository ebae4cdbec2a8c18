// Tests of Models::CallsModel, the call queue. Every test that changes the model runs it under
// QAbstractItemModelTester (Fatal), and spies prove that updates are precise: one row inserted,
// one row changed, one row removed, a reset only for a snapshot.

#include "models/callsmodel.h"
#include "models/callstore.h"
#include "streamfixtures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Models::CallsModel;
using Models::CallStore;

namespace {

using Tester = QAbstractItemModelTester;

QVariant cell(const CallsModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role);
}

} // namespace

class TstCallsModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotIsOneReset();
    void incomingCallIsOneInsert();
    void stateChangeIsOneDataChangedOnItsRow();
    void claimIsOneDataChangedOnItsRow();
    void rosterChangeTouchesOnlyFreshness();
    void removalKeepsRowIndexRight();
    void callerTexts_data();
    void callerTexts();
    void stateTexts_data();
    void stateTexts();
    void countdownRoles_data();
    void countdownRoles();
    void liveAndEndedWaitTexts();
    void setNowIsOneDataChangedOverTimeColumns();
    void staleAfterThreshold_data();
    void staleAfterThreshold();
    void handledByAndDirection();
    void ivrShowsWhereTheCallerIsAndWhatTheyPressed();
    void headers();
};

void TstCallsModel::snapshotIsOneReset()
{
    Relay relay;
    for (int i = 1; i <= 3; ++i)
        relay.notify(at(i), incomingCall(callId(i), Who::user(u"Caller %1"_s.arg(i))));
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &CallsModel::modelReset);
    QSignalSpy inserted(&model, &CallsModel::rowsInserted);

    store.applySnapshot(relay.snapshot());

    QCOMPARE(reset.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(callId(3)), 2);
    QCOMPARE(cell(model, 1, CallsModel::CallerColumn), u"Caller 2"_s);
}

void TstCallsModel::incomingCallIsOneInsert()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"First"_s))));
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &CallsModel::rowsInserted);
    QSignalSpy changed(&model, &CallsModel::dataChanged);
    QSignalSpy reset(&model, &CallsModel::modelReset);

    store.applyEvent(relay.notify(at(1), incomingCall(callId(2), Who::user(u"Second"_s))));

    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(cell(model, 1, CallsModel::CallerColumn), u"Second"_s);
    QCOMPARE(cell(model, 1, 0, CallsModel::IdRole).toString(), callId(2));
}

void TstCallsModel::stateChangeIsOneDataChangedOnItsRow()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    for (int i = 1; i <= 3; ++i)
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
    QSignalSpy changed(&model, &CallsModel::dataChanged);
    QSignalSpy inserted(&model, &CallsModel::rowsInserted);

    store.applyEvent(relay.notify(at(5), callUpdated(callId(2), u"establishing"_s)));

    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 1);
    QCOMPARE(bottomRight.row(), 1);
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), CallsModel::ColumnCount - 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(cell(model, 1, CallsModel::StateColumn), u"Connecting"_s);
    QCOMPARE(cell(model, 1, 0, CallsModel::StateRole).toInt(), int(Graph::CallState::Establishing));
}

void TstCallsModel::claimIsOneDataChangedOnItsRow()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    for (int i = 1; i <= 3; ++i)
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
    QSignalSpy changed(&model, &CallsModel::dataChanged);

    store.applyEvent(
        relay.relay(at(5), u"claimed"_s, callId(3), QJsonObject { { "by"_L1, u"alice"_s } }));

    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(cell(model, 2, CallsModel::HandledByColumn), u"alice"_s);
    QCOMPARE(cell(model, 2, 0, CallsModel::ClaimedByRole).toString(), u"alice"_s);
}

void TstCallsModel::rosterChangeTouchesOnlyFreshness()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"C"_s))));
    model.setNow(at(30));
    QCOMPARE(cell(model, 0, CallsModel::FreshnessColumn), u"last event 30 s ago"_s);
    QSignalSpy changed(&model, &CallsModel::dataChanged);

    store.applyEvent(relay.notify(at(20), roster(callId(1), { botParticipant(1) })));

    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft, model.index(0, CallsModel::FreshnessColumn));
    QCOMPARE(bottomRight, model.index(0, CallsModel::FreshnessColumn));
    QCOMPARE(cell(model, 0, CallsModel::FreshnessColumn), u"last event 10 s ago"_s);
}

void TstCallsModel::removalKeepsRowIndexRight()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    for (int i = 1; i <= 5; ++i)
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
    store.applyEvent(relay.notify(at(10), callDeleted(callId(2), resultInfo(480, 10037))));
    QSignalSpy removed(&model, &CallsModel::rowsRemoved);
    QSignalSpy aboutToRemove(&model, &CallsModel::rowsAboutToBeRemoved);

    store.tick(at(10 + 600));

    QTRY_COMPARE(removed.count(), 1);
    QCOMPARE(aboutToRemove.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(callId(2)), -1);
    const int expectedRows[] = { 0, -1, 1, 2, 3 };
    for (int i = 1; i <= 5; ++i) {
        QCOMPARE(model.rowOf(callId(i)), expectedRows[i - 1]);
        if (expectedRows[i - 1] >= 0)
            QCOMPARE(cell(model, expectedRows[i - 1], 0, CallsModel::IdRole).toString(), callId(i));
    }

    // The index stays right for later changes too: the 4th call's state lands on row 2.
    QSignalSpy changed(&model, &CallsModel::dataChanged);
    store.applyEvent(relay.notify(at(700), callUpdated(callId(4), u"establishing"_s)));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(cell(model, 2, CallsModel::StateColumn), u"Connecting"_s);
}

void TstCallsModel::callerTexts_data()
{
    QTest::addColumn<QJsonObject>("notification");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("number");

    QTest::newRow("user") << incomingCall(callId(1), Who::user(u"Irina Smirnova"_s))
                          << u"Irina Smirnova"_s << u"Irina Smirnova"_s << QString();
    QTest::newRow("phone with a name")
        << incomingCall(callId(1), Who::phone(u"+7 495 123-45-67"_s, u"Irina Smirnova"_s))
        << u"Irina Smirnova"_s << u"Irina Smirnova"_s << u"+7 495 123-45-67"_s;
    QTest::newRow("phone without a name")
        << incomingCall(callId(1), Who::phone(u"+1 555 0100"_s)) << u"Unknown +1 555 0100"_s
        << QString() << u"+1 555 0100"_s;
    QTest::newRow("guest") << incomingCall(callId(1), Who::guest(u"Visitor"_s)) << u"Visitor"_s
                           << u"Visitor"_s << QString();
    QTest::newRow("no name, no number")
        << incomingCall(callId(1), Who { u"user"_s, u"oid-1"_s, {} }) << u"Unknown caller"_s
        << QString() << QString();
    QTest::newRow("outgoing: the callee")
        << outgoingCall(callId(1), Who::phone(u"+44 20 7946 0000"_s))
        << u"Unknown +44 20 7946 0000"_s << QString() << u"+44 20 7946 0000"_s;
    QTest::newRow("outgoing: a user called by id")
        << outgoingCall(callId(1), Who { u"user"_s, u"anna@contoso.com"_s, {} })
        << u"anna@contoso.com"_s << QString() << QString();
    QJsonObject group = outgoingCall(callId(1), Who::user(u"Anna"_s));
    QJsonObject data = group.value("resourceData"_L1).toObject();
    data.insert("subject"_L1, u"Ward round"_s);
    group.insert("resourceData"_L1, data);
    QTest::newRow("outgoing with a subject: a group call or a meeting")
        << group << u"Ward round"_s << u"Anna"_s << QString();
}

void TstCallsModel::callerTexts()
{
    QFETCH(QJsonObject, notification);
    QFETCH(QString, display);
    QFETCH(QString, name);
    QFETCH(QString, number);

    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), notification));

    QCOMPARE(cell(model, 0, CallsModel::CallerColumn).toString(), display);
    QCOMPARE(cell(model, 0, 0, CallsModel::CallerNameRole).toString(), name);
    QCOMPARE(cell(model, 0, 0, CallsModel::CallerNumberRole).toString(), number);
    if (!name.isEmpty() && !number.isEmpty())
        QCOMPARE(cell(model, 0, CallsModel::CallerColumn, Qt::ToolTipRole).toString(),
            name + u'\n' + number);
}

void TstCallsModel::stateTexts_data()
{
    QTest::addColumn<QStringList>("states");
    QTest::addColumn<QJsonObject>("result");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("resultCode");

    const QJsonObject none;
    QTest::newRow("incoming") << QStringList() << none << u"Incoming"_s << -1;
    QTest::newRow("establishing") << QStringList { u"establishing"_s } << none << u"Connecting"_s
                                  << -1;
    QTest::newRow("established") << QStringList { u"established"_s } << none << u"Established"_s
                                 << -1;
    QTest::newRow("hold") << QStringList { u"established"_s, u"hold"_s } << none << u"On hold"_s
                          << -1;
    QTest::newRow("transferring") << QStringList { u"established"_s, u"transferring"_s } << none
                                  << u"Transferring"_s << -1;
    QTest::newRow("transferAccepted")
        << QStringList { u"established"_s, u"transferring"_s, u"transferAccepted"_s } << none
        << u"Transfer accepted"_s << -1;
    QTest::newRow("redirecting") << QStringList { u"redirecting"_s } << none << u"Redirecting"_s
                                 << -1;
    QTest::newRow("terminating") << QStringList { u"established"_s, u"terminating"_s } << none
                                 << u"Ending"_s << -1;
    QTest::newRow("terminated 408")
        << QStringList { u"terminated"_s } << resultInfo(408, 1106, u"Acceptance timed out"_s)
        << u"Ended (408)"_s << 408;
    QTest::newRow("terminated 200") << QStringList { u"established"_s, u"terminated"_s }
                                    << resultInfo(200, 5001) << u"Ended (200)"_s << 200;
    QTest::newRow("terminated without result")
        << QStringList { u"terminated"_s } << none << u"Ended"_s << -1;
    QTest::newRow("a future state") << QStringList { u"parked"_s } << none << u"parked"_s << -1;
}

void TstCallsModel::stateTexts()
{
    QFETCH(QStringList, states);
    QFETCH(QJsonObject, result);
    QFETCH(QString, text);
    QFETCH(int, resultCode);

    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"C"_s))));
    for (int i = 0; i < states.size(); ++i) {
        const QString &state = states.at(i);
        const bool last = i == states.size() - 1;
        if (state == "terminated"_L1) {
            store.applyEvent(relay.notify(at(i + 1), callDeleted(callId(1), result)));
        } else {
            store.applyEvent(relay.notify(at(i + 1),
                callUpdated(callId(1), state,
                    last && !result.isEmpty() ? QJsonObject { { "resultInfo"_L1, result } }
                                              : QJsonObject())));
        }
    }

    QCOMPARE(cell(model, 0, CallsModel::StateColumn).toString(), text);
    const QVariant code = cell(model, 0, 0, CallsModel::ResultCodeRole);
    QCOMPARE(code.isValid() ? code.toInt() : -1, resultCode);
    QCOMPARE(cell(model, 0, 0, CallsModel::IsEndedRole).toBool(), states.contains(u"terminated"_s));
}

void TstCallsModel::countdownRoles_data()
{
    QTest::addColumn<int>("deadlineSeconds");
    QTest::addColumn<int>("nowSeconds");
    QTest::addColumn<qint64>("leftMs");
    QTest::addColumn<int>("deadlineAt");
    QTest::addColumn<QString>("wait");

    QTest::newRow("15 s deadline, 11 s in")
        << 15 << 11 << qint64(4000) << 15 << u"11 s · 4 s left"_s;
    QTest::newRow("just seen") << 15 << 0 << qint64(15000) << 15 << u"0 s · 15 s left"_s;
    QTest::newRow("the relay's deadline is sooner")
        << 10 << 8 << qint64(2000) << 10 << u"8 s · 2 s left"_s;
    QTest::newRow("the relay's deadline is later")
        << 20 << 11 << qint64(4000) << 15 << u"11 s · 4 s left"_s;
    QTest::newRow("past the deadline") << 15 << 17 << qint64(0) << 15 << u"17 s · overdue"_s;
}

void TstCallsModel::countdownRoles()
{
    QFETCH(int, deadlineSeconds);
    QFETCH(int, nowSeconds);
    QFETCH(qint64, leftMs);
    QFETCH(int, deadlineAt);
    QFETCH(QString, wait);

    Relay relay;
    CallStore store;
    store.setAnswerDeadline(std::chrono::seconds(deadlineSeconds));
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"C"_s))));
    model.setNow(at(nowSeconds));

    const QModelIndex waitCell = model.index(0, CallsModel::WaitColumn);
    QCOMPARE(waitCell.data(CallsModel::CountdownRole).toLongLong(), leftMs);
    QCOMPARE(waitCell.data(CallsModel::CountdownFractionRole).toDouble(), double(leftMs) / 15000.0);
    QCOMPARE(waitCell.data(CallsModel::DeadlineRole).toDateTime(), at(deadlineAt));
    QCOMPARE(waitCell.data().toString(), wait);
    QCOMPARE(waitCell.data(CallsModel::SortRole).toDouble(), double(nowSeconds));

    // Once answered, nothing counts down.
    store.applyEvent(relay.notify(at(nowSeconds), callUpdated(callId(1), u"establishing"_s)));
    QVERIFY(!waitCell.data(CallsModel::CountdownRole).isValid());
    QVERIFY(!waitCell.data(CallsModel::CountdownFractionRole).isValid());
    QVERIFY(!waitCell.data(CallsModel::DeadlineRole).toDateTime().isValid());
}

void TstCallsModel::liveAndEndedWaitTexts()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"C"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"establishing"_s)));
    store.applyEvent(relay.notify(at(2), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(3), incomingCall(callId(2), Who::user(u"D"_s))));
    store.applyEvent(relay.notify(at(9), callDeleted(callId(2), resultInfo(480, 10037))));

    model.setNow(at(2 + 161));
    QCOMPARE(cell(model, 0, CallsModel::WaitColumn), u"02:41"_s);
    QCOMPARE(cell(model, 0, CallsModel::WaitColumn, CallsModel::SortRole).toDouble(), 161.0);
    model.setNow(at(2 + 3600 + 161));
    QCOMPARE(cell(model, 0, CallsModel::WaitColumn), u"1:02:41"_s);
    QCOMPARE(cell(model, 1, CallsModel::WaitColumn), u"—"_s);
    QVERIFY(!cell(model, 1, 0, CallsModel::WaitSecondsRole).isValid());
}

void TstCallsModel::setNowIsOneDataChangedOverTimeColumns()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    for (int i = 1; i <= 3; ++i)
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
    QSignalSpy changed(&model, &CallsModel::dataChanged);

    model.setNow(at(10));

    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.index(0, CallsModel::WaitColumn));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>(), model.index(2, CallsModel::FreshnessColumn));
    QCOMPARE(CallsModel::FreshnessColumn, CallsModel::WaitColumn + 1);
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    for (const int role : { int(Qt::DisplayRole), int(CallsModel::CountdownRole),
             int(CallsModel::CountdownFractionRole), int(CallsModel::IsStaleRole) })
        QVERIFY2(roles.contains(role), qPrintable(QString::number(role)));
    // The clock moves every wait and every age alike, so no order changes: without SortRole
    // a sorting proxy does not re-sort every row each second.
    QVERIFY(!roles.contains(int(CallsModel::SortRole)));
    QCOMPARE(model.now(), at(10));
}

void TstCallsModel::staleAfterThreshold_data()
{
    QTest::addColumn<int>("thresholdSeconds"); // 0: the default
    QTest::addColumn<int>("ageSeconds");
    QTest::addColumn<bool>("ended");
    QTest::addColumn<bool>("stale");
    QTest::addColumn<QString>("freshness");

    QTest::newRow("default, 4 s") << 0 << 4 << false << false << u"last event 4 s ago"_s;
    QTest::newRow("default, 60 s") << 0 << 60 << false << false << u"last event 1 min ago"_s;
    QTest::newRow("default, 61 s") << 0 << 61 << false << true << u"last event 1 min ago"_s;
    QTest::newRow("10 s, 11 s") << 10 << 11 << false << true << u"last event 11 s ago"_s;
    QTest::newRow("10 s, 9 s") << 10 << 9 << false << false << u"last event 9 s ago"_s;
    QTest::newRow("ended calls are never stale")
        << 10 << 600 << true << false << u"last event 10 min ago"_s;
    QTest::newRow("hours") << 0 << 7300 << false << true << u"last event 2 h ago"_s;
}

void TstCallsModel::staleAfterThreshold()
{
    QFETCH(int, thresholdSeconds);
    QFETCH(int, ageSeconds);
    QFETCH(bool, ended);
    QFETCH(bool, stale);
    QFETCH(QString, freshness);

    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.staleAfter(), std::chrono::seconds(60));
    if (thresholdSeconds > 0)
        model.setStaleAfter(std::chrono::seconds(thresholdSeconds));
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"C"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    if (ended)
        store.applyEvent(relay.notify(at(2), callDeleted(callId(1), resultInfo(200, 5001))));
    const int last = ended ? 2 : 1;
    model.setNow(at(last + ageSeconds));

    QCOMPARE(cell(model, 0, CallsModel::FreshnessColumn, CallsModel::IsStaleRole).toBool(), stale);
    QCOMPARE(cell(model, 0, CallsModel::FreshnessColumn).toString(), freshness);
    QCOMPARE(cell(model, 0, CallsModel::FreshnessColumn, CallsModel::SortRole).toDouble(),
        double(ageSeconds));
}

void TstCallsModel::handledByAndDirection()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(0), incomingCall(callId(2), Who::user(u"B"_s))));
    store.applyEvent(relay.notify(at(0), outgoingCall(callId(3), Who::user(u"C"_s))));
    store.applyEvent(
        relay.relay(at(1), u"policy"_s, callId(2), { { "action"_L1, u"answered"_s } }));
    store.applyEvent(relay.relay(at(1), u"claimed"_s, callId(3), { { "by"_L1, u"alice"_s } }));

    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn), u"—"_s);
    QCOMPARE(cell(model, 1, CallsModel::HandledByColumn), u"relay"_s);
    QCOMPARE(cell(model, 1, 0, CallsModel::HandledByRole).toString(), u"relay"_s);
    QCOMPARE(cell(model, 2, CallsModel::HandledByColumn), u"alice"_s);
    QCOMPARE(cell(model, 0, CallsModel::DirectionColumn), u"In"_s);
    QCOMPARE(cell(model, 2, CallsModel::DirectionColumn), u"Out"_s);
    // A call the relay has handled has no relay deadline any more, but Graph's own 15 s still
    // run until Graph reports the answer.
    model.setNow(at(5));
    QVERIFY(cell(model, 0, 0, CallsModel::CountdownRole).isValid());
    QCOMPARE(cell(model, 1, 0, CallsModel::DeadlineRole).toDateTime(), at(15));
}

void TstCallsModel::ivrShowsWhereTheCallerIsAndWhatTheyPressed()
{
    Relay relay;
    CallStore store;
    CallsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::phone(u"+15550100"_s))));
    store.applyEvent(relay.relay(at(0), u"policy"_s, callId(1),
        { { "action"_L1, u"answered"_s }, { "reason"_L1, u"ivr"_s },
            { "flow"_L1, u"frontdesk"_s } }));
    QVERIFY(cell(model, 0, 0, CallsModel::IvrTextRole).toString().isEmpty());
    const auto ivr = [&](qint64 second, const QString &action, QJsonObject fields) {
        fields.insert("flow"_L1, u"frontdesk"_s);
        fields.insert("action"_L1, action);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        store.applyEvent(relay.relay(at(second), u"ivr"_s, callId(1), fields));
        return changed.size();
    };
    QCOMPARE(ivr(1, u"entered"_s, { { "menu"_L1, u"main"_s } }), 1);
    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn), u"In menu 'main'"_s);
    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn, Qt::ToolTipRole),
        u"In the relay's IVR flow 'frontdesk': In menu 'main'"_s);
    ivr(2, u"digit"_s, { { "menu"_L1, u"main"_s }, { "digit"_L1, u"2"_s } });
    ivr(2, u"entered"_s, { { "menu"_L1, u"billing"_s } });
    ivr(3, u"invalid"_s, { { "menu"_L1, u"billing"_s }, { "digit"_L1, u"7"_s } });
    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn), u"In menu 'billing', pressed 2 7"_s);
    QCOMPARE(
        cell(model, 0, 0, CallsModel::IvrTextRole).toString(), u"In menu 'billing', pressed 2 7"_s);
    QCOMPARE(cell(model, 0, 0, CallsModel::IvrMenuRole).toString(), u"billing"_s);
    QCOMPARE(cell(model, 0, 0, CallsModel::IvrDigitsRole).toString(), u"27"_s);

    // Routed: the call waits for operators, handled by the relay; where it went stays readable.
    ivr(4, u"routed"_s, { { "menu"_L1, u"billing"_s }, { "target"_L1, u"operators"_s } });
    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn), u"relay"_s);
    QCOMPARE(cell(model, 0, 0, CallsModel::IvrTextRole).toString(),
        u"IVR: sent to the operators (pressed 2 7)"_s);

    // An operator takes it over.
    store.applyEvent(relay.relay(at(5), u"claimed"_s, callId(1), { { "by"_L1, u"alice"_s } }));
    ivr(5, u"left"_s, { { "menu"_L1, u"billing"_s }, { "by"_L1, u"alice"_s } });
    QCOMPARE(cell(model, 0, CallsModel::HandledByColumn), u"alice"_s);
    QCOMPARE(cell(model, 0, 0, CallsModel::IvrTextRole).toString(),
        u"IVR: taken over by alice in menu 'billing'"_s);
}

void TstCallsModel::headers()
{
    CallStore store;
    CallsModel model(&store);
    const QStringList expected { u"Caller"_s, u"State"_s, u"Wait"_s, u"Last event"_s,
        u"Handled by"_s, u"Direction"_s };
    QCOMPARE(model.columnCount(), int(expected.size()));
    for (int column = 0; column < model.columnCount(); ++column)
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), expected.at(column));
}

QTEST_GUILESS_MAIN(TstCallsModel)
#include "tst_callsmodel.moc"

// Tests of Models::ParticipantsModel, the roster of the selected call. Roster churn must reach
// the views as precise inserts, removals and changes, under QAbstractItemModelTester (Fatal).

#include "models/callstore.h"
#include "models/participantsmodel.h"
#include "streamfixtures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Models::CallStore;
using Models::ParticipantsModel;

namespace {

using Tester = QAbstractItemModelTester;

Who person(int n)
{
    return Who::user(u"Person %1"_s.arg(n));
}

// The whole roster (no delta rosters): the bot plus `people`, all at roster sequence `seq`.
QJsonObject wholeRoster(
    const QString &call, const QList<int> &people, qint64 seq, const QList<int> &muted = {})
{
    QJsonArray entries { botParticipant(seq) };
    for (const int n : people)
        entries.append(participant(participantId(n), person(n), seq, muted.contains(n)));
    return roster(call, entries);
}

// The model's participant ids, in row order.
QStringList rowIds(const ParticipantsModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(ParticipantsModel::IdRole).toString());
    return ids;
}

// The store's roster, in its order.
QStringList rosterIds(const CallStore &store, const QString &call)
{
    QStringList ids;
    for (const Graph::Participant &p : store.entry(call)->participants)
        ids.append(p.id);
    return ids;
}

QList<int> range(int first, int last)
{
    QList<int> out;
    for (int n = first; n <= last; ++n)
        out.append(n);
    return out;
}

} // namespace

class TstParticipantsModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rosterChurnIsPrecise();
    void scatteredLeavesRemoveEachRun();
    void joinsOneByOneInsertOneRowEach();
    void switchingCallsResets();
    void otherCallsDoNotTouchTheModel();
    void botDetection();
    void textsAndRoles_data();
    void textsAndRoles();
    void endedCallLeavesWithItsRows();
    void snapshotResets();
};

void TstParticipantsModel::rosterChurnIsPrecise()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(2), wholeRoster(callId(1), {}, 1)));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &ParticipantsModel::rowsInserted);
    QSignalSpy removed(&model, &ParticipantsModel::rowsRemoved);
    QSignalSpy changed(&model, &ParticipantsModel::dataChanged);
    QSignalSpy reset(&model, &ParticipantsModel::modelReset);

    // 50 join in one roster update: one insert of 50 rows after the bot.
    store.applyEvent(relay.notify(at(3), wholeRoster(callId(1), range(1, 50), 2)));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 50);
    QCOMPARE(model.rowCount(), 51);
    // The bot's entry came again with a new roster sequence: that row, and only it, changed.
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 0);

    // 10 leave (persons 11..20, rows 11..20): one removal.
    changed.clear();
    QList<int> stay = range(1, 10) + range(21, 50);
    store.applyEvent(relay.notify(at(4), wholeRoster(callId(1), stay, 3)));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 11);
    QCOMPARE(removed.at(0).at(2).toInt(), 20);
    QCOMPARE(model.rowCount(), 41);
    QCOMPARE(rowIds(model), rosterIds(store, callId(1)));
    QCOMPARE(model.rowOf(participantId(21)), 11);
    QCOMPARE(model.rowOf(participantId(15)), -1);

    // One is muted: with delta rosters on, only that participant is sent.
    store.applyEvent(relay.notify(at(5),
        callUpdated(callId(1), u"established"_s,
            { { "callOptions"_L1,
                QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.incomingCallOptions"_s },
                    { "isDeltaRosterEnabled"_L1, true } } } })));
    changed.clear();
    store.applyEvent(relay.notify(
        at(6), roster(callId(1), { participant(participantId(30), person(30), 4, true) })));
    QCOMPARE(changed.count(), 1);
    const int row = model.rowOf(participantId(30));
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), row);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), row);
    QVERIFY(model.index(row, 0).data(ParticipantsModel::IsMutedRole).toBool());
    QCOMPARE(model.index(row, ParticipantsModel::MutedColumn).data().toString(), u"Muted"_s);

    QCOMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(reset.count(), 0);
}

void TstParticipantsModel::scatteredLeavesRemoveEachRun()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), wholeRoster(callId(1), range(1, 10), 1)));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy removed(&model, &ParticipantsModel::rowsRemoved);

    // Persons 2, 3 and 7 leave: rows 2..3 and 7, as two removals (the later one first).
    store.applyEvent(relay.notify(at(2), wholeRoster(callId(1), { 1, 4, 5, 6, 8, 9, 10 }, 2)));

    QCOMPARE(removed.count(), 2);
    QCOMPARE(removed.at(0).at(1).toInt(), 7);
    QCOMPARE(removed.at(0).at(2).toInt(), 7);
    QCOMPARE(removed.at(1).at(1).toInt(), 2);
    QCOMPARE(removed.at(1).at(2).toInt(), 3);
    QCOMPARE(rowIds(model), rosterIds(store, callId(1)));
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOf(rowIds(model).at(row)), row);
}

void TstParticipantsModel::joinsOneByOneInsertOneRowEach()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &ParticipantsModel::rowsInserted);

    for (int n = 1; n <= 5; ++n) {
        // A single participant on .../participants/{pid}, as Graph sends a delta.
        const QJsonObject p = participant(participantId(n), person(n), n);
        store.applyEvent(relay.notify(at(n),
            envelope(
                u"updated"_s, callUrl(callId(1)) + u"/participants/"_s + participantId(n), p)));
    }

    QCOMPARE(inserted.count(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(inserted.at(i).at(1).toInt(), i);
        QCOMPARE(inserted.at(i).at(2).toInt(), i);
    }
    QCOMPARE(rowIds(model), rosterIds(store, callId(1)));
}

void TstParticipantsModel::switchingCallsResets()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), wholeRoster(callId(1), range(1, 3), 1)));
    store.applyEvent(relay.notify(at(2), incomingCall(callId(2), person(9))));
    store.applyEvent(relay.notify(at(3), wholeRoster(callId(2), { 7 }, 1)));
    ParticipantsModel model(&store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &ParticipantsModel::modelReset);
    QCOMPARE(model.rowCount(), 0);

    model.setCallId(callId(1));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    model.setCallId(callId(2));
    QCOMPARE(reset.count(), 2);
    QCOMPARE(rowIds(model), QStringList({ BotParticipant, participantId(7) }));
    QCOMPARE(model.callId(), callId(2));
    model.setCallId({});
    QCOMPARE(model.rowCount(), 0);
}

void TstParticipantsModel::otherCallsDoNotTouchTheModel()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), incomingCall(callId(2), person(9))));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &ParticipantsModel::rowsInserted);
    QSignalSpy changed(&model, &ParticipantsModel::dataChanged);

    store.applyEvent(relay.notify(at(2), wholeRoster(callId(2), range(1, 5), 1)));
    store.applyEvent(relay.notify(at(3), callUpdated(callId(2), u"established"_s)));

    QCOMPARE(inserted.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.rowCount(), 0);

    // The selected call's roster still arrives.
    store.applyEvent(relay.notify(at(4), wholeRoster(callId(1), { 1 }, 1)));
    QCOMPARE(inserted.count(), 1);
}

void TstParticipantsModel::botDetection()
{
    Relay relay;
    CallStore store;
    ParticipantsModel model(&store);
    // Selected before the call exists: its roster fills in when it arrives.
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), wholeRoster(callId(1), { 1, 2 }, 1)));

    QCOMPARE(model.rowCount(), 3);
    QVERIFY(
        model.index(model.rowOf(BotParticipant), 0).data(ParticipantsModel::IsBotRole).toBool());
    QVERIFY(
        !model.index(model.rowOf(participantId(1)), 0).data(ParticipantsModel::IsBotRole).toBool());
    QCOMPARE(model.index(model.rowOf(BotParticipant), ParticipantsModel::KindColumn).data(),
        u"application"_s);
}

void TstParticipantsModel::textsAndRoles_data()
{
    QTest::addColumn<QJsonObject>("entry");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("kindRole");
    QTest::addColumn<QString>("muted");
    QTest::addColumn<QString>("lobby");
    QTest::addColumn<QString>("media");

    QTest::newRow("user") << participant(participantId(1), Who::user(u"Dr. Amelia Koch"_s), 1)
                          << u"Dr. Amelia Koch"_s << u"user"_s
                          << int(Graph::IdentitySet::Kind::User) << u"—"_s << u"—"_s
                          << u"audio sendReceive"_s;
    QTest::newRow("phone, muted") << participant(
        participantId(1), Who::phone(u"+7 495 123-45-67"_s, u"Ирина Смирнова"_s), 1, true)
                                  << u"Ирина Смирнова"_s << u"phone"_s
                                  << int(Graph::IdentitySet::Kind::Phone) << u"Muted"_s << u"—"_s
                                  << u"audio sendReceive"_s;
    QTest::newRow("phone without a name")
        << participant(participantId(1), Who::phone(u"+1 555 0100"_s), 1) << u"+1 555 0100"_s
        << u"phone"_s << int(Graph::IdentitySet::Kind::Phone) << u"—"_s << u"—"_s
        << u"audio sendReceive"_s;
    QTest::newRow("guest in the lobby")
        << participant(participantId(1), Who::guest(u"Visitor"_s), 1, false, true) << u"Visitor"_s
        << u"guest"_s << int(Graph::IdentitySet::Kind::Guest) << u"—"_s << u"In lobby"_s
        << u"audio sendReceive"_s;
    QJsonObject silent = participant(participantId(1), Who::user(u"Quiet"_s), 1);
    silent.insert("mediaStreams"_L1, QJsonArray());
    QTest::newRow("no media") << silent << u"Quiet"_s << u"user"_s
                              << int(Graph::IdentitySet::Kind::User) << u"—"_s << u"—"_s << u"—"_s;
}

void TstParticipantsModel::textsAndRoles()
{
    QFETCH(QJsonObject, entry);
    QFETCH(QString, name);
    QFETCH(QString, kind);
    QFETCH(int, kindRole);
    QFETCH(QString, muted);
    QFETCH(QString, lobby);
    QFETCH(QString, media);

    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(1), roster(callId(1), { entry })));

    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ParticipantsModel::NameColumn).data().toString(), name);
    QCOMPARE(model.index(0, ParticipantsModel::KindColumn).data().toString(), kind);
    QCOMPARE(model.index(0, 0).data(ParticipantsModel::IdentityKindRole).toInt(), kindRole);
    QCOMPARE(model.index(0, ParticipantsModel::MutedColumn).data().toString(), muted);
    QCOMPARE(model.index(0, 0).data(ParticipantsModel::IsMutedRole).toBool(), muted != u"—"_s);
    QCOMPARE(model.index(0, ParticipantsModel::LobbyColumn).data().toString(), lobby);
    QCOMPARE(model.index(0, 0).data(ParticipantsModel::IsInLobbyRole).toBool(), lobby != u"—"_s);
    QCOMPARE(model.index(0, ParticipantsModel::MediaColumn).data().toString(), media);
    QCOMPARE(model.index(0, 0).data(ParticipantsModel::IdRole).toString(), participantId(1));
}

void TstParticipantsModel::endedCallLeavesWithItsRows()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), person(0))));
    store.applyEvent(relay.notify(at(1), wholeRoster(callId(1), range(1, 4), 1)));
    store.applyEvent(relay.notify(at(2), callDeleted(callId(1), resultInfo(200, 5001))));
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy removed(&model, &ParticipantsModel::rowsRemoved);

    store.tick(at(2 + 600));

    QTRY_COMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 4);
    QCOMPARE(model.rowCount(), 0);
}

void TstParticipantsModel::snapshotResets()
{
    Relay relay;
    relay.notify(at(0), incomingCall(callId(1), person(0)));
    relay.notify(at(1), wholeRoster(callId(1), range(1, 6), 1));
    CallStore store;
    ParticipantsModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &ParticipantsModel::modelReset);
    QSignalSpy inserted(&model, &ParticipantsModel::rowsInserted);

    store.applySnapshot(relay.snapshot());

    QCOMPARE(reset.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(rowIds(model), rosterIds(store, callId(1)));
    QCOMPARE(model.rowCount(), 7);
}

QTEST_GUILESS_MAIN(TstParticipantsModel)
#include "tst_participantsmodel.moc"

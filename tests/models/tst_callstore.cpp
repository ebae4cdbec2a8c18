// Tests of Models::CallStore: the console's copy of the relay's state and the source of the
// models' change signals. Events are made as the relay makes them (streamfixtures.h).

#include "graph/ids.h"
#include "models/callstore.h"
#include "streamfixtures.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Models::CallStore;
using Models::TimelineEntry;
using Kind = TimelineEntry::Kind;

namespace {

QList<Kind> kinds(const QList<TimelineEntry> &timeline)
{
    QList<Kind> out;
    for (const TimelineEntry &entry : timeline)
        out.append(entry.kind);
    return out;
}

} // namespace

class TstCallStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotEmitsOneResetPair();
    void incomingCallEmitsCallAdded();
    void stateChangesEmitCallChangedAndTimeline();
    void rosterEmitsParticipantsChanged();
    void toneEmitsToneReceived();
    void operationEmitsOperationUpdated();
    void relayEventsEmitMetaChanged_data();
    void relayEventsEmitMetaChanged();
    void expiredRelayEventEndsTheCall();
    void repeatedEventsEmitNothing();
    void tickEmitsAboutToRemoveThenCallRemoved();
    void expiryGoesInPassesWithinTheBudget();
    void snapshotCancelsPendingExpiry();
    void timelineIsBounded();
    void snapshotKeepsKnownTimelines();
    void answerDeadlinePassesThrough();
    void establishedAtIsWhenTheCallWentLive();
};

void TstCallStore::snapshotEmitsOneResetPair()
{
    Relay relay;
    relay.notify(at(0), incomingCall(callId(1), Who::user(u"Irina Smirnova"_s)));
    relay.notify(at(1), incomingCall(callId(2), Who::phone(u"+15550100"_s)));
    relay.notify(at(2), callUpdated(callId(2), u"establishing"_s));

    CallStore store;
    QStringList order;
    connect(&store, &CallStore::aboutToReset, this,
        [&] { order.append(u"aboutToReset %1"_s.arg(store.ids().size())); });
    connect(&store, &CallStore::reset, this,
        [&] { order.append(u"reset %1"_s.arg(store.ids().size())); });
    QSignalSpy added(&store, &CallStore::callAdded);
    QSignalSpy changed(&store, &CallStore::callChanged);

    store.applySnapshot(relay.snapshot());

    QCOMPARE(order, QStringList({ u"aboutToReset 0"_s, u"reset 2"_s }));
    QCOMPARE(added.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(store.seq(), 3);
    QCOMPARE(store.ids(), QStringList({ callId(1), callId(2) }));
    QCOMPARE(store.entry(callId(2))->call.state.value, Graph::CallState::Establishing);
    QCOMPARE(kinds(store.timeline(callId(1))), QList<Kind>({ Kind::Snapshot }));
}

void TstCallStore::incomingCallEmitsCallAdded()
{
    Relay relay;
    CallStore store;
    QSignalSpy added(&store, &CallStore::callAdded);
    QSignalSpy changed(&store, &CallStore::callChanged);
    QSignalSpy timeline(&store, &CallStore::timelineAppended);
    QSignalSpy seq(&store, &CallStore::seqChanged);

    const auto result = store.applyEvent(
        relay.notify(at(0), incomingCall(callId(1), Who::user(u"Irina Smirnova"_s))));

    QCOMPARE(result.outcome, Graph::ApplyResult::Outcome::Applied);
    QCOMPARE(added.count(), 1);
    QCOMPARE(added.at(0).at(0).toString(), callId(1));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(timeline.count(), 1);
    QCOMPARE(seq.count(), 1);
    QCOMPARE(store.seq(), 1);
    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.at(0).kind, Kind::Created);
    QCOMPARE(entries.at(0).toState.value, Graph::CallState::Incoming);
    QCOMPARE(entries.at(0).at, at(0));
    QCOMPARE(entries.at(0).seq, 1);
}

void TstCallStore::stateChangesEmitCallChangedAndTimeline()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Lena Vogel"_s))));
    QSignalSpy changed(&store, &CallStore::callChanged);
    QSignalSpy meta(&store, &CallStore::metaChanged);

    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"establishing"_s)));
    store.applyEvent(relay.notify(at(2), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(30), callUpdated(callId(1), u"transferring"_s)));
    store.applyEvent(relay.notify(at(35),
        callUpdated(callId(1), u"established"_s,
            { { "resultInfo"_L1, resultInfo(500, 7000, u"Transfer failed"_s) } })));

    QCOMPARE(changed.count(), 4);
    QCOMPARE(meta.count(), 0);
    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(kinds(entries),
        QList<Kind>({ Kind::Created, Kind::StateChanged, Kind::StateChanged, Kind::StateChanged,
            Kind::StateChanged }));
    const TimelineEntry &failed = entries.last();
    QCOMPARE(failed.fromState.value, Graph::CallState::Transferring);
    QCOMPARE(failed.toState.value, Graph::CallState::Established);
    QCOMPARE(failed.resultInfo.code.value_or(-1), 500);
    QCOMPARE(failed.resultInfo.subcode.value_or(-1), 7000);
    QCOMPARE(failed.at, at(35));
}

void TstCallStore::rosterEmitsParticipantsChanged()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    QSignalSpy roster(&store, &CallStore::participantsChanged);

    const Who anna = Who::user(u"Anna"_s);
    const Who ben = Who::phone(u"+4930123456"_s, u"Ben"_s);
    store.applyEvent(relay.notify(at(1),
        Fixtures::roster(callId(1),
            { botParticipant(1), participant(participantId(1), anna, 1),
                participant(participantId(2), ben, 1) })));
    store.applyEvent(relay.notify(at(2),
        Fixtures::roster(
            callId(1), { botParticipant(2), participant(participantId(1), anna, 2, true) })));

    QCOMPARE(roster.count(), 2);
    QCOMPARE(roster.at(0).at(1).toStringList(),
        QStringList({ BotParticipant, participantId(1), participantId(2) }));
    QCOMPARE(roster.at(1).at(2).toStringList(), QStringList({ BotParticipant, participantId(1) }));
    QCOMPARE(roster.at(1).at(3).toStringList(), QStringList({ participantId(2) }));

    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries.at(1).kind, Kind::Roster);
    QCOMPARE(entries.at(1).joined, QStringList({ u"Frontdesk Bot"_s, u"Anna"_s, u"Ben"_s }));
    QCOMPARE(entries.at(2).left, QStringList({ u"Ben"_s }));
    QCOMPARE(entries.at(2).muted, QStringList({ u"Anna"_s }));
    // The bot's roster entry changed only its sequence number: an update, not a mute.
    QCOMPARE(entries.at(2).updated, 1);
}

void TstCallStore::toneEmitsToneReceived()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    QSignalSpy tones(&store, &CallStore::toneReceived);
    QSignalSpy changed(&store, &CallStore::callChanged);

    store.applyEvent(relay.notify(at(2), tone(callId(1), 1, u"tone1"_s)));
    store.applyEvent(relay.notify(at(4), tone(callId(1), 3, u"pound"_s)));
    // Arrives late; its sequenceId puts it in its place.
    store.applyEvent(relay.notify(at(5), tone(callId(1), 2, u"tone2"_s)));
    store.applyEvent(relay.notify(at(6), tone(callId(1), 2, u"tone2"_s))); // a repeat

    QCOMPARE(tones.count(), 3);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(store.tones(callId(1)), u"12#"_s);
    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(entries.size(), 5);
    QCOMPARE(entries.at(4).kind, Kind::Tone);
    QCOMPARE(entries.at(4).tone.value, Graph::Tone::Tone2);
    QCOMPARE(entries.at(3).tone.value, Graph::Tone::Pound);
}

void TstCallStore::operationEmitsOperationUpdated()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    QSignalSpy operations(&store, &CallStore::operationUpdated);
    const QString op = u"0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50"_s;

    store.applyEvent(relay.notify(at(1), operation(callId(1), op, u"running"_s)));
    store.applyEvent(relay.notify(at(4),
        operation(callId(1), op, u"completed"_s,
            resultInfo(200, 0, u"Action completed successfully."_s))));

    QCOMPARE(operations.count(), 2);
    QCOMPARE(operations.at(1).at(1).toString(), op);
    const TimelineEntry last = store.timeline(callId(1)).last();
    QCOMPARE(last.kind, Kind::Operation);
    QCOMPARE(last.operationType, u"playPrompt"_s);
    QCOMPARE(last.operationStatus.value, Graph::OperationStatus::Completed);
    QCOMPARE(last.resultInfo.code.value_or(-1), 200);
}

void TstCallStore::relayEventsEmitMetaChanged_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QJsonObject>("fields");
    QTest::addColumn<QString>("claimedBy");
    QTest::addColumn<QString>("handledBy");
    QTest::addColumn<QString>("who");

    QTest::newRow("claimed") << u"claimed"_s << QJsonObject { { "by"_L1, u"alice"_s } }
                             << u"alice"_s << QString() << u"alice"_s;
    QTest::newRow("policy") << u"policy"_s << QJsonObject { { "action"_L1, u"answered"_s } }
                            << QString() << u"relay"_s << u"answered"_s;
    QTest::newRow("handled") << u"handled"_s << QJsonObject { { "by"_L1, u"bob"_s } } << QString()
                             << u"bob"_s << u"bob"_s;
}

void TstCallStore::relayEventsEmitMetaChanged()
{
    QFETCH(QString, kind);
    QFETCH(QJsonObject, fields);
    QFETCH(QString, claimedBy);
    QFETCH(QString, handledBy);
    QFETCH(QString, who);

    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    QSignalSpy meta(&store, &CallStore::metaChanged);
    QSignalSpy changed(&store, &CallStore::callChanged);

    store.applyEvent(relay.relay(at(3), kind, callId(1), fields));

    QCOMPARE(meta.count(), 1);
    QCOMPARE(meta.at(0).at(0).toString(), callId(1));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(store.meta(callId(1)).claimedBy, claimedBy);
    QCOMPARE(store.meta(callId(1)).handledBy, handledBy);
    const TimelineEntry last = store.timeline(callId(1)).last();
    QCOMPARE(last.kind, Kind::Relay);
    QCOMPARE(last.relayKind, kind);
    QCOMPARE(last.who, who);

    // The same again is no news.
    store.applyEvent(relay.relay(at(4), kind, callId(1), fields));
    QCOMPARE(meta.count(), 1);

    if (kind == "claimed"_L1) {
        store.applyEvent(relay.relay(at(5), u"released"_s, callId(1)));
        QCOMPARE(meta.count(), 2);
        QVERIFY(store.meta(callId(1)).claimedBy.isEmpty());
    }
}

void TstCallStore::expiredRelayEventEndsTheCall()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    QSignalSpy changed(&store, &CallStore::callChanged);
    QSignalSpy meta(&store, &CallStore::metaChanged);

    store.applyEvent(relay.relay(at(90), u"expired"_s, callId(1)));

    QCOMPARE(changed.count(), 1);
    QCOMPARE(meta.count(), 0);
    const Graph::CallEntry *entry = store.entry(callId(1));
    QVERIFY(entry->isEnded());
    QCOMPARE(entry->call.resultInfo.code.value_or(-1), 404);
    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(kinds(entries).mid(2), QList<Kind>({ Kind::StateChanged, Kind::Relay }));
    QCOMPARE(entries.at(2).toState.value, Graph::CallState::Terminated);
    QCOMPARE(entries.at(3).relayKind, u"expired"_s);
}

void TstCallStore::repeatedEventsEmitNothing()
{
    Relay relay;
    CallStore store;
    const auto created = relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s)));
    store.applyEvent(created);
    QSignalSpy added(&store, &CallStore::callAdded);
    QSignalSpy changed(&store, &CallStore::callChanged);
    QSignalSpy timeline(&store, &CallStore::timelineAppended);
    QSignalSpy seq(&store, &CallStore::seqChanged);

    // The same seq again (a resumed stream overlapping): nothing at all.
    QCOMPARE(store.applyEvent(created).outcome, Graph::ApplyResult::Outcome::Duplicate);
    QCOMPARE(seq.count(), 0);
    // Graph repeating itself under a new seq: the seq moves, nothing else.
    QCOMPARE(store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"incoming"_s))).outcome,
        Graph::ApplyResult::Outcome::Duplicate);
    QCOMPARE(seq.count(), 1);
    QCOMPARE(added.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(timeline.count(), 0);
}

void TstCallStore::tickEmitsAboutToRemoveThenCallRemoved()
{
    Relay relay;
    CallStore store(std::chrono::minutes(10));
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(1), incomingCall(callId(2), Who::user(u"Other"_s))));
    store.applyEvent(relay.notify(at(5), callDeleted(callId(1), resultInfo(408, 1106))));

    QStringList seen;
    connect(&store, &CallStore::aboutToRemove, this, [&](const QString &id) {
        seen.append(u"aboutToRemove %1 present=%2"_s.arg(
            Graph::sameId(id, callId(1)) ? u"1"_s : id, store.entry(id) ? u"yes"_s : u"no"_s));
    });
    connect(&store, &CallStore::callRemoved, this, [&](const QString &id) {
        seen.append(u"callRemoved %1 present=%2"_s.arg(
            Graph::sameId(id, callId(1)) ? u"1"_s : id, store.entry(id) ? u"yes"_s : u"no"_s));
    });

    store.tick(at(5 + 599));
    QCOMPARE(store.expiryPending(), 0);
    store.tick(at(5 + 600));
    QCOMPARE(store.expiryPending(), 1);
    QVERIFY(seen.isEmpty()); // it goes in a pass of the event loop
    QTRY_COMPARE(
        seen, QStringList({ u"aboutToRemove 1 present=yes"_s, u"callRemoved 1 present=no"_s }));
    QCOMPARE(store.expiryPending(), 0);
    QCOMPARE(store.ids(), QStringList({ callId(2) }));
    QVERIFY(store.timeline(callId(1)).isEmpty());
    store.tick(at(5 + 3600));
    QCOMPARE(store.expiryPending(), 0);
    QCoreApplication::processEvents();
    QCOMPARE(seen.size(), 2);
}

void TstCallStore::expiryGoesInPassesWithinTheBudget()
{
    Relay relay;
    CallStore store(std::chrono::minutes(10));
    for (int i = 1; i <= 6; ++i) {
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
        store.applyEvent(relay.notify(at(10), callDeleted(callId(i), resultInfo(200, 5001))));
    }
    store.applyEvent(relay.notify(at(11), incomingCall(callId(7), Who::user(u"Live"_s))));
    // Each removal "takes" 3 ms of a 4 ms budget: two go per pass.
    qint64 now = 0;
    store.passBudget()->setElapsedSource([&] { return now; });
    store.passBudget()->setBudget(std::chrono::milliseconds(4));
    int removed = 0;
    connect(&store, &CallStore::callRemoved, this, [&] {
        ++removed;
        now += 3'000'000;
    });
    QList<int> perPass;
    store.tick(at(10 + 600));
    QCOMPARE(store.expiryPending(), 6);
    QCOMPARE(removed, 0);
    while (store.expiryPending() > 0) {
        const int before = removed;
        QCoreApplication::processEvents();
        if (removed > before)
            perPass.append(removed - before);
        now += 1'000'000'000; // the next pass starts a stretch of its own
    }
    QCOMPARE(perPass, QList<int>({ 2, 2, 2 }));
    QCOMPARE(store.ids(), QStringList({ callId(7) }));
}

void TstCallStore::snapshotCancelsPendingExpiry()
{
    Relay relay;
    CallStore store(std::chrono::minutes(10));
    for (int i = 1; i <= 3; ++i) {
        store.applyEvent(relay.notify(at(i), incomingCall(callId(i), Who::user(u"C"_s))));
        store.applyEvent(relay.notify(at(10), callDeleted(callId(i), resultInfo(200, 5001))));
    }
    QSignalSpy removed(&store, &CallStore::callRemoved);
    store.tick(at(10 + 600));
    QCOMPARE(store.expiryPending(), 3);
    // The snapshot after a reconnect has what the relay keeps: the next tick decides again.
    store.applySnapshot(relay.snapshot());
    QCOMPARE(store.expiryPending(), 0);
    QCoreApplication::processEvents();
    QCOMPARE(removed.count(), 0);
    QCOMPARE(store.ids().size(), 3);
    store.tick(at(10 + 600));
    QTRY_COMPARE(removed.count(), 3);
    QVERIFY(store.ids().isEmpty());
}

void TstCallStore::timelineIsBounded()
{
    Relay relay;
    CallStore store;
    store.setTimelineLimit(5);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    const QStringList names { u"tone1"_s, u"tone2"_s, u"tone3"_s, u"tone4"_s, u"tone5"_s,
        u"tone6"_s };
    for (int i = 0; i < names.size(); ++i)
        store.applyEvent(relay.notify(at(2 + i), tone(callId(1), i + 1, names.at(i))));

    const QList<TimelineEntry> entries = store.timeline(callId(1));
    QCOMPARE(entries.size(), 5);
    QCOMPARE(entries.first().tone.value, Graph::Tone::Tone2);
    QCOMPARE(entries.last().tone.value, Graph::Tone::Tone6);
}

void TstCallStore::snapshotKeepsKnownTimelines()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(1), incomingCall(callId(2), Who::user(u"Other"_s))));
    // The console misses these two; the snapshot after the reconnect carries their result.
    relay.notify(at(2), callUpdated(callId(1), u"established"_s));
    relay.notify(at(3), incomingCall(callId(3), Who::user(u"New"_s)));

    store.applySnapshot(relay.snapshot());

    QCOMPARE(kinds(store.timeline(callId(1))), QList<Kind>({ Kind::Created, Kind::Snapshot }));
    QCOMPARE(store.timeline(callId(1)).last().toState.value, Graph::CallState::Established);
    QCOMPARE(kinds(store.timeline(callId(2))), QList<Kind>({ Kind::Created }));
    QCOMPARE(kinds(store.timeline(callId(3))), QList<Kind>({ Kind::Snapshot }));
    QCOMPARE(store.seq(), relay.seq());
}

void TstCallStore::answerDeadlinePassesThrough()
{
    Relay relay;
    CallStore store;
    QCOMPARE(store.answerDeadline(), std::chrono::seconds(15));
    store.setAnswerDeadline(std::chrono::seconds(10));
    QCOMPARE(store.answerDeadline(), std::chrono::seconds(10));
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    QCOMPARE(store.meta(callId(1)).answerDeadline, at(10));
    // Answered: nothing is due any more.
    store.applyEvent(relay.notify(at(3), callUpdated(callId(1), u"establishing"_s)));
    QVERIFY(!store.meta(callId(1)).answerDeadline.isValid());
}

void TstCallStore::establishedAtIsWhenTheCallWentLive()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"Caller"_s))));
    store.applyEvent(relay.notify(at(2), callUpdated(callId(1), u"establishing"_s)));
    QVERIFY(!store.establishedAt(callId(1)).isValid());
    store.applyEvent(relay.notify(at(4), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(40), callUpdated(callId(1), u"hold"_s)));
    store.applyEvent(relay.notify(at(50), callUpdated(callId(1), u"established"_s)));
    QCOMPARE(store.establishedAt(callId(1)), at(4));
}

QTEST_GUILESS_MAIN(TstCallStore)
#include "tst_callstore.moc"

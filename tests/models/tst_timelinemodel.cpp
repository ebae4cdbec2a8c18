// Tests of Models::TimelineModel, the selected call's history for the detail pane: one text per
// kind of entry, rows appended as events arrive, and the DTMF tones the call received.

#include "models/callstore.h"
#include "models/timelinemodel.h"
#include "streamfixtures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Models::CallStore;
using Models::TimelineEntry;
using Models::TimelineModel;

namespace {

using Tester = QAbstractItemModelTester;
using Events = QList<Graph::RelayProtocol::StreamEvent>;

QStringList texts(const TimelineModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.index(row).data().toString());
    return out;
}

const QString PromptOp = u"0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50"_s;

} // namespace

class TstTimelineModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entryTexts_data();
    void entryTexts();
    void snapshotEntry();
    void appendsOneRowPerEntry();
    void tones();
    void boundedTimelineDropsTheOldest();
    void switchingCallsResets();
    void removedCallEmptiesTheModel();
};

void TstTimelineModel::entryTexts_data()
{
    QTest::addColumn<Events>("events");
    QTest::addColumn<QString>("text"); // of the last row
    QTest::addColumn<int>("kind");

    const auto incoming = [](Relay &relay) {
        return relay.notify(at(0), incomingCall(callId(1), Who::user(u"Irina Smirnova"_s)));
    };
    const auto established = [](Relay &relay, qint64 when) {
        return relay.notify(at(when), callUpdated(callId(1), u"established"_s));
    };
    const int created = int(TimelineEntry::Kind::Created);
    const int stateChanged = int(TimelineEntry::Kind::StateChanged);
    const int rosterKind = int(TimelineEntry::Kind::Roster);
    const int relayKind = int(TimelineEntry::Kind::Relay);

    {
        Relay relay;
        QTest::newRow("created") << Events { incoming(relay) }
                                 << u"09:00:00 Call appeared: Incoming"_s << created;
    }
    {
        Relay relay;
        QTest::newRow("state change") << Events { incoming(relay),
            relay.notify(at(2), callUpdated(callId(1), u"establishing"_s)) }
                                      << u"09:00:02 Incoming → Connecting"_s << stateChanged;
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.notify(at(60), callUpdated(callId(1), u"transferring"_s)),
            relay.notify(at(67),
                callUpdated(callId(1), u"established"_s,
                    { { "resultInfo"_L1, resultInfo(500, 7000, u"Transfer failed"_s) } })) };
        QTest::newRow("failed transfer")
            << events << u"09:01:07 Transferring → Established (500/7000 Transfer failed)"_s
            << stateChanged;
    }
    {
        Relay relay;
        QTest::newRow("ended") << Events { incoming(relay),
            relay.notify(at(15), callDeleted(callId(1), resultInfo(408, 1106))) }
                               << u"09:00:15 Incoming → Ended (408/1106)"_s << stateChanged;
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.notify(at(3),
                roster(callId(1),
                    { botParticipant(1),
                        participant(participantId(1), Who::user(u"Dr. Amelia Koch"_s), 1) })) };
        QTest::newRow("joined") << events << u"09:00:03 2 joined: Frontdesk Bot, Dr. Amelia Koch"_s
                                << rosterKind;
    }
    {
        Relay relay;
        QJsonArray many { botParticipant(1) };
        for (int n = 1; n <= 6; ++n)
            many.append(participant(participantId(n), Who::user(u"P%1"_s.arg(n)), 1));
        Events events { incoming(relay), relay.notify(at(3), roster(callId(1), many)) };
        QTest::newRow("many joined")
            << events << u"09:00:03 7 joined: Frontdesk Bot, P1, P2 and 4 more"_s << rosterKind;
    }
    {
        Relay relay;
        const QJsonObject koch = participant(participantId(1), Who::user(u"Dr. Amelia Koch"_s), 1);
        Events events { incoming(relay),
            relay.notify(at(3), roster(callId(1), { botParticipant(1), koch })),
            relay.notify(at(9), roster(callId(1), { botParticipant(2) })) };
        QTest::newRow("left") << events
                              << u"09:00:09 1 left: Dr. Amelia Koch; 1 participant(s) updated"_s
                              << rosterKind;
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.notify(at(3),
                roster(
                    callId(1), { participant(participantId(1), Who::phone(u"+1 555 0100"_s), 1) })),
            relay.notify(at(5),
                roster(callId(1),
                    { participant(participantId(1), Who::phone(u"+1 555 0100"_s), 2, true) })) };
        QTest::newRow("muted") << events << u"09:00:05 muted: +1 555 0100"_s << rosterKind;
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.notify(at(4), tone(callId(1), 1, u"pound"_s)) };
        QTest::newRow("tone") << events << u"09:00:04 Tone #"_s << int(TimelineEntry::Kind::Tone);
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.notify(at(2), operation(callId(1), PromptOp, u"running"_s)) };
        QTest::newRow("operation running")
            << events << u"09:00:02 playPrompt running"_s << int(TimelineEntry::Kind::Operation);
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.notify(at(8),
                operation(callId(1), PromptOp, u"completed"_s,
                    resultInfo(200, 0, u"Action completed successfully."_s))) };
        QTest::newRow("operation completed")
            << events << u"09:00:08 playPrompt completed (200/0 Action completed successfully.)"_s
            << int(TimelineEntry::Kind::Operation);
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.relay(at(2), u"claimed"_s, callId(1), { { "by"_L1, u"alice"_s } }) };
        QTest::newRow("claimed") << events << u"09:00:02 Claimed by alice"_s << relayKind;
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.relay(at(2), u"claimed"_s, callId(1), { { "by"_L1, u"alice"_s } }),
            relay.relay(at(3), u"released"_s, callId(1)) };
        QTest::newRow("released") << events << u"09:00:03 Claim released"_s << relayKind;
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.relay(at(10), u"policy"_s, callId(1), { { "action"_L1, u"answered"_s } }) };
        QTest::newRow("policy") << events << u"09:00:10 Relay policy: answered and put on hold"_s
                                << relayKind;
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.relay(at(0), u"policy"_s, callId(1),
                { { "action"_L1, u"answered"_s }, { "reason"_L1, u"ivr"_s },
                    { "flow"_L1, u"frontdesk"_s } }) };
        QTest::newRow("policy ivr")
            << events << u"09:00:00 Relay policy: answered into the IVR flow 'frontdesk'"_s
            << relayKind;
    }
    {
        Relay relay;
        Events events { incoming(relay),
            relay.relay(at(4), u"handled"_s, callId(1), { { "by"_L1, u"bob"_s } }) };
        QTest::newRow("handled") << events << u"09:00:04 Handled by bob"_s << relayKind;
    }
    {
        Relay relay;
        Events events { incoming(relay), established(relay, 1),
            relay.relay(at(95), u"expired"_s, callId(1)) };
        QTest::newRow("expired") << events
                                 << u"09:01:35 Gone from Graph: the relay ended the call"_s
                                 << relayKind;
    }
    const auto ivr = [](const QString &action, const QJsonObject &more) {
        QJsonObject fields { { "flow"_L1, u"frontdesk"_s }, { "action"_L1, action },
            { "menu"_L1, u"main"_s } };
        for (auto it = more.begin(); it != more.end(); ++it)
            fields.insert(it.key(), it.value());
        return fields;
    };
    const struct
    {
        const char *name;
        QString action;
        QJsonObject more;
        QString text;
    } ivrRows[] = {
        { "ivr entered", u"entered"_s, {}, u"IVR: in menu 'main'"_s },
        { "ivr digit", u"digit"_s, { { "digit"_L1, u"1"_s } }, u"IVR: pressed 1 in menu 'main'"_s },
        { "ivr invalid", u"invalid"_s, { { "digit"_L1, u"7"_s } },
            u"IVR: pressed 7, not a choice in menu 'main'"_s },
        { "ivr timeout", u"timeout"_s, {}, u"IVR: no key pressed in menu 'main'"_s },
        { "ivr routed to operators", u"routed"_s, { { "target"_L1, u"operators"_s } },
            u"IVR: sent to the operators' queue"_s },
        { "ivr transferred", u"routed"_s, { { "target"_L1, u"+15550100"_s } },
            u"IVR: transferred to +15550100"_s },
        { "ivr recorded", u"recorded"_s,
            { { "recordingLocation"_L1, u"https://media.example.org/rec/1"_s } },
            u"IVR: message recorded at https://media.example.org/rec/1"_s },
        { "ivr left", u"left"_s, { { "by"_L1, u"alice"_s } },
            u"IVR: taken out of the flow by alice"_s },
    };
    for (const auto &row : ivrRows) {
        Relay relay;
        // "entered" first: a timeout alone changes nothing in the call, and is still shown.
        Events events { incoming(relay), established(relay, 1),
            relay.relay(at(3), u"ivr"_s, callId(1), ivr(u"entered"_s, {})),
            relay.relay(at(6), u"ivr"_s, callId(1), ivr(row.action, row.more)) };
        QTest::newRow(row.name) << events << u"09:00:06 "_s + row.text << relayKind;
    }
}

void TstTimelineModel::entryTexts()
{
    QFETCH(Events, events);
    QFETCH(QString, text);
    QFETCH(int, kind);

    CallStore store;
    TimelineModel model(&store);
    model.setTimeZone(QTimeZone::utc());
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    for (const auto &event : std::as_const(events))
        store.applyEvent(event);

    QVERIFY(model.rowCount() > 0);
    const QModelIndex last = model.index(model.rowCount() - 1);
    QCOMPARE(last.data().toString(), text);
    QCOMPARE(last.data(TimelineModel::KindRole).toInt(), kind);
    QCOMPARE(last.data(TimelineModel::DescriptionRole).toString(), text.mid(9));
    QCOMPARE(last.data(TimelineModel::AtRole).toDateTime().toString(u"HH:mm:ss"_s), text.left(8));
}

void TstTimelineModel::snapshotEntry()
{
    Relay relay;
    relay.notify(at(0), incomingCall(callId(1), Who::user(u"Irina Smirnova"_s)));
    relay.notify(at(4), callUpdated(callId(1), u"established"_s));
    CallStore store;
    TimelineModel model(&store);
    model.setTimeZone(QTimeZone::utc());
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &TimelineModel::modelReset);

    store.applySnapshot(relay.snapshot());

    QCOMPARE(reset.count(), 1);
    QCOMPARE(texts(model), QStringList({ u"09:00:04 Resynchronised: Established"_s }));
    QCOMPARE(model.index(0).data(TimelineModel::ToStateRole).toInt(),
        int(Graph::CallState::Established));
}

void TstTimelineModel::appendsOneRowPerEntry()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(0), incomingCall(callId(2), Who::user(u"B"_s))));
    TimelineModel model(&store);
    model.setTimeZone(QTimeZone::utc());
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &TimelineModel::rowsInserted);
    QSignalSpy removed(&model, &TimelineModel::rowsRemoved);

    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"establishing"_s)));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(2), u"establishing"_s)));
    store.applyEvent(relay.notify(at(2), callUpdated(callId(1), u"established"_s)));

    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(1).at(1).toInt(), 2);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(texts(model),
        QStringList({ u"09:00:00 Call appeared: Incoming"_s, u"09:00:01 Incoming → Connecting"_s,
            u"09:00:02 Connecting → Established"_s }));
    QCOMPARE(model.index(2).data(TimelineModel::FromStateRole).toInt(),
        int(Graph::CallState::Establishing));
    QCOMPARE(model.index(2).data(TimelineModel::SeqRole).toLongLong(), 5);
}

void TstTimelineModel::tones()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(2), tone(callId(1), 1, u"tone1"_s)));
    TimelineModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.tones(), u"1"_s);
    QSignalSpy tonesChanged(&model, &TimelineModel::tonesChanged);
    QSignalSpy changed(&model, &TimelineModel::dataChanged);

    store.applyEvent(relay.notify(at(3), tone(callId(1), 3, u"pound"_s)));
    store.applyEvent(relay.notify(at(4), tone(callId(1), 2, u"tone2"_s))); // late, goes before #

    QCOMPARE(model.tones(), u"12#"_s);
    QCOMPARE(tonesChanged.count(), 2);
    QCOMPARE(tonesChanged.last().at(0).toString(), u"12#"_s);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.last().at(2).value<QList<int>>(), QList<int>({ TimelineModel::TonesRole }));
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.index(row).data(TimelineModel::TonesRole).toString(), u"12#"_s);
    QCOMPARE(model.index(model.rowCount() - 1).data(TimelineModel::DescriptionRole).toString(),
        u"Tone 2"_s);
}

void TstTimelineModel::boundedTimelineDropsTheOldest()
{
    Relay relay;
    CallStore store;
    store.setTimelineLimit(3);
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    TimelineModel model(&store);
    model.setTimeZone(QTimeZone::utc());
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    store.applyEvent(relay.notify(at(2), tone(callId(1), 1, u"tone1"_s)));
    QCOMPARE(model.rowCount(), 3);
    QSignalSpy inserted(&model, &TimelineModel::rowsInserted);
    QSignalSpy removed(&model, &TimelineModel::rowsRemoved);

    store.applyEvent(relay.notify(at(3), tone(callId(1), 2, u"tone2"_s)));

    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(texts(model),
        QStringList(
            { u"09:00:01 Incoming → Established"_s, u"09:00:02 Tone 1"_s, u"09:00:03 Tone 2"_s }));
    QCOMPARE(store.timeline(callId(1)).size(), 3);
}

void TstTimelineModel::switchingCallsResets()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(1), incomingCall(callId(2), Who::user(u"B"_s))));
    store.applyEvent(relay.notify(at(2), callUpdated(callId(2), u"established"_s)));
    store.applyEvent(relay.notify(at(3), tone(callId(2), 1, u"star"_s)));
    TimelineModel model(&store);
    model.setTimeZone(QTimeZone::utc());
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &TimelineModel::modelReset);
    QSignalSpy tonesChanged(&model, &TimelineModel::tonesChanged);

    model.setCallId(callId(1));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.tones(), QString());
    model.setCallId(callId(2));
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.tones(), u"*"_s);
    QCOMPARE(tonesChanged.count(), 1);
    QCOMPARE(model.callId(), callId(2));
}

void TstTimelineModel::removedCallEmptiesTheModel()
{
    Relay relay;
    CallStore store;
    store.applyEvent(relay.notify(at(0), incomingCall(callId(1), Who::user(u"A"_s))));
    store.applyEvent(relay.notify(at(1), callUpdated(callId(1), u"established"_s)));
    store.applyEvent(relay.notify(at(2), tone(callId(1), 1, u"tone5"_s)));
    store.applyEvent(relay.notify(at(3), callDeleted(callId(1), resultInfo(200, 5001))));
    TimelineModel model(&store);
    model.setCallId(callId(1));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 4);
    QSignalSpy removed(&model, &TimelineModel::rowsRemoved);

    store.tick(at(3 + 600));

    QTRY_COMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 3);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.tones(), QString());
}

QTEST_GUILESS_MAIN(TstTimelineModel)
#include "tst_timelinemodel.moc"

// CallBook::Memory::Lean, the console's way of keeping calls: the same outcomes and the same
// decoded state as Memory::Full for the same notifications, without the JSON trees.

#include "../models/streamfixtures.h"
#include "graph/callbook.h"
#include "graph/codec.h"
#include "graph/relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Fixtures;
using Graph::ApplyResult;
using Graph::CallBook;
using Graph::CallBookChange;
using Graph::CallEntry;

namespace {

Graph::CommsNotification notification(const QJsonObject &envelope)
{
    const auto decoded = Graph::decodeNotification(throughText(envelope));
    if (!decoded)
        qFatal("a fixture did not decode: %s", qPrintable(decoded.error->toString()));
    return decoded.value;
}

//! An entry as Lean keeps it, whichever way it was kept: comparable field by field.
CallEntry leanCopy(CallEntry entry)
{
    CallBook::makeLean(entry);
    entry.callJson.clear();
    return entry;
}

bool sameEntry(const CallEntry &a, const CallEntry &b)
{
    const CallEntry x = leanCopy(a);
    const CallEntry y = leanCopy(b);
    // Call has no operator== (most of its members are plain data); encode() writes every
    // modelled field, and with the JSON dropped nothing else.
    return Graph::encode(x.call) == Graph::encode(y.call) && x.participants == y.participants
        && x.tones.size() == y.tones.size() && x.firstSeenAt == y.firstSeenAt
        && x.lastEventAt == y.lastEventAt && x.endedAt == y.endedAt
        && x.rosterSequence == y.rosterSequence;
}

QString describe(const QList<CallBookChange> &changes)
{
    QStringList out;
    for (const CallBookChange &c : changes) {
        out << u"%1:%2 +[%3] ~[%4] -[%5]"_s.arg(int(c.kind))
                   .arg(c.callId, c.added.join(u','), c.changed.join(u','), c.removed.join(u','));
    }
    return out.join(u"; "_s);
}

bool noJsonLeft(const CallEntry &entry)
{
    if (!entry.call.raw.isEmpty() || (entry.call.source && !entry.call.source->raw.isEmpty()))
        return false;
    for (const Graph::Participant &p : entry.participants) {
        if (!p.raw.isEmpty() || !p.info.raw.isEmpty() || !p.info.identity.raw.isEmpty())
            return false;
        for (const auto &member : p.info.identity.members()) {
            if (!member.second.raw.isEmpty())
                return false;
        }
        for (const Graph::MediaStream &stream : p.mediaStreams) {
            if (!stream.raw.isEmpty())
                return false;
        }
    }
    for (const Graph::ToneInfo &tone : entry.tones) {
        if (!tone.raw.isEmpty())
            return false;
    }
    return true;
}

//! A call's life with every kind of notification, duplicates and reordering included.
QList<QJsonObject> story()
{
    const QString call = callId(1);
    const Who caller = Who::phone(u"+4930123456"_s, u"Lena Vogel"_s);
    QJsonObject withUnknown = callUpdated(call, u"established"_s);
    QJsonObject data = withUnknown.value("resourceData"_L1).toObject();
    data.insert("futureField"_L1, QJsonObject { { "kept"_L1, true } });
    withUnknown.insert("resourceData"_L1, data);
    const auto person = [](int n, qint64 sequence, bool muted = false) {
        return participant(participantId(n), Who::user(u"Person %1"_s.arg(n)), sequence, muted);
    };
    return {
        incomingCall(call, caller),
        incomingCall(call, caller), // duplicate
        callUpdated(call, u"establishing"_s),
        withUnknown,
        callUpdated(call, u"establishing"_s), // reordered: stale
        roster(call, { botParticipant(1), person(2, 1) }),
        roster(call, { botParticipant(1), person(2, 1) }), // the same roster again
        roster(call, { botParticipant(1), person(2, 2, true), person(3, 2) }), // mute, join
        roster(call, { botParticipant(1), person(2, 1) }), // older: stale
        roster(call, { botParticipant(1), person(3, 3) }), // 2 left
        tone(call, 2, u"tone2"_s),
        tone(call, 1, u"tone1"_s),
        tone(call, 2, u"tone2"_s), // repeated
        operation(call, u"op-1"_s, u"running"_s),
        operation(call, u"op-1"_s, u"completed"_s, resultInfo(200, 0)),
        callUpdated(call, u"terminating"_s),
        callDeleted(call, resultInfo(200, 0, u"hung up"_s)),
    };
}

} // namespace

class TstCallBookLean : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameOutcomesAndStateAsFull();
    void keepsNoJsonTreeButTheCallsText();
    void unknownCallFieldsSurviveLaterUpdates();
    void resetMakesEntriesLean();
    void leanSnapshotDecodesToTheSameState();
    void entryStampedAsAppliedIsNotDecodedAgain();
    void entryStampedAnewIsComparedFieldByField();
};

void TstCallBookLean::sameOutcomesAndStateAsFull()
{
    CallBook full;
    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    const QList<QJsonObject> events = story();
    for (qsizetype i = 0; i < events.size(); ++i) {
        const Graph::CommsNotification n = notification(events.at(i));
        const ApplyResult a = full.apply(n, at(i));
        const ApplyResult b = lean.apply(n, at(i));
        QVERIFY2(a.outcome == b.outcome, qPrintable(u"event %1"_s.arg(i)));
        QCOMPARE(describe(b.changes), describe(a.changes));
        for (qsizetype c = 0; c < a.changes.size(); ++c) {
            QCOMPARE(b.changes.at(c).before.size(), a.changes.at(c).before.size());
            QCOMPARE(b.changes.at(c).after.size(), a.changes.at(c).after.size());
        }
        QCOMPARE(lean.ids(), full.ids());
        for (const QString &id : full.ids())
            QVERIFY2(sameEntry(*full.find(id), *lean.find(id)), qPrintable(u"event %1"_s.arg(i)));
    }
    QCOMPARE(lean.find(callId(1))->tones.size(), 2);
    QVERIFY(lean.find(callId(1))->isEnded());
}

void TstCallBookLean::keepsNoJsonTreeButTheCallsText()
{
    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    const QList<QJsonObject> events = story();
    for (qsizetype i = 0; i < 12; ++i) // up to the tones; the call is established
        lean.apply(notification(events.at(i)), at(i));
    const CallEntry *entry = lean.find(callId(1));
    QVERIFY(entry);
    QCOMPARE(entry->participants.size(), 2);
    QVERIFY(noJsonLeft(*entry));
    const QJsonObject text = QJsonDocument::fromJson(entry->callJson).object();
    QCOMPARE(text.value("state"_L1).toString(), u"established"_s);
    QCOMPARE(text.value("id"_L1).toString(), callId(1));
    QVERIFY(text.contains("source"_L1));
}

void TstCallBookLean::unknownCallFieldsSurviveLaterUpdates()
{
    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    const QList<QJsonObject> events = story();
    for (qsizetype i = 0; i < 4; ++i) // the update with futureField
        lean.apply(notification(events.at(i)), at(i));
    // A later update merges into the stored text; the unknown field is still there.
    const ApplyResult r =
        lean.apply(notification(callUpdated(callId(1), u"transferring"_s)), at(10));
    QCOMPARE(r.outcome, ApplyResult::Outcome::Applied);
    const CallEntry *entry = lean.find(callId(1));
    QCOMPARE(entry->call.state, Graph::CallState::Transferring);
    const QJsonObject text = QJsonDocument::fromJson(entry->callJson).object();
    QCOMPARE(text.value("futureField"_L1).toObject().value("kept"_L1).toBool(), true);
    QCOMPARE(text.value("state"_L1).toString(), u"transferring"_s);
    QVERIFY(entry->call.raw.isEmpty());
    // And the same update again is no news.
    QCOMPARE(lean.apply(notification(callUpdated(callId(1), u"transferring"_s)), at(11)).outcome,
        ApplyResult::Outcome::Duplicate);
}

void TstCallBookLean::resetMakesEntriesLean()
{
    CallBook full;
    const QList<QJsonObject> events = story();
    for (qsizetype i = 0; i < 12; ++i)
        full.apply(notification(events.at(i)), at(i));
    QList<CallEntry> entries;
    for (const QString &id : full.ids())
        entries.append(*full.find(id));
    QVERIFY(!entries.constFirst().call.raw.isEmpty());

    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    lean.reset(entries);
    const CallEntry *entry = lean.find(callId(1));
    QVERIFY(entry);
    QVERIFY(noJsonLeft(*entry));
    QVERIFY(sameEntry(*entry, *full.find(callId(1))));
    // The next roster with the same people is no news, field by field.
    const auto person3 = participant(participantId(3), Who::user(u"Person 3"_s), 3);
    QCOMPARE(
        lean.apply(notification(roster(callId(1), { botParticipant(1), person3 })), at(20)).outcome,
        ApplyResult::Outcome::Duplicate);
}

void TstCallBookLean::leanSnapshotDecodesToTheSameState()
{
    Relay relay;
    const QList<QJsonObject> events = story();
    for (qsizetype i = 0; i < 12; ++i)
        relay.notify(at(i), events.at(i));
    // The relay's snapshot as the wire carries it (Relay::snapshot() went through text once).
    const QJsonObject wire = throughText(Graph::RelayProtocol::encodeSnapshot(relay.snapshot()));
    const auto full = Graph::RelayProtocol::decodeSnapshot(wire);
    const auto lean = Graph::RelayProtocol::decodeSnapshot(wire, CallBook::Memory::Lean);
    QVERIFY(full && lean);
    QCOMPARE(lean->calls.size(), full->calls.size());
    QCOMPARE(lean->seq, full->seq);
    const CallEntry &entry = lean->calls.constFirst().entry;
    QVERIFY(noJsonLeft(entry));
    QVERIFY(!entry.callJson.isEmpty());
    QVERIFY(sameEntry(entry, full->calls.constFirst().entry));
    QCOMPARE(lean->calls.constFirst().meta.firstSeenAt, full->calls.constFirst().meta.firstSeenAt);
}

void TstCallBookLean::entryStampedAsAppliedIsNotDecodedAgain()
{
    // Graph stamps a participant with the roster in which it last changed, so Lean takes the
    // stamp's word for it; Full compares the JSON. (A Graph that changed a participant without
    // a new stamp would break its own contract.)
    CallBook full;
    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    const Who who = Who::user(u"Person 2"_s);
    const auto first = notification(
        roster(callId(1), { botParticipant(1), participant(participantId(2), who, 1) }));
    const auto restamped = notification(roster(
        callId(1), { botParticipant(1), participant(participantId(2), who, 1, /*muted*/ true) }));
    full.apply(first, at(0));
    lean.apply(first, at(0));
    QCOMPARE(full.apply(restamped, at(1)).outcome, ApplyResult::Outcome::Applied);
    QCOMPARE(lean.apply(restamped, at(1)).outcome, ApplyResult::Outcome::Duplicate);
    QCOMPARE(lean.find(callId(1))->participants.at(1).isMuted, false);
}

void TstCallBookLean::entryStampedAnewIsComparedFieldByField()
{
    // The sandbox stamps everyone in a whole roster with the roster's number: the same person
    // under a new stamp is decoded and compared field by field, as Full compares the JSON.
    CallBook lean;
    lean.setMemory(CallBook::Memory::Lean);
    const Who who = Who::user(u"Person 2"_s);
    lean.apply(notification(
                   roster(callId(1), { botParticipant(1), participant(participantId(2), who, 1) })),
        at(0));
    const ApplyResult same = lean.apply(
        notification(
            roster(callId(1), { botParticipant(1), participant(participantId(2), who, 2) })),
        at(1));
    // The stamp is a field too, so the entry changed (as in Full); nobody was added.
    QCOMPARE(same.outcome, ApplyResult::Outcome::Applied);
    QCOMPARE(same.changes.constFirst().changed, QStringList { participantId(2) });
    QVERIFY(same.changes.constFirst().added.isEmpty());
    const ApplyResult muted = lean.apply(
        notification(
            roster(callId(1), { botParticipant(1), participant(participantId(2), who, 3, true) })),
        at(2));
    QCOMPARE(muted.outcome, ApplyResult::Outcome::Applied);
    QCOMPARE(lean.find(callId(1))->participants.at(1).isMuted, true);
}

QTEST_GUILESS_MAIN(TstCallBookLean)
#include "tst_callbooklean.moc"

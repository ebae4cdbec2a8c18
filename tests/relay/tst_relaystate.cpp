// Tests of Relay::RelayState: journaled events (Graph's commsNotifications and the relay's own
// events) applied in seq order, the CallMeta the relay keeps per call, snapshots and checkpoints.
// Notifications are written as Graph sends them; time is explicit, relative to one base.

#include "graph/codec.h"
#include "graph/relayprotocol.h"
#include "relay/relaystate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include <chrono>
#include <functional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Graph::ApplyResult;
using Graph::CallState;
using Relay::RelayState;
using Relay::StreamEvent;

using Outcome = ApplyResult::Outcome;

namespace Graph {

char *toString(ApplyResult::Outcome outcome)
{
    switch (outcome) {
    case ApplyResult::Outcome::Applied:
        return qstrdup("Applied");
    case ApplyResult::Outcome::Duplicate:
        return qstrdup("Duplicate");
    case ApplyResult::Outcome::Stale:
        return qstrdup("Stale");
    case ApplyResult::Outcome::Ignored:
        return qstrdup("Ignored");
    }
    return qstrdup("?");
}

} // namespace Graph

namespace {

// 2024-05-01T12:00:00Z; every instant in this file is relative to it.
const QDateTime Base = QDateTime(QDate(2024, 5, 1), QTime(12, 0), QTimeZone::utc());

QDateTime when(qint64 seconds)
{
    return Base.addSecs(seconds);
}

const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString CallB = u"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"_s;
const QString CallC = u"c0ffee00-1234-4abc-8def-0123456789ab"_s;
const QString Bot = u"2b7e4f0a-6c1d-4e8b-9a3f-0d5c7b1e2a64"_s;
const QString Caller = u"e41a7b90-3c5d-4a2e-b6f1-8d0c9e7a5b13"_s;
const QString Agent = u"9d2c6a41-7e3b-4f05-8c1a-6b4e2d9f0a37"_s;
const QString PromptOp = u"0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50"_s;

// ---- notifications as Graph writes them -----------------------------------------------------

QString callUrl(const QString &callId)
{
    return u"/communications/calls/"_s + callId;
}

QJsonObject envelope(
    const QString &changeType, const QString &resourceUrl, const QJsonValue &resourceData)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, changeType },
        { "resourceUrl"_L1, resourceUrl },
        { "resourceData"_L1, resourceData },
    };
}

QJsonObject callData(const QString &state, QJsonObject fields = {})
{
    fields.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    fields.insert("state"_L1, state);
    return fields;
}

QJsonObject incomingCall(const QString &callId)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "phone"_L1, QJsonObject { { "id"_L1, u"+14255550123"_s } } } } },
        { "region"_L1, u"amer"_s },
    };
    return envelope(u"created"_s, callUrl(callId),
        callData(u"incoming"_s,
            {
                { "direction"_L1, u"incoming"_s },
                { "source"_L1, source },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "myParticipantId"_L1, Bot },
                { "id"_L1, callId },
            }));
}

QJsonObject outgoingCall(const QString &callId)
{
    return envelope(u"created"_s, callUrl(callId),
        callData(u"establishing"_s, { { "direction"_L1, u"outgoing"_s }, { "id"_L1, callId } }));
}

QJsonObject callUpdated(const QString &callId, const QString &state, const QJsonObject &fields = {})
{
    return envelope(u"updated"_s, callUrl(callId), callData(state, fields));
}

// "Established" with the media state as Graph sends it: no @odata.type on mediaState, which
// the codec adds when it writes a call.
QJsonObject established(const QString &callId)
{
    return callUpdated(callId, u"established"_s,
        { { "mediaState"_L1, QJsonObject { { "audio"_L1, u"active"_s } } } });
}

QJsonObject callDeleted(const QString &callId)
{
    const QJsonObject result {
        { "@odata.type"_L1, u"#microsoft.graph.resultInfo"_s },
        { "code"_L1, 200 },
        { "subcode"_L1, 5001 },
        { "message"_L1, u"The conversation has ended."_s },
    };
    return envelope(
        u"deleted"_s, callUrl(callId), callData(u"terminated"_s, { { "resultInfo"_L1, result } }));
}

// A roster entry as Graph sends it: the identity has no @odata.type, and mediaStreams carry
// sourceId as a number.
QJsonObject participant(const QString &id, const QString &name, qint64 sequence, bool muted = false)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.participant"_s },
        { "id"_L1, id },
        { "info"_L1,
            QJsonObject { { "identity"_L1,
                QJsonObject { { "user"_L1,
                    QJsonObject { { "id"_L1, QString(u"oid-"_s + name) },
                        { "displayName"_L1, name } } } } } } },
        { "mediaStreams"_L1,
            QJsonArray { QJsonObject { { "mediaType"_L1, u"audio"_s }, { "sourceId"_L1, 1 },
                { "direction"_L1, u"sendReceive"_s } } } },
        { "isMuted"_L1, muted },
        { "rosterSequenceNumber"_L1, sequence },
    };
}

QJsonObject roster(const QString &callId, const QJsonArray &participants)
{
    return envelope(u"updated"_s, callUrl(callId) + u"/participants"_s, participants);
}

QJsonObject tone(const QString &callId, qint64 sequenceId, const QString &toneName)
{
    return callUpdated(callId, u"established"_s,
        { { "toneInfo"_L1,
            QJsonObject { { "sequenceId"_L1, sequenceId }, { "tone"_L1, toneName } } } });
}

// A playPrompt operation on .../operations/{id}; the data has no id, as in some of Graph's
// notifications, and its deletion has no status.
QJsonObject operation(const QString &callId, const QString &changeType, const QString &status)
{
    QJsonObject data {
        { "@odata.type"_L1, u"#microsoft.graph.playPromptOperation"_s },
        { "clientContext"_L1, u"hold"_s },
    };
    if (!status.isEmpty())
        data.insert("status"_L1, status);
    return envelope(changeType, callUrl(callId) + u"/operations/"_s + PromptOp, data);
}

// ---- journaled events -----------------------------------------------------------------------

StreamEvent note(qint64 seq, qint64 seconds, const QJsonObject &notification)
{
    StreamEvent event;
    event.type = StreamEvent::Type::Notification;
    event.seq = seq;
    event.at = when(seconds);
    event.notification = notification;
    return event;
}

StreamEvent relay(qint64 seq, qint64 seconds, const QJsonObject &fields)
{
    StreamEvent event;
    event.type = StreamEvent::Type::Relay;
    event.seq = seq;
    event.at = when(seconds);
    event.relay = fields;
    return event;
}

StreamEvent claimed(qint64 seq, qint64 seconds, const QString &callId, const QString &by)
{
    return relay(
        seq, seconds, { { "kind"_L1, u"claimed"_s }, { "callId"_L1, callId }, { "by"_L1, by } });
}

StreamEvent released(qint64 seq, qint64 seconds, const QString &callId)
{
    return relay(seq, seconds,
        { { "kind"_L1, u"released"_s }, { "callId"_L1, callId }, { "by"_L1, u"alice"_s } });
}

StreamEvent policy(qint64 seq, qint64 seconds, const QString &callId, const QString &action)
{
    return relay(seq, seconds,
        { { "kind"_L1, u"policy"_s }, { "callId"_L1, callId }, { "action"_L1, action },
            { "reason"_L1, u"deadline"_s } });
}

StreamEvent expired(qint64 seq, qint64 seconds, const QString &callId)
{
    return relay(seq, seconds, { { "kind"_L1, u"expired"_s }, { "callId"_L1, callId } });
}

StreamEvent handled(qint64 seq, qint64 seconds, const QString &callId, const QString &by)
{
    return relay(
        seq, seconds, { { "kind"_L1, u"handled"_s }, { "callId"_L1, callId }, { "by"_L1, by } });
}

// A call's life with everything a CallEntry holds: claim, states, roster, tones, an operation,
// a second call, the end.
QList<StreamEvent> lifecycle()
{
    return {
        note(1, 0, incomingCall(CallA)),
        claimed(2, 1, CallA, u"alice"_s),
        note(3, 2, callUpdated(CallA, u"establishing"_s)),
        note(4, 3, established(CallA)),
        note(5, 3, incomingCall(CallB)),
        note(6, 4,
            roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 2) })),
        note(7, 5, tone(CallA, 1, u"tone1"_s)),
        note(8, 6, operation(CallA, u"updated"_s, u"running"_s)),
        note(9, 7, operation(CallA, u"deleted"_s, {})),
        note(10, 8, tone(CallA, 2, u"pound"_s)),
        note(11, 9, callDeleted(CallA)),
    };
}

QByteArray snapshotJson(const RelayState &state)
{
    return QJsonDocument(Graph::RelayProtocol::encodeSnapshot(state.snapshot()))
        .toJson(QJsonDocument::Indented);
}

// The snapshot without its seq: what the calls look like.
QByteArray callsJson(const RelayState &state)
{
    QJsonObject o = Graph::RelayProtocol::encodeSnapshot(state.snapshot());
    o.remove("seq"_L1);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

void applyAll(RelayState &state, const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events)
        state.apply(event);
}

} // namespace

class TestRelayState final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lifecycleReplaysToExpectedSnapshot()
    {
        RelayState state;
        applyAll(state, lifecycle());
        QCOMPARE(state.seq(), 11);

        const Graph::RelayProtocol::Snapshot snapshot = state.snapshot();
        QCOMPARE(snapshot.seq, 11);
        QCOMPARE(snapshot.calls.size(), 2);
        const Graph::RelayProtocol::SnapshotCall &a = snapshot.calls[0];
        const Graph::RelayProtocol::SnapshotCall &b = snapshot.calls[1];
        QCOMPARE(a.entry.call.id, CallA); // first seen first
        QCOMPARE(b.entry.call.id, CallB);

        QVERIFY(a.entry.call.state == CallState::Terminated);
        QCOMPARE(a.entry.call.resultInfo.code, std::optional<int>(200));
        QCOMPARE(a.entry.call.source->identity.phoneNumber(), u"+14255550123"_s);
        QCOMPARE(a.entry.participants.size(), 2);
        QCOMPARE(a.entry.participants[1].displayName(), u"Caller"_s);
        QCOMPARE(a.entry.rosterSequence, 2);
        QCOMPARE(a.entry.tones.size(), 2);
        QVERIFY(a.entry.tones[1].tone == Graph::Tone::Pound);
        QCOMPARE(a.entry.operations.size(), 1);
        QCOMPARE(a.entry.operations[0].id, PromptOp);
        QVERIFY(a.entry.operations[0].isFinished());
        QCOMPARE(a.entry.endedAt, when(9));
        QCOMPARE(a.meta.firstSeenAt, when(0));
        QCOMPARE(a.meta.lastEventAt, when(9));
        QCOMPARE(a.meta.claimedBy, u"alice"_s);
        QVERIFY(!a.meta.answerDeadline.isValid());
        QVERIFY(a.meta.handledBy.isEmpty());

        QVERIFY(b.entry.call.state == CallState::Incoming);
        QCOMPARE(b.meta.firstSeenAt, when(3));
        QCOMPARE(b.meta.lastEventAt, when(3));
        QCOMPARE(b.meta.answerDeadline, when(13));

        // The console's view of it, as the wire carries it.
        const QJsonObject wire = Graph::RelayProtocol::encodeSnapshot(snapshot);
        const QJsonObject frontdesk =
            wire.value("calls"_L1).toArray().at(0).toObject().value("frontdesk"_L1).toObject();
        QCOMPARE(frontdesk.value("firstSeenAt"_L1).toString(), u"2024-05-01T12:00:00.000Z"_s);
        QCOMPARE(frontdesk.value("lastEventAt"_L1).toString(), u"2024-05-01T12:00:09.000Z"_s);
        QCOMPARE(frontdesk.value("claimedBy"_L1).toString(), u"alice"_s);
        QVERIFY(frontdesk.value("answerDeadline"_L1).isNull());
        QVERIFY(frontdesk.value("handledBy"_L1).isNull());

        // The same events give the same state.
        RelayState again;
        applyAll(again, lifecycle());
        QCOMPARE(snapshotJson(again), snapshotJson(state));
    }

    void claimedAndReleasedSetClaimedBy()
    {
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        ApplyResult result = state.apply(claimed(2, 1, CallA, u"alice"_s));
        QCOMPARE(result.outcome, Outcome::Applied);
        QCOMPARE(result.changes.size(), 1);
        QVERIFY(result.changes[0].kind == Graph::CallBookChange::Kind::CallChanged);
        QCOMPARE(result.changes[0].callId, CallA);
        QCOMPARE(state.meta(CallA).claimedBy, u"alice"_s);
        // Call ids compare in any spelling.
        QCOMPARE(state.meta(CallA.toUpper().remove(u'-')).claimedBy, u"alice"_s);

        QCOMPARE(state.apply(claimed(3, 2, CallA, u"alice"_s)).outcome, Outcome::Duplicate);
        QCOMPARE(state.apply(claimed(4, 3, CallA, u"bob"_s)).outcome, Outcome::Applied);
        QCOMPARE(state.meta(CallA).claimedBy, u"bob"_s);

        QCOMPARE(state.apply(released(5, 4, CallA)).outcome, Outcome::Applied);
        QVERIFY(state.meta(CallA).claimedBy.isEmpty());
        // A claim is not a Graph event: lastEventAt stays with the call's last notification.
        QCOMPARE(state.meta(CallA).lastEventAt, when(0));
        QCOMPARE(state.seq(), 5);
    }

    void policyMarksCallHandledByRelay()
    {
        for (const QString &action : { u"answered"_s, u"redirected"_s, u"rejected"_s }) {
            RelayState state;
            state.apply(note(1, 0, incomingCall(CallA)));
            QVERIFY(state.meta(CallA).answerDeadline.isValid());
            QCOMPARE(state.apply(policy(2, 9, CallA, action)).outcome, Outcome::Applied);
            QCOMPARE(state.meta(CallA).handledBy, u"relay"_s);
            // Handled: the policy must not act again while Graph catches up.
            QVERIFY(!state.meta(CallA).answerDeadline.isValid());
        }
        // Other policy outcomes (a failed attempt, say) leave the call to the next try.
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        QCOMPARE(state.apply(policy(2, 9, CallA, u"failed"_s)).outcome, Outcome::Ignored);
        QVERIFY(state.meta(CallA).handledBy.isEmpty());
        QCOMPARE(state.meta(CallA).answerDeadline, when(10));
    }

    void ivrEventsSayWhereTheCallerIsAndSurviveACheckpoint()
    {
        const auto ivr = [](qint64 seq, const QString &action, QJsonObject fields) {
            fields.insert("kind"_L1, u"ivr"_s);
            fields.insert("callId"_L1, CallA);
            fields.insert("flow"_L1, u"frontdesk"_s);
            fields.insert("action"_L1, action);
            return relay(seq, seq, fields);
        };
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        state.apply(policy(2, 0, CallA, u"answered"_s));
        state.apply(note(3, 1, established(CallA)));
        QVERIFY(state.meta(CallA).ivrFlow.isEmpty());
        QVERIFY(!snapshotJson(state).contains("\"ivr\""));
        QCOMPARE(state.apply(ivr(4, u"entered"_s, { { "menu"_L1, u"main"_s } })).outcome,
            Outcome::Applied);
        QCOMPARE(state.meta(CallA).ivrFlow, u"frontdesk"_s);
        QCOMPARE(state.meta(CallA).ivrMenu, u"main"_s);
        QCOMPARE(state.meta(CallA).ivrStatus, u"menu"_s);
        state.apply(ivr(5, u"invalid"_s, { { "menu"_L1, u"main"_s }, { "digit"_L1, u"7"_s } }));
        // A timeout and the same menu again change nothing a console shows.
        QCOMPARE(state.apply(ivr(6, u"timeout"_s, { { "menu"_L1, u"main"_s } })).outcome,
            Outcome::Duplicate);
        QCOMPARE(state.apply(ivr(7, u"entered"_s, { { "menu"_L1, u"main"_s } })).outcome,
            Outcome::Duplicate);
        state.apply(ivr(8, u"digit"_s, { { "menu"_L1, u"main"_s }, { "digit"_L1, u"2"_s } }));
        state.apply(ivr(9, u"entered"_s, { { "menu"_L1, u"billing"_s } }));
        QCOMPARE(state.meta(CallA).ivrDigits, u"72"_s);
        QCOMPARE(state.meta(CallA).ivrMenu, u"billing"_s);
        QCOMPARE(state.apply(ivr(10, u"dance"_s, {})).outcome, Outcome::Ignored);

        RelayState restored;
        QString error;
        QVERIFY2(restored.restoreCheckpoint(state.seq(), state.toCheckpoint(), &error),
            qPrintable(error));
        QCOMPARE(snapshotJson(restored), snapshotJson(state));
        QCOMPARE(restored.meta(CallA).ivrDigits, u"72"_s);
        QCOMPARE(restored.meta(CallA).ivrMenu, u"billing"_s);

        state.apply(
            ivr(11, u"routed"_s, { { "menu"_L1, u"billing"_s }, { "target"_L1, u"+15550100"_s } }));
        QCOMPARE(state.meta(CallA).ivrStatus, u"routed"_s);
        QCOMPARE(state.meta(CallA).ivrTarget, u"+15550100"_s);
        state.apply(ivr(12, u"left"_s, { { "menu"_L1, u"billing"_s }, { "by"_L1, u"alice"_s } }));
        QCOMPARE(state.meta(CallA).ivrStatus, u"left"_s);
        QCOMPARE(state.meta(CallA).ivrTarget, u"alice"_s);
        QCOMPARE(state.meta(CallA).handledBy, u"relay"_s);
    }

    void expiredEndsCallWith404()
    {
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        state.apply(note(2, 1, established(CallA)));
        const ApplyResult result = state.apply(expired(3, 600, CallA));
        QCOMPARE(result.outcome, Outcome::Applied);
        const Graph::CallEntry *entry = state.book().find(CallA);
        QVERIFY(entry);
        QVERIFY(entry->call.state == CallState::Terminated);
        QCOMPARE(entry->call.resultInfo.code, std::optional<int>(404));
        QCOMPARE(entry->endedAt, when(600));
        QCOMPARE(state.meta(CallA).lastEventAt, when(600));
        // An end Graph already reported stays Graph's.
        QCOMPARE(state.apply(expired(4, 700, CallA)).outcome, Outcome::Duplicate);
        QCOMPARE(state.book().find(CallA)->endedAt, when(600));
    }

    void handledNamesTheOperator()
    {
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        QCOMPARE(state.apply(handled(2, 2, CallA, u"alice"_s)).outcome, Outcome::Applied);
        QCOMPARE(state.meta(CallA).handledBy, u"alice"_s);
        QVERIFY(!state.meta(CallA).answerDeadline.isValid());
        QCOMPARE(state.apply(handled(3, 3, CallA, u"alice"_s)).outcome, Outcome::Duplicate);
    }

    void unknownRelayKindsChangeNothing()
    {
        RelayState state;
        state.apply(note(1, 0, incomingCall(CallA)));
        const QByteArray before = callsJson(state);
        const QList<StreamEvent> events {
            relay(2, 1, { { "kind"_L1, u"blocklist"_s }, { "entry"_L1, u"+15550100"_s } }),
            relay(3, 2, { { "kind"_L1, u"frobnicated"_s }, { "callId"_L1, CallA } }),
            relay(4, 3, { { "callId"_L1, CallA } }),
            // Kinds that change state, about a call the state does not have.
            claimed(5, 4, CallC, u"alice"_s),
            handled(6, 5, CallC, u"alice"_s),
            expired(7, 6, CallC),
        };
        for (const StreamEvent &event : events)
            QCOMPARE(state.apply(event).outcome, Outcome::Ignored);
        QCOMPARE(callsJson(state), before);
        QCOMPARE(state.book().size(), 1);
        QCOMPARE(state.seq(), 7); // seen, though they changed nothing
    }

    void answerDeadlineFollowsIncomingState()
    {
        RelayState state;
        state.apply(note(1, 10, incomingCall(CallA)));
        QCOMPARE(state.meta(CallA).answerDeadline, when(20)); // 10 s by default
        // It counts from when the call was first seen, not from its latest event.
        state.apply(note(2, 12, roster(CallA, { participant(Caller, u"Caller"_s, 1) })));
        QCOMPARE(state.meta(CallA).answerDeadline, when(20));
        state.apply(note(3, 13, callUpdated(CallA, u"establishing"_s)));
        QVERIFY(!state.meta(CallA).answerDeadline.isValid());

        // A call we placed never rings here; one first seen through its roster has no state yet.
        state.apply(note(4, 14, outgoingCall(CallB)));
        QVERIFY(!state.meta(CallB).answerDeadline.isValid());
        state.apply(note(5, 15, roster(CallC, { participant(Agent, u"Agent"_s, 1) })));
        QVERIFY(state.book().find(CallC));
        QVERIFY(!state.meta(CallC).answerDeadline.isValid());
        QCOMPARE(state.meta(CallC).firstSeenAt, when(15));

        // The deadline is the relay's setting.
        RelayState quick(10min, 7s);
        QCOMPARE(quick.answerDeadline(), std::chrono::milliseconds(7s));
        quick.apply(note(1, 0, incomingCall(CallA)));
        QCOMPARE(quick.meta(CallA).answerDeadline, when(7));
        // A call that ends while ringing has no deadline any more.
        quick.apply(note(2, 3, callDeleted(CallA)));
        QVERIFY(!quick.meta(CallA).answerDeadline.isValid());
    }

    void replayIsIdempotent()
    {
        RelayState state;
        applyAll(state, lifecycle());
        const QByteArray once = snapshotJson(state);
        for (const StreamEvent &event : lifecycle())
            QCOMPARE(state.apply(event).outcome, Outcome::Duplicate);
        QCOMPARE(snapshotJson(state), once);
        QCOMPARE(state.seq(), 11);

        // An event with an old seq is skipped even when its content is new.
        QCOMPARE(state.apply(note(5, 100, incomingCall(CallC))).outcome, Outcome::Duplicate);
        QVERIFY(!state.book().find(CallC));
        // The next seq (or any later one) applies.
        QCOMPARE(state.apply(note(14, 100, incomingCall(CallC))).outcome, Outcome::Applied);
        QCOMPARE(state.seq(), 14);
    }

    void notificationThatIsNotOneIsIgnored()
    {
        RelayState state;
        const ApplyResult result =
            state.apply(note(1, 0, QJsonObject { { "changeType"_L1, u"created"_s } }));
        QCOMPARE(result.outcome, Outcome::Ignored);
        QVERIFY(!result.reason.isEmpty());
        QCOMPARE(state.book().size(), 0);
        QCOMPARE(state.seq(), 1);
    }

    void expireDropsEndedCallsAndTheirMeta()
    {
        RelayState state;
        applyAll(state, lifecycle()); // A claimed by alice, ended at +9 s; B still ringing
        QVERIFY(state.expire(when(9).addSecs(600).addMSecs(-1)).isEmpty());
        QCOMPARE(state.snapshot().calls.size(), 2);

        const QList<Graph::CallBookChange> removed = state.expire(when(9).addSecs(600));
        QCOMPARE(removed.size(), 1);
        QVERIFY(removed[0].kind == Graph::CallBookChange::Kind::CallRemoved);
        QCOMPARE(removed[0].callId, CallA);
        QVERIFY(!state.book().find(CallA));
        QVERIFY(state.meta(CallA).claimedBy.isEmpty()); // the meta went with it
        QVERIFY(!state.meta(CallA).firstSeenAt.isValid());
        QCOMPARE(state.snapshot().calls.size(), 1);
        QCOMPARE(state.snapshot().calls[0].entry.call.id, CallB);
        QCOMPARE(state.meta(CallB).answerDeadline, when(13));

        // The retention is the state's setting.
        RelayState brief(1min);
        applyAll(brief, lifecycle());
        QCOMPARE(brief.expire(when(9).addSecs(60)).size(), 1);
    }

    void removeDropsOneCallAndItsMeta()
    {
        RelayState state;
        applyAll(state, lifecycle()); // A claimed by alice, ended at +9 s; B still ringing
        QVERIFY(state.remove(CallA.toUpper()));
        QVERIFY(!state.book().find(CallA));
        QVERIFY(state.meta(CallA).claimedBy.isEmpty());
        QVERIFY(!state.meta(CallA).firstSeenAt.isValid());
        QCOMPARE(state.snapshot().calls.size(), 1);
        QVERIFY(!state.remove(CallA));
        QVERIFY(state.remove(CallB)); // ringing: remove() does not ask
        QVERIFY(state.snapshot().calls.isEmpty());
    }

    void checkpointRoundTrip()
    {
        const QList<StreamEvent> first {
            note(1, 0, incomingCall(CallA)),
            claimed(2, 1, CallA, u"alice"_s),
            note(3, 2, callUpdated(CallA, u"establishing"_s)),
            note(4, 3, established(CallA)),
            note(5, 3, incomingCall(CallB)),
            note(6, 4,
                roster(
                    CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 2) })),
            note(7, 5, tone(CallA, 2, u"tone2"_s)),
            note(8, 6, operation(CallA, u"updated"_s, u"running"_s)),
            note(9, 7, outgoingCall(CallC)),
            policy(10, 8, CallB, u"answered"_s),
        };
        // Duplicates of what came before the checkpoint must be judged as duplicates after it,
        // too: the roster, the media state, the tone.
        const QList<StreamEvent> second {
            note(11, 10,
                roster(
                    CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 2) })),
            note(12, 11, established(CallA)),
            note(13, 12, tone(CallA, 2, u"tone2"_s)),
            note(14, 13, tone(CallA, 1, u"tone1"_s)), // reordered: goes before tone 2
            note(15, 14, operation(CallA, u"deleted"_s, {})),
            note(16, 14, operation(CallA, u"deleted"_s, {})),
            note(17, 15,
                roster(CallA,
                    { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 3, true),
                        participant(Agent, u"Agent"_s, 4) })),
            note(18, 15, roster(CallA, { participant(Caller, u"Caller"_s, 2) })), // stale
            released(19, 16, CallA),
            handled(20, 17, CallC, u"bob"_s),
            note(21, 18, callUpdated(CallB, u"establishing"_s)),
            note(22, 19, callDeleted(CallA)),
            expired(23, 20, CallC),
        };

        RelayState original(10min, 7s);
        applyAll(original, first);
        const QByteArray checkpoint = original.toCheckpoint();

        RelayState restored(10min, 7s);
        QString error;
        QVERIFY2(restored.restoreCheckpoint(original.seq(), checkpoint, &error), qPrintable(error));
        QCOMPARE(restored.seq(), original.seq());
        QCOMPARE(snapshotJson(restored), snapshotJson(original));
        QCOMPARE(restored.toCheckpoint(), checkpoint);
        QCOMPARE(restored.book().find(CallA)->rosterSequence, 2);

        for (const StreamEvent &event : second) {
            const ApplyResult a = original.apply(event);
            const ApplyResult b = restored.apply(event);
            QVERIFY2(a.outcome == b.outcome && a.changes.size() == b.changes.size(),
                qPrintable(u"seq %1: %2 changes vs %3"_s.arg(QString::number(event.seq),
                    QString::number(a.changes.size()), QString::number(b.changes.size()))));
            QCOMPARE(snapshotJson(restored), snapshotJson(original));
        }
        // The second half did what it says, so the comparison above compared something.
        QCOMPARE(original.book().find(CallA)->tones.size(), 2);
        QCOMPARE(original.book().find(CallA)->participants.size(), 3);
        QVERIFY(original.book().find(CallC)->isEnded());
        QCOMPARE(restored.toCheckpoint(), original.toCheckpoint());
    }

    void restoreRefusesDamagedCheckpoint()
    {
        RelayState source;
        applyAll(source, lifecycle());
        const QByteArray good = source.toCheckpoint();

        RelayState state;
        state.apply(note(1, 0, incomingCall(CallC)));
        const QByteArray before = snapshotJson(state);
        QString error;
        QVERIFY(!state.restoreCheckpoint(11, "not json", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!state.restoreCheckpoint(11, R"({"format":"something else","calls":[]})", &error));
        QVERIFY(!state.restoreCheckpoint(12, good, &error)); // it holds the state at 11
        QVERIFY2(error.contains(u"11"_s), qPrintable(error));
        // A call without an id; a checkpoint without its calls.
        const auto withFirstCall = [&](const std::function<void(QJsonObject &)> &edit) {
            QJsonObject o = QJsonDocument::fromJson(good).object();
            QJsonArray calls = o.value("calls"_L1).toArray();
            QJsonObject call = calls.at(0).toObject();
            edit(call);
            calls.replace(0, call);
            o.insert("calls"_L1, calls);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        QVERIFY(!state.restoreCheckpoint(
            11, withFirstCall([](QJsonObject &call) { call.remove("id"_L1); }), &error));
        QVERIFY(!state.restoreCheckpoint(
            11, R"({"format":"frontdesk-relay-state","version":1,"seq":11})", &error));
        QVERIFY2(error.contains(u"no calls"_s), qPrintable(error));
        QCOMPARE(snapshotJson(state), before); // nothing was replaced

        QVERIFY2(state.restoreCheckpoint(11, good, &error), qPrintable(error));
        QCOMPARE(snapshotJson(state), snapshotJson(source));
    }
};

QTEST_GUILESS_MAIN(TestRelayState)

#include "tst_relaystate.moc"

// Tests of Graph::CallBook, the reducer that applies commsNotifications to the state of calls.
// Every notification is written as the JSON Graph sends (docs: graph-notes §3) and goes through
// Graph::decodeNotification, so the tests exercise the same path as the relay and the console.
// Time is explicit: every instant is an offset from one fixed base.

#include "graph/callbook.h"
#include "graph/codec.h"
#include "graph/ids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace Graph;

using Outcome = ApplyResult::Outcome;

namespace Graph {

// Let QCOMPARE print outcomes and states by name (found by argument-dependent lookup).
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

char *toString(CallState state)
{
    return qstrdup(qPrintable(wireName(state)));
}

template <typename E> char *toString(const WireEnum<E> &value)
{
    return qstrdup(qPrintable(value.isPresent() ? value.text : u"(absent)"_s));
}

} // namespace Graph

namespace {

// 2024-05-01T12:00:00Z; every instant in this file is relative to it.
const QDateTime Base = QDateTime(QDate(2024, 5, 1), QTime(12, 0), QTimeZone::utc());

QDateTime when(qint64 seconds)
{
    return Base.addSecs(seconds);
}

// Ids in Graph's lower-case GUID form.
const QString CallA = u"491f0b00-ffff-4c6a-9b0e-3d2a1c5b7e90"_s;
const QString CallB = u"7a3e51c2-0d4b-4f8e-a1c9-52b6e0d3f471"_s;
const QString CallC = u"c0ffee00-1234-4abc-8def-0123456789ab"_s;
const QString Bot = u"2b7e4f0a-6c1d-4e8b-9a3f-0d5c7b1e2a64"_s;
const QString Agent = u"9d2c6a41-7e3b-4f05-8c1a-6b4e2d9f0a37"_s;
const QString Caller = u"e41a7b90-3c5d-4a2e-b6f1-8d0c9e7a5b13"_s;
const QString PromptOp = u"0fe8b2d4-5a6c-4b1e-9d3f-7c2a1e8b6d50"_s;
const QString CallerOid = u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s;
const QString BotAppId = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;

// Short names for the ids above, so that change lists read well. Exact match only: an id in
// another form (upper case, no dashes) shows as written, so form changes do not go unnoticed.
QString label(const QString &id)
{
    static const QList<std::pair<QString, QString>> names {
        { CallA, u"A"_s },
        { CallB, u"B"_s },
        { CallC, u"C"_s },
        { Bot, u"bot"_s },
        { Agent, u"agent"_s },
        { Caller, u"caller"_s },
        { PromptOp, u"prompt"_s },
    };
    for (const auto &[full, name] : names) {
        if (id == full)
            return name;
    }
    return id;
}

QString labels(const QStringList &ids)
{
    QStringList out;
    for (const QString &id : ids)
        out.append(label(id));
    return out.join(u',');
}

QString describe(const CallBookChange &change)
{
    const QString call = label(change.callId);
    switch (change.kind) {
    case CallBookChange::Kind::CallAdded:
        return u"CallAdded "_s + call;
    case CallBookChange::Kind::CallChanged:
        return u"CallChanged %1 from %2"_s.arg(call, change.previousState.text);
    case CallBookChange::Kind::CallRemoved:
        return u"CallRemoved "_s + call;
    case CallBookChange::Kind::ParticipantsChanged:
        return u"ParticipantsChanged %1 +[%2] ~[%3] -[%4]"_s.arg(
            call, labels(change.added), labels(change.changed), labels(change.removed));
    case CallBookChange::Kind::ToneReceived:
        return u"ToneReceived "_s + call;
    case CallBookChange::Kind::OperationUpdated:
        return u"OperationUpdated %1 %2"_s.arg(call, label(change.operationId));
    case CallBookChange::Kind::OperationFinished:
        return u"OperationFinished %1 %2"_s.arg(call, label(change.operationId));
    }
    return u"?"_s;
}

QStringList describe(const QList<CallBookChange> &changes)
{
    QStringList out;
    for (const CallBookChange &change : changes)
        out.append(describe(change));
    return out;
}

QStringList participantIds(const CallEntry &entry)
{
    QStringList out;
    for (const Participant &p : entry.participants)
        out.append(label(p.id));
    return out;
}

// ---- notifications as Graph writes them (graph-notes §3) -----------------------------------

QString callUrl(const QString &callId)
{
    return u"/communications/calls/"_s + callId;
}

QJsonObject envelope(
    const QString &changeType, const QString &resourceUrl, const QJsonValue &resourceData)
{
    QJsonObject n {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, changeType },
        { "resourceUrl"_L1, resourceUrl },
        { "resourceData"_L1, resourceData },
    };
    // The legacy path Graph often sends alongside: "/app/calls/..." for
    // "/communications/calls/...".
    const QString prefix = u"/communications"_s;
    if (resourceUrl.startsWith(prefix))
        n.insert("resource"_L1, QString(u"/app"_s + resourceUrl.mid(prefix.size())));
    return n;
}

QJsonObject resultInfo(int code, int subcode, const QString &message)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.resultInfo"_s },
        { "code"_L1, code },
        { "subcode"_L1, subcode },
        { "message"_L1, message },
    };
}

QJsonObject callData(const QString &state, QJsonObject fields = {})
{
    fields.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    fields.insert("state"_L1, state);
    return fields;
}

// §3.3: an incoming P2P call, changeType created.
QJsonObject incomingCall(const QString &callId)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "user"_L1,
                QJsonObject { { "id"_L1, CallerOid }, { "displayName"_L1, u"Caller"_s } } } } },
        { "region"_L1, u"amer"_s },
        { "languageId"_L1, u"en-US"_s },
    };
    const QJsonObject target {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "application"_L1,
                QJsonObject { { "id"_L1, BotAppId }, { "displayName"_L1, u"Console Bot"_s } } } } },
    };
    return envelope(u"created"_s, callUrl(callId),
        callData(u"incoming"_s,
            {
                { "direction"_L1, u"incoming"_s },
                { "source"_L1, source },
                { "targets"_L1, QJsonArray { target } },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "myParticipantId"_L1, Bot },
                { "id"_L1, callId },
            }));
}

// §3.4: a state update, changeType updated.
QJsonObject callUpdated(const QString &callId, const QString &state, const QJsonObject &fields = {})
{
    return envelope(u"updated"_s, callUrl(callId), callData(state, fields));
}

// §3.4: the end of the call, changeType deleted, with the resultInfo when given.
QJsonObject callDeleted(const QString &callId, const QJsonObject &result = {})
{
    QJsonObject fields;
    if (!result.isEmpty())
        fields.insert("resultInfo"_L1, result);
    return envelope(u"deleted"_s, callUrl(callId), callData(u"terminated"_s, fields));
}

QJsonObject participant(const QString &id, const QString &name, qint64 sequence, bool muted = false)
{
    const QJsonObject stream {
        { "@odata.type"_L1, u"#microsoft.graph.mediaStream"_s },
        { "mediaType"_L1, u"audio"_s },
        { "sourceId"_L1, u"1"_s },
        { "direction"_L1, u"sendReceive"_s },
        { "serverMuted"_L1, false },
    };
    const QJsonObject info {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "user"_L1,
                QJsonObject {
                    { "id"_L1, QString(u"oid-"_s + name) }, { "displayName"_L1, name } } } } },
    };
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.participant"_s },
        { "id"_L1, id },
        { "info"_L1, info },
        { "mediaStreams"_L1, QJsonArray { stream } },
        { "isMuted"_L1, muted },
        { "isInLobby"_L1, false },
        { "rosterSequenceNumber"_L1, sequence },
    };
}

QJsonObject removedParticipant(const QString &id, const QString &name, qint64 sequence)
{
    QJsonObject p = participant(id, name, sequence);
    p.insert("removedState"_L1,
        QJsonObject {
            { "@odata.type"_L1, u"#microsoft.graph.removedState"_s }, { "reason"_L1, u"left"_s } });
    return p;
}

// §3.5: a roster update on .../participants, resourceData an array.
QJsonObject roster(const QString &callId, const QJsonArray &participants)
{
    return envelope(u"updated"_s, callUrl(callId) + u"/participants"_s, participants);
}

// The bot, an agent and the caller on CallA, each as of roster 1.
QJsonObject threeOnCallA()
{
    return roster(CallA,
        { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1),
            participant(Caller, u"Caller"_s, 1) });
}

// One participant on .../participants/{pid}, resourceData an object.
QJsonObject participantNotification(
    const QString &callId, const QJsonObject &p, const QString &changeType = u"updated"_s)
{
    return envelope(
        changeType, callUrl(callId) + u"/participants/"_s + p.value("id"_L1).toString(), p);
}

// §3.6: a DTMF tone.
QJsonObject toneNotification(const QString &callId, qint64 sequenceId, const QString &tone)
{
    const QJsonObject toneInfo {
        { "@odata.type"_L1, u"#microsoft.graph.toneInfo"_s },
        { "sequenceId"_L1, sequenceId },
        { "tone"_L1, tone },
    };
    return callUpdated(callId, u"established"_s, { { "toneInfo"_L1, toneInfo } });
}

// §3.7: an operation, by default its completion (changeType deleted). An empty status is left
// out.
QJsonObject operationNotification(const QString &callId, const QString &opId, const QString &status,
    const QString &changeType = u"deleted"_s)
{
    QJsonObject data {
        { "@odata.type"_L1, u"#microsoft.graph.playPromptOperation"_s },
        { "id"_L1, opId },
        { "clientContext"_L1, u"greeting"_s },
    };
    if (!status.isEmpty())
        data.insert("status"_L1, status);
    if (status.compare(u"completed"_s, Qt::CaseInsensitive) == 0)
        data.insert("resultInfo"_L1, resultInfo(200, 0, u"Action completed successfully."_s));
    return envelope(changeType, callUrl(callId) + u"/operations/"_s + opId, data);
}

// ---- applying ------------------------------------------------------------------------------

// Serialises the notification and decodes it as the relay does.
CommsNotification decoded(const QJsonObject &wire)
{
    const QJsonDocument document = QJsonDocument::fromJson(QJsonDocument(wire).toJson());
    const Decoded<CommsNotification> n = decodeNotification(document.object());
    if (!n) {
        QTest::qFail(
            qPrintable(u"decodeNotification failed: "_s + n.error->toString()), __FILE__, __LINE__);
    }
    return n.value;
}

ApplyResult apply(CallBook &book, const QJsonObject &wire, const QDateTime &at)
{
    return book.apply(decoded(wire), at);
}

// An incoming call that was answered: incoming, establishing, established at 0, 1 and 2 s.
void establish(CallBook &book, const QString &callId)
{
    apply(book, incomingCall(callId), when(0));
    apply(book, callUpdated(callId, u"establishing"_s), when(1));
    apply(book, callUpdated(callId, u"established"_s), when(2));
}

// The 201 body of POST /communications/calls (§1.1) for an outgoing call.
QByteArray createdCallBody(const QString &callId, bool deltaRoster = false)
{
    QJsonObject call {
        { "@odata.type"_L1, u"#microsoft.graph.call"_s },
        { "id"_L1, callId },
        { "state"_L1, u"establishing"_s },
        { "direction"_L1, u"outgoing"_s },
        { "callbackUri"_L1, u"https://relay.example.org/api/calls"_s },
        { "callChainId"_L1, u"d8a3e7c1-4b2f-4a6e-9c05-1f7b3e2d8a64"_s },
        { "myParticipantId"_L1, Bot },
        { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
        { "mediaConfig"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
    };
    if (deltaRoster) {
        call.insert("callOptions"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.outgoingCallOptions"_s },
                { "isDeltaRosterEnabled"_L1, true } });
    }
    return QJsonDocument(call).toJson();
}

Call createdCall(const QString &callId, bool deltaRoster = false)
{
    const Decoded<Call> call = decodeCallDocument(createdCallBody(callId, deltaRoster));
    if (!call)
        QTest::qFail(qPrintable(call.error->toString()), __FILE__, __LINE__);
    return call.value;
}

} // namespace

class TstCallBook final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toneDuringTransferKeepsTransferring();
    void lateCreateResponseAddsMissingFields();
    void stateCaseOnlyIsDuplicate();
    void markEndedOnUnknownOrEndedCall();
    void failedTransferResultDoesNotExplainTheEnd();
    void resourceIdSpellingWinsOverUrlSpelling();
    void participantDeletedByUrlId();
    // lifecycles
    void incomingCallAnsweredAndHungUp();
    void outgoingCallIsEstablished();
    void rejectedIncomingCallIsTerminated();
    void ringTimeoutTerminatesIncomingCall();
    // transfer
    void transferSucceeds();
    void transferFailsAndCallIsEstablishedAgain();
    // duplicates and reordering
    void sameNotificationTwiceIsDuplicate_data();
    void sameNotificationTwiceIsDuplicate();
    void replayedBatchIsDuplicate();
    void reorderedStateIsStale_data();
    void reorderedStateIsStale();
    void stateAfterTerminatedIsStaleEvenWhenUnknown();
    // ids
    void idFormsReferToOneCall();
    void legacyResourcePathAlone();
    // roster
    void fullRosterAddsParticipants();
    void fullRosterWithoutParticipantRemovesIt();
    void olderRosterIsStaleAndRemovesNobody();
    void olderRosterDoesNotBringBackParticipantWhoLeft();
    void olderEntryForOneParticipantIsSkipped();
    void deltaRosterKeepsAbsentAndRemovesRemovedState();
    void singleParticipantObjectOnParticipantPath();
    void muteChangeIsReportedAsChanged();
    void rosterChangeCarriesThePeopleItConcerns();
    void unchangedParticipantsAreNotReported();
    void reorderedRosterIsMatchedByIdNotPlace();
    void rosterForUnseenCallCreatesEntry();
    // tones
    void tonesAreOrderedBySequenceId();
    void repeatedToneSequenceIdIsDuplicate();
    // operations
    void completedOperationFinishesOnce();
    void deletedOperationWithoutStatusFinishes();
    void operationOnUnknownCallIsIgnored();
    void sameRunningOperationTwiceIsDuplicate();
    // book keeping
    void markEndedTerminatesLiveCall();
    void endedCallIsKeptForRetainEndedThenRemoved();
    void liveCallsNeverExpire();
    void removeDropsOneCallWhateverItsState();
    void resetReplacesState();
    void idsAreInFirstSeenOrder();
    // states
    void unknownStateIsAcceptedAndKept();
    void isForwardTransition_data();
    void isForwardTransition();
};

// ---- lifecycles --------------------------------------------------------------------------------

void TstCallBook::incomingCallAnsweredAndHungUp()
{
    CallBook book;

    ApplyResult r = apply(book, incomingCall(CallA), when(0));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallAdded A"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Incoming);
    QCOMPARE(entry->call.direction, CallDirection::Incoming);
    QCOMPARE(entry->call.myParticipantId, Bot);
    QVERIFY(entry->call.source);
    QCOMPARE(entry->call.source->identity.displayName(), u"Caller"_s);
    QCOMPARE(entry->firstSeenAt, when(0));
    QCOMPARE(entry->lastEventAt, when(0));
    QVERIFY(!entry->isEnded());

    r = apply(book, callUpdated(CallA, u"establishing"_s), when(1));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from incoming"_s });
    QCOMPARE(entry->call.state, CallState::Establishing);
    QCOMPARE(entry->lastEventAt, when(1));

    r = apply(book, callUpdated(CallA, u"established"_s), when(2));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from establishing"_s });
    QCOMPARE(entry->call.state, CallState::Established);
    // What the update did not carry stays from before.
    QCOMPARE(entry->call.direction, CallDirection::Incoming);
    QCOMPARE(entry->call.myParticipantId, Bot);

    r = apply(book, callUpdated(CallA, u"terminating"_s), when(60));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from established"_s });
    QCOMPARE(entry->call.state, CallState::Terminating);
    QVERIFY(!entry->isEnded());

    r = apply(book, callDeleted(CallA, resultInfo(200, 5001, u"Conversation ended."_s)), when(61));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from terminating"_s });
    QCOMPARE(entry->call.state, CallState::Terminated);
    QVERIFY(entry->isEnded());
    QCOMPARE(entry->endedAt, when(61));
    QCOMPARE(entry->lastEventAt, when(61));
    QCOMPARE(entry->call.resultInfo.code, 200);
    QCOMPARE(entry->call.resultInfo.subcode, 5001);
    QCOMPARE(entry->call.resultInfo.message, u"Conversation ended."_s);
    QCOMPARE(entry->firstSeenAt, when(0));
    QCOMPARE(book.size(), 1);
}

void TstCallBook::outgoingCallIsEstablished()
{
    CallBook book;

    ApplyResult r = book.applyCall(createdCall(CallA), when(0));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallAdded A"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Establishing);
    QCOMPARE(entry->call.direction, CallDirection::Outgoing);
    QCOMPARE(entry->call.myParticipantId, Bot);
    QCOMPARE(entry->firstSeenAt, when(0));

    r = apply(book, callUpdated(CallA, u"established"_s), when(3));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from establishing"_s });
    QCOMPARE(entry->call.state, CallState::Established);
    QCOMPARE(entry->call.direction, CallDirection::Outgoing);
    QCOMPARE(entry->lastEventAt, when(3));
    QVERIFY(!entry->isEnded());
}

void TstCallBook::rejectedIncomingCallIsTerminated()
{
    CallBook book;
    apply(book, incomingCall(CallA), when(0));

    // After POST .../reject Graph sends a deleted notification (§1.3).
    const ApplyResult r = apply(book, callDeleted(CallA), when(4));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from incoming"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Terminated);
    QCOMPARE(entry->endedAt, when(4));
    QVERIFY(!entry->call.resultInfo.isPresent());
}

void TstCallBook::ringTimeoutTerminatesIncomingCall()
{
    CallBook book;
    apply(book, incomingCall(CallA), when(0));

    // Nobody answered within 15 s.
    const ApplyResult r = apply(book,
        callDeleted(CallA, resultInfo(408, 1106, u"Acceptance acknowledgement not received."_s)),
        when(15));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from incoming"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Terminated);
    QCOMPARE(entry->endedAt, when(15));
    QCOMPARE(entry->call.resultInfo.code, 408);
    QCOMPARE(entry->call.resultInfo.subcode, 1106);
    QVERIFY(!entry->call.resultInfo.isSuccess());
}

// ---- transfer ----------------------------------------------------------------------------------

void TstCallBook::transferSucceeds()
{
    CallBook book;
    establish(book, CallA);
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);

    ApplyResult r = apply(book, callUpdated(CallA, u"transferring"_s), when(30));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from established"_s });
    QCOMPARE(entry->call.state, CallState::Transferring);

    r = apply(book, callUpdated(CallA, u"transferAccepted"_s), when(31));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from transferring"_s });
    QCOMPARE(entry->call.state, CallState::TransferAccepted);
    QVERIFY(!entry->isEnded());

    r = apply(
        book, callDeleted(CallA, resultInfo(0, 7015, u"GracefulTransferCompleted"_s)), when(32));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from transferAccepted"_s });
    QCOMPARE(entry->call.state, CallState::Terminated);
    QCOMPARE(entry->endedAt, when(32));
    QCOMPARE(entry->call.resultInfo.code, 0);
    QCOMPARE(entry->call.resultInfo.subcode, 7015);
    QVERIFY(entry->call.resultInfo.isSuccess());
}

void TstCallBook::transferFailsAndCallIsEstablishedAgain()
{
    CallBook book;
    establish(book, CallA);
    apply(book, callUpdated(CallA, u"transferring"_s), when(30));

    const ApplyResult r = apply(book,
        callUpdated(CallA, u"established"_s,
            { { "resultInfo"_L1, resultInfo(500, 7000, u"Transfer failed."_s) } }),
        when(40));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes[0].kind, CallBookChange::Kind::CallChanged);
    QCOMPARE(r.changes[0].previousState, CallState::Transferring);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from transferring"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Established);
    QCOMPARE(entry->call.resultInfo.code, 500);
    QCOMPARE(entry->call.resultInfo.subcode, 7000);
    QVERIFY(!entry->isEnded());
}

// ---- duplicates and reordering -----------------------------------------------------------------

void TstCallBook::sameNotificationTwiceIsDuplicate_data()
{
    QTest::addColumn<QJsonArray>("before");
    QTest::addColumn<QJsonObject>("notification");

    QTest::newRow("incoming") << QJsonArray {} << incomingCall(CallA);
    QTest::newRow("establishing") << QJsonArray { incomingCall(CallA) }
                                  << callUpdated(CallA, u"establishing"_s);
    QTest::newRow("terminated") << QJsonArray {
        incomingCall(CallA), callUpdated(CallA, u"established"_s)
    } << callDeleted(CallA, resultInfo(200, 4097, u"Other participant ended the call."_s));
    QTest::newRow("roster") << QJsonArray {
        incomingCall(CallA)
    } << roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 1) });
    QTest::newRow("participant") << QJsonArray { incomingCall(
        CallA) } << participantNotification(CallA, participant(Caller, u"Caller"_s, 2, true));
}

void TstCallBook::sameNotificationTwiceIsDuplicate()
{
    QFETCH(QJsonArray, before);
    QFETCH(QJsonObject, notification);

    CallBook book;
    for (const QJsonValue &n : before)
        QCOMPARE(apply(book, n.toObject(), when(0)).outcome, Outcome::Applied);

    const ApplyResult first = apply(book, notification, when(10));
    QCOMPARE(first.outcome, Outcome::Applied);
    QVERIFY(!first.changes.isEmpty());

    const ApplyResult second = apply(book, notification, when(20));
    QCOMPARE(second.outcome, Outcome::Duplicate);
    QCOMPARE(describe(second.changes), QStringList {});
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->lastEventAt, when(10));
}

void TstCallBook::replayedBatchIsDuplicate()
{
    CallBook book;
    apply(book, incomingCall(CallA), when(0));

    // One POST carrying several notifications (§3.2), delivered twice.
    const QJsonObject batch {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotifications"_s },
        { "value"_L1,
            QJsonArray {
                callUpdated(CallA, u"established"_s),
                roster(
                    CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 1) }),
                toneNotification(CallA, 1, u"tone5"_s),
            } },
    };
    const QByteArray body = QJsonDocument(batch).toJson(QJsonDocument::Compact);

    const Decoded<CommsNotifications> first = decodeNotifications(body);
    QVERIFY2(first.ok(), qPrintable(first.error ? first.error->toString() : QString()));
    QCOMPARE(first.value.value.size(), 3);
    QStringList changes;
    for (const CommsNotification &n : first.value.value) {
        const ApplyResult r = book.apply(n, when(5));
        QCOMPARE(r.outcome, Outcome::Applied);
        changes += describe(r.changes);
    }
    QCOMPARE(changes,
        (QStringList { u"CallChanged A from incoming"_s,
            u"ParticipantsChanged A +[bot,caller] ~[] -[]"_s, u"ToneReceived A"_s }));

    const Decoded<CommsNotifications> again = decodeNotifications(body);
    QVERIFY(again.ok());
    for (const CommsNotification &n : again.value.value) {
        const ApplyResult r = book.apply(n, when(9));
        QCOMPARE(r.outcome, Outcome::Duplicate);
        QCOMPARE(describe(r.changes), QStringList {});
    }
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Established);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"caller"_s }));
    QCOMPARE(entry->tones.size(), 1);
    QCOMPARE(entry->lastEventAt, when(5));
}

void TstCallBook::reorderedStateIsStale_data()
{
    QTest::addColumn<QJsonArray>("before");
    QTest::addColumn<QJsonObject>("late");
    QTest::addColumn<CallState>("expectedState");

    const QJsonObject incoming = incomingCall(CallA);
    const QJsonObject establishing = callUpdated(CallA, u"establishing"_s);
    const QJsonObject established = callUpdated(CallA, u"established"_s);
    const QJsonObject terminating = callUpdated(CallA, u"terminating"_s);
    const QJsonObject terminated = callDeleted(CallA, resultInfo(200, 5001, u"Ended."_s));

    QTest::newRow("established after terminated")
        << QJsonArray { incoming, establishing, established, terminating, terminated }
        << established << CallState::Terminated;
    QTest::newRow("establishing after established") << QJsonArray { incoming, establishing,
        established } << establishing << CallState::Established;
    QTest::newRow("terminating after terminated") << QJsonArray { incoming, establishing,
        established, terminated } << terminating << CallState::Terminated;
}

void TstCallBook::reorderedStateIsStale()
{
    QFETCH(QJsonArray, before);
    QFETCH(QJsonObject, late);
    QFETCH(CallState, expectedState);

    CallBook book;
    for (qsizetype i = 0; i < before.size(); ++i)
        QCOMPARE(apply(book, before[i].toObject(), when(i)).outcome, Outcome::Applied);
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    const Call callBefore = entry->call;
    const QDateTime endedAt = entry->endedAt;
    const QDateTime lastEventAt = entry->lastEventAt;

    const ApplyResult r = apply(book, late, when(100));
    QCOMPARE(r.outcome, Outcome::Stale);
    QCOMPARE(describe(r.changes), QStringList {});
    QVERIFY(!r.reason.isEmpty());
    QCOMPARE(entry->call.state, expectedState);
    QCOMPARE(entry->call.raw, callBefore.raw);
    QCOMPARE(entry->endedAt, endedAt);
    QCOMPARE(entry->lastEventAt, lastEventAt);
}

void TstCallBook::stateAfterTerminatedIsStaleEvenWhenUnknown()
{
    // Terminated is final. A reordered update with a state the book does not know must not
    // bring an ended call back.
    CallBook book;
    establish(book, CallA);
    apply(book, callDeleted(CallA, resultInfo(200, 5001, u"Ended."_s)), when(10));
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);

    const ApplyResult r = apply(book, callUpdated(CallA, u"parked"_s), when(11));
    QCOMPARE(r.outcome, Outcome::Stale);
    QCOMPARE(entry->call.state, CallState::Terminated);
    // Once "parked" is in, even a known state passes: the ended call is established again.
    apply(book, callUpdated(CallA, u"established"_s), when(12));
    QCOMPARE(entry->call.state, CallState::Terminated);
    QCOMPARE(entry->endedAt, when(10));
    QVERIFY(!CallBook::isForwardTransition(CallState::Terminated, CallState::Unknown));
    QVERIFY(!CallBook::isForwardTransition(CallState::Terminated, CallState::UnknownFutureValue));
}

// ---- ids ---------------------------------------------------------------------------------------

void TstCallBook::idFormsReferToOneCall()
{
    const QString upper = u"491F0B00FFFF4C6A9B0E3D2A1C5B7E90"_s;
    QVERIFY(sameId(upper, CallA));

    CallBook book;
    // resourceUrl in upper case without dashes, resourceData with the lower-case dashed id.
    QJsonObject created = incomingCall(CallA);
    created.insert("resourceUrl"_L1, callUrl(upper));
    created.insert("resource"_L1, QString(u"/app/calls/"_s + upper));
    ApplyResult r = apply(book, created, when(0));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallAdded A"_s });

    // The next update names the call only in its resourceUrl, in the other form.
    r = apply(book, callUpdated(CallA, u"establishing"_s), when(1));
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from incoming"_s });
    r = apply(book, callUpdated(upper, u"established"_s), when(2));
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from establishing"_s });
    r = apply(book, roster(upper, { participant(Bot, u"Bot"_s, 1) }), when(3));
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[bot] ~[] -[]"_s });

    QCOMPARE(book.size(), 1);
    QCOMPARE(book.ids(), QStringList { CallA });
    QVERIFY(book.find(upper));
    QCOMPARE(book.find(upper), book.find(CallA));
    QCOMPARE(book.find(CallA)->call.id, CallA);
    QCOMPARE(book.find(CallA)->call.state, CallState::Established);
}

void TstCallBook::legacyResourcePathAlone()
{
    CallBook book;
    apply(book, incomingCall(CallA), when(0));

    QJsonObject update = callUpdated(CallA, u"establishing"_s);
    update.remove("resourceUrl"_L1);
    QCOMPARE(update.value("resource"_L1).toString(), u"/app/calls/"_s + CallA);
    const CommsNotification n = decoded(update);
    QCOMPARE(n.kind, ResourceKind::Call);
    QVERIFY(sameId(n.callId, CallA));

    ApplyResult r = book.apply(n, when(1));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from incoming"_s });

    QJsonObject participants = roster(CallA, { participant(Bot, u"Bot"_s, 1) });
    participants.remove("resourceUrl"_L1);
    r = apply(book, participants, when(2));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[bot] ~[] -[]"_s });

    QCOMPARE(book.size(), 1);
    QCOMPARE(book.find(CallA)->call.state, CallState::Establishing);
}

// ---- roster ------------------------------------------------------------------------------------

void TstCallBook::fullRosterAddsParticipants()
{
    CallBook book;
    establish(book, CallA);

    const ApplyResult r = apply(book, threeOnCallA(), when(5));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes),
        QStringList { u"ParticipantsChanged A +[bot,agent,caller] ~[] -[]"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s, u"caller"_s }));
    QVERIFY(entry->participant(Agent));
    QCOMPARE(entry->participant(Agent)->displayName(), u"Agent"_s);
    QCOMPARE(entry->rosterSequence, 1);
    QCOMPARE(entry->lastEventAt, when(5));
}

void TstCallBook::fullRosterWithoutParticipantRemovesIt()
{
    CallBook book;
    establish(book, CallA);
    apply(book, roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1) }),
        when(5));
    apply(book,
        roster(CallA,
            { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1),
                participant(Caller, u"Caller"_s, 2) }),
        when(6));

    // The agent left; the others are unchanged.
    const ApplyResult r = apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 2) }),
        when(7));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[] -[agent]"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"caller"_s }));
    QVERIFY(!entry->participant(Agent));
}

void TstCallBook::olderRosterIsStaleAndRemovesNobody()
{
    CallBook book;
    establish(book, CallA);
    apply(book,
        roster(CallA,
            { participant(Bot, u"Bot"_s, 5), participant(Agent, u"Agent"_s, 5),
                participant(Caller, u"Caller"_s, 5) }),
        when(5));

    // A roster from before the caller joined, delivered late.
    const ApplyResult r = apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 4), participant(Agent, u"Agent"_s, 4, true) }),
        when(6));
    QCOMPARE(r.outcome, Outcome::Stale);
    QCOMPARE(describe(r.changes), QStringList {});
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s, u"caller"_s }));
    QVERIFY(!entry->participant(Agent)->isMuted);
    QCOMPARE(entry->rosterSequence, 5);
    QCOMPARE(entry->lastEventAt, when(5));
}

void TstCallBook::olderRosterDoesNotBringBackParticipantWhoLeft()
{
    CallBook book;
    establish(book, CallA);
    // Roster 2: the agent muted and the caller has left. It is delivered first ...
    apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 2, true) }),
        when(5));
    // ... and roster 1, from when the caller was still there, arrives after it.
    const ApplyResult r = apply(book, threeOnCallA(), when(6));
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(r.outcome, Outcome::Stale);
    QCOMPARE(describe(r.changes), QStringList {});
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s }));
    QVERIFY(entry->participant(Agent)->isMuted);
    QCOMPARE(entry->rosterSequence, 2);
}

void TstCallBook::olderEntryForOneParticipantIsSkipped()
{
    CallBook book;
    establish(book, CallA);
    apply(book,
        roster(CallA,
            { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1),
                participant(Caller, u"Caller"_s, 4) }),
        when(5));

    // The agent's entry is newer than anything applied, the caller's older than its last one.
    const ApplyResult r = apply(book,
        roster(CallA,
            { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 5, true),
                participant(Caller, u"Caller"_s, 3, true) }),
        when(6));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[agent] -[]"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s, u"caller"_s }));
    QVERIFY(entry->participant(Agent)->isMuted);
    QCOMPARE(entry->participant(Agent)->rosterSequenceNumber, 5);
    QVERIFY(!entry->participant(Caller)->isMuted);
    QCOMPARE(entry->participant(Caller)->rosterSequenceNumber, 4);
    QCOMPARE(entry->rosterSequence, 5);
}

void TstCallBook::deltaRosterKeepsAbsentAndRemovesRemovedState()
{
    CallBook book;
    book.applyCall(createdCall(CallA, true), when(0));
    apply(book, callUpdated(CallA, u"established"_s), when(1));
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.isDeltaRosterEnabled, true);

    ApplyResult r = apply(book, threeOnCallA(), when(2));
    QCOMPARE(describe(r.changes),
        QStringList { u"ParticipantsChanged A +[bot,agent,caller] ~[] -[]"_s });

    // Only what changed is sent: the others stay.
    r = apply(book, roster(CallA, { participant(Agent, u"Agent"_s, 2, true) }), when(3));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[agent] -[]"_s });
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s, u"caller"_s }));

    // A participant who left carries removedState.
    r = apply(book, roster(CallA, { removedParticipant(Caller, u"Caller"_s, 3) }), when(4));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[] -[caller]"_s });
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s }));
    QCOMPARE(entry->rosterSequence, 3);
}

void TstCallBook::singleParticipantObjectOnParticipantPath()
{
    CallBook book;
    establish(book, CallA);
    apply(book, threeOnCallA(), when(5));

    const QJsonObject update =
        participantNotification(CallA, participant(Agent, u"Agent"_s, 2, true));
    const CommsNotification n = decoded(update);
    QCOMPARE(n.kind, ResourceKind::Participant);
    QCOMPARE(n.subId, Agent);
    QVERIFY(n.resourceData.isObject());

    // One participant is not a whole roster: nobody else is removed.
    ApplyResult r = book.apply(n, when(6));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[agent] -[]"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s, u"caller"_s }));
    QVERIFY(entry->participant(Agent)->isMuted);

    // Its deletion removes it.
    r = apply(book,
        participantNotification(CallA, participant(Caller, u"Caller"_s, 3), u"deleted"_s), when(7));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[] -[caller]"_s });
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s }));
}

void TstCallBook::muteChangeIsReportedAsChanged()
{
    CallBook book;
    establish(book, CallA);
    apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 1) }),
        when(5));

    const ApplyResult r = apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Caller, u"Caller"_s, 2, true) }),
        when(6));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[caller] -[]"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QVERIFY(entry->participant(Caller)->isMuted);
    QVERIFY(!entry->participant(Bot)->isMuted);
    // The change carries the caller as it was and as it is; the unchanged bot is in neither.
    const CallBookChange &change = r.changes.constFirst();
    QCOMPARE(change.before.size(), 1);
    QCOMPARE(change.before.constFirst().id, Caller);
    QVERIFY(!change.before.constFirst().isMuted);
    QCOMPARE(change.after.size(), 1);
    QCOMPARE(change.after.constFirst().id, Caller);
    QVERIFY(change.after.constFirst().isMuted);
}

void TstCallBook::rosterChangeCarriesThePeopleItConcerns()
{
    CallBook book;
    establish(book, CallA);
    apply(book, roster(CallA, { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1) }),
        when(5));

    // The agent leaves (absent from a whole roster) and the caller joins.
    const ApplyResult r = apply(book,
        roster(CallA, { participant(Bot, u"Bot"_s, 2), participant(Caller, u"Caller"_s, 2) }),
        when(6));
    QCOMPARE(
        describe(r.changes), QStringList { u"ParticipantsChanged A +[caller] ~[bot] -[agent]"_s });
    const CallBookChange &change = r.changes.constFirst();
    QStringList before;
    for (const Participant &p : change.before)
        before.append(p.displayName());
    QStringList after;
    for (const Participant &p : change.after)
        after.append(p.displayName());
    QCOMPARE(before, (QStringList { u"Bot"_s, u"Agent"_s }));
    QCOMPARE(after, (QStringList { u"Bot"_s, u"Caller"_s }));
}

void TstCallBook::unchangedParticipantsAreNotReported()
{
    CallBook book;
    establish(book, CallA);
    const QJsonObject sent = threeOnCallA();
    apply(book, sent, when(5));

    // The same roster again: nobody changed, and nothing is reported.
    const ApplyResult again = apply(book, sent, when(6));
    QCOMPARE(again.outcome, Outcome::Duplicate);
    QVERIFY(again.changes.isEmpty());
    QCOMPARE(book.find(CallA)->lastEventAt, when(5));
}

void TstCallBook::reorderedRosterIsMatchedByIdNotPlace()
{
    for (const CallBook::Memory memory : { CallBook::Memory::Full, CallBook::Memory::Lean }) {
        CallBook book;
        book.setMemory(memory);
        establish(book, CallA);
        apply(book, threeOnCallA(), when(5));
        // The same people in another order: nothing changed.
        const ApplyResult same = apply(book,
            roster(CallA,
                { participant(Caller, u"Caller"_s, 1), participant(Bot, u"Bot"_s, 1),
                    participant(Agent, u"Agent"_s, 1) }),
            when(6));
        QCOMPARE(same.outcome, Outcome::Duplicate);
        // The first place now holds someone else, and the bot has left.
        const ApplyResult left = apply(book,
            roster(
                CallA, { participant(Agent, u"Agent"_s, 2), participant(Caller, u"Caller"_s, 1) }),
            when(7));
        QCOMPARE(
            describe(left.changes), QStringList { u"ParticipantsChanged A +[] ~[agent] -[bot]"_s });
        const ApplyResult back = apply(book,
            roster(CallA,
                { participant(Caller, u"Caller"_s, 1), participant(Bot, u"Bot"_s, 3),
                    participant(Agent, u"Agent"_s, 2) }),
            when(8));
        QCOMPARE(describe(back.changes), QStringList { u"ParticipantsChanged A +[bot] ~[] -[]"_s });
        QCOMPARE(book.find(CallA)->participants.size(), 3);
    }
}

void TstCallBook::rosterForUnseenCallCreatesEntry()
{
    CallBook book;
    establish(book, CallA);

    const ApplyResult r = apply(book,
        roster(CallB, { participant(Bot, u"Bot"_s, 1), participant(Agent, u"Agent"_s, 1) }),
        when(5));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes),
        (QStringList { u"CallAdded B"_s, u"ParticipantsChanged B +[bot,agent] ~[] -[]"_s }));
    const CallEntry *entry = book.find(CallB);
    QVERIFY(entry);
    QCOMPARE(entry->call.id, CallB);
    QVERIFY(!entry->call.state.isPresent());
    QCOMPARE(participantIds(*entry), (QStringList { u"bot"_s, u"agent"_s }));
    QCOMPARE(entry->firstSeenAt, when(5));
    QCOMPARE(book.ids(), (QStringList { CallA, CallB }));
}

// ---- tones -------------------------------------------------------------------------------------

void TstCallBook::tonesAreOrderedBySequenceId()
{
    CallBook book;
    establish(book, CallA);

    const QList<std::pair<qint64, QString>> arrivals {
        { 3, u"pound"_s },
        { 1, u"tone1"_s },
        { 2, u"tone2"_s },
    };
    int second = 10;
    for (const auto &[sequenceId, tone] : arrivals) {
        const ApplyResult r =
            apply(book, toneNotification(CallA, sequenceId, tone), when(second++));
        QCOMPARE(r.outcome, Outcome::Applied);
        QCOMPARE(describe(r.changes), QStringList { u"ToneReceived A"_s });
    }

    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->tones.size(), 3);
    QCOMPARE(entry->tones[0].sequenceId, 1);
    QCOMPARE(entry->tones[1].sequenceId, 2);
    QCOMPARE(entry->tones[2].sequenceId, 3);
    QCOMPARE(entry->tones[0].tone, Tone::Tone1);
    QCOMPARE(entry->tones[1].tone, Tone::Tone2);
    QCOMPARE(entry->tones[2].tone, Tone::Pound);
    QCOMPARE(entry->call.state, CallState::Established);
}

void TstCallBook::repeatedToneSequenceIdIsDuplicate()
{
    CallBook book;
    establish(book, CallA);
    apply(book, toneNotification(CallA, 1, u"tone4"_s), when(10));
    apply(book, toneNotification(CallA, 2, u"star"_s), when(11));

    const ApplyResult r = apply(book, toneNotification(CallA, 2, u"star"_s), when(12));
    QCOMPARE(r.outcome, Outcome::Duplicate);
    QCOMPARE(describe(r.changes), QStringList {});
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->tones.size(), 2);
    QCOMPARE(entry->lastEventAt, when(11));
}

// ---- operations --------------------------------------------------------------------------------

void TstCallBook::completedOperationFinishesOnce()
{
    CallBook book;
    establish(book, CallA);

    const QJsonObject done = operationNotification(CallA, PromptOp, u"completed"_s);
    ApplyResult r = apply(book, done, when(20));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"OperationFinished A prompt"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->operations.size(), 1);
    const CommsOperation &op = entry->operations.first();
    QCOMPARE(op.id, PromptOp);
    QCOMPARE(op.odataType, u"#microsoft.graph.playPromptOperation"_s);
    QCOMPARE(op.status, OperationStatus::Completed);
    QCOMPARE(op.clientContext, u"greeting"_s);
    QCOMPARE(op.resultInfo.code, 200);
    QCOMPARE(entry->lastEventAt, when(20));

    r = apply(book, done, when(21));
    QCOMPARE(r.outcome, Outcome::Duplicate);
    QCOMPARE(describe(r.changes), QStringList {});
    QCOMPARE(entry->operations.size(), 1);
    QCOMPARE(entry->lastEventAt, when(20));
}

void TstCallBook::deletedOperationWithoutStatusFinishes()
{
    CallBook book;
    establish(book, CallA);

    const ApplyResult r = apply(book, operationNotification(CallA, PromptOp, {}), when(20));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"OperationFinished A prompt"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->operations.size(), 1);
    QCOMPARE(entry->operations.first().status, OperationStatus::Completed);
    QVERIFY(entry->operations.first().isFinished());
}

void TstCallBook::operationOnUnknownCallIsIgnored()
{
    CallBook book;
    establish(book, CallA);

    const ApplyResult r =
        apply(book, operationNotification(CallB, PromptOp, u"completed"_s), when(20));
    QCOMPARE(r.outcome, Outcome::Ignored);
    QCOMPARE(describe(r.changes), QStringList {});
    QVERIFY(!r.reason.isEmpty());
    QVERIFY(!book.find(CallB));
    QCOMPARE(book.ids(), QStringList { CallA });
    QVERIFY(book.find(CallA)->operations.isEmpty());
}

void TstCallBook::sameRunningOperationTwiceIsDuplicate()
{
    CallBook book;
    establish(book, CallA);
    const QJsonObject running = operationNotification(CallA, PromptOp, u"Running"_s, u"updated"_s);

    ApplyResult r = apply(book, running, when(20));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"OperationUpdated A prompt"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->operations.size(), 1);
    QCOMPARE(entry->operations.first().status, OperationStatus::Running);

    r = apply(book, running, when(21));
    QCOMPARE(r.outcome, Outcome::Duplicate);
    QCOMPARE(describe(r.changes), QStringList {});
    QCOMPARE(entry->lastEventAt, when(20));
    QCOMPARE(entry->operations.size(), 1);
}

// ---- book keeping ------------------------------------------------------------------------------

void TstCallBook::markEndedTerminatesLiveCall()
{
    CallBook book;
    establish(book, CallA);

    ResultInfo gone;
    gone.code = 404;
    gone.subcode = 0;
    gone.message = u"Call not found."_s;
    const ApplyResult r = book.markEnded(CallA, gone, when(50));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from established"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Terminated);
    QCOMPARE(entry->call.resultInfo.code, 404);
    QCOMPARE(entry->call.resultInfo.subcode, 0);
    QCOMPARE(entry->call.resultInfo.message, u"Call not found."_s);
    QCOMPARE(entry->endedAt, when(50));
    QVERIFY(entry->isEnded());
}

void TstCallBook::endedCallIsKeptForRetainEndedThenRemoved()
{
    CallBook book(std::chrono::minutes(10));
    QCOMPARE(book.retainEnded(), std::chrono::milliseconds(std::chrono::minutes(10)));
    establish(book, CallA);
    apply(book, callDeleted(CallA, resultInfo(200, 5001, u"Ended."_s)), when(60));

    QCOMPARE(describe(book.expire(when(60))), QStringList {});
    QCOMPARE(describe(book.expire(when(60 + 10 * 60 - 1))), QStringList {});
    QVERIFY(book.find(CallA));
    QCOMPARE(book.ids(), QStringList { CallA });

    QCOMPARE(describe(book.expire(when(60 + 10 * 60 + 1))), QStringList { u"CallRemoved A"_s });
    QVERIFY(!book.find(CallA));
    QCOMPARE(book.ids(), QStringList {});
    QCOMPARE(book.size(), 0);
    // Once gone, it is not removed again.
    QCOMPARE(describe(book.expire(when(60 + 20 * 60))), QStringList {});
}

void TstCallBook::removeDropsOneCallWhateverItsState()
{
    CallBook book(std::chrono::minutes(10));
    establish(book, CallA);
    apply(book, incomingCall(CallB), when(3));
    apply(book, incomingCall(CallC), when(4));
    // Ids are matched however they are spelled, as find() matches them.
    QVERIFY(book.remove(CallB.toUpper()));
    QVERIFY(!book.find(CallB));
    QCOMPARE(book.ids(), QStringList({ CallA, CallC }));
    QVERIFY(book.remove(CallA)); // live: remove() does not ask
    QCOMPARE(book.ids(), QStringList { CallC });
    QCOMPARE(book.size(), 1);
    QVERIFY(!book.remove(CallA));
    QVERIFY(book.find(CallC));
}

void TstCallBook::liveCallsNeverExpire()
{
    CallBook book(std::chrono::minutes(10));
    establish(book, CallA);
    apply(book, incomingCall(CallB), when(3));
    apply(book, callDeleted(CallB), when(4));

    // A year later only the ended call goes.
    QCOMPARE(describe(book.expire(when(365 * 24 * 3600))), QStringList { u"CallRemoved B"_s });
    QVERIFY(book.find(CallA));
    QCOMPARE(book.ids(), QStringList { CallA });
    QCOMPARE(describe(book.expire(when(2 * 365 * 24 * 3600))), QStringList {});
    QVERIFY(book.find(CallA));
}

void TstCallBook::resetReplacesState()
{
    CallBook book;
    establish(book, CallA);
    apply(book, incomingCall(CallB), when(3));

    CallEntry snapshot;
    snapshot.call = decodeCall(QJsonObject {
        { "id"_L1, CallC }, { "state"_L1, u"established"_s }, { "direction"_L1, u"outgoing"_s } });
    snapshot.participants.append(decodeParticipant(participant(Bot, u"Bot"_s, 7)));
    snapshot.rosterSequence = 7;
    snapshot.firstSeenAt = when(-100);
    snapshot.lastEventAt = when(-50);
    book.reset({ snapshot });

    QCOMPARE(book.size(), 1);
    QCOMPARE(book.ids(), QStringList { CallC });
    QVERIFY(!book.find(CallA));
    QVERIFY(!book.find(CallB));
    const CallEntry *entry = book.find(CallC);
    QVERIFY(entry);
    QCOMPARE(entry->call.state, CallState::Established);
    QCOMPARE(participantIds(*entry), QStringList { u"bot"_s });
    QCOMPARE(entry->rosterSequence, 7);
    QCOMPARE(entry->firstSeenAt, when(-100));

    // Notifications apply on top of the snapshot.
    const ApplyResult r = apply(book, callUpdated(CallC, u"terminating"_s), when(10));
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged C from established"_s });
}

void TstCallBook::idsAreInFirstSeenOrder()
{
    CallBook book;
    apply(book, incomingCall(CallB), when(0));
    apply(book, incomingCall(CallA), when(1));
    apply(book, roster(CallC, { participant(Bot, u"Bot"_s, 1) }), when(2));
    // Later updates do not move a call.
    apply(book, callUpdated(CallB, u"establishing"_s), when(3));
    apply(book, callUpdated(CallA, u"establishing"_s), when(4));
    QCOMPARE(book.ids(), (QStringList { CallB, CallA, CallC }));

    apply(book, callDeleted(CallA), when(5));
    book.expire(when(5 + 3600));
    QCOMPARE(book.ids(), (QStringList { CallB, CallC }));
}

// ---- states ------------------------------------------------------------------------------------

void TstCallBook::unknownStateIsAcceptedAndKept()
{
    CallBook book;
    establish(book, CallA);

    ApplyResult r = apply(book, callUpdated(CallA, u"parked"_s), when(10));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from established"_s });
    const CallEntry *entry = book.find(CallA);
    QVERIFY(entry);
    QCOMPARE(entry->call.state.value, CallState::Unknown);
    QCOMPARE(entry->call.state.text, u"parked"_s);
    QVERIFY(!entry->isEnded());

    // The call goes on from there.
    r = apply(book, callUpdated(CallA, u"established"_s), when(11));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged A from parked"_s });
    QCOMPARE(entry->call.state, CallState::Established);
}

void TstCallBook::isForwardTransition_data()
{
    QTest::addColumn<CallState>("from");
    QTest::addColumn<CallState>("to");
    QTest::addColumn<bool>("forward");

    using S = CallState;
    const auto row = [](const char *name, S from, S to, bool forward) {
        QTest::newRow(name) << from << to << forward;
    };
    // What Graph sends (graph-notes §2.1).
    row("incoming -> establishing", S::Incoming, S::Establishing, true);
    row("incoming -> terminated (reject, timeout)", S::Incoming, S::Terminated, true);
    row("incoming -> redirecting", S::Incoming, S::Redirecting, true);
    row("establishing -> established", S::Establishing, S::Established, true);
    row("establishing -> terminated (setup failed)", S::Establishing, S::Terminated, true);
    row("established -> hold", S::Established, S::Hold, true);
    row("hold -> established", S::Hold, S::Established, true);
    row("established -> transferring", S::Established, S::Transferring, true);
    row("transferring -> transferAccepted", S::Transferring, S::TransferAccepted, true);
    row("transferAccepted -> terminated", S::TransferAccepted, S::Terminated, true);
    row("transferring -> established (transfer failed)", S::Transferring, S::Established, true);
    row("transferAccepted -> established (transfer failed)", S::TransferAccepted, S::Established,
        true);
    row("established -> terminating", S::Established, S::Terminating, true);
    row("terminating -> terminated", S::Terminating, S::Terminated, true);
    row("established -> terminated", S::Established, S::Terminated, true);
    row("redirecting -> terminated", S::Redirecting, S::Terminated, true);
    row("established -> established", S::Established, S::Established, true);
    row("terminated -> terminated", S::Terminated, S::Terminated, true);
    // Unknown states are always accepted, from and to.
    row("unknown -> established", S::Unknown, S::Established, true);
    row("established -> unknownFutureValue", S::Established, S::UnknownFutureValue, true);
    // Reordered.
    row("establishing -> incoming", S::Establishing, S::Incoming, false);
    row("established -> establishing", S::Established, S::Establishing, false);
    row("established -> incoming", S::Established, S::Incoming, false);
    row("transferAccepted -> transferring", S::TransferAccepted, S::Transferring, false);
    row("terminating -> established", S::Terminating, S::Established, false);
    row("terminating -> transferring", S::Terminating, S::Transferring, false);
    row("terminated -> established", S::Terminated, S::Established, false);
    row("terminated -> terminating", S::Terminated, S::Terminating, false);
    row("terminated -> incoming", S::Terminated, S::Incoming, false);
}

void TstCallBook::isForwardTransition()
{
    QFETCH(CallState, from);
    QFETCH(CallState, to);
    QFETCH(bool, forward);

    QCOMPARE(CallBook::isForwardTransition(from, to), forward);
}

// ---- fixes for review findings ------------------------------------------------------------------

void TstCallBook::toneDuringTransferKeepsTransferring()
{
    CallBook book;
    establish(book, CallA);
    apply(book, callUpdated(CallA, u"transferring"_s), when(10));
    // Tone notifications always say "established"; that must not read as a failed transfer.
    const ApplyResult r = apply(book, toneNotification(CallA, 1, u"tone5"_s), when(11));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ToneReceived A"_s });
    QCOMPARE(book.find(CallA)->call.state, CallState::Transferring);
    QCOMPARE(book.find(CallA)->tones.size(), 1);
}

void TstCallBook::lateCreateResponseAddsMissingFields()
{
    CallBook book;
    // The "established" callback overtakes the 201 response of the create request.
    apply(book, callUpdated(CallB, u"established"_s), when(1));
    const Decoded<Call> created = decodeCallDocument(createdCallBody(CallB));
    QVERIFY(created.ok());
    const ApplyResult r = book.applyCall(created.value, when(2));
    QCOMPARE(r.outcome, Outcome::Stale);
    const CallEntry *entry = book.find(CallB);
    QCOMPARE(entry->call.state, CallState::Established);
    QCOMPARE(entry->call.direction, CallDirection::Outgoing);
    QVERIFY(!entry->call.callChainId.isEmpty());
    QCOMPARE(describe(r.changes), QStringList { u"CallChanged B from established"_s });
}

void TstCallBook::stateCaseOnlyIsDuplicate()
{
    CallBook book;
    establish(book, CallA);
    const ApplyResult r = apply(book, callUpdated(CallA, u"Established"_s), when(5));
    QCOMPARE(r.outcome, Outcome::Duplicate);
    QVERIFY(r.changes.isEmpty());
}

void TstCallBook::markEndedOnUnknownOrEndedCall()
{
    CallBook book;
    ResultInfo gone;
    gone.code = 404;
    QCOMPARE(book.markEnded(CallC, gone, when(1)).outcome, Outcome::Ignored);
    QCOMPARE(book.size(), 0);

    establish(book, CallA);
    apply(book, callDeleted(CallA, resultInfo(200, 5001, u"Call ended"_s)), when(5));
    const ApplyResult r = book.markEnded(CallA, gone, when(6));
    QCOMPARE(r.outcome, Outcome::Duplicate);
    QCOMPARE(book.find(CallA)->call.resultInfo.subcode, 5001);
}

void TstCallBook::failedTransferResultDoesNotExplainTheEnd()
{
    CallBook book;
    establish(book, CallA);
    apply(book, callUpdated(CallA, u"transferring"_s), when(10));
    apply(book,
        callUpdated(CallA, u"established"_s,
            { { "resultInfo"_L1, resultInfo(500, 7000, u"Transfer failed"_s) } }),
        when(11));
    QCOMPARE(book.find(CallA)->call.resultInfo.code, 500);
    apply(book, callDeleted(CallA), when(20));
    const CallEntry *entry = book.find(CallA);
    QCOMPARE(entry->call.state, CallState::Terminated);
    QVERIFY(!entry->call.resultInfo.isPresent());
}

void TstCallBook::resourceIdSpellingWinsOverUrlSpelling()
{
    CallBook book;
    const QString upper = QString(CallA).remove(u'-').toUpper();
    apply(book,
        envelope(u"updated"_s, u"/communications/calls/"_s + upper + u"/participants"_s,
            QJsonArray { participant(Bot, u"bot"_s, 1) }),
        when(1));
    QCOMPARE(book.ids(), QStringList { upper });
    apply(book, callUpdated(CallA, u"established"_s, { { "id"_L1, CallA } }), when(2));
    QCOMPARE(book.ids(), QStringList { CallA });
    QCOMPARE(book.find(upper)->call.id, CallA);
}

void TstCallBook::participantDeletedByUrlId()
{
    CallBook book;
    establish(book, CallA);
    apply(book,
        roster(
            CallA, QJsonArray { participant(Bot, u"bot"_s, 1), participant(Agent, u"agent"_s, 1) }),
        when(3));
    const QJsonObject withoutId { { "@odata.type"_L1, u"#microsoft.graph.participant"_s } };
    const ApplyResult r = apply(book,
        envelope(u"deleted"_s, callUrl(CallA) + u"/participants/"_s + Agent, withoutId), when(4));
    QCOMPARE(r.outcome, Outcome::Applied);
    QCOMPARE(describe(r.changes), QStringList { u"ParticipantsChanged A +[] ~[] -[agent]"_s });
}

QTEST_GUILESS_MAIN(TstCallBook)
#include "tst_callbook.moc"

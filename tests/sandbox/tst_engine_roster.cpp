// Tests of Sandbox::Engine's group calls and rosters: group invitations, people joining,
// invitations, muting, removing (whole and delta rosters), self-mute, rosterSequenceNumber.
// Time moves only with ManualClock::advance(); a recording Notifier keeps every callback.

#include "graph/clock.h"
#include "graph/codec.h"
#include "sandbox/engine.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString GlobalUrl = u"https://bot.example.org/api/calling"_s;
const QString AnswerUrl = u"https://relay.example.org/api/calls/answered"_s;
const QString CreateUrl = u"https://relay.example.org/api/calls/placed"_s;
const QString OrganizerId = u"c4d6e8f0-2a4b-4c6d-8e0f-1a3b5c7d9e21"_s;
const QString AgentA = u"9d2c6a41-7e3b-4f05-8c1a-6b4e2d9f0a37"_s;
const QString AgentB = u"4b1e8c2d-0f3a-4d6b-9e5c-7a2f1d8b3c60"_s;
const QString AgentC = u"2d4f6a8c-0e1b-4c3d-9f5a-7b9d1e3f5a7c"_s;

class RecordingNotifier final : public Sandbox::Notifier
{
public:
    void notify(const QString &url, const QJsonObject &envelope) override
    {
        for (const QJsonValue &v : envelope.value("value"_L1).toArray())
            items.append({ url, v.toObject() });
    }

    QList<std::pair<QString, QJsonObject>> items;
};

QString describe(const QJsonObject &n)
{
    const QString change = n.value("changeType"_L1).toString();
    const QString url = n.value("resourceUrl"_L1).toString();
    if (url.endsWith(u"/participants"_s))
        return change + u" roster "_s
            + QString::number(n.value("resourceData"_L1).toArray().size());
    const QJsonObject data = n.value("resourceData"_L1).toObject();
    if (url.contains(u"/operations/"_s))
        return change + u' ' + data.value("@odata.type"_L1).toString().mid(17) + u' '
            + data.value("status"_L1).toString();
    return change + u" call "_s + data.value("state"_L1).toString();
}

QJsonObject userTarget(const QString &id, const QString &name = {})
{
    QJsonObject user { { "id"_L1, id } };
    if (!name.isEmpty())
        user.insert("displayName"_L1, name);
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1, QJsonObject { { "user"_L1, user } } } };
}

QJsonObject mediaConfig()
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } };
}

// The display name, or the user id, of each roster entry.
QStringList names(const QJsonArray &roster)
{
    QStringList out;
    for (const QJsonValue &v : roster) {
        const Graph::Participant p = Graph::decodeParticipant(v.toObject());
        const auto primary = p.info.identity.primary();
        out.append(p.displayName().isEmpty() && primary ? primary->second.id : p.displayName());
    }
    return out;
}

struct Rig
{
    Rig()
        : engine(config(), &clock, &notifier, 5)
    { }

    static Sandbox::EngineConfig config()
    {
        Sandbox::EngineConfig c;
        c.globalCallbackUrl = GlobalUrl;
        c.baseUrl = u"http://127.0.0.1:8765"_s;
        return c;
    }

    // An answered invitation into a group call with `others` people besides the organizer.
    QString groupCall(int others = 2)
    {
        Sandbox::IncomingOptions options;
        options.groupInvite = true;
        options.groupSize = others;
        options.subject = u"Weekly reception handover"_s;
        const QString id = engine.incoming({ u"Megan Bowen"_s, {}, OrganizerId }, options);
        engine.answer(id,
            QJsonObject { { "callbackUri"_L1, AnswerUrl }, { "mediaConfig"_L1, mediaConfig() } });
        clock.advance(1s);
        notifier.items.clear();
        return id;
    }

    QString peerToPeerCall()
    {
        const QString id = engine.incoming({ u"Lee Gu"_s, u"+14255550111"_s, {} });
        engine.answer(id,
            QJsonObject { { "callbackUri"_L1, AnswerUrl }, { "mediaConfig"_L1, mediaConfig() } });
        clock.advance(1s);
        notifier.items.clear();
        return id;
    }

    QString placedGroupCall(const QJsonArray &targets, bool deltaRoster = false)
    {
        QJsonObject body { { "callbackUri"_L1, CreateUrl }, { "mediaConfig"_L1, mediaConfig() },
            { "targets"_L1, targets }, { "subject"_L1, u"Escalation"_s } };
        if (deltaRoster)
            body.insert("callOptions"_L1,
                QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.outgoingCallOptions"_s },
                    { "isDeltaRosterEnabled"_L1, true } });
        const QString id = engine.createCall(body).body.value("id"_L1).toString();
        clock.advance(2s);
        return id;
    }

    QStringList sequence() const
    {
        QStringList out;
        for (const auto &item : notifier.items)
            out.append(describe(item.second));
        return out;
    }

    QJsonObject last() const { return notifier.items.last().second; }
    QJsonArray lastRoster() const
    {
        for (qsizetype i = notifier.items.size() - 1; i >= 0; --i) {
            if (notifier.items[i]
                    .second.value("resourceUrl"_L1)
                    .toString()
                    .endsWith(u"/participants"_s))
                return notifier.items[i].second.value("resourceData"_L1).toArray();
        }
        return {};
    }
    QJsonArray participants(const QString &callId) const
    {
        return engine.listParticipants(callId).body.value("value"_L1).toArray();
    }

    Graph::ManualClock clock;
    RecordingNotifier notifier;
    Sandbox::Engine engine;
};

QString errorCode(const Sandbox::Reply &reply)
{
    return reply.body.value("error"_L1).toObject().value("code"_L1).toString();
}

std::pair<int, int> result(const QJsonObject &resource)
{
    const QJsonObject info = resource.value("resultInfo"_L1).toObject();
    return { info.value("code"_L1).toInt(-1), info.value("subcode"_L1).toInt(-1) };
}

} // namespace

class TestEngineRoster final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupInviteCarriesChatAndMeetingInfo();
    void answeredGroupInviteSendsWholeRoster();
    void placedGroupCallRosterHasReachableTargets();
    void joinAddsParticipant();
    void joinNeedsGroupCall();
    void lobbyJoinerWaitsUntilAdmitted();
    void inviteAddsParticipantsAndCompletes();
    void inviteOfUnreachableTargetFails();
    void inviteIsValidated();
    void muteParticipantSetsIsMuted();
    void removeParticipantSendsWholeRosterWithoutThem();
    void removeParticipantWithDeltaRosterSendsOnlyTheChange();
    void removingTheBotItselfIs400();
    void selfMuteOnlyInGroupCalls();
    void muteAndUnmuteSelfChangeBotsIsMuted();
    void rosterSequenceNumberIncreases();
    void listAndGetParticipants();
    void remoteHangupInGroupCallRemovesParticipantsUntilTheLast();
};

void TestEngineRoster::groupInviteCarriesChatAndMeetingInfo()
{
    Rig rig;
    Sandbox::IncomingOptions options;
    options.groupInvite = true;
    options.subject = u"Weekly reception handover"_s;
    rig.engine.incoming({ u"Megan Bowen"_s, {}, OrganizerId }, options);
    const QJsonObject call = rig.last().value("resourceData"_L1).toObject();
    QCOMPARE(rig.last().value("changeType"_L1).toString(), u"created"_s);
    QCOMPARE(call.value("subject"_L1).toString(), u"Weekly reception handover"_s);
    const QJsonObject chat = call.value("chatInfo"_L1).toObject();
    QVERIFY2(chat.value("threadId"_L1).toString().startsWith(u"19:meeting_"_s),
        qPrintable(chat.value("threadId"_L1).toString()));
    QVERIFY(chat.value("threadId"_L1).toString().endsWith(u"@thread.v2"_s));
    QCOMPARE(chat.value("messageId"_L1).toString(), u"0"_s);
    const QJsonObject meeting = call.value("meetingInfo"_L1).toObject();
    QCOMPARE(
        meeting.value("@odata.type"_L1).toString(), u"#microsoft.graph.organizerMeetingInfo"_s);
    QCOMPARE(meeting.value("organizer"_L1)
                 .toObject()
                 .value("user"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        OrganizerId);
    QVERIFY(Graph::decodeCall(call).isGroupCall());
}

void TestEngineRoster::answeredGroupInviteSendsWholeRoster()
{
    Rig rig;
    Sandbox::IncomingOptions options;
    options.groupInvite = true;
    options.groupSize = 3;
    const QString id = rig.engine.incoming({ u"Megan Bowen"_s, {}, OrganizerId }, options);
    rig.engine.answer(
        id, QJsonObject { { "callbackUri"_L1, AnswerUrl }, { "mediaConfig"_L1, mediaConfig() } });
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence(),
        (QStringList { u"created call incoming"_s, u"updated call establishing"_s,
            u"updated call established"_s, u"updated roster 5"_s }));
    const QJsonArray roster = rig.lastRoster();
    const QStringList people = names(roster);
    QCOMPARE(people.first(), rig.engine.config().botDisplayName);
    QCOMPARE(people[1], u"Megan Bowen"_s);
    QCOMPARE(people.size(), 5);
    QCOMPARE(rig.participants(id), roster);
}

void TestEngineRoster::placedGroupCallRosterHasReachableTargets()
{
    Rig rig;
    rig.engine.setUnreachable({ AgentC });
    rig.placedGroupCall(QJsonArray { userTarget(AgentA, u"Agent A"_s),
        userTarget(AgentB, u"Agent B"_s), userTarget(AgentC, u"Agent C"_s) });
    QCOMPARE(rig.sequence(),
        (QStringList { u"updated call establishing"_s, u"updated call established"_s,
            u"updated roster 3"_s }));
    QCOMPARE(names(rig.lastRoster()),
        (QStringList { rig.engine.config().botDisplayName, u"Agent A"_s, u"Agent B"_s }));
}

void TestEngineRoster::joinAddsParticipant()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const Sandbox::Reply reply = rig.engine.join(id, { u"Lidia Holloway"_s, {}, AgentA });
    QCOMPARE(reply.status, 200);
    const QString joinerId = reply.body.value("id"_L1).toString();
    QVERIFY(!joinerId.isEmpty());
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 4"_s });
    QCOMPARE(names(rig.lastRoster()).last(), u"Lidia Holloway"_s);
    QCOMPARE(rig.lastRoster().last().toObject().value("id"_L1).toString(), joinerId);
    QCOMPARE(rig.engine.getParticipant(id, joinerId).status, 200);
}

void TestEngineRoster::lobbyJoinerWaitsUntilAdmitted()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const Sandbox::Reply reply =
        rig.engine.join(id, { u"Lidia Holloway"_s, u"+14255550100"_s, {} }, true);
    QCOMPARE(reply.status, 200);
    const QString joinerId = reply.body.value("id"_L1).toString();
    rig.clock.advance(500ms);
    QCOMPARE(rig.lastRoster().last().toObject().value("id"_L1).toString(), joinerId);
    QCOMPARE(rig.lastRoster().last().toObject().value("isInLobby"_L1).toBool(), true);

    QCOMPARE(rig.engine.admit(id, joinerId).status, 202);
    rig.clock.advance(500ms);
    bool found = false;
    for (const QJsonValue &p : rig.lastRoster()) {
        if (p.toObject().value("id"_L1).toString() == joinerId) {
            found = true;
            QCOMPARE(p.toObject().value("isInLobby"_L1).toBool(), false);
        }
    }
    QVERIFY(found);
    // Admitting twice, or someone unknown, is refused.
    QCOMPARE(rig.engine.admit(id, joinerId).status, 400);
    QCOMPARE(rig.engine.admit(id, u"nobody"_s).status, 404);
}

void TestEngineRoster::joinNeedsGroupCall()
{
    Rig rig;
    const QString id = rig.peerToPeerCall();
    const Sandbox::Reply reply = rig.engine.join(id, { u"Lidia Holloway"_s, {}, AgentA });
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"InvalidStateForOperation"_s);
    rig.clock.advance(1s);
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineRoster::inviteAddsParticipantsAndCompletes()
{
    Rig rig;
    const QString id = rig.groupCall(0);
    const Sandbox::Reply reply = rig.engine.inviteParticipants(id,
        QJsonObject {
            { "participants"_L1,
                QJsonArray { userTarget(AgentA, u"Agent A"_s), userTarget(AgentB, u"Agent B"_s) } },
            { "clientContext"_L1, u"invite-1"_s } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.inviteParticipantsOperation"_s);
    QCOMPARE(reply.body.value("status"_L1).toString(), u"Running"_s);
    QCOMPARE(reply.body.value("participants"_L1).toArray().size(), 2);
    QCOMPARE(reply.body.value("clientContext"_L1).toString(), u"invite-1"_s);
    rig.clock.advance(2s);
    QCOMPARE(rig.sequence(),
        (QStringList {
            u"updated roster 4"_s, u"deleted inviteParticipantsOperation Completed"_s }));
    QCOMPARE(names(rig.lastRoster()).mid(2), (QStringList { u"Agent A"_s, u"Agent B"_s }));
    QCOMPARE(result(rig.last().value("resourceData"_L1).toObject()), std::make_pair(200, 0));
    QCOMPARE(rig.last().value("resourceUrl"_L1).toString(),
        u"/communications/calls/%1/operations/%2"_s.arg(id, reply.body.value("id"_L1).toString()));
}

void TestEngineRoster::inviteOfUnreachableTargetFails()
{
    Rig rig;
    rig.engine.setUnreachable({ AgentA });
    const QString id = rig.groupCall(0);
    rig.engine.inviteParticipants(
        id, QJsonObject { { "participants"_L1, QJsonArray { userTarget(AgentA) } } });
    rig.clock.advance(2s);
    QCOMPARE(rig.sequence(), QStringList { u"deleted inviteParticipantsOperation Failed"_s });
    QCOMPARE(result(rig.last().value("resourceData"_L1).toObject()), std::make_pair(480, 10037));
    QCOMPARE(rig.participants(id).size(), 2);
}

void TestEngineRoster::inviteIsValidated()
{
    Rig rig;
    const QString group = rig.groupCall(0);
    QJsonArray six;
    for (int i = 0; i < 6; ++i)
        six.append(userTarget(AgentA));
    QJsonArray five = six;
    five.removeLast();
    QCOMPARE(rig.engine.inviteParticipants(group, {}).status, 400);
    QCOMPARE(
        rig.engine.inviteParticipants(group, QJsonObject { { "participants"_L1, QJsonArray() } })
            .status,
        400);
    QCOMPARE(
        rig.engine.inviteParticipants(group, QJsonObject { { "participants"_L1, six } }).status,
        400);
    QCOMPARE(
        rig.engine.inviteParticipants(group, QJsonObject { { "participants"_L1, five } }).status,
        200);

    // Group calls only, and only those with a chat (a placed group call has none).
    const QJsonObject one { { "participants"_L1, QJsonArray { userTarget(AgentB) } } };
    const Sandbox::Reply p2p = rig.engine.inviteParticipants(rig.peerToPeerCall(), one);
    QCOMPARE(p2p.status, 400);
    QCOMPARE(errorCode(p2p), u"InvalidStateForOperation"_s);
    const QString placed =
        rig.placedGroupCall(QJsonArray { userTarget(AgentA), userTarget(AgentB) });
    const Sandbox::Reply noChat = rig.engine.inviteParticipants(placed, one);
    QCOMPARE(noChat.status, 400);
    QVERIFY(noChat.body.value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"chatInfo"_s));
}

void TestEngineRoster::muteParticipantSetsIsMuted()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const QString other = rig.participants(id)[2].toObject().value("id"_L1).toString();
    const Sandbox::Reply reply =
        rig.engine.muteParticipant(id, other, QJsonObject { { "clientContext"_L1, u"hush"_s } });
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.muteParticipantOperation"_s);
    QCOMPARE(reply.body.value("clientContext"_L1).toString(), u"hush"_s);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 3"_s });
    for (const QJsonValue &v : rig.lastRoster()) {
        const QJsonObject p = v.toObject();
        QCOMPARE(p.value("isMuted"_L1).toBool(), p.value("id"_L1).toString() == other);
    }
    QCOMPARE(rig.engine.getParticipant(id, other).body.value("isMuted"_L1).toBool(), true);
    QCOMPARE(
        rig.engine.muteParticipant(id, u"0f0f0f0f-0000-4000-8000-000000000000"_s, {}).status, 404);
}

void TestEngineRoster::removeParticipantSendsWholeRosterWithoutThem()
{
    Rig rig;
    const QString id = rig.groupCall(2);
    const QString gone = rig.participants(id)[2].toObject().value("id"_L1).toString();
    const Sandbox::Reply reply = rig.engine.removeParticipant(id, gone);
    QCOMPARE(reply.status, 204);
    QVERIFY(!reply.hasBody);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 3"_s });
    for (const QJsonValue &v : rig.lastRoster()) {
        QVERIFY(v.toObject().value("id"_L1).toString() != gone);
        QVERIFY(!v.toObject().contains("removedState"_L1));
    }
    QCOMPARE(rig.engine.getParticipant(id, gone).status, 404);
    QCOMPARE(rig.engine.removeParticipant(id, gone).status, 404);
}

void TestEngineRoster::removeParticipantWithDeltaRosterSendsOnlyTheChange()
{
    Rig rig;
    const QString id = rig.placedGroupCall(
        QJsonArray { userTarget(AgentA, u"Agent A"_s), userTarget(AgentB, u"Agent B"_s) }, true);
    QCOMPARE(rig.lastRoster().size(), 3); // the first delta is everyone
    rig.notifier.items.clear();
    const QJsonObject gone = rig.participants(id)[1].toObject();
    QCOMPARE(rig.engine.removeParticipant(id, gone.value("id"_L1).toString()).status, 204);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 1"_s });
    const QJsonObject entry = rig.lastRoster().first().toObject();
    QCOMPARE(entry.value("id"_L1).toString(), gone.value("id"_L1).toString());
    QCOMPARE(entry.value("removedState"_L1).toObject().value("reason"_L1).toString(), u"removed"_s);
    QCOMPARE(entry.value("rosterSequenceNumber"_L1).toInteger(), 2);
    QCOMPARE(rig.participants(id).size(), 2);

    // A mute, too, sends only the one who changed.
    const QString other = rig.participants(id)[1].toObject().value("id"_L1).toString();
    rig.engine.muteParticipant(id, other, {});
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence().last(), u"updated roster 1"_s);
    QCOMPARE(rig.lastRoster().first().toObject().value("id"_L1).toString(), other);
}

void TestEngineRoster::removingTheBotItselfIs400()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const QString bot = rig.engine.getCall(id).body.value("myParticipantId"_L1).toString();
    QCOMPARE(rig.engine.removeParticipant(id, bot).status, 400);
}

void TestEngineRoster::selfMuteOnlyInGroupCalls()
{
    Rig rig;
    const QString p2p = rig.peerToPeerCall();
    for (const Sandbox::Reply &reply :
        { rig.engine.muteSelf(p2p, {}), rig.engine.unmuteSelf(p2p, {}),
            rig.engine.muteParticipant(p2p, p2p, {}), rig.engine.removeParticipant(p2p, p2p) }) {
        QCOMPARE(reply.status, 400);
        QCOMPARE(errorCode(reply), u"InvalidStateForOperation"_s);
    }
    rig.clock.advance(1s);
    QVERIFY(rig.notifier.items.isEmpty());
}

void TestEngineRoster::muteAndUnmuteSelfChangeBotsIsMuted()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const QString bot = rig.engine.getCall(id).body.value("myParticipantId"_L1).toString();
    const Sandbox::Reply mute =
        rig.engine.muteSelf(id, QJsonObject { { "clientContext"_L1, u"m"_s } });
    QCOMPARE(mute.status, 200);
    QCOMPARE(mute.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.muteParticipantOperation"_s);
    QCOMPARE(mute.body.value("status"_L1).toString(), u"Completed"_s);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 3"_s });
    QCOMPARE(rig.lastRoster().first().toObject().value("id"_L1).toString(), bot);
    QCOMPARE(rig.lastRoster().first().toObject().value("isMuted"_L1).toBool(), true);

    const Sandbox::Reply unmute = rig.engine.unmuteSelf(id, {});
    QCOMPARE(unmute.status, 200);
    QCOMPARE(unmute.body.value("@odata.type"_L1).toString(),
        u"#microsoft.graph.unmuteParticipantOperation"_s);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence().size(), 2);
    QCOMPARE(rig.lastRoster().first().toObject().value("isMuted"_L1).toBool(), false);
}

void TestEngineRoster::rosterSequenceNumberIncreases()
{
    Rig rig;
    const QString id = rig.groupCall(2);
    rig.engine.join(id, { u"Lidia Holloway"_s, {}, AgentA });
    rig.clock.advance(500ms);
    rig.engine.muteSelf(id, {});
    rig.clock.advance(500ms);
    rig.engine.removeParticipant(id, rig.participants(id)[2].toObject().value("id"_L1).toString());
    rig.clock.advance(500ms);
    QList<qint64> sequence;
    for (const auto &[url, n] : std::as_const(rig.notifier.items)) {
        qint64 highest = 0;
        for (const QJsonValue &v : n.value("resourceData"_L1).toArray())
            highest = std::max(highest, v.toObject().value("rosterSequenceNumber"_L1).toInteger());
        sequence.append(highest);
    }
    // The first roster (on answer) was 1.
    QCOMPARE(sequence, (QList<qint64> { 2, 3, 4 }));
}

void TestEngineRoster::listAndGetParticipants()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    const Sandbox::Reply list = rig.engine.listParticipants(id);
    QCOMPARE(list.status, 200);
    const QJsonArray value = list.body.value("value"_L1).toArray();
    QCOMPARE(value.size(), 3);
    const QString pid = value[1].toObject().value("id"_L1).toString();
    const Sandbox::Reply one = rig.engine.getParticipant(id, pid);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body, value[1].toObject());
    const Sandbox::Reply missing =
        rig.engine.getParticipant(id, u"0a0a0a0a-0000-4000-8000-000000000000"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(errorCode(missing), u"itemNotFound"_s);
}

void TestEngineRoster::remoteHangupInGroupCallRemovesParticipantsUntilTheLast()
{
    Rig rig;
    const QString id = rig.groupCall(1);
    QCOMPARE(rig.engine.remoteHangup(id).status, 202);
    rig.clock.advance(500ms);
    QCOMPARE(rig.sequence(), QStringList { u"updated roster 2"_s });
    QVERIFY(!names(rig.lastRoster()).contains(u"Megan Bowen"_s));
    QCOMPARE(rig.engine.remoteHangup(id).status, 202);
    rig.clock.advance(1s);
    QCOMPARE(rig.sequence().mid(1),
        (QStringList { u"updated call terminating"_s, u"deleted call terminated"_s }));
    QCOMPARE(result(rig.last().value("resourceData"_L1).toObject()), std::make_pair(200, 5002));
}

QTEST_GUILESS_MAIN(TestEngineRoster)
#include "tst_engine_roster.moc"

// Tests of Sandbox::Engine's online meetings: creation with Graph's defaults and the fields
// given, the access-policy 403, validation, createOrGet, get and find, and calls that join a
// meeting created here. Time moves only with ManualClock::advance().

#include "graph/clock.h"
#include "graph/codec.h"
#include "sandbox/engine.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString OrganizerId = u"c4d6e8f0-2a4b-4c6d-8e0f-1a3b5c7d9e21"_s;
const QString DeniedId = u"8b2f4e6a-1c3d-4a5b-9e7f-0d2c4b6a8e31"_s;
const QString AttendeeId = u"2d4f6a8c-0e1b-4c3d-9f5a-7b9d1e3f5a7c"_s;
const QString CreateUrl = u"https://relay.example.org/api/calls/placed"_s;
// ManualClock's default start.
const QDateTime Start = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);

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

struct Rig
{
    Rig()
        : engine(config(), &clock, &notifier, 3)
    { }

    static Sandbox::EngineConfig config()
    {
        Sandbox::EngineConfig c;
        c.globalCallbackUrl = u"https://bot.example.org/api/calling"_s;
        c.baseUrl = u"http://127.0.0.1:8765"_s;
        return c;
    }

    Graph::ManualClock clock;
    RecordingNotifier notifier;
    Sandbox::Engine engine;
};

QJsonObject attendee(const QString &id, const QString &upn)
{
    return QJsonObject { { "upn"_L1, upn }, { "role"_L1, u"attendee"_s },
        { "identity"_L1, QJsonObject { { "user"_L1, QJsonObject { { "id"_L1, id } } } } } };
}

QJsonObject fullBody()
{
    return QJsonObject {
        { "subject"_L1, u"Reception handover"_s },
        { "startDateTime"_L1, u"2026-01-06T10:00:00.0000000Z"_s },
        { "endDateTime"_L1, u"2026-01-06T11:30:00Z"_s },
        { "externalId"_L1, u"frontdesk-handover"_s },
        { "allowedPresenters"_L1, u"roleIsPresenter"_s },
        { "lobbyBypassSettings"_L1,
            QJsonObject { { "scope"_L1, u"everyone"_s }, { "isDialInBypassEnabled"_L1, true } } },
        { "joinMeetingIdSettings"_L1, QJsonObject { { "isPasscodeRequired"_L1, true } } },
        { "participants"_L1,
            QJsonObject {
                { "organizer"_L1, QJsonObject { { "upn"_L1, u"megan.bowen@contoso.example"_s } } },
                { "attendees"_L1,
                    QJsonArray { attendee(AttendeeId, u"nestor.wilke@contoso.example"_s) } } } },
    };
}

QJsonObject joinBody(const QJsonObject &meetingInfo, const QJsonObject &chatInfo = {})
{
    QJsonObject body { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
        { "callbackUri"_L1, CreateUrl },
        { "mediaConfig"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
        { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
        { "meetingInfo"_L1, meetingInfo } };
    if (!chatInfo.isEmpty())
        body.insert("chatInfo"_L1, chatInfo);
    return body;
}

QString errorCode(const Sandbox::Reply &reply)
{
    return reply.body.value("error"_L1).toObject().value("code"_L1).toString();
}

} // namespace

class TestEngineMeetings final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createFillsGraphsDefaults();
    void createKeepsTheGivenFields();
    void createForOrganizerWithoutAccessPolicyIs403();
    void endBeforeStartIs400();
    void createOrGetCreatesThenReturnsTheSame();
    void getOnlineMeeting();
    void findByJoinWebUrlAndVideoTeleconferenceId();
    void joiningByMeetingIdGivesGroupCallWithMeetingsRoster();
    void joiningByOrganizerAndThread();
    void joiningUnknownMeetingIs400_data();
    void joiningUnknownMeetingIs400();
    void meetingsAppearInState();
};

void TestEngineMeetings::createFillsGraphsDefaults()
{
    Rig rig;
    const Sandbox::Reply reply = rig.engine.createOnlineMeeting(OrganizerId, QJsonObject());
    QCOMPARE(reply.status, 201);
    const QJsonObject m = reply.body;
    QCOMPARE(m.value("@odata.type"_L1).toString(), u"#microsoft.graph.onlineMeeting"_s);

    const Graph::OnlineMeeting meeting = Graph::decodeOnlineMeeting(m);
    QCOMPARE(meeting.startDateTime, Start);
    QCOMPARE(meeting.endDateTime, Start.addSecs(3600));
    QCOMPARE(meeting.creationDateTime, Start);

    const QString thread = meeting.chatInfo.threadId;
    QVERIFY2(
        QRegularExpression(u"^19:meeting_[A-Za-z0-9]+@thread\\.v2$"_s).match(thread).hasMatch(),
        qPrintable(thread));
    QCOMPARE(meeting.chatInfo.messageId, u"0"_s);
    // Graph's ids are base64 of "1*<organizer>*0**<thread>".
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(meeting.id.toLatin1())),
        u"1*"_s + OrganizerId + u"*0**"_s + thread);

    QVERIFY2(
        meeting.joinWebUrl.startsWith(u"https://teams.microsoft.com/l/meetup-join/19%3ameeting_"_s),
        qPrintable(meeting.joinWebUrl));
    const QString decoded = QUrl::fromPercentEncoding(meeting.joinWebUrl.toUtf8());
    QVERIFY2(decoded.contains(thread + u"/0?context={\"Tid\":\""_s + rig.engine.config().tenantId
                 + u"\",\"Oid\":\""_s + OrganizerId + u"\"}"_s),
        qPrintable(decoded));

    QVERIFY(meeting.joinMeetingIdSettings);
    QVERIFY(QRegularExpression(u"^[1-9][0-9]{11}$"_s)
                .match(meeting.joinMeetingIdSettings->joinMeetingId)
                .hasMatch());
    QCOMPARE(meeting.joinMeetingIdSettings->passcode.size(), 6);
    QCOMPARE(meeting.joinMeetingIdSettings->isPasscodeRequired, std::optional<bool>(false));

    QVERIFY(meeting.audioConferencing);
    const Graph::AudioConferencing &audio = *meeting.audioConferencing;
    QVERIFY(!audio.conferenceId.isEmpty());
    QVERIFY(audio.tollNumber.startsWith(u'+'));
    QVERIFY(audio.tollFreeNumber.startsWith(u'+'));
    QCOMPARE(audio.tollNumbers, QStringList { audio.tollNumber });
    QCOMPARE(audio.tollFreeNumbers, QStringList { audio.tollFreeNumber });
    QVERIFY(audio.dialinUrl.startsWith(u"https://"_s));
    QVERIFY(QRegularExpression(u"^[0-9]{10}$"_s).match(meeting.videoTeleconferenceId).hasMatch());

    QVERIFY(meeting.organizer);
    QCOMPARE(meeting.organizer->identity.get(Graph::IdentitySet::Kind::User)->id, OrganizerId);
    QCOMPARE(meeting.organizer->role, Graph::OnlineMeetingRole::Presenter);
    QVERIFY(meeting.attendees.isEmpty());
    QCOMPARE(meeting.lobbyBypassScope, Graph::LobbyBypassScope::Organization);
    QCOMPARE(meeting.allowedPresenters, Graph::OnlineMeetingPresenters::Everyone);
    QVERIFY(meeting.subject.isEmpty());
}

void TestEngineMeetings::createKeepsTheGivenFields()
{
    Rig rig;
    const Sandbox::Reply reply = rig.engine.createOnlineMeeting(OrganizerId, fullBody());
    QCOMPARE(reply.status, 201);
    const Graph::OnlineMeeting m = Graph::decodeOnlineMeeting(reply.body);
    QCOMPARE(m.subject, u"Reception handover"_s);
    QCOMPARE(m.startDateTime, QDateTime(QDate(2026, 1, 6), QTime(10, 0), Qt::UTC));
    QCOMPARE(m.endDateTime, QDateTime(QDate(2026, 1, 6), QTime(11, 30), Qt::UTC));
    QCOMPARE(m.externalId, u"frontdesk-handover"_s);
    QCOMPARE(m.allowedPresenters, Graph::OnlineMeetingPresenters::RoleIsPresenter);
    QCOMPARE(m.lobbyBypassScope, Graph::LobbyBypassScope::Everyone);
    QCOMPARE(m.isDialInBypassEnabled, std::optional<bool>(true));
    QCOMPARE(m.joinMeetingIdSettings->isPasscodeRequired, std::optional<bool>(true));
    QCOMPARE(m.organizer->upn, u"megan.bowen@contoso.example"_s);
    QCOMPARE(m.organizer->identity.get(Graph::IdentitySet::Kind::User)->id, OrganizerId);
    QCOMPARE(m.attendees.size(), 1);
    QCOMPARE(m.attendees.first().upn, u"nestor.wilke@contoso.example"_s);
    QCOMPARE(m.attendees.first().role, Graph::OnlineMeetingRole::Attendee);
}

void TestEngineMeetings::createForOrganizerWithoutAccessPolicyIs403()
{
    Rig rig;
    rig.engine.setMeetingAccessDenied({ DeniedId });
    for (const Sandbox::Reply &reply : { rig.engine.createOnlineMeeting(DeniedId, fullBody()),
             rig.engine.createOrGetOnlineMeeting(DeniedId, fullBody()) }) {
        QCOMPARE(reply.status, 403);
        QCOMPARE(errorCode(reply), u"Unauthorized"_s);
        QCOMPARE(reply.body.value("error"_L1).toObject().value("message"_L1).toString(),
            u"App %1 is not authorized to Create meeting on behalf of user %2"_s.arg(
                rig.engine.config().clientId, DeniedId));
    }
    QCOMPARE(rig.engine.createOnlineMeeting(OrganizerId, fullBody()).status, 201);
    QCOMPARE(rig.engine.state().value("meetings"_L1).toArray().size(), 1);
}

void TestEngineMeetings::endBeforeStartIs400()
{
    Rig rig;
    QJsonObject body = fullBody();
    body.insert("endDateTime"_L1, u"2026-01-06T09:59:59Z"_s);
    const Sandbox::Reply reply = rig.engine.createOnlineMeeting(OrganizerId, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"BadRequest"_s);
    QVERIFY(reply.body.value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"endDateTime"_s));
    body.insert("endDateTime"_L1, u"tomorrow"_s);
    QCOMPARE(rig.engine.createOnlineMeeting(OrganizerId, body).status, 400);
}

void TestEngineMeetings::createOrGetCreatesThenReturnsTheSame()
{
    Rig rig;
    const Sandbox::Reply first = rig.engine.createOrGetOnlineMeeting(OrganizerId, fullBody());
    QCOMPARE(first.status, 201);
    const Sandbox::Reply second = rig.engine.createOrGetOnlineMeeting(OrganizerId, fullBody());
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);
    // The externalId is the organizer's: another organizer gets a meeting of their own.
    const Sandbox::Reply other = rig.engine.createOrGetOnlineMeeting(AttendeeId, fullBody());
    QCOMPARE(other.status, 201);
    QVERIFY(other.body.value("id"_L1) != first.body.value("id"_L1));

    QJsonObject noExternalId = fullBody();
    noExternalId.remove("externalId"_L1);
    const Sandbox::Reply missing = rig.engine.createOrGetOnlineMeeting(OrganizerId, noExternalId);
    QCOMPARE(missing.status, 400);
    QVERIFY(missing.body.value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"externalId"_s));
}

void TestEngineMeetings::getOnlineMeeting()
{
    Rig rig;
    const QJsonObject created = rig.engine.createOnlineMeeting(OrganizerId, fullBody()).body;
    const QString id = created.value("id"_L1).toString();
    const Sandbox::Reply got = rig.engine.getOnlineMeeting(OrganizerId, id);
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, created);
    const Sandbox::Reply otherUser = rig.engine.getOnlineMeeting(AttendeeId, id);
    QCOMPARE(otherUser.status, 404);
    QCOMPARE(errorCode(otherUser), u"itemNotFound"_s);
    QCOMPARE(rig.engine.getOnlineMeeting(OrganizerId, u"MSpub25lKjAqKg"_s).status, 404);
}

void TestEngineMeetings::findByJoinWebUrlAndVideoTeleconferenceId()
{
    Rig rig;
    const QJsonObject created = rig.engine.createOnlineMeeting(OrganizerId, fullBody()).body;
    rig.engine.createOnlineMeeting(OrganizerId, QJsonObject());
    const QString url = created.value("joinWebUrl"_L1).toString();

    // As written in the URL, encoded once more for the $filter, or decoded.
    for (const QString &filter : { url, QString::fromLatin1(QUrl::toPercentEncoding(url)),
             QUrl::fromPercentEncoding(url.toUtf8()) }) {
        const Sandbox::Reply found = rig.engine.findOnlineMeetingsByJoinUrl(OrganizerId, filter);
        QCOMPARE(found.status, 200);
        QCOMPARE(found.body.value("value"_L1).toArray(), QJsonArray { created });
    }
    QCOMPARE(
        rig.engine.findOnlineMeetingsByJoinUrl(AttendeeId, url).body.value("value"_L1).toArray(),
        QJsonArray());

    const Sandbox::Reply byVtc =
        rig.engine.findOnlineMeetingsByVtcId(created.value("videoTeleconferenceId"_L1).toString());
    QCOMPARE(byVtc.status, 200);
    QCOMPARE(byVtc.body.value("value"_L1).toArray(), QJsonArray { created });
    QCOMPARE(rig.engine.findOnlineMeetingsByVtcId(u"0000000000"_s).body.value("value"_L1).toArray(),
        QJsonArray());
}

void TestEngineMeetings::joiningByMeetingIdGivesGroupCallWithMeetingsRoster()
{
    Rig rig;
    const Graph::OnlineMeeting meeting =
        Graph::decodeOnlineMeeting(rig.engine.createOnlineMeeting(OrganizerId, fullBody()).body);
    const QJsonObject info { { "@odata.type"_L1, u"#microsoft.graph.joinMeetingIdMeetingInfo"_s },
        { "joinMeetingId"_L1, meeting.joinMeetingIdSettings->joinMeetingId },
        { "passcode"_L1, meeting.joinMeetingIdSettings->passcode } };
    const Sandbox::Reply reply = rig.engine.createCall(joinBody(info));
    QCOMPARE(reply.status, 201);
    const QString id = reply.body.value("id"_L1).toString();
    rig.clock.advance(2s);

    QCOMPARE(rig.notifier.items.size(), 3);
    const QJsonObject established =
        rig.notifier.items[1].second.value("resourceData"_L1).toObject();
    QCOMPARE(established.value("state"_L1).toString(), u"established"_s);
    QCOMPARE(established.value("chatInfo"_L1).toObject().value("threadId"_L1).toString(),
        meeting.chatInfo.threadId);
    const QJsonArray roster = rig.notifier.items[2].second.value("resourceData"_L1).toArray();
    QStringList ids;
    for (const QJsonValue &v : roster) {
        const Graph::Participant p = Graph::decodeParticipant(v.toObject());
        const auto primary = p.info.identity.primary();
        ids.append(primary ? primary->second.id : QString());
    }
    QCOMPARE(ids, (QStringList { rig.engine.config().clientId, OrganizerId, AttendeeId }));

    // A group call with a chat: invitations and self-mute work in it.
    const QJsonObject invitee { { "identity"_L1,
        QJsonObject { { "user"_L1, QJsonObject { { "id"_L1, DeniedId } } } } } };
    QCOMPARE(
        rig.engine
            .inviteParticipants(id, QJsonObject { { "participants"_L1, QJsonArray { invitee } } })
            .status,
        200);
    QCOMPARE(rig.engine.muteSelf(id, {}).status, 200);
}

void TestEngineMeetings::joiningByOrganizerAndThread()
{
    Rig rig;
    const Graph::OnlineMeeting meeting =
        Graph::decodeOnlineMeeting(rig.engine.createOnlineMeeting(OrganizerId, QJsonObject()).body);
    const QJsonObject info { { "@odata.type"_L1, u"#microsoft.graph.organizerMeetingInfo"_s },
        { "organizer"_L1,
            QJsonObject { { "user"_L1,
                QJsonObject { { "id"_L1, OrganizerId },
                    { "tenantId"_L1, rig.engine.config().tenantId } } } } } };
    const QJsonObject chat { { "threadId"_L1, meeting.chatInfo.threadId },
        { "messageId"_L1, u"0"_s } };
    const Sandbox::Reply reply = rig.engine.createCall(joinBody(info, chat));
    QCOMPARE(reply.status, 201);
    rig.clock.advance(2s);
    const QJsonArray roster = rig.notifier.items.last().second.value("resourceData"_L1).toArray();
    QCOMPARE(roster.size(), 2); // the bot and the organizer
}

void TestEngineMeetings::joiningUnknownMeetingIs400_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("unknown joinMeetingId") << u"id"_s;
    QTest::newRow("wrong passcode") << u"passcode"_s;
    QTest::newRow("no passcode where one is required") << u"nopasscode"_s;
    QTest::newRow("organizer without thread") << u"nothread"_s;
    QTest::newRow("other organizer's thread") << u"organizer"_s;
    QTest::newRow("token") << u"token"_s;
}

void TestEngineMeetings::joiningUnknownMeetingIs400()
{
    QFETCH(QString, kind);
    Rig rig;
    const Graph::OnlineMeeting meeting =
        Graph::decodeOnlineMeeting(rig.engine.createOnlineMeeting(OrganizerId, fullBody()).body);
    const QString meetingId = meeting.joinMeetingIdSettings->joinMeetingId;
    QJsonObject info { { "@odata.type"_L1, u"#microsoft.graph.joinMeetingIdMeetingInfo"_s },
        { "joinMeetingId"_L1, meetingId },
        { "passcode"_L1, meeting.joinMeetingIdSettings->passcode } };
    QJsonObject chat;
    if (kind == u"id"_s)
        info.insert("joinMeetingId"_L1, u"111111111111"_s);
    if (kind == u"passcode"_s)
        info.insert("passcode"_L1, u"nope00"_s);
    if (kind == u"nopasscode"_s)
        info.remove("passcode"_L1);
    if (kind == u"nothread"_s || kind == u"organizer"_s) {
        info = QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.organizerMeetingInfo"_s },
            { "organizer"_L1,
                QJsonObject { { "user"_L1,
                    QJsonObject {
                        { "id"_L1, kind == u"nothread"_s ? OrganizerId : AttendeeId } } } } } };
        if (kind == u"organizer"_s)
            chat = QJsonObject { { "threadId"_L1, meeting.chatInfo.threadId },
                { "messageId"_L1, u"0"_s } };
    }
    if (kind == u"token"_s)
        info = QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.tokenMeetingInfo"_s },
            { "token"_L1, u"abc"_s } };
    const Sandbox::Reply reply = rig.engine.createCall(joinBody(info, chat));
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), u"BadRequest"_s);
    QCOMPARE(rig.engine.liveCallCount(), 0);
}

void TestEngineMeetings::meetingsAppearInState()
{
    Rig rig;
    const QJsonObject a = rig.engine.createOnlineMeeting(OrganizerId, fullBody()).body;
    const QJsonObject b = rig.engine.createOnlineMeeting(u"me"_s, QJsonObject()).body;
    QCOMPARE(rig.engine.state().value("meetings"_L1).toArray(), (QJsonArray { a, b }));
    // /me meetings belong to the sandbox's one delegated user, and are found through "me".
    QCOMPARE(rig.engine.getOnlineMeeting(QString(), b.value("id"_L1).toString()).status, 200);
}

QTEST_GUILESS_MAIN(TestEngineMeetings)
#include "tst_engine_meetings.moc"

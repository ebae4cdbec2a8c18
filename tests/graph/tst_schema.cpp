// Checks what the codec writes against Graph's own published schema
// (tests/data/communications.csdl.xml): every property and enum member must exist there for its
// type.

#include "graph/codec.h"
#include "graph/wireenums.h"
#include "schemachecker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Graph;

namespace {

QDateTime at(int hour, int minute)
{
    return QDateTime(QDate(2026, 3, 2), QTime(hour, minute), Qt::UTC);
}

IdentitySet userIdentity()
{
    IdentitySet set =
        IdentitySet::user(u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s, u"Irina Smirnova"_s);
    set.find(IdentitySet::Kind::User)->tenantId = u"00000000-0000-0000-0000-000000000001"_s;
    return set;
}

ParticipantInfo fullParticipantInfo()
{
    ParticipantInfo info;
    info.identity = IdentitySet::phone(u"+14255550123"_s, u"Kenji Watanabe"_s);
    info.endpointType = EndpointType::Default;
    info.region = u"amer"_s;
    info.languageId = u"en-US"_s;
    info.countryCode = u"US"_s;
    info.participantId = u"5c1e4d2a-0000-4000-8000-000000000001"_s;
    return info;
}

InvitationParticipantInfo fullInvitation()
{
    InvitationParticipantInfo info;
    info.identity = userIdentity();
    info.replacesCallId = u"491f0b00-ffff-4bc9-a43e-b226498ec22a"_s;
    info.participantId = u"5c1e4d2a-0000-4000-8000-000000000002"_s;
    info.hidden = false;
    info.removeFromDefaultAudioRoutingGroup = false;
    return info;
}

ResultInfo fullResult()
{
    ResultInfo r;
    r.code = 200;
    r.subcode = 5001;
    r.message = u"Call ended"_s;
    return r;
}

Call fullCall()
{
    Call call;
    call.id = u"491f0b00-ffff-4bc9-a43e-b226498ec22a"_s;
    call.state = CallState::Established;
    call.direction = CallDirection::Incoming;
    call.callbackUri = u"https://relay.example.org/callbacks"_s;
    call.callChainId = u"b2c3d4e5-0000-4000-8000-000000000003"_s;
    call.myParticipantId = u"5c1e4d2a-0000-4000-8000-000000000004"_s;
    call.subject = u"Front desk"_s;
    call.tenantId = u"00000000-0000-0000-0000-000000000001"_s;
    call.source = fullParticipantInfo();
    call.targets = { fullInvitation() };
    call.requestedModalities = { Modality::Audio, Modality::Video };
    call.resultInfo = fullResult();
    call.toneInfo = ToneInfo { 7, Tone::Pound, {} };
    call.chatInfo = ChatInfo { u"19:meeting_abc@thread.v2"_s, u"0"_s, u"0"_s, {} };
    call.meetingInfo.kind = MeetingInfo::Kind::Organizer;
    call.meetingInfo.organizer = userIdentity();
    call.audioState = MediaState::Active;
    call.isDeltaRosterEnabled = true;
    call.preFetchMedia = { MediaInfo {
        u"https://relay.example.org/prompts/hold.wav"_s, u"hold"_s, {} } };
    return call;
}

} // namespace

class TstSchema final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void callConforms_data();
    void callConforms();
    void participantConforms();
    void operationsConform_data();
    void operationsConform();
    void onlineMeetingConforms();
    void notificationsConform();
    void enumMembersExist_data();
    void enumMembersExist();
    void checkerCatchesWhatIsNotInTheSchema();

private:
    void expectConforms(const QJsonObject &object, const QString &type);
    SchemaChecker m_schema;
};

void TstSchema::initTestCase()
{
    QString error;
    QVERIFY2(
        m_schema.load(QStringLiteral(FRONTDESK_TEST_DATA_DIR "/communications.csdl.xml"), &error),
        qPrintable(error));
    // Graph sends these on commsNotification (an open type) though the schema lists only
    // changeType and resourceUrl (graph-notes §3.2).
    for (const QString &extra : { u"resource"_s, u"callbackUri"_s, u"resourceData"_s })
        m_schema.allowExtra(u"commsNotification"_s, extra);
}

void TstSchema::expectConforms(const QJsonObject &object, const QString &type)
{
    const QStringList problems = m_schema.check(object, type);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TstSchema::callConforms_data()
{
    QTest::addColumn<Call>("call");
    QTest::newRow("every modelled field") << fullCall();
    Call joinById = fullCall();
    joinById.meetingInfo = MeetingInfo {};
    joinById.meetingInfo.kind = MeetingInfo::Kind::JoinMeetingId;
    joinById.meetingInfo.joinMeetingId = u"1234567890"_s;
    joinById.meetingInfo.passcode = u"abc123"_s;
    QTest::newRow("joinMeetingId meeting") << joinById;
    Call byToken = fullCall();
    byToken.meetingInfo = MeetingInfo {};
    byToken.meetingInfo.kind = MeetingInfo::Kind::Token;
    byToken.meetingInfo.token = u"opaque"_s;
    QTest::newRow("token meeting") << byToken;
    Call outgoing = fullCall();
    outgoing.direction = CallDirection::Outgoing;
    outgoing.source->identity =
        IdentitySet::applicationInstance(u"app-instance"_s, u"Front Desk"_s);
    QTest::newRow("outgoing from an application instance") << outgoing;
}

void TstSchema::callConforms()
{
    QFETCH(Call, call);
    expectConforms(encode(call), u"call"_s);
}

void TstSchema::participantConforms()
{
    Participant p;
    p.id = u"5c1e4d2a-0000-4000-8000-000000000001"_s;
    p.info = fullParticipantInfo();
    p.isInLobby = true;
    p.isMuted = true;
    p.mediaStreams = { MediaStream {
        Modality::Audio, MediaDirection::SendReceive, u"1"_s, u"main-audio"_s, false, {} } };
    p.metadata = u"opaque"_s;
    p.rosterSequenceNumber = 42;
    p.removed = true;
    p.removedReason = u"left"_s;
    expectConforms(encode(p), u"participant"_s);
}

void TstSchema::operationsConform_data()
{
    QTest::addColumn<CommsOperation>("operation");
    const auto make = [](const QString &type, OperationStatus status) {
        CommsOperation op;
        op.odataType = odataType(type);
        op.id = u"0fe0623f-d628-42ed-b4bd-8ac290072cc5"_s;
        op.clientContext = u"ctx-1"_s;
        op.status = status;
        op.resultInfo = fullResult();
        return op;
    };
    for (const QString &type :
        { u"playPromptOperation"_s, u"subscribeToToneOperation"_s, u"muteParticipantOperation"_s,
            u"unmuteParticipantOperation"_s, u"cancelMediaProcessingOperation"_s })
        QTest::newRow(qPrintable(type)) << make(type, OperationStatus::Completed);
    CommsOperation record = make(u"recordOperation"_s, OperationStatus::Completed);
    record.recordingLocation = u"https://recordings.example.org/r/1"_s;
    record.recordingAccessToken = u"token"_s;
    QTest::newRow("recordOperation") << record;
    CommsOperation invite = make(u"inviteParticipantsOperation"_s, OperationStatus::Running);
    invite.participants = { fullInvitation() };
    QTest::newRow("inviteParticipantsOperation") << invite;
    QTest::newRow("notStarted") << make(u"playPromptOperation"_s, OperationStatus::NotStarted);
    QTest::newRow("failed") << make(u"playPromptOperation"_s, OperationStatus::Failed);
}

void TstSchema::operationsConform()
{
    QFETCH(CommsOperation, operation);
    expectConforms(encode(operation), u"commsOperation"_s);
}

void TstSchema::onlineMeetingConforms()
{
    OnlineMeeting m;
    m.id = u"MSpkYzE3Yjc0ZC1hNzMxLTRhOGItOWUxMy04NmM2ZmQ3NzA5M2I"_s;
    m.subject = u"Dr. Koch and Ms. Vogel"_s;
    m.startDateTime = at(9, 0);
    m.endDateTime = at(9, 30);
    m.creationDateTime = at(8, 0);
    m.joinWebUrl = u"https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"_s;
    m.externalId = u"frontdesk-1"_s;
    m.videoTeleconferenceId = u"123456789"_s;
    m.chatInfo = ChatInfo { u"19:meeting_abc@thread.v2"_s, u"0"_s, {}, {} };
    m.joinMeetingIdSettings = JoinMeetingIdSettings { u"1234567890"_s, u"abc123"_s, true };
    m.audioConferencing = AudioConferencing { u"555"_s, u"+1 425 555 0100"_s, u"+1 800 555 0100"_s,
        { u"+1 425 555 0100"_s }, { u"+1 800 555 0100"_s }, u"https://dialin.example.org"_s };
    m.organizer = MeetingParticipantInfo { userIdentity(), u"amelia.koch@example.org"_s,
        OnlineMeetingRole::Presenter, {} };
    m.attendees = { MeetingParticipantInfo { IdentitySet::user(u"u2"_s, u"Lena Vogel"_s),
        u"lena.vogel@example.org"_s, OnlineMeetingRole::Attendee, {} } };
    m.lobbyBypassScope = LobbyBypassScope::Organization;
    m.isDialInBypassEnabled = true;
    m.allowedPresenters = OnlineMeetingPresenters::Organizer;
    expectConforms(encode(m), u"onlineMeeting"_s);
}

void TstSchema::notificationsConform()
{
    CommsNotification n;
    n.changeType = ChangeType::Updated;
    n.resourceUrl = u"/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a"_s;
    n.resource = u"/app/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a"_s;
    n.resourceData = encode(fullCall());
    CommsNotifications batch;
    batch.value = { n };
    expectConforms(encode(batch), u"commsNotifications"_s);
    // resourceData is an open-type extra, so check its content as the call it is.
    expectConforms(n.resourceData.toObject(), u"call"_s);
}

void TstSchema::enumMembersExist_data()
{
    QTest::addColumn<QString>("enumName");
    QTest::addColumn<QStringList>("written");
    const auto all = [](auto first, auto last) {
        QStringList names;
        for (int i = int(first); i <= int(last); ++i)
            names.append(wireName(decltype(first)(i)));
        return names;
    };
    // Ringing is accepted on input (the docs list it) but never written: the schema lacks it.
    QStringList states = all(CallState::Incoming, CallState::UnknownFutureValue);
    states.removeAll(u"ringing"_s);
    QTest::newRow("callState") << u"callState"_s << states;
    QTest::newRow("callDirection")
        << u"callDirection"_s << all(CallDirection::Incoming, CallDirection::Outgoing);
    QTest::newRow("changeType") << u"changeType"_s << all(ChangeType::Created, ChangeType::Deleted);
    QTest::newRow("operationStatus")
        << u"operationStatus"_s << all(OperationStatus::NotStarted, OperationStatus::Failed);
    QTest::newRow("tone") << u"tone"_s << all(Tone::Tone0, Tone::Flash);
    QTest::newRow("endpointType") << u"endpointType"_s
                                  << all(EndpointType::Default, EndpointType::UnknownFutureValue);
    QTest::newRow("modality") << u"modality"_s
                              << all(Modality::Audio, Modality::UnknownFutureValue);
    QTest::newRow("mediaDirection")
        << u"mediaDirection"_s << all(MediaDirection::Inactive, MediaDirection::SendReceive);
    QTest::newRow("mediaState") << u"mediaState"_s << all(MediaState::Active, MediaState::Inactive);
    QTest::newRow("rejectReason") << u"rejectReason"_s
                                  << all(RejectReason::None, RejectReason::UnknownFutureValue);
    QTest::newRow("onlineMeetingRole")
        << u"onlineMeetingRole"_s
        << all(OnlineMeetingRole::Attendee, OnlineMeetingRole::UnknownFutureValue);
    QTest::newRow("lobbyBypassScope")
        << u"lobbyBypassScope"_s
        << all(LobbyBypassScope::Organizer, LobbyBypassScope::UnknownFutureValue);
    QTest::newRow("onlineMeetingPresenters")
        << u"onlineMeetingPresenters"_s
        << all(OnlineMeetingPresenters::Everyone, OnlineMeetingPresenters::UnknownFutureValue);
}

void TstSchema::enumMembersExist()
{
    QFETCH(QString, enumName);
    QFETCH(QStringList, written);
    QVERIFY(m_schema.hasEnum(enumName));
    const QStringList members = m_schema.enumMembers(enumName);
    for (const QString &name : written) {
        QVERIFY2(!name.isEmpty(), "a member has no wire name");
        QVERIFY2(
            members.contains(name), qPrintable(u"%1 is not a member of %2"_s.arg(name, enumName)));
    }
}

void TstSchema::checkerCatchesWhatIsNotInTheSchema()
{
    // The checker itself must fail on what Graph does not have, or the tests above prove nothing.
    QJsonObject call = encode(fullCall());
    call.insert(u"ringingTimeoutInSeconds"_s, 15);
    QVERIFY(!m_schema.check(call, u"call"_s).isEmpty());
    QJsonObject badState = encode(fullCall());
    badState.insert(u"state"_s, u"ringing"_s);
    QVERIFY(!m_schema.check(badState, u"call"_s).isEmpty());
    QJsonObject badType = encode(fullCall());
    badType.insert(u"@odata.type"_s, u"#microsoft.graph.participant"_s);
    QVERIFY(!m_schema.check(badType, u"call"_s).isEmpty());
    const QStringList missing =
        m_schema.checkActionBody(u"redirect"_s, u"call"_s, QJsonObject { { u"timeout"_s, 30 } });
    QVERIFY(missing.join(u' ').contains(u"targets"_s));
    const QStringList extra = m_schema.checkActionBody(u"transfer"_s, u"call"_s,
        QJsonObject {
            { u"transferTarget"_s, encode(fullInvitation()) }, { u"clientContext"_s, u"x"_s } });
    QVERIFY(extra.join(u' ').contains(u"clientContext"_s));
}

QTEST_GUILESS_MAIN(TstSchema)
#include "tst_schema.moc"

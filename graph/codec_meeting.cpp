// The codec for onlineMeeting resources.

#include "codec.h"
#include "codec_p.h"

using namespace Qt::StringLiterals;

namespace Graph {

using namespace detail;

namespace {

QStringList readStrings(const QJsonObject &o, QLatin1StringView key)
{
    QStringList out;
    for (const QJsonValue &v : readArray(o, key)) {
        if (v.isString())
            out.append(v.toString());
    }
    return out;
}

} // namespace

MeetingParticipantInfo decodeMeetingParticipantInfo(const QJsonObject &o)
{
    MeetingParticipantInfo info;
    info.identity = decodeIdentitySet(readObject(o, "identity"_L1));
    info.upn = readString(o, "upn"_L1);
    info.role = readEnum<OnlineMeetingRole>(o, "role"_L1);
    info.raw = o;
    return info;
}

QJsonObject encode(const MeetingParticipantInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"meetingParticipantInfo");
    if (!info.identity.isEmpty())
        o.insert("identity"_L1, encode(info.identity));
    putString(o, "upn"_L1, info.upn);
    putEnum(o, "role"_L1, info.role);
    return o;
}

OnlineMeeting decodeOnlineMeeting(const QJsonObject &o)
{
    OnlineMeeting m;
    m.raw = o;
    m.id = readString(o, "id"_L1);
    m.subject = readString(o, "subject"_L1);
    m.startDateTime = readDateTime(o.value("startDateTime"_L1));
    m.endDateTime = readDateTime(o.value("endDateTime"_L1));
    m.creationDateTime = readDateTime(o.value("creationDateTime"_L1));
    m.joinWebUrl = readString(o, "joinWebUrl"_L1);
    m.externalId = readString(o, "externalId"_L1);
    m.videoTeleconferenceId = readString(o, "videoTeleconferenceId"_L1);
    m.chatInfo = decodeChatInfo(readObject(o, "chatInfo"_L1));
    if (o.value("joinMeetingIdSettings"_L1).isObject()) {
        const QJsonObject s = readObject(o, "joinMeetingIdSettings"_L1);
        m.joinMeetingIdSettings = JoinMeetingIdSettings { readString(s, "joinMeetingId"_L1),
            readString(s, "passcode"_L1), readBool(s, "isPasscodeRequired"_L1) };
    }
    if (o.value("audioConferencing"_L1).isObject()) {
        const QJsonObject a = readObject(o, "audioConferencing"_L1);
        m.audioConferencing = AudioConferencing {
            readString(a, "conferenceId"_L1),
            readString(a, "tollNumber"_L1),
            readString(a, "tollFreeNumber"_L1),
            readStrings(a, "tollNumbers"_L1),
            readStrings(a, "tollFreeNumbers"_L1),
            readString(a, "dialinUrl"_L1),
        };
    }
    const QJsonObject participants = readObject(o, "participants"_L1);
    if (participants.value("organizer"_L1).isObject())
        m.organizer = decodeMeetingParticipantInfo(readObject(participants, "organizer"_L1));
    m.attendees = readList<MeetingParticipantInfo>(
        participants, "attendees"_L1, decodeMeetingParticipantInfo);
    const QJsonObject lobby = readObject(o, "lobbyBypassSettings"_L1);
    m.lobbyBypassScope = readEnum<LobbyBypassScope>(lobby, "scope"_L1);
    m.isDialInBypassEnabled = readBool(lobby, "isDialInBypassEnabled"_L1);
    m.allowedPresenters = readEnum<OnlineMeetingPresenters>(o, "allowedPresenters"_L1);
    m.joinInformation = readObject(o, "joinInformation"_L1).value("content"_L1).toString();
    return m;
}

QJsonObject encode(const OnlineMeeting &m)
{
    QJsonObject o = m.raw;
    putType(o, u"onlineMeeting");
    putString(o, "id"_L1, m.id);
    putString(o, "subject"_L1, m.subject);
    if (m.startDateTime.isValid())
        o.insert("startDateTime"_L1, writeDateTime(m.startDateTime));
    if (m.endDateTime.isValid())
        o.insert("endDateTime"_L1, writeDateTime(m.endDateTime));
    if (m.creationDateTime.isValid())
        o.insert("creationDateTime"_L1, writeDateTime(m.creationDateTime));
    putString(o, "joinWebUrl"_L1, m.joinWebUrl);
    putString(o, "externalId"_L1, m.externalId);
    putString(o, "videoTeleconferenceId"_L1, m.videoTeleconferenceId);
    if (!m.chatInfo.isEmpty())
        o.insert("chatInfo"_L1, encode(m.chatInfo));
    if (m.joinMeetingIdSettings) {
        QJsonObject s = o.value("joinMeetingIdSettings"_L1).toObject();
        putType(s, u"joinMeetingIdSettings");
        putString(s, "joinMeetingId"_L1, m.joinMeetingIdSettings->joinMeetingId);
        putString(s, "passcode"_L1, m.joinMeetingIdSettings->passcode);
        putBool(s, "isPasscodeRequired"_L1, m.joinMeetingIdSettings->isPasscodeRequired);
        o.insert("joinMeetingIdSettings"_L1, s);
    }
    if (m.audioConferencing) {
        const AudioConferencing &a = *m.audioConferencing;
        QJsonObject ac = o.value("audioConferencing"_L1).toObject();
        putType(ac, u"audioConferencing");
        putString(ac, "conferenceId"_L1, a.conferenceId);
        putString(ac, "tollNumber"_L1, a.tollNumber);
        putString(ac, "tollFreeNumber"_L1, a.tollFreeNumber);
        if (!a.tollNumbers.isEmpty())
            ac.insert("tollNumbers"_L1, QJsonArray::fromStringList(a.tollNumbers));
        if (!a.tollFreeNumbers.isEmpty())
            ac.insert("tollFreeNumbers"_L1, QJsonArray::fromStringList(a.tollFreeNumbers));
        putString(ac, "dialinUrl"_L1, a.dialinUrl);
        o.insert("audioConferencing"_L1, ac);
    }
    if (m.organizer || !m.attendees.isEmpty()) {
        QJsonObject participants = o.value("participants"_L1).toObject();
        putType(participants, u"meetingParticipants");
        if (m.organizer)
            participants.insert("organizer"_L1, encode(*m.organizer));
        if (!m.attendees.isEmpty())
            participants.insert("attendees"_L1, encodeList(m.attendees));
        o.insert("participants"_L1, participants);
    }
    if (m.lobbyBypassScope.isPresent() || m.isDialInBypassEnabled) {
        QJsonObject lobby = o.value("lobbyBypassSettings"_L1).toObject();
        putType(lobby, u"lobbyBypassSettings");
        putEnum(lobby, "scope"_L1, m.lobbyBypassScope);
        putBool(lobby, "isDialInBypassEnabled"_L1, m.isDialInBypassEnabled);
        o.insert("lobbyBypassSettings"_L1, lobby);
    }
    putEnum(o, "allowedPresenters"_L1, m.allowedPresenters);
    return o;
}

} // namespace Graph

// The codec for call resources and their meetingInfo.

#include "codec.h"
#include "codec_p.h"

using namespace Qt::StringLiterals;

namespace Graph {

using namespace detail;

MeetingInfo decodeMeetingInfo(const QJsonObject &o)
{
    MeetingInfo info;
    info.raw = o;
    if (o.isEmpty())
        return info;
    const QString type = readString(o, "@odata.type"_L1);
    info.organizer = decodeIdentitySet(readObject(o, "organizer"_L1));
    info.joinMeetingId = readString(o, "joinMeetingId"_L1);
    info.passcode = readString(o, "passcode"_L1);
    info.token = readString(o, "token"_L1);
    // The type says which variant this is; without one, the fields do.
    if (type.endsWith(u"organizerMeetingInfo", Qt::CaseInsensitive)
        || (type.isEmpty() && o.contains("organizer"_L1)))
        info.kind = MeetingInfo::Kind::Organizer;
    else if (type.endsWith(u"joinMeetingIdMeetingInfo", Qt::CaseInsensitive)
        || (type.isEmpty() && !info.joinMeetingId.isEmpty()))
        info.kind = MeetingInfo::Kind::JoinMeetingId;
    else if (type.endsWith(u"tokenMeetingInfo", Qt::CaseInsensitive)
        || (type.isEmpty() && !info.token.isEmpty()))
        info.kind = MeetingInfo::Kind::Token;
    else
        info.kind = MeetingInfo::Kind::Other;
    return info;
}

QJsonObject encode(const MeetingInfo &info)
{
    QJsonObject o = info.raw;
    switch (info.kind) {
    case MeetingInfo::Kind::None:
    case MeetingInfo::Kind::Other:
        break;
    case MeetingInfo::Kind::Organizer:
        o.insert("@odata.type"_L1, odataType(u"organizerMeetingInfo"));
        o.insert("organizer"_L1, encode(info.organizer));
        break;
    case MeetingInfo::Kind::JoinMeetingId:
        o.insert("@odata.type"_L1, odataType(u"joinMeetingIdMeetingInfo"));
        o.insert("joinMeetingId"_L1, info.joinMeetingId);
        putString(o, "passcode"_L1, info.passcode);
        break;
    case MeetingInfo::Kind::Token:
        o.insert("@odata.type"_L1, odataType(u"tokenMeetingInfo"));
        o.insert("token"_L1, info.token);
        break;
    }
    return o;
}

Call decodeCall(const QJsonObject &o)
{
    Call call;
    call.raw = o;
    call.id = readString(o, "id"_L1);
    call.state = readEnum<CallState>(o, "state"_L1);
    call.direction = readEnum<CallDirection>(o, "direction"_L1);
    call.callbackUri = readString(o, "callbackUri"_L1);
    call.callChainId = readString(o, "callChainId"_L1);
    call.myParticipantId = readString(o, "myParticipantId"_L1);
    call.subject = readString(o, "subject"_L1);
    call.tenantId = readString(o, "tenantId"_L1);
    if (o.value("source"_L1).isObject())
        call.source = decodeParticipantInfo(readObject(o, "source"_L1));
    call.targets =
        readList<InvitationParticipantInfo>(o, "targets"_L1, decodeInvitationParticipantInfo);
    for (const QJsonValue &v : readArray(o, "requestedModalities"_L1)) {
        if (v.isString())
            call.requestedModalities.append(parseWireEnum<Modality>(v.toString()));
    }
    if (o.value("resultInfo"_L1).isObject())
        call.resultInfo = decodeResultInfo(readObject(o, "resultInfo"_L1));
    if (o.value("toneInfo"_L1).isObject())
        call.toneInfo = decodeToneInfo(readObject(o, "toneInfo"_L1));
    call.chatInfo = decodeChatInfo(readObject(o, "chatInfo"_L1));
    call.meetingInfo = decodeMeetingInfo(readObject(o, "meetingInfo"_L1));
    call.audioState = readEnum<MediaState>(readObject(o, "mediaState"_L1), "audio"_L1);
    call.isDeltaRosterEnabled =
        readBool(readObject(o, "callOptions"_L1), "isDeltaRosterEnabled"_L1);
    const QJsonObject mediaConfig = readObject(o, "mediaConfig"_L1);
    call.mediaConfigType = readString(mediaConfig, "@odata.type"_L1);
    call.preFetchMedia = readList<MediaInfo>(mediaConfig, "preFetchMedia"_L1, decodeMediaInfo);
    return call;
}

QJsonObject encode(const Call &call)
{
    QJsonObject o = call.raw;
    putType(o, u"call");
    putString(o, "id"_L1, call.id);
    putEnum(o, "state"_L1, call.state);
    putEnum(o, "direction"_L1, call.direction);
    putString(o, "callbackUri"_L1, call.callbackUri);
    putString(o, "callChainId"_L1, call.callChainId);
    putString(o, "myParticipantId"_L1, call.myParticipantId);
    putString(o, "subject"_L1, call.subject);
    putString(o, "tenantId"_L1, call.tenantId);
    if (call.source)
        o.insert("source"_L1, encode(*call.source));
    if (!call.targets.isEmpty())
        o.insert("targets"_L1, encodeList(call.targets));
    if (!call.requestedModalities.isEmpty()) {
        QJsonArray modalities;
        for (const auto &m : call.requestedModalities)
            modalities.append(m.isKnown() ? wireName(m.value) : m.text);
        o.insert("requestedModalities"_L1, modalities);
    }
    if (call.resultInfo.isPresent())
        o.insert("resultInfo"_L1, encode(call.resultInfo));
    if (call.toneInfo)
        o.insert("toneInfo"_L1, encode(*call.toneInfo));
    if (!call.chatInfo.isEmpty())
        o.insert("chatInfo"_L1, encode(call.chatInfo));
    if (call.meetingInfo.kind != MeetingInfo::Kind::None)
        o.insert("meetingInfo"_L1, encode(call.meetingInfo));
    if (call.audioState.isPresent()) {
        QJsonObject mediaState = o.value("mediaState"_L1).toObject();
        putType(mediaState, u"callMediaState");
        putEnum(mediaState, "audio"_L1, call.audioState);
        o.insert("mediaState"_L1, mediaState);
    }
    if (call.isDeltaRosterEnabled) {
        QJsonObject options = o.value("callOptions"_L1).toObject();
        // callOptions is abstract: a call we place has outgoing options, one we answer incoming.
        putType(options,
            call.direction == CallDirection::Incoming ? u"incomingCallOptions"
                                                      : u"outgoingCallOptions");
        options.insert("isDeltaRosterEnabled"_L1, *call.isDeltaRosterEnabled);
        o.insert("callOptions"_L1, options);
    }
    if (!call.mediaConfigType.isEmpty() || !call.preFetchMedia.isEmpty()) {
        QJsonObject mediaConfig = o.value("mediaConfig"_L1).toObject();
        mediaConfig.insert("@odata.type"_L1,
            call.mediaConfigType.isEmpty() ? odataType(u"serviceHostedMediaConfig")
                                           : call.mediaConfigType);
        if (!call.preFetchMedia.isEmpty())
            mediaConfig.insert("preFetchMedia"_L1, encodeList(call.preFetchMedia));
        o.insert("mediaConfig"_L1, mediaConfig);
    }
    return o;
}

} // namespace Graph

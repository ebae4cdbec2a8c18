#include "codec.h"

#include "codec_p.h"
#include "ids.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QVariant>

#include <limits>

using namespace Qt::StringLiterals;

namespace Graph {

using namespace detail;

QString DecodeError::toString() const
{
    return path.isEmpty() ? message : path + u": "_s + message;
}

QString odataType(QStringView name)
{
    return u"#microsoft.graph."_s + name;
}

std::optional<qint64> readInteger(const QJsonValue &value)
{
    // A JSON integer keeps all 64 bits; going through double would round those above 2^53.
    if (const QVariant v = value.toVariant(); v.typeId() == QMetaType::LongLong)
        return v.toLongLong();
    if (value.isDouble()) {
        const double d = value.toDouble();
        // Only whole numbers in the range a double holds exactly; the range is checked before
        // the conversion, which is undefined for values a qint64 cannot hold.
        if (!(d <= 9007199254740992.0 && d >= -9007199254740992.0) || d != double(qint64(d)))
            return std::nullopt;
        return qint64(d);
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

QDateTime readDateTime(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime dt = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!dt.isValid()) {
        // Graph writes up to seven fractional digits ("...:00.1234567Z"); should a form of them
        // not parse, cut the fraction to milliseconds and try again.
        QString text = value.toString();
        const qsizetype dot = text.indexOf(u'.');
        if (dot > 0) {
            qsizetype end = dot + 1;
            while (end < text.size() && text[end].isDigit())
                ++end;
            text = text.left(std::min(end, dot + 4)) + text.mid(end);
            dt = QDateTime::fromString(text, Qt::ISODateWithMs);
        }
    }
    // Without an offset or 'Z' the time would be read in the machine's zone: refuse it.
    if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime)
        return {};
    return dt.toUTC();
}

QString writeDateTime(const QDateTime &dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

// ---- small types -------------------------------------------------------------------------

namespace {

Identity decodeIdentity(const QJsonObject &o)
{
    return Identity { readString(o, "id"_L1), readString(o, "displayName"_L1),
        readString(o, "tenantId"_L1), o };
}

QJsonObject encodeIdentity(IdentitySet::Kind kind, const Identity &identity)
{
    QJsonObject o = identity.raw;
    putString(o, "id"_L1, identity.id);
    putString(o, "displayName"_L1, identity.displayName);
    // Only the calling subtypes of identity have tenantId; name the subtype when we write it.
    if (!identity.tenantId.isEmpty()) {
        if (kind == IdentitySet::Kind::User) {
            putType(o, u"communicationsUserIdentity");
            o.insert("tenantId"_L1, identity.tenantId);
        } else if (kind == IdentitySet::Kind::ApplicationInstance) {
            putType(o, u"communicationsApplicationInstanceIdentity");
            o.insert("tenantId"_L1, identity.tenantId);
        }
    }
    return o;
}

} // namespace

IdentitySet decodeIdentitySet(const QJsonObject &o)
{
    IdentitySet set;
    set.raw = o;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (const auto kind = identityKind(it.key()); kind && it.value().isObject())
            set.set(*kind, decodeIdentity(it.value().toObject()));
    }
    return set;
}

QJsonObject encode(const IdentitySet &set)
{
    QJsonObject o = set.raw;
    for (const auto &[kind, identity] : set.members())
        o.insert(wireName(kind), encodeIdentity(kind, identity));
    // Phone, guest and the other calling identities exist only on the subtype.
    const QString type = o.value("@odata.type"_L1).toString();
    if (set.needsCommunicationsType() && !type.endsWith(u"communicationsIdentitySet"))
        o.insert("@odata.type"_L1, odataType(u"communicationsIdentitySet"));
    else
        putType(o, u"identitySet");
    return o;
}

ParticipantInfo decodeParticipantInfo(const QJsonObject &o)
{
    ParticipantInfo info;
    info.identity = decodeIdentitySet(readObject(o, "identity"_L1));
    info.endpointType = readEnum<EndpointType>(o, "endpointType"_L1);
    info.region = readString(o, "region"_L1);
    info.languageId = readString(o, "languageId"_L1);
    info.countryCode = readString(o, "countryCode"_L1);
    info.participantId = readString(o, "participantId"_L1);
    info.raw = o;
    return info;
}

QJsonObject encode(const ParticipantInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"participantInfo");
    o.insert("identity"_L1, encode(info.identity));
    putEnum(o, "endpointType"_L1, info.endpointType);
    putString(o, "region"_L1, info.region);
    putString(o, "languageId"_L1, info.languageId);
    putString(o, "countryCode"_L1, info.countryCode);
    putString(o, "participantId"_L1, info.participantId);
    return o;
}

InvitationParticipantInfo decodeInvitationParticipantInfo(const QJsonObject &o)
{
    InvitationParticipantInfo info;
    info.identity = decodeIdentitySet(readObject(o, "identity"_L1));
    info.replacesCallId = readString(o, "replacesCallId"_L1);
    info.participantId = readString(o, "participantId"_L1);
    info.hidden = readBool(o, "hidden"_L1);
    info.removeFromDefaultAudioRoutingGroup = readBool(o, "removeFromDefaultAudioRoutingGroup"_L1);
    info.raw = o;
    return info;
}

QJsonObject encode(const InvitationParticipantInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"invitationParticipantInfo");
    o.insert("identity"_L1, encode(info.identity));
    putString(o, "replacesCallId"_L1, info.replacesCallId);
    putString(o, "participantId"_L1, info.participantId);
    putBool(o, "hidden"_L1, info.hidden);
    putBool(o, "removeFromDefaultAudioRoutingGroup"_L1, info.removeFromDefaultAudioRoutingGroup);
    return o;
}

ResultInfo decodeResultInfo(const QJsonObject &o)
{
    ResultInfo info;
    info.raw = o;
    // code and subcode are Int32s; anything outside is garbage, not a code to act on.
    const auto int32 = [](std::optional<qint64> n) -> std::optional<int> {
        if (n && *n >= std::numeric_limits<int>::min() && *n <= std::numeric_limits<int>::max())
            return int(*n);
        return std::nullopt;
    };
    info.code = int32(readInteger(o.value("code"_L1)));
    // Newer examples spell it subCode; take whichever is there.
    QJsonValue sub = o.value("subcode"_L1);
    if (sub.isUndefined())
        sub = o.value("subCode"_L1);
    info.subcode = int32(readInteger(sub));
    info.message = readString(o, "message"_L1);
    return info;
}

QJsonObject encode(const ResultInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"resultInfo");
    o.remove("subCode"_L1);
    // The schema makes code and subcode non-nullable Int32s.
    o.insert("code"_L1, info.code.value_or(0));
    o.insert("subcode"_L1, info.subcode.value_or(0));
    putString(o, "message"_L1, info.message);
    return o;
}

ToneInfo decodeToneInfo(const QJsonObject &o)
{
    ToneInfo info;
    info.sequenceId = readInteger(o.value("sequenceId"_L1)).value_or(0);
    info.tone = readEnum<Tone>(o, "tone"_L1);
    info.raw = o;
    return info;
}

QJsonObject encode(const ToneInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"toneInfo");
    o.insert("sequenceId"_L1, info.sequenceId);
    putEnum(o, "tone"_L1, info.tone);
    return o;
}

MediaStream decodeMediaStream(const QJsonObject &o)
{
    MediaStream stream;
    stream.mediaType = readEnum<Modality>(o, "mediaType"_L1);
    stream.direction = readEnum<MediaDirection>(o, "direction"_L1);
    stream.sourceId = readString(o, "sourceId"_L1);
    if (stream.sourceId.isEmpty())
        if (const auto n = readInteger(o.value("sourceId"_L1)))
            stream.sourceId = QString::number(*n);
    stream.label = readString(o, "label"_L1);
    stream.serverMuted = readBool(o, "serverMuted"_L1).value_or(false);
    stream.raw = o;
    return stream;
}

QJsonObject encode(const MediaStream &stream)
{
    QJsonObject o = stream.raw;
    putType(o, u"mediaStream");
    putEnum(o, "mediaType"_L1, stream.mediaType);
    putEnum(o, "direction"_L1, stream.direction);
    o.insert("sourceId"_L1, stream.sourceId);
    putString(o, "label"_L1, stream.label);
    o.insert("serverMuted"_L1, stream.serverMuted);
    return o;
}

MediaInfo decodeMediaInfo(const QJsonObject &o)
{
    return MediaInfo { readString(o, "uri"_L1), readString(o, "resourceId"_L1), o };
}

QJsonObject encode(const MediaInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"mediaInfo");
    o.insert("uri"_L1, info.uri);
    putString(o, "resourceId"_L1, info.resourceId);
    return o;
}

QJsonObject encodeMediaPrompt(const MediaInfo &info)
{
    return QJsonObject { { "@odata.type"_L1, odataType(u"mediaPrompt") },
        { "mediaInfo"_L1, encode(info) } };
}

QJsonObject encodeServiceHostedMediaConfig(const QList<MediaInfo> &preFetch)
{
    QJsonObject o { { "@odata.type"_L1, odataType(u"serviceHostedMediaConfig") } };
    if (!preFetch.isEmpty())
        o.insert("preFetchMedia"_L1, encodeList(preFetch));
    return o;
}

ChatInfo decodeChatInfo(const QJsonObject &o)
{
    return ChatInfo { readString(o, "threadId"_L1), readString(o, "messageId"_L1),
        readString(o, "replyChainMessageId"_L1), o };
}

QJsonObject encode(const ChatInfo &info)
{
    QJsonObject o = info.raw;
    putType(o, u"chatInfo");
    putString(o, "threadId"_L1, info.threadId);
    putString(o, "messageId"_L1, info.messageId);
    putString(o, "replyChainMessageId"_L1, info.replyChainMessageId);
    return o;
}

// ---- participants and operations ---------------------------------------------------------

Participant decodeParticipant(const QJsonObject &o)
{
    Participant p;
    p.id = readString(o, "id"_L1);
    p.info = decodeParticipantInfo(readObject(o, "info"_L1));
    p.isInLobby = readBool(o, "isInLobby"_L1).value_or(false);
    p.isMuted = readBool(o, "isMuted"_L1).value_or(false);
    p.mediaStreams = readList<MediaStream>(o, "mediaStreams"_L1, decodeMediaStream);
    p.metadata = readString(o, "metadata"_L1);
    if (const auto rsn = readInteger(o.value("rosterSequenceNumber"_L1)))
        p.rosterSequenceNumber = *rsn;
    const QJsonValue removedState = o.value("removedState"_L1);
    p.removed = removedState.isObject();
    p.removedReason = removedState.toObject().value("reason"_L1).toString();
    p.raw = o;
    return p;
}

void dropJson(Call &call)
{
    call.raw = {};
    if (call.source) {
        call.source->raw = {};
        call.source->identity.dropJson();
    }
    for (InvitationParticipantInfo &target : call.targets) {
        target.raw = {};
        target.identity.dropJson();
    }
    call.resultInfo.raw = {};
    if (call.toneInfo)
        call.toneInfo->raw = {};
    call.chatInfo.raw = {};
    call.meetingInfo.raw = {};
    call.meetingInfo.organizer.dropJson();
    for (MediaInfo &media : call.preFetchMedia)
        media.raw = {};
}

void dropJson(Participant &p)
{
    p.raw = {};
    p.info.raw = {};
    p.info.identity.dropJson();
    for (MediaStream &stream : p.mediaStreams)
        stream.raw = {};
}

QJsonObject encode(const Participant &p)
{
    QJsonObject o = p.raw;
    putType(o, u"participant");
    o.insert("id"_L1, p.id);
    o.insert("info"_L1, encode(p.info));
    o.insert("isInLobby"_L1, p.isInLobby);
    o.insert("isMuted"_L1, p.isMuted);
    o.insert("mediaStreams"_L1, encodeList(p.mediaStreams));
    putString(o, "metadata"_L1, p.metadata);
    if (p.rosterSequenceNumber)
        o.insert("rosterSequenceNumber"_L1, *p.rosterSequenceNumber);
    if (p.removed) {
        QJsonObject removedState = o.value("removedState"_L1).toObject();
        putString(removedState, "reason"_L1, p.removedReason);
        o.insert("removedState"_L1, removedState);
    }
    return o;
}

CommsOperation decodeOperation(const QJsonObject &o)
{
    CommsOperation op;
    op.odataType = readString(o, "@odata.type"_L1);
    op.id = readString(o, "id"_L1);
    op.clientContext = readString(o, "clientContext"_L1);
    op.status = readEnum<OperationStatus>(o, "status"_L1);
    if (o.value("resultInfo"_L1).isObject())
        op.resultInfo = decodeResultInfo(readObject(o, "resultInfo"_L1));
    op.recordingLocation = readString(o, "recordingLocation"_L1);
    op.recordingAccessToken = readString(o, "recordingAccessToken"_L1);
    op.participants =
        readList<InvitationParticipantInfo>(o, "participants"_L1, decodeInvitationParticipantInfo);
    op.raw = o;
    return op;
}

QJsonObject encode(const CommsOperation &op)
{
    QJsonObject o = op.raw;
    o.insert(
        "@odata.type"_L1, op.odataType.isEmpty() ? odataType(u"commsOperation") : op.odataType);
    o.insert("id"_L1, op.id);
    putString(o, "clientContext"_L1, op.clientContext);
    putEnum(o, "status"_L1, op.status);
    if (op.resultInfo.isPresent())
        o.insert("resultInfo"_L1, encode(op.resultInfo));
    putString(o, "recordingLocation"_L1, op.recordingLocation);
    putString(o, "recordingAccessToken"_L1, op.recordingAccessToken);
    if (!op.participants.isEmpty())
        o.insert("participants"_L1, encodeList(op.participants));
    return o;
}

// ---- notifications -----------------------------------------------------------------------

Decoded<CommsNotification> decodeNotification(const QJsonObject &o)
{
    Decoded<CommsNotification> out;
    CommsNotification &n = out.value;
    n.raw = o;
    n.changeType = readEnum<ChangeType>(o, "changeType"_L1);
    n.resourceUrl = readString(o, "resourceUrl"_L1);
    n.resource = readString(o, "resource"_L1);
    n.callbackUri = readString(o, "callbackUri"_L1);
    n.resourceData = o.value("resourceData"_L1);

    if (!n.changeType.isPresent()) {
        out.error = DecodeError { u"changeType"_s, u"missing or not a string"_s };
        return out;
    }
    if (n.resourceUrl.isEmpty() && n.resource.isEmpty()) {
        out.error = DecodeError { u"resourceUrl"_s, u"missing or not a string"_s };
        return out;
    }
    if (!n.resourceData.isObject() && !n.resourceData.isArray()) {
        out.error =
            DecodeError { u"resourceData"_s, u"missing, or neither an object nor an array"_s };
        return out;
    }

    // The legacy path stands in only when resourceUrl names no call at all; an unknown
    // sub-resource of a known call stays unknown.
    ResourcePath path = parseResourcePath(n.resourceUrl);
    if (path.callId.isEmpty())
        path = parseResourcePath(n.resource);
    n.callId = path.callId;
    n.subId = path.subId;
    n.kind = ResourceKind(int(path.kind));

    if (n.resourceData.isObject()) {
        n.dataType = n.resourceData.toObject().value("@odata.type"_L1).toString();
    } else {
        const QJsonArray array = n.resourceData.toArray();
        n.dataType = array.isEmpty() ? QString()
                                     : array.first().toObject().value("@odata.type"_L1).toString();
    }
    // A roster arrives as an array on ".../participants"; an array is a roster wherever it is.
    if (n.resourceData.isArray() && n.kind == ResourceKind::Call)
        n.kind = ResourceKind::Participants;
    return out;
}

Decoded<CommsNotifications> decodeNotifications(const QJsonObject &o)
{
    Decoded<CommsNotifications> out;
    out.value.raw = o;
    const QJsonValue value = o.value("value"_L1);
    if (!value.isArray()) {
        out.error = DecodeError { u"value"_s, u"missing or not an array"_s };
        return out;
    }
    const QJsonArray array = value.toArray();
    // The path of an element is spelled out only for an error: this runs for every callback.
    const auto where = [](qsizetype i) { return u"value[%1]"_s.arg(i); };
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isObject()) {
            out.error = DecodeError { where(i), u"not an object"_s };
            return out;
        }
        Decoded<CommsNotification> n = decodeNotification(array[i].toObject());
        if (!n) {
            out.error = DecodeError { where(i) + u'.' + n.error->path, n.error->message };
            return out;
        }
        out.value.value.append(std::move(n.value));
    }
    return out;
}

QJsonObject encode(const CommsNotification &n)
{
    QJsonObject o = n.raw;
    putType(o, u"commsNotification");
    putEnum(o, "changeType"_L1, n.changeType);
    putString(o, "resourceUrl"_L1, n.resourceUrl);
    putString(o, "resource"_L1, n.resource);
    putString(o, "callbackUri"_L1, n.callbackUri);
    if (!n.resourceData.isUndefined())
        o.insert("resourceData"_L1, n.resourceData);
    return o;
}

QJsonObject encode(const CommsNotifications &n)
{
    QJsonObject o = n.raw;
    putType(o, u"commsNotifications");
    QJsonArray value;
    for (const CommsNotification &item : n.value)
        value.append(encode(item));
    o.insert("value"_L1, value);
    return o;
}

// ---- documents ---------------------------------------------------------------------------

namespace {

std::optional<DecodeError> parseDocument(const QByteArray &json, QJsonDocument &doc)
{
    if (json.trimmed().isEmpty())
        return DecodeError { {}, u"empty body"_s };
    QJsonParseError error;
    doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return DecodeError { {},
            u"not JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset) };
    if (!doc.isObject())
        return DecodeError { {}, u"not a JSON object"_s };
    return std::nullopt;
}

template <typename T, typename Decode>
Decoded<T> decodeEntityDocument(const QByteArray &json, Decode decode, QLatin1StringView required)
{
    Decoded<T> out;
    QJsonDocument doc;
    if ((out.error = parseDocument(json, doc)))
        return out;
    const QJsonObject o = doc.object();
    if (!required.isEmpty() && !o.value(required).isString()) {
        out.error = DecodeError { QString(required), u"missing or not a string"_s };
        return out;
    }
    out.value = decode(o);
    return out;
}

template <typename T, typename Decode>
Decoded<QList<T>> decodeCollectionDocument(const QByteArray &json, Decode decode)
{
    Decoded<QList<T>> out;
    QJsonDocument doc;
    if ((out.error = parseDocument(json, doc)))
        return out;
    const QJsonValue value = doc.object().value("value"_L1);
    if (!value.isArray()) {
        out.error = DecodeError { u"value"_s, u"missing or not an array"_s };
        return out;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isObject()) {
            out.error = DecodeError { u"value[%1]"_s.arg(i), u"not an object"_s };
            return out;
        }
        out.value.append(decode(array[i].toObject()));
    }
    return out;
}

} // namespace

Decoded<CommsNotifications> decodeNotifications(const QByteArray &json)
{
    QJsonDocument doc;
    if (auto error = parseDocument(json, doc))
        return Decoded<CommsNotifications> { {}, error };
    return decodeNotifications(doc.object());
}

Decoded<Call> decodeCallDocument(const QByteArray &json)
{
    return decodeEntityDocument<Call>(json, decodeCall, "id"_L1);
}

Decoded<Participant> decodeParticipantDocument(const QByteArray &json)
{
    return decodeEntityDocument<Participant>(json, decodeParticipant, "id"_L1);
}

Decoded<QList<Participant>> decodeParticipantCollection(const QByteArray &json)
{
    return decodeCollectionDocument<Participant>(json, decodeParticipant);
}

Decoded<CommsOperation> decodeOperationDocument(const QByteArray &json)
{
    return decodeEntityDocument<CommsOperation>(json, decodeOperation, "id"_L1);
}

Decoded<OnlineMeeting> decodeOnlineMeetingDocument(const QByteArray &json)
{
    return decodeEntityDocument<OnlineMeeting>(json, decodeOnlineMeeting, "id"_L1);
}

Decoded<QList<OnlineMeeting>> decodeOnlineMeetingCollection(const QByteArray &json)
{
    return decodeCollectionDocument<OnlineMeeting>(json, decodeOnlineMeeting);
}

} // namespace Graph

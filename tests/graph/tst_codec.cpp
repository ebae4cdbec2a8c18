// Tests of the Graph codec (graph/codec*.cpp) against the wire fixtures in tests/data/graph/.
// Every fixture file is listed in s_fixtures or s_malformed below; everyFixtureFileIsTested()
// keeps that list and the folder in step.

#include "graph/codec.h"
#include "graph/ids.h"
#include "graph/types.h"
#include "graph/wireenums.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <limits>
#include <optional>
#include <time.h>

using namespace Qt::StringLiterals;
using namespace Graph;

Q_DECLARE_METATYPE(Graph::CallState)
Q_DECLARE_METATYPE(Graph::CallDirection)
Q_DECLARE_METATYPE(Graph::ChangeType)
Q_DECLARE_METATYPE(Graph::OperationStatus)
Q_DECLARE_METATYPE(Graph::ResourceKind)
Q_DECLARE_METATYPE(Graph::Tone)
Q_DECLARE_METATYPE(Graph::MediaDirection)
Q_DECLARE_METATYPE(Graph::MeetingInfo::Kind)

namespace {

// The ids the fixtures use.
const QString InCall = u"2a1f0c00-7e4b-4d5a-9c3e-6b8d1f2a4c5e"_s;
const QString PstnCall = u"5c3e1a00-9b2d-4f6a-8e1c-3d5b7f9a1c2e"_s;
const QString GroupCall = u"7d4f2b00-1c3e-4a5b-b6d7-8e9f0a1b2c3d"_s;
const QString OutCall = u"9a8b7c00-6d5e-4f3a-8b1c-2d3e4f5a6b7c"_s;
const QString OutCallUpper = u"9A8B7C006D5E4F3A8B1C2D3E4F5A6B7C"_s;
const QString PlayOp = u"0b8e6c4a-2f1d-4e3b-9a7c-5d3f1b9e7a42"_s;
const QString PlayOpUpper = u"0B8E6C4A2F1D4E3B9A7C5D3F1B9E7A42"_s;
const QString RecordOp = u"f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"_s;
const QString InviteOp = u"a7b6c5d4-e3f2-4a1b-8c9d-0e1f2a3b4c5d"_s;
const QString DtmfOp = u"c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f"_s;
const QString TenantId = u"0f6c3b2a-8d4e-4b1f-9a7c-2e5d8b3f6a10"_s;
const QString BotAppId = u"3e9a7c51-2b8d-4f6e-a1c3-7d5b9e2f4a68"_s;
const QString MeganId = u"c4d6e8f0-2a4b-4c6d-8e0f-1a3b5c7d9e21"_s;
const QString AdeleId = u"8b2f4e6a-1c3d-4a5b-9e7f-0d2c4b6a8e31"_s;

constexpr int NoCode = -1; // a resultInfo code or subcode that is absent
constexpr int Document = -1; // "the whole file", as opposed to notification number n

enum class Shape {
    Notifications,
    Call,
    Participant,
    Participants,
    Operation,
    OnlineMeeting,
    GraphError
};

struct FixtureFile
{
    QLatin1StringView name;
    Shape shape;
};

constexpr FixtureFile s_fixtures[] = {
    { "incoming-user.json"_L1, Shape::Notifications },
    { "incoming-pstn.json"_L1, Shape::Notifications },
    { "incoming-group-invite.json"_L1, Shape::Notifications },
    { "establishing.json"_L1, Shape::Notifications },
    { "established.json"_L1, Shape::Notifications },
    { "terminating.json"_L1, Shape::Notifications },
    { "terminated-numeric.json"_L1, Shape::Notifications },
    { "terminated-strings.json"_L1, Shape::Notifications },
    { "terminated-subcode-spelling.json"_L1, Shape::Notifications },
    { "terminated-termination-reason.json"_L1, Shape::Notifications },
    { "terminated-without-message.json"_L1, Shape::Notifications },
    { "transferring.json"_L1, Shape::Notifications },
    { "transfer-accepted.json"_L1, Shape::Notifications },
    { "transfer-failed.json"_L1, Shape::Notifications },
    { "roster-full.json"_L1, Shape::Notifications },
    { "roster-delta-removed.json"_L1, Shape::Notifications },
    { "tone.json"_L1, Shape::Notifications },
    { "operation-playprompt-deleted.json"_L1, Shape::Notifications },
    { "operation-record-deleted.json"_L1, Shape::Notifications },
    { "batch.json"_L1, Shape::Notifications },
    { "odd-casing.json"_L1, Shape::Notifications },
    { "ids-mixed-case.json"_L1, Shape::Notifications },
    { "legacy-resource-only.json"_L1, Shape::Notifications },
    { "unknown-fields.json"_L1, Shape::Notifications },
    { "call-created.json"_L1, Shape::Call },
    { "participant.json"_L1, Shape::Participant },
    { "participants-list.json"_L1, Shape::Participants },
    { "operation-invite-running.json"_L1, Shape::Operation },
    { "online-meeting-created.json"_L1, Shape::OnlineMeeting },
    { "error-404-item-not-found.json"_L1, Shape::GraphError },
    { "error-403-7505.json"_L1, Shape::GraphError },
    { "error-429-too-many-requests.json"_L1, Shape::GraphError },
};

enum class Decoder {
    Any, //!< every document decoder below
    Notifications,
    Call,
    Participant,
    Participants,
    Operation,
    OnlineMeeting,
    OnlineMeetings,
};
constexpr Decoder s_documentDecoders[] = {
    Decoder::Notifications,
    Decoder::Call,
    Decoder::Participant,
    Decoder::Participants,
    Decoder::Operation,
    Decoder::OnlineMeeting,
    Decoder::OnlineMeetings,
};

struct MalformedCase
{
    QLatin1StringView file; //!< under malformed/
    Decoder decoder;
    QLatin1StringView path; //!< the DecodeError's path
    QLatin1StringView message; //!< a part of the DecodeError's message
};

constexpr MalformedCase s_malformed[] = {
    { "not-json.json"_L1, Decoder::Any, ""_L1, "not JSON"_L1 },
    { "empty.json"_L1, Decoder::Any, ""_L1, "empty body"_L1 },
    { "array.json"_L1, Decoder::Any, ""_L1, "not a JSON object"_L1 },
    { "truncated.json"_L1, Decoder::Any, ""_L1, "not JSON"_L1 },
    { "deeply-nested.json"_L1, Decoder::Any, ""_L1, "too deeply nested"_L1 },
    { "value-missing.json"_L1, Decoder::Notifications, "value"_L1, "missing or not an array"_L1 },
    { "value-missing.json"_L1, Decoder::Participants, "value"_L1, "missing or not an array"_L1 },
    { "value-missing.json"_L1, Decoder::OnlineMeetings, "value"_L1, "missing or not an array"_L1 },
    { "value-not-array.json"_L1, Decoder::Notifications, "value"_L1, "not an array"_L1 },
    { "value-not-array.json"_L1, Decoder::Participants, "value"_L1, "not an array"_L1 },
    { "item-not-object.json"_L1, Decoder::Notifications, "value[1]"_L1, "not an object"_L1 },
    { "item-not-object.json"_L1, Decoder::Participants, "value[1]"_L1, "not an object"_L1 },
    { "item-without-changetype.json"_L1, Decoder::Notifications, "value[1].changeType"_L1,
        "missing"_L1 },
    { "resourcedata-string.json"_L1, Decoder::Notifications, "value[0].resourceData"_L1,
        "neither an object nor an array"_L1 },
    { "resourcedata-missing.json"_L1, Decoder::Notifications, "value[0].resourceData"_L1,
        "missing"_L1 },
    { "huge-string.json"_L1, Decoder::Notifications, "value[0].resourceData"_L1,
        "neither an object nor an array"_L1 },
    { "numbers-for-strings.json"_L1, Decoder::Notifications, "value[0].changeType"_L1,
        "not a string"_L1 },
    { "resourceurl-number.json"_L1, Decoder::Notifications, "value[0].resourceUrl"_L1,
        "not a string"_L1 },
    { "call-id-number.json"_L1, Decoder::Call, "id"_L1, "not a string"_L1 },
    { "call-id-number.json"_L1, Decoder::Participant, "id"_L1, "not a string"_L1 },
    { "call-id-number.json"_L1, Decoder::Operation, "id"_L1, "not a string"_L1 },
    { "call-id-number.json"_L1, Decoder::OnlineMeeting, "id"_L1, "not a string"_L1 },
};

const char *decoderName(Decoder decoder)
{
    switch (decoder) {
    case Decoder::Any:
        return "any";
    case Decoder::Notifications:
        return "notifications";
    case Decoder::Call:
        return "call";
    case Decoder::Participant:
        return "participant";
    case Decoder::Participants:
        return "participants";
    case Decoder::Operation:
        return "operation";
    case Decoder::OnlineMeeting:
        return "onlineMeeting";
    case Decoder::OnlineMeetings:
        return "onlineMeetings";
    }
    return "?";
}

std::optional<DecodeError> decodeWith(Decoder decoder, const QByteArray &json)
{
    switch (decoder) {
    case Decoder::Any:
        break;
    case Decoder::Notifications:
        return decodeNotifications(json).error;
    case Decoder::Call:
        return decodeCallDocument(json).error;
    case Decoder::Participant:
        return decodeParticipantDocument(json).error;
    case Decoder::Participants:
        return decodeParticipantCollection(json).error;
    case Decoder::Operation:
        return decodeOperationDocument(json).error;
    case Decoder::OnlineMeeting:
        return decodeOnlineMeetingDocument(json).error;
    case Decoder::OnlineMeetings:
        return decodeOnlineMeetingCollection(json).error;
    }
    return DecodeError { {}, u"no decoder"_s };
}

QString dataDir()
{
    return QString::fromUtf8(FRONTDESK_TEST_DATA_DIR) + u"/graph"_s;
}

std::optional<QByteArray> readFixture(const QString &relative)
{
    QFile file(dataDir() + u'/' + relative);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

//! For QVERIFY2 messages, which Qt evaluates whether or not the check fails.
QString errorText(const std::optional<DecodeError> &error)
{
    return error ? error->toString() : QString();
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    // A scalar: wrap it and cut the brackets off.
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

bool loadNotifications(const QString &file, CommsNotifications &out, QString &why)
{
    const std::optional<QByteArray> bytes = readFixture(file);
    if (!bytes) {
        why = u"cannot read "_s + file;
        return false;
    }
    Decoded<CommsNotifications> decoded = decodeNotifications(*bytes);
    if (!decoded) {
        why = file + u": "_s + decoded.error->toString();
        return false;
    }
    out = std::move(decoded.value);
    return true;
}

bool loadObject(const QString &file, QJsonObject &out, QString &why)
{
    const std::optional<QByteArray> bytes = readFixture(file);
    if (!bytes) {
        why = u"cannot read "_s + file;
        return false;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (!doc.isObject()) {
        why = file + u" is not a JSON object: "_s + error.errorString();
        return false;
    }
    out = doc.object();
    return true;
}

//! Notification `index` of a notifications fixture.
bool loadNotification(const QString &file, int index, CommsNotification &out, QString &why)
{
    CommsNotifications all;
    if (!loadNotifications(file, all, why))
        return false;
    if (index < 0 || index >= all.value.size()) {
        why = u"%1 has %2 notifications, not %3"_s.arg(file).arg(all.value.size()).arg(index + 1);
        return false;
    }
    out = all.value.at(index);
    return true;
}

//! The call of a call document (index Document) or of notification `index`.
bool loadCall(const QString &file, int index, Call &out, QString &why)
{
    if (index == Document) {
        const std::optional<QByteArray> bytes = readFixture(file);
        if (!bytes) {
            why = u"cannot read "_s + file;
            return false;
        }
        Decoded<Call> decoded = decodeCallDocument(*bytes);
        if (!decoded) {
            why = file + u": "_s + decoded.error->toString();
            return false;
        }
        out = std::move(decoded.value);
        return true;
    }
    CommsNotification n;
    if (!loadNotification(file, index, n, why))
        return false;
    if (!n.resourceData.isObject()) {
        why = file + u": resourceData is not an object"_s;
        return false;
    }
    out = decodeCall(n.resourceData.toObject());
    return true;
}

//! The participants of a participant document, a participant collection, or a roster
//! notification.
bool loadParticipants(const QString &file, int index, QList<Participant> &out, QString &why)
{
    if (index == Document) {
        const std::optional<QByteArray> bytes = readFixture(file);
        if (!bytes) {
            why = u"cannot read "_s + file;
            return false;
        }
        if (QJsonDocument::fromJson(*bytes).object().contains("value"_L1)) {
            Decoded<QList<Participant>> decoded = decodeParticipantCollection(*bytes);
            if (!decoded) {
                why = file + u": "_s + decoded.error->toString();
                return false;
            }
            out = std::move(decoded.value);
            return true;
        }
        Decoded<Participant> decoded = decodeParticipantDocument(*bytes);
        if (!decoded) {
            why = file + u": "_s + decoded.error->toString();
            return false;
        }
        out = { std::move(decoded.value) };
        return true;
    }
    CommsNotification n;
    if (!loadNotification(file, index, n, why))
        return false;
    out.clear();
    if (n.resourceData.isObject()) {
        out.append(decodeParticipant(n.resourceData.toObject()));
        return true;
    }
    for (const QJsonValue &v : n.resourceData.toArray()) {
        if (!v.isObject()) {
            why = file + u": a roster entry is not an object"_s;
            return false;
        }
        out.append(decodeParticipant(v.toObject()));
    }
    return true;
}

bool loadOperation(const QString &file, int index, CommsOperation &out, QString &why)
{
    if (index == Document) {
        const std::optional<QByteArray> bytes = readFixture(file);
        if (!bytes) {
            why = u"cannot read "_s + file;
            return false;
        }
        Decoded<CommsOperation> decoded = decodeOperationDocument(*bytes);
        if (!decoded) {
            why = file + u": "_s + decoded.error->toString();
            return false;
        }
        out = std::move(decoded.value);
        return true;
    }
    CommsNotification n;
    if (!loadNotification(file, index, n, why))
        return false;
    if (!n.resourceData.isObject()) {
        why = file + u": resourceData is not an object"_s;
        return false;
    }
    out = decodeOperation(n.resourceData.toObject());
    return true;
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc());
}

// ---- the modelled values of a decoded type, as JSON, for "decodes to the same values" -------
// Enums give their schema name when known and "unknown:<text>" otherwise; raw is left out.

template <typename E> QJsonValue valuesOf(const WireEnum<E> &e)
{
    if (!e.isPresent())
        return QJsonValue();
    if (e.isKnown())
        return wireName(e.value);
    return QString(u"unknown:"_s + e.text);
}

QJsonValue valuesOf(std::optional<bool> b)
{
    return b ? QJsonValue(*b) : QJsonValue();
}

QJsonValue valuesOf(std::optional<int> n)
{
    return n ? QJsonValue(*n) : QJsonValue();
}

QJsonValue valuesOf(const QDateTime &dt)
{
    return dt.isValid() ? QJsonValue(writeDateTime(dt)) : QJsonValue();
}

QJsonObject valuesOf(const IdentitySet &set)
{
    QJsonObject o;
    for (int i = 0; i < IdentitySet::KindCount; ++i) {
        const auto kind = IdentitySet::Kind(i);
        if (const auto &identity = set.get(kind)) {
            o.insert(wireName(kind),
                QJsonObject { { "id"_L1, identity->id },
                    { "displayName"_L1, identity->displayName },
                    { "tenantId"_L1, identity->tenantId } });
        }
    }
    return o;
}

QJsonObject valuesOf(const ParticipantInfo &info)
{
    return QJsonObject {
        { "identity"_L1, valuesOf(info.identity) },
        { "endpointType"_L1, valuesOf(info.endpointType) },
        { "region"_L1, info.region },
        { "languageId"_L1, info.languageId },
        { "countryCode"_L1, info.countryCode },
        { "participantId"_L1, info.participantId },
    };
}

QJsonObject valuesOf(const InvitationParticipantInfo &info)
{
    return QJsonObject {
        { "identity"_L1, valuesOf(info.identity) },
        { "replacesCallId"_L1, info.replacesCallId },
        { "participantId"_L1, info.participantId },
        { "hidden"_L1, valuesOf(info.hidden) },
        { "removeFromDefaultAudioRoutingGroup"_L1,
            valuesOf(info.removeFromDefaultAudioRoutingGroup) },
    };
}

QJsonObject valuesOf(const ResultInfo &info)
{
    return QJsonObject { { "code"_L1, valuesOf(info.code) },
        { "subcode"_L1, valuesOf(info.subcode) }, { "message"_L1, info.message } };
}

QJsonObject valuesOf(const MediaStream &stream)
{
    return QJsonObject {
        { "mediaType"_L1, valuesOf(stream.mediaType) },
        { "direction"_L1, valuesOf(stream.direction) },
        { "sourceId"_L1, stream.sourceId },
        { "label"_L1, stream.label },
        { "serverMuted"_L1, stream.serverMuted },
    };
}

QJsonObject valuesOf(const MeetingInfo &info)
{
    return QJsonObject {
        { "kind"_L1, int(info.kind) },
        { "organizer"_L1, valuesOf(info.organizer) },
        { "joinMeetingId"_L1, info.joinMeetingId },
        { "passcode"_L1, info.passcode },
        { "token"_L1, info.token },
    };
}

QJsonObject valuesOf(const Participant &p);
QJsonObject valuesOf(const CommsOperation &op);
QJsonObject valuesOf(const MeetingParticipantInfo &info);
QJsonObject valuesOf(const CommsNotification &n);

template <typename T> QJsonArray valuesOfList(const QList<T> &list)
{
    QJsonArray out;
    for (const T &item : list)
        out.append(valuesOf(item));
    return out;
}

QJsonObject valuesOf(const Call &call)
{
    QJsonArray modalities;
    for (const auto &m : call.requestedModalities)
        modalities.append(valuesOf(m));
    QJsonArray preFetch;
    for (const MediaInfo &m : call.preFetchMedia)
        preFetch.append(QJsonObject { { "uri"_L1, m.uri }, { "resourceId"_L1, m.resourceId } });
    return QJsonObject {
        { "id"_L1, call.id },
        { "state"_L1, valuesOf(call.state) },
        { "direction"_L1, valuesOf(call.direction) },
        { "callbackUri"_L1, call.callbackUri },
        { "callChainId"_L1, call.callChainId },
        { "myParticipantId"_L1, call.myParticipantId },
        { "subject"_L1, call.subject },
        { "tenantId"_L1, call.tenantId },
        { "source"_L1, call.source ? QJsonValue(valuesOf(*call.source)) : QJsonValue() },
        { "targets"_L1, valuesOfList(call.targets) },
        { "requestedModalities"_L1, modalities },
        { "resultInfo"_L1, valuesOf(call.resultInfo) },
        { "toneInfo"_L1,
            call.toneInfo ? QJsonValue(QJsonObject { { "sequenceId"_L1, call.toneInfo->sequenceId },
                { "tone"_L1, valuesOf(call.toneInfo->tone) } })
                          : QJsonValue() },
        { "chatInfo"_L1,
            QJsonObject { { "threadId"_L1, call.chatInfo.threadId },
                { "messageId"_L1, call.chatInfo.messageId },
                { "replyChainMessageId"_L1, call.chatInfo.replyChainMessageId } } },
        { "meetingInfo"_L1, valuesOf(call.meetingInfo) },
        { "audioState"_L1, valuesOf(call.audioState) },
        { "isDeltaRosterEnabled"_L1, valuesOf(call.isDeltaRosterEnabled) },
        { "mediaConfigType"_L1, call.mediaConfigType },
        { "preFetchMedia"_L1, preFetch },
    };
}

QJsonObject valuesOf(const Participant &p)
{
    return QJsonObject {
        { "id"_L1, p.id },
        { "info"_L1, valuesOf(p.info) },
        { "isInLobby"_L1, p.isInLobby },
        { "isMuted"_L1, p.isMuted },
        { "mediaStreams"_L1, valuesOfList(p.mediaStreams) },
        { "metadata"_L1, p.metadata },
        { "rosterSequenceNumber"_L1,
            p.rosterSequenceNumber ? QJsonValue(*p.rosterSequenceNumber) : QJsonValue() },
        { "removed"_L1, p.removed },
        { "removedReason"_L1, p.removedReason },
    };
}

QJsonObject valuesOf(const CommsOperation &op)
{
    return QJsonObject {
        { "odataType"_L1, op.odataType },
        { "id"_L1, op.id },
        { "clientContext"_L1, op.clientContext },
        { "status"_L1, valuesOf(op.status) },
        { "resultInfo"_L1, valuesOf(op.resultInfo) },
        { "recordingLocation"_L1, op.recordingLocation },
        { "recordingAccessToken"_L1, op.recordingAccessToken },
        { "participants"_L1, valuesOfList(op.participants) },
    };
}

QJsonObject valuesOf(const MeetingParticipantInfo &info)
{
    return QJsonObject { { "identity"_L1, valuesOf(info.identity) }, { "upn"_L1, info.upn },
        { "role"_L1, valuesOf(info.role) } };
}

QJsonObject valuesOf(const OnlineMeeting &m)
{
    QJsonObject o {
        { "id"_L1, m.id },
        { "subject"_L1, m.subject },
        { "startDateTime"_L1, valuesOf(m.startDateTime) },
        { "endDateTime"_L1, valuesOf(m.endDateTime) },
        { "creationDateTime"_L1, valuesOf(m.creationDateTime) },
        { "joinWebUrl"_L1, m.joinWebUrl },
        { "externalId"_L1, m.externalId },
        { "videoTeleconferenceId"_L1, m.videoTeleconferenceId },
        { "chatInfo"_L1,
            QJsonObject { { "threadId"_L1, m.chatInfo.threadId },
                { "messageId"_L1, m.chatInfo.messageId },
                { "replyChainMessageId"_L1, m.chatInfo.replyChainMessageId } } },
        { "organizer"_L1, m.organizer ? QJsonValue(valuesOf(*m.organizer)) : QJsonValue() },
        { "attendees"_L1, valuesOfList(m.attendees) },
        { "lobbyBypassScope"_L1, valuesOf(m.lobbyBypassScope) },
        { "isDialInBypassEnabled"_L1, valuesOf(m.isDialInBypassEnabled) },
        { "allowedPresenters"_L1, valuesOf(m.allowedPresenters) },
        { "joinInformation"_L1, m.joinInformation },
    };
    if (m.joinMeetingIdSettings) {
        o.insert("joinMeetingIdSettings"_L1,
            QJsonObject { { "joinMeetingId"_L1, m.joinMeetingIdSettings->joinMeetingId },
                { "passcode"_L1, m.joinMeetingIdSettings->passcode },
                { "isPasscodeRequired"_L1,
                    valuesOf(m.joinMeetingIdSettings->isPasscodeRequired) } });
    }
    if (m.audioConferencing) {
        const AudioConferencing &a = *m.audioConferencing;
        o.insert("audioConferencing"_L1,
            QJsonObject { { "conferenceId"_L1, a.conferenceId }, { "tollNumber"_L1, a.tollNumber },
                { "tollFreeNumber"_L1, a.tollFreeNumber },
                { "tollNumbers"_L1, QJsonArray::fromStringList(a.tollNumbers) },
                { "tollFreeNumbers"_L1, QJsonArray::fromStringList(a.tollFreeNumbers) },
                { "dialinUrl"_L1, a.dialinUrl } });
    }
    return o;
}

//! The values of a notification, with the values of the resource it carries.
QJsonObject valuesOf(const CommsNotification &n)
{
    QJsonValue data;
    switch (n.kind) {
    case ResourceKind::Call:
        data = valuesOf(decodeCall(n.resourceData.toObject()));
        break;
    case ResourceKind::Participants:
    case ResourceKind::Participant: {
        QJsonArray participants;
        if (n.resourceData.isObject())
            participants.append(valuesOf(decodeParticipant(n.resourceData.toObject())));
        for (const QJsonValue &v : n.resourceData.toArray())
            participants.append(valuesOf(decodeParticipant(v.toObject())));
        data = participants;
        break;
    }
    case ResourceKind::Operation:
        data = valuesOf(decodeOperation(n.resourceData.toObject()));
        break;
    case ResourceKind::Unknown:
        data = n.resourceData;
        break;
    }
    return QJsonObject {
        { "changeType"_L1, valuesOf(n.changeType) },
        { "resourceUrl"_L1, n.resourceUrl },
        { "resource"_L1, n.resource },
        { "callbackUri"_L1, n.callbackUri },
        { "kind"_L1, int(n.kind) },
        { "callId"_L1, n.callId },
        { "subId"_L1, n.subId },
        { "dataType"_L1, n.dataType },
        { "data"_L1, data },
    };
}

QJsonArray valuesOf(const CommsNotifications &all)
{
    return valuesOfList(all.value);
}

// ---- "every field of the original is in the encoded form" -------------------------------
// Allowed rewrites: enum members in the schema's spelling, integers as numbers instead of
// numeric strings, resultInfo's subCode as subcode, and date-times in a canonical form.

bool isEnumKey(QStringView key)
{
    static const QSet<QString> keys {
        u"state"_s,
        u"changeType"_s,
        u"status"_s,
        u"direction"_s,
        u"tone"_s,
        u"mediaType"_s,
        u"audio"_s,
        u"role"_s,
        u"endpointType"_s,
        u"scope"_s,
        u"allowedPresenters"_s,
        u"requestedModalities"_s,
    };
    return keys.contains(key.toString());
}

bool isIntegerKey(QStringView key)
{
    return key == u"code" || key == u"subcode" || key == u"subCode" || key == u"sequenceId"
        || key == u"rosterSequenceNumber" || key == u"sourceId";
}

//! Empty when everything in `original` is in `encoded`; otherwise the first difference.
QString missingFrom(
    const QJsonValue &original, const QJsonValue &encoded, const QString &path, const QString &key)
{
    if (original.isObject()) {
        if (!encoded.isObject())
            return path + u" is no longer an object"_s;
        const QJsonObject o = original.toObject();
        const QJsonObject e = encoded.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            // resultInfo's subCode is written as subcode; data passed through keeps it.
            const QString encodedKey =
                it.key() == u"subCode" && !e.contains(it.key()) ? u"subcode"_s : it.key();
            const QString where = path.isEmpty() ? it.key() : QString(path + u'.' + it.key());
            if (!e.contains(encodedKey))
                return where + u" was dropped"_s;
            const QString missing = missingFrom(it.value(), e.value(encodedKey), where, it.key());
            if (!missing.isEmpty())
                return missing;
        }
        return {};
    }
    if (original.isArray()) {
        const QJsonArray o = original.toArray();
        const QJsonArray e = encoded.toArray();
        if (!encoded.isArray() || e.size() != o.size())
            return path + u" changed length or type"_s;
        for (qsizetype i = 0; i < o.size(); ++i) {
            const QString missing =
                missingFrom(o.at(i), e.at(i), u"%1[%2]"_s.arg(path).arg(i), key);
            if (!missing.isEmpty())
                return missing;
        }
        return {};
    }
    if (original == encoded)
        return {};
    if (isEnumKey(key) && original.isString() && encoded.isString()
        && original.toString().compare(encoded.toString(), Qt::CaseInsensitive) == 0) {
        return {};
    }
    if (isIntegerKey(key) && readInteger(original) && readInteger(original) == readInteger(encoded))
        return {};
    if (key.endsWith(u"DateTime") && readDateTime(original).isValid()
        && readDateTime(original) == readDateTime(encoded)) {
        return {};
    }
    return path + u": "_s + QString::fromUtf8(compact(original)) + u" became "_s
        + QString::fromUtf8(compact(encoded));
}

} // namespace

class TstCodec final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyFixtureFileIsTested();

    // decoding the fixtures
    void notificationEnvelope_data();
    void notificationEnvelope();
    void callResource_data();
    void callResource();
    void incomingUserCallDetails();
    void incomingPstnCallerIsAPhoneIdentity();
    void incomingGroupInviteCarriesChatAndMeeting();
    void callCreatedResponse();
    void toneInfo_data();
    void toneInfo();
    void rosterParticipant_data();
    void rosterParticipant();
    void rosterSizes_data();
    void rosterSizes();
    void operation_data();
    void operation();
    void idsInDifferentFormsStillMatch();
    void legacyResourcePathOnly();
    void unknownFieldsAndValuesAreDecoded();
    void onlineMeetingCreated();
    void onlineMeetingCollection();
    void graphErrorFixturesHaveGraphsShape_data();
    void graphErrorFixturesHaveGraphsShape();
    void graphErrorBodiesAreNotResources_data();
    void graphErrorBodiesAreNotResources();
    void notificationOnUnknownSubresource_data();
    void notificationOnUnknownSubresource();
    void arrayOnCallUrlIsRoster();

    // malformed input
    void malformedInputGivesError_data();
    void malformedInputGivesError();

    // round trips
    void roundTripKeepsEveryField_data();
    void roundTripKeepsEveryField();
    void roundTripDecodesToSameValues_data();
    void roundTripDecodesToSameValues();
    void roundTripKeepsUnknownFieldsVerbatim();

    // enums
    void enumsParseCaseInsensitively_data();
    void enumsParseCaseInsensitively();
    void enumsAreWrittenInSchemaSpelling_data();
    void enumsAreWrittenInSchemaSpelling();
    void oddCasingFixtureIsWrittenInSchemaSpelling();

    // small types
    void resultInfoIsWrittenNumericWithSubcodeSpelling_data();
    void resultInfoIsWrittenNumericWithSubcodeSpelling();
    void resultInfoBuiltInCodeIsWrittenNumeric();
    void resultInfoDecodingTakesEitherSpellingAndOnlyNumbers();
    void resultInfoCodeOutsideInt32IsAbsent();
    void meetingInfoVariants_data();
    void meetingInfoVariants();
    void identitySetTypeFollowsMembers_data();
    void identitySetTypeFollowsMembers();
    void readInteger_data();
    void readInteger();
    void readDateTime_data();
    void readDateTime();
    void readDateTimeDoesNotDependOnLocalZone_data();
    void readDateTimeDoesNotDependOnLocalZone();
    void writeDateTimeIsUtcWithMilliseconds_data();
    void writeDateTimeIsUtcWithMilliseconds();
};

void TstCodec::initTestCase()
{
    QVERIFY2(QDir(dataDir()).exists(), qPrintable(dataDir()));
    QVERIFY2(QDir(dataDir() + u"/malformed"_s).exists(), qPrintable(dataDir()));
}

void TstCodec::everyFixtureFileIsTested()
{
    QSet<QString> listed;
    for (const FixtureFile &f : s_fixtures)
        listed.insert(QString(f.name));
    for (const MalformedCase &c : s_malformed)
        listed.insert(u"malformed/"_s + c.file);

    QSet<QString> present;
    const QDir dir(dataDir());
    for (const QString &name : dir.entryList({ u"*.json"_s }, QDir::Files))
        present.insert(name);
    for (const QString &name : QDir(dataDir() + u"/malformed"_s).entryList(QDir::Files))
        present.insert(u"malformed/"_s + name);

    const QSet<QString> untested = present - listed;
    const QSet<QString> missing = listed - present;
    QVERIFY2(untested.isEmpty(),
        qPrintable(u"not in any table: "_s
            + QStringList(untested.cbegin(), untested.cend()).join(", "_L1)));
    QVERIFY2(missing.isEmpty(),
        qPrintable(u"listed but absent: "_s
            + QStringList(missing.cbegin(), missing.cend()).join(", "_L1)));
}

// ---- notifications ---------------------------------------------------------------------------

void TstCodec::notificationEnvelope_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("count");
    QTest::addColumn<ChangeType>("changeType");
    QTest::addColumn<QString>("changeText");
    QTest::addColumn<ResourceKind>("kind");
    QTest::addColumn<QString>("callId");
    QTest::addColumn<QString>("subId");
    QTest::addColumn<QString>("dataType");

    const QString call = u"#microsoft.graph.call"_s;
    const QString participant = u"#microsoft.graph.participant"_s;
    const QString playPrompt = u"#microsoft.graph.playPromptOperation"_s;
    const auto created = ChangeType::Created;
    const auto updated = ChangeType::Updated;
    const auto deleted = ChangeType::Deleted;

    QTest::newRow("incoming user") << u"incoming-user.json"_s << 0 << 1 << created << u"created"_s
                                   << ResourceKind::Call << InCall << QString() << call;
    QTest::newRow("incoming pstn") << u"incoming-pstn.json"_s << 0 << 1 << created << u"created"_s
                                   << ResourceKind::Call << PstnCall << QString() << call;
    QTest::newRow("group invite") << u"incoming-group-invite.json"_s << 0 << 1 << created
                                  << u"created"_s << ResourceKind::Call << GroupCall << QString()
                                  << call;
    const char *outCallUpdates[] = { "establishing.json", "established.json", "terminating.json",
        "transferring.json", "transfer-accepted.json", "transfer-failed.json", "tone.json" };
    for (const char *file : outCallUpdates) {
        QTest::newRow(file) << QString::fromLatin1(file) << 0 << 1 << updated << u"updated"_s
                            << ResourceKind::Call << OutCall << QString() << call;
    }
    const char *terminated[] = { "terminated-numeric.json", "terminated-strings.json",
        "terminated-subcode-spelling.json", "terminated-termination-reason.json",
        "terminated-without-message.json" };
    for (const char *file : terminated) {
        QTest::newRow(file) << QString::fromLatin1(file) << 0 << 1 << deleted << u"deleted"_s
                            << ResourceKind::Call << OutCall << QString() << call;
    }
    QTest::newRow("roster full") << u"roster-full.json"_s << 0 << 1 << updated << u"updated"_s
                                 << ResourceKind::Participants << GroupCall << QString()
                                 << participant;
    QTest::newRow("roster delta") << u"roster-delta-removed.json"_s << 0 << 1 << updated
                                  << u"updated"_s << ResourceKind::Participants << GroupCall
                                  << QString() << participant;
    QTest::newRow("playPrompt deleted")
        << u"operation-playprompt-deleted.json"_s << 0 << 1 << deleted << u"deleted"_s
        << ResourceKind::Operation << InCall << PlayOp << playPrompt;
    QTest::newRow("record deleted")
        << u"operation-record-deleted.json"_s << 0 << 1 << deleted << u"deleted"_s
        << ResourceKind::Operation << InCall << RecordOp << u"#microsoft.graph.recordOperation"_s;

    QTest::newRow("batch[0] state") << u"batch.json"_s << 0 << 4 << updated << u"updated"_s
                                    << ResourceKind::Call << InCall << QString() << call;
    QTest::newRow("batch[1] roster")
        << u"batch.json"_s << 1 << 4 << updated << u"updated"_s << ResourceKind::Participants
        << InCall << QString() << participant;
    QTest::newRow("batch[2] operation")
        << u"batch.json"_s << 2 << 4 << deleted << u"deleted"_s << ResourceKind::Operation << InCall
        << PlayOp << playPrompt;
    QTest::newRow("batch[3] tone") << u"batch.json"_s << 3 << 4 << updated << u"updated"_s
                                   << ResourceKind::Call << InCall << QString() << call;

    QTest::newRow("odd casing[0]") << u"odd-casing.json"_s << 0 << 4 << updated << u"Updated"_s
                                   << ResourceKind::Call << OutCall << QString() << call;
    QTest::newRow("odd casing[1]") << u"odd-casing.json"_s << 1 << 4 << updated << u"Updated"_s
                                   << ResourceKind::Operation << OutCall << PlayOp << playPrompt;
    QTest::newRow("odd casing[2]") << u"odd-casing.json"_s << 2 << 4 << updated << u"Updated"_s
                                   << ResourceKind::Call << OutCall << QString() << call;
    QTest::newRow("odd casing[3]") << u"odd-casing.json"_s << 3 << 4 << deleted << u"DELETED"_s
                                   << ResourceKind::Call << OutCall << QString() << call;

    // Ids are reported as written in resourceUrl; comparing them is sameId()'s job.
    QTest::newRow("mixed ids[0]") << u"ids-mixed-case.json"_s << 0 << 3 << updated << u"updated"_s
                                  << ResourceKind::Call << OutCallUpper << QString() << call;
    QTest::newRow("mixed ids[1]") << u"ids-mixed-case.json"_s << 1 << 3 << deleted << u"deleted"_s
                                  << ResourceKind::Operation << OutCallUpper << PlayOpUpper
                                  << playPrompt;
    QTest::newRow("mixed ids[2]") << u"ids-mixed-case.json"_s << 2 << 3 << updated << u"updated"_s
                                  << ResourceKind::Participants << OutCallUpper << QString()
                                  << participant;

    QTest::newRow("legacy[0]") << u"legacy-resource-only.json"_s << 0 << 3 << updated
                               << u"updated"_s << ResourceKind::Call << OutCall << QString()
                               << call;
    QTest::newRow("legacy[1]") << u"legacy-resource-only.json"_s << 1 << 3 << deleted
                               << u"deleted"_s << ResourceKind::Operation << OutCall << PlayOp
                               << playPrompt;
    QTest::newRow("legacy[2]") << u"legacy-resource-only.json"_s << 2 << 3 << updated
                               << u"updated"_s << ResourceKind::Participants << OutCall << QString()
                               << participant;

    QTest::newRow("unknown[0]") << u"unknown-fields.json"_s << 0 << 3 << updated << u"updated"_s
                                << ResourceKind::Call << InCall << QString() << call;
    QTest::newRow("unknown[1]") << u"unknown-fields.json"_s << 1 << 3 << updated << u"updated"_s
                                << ResourceKind::Operation << InCall << DtmfOp
                                << u"#microsoft.graph.sendDtmfTonesOperation"_s;
    QTest::newRow("unknown[2]") << u"unknown-fields.json"_s << 2 << 3 << ChangeType::Unknown
                                << u"archived"_s << ResourceKind::Participants << InCall
                                << QString() << participant;
}

void TstCodec::notificationEnvelope()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(int, count);
    QFETCH(ChangeType, changeType);
    QFETCH(QString, changeText);
    QFETCH(ResourceKind, kind);
    QFETCH(QString, callId);
    QFETCH(QString, subId);
    QFETCH(QString, dataType);

    CommsNotifications all;
    QString why;
    QVERIFY2(loadNotifications(file, all, why), qPrintable(why));
    QCOMPARE(all.value.size(), count);
    const CommsNotification &n = all.value.at(index);
    QCOMPARE(n.changeType.value, changeType);
    QCOMPARE(n.changeType.text, changeText);
    QCOMPARE(int(n.kind), int(kind));
    QCOMPARE(n.callId, callId);
    QCOMPARE(n.subId, subId);
    QCOMPARE(n.dataType, dataType);
    QVERIFY(n.resourceData.isObject() || n.resourceData.isArray());
    QCOMPARE(n.raw.value("changeType"_L1).toString(), changeText);
}

void TstCodec::callResource_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<CallState>("state");
    QTest::addColumn<QString>("stateText");
    QTest::addColumn<CallDirection>("direction");
    QTest::addColumn<QString>("callerName");
    QTest::addColumn<QString>("callerPhone");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("success");
    QTest::addColumn<QString>("terminationReason");

    const auto none = CallDirection::Unknown;
    const QString ended = u"The conversation has ended."_s;

    QTest::newRow("incoming user")
        << u"incoming-user.json"_s << 0 << CallState::Incoming << u"incoming"_s
        << CallDirection::Incoming << u"Adele Vance"_s << QString() << NoCode << NoCode << QString()
        << false << QString();
    QTest::newRow("incoming pstn")
        << u"incoming-pstn.json"_s << 0 << CallState::Incoming << u"incoming"_s
        << CallDirection::Incoming << QString() << u"+14255550123"_s << NoCode << NoCode
        << QString() << false << QString();
    QTest::newRow("group invite") << u"incoming-group-invite.json"_s << 0 << CallState::Incoming
                                  << u"incoming"_s << CallDirection::Incoming << u"Megan Bowen"_s
                                  << QString() << NoCode << NoCode << QString() << false
                                  << QString();
    QTest::newRow("call created") << u"call-created.json"_s << Document << CallState::Establishing
                                  << u"establishing"_s << CallDirection::Outgoing
                                  << u"Frontdesk Bot"_s << QString() << NoCode << NoCode
                                  << QString() << false << QString();
    QTest::newRow("establishing") << u"establishing.json"_s << 0 << CallState::Establishing
                                  << u"establishing"_s << none << QString() << QString() << NoCode
                                  << NoCode << QString() << false << QString();
    QTest::newRow("established") << u"established.json"_s << 0 << CallState::Established
                                 << u"established"_s << none << QString() << QString() << NoCode
                                 << NoCode << QString() << false << QString();
    QTest::newRow("terminating") << u"terminating.json"_s << 0 << CallState::Terminating
                                 << u"terminating"_s << none << QString() << QString() << NoCode
                                 << NoCode << QString() << false << QString();
    QTest::newRow("terminated, numbers")
        << u"terminated-numeric.json"_s << 0 << CallState::Terminated << u"terminated"_s << none
        << QString() << QString() << 200 << 5001 << ended << true << QString();
    QTest::newRow("terminated, strings")
        << u"terminated-strings.json"_s << 0 << CallState::Terminated << u"terminated"_s << none
        << QString() << QString() << 200 << 5001 << ended << true << QString();
    QTest::newRow("terminated, subCode")
        << u"terminated-subcode-spelling.json"_s << 0 << CallState::Terminated << u"terminated"_s
        << none << QString() << QString() << 200 << 4521 << u"The other side ended the call."_s
        << true << QString();
    QTest::newRow("terminated, terminationReason")
        << u"terminated-termination-reason.json"_s << 0 << CallState::Terminated << u"terminated"_s
        << none << QString() << QString() << 0 << 7015 << u"GracefulTransferCompleted"_s << true
        << u"AppTransferred"_s;
    QTest::newRow("terminated, no message")
        << u"terminated-without-message.json"_s << 0 << CallState::Terminated << u"terminated"_s
        << none << QString() << QString() << 408 << 8537 << QString() << false << QString();
    QTest::newRow("transferring") << u"transferring.json"_s << 0 << CallState::Transferring
                                  << u"transferring"_s << none << QString() << QString() << NoCode
                                  << NoCode << QString() << false << QString();
    QTest::newRow("transferAccepted")
        << u"transfer-accepted.json"_s << 0 << CallState::TransferAccepted << u"transferAccepted"_s
        << none << QString() << QString() << NoCode << NoCode << QString() << false << QString();
    QTest::newRow("transfer failed")
        << u"transfer-failed.json"_s << 0 << CallState::Established << u"established"_s << none
        << QString() << QString() << 500 << 7000
        << u"Transfer failed: the transfer target did not answer."_s << false << QString();
    QTest::newRow("tone") << u"tone.json"_s << 0 << CallState::Established << u"established"_s
                          << none << QString() << QString() << NoCode << NoCode << QString()
                          << false << QString();
    QTest::newRow("batch[0]") << u"batch.json"_s << 0 << CallState::Established << u"established"_s
                              << none << QString() << QString() << NoCode << NoCode << QString()
                              << false << QString();
    QTest::newRow("batch[3]") << u"batch.json"_s << 3 << CallState::Established << u"established"_s
                              << none << QString() << QString() << NoCode << NoCode << QString()
                              << false << QString();
    QTest::newRow("odd casing[0]")
        << u"odd-casing.json"_s << 0 << CallState::Establishing << u"Establishing"_s
        << CallDirection::Outgoing << QString() << QString() << NoCode << NoCode << QString()
        << false << QString();
    QTest::newRow("odd casing[2]")
        << u"odd-casing.json"_s << 2 << CallState::TransferAccepted << u"TransferAccepted"_s << none
        << QString() << QString() << NoCode << NoCode << QString() << false << QString();
    QTest::newRow("odd casing[3]") << u"odd-casing.json"_s << 3 << CallState::Terminated
                                   << u"TERMINATED"_s << none << QString() << QString() << 200
                                   << 7015 << u"GracefulTransferCompleted"_s << true << QString();
    QTest::newRow("mixed ids[0]") << u"ids-mixed-case.json"_s << 0 << CallState::Established
                                  << u"established"_s << none << QString() << QString() << NoCode
                                  << NoCode << QString() << false << QString();
    QTest::newRow("legacy[0]") << u"legacy-resource-only.json"_s << 0 << CallState::Established
                               << u"established"_s << none << QString() << QString() << NoCode
                               << NoCode << QString() << false << QString();
    QTest::newRow("unknown state")
        << u"unknown-fields.json"_s << 0 << CallState::Unknown << u"parked"_s
        << CallDirection::Incoming << u"Adele Vance"_s << QString() << 200 << 0
        << u"Parked by the platform."_s << true << QString();
}

void TstCodec::callResource()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(CallState, state);
    QFETCH(QString, stateText);
    QFETCH(CallDirection, direction);
    QFETCH(QString, callerName);
    QFETCH(QString, callerPhone);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, message);
    QFETCH(bool, success);
    QFETCH(QString, terminationReason);

    Call call;
    QString why;
    QVERIFY2(loadCall(file, index, call, why), qPrintable(why));
    QCOMPARE(wireName(call.state.value), wireName(state));
    QCOMPARE(call.state.text, stateText);
    QCOMPARE(call.state.isKnown(), state != CallState::Unknown);
    QCOMPARE(wireName(call.direction.value), wireName(direction));
    QCOMPARE(call.isEnded(), state == CallState::Terminated);
    if (callerName.isEmpty() && callerPhone.isEmpty()) {
        QVERIFY(!call.source.has_value());
    } else {
        QVERIFY(call.source.has_value());
        QCOMPARE(call.source->identity.displayName(), callerName);
        QCOMPARE(call.source->identity.phoneNumber(), callerPhone);
    }
    QCOMPARE(call.resultInfo.isPresent(), code != NoCode);
    QCOMPARE(call.resultInfo.code.value_or(NoCode), code);
    QCOMPARE(call.resultInfo.subcode.value_or(NoCode), subcode);
    QCOMPARE(call.resultInfo.message, message);
    QCOMPARE(call.resultInfo.isSuccess(), success);
    // Fields outside the schema stay in raw for whoever needs them.
    QCOMPARE(call.raw.value("terminationReason"_L1).toString(), terminationReason);
}

void TstCodec::incomingUserCallDetails()
{
    Call call;
    QString why;
    QVERIFY2(loadCall(u"incoming-user.json"_s, 0, call, why), qPrintable(why));
    QCOMPARE(call.id, InCall);
    QCOMPARE(call.callbackUri, u"https://relay.example.org/api/calls"_s);
    QCOMPARE(call.callChainId, u"b7e4c1a0-3d2f-4e6b-8a9c-5f1d2e3b4a60"_s);
    QCOMPARE(call.myParticipantId, u"e3c1a9b7-5d2f-4a8c-9e6b-1f4d7a2c5b80"_s);
    QCOMPARE(call.tenantId, TenantId);
    QVERIFY(call.source.has_value());
    const auto caller = call.source->identity.primary();
    QVERIFY(caller.has_value());
    QCOMPARE(int(caller->first), int(IdentitySet::Kind::User));
    QCOMPARE(caller->second.id, AdeleId);
    QCOMPARE(caller->second.tenantId, TenantId);
    QCOMPARE(call.source->region, u"amer"_s);
    QCOMPARE(call.source->languageId, u"en-US"_s);
    QVERIFY(call.source->endpointType == EndpointType::Default);
    QCOMPARE(call.targets.size(), 1);
    QVERIFY(call.targets.first().identity.has(IdentitySet::Kind::Application));
    QCOMPARE(call.targets.first().identity.get(IdentitySet::Kind::Application)->id, BotAppId);
    QCOMPARE(call.requestedModalities.size(), 1);
    QVERIFY(call.requestedModalities.first() == Modality::Audio);
    QVERIFY(call.audioState == MediaState::Inactive);
    QVERIFY(!call.isGroupCall());
    QVERIFY(!call.toneInfo.has_value());
}

void TstCodec::incomingPstnCallerIsAPhoneIdentity()
{
    Call call;
    QString why;
    QVERIFY2(loadCall(u"incoming-pstn.json"_s, 0, call, why), qPrintable(why));
    QVERIFY(call.source.has_value());
    const IdentitySet &caller = call.source->identity;
    QVERIFY(caller.has(IdentitySet::Kind::Phone));
    QVERIFY(!caller.has(IdentitySet::Kind::User));
    QCOMPARE(int(caller.primary()->first), int(IdentitySet::Kind::Phone));
    QCOMPARE(caller.phoneNumber(), u"+14255550123"_s);
    QVERIFY(caller.needsCommunicationsType());
    QCOMPARE(call.source->countryCode, u"US"_s);
    QCOMPARE(call.targets.size(), 1);
    const auto &target = call.targets.first().identity.get(IdentitySet::Kind::ApplicationInstance);
    QVERIFY(target.has_value());
    QCOMPARE(target->id, u"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"_s);
    QCOMPARE(target->displayName, u"Frontdesk Reception"_s);
}

void TstCodec::incomingGroupInviteCarriesChatAndMeeting()
{
    Call call;
    QString why;
    QVERIFY2(loadCall(u"incoming-group-invite.json"_s, 0, call, why), qPrintable(why));
    QVERIFY(call.isGroupCall());
    QCOMPARE(call.subject, u"Weekly reception handover"_s);
    QCOMPARE(call.chatInfo.threadId,
        u"19:meeting_NjQ3YTk4ZmQtYzE1Mi00ZDk2LWE3ZmUtYzg4ZGE5YjE0ZTgz@thread.v2"_s);
    QCOMPARE(call.chatInfo.messageId, u"0"_s);
    QVERIFY(call.chatInfo.replyChainMessageId.isEmpty());
    QCOMPARE(int(call.meetingInfo.kind), int(MeetingInfo::Kind::Organizer));
    const auto &organizer = call.meetingInfo.organizer.get(IdentitySet::Kind::User);
    QVERIFY(organizer.has_value());
    QCOMPARE(organizer->id, MeganId);
    QCOMPARE(organizer->tenantId, TenantId);
    // Not modelled; kept in raw.
    QCOMPARE(call.meetingInfo.raw.value("allowConversationWithoutHost"_L1), QJsonValue(true));
}

void TstCodec::callCreatedResponse()
{
    Call call;
    QString why;
    QVERIFY2(loadCall(u"call-created.json"_s, Document, call, why), qPrintable(why));
    QCOMPARE(call.id, OutCall);
    QCOMPARE(call.callbackUri, u"https://relay.example.org/api/calls?instance=fd-01"_s);
    QCOMPARE(call.callChainId, u"d0e1f2a3-b4c5-4d6e-8f7a-9b0c1d2e3f4a"_s);
    QCOMPARE(call.myParticipantId, u"5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e"_s);
    QCOMPARE(call.tenantId, TenantId);
    QVERIFY(call.subject.isEmpty()); // null on the wire
    QCOMPARE(call.mediaConfigType, u"#microsoft.graph.serviceHostedMediaConfig"_s);
    QCOMPARE(call.preFetchMedia.size(), 1);
    QCOMPARE(call.preFetchMedia.first().uri, u"https://media.example.org/prompts/welcome.wav"_s);
    QCOMPARE(call.preFetchMedia.first().resourceId, u"a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"_s);
    QVERIFY(call.isDeltaRosterEnabled.value_or(false));
    QCOMPARE(call.targets.size(), 1);
    QCOMPARE(call.targets.first().identity.displayName(), u"Megan Bowen"_s);
    QVERIFY(call.targets.first().replacesCallId.isEmpty());
    // null members decode as absent
    QVERIFY(!call.resultInfo.isPresent());
    QVERIFY(!call.toneInfo.has_value());
    QVERIFY(call.chatInfo.isEmpty());
    QCOMPARE(int(call.meetingInfo.kind), int(MeetingInfo::Kind::None));
    QVERIFY(!call.audioState.isPresent());
    QVERIFY(!call.isGroupCall());
}

void TstCodec::toneInfo_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("sequenceId");
    QTest::addColumn<Tone>("tone");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QChar>("key");

    QTest::newRow("pound") << u"tone.json"_s << 0 << qint64(7) << Tone::Pound << u"pound"_s
                           << QChar(u'#');
    QTest::newRow("tone5 in a batch")
        << u"batch.json"_s << 3 << qint64(1) << Tone::Tone5 << u"tone5"_s << QChar(u'5');
    QTest::newRow("Pound, capitalised")
        << u"odd-casing.json"_s << 2 << qint64(2) << Tone::Pound << u"Pound"_s << QChar(u'#');
    QTest::newRow("unknown tone") << u"unknown-fields.json"_s << 0 << qint64(3) << Tone::Unknown
                                  << u"whistle"_s << QChar(u'?');
}

void TstCodec::toneInfo()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(qint64, sequenceId);
    QFETCH(Tone, tone);
    QFETCH(QString, text);
    QFETCH(QChar, key);

    Call call;
    QString why;
    QVERIFY2(loadCall(file, index, call, why), qPrintable(why));
    QVERIFY(call.toneInfo.has_value());
    QCOMPARE(call.toneInfo->sequenceId, sequenceId);
    QCOMPARE(call.toneInfo->tone.value, tone);
    QCOMPARE(call.toneInfo->tone.text, text);
    QCOMPARE(toneChar(call.toneInfo->tone.value), key);
}

void TstCodec::rosterParticipant_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("identityKind");
    QTest::addColumn<bool>("isMuted");
    QTest::addColumn<bool>("isInLobby");
    QTest::addColumn<bool>("removed");
    QTest::addColumn<QString>("removedReason");
    QTest::addColumn<qint64>("sequence");
    QTest::addColumn<int>("streams");
    QTest::addColumn<bool>("serverMuted"); // of the first stream
    QTest::addColumn<MediaDirection>("direction"); // of the first stream

    const QString bot = u"4b5c6d7e-8f9a-4b0c-8d1e-2f3a4b5c6d7e"_s;
    const QString megan = u"1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"_s;
    const QString alex = u"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"_s;
    const auto sendReceive = MediaDirection::SendReceive;
    const auto noStream = MediaDirection::Unknown;

    QTest::newRow("full: the bot")
        << u"roster-full.json"_s << 0 << 0 << bot << u"Frontdesk Bot"_s << u"application"_s << false
        << false << false << QString() << qint64(40) << 1 << false << sendReceive;
    QTest::newRow("full: muted") << u"roster-full.json"_s << 0 << 1 << megan << u"Megan Bowen"_s
                                 << u"user"_s << true << false << false << QString() << qint64(41)
                                 << 1 << true << sendReceive;
    QTest::newRow("full: in lobby")
        << u"roster-full.json"_s << 0 << 2 << alex << u"Alex Wilber (Guest)"_s << u"guest"_s
        << false << true << false << QString() << qint64(42) << 0 << false << noStream;
    QTest::newRow("delta: admitted")
        << u"roster-delta-removed.json"_s << 0 << 0 << alex << u"Alex Wilber (Guest)"_s
        << u"guest"_s << false << false << false << QString() << qint64(43) << 1 << false
        << sendReceive;
    QTest::newRow("delta: removed")
        << u"roster-delta-removed.json"_s << 0 << 1 << megan << u"Megan Bowen"_s << u"user"_s
        << true << false << true << u"Removed by organizer"_s << qint64(44) << 0 << false
        << noStream;
    QTest::newRow("participant document")
        << u"participant.json"_s << Document << 0 << megan << u"Megan Bowen"_s << u"user"_s << true
        << false << false << QString() << qint64(41) << 1 << true << sendReceive;
    QTest::newRow("participant list[0]")
        << u"participants-list.json"_s << Document << 0 << bot << u"Frontdesk Bot"_s
        << u"application"_s << false << false << false << QString() << qint64(40) << 1 << false
        << sendReceive;
    QTest::newRow("participant list[1]")
        << u"participants-list.json"_s << Document << 1 << megan << u"Megan Bowen"_s << u"user"_s
        << true << false << false << QString() << qint64(41) << 1 << true << sendReceive;
    QTest::newRow("batch roster[1]")
        << u"batch.json"_s << 1 << 1 << u"6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"_s
        << u"Adele Vance"_s << u"user"_s << false << false << false << QString() << qint64(2) << 1
        << false << sendReceive;
    QTest::newRow("unknown stream values")
        << u"unknown-fields.json"_s << 2 << 0 << u"6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"_s
        << u"Adele Vance"_s << u"user"_s << false << false << false << QString() << qint64(5) << 1
        << false << MediaDirection::Unknown;
}

void TstCodec::rosterParticipant()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(int, position);
    QFETCH(QString, id);
    QFETCH(QString, name);
    QFETCH(QString, identityKind);
    QFETCH(bool, isMuted);
    QFETCH(bool, isInLobby);
    QFETCH(bool, removed);
    QFETCH(QString, removedReason);
    QFETCH(qint64, sequence);
    QFETCH(int, streams);
    QFETCH(bool, serverMuted);
    QFETCH(MediaDirection, direction);

    QList<Participant> participants;
    QString why;
    QVERIFY2(loadParticipants(file, index, participants, why), qPrintable(why));
    QVERIFY(position < participants.size());
    const Participant &p = participants.at(position);
    QCOMPARE(p.id, id);
    QCOMPARE(p.displayName(), name);
    QVERIFY(p.info.identity.primary().has_value());
    QCOMPARE(wireName(p.info.identity.primary()->first), identityKind);
    QCOMPARE(p.isMuted, isMuted);
    QCOMPARE(p.isInLobby, isInLobby);
    QCOMPARE(p.removed, removed);
    QCOMPARE(p.removedReason, removedReason);
    QVERIFY(p.rosterSequenceNumber.has_value());
    QCOMPARE(*p.rosterSequenceNumber, sequence);
    QCOMPARE(p.mediaStreams.size(), streams);
    if (streams > 0) {
        QCOMPARE(p.mediaStreams.first().serverMuted, serverMuted);
        QCOMPARE(wireName(p.mediaStreams.first().direction.value), wireName(direction));
        QVERIFY(!p.mediaStreams.first().sourceId.isEmpty());
    }
}

void TstCodec::rosterSizes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("inLobby");
    QTest::addColumn<int>("muted");
    QTest::addColumn<int>("removed");

    QTest::newRow("full roster, bot included") << u"roster-full.json"_s << 0 << 3 << 1 << 1 << 0;
    QTest::newRow("delta roster") << u"roster-delta-removed.json"_s << 0 << 2 << 0 << 1 << 1;
    QTest::newRow("participant list")
        << u"participants-list.json"_s << Document << 2 << 0 << 1 << 0;
}

void TstCodec::rosterSizes()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(int, size);
    QFETCH(int, inLobby);
    QFETCH(int, muted);
    QFETCH(int, removed);

    QList<Participant> participants;
    QString why;
    QVERIFY2(loadParticipants(file, index, participants, why), qPrintable(why));
    QCOMPARE(participants.size(), size);
    QCOMPARE(std::count_if(participants.cbegin(), participants.cend(),
                 [](const Participant &p) { return p.isInLobby; }),
        inLobby);
    QCOMPARE(std::count_if(participants.cbegin(), participants.cend(),
                 [](const Participant &p) { return p.isMuted; }),
        muted);
    QCOMPARE(std::count_if(participants.cbegin(), participants.cend(),
                 [](const Participant &p) { return p.removed; }),
        removed);
}

void TstCodec::operation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("odataType");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("clientContext");
    QTest::addColumn<OperationStatus>("status");
    QTest::addColumn<QString>("statusText");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("recordingLocation");
    QTest::addColumn<QString>("recordingAccessToken");
    QTest::addColumn<QString>("invitedReplacesCallId"); // of the first invited participant
    QTest::addColumn<bool>("finished");

    const QString playPrompt = u"#microsoft.graph.playPromptOperation"_s;
    const QString done = u"Action completed successfully."_s;

    QTest::newRow("playPrompt completed")
        << u"operation-playprompt-deleted.json"_s << 0 << playPrompt << PlayOp
        << u"frontdesk:prompt:welcome:1"_s << OperationStatus::Completed << u"completed"_s << 200
        << 0 << done << QString() << QString() << QString() << true;
    QTest::newRow("record completed")
        << u"operation-record-deleted.json"_s << 0 << u"#microsoft.graph.recordOperation"_s
        << RecordOp << u"frontdesk:record:voicemail:2"_s << OperationStatus::Completed
        << u"completed"_s << 200 << 8515 << u"Action completed, max record duration reached."_s
        << u"https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad"_s
        << u"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJmcm9udGRlc2stZml4dHVyZSJ9.ZmFrZS1zaWduYXR1cmU"_s
        << QString() << true;
    QTest::newRow("invite running")
        << u"operation-invite-running.json"_s << Document
        << u"#microsoft.graph.inviteParticipantsOperation"_s << InviteOp << u"frontdesk:invite:3"_s
        << OperationStatus::Running << u"Running"_s << NoCode << NoCode << QString() << QString()
        << QString() << InCall << false;
    QTest::newRow("batch[2]") << u"batch.json"_s << 2 << playPrompt << PlayOp
                              << u"frontdesk:prompt:welcome:1"_s << OperationStatus::Completed
                              << u"completed"_s << 200 << 0 << done << QString() << QString()
                              << QString() << true;
    QTest::newRow("RUNNING") << u"odd-casing.json"_s << 1 << playPrompt << PlayOp
                             << u"frontdesk:prompt:hold:4"_s << OperationStatus::Running
                             << u"RUNNING"_s << NoCode << NoCode << QString() << QString()
                             << QString() << QString() << false;
    QTest::newRow("mixed ids[1]") << u"ids-mixed-case.json"_s << 1 << playPrompt << PlayOp
                                  << u"frontdesk:prompt:welcome:5"_s << OperationStatus::Completed
                                  << u"completed"_s << 200 << 0 << done << QString() << QString()
                                  << QString() << true;
    QTest::newRow("legacy[1]") << u"legacy-resource-only.json"_s << 1 << playPrompt << PlayOp
                               << u"frontdesk:prompt:welcome:1"_s << OperationStatus::Completed
                               << u"completed"_s << 200 << 0 << done << QString() << QString()
                               << QString() << true;
    QTest::newRow("unknown status")
        << u"unknown-fields.json"_s << 1 << u"#microsoft.graph.sendDtmfTonesOperation"_s << DtmfOp
        << u"frontdesk:dtmf:6"_s << OperationStatus::Unknown << u"paused"_s << NoCode << NoCode
        << QString() << QString() << QString() << QString() << false;
}

void TstCodec::operation()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(QString, odataType);
    QFETCH(QString, id);
    QFETCH(QString, clientContext);
    QFETCH(OperationStatus, status);
    QFETCH(QString, statusText);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, message);
    QFETCH(QString, recordingLocation);
    QFETCH(QString, recordingAccessToken);
    QFETCH(QString, invitedReplacesCallId);
    QFETCH(bool, finished);

    CommsOperation op;
    QString why;
    QVERIFY2(loadOperation(file, index, op, why), qPrintable(why));
    QCOMPARE(op.odataType, odataType);
    QCOMPARE(op.id, id);
    QCOMPARE(op.clientContext, clientContext);
    QCOMPARE(op.status.value, status);
    QCOMPARE(op.status.text, statusText);
    QCOMPARE(op.resultInfo.code.value_or(NoCode), code);
    QCOMPARE(op.resultInfo.subcode.value_or(NoCode), subcode);
    QCOMPARE(op.resultInfo.message, message);
    QCOMPARE(op.recordingLocation, recordingLocation);
    QCOMPARE(op.recordingAccessToken, recordingAccessToken);
    QCOMPARE(op.isFinished(), finished);
    if (invitedReplacesCallId.isEmpty()) {
        QVERIFY(op.participants.isEmpty());
    } else {
        QCOMPARE(op.participants.size(), 1);
        QCOMPARE(op.participants.first().replacesCallId, invitedReplacesCallId);
        QCOMPARE(op.participants.first().identity.displayName(), u"Nestor Wilke"_s);
    }
}

void TstCodec::idsInDifferentFormsStillMatch()
{
    CommsNotifications all;
    QString why;
    QVERIFY2(loadNotifications(u"ids-mixed-case.json"_s, all, why), qPrintable(why));
    QCOMPARE(all.value.size(), 3);
    for (const CommsNotification &n : std::as_const(all.value)) {
        QCOMPARE(n.callId, OutCallUpper);
        QVERIFY(n.callId != OutCall);
        QVERIFY(sameId(n.callId, OutCall));
        // resource has the same call in the dashed form
        QVERIFY(sameId(parseResourcePath(n.resource).callId, n.callId));
    }
    const Call call = decodeCall(all.value.at(0).resourceData.toObject());
    QCOMPARE(call.id, OutCall);
    QVERIFY(sameId(call.id, all.value.at(0).callId));

    const CommsOperation op = decodeOperation(all.value.at(1).resourceData.toObject());
    QCOMPARE(op.id, PlayOp);
    QCOMPARE(all.value.at(1).subId, PlayOpUpper);
    QVERIFY(sameId(op.id, all.value.at(1).subId));
    QCOMPARE(normalizeId(op.id), normalizeId(all.value.at(1).subId));
}

void TstCodec::legacyResourcePathOnly()
{
    CommsNotifications all;
    QString why;
    QVERIFY2(loadNotifications(u"legacy-resource-only.json"_s, all, why), qPrintable(why));
    QCOMPARE(all.value.size(), 3);
    for (const CommsNotification &n : std::as_const(all.value)) {
        QVERIFY(n.resourceUrl.isEmpty());
        QVERIFY(n.resource.startsWith(u"/app/calls/"_s + OutCall));
        QCOMPARE(n.callId, OutCall);
    }
    QCOMPARE(int(all.value.at(0).kind), int(ResourceKind::Call));
    QCOMPARE(int(all.value.at(1).kind), int(ResourceKind::Operation));
    QCOMPARE(all.value.at(1).subId, PlayOp);
    QCOMPARE(int(all.value.at(2).kind), int(ResourceKind::Participants));
}

void TstCodec::unknownFieldsAndValuesAreDecoded()
{
    CommsNotifications all;
    QString why;
    QVERIFY2(loadNotifications(u"unknown-fields.json"_s, all, why), qPrintable(why));
    QCOMPARE(all.raw.value("futureEnvelopeField"_L1).toString(), u"kept"_s);
    QCOMPARE(all.value.size(), 3);
    QCOMPARE(all.value.at(0).raw.value("sequenceNumber"_L1).toInt(), 12);

    const Call call = decodeCall(all.value.at(0).resourceData.toObject());
    QVERIFY(call.state == CallState::Unknown);
    QVERIFY(call.state.isPresent());
    QCOMPARE(call.state.text, u"parked"_s);
    QVERIFY(!call.isEnded());
    QCOMPARE(call.audioState.text, u"muffled"_s);
    QVERIFY(!call.audioState.isKnown());
    QCOMPARE(call.requestedModalities.size(), 2);
    QVERIFY(call.requestedModalities.at(0) == Modality::Audio);
    QVERIFY(!call.requestedModalities.at(1).isKnown());
    QCOMPARE(call.requestedModalities.at(1).text, u"hologram"_s);
    QVERIFY(call.source.has_value());
    QCOMPARE(call.source->endpointType.text, u"holoLens"_s);
    QVERIFY(!call.source->endpointType.isKnown());
    QCOMPARE(call.raw.value("applicationMetadata"_L1).toObject().value("queue"_L1).toString(),
        u"reception"_s);
    QCOMPARE(call.raw.value("ringingTimeoutInSeconds"_L1).toInt(), 45);

    const CommsOperation op = decodeOperation(all.value.at(1).resourceData.toObject());
    QVERIFY(!op.status.isKnown());
    QCOMPARE(op.status.text, u"paused"_s);
    QVERIFY(!op.isFinished());

    const CommsNotification &roster = all.value.at(2);
    QVERIFY(!roster.changeType.isKnown());
    QVERIFY(roster.changeType.isPresent());
    const Participant p = decodeParticipant(roster.resourceData.toArray().at(0).toObject());
    QCOMPARE(p.mediaStreams.size(), 1);
    QCOMPARE(p.mediaStreams.first().mediaType.text, u"hologram"_s);
    QCOMPARE(p.mediaStreams.first().direction.text, u"sideways"_s);
    QCOMPARE(p.raw.value("preferredDisplayName"_L1).toString(), u"Adele (Reception)"_s);
}

void TstCodec::onlineMeetingCreated()
{
    const std::optional<QByteArray> bytes = readFixture(u"online-meeting-created.json"_s);
    QVERIFY(bytes);
    const Decoded<OnlineMeeting> decoded = decodeOnlineMeetingDocument(*bytes);
    QVERIFY2(decoded.ok(), qPrintable(errorText(decoded.error)));
    const OnlineMeeting &m = decoded.value;

    QVERIFY(m.id.startsWith(u"MSpj"_s));
    QCOMPARE(m.subject, u"Reception handover"_s);
    // Seven fractional digits and offsets are read, and every date comes out in UTC.
    QCOMPARE(m.startDateTime, utc(2026, 1, 5, 9, 0, 0, 123));
    QCOMPARE(m.startDateTime.timeSpec(), Qt::UTC);
    QCOMPARE(m.endDateTime, utc(2026, 1, 5, 9, 30));
    QCOMPARE(m.endDateTime.timeSpec(), Qt::UTC);
    QCOMPARE(m.creationDateTime, utc(2026, 1, 4, 16, 42, 13, 456));
    QCOMPARE(m.creationDateTime.timeSpec(), Qt::UTC);
    QVERIFY(m.joinWebUrl.startsWith(u"https://teams.microsoft.com/l/meetup-join/19%3ameeting_"_s));
    QCOMPARE(m.externalId, u"frontdesk-handover-2026-01-05"_s);
    QCOMPARE(m.videoTeleconferenceId, u"7519432011"_s);

    QCOMPARE(m.chatInfo.threadId,
        u"19:meeting_NjQ3YTk4ZmQtYzE1Mi00ZDk2LWE3ZmUtYzg4ZGE5YjE0ZTgz@thread.v2"_s);
    QCOMPARE(m.chatInfo.messageId, u"0"_s);
    QVERIFY(m.chatInfo.replyChainMessageId.isEmpty());

    QVERIFY(m.joinMeetingIdSettings.has_value());
    QCOMPARE(m.joinMeetingIdSettings->joinMeetingId, u"384729105623"_s);
    QCOMPARE(m.joinMeetingIdSettings->passcode, u"aB3dE5"_s);
    QVERIFY(m.joinMeetingIdSettings->isPasscodeRequired.value_or(false));

    QVERIFY(m.audioConferencing.has_value());
    QCOMPARE(m.audioConferencing->conferenceId, u"84312709"_s);
    QCOMPARE(m.audioConferencing->tollNumber, u"+1 425-555-0100"_s);
    QCOMPARE(m.audioConferencing->tollFreeNumber, u"+1 800-555-0199"_s);
    QCOMPARE(m.audioConferencing->tollNumbers,
        QStringList({ u"+1 425-555-0100"_s, u"+44 20 7946 0958"_s }));
    QCOMPARE(m.audioConferencing->tollFreeNumbers, QStringList { u"+1 800-555-0199"_s });
    QVERIFY(m.audioConferencing->dialinUrl.startsWith(u"https://dialin.teams.microsoft.com/"_s));

    QVERIFY(m.organizer.has_value());
    QCOMPARE(m.organizer->upn, u"megan.bowen@contoso.example"_s);
    QVERIFY(m.organizer->role == OnlineMeetingRole::Presenter);
    QVERIFY(m.organizer->identity.has(IdentitySet::Kind::User));
    QCOMPARE(m.organizer->identity.get(IdentitySet::Kind::User)->id, MeganId);
    QCOMPARE(m.organizer->identity.get(IdentitySet::Kind::User)->tenantId, TenantId);
    QVERIFY(m.organizer->identity.displayName().isEmpty()); // null on the wire
    QVERIFY(!m.organizer->identity.has(IdentitySet::Kind::Application)); // null on the wire
    QCOMPARE(m.attendees.size(), 2);
    QCOMPARE(m.attendees.at(0).upn, u"adele.vance@contoso.example"_s);
    QVERIFY(m.attendees.at(0).role == OnlineMeetingRole::Attendee);
    QVERIFY(m.attendees.at(0).identity.has(IdentitySet::Kind::User));
    QCOMPARE(m.attendees.at(0).identity.get(IdentitySet::Kind::User)->id, AdeleId);
    QVERIFY(m.attendees.at(1).role == OnlineMeetingRole::Coorganizer);

    QVERIFY(m.lobbyBypassScope == LobbyBypassScope::Organization);
    QVERIFY(m.isDialInBypassEnabled.has_value());
    QVERIFY(!*m.isDialInBypassEnabled);
    QVERIFY(m.allowedPresenters == OnlineMeetingPresenters::RoleIsPresenter);
    QVERIFY(m.joinInformation.startsWith(u"data:text/html,"_s));
    // Fields the codec does not model stay in raw.
    QCOMPARE(m.raw.value("meetingCode"_L1).toString(), u"384729105623"_s);
    QCOMPARE(m.raw.value("allowMeetingChat"_L1).toString(), u"enabled"_s);
}

void TstCodec::onlineMeetingCollection()
{
    QJsonObject meeting;
    QString why;
    QVERIFY2(loadObject(u"online-meeting-created.json"_s, meeting, why), qPrintable(why));
    const QJsonObject collection { { "value"_L1, QJsonArray { meeting, meeting } } };
    const Decoded<QList<OnlineMeeting>> decoded =
        decodeOnlineMeetingCollection(QJsonDocument(collection).toJson());
    QVERIFY2(decoded.ok(), qPrintable(errorText(decoded.error)));
    QCOMPARE(decoded.value.size(), 2);
    QCOMPARE(decoded.value.at(1).subject, u"Reception handover"_s);
    QCOMPARE(decoded.value.at(1).startDateTime, utc(2026, 1, 5, 9, 0, 0, 123));

    const Decoded<QList<OnlineMeeting>> empty = decodeOnlineMeetingCollection(R"({"value":[]})");
    QVERIFY(empty.ok());
    QVERIFY(empty.value.isEmpty());
}

void TstCodec::graphErrorFixturesHaveGraphsShape_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("innerCodes");

    QTest::newRow("404 itemNotFound")
        << u"error-404-item-not-found.json"_s << u"itemNotFound"_s << QStringList();
    QTest::newRow("403 7505") << u"error-403-7505.json"_s << u"7505"_s
                              << QStringList { u"7505"_s, u"TenantMismatch"_s, u"7505"_s };
    QTest::newRow("429 TooManyRequests") << u"error-429-too-many-requests.json"_s
                                         << u"TooManyRequests"_s << QStringList { u"429"_s };
}

void TstCodec::graphErrorFixturesHaveGraphsShape()
{
    QFETCH(QString, file);
    QFETCH(QString, code);
    QFETCH(QStringList, innerCodes);

    // {"error":{"code","message","innerError":{"request-id",...,"innererror":{...}}}}
    QJsonObject body;
    QString why;
    QVERIFY2(loadObject(file, body, why), qPrintable(why));
    const QJsonObject error = body.value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QStringList chain;
    QJsonObject inner = error.value("innerError"_L1).toObject();
    QVERIFY(inner.contains("request-id"_L1));
    while (!inner.isEmpty()) {
        if (inner.contains("code"_L1))
            chain.append(inner.value("code"_L1).toString());
        inner = inner.value("innererror"_L1).toObject();
    }
    QCOMPARE(chain, innerCodes);
}

void TstCodec::graphErrorBodiesAreNotResources_data()
{
    graphErrorFixturesHaveGraphsShape_data();
}

void TstCodec::graphErrorBodiesAreNotResources()
{
    QFETCH(QString, file);

    // Decoding one where a resource was expected says what is missing instead of inventing one.
    const std::optional<QByteArray> read = readFixture(file);
    QVERIFY(read);
    const QByteArray bytes = *read;
    const auto asNotifications = decodeNotifications(bytes);
    QVERIFY(!asNotifications.ok());
    QCOMPARE(asNotifications.error->path, u"value"_s);
    for (const Decoder decoder :
        { Decoder::Call, Decoder::Participant, Decoder::Operation, Decoder::OnlineMeeting }) {
        const std::optional<DecodeError> e = decodeWith(decoder, bytes);
        QVERIFY2(e.has_value(), decoderName(decoder));
        QCOMPARE(e->path, u"id"_s);
    }
    const std::optional<DecodeError> list = decodeWith(Decoder::Participants, bytes);
    QVERIFY(list.has_value());
    QCOMPARE(list->path, u"value"_s);
}

void TstCodec::notificationOnUnknownSubresource_data()
{
    QTest::addColumn<QString>("resourceUrl");
    QTest::addColumn<QString>("resource");

    // A part of the call the codec does not model (audio routing groups, content sharing
    // sessions, a mistyped segment): resourceUrl still names the call, and the notification
    // is about neither the call nor an operation.
    const QString url = u"/communications/calls/%1/audioRoutingGroups/main"_s.arg(OutCall);
    QTest::newRow("without resource") << url << QString();
    QTest::newRow("with the bare legacy call path") << url << QString(u"/app/calls/"_s + OutCall);
    QTest::newRow("mistyped operations segment")
        << u"/communications/calls/%1/operation s/%2"_s.arg(OutCall, PlayOp)
        << QString(u"/app/calls/"_s + OutCall);
}

void TstCodec::notificationOnUnknownSubresource()
{
    QFETCH(QString, resourceUrl);
    QFETCH(QString, resource);

    QJsonObject o {
        { "changeType"_L1, u"updated"_s },
        { "resourceUrl"_L1, resourceUrl },
        { "resourceData"_L1, QJsonObject { { "id"_L1, u"main"_s } } },
    };
    if (!resource.isEmpty())
        o.insert("resource"_L1, resource);
    const Decoded<CommsNotification> n = decodeNotification(o);
    QVERIFY(n.ok());
    QCOMPARE(int(n.value.kind), int(ResourceKind::Unknown));
    QCOMPARE(n.value.callId, OutCall);
}

void TstCodec::arrayOnCallUrlIsRoster()
{
    const QJsonObject o {
        { "changeType"_L1, u"updated"_s },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + OutCall) },
        { "resourceData"_L1,
            QJsonArray { QJsonObject {
                { "@odata.type"_L1, u"#microsoft.graph.participant"_s }, { "id"_L1, u"p1"_s } } } },
    };
    const Decoded<CommsNotification> n = decodeNotification(o);
    QVERIFY(n.ok());
    QCOMPARE(int(n.value.kind), int(ResourceKind::Participants));
    QCOMPARE(n.value.callId, OutCall);
    QCOMPARE(n.value.dataType, u"#microsoft.graph.participant"_s);
}

// ---- malformed -------------------------------------------------------------------------------

void TstCodec::malformedInputGivesError_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("decoder");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");

    for (const MalformedCase &c : s_malformed) {
        const QString file = u"malformed/"_s + c.file;
        if (c.decoder == Decoder::Any) {
            for (const Decoder d : s_documentDecoders) {
                QTest::addRow("%s as %s", c.file.data(), decoderName(d))
                    << file << int(d) << QString(c.path) << QString(c.message);
            }
        } else {
            QTest::addRow("%s as %s", c.file.data(), decoderName(c.decoder))
                << file << int(c.decoder) << QString(c.path) << QString(c.message);
        }
    }
}

void TstCodec::malformedInputGivesError()
{
    QFETCH(QString, file);
    QFETCH(int, decoder);
    QFETCH(QString, path);
    QFETCH(QString, message);

    const std::optional<QByteArray> bytes = readFixture(file);
    QVERIFY2(bytes, qPrintable(file));
    const std::optional<DecodeError> error = decodeWith(Decoder(decoder), *bytes);
    QVERIFY2(error.has_value(), "decoded without an error");
    QCOMPARE(error->path, path);
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QVERIFY(error->toString().contains(message));
    if (!path.isEmpty())
        QVERIFY(error->toString().startsWith(path + u": "_s));
}

// ---- round trips -----------------------------------------------------------------------------

void TstCodec::roundTripKeepsEveryField_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("shape");
    for (const FixtureFile &f : s_fixtures) {
        if (f.shape != Shape::GraphError)
            QTest::newRow(f.name.data()) << QString(f.name) << int(f.shape);
    }
}

void TstCodec::roundTripKeepsEveryField()
{
    QFETCH(QString, file);
    QFETCH(int, shape);

    QJsonObject original;
    QString why;
    QVERIFY2(loadObject(file, original, why), qPrintable(why));

    switch (Shape(shape)) {
    case Shape::Notifications: {
        const Decoded<CommsNotifications> all = decodeNotifications(original);
        QVERIFY(all.ok());
        QString missing = missingFrom(original, encode(all.value), {}, {});
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        // And each resource on its own, through its own decoder and encoder.
        const QJsonArray items = original.value("value"_L1).toArray();
        for (qsizetype i = 0; i < all.value.value.size(); ++i) {
            const CommsNotification &n = all.value.value.at(i);
            const QJsonValue data = items.at(i).toObject().value("resourceData"_L1);
            const QString where = u"value[%1].resourceData"_s.arg(i);
            QJsonValue encoded;
            switch (n.kind) {
            case ResourceKind::Call:
                encoded = encode(decodeCall(data.toObject()));
                break;
            case ResourceKind::Operation:
                encoded = encode(decodeOperation(data.toObject()));
                break;
            case ResourceKind::Participants:
            case ResourceKind::Participant: {
                if (data.isObject()) {
                    encoded = encode(decodeParticipant(data.toObject()));
                    break;
                }
                QJsonArray participants;
                for (const QJsonValue &v : data.toArray())
                    participants.append(encode(decodeParticipant(v.toObject())));
                encoded = participants;
                break;
            }
            case ResourceKind::Unknown:
                encoded = data;
                break;
            }
            missing = missingFrom(data, encoded, where, {});
            QVERIFY2(missing.isEmpty(), qPrintable(missing));
        }
        break;
    }
    case Shape::Call: {
        const QString missing = missingFrom(original, encode(decodeCall(original)), {}, {});
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        break;
    }
    case Shape::Participant: {
        const QString missing = missingFrom(original, encode(decodeParticipant(original)), {}, {});
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        break;
    }
    case Shape::Participants: {
        const QJsonArray list = original.value("value"_L1).toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString missing = missingFrom(list.at(i),
                encode(decodeParticipant(list.at(i).toObject())), u"value[%1]"_s.arg(i), {});
            QVERIFY2(missing.isEmpty(), qPrintable(missing));
        }
        break;
    }
    case Shape::Operation: {
        const QString missing = missingFrom(original, encode(decodeOperation(original)), {}, {});
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        break;
    }
    case Shape::OnlineMeeting: {
        const QString missing =
            missingFrom(original, encode(decodeOnlineMeeting(original)), {}, {});
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        break;
    }
    case Shape::GraphError:
        QFAIL("not a resource");
    }
}

void TstCodec::roundTripDecodesToSameValues_data()
{
    roundTripKeepsEveryField_data();
}

void TstCodec::roundTripDecodesToSameValues()
{
    QFETCH(QString, file);
    QFETCH(int, shape);

    QJsonObject original;
    QString why;
    QVERIFY2(loadObject(file, original, why), qPrintable(why));

    QJsonValue first;
    QJsonValue second;
    switch (Shape(shape)) {
    case Shape::Notifications: {
        const Decoded<CommsNotifications> once = decodeNotifications(original);
        QVERIFY(once.ok());
        // Through bytes, as the relay sends it on.
        const QByteArray bytes = QJsonDocument(encode(once.value)).toJson(QJsonDocument::Compact);
        const Decoded<CommsNotifications> twice = decodeNotifications(bytes);
        QVERIFY2(twice.ok(), qPrintable(errorText(twice.error)));
        first = valuesOf(once.value);
        // The resources too: each encoded by its own encoder, then decoded again.
        QJsonArray reencoded;
        for (const CommsNotification &n : twice.value.value) {
            CommsNotification copy = n;
            switch (n.kind) {
            case ResourceKind::Call:
                copy.resourceData = encode(decodeCall(n.resourceData.toObject()));
                break;
            case ResourceKind::Operation:
                copy.resourceData = encode(decodeOperation(n.resourceData.toObject()));
                break;
            case ResourceKind::Participants:
            case ResourceKind::Participant: {
                if (n.resourceData.isObject()) {
                    copy.resourceData = encode(decodeParticipant(n.resourceData.toObject()));
                    break;
                }
                QJsonArray participants;
                for (const QJsonValue &v : n.resourceData.toArray())
                    participants.append(encode(decodeParticipant(v.toObject())));
                copy.resourceData = participants;
                break;
            }
            case ResourceKind::Unknown:
                break;
            }
            reencoded.append(valuesOf(copy));
        }
        second = reencoded;
        break;
    }
    case Shape::Call: {
        const Call once = decodeCall(original);
        const Decoded<Call> twice = decodeCallDocument(QJsonDocument(encode(once)).toJson());
        QVERIFY(twice.ok());
        first = valuesOf(once);
        second = valuesOf(twice.value);
        break;
    }
    case Shape::Participant: {
        const Participant once = decodeParticipant(original);
        const Decoded<Participant> twice =
            decodeParticipantDocument(QJsonDocument(encode(once)).toJson());
        QVERIFY(twice.ok());
        first = valuesOf(once);
        second = valuesOf(twice.value);
        break;
    }
    case Shape::Participants: {
        const Decoded<QList<Participant>> once =
            decodeParticipantCollection(QJsonDocument(original).toJson());
        QVERIFY(once.ok());
        QJsonArray encoded;
        for (const Participant &p : once.value)
            encoded.append(encode(p));
        const Decoded<QList<Participant>> twice = decodeParticipantCollection(
            QJsonDocument(QJsonObject { { "value"_L1, encoded } }).toJson());
        QVERIFY(twice.ok());
        first = valuesOfList(once.value);
        second = valuesOfList(twice.value);
        break;
    }
    case Shape::Operation: {
        const CommsOperation once = decodeOperation(original);
        const Decoded<CommsOperation> twice =
            decodeOperationDocument(QJsonDocument(encode(once)).toJson());
        QVERIFY(twice.ok());
        first = valuesOf(once);
        second = valuesOf(twice.value);
        break;
    }
    case Shape::OnlineMeeting: {
        const OnlineMeeting once = decodeOnlineMeeting(original);
        const Decoded<OnlineMeeting> twice =
            decodeOnlineMeetingDocument(QJsonDocument(encode(once)).toJson());
        QVERIFY(twice.ok());
        first = valuesOf(once);
        second = valuesOf(twice.value);
        break;
    }
    case Shape::GraphError:
        QFAIL("not a resource");
    }
    QCOMPARE(compact(second), compact(first));
}

void TstCodec::roundTripKeepsUnknownFieldsVerbatim()
{
    QJsonObject original;
    QString why;
    QVERIFY2(loadObject(u"unknown-fields.json"_s, original, why), qPrintable(why));
    const Decoded<CommsNotifications> all = decodeNotifications(original);
    QVERIFY(all.ok());
    const QJsonArray items = original.value("value"_L1).toArray();

    // the envelope
    const QJsonObject envelope = encode(all.value);
    QCOMPARE(envelope.value("futureEnvelopeField"_L1).toString(), u"kept"_s);
    const QJsonObject first = envelope.value("value"_L1).toArray().at(0).toObject();
    QCOMPARE(first.value("sequenceNumber"_L1), QJsonValue(12));
    QCOMPARE(first.value("futureNotificationField"_L1),
        items.at(0).toObject().value("futureNotificationField"_L1));
    QCOMPARE(envelope.value("value"_L1).toArray().at(2).toObject().value("changeType"_L1),
        QJsonValue(u"archived"_s));

    // the call
    const QJsonObject callIn = items.at(0).toObject().value("resourceData"_L1).toObject();
    const QJsonObject callOut = encode(decodeCall(callIn));
    for (const char *key : { "applicationMetadata", "answeredBy", "ringingTimeoutInSeconds",
             "meetingCapability", "activeModalities", "mediaHostedRegion", "routingPolicies" }) {
        const QLatin1StringView k(key);
        QVERIFY2(callOut.contains(k), key);
        QCOMPARE(callOut.value(k), callIn.value(k));
    }
    QCOMPARE(callOut.value("state"_L1), QJsonValue(u"parked"_s));
    QCOMPARE(callOut.value("requestedModalities"_L1),
        QJsonValue(QJsonArray { u"audio"_s, u"hologram"_s }));
    QCOMPARE(callOut.value("mediaState"_L1).toObject().value("audio"_L1), QJsonValue(u"muffled"_s));
    const QJsonObject sourceOut = callOut.value("source"_L1).toObject();
    QCOMPARE(sourceOut.value("futureSourceField"_L1),
        callIn.value("source"_L1).toObject().value("futureSourceField"_L1));
    QCOMPARE(sourceOut.value("endpointType"_L1), QJsonValue(u"holoLens"_s));
    const QJsonObject userOut =
        sourceOut.value("identity"_L1).toObject().value("user"_L1).toObject();
    QCOMPARE(userOut.value("identityProvider"_L1), QJsonValue(u"AAD"_s));
    QCOMPARE(userOut.value("futureIdentityField"_L1), QJsonValue(true));
    QCOMPARE(callOut.value("resultInfo"_L1).toObject().value("futureResultField"_L1),
        QJsonValue(u"kept"_s));
    QCOMPARE(callOut.value("toneInfo"_L1).toObject().value("tone"_L1), QJsonValue(u"whistle"_s));
    QCOMPARE(callOut.value("toneInfo"_L1).toObject().value("futureToneField"_L1), QJsonValue(1));

    // the operation
    const QJsonObject opIn = items.at(1).toObject().value("resourceData"_L1).toObject();
    const QJsonObject opOut = encode(decodeOperation(opIn));
    QCOMPARE(opOut.value("status"_L1), QJsonValue(u"paused"_s));
    QCOMPARE(
        opOut.value("@odata.type"_L1), QJsonValue(u"#microsoft.graph.sendDtmfTonesOperation"_s));
    QCOMPARE(opOut.value("completionReason"_L1), opIn.value("completionReason"_L1));
    QCOMPARE(opOut.value("futureOperationField"_L1), opIn.value("futureOperationField"_L1));

    // the participant
    const QJsonObject pIn =
        items.at(2).toObject().value("resourceData"_L1).toArray().at(0).toObject();
    const QJsonObject pOut = encode(decodeParticipant(pIn));
    QCOMPARE(pOut.value("preferredDisplayName"_L1), pIn.value("preferredDisplayName"_L1));
    QCOMPARE(pOut.value("futureParticipantField"_L1), pIn.value("futureParticipantField"_L1));
    const QJsonObject streamOut = pOut.value("mediaStreams"_L1).toArray().at(0).toObject();
    QCOMPARE(streamOut.value("mediaType"_L1), QJsonValue(u"hologram"_s));
    QCOMPARE(streamOut.value("direction"_L1), QJsonValue(u"sideways"_s));
    QCOMPARE(streamOut.value("futureStreamField"_L1), QJsonValue(u"kept"_s));
}

// ---- enums -----------------------------------------------------------------------------------

namespace {

//! {schema name of the parsed member or "" when unknown, the text kept}
template <typename E> QStringList parsedAs(const QString &text)
{
    const WireEnum<E> e = parseWireEnum<E>(text);
    return { e.isKnown() ? wireName(e.value) : QString(), e.text };
}

QStringList parseAs(const QString &type, const QString &text)
{
    if (type == u"CallState")
        return parsedAs<CallState>(text);
    if (type == u"CallDirection")
        return parsedAs<CallDirection>(text);
    if (type == u"ChangeType")
        return parsedAs<ChangeType>(text);
    if (type == u"OperationStatus")
        return parsedAs<OperationStatus>(text);
    if (type == u"Tone")
        return parsedAs<Tone>(text);
    if (type == u"EndpointType")
        return parsedAs<EndpointType>(text);
    if (type == u"Modality")
        return parsedAs<Modality>(text);
    if (type == u"MediaDirection")
        return parsedAs<MediaDirection>(text);
    if (type == u"MediaState")
        return parsedAs<MediaState>(text);
    if (type == u"RejectReason")
        return parsedAs<RejectReason>(text);
    if (type == u"OnlineMeetingRole")
        return parsedAs<OnlineMeetingRole>(text);
    if (type == u"LobbyBypassScope")
        return parsedAs<LobbyBypassScope>(text);
    if (type == u"OnlineMeetingPresenters")
        return parsedAs<OnlineMeetingPresenters>(text);
    return { u"no such enum"_s };
}

//! What the encoder writes for `input` parsed into the field `field`.
QJsonValue writtenAs(const QString &field, const QString &input)
{
    if (field == u"call.state") {
        Call c;
        c.state = parseWireEnum<CallState>(input);
        return encode(c).value("state"_L1);
    }
    if (field == u"call.direction") {
        Call c;
        c.direction = parseWireEnum<CallDirection>(input);
        return encode(c).value("direction"_L1);
    }
    if (field == u"call.requestedModalities") {
        Call c;
        c.requestedModalities = { parseWireEnum<Modality>(input) };
        return encode(c).value("requestedModalities"_L1).toArray().at(0);
    }
    if (field == u"call.mediaState.audio") {
        Call c;
        c.audioState = parseWireEnum<MediaState>(input);
        return encode(c).value("mediaState"_L1).toObject().value("audio"_L1);
    }
    if (field == u"operation.status") {
        CommsOperation op;
        op.status = parseWireEnum<OperationStatus>(input);
        return encode(op).value("status"_L1);
    }
    if (field == u"notification.changeType") {
        CommsNotification n;
        n.changeType = parseWireEnum<ChangeType>(input);
        return encode(n).value("changeType"_L1);
    }
    if (field == u"toneInfo.tone") {
        ToneInfo t;
        t.tone = parseWireEnum<Tone>(input);
        return encode(t).value("tone"_L1);
    }
    if (field == u"mediaStream.mediaType") {
        MediaStream s;
        s.mediaType = parseWireEnum<Modality>(input);
        return encode(s).value("mediaType"_L1);
    }
    if (field == u"mediaStream.direction") {
        MediaStream s;
        s.direction = parseWireEnum<MediaDirection>(input);
        return encode(s).value("direction"_L1);
    }
    if (field == u"participantInfo.endpointType") {
        ParticipantInfo info;
        info.endpointType = parseWireEnum<EndpointType>(input);
        return encode(info).value("endpointType"_L1);
    }
    if (field == u"meetingParticipantInfo.role") {
        MeetingParticipantInfo info;
        info.role = parseWireEnum<OnlineMeetingRole>(input);
        return encode(info).value("role"_L1);
    }
    if (field == u"onlineMeeting.lobbyBypassSettings.scope") {
        OnlineMeeting m;
        m.lobbyBypassScope = parseWireEnum<LobbyBypassScope>(input);
        return encode(m).value("lobbyBypassSettings"_L1).toObject().value("scope"_L1);
    }
    if (field == u"onlineMeeting.allowedPresenters") {
        OnlineMeeting m;
        m.allowedPresenters = parseWireEnum<OnlineMeetingPresenters>(input);
        return encode(m).value("allowedPresenters"_L1);
    }
    return u"no such field"_s;
}

} // namespace

void TstCodec::enumsParseCaseInsensitively_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("member"); // schema name; empty for unknown

    const auto row = [](const char *type, const char *text, const char *member) {
        QTest::addRow("%s %s", type, text) << QString::fromLatin1(type) << QString::fromLatin1(text)
                                           << QString::fromLatin1(member);
    };
    row("CallState", "established", "established");
    row("CallState", "Establishing", "establishing");
    row("CallState", "ESTABLISHED", "established");
    row("CallState", "transferaccepted", "transferAccepted");
    row("CallState", "TransferAccepted", "transferAccepted");
    row("CallState", "Ringing", "ringing");
    row("CallState", "unknownfuturevalue", "unknownFutureValue");
    row("CallState", "parked", "");
    row("CallState", "", "");
    row("CallDirection", "Incoming", "incoming");
    row("CallDirection", "OUTGOING", "outgoing");
    row("ChangeType", "Updated", "updated");
    row("ChangeType", "DELETED", "deleted");
    row("ChangeType", "created", "created");
    row("OperationStatus", "completed", "Completed");
    row("OperationStatus", "RUNNING", "Running");
    row("OperationStatus", "Running", "Running");
    row("OperationStatus", "notstarted", "NotStarted");
    row("OperationStatus", "failed", "Failed");
    row("OperationStatus", "paused", "");
    row("Tone", "POUND", "pound");
    row("Tone", "Tone5", "tone5");
    row("Tone", "star", "star");
    row("Tone", "A", "a");
    row("Tone", "Flash", "flash");
    row("Tone", "tone10", "");
    row("EndpointType", "SkypeForBusinessVoipPhone", "skypeForBusinessVoipPhone");
    row("Modality", "VideoBasedScreenSharing", "videoBasedScreenSharing");
    row("Modality", "AUDIO", "audio");
    row("MediaDirection", "SENDRECEIVE", "sendReceive");
    row("MediaDirection", "receiveonly", "receiveOnly");
    row("MediaState", "Active", "active");
    row("RejectReason", "Busy", "busy");
    row("RejectReason", "NONE", "none");
    row("OnlineMeetingRole", "Coorganizer", "coorganizer");
    row("LobbyBypassScope", "ORGANIZATIONANDFEDERATED", "organizationAndFederated");
    row("OnlineMeetingPresenters", "RoleIsPresenter", "roleIsPresenter");
}

void TstCodec::enumsParseCaseInsensitively()
{
    QFETCH(QString, type);
    QFETCH(QString, text);
    QFETCH(QString, member);

    const QStringList parsed = parseAs(type, text);
    QCOMPARE(parsed.size(), 2);
    QCOMPARE(parsed.at(0), member);
    QCOMPARE(parsed.at(1), text); // the text as received is kept
}

void TstCodec::enumsAreWrittenInSchemaSpelling_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QJsonValue>("written");

    const auto row = [](const char *field, const char *input, const QJsonValue &written) {
        QTest::addRow("%s %s", field, input)
            << QString::fromLatin1(field) << QString::fromLatin1(input) << written;
    };
    row("call.state", "ESTABLISHED", u"established"_s);
    row("call.state", "transferaccepted", u"transferAccepted"_s);
    row("call.state", "Terminated", u"terminated"_s);
    row("call.direction", "Outgoing", u"outgoing"_s);
    row("call.requestedModalities", "VIDEOBASEDSCREENSHARING", u"videoBasedScreenSharing"_s);
    row("call.mediaState.audio", "INACTIVE", u"inactive"_s);
    // graph-notes §2.3: operationStatus is written as the CSDL spells it.
    row("operation.status", "completed", u"Completed"_s);
    row("operation.status", "running", u"Running"_s);
    row("operation.status", "RUNNING", u"Running"_s);
    row("operation.status", "notStarted", u"NotStarted"_s);
    row("operation.status", "failed", u"Failed"_s);
    row("notification.changeType", "Updated", u"updated"_s);
    row("toneInfo.tone", "POUND", u"pound"_s);
    row("toneInfo.tone", "Tone0", u"tone0"_s);
    row("mediaStream.mediaType", "Audio", u"audio"_s);
    row("mediaStream.direction", "SENDONLY", u"sendOnly"_s);
    row("participantInfo.endpointType", "SKYPEFORBUSINESS", u"skypeForBusiness"_s);
    row("meetingParticipantInfo.role", "PRESENTER", u"presenter"_s);
    row("onlineMeeting.lobbyBypassSettings.scope", "Everyone", u"everyone"_s);
    row("onlineMeeting.allowedPresenters", "ROLEISPRESENTER", u"roleIsPresenter"_s);
    // Unknown members go back exactly as they came, case included.
    row("call.state", "Parked", u"Parked"_s);
    row("operation.status", "Paused", u"Paused"_s);
    row("toneInfo.tone", "Whistle", u"Whistle"_s);
    row("notification.changeType", "Archived", u"Archived"_s);
    // An absent enum is not written.
    row("call.state", "", QJsonValue(QJsonValue::Undefined));
    row("operation.status", "", QJsonValue(QJsonValue::Undefined));
}

void TstCodec::enumsAreWrittenInSchemaSpelling()
{
    QFETCH(QString, field);
    QFETCH(QString, input);
    QFETCH(QJsonValue, written);

    QCOMPARE(writtenAs(field, input), written);
}

void TstCodec::oddCasingFixtureIsWrittenInSchemaSpelling()
{
    CommsNotifications all;
    QString why;
    QVERIFY2(loadNotifications(u"odd-casing.json"_s, all, why), qPrintable(why));
    const QJsonArray value = encode(all).value("value"_L1).toArray();
    QCOMPARE(value.at(0).toObject().value("changeType"_L1), QJsonValue(u"updated"_s));
    QCOMPARE(value.at(3).toObject().value("changeType"_L1), QJsonValue(u"deleted"_s));

    const QJsonObject call0 = encode(decodeCall(all.value.at(0).resourceData.toObject()));
    QCOMPARE(call0.value("state"_L1), QJsonValue(u"establishing"_s));
    QCOMPARE(call0.value("direction"_L1), QJsonValue(u"outgoing"_s));
    QCOMPARE(call0.value("mediaState"_L1).toObject().value("audio"_L1), QJsonValue(u"inactive"_s));
    const QJsonObject op = encode(decodeOperation(all.value.at(1).resourceData.toObject()));
    QCOMPARE(op.value("status"_L1), QJsonValue(u"Running"_s));
    const QJsonObject call2 = encode(decodeCall(all.value.at(2).resourceData.toObject()));
    QCOMPARE(call2.value("state"_L1), QJsonValue(u"transferAccepted"_s));
    QCOMPARE(call2.value("toneInfo"_L1).toObject().value("tone"_L1), QJsonValue(u"pound"_s));
    const QJsonObject call3 = encode(decodeCall(all.value.at(3).resourceData.toObject()));
    QCOMPARE(call3.value("state"_L1), QJsonValue(u"terminated"_s));
}

// ---- small types -----------------------------------------------------------------------------

void TstCodec::resultInfoIsWrittenNumericWithSubcodeSpelling_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("message");

    QTest::newRow("numbers") << u"terminated-numeric.json"_s << 200 << 5001
                             << u"The conversation has ended."_s;
    QTest::newRow("strings") << u"terminated-strings.json"_s << 200 << 5001
                             << u"The conversation has ended."_s;
    QTest::newRow("subCode") << u"terminated-subcode-spelling.json"_s << 200 << 4521
                             << u"The other side ended the call."_s;
    QTest::newRow("code 0") << u"terminated-termination-reason.json"_s << 0 << 7015
                            << u"GracefulTransferCompleted"_s;
    QTest::newRow("no message") << u"terminated-without-message.json"_s << 408 << 8537 << QString();
    QTest::newRow("transfer failed") << u"transfer-failed.json"_s << 500 << 7000
                                     << u"Transfer failed: the transfer target did not answer."_s;
}

void TstCodec::resultInfoIsWrittenNumericWithSubcodeSpelling()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, message);

    Call call;
    QString why;
    QVERIFY2(loadCall(file, 0, call, why), qPrintable(why));
    const QJsonObject written = encode(call).value("resultInfo"_L1).toObject();
    QVERIFY(written.value("code"_L1).isDouble());
    QCOMPARE(written.value("code"_L1).toInt(), code);
    QVERIFY(written.value("subcode"_L1).isDouble());
    QCOMPARE(written.value("subcode"_L1).toInt(), subcode);
    QVERIFY(!written.contains("subCode"_L1));
    QCOMPARE(written.value("@odata.type"_L1).toString(), u"#microsoft.graph.resultInfo"_s);
    if (message.isEmpty())
        QVERIFY(!written.contains("message"_L1));
    else
        QCOMPARE(written.value("message"_L1).toString(), message);
}

void TstCodec::resultInfoBuiltInCodeIsWrittenNumeric()
{
    ResultInfo info;
    info.code = 408;
    info.subcode = 8537;
    const QJsonObject expected { { "@odata.type"_L1, u"#microsoft.graph.resultInfo"_s },
        { "code"_L1, 408 }, { "subcode"_L1, 8537 } };
    QCOMPARE(encode(info), expected);
}

void TstCodec::resultInfoDecodingTakesEitherSpellingAndOnlyNumbers()
{
    // Both spellings and both representations; subcode wins over subCode.
    const ResultInfo both = decodeResultInfo(
        QJsonObject { { "code"_L1, u" 200 "_s }, { "subcode"_L1, 5001 }, { "subCode"_L1, 9 } });
    QCOMPARE(both.code.value_or(NoCode), 200);
    QCOMPARE(both.subcode.value_or(NoCode), 5001);
    QVERIFY(!encode(both).contains("subCode"_L1));

    // What is not a number is absent, not zero.
    const ResultInfo words = decodeResultInfo(
        QJsonObject { { "code"_L1, u"two hundred"_s }, { "subcode"_L1, QJsonArray { 5001 } } });
    QVERIFY(!words.code.has_value());
    QVERIFY(!words.subcode.has_value());
    QVERIFY(!words.isPresent());
}

void TstCodec::resultInfoCodeOutsideInt32IsAbsent()
{
    // resultInfo.code and subcode are Int32. 4294967496 is 2^32 + 200: read into an int it
    // must not turn into 200 ("success").
    const ResultInfo info = decodeResultInfo(
        QJsonObject { { "code"_L1, 4294967496.0 }, { "subcode"_L1, u"4294972297"_s } });
    QVERIFY(!info.code.has_value());
    QVERIFY(!info.subcode.has_value());
}

void TstCodec::meetingInfoVariants_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<MeetingInfo::Kind>("kind");
    QTest::addColumn<QString>("writtenType");
    QTest::addColumn<QString>("detail"); // organizer id, joinMeetingId or token

    QTest::newRow("organizer, typed")
        << QByteArray(R"({"@odata.type":"#microsoft.graph.organizerMeetingInfo",
                          "organizer":{"user":{"id":"org-1","tenantId":"t-1"}}})")
        << MeetingInfo::Kind::Organizer << u"#microsoft.graph.organizerMeetingInfo"_s << u"org-1"_s;
    QTest::newRow("organizer, untyped")
        << QByteArray(
               R"({"organizer":{"user":{"id":"org-2"}},"allowConversationWithoutHost":true})")
        << MeetingInfo::Kind::Organizer << u"#microsoft.graph.organizerMeetingInfo"_s << u"org-2"_s;
    QTest::newRow("joinMeetingId, typed")
        << QByteArray(R"({"@odata.type":"#microsoft.graph.joinMeetingIdMeetingInfo",
                          "joinMeetingId":"384729105623","passcode":"aB3dE5"})")
        << MeetingInfo::Kind::JoinMeetingId << u"#microsoft.graph.joinMeetingIdMeetingInfo"_s
        << u"384729105623"_s;
    QTest::newRow("joinMeetingId, type in other case")
        << QByteArray(R"({"@odata.type":"#Microsoft.Graph.JoinMeetingIdMeetingInfo",
                          "joinMeetingId":"1234567890"})")
        << MeetingInfo::Kind::JoinMeetingId << u"#microsoft.graph.joinMeetingIdMeetingInfo"_s
        << u"1234567890"_s;
    QTest::newRow("joinMeetingId, untyped")
        << QByteArray(R"({"joinMeetingId":"1234567890","passcode":"x"})")
        << MeetingInfo::Kind::JoinMeetingId << u"#microsoft.graph.joinMeetingIdMeetingInfo"_s
        << u"1234567890"_s;
    QTest::newRow("token, typed") << QByteArray(
        R"({"@odata.type":"#microsoft.graph.tokenMeetingInfo","token":"tok-1"})")
                                  << MeetingInfo::Kind::Token
                                  << u"#microsoft.graph.tokenMeetingInfo"_s << u"tok-1"_s;
    QTest::newRow("token, untyped")
        << QByteArray(R"({"token":"tok-2"})") << MeetingInfo::Kind::Token
        << u"#microsoft.graph.tokenMeetingInfo"_s << u"tok-2"_s;
    QTest::newRow("a future variant")
        << QByteArray(R"({"@odata.type":"#microsoft.graph.futureMeetingInfo","x":1})")
        << MeetingInfo::Kind::Other << u"#microsoft.graph.futureMeetingInfo"_s << QString();
    QTest::newRow("empty") << QByteArray("{}") << MeetingInfo::Kind::None << QString() << QString();
}

void TstCodec::meetingInfoVariants()
{
    QFETCH(QByteArray, json);
    QFETCH(MeetingInfo::Kind, kind);
    QFETCH(QString, writtenType);
    QFETCH(QString, detail);

    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const MeetingInfo info = decodeMeetingInfo(o);
    QCOMPARE(int(info.kind), int(kind));
    switch (kind) {
    case MeetingInfo::Kind::Organizer:
        QVERIFY(info.organizer.has(IdentitySet::Kind::User));
        QCOMPARE(info.organizer.get(IdentitySet::Kind::User)->id, detail);
        break;
    case MeetingInfo::Kind::JoinMeetingId:
        QCOMPARE(info.joinMeetingId, detail);
        break;
    case MeetingInfo::Kind::Token:
        QCOMPARE(info.token, detail);
        break;
    case MeetingInfo::Kind::None:
    case MeetingInfo::Kind::Other:
        break;
    }
    const QJsonObject written = encode(info);
    QCOMPARE(written.value("@odata.type"_L1).toString(), writtenType);
    // Written inside a call, then read back: the same variant.
    Call call;
    call.id = u"c"_s;
    call.meetingInfo = info;
    const Call again = decodeCall(encode(call));
    QCOMPARE(int(again.meetingInfo.kind), int(kind));
    QCOMPARE(valuesOf(again.meetingInfo), valuesOf(info));
}

void TstCodec::identitySetTypeFollowsMembers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("writtenType");

    const QString plain = u"#microsoft.graph.identitySet"_s;
    const QString comms = u"#microsoft.graph.communicationsIdentitySet"_s;
    QTest::newRow("user, untyped") << QByteArray(R"({"user":{"id":"u"}})") << plain;
    QTest::newRow("application, untyped") << QByteArray(R"({"application":{"id":"a"}})") << plain;
    QTest::newRow("phone, untyped") << QByteArray(R"({"phone":{"id":"+14255550123"}})") << comms;
    QTest::newRow("phone, typed as identitySet")
        << QByteArray(R"({"@odata.type":"#microsoft.graph.identitySet","phone":{"id":"+1"}})")
        << comms;
    QTest::newRow("guest") << QByteArray(R"({"guest":{"id":"g","displayName":"G"}})") << comms;
    QTest::newRow("applicationInstance")
        << QByteArray(R"({"applicationInstance":{"id":"ai"}})") << comms;
    QTest::newRow("user, typed communicationsIdentitySet") << QByteArray(
        R"({"@odata.type":"#microsoft.graph.communicationsIdentitySet","user":{"id":"u"}})")
                                                           << comms;
    QTest::newRow("user, a future type")
        << QByteArray(R"({"@odata.type":"#microsoft.graph.futureIdentitySet","user":{"id":"u"}})")
        << u"#microsoft.graph.futureIdentitySet"_s;
}

void TstCodec::identitySetTypeFollowsMembers()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, writtenType);

    const IdentitySet set = decodeIdentitySet(QJsonDocument::fromJson(json).object());
    QVERIFY(!set.isEmpty());
    const QJsonObject written = encode(set);
    QCOMPARE(written.value("@odata.type"_L1).toString(), writtenType);
    QCOMPARE(valuesOf(decodeIdentitySet(written)), valuesOf(set));
}

void TstCodec::readInteger_data()
{
    // expectation: "exact" (must read `expected`), "absent" (nullopt), or "exactOrAbsent"
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expectation");
    QTest::addColumn<qint64>("expected");

    constexpr qint64 twoTo53 = 9007199254740992LL;
    const QString exact = u"exact"_s;
    const QString absent = u"absent"_s;
    const QString exactOrAbsent = u"exactOrAbsent"_s;
    QTest::newRow("number") << QJsonValue(200) << exact << qint64(200);
    QTest::newRow("zero") << QJsonValue(0) << exact << qint64(0);
    QTest::newRow("negative") << QJsonValue(-7) << exact << qint64(-7);
    QTest::newRow("whole double") << QJsonValue(200.0) << exact << qint64(200);
    QTest::newRow("negative zero") << QJsonValue(-0.0) << exact << qint64(0);
    QTest::newRow("fraction") << QJsonValue(200.5) << absent << qint64(0);
    QTest::newRow("numeric string") << QJsonValue(u"200"_s) << exact << qint64(200);
    QTest::newRow("string with spaces") << QJsonValue(u" 5001 "_s) << exact << qint64(5001);
    QTest::newRow("negative string") << QJsonValue(u"-1"_s) << exact << qint64(-1);
    QTest::newRow("decimal string") << QJsonValue(u"200.0"_s) << absent << qint64(0);
    QTest::newRow("exponent string") << QJsonValue(u"1e3"_s) << absent << qint64(0);
    QTest::newRow("hex string") << QJsonValue(u"0x10"_s) << absent << qint64(0);
    QTest::newRow("thousands separator") << QJsonValue(u"1,000"_s) << absent << qint64(0);
    QTest::newRow("empty string") << QJsonValue(u""_s) << absent << qint64(0);
    QTest::newRow("words") << QJsonValue(u"two hundred"_s) << absent << qint64(0);
    QTest::newRow("bool") << QJsonValue(true) << absent << qint64(0);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << absent << qint64(0);
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << absent << qint64(0);
    QTest::newRow("array") << QJsonValue(QJsonArray { 200 }) << absent << qint64(0);
    QTest::newRow("object") << QJsonValue(QJsonObject { { "code"_L1, 200 } }) << absent
                            << qint64(0);
    QTest::newRow("2^53") << QJsonValue(double(twoTo53)) << exact << twoTo53;
    QTest::newRow("-2^53") << QJsonValue(-double(twoTo53)) << exact << -twoTo53;
    QTest::newRow("2^53 + 2 as a double")
        << QJsonValue(double(twoTo53) + 2.0) << absent << qint64(0);
    QTest::newRow("1e300") << QJsonValue(1e300) << absent << qint64(0);
    QTest::newRow("-1e300") << QJsonValue(-1e300) << absent << qint64(0);
    QTest::newRow("int64 max as a string")
        << QJsonValue(u"9223372036854775807"_s) << exact << std::numeric_limits<qint64>::max();
    QTest::newRow("int64 overflow as a string")
        << QJsonValue(u"9223372036854775808"_s) << absent << qint64(0);
    // Numbers from JSON text that a double cannot hold: exact or absent, never another number.
    QTest::newRow("2^53 + 1 from JSON text")
        << QJsonDocument::fromJson("[9007199254740993]").array().at(0) << exactOrAbsent
        << qint64(9007199254740993LL);
    QTest::newRow("int64 max from JSON text")
        << QJsonDocument::fromJson("[9223372036854775807]").array().at(0) << exactOrAbsent
        << std::numeric_limits<qint64>::max();
}

void TstCodec::readInteger()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, expectation);
    QFETCH(qint64, expected);

    const std::optional<qint64> n = Graph::readInteger(value);
    if (expectation == u"exactOrAbsent") {
        QVERIFY2(!n || *n == expected, qPrintable(QString::number(n.value_or(0))));
        return;
    }
    QCOMPARE(n.has_value(), expectation == u"exact");
    if (n)
        QCOMPARE(*n, expected);
}

void TstCodec::readDateTime_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QDateTime>("expected"); // invalid: must be rejected

    QTest::newRow("seven fractional digits")
        << QJsonValue(u"2026-01-05T09:00:00.1234567Z"_s) << utc(2026, 1, 5, 9, 0, 0, 123);
    QTest::newRow("no fraction") << QJsonValue(u"2026-01-05T09:00:00Z"_s) << utc(2026, 1, 5, 9, 0);
    QTest::newRow("one fractional digit")
        << QJsonValue(u"2026-01-05T09:00:00.5Z"_s) << utc(2026, 1, 5, 9, 0, 0, 500);
    QTest::newRow("three fractional digits")
        << QJsonValue(u"2026-01-05T09:00:00.123Z"_s) << utc(2026, 1, 5, 9, 0, 0, 123);
    QTest::newRow("twelve fractional digits")
        << QJsonValue(u"2026-01-05T09:00:00.123456789012Z"_s) << utc(2026, 1, 5, 9, 0, 0, 123);
    QTest::newRow("offset") << QJsonValue(u"2026-01-05T10:30:00+01:00"_s) << utc(2026, 1, 5, 9, 30);
    QTest::newRow("seven digits and offset")
        << QJsonValue(u"2026-01-05T10:30:00.0000000+01:00"_s) << utc(2026, 1, 5, 9, 30);
    QTest::newRow("negative offset")
        << QJsonValue(u"2026-01-05T01:00:00.1234567-08:00"_s) << utc(2026, 1, 5, 9, 0, 0, 123);
    QTest::newRow("offset crossing midnight")
        << QJsonValue(u"2026-01-05T00:30:00+02:00"_s) << utc(2026, 1, 4, 22, 30);
    QTest::newRow("Graph's minimum") << QJsonValue(u"0001-01-01T00:00:00Z"_s) << utc(1, 1, 1, 0, 0);
    QTest::newRow("words") << QJsonValue(u"next Tuesday"_s) << QDateTime();
    QTest::newRow("empty string") << QJsonValue(u""_s) << QDateTime();
    QTest::newRow("leading space") << QJsonValue(u" 2026-01-05T09:00:00Z"_s) << QDateTime();
    QTest::newRow("month 13") << QJsonValue(u"2026-13-05T09:00:00Z"_s) << QDateTime();
    QTest::newRow("30 February") << QJsonValue(u"2026-02-30T09:00:00Z"_s) << QDateTime();
    QTest::newRow("dot without digits") << QJsonValue(u"2026-01-05T09:00:00.Z"_s) << QDateTime();
    QTest::newRow("epoch seconds") << QJsonValue(1767603600) << QDateTime();
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QDateTime();
    QTest::newRow("object") << QJsonValue(QJsonObject { { "dateTime"_L1, u"2026-01-05"_s } })
                            << QDateTime();
}

void TstCodec::readDateTime()
{
    QFETCH(QJsonValue, value);
    QFETCH(QDateTime, expected);

    const QDateTime actual = Graph::readDateTime(value);
    QCOMPARE(actual.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(actual, expected);
        QCOMPARE(actual.timeSpec(), Qt::UTC);
    }
}

void TstCodec::readDateTimeDoesNotDependOnLocalZone_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("asUtc"); // the one acceptable valid reading

    QTest::newRow("no offset") << u"2026-01-05T09:00:00"_s << utc(2026, 1, 5, 9, 0);
    QTest::newRow("date only") << u"2026-01-05"_s << QDateTime();
}

void TstCodec::readDateTimeDoesNotDependOnLocalZone()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, asUtc);

    // Read the same text in a zone five hours behind UTC; the answer must not move.
    const QByteArray oldTz = qgetenv("TZ");
    const bool hadTz = qEnvironmentVariableIsSet("TZ");
    qputenv("TZ", "FDT+5");
    tzset();
    const QDateTime actual = Graph::readDateTime(QJsonValue(text));
    if (hadTz)
        qputenv("TZ", oldTz);
    else
        qunsetenv("TZ");
    tzset();

    const bool acceptable = !actual.isValid() || (asUtc.isValid() && actual == asUtc);
    QVERIFY2(acceptable, qPrintable(actual.toString(Qt::ISODateWithMs)));
}

void TstCodec::writeDateTimeIsUtcWithMilliseconds_data()
{
    QTest::addColumn<QDateTime>("value");
    QTest::addColumn<QString>("written");

    QTest::newRow("utc") << utc(2026, 1, 5, 9, 0, 0, 123) << u"2026-01-05T09:00:00.123Z"_s;
    QTest::newRow("whole seconds") << utc(2026, 1, 5, 9, 0) << u"2026-01-05T09:00:00.000Z"_s;
    QTest::newRow("offset +01:00") << QDateTime(QDate(2026, 1, 5), QTime(10, 30), QTimeZone(3600))
                                   << u"2026-01-05T09:30:00.000Z"_s;
    QTest::newRow("offset -08:00") << QDateTime(QDate(2026, 1, 4), QTime(20, 0, 0, 5),
        QTimeZone(-8 * 3600)) << u"2026-01-05T04:00:00.005Z"_s;
    QTest::newRow("invalid") << QDateTime() << QString();
}

void TstCodec::writeDateTimeIsUtcWithMilliseconds()
{
    QFETCH(QDateTime, value);
    QFETCH(QString, written);

    QCOMPARE(writeDateTime(value), written);
    if (value.isValid())
        QCOMPARE(Graph::readDateTime(QJsonValue(writeDateTime(value))), value);
}

QTEST_GUILESS_MAIN(TstCodec)
#include "tst_codec.moc"

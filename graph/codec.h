#pragma once

#include "types.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

//! The tolerant JSON codec for Graph's communications types, written to the variants Graph
//! actually sends (see docs/graph-wire-notes.md): enums in any case, resultInfo codes as numbers
//! or strings, `subcode` or `subCode`, resourceData as an object or an array. Unknown fields and
//! unknown enum members are kept. Decoding never asserts: a payload that is not JSON, or whose
//! shape is wrong, gives a DecodeError that says what was wrong and where.
namespace Graph {

struct DecodeError
{
    QString path; //!< where in the document: "value[2].resourceUrl"
    QString message; //!< what was wrong there

    QString toString() const;
};

template <typename T> struct Decoded
{
    T value {};
    std::optional<DecodeError> error;

    bool ok() const { return !error.has_value(); }
    explicit operator bool() const { return ok(); }
};

// ---- decoding: from a JSON document -------------------------------------------------------
Decoded<CommsNotifications> decodeNotifications(const QByteArray &json);
Decoded<Call> decodeCallDocument(const QByteArray &json);
Decoded<Participant> decodeParticipantDocument(const QByteArray &json);
Decoded<QList<Participant>> decodeParticipantCollection(
    const QByteArray &json); //!< {"value":[...]}
Decoded<CommsOperation> decodeOperationDocument(const QByteArray &json);
Decoded<OnlineMeeting> decodeOnlineMeetingDocument(const QByteArray &json);
Decoded<QList<OnlineMeeting>> decodeOnlineMeetingCollection(const QByteArray &json);

// ---- decoding: from JSON values. These accept any object: fields of the wrong type count as
// absent, and the object is kept in `raw`.
Decoded<CommsNotifications> decodeNotifications(const QJsonObject &object);
Decoded<CommsNotification> decodeNotification(const QJsonObject &object);
Call decodeCall(const QJsonObject &object);
Participant decodeParticipant(const QJsonObject &object);
CommsOperation decodeOperation(const QJsonObject &object);
OnlineMeeting decodeOnlineMeeting(const QJsonObject &object);
IdentitySet decodeIdentitySet(const QJsonObject &object);
ParticipantInfo decodeParticipantInfo(const QJsonObject &object);
InvitationParticipantInfo decodeInvitationParticipantInfo(const QJsonObject &object);
ResultInfo decodeResultInfo(const QJsonObject &object);
ToneInfo decodeToneInfo(const QJsonObject &object);
MediaStream decodeMediaStream(const QJsonObject &object);
MediaInfo decodeMediaInfo(const QJsonObject &object);
ChatInfo decodeChatInfo(const QJsonObject &object);
MeetingInfo decodeMeetingInfo(const QJsonObject &object);
MeetingParticipantInfo decodeMeetingParticipantInfo(const QJsonObject &object);

//! Forgets the participant's JSON (`raw`, and that of everything in it), keeping the decoded
//! fields: about a fifth of the memory. encode() then writes only the modelled fields, so this
//! is for a holder that never sends the participant on (the console).
void dropJson(Participant &participant);
//! The same for a call: `raw`, and that of everything in it.
void dropJson(Call &call);

//! Reads a JSON number or numeric string as an integer; nullopt for anything else.
std::optional<qint64> readInteger(const QJsonValue &value);
//! Reads an ISO-8601 date-time ("2026-01-05T09:00:00.1234567Z"); invalid for anything else.
QDateTime readDateTime(const QJsonValue &value);

// ---- encoding. Each starts from `raw` and writes the modelled fields over it, so unknown
// fields survive; a value built in code (empty raw) gives only the schema's properties.
QJsonObject encode(const Call &call);
QJsonObject encode(const Participant &participant);
QJsonObject encode(const CommsOperation &operation);
QJsonObject encode(const OnlineMeeting &meeting);
QJsonObject encode(const IdentitySet &identity);
QJsonObject encode(const ParticipantInfo &info);
QJsonObject encode(const InvitationParticipantInfo &info);
QJsonObject encode(const ResultInfo &info);
QJsonObject encode(const ToneInfo &info);
QJsonObject encode(const MediaStream &stream);
QJsonObject encode(const MediaInfo &info);
QJsonObject encode(const ChatInfo &info);
QJsonObject encode(const MeetingInfo &info);
QJsonObject encode(const MeetingParticipantInfo &info);
QJsonObject encode(const CommsNotification &notification);
QJsonObject encode(const CommsNotifications &notifications);

//! A mediaPrompt for playPrompt/recordResponse:
//! {"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{...}}
QJsonObject encodeMediaPrompt(const MediaInfo &info);
//! {"@odata.type":"#microsoft.graph.serviceHostedMediaConfig","preFetchMedia":[...]}
QJsonObject encodeServiceHostedMediaConfig(const QList<MediaInfo> &preFetch = {});
QString writeDateTime(const QDateTime &dateTime); //!< UTC, ISO-8601 with milliseconds and 'Z'

//! "#microsoft.graph.<name>"
QString odataType(QStringView name);

} // namespace Graph

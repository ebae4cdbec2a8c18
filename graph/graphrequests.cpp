// The typed methods of GraphClient, one per endpoint of graph-notes §1. Action bodies carry
// exactly the parameters of the action in Graph's schema (tests/data/communications.csdl.xml):
// no top-level @odata.type, and nested objects with theirs.
#include "codec.h"
#include "graphclient.h"

#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

using Expect = GraphReply::Expect;

QString callPath(const QString &callId)
{
    return u"/communications/calls/"_s + GraphClient::segment(callId);
}

QString participantPath(const QString &callId, const QString &participantId)
{
    return callPath(callId) + u"/participants/"_s + GraphClient::segment(participantId);
}

QString meetingsPath(const std::optional<QString> &userId)
{
    if (!userId || userId->isEmpty())
        return u"/me/onlineMeetings"_s;
    return u"/users/"_s + GraphClient::segment(*userId) + u"/onlineMeetings"_s;
}

// An OData string literal inside $filter: quotes doubled, then the whole value encoded for the
// query, as Graph's docs show it (the join URL ends up percent-encoded once more).
QString filterEq(const QString &property, const QString &value)
{
    QString literal = value;
    literal.replace(u'\'', u"''"_s);
    const QString expression = property + u" eq '"_s + literal + u'\'';
    return u"$filter="_s + QString::fromLatin1(QUrl::toPercentEncoding(expression));
}

QJsonObject withType(QJsonObject object, QStringView type)
{
    if (!object.contains("@odata.type"_L1))
        object.insert("@odata.type"_L1, odataType(type));
    return object;
}

QJsonArray invitations(const QList<InvitationParticipantInfo> &participants)
{
    QJsonArray array;
    for (const InvitationParticipantInfo &info : participants)
        array.append(withType(encode(info), u"invitationParticipantInfo"));
    return array;
}

QJsonArray prompts(const QList<MediaInfo> &media)
{
    QJsonArray array;
    for (const MediaInfo &info : media)
        array.append(encodeMediaPrompt(info));
    return array;
}

QJsonObject contextBody(const QString &clientContext)
{
    return QJsonObject { { "clientContext"_L1, clientContext } };
}

} // namespace

GraphReply *GraphClient::createCall(const Call &call)
{
    QJsonObject body = encode(call);
    // Graph needs these four on every new call, whatever the value was built from.
    body.insert("@odata.type"_L1, odataType(u"call"));
    body.insert("callbackUri"_L1, call.callbackUri);
    if (!body.value("requestedModalities"_L1).isArray()
        || body.value("requestedModalities"_L1).toArray().isEmpty()) {
        body.insert("requestedModalities"_L1, QJsonArray { wireName(Modality::Audio) });
    }
    if (!body.value("mediaConfig"_L1).isObject())
        body.insert("mediaConfig"_L1, encodeServiceHostedMediaConfig(call.preFetchMedia));
    if (body.value("targets"_L1).isArray()) {
        QJsonArray targets;
        for (const QJsonValue &target : body.value("targets"_L1).toArray())
            targets.append(withType(target.toObject(), u"invitationParticipantInfo"));
        body.insert("targets"_L1, targets);
    }
    return postJson(Expect::Call, u"/communications/calls"_s, body);
}

GraphReply *GraphClient::getCall(const QString &callId)
{
    return start(Expect::Call, "GET", callPath(callId));
}

GraphReply *GraphClient::answer(const QString &callId, const AnswerParams &params)
{
    QJsonArray modalities;
    for (const Modality modality : params.acceptedModalities)
        modalities.append(wireName(modality));
    // Graph refuses an answer without modalities; audio is what a front desk answers with.
    if (modalities.isEmpty())
        modalities.append(wireName(Modality::Audio));
    QJsonObject body {
        { "callbackUri"_L1, params.callbackUri },
        { "mediaConfig"_L1, encodeServiceHostedMediaConfig(params.preFetchMedia) },
        { "acceptedModalities"_L1, modalities },
    };
    if (params.participantCapacity)
        body.insert("participantCapacity"_L1, *params.participantCapacity);
    return postJson(Expect::Nothing, callPath(callId) + u"/answer"_s, body);
}

GraphReply *GraphClient::reject(
    const QString &callId, RejectReason reason, const QString &callbackUri)
{
    const QString reasonText =
        reason == RejectReason::Unknown ? wireName(RejectReason::None) : wireName(reason);
    QJsonObject body { { "reason"_L1, reasonText } };
    if (!callbackUri.isEmpty())
        body.insert("callbackUri"_L1, callbackUri);
    return postJson(Expect::Nothing, callPath(callId) + u"/reject"_s, body);
}

GraphReply *GraphClient::redirect(const QString &callId, const RedirectParams &params)
{
    QJsonObject body { { "targets"_L1, invitations(params.targets) } };
    if (params.timeoutSeconds)
        body.insert("timeout"_L1, *params.timeoutSeconds);
    if (!params.callbackUri.isEmpty())
        body.insert("callbackUri"_L1, params.callbackUri);
    return postJson(Expect::Nothing, callPath(callId) + u"/redirect"_s, body);
}

GraphReply *GraphClient::transfer(const QString &callId, const TransferParams &params)
{
    QJsonObject body {
        { "transferTarget"_L1,
            withType(encode(params.transferTarget), u"invitationParticipantInfo") },
    };
    if (params.transferee)
        body.insert("transferee"_L1, withType(encode(*params.transferee), u"participantInfo"));
    return postJson(Expect::Nothing, callPath(callId) + u"/transfer"_s, body);
}

GraphReply *GraphClient::hangUp(const QString &callId)
{
    return start(Expect::Nothing, "DELETE", callPath(callId));
}

GraphReply *GraphClient::keepAlive(const QString &callId)
{
    // The action has no parameters: no body at all.
    return start(Expect::Nothing, "POST", callPath(callId) + u"/keepAlive"_s);
}

GraphReply *GraphClient::playPrompt(
    const QString &callId, const QList<MediaInfo> &media, const QString &clientContext)
{
    const QJsonObject body {
        { "prompts"_L1, prompts(media) },
        { "clientContext"_L1, clientContext },
    };
    return postJson(Expect::Operation, callPath(callId) + u"/playPrompt"_s, body);
}

GraphReply *GraphClient::subscribeToTone(const QString &callId, const QString &clientContext)
{
    return postJson(
        Expect::Operation, callPath(callId) + u"/subscribeToTone"_s, contextBody(clientContext));
}

GraphReply *GraphClient::recordResponse(const QString &callId, const RecordResponseParams &params)
{
    QJsonObject body = contextBody(params.clientContext);
    if (!params.prompts.isEmpty())
        body.insert("prompts"_L1, prompts(params.prompts));
    if (params.bargeInAllowed)
        body.insert("bargeInAllowed"_L1, *params.bargeInAllowed);
    if (params.initialSilenceTimeoutInSeconds)
        body.insert("initialSilenceTimeoutInSeconds"_L1, *params.initialSilenceTimeoutInSeconds);
    if (params.maxSilenceTimeoutInSeconds)
        body.insert("maxSilenceTimeoutInSeconds"_L1, *params.maxSilenceTimeoutInSeconds);
    if (params.maxRecordDurationInSeconds)
        body.insert("maxRecordDurationInSeconds"_L1, *params.maxRecordDurationInSeconds);
    if (params.playBeep)
        body.insert("playBeep"_L1, *params.playBeep);
    if (!params.stopTones.isEmpty())
        body.insert("stopTones"_L1, QJsonArray::fromStringList(params.stopTones));
    return postJson(Expect::Operation, callPath(callId) + u"/recordResponse"_s, body);
}

GraphReply *GraphClient::cancelMediaProcessing(const QString &callId, const QString &clientContext)
{
    return postJson(Expect::Operation, callPath(callId) + u"/cancelMediaProcessing"_s,
        contextBody(clientContext));
}

GraphReply *GraphClient::mute(const QString &callId, const QString &clientContext)
{
    return postJson(Expect::Operation, callPath(callId) + u"/mute"_s, contextBody(clientContext));
}

GraphReply *GraphClient::unmute(const QString &callId, const QString &clientContext)
{
    return postJson(Expect::Operation, callPath(callId) + u"/unmute"_s, contextBody(clientContext));
}

GraphReply *GraphClient::listParticipants(const QString &callId)
{
    return start(Expect::ParticipantCollection, "GET", callPath(callId) + u"/participants"_s);
}

GraphReply *GraphClient::getParticipant(const QString &callId, const QString &participantId)
{
    return start(Expect::Participant, "GET", participantPath(callId, participantId));
}

GraphReply *GraphClient::inviteParticipants(const QString &callId,
    const QList<InvitationParticipantInfo> &participants, const QString &clientContext)
{
    const QJsonObject body {
        { "participants"_L1, invitations(participants) },
        { "clientContext"_L1, clientContext },
    };
    return postJson(Expect::Operation, callPath(callId) + u"/participants/invite"_s, body);
}

GraphReply *GraphClient::muteParticipant(
    const QString &callId, const QString &participantId, const QString &clientContext)
{
    return postJson(Expect::Operation, participantPath(callId, participantId) + u"/mute"_s,
        contextBody(clientContext));
}

GraphReply *GraphClient::removeParticipant(const QString &callId, const QString &participantId)
{
    return start(Expect::Nothing, "DELETE", participantPath(callId, participantId));
}

GraphReply *GraphClient::createOnlineMeeting(const QString &userId, const OnlineMeeting &meeting)
{
    return postJson(Expect::OnlineMeeting, meetingsPath(userId), encode(meeting));
}

GraphReply *GraphClient::createMyOnlineMeeting(const OnlineMeeting &meeting)
{
    return postJson(Expect::OnlineMeeting, meetingsPath(std::nullopt), encode(meeting));
}

GraphReply *GraphClient::createOrGetOnlineMeeting(
    const std::optional<QString> &userId, const CreateOrGetParams &params)
{
    QJsonObject body { { "externalId"_L1, params.externalId } };
    if (params.startDateTime.isValid())
        body.insert("startDateTime"_L1, writeDateTime(params.startDateTime));
    if (params.endDateTime.isValid())
        body.insert("endDateTime"_L1, writeDateTime(params.endDateTime));
    if (!params.subject.isEmpty())
        body.insert("subject"_L1, params.subject);
    if (params.organizer || !params.attendees.isEmpty()) {
        QJsonObject participants;
        if (params.organizer)
            participants.insert("organizer"_L1, encode(*params.organizer));
        if (!params.attendees.isEmpty()) {
            QJsonArray attendees;
            for (const MeetingParticipantInfo &attendee : params.attendees)
                attendees.append(encode(attendee));
            participants.insert("attendees"_L1, attendees);
        }
        body.insert("participants"_L1, participants);
    }
    if (!params.chatInfo.isEmpty())
        body.insert("chatInfo"_L1, encode(params.chatInfo));
    return postJson(Expect::OnlineMeeting, meetingsPath(userId) + u"/createOrGet"_s, body);
}

GraphReply *GraphClient::getOnlineMeeting(const QString &userId, const QString &meetingId)
{
    return start(Expect::OnlineMeeting, "GET",
        meetingsPath(userId) + u'/' + GraphClient::segment(meetingId));
}

GraphReply *GraphClient::findOnlineMeetingByJoinUrl(
    const QString &userId, const QString &joinWebUrl)
{
    return start(Expect::OnlineMeetingCollection, "GET",
        meetingsPath(userId) + u'?' + filterEq(u"JoinWebUrl"_s, joinWebUrl));
}

GraphReply *GraphClient::findOnlineMeetingByVideoTeleconferenceId(const QString &vtcId)
{
    return start(Expect::OnlineMeetingCollection, "GET",
        u"/communications/onlineMeetings/?"_s + filterEq(u"VideoTeleconferenceId"_s, vtcId));
}

} // namespace Graph

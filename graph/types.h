#pragma once

#include "wireenums.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

//! Value types for the Microsoft Graph cloud communications resources. Each keeps the JSON it was
//! decoded from in `raw`, so that fields we do not model pass through untouched when it is
//! encoded again. Models and widgets see these types, never JSON.
namespace Graph {

struct Identity
{
    QString id;
    QString displayName;
    QString tenantId; //!< written for user and applicationInstance (their comms subtypes have it)
    QJsonObject raw;

    bool isEmpty() const { return id.isEmpty() && displayName.isEmpty(); }
    bool operator==(const Identity &) const = default;
};

//! identitySet, with the communicationsIdentitySet members. At most one member is usually set.
struct IdentitySet
{
    enum class Kind {
        User,
        Application,
        Device,
        ApplicationInstance,
        Phone,
        Guest,
        Encrypted,
        OnPremises,
        AssertedIdentity,
        AzureCommunicationServicesUser,
    };
    static constexpr int KindCount = 10;

    QJsonObject raw;

    //! The member of that kind, or nullopt.
    std::optional<Identity> get(Kind kind) const;
    const Identity *find(Kind kind) const;
    Identity *find(Kind kind);
    void set(Kind kind, Identity identity);
    bool has(Kind kind) const { return find(kind) != nullptr; }
    //! The members that are set, in Kind order. Usually one: a set holds only those, so that a
    //! roster of thousands does not carry ten empty slots per person.
    const QList<std::pair<Kind, Identity>> &members() const { return m_members; }
    bool isEmpty() const;
    //! Forgets `raw`, here and in every member (see Graph::dropJson).
    void dropJson();
    //! True when a member only communicationsIdentitySet has is set (phone, guest, ...).
    bool needsCommunicationsType() const;
    //! The first identity in the order a person would look for it (user, phone, guest, ...).
    std::optional<std::pair<Kind, Identity>> primary() const;
    QString displayName() const; //!< of the primary identity
    QString phoneNumber() const; //!< the phone identity's id, when present

    static IdentitySet user(const QString &id, const QString &displayName = {});
    static IdentitySet phone(const QString &number, const QString &displayName = {});
    static IdentitySet application(const QString &id, const QString &displayName = {});
    static IdentitySet applicationInstance(const QString &id, const QString &displayName = {});
    static IdentitySet guest(const QString &id, const QString &displayName);

    //! Memberwise, `raw` included (see Participant).
    bool operator==(const IdentitySet &) const = default;

private:
    QList<std::pair<Kind, Identity>> m_members;
};

//! The wire name of an identity kind ("user", "applicationInstance", ...).
QString wireName(IdentitySet::Kind kind);
//! The kind a wire name names, or nullopt.
std::optional<IdentitySet::Kind> identityKind(QStringView wireName);

struct ParticipantInfo
{
    IdentitySet identity;
    WireEnum<EndpointType> endpointType;
    QString region;
    QString languageId;
    QString countryCode;
    QString participantId;
    QJsonObject raw;

    bool operator==(const ParticipantInfo &) const = default;
};

struct InvitationParticipantInfo
{
    IdentitySet identity;
    QString replacesCallId;
    QString participantId;
    std::optional<bool> hidden;
    std::optional<bool> removeFromDefaultAudioRoutingGroup;
    QJsonObject raw;
};

struct ResultInfo
{
    std::optional<int> code;
    std::optional<int> subcode;
    QString message;
    QJsonObject raw;

    bool isPresent() const { return code.has_value() || subcode.has_value() || !message.isEmpty(); }
    bool isSuccess() const { return code && ((*code >= 200 && *code < 300) || *code == 0); }
};

struct ToneInfo
{
    qint64 sequenceId = 0;
    WireEnum<Tone> tone;
    QJsonObject raw;
};

struct MediaStream
{
    WireEnum<Modality> mediaType;
    WireEnum<MediaDirection> direction;
    QString sourceId;
    QString label;
    bool serverMuted = false;
    QJsonObject raw;

    bool operator==(const MediaStream &) const = default;
};

struct MediaInfo
{
    QString uri;
    QString resourceId;
    QJsonObject raw;
};

struct ChatInfo
{
    QString threadId;
    QString messageId;
    QString replyChainMessageId;
    QJsonObject raw;

    bool isEmpty() const { return threadId.isEmpty() && messageId.isEmpty(); }
};

struct MeetingInfo
{
    enum class Kind { None, Organizer, JoinMeetingId, Token, Other };
    Kind kind = Kind::None;
    IdentitySet organizer; //!< Kind::Organizer
    QString joinMeetingId; //!< Kind::JoinMeetingId
    QString passcode; //!< Kind::JoinMeetingId
    QString token; //!< Kind::Token
    QJsonObject raw;
};

struct Participant
{
    QString id;
    ParticipantInfo info;
    bool isInLobby = false;
    bool isMuted = false;
    QList<MediaStream> mediaStreams;
    QString metadata;
    std::optional<qint64> rosterSequenceNumber;
    bool removed = false; //!< carries removedState: it left the roster
    QString removedReason;
    QJsonObject raw;

    QString displayName() const { return info.identity.displayName(); }
    //! Memberwise, `raw` included: two participants whose JSON was dropped (Graph::dropJson)
    //! are equal when every modelled field is.
    bool operator==(const Participant &) const = default;
};

struct CommsOperation
{
    QString odataType; //!< "#microsoft.graph.playPromptOperation", ...
    QString id;
    QString clientContext;
    WireEnum<OperationStatus> status;
    ResultInfo resultInfo;
    QString recordingLocation; //!< recordOperation
    QString recordingAccessToken; //!< recordOperation
    QList<InvitationParticipantInfo> participants; //!< inviteParticipantsOperation
    QJsonObject raw;

    bool isFinished() const
    {
        return status == OperationStatus::Completed || status == OperationStatus::Failed;
    }
};

struct Call
{
    QString id;
    WireEnum<CallState> state;
    WireEnum<CallDirection> direction;
    QString callbackUri;
    QString callChainId;
    QString myParticipantId;
    QString subject;
    QString tenantId;
    std::optional<ParticipantInfo> source;
    QList<InvitationParticipantInfo> targets;
    QList<WireEnum<Modality>> requestedModalities;
    ResultInfo resultInfo;
    std::optional<ToneInfo> toneInfo;
    ChatInfo chatInfo;
    MeetingInfo meetingInfo;
    WireEnum<MediaState> audioState; //!< mediaState.audio
    std::optional<bool> isDeltaRosterEnabled; //!< callOptions.isDeltaRosterEnabled
    QString mediaConfigType; //!< mediaConfig's @odata.type, when present
    QList<MediaInfo> preFetchMedia; //!< serviceHostedMediaConfig.preFetchMedia
    QJsonObject raw;

    bool isGroupCall() const
    {
        return !chatInfo.isEmpty() || meetingInfo.kind != MeetingInfo::Kind::None;
    }
    bool isEnded() const { return state == CallState::Terminated; }
};

struct JoinMeetingIdSettings
{
    QString joinMeetingId;
    QString passcode;
    std::optional<bool> isPasscodeRequired;
};

struct AudioConferencing
{
    QString conferenceId;
    QString tollNumber;
    QString tollFreeNumber;
    QStringList tollNumbers;
    QStringList tollFreeNumbers;
    QString dialinUrl;

    bool isEmpty() const
    {
        return conferenceId.isEmpty() && tollNumber.isEmpty() && tollFreeNumber.isEmpty()
            && tollNumbers.isEmpty() && tollFreeNumbers.isEmpty() && dialinUrl.isEmpty();
    }
};

struct MeetingParticipantInfo
{
    IdentitySet identity;
    QString upn;
    WireEnum<OnlineMeetingRole> role;
    QJsonObject raw;
};

struct OnlineMeeting
{
    QString id;
    QString subject;
    QDateTime startDateTime;
    QDateTime endDateTime;
    QDateTime creationDateTime;
    QString joinWebUrl;
    QString externalId;
    QString videoTeleconferenceId;
    ChatInfo chatInfo;
    std::optional<JoinMeetingIdSettings> joinMeetingIdSettings;
    std::optional<AudioConferencing> audioConferencing;
    std::optional<MeetingParticipantInfo> organizer;
    QList<MeetingParticipantInfo> attendees;
    WireEnum<LobbyBypassScope> lobbyBypassScope;
    std::optional<bool> isDialInBypassEnabled;
    WireEnum<OnlineMeetingPresenters> allowedPresenters;
    QString joinInformation; //!< joinInformation.content (HTML), when present
    QJsonObject raw;
};

//! What a commsNotification is about, from its resourceUrl.
enum class ResourceKind { Unknown, Call, Participants, Participant, Operation };

struct CommsNotification
{
    WireEnum<ChangeType> changeType;
    QString resourceUrl;
    QString resource; //!< legacy "/app/calls/..." path, often present
    QString callbackUri; //!< sometimes echoed
    ResourceKind kind = ResourceKind::Unknown;
    QString callId; //!< from resourceUrl (or resource), as written there
    QString subId; //!< the operation or participant id after the call id, when any
    QString dataType; //!< resourceData's @odata.type ("#microsoft.graph.call", ...)
    QJsonValue resourceData; //!< an object, or an array of participants
    QJsonObject raw;
};

struct CommsNotifications
{
    QList<CommsNotification> value;
    QJsonObject raw;
};

} // namespace Graph

Q_DECLARE_METATYPE(Graph::Call)
Q_DECLARE_METATYPE(Graph::Participant)
Q_DECLARE_METATYPE(Graph::CommsOperation)
Q_DECLARE_METATYPE(Graph::OnlineMeeting)
Q_DECLARE_METATYPE(Graph::CommsNotification)

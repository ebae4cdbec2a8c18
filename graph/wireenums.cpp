#include "wireenums.h"

#include <QList>

#include <span>
#include <utility>

using namespace Qt::StringLiterals;

namespace Graph {
namespace {

template <typename E> using Member = std::pair<E, QLatin1StringView>;

// The schema's spellings (communications.csdl.xml). Parsing compares case-insensitively, so
// "Established" or "RUNNING" from field logs map to the same members.
constexpr Member<CallState> s_callStates[] = {
    { CallState::Incoming, "incoming"_L1 },
    { CallState::Ringing, "ringing"_L1 },
    { CallState::Establishing, "establishing"_L1 },
    { CallState::Established, "established"_L1 },
    { CallState::Hold, "hold"_L1 },
    { CallState::Transferring, "transferring"_L1 },
    { CallState::TransferAccepted, "transferAccepted"_L1 },
    { CallState::Redirecting, "redirecting"_L1 },
    { CallState::Terminating, "terminating"_L1 },
    { CallState::Terminated, "terminated"_L1 },
    { CallState::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<CallDirection> s_directions[] = {
    { CallDirection::Incoming, "incoming"_L1 },
    { CallDirection::Outgoing, "outgoing"_L1 },
};
constexpr Member<ChangeType> s_changeTypes[] = {
    { ChangeType::Created, "created"_L1 },
    { ChangeType::Updated, "updated"_L1 },
    { ChangeType::Deleted, "deleted"_L1 },
};
// The CSDL spells operationStatus members with a capital letter, and Microsoft's typed SDKs
// compare them case-sensitively, so this is the spelling we write.
constexpr Member<OperationStatus> s_operationStatuses[] = {
    { OperationStatus::NotStarted, "NotStarted"_L1 },
    { OperationStatus::Running, "Running"_L1 },
    { OperationStatus::Completed, "Completed"_L1 },
    { OperationStatus::Failed, "Failed"_L1 },
};
constexpr Member<Tone> s_tones[] = {
    { Tone::Tone0, "tone0"_L1 },
    { Tone::Tone1, "tone1"_L1 },
    { Tone::Tone2, "tone2"_L1 },
    { Tone::Tone3, "tone3"_L1 },
    { Tone::Tone4, "tone4"_L1 },
    { Tone::Tone5, "tone5"_L1 },
    { Tone::Tone6, "tone6"_L1 },
    { Tone::Tone7, "tone7"_L1 },
    { Tone::Tone8, "tone8"_L1 },
    { Tone::Tone9, "tone9"_L1 },
    { Tone::Star, "star"_L1 },
    { Tone::Pound, "pound"_L1 },
    { Tone::A, "a"_L1 },
    { Tone::B, "b"_L1 },
    { Tone::C, "c"_L1 },
    { Tone::D, "d"_L1 },
    { Tone::Flash, "flash"_L1 },
};
constexpr Member<EndpointType> s_endpointTypes[] = {
    { EndpointType::Default, "default"_L1 },
    { EndpointType::Voicemail, "voicemail"_L1 },
    { EndpointType::SkypeForBusiness, "skypeForBusiness"_L1 },
    { EndpointType::SkypeForBusinessVoipPhone, "skypeForBusinessVoipPhone"_L1 },
    { EndpointType::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<Modality> s_modalities[] = {
    { Modality::Audio, "audio"_L1 },
    { Modality::Video, "video"_L1 },
    { Modality::VideoBasedScreenSharing, "videoBasedScreenSharing"_L1 },
    { Modality::Data, "data"_L1 },
    { Modality::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<MediaDirection> s_mediaDirections[] = {
    { MediaDirection::Inactive, "inactive"_L1 },
    { MediaDirection::SendOnly, "sendOnly"_L1 },
    { MediaDirection::ReceiveOnly, "receiveOnly"_L1 },
    { MediaDirection::SendReceive, "sendReceive"_L1 },
};
constexpr Member<MediaState> s_mediaStates[] = {
    { MediaState::Active, "active"_L1 },
    { MediaState::Inactive, "inactive"_L1 },
};
constexpr Member<RejectReason> s_rejectReasons[] = {
    { RejectReason::None, "none"_L1 },
    { RejectReason::Busy, "busy"_L1 },
    { RejectReason::Forbidden, "forbidden"_L1 },
    { RejectReason::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<OnlineMeetingRole> s_meetingRoles[] = {
    { OnlineMeetingRole::Attendee, "attendee"_L1 },
    { OnlineMeetingRole::Presenter, "presenter"_L1 },
    { OnlineMeetingRole::Producer, "producer"_L1 },
    { OnlineMeetingRole::Coorganizer, "coorganizer"_L1 },
    { OnlineMeetingRole::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<LobbyBypassScope> s_lobbyScopes[] = {
    { LobbyBypassScope::Organizer, "organizer"_L1 },
    { LobbyBypassScope::Organization, "organization"_L1 },
    { LobbyBypassScope::OrganizationAndFederated, "organizationAndFederated"_L1 },
    { LobbyBypassScope::Everyone, "everyone"_L1 },
    { LobbyBypassScope::Invited, "invited"_L1 },
    { LobbyBypassScope::OrganizationExcludingGuests, "organizationExcludingGuests"_L1 },
    { LobbyBypassScope::UnknownFutureValue, "unknownFutureValue"_L1 },
};
constexpr Member<OnlineMeetingPresenters> s_presenters[] = {
    { OnlineMeetingPresenters::Everyone, "everyone"_L1 },
    { OnlineMeetingPresenters::Organization, "organization"_L1 },
    { OnlineMeetingPresenters::RoleIsPresenter, "roleIsPresenter"_L1 },
    { OnlineMeetingPresenters::Organizer, "organizer"_L1 },
    { OnlineMeetingPresenters::UnknownFutureValue, "unknownFutureValue"_L1 },
};

template <typename E> constexpr std::span<const Member<E>> members();
template <> constexpr std::span<const Member<CallState>> members()
{
    return s_callStates;
}
template <> constexpr std::span<const Member<CallDirection>> members()
{
    return s_directions;
}
template <> constexpr std::span<const Member<ChangeType>> members()
{
    return s_changeTypes;
}
template <> constexpr std::span<const Member<OperationStatus>> members()
{
    return s_operationStatuses;
}
template <> constexpr std::span<const Member<Tone>> members()
{
    return s_tones;
}
template <> constexpr std::span<const Member<EndpointType>> members()
{
    return s_endpointTypes;
}
template <> constexpr std::span<const Member<Modality>> members()
{
    return s_modalities;
}
template <> constexpr std::span<const Member<MediaDirection>> members()
{
    return s_mediaDirections;
}
template <> constexpr std::span<const Member<MediaState>> members()
{
    return s_mediaStates;
}
template <> constexpr std::span<const Member<RejectReason>> members()
{
    return s_rejectReasons;
}
template <> constexpr std::span<const Member<OnlineMeetingRole>> members()
{
    return s_meetingRoles;
}
template <> constexpr std::span<const Member<LobbyBypassScope>> members()
{
    return s_lobbyScopes;
}
template <> constexpr std::span<const Member<OnlineMeetingPresenters>> members()
{
    return s_presenters;
}

template <typename E> QString nameOf(E v)
{
    for (const auto &[member, name] : members<E>()) {
        if (member == v)
            return QString(name);
    }
    return {};
}

} // namespace

//! The members' names as QStrings, made once: a value spelled exactly as the schema spells it
//! shares its text with them instead of allocating its own (a big roster has two per person).
template <typename E> const QList<QString> &spellings()
{
    static const QList<QString> names = [] {
        QList<QString> out;
        for (const auto &member : members<E>())
            out.append(QString(member.second));
        return out;
    }();
    return names;
}

template <typename E> WireEnum<E> parseWireEnum(QStringView text)
{
    WireEnum<E> result;
    const auto all = members<E>();
    for (size_t i = 0; i < all.size(); ++i) {
        if (text.compare(all[i].second, Qt::CaseInsensitive) == 0) {
            result.value = all[i].first;
            if (text == all[i].second)
                result.text = spellings<E>().at(qsizetype(i));
            break;
        }
    }
    if (result.text.isEmpty())
        result.text = text.toString();
    return result;
}

#define FRONTDESK_WIRE_ENUM(E)                                                                     \
    QString wireName(E v)                                                                          \
    {                                                                                              \
        return nameOf(v);                                                                          \
    }                                                                                              \
    template WireEnum<E> parseWireEnum<E>(QStringView text);

FRONTDESK_WIRE_ENUM(CallState)
FRONTDESK_WIRE_ENUM(CallDirection)
FRONTDESK_WIRE_ENUM(ChangeType)
FRONTDESK_WIRE_ENUM(OperationStatus)
FRONTDESK_WIRE_ENUM(Tone)
FRONTDESK_WIRE_ENUM(EndpointType)
FRONTDESK_WIRE_ENUM(Modality)
FRONTDESK_WIRE_ENUM(MediaDirection)
FRONTDESK_WIRE_ENUM(MediaState)
FRONTDESK_WIRE_ENUM(RejectReason)
FRONTDESK_WIRE_ENUM(OnlineMeetingRole)
FRONTDESK_WIRE_ENUM(LobbyBypassScope)
FRONTDESK_WIRE_ENUM(OnlineMeetingPresenters)

#undef FRONTDESK_WIRE_ENUM

QChar toneChar(Tone tone)
{
    switch (tone) {
    case Tone::Tone0:
    case Tone::Tone1:
    case Tone::Tone2:
    case Tone::Tone3:
    case Tone::Tone4:
    case Tone::Tone5:
    case Tone::Tone6:
    case Tone::Tone7:
    case Tone::Tone8:
    case Tone::Tone9:
        return QChar(u'0' + (int(tone) - int(Tone::Tone0)));
    case Tone::Star:
        return u'*';
    case Tone::Pound:
        return u'#';
    case Tone::A:
        return u'A';
    case Tone::B:
        return u'B';
    case Tone::C:
        return u'C';
    case Tone::D:
        return u'D';
    case Tone::Flash:
        return u'F';
    case Tone::Unknown:
        break;
    }
    return u'?';
}

Tone toneFromChar(QChar c)
{
    if (c >= u'0' && c <= u'9')
        return Tone(int(Tone::Tone0) + (c.unicode() - u'0'));
    switch (c.toUpper().unicode()) {
    case u'*':
        return Tone::Star;
    case u'#':
        return Tone::Pound;
    case u'A':
        return Tone::A;
    case u'B':
        return Tone::B;
    case u'C':
        return Tone::C;
    case u'D':
        return Tone::D;
    case u'F':
        return Tone::Flash;
    default:
        return Tone::Unknown;
    }
}

} // namespace Graph

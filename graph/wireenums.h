#pragma once

#include <QString>
#include <QStringView>

namespace Graph {

//! An enum value as read from the wire: the member we know, and the text exactly as it was
//! received. An unknown member (a future Graph value) keeps its text, so it survives a round trip
//! and can still be shown.
template <typename E> struct WireEnum
{
    E value = E::Unknown;
    QString text; //!< as received or as written; empty when the field was absent

    WireEnum() = default;
    WireEnum(E v); // NOLINT(google-explicit-constructor): an enum reads as its wire value
    bool isKnown() const { return value != E::Unknown; }
    bool isPresent() const { return !text.isEmpty(); }
    bool operator==(E other) const { return value == other; }
    friend bool operator==(const WireEnum &, const WireEnum &) = default;
};

enum class CallState {
    Unknown,
    Incoming,
    Ringing, //!< listed by the docs, not by the schema: accepted, never written
    Establishing,
    Established,
    Hold,
    Transferring,
    TransferAccepted,
    Redirecting,
    Terminating,
    Terminated,
    UnknownFutureValue,
};
enum class CallDirection { Unknown, Incoming, Outgoing };
enum class ChangeType { Unknown, Created, Updated, Deleted };
enum class OperationStatus { Unknown, NotStarted, Running, Completed, Failed };
enum class Tone {
    Unknown,
    Tone0,
    Tone1,
    Tone2,
    Tone3,
    Tone4,
    Tone5,
    Tone6,
    Tone7,
    Tone8,
    Tone9,
    Star,
    Pound,
    A,
    B,
    C,
    D,
    Flash,
};
enum class EndpointType {
    Unknown,
    Default,
    Voicemail,
    SkypeForBusiness,
    SkypeForBusinessVoipPhone,
    UnknownFutureValue,
};
enum class Modality { Unknown, Audio, Video, VideoBasedScreenSharing, Data, UnknownFutureValue };
enum class MediaDirection { Unknown, Inactive, SendOnly, ReceiveOnly, SendReceive };
enum class MediaState { Unknown, Active, Inactive };
enum class RejectReason { Unknown, None, Busy, Forbidden, UnknownFutureValue };
enum class OnlineMeetingRole {
    Unknown,
    Attendee,
    Presenter,
    Producer,
    Coorganizer,
    UnknownFutureValue
};
enum class LobbyBypassScope {
    Unknown,
    Organizer,
    Organization,
    OrganizationAndFederated,
    Everyone,
    Invited,
    OrganizationExcludingGuests,
    UnknownFutureValue,
};
enum class OnlineMeetingPresenters {
    Unknown,
    Everyone,
    Organization,
    RoleIsPresenter,
    Organizer,
    UnknownFutureValue,
};

//! The schema's spelling of a member ("transferAccepted", "Running" for operation status, ...).
//! Unknown gives an empty string.
QString wireName(CallState v);
QString wireName(CallDirection v);
QString wireName(ChangeType v);
QString wireName(OperationStatus v);
QString wireName(Tone v);
QString wireName(EndpointType v);
QString wireName(Modality v);
QString wireName(MediaDirection v);
QString wireName(MediaState v);
QString wireName(RejectReason v);
QString wireName(OnlineMeetingRole v);
QString wireName(LobbyBypassScope v);
QString wireName(OnlineMeetingPresenters v);

//! Parses a member case-insensitively. Unknown text gives E::Unknown with the text kept.
template <typename E> WireEnum<E> parseWireEnum(QStringView text);

//! The digit or symbol a tone stands for: '0'..'9', '*', '#', 'A'..'D', 'F' (flash); '?' if
//! unknown.
QChar toneChar(Tone tone);
//! The tone for a keypad character, or Tone::Unknown.
Tone toneFromChar(QChar c);

template <typename E>
WireEnum<E>::WireEnum(E v)
    : value(v)
    , text(wireName(v))
{ }

} // namespace Graph

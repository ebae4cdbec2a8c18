#pragma once

#include <QLatin1StringView>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

//! What the window asks the session to do, and what it hears back. Plain values: the widgets
//! never see Graph's JSON and never reach the network.
namespace Gui {

//! Someone to ring: a Teams user (Entra object id or UPN) or a phone number (+E.164).
struct CallTarget
{
    enum class Kind { User, Phone };
    Kind kind = Kind::User;
    QString id;
    QString displayName;
};

struct RedirectRequest
{
    QList<CallTarget> targets; //!< one, or several to ring at once (at most 25)
    int timeoutSeconds = 0; //!< 15–90; 0 = Graph's default
};

struct TransferRequest
{
    CallTarget target;
    QString replacesCallId; //!< consultative: the bot's call with the target; empty = blind
};

struct InviteRequest
{
    QList<CallTarget> participants; //!< at most 5
};

//! A call the console places: peer-to-peer (one target, a prompt to play once it is
//! established) or a group call (several targets and a subject).
struct OutboundCallRequest
{
    QList<CallTarget> targets; //!< one for a peer-to-peer call; up to 5 for a group call
    QString subject; //!< group calls only
    QUrl prompt; //!< peer-to-peer only: played once the call is established; empty = none
};

//! The keys of ActionResult::action, one per intent signal of MainWindow.
namespace ActionKeys {
inline constexpr QLatin1StringView Answer { "answer" };
inline constexpr QLatin1StringView Reject { "reject" };
inline constexpr QLatin1StringView RejectAsSpam { "rejectAsSpam" };
inline constexpr QLatin1StringView Redirect { "redirect" };
inline constexpr QLatin1StringView Transfer { "transfer" };
inline constexpr QLatin1StringView HangUp { "hangUp" };
inline constexpr QLatin1StringView PlayPrompt { "playPrompt" };
inline constexpr QLatin1StringView CollectDigits { "collectDigits" };
inline constexpr QLatin1StringView Invite { "invite" };
inline constexpr QLatin1StringView MuteParticipant { "muteParticipant" };
inline constexpr QLatin1StringView Claim { "claim" };
inline constexpr QLatin1StringView Release { "release" };
inline constexpr QLatin1StringView PlaceCall { "placeCall" };
inline constexpr QLatin1StringView GroupCall { "groupCall" };
inline constexpr QLatin1StringView CreateMeeting { "createMeeting" };
inline constexpr QLatin1StringView GetMeeting { "getMeeting" };
inline constexpr QLatin1StringView JoinMeeting { "joinMeeting" };
} // namespace ActionKeys

//! How an action ended, for the event log and the notice bar.
struct ActionResult
{
    QString callId;
    QString action; //!< "answer", "transfer", ... (untranslated key, see ActionKeys)
    bool ok = false;
    int httpStatus = 0;
    QString code; //!< Graph's error code
    QString message; //!< Graph's message
    QString requestId; //!< for support
};

enum class ConnectionStatus { Offline, Connecting, Connected, Reconnecting };

} // namespace Gui

Q_DECLARE_METATYPE(Gui::CallTarget)
Q_DECLARE_METATYPE(Gui::RedirectRequest)
Q_DECLARE_METATYPE(Gui::TransferRequest)
Q_DECLARE_METATYPE(Gui::InviteRequest)
Q_DECLARE_METATYPE(Gui::OutboundCallRequest)
Q_DECLARE_METATYPE(Gui::ActionResult)

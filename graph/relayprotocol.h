#pragma once

#include "callbook.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

//! The messages of the relay's event stream (docs/relay-protocol.md, protocol 1), shared by the
//! relay that writes them and the console that reads them.
namespace Graph::RelayProtocol {

inline constexpr int Version = 1;

//! What the relay adds to a call: the "frontdesk" object of a snapshot CALL.
struct CallMeta
{
    QDateTime firstSeenAt;
    QDateTime lastEventAt;
    QString claimedBy; //!< operator name, empty when unclaimed
    QDateTime answerDeadline; //!< when the relay's unattended policy acts; invalid when none
    QString handledBy; //!< "alice", "relay" (policy), empty
    //! (extension) Where the call is in the relay's IVR ("ivr" relay events); empty flow: never
    //! in one. Snapshots carry it as "frontdesk": {"ivr": {flow, menu, digits, status, target}}.
    QString ivrFlow;
    QString ivrMenu; //!< the menu the caller is in (or left the flow from)
    QString ivrDigits; //!< every key pressed in the flow, in order ("12")
    QString ivrStatus; //!< "menu" (in the flow), "routed", "recorded", "left"
    QString ivrTarget; //!< routed: "operators", "hangup", or the transfer target; left: who
};

struct SnapshotCall
{
    CallEntry entry;
    CallMeta meta;
};

struct OperatorInfo
{
    QString name;
    QString role; //!< "operator" | "supervisor"
};

struct Hello
{
    int protocol = Version;
    QString stream;
    qint64 seq = 0; //!< the newest seq
    OperatorInfo op;
    QString callbackUri;
    int answerDeadlineSeconds =
        0; //!< (extension) the relay's [policy] answerDeadlineSeconds; 0 = not sent
};

//! One journaled event, as the stream carries it.
struct StreamEvent
{
    enum class Type { Notification, Relay };
    Type type = Type::Notification;
    qint64 seq = 0;
    QDateTime at;
    QJsonObject notification; //!< Type::Notification: the commsNotification as received
    QJsonObject relay; //!< Type::Relay: kind, callId and the kind's fields
    QString relayKind() const { return relay.value(QLatin1StringView("kind")).toString(); }
    QString callId() const; //!< the call it concerns, when it names one
};

struct Snapshot
{
    qint64 seq = 0;
    QList<SnapshotCall> calls;
};

// ---- writing ------------------------------------------------------------------------------
QJsonObject encodeHello(const Hello &hello);
QJsonObject encodeSnapshot(const Snapshot &snapshot);
//! CALL: the call resource as merged by CallBook, plus "participants", "tones", "operations"
//! and "frontdesk".
QJsonObject encodeSnapshotCall(const SnapshotCall &call);
QJsonObject encodeEvent(const StreamEvent &event);
QString writeTimestamp(const QDateTime &at); //!< ISO-8601 UTC with milliseconds

// ---- reading (tolerant: unknown fields are ignored, a bad message gives nullopt) -----------
enum class MessageType { Unknown, Hello, Snapshot, Event, Relay };
MessageType messageType(const QJsonObject &message);
std::optional<Hello> decodeHello(const QJsonObject &message);
//! With Memory::Lean the calls come out lean (CallBook::Memory), each participant's JSON
//! dropped as it is decoded, so that a console's peak is not the whole snapshot's JSON tree.
std::optional<Snapshot> decodeSnapshot(
    const QJsonObject &message, CallBook::Memory memory = CallBook::Memory::Full);
std::optional<SnapshotCall> decodeSnapshotCall(
    const QJsonObject &call, CallBook::Memory memory = CallBook::Memory::Full);
std::optional<StreamEvent> decodeEvent(const QJsonObject &message); //!< "event" or "relay"

// ---- reading from JSON text, without the tree of the whole message (relayprotocol_text.cpp)
//! The type of the message whose JSON text this is; Unknown for text that is not a JSON object.
MessageType peekMessageType(QByteArrayView json);
//! decodeSnapshot from the message's JSON text, parsed one call at a time, so that only one
//! call's JSON tree exists at any moment: a snapshot of 100,000 participants is about 60 MB of
//! text and about 300 MB as one tree. nullopt for malformed JSON and for anything decodeSnapshot
//! refuses.
std::optional<Snapshot> decodeSnapshotText(
    QByteArrayView json, CallBook::Memory memory = CallBook::Memory::Full);

} // namespace Graph::RelayProtocol

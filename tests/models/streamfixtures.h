#pragma once

// Stream events for the model tests, made the way the relay makes them. Every notification is
// written as the JSON Graph sends (graph-notes §3), checked with Graph::decodeNotification, wrapped
// in the relay's "event" message and read back with RelayProtocol::decodeEvent. Snapshots come
// from a relay-side StreamState fed the same events, through encodeSnapshot/decodeSnapshot. So
// the tests drive the models exactly as the console's stream does, and never touch their state.

#include "graph/codec.h"
#include "graph/relayprotocol.h"
#include "graph/streamstate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include <chrono>

namespace Fixtures {

using namespace Qt::StringLiterals;
using Graph::RelayProtocol::Snapshot;
using Graph::RelayProtocol::StreamEvent;

// 2024-05-01T09:00:00Z; every instant in the model tests is relative to it.
inline QDateTime at(qint64 seconds)
{
    return QDateTime(QDate(2024, 5, 1), QTime(9, 0), QTimeZone::utc()).addSecs(seconds);
}

// Ids in Graph's lower-case GUID form; callId(n) gives distinct calls.
inline QString callId(int n)
{
    return u"491f0b00-ffff-4c6a-9b0e-%1"_s.arg(n, 12, 10, QLatin1Char('0'));
}

inline QString participantId(int n)
{
    return u"9d2c6a41-7e3b-4f05-8c1a-%1"_s.arg(n, 12, 10, QLatin1Char('0'));
}

inline const QString BotParticipant = u"2b7e4f0a-6c1d-4e8b-9a3f-0d5c7b1e2a64"_s;
inline const QString BotAppId = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;

// One identity of an identitySet: {"user": {"id", "displayName"}}.
struct Who
{
    QString kind; // "user", "phone", "guest", "application", "applicationInstance"
    QString id;
    QString name;

    static Who user(const QString &name)
    {
        return { u"user"_s, u"oid-"_s + name.toLower().replace(u' ', u'-'), name };
    }
    static Who phone(const QString &number, const QString &name = {})
    {
        return { u"phone"_s, number, name };
    }
    static Who guest(const QString &name) { return { u"guest"_s, u"guest-"_s + name, name }; }
    static Who bot() { return { u"application"_s, BotAppId, u"Frontdesk Bot"_s }; }

    QJsonObject identitySet() const
    {
        QJsonObject identity { { "@odata.type"_L1, u"#microsoft.graph.identity"_s },
            { "id"_L1, id } };
        if (!name.isEmpty())
            identity.insert("displayName"_L1, name);
        return QJsonObject {
            { "@odata.type"_L1, u"#microsoft.graph.communicationsIdentitySet"_s },
            { kind, identity },
        };
    }
};

inline QString callUrl(const QString &call)
{
    return u"/communications/calls/"_s + call;
}

// §3.2: the commsNotification envelope, with the legacy "/app/calls/..." resource beside it.
inline QJsonObject envelope(
    const QString &changeType, const QString &resourceUrl, const QJsonValue &resourceData)
{
    QJsonObject n {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, changeType },
        { "resourceUrl"_L1, resourceUrl },
        { "resourceData"_L1, resourceData },
    };
    const QString prefix = u"/communications"_s;
    if (resourceUrl.startsWith(prefix))
        n.insert("resource"_L1, QString(u"/app"_s + resourceUrl.mid(prefix.size())));
    return n;
}

inline QJsonObject resultInfo(int code, int subcode, const QString &message = {})
{
    QJsonObject r {
        { "@odata.type"_L1, u"#microsoft.graph.resultInfo"_s },
        { "code"_L1, code },
        { "subcode"_L1, subcode },
    };
    if (!message.isEmpty())
        r.insert("message"_L1, message);
    return r;
}

inline QJsonObject callData(const QString &state, QJsonObject fields = {})
{
    fields.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    fields.insert("state"_L1, state);
    return fields;
}

// §3.3: an incoming P2P call (changeType created) from `caller` to the bot.
inline QJsonObject incomingCall(const QString &call, const Who &caller)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1, caller.identitySet() },
        { "region"_L1, u"emea"_s },
        { "languageId"_L1, u"en-US"_s },
    };
    const QJsonObject target {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1, Who::bot().identitySet() },
    };
    return envelope(u"created"_s, callUrl(call),
        callData(u"incoming"_s,
            {
                { "direction"_L1, u"incoming"_s },
                { "source"_L1, source },
                { "targets"_L1, QJsonArray { target } },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "myParticipantId"_L1, BotParticipant },
                { "id"_L1, call },
            }));
}

// An outgoing call the bot placed to `callee`, as its first callback reports it.
inline QJsonObject outgoingCall(const QString &call, const Who &callee)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1, Who::bot().identitySet() },
    };
    const QJsonObject target {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1, callee.identitySet() },
    };
    return envelope(u"created"_s, callUrl(call),
        callData(u"establishing"_s,
            {
                { "direction"_L1, u"outgoing"_s },
                { "source"_L1, source },
                { "targets"_L1, QJsonArray { target } },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "myParticipantId"_L1, BotParticipant },
                { "id"_L1, call },
            }));
}

// §3.4: a state update.
inline QJsonObject callUpdated(
    const QString &call, const QString &state, const QJsonObject &fields = {})
{
    return envelope(u"updated"_s, callUrl(call), callData(state, fields));
}

// §3.4: the end of a call (changeType deleted), with its resultInfo when given.
inline QJsonObject callDeleted(const QString &call, const QJsonObject &result = {})
{
    QJsonObject fields;
    if (!result.isEmpty())
        fields.insert("resultInfo"_L1, result);
    return envelope(u"deleted"_s, callUrl(call), callData(u"terminated"_s, fields));
}

// §3.5: one roster entry.
inline QJsonObject participant(
    const QString &id, const Who &who, qint64 sequence, bool muted = false, bool inLobby = false)
{
    const QJsonObject stream {
        { "@odata.type"_L1, u"#microsoft.graph.mediaStream"_s },
        { "mediaType"_L1, u"audio"_s },
        { "sourceId"_L1, u"1"_s },
        { "direction"_L1, u"sendReceive"_s },
        { "serverMuted"_L1, false },
    };
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.participant"_s },
        { "id"_L1, id },
        { "info"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
                { "identity"_L1, who.identitySet() } } },
        { "mediaStreams"_L1, QJsonArray { stream } },
        { "isMuted"_L1, muted },
        { "isInLobby"_L1, inLobby },
        { "rosterSequenceNumber"_L1, sequence },
    };
}

inline QJsonObject botParticipant(qint64 sequence)
{
    return participant(BotParticipant, Who::bot(), sequence);
}

// §3.5: a roster update on .../participants (resourceData an array). Without delta rosters it
// is the whole roster, so whoever is missing has left.
inline QJsonObject roster(const QString &call, const QJsonArray &participants)
{
    return envelope(u"updated"_s, callUrl(call) + u"/participants"_s, participants);
}

// §3.6: a DTMF tone.
inline QJsonObject tone(const QString &call, qint64 sequenceId, const QString &name)
{
    const QJsonObject toneInfo {
        { "@odata.type"_L1, u"#microsoft.graph.toneInfo"_s },
        { "sequenceId"_L1, sequenceId },
        { "tone"_L1, name },
    };
    return callUpdated(call, u"established"_s, { { "toneInfo"_L1, toneInfo } });
}

// §3.7: an operation: running (updated), or finished (deleted) with its resultInfo.
inline QJsonObject operation(const QString &call, const QString &opId, const QString &status,
    const QJsonObject &result = {}, const QString &type = u"playPromptOperation"_s)
{
    QJsonObject data {
        { "@odata.type"_L1, QString(u"#microsoft.graph."_s + type) },
        { "id"_L1, opId },
        { "clientContext"_L1, u"hold-prompt"_s },
        { "status"_L1, status },
    };
    if (!result.isEmpty())
        data.insert("resultInfo"_L1, result);
    const bool finished = status == "completed"_L1 || status == "failed"_L1;
    return envelope(
        finished ? u"deleted"_s : u"updated"_s, callUrl(call) + u"/operations/"_s + opId, data);
}

// Round-trips a JSON object through its text, as the wire does.
inline QJsonObject throughText(const QJsonObject &o)
{
    return QJsonDocument::fromJson(QJsonDocument(o).toJson(QJsonDocument::Compact)).object();
}

//! A stand-in for the relay: it numbers events as its journal does and keeps its own
//! StreamState, so that its snapshots hold what the events said.
class Relay
{
public:
    explicit Relay(std::chrono::milliseconds answerDeadline = std::chrono::seconds(15))
        : m_state(std::chrono::minutes(10), answerDeadline)
    { }

    //! The "event" message for a commsNotification received at `when`.
    StreamEvent notify(const QDateTime &when, const QJsonObject &notification)
    {
        const QJsonObject wire = throughText(notification);
        if (const auto decoded = Graph::decodeNotification(wire); !decoded) {
            QTest::qFail(qPrintable(u"not a commsNotification: "_s + decoded.error->toString()),
                __FILE__, __LINE__);
        }
        return deliver(QJsonObject {
            { "type"_L1, u"event"_s },
            { "seq"_L1, ++m_seq },
            { "at"_L1, Graph::RelayProtocol::writeTimestamp(when) },
            { "notification"_L1, wire },
        });
    }

    //! A "relay" message: kind (claimed, released, policy, handled, expired) with its fields.
    StreamEvent relay(const QDateTime &when, const QString &kind, const QString &call,
        const QJsonObject &fields = {})
    {
        QJsonObject message = fields;
        message.insert("type"_L1, u"relay"_s);
        message.insert("seq"_L1, ++m_seq);
        message.insert("at"_L1, Graph::RelayProtocol::writeTimestamp(when));
        message.insert("kind"_L1, kind);
        message.insert("callId"_L1, call);
        return deliver(message);
    }

    //! The "snapshot" message a console gets when it connects now.
    Snapshot snapshot() const
    {
        const QJsonObject wire =
            throughText(Graph::RelayProtocol::encodeSnapshot(m_state.snapshot()));
        const auto decoded = Graph::RelayProtocol::decodeSnapshot(wire);
        if (!decoded)
            QTest::qFail("the snapshot does not decode", __FILE__, __LINE__);
        return decoded.value_or(Snapshot {});
    }

    qint64 seq() const { return m_seq; }

private:
    StreamEvent deliver(const QJsonObject &message)
    {
        const auto event = Graph::RelayProtocol::decodeEvent(throughText(message));
        if (!event) {
            QTest::qFail("the stream message does not decode", __FILE__, __LINE__);
            return {};
        }
        m_state.apply(*event);
        return *event;
    }

    Graph::StreamState m_state;
    qint64 m_seq = 0;
};

} // namespace Fixtures

Q_DECLARE_METATYPE(Graph::RelayProtocol::StreamEvent)

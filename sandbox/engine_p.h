#pragma once

// The engine's internals, shared by its translation units (engine.cpp, engine_calls.cpp,
// engine_media.cpp, engine_roster.cpp, engine_meetings.cpp, engine_state.cpp). Not part of the
// sandbox's interface.

#include "engine.h"
#include "graph/codec.h"
#include "graph/ids.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QSet>

#include <functional>
#include <initializer_list>
#include <optional>
#include <vector>

namespace Sandbox {

//! Delays before the platform reacts, in milliseconds before config.timeScale divides them.
namespace Delay {
// Invented: Graph documents none of these. They are short, keep Graph's order of callbacks,
// and get up to 20 % of seeded jitter (Engine::Private::after).
inline constexpr double Ack = 50; //!< first callback after an accepted request
inline constexpr double Establishing = 100; //!< answer/create → "establishing"
inline constexpr double Established = 200; //!< answer: establishing → established
inline constexpr double Connect = 900; //!< create: establishing → the target answers
inline constexpr double TransferStep = 1000; //!< transferring → transferAccepted (or failure)
inline constexpr double Terminated = 200; //!< terminating → terminated
inline constexpr double Redirect = 200; //!< redirect → the bot's leg ends
inline constexpr double Invite = 1000; //!< invite → the invitees join (or fail)
inline constexpr double Roster = 50; //!< mute/join/remove → roster update
// Invented, exact (no jitter) so that tests can place keys: the gap between DTMF keys, the
// length of one prompt.
inline constexpr double ToneSpacing = 100;
inline constexpr double PerPrompt = 1000;
// Graph's own limits (graph-notes §1.2, §1.7), exact.
inline constexpr double RingTimeout = 15'000;
inline constexpr double KeepAliveTimeout = 45 * 60 * 1000;
} // namespace Delay

//! One call as the platform sees it: the Graph resource plus the sandbox's bookkeeping.
struct Engine::SimCall
{
    Graph::Call call; //!< as GET returns it (never carries toneInfo)
    QList<Graph::Participant> participants; //!< the roster, bot first
    QList<Graph::CommsOperation> operations; //!< every operation, oldest first
    QString notifyUrl; //!< where its callbacks go
    bool group = false; //!< several targets, a meeting or a group invite
    bool deltaRoster = false; //!< callOptions.isDeltaRosterEnabled
    bool subscribedToTones = false;
    bool ending = false; //!< a termination is under way: the call takes no more requests
    QString pending; //!< an accepted action whose callbacks are still to come
    quint64 flow = 0; //!< bumped when a state sequence starts; older sequences stop
    quint64 keepAliveGeneration = 0;
    qint64 toneSequence = 0;
    qint64 rosterSequence = 0;
    int nextSourceId = 1;
    QList<Graph::IdentitySet> joiners; //!< who is in the call (besides the bot) once it connects
    QString remoteParticipantId; //!< the caller or the first target, once connected
    QString meetingId; //!< the onlineMeeting joined, when any
    QDateTime mediaFreeAt; //!< when queued prompts and recordings are done
    QHash<QString, QString> stopTones; //!< running recordOperation id → keys that stop it
};

struct Engine::Private
{
    struct Meeting
    {
        Graph::OnlineMeeting meeting;
        QString ownerId;
    };

    Private(Engine *engine, Graph::Clock *c, Notifier *n, quint32 seed);

    Engine *q;
    Graph::Clock *clock;
    Notifier *notifier;
    QRandomGenerator rng;
    std::vector<std::unique_ptr<SimCall>> calls; // creation order; never removed
    QHash<QString, SimCall *> callIndex; // by Graph::normalizeId
    QSet<QString> unreachable; // normalizeTarget()
    QHash<QString, Engine::CalleeBehaviour> callees; // normalizeTarget() → behaviour
    QSet<QString> meetingAccessDenied; // Graph::normalizeId
    std::vector<Meeting> meetings;
    QHash<QString, QString> recordings; // recording id → access token

    // ---- ids and time (engine.cpp)
    QString newId();
    QString randomDigits(int count);
    QString randomToken(int bytes);
    QString newThreadId();
    std::chrono::milliseconds scaled(double ms) const;
    //! Runs `fn` after an invented platform delay (scaled, with jitter).
    void after(double ms, std::function<void()> fn);
    //! Runs `fn` after exactly `ms` (scaled): Graph's timeouts and the scripted media lengths.
    void afterExactly(double ms, std::function<void()> fn);

    // ---- calls (engine.cpp)
    SimCall *find(QStringView callId) const; //!< in any state
    SimCall *live(QStringView callId) const; //!< not terminated and not ending
    SimCall &add(std::unique_ptr<SimCall> call);
    std::optional<Reply> requireState(const SimCall &c,
        std::initializer_list<Graph::CallState> states, const QString &action) const;
    std::optional<Reply> requireGroup(const SimCall &c, const QString &action) const;
    std::optional<Reply> requireServiceHostedMedia(const SimCall &c, const QString &action) const;
    Graph::IdentitySet botIdentity() const;
    Graph::IdentitySet identityOf(const Caller &who);
    bool isUnreachable(const Graph::IdentitySet &identity) const;
    //! An outgoing peer-to-peer call whose callee does not answer, is busy or fails: arranges
    //! its end and returns true (engine_callees.cpp).
    bool calleeDeclines(SimCall &c, quint64 flow);

    // ---- callbacks (engine.cpp)
    void send(SimCall &c, Graph::ChangeType type, const QString &suffix, const QJsonValue &data);
    void sendCall(SimCall &c, Graph::ChangeType type,
        const std::optional<Graph::ToneInfo> &tone = std::nullopt);
    void setState(SimCall &c, Graph::CallState state);
    //! Ends the call now with a `deleted` callback.
    void finish(SimCall &c, const Graph::ResultInfo &result);
    //! Ends the call after `delay`, through "terminating" when `viaTerminating`.
    void endCall(SimCall &c, const Graph::ResultInfo &result, bool viaTerminating,
        double delay = Delay::Ack);
    void armKeepAlive(SimCall &c);
    //! Moves the call to established and sends the first roster: the bot and c.joiners.
    void establish(SimCall &c);
    //! A callbackUri in an answer, reject or redirect body: the call notifies it from now on.
    static void adoptCallbackUri(SimCall &c, const QJsonObject &body);

    // ---- roster (engine_roster.cpp)
    Graph::Participant newParticipant(
        SimCall &c, const Graph::IdentitySet &identity, const QString &id = {});
    Graph::Participant *participant(SimCall &c, QStringView participantId);
    //! Sends a roster update: the whole roster, or with delta rosters only `changed` and
    //! `removed`. Every entry sent carries the new rosterSequenceNumber.
    void sendRoster(
        SimCall &c, const QStringList &changed, const QList<Graph::Participant> &removed = {});
    //! Removes a participant and sends the roster (after Delay::Roster).
    void removeLater(SimCall &c, const QString &participantId, const QString &reason);
    Reply setSelfMuted(SimCall &c, const QJsonObject &body, bool muted);

    // ---- operations (engine_media.cpp)
    Graph::CommsOperation newOperation(
        QStringView type, const QString &clientContext, Graph::OperationStatus status);
    Graph::CommsOperation *operation(SimCall &c, QStringView operationId);
    Reply operationReply(const SimCall &c, const Graph::CommsOperation &op) const;
    //! Finishes a running operation and sends its `deleted` callback; false when it was not
    //! running any more.
    bool completeOperation(SimCall &c, const QString &operationId, Graph::OperationStatus status,
        const Graph::ResultInfo &result);
    void completeRecording(
        SimCall &c, const QString &operationId, int subcode, const QString &message);
    void pressKey(SimCall &c, QChar key);
    //! When media queued now (prompts, recordings) of `length` will be done.
    std::chrono::milliseconds queueMedia(SimCall &c, double lengthMs);

    // ---- meetings (engine_meetings.cpp)
    QString ownerOf(const QString &userId) const;
    Meeting *meeting(QStringView meetingId);
    //! The created meeting that a call's meetingInfo (and chatInfo) names, or an error text.
    Meeting *meetingForJoin(
        const Graph::MeetingInfo &info, const Graph::ChatInfo &chat, QString *error);
    Reply createMeeting(const QString &ownerId, const QJsonObject &body);
};

// ---- shared helpers (engine.cpp) ---------------------------------------------------------

//! graph-notes §3.7: the message of an operation that completed.
inline constexpr QStringView ActionCompleted = u"Action completed successfully.";

Graph::ResultInfo resultInfo(int code, int subcode, const QString &message);
Reply badRequest(const QString &message);
Reply notFound(const QString &message);
QString normalizeTarget(QStringView idOrNumber);
//! The first member of an identitySet that has an id, for messages and unreachable checks.
QString identityId(const Graph::IdentitySet &identity);

// Request validation. Each returns what is wrong, naming the field, or nothing.
std::optional<QString> checkUrl(const QJsonObject &body, QLatin1StringView key, bool required);
std::optional<QString> checkClientContext(const QJsonObject &body);
std::optional<QString> checkInvitation(const QJsonValue &value, const QString &where);
std::optional<QString> checkInvitations(const QJsonValue &value, const QString &field, int max);
std::optional<QString> checkPrompts(
    const QJsonValue &value, const QString &field, int min, int max);

} // namespace Sandbox

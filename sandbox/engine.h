#pragma once

#include "graph/clock.h"
#include "graph/types.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

//! The sandbox's model of Microsoft Graph's calling platform: calls, participants, operations
//! and online meetings, with the lifecycles Graph shows, driven by a Clock so that tests and
//! --time-scale control its timings. It knows nothing of HTTP: SandboxServer turns requests into
//! Engine calls and Replies into responses, and a Notifier delivers its callbacks.
namespace Sandbox {

//! An answer in Graph's shape: a status, an optional JSON body, extra headers (Location).
struct Reply
{
    int status = 200;
    QJsonObject body;
    bool hasBody = false;
    QList<std::pair<QByteArray, QByteArray>> headers;

    static Reply ok(QJsonObject body);
    static Reply okEmpty(); //!< 200 without a body (keepAlive)
    static Reply created(QJsonObject body, const QString &location);
    static Reply accepted(); //!< 202, empty
    static Reply noContent(); //!< 204
    //! Graph's error shape; the server adds innerError's request-id and date.
    static Reply error(int status, const QString &code, const QString &message);
};

//! Where notifications go. The server's implementation signs and POSTs them (with chaos);
//! tests record them.
class Notifier
{
public:
    virtual ~Notifier() = default;
    virtual void notify(const QString &callbackUrl, const QJsonObject &commsNotifications) = 0;
};

struct EngineConfig
{
    QString tenantId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    QString clientId = QStringLiteral("00000000-0000-0000-0000-0000000000b0"); //!< the bot's app id
    QString botDisplayName = QStringLiteral("Frontdesk Bot");
    QString globalCallbackUrl; //!< the bot's calling webhook; incoming calls notify it
    QString baseUrl; //!< e.g. http://127.0.0.1:8765 — for Location and recording URLs
    double timeScale = 1.0; //!< >1 runs the scripted timings and Graph's timeouts faster
};

//! Who calls in, for the control API and scenarios.
struct Caller
{
    QString displayName;
    QString phone; //!< +E.164; makes an identity.phone caller
    QString userId; //!< makes an identity.user caller (a Teams user)
};

struct IncomingOptions
{
    QString to; //!< whom the caller dialled (shown as the target); the bot when empty
    bool groupInvite = false; //!< an invitation into a group call (chatInfo + meetingInfo)
    QString subject;
    int groupSize = 0; //!< for groupInvite: other participants already in the call
};

class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    //! `clock` and `notifier` must outlive the engine. `seed` makes ids and timings repeatable.
    Engine(EngineConfig config, Graph::Clock *clock, Notifier *notifier, quint32 seed,
        QObject *parent = nullptr);
    ~Engine() override;

    const EngineConfig &config() const { return m_config; }
    void setBaseUrl(const QString &baseUrl) { m_config.baseUrl = baseUrl; }
    void setGlobalCallbackUrl(const QString &url) { m_config.globalCallbackUrl = url; }
    void setTimeScale(double scale) { m_config.timeScale = scale; }

    // ---- Graph surface (graph-notes §1). Bodies are the parsed request JSON. -------------
    Reply createCall(const QJsonObject &body);
    Reply getCall(const QString &callId) const;
    Reply answer(const QString &callId, const QJsonObject &body);
    Reply reject(const QString &callId, const QJsonObject &body);
    Reply redirect(const QString &callId, const QJsonObject &body);
    Reply transfer(const QString &callId, const QJsonObject &body);
    Reply hangUp(const QString &callId);
    Reply keepAlive(const QString &callId);
    Reply playPrompt(const QString &callId, const QJsonObject &body);
    Reply subscribeToTone(const QString &callId, const QJsonObject &body);
    Reply recordResponse(const QString &callId, const QJsonObject &body);
    Reply cancelMediaProcessing(const QString &callId, const QJsonObject &body);
    Reply muteSelf(const QString &callId, const QJsonObject &body);
    Reply unmuteSelf(const QString &callId, const QJsonObject &body);
    Reply listParticipants(const QString &callId) const;
    Reply getParticipant(const QString &callId, const QString &participantId) const;
    Reply inviteParticipants(const QString &callId, const QJsonObject &body);
    Reply muteParticipant(
        const QString &callId, const QString &participantId, const QJsonObject &body);
    Reply removeParticipant(const QString &callId, const QString &participantId);
    Reply getOperation(const QString &callId, const QString &operationId) const;
    Reply createOnlineMeeting(const QString &userId, const QJsonObject &body);
    Reply createOrGetOnlineMeeting(const QString &userId, const QJsonObject &body);
    Reply getOnlineMeeting(const QString &userId, const QString &meetingId) const;
    //! GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '...'
    Reply findOnlineMeetingsByJoinUrl(const QString &userId, const QString &joinWebUrl) const;
    //! GET /communications/onlineMeetings/?$filter=VideoTeleconferenceId eq '...'
    Reply findOnlineMeetingsByVtcId(const QString &vtcId) const;

    // ---- control surface (sandbox-contract.md "Control API") ----------------------------
    //! Starts an incoming call as Graph would and returns its id.
    QString incoming(const Caller &from, const IncomingOptions &options = {});
    Reply tones(const QString &callId, const QString &keys);
    Reply remoteHangup(const QString &callId);
    //! Someone joins a group call; `inLobby` puts them in the meeting lobby until admitted.
    Reply join(const QString &callId, const Caller &who, bool inLobby = false);
    //! The organizer admits someone waiting in the lobby (Graph has no API for this: it
    //! happens in Teams); the roster update follows.
    Reply admit(const QString &callId, const QString &participantId);
    //! Transfers, invitations and outgoing calls to these user ids or numbers fail.
    void setUnreachable(const QStringList &targets);
    //! What the callee of an outgoing peer-to-peer call does (PUT /sandbox/callees).
    enum class CalleeBehaviour { Answer, NoAnswer, Busy, Fail };
    //! Outgoing calls to these user ids or numbers are not answered (408/1106 at the ring
    //! timeout), busy (486) or fail (500/7002); everyone else answers.
    void setCalleeBehaviours(const QHash<QString, CalleeBehaviour> &behaviours);
    //! Creating meetings for these organizers fails with 403, as without an application
    //! access policy.
    void setMeetingAccessDenied(const QStringList &organizerIds);
    //! Every call, participant, operation and meeting, as Graph resources.
    QJsonObject state() const;
    //! Bytes of a recording made by recordResponse (a short generated WAV), or empty.
    QByteArray recording(const QString &recordingId) const;
    //! The recordingAccessToken handed out with that recording, or empty: a server checks the
    //! bearer token of GET <recordingLocation> against it.
    QString recordingAccessToken(const QString &recordingId) const;

    int liveCallCount() const;

Q_SIGNALS:
    //! For logs: something happened to a call ("answered", "terminated 408/1106", ...).
    void callEvent(const QString &callId, const QString &what);

private:
    struct SimCall;
    struct Private;
    std::unique_ptr<Private> d;
    EngineConfig m_config;
};

} // namespace Sandbox

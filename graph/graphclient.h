#pragma once

#include "graphreply.h"
#include "retrypolicy.h"
#include "types.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Graph {

//! "frontdesk.graph": one debug line per request (method, path, status, request-id, attempt).
Q_DECLARE_LOGGING_CATEGORY(lcGraph)

class Clock;
class TokenSource;

//! Parameters of POST /communications/calls/{id}/answer.
struct AnswerParams
{
    QString callbackUri; //!< always sent (the schema makes it non-nullable)
    QList<Modality> acceptedModalities { Modality::Audio }; //!< empty sends audio
    QList<MediaInfo> preFetchMedia; //!< goes into the serviceHostedMediaConfig
    std::optional<int> participantCapacity;
};

//! Parameters of POST /communications/calls/{id}/redirect.
struct RedirectParams
{
    QList<InvitationParticipantInfo> targets; //!< more than one rings them all (max 25)
    std::optional<int> timeoutSeconds; //!< 15..90; Graph's default when absent
    QString callbackUri; //!< sent when not empty
};

//! Parameters of POST /communications/calls/{id}/transfer.
struct TransferParams
{
    InvitationParticipantInfo transferTarget; //!< replacesCallId set: consultative transfer
    std::optional<ParticipantInfo> transferee; //!< only when transferring out of a group call
};

//! Parameters of POST /communications/calls/{id}/recordResponse; unset ones are not sent.
struct RecordResponseParams
{
    QList<MediaInfo> prompts; //!< at most 1
    std::optional<bool> bargeInAllowed;
    std::optional<int> initialSilenceTimeoutInSeconds;
    std::optional<int> maxSilenceTimeoutInSeconds;
    std::optional<int> maxRecordDurationInSeconds;
    std::optional<bool> playBeep;
    QStringList stopTones; //!< "#", "*", ...
    QString clientContext;
};

//! Parameters of POST /me|users/{id}/onlineMeetings/createOrGet; unset ones are not sent.
struct CreateOrGetParams
{
    QString externalId; //!< required
    QDateTime startDateTime;
    QDateTime endDateTime;
    QString subject;
    std::optional<MeetingParticipantInfo> organizer;
    QList<MeetingParticipantInfo> attendees;
    ChatInfo chatInfo;
};

//! The one client of Microsoft Graph's calling and onlineMeetings endpoints, used by the relay
//! (against Graph, with an app token) and by the console (against the relay's Graph proxy, with
//! the operator's token).
//!
//! Every request carries `Authorization: Bearer` from the TokenSource, a new `client-request-id`
//! GUID (kept across its retries), `Accept: application/json`, and `Content-Type:
//! application/json` when it has a body. 429, 503 and 504 are retried per the RetryPolicy, with
//! `Retry-Attempt: <n>`, waiting on the Clock. A 401 invalidates the token and is retried once
//! with a fresh one. Network errors and timeouts are retried for GET only: an action may have
//! reached Graph. Errors come back as values in GraphReply::error().
//!
//! Each method returns a GraphReply owned by this client (see GraphReply for its lifetime).
//! Ids are percent-encoded into the path.
class GraphClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphClient)

public:
    using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

    //! `baseUrl` is where the version's paths start: https://graph.microsoft.com/v1.0, the
    //! relay's http://host:port/graph/v1.0 or the sandbox's http://127.0.0.1:port/v1.0. `nam`,
    //! `tokens` and `clock` must outlive the client.
    GraphClient(QNetworkAccessManager *nam, TokenSource *tokens, Clock *clock, QUrl baseUrl,
        QObject *parent = nullptr);
    ~GraphClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    RetryPolicy retryPolicy() const { return m_retryPolicy; }
    void setRetryPolicy(const RetryPolicy &policy) { m_retryPolicy = policy; }
    std::chrono::milliseconds transferTimeout() const { return m_transferTimeout; }
    //! Per HTTP attempt; 0 leaves the QNetworkAccessManager's setting. Default 30 s.
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_transferTimeout = timeout; }

    //! The URL of `pathAndQuery` ("/communications/calls/x?$select=id") under the base URL.
    QUrl urlFor(const QString &pathAndQuery) const;

    //! Any request, byte for byte: for the relay's proxy. `pathAndQuery` is appended to the
    //! base URL as it is (already percent-encoded). `extraHeaders` are set last and may
    //! override the standard ones, client-request-id included; the body is not parsed.
    GraphReply *send(const QByteArray &verb, const QString &pathAndQuery,
        const QByteArray &body = {}, const HeaderList &extraHeaders = {});

    // ---- calls (graph-notes §1, numbers 1-14)
    GraphReply *createCall(const Call &call);
    GraphReply *getCall(const QString &callId);
    GraphReply *answer(const QString &callId, const AnswerParams &params);
    GraphReply *reject(const QString &callId, RejectReason reason, const QString &callbackUri = {});
    GraphReply *redirect(const QString &callId, const RedirectParams &params);
    GraphReply *transfer(const QString &callId, const TransferParams &params);
    GraphReply *hangUp(const QString &callId);
    GraphReply *keepAlive(const QString &callId);
    GraphReply *playPrompt(
        const QString &callId, const QList<MediaInfo> &prompts, const QString &clientContext = {});
    GraphReply *subscribeToTone(const QString &callId, const QString &clientContext = {});
    GraphReply *recordResponse(const QString &callId, const RecordResponseParams &params);
    GraphReply *cancelMediaProcessing(const QString &callId, const QString &clientContext = {});
    GraphReply *mute(const QString &callId, const QString &clientContext = {});
    GraphReply *unmute(const QString &callId, const QString &clientContext = {});

    // ---- participants (15-19)
    GraphReply *listParticipants(const QString &callId);
    GraphReply *getParticipant(const QString &callId, const QString &participantId);
    GraphReply *inviteParticipants(const QString &callId,
        const QList<InvitationParticipantInfo> &participants, const QString &clientContext = {});
    GraphReply *muteParticipant(
        const QString &callId, const QString &participantId, const QString &clientContext = {});
    GraphReply *removeParticipant(const QString &callId, const QString &participantId);

    // ---- online meetings (20-23). An empty userId means /me (delegated token).
    GraphReply *createOnlineMeeting(const QString &userId, const OnlineMeeting &meeting);
    GraphReply *createMyOnlineMeeting(const OnlineMeeting &meeting);
    GraphReply *createOrGetOnlineMeeting(
        const std::optional<QString> &userId, const CreateOrGetParams &params);
    GraphReply *getOnlineMeeting(const QString &userId, const QString &meetingId);
    //! GET .../onlineMeetings?$filter=JoinWebUrl eq '<url>': a collection (of one).
    GraphReply *findOnlineMeetingByJoinUrl(const QString &userId, const QString &joinWebUrl);
    //! GET /communications/onlineMeetings/?$filter=VideoTeleconferenceId eq '<id>'.
    GraphReply *findOnlineMeetingByVideoTeleconferenceId(const QString &vtcId);

    //! A path segment, percent-encoded ("a/b c" gives "a%2Fb%20c").
    static QString segment(const QString &id);

private:
    GraphReply *start(GraphReply::Expect expect, const QByteArray &verb,
        const QString &pathAndQuery, const QByteArray &body = {},
        const HeaderList &extraHeaders = {});
    GraphReply *postJson(GraphReply::Expect expect, const QString &path, const QJsonObject &body);
    void attempt(GraphReply *reply);
    void sendHttp(GraphReply *reply);
    void onNetworkFinished(GraphReply *reply, QNetworkReply *network);
    void scheduleRetry(GraphReply *reply, std::optional<std::chrono::milliseconds> retryAfter);
    void logResult(const GraphReply *reply) const;

    QNetworkAccessManager *m_nam;
    TokenSource *m_tokens;
    Clock *m_clock;
    QUrl m_baseUrl;
    RetryPolicy m_retryPolicy;
    std::chrono::milliseconds m_transferTimeout { 30000 };
};

} // namespace Graph

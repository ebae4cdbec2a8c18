#pragma once

#include "app/relayconnection.h"
#include "graph/relayprotocol.h"
#include "graph/types.h"
#include "ui/requests.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Graph {
class Clock;
class GraphClient;
class GraphReply;
class StaticTokenSource;
} // namespace Graph

namespace Models {
class CallStore;
}

namespace App {

//! One operator's session with one relay: the event stream that feeds the CallStore, and the
//! actions the window asks for, sent to the relay's Graph proxy (`<relay>/graph/v1.0/...`, with
//! the operator's token) and to the relay's own API (claims, blocklist).
//!
//! Ownership: the session owns its RelayConnection, GraphClient and token source; it owns none of
//! what it is given. `nam`, `clock` and `store` must outlive it.
//!
//! Every action ends with actionFinished(), successful or carrying Graph's status, code, message
//! and request-id (reject as spam reports a second, failed, result when the caller could not be
//! added to the blocklist after the reject).
//! Actions are never repeated by the session; only GraphClient's own policy retries 429, 503 and
//! 504 (and a 401 once). The operator token is never logged.
class ConsoleSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSession)

public:
    //! How many of the latest events eventLatencyP95() looks at.
    static constexpr int DefaultLatencyWindow = 500;

    //! `relayUrl` is the relay's http(s) base URL. Nothing happens until start().
    explicit ConsoleSession(const QUrl &relayUrl, const QString &token, QNetworkAccessManager *nam,
        Graph::Clock *clock, Models::CallStore *store, QObject *parent = nullptr);
    ~ConsoleSession() override;

    //! Opens the event stream and starts the one-second tick on the Clock.
    void start();
    //! Closes the event stream; actions already sent still end with actionFinished().
    void stop();
    bool isStarted() const { return m_started; }

    //! A new token for the same relay (from the settings dialog): used by the next action and
    //! the next connection attempt; after authenticationFailed() it reconnects at once.
    void setToken(const QString &token);
    //! Switches to another relay: the stream starts afresh (its snapshot replaces the store's
    //! calls) and actions go there. Keeps the started state.
    void setRelay(const QUrl &relayUrl, const QString &token);

    QUrl relayUrl() const { return m_relayUrl; }
    QString operatorName() const { return m_operator.name; }
    QString operatorRole() const { return m_operator.role; } //!< "operator" | "supervisor"
    bool isSupervisor() const { return m_operator.role == QLatin1StringView("supervisor"); }
    Gui::ConnectionStatus connectionStatus() const { return m_status; }

    //! The p95 of the time from an event frame's arrival (RelayConnection's eventReceived) to
    //! the CallStore having applied it (models included), over the last latencyWindow() events.
    //! Zero before the first event.
    std::chrono::microseconds eventLatencyP95() const;
    int latencySamples() const { return int(m_latencies.size()); }
    int latencyWindow() const { return m_latencyWindow; }
    void setLatencyWindow(int events);

    //! The parts, for tests (a faster retry policy, the stream's state). Replaced by setRelay().
    RelayConnection *connection() const { return m_connection.get(); }
    Graph::GraphClient *graph() const { return m_graph.get(); }

    // ---- actions; each ends with actionFinished()
    //! Answers with service-hosted media, audio only; the relay fills in its callback URI.
    void answer(const QString &callId);
    void reject(const QString &callId); //!< reason none
    //! Rejects (reason forbidden), then adds the caller's number, or user id, to the relay's
    //! blocklist. The reject is the action's result; a blocklist failure is reported as a second,
    //! failed, "rejectAsSpam" result, and a success as a log line.
    void rejectAsSpam(const QString &callId);
    void redirect(const QString &callId, const Gui::RedirectRequest &request);
    void transfer(const QString &callId, const Gui::TransferRequest &request);
    void hangUp(const QString &callId);
    void playPrompt(const QString &callId, const QUrl &prompt);
    void collectDigits(const QString &callId); //!< subscribeToTone
    void invite(const QString &callId, const Gui::InviteRequest &request);
    void muteParticipant(const QString &callId, const QString &participantId);
    void claim(const QString &callId); //!< POST /api/calls/{id}/claim
    void release(const QString &callId); //!< DELETE /api/calls/{id}/claim

    // ---- reminders (the relay's /api/reminders); they end with the signals below
    void listReminders(); //!< GET: remindersListed or reminderRequestFailed
    //! POST `body`: reminderCreated (and a fresh list) or reminderRequestFailed.
    void createReminder(const QJsonObject &body);
    //! DELETE: a fresh list, or reminderRequestFailed.
    void cancelReminder(const QString &reminderId);
    // ---- calls the console places, and meetings; each ends with actionFinished(), whose
    // callId is the new call's id once Graph has given one (placeCall, joinMeeting).
    //! POST /communications/calls: one target is a peer-to-peer call ("placeCall"), several a
    //! group call with the request's subject ("groupCall"). Service-hosted media, audio; the
    //! relay fills in its callback URI. A prompt in the request is played (playPrompt) once the
    //! call is established, and reported as "playPrompt" like any other.
    void placeCall(const Gui::OutboundCallRequest &request);
    //! POST /users/{organizerId}/onlineMeetings; meetingCreated() follows a success.
    void createMeeting(const QString &organizerId, const Graph::OnlineMeeting &meeting);
    //! GET /users/{organizerId}/onlineMeetings/{meetingId}; meetingRefreshed() on success.
    void refreshMeeting(const QString &organizerId, const QString &meetingId);
    //! The bot joins the meeting: POST /communications/calls with its chatInfo and an
    //! organizerMeetingInfo (or, without a chat thread, its joinMeetingIdMeetingInfo).
    void joinMeeting(const QString &organizerId, const Graph::OnlineMeeting &meeting);

public Q_SLOTS:
    //! Moves time: the store drops calls past their retention, ticked() tells the item models,
    //! and a changed latency p95 is announced. start() calls it every second on the Clock.
    void tick(const QDateTime &now);

Q_SIGNALS:
    //! From the relay's hello: who the token belongs to.
    void operatorChanged(const QString &name, const QString &role);
    //! `retryInSeconds` is set while Reconnecting: when the next attempt starts.
    void connectionStatusChanged(Gui::ConnectionStatus status, int retryInSeconds);
    //! The relay refused the token; nothing is retried until setToken() or setRelay().
    void authenticationFailed();
    //! A line for the event log about the connection (translated).
    void logMessage(const QString &line);
    void actionFinished(const Gui::ActionResult &result);
    //! A call rang in (an event added it in the incoming state); not for calls in a snapshot.
    void incomingCall(const QString &callId);
    //! Every second: for CallsModel::setNow.
    void ticked(const QDateTime &now);
    void eventLatencyChanged(std::chrono::microseconds p95);
    //! The relay's reminders (GET /api/reminders's "reminders").
    void remindersListed(const QList<QJsonObject> &reminders);
    void reminderCreated(const QJsonObject &reminder);
    //! A reminder request failed; `message` is in words (with the relay's code).
    void reminderRequestFailed(const QString &message);
    //! A "reminder" relay event arrived on the stream (its fields).
    void reminderEvent(const QJsonObject &fields);
    //! Graph created the meeting (after actionFinished() reported the success).
    void meetingCreated(const QString &organizerId, const Graph::OnlineMeeting &meeting);
    void meetingRefreshed(const QString &organizerId, const Graph::OnlineMeeting &meeting);

private:
    void createClients();
    void setStatus(Gui::ConnectionStatus status, int retryInSeconds = 0);
    void onStateChanged(RelayConnection::State state);
    void onHello(const Graph::RelayProtocol::Hello &hello);
    void onSnapshot(const Graph::RelayProtocol::Snapshot &snapshot);
    void onEvent(const Graph::RelayProtocol::StreamEvent &event);
    void onCallAdded(const QString &callId);
    void scheduleTick(quint64 generation);
    void recordLatency(std::chrono::microseconds latency);

    //! Reports `reply` as `action` on `callId` when it finishes; `then` runs after the report.
    void track(Graph::GraphReply *reply, const QString &callId, const QString &action,
        std::function<void()> then = {});
    //! A request to the relay's own API (`/api/...`), reported as `action`.
    QNetworkReply *sendApi(const QByteArray &verb, const QString &path, const QByteArray &body);
    void trackApi(QNetworkReply *reply, const QString &callId, const QString &action);
    Gui::ActionResult apiResult(
        QNetworkReply *reply, const QString &callId, const QString &action) const;
    void blocklist(const QString &callId, const QString &entry);
    //! Runs a reminders request; `done` gets the reply when the relay answered 2xx.
    void reminderRequest(const QByteArray &verb, const QString &path, const QByteArray &body,
        std::function<void(const QByteArray &)> done);
    void finishAction(Gui::ActionResult result);
    //! Copies the reply's status, request-id and error into `result`.
    static void fillResult(Gui::ActionResult *result, const Graph::GraphReply *reply);
    //! Like track(), for requests whose answer matters: `done` sees the successful reply
    //! before the report and may fill in the result's call id.
    void trackReply(Graph::GraphReply *reply, const QString &action,
        std::function<void(Graph::GraphReply *, Gui::ActionResult *)> done);
    void playPendingPrompt(const QString &callId);

    QUrl m_relayUrl;
    QNetworkAccessManager *m_nam;
    Graph::Clock *m_clock;
    Models::CallStore *m_store;
    std::unique_ptr<Graph::StaticTokenSource> m_tokens;
    std::unique_ptr<Graph::GraphClient> m_graph;
    std::unique_ptr<RelayConnection> m_connection;
    // Actions waiting for Graph's answer, so that none can end unreported (see setRelay()).
    QHash<Graph::GraphReply *, Gui::ActionResult> m_pending;
    // Prompts to play on calls the console placed, once each is established (normalized id).
    QHash<QString, QUrl> m_promptsOnEstablished;

    bool m_started = false;
    bool m_everConnected = false; // "Reconnecting" rather than "Connecting" after the first time
    quint64 m_tickGeneration = 0; // a tick scheduled before stop() or a restart does nothing
    Gui::ConnectionStatus m_status = Gui::ConnectionStatus::Offline;
    int m_retryInSeconds = 0;
    Graph::RelayProtocol::OperatorInfo m_operator;

    QList<qint64> m_latencies; // microseconds, oldest first
    int m_latencyWindow = DefaultLatencyWindow;
    std::chrono::microseconds m_announcedP95 { -1 };
};

} // namespace App

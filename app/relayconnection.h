#pragma once

#include "framequeue.h"
#include "graph/clock.h"
#include "graph/relayprotocol.h"

#include <QAbstractSocket>
#include <QNetworkRequest>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace App {

//! The timing of a RelayConnection. Tests pass short or exact values here; production code
//! keeps the defaults, which follow the relay contract (a ping every 15 s, 30 s of silence
//! means a dead connection).
struct RelayConnectionTiming
{
    //! How often we ping the relay. The relay pings too, but Qt 6.4 answers those pings inside
    //! QWebSocket without telling us, so our own ping (and its pong) is what proves the
    //! connection is alive when no events flow.
    std::chrono::milliseconds ping { std::chrono::seconds(15) };
    //! No frame of any kind (message, pong) for this long, or no upgrade within it: dead.
    std::chrono::milliseconds silenceTimeout { std::chrono::seconds(30) };
    std::chrono::milliseconds retryBase { std::chrono::seconds(1) };
    //! The cap of the exponential part of a retry delay; jitter then spreads it by ±20 %.
    std::chrono::milliseconds retryMax { std::chrono::seconds(60) };
};

//! The console's end of the relay's event stream (`GET /events`, relay-contract.md): a
//! WebSocket that resumes from the last applied seq, checks that seqs rise by exactly one,
//! watches for silence and reconnects with jittered exponential backoff.
//!
//! States: Disconnected (before open(), after close() or an HTTP 401) → Connecting (the upgrade
//! is under way) → Connected (upgraded; hello, snapshot and events flow) → WaitingToRetry (the
//! connection ended; retryIn() told when the next attempt starts) → Connecting ...
//!
//! Resuming: a gap or a duplicate seq, and the relay's close code 4008 (backlog), resume at once
//! when the connection had delivered a snapshot or an event, and with backoff otherwise, so a
//! relay that fails straight away cannot make the console spin. Every other end (1001, errors,
//! silence, a protocol error) backs off.
//!
//! Time comes from the injected Graph::Clock: retries and the silence watchdog are scheduled on
//! it, so tests move time with Graph::ManualClock. Sockets still need the event loop.
class RelayConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayConnection)

public:
    enum class State { Disconnected, Connecting, Connected, WaitingToRetry };
    Q_ENUM(State)

    using Timing = RelayConnectionTiming;
    //! Returns a number in [0, 1); it spreads retry delays over 0.8…1.2 of their base.
    using RandomSource = std::function<double()>;

    //! `relayBaseUrl` is the relay's http(s) base URL; the stream is at ws(s)://host:port/events
    //! (below the base URL's path, if it has one). `clock` is not owned and must outlive this
    //! object; nullptr means the system clock.
    explicit RelayConnection(const QUrl &relayBaseUrl, Graph::Clock *clock, Timing timing = {},
        QObject *parent = nullptr);
    ~RelayConnection() override;

    //! The operator's token, sent as `Authorization: Bearer` on each upgrade request from the
    //! next one on. It is never logged. Setting it after authenticationFailed() tries again at
    //! once.
    void setToken(const QString &token);
    //! Frames are applied in passes that take their time from `budget` (see Models::PassBudget),
    //! which must outlive the connection; by default they have a budget of their own.
    void setPassBudget(Models::PassBudget *budget) { m_frames.setPassBudget(budget); }
    Models::PassBudget *passBudget() const { return m_frames.passBudget(); }
    //! Replaces the source of jitter (tests make the delays exact).
    void setRandomSource(RandomSource random);

    //! Starts connecting, or connects now when waiting to retry. Does nothing while connecting
    //! or connected.
    void open();
    //! Closes the connection and stops retrying until open() is called again.
    void close();

    State state() const { return m_state; }
    //! The seq of the last snapshot or event applied in streamId(); 0 when none yet.
    qint64 lastSeq() const { return m_lastSeq; }
    //! The stream of the last hello; empty before the first one.
    QString streamId() const { return m_streamId; }
    //! The WebSocket URL the connection uses (without the resume query).
    QUrl eventsUrl() const { return m_eventsUrl; }
    const Timing &timing() const { return m_timing; }

    //! The stream URL for a relay base URL: http→ws, https→wss, path + "/events". Invalid when
    //! the scheme is neither.
    static QUrl eventsUrlFor(const QUrl &relayBaseUrl);
    //! The delay before retry number `attempt` (0-based):
    //! min(retryMax, retryBase·2^attempt)·(0.8 + 0.4·random).
    static std::chrono::milliseconds backoffDelay(const Timing &timing, int attempt, double random);

Q_SIGNALS:
    void stateChanged(RelayConnection::State state);
    void helloReceived(const Graph::RelayProtocol::Hello &hello);
    //! Replaces everything known about the stream; events continue from snapshot.seq.
    void snapshotReceived(const Graph::RelayProtocol::Snapshot &snapshot);
    //! Emitted in strict seq order, each seq once.
    void eventReceived(const Graph::RelayProtocol::StreamEvent &event);
    //! The next connection attempt starts in `delay` (0 when it resumes at once).
    void retryIn(std::chrono::milliseconds delay);
    //! The relay refused the token (HTTP 401 on the upgrade). No retry follows until setToken()
    //! or open() is called.
    void authenticationFailed();
    //! The relay sent something this console cannot use (bad JSON, wrong protocol, an event
    //! before hello). The connection is closed and retried with backoff.
    void protocolError(const QString &message);

private:
    enum class Resume { Immediately, WithBackoff };

    void setState(State state);
    void startConnecting();
    QNetworkRequest upgradeRequest() const;

    void onConnected();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onAboutToClose();
    void onTextMessage(const QString &message);
    void handleFrame(RelayFrame &frame);
    void noteFrame();

    void handleHello(const QJsonObject &message);
    void handleSnapshot(std::optional<Graph::RelayProtocol::Snapshot> snapshot);
    void handleEvent(const std::optional<Graph::RelayProtocol::StreamEvent> &event);
    void failProtocol(const QString &message);

    //! Ends the current connection and schedules the next one. Safe to call more than once per
    //! connection: only the first call counts (m_aboutToClose).
    void dropConnection(Resume resume, const QString &why);
    void scheduleRetry(Resume resume);
    void armWatchdog();
    void watchdogTick(quint64 watchdog);

    QUrl m_eventsUrl;
    Graph::SystemClock m_systemClock;
    Graph::Clock *m_clock;
    Timing m_timing;
    RandomSource m_random;
    QWebSocket *m_socket; // child; one socket for the object's life, its signals connected once
    QString m_token;
    FrameQueue m_frames; // received, waiting for a pass of the event loop to apply them

    State m_state = State::Disconnected;
    bool m_wanted = false; // open() called and neither close() nor a 401 since
    bool m_authFailed = false;
    // Set once the current connection is over in our eyes (we aborted it, or the socket reported
    // its end). The socket keeps reporting the same end — error, then disconnected, sometimes
    // re-entrantly from abort() — and without this flag each report would schedule its own
    // retry, so an error→close→error chain would leave two reconnects running.
    bool m_aboutToClose = false;
    // The Clock cannot cancel what it scheduled, so each retry and each watchdog tick carries
    // the number it was scheduled with; when the counter has moved on, it does nothing.
    quint64 m_retry = 0;
    quint64 m_watchdog = 0;
    int m_attempt = 0;

    // What this connection has seen.
    bool m_helloSeen = false;
    bool m_progress = false; // a snapshot or an event was applied on this connection
    int m_peerCloseCode = -1; // the code of the relay's close frame, -1 when none came
    QDateTime m_lastFrameAt;
    QDateTime m_lastPingAt;

    // Where to resume. m_resumable: a snapshot or event of m_streamId was applied, so the relay
    // can continue after m_lastSeq; until then we ask without a query and get a snapshot.
    QString m_streamId;
    qint64 m_lastSeq = 0;
    bool m_resumable = false;
};

} // namespace App

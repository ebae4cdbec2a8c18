#include "relayconnection.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
namespace RP = Graph::RelayProtocol;

namespace {

Q_LOGGING_CATEGORY(lcRelay, "frontdesk.console.relay")

// relay-contract.md: the relay closes a console whose unsent backlog passed 8 MiB with 4008,
// and the console resumes from its last seq.
constexpr int BacklogCloseCode = 4008;

// Qt 6.4's QWebSocket has no status code API: a refused upgrade only shows in errorString(),
// "QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized)."
// Later Qt versions answer 401 themselves and report a missing or unsupported challenge.
bool isUnauthorized(const QString &errorString)
{
    static const QRegularExpression status(u"status code: 401\\b"_s);
    return status.match(errorString).hasMatch()
        || errorString.contains("WWW-Authenticate"_L1, Qt::CaseInsensitive)
        || errorString.contains("requires authentication"_L1, Qt::CaseInsensitive);
}

} // namespace

namespace App {

RelayConnection::RelayConnection(
    const QUrl &relayBaseUrl, Graph::Clock *clock, Timing timing, QObject *parent)
    : QObject(parent)
    , m_eventsUrl(eventsUrlFor(relayBaseUrl))
    , m_clock(clock ? clock : &m_systemClock)
    , m_timing(timing)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_frames([this](RelayFrame &frame) { handleFrame(frame); })
{
    // Connected once for the object's life. QWebSocket keeps its connections across open()
    // calls, so connecting on every attempt would add one more handler per reconnect.
    connect(m_socket, &QWebSocket::connected, this, &RelayConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &RelayConnection::onDisconnected);
    // Qt 6.4 has error(); errorOccurred() arrives in 6.5.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        &RelayConnection::onSocketError);
    connect(m_socket, &QWebSocket::aboutToClose, this, &RelayConnection::onAboutToClose);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelayConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        // The stream is JSON text; a binary frame is not for us, but it is a sign of life.
        if (!m_aboutToClose)
            noteFrame();
    });
    connect(m_socket, &QWebSocket::pong, this, [this] {
        if (!m_aboutToClose)
            noteFrame();
    });
}

RelayConnection::~RelayConnection()
{
    // The socket dies after us and says goodbye (1001) to the relay; nothing of that may reach
    // our half-destroyed self.
    m_socket->disconnect(this);
}

void RelayConnection::setToken(const QString &token)
{
    m_token = token;
    if (m_authFailed)
        open();
}

void RelayConnection::setRandomSource(RandomSource random)
{
    m_random = std::move(random);
}

void RelayConnection::open()
{
    m_wanted = true;
    m_authFailed = false;
    switch (m_state) {
    case State::Connecting:
    case State::Connected:
        return;
    case State::Disconnected:
        m_attempt = 0;
        break;
    case State::WaitingToRetry:
        break;
    }
    ++m_retry; // a retry still pending is superseded by this attempt
    startConnecting();
}

void RelayConnection::close()
{
    m_wanted = false;
    m_authFailed = false;
    ++m_retry;
    ++m_watchdog;
    m_frames.clear();
    if (!m_aboutToClose) {
        m_aboutToClose = true;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        else if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    }
    setState(State::Disconnected);
}

QUrl RelayConnection::eventsUrlFor(const QUrl &relayBaseUrl)
{
    QUrl url = relayBaseUrl.adjusted(
        QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    const QString scheme = url.scheme().toLower();
    if (scheme == "http"_L1 || scheme == "ws"_L1)
        url.setScheme(u"ws"_s);
    else if (scheme == "https"_L1 || scheme == "wss"_L1)
        url.setScheme(u"wss"_s);
    else
        return {};
    if (!url.isValid() || url.host().isEmpty())
        return {};
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (!path.endsWith("/events"_L1))
        path += "/events"_L1;
    url.setPath(path);
    return url;
}

std::chrono::milliseconds RelayConnection::backoffDelay(
    const Timing &timing, int attempt, double random)
{
    // ldexp(base, n) = base·2^n without overflowing an integer; the cap keeps it finite.
    const double grown = std::ldexp(double(timing.retryBase.count()), std::clamp(attempt, 0, 62));
    const double capped = std::min(double(timing.retryMax.count()), grown);
    const double factor = 0.8 + 0.4 * std::clamp(random, 0.0, 1.0);
    return std::chrono::milliseconds(std::llround(capped * factor));
}

void RelayConnection::setState(State state)
{
    if (m_state == state)
        return;
    qCInfo(lcRelay) << "state" << m_state << "->" << state;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QNetworkRequest RelayConnection::upgradeRequest() const
{
    QUrl url = m_eventsUrl;
    if (m_resumable) {
        QUrlQuery query;
        query.addQueryItem(u"stream"_s, m_streamId);
        query.addQueryItem(u"afterSeq"_s, QString::number(m_lastSeq));
        url.setQuery(query);
    }
    QNetworkRequest request(url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer "_ba + m_token.toUtf8());
    return request;
}

void RelayConnection::startConnecting()
{
    if (!m_eventsUrl.isValid()) {
        m_wanted = false;
        setState(State::Disconnected);
        Q_EMIT protocolError(u"The relay URL is not an http or https URL."_s);
        return;
    }
    m_aboutToClose = false;
    m_frames.clear();
    m_helloSeen = false;
    m_progress = false;
    m_peerCloseCode = -1;
    m_lastFrameAt = m_clock->now();
    m_lastPingAt = m_lastFrameAt;
    setState(State::Connecting);
    if (m_state != State::Connecting || m_aboutToClose)
        return; // a stateChanged() slot called close()

    const QNetworkRequest request = upgradeRequest();
    if (m_resumable)
        qCInfo(lcRelay) << "connecting to" << m_eventsUrl.toDisplayString() << "to resume stream"
                        << m_streamId << "after seq" << m_lastSeq;
    else
        qCInfo(lcRelay) << "connecting to" << m_eventsUrl.toDisplayString() << "for a snapshot";
    // The watchdog first, as open() may report a failure synchronously.
    armWatchdog();
    m_socket->open(request);
}

void RelayConnection::onConnected()
{
    if (m_aboutToClose)
        return;
    qCInfo(lcRelay) << "upgraded; waiting for hello";
    noteFrame();
    m_lastPingAt = m_lastFrameAt;
    setState(State::Connected);
    // Re-armed so that the ping interval counts from now rather than from the upgrade request.
    if (m_state == State::Connected && !m_aboutToClose)
        armWatchdog();
}

void RelayConnection::onAboutToClose()
{
    // QWebSocket emits aboutToClose when the relay's close frame arrives (it answers it at
    // once), but also for our own close and when the TCP connection goes. Only the first comes
    // while the WebSocket still counts as connected and before we gave the connection up, and
    // only then does closeCode() hold this connection's code rather than an older one.
    if (!m_aboutToClose && m_socket->state() == QAbstractSocket::ConnectedState)
        m_peerCloseCode = int(m_socket->closeCode());
}

void RelayConnection::onDisconnected()
{
    if (m_aboutToClose)
        return;
    if (m_peerCloseCode == BacklogCloseCode) {
        dropConnection(Resume::Immediately, u"the relay closed the stream: backlog (4008)"_s);
    } else if (m_peerCloseCode == QWebSocketProtocol::CloseCodeGoingAway) {
        dropConnection(Resume::WithBackoff, u"the relay is going away (1001)"_s);
    } else if (m_peerCloseCode >= 0) {
        dropConnection(Resume::WithBackoff,
            u"the relay closed the stream (%1 %2)"_s.arg(m_peerCloseCode)
                .arg(m_socket->closeReason()));
    } else {
        dropConnection(Resume::WithBackoff, u"the connection was lost"_s);
    }
}

void RelayConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_aboutToClose)
        return;
    const QString text = m_socket->errorString();
    if (m_state == State::Connecting && isUnauthorized(text)) {
        qCWarning(lcRelay) << "the relay refused the operator token (HTTP 401); not retrying";
        m_aboutToClose = true;
        m_wanted = false;
        m_authFailed = true;
        ++m_retry;
        ++m_watchdog;
        m_socket->abort();
        setState(State::Disconnected);
        Q_EMIT authenticationFailed();
        return;
    }
    // A close frame is followed by the end of the TCP connection, which some platforms report
    // as an error before `disconnected`; the close code decides either way.
    if (m_peerCloseCode >= 0) {
        onDisconnected();
        return;
    }
    dropConnection(Resume::WithBackoff, u"socket error %1: %2"_s.arg(int(error)).arg(text));
}

void RelayConnection::noteFrame()
{
    m_lastFrameAt = m_clock->now();
}

void RelayConnection::onTextMessage(const QString &message)
{
    // Once the connection is given up, nothing more from it counts: a frame after a gap must
    // not be applied before the resume.
    if (m_aboutToClose)
        return;
    noteFrame();
    m_frames.push(message.toUtf8());
}

void RelayConnection::handleFrame(RelayFrame &frame)
{
    // Frames still queued when the connection was given up are dropped with it; the resume
    // asks for them again.
    if (m_aboutToClose)
        return;
    if (!frame.error.isEmpty()) {
        failProtocol(
            u"The relay sent a message that is not a JSON object (%1)."_s.arg(frame.error));
        return;
    }
    switch (frame.type) {
    case RP::MessageType::Hello:
        handleHello(frame.message);
        break;
    case RP::MessageType::Snapshot:
        handleSnapshot(std::move(frame.snapshot));
        break;
    case RP::MessageType::Event:
    case RP::MessageType::Relay:
        handleEvent(frame.event);
        break;
    case RP::MessageType::Unknown:
        // The contract grows by new message types; an older console skips them.
        qCDebug(lcRelay) << "skipping a message of type"
                         << frame.message.value("type"_L1).toString();
        break;
    }
}

void RelayConnection::handleHello(const QJsonObject &message)
{
    const std::optional<RP::Hello> hello = RP::decodeHello(message);
    if (!hello) {
        failProtocol(u"The relay's hello is malformed."_s);
        return;
    }
    if (hello->protocol != RP::Version) {
        failProtocol(
            u"The relay speaks protocol %1; this console speaks protocol %2."_s.arg(hello->protocol)
                .arg(RP::Version));
        return;
    }
    if (m_helloSeen) {
        failProtocol(u"The relay sent a second hello on one connection."_s);
        return;
    }
    m_helloSeen = true;
    // The relay accepted us, so the next failure starts the backoff afresh.
    m_attempt = 0;
    if (hello->stream != m_streamId) {
        qCInfo(lcRelay) << "hello: stream" << hello->stream << "newest seq" << hello->seq
                        << (m_streamId.isEmpty() ? "(first stream)" : "(the stream changed)")
                        << "- a snapshot is due";
        // A new stream numbers its events afresh; nothing of the old one can be resumed.
        m_streamId = hello->stream;
        m_lastSeq = 0;
        m_resumable = false;
    } else if (hello->seq < m_lastSeq) {
        // Only a lost journal may take seqs back, and that comes with a new stream id. The
        // relay's next events will not follow ours; the seq check will ask it again.
        qCWarning(lcRelay) << "hello: stream" << hello->stream << "newest seq" << hello->seq
                           << "is behind the applied seq" << m_lastSeq;
    } else {
        qCInfo(lcRelay) << "hello: stream" << hello->stream << "newest seq" << hello->seq
                        << "applied" << m_lastSeq;
    }
    Q_EMIT helloReceived(*hello);
}

void RelayConnection::handleSnapshot(std::optional<RP::Snapshot> snapshot)
{
    if (!m_helloSeen) {
        failProtocol(u"The relay sent a snapshot before its hello."_s);
        return;
    }
    if (!snapshot) {
        failProtocol(u"The relay's snapshot is malformed."_s);
        return;
    }
    // The relay decides when a snapshot is due (a new stream, a resume point it no longer
    // has); whatever came before is replaced, and events continue from its seq.
    qCInfo(lcRelay) << "snapshot at seq" << snapshot->seq << "with" << snapshot->calls.size()
                    << "calls";
    m_lastSeq = snapshot->seq;
    m_resumable = true;
    m_progress = true;
    Q_EMIT snapshotReceived(*snapshot);
}

void RelayConnection::handleEvent(const std::optional<RP::StreamEvent> &event)
{
    if (!m_helloSeen) {
        failProtocol(u"The relay sent an event before its hello."_s);
        return;
    }
    if (!event) {
        failProtocol(u"The relay sent a malformed event."_s);
        return;
    }
    if (event->seq != m_lastSeq + 1) {
        // Applying out of order would corrupt the state; the relay replays from the journal
        // when we ask again after the last seq we applied.
        const QString why = event->seq <= m_lastSeq
            ? u"duplicate seq %1 after %2 dropped"_s.arg(event->seq).arg(m_lastSeq)
            : u"gap: seq %1 after %2"_s.arg(event->seq).arg(m_lastSeq);
        qCWarning(lcRelay).noquote() << why << "- resuming";
        dropConnection(Resume::Immediately, why);
        return;
    }
    m_lastSeq = event->seq;
    m_resumable = true;
    m_progress = true;
    qCDebug(lcRelay) << "seq" << m_lastSeq;
    Q_EMIT eventReceived(*event);
}

void RelayConnection::failProtocol(const QString &message)
{
    qCWarning(lcRelay).noquote() << "protocol error:" << message;
    dropConnection(Resume::WithBackoff, message);
    Q_EMIT protocolError(message);
}

void RelayConnection::dropConnection(Resume resume, const QString &why)
{
    if (m_aboutToClose)
        return;
    m_aboutToClose = true;
    m_frames.clear();
    ++m_watchdog;
    qCInfo(lcRelay).noquote() << "connection ended:" << why;
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort(); // re-enters onDisconnected/onSocketError, which m_aboutToClose stops
    scheduleRetry(resume);
}

void RelayConnection::scheduleRetry(Resume resume)
{
    if (!m_wanted) {
        setState(State::Disconnected);
        return;
    }
    // A connection that delivered something earns an immediate resume. One that delivered
    // nothing backs off, so a relay that fails the same way at once cannot make us spin.
    std::chrono::milliseconds delay(0);
    if (resume == Resume::WithBackoff || !m_progress) {
        delay = backoffDelay(m_timing, m_attempt, m_random ? m_random() : 0.5);
        m_attempt = std::min(m_attempt + 1, 62);
    }
    const quint64 retry = ++m_retry;
    setState(State::WaitingToRetry);
    qCInfo(lcRelay) << "reconnecting in" << delay.count() << "ms";
    Q_EMIT retryIn(delay);
    if (retry != m_retry || m_state != State::WaitingToRetry)
        return; // a slot called open() or close()

    auto fire = [this, retry] {
        if (retry == m_retry && m_state == State::WaitingToRetry)
            startConnecting();
    };
    if (delay.count() == 0) {
        // Queued rather than called: we may be inside the socket's own signal.
        QTimer::singleShot(0, this, std::move(fire));
    } else {
        m_clock->schedule(delay, this, std::move(fire));
    }
}

void RelayConnection::armWatchdog()
{
    const quint64 watchdog = ++m_watchdog;
    const QDateTime now = m_clock->now();
    QDateTime due = m_lastFrameAt.addMSecs(m_timing.silenceTimeout.count());
    if (m_state == State::Connected)
        due = std::min(due, m_lastPingAt.addMSecs(m_timing.ping.count()));
    // At least 1 ms, so that a tick that is due can never reschedule itself at the same instant.
    const auto delay = std::chrono::milliseconds(std::max<qint64>(1, now.msecsTo(due)));
    m_clock->schedule(delay, this, [this, watchdog] { watchdogTick(watchdog); });
}

void RelayConnection::watchdogTick(quint64 watchdog)
{
    if (watchdog != m_watchdog || m_aboutToClose
        || (m_state != State::Connecting && m_state != State::Connected))
        return;
    const QDateTime now = m_clock->now();
    const qint64 silentMs = m_lastFrameAt.msecsTo(now);
    if (silentMs >= m_timing.silenceTimeout.count()) {
        dropConnection(Resume::WithBackoff,
            m_state == State::Connecting
                ? u"no upgrade within %1 ms"_s.arg(silentMs)
                : u"nothing heard from the relay for %1 ms"_s.arg(silentMs));
        return;
    }
    if (m_state == State::Connected && m_lastPingAt.msecsTo(now) >= m_timing.ping.count()) {
        m_lastPingAt = now;
        m_socket->ping();
    }
    armWatchdog();
}

} // namespace App

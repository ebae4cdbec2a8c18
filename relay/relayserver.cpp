#include "relayserver.h"

#include "eventhub.h"
#include "graph/codec.h"
#include "journal.h"
#include "jwksprovider.h"
#include "metrics.h"
#include "operators.h"
#include "relaystate.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <memory>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponder::StatusCode;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcCallbacks, "frontdesk.relay.callbacks")
Q_LOGGING_CATEGORY(lcHttp, "frontdesk.relay.http")

// A request head (request line and headers) larger than this is refused outright.
constexpr qsizetype MaxHeadBytes = 64 * 1024;
// Chunk-size lines and trailers are short; anything longer is not HTTP.
constexpr qsizetype MaxLineBytes = 4096;
// What a refused connection may still send us (discarded) before we cut it.
constexpr std::chrono::seconds LingerTime { 2 };

QByteArray errorJson(const QString &code, const QString &message)
{
    const QJsonObject error { { "code"_L1, code }, { "message"_L1, message } };
    return QJsonDocument(QJsonObject { { "error"_L1, error } }).toJson(QJsonDocument::Compact);
}

QByteArrayView bearerToken(QByteArrayView authorization)
{
    const QByteArrayView value = authorization.trimmed();
    constexpr QByteArrayView scheme = "Bearer ";
    if (value.size() <= scheme.size()
        || value.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return {};
    return value.sliced(scheme.size()).trimmed();
}

bool isJson(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView type =
        (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
    return type.compare("application/json", Qt::CaseInsensitive) == 0;
}

// Follows the HTTP/1.1 framing of the bytes a connection sends, as they arrive and before
// QHttpServer reads them, so that a body over the limit is refused without being buffered.
// QHttpServer 6.4 keeps a whole request (and a copy of its body) in memory before any handler
// runs, and has no limit of its own.
class RequestFraming final
{
public:
    enum class Verdict { Continue, TooLarge, HeadTooLarge, Stop };

    explicit RequestFraming(qint64 maxBodyBytes)
        : m_maxBody(maxBodyBytes)
    { }

    //! Bytes QHttpServer left unread after its last pass (they were fed here already).
    qint64 unread = 0;
    QByteArray path; //!< of the request being received
    qint64 declaredLength = -1;

    bool stopped() const { return m_phase == Phase::Passthrough; }

    Verdict feed(QByteArrayView data)
    {
        while (!data.isEmpty()) {
            switch (m_phase) {
            case Phase::Passthrough:
                return Verdict::Stop;
            case Phase::Head: {
                if (m_head.isEmpty()) {
                    // Line breaks between requests are skipped, as QHttpServer does.
                    while (!data.isEmpty() && (data.front() == '\r' || data.front() == '\n'))
                        data = data.sliced(1);
                    if (data.isEmpty())
                        return Verdict::Continue;
                }
                const qsizetype before = m_head.size();
                m_head.append(data);
                qsizetype end = m_head.indexOf("\r\n\r\n");
                qsizetype endLength = 4;
                const qsizetype lf = m_head.indexOf("\n\n");
                if (lf >= 0 && (end < 0 || lf < end)) {
                    end = lf;
                    endLength = 2;
                }
                if (end < 0) {
                    if (m_head.size() > MaxHeadBytes)
                        return Verdict::HeadTooLarge;
                    return Verdict::Continue;
                }
                const qsizetype consumed = end + endLength - before;
                const Verdict verdict = parseHead(QByteArrayView(m_head).first(end));
                m_head.clear();
                if (verdict != Verdict::Continue)
                    return verdict;
                data = data.sliced(consumed);
                break;
            }
            case Phase::Body: {
                const qint64 n = std::min<qint64>(m_remaining, data.size());
                m_remaining -= n;
                data = data.sliced(n);
                if (m_remaining == 0)
                    m_phase = Phase::Head;
                break;
            }
            case Phase::Chunked: {
                // Raw bytes count, framing included: QHttpServer buffers them all.
                m_chunkedBytes += data.size();
                if (m_chunkedBytes > m_maxBody + MaxHeadBytes)
                    return Verdict::TooLarge;
                data = feedChunked(data);
                break;
            }
            }
        }
        return Verdict::Continue;
    }

private:
    enum class Phase { Head, Body, Chunked, Passthrough };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    Verdict parseHead(QByteArrayView head)
    {
        const QList<QByteArray> lines = head.toByteArray().split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        path = requestLine.value(1);
        const qsizetype query = path.indexOf('?');
        if (query >= 0)
            path.truncate(query);
        declaredLength = -1;
        bool chunked = false;
        bool upgrade = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines[i];
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.first(colon).trimmed().toLower();
            const QByteArray value = line.sliced(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                const qint64 length = value.toLongLong(&ok);
                declaredLength = ok ? length : -1;
            } else if (name == "transfer-encoding") {
                chunked = value.toLower().contains("chunked");
            } else if (name == "connection") {
                upgrade = value.toLower().contains("upgrade");
            }
        }
        if (upgrade) {
            // A WebSocket from here on (or a refusal and a close): no more HTTP bodies.
            m_phase = Phase::Passthrough;
            return Verdict::Stop;
        }
        if (chunked) {
            m_phase = Phase::Chunked;
            m_chunk = ChunkState::Size;
            m_chunkedBytes = 0;
            m_line.clear();
            return Verdict::Continue;
        }
        if (declaredLength > m_maxBody)
            return Verdict::TooLarge;
        if (declaredLength > 0) {
            m_phase = Phase::Body;
            m_remaining = declaredLength;
        }
        return Verdict::Continue;
    }

    // Returns what follows the end of the chunked body, if it ended.
    QByteArrayView feedChunked(QByteArrayView data)
    {
        while (!data.isEmpty()) {
            if (m_chunk == ChunkState::Data) {
                const qint64 n = std::min<qint64>(m_remaining, data.size());
                m_remaining -= n;
                data = data.sliced(n);
                if (m_remaining == 0)
                    m_chunk = ChunkState::DataEnd;
                continue;
            }
            const qsizetype lf = data.indexOf('\n');
            m_line.append(lf < 0 ? data : data.first(lf));
            if (m_line.size() > MaxLineBytes) {
                // Not HTTP: leave it to QHttpServer's parser, the byte count still applies.
                m_line.clear();
                return {};
            }
            if (lf < 0)
                return {};
            data = data.sliced(lf + 1);
            const QByteArray line = std::exchange(m_line, {}).trimmed();
            switch (m_chunk) {
            case ChunkState::Size: {
                bool ok = false;
                const qsizetype semicolon = line.indexOf(';');
                m_remaining =
                    (semicolon < 0 ? line : line.first(semicolon)).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0)
                    m_remaining = 0;
                m_chunk = m_remaining > 0 ? ChunkState::Data : ChunkState::Trailer;
                break;
            }
            case ChunkState::DataEnd:
                m_chunk = ChunkState::Size;
                break;
            case ChunkState::Trailer:
                if (line.isEmpty()) {
                    m_phase = Phase::Head;
                    m_chunkedBytes = 0;
                    // The caller counted `data` as chunked bytes; it belongs to the next request.
                    return data;
                }
                break;
            case ChunkState::Data:
                break;
            }
        }
        return {};
    }

    qint64 m_maxBody;
    Phase m_phase = Phase::Head;
    QByteArray m_head;
    qint64 m_remaining = 0;
    ChunkState m_chunk = ChunkState::Size;
    QByteArray m_line;
    qint64 m_chunkedBytes = 0;
};

// The relay's listening socket. Every connection it accepts is watched by a RequestFraming
// before QHttpServer reads from it: readyRead reaches our slot first (it was connected first),
// and a second slot, connected after QHttpServer's, notes what QHttpServer left unread.
class LimitedTcpServer final : public QTcpServer
{
    Q_DISABLE_COPY_MOVE(LimitedTcpServer)
public:
    using Refused = std::function<void(const QByteArray &path, int status, qint64 declared)>;

    LimitedTcpServer(qint64 maxBodyBytes, Refused refused)
        : m_maxBody(maxBodyBytes)
        , m_refused(std::move(refused))
    { }

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            return;
        }
        auto framing = std::make_shared<RequestFraming>(m_maxBody);
        connect(socket, &QTcpSocket::readyRead, socket,
            [this, socket, framing] { inspect(socket, *framing); });
        addPendingConnection(socket); // QHttpServer connects its reader in here
        connect(socket, &QTcpSocket::readyRead, socket,
            [socket, framing] { framing->unread = socket->bytesAvailable(); });
    }

private:
    void inspect(QTcpSocket *socket, RequestFraming &framing)
    {
        if (framing.stopped())
            return;
        const qint64 available = socket->bytesAvailable();
        if (available <= framing.unread) {
            framing.unread = available;
            return;
        }
        const QByteArray fresh = socket->peek(available).sliced(framing.unread);
        framing.unread = available;
        switch (framing.feed(fresh)) {
        case RequestFraming::Verdict::Continue:
            return;
        case RequestFraming::Verdict::Stop:
            // An upgrade: QHttpServer hands the socket to its WebSocket server (or refuses it
            // and closes); there are no more HTTP bodies to watch.
            return;
        case RequestFraming::Verdict::TooLarge:
            refuse(socket, StatusCode::PayloadTooLarge, "Payload Too Large",
                errorJson(u"payloadTooLarge"_s, u"the body is over %1 bytes"_s.arg(m_maxBody)));
            m_refused(framing.path, 413, framing.declaredLength);
            return;
        case RequestFraming::Verdict::HeadTooLarge:
            refuse(socket, StatusCode::RequestHeaderFieldsTooLarge,
                "Request Header Fields Too Large",
                errorJson(u"headersTooLarge"_s, u"the request head is too large"_s));
            m_refused(framing.path, 431, -1);
            return;
        }
    }

    // Answers and closes without reading the rest: QHttpServer never sees this request.
    static void refuse(
        QTcpSocket *socket, StatusCode status, QByteArrayView reason, const QByteArray &body)
    {
        // Disconnecting during the emission keeps QHttpServer's slot from running at all.
        disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        if (socket->isTransactionStarted())
            socket->commitTransaction();
        socket->skip(socket->bytesAvailable());
        // Discard whatever else arrives: closing a socket with unread input would reset the
        // connection, and the client could lose our answer.
        connect(socket, &QTcpSocket::readyRead, socket,
            [socket] { socket->skip(socket->bytesAvailable()); });
        QByteArray response("HTTP/1.1 ");
        response.append(QByteArray::number(int(status))).append(' ').append(reason);
        response.append("\r\nContent-Type: application/json\r\nContent-Length: ");
        response.append(QByteArray::number(body.size()));
        response.append("\r\nConnection: close\r\n\r\n").append(body);
        socket->write(response);
        socket->flush();
        auto halfClose = [socket] {
#ifdef Q_OS_UNIX
            // Our side is done; the peer sees the end of the response at once.
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
#else
            socket->disconnectFromHost();
#endif
        };
        if (socket->bytesToWrite() == 0)
            halfClose();
        else
            connect(socket, &QTcpSocket::bytesWritten, socket, [socket, halfClose] {
                if (socket->bytesToWrite() == 0)
                    halfClose();
            });
        QTimer::singleShot(LingerTime, socket, [socket] { socket->abort(); });
    }

    qint64 m_maxBody;
    Refused m_refused;
};

// The /events rule: it matches only when the upgrade request carries a valid operator token, so
// that QHttpServer 6.4 upgrades nothing else; the missing handler answers 401 instead.
class EventsRule final : public QHttpServerRouterRule
{
public:
    EventsRule(const QString &pattern, QHttpServerRequest::Methods methods,
        const OperatorDirectory *operators, RouterHandler handler)
        : QHttpServerRouterRule(pattern, methods, std::move(handler))
        , m_operators(operators)
    { }

protected:
    bool matches(const QHttpServerRequest &request, QRegularExpressionMatch *match) const override
    {
        return QHttpServerRouterRule::matches(request, match)
            && m_operators->authenticateHeader(request.value("Authorization")).has_value();
    }

private:
    const OperatorDirectory *m_operators;
};

struct PendingCallback
{
    explicit PendingCallback(QHttpServerResponder &&r)
        : responder(std::move(r))
        , socket(responder.socket())
    { }
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket; // the responder does not notice the connection going away
    CallbackRequest request;
    QElapsedTimer received;
};

} // namespace

CallbackCheck checkCallback(
    const CallbackRequest &request, const Graph::Jwks &keys, const CallbackOptions &options)
{
    CallbackCheck check;
    auto refuse = [&check](int status, const char *result, QString reason) {
        check.status = status;
        check.result = QString::fromLatin1(result);
        check.reason = std::move(reason);
        return check;
    };
    if (options.maxBodyBytes > 0 && request.body.size() > options.maxBodyBytes)
        return refuse(413, "too_large", u"the body is over %1 bytes"_s.arg(options.maxBodyBytes));
    if (!isJson(request.contentType))
        return refuse(415, "unsupported_media_type", u"the body must be application/json"_s);

    const QByteArrayView token = bearerToken(request.authorization);
    if (token.isEmpty())
        return refuse(401, "unauthorized", u"no bearer token"_s);
    Graph::JwtVerifyOptions verify;
    verify.issuers = options.issuers;
    verify.audience = options.audience;
    verify.skew = std::chrono::seconds(60);
    verify.now = options.now;
    verify.requireTenant = true;
    const Graph::JwtResult jwt = Graph::verifyJwt(token, keys, verify);
    if (!jwt.ok()) {
        check.jwtError = jwt.error;
        return refuse(401, "unauthorized", u"token refused: %1"_s.arg(Graph::toString(jwt.error)));
    }

    const Graph::Decoded<Graph::CommsNotifications> decoded =
        Graph::decodeNotifications(request.body);
    if (!decoded)
        return refuse(400, "bad_request", decoded.error->toString());
    for (const Graph::CommsNotification &n : decoded.value.value) {
        check.notifications.append(n.raw);
        check.callIds.append(n.callId);
    }
    check.status = 202;
    check.result = u"accepted"_s;
    return check;
}

QString missingKeyId(const QByteArray &authorization, const Graph::Jwks &keys)
{
    const QByteArrayView token = bearerToken(authorization);
    if (token.isEmpty())
        return {};
    const auto claims = Graph::peekJwt(token);
    if (!claims || claims->kid.isEmpty() || keys.contains(claims->kid))
        return {};
    return claims->kid;
}

struct RelayServer::Private
{
    RelayServer *q = nullptr;
    Parts parts;
    QHttpServer *http = nullptr;
    QPointer<LimitedTcpServer> tcp;

    void handleCallback(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void finishCallback(PendingCallback &pending, const Graph::Jwks &keys);
    void answer(PendingCallback &pending, int status, const QByteArray &body);
    void acceptConsoles();
};

RelayServer::RelayServer(Parts parts, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->parts = parts;
    d->http = new QHttpServer(this);
    Private *p = d.get();

    d->http->route(u"/callbacks"_s, QHttpServerRequest::Method::Post,
        [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            p->handleCallback(request, std::move(responder));
        });
    d->http->route<EventsRule>(u"/events"_s, QHttpServerRequest::Method::Get, d->parts.operators,
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            // An authenticated upgrade: QHttpServer passes the socket on to its WebSocket
            // server once we return, so nothing may be written here.
            if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
                return;
            responder.write(errorJson(u"upgradeRequired"_s, u"/events is a WebSocket"_s),
                { { "Content-Type", "application/json" }, { "Upgrade", "websocket" } },
                StatusCode::UpgradeRequired);
        });
    d->http->route(u"/healthz"_s, QHttpServerRequest::Method::Get, [p] {
        return QHttpServerResponse(
            QJsonObject { { "status"_L1, u"ok"_s }, { "seq"_L1, p->parts.journal->lastSeq() } });
    });
    d->http->route(u"/metrics"_s, QHttpServerRequest::Method::Get, [p] {
        return QHttpServerResponse(
            QByteArrayLiteral("text/plain; version=0.0.4"), p->parts.metrics->prometheusText());
    });
    d->http->setMissingHandler([](const QHttpServerRequest &request,
                                   QHttpServerResponder &&responder) {
        if (request.url().path() == "/events"_L1
            && request.method() == QHttpServerRequest::Method::Get) {
            responder.write(errorJson(u"unauthorized"_s, u"a valid operator token is required"_s),
                { { "Content-Type", "application/json" }, { "WWW-Authenticate", "Bearer" } },
                StatusCode::Unauthorized);
            return;
        }
        responder.write(errorJson(u"notFound"_s, u"no such resource"_s),
            { { "Content-Type", "application/json" } }, StatusCode::NotFound);
    });
    connect(
        d->http, &QAbstractHttpServer::newWebSocketConnection, this, [p] { p->acceptConsoles(); });
}

RelayServer::~RelayServer() = default;

bool RelayServer::listen(const QHostAddress &host, quint16 port, QString *error)
{
    Private *p = d.get();
    auto *tcp = new LimitedTcpServer(
        d->parts.config->maxBodyBytes, [p](const QByteArray &path, int status, qint64 declared) {
            if (path != "/callbacks")
                return;
            p->parts.metrics->countCallback(
                status == 413 ? u"too_large"_s : u"headers_too_large"_s);
            qCInfo(lcCallbacks).noquote()
                << u"callback %1 refused on the socket: declared length %2, limit %3"_s.arg(status)
                       .arg(declared)
                       .arg(p->parts.config->maxBodyBytes);
        });
    if (!tcp->listen(host, port)) {
        if (error)
            *error = u"cannot listen on %1:%2: %3"_s.arg(host.toString())
                         .arg(port)
                         .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    d->http->bind(tcp);
    d->tcp = tcp;
    return true;
}

QUrl RelayServer::baseUrl() const
{
    if (!d->tcp)
        return {};
    QHostAddress address = d->tcp->serverAddress();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(address.toString());
    url.setPort(d->tcp->serverPort());
    return url;
}

void RelayServer::stopAccepting()
{
    if (d->tcp)
        d->tcp->close();
}

QHttpServer *RelayServer::http() const
{
    return d->http;
}

void RelayServer::Private::handleCallback(
    const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    auto pending = std::make_shared<PendingCallback>(std::move(responder));
    pending->received.start();
    pending->request.contentType = request.value("Content-Type");
    pending->request.authorization = request.value("Authorization");
    pending->request.body = request.body();

    // A request refused before its token is looked at never causes a refetch.
    const QString kid = isJson(pending->request.contentType)
        ? missingKeyId(pending->request.authorization, parts.jwks->keys())
        : QString();
    if (kid.isEmpty()) {
        finishCallback(*pending, parts.jwks->keys());
        return;
    }
    // The key set may have rotated: refetch (at most once a minute) and judge afterwards,
    // without holding up the event loop.
    parts.jwks->withKey(
        kid, q, [this, pending](const Graph::Jwks &keys) { finishCallback(*pending, keys); });
}

void RelayServer::Private::finishCallback(PendingCallback &pending, const Graph::Jwks &keys)
{
    CallbackOptions options;
    options.issuers = parts.config->issuers;
    options.audience = parts.config->clientId;
    options.now = parts.clock->now();
    options.maxBodyBytes = parts.config->maxBodyBytes;
    const CallbackCheck check = checkCallback(pending.request, keys, options);

    auto elapsedMs = [&pending] { return double(pending.received.nsecsElapsed()) / 1e6; };
    QStringList calls = check.callIds; // for the log: each call once
    calls.removeDuplicates();
    if (check.status != 202) {
        parts.metrics->countCallback(check.result);
        answer(pending, check.status, errorJson(check.result, check.reason));
        qCInfo(lcCallbacks).noquote()
            << u"callback %1 %2 (%3): 0 notifications, %4 ms"_s.arg(check.status)
                   .arg(check.result, check.reason)
                   .arg(elapsedMs(), 0, 'f', 1);
        return;
    }

    QList<StreamEvent> events;
    events.reserve(check.notifications.size());
    const QDateTime now = parts.clock->now();
    for (const QJsonObject &notification : check.notifications) {
        StreamEvent event;
        event.type = StreamEvent::Type::Notification;
        event.at = now;
        event.notification = notification;
        events.append(std::move(event));
    }
    QString error;
    if (!events.isEmpty() && !parts.journal->append(events, &error)) {
        parts.metrics->countCallback(u"journal_error"_s);
        answer(pending, 500, errorJson(u"journal_error"_s, u"the event could not be stored"_s));
        qCWarning(lcCallbacks).noquote()
            << u"callback 500 journal_error: %1 notifications for calls [%2] not stored (%3), %4 ms"_s
                   .arg(events.size())
                   .arg(calls.join(u", "_s), error)
                   .arg(elapsedMs(), 0, 'f', 1);
        return;
    }
    for (const StreamEvent &event : std::as_const(events))
        parts.state->apply(event);
    parts.hub->broadcast(events);
    parts.metrics->countEvents(int(events.size()));
    parts.metrics->observeCallbackToBroadcast(
        std::chrono::microseconds(pending.received.nsecsElapsed() / 1000));
    parts.metrics->countCallback(check.result);
    if (!events.isEmpty())
        Q_EMIT q->eventsAppended(events.size());
    answer(pending, 202, {});
    const QString seqs = events.isEmpty()
        ? u"-"_s
        : u"%1..%2"_s.arg(events.constFirst().seq).arg(events.constLast().seq);
    qCInfo(lcCallbacks).noquote()
        << u"callback 202 accepted: %1 notifications, calls [%2], seq %3, %4 ms"_s
               .arg(events.size())
               .arg(calls.join(u", "_s), seqs)
               .arg(elapsedMs(), 0, 'f', 1);
}

void RelayServer::Private::answer(PendingCallback &pending, int status, const QByteArray &body)
{
    if (!pending.socket || pending.socket->state() != QAbstractSocket::ConnectedState)
        return; // the sender went away; Graph retries what it did not see answered
    if (body.isEmpty()) {
        pending.responder.write(QHttpServerResponder::HeaderList {}, StatusCode(status));
    } else if (status == 401) {
        pending.responder.write(body,
            { { "Content-Type", "application/json" }, { "WWW-Authenticate", "Bearer" } },
            StatusCode(status));
    } else {
        pending.responder.write(
            body, { { "Content-Type", "application/json" } }, StatusCode(status));
    }
}

void RelayServer::Private::acceptConsoles()
{
    while (http->hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = http->nextPendingWebSocketConnection();
        if (!socket)
            break;
        // The route let only authenticated upgrades through; the headers are still at hand.
        const auto op =
            parts.operators->authenticateHeader(socket->request().rawHeader("Authorization"));
        if (!op) {
            qCWarning(lcHttp) << "WebSocket without a valid token from"
                              << socket->peerAddress().toString();
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"unauthorized"_s);
            socket.release()->deleteLater();
            continue;
        }
        const QUrlQuery query(socket->request().url());
        const QString stream = query.queryItemValue(u"stream"_s);
        bool ok = false;
        qint64 afterSeq = query.queryItemValue(u"afterSeq"_s).toLongLong(&ok);
        if (!ok || afterSeq < 0)
            afterSeq = -1;
        parts.hub->addConsole(std::move(socket), *op, stream, afterSeq);
    }
}

} // namespace Relay

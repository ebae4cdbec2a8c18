#include "relayserver.h"

#include "eventhub.h"
#include "eventpublisher.h"
#include "graph/codec.h"
#include "journal.h"
#include "jwksprovider.h"
#include "limitedtcpserver.h"
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
#include <utility>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponder::StatusCode;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcCallbacks, "frontdesk.relay.callbacks")
Q_LOGGING_CATEGORY(lcHttp, "frontdesk.relay.http")

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
    const Graph::JwtResult jwt = options.verifier ? options.verifier->verify(token, keys, verify)
                                                  : Graph::verifyJwt(token, keys, verify);
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
    // The header alone: this runs for every callback, before the token is verified.
    const QString kid = Graph::peekJwtKeyId(token);
    if (kid.isEmpty() || keys.contains(kid))
        return {};
    return kid;
}

struct RelayServer::Private
{
    RelayServer *q = nullptr;
    Parts parts;
    Graph::JwtVerifier verifier;
    QHttpServer *http = nullptr;
    QPointer<QTcpServer> tcp;

    //! An accepted callback whose notifications wait for the next group commit.
    struct Ready
    {
        std::shared_ptr<PendingCallback> pending;
        QList<StreamEvent> events;
        QStringList calls; // for the log, each call once
        QString result;
    };
    QList<Ready> ready;
    bool commitQueued = false;

    void handleCallback(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void finishCallback(const std::shared_ptr<PendingCallback> &pending, const Graph::Jwks &keys);
    void commitReady();
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
            responder.write(httpErrorJson(u"upgradeRequired"_s, u"/events is a WebSocket"_s),
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
    d->http->setMissingHandler(
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            if (request.url().path() == "/events"_L1
                && request.method() == QHttpServerRequest::Method::Get) {
                responder.write(
                    httpErrorJson(u"unauthorized"_s, u"a valid operator token is required"_s),
                    { { "Content-Type", "application/json" }, { "WWW-Authenticate", "Bearer" } },
                    StatusCode::Unauthorized);
                return;
            }
            responder.write(httpErrorJson(u"notFound"_s, u"no such resource"_s),
                { { "Content-Type", "application/json" } }, StatusCode::NotFound);
        });
    connect(
        d->http, &QAbstractHttpServer::newWebSocketConnection, this, [p] { p->acceptConsoles(); });
}

RelayServer::~RelayServer() = default;

bool RelayServer::listen(const QHostAddress &host, quint16 port, QString *error)
{
    Private *p = d.get();
    QTcpServer *tcp = makeLimitedTcpServer(
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
        finishCallback(pending, parts.jwks->keys());
        return;
    }
    // The key set may have rotated: refetch (at most once a minute) and judge afterwards,
    // without holding up the event loop.
    parts.jwks->withKey(
        kid, q, [this, pending](const Graph::Jwks &keys) { finishCallback(pending, keys); });
}

void RelayServer::Private::finishCallback(
    const std::shared_ptr<PendingCallback> &shared, const Graph::Jwks &keys)
{
    PendingCallback &pending = *shared;
    CallbackOptions options;
    options.issuers = parts.config->issuers;
    options.audience = parts.config->clientId;
    options.now = parts.clock->now();
    options.maxBodyBytes = parts.config->maxBodyBytes;
    options.verifier = &verifier;
    const CallbackCheck check = checkCallback(pending.request, keys, options);

    auto elapsedMs = [&pending] { return double(pending.received.nsecsElapsed()) / 1e6; };
    QStringList calls = check.callIds; // for the log: each call once
    calls.removeDuplicates();
    if (check.status != 202) {
        parts.metrics->countCallback(check.result);
        answer(pending, check.status, httpErrorJson(check.result, check.reason));
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
    if (events.isEmpty()) {
        parts.metrics->countCallback(check.result);
        answer(pending, 202, {});
        qCInfo(lcCallbacks).noquote()
            << u"callback 202 accepted: 0 notifications, %1 ms"_s.arg(elapsedMs(), 0, 'f', 1);
        return;
    }
    // Group commit: the callbacks accepted in this pass of the event loop go into the journal in
    // one transaction, and each is answered once that has committed.
    ready.append({ shared, std::move(events), calls, check.result });
    if (!commitQueued) {
        commitQueued = true;
        QMetaObject::invokeMethod(
            q, [this] { commitReady(); }, Qt::QueuedConnection);
    }
}

void RelayServer::Private::commitReady()
{
    commitQueued = false;
    QList<Ready> batch = std::exchange(ready, {});
    if (batch.isEmpty())
        return;
    QList<StreamEvent> events;
    for (const Ready &r : std::as_const(batch))
        events.append(r.events);
    QString error;
    const bool stored = parts.publisher->publish(events, &error);
    qsizetype next = 0; // the first of the batch's events that belongs to the callback at hand
    for (Ready &r : batch) {
        PendingCallback &pending = *r.pending;
        const double ms = double(pending.received.nsecsElapsed()) / 1e6;
        const qsizetype first = next; // this callback's events: [first, next)
        next += r.events.size();
        if (!stored) {
            parts.metrics->countCallback(u"journal_error"_s);
            answer(pending, 500,
                httpErrorJson(u"journal_error"_s, u"the event could not be stored"_s));
            qCWarning(lcCallbacks).noquote()
                << u"callback 500 journal_error: %1 notifications for calls [%2] not stored (%3), %4 ms"_s
                       .arg(r.events.size())
                       .arg(r.calls.join(u", "_s), error)
                       .arg(ms, 0, 'f', 1);
            continue;
        }
        parts.metrics->observeCallbackToBroadcast(
            std::chrono::microseconds(pending.received.nsecsElapsed() / 1000));
        parts.metrics->countCallback(r.result);
        answer(pending, 202, {});
        // One line for every callback: put together in one pass, not with five arg() passes.
        qCInfo(lcCallbacks).noquote() << u"callback 202 accepted: "_s
                + QString::number(r.events.size()) + u" notifications, calls ["_s
                + r.calls.join(u", "_s) + u"], seq "_s + QString::number(events[first].seq)
                + u".."_s + QString::number(events[next - 1].seq) + u", "_s
                + QString::number(ms, 'f', 1) + u" ms"_s;
    }
    if (stored)
        Q_EMIT q->eventsAppended(events.size());
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

// The server's frame: construction, listening, reading requests and writing responses, the
// token endpoint and the signing keys. The /v1.0 routes are in sandboxserver_graph.cpp and the
// control API in sandboxserver_control.cpp.
#include "sandboxserver.h"

#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/ids.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// QHttpServerResponder looks the reason phrase up in a fixed table and throws for a status it
// lacks: anything else goes out as 500.
bool isWritableStatus(int status)
{
    static const QSet<int> known { 200, 201, 202, 204, 400, 401, 403, 404, 405, 408, 409, 410, 412,
        413, 415, 422, 429, 500, 501, 502, 503, 504 };
    return known.contains(status);
}

QByteArray httpDate(const QDateTime &when)
{
    return QLocale::c().toString(when.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
}

} // namespace

SandboxServer::SandboxServer(ServerConfig config, Graph::Clock *clock, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_seed(m_config.seed.value_or(QRandomGenerator::system()->generate()))
    , m_signer(Graph::JwtSigner::generate(u"sandbox-"_s + Graph::newGuid().left(8)))
{
    if (!m_signer.isValid())
        qCCritical(lcServer) << "could not generate the callback signing key";
    m_tokens =
        std::make_unique<TokenIssuer>(TokenIssuer::Config { m_config.tenantId, m_config.clientId,
                                          m_config.clientSecret, m_config.tokenLifetime },
            m_clock);
    m_chaos = std::make_unique<Chaos>(m_seed);
    CallbackSender::Config callbackConfig;
    callbackConfig.tenantId = m_config.tenantId;
    callbackConfig.clientId = m_config.clientId;
    m_callbacks = new CallbackSender(callbackConfig, m_clock, m_signer, m_chaos.get(), this);

    EngineConfig engineConfig;
    engineConfig.tenantId = m_config.tenantId;
    engineConfig.clientId = m_config.clientId;
    engineConfig.globalCallbackUrl = m_config.callbackUrl;
    engineConfig.timeScale = m_config.timeScale;
    m_engine = std::make_unique<Engine>(engineConfig, m_clock, m_callbacks, m_seed);
    m_callbacks->setChainIdResolver([this](const QString &callId) {
        const Reply reply = m_engine->getCall(callId);
        return reply.status == 200 ? reply.body.value("callChainId"_L1).toString() : QString();
    });
    connect(
        m_engine.get(), &Engine::callEvent, this, [](const QString &callId, const QString &what) {
            qCInfo(lcServer).noquote() << "call" << callId << what;
        });
    if (!m_config.seed)
        qCInfo(lcServer) << "seed" << m_seed << "(pass --seed to repeat this run)";
}

SandboxServer::~SandboxServer()
{
    // Runners use the engine, and the engine its notifier.
    m_scenarios.clear();
    m_engine.reset();
    delete m_callbacks;
    m_callbacks = nullptr;
}

bool SandboxServer::start(const QHostAddress &address, quint16 port)
{
    if (isListening())
        return true;
    m_port = listen(address, port);
    if (m_port == 0) {
        m_errorString = u"cannot listen on %1:%2"_s.arg(address.toString()).arg(port);
        return false;
    }
    m_address = address;
    m_engine->setBaseUrl(baseUrl().toString(QUrl::FullyEncoded));
    return true;
}

QUrl SandboxServer::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    // Any-address listeners are reached through loopback from this machine.
    QHostAddress host = m_address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    url.setHost(host.toString());
    url.setPort(m_port);
    return url;
}

bool SandboxServer::isLoopbackPeer(const QHostAddress &peer)
{
    if (peer.isLoopback())
        return true;
    // ::ffff:127.0.0.1, as a dual-stack listener reports an IPv4 loopback client.
    bool isIPv4 = false;
    const quint32 v4 = peer.toIPv4Address(&isIPv4);
    return isIPv4 && QHostAddress(v4).isLoopback();
}

QString SandboxServer::meUserId()
{
    // Invented: the signed-in user of /me, who does not exist with app-only tokens.
    return u"00000000-0000-0000-0000-0000000000a1"_s;
}

ScenarioRunner *SandboxServer::runScenario(const Scenario &scenario, std::optional<quint32> seed)
{
    const quint32 chosen = seed ? *seed
        : m_config.seed         ? *m_config.seed
        : scenario.seed         ? *scenario.seed
                                : QRandomGenerator::system()->generate();
    auto runner = std::make_unique<ScenarioRunner>(m_engine.get(), m_clock);
    runner->start(scenario, chosen, m_config.timeScale);
    m_scenarios.push_back(std::move(runner));
    return m_scenarios.back().get();
}

QList<ScenarioRunner *> SandboxServer::scenarios() const
{
    QList<ScenarioRunner *> list;
    for (const auto &runner : m_scenarios)
        list.append(runner.get());
    return list;
}

bool SandboxServer::handleRequest(const QHttpServerRequest &httpRequest, QTcpSocket *socket)
{
    Request request;
    request.method = methodName(httpRequest.method());
    request.path = httpRequest.url().path(QUrl::FullyEncoded);
    const QStringList parts = request.path.split(u'/', Qt::SkipEmptyParts);
    for (const QString &part : parts)
        request.segments.append(QUrl::fromPercentEncoding(part.toUtf8()));
    request.query = httpRequest.query();
    request.body = httpRequest.body();
    request.contentType = headerValue(httpRequest, "Content-Type");
    request.authorization = headerValue(httpRequest, "Authorization");
    request.peer = httpRequest.remoteAddress();
    request.requestId = Graph::newGuid();
    request.clientRequestId = QString::fromLatin1(headerValue(httpRequest, "client-request-id"));

    // The responder is kept for a late answer; the socket may go away meanwhile, and the
    // responder would not know.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(httpRequest, socket));
    const QPointer<QTcpSocket> guard(socket);
    Response response = route(request);
    if (response.delay.count() > 0) {
        const std::chrono::milliseconds delay = response.delay;
        m_clock->schedule(delay, this, [this, responder, guard, request, response] {
            write(responder, guard, request, response);
        });
    } else {
        write(responder, guard, request, std::move(response));
    }
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &httpRequest, QTcpSocket *socket)
{
    // handleRequest() answers everything; this is here because the base class requires it.
    Request request;
    request.method = methodName(httpRequest.method());
    request.path = httpRequest.url().path(QUrl::FullyEncoded);
    request.requestId = Graph::newGuid();
    write(std::make_shared<QHttpServerResponder>(makeResponder(httpRequest, socket)),
        QPointer<QTcpSocket>(socket), request, unknownSegment(request, request.path));
}

void SandboxServer::write(const std::shared_ptr<QHttpServerResponder> &responder,
    const QPointer<QTcpSocket> &socket, const Request &request, Response response)
{
    // A late answer (latency chaos) may find its client gone.
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        Q_EMIT requestHandled(request.method, request.path, response.status);
        return;
    }
    if (!isWritableStatus(response.status)) {
        qCWarning(lcServer) << "status" << response.status << "cannot be written; sending 500";
        response.status = 500;
    }
    responder->writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    responder->writeHeader("request-id", request.requestId.toLatin1());
    if (!request.clientRequestId.isEmpty())
        responder->writeHeader("client-request-id", request.clientRequestId.toLatin1());
    responder->writeHeader("Date", httpDate(m_clock->now()));
    for (const auto &[name, value] : std::as_const(response.headers))
        responder->writeHeader(name, value);
    // A 204 has no body, and so no Content-Length either.
    if (response.status != 204)
        responder->writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder->writeBody(response.status == 204 ? QByteArray() : response.body);
    qCDebug(lcServer).noquote() << request.method << request.path << response.status << "request-id"
                                << request.requestId;
    Q_EMIT requestHandled(request.method, request.path, response.status);
}

SandboxServer::Response SandboxServer::route(const Request &request)
{
    const QStringList &s = request.segments;
    const auto is = [&s](qsizetype i, QLatin1StringView word) {
        return i < s.size() && s.at(i).compare(word, Qt::CaseInsensitive) == 0;
    };
    if (is(0, "v1.0"_L1))
        return routeGraph(request);
    if (is(0, "sandbox"_L1))
        return routeControl(request);
    if (s.size() == 4 && is(1, "oauth2"_L1) && is(2, "v2.0"_L1) && is(3, "token"_L1))
        return routeToken(request);
    if (s.size() == 1 && is(0, "keys"_L1)) {
        if (request.method != "GET")
            return methodNotAllowed(request, "GET");
        return Response { 200, m_signer.jwksJson(), { { "Content-Type", "application/json" } } };
    }
    if (s.size() == 2 && is(0, ".well-known"_L1)
        && (is(1, "OpenIdConfiguration"_L1) || is(1, "openid-configuration"_L1))) {
        if (request.method != "GET")
            return methodNotAllowed(request, "GET");
        const QString base = baseUrl().toString(QUrl::FullyEncoded);
        // The shape of https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration.
        return json(200,
            QJsonObject {
                { "issuer"_L1, u"https://api.botframework.com"_s },
                { "authorization_endpoint"_L1, QString(base + u"/sandbox/no-authorization"_s) },
                { "jwks_uri"_L1, QString(base + u"/keys"_s) },
                { "id_token_signing_alg_values_supported"_L1, QJsonArray { u"RS256"_s } },
                { "token_endpoint_auth_methods_supported"_L1, QJsonArray { u"private_key_jwt"_s } },
            });
    }
    return unknownSegment(request, s.value(0));
}

SandboxServer::Response SandboxServer::routeToken(const Request &request)
{
    if (request.method != "POST")
        return methodNotAllowed(request, "POST");
    const TokenIssuer::Response issued =
        m_tokens->issue(request.segments.at(0), request.contentType, request.body);
    Response response = json(issued.status, issued.body, "application/json; charset=utf-8");
    response.headers.append(Header { "Cache-Control", "no-store, no-cache" });
    response.headers.append(Header { "Pragma", "no-cache" });
    qCInfo(lcServer).noquote() << "token request:" << issued.status
                               << issued.body.value("error"_L1).toString(u"issued"_s);
    return response;
}

std::optional<QJsonObject> SandboxServer::jsonBody(const Request &request, Response *refusal) const
{
    if (request.body.trimmed().isEmpty())
        return QJsonObject();
    const QByteArray mime = request.contentType.split(';').value(0).trimmed().toLower();
    if (mime != "application/json") {
        *refusal = graphError(request, 415, u"BadRequest"_s,
            u"The Content-Type '%1' is not supported: send application/json."_s.arg(
                QString::fromLatin1(request.contentType)));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        const QString detail = error.error != QJsonParseError::NoError
            ? u"%1 at offset %2"_s.arg(error.errorString()).arg(error.offset)
            : u"not a JSON object"_s;
        *refusal = graphError(request, 400, u"BadRequest"_s,
            u"Unable to read JSON request payload: the body is not JSON (%1)."_s.arg(detail));
        return std::nullopt;
    }
    return document.object();
}

SandboxServer::Response SandboxServer::json(
    int status, const QJsonObject &body, const QByteArray &contentType) const
{
    return Response { status, QJsonDocument(body).toJson(QJsonDocument::Compact),
        { { "Content-Type", contentType } } };
}

SandboxServer::Response SandboxServer::graphError(
    const Request &request, int status, const QString &code, const QString &message) const
{
    return fromReply(request, Reply::error(status, code, message));
}

SandboxServer::Response SandboxServer::fromReply(const Request &request, const Reply &reply) const
{
    QJsonObject body = reply.body;
    if (reply.status >= 400 && body.value("error"_L1).isObject()) {
        // graph-notes §4.1: the ids that let support find the request, in innerError.
        QJsonObject error = body.value("error"_L1).toObject();
        QJsonObject inner = error.value("innerError"_L1).toObject();
        inner.insert("date"_L1, m_clock->now().toUTC().toString(Qt::ISODate));
        inner.insert("request-id"_L1, request.requestId);
        inner.insert("client-request-id"_L1,
            request.clientRequestId.isEmpty() ? request.requestId : request.clientRequestId);
        error.insert("innerError"_L1, inner);
        body.insert("error"_L1, error);
    }
    Response response;
    response.status = reply.status;
    if (reply.hasBody || reply.status >= 400) {
        response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        response.headers.append(Header { "Content-Type",
            reply.status >= 400 ? QByteArray("application/json")
                                : QByteArray("application/json;odata.metadata=minimal;"
                                             "odata.streaming=true;IEEE754Compatible=false;"
                                             "charset=utf-8") });
    }
    for (const auto &header : reply.headers)
        response.headers.append(header);
    return response;
}

SandboxServer::Response SandboxServer::methodNotAllowed(
    const Request &request, const QByteArray &allowed) const
{
    Response response = graphError(request, 405, u"BadRequest"_s,
        u"The HTTP method %1 is not allowed for the request target %2."_s.arg(
            QString::fromLatin1(request.method), request.path));
    response.headers.append(Header { "Allow", allowed });
    return response;
}

SandboxServer::Response SandboxServer::unknownSegment(
    const Request &request, const QString &segment) const
{
    // Graph's wording for a path it cannot resolve; see docs/sandbox.md for the status.
    return graphError(
        request, 404, u"BadRequest"_s, u"Resource not found for the segment '%1'."_s.arg(segment));
}

} // namespace Sandbox

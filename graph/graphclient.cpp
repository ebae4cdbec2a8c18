#include "graphclient.h"

#include "clock.h"
#include "ids.h"
#include "tokensource.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Graph {

Q_LOGGING_CATEGORY(lcGraph, "frontdesk.graph")

namespace {

bool isSuccessStatus(int status)
{
    return status >= 200 && status < 300;
}

// A response cut short after its status line: network-layer errors (1-99) only. Qt also maps
// HTTP statuses to protocol and proxy errors (400 and 418 to 3xx codes, 407 to 1xx), so those
// codes do not tell a failed transfer from an error response.
bool isCutShort(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return code > 0 && code < 100;
}

GraphError::Kind transportKind(QNetworkReply::NetworkError error, bool aborted)
{
    if (aborted)
        return GraphError::Kind::Cancelled;
    // Qt 6.4 reports an expired transfer timeout as a cancellation that nobody asked for.
    if (error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError)
        return GraphError::Kind::Timeout;
    return GraphError::Kind::Network;
}

} // namespace

GraphClient::GraphClient(
    QNetworkAccessManager *nam, TokenSource *tokens, Clock *clock, QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_tokens(tokens)
    , m_clock(clock)
    , m_baseUrl(std::move(baseUrl))
{
    Q_ASSERT(m_nam && m_tokens && m_clock);
}

GraphClient::~GraphClient() = default;

QString GraphClient::segment(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QUrl GraphClient::urlFor(const QString &pathAndQuery) const
{
    // Glue strings rather than QUrl::setPath(): the path prefix of the base URL must stay, and
    // the percent-encoding of the ids (a %2F above all) must reach the wire as it is.
    QByteArray base = m_baseUrl.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (base.endsWith('/'))
        base.chop(1);
    QByteArray tail = pathAndQuery.toUtf8();
    if (!tail.startsWith('/'))
        tail.prepend('/');
    return QUrl::fromEncoded(base + tail, QUrl::TolerantMode);
}

GraphReply *GraphClient::send(const QByteArray &verb, const QString &pathAndQuery,
    const QByteArray &body, const HeaderList &extraHeaders)
{
    return start(GraphReply::Expect::Nothing, verb, pathAndQuery, body, extraHeaders);
}

GraphReply *GraphClient::start(GraphReply::Expect expect, const QByteArray &verb,
    const QString &pathAndQuery, const QByteArray &body, const HeaderList &extraHeaders)
{
    auto *reply = new GraphReply(expect, verb.toUpper(), pathAndQuery, this);
    reply->m_requestBody = body;
    reply->m_extraHeaders = extraHeaders;
    reply->m_clientRequestId = newGuid();
    for (const auto &[name, value] : extraHeaders) {
        if (QByteArrayView(name).compare("client-request-id", Qt::CaseInsensitive) == 0)
            reply->m_clientRequestId = QString::fromLatin1(value);
    }
    reply->m_requestUrl = urlFor(pathAndQuery);
    attempt(reply);
    return reply;
}

GraphReply *GraphClient::postJson(
    GraphReply::Expect expect, const QString &path, const QJsonObject &body)
{
    return start(expect, "POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void GraphClient::attempt(GraphReply *reply)
{
    if (reply->m_finished || reply->m_finishing)
        return;
    // The token source may answer at once or later; the reply is the context, so nothing
    // runs for a reply that was deleted meanwhile.
    m_tokens->requestToken(reply, [this, reply](const TokenResult &result) {
        if (reply->m_finished || reply->m_finishing)
            return;
        if (!result.ok()) {
            GraphError error = result.error.value_or(GraphError::transport(
                GraphError::Kind::Token, u"the token source gave an empty token"_s));
            error.kind = GraphError::Kind::Token;
            error.clientRequestId = reply->m_clientRequestId;
            qCDebug(lcGraph).noquote()
                << reply->m_verb << reply->m_pathAndQuery << "no token:" << error.summary();
            reply->finish(std::move(error));
            return;
        }
        reply->m_token = result.accessToken;
        sendHttp(reply);
    });
}

void GraphClient::sendHttp(GraphReply *reply)
{
    QNetworkRequest request(reply->m_requestUrl);
    request.setRawHeader("Authorization", "Bearer " + reply->m_token.toUtf8());
    request.setRawHeader("client-request-id", reply->m_clientRequestId.toLatin1());
    request.setRawHeader("Accept", "application/json");
    if (!reply->m_requestBody.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    if (reply->m_retries > 0)
        request.setRawHeader("Retry-Attempt", QByteArray::number(reply->m_retries));
    for (const auto &[name, value] : reply->m_extraHeaders)
        request.setRawHeader(name, value);
    if (m_transferTimeout.count() > 0)
        request.setTransferTimeout(int(m_transferTimeout.count()));
    // Qt would replay the Authorization header to wherever a redirect points.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    // Qt's own calls for the usual verbs (they know GET and DELETE carry no body);
    // sendCustomRequest() for the rest, PATCH from the relay's proxy above all.
    const QByteArray &verb = reply->m_verb;
    const QByteArray &body = reply->m_requestBody;
    QNetworkReply *network = nullptr;
    if (verb == "GET" && body.isEmpty())
        network = m_nam->get(request);
    else if (verb == "DELETE" && body.isEmpty())
        network = m_nam->deleteResource(request);
    else if (verb == "POST")
        network = m_nam->post(request, body);
    else if (verb == "PUT")
        network = m_nam->put(request, body);
    else
        network = m_nam->sendCustomRequest(request, verb, body);

    ++reply->m_attempts;
    network->setParent(reply);
    reply->m_network = network;
    connect(network, &QNetworkReply::finished, reply,
        [this, reply, network] { onNetworkFinished(reply, network); });
}

void GraphClient::onNetworkFinished(GraphReply *reply, QNetworkReply *network)
{
    network->deleteLater();
    reply->m_network.clear();

    const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // A response cut short (its status line came, its body did not) is a network failure too.
    if (status == 0 || reply->m_aborting || isCutShort(network->error())) {
        const GraphError::Kind kind = transportKind(network->error(), reply->m_aborting);
        qCDebug(lcGraph).noquote()
            << reply->m_verb << reply->m_pathAndQuery << "failed:" << network->errorString()
            << "attempt" << reply->m_attempts;
        // Only a GET is known to have changed nothing: an action may have reached Graph.
        if (kind != GraphError::Kind::Cancelled && reply->m_verb == "GET"
            && reply->m_retries < m_retryPolicy.maxRetries()) {
            scheduleRetry(reply, std::nullopt);
            return;
        }
        reply->setResponse(0, {}, {});
        GraphError error = GraphError::transport(kind, network->errorString());
        error.clientRequestId = reply->m_clientRequestId;
        reply->finish(std::move(error));
        return;
    }

    reply->setResponse(status, network->readAll(), network->rawHeaderPairs());
    logResult(reply);

    if (status == 401 && !reply->m_tokenRefreshed) {
        // The token may have been revoked or have expired early: one fresh token, one retry.
        reply->m_tokenRefreshed = true;
        m_tokens->invalidate(reply->m_token);
        attempt(reply);
        return;
    }
    if (m_retryPolicy.shouldRetry(status, reply->m_retries)) {
        scheduleRetry(
            reply, RetryPolicy::parseRetryAfter(reply->header("Retry-After"), m_clock->now()));
        return;
    }

    if (isSuccessStatus(status)) {
        reply->decodeBody();
        reply->finish(std::nullopt);
        return;
    }
    reply->finish(GraphError::fromResponse(status, reply->m_body, reply->header("request-id"),
        reply->header("client-request-id").isEmpty() ? reply->m_clientRequestId.toLatin1()
                                                     : reply->header("client-request-id"),
        reply->header("Date")));
}

void GraphClient::scheduleRetry(
    GraphReply *reply, std::optional<std::chrono::milliseconds> retryAfter)
{
    const std::chrono::milliseconds delay = m_retryPolicy.delayFor(reply->m_retries, retryAfter);
    ++reply->m_retries;
    qCDebug(lcGraph).noquote() << reply->m_verb << reply->m_pathAndQuery << "retry"
                               << reply->m_retries << "in" << delay.count() << "ms";
    Q_EMIT reply->retryScheduled(reply->m_retries, delay);
    m_clock->schedule(delay, reply, [this, reply] { attempt(reply); });
}

void GraphClient::logResult(const GraphReply *reply) const
{
    qCDebug(lcGraph).noquote() << reply->m_verb << reply->m_pathAndQuery << reply->m_httpStatus
                               << "request-id" << reply->requestId() << "client-request-id"
                               << reply->m_clientRequestId << "attempt" << reply->m_attempts;
}

} // namespace Graph

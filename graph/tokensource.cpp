#include "tokensource.h"

#include "clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Graph {

Q_LOGGING_CATEGORY(lcGraphToken, "frontdesk.graph.token")

namespace {

// A response cut short after its status line: network-layer errors (1-99) only. Qt also maps
// HTTP statuses to protocol and proxy errors (400 and 418 to 3xx codes, 407 to 1xx), so those
// codes do not tell a failed transfer from an error response.
bool isCutShort(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return code > 0 && code < 100;
}

GraphError tokenError(const QString &message, int httpStatus = 0, const QString &code = {})
{
    GraphError error = GraphError::transport(GraphError::Kind::Token, message);
    error.message = message;
    error.httpStatus = httpStatus;
    error.code = code;
    return error;
}

// expires_in is a number in v2.0 and a numeric string in some older endpoints.
std::optional<qint64> readSeconds(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toInteger();
    if (value.isString()) {
        bool ok = false;
        const qint64 seconds = value.toString().toLongLong(&ok);
        if (ok)
            return seconds;
    }
    return std::nullopt;
}

} // namespace

TokenSource::TokenSource(QObject *parent)
    : QObject(parent)
{ }

TokenSource::~TokenSource() = default;

StaticTokenSource::StaticTokenSource(QString token, QObject *parent)
    : TokenSource(parent)
    , m_token(std::move(token))
{ }

void StaticTokenSource::requestToken(QObject *context, Callback callback)
{
    Q_UNUSED(context)
    if (m_token.isEmpty()) {
        callback(TokenResult { {}, tokenError(u"no access token is configured"_s) });
        return;
    }
    callback(TokenResult { m_token, std::nullopt });
}

void StaticTokenSource::invalidate(const QString &token)
{
    Q_UNUSED(token)
}

ClientCredentialsTokenSource::ClientCredentialsTokenSource(
    QNetworkAccessManager *nam, Clock *clock, Config config, QObject *parent)
    : TokenSource(parent)
    , m_nam(nam)
    , m_clock(clock)
    , m_config(std::move(config))
{ }

// A fetch in flight is a child and dies with us; its waiters are not called back.
ClientCredentialsTokenSource::~ClientCredentialsTokenSource() = default;

bool ClientCredentialsTokenSource::hasFreshToken() const
{
    return !m_token.isEmpty() && m_refreshAt.isValid() && m_clock->now() < m_refreshAt;
}

void ClientCredentialsTokenSource::requestToken(QObject *context, Callback callback)
{
    Q_ASSERT(context);
    if (hasFreshToken()) {
        callback(TokenResult { m_token, std::nullopt });
        return;
    }
    m_waiters.append(Waiter { context, std::move(callback) });
    if (!m_fetch)
        startFetch();
}

void ClientCredentialsTokenSource::invalidate(const QString &token)
{
    if (token.isEmpty() || token != m_token)
        return;
    qCDebug(lcGraphToken) << "token refused by the server; the next request fetches a new one";
    m_token.clear();
    m_refreshAt = {};
    m_expiresAt = {};
}

void ClientCredentialsTokenSource::startFetch()
{
    // Every value is percent-encoded as a whole: secrets contain '+', '/', '=' and '&', which
    // QUrlQuery would leave as they are.
    const auto field = [](const char *name, const QString &value) -> QByteArray {
        return QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
    };
    const QByteArray form = field("client_id", m_config.clientId) + '&'
        + field("scope", m_config.scope) + '&' + field("client_secret", m_config.clientSecret) + '&'
        + field("grant_type", u"client_credentials"_s);

    QNetworkRequest request(m_config.tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(int(m_config.transferTimeout.count()));
    // A redirect would replay the form, secret included, to wherever it points.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    qCDebug(lcGraphToken).noquote()
        << "fetching an app token from" << m_config.tokenUrl.toDisplayString(QUrl::RemoveQuery)
        << "for client" << m_config.clientId;
    QNetworkReply *reply = m_nam->post(request, form);
    reply->setParent(this);
    m_fetch = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFetchFinished(reply); });
}

void ClientCredentialsTokenSource::onFetchFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_fetch == reply)
        m_fetch.clear();
    TokenResult result = resultFrom(reply);
    if (result.error) {
        qCWarning(lcGraphToken).noquote() << "app token request failed:" << result.error->summary();
        // An early refresh that fails leaves the old token usable until it really expires.
        if (!m_token.isEmpty() && m_expiresAt.isValid() && m_clock->now() < m_expiresAt)
            result = TokenResult { m_token, std::nullopt };
    }

    // Callbacks may request again (and start a new fetch): hand out a detached list.
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &waiter : waiters) {
        if (waiter.context)
            waiter.callback(result);
    }
}

TokenResult ClientCredentialsTokenSource::resultFrom(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0 || isCutShort(reply->error())) {
        return TokenResult { {},
            tokenError(scrubbed(u"token endpoint unreachable: "_s + reply->errorString())) };
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    if (status < 200 || status >= 300) {
        // OAuth's error shape: {"error":"invalid_client","error_description":"AADSTS7000215: ..."}
        GraphError error = tokenError({}, status, object.value("error"_L1).toString());
        const QString description = object.value("error_description"_L1).toString();
        error.message = scrubbed(
            description.isEmpty() ? u"token endpoint answered HTTP %1"_s.arg(status) : description);
        error.detail = error.message;
        error.requestId = object.value("trace_id"_L1).toString();
        if (error.requestId.isEmpty())
            error.requestId = QString::fromLatin1(reply->rawHeader("x-ms-request-id"));
        error.clientRequestId = object.value("correlation_id"_L1).toString();
        return TokenResult { {}, error };
    }
    if (!document.isObject()) {
        return TokenResult { {},
            tokenError(
                u"token response is not a JSON object: "_s + parseError.errorString(), status) };
    }
    const QString tokenType = object.value("token_type"_L1).toString();
    if (!tokenType.isEmpty() && tokenType.compare("Bearer"_L1, Qt::CaseInsensitive) != 0) {
        return TokenResult { {},
            tokenError(
                u"token response has token_type \"%1\", not Bearer"_s.arg(tokenType), status) };
    }
    const QString token = object.value("access_token"_L1).toString();
    if (token.isEmpty())
        return TokenResult { {}, tokenError(u"token response has no access_token"_s, status) };

    const QDateTime now = m_clock->now();
    const std::optional<qint64> expiresIn = readSeconds(object.value("expires_in"_L1));
    m_token = token;
    if (expiresIn && *expiresIn > 0) {
        const qint64 margin = std::min<qint64>(m_config.refreshMargin.count(), *expiresIn / 2);
        m_expiresAt = now.addSecs(*expiresIn);
        m_refreshAt = now.addSecs(*expiresIn - margin);
    } else {
        // Without a lifetime the token serves the waiting requests and is not cached.
        m_expiresAt = now;
        m_refreshAt = now;
    }
    qCDebug(lcGraphToken) << "app token received, expires in" << expiresIn.value_or(0) << "s";
    return TokenResult { token, std::nullopt };
}

QString ClientCredentialsTokenSource::scrubbed(QString text) const
{
    if (!m_config.clientSecret.isEmpty())
        text.replace(m_config.clientSecret, u"***"_s);
    return text;
}

} // namespace Graph

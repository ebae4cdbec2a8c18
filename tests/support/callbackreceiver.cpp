#include "callbackreceiver.h"

#include "graph/clock.h"
#include "graph/codec.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace TestSupport {

namespace {

// Waits for one GET and returns its body, or nullopt with `error` set.
std::optional<QByteArray> get(
    QNetworkAccessManager *nam, const QUrl &url, QString *error, int timeoutMs)
{
    QNetworkReply *reply = nam->get(QNetworkRequest(url));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(timeoutMs)) {
        reply->abort();
        reply->deleteLater();
        if (error)
            *error = u"no answer from %1"_s.arg(url.toString());
        return std::nullopt;
    }
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || status != 200) {
        if (error)
            *error = u"GET %1: %2 %3"_s.arg(url.toString()).arg(status).arg(reply->errorString());
        return std::nullopt;
    }
    return reply->readAll();
}

} // namespace

QByteArray ReceivedCallback::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

CallbackReceiver::CallbackReceiver(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
{
    m_options.issuers = { u"https://api.botframework.com"_s, u"https://graph.microsoft.com"_s };
    m_options.audience = u"00000000-0000-0000-0000-0000000000b0"_s;
    // No routes: every request, whatever its path, reaches the missing handler.
    m_server->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            handle(request, std::move(responder));
        });
    m_port = m_server->listen(QHostAddress::LocalHost, 0);
}

CallbackReceiver::~CallbackReceiver() = default;

QUrl CallbackReceiver::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
}

QUrl CallbackReceiver::url(const QString &pathAndQuery) const
{
    return QUrl::fromEncoded(baseUrl().toEncoded() + pathAndQuery.toUtf8());
}

QList<Graph::CommsNotification> CallbackReceiver::notifications() const
{
    QList<Graph::CommsNotification> all;
    for (const ReceivedCallback &callback : m_callbacks) {
        const Graph::Decoded<Graph::CommsNotifications> decoded =
            Graph::decodeNotifications(callback.body);
        if (decoded.ok())
            all.append(decoded.value.value);
    }
    return all;
}

bool CallbackReceiver::waitForCount(int wanted, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (count() < wanted && !deadline.hasExpired())
        QTest::qWait(10);
    return count() >= wanted;
}

void CallbackReceiver::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    ReceivedCallback callback;
    callback.path = request.url().path(QUrl::FullyEncoded);
    callback.query = request.url().query(QUrl::FullyEncoded);
    const auto headers = request.headers();
    for (const auto &header : headers)
        callback.headers.append({ header.first, header.second });
    callback.body = request.body();
    callback.json = QJsonDocument::fromJson(callback.body).object();

    const QByteArray authorization = callback.header("Authorization");
    callback.hadToken = authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    Graph::JwtVerifyOptions options = m_options;
    if (m_clock)
        options.now = m_clock->now();
    callback.jwt = Graph::verifyJwt(authorization.mid(7).trimmed(), m_keys, options);

    m_callbacks.append(callback);
    responder.write(QHttpServerResponder::StatusCode(m_status));
    Q_EMIT callbackReceived(callback);
}

std::optional<Graph::Jwks> CallbackReceiver::fetchJwks(
    QNetworkAccessManager *nam, const QUrl &openIdConfiguration, QString *error, int timeoutMs)
{
    const std::optional<QByteArray> configuration = get(nam, openIdConfiguration, error, timeoutMs);
    if (!configuration)
        return std::nullopt;
    const std::optional<QUrl> jwksUri =
        Graph::jwksUriFromOpenIdConfiguration(*configuration, error);
    if (!jwksUri)
        return std::nullopt;
    const std::optional<QByteArray> keys = get(nam, *jwksUri, error, timeoutMs);
    if (!keys)
        return std::nullopt;
    return Graph::Jwks::fromJson(*keys, error);
}

} // namespace TestSupport

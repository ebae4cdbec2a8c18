#include "jwksprovider.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcJwks, "frontdesk.relay.jwks")

// Key sets are a few kilobytes; anything far larger is not one.
constexpr qint64 MaxDocumentBytes = 1024 * 1024;
constexpr std::chrono::seconds RefetchInterval { 60 };
constexpr int TransferTimeoutMs = 10000;

enum class DocumentKind { Jwks, OpenIdConfiguration, Unknown };

DocumentKind detect(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return DocumentKind::Unknown;
    const QJsonObject o = doc.object();
    if (o.contains("keys"_L1))
        return DocumentKind::Jwks;
    if (o.contains("jwks_uri"_L1))
        return DocumentKind::OpenIdConfiguration;
    return DocumentKind::Unknown;
}

} // namespace

JwksProvider::JwksProvider(QNetworkAccessManager *nam, Graph::Clock *clock, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_clock(clock)
{ }

bool JwksProvider::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    QString reason;
    const auto keys = Graph::Jwks::fromJson(file.read(MaxDocumentBytes), &reason);
    if (!keys) {
        if (error)
            *error = u"%1: %2"_s.arg(path, reason);
        return false;
    }
    m_keys = *keys;
    m_fromFile = true;
    qCInfo(lcJwks).noquote() << "loaded" << m_keys.size() << "keys from" << path;
    Q_EMIT keysChanged();
    return true;
}

void JwksProvider::setUrl(const QUrl &url)
{
    m_url = url;
    m_fromFile = false;
}

void JwksProvider::withKey(
    const QString &kid, QObject *context, std::function<void(const Graph::Jwks &)> done)
{
    if (m_keys.contains(kid)) {
        done(m_keys);
        return;
    }
    if (m_fetching) {
        m_waiters.append(Waiter { kid, context, context != nullptr, std::move(done) });
        return;
    }
    if (!canFetch()) {
        // Refused by the once-a-minute limit (or there is nothing to fetch from): the caller
        // decides with the keys it has.
        done(m_keys);
        return;
    }
    m_waiters.append(Waiter { kid, context, context != nullptr, std::move(done) });
    fetch();
}

void JwksProvider::refresh()
{
    if (!m_fetching && canFetch())
        fetch();
}

bool JwksProvider::canFetch() const
{
    if (m_fromFile || !m_url.isValid() || !m_nam)
        return false;
    return !m_lastFetch.isValid() || m_clock->now() >= m_lastFetch.addSecs(RefetchInterval.count());
}

void JwksProvider::fetch()
{
    m_fetching = true;
    m_lastFetch = m_clock->now();
    ++m_fetchCount;
    get(m_url, true);
}

void JwksProvider::get(const QUrl &url, bool mayFollow)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(TransferTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_nam->get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > MaxDocumentBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, mayFollow] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status / 100 != 2) {
            fail(u"%1: %2"_s.arg(
                url.toDisplayString(), status ? u"HTTP %1"_s.arg(status) : reply->errorString()));
            return;
        }
        const QByteArray body = reply->read(MaxDocumentBytes + 1);
        if (body.size() > MaxDocumentBytes) {
            fail(u"%1: document too large"_s.arg(url.toDisplayString()));
            return;
        }
        switch (detect(body)) {
        case DocumentKind::OpenIdConfiguration: {
            QString reason;
            const auto jwksUri = Graph::jwksUriFromOpenIdConfiguration(body, &reason);
            // One hop only: the document behind jwks_uri must be the key set itself.
            if (!jwksUri || !mayFollow) {
                fail(u"%1: %2"_s.arg(url.toDisplayString(),
                    mayFollow ? reason : u"jwks_uri leads to another configuration"_s));
                return;
            }
            get(*jwksUri, false);
            return;
        }
        case DocumentKind::Jwks: {
            QString reason;
            const auto keys = Graph::Jwks::fromJson(body, &reason);
            if (!keys) {
                fail(u"%1: %2"_s.arg(url.toDisplayString(), reason));
                return;
            }
            m_keys = *keys;
            qCInfo(lcJwks).noquote()
                << "fetched" << m_keys.size() << "keys from" << url.toDisplayString();
            Q_EMIT keysChanged();
            finishFetch();
            return;
        }
        case DocumentKind::Unknown:
            fail(u"%1: neither a JWKS nor an OpenID configuration"_s.arg(url.toDisplayString()));
            return;
        }
    });
}

void JwksProvider::fail(const QString &reason)
{
    qCWarning(lcJwks).noquote() << "key set fetch failed, keeping" << m_keys.size()
                                << "keys:" << reason;
    Q_EMIT fetchFailed(reason);
    finishFetch();
}

void JwksProvider::finishFetch()
{
    m_fetching = false;
    // Waiters may ask again from their callbacks; they see the fetch as done.
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &waiter : waiters) {
        if (!waiter.hasContext || waiter.context)
            waiter.done(m_keys);
    }
}

} // namespace Relay

#pragma once

#include "grapherror.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Graph {

class Clock;

struct TokenResult
{
    QString accessToken;
    std::optional<GraphError> error; //!< Kind::Token when set; accessToken is then empty

    bool ok() const { return !error.has_value() && !accessToken.isEmpty(); }
};

//! Where GraphClient gets its bearer tokens from.
class TokenSource : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenSource)

public:
    using Callback = std::function<void(const TokenResult &)>;

    explicit TokenSource(QObject *parent = nullptr);
    ~TokenSource() override;

    //! Calls `callback` exactly once with a token or an error, either before returning (a token
    //! at hand) or later from the event loop. When `context` is destroyed first, the callback is
    //! dropped and never called. `context` must not be null.
    virtual void requestToken(QObject *context, Callback callback) = 0;

    //! Tells the source that the server refused `token` (a 401): the next request must not
    //! get it again from a cache. A token other than the current one is ignored.
    virtual void invalidate(const QString &token) = 0;
};

//! A fixed bearer token: the console's operator token for the relay, or a token from a test.
class StaticTokenSource final : public TokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StaticTokenSource)

public:
    explicit StaticTokenSource(QString token, QObject *parent = nullptr);

    QString token() const { return m_token; }
    void setToken(const QString &token) { m_token = token; }

    //! Answers at once; an empty token gives a Kind::Token error.
    void requestToken(QObject *context, Callback callback) override;
    //! There is nothing to refresh: the same token is handed out again.
    void invalidate(const QString &token) override;

private:
    QString m_token;
};

//! An app-only token from the Microsoft identity platform (OAuth 2.0 client credentials, v2.0
//! endpoint), cached until `refreshMargin` before it expires by the injected Clock. Concurrent
//! requests share one fetch. The client secret goes only into the token request's body: never
//! into a log line, an error message or a URL.
class ClientCredentialsTokenSource final : public TokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientCredentialsTokenSource)

public:
    struct Config
    {
        QUrl tokenUrl; //!< https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
        QString clientId;
        QString clientSecret;
        QString scope = QStringLiteral("https://graph.microsoft.com/.default");
        //! A cached token is replaced this long before it expires. Tokens that live shorter
        //! than twice this margin are replaced after half their lifetime instead.
        std::chrono::seconds refreshMargin { 300 };
        std::chrono::milliseconds transferTimeout { 30000 }; //!< of one token request
    };

    //! `nam` and `clock` must outlive this object.
    ClientCredentialsTokenSource(
        QNetworkAccessManager *nam, Clock *clock, Config config, QObject *parent = nullptr);
    ~ClientCredentialsTokenSource() override;

    void requestToken(QObject *context, Callback callback) override;
    void invalidate(const QString &token) override;

    const Config &config() const { return m_config; }
    //! When the cached token expires (by the Clock); invalid when nothing is cached.
    QDateTime expiresAt() const { return m_expiresAt; }
    //! True while a token request is on the wire.
    bool isFetching() const { return !m_fetch.isNull(); }

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };

    bool hasFreshToken() const;
    void startFetch();
    void onFetchFinished(QNetworkReply *reply);
    TokenResult resultFrom(QNetworkReply *reply);
    QString scrubbed(QString text) const;

    QNetworkAccessManager *m_nam;
    Clock *m_clock;
    Config m_config;
    QString m_token;
    QDateTime m_refreshAt;
    QDateTime m_expiresAt;
    QPointer<QNetworkReply> m_fetch;
    QList<Waiter> m_waiters;
};

} // namespace Graph

#pragma once

#include "graph/clock.h"
#include "graph/jwks.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace Relay {

//! The keys that callbacks are verified against: from a JWKS file, or fetched from a URL that is
//! either an OpenID configuration (its jwks_uri is followed) or a JWKS itself. Keys are cached;
//! a kid that is not in the cache triggers a refetch, at most once a minute.
class JwksProvider final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JwksProvider)

public:
    JwksProvider(QNetworkAccessManager *nam, Graph::Clock *clock, QObject *parent = nullptr);

    //! Loads a JWKS file once; false with `error` when it cannot be read or parsed.
    bool loadFile(const QString &path, QString *error);
    void setUrl(const QUrl &url);

    const Graph::Jwks &keys() const { return m_keys; }
    //! Calls `done` with the current keys once they hold `kid`, or after a refetch (or its
    //! refusal by the once-a-minute limit) when they do not. `context` guards the callback.
    void withKey(
        const QString &kid, QObject *context, std::function<void(const Graph::Jwks &)> done);
    //! Fetches now (at start-up), subject to the same limit.
    void refresh();
    //! How many fetches were started (each counts once, whether it follows jwks_uri or not).
    int fetchCount() const { return m_fetchCount; }

Q_SIGNALS:
    void keysChanged();
    void fetchFailed(const QString &reason);

private:
    bool canFetch() const;
    void fetch();
    void get(const QUrl &url, bool mayFollow);
    void fail(const QString &reason);
    void finishFetch();

    QNetworkAccessManager *m_nam;
    Graph::Clock *m_clock;
    QUrl m_url;
    Graph::Jwks m_keys;
    bool m_fromFile = false;
    bool m_fetching = false;
    QDateTime m_lastFetch;
    int m_fetchCount = 0;
    struct Waiter
    {
        QString kid;
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void(const Graph::Jwks &)> done;
    };
    QList<Waiter> m_waiters;
};

} // namespace Relay

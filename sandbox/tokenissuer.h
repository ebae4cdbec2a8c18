#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <chrono>

namespace Graph {
class Clock;
}

namespace Sandbox {

//! The Microsoft identity platform's client-credentials grant (graph-notes §5.1), as far as the
//! sandbox needs it: one tenant, one app, one secret, and opaque random bearer tokens that
//! expire by the Clock. Errors have Entra's OAuth shape and AADSTS codes.
class TokenIssuer final
{
    Q_DISABLE_COPY_MOVE(TokenIssuer)

public:
    struct Config
    {
        QString tenantId;
        QString clientId;
        QString clientSecret;
        std::chrono::seconds lifetime { 3600 };
    };

    //! What POST /{tenant}/oauth2/v2.0/token answers: 200 with a token, or an OAuth error.
    struct Response
    {
        int status = 200;
        QJsonObject body;
    };

    enum class Validity { Valid, Missing, Unknown, Expired };

    //! `clock` must outlive the issuer.
    TokenIssuer(Config config, Graph::Clock *clock);

    const Config &config() const { return m_config; }

    //! Handles one token request: `tenant` is the path segment, `contentType` and `body` the
    //! request's. A body that is not a form counts as an empty form, as it does at Entra.
    Response issue(const QString &tenant, const QByteArray &contentType, const QByteArray &body);

    //! Whether `token` (the text after "Bearer ") is one this issuer handed out and has not
    //! expired by the Clock.
    Validity validate(const QString &token) const;

    //! Tokens handed out and not expired yet.
    int liveTokenCount() const;
    void revokeAll() { m_tokens.clear(); }

    //! Compares without an early exit, so that the time taken does not tell how much of a
    //! guessed secret was right.
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
    //! Parses application/x-www-form-urlencoded ('+' is a space); the first of repeated keys wins.
    static QHash<QString, QString> parseForm(const QByteArray &body);

private:
    Response error(int status, const QString &error, int aadsts, const QString &description) const;

    Config m_config;
    Graph::Clock *m_clock;
    QHash<QString, QDateTime> m_tokens; // token -> expiry
};

} // namespace Sandbox

#pragma once

#include "graph/clock.h"
#include "graph/jwks.h"
#include "graph/jwt.h"
#include "relayconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

class QHttpServer;
class QTcpServer;

namespace Relay {

class EventHub;
class EventPublisher;
class Journal;
class JwksProvider;
class Metrics;
class OperatorDirectory;
class RelayState;

//! What POST /callbacks is judged on: the two headers that matter and the body.
struct CallbackRequest
{
    QByteArray contentType; //!< the Content-Type header, as sent
    QByteArray authorization; //!< the Authorization header, as sent
    QByteArray body;
};

struct CallbackOptions
{
    QStringList issuers; //!< [callbacks] issuers
    QString audience; //!< [graph] clientId
    QDateTime now; //!< exp and nbf are checked against it, with 60 s of skew
    qint64 maxBodyBytes = 0; //!< 0: no limit here (the socket enforces it first)
    //! Remembers the tokens that passed, so that Graph's token is verified once, not with every
    //! callback; null verifies every token in full.
    Graph::JwtVerifier *verifier = nullptr;
};

//! The verdict on one callback. Nothing in it repeats the token.
struct CallbackCheck
{
    int status = 0; //!< 202, or 400, 401, 413, 415
    QString result; //!< the metrics label: accepted, bad_request, unauthorized, ...
    QString reason; //!< short and safe to log and to answer with
    Graph::JwtError jwtError = Graph::JwtError::None;
    QList<QJsonObject> notifications; //!< 202: each commsNotification as received
    QStringList callIds; //!< 202: the call each notification concerns (may be empty)
};

//! The pure part of POST /callbacks, without sockets, journal or state: size (413), Content-Type
//! (415), bearer JWT (401: RS256 against `keys`, iss, aud, exp/nbf with 60 s of skew, tid), then
//! the commsNotifications body (400). The first problem found decides the status.
CallbackCheck checkCallback(
    const CallbackRequest &request, const Graph::Jwks &keys, const CallbackOptions &options);

//! The kid of the bearer token in `authorization` when `keys` lack it (the key set needs a
//! refetch before the token can be judged); empty otherwise.
QString missingKeyId(const QByteArray &authorization, const Graph::Jwks &keys);

//! The relay's HTTP side on one port: POST /callbacks (verify, journal, apply, broadcast, 202),
//! GET /events (the WebSocket upgrade, bearer token checked before any upgrade), /healthz and
//! /metrics. maxBodyBytes is enforced on the socket, below QHttpServer, which would otherwise
//! buffer a body of any size. Part 2's routes (the Graph proxy, /api/...) are added through
//! http().
class RelayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayServer)

public:
    struct Parts
    {
        const RelayConfig *config = nullptr;
        Journal *journal = nullptr;
        RelayState *state = nullptr;
        EventHub *hub = nullptr;
        Metrics *metrics = nullptr;
        const OperatorDirectory *operators = nullptr;
        JwksProvider *jwks = nullptr;
        Graph::Clock *clock = nullptr;
        EventPublisher *publisher = nullptr; //!< journals, applies and broadcasts
    };

    explicit RelayServer(Parts parts, QObject *parent = nullptr);
    ~RelayServer() override;

    //! Listens on host:port (0 = any free port). False with `error` on failure.
    bool listen(const QHostAddress &host, quint16 port, QString *error);
    QUrl baseUrl() const;
    //! Stops accepting new connections (shutdown); open ones finish.
    void stopAccepting();
    QHttpServer *http() const;

Q_SIGNALS:
    //! Events were journaled and applied: those of the callbacks accepted in one pass of the
    //! event loop, which are committed together (a group commit); for policies and tests.
    void eventsAppended(qsizetype count);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Relay

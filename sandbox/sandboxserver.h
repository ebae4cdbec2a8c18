#pragma once

#include "callbacksender.h"
#include "chaos.h"
#include "engine.h"
#include "graph/jwt.h"
#include "scenario.h"
#include "tokenissuer.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QHttpServerResponder;
QT_END_NAMESPACE

#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace Graph {
class Clock;
}

namespace Sandbox {

//! What frontdesk-sandbox is started with (sandbox-contract.md, "Start-up").
struct ServerConfig
{
    QString tenantId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    QString clientId = QStringLiteral("00000000-0000-0000-0000-0000000000b0");
    QString clientSecret = QStringLiteral("sandbox-secret");
    QString callbackUrl; //!< the bot's global calling webhook; may be empty
    double timeScale = 1.0; //!< >1 runs scenarios and Graph's timeouts faster
    std::optional<quint32> seed; //!< random when absent (and logged, to repeat a run)
    std::chrono::seconds tokenLifetime { 3600 };
};

//! The sandbox's HTTP face: Graph's token endpoint, the /v1.0 calling and onlineMeetings
//! endpoints (graph-notes §1) mapped onto the Engine, the callback signing keys, and the
//! loopback-only control API. It owns the Engine, the TokenIssuer, the JwtSigner made at
//! start-up, the CallbackSender (the engine's Notifier), the Chaos and the running scenarios.
//! docs/sandbox.md lists every route and every way in which it departs from Graph.
//!
//! Every response carries a `request-id` GUID and echoes `client-request-id`; error bodies
//! have Graph's shape with both in innerError. Chaos (429, 503, latency) applies only to
//! /v1.0; a refused request has no effect on the engine. Delayed answers wait on the Clock.
class SandboxServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxServer)

public:
    //! `clock` must outlive the server.
    explicit SandboxServer(ServerConfig config, Graph::Clock *clock, QObject *parent = nullptr);
    ~SandboxServer() override;

    //! Listens on `address` (loopback by default); port 0 picks a free one. False on failure,
    //! with errorString() saying why.
    bool start(
        const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);
    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    //! http://HOST:PORT, the contract's start-up line without "listening on ".
    QUrl baseUrl() const;
    QString errorString() const { return m_errorString; }

    const ServerConfig &config() const { return m_config; }
    quint32 seed() const { return m_seed; }
    Engine *engine() const { return m_engine.get(); }
    TokenIssuer *tokens() const { return m_tokens.get(); }
    Chaos *chaos() const { return m_chaos.get(); }
    CallbackSender *callbacks() const { return m_callbacks; }
    const Graph::JwtSigner &signer() const { return m_signer; }

    //! Runs a scenario with `seed`, else the server's --seed, else the scenario's, else a
    //! random one. The runner belongs to the server.
    ScenarioRunner *runScenario(const Scenario &scenario, std::optional<quint32> seed = {});
    QList<ScenarioRunner *> scenarios() const;

    //! Whether the control API serves `peer`: loopback addresses only (127/8, ::1, and IPv4
    //! loopback mapped into IPv6).
    static bool isLoopbackPeer(const QHostAddress &peer);
    //! The user /me stands for: the sandbox issues app tokens only, and has no signed-in user.
    static QString meUserId();

    //! One request, as the routes see it. Public for the routing helpers' sake; not an API.
    struct Request
    {
        QByteArray method;
        QStringList segments; //!< the path, split and percent-decoded; empty segments dropped
        QString path; //!< as on the wire, for messages
        QUrlQuery query;
        QByteArray body;
        QByteArray contentType;
        QByteArray authorization;
        QHostAddress peer;
        QString requestId;
        QString clientRequestId;
    };
    using Header = std::pair<QByteArray, QByteArray>;
    struct Response
    {
        int status = 200;
        QByteArray body;
        QList<Header> headers;
        std::chrono::milliseconds delay { 0 };
    };

Q_SIGNALS:
    //! After each answer has been written (or dropped because the client went away).
    void requestHandled(const QByteArray &method, const QString &path, int status);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Response route(const Request &request);
    Response routeToken(const Request &request);
    Response routeGraph(const Request &request);
    Response routeGraphPath(const Request &request, const QStringList &path);
    Response routeControl(const Request &request);
    Response routeControlCall(const Request &request, const QStringList &path);
    //! PUT /sandbox/callees (sandboxserver_control.cpp).
    Response routeControlCallees(const Request &request);

    //! Parses the JSON body of an action: nullopt with the 400/415 response set when it is not.
    std::optional<QJsonObject> jsonBody(const Request &request, Response *refusal) const;

    // Graph's shapes.
    Response graphError(
        const Request &request, int status, const QString &code, const QString &message) const;
    Response fromReply(const Request &request, const Reply &reply) const;
    Response json(int status, const QJsonObject &body,
        const QByteArray &contentType = "application/json") const;
    Response methodNotAllowed(const Request &request, const QByteArray &allowed) const;
    Response unknownSegment(const Request &request, const QString &segment) const;

    void write(const std::shared_ptr<QHttpServerResponder> &responder,
        const QPointer<QTcpSocket> &socket, const Request &request, Response response);

    ServerConfig m_config;
    Graph::Clock *m_clock;
    quint32 m_seed;
    Graph::JwtSigner m_signer;
    std::unique_ptr<TokenIssuer> m_tokens;
    std::unique_ptr<Chaos> m_chaos;
    CallbackSender *m_callbacks; // a child
    std::unique_ptr<Engine> m_engine;
    std::vector<std::unique_ptr<ScenarioRunner>> m_scenarios;
    quint16 m_port = 0;
    QHostAddress m_address;
    QString m_errorString;
};

} // namespace Sandbox

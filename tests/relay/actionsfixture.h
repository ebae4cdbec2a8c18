#pragma once

// The operators' actions against the real thing, in one process: the sandbox plays Graph, a
// RelayService proxies to it, and tests speak to the relay as consoles do (plain HTTP with an
// operator token, and WebSocket consoles on /events). Shared by tst_graphproxy, tst_claims,
// tst_audit and tests/e2e/tst_e2e_actions.

#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "relay/journal.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"
#include "sandbox/sandboxserver.h"
#include "sandboxasgraph.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QWebSocket>

#include <memory>

namespace ActionsFixture {

using namespace Qt::StringLiterals;
using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

inline const QByteArray AliceToken = "alice-operator-token";
inline const QByteArray BobToken = "bob-operator-token";
inline const QByteArray SamToken = "sam-supervisor-token";
inline const QByteArray UnknownToken = "nobody-knows-this-token";

inline QByteArray headerOf(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

//! What an HTTP client received.
struct HttpResult
{
    bool finished = false;
    int status = 0;
    HeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const { return headerOf(headers, name); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json().value("error"_L1).toObject().value("code"_L1).toString();
    }
};

inline HttpResult readReply(QNetworkReply *reply)
{
    HttpResult result;
    result.finished = reply->isFinished();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.emplaceBack(pair.first, pair.second);
    result.body = reply->readAll();
    return result;
}

//! A wiretap between the relay and the sandbox: it forwards each request as it is and records
//! the sandbox's answer, so that a test compares what the console got with what Graph said.
class Tap final
{
    Q_DISABLE_COPY_MOVE(Tap)

public:
    struct Exchange
    {
        QByteArray method;
        QString pathAndQuery;
        HeaderList requestHeaders;
        QByteArray requestBody;
        int status = 0;
        HeaderList responseHeaders;
        QByteArray responseBody;
    };

    explicit Tap(QUrl target)
        : m_target(std::move(target))
    {
        m_server.route(u"^/.*$"_s, QHttpServerRequest::Method::AnyKnown,
            [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                forward(request, std::move(responder));
            });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool isListening() const { return m_port != 0; }
    QUrl baseUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    const QList<Exchange> &exchanges() const { return m_exchanges; }
    //! The exchanges whose request carried this client-request-id, oldest first.
    QList<Exchange> withClientRequestId(const QByteArray &id) const
    {
        QList<Exchange> found;
        for (const Exchange &e : m_exchanges) {
            if (headerOf(e.requestHeaders, "client-request-id") == id)
                found.append(e);
        }
        return found;
    }

private:
    struct Pending
    {
        explicit Pending(QHttpServerResponder &&r)
            : responder(std::move(r))
            , socket(responder.socket())
        { }
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
    };

    void forward(const QHttpServerRequest &request, QHttpServerResponder &&responder)
    {
        auto pending = std::make_shared<Pending>(std::move(responder));
        Exchange exchange;
        const QMetaEnum methods = QMetaEnum::fromType<QHttpServerRequest::Method>();
        exchange.method = QByteArray(methods.valueToKey(int(request.method()))).toUpper();
        exchange.pathAndQuery = request.url().path(QUrl::FullyEncoded);
        if (request.url().hasQuery())
            exchange.pathAndQuery += u'?' + request.url().query(QUrl::FullyEncoded);
        exchange.requestBody = request.body();
        QNetworkRequest out(QUrl::fromEncoded(
            m_target.toEncoded() + exchange.pathAndQuery.toUtf8(), QUrl::TolerantMode));
        for (const auto &[name, value] : request.headers()) {
            exchange.requestHeaders.emplaceBack(name, value);
            const QByteArray lower = name.toLower();
            if (lower != "host" && lower != "content-length" && lower != "connection")
                out.setRawHeader(name, value);
        }
        QNetworkReply *reply = m_nam.sendCustomRequest(out, exchange.method, exchange.requestBody);
        QObject::connect(
            reply, &QNetworkReply::finished, &m_nam, [this, reply, pending, exchange]() mutable {
                reply->deleteLater();
                exchange.status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                exchange.responseBody = reply->readAll();
                for (const auto &pair : reply->rawHeaderPairs())
                    exchange.responseHeaders.emplaceBack(pair.first, pair.second);
                m_exchanges.append(exchange);
                if (!pending->socket || exchange.status == 0)
                    return;
                auto &r = pending->responder;
                r.writeStatusLine(QHttpServerResponder::StatusCode(exchange.status));
                for (const auto &[name, value] : std::as_const(exchange.responseHeaders)) {
                    const QByteArray lower = name.toLower();
                    if (lower != "content-length" && lower != "connection"
                        && lower != "transfer-encoding")
                        r.writeHeader(name, value);
                }
                r.writeHeader("Content-Length", QByteArray::number(exchange.responseBody.size()));
                r.writeBody(exchange.responseBody.constData(), exchange.responseBody.size());
            });
    }

    QUrl m_target;
    QHttpServer m_server;
    QNetworkAccessManager m_nam;
    quint16 m_port = 0;
    QList<Exchange> m_exchanges;
};

//! A console on /events: every message it receives, parsed.
struct Console
{
    QWebSocket socket;
    QList<QJsonObject> messages;

    Console(const QUrl &relay, const QByteArray &token)
    {
        QObject::connect(
            &socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
                messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
        QUrl url = relay;
        url.setScheme(u"ws"_s);
        url.setPath(u"/events"_s);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token);
        socket.open(request);
    }
    bool hasHello() const
    {
        for (const QJsonObject &m : messages) {
            if (m.value("type"_L1).toString() == "hello"_L1)
                return true;
        }
        return false;
    }
    //! The relay events of `kind` about `callId`.
    QList<QJsonObject> relayEvents(const QString &kind, const QString &callId) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &m : messages) {
            if (m.value("type"_L1).toString() == "relay"_L1 && m.value("kind"_L1).toString() == kind
                && m.value("callId"_L1).toString() == callId)
                found.append(m);
        }
        return found;
    }
};

struct Options
{
    double timeScale = 5; //!< Graph's 15 s ring timeout becomes 3 s
    bool tap = false; //!< put a Tap between the relay and the sandbox
};

//! The sandbox, optionally a Tap, and the relay, with alice and bob (operators) and sam
//! (supervisor), the unattended policy off.
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Tap> tap;
    std::unique_ptr<Relay::RelayService> relay;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> tokens;
    std::unique_ptr<Graph::GraphClient> graph; //!< straight to the sandbox, with the app token

    QString start(const Options &options = {})
    {
        if (!dataDir.isValid())
            return u"no temporary directory"_s;
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = options.timeScale;
        sandboxConfig.seed = 11;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();
        QUrl graphHost = sandbox->baseUrl();
        if (options.tap) {
            tap = std::make_unique<Tap>(sandbox->baseUrl());
            if (!tap->isListening())
                return u"the tap cannot listen"_s;
            graphHost = tap->baseUrl();
        }

        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.dataDir = dataDir.path();
        config.graphBaseUrl = graphHost.resolved(QUrl(u"/v1.0"_s));
        config.tokenUrlTemplate =
            sandbox->baseUrl().toString() + u"/{tenantId}/oauth2/v2.0/token"_s;
        config.tenantId = sandboxConfig.tenantId;
        config.clientId = sandboxConfig.clientId;
        config.clientSecret = sandboxConfig.clientSecret;
        config.jwksUrl = sandbox->baseUrl().resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s));
        config.unattended = Relay::UnattendedMode::None;
        config.answerDeadline = std::chrono::seconds(60);
        config.operators = {
            { u"alice"_s, Relay::Role::Operator, Relay::OperatorDirectory::hashToken(AliceToken) },
            { u"bob"_s, Relay::Role::Operator, Relay::OperatorDirectory::hashToken(BobToken) },
            { u"sam"_s, Relay::Role::Supervisor, Relay::OperatorDirectory::hashToken(SamToken) },
        };
        // publicUrl must name the relay's own port, known only once it listens: take a free
        // port first, and another if someone took it meanwhile.
        QString error;
        for (int attempt = 0; attempt < 3; ++attempt) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0))
                return u"no free port"_s;
            config.listenPort = probe.serverPort();
            probe.close();
            config.publicUrl = QUrl(u"http://127.0.0.1:%1/callbacks"_s.arg(config.listenPort));
            relay = std::make_unique<Relay::RelayService>(config, &clock);
            if (relay->start(&error))
                break;
            relay.reset();
        }
        if (!relay)
            return u"relay: "_s + error;
        sandbox->engine()->setGlobalCallbackUrl(callbackUrl());

        Graph::ClientCredentialsTokenSource::Config tokenConfig;
        tokenConfig.tokenUrl = config.tokenUrl();
        tokenConfig.clientId = sandboxConfig.clientId;
        tokenConfig.clientSecret = sandboxConfig.clientSecret;
        tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(&nam, &clock, tokenConfig);
        graph = std::make_unique<Graph::GraphClient>(
            &nam, tokens.get(), &clock, sandbox->baseUrl().resolved(QUrl(u"/v1.0"_s)));
        return {};
    }

    //! Stops the relay and starts a new one on the same data directory and port.
    QString restartRelay()
    {
        const Relay::RelayConfig config = relay->config();
        relay->shutdown();
        relay.reset();
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return error;
        return {};
    }

    QString callbackUrl() const { return relay->config().publicUrl.toString(); }
    Relay::RelayState *state() const { return relay->state(); }

    //! A control-API request to the sandbox; the parsed JSON answer.
    QJsonObject control(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        return TestSupport::sandboxControl(nam, *sandbox, verb, path, body);
    }

    //! A request to the relay as a console makes it, not yet finished.
    QNetworkReply *send(const QByteArray &verb, const QString &pathAndQuery,
        const QByteArray &token, const QByteArray &body = {}, const HeaderList &headers = {},
        QNetworkAccessManager *client = nullptr)
    {
        QNetworkRequest request(QUrl::fromEncoded(
            relay->baseUrl().toEncoded(QUrl::StripTrailingSlash) + pathAndQuery.toUtf8(),
            QUrl::TolerantMode));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        if (!body.isEmpty())
            request.setRawHeader("Content-Type", "application/json");
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        return (client ? client : &nam)->sendCustomRequest(request, verb, body);
    }

    //! The same, waited for.
    HttpResult request(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &token,
        const QByteArray &body = {}, const HeaderList &headers = {})
    {
        QNetworkReply *reply = send(verb, pathAndQuery, token, body, headers);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(20000);
        reply->deleteLater();
        return readReply(reply);
    }

    //! A caller rings; returns the call id once the relay has the call.
    QString incomingCall(const QJsonObject &extra = {})
    {
        QJsonObject body { { "from"_L1,
            QJsonObject {
                { "displayName"_L1, u"Adele Vance"_s }, { "phone"_L1, u"+14255550101"_s } } } };
        for (auto it = extra.begin(); it != extra.end(); ++it)
            body.insert(it.key(), it.value());
        const QString callId =
            control("POST", u"/sandbox/incoming"_s, body).value("callId"_L1).toString();
        if (callId.isEmpty()
            || !QTest::qWaitFor([&] { return state()->book().find(callId) != nullptr; }, 5000))
            return {};
        return callId;
    }

    //! A call the bot answered (straight at the sandbox), once the relay has seen it
    //! established. `group`: an invitation into a group call with others in it.
    QString establishedCall(bool group = false)
    {
        const QString callId = group
            ? incomingCall(QJsonObject { { "groupInvite"_L1, true }, { "groupSize"_L1, 3 },
                { "from"_L1,
                    QJsonObject { { "displayName"_L1, u"Irina Smirnova"_s },
                        { "userId"_L1, u"8f1a9c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b"_s } } } })
            : incomingCall();
        if (callId.isEmpty())
            return {};
        Graph::AnswerParams answer;
        answer.callbackUri = callbackUrl();
        Graph::GraphReply *reply = graph->answer(callId, answer);
        reply->setAutoDelete(false);
        QSignalSpy done(reply, &Graph::GraphReply::finished);
        const bool ok = done.wait(10000) && reply->isSuccess();
        delete reply;
        if (!ok)
            return {};
        const bool established = QTest::qWaitFor(
            [&] {
                const Graph::CallEntry *entry = state()->book().find(callId);
                return entry && entry->call.state.text == "established"_L1
                    && (!group || entry->participants.size() > 2);
            },
            5000);
        return established ? callId : QString();
    }

    //! The call as the sandbox holds it (with participants and operations).
    QJsonObject sandboxCall(const QString &callId)
    {
        return TestSupport::sandboxCall(nam, *sandbox, callId);
    }

    //! A participant of the call other than the bot.
    QString someoneElse(const QString &callId) const
    {
        const Graph::CallEntry *entry = state()->book().find(callId);
        if (!entry)
            return {};
        for (const Graph::Participant &p : entry->participants) {
            if (p.id != entry->call.myParticipantId)
                return p.id;
        }
        return {};
    }
};

// ---- the contract's allow-list, as requests that succeed at the sandbox

//! What a request needs to succeed at the sandbox.
enum class Fixture { None, Incoming, Established, Group, Meeting };

inline const QString SomeUser = u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s;

inline QJsonObject userTarget()
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "user"_L1,
                QJsonObject { { "id"_L1, SomeUser }, { "displayName"_L1, u"Alex Wilber"_s } } } } }
    };
}

inline QJsonObject serviceMedia()
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } };
}

//! One row of the allow-list, with a request that succeeds on the right fixture.
struct RouteCase
{
    QString name;
    QByteArray method;
    QString path; //!< {id} {pid} {uid} {mid} are filled in
    QJsonObject body;
    Fixture fixture = Fixture::None;
    bool supervisorOnly = false;
    int success = 200;
};

inline QList<RouteCase> routeCases()
{
    const QJsonObject prompt { { "@odata.type"_L1, u"#microsoft.graph.mediaPrompt"_s },
        { "mediaInfo"_L1,
            QJsonObject { { "uri"_L1, u"https://example.org/hold.wav"_s },
                { "resourceId"_L1, u"hold"_s } } } };
    const QString calls = u"/communications/calls"_s;
    return {
        { u"createCall"_s, "POST", calls,
            { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
                { "targets"_L1, QJsonArray { userTarget() } },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "mediaConfig"_L1, serviceMedia() } },
            Fixture::None, false, 201 },
        { u"getCall"_s, "GET", calls + u"/{id}"_s, {}, Fixture::Established, false, 200 },
        { u"hangUp"_s, "DELETE", calls + u"/{id}"_s, {}, Fixture::Established, false, 204 },
        { u"answer"_s, "POST", calls + u"/{id}/answer"_s,
            { { "acceptedModalities"_L1, QJsonArray { u"audio"_s } },
                { "mediaConfig"_L1, serviceMedia() } },
            Fixture::Incoming, false, 202 },
        { u"reject"_s, "POST", calls + u"/{id}/reject"_s, { { "reason"_L1, u"busy"_s } },
            Fixture::Incoming, false, 202 },
        { u"redirect"_s, "POST", calls + u"/{id}/redirect"_s,
            { { "targets"_L1, QJsonArray { userTarget() } } }, Fixture::Incoming, false, 202 },
        { u"transfer"_s, "POST", calls + u"/{id}/transfer"_s,
            { { "transferTarget"_L1, userTarget() } }, Fixture::Established, false, 202 },
        { u"playPrompt"_s, "POST", calls + u"/{id}/playPrompt"_s,
            { { "prompts"_L1, QJsonArray { prompt } }, { "clientContext"_L1, u"hold"_s } },
            Fixture::Established, false, 200 },
        { u"subscribeToTone"_s, "POST", calls + u"/{id}/subscribeToTone"_s,
            { { "clientContext"_L1, u"menu"_s } }, Fixture::Established, false, 200 },
        { u"recordResponse"_s, "POST", calls + u"/{id}/recordResponse"_s,
            { { "maxRecordDurationInSeconds"_L1, 5 } }, Fixture::Established, false, 200 },
        { u"keepAlive"_s, "POST", calls + u"/{id}/keepAlive"_s, {}, Fixture::Established, false,
            200 },
        { u"mute"_s, "POST", calls + u"/{id}/mute"_s, { { "clientContext"_L1, u"m"_s } },
            Fixture::Group, false, 200 },
        { u"unmute"_s, "POST", calls + u"/{id}/unmute"_s, { { "clientContext"_L1, u"u"_s } },
            Fixture::Group, false, 200 },
        { u"cancelMediaProcessing"_s, "POST", calls + u"/{id}/cancelMediaProcessing"_s,
            { { "clientContext"_L1, u"c"_s } }, Fixture::Established, false, 200 },
        { u"listParticipants"_s, "GET", calls + u"/{id}/participants"_s, {}, Fixture::Established,
            false, 200 },
        { u"getParticipant"_s, "GET", calls + u"/{id}/participants/{pid}"_s, {}, Fixture::Group,
            false, 200 },
        { u"inviteParticipants"_s, "POST", calls + u"/{id}/participants/invite"_s,
            { { "participants"_L1, QJsonArray { userTarget() } } }, Fixture::Group, false, 200 },
        { u"muteParticipant"_s, "POST", calls + u"/{id}/participants/{pid}/mute"_s,
            { { "clientContext"_L1, u"s"_s } }, Fixture::Group, true, 200 },
        { u"removeParticipant"_s, "DELETE", calls + u"/{id}/participants/{pid}"_s, {},
            Fixture::Group, true, 204 },
        { u"createOnlineMeeting"_s, "POST", u"/users/{uid}/onlineMeetings"_s,
            { { "subject"_L1, u"Handover"_s }, { "startDateTime"_L1, u"2026-01-05T09:00:00Z"_s },
                { "endDateTime"_L1, u"2026-01-05T09:30:00Z"_s } },
            Fixture::None, false, 201 },
        { u"getOnlineMeeting"_s, "GET", u"/users/{uid}/onlineMeetings/{mid}"_s, {},
            Fixture::Meeting, false, 200 },
    };
}

inline RouteCase routeCase(const QString &name)
{
    for (const RouteCase &c : routeCases()) {
        if (c.name == name)
            return c;
    }
    return {};
}

inline QString encoded(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

inline QByteArray newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
}

inline QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace ActionsFixture

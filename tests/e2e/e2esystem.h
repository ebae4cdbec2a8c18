#pragma once

// The relay's end-to-end fixture: the sandbox as Graph, the relay with its policy and IVR flows,
// and a console's event stream, in one process; and the IVR flow the IVR tests run.

#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "relay/eventpublisher.h"
#include "relay/ivrflow.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "relay/relaystate.h"
#include "sandbox/sandboxserver.h"
#include "sandboxasgraph.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtEndian>

#include <functional>
#include <memory>

namespace E2e {

using namespace Qt::StringLiterals;

inline constexpr int Timeout = 10000;
inline const QByteArray OperatorToken = "e2e-operator-token";
inline const QString Colleague = u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s;

//! The sandbox as Graph, the relay with its policy and IVR flows, and a console's event stream, in
//! one process. The relay's clock is the real one: its deadlines are short instead, and the
//! sandbox's time scale keeps Graph's 15 s ring timeout (3 s here) above them.
struct System
{
    QTemporaryDir dataDir;
    Graph::SystemClock clock;
    QNetworkAccessManager nam;
    std::unique_ptr<Sandbox::SandboxServer> sandbox;
    std::unique_ptr<Relay::RelayService> relay;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> tokens;
    std::unique_ptr<Graph::GraphClient> graph; // the bot's own access to the sandbox
    QWebSocket console;
    QList<QJsonObject> messages; // what the console received, in order

    //! `adjust` changes the relay's configuration before it starts.
    QString start(const std::function<void(Relay::RelayConfig &)> &adjust)
    {
        Sandbox::ServerConfig sandboxConfig;
        sandboxConfig.timeScale = 5; // Graph's 15 s ring timeout becomes 3 s
        sandboxConfig.seed = 11;
        sandbox = std::make_unique<Sandbox::SandboxServer>(sandboxConfig, &clock);
        if (!sandbox->start())
            return u"sandbox: "_s + sandbox->errorString();

        // The relay sends its public URL to Graph as callbackUri, so it must be known before
        // the relay starts: a free port, taken again at once.
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return u"no free port"_s;
        const quint16 port = probe.serverPort();
        probe.close();

        Relay::RelayConfig config;
        config.listenHost = QHostAddress::LocalHost;
        config.listenPort = port;
        config.dataDir = dataDir.path();
        TestSupport::useSandboxAsGraph(config, *sandbox);
        config.publicUrl = QUrl(u"http://127.0.0.1:%1/callbacks"_s.arg(port));
        config.operators = { Relay::OperatorEntry { u"alice"_s, Relay::Role::Operator,
            Relay::OperatorDirectory::hashToken(OperatorToken) } };
        config.answerDeadline = std::chrono::seconds(1);
        config.unattended = Relay::UnattendedMode::None;
        adjust(config);
        relay = std::make_unique<Relay::RelayService>(config, &clock);
        QString error;
        if (!relay->start(&error))
            return u"relay: "_s + error;
        sandbox->engine()->setGlobalCallbackUrl(config.publicUrl.toString());

        Graph::ClientCredentialsTokenSource::Config tokenConfig;
        tokenConfig.tokenUrl = sandbox->baseUrl().resolved(
            QUrl(u"/%1/oauth2/v2.0/token"_s.arg(sandboxConfig.tenantId)));
        tokenConfig.clientId = sandboxConfig.clientId;
        tokenConfig.clientSecret = sandboxConfig.clientSecret;
        tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(&nam, &clock, tokenConfig);
        graph =
            std::make_unique<Graph::GraphClient>(&nam, tokens.get(), &clock, config.graphBaseUrl);

        QObject::connect(
            &console, &QWebSocket::textMessageReceived, &console, [this](const QString &text) {
                messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
        QUrl events = relay->baseUrl().resolved(QUrl(u"/events"_s));
        events.setScheme(u"ws"_s);
        QNetworkRequest request(events);
        request.setRawHeader("Authorization", "Bearer " + OperatorToken);
        console.open(request);
        return {};
    }

    bool consoleReady() const
    {
        return !messages.isEmpty() && messages.constFirst().value("type"_L1) == "hello"_L1;
    }

    QString callbackUrl() const { return relay->config().publicUrl.toString(); }

    //! The relay events of `kind` the console received for `callId`.
    QList<QJsonObject> streamed(const QString &kind, const QString &callId) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &m : messages) {
            if (m.value("type"_L1) == "relay"_L1 && m.value("kind"_L1).toString() == kind
                && m.value("callId"_L1).toString() == callId)
                found.append(m);
        }
        return found;
    }

    //! A control-API request to the sandbox; the parsed JSON answer.
    QJsonObject control(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        return TestSupport::sandboxControl(nam, *sandbox, verb, path, body, Timeout);
    }

    QString incoming(const QJsonObject &from)
    {
        return control("POST", u"/sandbox/incoming"_s, QJsonObject { { "from"_L1, from } })
            .value("callId"_L1)
            .toString();
    }

    //! The sandbox's call, as a Graph resource with "participants" and "operations".
    QJsonObject sandboxCall(const QString &callId)
    {
        return TestSupport::sandboxCall(nam, *sandbox, callId, Timeout);
    }

    QString sandboxState(const QString &callId)
    {
        return sandboxCall(callId).value("state"_L1).toString();
    }

    QString relayState(const QString &callId) const
    {
        const Graph::CallEntry *entry = relay->state()->book().find(callId);
        return entry ? entry->call.state.text : QString();
    }

    //! A request to the relay as alice: the HTTP status, and the JSON answer in `body`.
    int relayRequest(const QByteArray &verb, const QString &path, const QJsonObject &json,
        QJsonObject *body = nullptr)
    {
        QNetworkRequest request(relay->baseUrl().resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + OperatorToken);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.sendCustomRequest(request, verb, QJsonDocument(json).toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(Timeout))
            return 0;
        reply->deleteLater();
        if (body)
            *body = QJsonDocument::fromJson(reply->readAll()).object();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    //! The "ivr" events of `callId` with `action`.
    QList<QJsonObject> ivr(const QString &callId, const QString &action) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &m : streamed(u"ivr"_s, callId)) {
            if (m.value("action"_L1).toString() == action)
                found.append(m);
        }
        return found;
    }

    //! Whether the sandbox has the bot's subscribeToTone on `callId`: keys pressed before it
    //! are not heard (as with Graph).
    bool subscribed(const QString &callId)
    {
        for (const QJsonValue &op : sandboxCall(callId).value("operations"_L1).toArray()) {
            if (op.toObject()
                    .value("@odata.type"_L1)
                    .toString()
                    .endsWith("subscribeToToneOperation"_L1))
                return true;
        }
        return false;
    }

    //! How many tones the relay has received on `callId`.
    qsizetype tonesHeard(const QString &callId) const
    {
        const Graph::CallEntry *entry = relay->state()->book().find(callId);
        return entry ? entry->tones.size() : 0;
    }

    //! The caller presses `keys` on the phone.
    int press(const QString &callId, const QString &keys)
    {
        return control(
            "POST", u"/sandbox/calls/%1/tones"_s.arg(callId), QJsonObject { { "tones"_L1, keys } })
            .value("delivered"_L1)
            .toInt();
    }

    //! Runs a GraphClient request to its end; true when Graph answered 2xx.
    bool finish(Graph::GraphReply *reply, QString *why)
    {
        return TestSupport::finishGraphRequest(reply, why, Timeout);
    }
};

inline QJsonObject phoneCaller(const QString &name, const QString &number)
{
    return { { "displayName"_L1, name }, { "phone"_L1, number } };
}

inline QString media(const QString &name)
{
    return u"https://media.example.org/%1.wav"_s.arg(name);
}

//! A default flow: 1 transfers to a colleague, 2 leads to a sub-menu, 3 records a message,
//! 0 goes to the operators; one second without input is a failure, three fail.
inline QJsonObject testFlow()
{
    const QJsonObject choices {
        { "1"_L1, QJsonObject { { "do"_L1, u"transfer"_s }, { "target"_L1, Colleague } } },
        { "2"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"billing"_s } } },
        { "3"_L1,
            QJsonObject { { "do"_L1, u"record"_s }, { "prompt"_L1, media(u"message"_s) },
                { "goodbye"_L1, media(u"goodbye"_s) }, { "maxSeconds"_L1, 5 } } },
        { "0"_L1, QJsonObject { { "do"_L1, u"operators"_s } } },
    };
    const QJsonObject billing {
        { "prompt"_L1, media(u"billing"_s) },
        { "choices"_L1,
            QJsonObject {
                { "*"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"main"_s } } },
                { "9"_L1,
                    QJsonObject {
                        { "do"_L1, u"hangup"_s }, { "prompt"_L1, media(u"goodbye"_s) } } } } },
    };
    return QJsonObject {
        { "name"_L1, u"frontdesk"_s },
        { "default"_L1, true },
        { "start"_L1, u"main"_s },
        { "timeoutSeconds"_L1, 1 },
        { "maxFailures"_L1, 3 },
        { "invalidPrompt"_L1, media(u"invalid"_s) },
        { "noInputPrompt"_L1, media(u"noinput"_s) },
        { "fallback"_L1,
            QJsonObject { { "do"_L1, u"operators"_s }, { "prompt"_L1, media(u"hold"_s) } } },
        { "menus"_L1,
            QJsonObject {
                { "main"_L1,
                    QJsonObject { { "prompt"_L1, media(u"main"_s) }, { "choices"_L1, choices } } },
                { "billing"_L1, billing } } },
    };
}

inline QString writeFlow(const QTemporaryDir &dir, const QString &name, const QJsonObject &flow)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(QJsonDocument(flow).toJson());
    return path;
}

} // namespace E2e

#pragma once

// For tests that run a relay against the sandbox in one process (they link both): header-only,
// so that frontdesk_testsupport itself needs neither.

#include "graph/graphclient.h"
#include "relay/relayconfig.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrl>

namespace TestSupport {

//! Points `config` at `sandbox` as its Graph: the API's base URL, the token endpoint, the app's
//! tenant and credentials, and the keys that sign its callbacks.
inline void useSandboxAsGraph(Relay::RelayConfig &config, const Sandbox::SandboxServer &sandbox)
{
    using namespace Qt::StringLiterals;
    const Sandbox::ServerConfig &graph = sandbox.config();
    config.graphBaseUrl = sandbox.baseUrl().resolved(QUrl(u"/v1.0"_s));
    config.tokenUrlTemplate =
        sandbox.baseUrl().resolved(QUrl(u"/%1/oauth2/v2.0/token"_s.arg(graph.tenantId))).toString();
    config.tenantId = graph.tenantId;
    config.clientId = graph.clientId;
    config.clientSecret = graph.clientSecret;
    config.jwksUrl = sandbox.baseUrl().resolved(QUrl(u"/.well-known/OpenIdConfiguration"_s));
}

//! A request to the sandbox's control API (sandbox-contract.md); the parsed JSON answer, empty
//! when none came within `timeoutMs`.
inline QJsonObject sandboxControl(QNetworkAccessManager &nam, const Sandbox::SandboxServer &sandbox,
    const QByteArray &verb, const QString &path, const QJsonObject &body = {},
    int timeoutMs = 10000)
{
    using namespace Qt::StringLiterals;
    QNetworkRequest request(sandbox.baseUrl().resolved(QUrl(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = nam.sendCustomRequest(request, verb, QJsonDocument(body).toJson());
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(timeoutMs))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

//! The sandbox's call as GET /sandbox/state reports it, participants and operations included;
//! empty when it has none by that id.
inline QJsonObject sandboxCall(QNetworkAccessManager &nam, const Sandbox::SandboxServer &sandbox,
    const QString &callId, int timeoutMs = 10000)
{
    using namespace Qt::StringLiterals;
    const QJsonArray calls = sandboxControl(nam, sandbox, "GET", u"/sandbox/state"_s, {}, timeoutMs)
                                 .value("calls"_L1)
                                 .toArray();
    for (const QJsonValue &call : calls) {
        if (call.toObject().value("id"_L1).toString() == callId)
            return call.toObject();
    }
    return {};
}

//! Runs a GraphClient request to its end; true when Graph answered 2xx. Otherwise `why`, when
//! given, says what went wrong.
inline bool finishGraphRequest(Graph::GraphReply *reply, QString *why, int timeoutMs = 10000)
{
    using namespace Qt::StringLiterals;
    reply->setAutoDelete(false);
    QSignalSpy done(reply, &Graph::GraphReply::finished);
    const bool ended = reply->isFinished() || done.wait(timeoutMs);
    const bool ok = ended && reply->isSuccess();
    if (!ok && why)
        *why = reply->error() ? reply->error()->summary() : u"no answer"_s;
    reply->deleteLater();
    return ok;
}

} // namespace TestSupport

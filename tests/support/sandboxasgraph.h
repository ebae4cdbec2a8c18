#pragma once

// For tests that run a relay against the sandbox in one process (they link both): header-only,
// so that frontdesk_testsupport itself needs neither.

#include "relay/relayconfig.h"
#include "sandbox/sandboxserver.h"

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

} // namespace TestSupport

#pragma once

#include "graph/wireenums.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

#include <chrono>

namespace Graph {
class GraphReply;
}

// What the parts of the relay's policy (blocklist, unattended, keepalive, reconciler,
// transferwatch) share; internal to the relay.
namespace Relay {

//! "frontdesk.relay.policy": one line per action the relay takes on its own.
Q_DECLARE_LOGGING_CATEGORY(lcPolicy)

//! Graph drops an incoming call that nobody answered, rejected or redirected by then.
inline constexpr std::chrono::seconds GraphRingTimeout { 15 };

//! Answered and not over: the states in which a call needs keepAlive.
bool isConnectedState(Graph::CallState state);
//! The transfer states, from which a call ends (success) or returns to established (failure).
bool isTransferState(Graph::CallState state);

//! What a relay event says about a refused Graph request: {status, code, message, requestId}.
//! No tokens: only Graph's own error fields.
QJsonObject graphFailureFields(const Graph::GraphReply *reply);

} // namespace Relay

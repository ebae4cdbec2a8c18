#pragma once

#include "graph/streamstate.h"

namespace Relay {

using Graph::RelayProtocol::StreamEvent;

//! The relay's live state: the stream's state (graph/streamstate.h), rebuilt from the journal.
class RelayState final : public Graph::StreamState
{
public:
    using StreamState::StreamState;
};

} // namespace Relay

#pragma once

#include "relaycontext.h"

#include <QObject>

#include <memory>

namespace Relay {

//! Operators' actions (relay-contract.md "Graph action proxy for consoles" and the claims and
//! audit parts of "Relay's own API"): /graph/v1.0/... proxied to Graph with the bot's token after
//! the role and claim checks, POST/DELETE /api/calls/{id}/claim, and GET /api/audit.
class ActionGateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionGateway)

public:
    explicit ActionGateway(const RelayContext &context, QObject *parent = nullptr);
    ~ActionGateway() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Relay

#pragma once

#include "relaycontext.h"

#include <QObject>

#include <memory>

namespace Relay {

class AuditLog;
class ClaimRegistry;
class GraphProxy;

//! Operators' actions (relay-contract.md "Graph action proxy for consoles" and the claims and
//! audit parts of "Relay's own API"): /graph/v1.0/... proxied to Graph with the bot's token after
//! the role and claim checks, POST/DELETE /api/calls/{id}/claim, and GET /api/audit. Claims
//! lapse when their operator's last console goes away. Built after the HTTP server and before
//! it listens; it must be destroyed before the server and the parts in `context`.
class ActionGateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionGateway)

public:
    explicit ActionGateway(const RelayContext &context, QObject *parent = nullptr);
    ~ActionGateway() override;

    ClaimRegistry *claims() const;
    AuditLog *audit() const;
    GraphProxy *proxy() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Relay

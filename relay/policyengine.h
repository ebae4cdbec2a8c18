#pragma once

#include "relaycontext.h"

#include <QObject>

#include <memory>

namespace Relay {

//! What the relay does on its own (relay-contract.md [policy] and "Relay's own API" blocklist):
//! rejects blocklisted callers at once, answers (and plays the hold prompt) or redirects calls
//! nobody took by the answer deadline, keeps established calls alive, reconciles calls that went
//! quiet, and follows transfers to their outcome. Serves /api/blocklist.
class PolicyEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyEngine)

public:
    explicit PolicyEngine(const RelayContext &context, QObject *parent = nullptr);
    ~PolicyEngine() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Relay

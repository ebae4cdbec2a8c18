#include "policyengine.h"

namespace Relay {

struct PolicyEngine::Private
{ };

PolicyEngine::PolicyEngine(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    Q_UNUSED(context)
}

PolicyEngine::~PolicyEngine() = default;

} // namespace Relay

#include "actiongateway.h"

namespace Relay {

struct ActionGateway::Private
{ };

ActionGateway::ActionGateway(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    Q_UNUSED(context)
}

ActionGateway::~ActionGateway() = default;

} // namespace Relay

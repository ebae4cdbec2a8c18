// How the people that outgoing calls ring behave: they answer (the default), never answer,
// are busy, or the call fails. An extension of the control API (docs/sandbox.md).

#include "engine.h"
#include "engine_p.h"

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

Engine::CalleeBehaviour behaviourOf(
    const QHash<QString, Engine::CalleeBehaviour> &behaviours, const Graph::IdentitySet &identity)
{
    for (const auto &member : identity.members()) {
        if (member.second.id.isEmpty())
            continue;
        const auto it = behaviours.constFind(normalizeTarget(member.second.id));
        if (it != behaviours.cend())
            return *it;
    }
    return Engine::CalleeBehaviour::Answer;
}

} // namespace

void Engine::setCalleeBehaviours(const QHash<QString, CalleeBehaviour> &behaviours)
{
    d->callees.clear();
    for (auto it = behaviours.cbegin(); it != behaviours.cend(); ++it)
        d->callees.insert(normalizeTarget(it.key()), it.value());
}

bool Engine::Private::calleeDeclines(SimCall &c, quint64 flow)
{
    // Only a peer-to-peer call has one callee whose behaviour decides it.
    if (c.group || c.call.targets.size() != 1)
        return false;
    switch (behaviourOf(callees, c.call.targets.constFirst().identity)) {
    case Engine::CalleeBehaviour::Answer:
        return false;
    case Engine::CalleeBehaviour::NoAnswer:
        // Rings until Graph's ring timeout. Invented, as for incoming calls: 408/1106.
        afterExactly(Delay::RingTimeout, [this, &c, flow] {
            if (c.flow != flow || c.ending || c.call.state == Graph::CallState::Terminated)
                return;
            finish(c, resultInfo(408, 1106, u"Call was not answered within 15 seconds"_s));
        });
        return true;
    case Engine::CalleeBehaviour::Busy:
        finish(c, resultInfo(486, 0, u"Callee is busy"_s));
        return true;
    case Engine::CalleeBehaviour::Fail:
        // Invented: the code and the message of a call the platform could not connect.
        finish(c, resultInfo(500, 7002, u"Call failed to connect"_s));
        return true;
    }
    return false;
}

} // namespace Sandbox

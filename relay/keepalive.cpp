#include "keepalive.h"

#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "journal.h"
#include "metrics.h"
#include "policyshared.h"
#include "relayconfig.h"
#include "relaystate.h"

using namespace Qt::StringLiterals;

namespace Relay {

KeepAlive::KeepAlive(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

void KeepAlive::start()
{
    const Graph::CallBook &book = m_context.state->book();
    for (const QString &id : book.ids()) {
        const Graph::CallEntry *entry = book.find(id);
        if (entry && !entry->isEnded() && isConnectedState(entry->call.state.value)
            && !m_armed.contains(Graph::normalizeId(id)))
            arm(id, std::chrono::milliseconds(0));
    }
}

void KeepAlive::callChanged(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry || entry->isEnded()) {
        m_armed.remove(key);
        return;
    }
    if (isConnectedState(entry->call.state.value) && !m_armed.contains(key))
        arm(callId, m_context.config->keepAlive);
}

void KeepAlive::arm(const QString &callId, std::chrono::milliseconds delay)
{
    const quint64 generation = ++m_generation;
    m_armed.insert(Graph::normalizeId(callId), generation);
    m_context.clock->schedule(
        delay, this, [this, callId, generation] { send(callId, generation); });
}

void KeepAlive::send(const QString &callId, quint64 generation)
{
    const QString key = Graph::normalizeId(callId);
    if (m_armed.value(key) != generation)
        return; // forgotten (ended) or re-armed since
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry || entry->isEnded()) {
        m_armed.remove(key);
        return;
    }
    if (!m_context.journal->isOpen())
        return; // the relay has stopped
    Graph::GraphReply *reply = m_context.graph->keepAlive(callId);
    connect(reply, &Graph::GraphReply::finished, this, [this, callId, key, generation, reply] {
        m_context.metrics->countGraphRequest(reply->httpStatus());
        if (m_armed.value(key) != generation)
            return;
        if (reply->isSuccess()) {
            qCDebug(lcPolicy).noquote() << "call" << callId << "kept alive";
            arm(callId, m_context.config->keepAlive);
            return;
        }
        const Graph::CallEntry *now = m_context.state->book().find(callId);
        if (reply->httpStatus() == 404) {
            m_armed.remove(key);
            if (now && !now->isEnded() && m_context.journal->isOpen()) {
                qCInfo(lcPolicy).noquote() << "call" << callId << "expired: keepAlive answered 404";
                m_context.publisher->publishRelay(
                    u"expired"_s, callId, { { "reason"_L1, u"keepAlive"_s } });
            }
            return;
        }
        qCWarning(lcPolicy).noquote()
            << "call" << callId << "keepAlive failed, retried at the next round:"
            << (reply->error() ? reply->error()->summary() : QString());
        if (now && !now->isEnded())
            arm(callId, m_context.config->keepAlive);
        else
            m_armed.remove(key);
    });
}

} // namespace Relay

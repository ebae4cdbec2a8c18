#include "reconciler.h"

#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "journal.h"
#include "metrics.h"
#include "policyshared.h"
#include "relayconfig.h"
#include "relaystate.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

Reconciler::Reconciler(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

std::chrono::milliseconds Reconciler::scanInterval(std::chrono::seconds reconcileAfter)
{
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(30), reconcileAfter);
}

void Reconciler::start()
{
    scheduleScan();
}

void Reconciler::scheduleScan()
{
    m_context.clock->schedule(scanInterval(m_context.config->reconcileAfter), this, [this] {
        if (!m_context.journal->isOpen())
            return; // the relay has stopped; a new start makes a new reconciler
        scan();
        scheduleScan();
    });
}

void Reconciler::scan()
{
    const QDateTime now = m_context.clock->now();
    const qint64 quiet = std::chrono::milliseconds(m_context.config->reconcileAfter).count();
    const Graph::CallBook &book = m_context.state->book();
    QSet<QString> live;
    for (const QString &id : book.ids()) {
        const Graph::CallEntry *entry = book.find(id);
        if (!entry || entry->isEnded())
            continue;
        const QString key = Graph::normalizeId(id);
        live.insert(key);
        const QDateTime lastEvent = m_context.state->meta(id).lastEventAt;
        const QDateTime checked = m_checkedAt.value(key);
        const QDateTime last = checked.isValid() && checked > lastEvent ? checked : lastEvent;
        if (!m_inFlight.contains(key) && last.isValid() && last.msecsTo(now) >= quiet)
            reconcile(id);
    }
    // Ended and dropped calls need no more checks.
    for (auto it = m_checkedAt.begin(); it != m_checkedAt.end();)
        it = live.contains(it.key()) ? std::next(it) : m_checkedAt.erase(it);
}

void Reconciler::reconcile(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    m_inFlight.insert(key);
    qCDebug(lcPolicy).noquote() << "call" << callId << "is quiet; reading it from Graph";
    Graph::GraphReply *reply = m_context.graph->getCall(callId);
    connect(reply, &Graph::GraphReply::finished, this, [this, callId, key, reply] {
        m_inFlight.remove(key);
        m_context.metrics->countGraphRequest(reply->httpStatus());
        if (!m_context.journal->isOpen())
            return;
        const Graph::CallEntry *entry = m_context.state->book().find(callId);
        if (!entry || entry->isEnded())
            return; // ended while the request was out: nothing left to reconcile
        if (reply->isSuccess()) {
            m_checkedAt.insert(key, m_context.clock->now());
            applyResource(callId, QJsonDocument::fromJson(reply->body()).object());
            return;
        }
        if (reply->httpStatus() == 404) {
            qCInfo(lcPolicy).noquote()
                << "call" << callId << "expired: Graph no longer knows it (GET answered 404)";
            m_context.publisher->publishRelay(
                u"expired"_s, callId, { { "reason"_L1, u"reconciliation"_s } });
            return;
        }
        qCWarning(lcPolicy).noquote()
            << "call" << callId << "could not be reconciled, retried at the next scan:"
            << (reply->error() ? reply->error()->summary() : QString());
    });
}

void Reconciler::applyResource(const QString &callId, QJsonObject resource)
{
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry)
        return;
    if (!resource.contains("@odata.type"_L1))
        resource.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    // Only news goes into the journal: a quiet call that Graph still shows as the state does
    // would otherwise add an event at every check. A book holding just this call says whether
    // the resource changes anything, exactly as the real one would.
    Graph::CallBook scratch(m_context.state->book().retainEnded());
    scratch.reset({ *entry });
    const QDateTime now = m_context.clock->now();
    if (scratch.applyCall(Graph::decodeCall(resource), now).outcome
        != Graph::ApplyResult::Outcome::Applied) {
        qCDebug(lcPolicy).noquote() << "call" << callId << "is as the state says";
        return;
    }
    QList<StreamEvent> events { callUpdateEvent(callId, resource, u"reconciliation"_s) };
    QString why;
    if (m_context.publisher->publish(events, &why)) {
        qCInfo(lcPolicy).noquote() << "call" << callId << "reconciled: Graph shows it"
                                   << resource.value("state"_L1).toString();
    } else {
        qCWarning(lcPolicy).noquote() << "call" << callId << "reconciliation not journaled:" << why;
    }
}

} // namespace Relay

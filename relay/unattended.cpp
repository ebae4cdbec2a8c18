#include "unattended.h"

#include "blocklist.h"
#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "ivrrunner.h"
#include "journal.h"
#include "metrics.h"
#include "policyshared.h"
#include "relayconfig.h"
#include "relaystate.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

// Lets a console tell the hold prompt's operation from those an operator starts.
constexpr auto HoldPromptContext = "frontdesk-hold-prompt"_L1;

} // namespace

UnattendedPolicy::UnattendedPolicy(
    const RelayContext &context, const Blocklist *blocklist, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_blocklist(blocklist)
{ }

void UnattendedPolicy::consider(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    if (key.isEmpty() || m_considered.contains(key))
        return;
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry || entry->isEnded() || entry->call.state != Graph::CallState::Incoming
        || entry->call.direction == Graph::CallDirection::Outgoing)
        return;
    const Graph::RelayProtocol::CallMeta meta = m_context.state->meta(callId);
    if (!meta.handledBy.isEmpty())
        return;
    m_considered.insert(key);

    if (const QString blocked = m_blocklist->match(entry->call); !blocked.isEmpty()) {
        reject(callId, blocked);
        return;
    }
    const QDateTime now = m_context.clock->now();
    if (entry->firstSeenAt.addSecs(GraphRingTimeout.count()) <= now) {
        // Seen ringing before a restart, and Graph has dropped it since: acting would only
        // fail. The reconciler finds out how it ended.
        qCInfo(lcPolicy).noquote()
            << "call" << callId << "rang out while the relay was away; no unattended action";
        return;
    }
    if (const IvrFlow *flow = m_ivr ? m_ivr->flowForCall(callId) : nullptr) {
        // An IVR answers first; operators see the call in its menu and may take it out.
        m_acted.insert(key);
        m_ivr->take(callId, *flow, u"ivr"_s);
        return;
    }
    const RelayConfig &config = *m_context.config;
    if (config.unattended == UnattendedMode::None) {
        qCDebug(lcPolicy).noquote() << "call" << callId << "rings; unattended=none";
        return;
    }
    const QDateTime deadline = meta.answerDeadline.isValid()
        ? meta.answerDeadline
        : entry->firstSeenAt.addSecs(config.answerDeadline.count());
    const std::chrono::milliseconds delay(std::max<qint64>(0, now.msecsTo(deadline)));
    m_context.clock->schedule(delay, this, [this, callId] { fire(callId); });
    qCDebug(lcPolicy).noquote() << "call" << callId << "rings; unattended"
                                << unattendedModeName(config.unattended) << "at"
                                << deadline.toString(Qt::ISODateWithMs);
}

void UnattendedPolicy::fire(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    if (!m_context.journal->isOpen() || m_acted.contains(key))
        return;
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry || entry->isEnded() || entry->call.state != Graph::CallState::Incoming) {
        qCDebug(lcPolicy).noquote() << "call" << callId << "no longer rings at its deadline";
        return;
    }
    // A claim alone is no decision: only an action (handledBy) keeps the relay out.
    if (const QString by = m_context.state->meta(callId).handledBy; !by.isEmpty()) {
        qCDebug(lcPolicy).noquote() << "call" << callId << "was handled by" << by;
        return;
    }
    m_acted.insert(key);
    switch (m_context.config->unattended) {
    case UnattendedMode::Answer:
        answer(callId);
        break;
    case UnattendedMode::Redirect:
        redirect(callId);
        break;
    case UnattendedMode::None:
        break;
    }
}

void UnattendedPolicy::reject(const QString &callId, const QString &entry)
{
    m_acted.insert(Graph::normalizeId(callId));
    if (!publishPolicy(callId,
            { { "action"_L1, u"rejected"_s }, { "reason"_L1, u"blocklist"_s },
                { "entry"_L1, entry } }))
        return;
    qCInfo(lcPolicy).noquote() << "call" << callId << "rejected: the caller" << entry
                               << "is blocklisted";
    Graph::GraphReply *reply = m_context.graph->reject(
        callId, Graph::RejectReason::Forbidden, m_context.config->publicUrl.toString());
    connect(reply, &Graph::GraphReply::finished, this,
        [this, callId, reply] { finished(callId, u"reject"_s, reply); });
}

void UnattendedPolicy::answer(const QString &callId)
{
    if (const IvrFlow *flow = m_ivr ? m_ivr->policyFlow() : nullptr) {
        m_ivr->take(callId, *flow, u"unattended"_s);
        return;
    }
    if (!publishPolicy(
            callId, { { "action"_L1, u"answered"_s }, { "reason"_L1, u"unattended"_s } }))
        return;
    qCInfo(lcPolicy).noquote() << "call" << callId
                               << "answered: nobody took it by the answer deadline";
    const QString key = Graph::normalizeId(callId);
    if (!m_context.config->holdPromptUri.isEmpty())
        m_awaitingPrompt.insert(key);
    Graph::AnswerParams params;
    params.callbackUri = m_context.config->publicUrl.toString();
    params.acceptedModalities = { Graph::Modality::Audio };
    Graph::GraphReply *reply = m_context.graph->answer(callId, params);
    connect(reply, &Graph::GraphReply::finished, this, [this, callId, key, reply] {
        if (!finished(callId, u"answer"_s, reply))
            m_awaitingPrompt.remove(key);
    });
}

void UnattendedPolicy::redirect(const QString &callId)
{
    const QString target = m_context.config->redirectTarget;
    if (!publishPolicy(callId,
            { { "action"_L1, u"redirected"_s }, { "reason"_L1, u"unattended"_s },
                { "target"_L1, target } }))
        return;
    qCInfo(lcPolicy).noquote() << "call" << callId
                               << u"redirected to %1: nobody took it by the answer deadline"_s.arg(
                                      target);
    Graph::InvitationParticipantInfo invitation;
    invitation.identity = target.startsWith(u'+') ? Graph::IdentitySet::phone(target)
                                                  : Graph::IdentitySet::user(target);
    Graph::RedirectParams params;
    params.targets = { invitation };
    params.callbackUri = m_context.config->publicUrl.toString();
    Graph::GraphReply *reply = m_context.graph->redirect(callId, params);
    connect(reply, &Graph::GraphReply::finished, this,
        [this, callId, reply] { finished(callId, u"redirect"_s, reply); });
}

void UnattendedPolicy::callChanged(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry)
        return;
    if (entry->isEnded()) {
        m_awaitingPrompt.remove(key);
        m_considered.remove(key);
        m_acted.remove(key);
        return;
    }
    if (entry->call.state == Graph::CallState::Established && m_awaitingPrompt.remove(key))
        playHoldPrompt(callId);
}

void UnattendedPolicy::playHoldPrompt(const QString &callId)
{
    if (!m_context.journal->isOpen())
        return;
    Graph::MediaInfo prompt;
    prompt.uri = m_context.config->holdPromptUri.toString();
    qCInfo(lcPolicy).noquote() << "call" << callId << "gets the hold prompt";
    Graph::GraphReply *reply =
        m_context.graph->playPrompt(callId, { prompt }, QString(HoldPromptContext));
    connect(reply, &Graph::GraphReply::finished, this,
        [this, callId, reply] { finished(callId, u"playPrompt"_s, reply); });
}

bool UnattendedPolicy::publishPolicy(const QString &callId, const QJsonObject &fields)
{
    QString why;
    if (m_context.publisher->publishRelay(u"policy"_s, callId, fields, &why))
        return true;
    // Without the event a racing operator would not see the call as taken: better not to act.
    qCWarning(lcPolicy).noquote() << "call" << callId << "left alone: the policy event"
                                  << fields.value("action"_L1).toString()
                                  << "was not journaled:" << why;
    return false;
}

bool UnattendedPolicy::finished(
    const QString &callId, const QString &attempted, const Graph::GraphReply *reply)
{
    m_context.metrics->countGraphRequest(reply->httpStatus());
    if (reply->isSuccess())
        return true;
    QJsonObject fields = graphFailureFields(reply);
    qCWarning(lcPolicy).noquote() << "call" << callId << attempted << "refused:"
                                  << (reply->error() ? reply->error()->summary() : QString());
    if (!m_context.journal->isOpen())
        return false;
    fields.insert("action"_L1, u"failed"_s);
    fields.insert("attempted"_L1, attempted);
    m_context.publisher->publishRelay(u"policy"_s, callId, fields);
    return false;
}

} // namespace Relay

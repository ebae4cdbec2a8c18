#include "transferwatch.h"

#include "eventpublisher.h"
#include "graph/callbook.h"
#include "graph/codec.h"
#include "graph/ids.h"
#include "journal.h"
#include "policyshared.h"

using namespace Qt::StringLiterals;

namespace Relay {

TransferWatch::TransferWatch(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

void TransferWatch::start()
{
    const Graph::CallBook &book = m_context.state->book();
    for (const QString &id : book.ids()) {
        const Graph::CallEntry *entry = book.find(id);
        const QString key = Graph::normalizeId(id);
        if (!entry || entry->isEnded() || m_states.contains(key))
            continue;
        m_states.insert(key, entry->call.state.value);
        if (isTransferState(entry->call.state.value))
            m_transferring.insert(key);
    }
}

void TransferWatch::observeRelay(const StreamEvent &event)
{
    if (event.relayKind() == "expired"_L1) {
        m_states.remove(Graph::normalizeId(event.callId()));
        m_transferring.remove(Graph::normalizeId(event.callId()));
    }
}

void TransferWatch::observe(const Graph::CommsNotification &n)
{
    if (n.kind != Graph::ResourceKind::Call || n.callId.isEmpty())
        return;
    const QJsonObject data = n.resourceData.toObject();
    Graph::CallState to = Graph::CallState::Unknown;
    if (n.changeType == Graph::ChangeType::Deleted)
        to = Graph::CallState::Terminated;
    else if (const QJsonValue state = data.value("state"_L1); state.isString())
        to = Graph::parseWireEnum<Graph::CallState>(state.toString()).value;
    if (to == Graph::CallState::Unknown)
        return;

    const QString callId = n.callId;
    const QString key = Graph::normalizeId(callId);
    const auto known = m_states.constFind(key);
    const Graph::CallState from = known == m_states.cend() ? Graph::CallState::Unknown : *known;
    if (from == to
        || (from != Graph::CallState::Unknown && !Graph::CallBook::isForwardTransition(from, to)))
        return;
    if (to == Graph::CallState::Terminated)
        m_states.remove(key);
    else
        m_states.insert(key, to);
    if (isTransferState(to)) {
        m_transferring.insert(key);
        return;
    }
    // "terminating" may come between transferAccepted and the end: the transfer is still open.
    const bool completed = to == Graph::CallState::Terminated;
    const bool failed = to == Graph::CallState::Established || to == Graph::CallState::Hold;
    if ((!completed && !failed) || !m_transferring.remove(key))
        return;
    // The notification's own resultInfo tells this outcome; the merged one is a fallback.
    Graph::ResultInfo result = Graph::decodeResultInfo(data.value("resultInfo"_L1).toObject());
    if (!result.isPresent()) {
        if (const Graph::CallEntry *entry = m_context.state->book().find(callId))
            result = entry->call.resultInfo;
    }
    QJsonObject fields { { "outcome"_L1, completed ? u"completed"_s : u"failed"_s } };
    if (result.code)
        fields.insert("code"_L1, *result.code);
    if (result.subcode)
        fields.insert("subcode"_L1, *result.subcode);
    if (!result.message.isEmpty())
        fields.insert("message"_L1, result.message);
    const QString codes = u"%1/%2"_s.arg(result.code ? QString::number(*result.code) : u"-"_s,
        result.subcode ? QString::number(*result.subcode) : u"-"_s);
    if (completed) {
        qCInfo(lcPolicy).noquote() << "call" << callId << "transfer completed" << codes;
    } else {
        qCInfo(lcPolicy).noquote()
            << "call" << callId
            << u"transfer failed %1; the call is back in the queue"_s.arg(codes);
    }
    if (m_context.journal->isOpen())
        m_context.publisher->publishRelay(u"transfer"_s, callId, fields);
}

} // namespace Relay

#include "claims.h"

#include "eventpublisher.h"
#include "relaystate.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcClaims, "frontdesk.relay.actions")

} // namespace

ClaimRegistry::ClaimRegistry(RelayState *state, EventPublisher *publisher, QObject *parent)
    : QObject(parent)
    , m_state(state)
    , m_publisher(publisher)
{ }

bool ClaimRegistry::knows(const QString &callId) const
{
    return !callId.isEmpty() && m_state->book().find(callId) != nullptr;
}

bool ClaimRegistry::hasEnded(const QString &callId) const
{
    const Graph::CallEntry *entry = callId.isEmpty() ? nullptr : m_state->book().find(callId);
    return entry && entry->isEnded();
}

QString ClaimRegistry::holder(const QString &callId) const
{
    return knows(callId) ? m_state->meta(callId).claimedBy : QString();
}

bool ClaimRegistry::publish(const QString &kind, const QString &callId, const QJsonObject &fields)
{
    QString why;
    if (m_publisher->publishRelay(kind, callId, fields, &why))
        return true;
    qCWarning(lcClaims).noquote() << u"%1 on call %2 not journaled: %3"_s.arg(kind, callId, why);
    return false;
}

ClaimRegistry::Outcome ClaimRegistry::claim(
    const OperatorIdentity &op, const QString &callId, bool takeOver, const QJsonObject &fields)
{
    using Kind = Outcome::Kind;
    if (!knows(callId))
        return { Kind::UnknownCall, {} };
    const QString current = holder(callId);
    if (current == op.name)
        return { Kind::AlreadyHeld, current };
    if (!current.isEmpty() && !(takeOver && op.isSupervisor()))
        return { Kind::HeldByOther, current };

    QJsonObject event = fields;
    event.insert("by"_L1, op.name);
    if (!current.isEmpty())
        event.insert("previous"_L1, current);
    if (!publish(u"claimed"_s, callId, event))
        return { Kind::JournalError, current };
    return { Kind::Claimed, op.name };
}

ClaimRegistry::Outcome ClaimRegistry::release(
    const OperatorIdentity &op, const QString &callId, const QJsonObject &fields)
{
    using Kind = Outcome::Kind;
    if (!knows(callId))
        return { Kind::UnknownCall, {} };
    const QString current = holder(callId);
    if (current.isEmpty())
        return { Kind::NotClaimed, {} };
    if (current != op.name && !op.isSupervisor())
        return { Kind::Forbidden, current };

    QJsonObject event = fields;
    event.insert("by"_L1, op.name);
    event.insert("holder"_L1, current);
    if (!publish(u"released"_s, callId, event))
        return { Kind::JournalError, current };
    return { Kind::Released, {} };
}

int ClaimRegistry::releaseAllOf(const QString &operatorName, const QString &reason)
{
    QStringList held;
    for (const QString &callId : m_state->book().ids()) {
        if (m_state->meta(callId).claimedBy == operatorName)
            held.append(callId);
    }
    int released = 0;
    // Collected first: each event changes the state being walked.
    for (const QString &callId : std::as_const(held)) {
        const QJsonObject fields { { "by"_L1, operatorName }, { "holder"_L1, operatorName },
            { "reason"_L1, reason } };
        if (publish(u"released"_s, callId, fields))
            ++released;
    }
    if (released > 0) {
        qCInfo(lcClaims).noquote()
            << u"%1 claims of %2 lapsed (%3)"_s.arg(released).arg(operatorName, reason);
    }
    return released;
}

HttpAnswer ClaimRegistry::serve(
    const OperatorIdentity &op, const QHttpServerRequest &request, const QString &callId)
{
    using Kind = Outcome::Kind;
    const auto method = request.method();
    if (method != QHttpServerRequest::Method::Post && method != QHttpServerRequest::Method::Delete)
        return apiMethodNotAllowed("POST, DELETE");
    HttpAnswer refusal;
    if (!apiJsonBody(request, &refusal))
        return refusal;
    if (!knows(callId))
        return apiError(404, u"notFound"_s, u"the relay knows no call %1"_s.arg(callId));

    if (method == QHttpServerRequest::Method::Post) {
        if (hasEnded(callId))
            return apiError(404, u"callEnded"_s, u"call %1 has ended"_s.arg(callId));
        const Outcome outcome = claim(op, callId, true);
        switch (outcome.kind) {
        case Kind::Claimed:
        case Kind::AlreadyHeld:
            return apiJson(200, QJsonObject { { "claimedBy"_L1, outcome.holder } });
        case Kind::HeldByOther: {
            const QJsonObject error { { "code"_L1, u"callClaimed"_s },
                { "message"_L1, u"call %1 is claimed by %2"_s.arg(callId, outcome.holder) } };
            return apiJson(
                409, QJsonObject { { "claimedBy"_L1, outcome.holder }, { "error"_L1, error } });
        }
        default:
            break;
        }
        return apiError(500, u"journalError"_s, u"the claim could not be stored"_s);
    }

    const Outcome outcome = release(op, callId);
    switch (outcome.kind) {
    case Kind::Released:
    case Kind::NotClaimed:
        return { 204, {}, {} };
    case Kind::Forbidden:
        return apiError(403, u"forbidden"_s,
            u"call %1 is claimed by %2; only they or a supervisor may release it"_s.arg(
                callId, outcome.holder));
    default:
        break;
    }
    return apiError(500, u"journalError"_s, u"the release could not be stored"_s);
}

} // namespace Relay

#include "ivrrunner.h"

#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "graph/wireenums.h"
#include "journal.h"
#include "metrics.h"
#include "policyshared.h"
#include "relayconfig.h"
#include "relaystate.h"

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

// The clientContext of the runner's own prompts and recordings: "frontdesk-ivr-<n>".
constexpr auto ContextPrefix = "frontdesk-ivr-"_L1;

QList<Graph::MediaInfo> mediaOf(const QStringList &uris)
{
    QList<Graph::MediaInfo> out;
    for (const QString &uri : uris) {
        Graph::MediaInfo info;
        info.uri = uri;
        out.append(info);
    }
    return out;
}

} // namespace

IvrRunner::IvrRunner(const RelayContext &context, QList<IvrFlow> flows, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_flows(std::move(flows))
{ }

const IvrFlow *IvrRunner::flowForCall(const QString &callId) const
{
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry)
        return nullptr;
    QString caller;
    if (entry->call.source) {
        const Graph::IdentitySet &identity = entry->call.source->identity;
        caller = identity.phoneNumber();
        if (caller.isEmpty()) {
            if (const auto primary = identity.primary())
                caller = primary->second.id;
        }
    }
    return findIvrFlow(m_flows, caller);
}

const IvrFlow *IvrRunner::policyFlow() const
{
    for (const IvrFlow &flow : m_flows) {
        if (flow.name == m_context.config->policyFlow)
            return &flow;
    }
    return nullptr;
}

bool IvrRunner::isInFlow(const QString &callId) const
{
    return m_sessions.contains(Graph::normalizeId(callId));
}

bool IvrRunner::take(const QString &callId, const IvrFlow &flow, const QString &reason)
{
    QString why;
    // Published before the answer goes out, so a racing operator finds the call handled.
    if (!m_context.publisher->publishRelay(u"policy"_s, callId,
            { { "action"_L1, u"answered"_s }, { "reason"_L1, reason }, { "flow"_L1, flow.name } },
            &why)) {
        qCWarning(lcPolicy).noquote()
            << "call" << callId << "left alone: the policy event was not journaled:" << why;
        return false;
    }
    auto s = std::make_shared<Session>();
    s->callId = callId;
    s->flow = &flow;
    s->menu = flow.start;
    m_sessions.insert(Graph::normalizeId(callId), s);
    qCInfo(lcPolicy).noquote() << "call" << callId << "answered into IVR flow" << flow.name;

    Graph::AnswerParams params;
    params.callbackUri = m_context.config->publicUrl.toString();
    params.acceptedModalities = { Graph::Modality::Audio };
    params.preFetchMedia = mediaOf(flow.prompts());
    Graph::GraphReply *reply = m_context.graph->answer(callId, params);
    connect(reply, &Graph::GraphReply::finished, this, [this, s, reply] {
        m_context.metrics->countGraphRequest(reply->httpStatus());
        if (reply->isSuccess())
            return;
        finish(*s);
        QJsonObject fields = graphFailureFields(reply);
        fields.insert("action"_L1, u"failed"_s);
        fields.insert("attempted"_L1, u"answer"_s);
        if (m_context.journal->isOpen())
            m_context.publisher->publishRelay(u"policy"_s, s->callId, fields);
    });
    return true;
}

void IvrRunner::start()
{
    const QStringList ids = m_context.state->book().ids(); // publishing changes the state
    for (const QString &id : ids) {
        const Graph::CallEntry *entry = m_context.state->book().find(id);
        const Graph::RelayProtocol::CallMeta meta = m_context.state->meta(id);
        if (!entry || entry->isEnded() || meta.ivrStatus != "menu"_L1 || isInFlow(id))
            continue;
        qCInfo(lcPolicy).noquote() << "call" << id << "was in IVR flow" << meta.ivrFlow
                                   << "before the restart; it goes to the operators' queue";
        m_context.publisher->publishRelay(u"ivr"_s, entry->call.id,
            { { "flow"_L1, meta.ivrFlow }, { "action"_L1, u"routed"_s },
                { "menu"_L1, meta.ivrMenu }, { "target"_L1, u"operators"_s },
                { "reason"_L1, u"restart"_s } });
    }
}

void IvrRunner::callChanged(const QString &callId)
{
    const SessionPtr s = m_sessions.value(Graph::normalizeId(callId));
    if (!s)
        return;
    const Graph::CallEntry *entry = m_context.state->book().find(callId);
    if (!entry || entry->isEnded()) {
        finish(*s);
        return;
    }
    if (!m_context.journal->isOpen())
        return;
    if (s->phase == Phase::Answering) {
        if (entry->call.state != Graph::CallState::Established)
            return;
        // Keys pressed before the flow listened are not choices.
        for (const Graph::ToneInfo &tone : entry->tones)
            s->tones.insert(tone.sequenceId);
        enterMenu(s, s->flow->start, {});
        if (!live(s))
            return;
        entry = m_context.state->book().find(callId);
        if (!entry)
            return;
    }
    if (!s->awaiting.isEmpty()) {
        for (const Graph::CommsOperation &op : entry->operations) {
            if (op.clientContext == s->awaiting && op.isFinished()) {
                const int code = op.resultInfo.code.value_or(0);
                promptEnded(s, op.recordingLocation, code);
                break;
            }
        }
        if (!live(s))
            return;
        entry = m_context.state->book().find(callId);
        if (!entry)
            return;
    }
    // Tones are ordered by sequenceId and free of repeats (CallBook); each one counts once, when
    // it arrives (a reordered key too).
    const QList<Graph::ToneInfo> tones = entry->tones;
    for (const Graph::ToneInfo &tone : tones) {
        if (!live(s))
            return;
        if (s->tones.contains(tone.sequenceId))
            continue;
        s->tones.insert(tone.sequenceId);
        if (s->phase == Phase::Prompting || s->phase == Phase::Waiting)
            onTone(s, QString(Graph::toneChar(tone.tone.value)));
    }
}

void IvrRunner::relayEvent(const QString &kind, const QString &callId, const QJsonObject &event)
{
    if (kind != "claimed"_L1)
        return;
    const SessionPtr s = m_sessions.value(Graph::normalizeId(callId));
    if (!s)
        return;
    const QString by = event.value("by"_L1).toString();
    finish(*s); // first: nothing the event sets off may act on the call any more
    ++s->generation;
    QString why;
    m_context.publisher->publishRelay(u"ivr"_s, callId,
        { { "flow"_L1, s->flow->name }, { "action"_L1, u"left"_s }, { "menu"_L1, s->menu },
            { "by"_L1, by } },
        &why);
    qCInfo(lcPolicy).noquote() << "call" << callId << "left IVR flow" << s->flow->name << "in menu"
                               << s->menu << ": claimed by" << by;
    if (s->phase != Phase::Answering && m_context.journal->isOpen()) {
        // The caller should hear the operator, not the rest of a menu.
        watch(callId, u"cancelMediaProcessing"_s,
            m_context.graph->cancelMediaProcessing(callId, u"frontdesk-ivr-left"_s));
    }
}

void IvrRunner::enterMenu(const SessionPtr &s, const QString &menu, const QString &before)
{
    const IvrMenu *m = s->flow->menu(menu);
    if (!m)
        return; // a loaded flow has no such action
    s->menu = menu;
    ++s->generation;
    s->phase = Phase::Prompting;
    s->awaiting.clear();
    if (!publish(s, u"entered"_s))
        return;
    if (!s->subscribed) {
        s->subscribed = true;
        watch(s->callId, u"subscribeToTone"_s,
            m_context.graph->subscribeToTone(s->callId, u"frontdesk-ivr-tones"_s));
    }
    QStringList uris;
    if (!before.isEmpty())
        uris.append(before);
    uris.append(m->prompt);
    play(s, uris);
}

void IvrRunner::onTone(const SessionPtr &s, const QString &key)
{
    const IvrMenu *m = s->flow->menu(s->menu);
    if (!m || !m->choices.contains(key)) {
        onFailure(s, u"invalid"_s, key);
        return;
    }
    const IvrAction action = m->choices.value(key);
    s->failures = 0;
    ++s->generation;
    if (!publish(s, u"digit"_s, { { "digit"_L1, key } }))
        return;
    run(s, action);
}

void IvrRunner::onFailure(const SessionPtr &s, const QString &action, const QString &key)
{
    ++s->generation;
    ++s->failures;
    QJsonObject fields { { "failures"_L1, s->failures } };
    if (!key.isEmpty())
        fields.insert("digit"_L1, key);
    if (!publish(s, action, fields))
        return;
    if (s->failures >= s->flow->maxFailures) {
        run(s, s->flow->fallback);
        return;
    }
    enterMenu(s, s->menu, action == "invalid"_L1 ? s->flow->invalidPrompt : s->flow->noInputPrompt);
}

void IvrRunner::run(const SessionPtr &s, const IvrAction &action)
{
    if (!live(s))
        return;
    ++s->generation;
    s->current = action;
    const QString callId = s->callId;
    switch (action.kind) {
    case IvrAction::Kind::Menu:
        enterMenu(s, action.menu, {});
        return;
    case IvrAction::Kind::Transfer: {
        if (!publish(s, u"routed"_s, { { "target"_L1, action.target } }))
            return;
        finish(*s);
        Graph::TransferParams params;
        params.transferTarget.identity = action.target.startsWith(u'+')
            ? Graph::IdentitySet::phone(action.target)
            : Graph::IdentitySet::user(action.target);
        // A refused or failed transfer leaves the call established: TransferWatch and the
        // state put it back in the operators' queue.
        watch(callId, u"transfer"_s, m_context.graph->transfer(callId, params));
        return;
    }
    case IvrAction::Kind::Operators: {
        if (!publish(s, u"routed"_s, { { "target"_L1, u"operators"_s } }))
            return;
        finish(*s);
        const QString prompt =
            action.prompt.isEmpty() ? m_context.config->holdPromptUri.toString() : action.prompt;
        if (!prompt.isEmpty()) {
            watch(callId, u"playPrompt"_s,
                m_context.graph->playPrompt(
                    callId, mediaOf({ prompt }), u"frontdesk-hold-prompt"_s));
        }
        return;
    }
    case IvrAction::Kind::Record: {
        s->phase = Phase::Recording;
        s->awaiting = ContextPrefix + QString::number(++m_nextContext);
        Graph::RecordResponseParams params;
        if (!action.prompt.isEmpty())
            params.prompts = mediaOf({ action.prompt });
        params.maxRecordDurationInSeconds = action.maxSeconds;
        params.stopTones = { u"#"_s };
        params.clientContext = s->awaiting;
        watch(callId, u"recordResponse"_s, m_context.graph->recordResponse(callId, params));
        return;
    }
    case IvrAction::Kind::Hangup:
        if (!publish(s, u"routed"_s, { { "target"_L1, u"hangup"_s } }))
            return;
        if (action.prompt.isEmpty()) {
            finish(*s);
            watch(callId, u"hangUp"_s, m_context.graph->hangUp(callId));
            return;
        }
        s->phase = Phase::Goodbye;
        play(s, { action.prompt });
        return;
    }
}

void IvrRunner::promptEnded(const SessionPtr &s, const QString &recordingLocation, int code)
{
    s->awaiting.clear();
    switch (s->phase) {
    case Phase::Prompting: {
        s->phase = Phase::Waiting;
        const QString key = Graph::normalizeId(s->callId);
        const quint64 generation = s->generation;
        m_context.clock->schedule(std::chrono::seconds(s->flow->timeoutSeconds), this,
            [this, key, generation] { timedOut(key, generation); });
        return;
    }
    case Phase::Recording: {
        // Only where the recording is: the relay never downloads it.
        if (!publish(s, u"recorded"_s,
                { { "recordingLocation"_L1, recordingLocation }, { "code"_L1, code } }))
            return;
        IvrAction hangup;
        hangup.kind = IvrAction::Kind::Hangup;
        hangup.prompt = s->current.goodbye;
        run(s, hangup);
        return;
    }
    case Phase::Goodbye:
        finish(*s);
        watch(s->callId, u"hangUp"_s, m_context.graph->hangUp(s->callId));
        return;
    case Phase::Answering:
    case Phase::Waiting:
        return;
    }
}

void IvrRunner::timedOut(const QString &key, quint64 generation)
{
    const SessionPtr s = m_sessions.value(key);
    if (!s || s->generation != generation || s->phase != Phase::Waiting
        || !m_context.journal->isOpen())
        return;
    onFailure(s, u"timeout"_s, {});
}

void IvrRunner::play(const SessionPtr &s, const QStringList &uris)
{
    const QString context = ContextPrefix + QString::number(++m_nextContext);
    s->awaiting = context;
    Graph::GraphReply *reply = m_context.graph->playPrompt(s->callId, mediaOf(uris), context);
    watch(s->callId, u"playPrompt"_s, reply);
    connect(reply, &Graph::GraphReply::finished, this, [this, s, context, reply] {
        // A prompt Graph refused never ends: go on as if it had played, so that the caller
        // still reaches the timeout and the fallback.
        if (!reply->isSuccess() && live(s) && s->awaiting == context)
            promptEnded(s, {}, 0);
    });
}

void IvrRunner::finish(const Session &s)
{
    const QString key = Graph::normalizeId(s.callId);
    if (m_sessions.value(key).get() == &s)
        m_sessions.remove(key);
}

bool IvrRunner::live(const SessionPtr &s) const
{
    return m_sessions.value(Graph::normalizeId(s->callId)) == s;
}

bool IvrRunner::publish(const SessionPtr &s, const QString &action, const QJsonObject &fields)
{
    QJsonObject event = fields;
    event.insert("flow"_L1, s->flow->name);
    event.insert("action"_L1, action);
    event.insert("menu"_L1, s->menu);
    QString why;
    if (m_context.publisher->publishRelay(u"ivr"_s, s->callId, event, &why))
        return live(s);
    // Without the event consoles would not know where the caller is: stop driving the call.
    qCWarning(lcPolicy).noquote() << "call" << s->callId << "leaves its IVR flow: the event"
                                  << action << "was not journaled:" << why;
    finish(*s);
    return false;
}

void IvrRunner::watch(const QString &callId, const QString &attempted, Graph::GraphReply *reply)
{
    connect(reply, &Graph::GraphReply::finished, this, [this, callId, attempted, reply] {
        m_context.metrics->countGraphRequest(reply->httpStatus());
        if (reply->isSuccess())
            return;
        qCWarning(lcPolicy).noquote()
            << "call" << callId << "IVR" << attempted
            << "refused:" << (reply->error() ? reply->error()->summary() : QString());
        if (!m_context.journal->isOpen())
            return;
        QJsonObject fields = graphFailureFields(reply);
        fields.insert("action"_L1, u"failed"_s);
        fields.insert("attempted"_L1, attempted);
        m_context.publisher->publishRelay(u"policy"_s, callId, fields);
    });
}

} // namespace Relay

// The reminders' scheduler: places each reminder at its time, follows its call, plays the
// prompt, hangs up and retries (docs/relay-protocol.md "Reminders").
#include "reminders.h"

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

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

// Lets the relay tell its reminder prompt from other operations on the call.
constexpr auto PromptContextPrefix = "frontdesk-reminder:"_L1;
// How long a placed call may stay unknown to the relay's state (no callback at all), on top of
// [policy] reconcileAfterSeconds: Graph gives up ringing well before.
constexpr std::chrono::minutes CallWatchdog { 3 };
// The longest a reminder call may last, from its creation.
constexpr std::chrono::minutes MaxCallLength { 10 };

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

// How a call that was never established ended: unanswered (timed out, unreachable, busy,
// declined, cancelled) or failed.
bool isNoAnswer(const Graph::ResultInfo &result)
{
    static constexpr int NoAnswerCodes[] = { 408, 480, 486, 487, 603 };
    return result.code
        && std::find(std::begin(NoAnswerCodes), std::end(NoAnswerCodes), *result.code)
        != std::end(NoAnswerCodes);
}

QJsonObject resultFields(const Graph::ResultInfo &result)
{
    QJsonObject fields;
    if (result.code)
        fields.insert("code"_L1, QString::number(*result.code));
    if (result.subcode)
        fields.insert("subcode"_L1, QString::number(*result.subcode));
    if (!result.message.isEmpty())
        fields.insert("message"_L1, result.message);
    return fields;
}

} // namespace

// ---- ReminderScheduler -------------------------------------------------------------------

ReminderScheduler::ReminderScheduler(
    const RelayContext &context, ReminderStore *store, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_store(store)
{
    connect(context.publisher, &EventPublisher::published, this, &ReminderScheduler::onPublished);
}

void ReminderScheduler::start()
{
    if (m_started || !m_store->isOpen() || !m_context.journal->isOpen())
        return;
    m_started = true;
    const QList<Reminder> all = m_store->all();
    for (const Reminder &stored : all) {
        Reminder r = stored;
        switch (r.state) {
        case Reminder::State::Scheduled:
            arm(r); // due() decides between placing it and marking it missed
            break;
        case Reminder::State::Placing:
            // The relay stopped while this attempt's create request was out: Graph may or may
            // not have placed the call, and sending it again could ring the person twice.
            qCWarning(lcPolicy).noquote()
                << "reminder" << r.id << "attempt" << r.attempt
                << "was interrupted while its call was being placed; it is not sent again";
            attemptEnded(r, u"failed"_s,
                { { "code"_L1, u"interrupted"_s },
                    { "message"_L1, u"the relay stopped while the call was being placed"_s } });
            break;
        case Reminder::State::Calling:
            watch(r);
            follow(r.id);
            break;
        default:
            break;
        }
    }
    qCInfo(lcPolicy).noquote() << "reminders:" << all.size() << "stored, up to"
                               << m_context.config->reminderMaxAttempts << "attempts"
                               << m_context.config->reminderRetrySpacing.count() << "s apart,"
                               << m_context.config->reminderGrace.count() << "s grace";
}

bool ReminderScheduler::create(Reminder &reminder, QString *error)
{
    const QDateTime now = m_context.clock->now();
    reminder.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    reminder.state = Reminder::State::Scheduled;
    reminder.attempt = 0;
    reminder.nextAt = reminder.at;
    reminder.callId.clear();
    reminder.outcome = {};
    reminder.createdAt = now;
    reminder.updatedAt = now;
    if (!m_store->insert(reminder, error))
        return false;
    qCInfo(lcPolicy).noquote() << "reminder" << reminder.id << "for" << reminder.target << "at"
                               << timeText(reminder.at) << "created by" << reminder.createdBy;
    publish(reminder, u"created"_s,
        { { "by"_L1, reminder.createdBy }, { "at"_L1, timeText(reminder.at) } });
    if (m_started)
        arm(reminder);
    return true;
}

ReminderScheduler::Cancel ReminderScheduler::cancel(
    const QString &id, const QString &by, QString *error)
{
    std::optional<Reminder> found = m_store->find(id);
    if (!found)
        return Cancel::NotFound;
    Reminder r = *found;
    if (r.state != Reminder::State::Scheduled)
        return Cancel::NotPending;
    r.state = Reminder::State::Cancelled;
    r.updatedAt = m_context.clock->now();
    if (!m_store->update(r, error))
        return Cancel::Failed;
    qCInfo(lcPolicy).noquote() << "reminder" << r.id << "cancelled by" << by;
    publish(r, u"cancelled"_s, { { "by"_L1, by } });
    return Cancel::Done;
}

void ReminderScheduler::arm(const Reminder &reminder)
{
    const std::chrono::milliseconds delay(
        std::max<qint64>(0, m_context.clock->now().msecsTo(reminder.nextAt)));
    const QString id = reminder.id;
    m_context.clock->schedule(delay, this, [this, id] { due(id); });
}

void ReminderScheduler::due(const QString &id)
{
    if (!m_context.journal->isOpen())
        return;
    std::optional<Reminder> found = m_store->find(id);
    const QDateTime now = m_context.clock->now();
    // A cancelled, placed or re-armed reminder leaves its old timers with nothing to do.
    if (!found || found->state != Reminder::State::Scheduled || found->nextAt > now)
        return;
    Reminder r = *found;
    const auto grace = m_context.config->reminderGrace;
    if (r.nextAt.addSecs(grace.count()) < now) {
        r.state = Reminder::State::Missed;
        r.updatedAt = now;
        if (!save(r))
            return;
        qCWarning(lcPolicy).noquote()
            << "reminder" << r.id << "missed: it was due at" << timeText(r.nextAt)
            << "and the relay came back later than the grace of" << grace.count() << "s";
        publish(r, u"missed"_s, { { "at"_L1, timeText(r.nextAt) } });
        return;
    }
    place(r);
}

void ReminderScheduler::place(Reminder r)
{
    ++r.attempt;
    r.state = Reminder::State::Placing;
    r.callId.clear();
    r.updatedAt = m_context.clock->now();
    // Written before the request: a restart from here on never sends this attempt again.
    if (!save(r))
        return;
    m_prompting.remove(r.id);
    m_promptOperation.remove(r.id);

    Graph::Call call;
    Graph::InvitationParticipantInfo target;
    target.identity = r.target.startsWith(u'+') ? Graph::IdentitySet::phone(r.target, r.displayName)
                                                : Graph::IdentitySet::user(r.target, r.displayName);
    call.targets = { target };
    call.callbackUri = m_context.config->publicUrl.toString();
    call.requestedModalities = { Graph::Modality::Audio };
    call.subject = r.subject;
    Graph::MediaInfo prompt;
    prompt.uri = r.prompt;
    prompt.resourceId = r.id;
    call.preFetchMedia = { prompt };
    qCInfo(lcPolicy).noquote() << "reminder" << r.id << "attempt" << r.attempt << "calls"
                               << r.target;
    const QString id = r.id;
    const int attempt = r.attempt;
    Graph::GraphReply *reply = m_context.graph->createCall(call);
    connect(reply, &Graph::GraphReply::finished, this,
        [this, id, attempt, reply] { onCreated(id, attempt, reply); });
}

void ReminderScheduler::onCreated(const QString &id, int attempt, const Graph::GraphReply *reply)
{
    m_context.metrics->countGraphRequest(reply->httpStatus());
    std::optional<Reminder> found = m_store->find(id);
    if (!found || found->state != Reminder::State::Placing || found->attempt != attempt)
        return;
    Reminder r = *found;
    if (!reply->isSuccess() || reply->call().id.isEmpty()) {
        QJsonObject fields = graphFailureFields(reply);
        fields.remove("status"_L1);
        qCWarning(lcPolicy).noquote()
            << "reminder" << id << "attempt" << attempt << "could not be placed:"
            << (reply->error() ? reply->error()->summary() : u"no call id"_s);
        attemptEnded(r, u"failed"_s, fields);
        return;
    }
    r.state = Reminder::State::Calling;
    r.callId = reply->call().id;
    r.updatedAt = m_context.clock->now();
    if (!save(r))
        return;
    publish(r, u"placing"_s);
    watch(r);
    follow(r.id); // its callbacks may have come before the answer
}

void ReminderScheduler::watch(const Reminder &r)
{
    // A call whose callbacks never reach the relay would keep its reminder calling for ever:
    // once the relay's reconciler has had its chance and the call is still unknown to the
    // state, it is hung up and the attempt counts as failed.
    const QString id = r.id;
    const QString callId = r.callId;
    const auto after = CallWatchdog + m_context.config->reconcileAfter;
    m_context.clock->schedule(after, this, [this, id, callId] {
        if (!m_context.journal->isOpen())
            return;
        const std::optional<Reminder> found = m_store->find(id);
        if (!found || found->state != Reminder::State::Calling || found->callId != callId
            || m_context.state->book().find(callId))
            return;
        qCWarning(lcPolicy).noquote()
            << "reminder" << id << "call" << callId << "never reported its state; hanging it up";
        hangUp(callId);
        attemptEnded(*found, u"failed"_s,
            { { "code"_L1, u"noCallbacks"_s },
                { "message"_L1, u"the call never reported its state to the relay"_s } });
    });
    // A prompt plays for seconds; a call still going after MaxCallLength (its prompt's end was
    // never reported) is hung up, and the attempt counts as failed.
    m_context.clock->schedule(MaxCallLength, this, [this, id, callId] {
        if (!m_context.journal->isOpen())
            return;
        const std::optional<Reminder> found = m_store->find(id);
        if (!found || found->state != Reminder::State::Calling || found->callId != callId)
            return;
        qCWarning(lcPolicy).noquote()
            << "reminder" << id << "call" << callId << "did not finish in time; hanging it up";
        hangUp(callId);
        attemptEnded(*found, u"failed"_s,
            { { "code"_L1, u"timeout"_s },
                { "message"_L1, u"the call did not finish within 10 minutes"_s } });
    });
}

void ReminderScheduler::onPublished(const QList<StreamEvent> &events)
{
    QSet<QString> touched;
    for (const StreamEvent &event : events) {
        // Graph's notifications, and the relay's own events that end calls ("expired" from
        // the reconciler); the reminders' own events change nothing to follow.
        if (event.type == StreamEvent::Type::Relay && event.relayKind() == "reminder"_L1)
            continue;
        QString callId = event.callId();
        if (callId.isEmpty() && event.type == StreamEvent::Type::Notification) {
            const Graph::Decoded<Graph::CommsNotification> n =
                Graph::decodeNotification(event.notification);
            if (n)
                callId = n.value.callId;
        }
        if (callId.isEmpty())
            continue;
        if (const std::optional<Reminder> r = m_store->findByCall(callId))
            touched.insert(r->id);
    }
    for (const QString &id : std::as_const(touched))
        follow(id);
}

void ReminderScheduler::follow(const QString &id)
{
    if (!m_context.journal->isOpen())
        return;
    std::optional<Reminder> found = m_store->find(id);
    if (!found || found->state != Reminder::State::Calling)
        return;
    const Reminder &r = *found;
    const Graph::CallEntry *entry = m_context.state->book().find(r.callId);
    if (!entry)
        return; // its first callback has not come yet
    const QString context = PromptContextPrefix + r.id;
    const auto prompt = std::find_if(
        entry->operations.cbegin(), entry->operations.cend(), [&](const Graph::CommsOperation &op) {
            return op.clientContext == context
                || (!op.id.isEmpty() && Graph::sameId(op.id, m_promptOperation.value(r.id)));
        });
    if (prompt != entry->operations.cend() && prompt->isFinished()) {
        if (prompt->status == Graph::OperationStatus::Completed) {
            played(r);
        } else {
            QJsonObject fields = resultFields(prompt->resultInfo);
            fields.insert("message"_L1, u"the prompt could not be played"_s);
            hangUp(r.callId);
            attemptEnded(r, u"failed"_s, fields);
        }
        return;
    }
    if (entry->isEnded()) {
        const Graph::ResultInfo &result = entry->call.resultInfo;
        QJsonObject fields = resultFields(result);
        if (m_prompting.contains(r.id) || prompt != entry->operations.cend()) {
            // Answered, and hung up before the prompt ended: the reminder did not get through.
            fields.insert("message"_L1, u"the call ended before the prompt had played"_s);
            attemptEnded(r, u"noAnswer"_s, fields);
        } else {
            attemptEnded(r, isNoAnswer(result) ? u"noAnswer"_s : u"failed"_s, fields);
        }
        return;
    }
    if (entry->call.state == Graph::CallState::Established && !m_prompting.contains(r.id)
        && prompt == entry->operations.cend())
        playPrompt(r);
}

void ReminderScheduler::playPrompt(const Reminder &r)
{
    m_prompting.insert(r.id);
    Graph::MediaInfo media;
    media.uri = r.prompt;
    media.resourceId = r.id;
    qCInfo(lcPolicy).noquote() << "reminder" << r.id << "answered; playing its prompt";
    const QString id = r.id;
    const QString callId = r.callId;
    Graph::GraphReply *reply =
        m_context.graph->playPrompt(callId, { media }, PromptContextPrefix + r.id);
    connect(reply, &Graph::GraphReply::finished, this, [this, id, callId, reply] {
        m_context.metrics->countGraphRequest(reply->httpStatus());
        std::optional<Reminder> found = m_store->find(id);
        if (!found || found->state != Reminder::State::Calling || found->callId != callId)
            return;
        if (reply->isSuccess()) {
            m_promptOperation.insert(id, reply->operation().id);
            follow(id);
            return;
        }
        QJsonObject fields = graphFailureFields(reply);
        fields.remove("status"_L1);
        hangUp(callId);
        attemptEnded(*found, u"failed"_s, fields);
    });
}

void ReminderScheduler::played(Reminder r)
{
    r.state = Reminder::State::Played;
    r.outcome = { { "action"_L1, u"played"_s } };
    r.updatedAt = m_context.clock->now();
    if (!save(r))
        return;
    m_prompting.remove(r.id);
    m_promptOperation.remove(r.id);
    qCInfo(lcPolicy).noquote() << "reminder" << r.id << "played; hanging up";
    publish(r, u"played"_s, { { "final"_L1, true } });
    hangUp(r.callId);
}

void ReminderScheduler::attemptEnded(Reminder r, const QString &action, const QJsonObject &fields)
{
    const QDateTime now = m_context.clock->now();
    const bool retry = r.attempt < m_context.config->reminderMaxAttempts;
    QJsonObject outcome = fields;
    outcome.insert("action"_L1, action);
    r.outcome = outcome;
    r.updatedAt = now;
    if (retry) {
        r.state = Reminder::State::Scheduled;
        r.nextAt = now.addSecs(m_context.config->reminderRetrySpacing.count());
    } else {
        r.state = action == "noAnswer"_L1 ? Reminder::State::NoAnswer : Reminder::State::Failed;
    }
    if (!save(r))
        return;
    m_prompting.remove(r.id);
    m_promptOperation.remove(r.id);
    QJsonObject eventFields = fields;
    eventFields.insert("final"_L1, !retry);
    qCInfo(lcPolicy).noquote() << "reminder" << r.id << "attempt" << r.attempt << action
                               << (retry ? u"; retrying at %1"_s.arg(timeText(r.nextAt))
                                         : u"; no attempts left"_s);
    publish(r, action, eventFields);
    if (retry) {
        publish(r, u"retrying"_s, { { "at"_L1, timeText(r.nextAt) } });
        if (m_started)
            arm(r);
    }
}

void ReminderScheduler::hangUp(const QString &callId)
{
    Graph::GraphReply *reply = m_context.graph->hangUp(callId);
    connect(reply, &Graph::GraphReply::finished, this, [this, callId, reply] {
        m_context.metrics->countGraphRequest(reply->httpStatus());
        if (!reply->isSuccess() && reply->httpStatus() != 404) {
            qCWarning(lcPolicy).noquote()
                << "reminder call" << callId << "could not be hung up:"
                << (reply->error() ? reply->error()->summary() : QString());
        }
    });
}

bool ReminderScheduler::save(const Reminder &reminder)
{
    QString why;
    if (m_store->update(reminder, &why))
        return true;
    // Without the row the next step could be repeated after a restart: better not to act.
    qCCritical(lcPolicy).noquote()
        << "reminder" << reminder.id << "left alone: its state" << reminderStateName(reminder.state)
        << "could not be stored:" << why;
    return false;
}

void ReminderScheduler::publish(const Reminder &r, const QString &action, QJsonObject fields)
{
    fields.insert("reminderId"_L1, r.id);
    fields.insert("action"_L1, action);
    fields.insert("attempt"_L1, r.attempt);
    fields.insert("target"_L1, r.target);
    if (!r.displayName.isEmpty())
        fields.insert("displayName"_L1, r.displayName);
    QString why;
    if (!m_context.publisher->publishRelay(u"reminder"_s, r.callId, fields, &why)) {
        qCWarning(lcPolicy).noquote()
            << "reminder" << r.id << "event" << action << "was not journaled:" << why;
    }
}

} // namespace Relay

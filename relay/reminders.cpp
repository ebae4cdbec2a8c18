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

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

constexpr auto Table = "reminders"_L1;
// Lets the relay tell its reminder prompt from other operations on the call.
constexpr auto PromptContextPrefix = "frontdesk-reminder:"_L1;
// How long a placed call may stay unknown to the relay's state (no callback at all), on top of
// [policy] reconcileAfterSeconds: Graph gives up ringing well before.
constexpr std::chrono::minutes CallWatchdog { 3 };

QString sqlError(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTime(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

struct StateName
{
    Reminder::State state;
    QLatin1StringView name;
};

constexpr StateName StateNames[] = {
    { Reminder::State::Scheduled, "scheduled"_L1 },
    { Reminder::State::Placing, "placing"_L1 },
    { Reminder::State::Calling, "calling"_L1 },
    { Reminder::State::Played, "played"_L1 },
    { Reminder::State::NoAnswer, "noAnswer"_L1 },
    { Reminder::State::Failed, "failed"_L1 },
    { Reminder::State::Missed, "missed"_L1 },
    { Reminder::State::Cancelled, "cancelled"_L1 },
};

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

// ---- Reminder ----------------------------------------------------------------------------

QString reminderStateName(Reminder::State state)
{
    for (const StateName &entry : StateNames) {
        if (entry.state == state)
            return QString(entry.name);
    }
    return {};
}

std::optional<Reminder::State> parseReminderState(const QString &name)
{
    for (const StateName &entry : StateNames) {
        if (entry.name == name)
            return entry.state;
    }
    return std::nullopt;
}

QJsonObject Reminder::toJson() const
{
    QJsonObject json {
        { "id"_L1, id },
        { "target"_L1, target },
        { "at"_L1, timeText(at) },
        { "prompt"_L1, prompt },
        { "createdBy"_L1, createdBy },
        { "createdAt"_L1, timeText(createdAt) },
        { "state"_L1, reminderStateName(state) },
        { "attempt"_L1, attempt },
    };
    const auto optional = [&json](QLatin1StringView key, const QString &value) {
        if (!value.isEmpty())
            json.insert(key, value);
    };
    optional("displayName"_L1, displayName);
    optional("subject"_L1, subject);
    optional("callId"_L1, callId);
    if (state == State::Scheduled)
        optional("nextAt"_L1, timeText(nextAt));
    optional("updatedAt"_L1, timeText(updatedAt));
    if (!outcome.isEmpty())
        json.insert("outcome"_L1, outcome);
    return json;
}

// ---- ReminderStore -----------------------------------------------------------------------

ReminderStore::ReminderStore(QString connectionName)
    : m_connection(std::move(connectionName))
{ }

bool ReminderStore::open(QString *error)
{
    m_open = false;
    m_reminders.clear();
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto fail = [&](const QString &why) {
        if (error)
            *error = u"reminders: "_s + why;
        return false;
    };
    if (!db.isValid() || !db.isOpen())
        return fail(u"the journal is not open"_s);
    QSqlQuery q(db);
    if (!db.tables().contains(Table)
        && !q.exec(u"CREATE TABLE reminders(id TEXT PRIMARY KEY, target TEXT NOT NULL, "
                   u"display_name TEXT, at TEXT NOT NULL, prompt TEXT, subject TEXT, "
                   u"created_by TEXT, created_at TEXT, state TEXT NOT NULL, "
                   u"attempt INTEGER NOT NULL, next_at TEXT, call_id TEXT, outcome TEXT, "
                   u"updated_at TEXT)"_s)) {
        return fail(sqlError(q.lastError()));
    }
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, target, display_name, at, prompt, subject, created_by, created_at, "
                u"state, attempt, next_at, call_id, outcome, updated_at FROM reminders"_s))
        return fail(sqlError(q.lastError()));
    while (q.next()) {
        Reminder r;
        r.id = q.value(0).toString();
        r.target = q.value(1).toString();
        r.displayName = q.value(2).toString();
        r.at = parseTime(q.value(3).toString());
        r.prompt = q.value(4).toString();
        r.subject = q.value(5).toString();
        r.createdBy = q.value(6).toString();
        r.createdAt = parseTime(q.value(7).toString());
        const std::optional<Reminder::State> state = parseReminderState(q.value(8).toString());
        if (!state || !r.at.isValid()) {
            qCWarning(lcPolicy).noquote() << "reminders: skipping the unreadable row" << r.id;
            continue;
        }
        r.state = *state;
        r.attempt = q.value(9).toInt();
        r.nextAt = parseTime(q.value(10).toString());
        r.callId = q.value(11).toString();
        r.outcome = QJsonDocument::fromJson(q.value(12).toByteArray()).object();
        r.updatedAt = parseTime(q.value(13).toString());
        m_reminders.insert(r.id, r);
    }
    m_open = true;
    return true;
}

QList<Reminder> ReminderStore::all() const
{
    QList<Reminder> list(m_reminders.cbegin(), m_reminders.cend());
    std::sort(list.begin(), list.end(), [](const Reminder &a, const Reminder &b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
    });
    return list;
}

std::optional<Reminder> ReminderStore::find(const QString &id) const
{
    const auto it = m_reminders.constFind(id);
    if (it == m_reminders.cend())
        return std::nullopt;
    return *it;
}

std::optional<Reminder> ReminderStore::findByCall(const QString &callId) const
{
    for (const Reminder &r : m_reminders) {
        if (r.state == Reminder::State::Calling && Graph::sameId(r.callId, callId))
            return r;
    }
    return std::nullopt;
}

bool ReminderStore::insert(const Reminder &reminder, QString *error)
{
    if (!m_open || m_reminders.contains(reminder.id)) {
        if (error)
            *error = m_open ? u"the reminder exists already"_s : u"reminders are not open"_s;
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"INSERT INTO reminders(id, target, display_name, at, prompt, subject, created_by, "
              u"created_at, state, attempt, next_at, call_id, outcome, updated_at) "
              u"VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    for (const QVariant &value :
        { QVariant(reminder.id), QVariant(reminder.target), QVariant(reminder.displayName),
            QVariant(timeText(reminder.at)), QVariant(reminder.prompt), QVariant(reminder.subject),
            QVariant(reminder.createdBy), QVariant(timeText(reminder.createdAt)),
            QVariant(reminderStateName(reminder.state)), QVariant(reminder.attempt),
            QVariant(timeText(reminder.nextAt)), QVariant(reminder.callId),
            QVariant(QJsonDocument(reminder.outcome).toJson(QJsonDocument::Compact)),
            QVariant(timeText(reminder.updatedAt)) })
        q.addBindValue(value);
    if (!q.exec()) {
        if (error)
            *error = sqlError(q.lastError());
        return false;
    }
    m_reminders.insert(reminder.id, reminder);
    return true;
}

bool ReminderStore::update(const Reminder &reminder, QString *error)
{
    if (!m_open || !m_reminders.contains(reminder.id)) {
        if (error)
            *error = m_open ? u"no such reminder"_s : u"reminders are not open"_s;
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"UPDATE reminders SET state = ?, attempt = ?, next_at = ?, call_id = ?, "
              u"outcome = ?, updated_at = ? WHERE id = ?"_s);
    q.addBindValue(reminderStateName(reminder.state));
    q.addBindValue(reminder.attempt);
    q.addBindValue(timeText(reminder.nextAt));
    q.addBindValue(reminder.callId);
    q.addBindValue(QJsonDocument(reminder.outcome).toJson(QJsonDocument::Compact));
    q.addBindValue(timeText(reminder.updatedAt));
    q.addBindValue(reminder.id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        if (error)
            *error = q.lastError().isValid() ? sqlError(q.lastError()) : u"no row changed"_s;
        return false;
    }
    m_reminders.insert(reminder.id, reminder);
    return true;
}

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

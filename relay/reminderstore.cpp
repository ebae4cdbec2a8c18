// The reminders' data: Reminder's JSON form and the table `reminders` in the journal's SQLite
// file (ReminderStore).
#include "graph/ids.h"
#include "policyshared.h"
#include "reminders.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

constexpr auto Table = "reminders"_L1;

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
        return fail(sqlErrorText(q.lastError()));
    }
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, target, display_name, at, prompt, subject, created_by, created_at, "
                u"state, attempt, next_at, call_id, outcome, updated_at FROM reminders"_s))
        return fail(sqlErrorText(q.lastError()));
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
            *error = sqlErrorText(q.lastError());
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
            *error = q.lastError().isValid() ? sqlErrorText(q.lastError()) : u"no row changed"_s;
        return false;
    }
    m_reminders.insert(reminder.id, reminder);
    return true;
}

} // namespace Relay

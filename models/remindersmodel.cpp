#include "remindersmodel.h"

using namespace Qt::StringLiterals;

namespace Models {

std::optional<Reminder> Reminder::fromJson(const QJsonObject &json)
{
    Reminder r;
    r.id = json.value("id"_L1).toString();
    r.at = QDateTime::fromString(json.value("at"_L1).toString(), Qt::ISODateWithMs);
    if (r.id.isEmpty() || !r.at.isValid())
        return std::nullopt;
    r.at = r.at.toUTC();
    r.target = json.value("target"_L1).toString();
    r.displayName = json.value("displayName"_L1).toString();
    r.prompt = json.value("prompt"_L1).toString();
    r.subject = json.value("subject"_L1).toString();
    r.createdBy = json.value("createdBy"_L1).toString();
    r.state = json.value("state"_L1).toString();
    r.attempt = json.value("attempt"_L1).toInt();
    r.nextAt = QDateTime::fromString(json.value("nextAt"_L1).toString(), Qt::ISODateWithMs);
    r.outcome = json.value("outcome"_L1).toObject();
    return r;
}

RemindersModel::RemindersModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RemindersModel::setReminders(const QList<Reminder> &reminders)
{
    beginResetModel();
    m_reminders = reminders;
    endResetModel();
}

int RemindersModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_reminders.size(); ++i) {
        if (m_reminders.at(i).id == id)
            return int(i);
    }
    return -1;
}

QString RemindersModel::stateText(const Reminder &r)
{
    QString text;
    const QString &s = r.state;
    if (s == "scheduled"_L1)
        text = r.attempt > 0 ? tr("Waiting to retry") : tr("Waiting");
    else if (s == "placing"_L1 || s == "calling"_L1)
        text = tr("Calling");
    else if (s == "played"_L1)
        text = tr("Played");
    else if (s == "noAnswer"_L1)
        text = tr("No answer");
    else if (s == "failed"_L1)
        text = tr("Failed");
    else if (s == "missed"_L1)
        text = tr("Missed");
    else if (s == "cancelled"_L1)
        text = tr("Cancelled");
    else
        text = s;
    const QString code = r.outcome.value("code"_L1).toString();
    if (s != "played"_L1 && !code.isEmpty())
        text = tr("%1 (last: %2)").arg(text, code);
    return text;
}

int RemindersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_reminders.size());
}

int RemindersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RemindersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Reminder &r = m_reminders.at(index.row());
    switch (role) {
    case IdRole:
        return r.id;
    case PendingRole:
        return r.isPending();
    case UtcTimeRole:
        return r.at;
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(r.at.toLocalTime(), QLocale::ShortFormat);
        case PersonColumn:
            return r.displayName.isEmpty() ? r.target : tr("%1 (%2)").arg(r.displayName, r.target);
        case StateColumn:
            return stateText(r);
        case AttemptColumn:
            return r.attempt;
        case CreatedByColumn:
            return r.createdBy;
        case SubjectColumn:
            return r.subject;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (const QString message = r.outcome.value("message"_L1).toString(); !message.isEmpty())
            return message;
        return {};
    default:
        return {};
    }
}

QVariant RemindersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case PersonColumn:
        return tr("Person");
    case StateColumn:
        return tr("State");
    case AttemptColumn:
        return tr("Attempts");
    case CreatedByColumn:
        return tr("Created by");
    case SubjectColumn:
        return tr("Subject");
    default:
        return {};
    }
}

} // namespace Models

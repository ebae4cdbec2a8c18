#include "meetingsmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Models {

MeetingsModel::MeetingsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

MeetingsModel::~MeetingsModel() = default;

int MeetingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_meetings.size());
}

int MeetingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MeetingsModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const SavedMeeting &saved = m_meetings.at(index.row());
    const Graph::OnlineMeeting &m = saved.meeting;
    switch (role) {
    case IdRole:
        return m.id;
    case OrganizerRole:
        return saved.organizerId;
    case JoinUrlRole:
        return m.joinWebUrl;
    case SortRole:
        if (index.column() == StartColumn)
            return m.startDateTime.toMSecsSinceEpoch();
        if (index.column() == EndColumn)
            return m.endDateTime.toMSecsSinceEpoch();
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        return m.joinWebUrl;
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    const QLocale locale;
    switch (Column(index.column())) {
    case SubjectColumn:
        return m.subject.isEmpty() ? tr("(no subject)") : m.subject;
    case StartColumn:
        return locale.toString(m.startDateTime.toLocalTime(), QLocale::ShortFormat);
    case EndColumn:
        return locale.toString(m.endDateTime.toLocalTime(), QLocale::ShortFormat);
    case OrganizerColumn:
        return saved.organizerId;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant MeetingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SubjectColumn:
        return tr("Subject");
    case StartColumn:
        return tr("Starts");
    case EndColumn:
        return tr("Ends");
    case OrganizerColumn:
        return tr("Organizer");
    case ColumnCount:
        break;
    }
    return {};
}

void MeetingsModel::setMeetings(const QList<SavedMeeting> &meetings)
{
    beginResetModel();
    m_meetings = meetings;
    endResetModel();
}

void MeetingsModel::upsert(const SavedMeeting &meeting)
{
    if (const int row = rowOf(meeting.meeting.id); row >= 0) {
        m_meetings[row] = meeting;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int row = int(m_meetings.size());
    beginInsertRows({}, row, row);
    m_meetings.append(meeting);
    endInsertRows();
}

int MeetingsModel::rowOf(const QString &meetingId) const
{
    for (qsizetype i = 0; i < m_meetings.size(); ++i) {
        if (m_meetings.at(i).meeting.id == meetingId)
            return int(i);
    }
    return -1;
}

} // namespace Models

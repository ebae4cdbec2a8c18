#pragma once

#include "graph/types.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace Models {

//! A meeting this console created, and whose calendar it is in (the organizer's user id or UPN,
//! which GET /users/{organizer}/onlineMeetings/{id} needs).
struct SavedMeeting
{
    QString organizerId;
    Graph::OnlineMeeting meeting;
};

//! The "Meetings" list: one row per meeting the console created, newest start last. Keyed by
//! the meeting's id: upsert() updates a row in place (a refresh with GET) or appends one.
class MeetingsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MeetingsModel)

public:
    enum Column { SubjectColumn, StartColumn, EndColumn, OrganizerColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole, //!< the meeting's id
        OrganizerRole, //!< whose meeting it is (user id or UPN)
        JoinUrlRole,
        SortRole, //!< the start as msecs since the epoch, the text otherwise
    };

    explicit MeetingsModel(QObject *parent = nullptr);
    ~MeetingsModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    //! Replaces every row (loading from storage).
    void setMeetings(const QList<SavedMeeting> &meetings);
    //! Updates the row of the same meeting id, or appends one.
    void upsert(const SavedMeeting &meeting);
    QList<SavedMeeting> meetings() const { return m_meetings; }
    //! The row of `meetingId`, or -1.
    int rowOf(const QString &meetingId) const;
    const SavedMeeting &at(int row) const { return m_meetings.at(row); }

private:
    QList<SavedMeeting> m_meetings;
};

} // namespace Models

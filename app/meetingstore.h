#pragma once

#include "models/meetingsmodel.h"

#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QSettings;
QT_END_NAMESPACE

namespace App {

//! The meetings this console created, kept in QSettings (nothing in them is secret: a join link
//! is shared with every attendee anyway) and shown by a MeetingsModel. Each save rewrites the
//! list as one JSON value, so a half-written list never exists. At most MaxMeetings are kept,
//! the oldest dropped first.
//!
//! `settings` may be null (sandbox mode keeps nothing): the store then lives in memory only.
//! Neither `settings` nor `model` is owned; both must outlive the store.
class MeetingStore final
{
    Q_DISABLE_COPY_MOVE(MeetingStore)

public:
    static constexpr int MaxMeetings = 200;

    MeetingStore(QSettings *settings, Models::MeetingsModel *model);

    //! Fills the model from the settings.
    void load();
    //! A created or refreshed meeting: the model's row is updated or appended, then saved.
    void save(const QString &organizerId, const Graph::OnlineMeeting &meeting);
    QList<Models::SavedMeeting> meetings() const;

    //! The settings key the list is stored under.
    static QString key();

private:
    void write();

    QSettings *m_settings;
    Models::MeetingsModel *m_model;
};

} // namespace App

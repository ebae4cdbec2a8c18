#pragma once

#include "models/meetingsmodel.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableView;

namespace Gui {

//! "Meetings": what this console created, refreshed from Graph on request. From here the bot
//! joins a meeting; the call then shows in the queue as a group call with its roster.
class MeetingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MeetingsDialog)

public:
    explicit MeetingsDialog(Models::MeetingsModel *model, QWidget *parent = nullptr);
    ~MeetingsDialog() override;

    QTableView *view() const { return m_view; }
    QPushButton *refreshButton() const { return m_refresh; }
    QPushButton *joinButton() const { return m_join; }
    QPushButton *copyLinkButton() const { return m_copy; }
    //! Selects the meeting's row; false when the list does not have it.
    bool selectMeeting(const QString &meetingId);
    //! A line under the list: how the last refresh or join went.
    void setStatus(const QString &text);
    QString status() const;

Q_SIGNALS:
    void refreshRequested();
    void joinRequested(const Models::SavedMeeting &meeting);

private:
    int selectedRow() const;
    void updateButtons();

    Models::MeetingsModel *m_model;
    QTableView *m_view;
    QLabel *m_status;
    QPushButton *m_refresh;
    QPushButton *m_copy;
    QPushButton *m_join;
};

} // namespace Gui

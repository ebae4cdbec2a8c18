#pragma once

#include "graph/types.h"
#include "models/meetingsmodel.h"
#include "requests.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QWidget;

namespace Models {
class CallStore;
}

namespace Gui {

class CallDialog;
class MeetingDialog;
class MeetingsDialog;

//! The console's outward jobs, apart from the call queue: "Call…", "Group call…", "New
//! meeting…" and "Meetings". It owns their dialogs (one of each at a time; a dialog whose
//! request failed keeps what was typed) and turns them into intent signals, which the app
//! connects to the session; the session's answers come back through handle() and
//! showMeetingCreated(). Like the window, it never reaches the network.
class OutboundFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboundFlow)

public:
    //! `store` lends the people the console has seen (for completion); `meetings` may be null
    //! (then "Meetings" lists nothing). Neither is owned. Dialogs are children of `window`.
    OutboundFlow(Models::CallStore *store, Models::MeetingsModel *meetings, QWidget *window);
    ~OutboundFlow() override;

    //! The default organizer of new meetings (Settings::organizerId()).
    void setOrganizer(const QString &organizerId);
    QString organizer() const { return m_organizer; }
    //! For tests: the clock of the meeting form, and what "Open" does with a join link.
    void setClock(std::function<QDateTime()> now);
    void setUrlOpener(std::function<bool(const QUrl &)> opener);

    void openCall();
    void openGroupCall();
    void openNewMeeting();
    void openMeetings();

    CallDialog *callDialog() const;
    CallDialog *groupCallDialog() const;
    MeetingDialog *meetingDialog() const;
    MeetingsDialog *meetingsDialog() const;

    //! User ids and sign-in names of everyone in the console's calls, sorted, no repeats.
    QStringList knownPeople() const;

    //! An action's result: true when it was one of this flow's (placeCall, groupCall,
    //! createMeeting, getMeeting, joinMeeting), which it then shows in its dialog.
    bool handle(const ActionResult &result);
    void showMeetingCreated(const QString &organizerId, const Graph::OnlineMeeting &meeting);

Q_SIGNALS:
    void placeCallRequested(const Gui::OutboundCallRequest &request);
    void createMeetingRequested(const QString &organizerId, const Graph::OnlineMeeting &meeting);
    void refreshMeetingRequested(const QString &organizerId, const QString &meetingId);
    void joinMeetingRequested(const QString &organizerId, const Graph::OnlineMeeting &meeting);

private:
    CallDialog *openCallDialog(QPointer<CallDialog> &slot, bool group);
    static void show(QWidget *dialog);

    Models::CallStore *m_store;
    Models::MeetingsModel *m_meetings;
    QWidget *m_window;
    QString m_organizer;
    std::function<QDateTime()> m_now;
    std::function<bool(const QUrl &)> m_opener;
    QPointer<CallDialog> m_call;
    QPointer<CallDialog> m_group;
    QPointer<MeetingDialog> m_meeting;
    QPointer<MeetingsDialog> m_list;
    int m_refreshing = 0; // GETs out for the list
    int m_refreshFailures = 0;
};

} // namespace Gui

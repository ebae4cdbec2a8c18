#pragma once

#include "requests.h"

#include <QMainWindow>

#include <chrono>
#include <memory>

namespace Models {
class CallStore;
class CallsModel;
class CallFilterProxy;
class ParticipantsModel;
class TimelineModel;
class MeetingsModel;
} // namespace Models

namespace Gui {

class ConsoleActions;
class DetailPane;
class EventLog;
class NoticeBar;
class OutboundFlow;
class QueuePane;
class StatusPanel;

//! The models the window shows. The app owns them; they outlive the window.
struct WindowModels
{
    Models::CallStore *store = nullptr;
    Models::CallsModel *calls = nullptr;
    Models::CallFilterProxy *queue = nullptr; //!< over calls
    Models::ParticipantsModel *participants = nullptr;
    Models::TimelineModel *timeline = nullptr;
    Models::MeetingsModel *meetings = nullptr; //!< optional: the meetings this console created
};

//! The console's main window: the call queue, the selected call's details (participants,
//! tones, timeline), the event log and the status bar, as dock widgets whose layout is saved.
//! It only shows and asks: every action is an intent signal that the app connects to the
//! session, and the session reports back with showActionResult().
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(WindowModels models, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setOperator(const QString &name, const QString &role); //!< role "operator"/"supervisor"
    void setSandboxMode(bool sandbox); //!< the "Sandbox: simulated calls" banner
    void setConnectionStatus(ConnectionStatus status, int retryInSeconds = 0);
    void setSeq(qint64 seq);
    void setEventLatency(std::chrono::milliseconds p95);
    void showActionResult(const ActionResult &result);
    void appendLog(const QString &line);
    QString selectedCallId() const;
    void selectCall(const QString &callId);

    //! The docks' and toolbar's places, the window's geometry and the queue's columns, for the
    //! app to persist. restoreLayout() refuses (false) data it did not write.
    QByteArray saveLayout() const;
    bool restoreLayout(const QByteArray &layout);

    //! The parts, for the app to extend (menus, actions) and for tests.
    ConsoleActions *consoleActions() const;
    QueuePane *queuePane() const;
    DetailPane *detailPane() const;
    NoticeBar *noticeBar() const;
    EventLog *eventLog() const;
    StatusPanel *statusPanel() const;
    QWidget *sandboxBanner() const;
    //! Call…, Group call…, New meeting… and Meetings: their dialogs and intent signals.
    OutboundFlow *outboundFlow() const;

Q_SIGNALS:
    void answerRequested(const QString &callId);
    void rejectRequested(const QString &callId);
    void rejectAsSpamRequested(const QString &callId);
    void redirectRequested(const QString &callId, const Gui::RedirectRequest &request);
    void transferRequested(const QString &callId, const Gui::TransferRequest &request);
    void hangUpRequested(const QString &callId);
    void playPromptRequested(const QString &callId, const QUrl &prompt);
    void collectDigitsRequested(const QString &callId);
    void inviteRequested(const QString &callId, const Gui::InviteRequest &request);
    void muteParticipantRequested(const QString &callId, const QString &participantId);
    void claimRequested(const QString &callId);
    void releaseRequested(const QString &callId);
    void settingsRequested();
    //! Console → Reminders… (Ctrl+Shift+R): the app opens the reminders dialog.
    void remindersRequested();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gui

#pragma once

#include "graph/types.h"
#include "ui/requests.h"

#include <QDateTime>
#include <QDialog>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QWidget;

namespace Gui {

class TargetListEdit;

//! "New meeting": the form for POST /users/{organizer}/onlineMeetings, and what Graph answers.
//!
//! The form checks as it is typed: a subject, an organizer (a Teams user), an end after the
//! start and a start not in the past (against now(), which tests inject), attendees that are
//! Teams users. Create emits createRequested(); the window sends it and reports back with
//! showCreated() or showFailure(). A failure keeps what was typed and says what went wrong; a
//! 403 on this route means the tenant has no application access policy for the organizer, and
//! the dialog then shows the PowerShell commands an administrator runs, ready to copy. A
//! success shows the join link (copy, open), the meeting id and passcode, the dial-in numbers
//! and an invitation text to paste.
class MeetingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MeetingDialog)

public:
    using Clock = std::function<QDateTime()>;
    using UrlOpener = std::function<bool(const QUrl &)>;

    //! `now` defaults to the system clock; `defaultOrganizer` comes from the settings.
    explicit MeetingDialog(
        const QString &defaultOrganizer, Clock now = {}, QWidget *parent = nullptr);
    ~MeetingDialog() override;

    //! Where "Open" sends the join link; QDesktopServices::openUrl unless replaced.
    void setUrlOpener(UrlOpener opener);
    //! People the console has seen (user ids, sign-in names), offered as attendees.
    void setKnownPeople(const QStringList &people);

    //! Why the meeting cannot be created yet; empty when Create is enabled.
    QString problem() const { return m_problem; }
    //! Rechecks the form (the clock moves on while it is open).
    void validate();
    QString organizerId() const;
    //! The request body's meeting as typed; complete when problem() is empty.
    Graph::OnlineMeeting meeting() const;

    void showCreated(const Graph::OnlineMeeting &meeting);
    void showFailure(const ActionResult &result);
    //! The failure shown in words; empty after a success or before any attempt.
    QString errorText() const;
    //! The PowerShell commands shown for a 403, empty when none are shown.
    QString accessPolicyText() const;
    //! The invitation text of the created meeting.
    QString invitationText() const;
    QString joinUrl() const;

    //! Graph's invitation in plain words: subject, times, join link, meeting id and passcode,
    //! dial-in numbers. Only what the meeting has.
    static QString invitationFor(const Graph::OnlineMeeting &meeting);
    //! What an administrator runs in Teams PowerShell so that the app may create meetings for
    //! `organizerId`. `appId` may be empty: a placeholder stands in for it.
    static QString accessPolicyCommands(const QString &organizerId, const QString &appId);
    //! The app id Graph names in its 403 message ("App <id> is not authorized ..."), or empty.
    static QString appIdFromMessage(const QString &message);

    // The parts, for tests.
    QLineEdit *subjectEdit() const { return m_subject; }
    QDateTimeEdit *startEdit() const { return m_start; }
    QDateTimeEdit *endEdit() const { return m_end; }
    QLineEdit *organizerEdit() const { return m_organizer; }
    TargetListEdit *attendees() const { return m_attendees; }
    QComboBox *lobbyBox() const { return m_lobby; }
    QCheckBox *dialInBypassBox() const { return m_dialInBypass; }
    QCheckBox *passcodeBox() const { return m_passcode; }
    QComboBox *presentersBox() const { return m_presenters; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *copyLinkButton() const { return m_copyLink; }
    QPushButton *openLinkButton() const { return m_openLink; }
    QPushButton *copyInvitationButton() const { return m_copyInvitation; }
    QPushButton *copyCommandsButton() const { return m_copyCommands; }
    QWidget *resultPanel() const { return m_result; }

Q_SIGNALS:
    void createRequested(const QString &organizerId, const Graph::OnlineMeeting &meeting);

private:
    QWidget *buildForm();
    QWidget *buildResult();
    QWidget *buildError();
    void setFormEnabled(bool enabled);
    void growToFit();

    Clock m_now;
    UrlOpener m_opener;
    QString m_problem;
    QLineEdit *m_subject;
    QDateTimeEdit *m_start;
    QDateTimeEdit *m_end;
    QLineEdit *m_organizer;
    QLabel *m_organizerHint;
    TargetListEdit *m_attendees;
    QComboBox *m_lobby;
    QCheckBox *m_dialInBypass;
    QCheckBox *m_passcode;
    QComboBox *m_presenters;
    QLabel *m_problemText;
    QPushButton *m_create;
    QWidget *m_form = nullptr;
    QWidget *m_errorBox = nullptr;
    QLabel *m_error = nullptr;
    QWidget *m_policy = nullptr;
    QPlainTextEdit *m_commands = nullptr;
    QPushButton *m_copyCommands = nullptr;
    QWidget *m_result = nullptr;
    QLineEdit *m_joinUrl = nullptr;
    QPushButton *m_copyLink = nullptr;
    QPushButton *m_openLink = nullptr;
    QLabel *m_details = nullptr;
    QPlainTextEdit *m_invitation = nullptr;
    QPushButton *m_copyInvitation = nullptr;
};

} // namespace Gui

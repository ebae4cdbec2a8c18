#pragma once

#include "graph/wireenums.h"

#include <QList>
#include <QModelIndex>
#include <QObject>
#include <QString>

#include <optional>

class QAction;

namespace Gui {

//! What the actions depend on: the selected call, the selected participant and who is at the
//! console. Plain values, so that the rules can be checked without a window.
struct ActionContext
{
    QString callId; //!< empty: no call is selected
    Graph::CallState state = Graph::CallState::Unknown;
    bool ringing = false; //!< incoming or ringing, not ended
    bool ended = false;
    QString claimedBy; //!< the operator holding the call's claim, or empty
    QString participantId; //!< the participant selected in the roster, or empty
    bool participantIsBot = false;
    bool participantMuted = false;
    QString operatorName;
    QString role; //!< "operator" or "supervisor"

    //! The call part, read from the roles of a CallsModel row (directly or through a proxy).
    static ActionContext forCall(const QModelIndex &callIndex);
    //! The participant part, from a ParticipantsModel row; an invalid index clears it.
    void setParticipant(const QModelIndex &participantIndex);
    bool isSupervisor() const;
};

//! One QAction per job of the console, each with a shortcut, a tooltip, an icon and an
//! accessible name. setContext() enables exactly the actions the context allows; a disabled
//! action's tooltip says why. The actions only announce (triggered); the window decides what
//! a job does.
class ConsoleActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleActions)

public:
    enum class Job {
        Answer,
        Reject,
        RejectAsSpam,
        Redirect,
        Transfer,
        HangUp,
        PlayPrompt,
        CollectDigits,
        Invite,
        MuteParticipant,
        Claim,
        Release,
        PlaceCall,
        GroupCall,
        NewMeeting,
        Meetings,
        Settings,
        KeyboardShortcuts,
    };
    Q_ENUM(Job)
    static constexpr int JobCount = int(Job::KeyboardShortcuts) + 1;

    explicit ConsoleActions(QObject *parent = nullptr);
    ~ConsoleActions() override;

    QAction *action(Job job) const;
    QList<QAction *> actions() const; //!< every action, in Job order
    static QList<Job> callJobs(); //!< the jobs that act on the selected call

    void setContext(const ActionContext &context);
    const ActionContext &context() const { return m_context; }

    //! Why `job` cannot be done in `context`, in words for a tooltip; empty when it can.
    static QString blocker(Job job, const ActionContext &context);
    //! The action's name for assistive technology ("Answer call").
    static QString accessibleName(const QAction *action);
    //! The job's name without mnemonic or ellipsis: "Answer", "Redirect".
    static QString title(Job job);
    //! ActionResult::action's key for the job ("answer"); empty for Settings and the help.
    static QString key(Job job);
    static std::optional<Job> jobForKey(QStringView key);

Q_SIGNALS:
    void triggered(Gui::ConsoleActions::Job job);

private:
    void refresh(Job job);

    QList<QAction *> m_actions;
    ActionContext m_context;
};

} // namespace Gui

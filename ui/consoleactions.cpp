#include "consoleactions.h"

#include "icons.h"
#include "models/callsmodel.h"
#include "models/participantsmodel.h"
#include "requests.h"

#include <QAction>
#include <QKeySequence>

using namespace Qt::StringLiterals;

namespace Gui {

using Graph::CallState;
using Job = ConsoleActions::Job;

namespace {

constexpr char AccessibleNameProperty[] = "frontdeskAccessibleName";
constexpr char JobProperty[] = "frontdeskJob";

struct Spec
{
    Job job;
    const char *text; // with mnemonic, for menus
    const char *accessible;
    const char *description;
    QKeyCombination shortcut;
    const char *icon;
};

// The shortcuts are function keys and Ctrl/Shift combinations only, so that none of them is
// ever a character the filter box could take, and the queue keeps Up/Down for itself.
const Spec Specs[] = {
    { Job::Answer, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Answer"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Answer call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Answer the selected ringing call"),
        QKeyCombination(Qt::Key_F5), "answer" },
    { Job::Reject, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Reject"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Reject call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Reject the selected ringing call"),
        QKeyCombination(Qt::ShiftModifier, Qt::Key_F8), "reject" },
    { Job::RejectAsSpam, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Reject as &spam"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Reject as spam and block caller"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Reject the ringing call and add the caller to the relay's blocklist"),
        QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_S), "spam" },
    { Job::Redirect, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Re&direct…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Redirect call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Send the ringing call on to people or numbers without answering it"),
        QKeyCombination(Qt::Key_F6), "redirect" },
    { Job::Transfer, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Transfer…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Transfer call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Transfer the established call to a person or number, or to a consultation call"),
        QKeyCombination(Qt::Key_F7), "transfer" },
    { Job::HangUp, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Hang up"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Hang up call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "End the selected call"),
        QKeyCombination(Qt::Key_F8), "hangup" },
    { Job::PlayPrompt, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Play prompt…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Play prompt"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Play an audio file (WAV) to the caller"),
        QKeyCombination(Qt::Key_F2), "play-prompt" },
    { Job::CollectDigits, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Collect digits"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Collect digits"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Listen for the keys the caller presses; they appear in the Tones tab"),
        QKeyCombination(Qt::Key_F3), "collect-digits" },
    { Job::Invite, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Invite…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Invite participants"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Add people or numbers to the call"),
        QKeyCombination(Qt::Key_F4), "invite" },
    { Job::MuteParticipant, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Mute participant"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Mute participant"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Mute the selected participant. Graph cannot unmute someone else: they unmute "
            "themselves"),
        QKeyCombination(Qt::Key_F9), "mute" },
    { Job::Claim, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "C&laim"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Claim call"),
        QT_TRANSLATE_NOOP(
            "Gui::ConsoleActions", "Take the call, so that no other operator acts on it"),
        QKeyCombination(Qt::Key_F10), "claim" },
    { Job::Release, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "R&elease"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Release call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Give up your claim on the call"),
        QKeyCombination(Qt::ShiftModifier, Qt::Key_F10), "release" },
    { Job::PlaceCall, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Ca&ll…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Place a call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "Call a Teams user or a phone number from the bot, and play a prompt when they answer"),
        QKeyCombination(Qt::ControlModifier, Qt::Key_N), "call-out" },
    { Job::GroupCall, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Group call…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Start a group call"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Call several people at once, with a subject"),
        QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_N), "group-call" },
    { Job::NewMeeting, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&New meeting…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "New meeting"),
        QT_TRANSLATE_NOOP(
            "Gui::ConsoleActions", "Schedule a Teams meeting and get its join link and invitation"),
        QKeyCombination(Qt::ControlModifier, Qt::Key_M), "meeting" },
    { Job::Meetings, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Meetings"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Meetings"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions",
            "The meetings this console created; the bot can join them from here"),
        QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_M), "meetings" },
    { Job::Settings, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Settings…"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Settings"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Change the relay, the sign-in and the console"),
        QKeyCombination(Qt::ControlModifier, Qt::Key_Comma), "settings" },
    { Job::KeyboardShortcuts, QT_TRANSLATE_NOOP("Gui::ConsoleActions", "&Keyboard shortcuts"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "Keyboard shortcuts"),
        QT_TRANSLATE_NOOP("Gui::ConsoleActions", "List every keyboard shortcut of the console"),
        QKeyCombination(Qt::Key_F1), "keyboard" },
};
static_assert(std::size(Specs) == ConsoleActions::JobCount);

const Spec &spec(Job job)
{
    return Specs[int(job)];
}

bool isLive(CallState state)
{
    return state == CallState::Established || state == CallState::Hold;
}

QString callBlocker(Job job, const ActionContext &c)
{
    if (c.callId.isEmpty())
        return ConsoleActions::tr("Select a call in the queue first");
    if (c.ended)
        return ConsoleActions::tr("The call has ended");
    const bool mine = !c.claimedBy.isEmpty() && c.claimedBy == c.operatorName;
    if (!c.claimedBy.isEmpty() && !mine)
        return ConsoleActions::tr("%1 has claimed this call").arg(c.claimedBy);

    switch (job) {
    case Job::Answer:
        return c.ringing ? QString() : ConsoleActions::tr("Only a ringing call can be answered");
    case Job::Reject:
        return c.ringing ? QString()
                         : ConsoleActions::tr(
                             "Only a ringing call can be rejected; hang up a live call instead");
    case Job::RejectAsSpam:
        return c.ringing ? QString()
                         : ConsoleActions::tr("Only a ringing call can be rejected as spam");
    case Job::Redirect:
        return c.ringing ? QString()
                         : ConsoleActions::tr(
                             "Only a ringing call can be redirected; transfer a live call instead");
    case Job::Transfer:
        if (isLive(c.state))
            return {};
        if (c.ringing)
            return ConsoleActions::tr("Answer the call before transferring it, or redirect it");
        if (c.state == CallState::Transferring || c.state == CallState::TransferAccepted)
            return ConsoleActions::tr("A transfer is already under way");
        return ConsoleActions::tr("Only an established call can be transferred");
    case Job::HangUp:
        if (c.ringing)
            return ConsoleActions::tr("A ringing call is rejected, not hung up");
        if (c.state == CallState::Terminating)
            return ConsoleActions::tr("The call is already ending");
        return {};
    case Job::PlayPrompt:
        return isLive(c.state) ? QString()
                               : ConsoleActions::tr("Prompts play only on an established call");
    case Job::CollectDigits:
        return isLive(c.state)
            ? QString()
            : ConsoleActions::tr("Digits can be collected only on an established call");
    case Job::Invite:
        return isLive(c.state)
            ? QString()
            : ConsoleActions::tr("People can be invited only to an established call");
    case Job::MuteParticipant:
        if (!isLive(c.state))
            return ConsoleActions::tr("Participants can be muted only in an established call");
        if (c.participantId.isEmpty())
            return ConsoleActions::tr("Select a participant in the Participants tab");
        if (c.participantIsBot)
            return ConsoleActions::tr("This participant is the console's own bot");
        if (c.participantMuted)
            return ConsoleActions::tr(
                "Already muted. Graph cannot unmute another participant: they unmute "
                "themselves");
        return {};
    case Job::Claim:
        return mine ? ConsoleActions::tr("You have claimed this call already") : QString();
    case Job::Release:
        return mine ? QString() : ConsoleActions::tr("You have not claimed this call");
    case Job::PlaceCall:
    case Job::GroupCall:
    case Job::NewMeeting:
    case Job::Meetings:
    case Job::Settings:
    case Job::KeyboardShortcuts:
        break;
    }
    return {};
}

} // namespace

// ---- ActionContext ----------------------------------------------------------------------------

ActionContext ActionContext::forCall(const QModelIndex &callIndex)
{
    ActionContext c;
    if (!callIndex.isValid())
        return c;
    using Models::CallsModel;
    c.callId = callIndex.data(CallsModel::IdRole).toString();
    c.state = CallState(callIndex.data(CallsModel::StateRole).toInt());
    c.ringing = callIndex.data(CallsModel::IsIncomingRole).toBool();
    c.ended = callIndex.data(CallsModel::IsEndedRole).toBool();
    c.claimedBy = callIndex.data(CallsModel::ClaimedByRole).toString();
    return c;
}

void ActionContext::setParticipant(const QModelIndex &participantIndex)
{
    using Models::ParticipantsModel;
    participantId = participantIndex.isValid()
        ? participantIndex.data(ParticipantsModel::IdRole).toString()
        : QString();
    participantIsBot = participantIndex.data(ParticipantsModel::IsBotRole).toBool();
    participantMuted = participantIndex.data(ParticipantsModel::IsMutedRole).toBool();
}

bool ActionContext::isSupervisor() const
{
    return role == "supervisor"_L1;
}

// ---- ConsoleActions -----------------------------------------------------------------------------

ConsoleActions::ConsoleActions(QObject *parent)
    : QObject(parent)
{
    for (const Spec &s : Specs) {
        auto *action = new QAction(Icons::icon(QString::fromLatin1(s.icon)), tr(s.text), this);
        action->setObjectName(u"action"_s + QString::fromLatin1(s.icon));
        action->setShortcut(QKeySequence(s.shortcut));
        action->setIconText(title(s.job));
        action->setProperty(AccessibleNameProperty, tr(s.accessible));
        action->setProperty(JobProperty, int(s.job));
        action->setStatusTip(tr(s.description));
        // The window's shortcuts must work from every pane and from torn-off docks, but not
        // from dialogs, where function keys belong to the dialog.
        action->setShortcutContext(Qt::WindowShortcut);
        const Job job = s.job;
        connect(action, &QAction::triggered, this, [this, job] { Q_EMIT triggered(job); });
        m_actions.append(action);
    }
    setContext({});
}

ConsoleActions::~ConsoleActions() = default;

QAction *ConsoleActions::action(Job job) const
{
    return m_actions.at(int(job));
}

QList<QAction *> ConsoleActions::actions() const
{
    return m_actions;
}

QList<Job> ConsoleActions::callJobs()
{
    return { Job::Answer, Job::Reject, Job::RejectAsSpam, Job::Redirect, Job::Transfer, Job::HangUp,
        Job::PlayPrompt, Job::CollectDigits, Job::Invite, Job::MuteParticipant, Job::Claim,
        Job::Release };
}

void ConsoleActions::setContext(const ActionContext &context)
{
    m_context = context;
    for (int i = 0; i < JobCount; ++i)
        refresh(Job(i));
}

QString ConsoleActions::blocker(Job job, const ActionContext &context)
{
    if (!callJobs().contains(job))
        return {};
    // The role comes first: an operator learns that muting is not theirs to do before being
    // told to pick a participant.
    if (job == Job::MuteParticipant && !context.isSupervisor())
        return tr("Supervisors only");
    return callBlocker(job, context);
}

QString ConsoleActions::accessibleName(const QAction *action)
{
    return action ? action->property(AccessibleNameProperty).toString() : QString();
}

QString ConsoleActions::title(Job job)
{
    QString text = tr(spec(job).text);
    text.remove(u'&');
    if (text.endsWith(u'…'))
        text.chop(1);
    return text;
}

QString ConsoleActions::key(Job job)
{
    switch (job) {
    case Job::Answer:
        return ActionKeys::Answer;
    case Job::Reject:
        return ActionKeys::Reject;
    case Job::RejectAsSpam:
        return ActionKeys::RejectAsSpam;
    case Job::Redirect:
        return ActionKeys::Redirect;
    case Job::Transfer:
        return ActionKeys::Transfer;
    case Job::HangUp:
        return ActionKeys::HangUp;
    case Job::PlayPrompt:
        return ActionKeys::PlayPrompt;
    case Job::CollectDigits:
        return ActionKeys::CollectDigits;
    case Job::Invite:
        return ActionKeys::Invite;
    case Job::MuteParticipant:
        return ActionKeys::MuteParticipant;
    case Job::Claim:
        return ActionKeys::Claim;
    case Job::Release:
        return ActionKeys::Release;
    case Job::PlaceCall:
    case Job::GroupCall:
    case Job::NewMeeting:
    case Job::Meetings:
    case Job::Settings:
    case Job::KeyboardShortcuts:
        break;
    }
    return {};
}

std::optional<Job> ConsoleActions::jobForKey(QStringView key)
{
    for (const Job job : callJobs()) {
        if (ConsoleActions::key(job) == key)
            return job;
    }
    return std::nullopt;
}

void ConsoleActions::refresh(Job job)
{
    QAction *a = action(job);
    const QString reason = blocker(job, m_context);
    const QString shortcut = a->shortcut().toString(QKeySequence::NativeText);
    a->setEnabled(reason.isEmpty());
    if (reason.isEmpty())
        //: Tooltip of an action: what it does (its shortcut)
        a->setToolTip(tr("%1 (%2)").arg(a->statusTip(), shortcut));
    else
        //: Tooltip of a disabled action: its name (shortcut): why it is disabled
        a->setToolTip(tr("%1 (%2): %3").arg(title(job), shortcut, reason));
}

} // namespace Gui

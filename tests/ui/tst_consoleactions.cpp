// Tests of Gui::ConsoleActions: which actions the selected call's state, the roster selection
// and the operator's role allow, why the others are disabled, and the shortcuts.

#include "ui/consoleactions.h"
#include "uifixtures.h"

#include <QAction>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace UiFixtures;
using Gui::ActionContext;
using Gui::ConsoleActions;
using Job = Gui::ConsoleActions::Job;

Q_DECLARE_METATYPE(QList<Job>)

namespace {

ActionContext contextFor(const Console &console, int n, const QString &role = u"operator"_s)
{
    ActionContext context = ActionContext::forCall(console.callIndex(n));
    context.operatorName = u"alice"_s;
    context.role = role;
    return context;
}

QList<Job> enabledCallJobs(const ConsoleActions &actions)
{
    QList<Job> out;
    for (const Job job : ConsoleActions::callJobs()) {
        if (actions.action(job)->isEnabled())
            out.append(job);
    }
    return out;
}

// The row of the caller (not the bot) in the roster of call n.
QModelIndex callerRow(Console &console, int n)
{
    console.participants.setCallId(callId(n));
    return console.participants.index(console.participants.rowOf(participantId(n)), 0);
}

} // namespace

class TstConsoleActions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enablementFollowsState_data();
    void enablementFollowsState();
    void disabledTooltipSaysWhy_data();
    void disabledTooltipSaysWhy();
    void nothingSelectedDisablesCallActions();
    void muteParticipantIsForSupervisors();
    void muteParticipantNeedsAnUnmutedHuman();
    void claimsDecideWhoActs();
    void everyActionHasShortcutNameTooltipAndIcon();
    void noTwoActionsShareAShortcut();
    void shortcutsNeverTypeIntoTheFilter();
    void triggeringAnnouncesTheJob();
    void keysMatchActionResults();
};

void TstConsoleActions::enablementFollowsState_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QList<Job>>("enabled");

    QTest::newRow("incoming") << u"incoming"_s
                              << QList<Job> { Job::Answer, Job::Reject, Job::RejectAsSpam,
                                     Job::Redirect, Job::Claim };
    QTest::newRow("established") << u"established"_s
                                 << QList<Job> { Job::Transfer, Job::HangUp, Job::PlayPrompt,
                                        Job::CollectDigits, Job::Invite, Job::Claim };
    QTest::newRow("on hold") << u"hold"_s
                             << QList<Job> { Job::Transfer, Job::HangUp, Job::PlayPrompt,
                                    Job::CollectDigits, Job::Invite, Job::Claim };
    QTest::newRow("ended") << u"ended"_s << QList<Job> {};
}

void TstConsoleActions::enablementFollowsState()
{
    QFETCH(QString, state);
    QFETCH(QList<Job>, enabled);
    Console console;
    const Who caller = Who::phone(u"+15550100"_s);
    if (state == "incoming"_L1)
        console.ringing(1, caller);
    else if (state == "established"_L1)
        console.established(1, caller);
    else if (state == "hold"_L1)
        console.held(1, caller);
    else
        console.ended(1, caller);
    ConsoleActions actions;

    actions.setContext(contextFor(console, 1));

    QCOMPARE(enabledCallJobs(actions), enabled);
    QVERIFY(actions.action(Job::Settings)->isEnabled());
    QVERIFY(actions.action(Job::KeyboardShortcuts)->isEnabled());
}

void TstConsoleActions::disabledTooltipSaysWhy_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<Job>("job");
    QTest::addColumn<QString>("reason");

    QTest::newRow("answer a live call")
        << u"established"_s << Job::Answer << u"Only a ringing call can be answered"_s;
    QTest::newRow("hang up a ringing call")
        << u"incoming"_s << Job::HangUp << u"A ringing call is rejected, not hung up"_s;
    QTest::newRow("transfer a ringing call")
        << u"incoming"_s << Job::Transfer << u"Answer the call before transferring it"_s;
    QTest::newRow("redirect a live call")
        << u"established"_s << Job::Redirect << u"Only a ringing call can be redirected"_s;
    QTest::newRow("prompt on an ended call")
        << u"ended"_s << Job::PlayPrompt << u"The call has ended"_s;
}

void TstConsoleActions::disabledTooltipSaysWhy()
{
    QFETCH(QString, state);
    QFETCH(Job, job);
    QFETCH(QString, reason);
    Console console;
    if (state == "incoming"_L1)
        console.ringing(1, Who::user(u"Kenji Watanabe"_s));
    else if (state == "established"_L1)
        console.established(1, Who::user(u"Kenji Watanabe"_s));
    else
        console.ended(1, Who::user(u"Kenji Watanabe"_s));
    ConsoleActions actions;

    actions.setContext(contextFor(console, 1));

    QVERIFY(!actions.action(job)->isEnabled());
    QVERIFY2(actions.action(job)->toolTip().contains(reason),
        qPrintable(actions.action(job)->toolTip()));
    QCOMPARE(ConsoleActions::blocker(job, contextFor(console, 1)).isEmpty(), false);
}

void TstConsoleActions::nothingSelectedDisablesCallActions()
{
    ConsoleActions actions;
    ActionContext nothing;
    nothing.operatorName = u"alice"_s;
    nothing.role = u"supervisor"_s;

    actions.setContext(nothing);

    QCOMPARE(enabledCallJobs(actions), QList<Job> {});
    QVERIFY(actions.action(Job::Answer)->toolTip().contains(u"Select a call"_s));
}

void TstConsoleActions::muteParticipantIsForSupervisors()
{
    Console console;
    console.established(1, Who::user(u"Irina Smirnova"_s));
    ConsoleActions actions;
    ActionContext context = contextFor(console, 1, u"operator"_s);
    context.setParticipant(callerRow(console, 1));
    QVERIFY(!context.participantId.isEmpty());

    actions.setContext(context);
    QVERIFY(!actions.action(Job::MuteParticipant)->isEnabled());
    QVERIFY2(actions.action(Job::MuteParticipant)->toolTip().contains(u"Supervisors only"_s),
        qPrintable(actions.action(Job::MuteParticipant)->toolTip()));

    context.role = u"supervisor"_s;
    actions.setContext(context);
    QVERIFY(actions.action(Job::MuteParticipant)->isEnabled());
}

void TstConsoleActions::muteParticipantNeedsAnUnmutedHuman()
{
    Console console;
    console.established(1, Who::user(u"Irina Smirnova"_s));
    ConsoleActions actions;
    ActionContext context = contextFor(console, 1, u"supervisor"_s);

    actions.setContext(context);
    QVERIFY(!actions.action(Job::MuteParticipant)->isEnabled());
    QVERIFY(actions.action(Job::MuteParticipant)->toolTip().contains(u"Select a participant"_s));

    console.participants.setCallId(callId(1));
    context.setParticipant(
        console.participants.index(console.participants.rowOf(BotParticipant), 0));
    actions.setContext(context);
    QVERIFY(!actions.action(Job::MuteParticipant)->isEnabled());
    QVERIFY(actions.action(Job::MuteParticipant)->toolTip().contains(u"own bot"_s));

    console.notify(5,
        roster(callId(1),
            QJsonArray { botParticipant(2),
                participant(participantId(1), Who::user(u"Irina Smirnova"_s), 2, true) }));
    context.setParticipant(callerRow(console, 1));
    QVERIFY(context.participantMuted);
    actions.setContext(context);
    QVERIFY(!actions.action(Job::MuteParticipant)->isEnabled());
    QVERIFY2(actions.action(Job::MuteParticipant)
                 ->toolTip()
                 .contains(u"Graph cannot unmute another participant"_s),
        qPrintable(actions.action(Job::MuteParticipant)->toolTip()));
}

void TstConsoleActions::claimsDecideWhoActs()
{
    Console console;
    console.ringing(1, Who::user(u"Lena Vogel"_s));
    ConsoleActions actions;

    console.relayEvent(1, u"claimed"_s, callId(1), { { "by"_L1, u"bob"_s } });
    actions.setContext(contextFor(console, 1));
    QVERIFY(!actions.action(Job::Answer)->isEnabled());
    QVERIFY(actions.action(Job::Answer)->toolTip().contains(u"bob has claimed this call"_s));
    QVERIFY(!actions.action(Job::Claim)->isEnabled());
    QVERIFY(!actions.action(Job::Release)->isEnabled());

    console.relayEvent(2, u"released"_s, callId(1));
    console.relayEvent(3, u"claimed"_s, callId(1), { { "by"_L1, u"alice"_s } });
    actions.setContext(contextFor(console, 1));
    QVERIFY(actions.action(Job::Answer)->isEnabled());
    QVERIFY(!actions.action(Job::Claim)->isEnabled());
    QVERIFY(actions.action(Job::Release)->isEnabled());
}

void TstConsoleActions::everyActionHasShortcutNameTooltipAndIcon()
{
    ConsoleActions actions;
    QCOMPARE(actions.actions().size(), ConsoleActions::JobCount);
    for (const QAction *action : actions.actions()) {
        const QByteArray name = action->objectName().toUtf8();
        QVERIFY2(!action->shortcut().isEmpty(), name.constData());
        QVERIFY2(!ConsoleActions::accessibleName(action).isEmpty(), name.constData());
        QVERIFY2(!action->toolTip().isEmpty(), name.constData());
        QVERIFY2(!action->icon().isNull(), name.constData());
        QVERIFY2(!action->icon().pixmap(16).isNull(), name.constData());
    }
}

void TstConsoleActions::noTwoActionsShareAShortcut()
{
    ConsoleActions actions;
    QSet<QKeySequence> seen;
    for (const QAction *action : actions.actions()) {
        QVERIFY2(!seen.contains(action->shortcut()), qPrintable(action->shortcut().toString()));
        seen.insert(action->shortcut());
    }
}

void TstConsoleActions::shortcutsNeverTypeIntoTheFilter()
{
    // A shortcut is a function key, or holds Ctrl: never a character a text box would take.
    ConsoleActions actions;
    for (const QAction *action : actions.actions()) {
        const QKeyCombination key = action->shortcut()[0];
        const bool functionKey = key.key() >= Qt::Key_F1 && key.key() <= Qt::Key_F35;
        const bool withCtrl = key.keyboardModifiers().testFlag(Qt::ControlModifier);
        QVERIFY2(functionKey || withCtrl, qPrintable(action->shortcut().toString()));
    }
}

void TstConsoleActions::triggeringAnnouncesTheJob()
{
    Console console;
    console.ringing(1, Who::user(u"Kenji Watanabe"_s));
    ConsoleActions actions;
    actions.setContext(contextFor(console, 1));
    QSignalSpy triggered(&actions, &ConsoleActions::triggered);

    actions.action(Job::Redirect)->trigger();

    QCOMPARE(triggered.count(), 1);
    QCOMPARE(triggered.at(0).at(0).value<Job>(), Job::Redirect);
}

void TstConsoleActions::keysMatchActionResults()
{
    for (const Job job : ConsoleActions::callJobs()) {
        const QString key = ConsoleActions::key(job);
        QVERIFY(!key.isEmpty());
        QCOMPARE(ConsoleActions::jobForKey(key), std::optional<Job>(job));
    }
    QCOMPARE(ConsoleActions::key(Job::Answer), u"answer"_s);
    QCOMPARE(ConsoleActions::jobForKey(u"nonsense"_s), std::nullopt);
}

QTEST_MAIN(TstConsoleActions)
#include "tst_consoleactions.moc"

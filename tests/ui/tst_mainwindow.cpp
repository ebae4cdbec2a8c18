// Tests of Gui::MainWindow: one key acts on the selected call from any pane, the filter box
// never swallows a shortcut nor leaks text, the selection never jumps to another call, the
// status bar, the notice bar and the event log report what happened, and the layout survives
// a save and restore.

#include "ui/consoleactions.h"
#include "ui/detailpane.h"
#include "ui/dialogs/redirectdialog.h"
#include "ui/dialogs/targetinput.h"
#include "ui/eventlog.h"
#include "ui/mainwindow.h"
#include "ui/noticebar.h"
#include "ui/queuepane.h"
#include "ui/shortcutsdialog.h"
#include "ui/statuspanel.h"
#include "uifixtures.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace UiFixtures;
using Gui::ConnectionStatus;
using Gui::MainWindow;
using Job = Gui::ConsoleActions::Job;

Q_DECLARE_METATYPE(Gui::ConnectionStatus)

namespace {

void showActive(MainWindow &window)
{
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
}

// Calls an operator meets in a morning: two ringing, one live with a roster, one on hold
// handled by the relay's policy, one ended.
void morning(Console &console)
{
    console.ringing(1, Who::phone(u"+1 555 0100"_s), 0);
    console.ringing(2, Who::user(u"Kenji Watanabe"_s), 7);
    console.established(3, Who::phone(u"+7 495 123-45-67"_s, u"Ирина Смирнова"_s), -160);
    console.notify(-150,
        roster(callId(3),
            QJsonArray { botParticipant(2),
                participant(participantId(3),
                    Who::phone(u"+7 495 123-45-67"_s, u"Ирина Смирнова"_s), 2, true),
                participant(participantId(30), Who::user(u"Dr. Amelia Koch"_s), 2, false, true) }));
    console.relayEvent(-150, u"claimed"_s, callId(3), { { "by"_L1, u"alice"_s } });
    console.ringing(4, Who::user(u"Lena Vogel"_s), -60);
    console.relayEvent(-50, u"policy"_s, callId(4), { { "action"_L1, u"answered"_s } });
    console.notify(-50, callUpdated(callId(4), u"established"_s));
    console.notify(-49, callUpdated(callId(4), u"hold"_s));
    console.ended(5, Who::phone(u"+44 20 7946 0000"_s), -300);
    console.calls.setNow(at(11));
}

} // namespace

class TstMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answerShortcutAnswersTheSelectedCall();
    void answerShortcutFromTheFilterBoxTypesNothing();
    void escapeInTheFilterClearsItAndReturnsToTheQueue();
    void upAndDownInTheFilterMoveInTheQueue();
    void selectionNeverJumpsWhenTheSelectedCallLeaves();
    void idleConsoleSelectsTheLongestRingingCall();
    void detailPaneFollowsTheSelection();
    void timelineFollowsNewEntriesUnlessScrolledBack();
    void queueKeepsTheSelectedRowInSightWhenItMoves();
    void connectionStatusTexts_data();
    void connectionStatusTexts();
    void statusBarShowsSeqLatencyAndOperator();
    void errorResultShowsInNoticeBarAndLog();
    void failedDialogComesBackAsTyped();
    void layoutRoundTrip();
    void restoreLayoutRefusesForeignData();
    void sandboxBanner();
    void windowShortcutsAreDistinct();
    void shortcutsDialogListsTheActions();
    void rendersAtOperatorSize();
};

void TstMainWindow::answerShortcutAnswersTheSelectedCall()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.setOperator(u"alice"_s, u"operator"_s);
    showActive(window);
    QSignalSpy answered(&window, &MainWindow::answerRequested);

    window.selectCall(callId(2));
    QCOMPARE(window.selectedCallId(), callId(2));
    QTest::keyClick(window.queuePane()->view(), Qt::Key_F5);

    QCOMPARE(answered.count(), 1);
    QCOMPARE(answered.at(0).at(0).toString(), callId(2));

    // A live call cannot be answered: the key does nothing.
    window.selectCall(callId(3));
    QTest::keyClick(window.queuePane()->view(), Qt::Key_F5);
    QCOMPARE(answered.count(), 1);
}

void TstMainWindow::answerShortcutFromTheFilterBoxTypesNothing()
{
    // Decided: function keys are the console's, never the filter's. The filter box keeps its
    // text and the selected call is answered.
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.setOperator(u"alice"_s, u"operator"_s);
    showActive(window);
    QSignalSpy answered(&window, &MainWindow::answerRequested);
    QSignalSpy spam(&window, &MainWindow::rejectAsSpamRequested);
    window.selectCall(callId(2));
    QLineEdit *filter = window.queuePane()->filterEdit();

    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(filter->hasFocus());
    QTest::keyClicks(filter, u"Kenji"_s);
    QCOMPARE(window.selectedCallId(), callId(2));
    QTest::keyClick(filter, Qt::Key_F5);

    QCOMPARE(filter->text(), u"Kenji"_s);
    QCOMPARE(answered.count(), 1);
    QCOMPARE(answered.at(0).at(0).toString(), callId(2));

    QTest::keyClick(filter, Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(filter->text(), u"Kenji"_s);
    QCOMPARE(spam.count(), 1);
}

void TstMainWindow::escapeInTheFilterClearsItAndReturnsToTheQueue()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    showActive(window);
    window.queuePane()->focusFilter();
    QLineEdit *filter = window.queuePane()->filterEdit();
    QTest::keyClicks(filter, u"Lena"_s);
    QCOMPARE(console.queue.rowCount(), 1);

    QTest::keyClick(filter, Qt::Key_Escape);

    QVERIFY(filter->text().isEmpty());
    QCOMPARE(console.queue.rowCount(), 4); // the ended call stays hidden
    QVERIFY(window.queuePane()->view()->hasFocus());
}

void TstMainWindow::upAndDownInTheFilterMoveInTheQueue()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    showActive(window);
    window.selectCall(callId(1)); // the top of the queue
    window.queuePane()->focusFilter();
    QLineEdit *filter = window.queuePane()->filterEdit();

    QTest::keyClick(filter, Qt::Key_Down);
    QCOMPARE(window.selectedCallId(), callId(2));
    QTest::keyClick(filter, Qt::Key_Up);
    QCOMPARE(window.selectedCallId(), callId(1));
    QVERIFY(filter->hasFocus());
    QVERIFY(filter->text().isEmpty());
}

void TstMainWindow::selectionNeverJumpsWhenTheSelectedCallLeaves()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.setOperator(u"alice"_s, u"operator"_s);
    showActive(window);
    window.selectCall(callId(3));
    QSignalSpy hungUp(&window, &MainWindow::hangUpRequested);
    QTest::keyClick(window.queuePane()->view(), Qt::Key_F8);
    QCOMPARE(hungUp.count(), 1);

    console.notify(12, callDeleted(callId(3), resultInfo(200, 5000)));

    // The ended call left the queue; nothing else was selected in its place, so a second F8
    // ends nothing.
    QVERIFY(window.selectedCallId().isEmpty());
    QVERIFY(!window.consoleActions()->action(Job::HangUp)->isEnabled());
    QTest::keyClick(window.queuePane()->view(), Qt::Key_F8);
    QCOMPARE(hungUp.count(), 1);
    // The details still show how it ended.
    QVERIFY2(window.detailPane()->headerText().contains(u"Ended"_s),
        qPrintable(window.detailPane()->headerText()));
}

void TstMainWindow::idleConsoleSelectsTheLongestRingingCall()
{
    Console console;
    console.established(3, Who::user(u"Lena Vogel"_s), -100);
    console.calls.setNow(at(0));
    MainWindow window(console.models());
    QVERIFY(window.selectedCallId().isEmpty()); // a live call is not picked for the operator

    console.ringing(1, Who::user(u"Kenji Watanabe"_s), 1);
    console.ringing(2, Who::user(u"Anna Berg"_s), 2);
    console.calls.setNow(at(5));

    QCOMPARE(window.selectedCallId(), callId(1));
}

void TstMainWindow::detailPaneFollowsTheSelection()
{
    Console console;
    morning(console);
    MainWindow window(console.models());

    window.selectCall(callId(3));

    const QString header = window.detailPane()->headerText();
    QVERIFY2(header.contains(u"Ирина Смирнова"_s), qPrintable(header));
    QVERIFY(header.contains(u"+7 495 123-45-67"_s));
    QVERIFY(header.contains(u"Established"_s));
    QVERIFY(header.contains(u"handled by alice"_s));
    QVERIFY(header.contains(u"last event"_s));
    QCOMPARE(console.participants.callId(), callId(3));
    QCOMPARE(console.participants.rowCount(), 3);
    QCOMPARE(console.timeline.callId(), callId(3));

    console.notify(20, tone(callId(3), 1, u"tone1"_s));
    console.notify(21, tone(callId(3), 2, u"pound"_s));
    QCOMPARE(console.timeline.tones(), u"1#"_s);

    showActive(window);
    QTest::keyClick(&window, Qt::Key_2, Qt::AltModifier);
    QCOMPARE(window.detailPane()->tabs()->currentIndex(), int(Gui::DetailPane::TonesTab));
    QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
    QCOMPARE(window.detailPane()->tabs()->currentIndex(), int(Gui::DetailPane::TimelineTab));
}

void TstMainWindow::timelineFollowsNewEntriesUnlessScrolledBack()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.resize(1200, 700);
    window.selectCall(callId(3));
    showActive(window);
    window.detailPane()->showTab(Gui::DetailPane::TimelineTab);
    auto *list = window.detailPane()->findChild<QListView *>();
    QVERIFY(list);
    QScrollBar *bar = list->verticalScrollBar();

    for (int i = 1; i <= 60; ++i)
        console.notify(20 + i, tone(callId(3), i, u"tone1"_s));
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());

    bar->setValue(0); // the operator scrolls back to read older entries
    const int before = bar->maximum();
    for (int i = 61; i <= 70; ++i)
        console.notify(20 + i, tone(callId(3), i, u"tone1"_s));
    QTRY_VERIFY(bar->maximum() > before);
    QCOMPARE(bar->value(), 0);
}

void TstMainWindow::queueKeepsTheSelectedRowInSightWhenItMoves()
{
    Console console;
    for (int i = 1; i <= 60; ++i)
        console.ringing(i, Who::user(u"Caller %1"_s.arg(i)), i);
    console.calls.setNow(at(70));
    MainWindow window(console.models());
    window.resize(1200, 700);
    showActive(window);
    QTableView *view = window.queuePane()->view();
    window.selectCall(callId(1)); // the longest waiting: the top row
    const auto inSight = [&] {
        const QModelIndex selected = view->selectionModel()->currentIndex();
        return selected.isValid() && view->viewport()->rect().contains(view->visualRect(selected));
    };
    QTRY_VERIFY(inSight());

    // Answered, the call goes below the 59 still ringing, past the bottom of the view.
    console.notify(71, callUpdated(callId(1), u"established"_s));
    QCOMPARE(window.selectedCallId(), callId(1));
    QTRY_VERIFY(inSight());
    QVERIFY(view->verticalScrollBar()->value() > 0);
}

void TstMainWindow::connectionStatusTexts_data()
{
    QTest::addColumn<ConnectionStatus>("status");
    QTest::addColumn<int>("retry");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("icon");

    QTest::newRow("connected") << ConnectionStatus::Connected << 0 << u"Relay connected"_s
                               << u"connection-connected"_s;
    QTest::newRow("connecting") << ConnectionStatus::Connecting << 0
                                << u"Connecting to the relay…"_s << u"connection-reconnecting"_s;
    QTest::newRow("reconnecting") << ConnectionStatus::Reconnecting << 5 << u"Reconnecting in 5 s"_s
                                  << u"connection-reconnecting"_s;
    QTest::newRow("reconnecting now") << ConnectionStatus::Reconnecting << 0 << u"Reconnecting…"_s
                                      << u"connection-reconnecting"_s;
    QTest::newRow("offline") << ConnectionStatus::Offline << 0 << u"Offline"_s
                             << u"connection-offline"_s;
}

void TstMainWindow::connectionStatusTexts()
{
    QFETCH(ConnectionStatus, status);
    QFETCH(int, retry);
    QFETCH(QString, text);
    QFETCH(QString, icon);
    Console console;
    MainWindow window(console.models());

    window.setConnectionStatus(status, retry);

    QCOMPARE(window.statusPanel()->connectionLabelText(), text);
    QCOMPARE(Gui::StatusPanel::connectionIconName(status), icon);
    QVERIFY(window.eventLog()->lines().constLast().endsWith(text));
}

void TstMainWindow::statusBarShowsSeqLatencyAndOperator()
{
    Console console;
    MainWindow window(console.models());

    window.setSeq(18231);
    window.setEventLatency(std::chrono::milliseconds(14));
    window.setOperator(u"alice"_s, u"supervisor"_s);
    window.setConnectionStatus(ConnectionStatus::Connected);
    window.setConnectionStatus(ConnectionStatus::Connected);

    QCOMPARE(window.statusPanel()->seqText(), u"seq 18231"_s);
    QCOMPARE(window.statusPanel()->latencyText(), u"event→screen p95 14 ms"_s);
    QCOMPARE(window.statusPanel()->operatorText(), u"alice (supervisor)"_s);
    QVERIFY(window.windowTitle().contains(u"alice (supervisor)"_s));
    // A repeated status is not a change, and the log says each change once.
    QCOMPARE(window.eventLog()->count(), 1);
}

void TstMainWindow::errorResultShowsInNoticeBarAndLog()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.show();
    QVERIFY(!window.noticeBar()->isVisible());

    window.showActionResult({ callId(3), u"transfer"_s, false, 500, u"7000"_s,
        u"Transfer to Dr. Koch failed"_s, u"3f2a9c1e-77d0-4f1b-9a55-0c2f1e8d6b10"_s });

    QVERIFY(window.noticeBar()->isVisible());
    const QString notice = window.noticeBar()->text();
    for (const QString &part : { u"Transfer to Dr. Koch failed"_s, u"7000"_s,
             u"3f2a9c1e-77d0-4f1b-9a55-0c2f1e8d6b10"_s, u"Ирина Смирнова"_s }) {
        QVERIFY2(notice.contains(part), qPrintable(notice));
        QVERIFY2(window.eventLog()->lines().constLast().contains(part),
            qPrintable(window.eventLog()->lines().constLast()));
    }

    // A success is logged and leaves the notice alone; dismissing hides it.
    window.showActionResult({ callId(1), u"answer"_s, true, 200, {}, {}, u"req-2"_s });
    QVERIFY(window.eventLog()->lines().constLast().contains(u"Answer done"_s));
    QCOMPARE(window.noticeBar()->text(), notice);
    QTest::mouseClick(window.noticeBar()->dismissButton(), Qt::LeftButton);
    QVERIFY(!window.noticeBar()->isVisible());
}

void TstMainWindow::failedDialogComesBackAsTyped()
{
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.setOperator(u"alice"_s, u"operator"_s);
    showActive(window);
    window.selectCall(callId(2));
    QSignalSpy redirected(&window, &MainWindow::redirectRequested);

    QTest::keyClick(window.queuePane()->view(), Qt::Key_F6);
    QPointer<Gui::RedirectDialog> dialog = window.findChild<Gui::RedirectDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->targets()->setTexts({ u"anna@contoso.com"_s, u"+44 20 7946 0000"_s });
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    QCOMPARE(redirected.count(), 1);
    QCOMPARE(redirected.at(0).at(0).toString(), callId(2));
    const auto request = redirected.at(0).at(1).value<Gui::RedirectRequest>();
    QCOMPARE(request.targets.size(), 2);
    QVERIFY(!dialog->isVisible());

    window.showActionResult({ callId(2), u"redirect"_s, false, 403, u"7503"_s,
        u"Redirect target not allowed"_s, u"req-9"_s });
    QVERIFY(dialog);
    QVERIFY(dialog->errorText().contains(u"Redirect target not allowed"_s));

    window.consoleActions()->action(Job::Redirect)->trigger();
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(window.findChildren<Gui::RedirectDialog *>().size(), 1);
    QCOMPARE(
        dialog->targets()->texts(), (QStringList { u"anna@contoso.com"_s, u"+44 20 7946 0000"_s }));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QCOMPARE(redirected.count(), 2);

    window.showActionResult({ callId(2), u"redirect"_s, true, 202, {}, {}, u"req-10"_s });
    QTRY_VERIFY(dialog.isNull());
}

void TstMainWindow::layoutRoundTrip()
{
    Console console;
    morning(console);
    QByteArray saved;
    {
        MainWindow window(console.models());
        window.show();
        auto *log = window.findChild<QDockWidget *>(u"eventLogDock"_s);
        auto *detail = window.findChild<QDockWidget *>(u"detailDock"_s);
        QVERIFY(log && detail);
        window.addDockWidget(Qt::LeftDockWidgetArea, log);
        detail->hide();
        window.queuePane()->view()->horizontalHeader()->hideSection(
            Models::CallsModel::FreshnessColumn);
        saved = window.saveLayout();
    }
    QVERIFY(!saved.isEmpty());

    MainWindow restored(console.models());
    restored.show();
    QVERIFY(restored.restoreLayout(saved));

    auto *log = restored.findChild<QDockWidget *>(u"eventLogDock"_s);
    auto *detail = restored.findChild<QDockWidget *>(u"detailDock"_s);
    QCOMPARE(restored.dockWidgetArea(log), Qt::LeftDockWidgetArea);
    QVERIFY(detail->isHidden());
    QVERIFY(restored.queuePane()->view()->horizontalHeader()->isSectionHidden(
        Models::CallsModel::FreshnessColumn));
}

void TstMainWindow::restoreLayoutRefusesForeignData()
{
    Console console;
    MainWindow window(console.models());

    QVERIFY(!window.restoreLayout({}));
    QVERIFY(!window.restoreLayout(window.saveState())); // Qt's own state is not our layout
    QVERIFY(window.restoreLayout(window.saveLayout()));
}

void TstMainWindow::sandboxBanner()
{
    Console console;
    MainWindow window(console.models());
    window.show();
    QVERIFY(!window.sandboxBanner()->isVisible());

    window.setSandboxMode(true);
    QVERIFY(window.sandboxBanner()->isVisible());
    const auto *text = window.sandboxBanner()->findChild<QLabel *>(u"sandboxBannerText"_s);
    QVERIFY(text);
    QVERIFY(text->text().startsWith(u"Sandbox: simulated calls"_s));

    window.setSandboxMode(false);
    QVERIFY(!window.sandboxBanner()->isVisible());
}

void TstMainWindow::windowShortcutsAreDistinct()
{
    Console console;
    MainWindow window(console.models());
    QSet<QKeySequence> seen;
    int withShortcut = 0;
    for (const QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut().isEmpty())
            continue;
        ++withShortcut;
        QVERIFY2(!seen.contains(action->shortcut()), qPrintable(action->shortcut().toString()));
        seen.insert(action->shortcut());
    }
    QVERIFY(withShortcut >= Gui::ConsoleActions::JobCount + 5); // + filter, queue, three tabs
    // Every toolbar button is named for assistive technology.
    const auto *toolBar = window.findChild<QToolBar *>(u"callToolBar"_s);
    for (QAction *action : toolBar->actions()) {
        if (action->isSeparator())
            continue;
        QCOMPARE(toolBar->widgetForAction(action)->accessibleName(),
            Gui::ConsoleActions::accessibleName(action));
    }
}

void TstMainWindow::shortcutsDialogListsTheActions()
{
    Console console;
    MainWindow window(console.models());
    showActive(window);

    QTest::keyClick(window.queuePane()->view(), Qt::Key_F1);

    auto *dialog = window.findChild<Gui::ShortcutsDialog *>();
    QVERIFY(dialog);
    QTableWidget *table = dialog->table();
    QStringList keys;
    for (int row = 0; row < table->rowCount(); ++row)
        keys.append(table->item(row, 1)->text());
    for (const QAction *action : window.consoleActions()->actions())
        QVERIFY2(keys.contains(action->shortcut().toString(QKeySequence::NativeText)),
            qPrintable(action->shortcut().toString()));
    QVERIFY(keys.contains(
        QKeySequence(Qt::ControlModifier | Qt::Key_F).toString(QKeySequence::NativeText)));
}

void TstMainWindow::rendersAtOperatorSize()
{
    // FRONTDESK_UI_DARK=1 renders with a dark, high-contrast palette, to check that every icon
    // and word still shows.
    const QPalette original = QApplication::palette();
    const auto restorePalette = qScopeGuard([&original] { QApplication::setPalette(original); });
    if (qEnvironmentVariableIsSet("FRONTDESK_UI_DARK")) {
        QPalette dark;
        dark.setColor(QPalette::Window, Qt::black);
        dark.setColor(QPalette::WindowText, Qt::white);
        dark.setColor(QPalette::Base, Qt::black);
        dark.setColor(QPalette::AlternateBase, QColor(30, 30, 30));
        dark.setColor(QPalette::Text, Qt::white);
        dark.setColor(QPalette::Button, Qt::black);
        dark.setColor(QPalette::ButtonText, Qt::white);
        dark.setColor(QPalette::Highlight, Qt::yellow);
        dark.setColor(QPalette::HighlightedText, Qt::black);
        dark.setColor(QPalette::ToolTipBase, Qt::black);
        dark.setColor(QPalette::ToolTipText, Qt::yellow);
        dark.setColor(QPalette::PlaceholderText, QColor(190, 190, 190));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(140, 140, 140));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(140, 140, 140));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(140, 140, 140));
        QApplication::setPalette(dark);
    }
    Console console;
    morning(console);
    MainWindow window(console.models());
    window.setOperator(u"alice"_s, u"operator"_s);
    window.setSandboxMode(true);
    window.setConnectionStatus(ConnectionStatus::Connected);
    window.setSeq(18231);
    window.setEventLatency(std::chrono::milliseconds(14));
    window.resize(1280, 800);
    window.show();
    window.selectCall(callId(3));
    window.detailPane()->participantsView()->selectRow(1);
    window.showActionResult({ callId(3), u"transfer"_s, false, 500, u"7000"_s,
        u"Transfer to Dr. Koch failed"_s, u"3f2a9c1e-77d0"_s });
    window.selectCall(callId(1));
    window.appendLog(u"Claimed Ирина Смирнова"_s);

    // Everything an operator needs fits at 1280×800: the whole queue and the details.
    QTableView *view = window.queuePane()->view();
    QVERIFY(view->viewport()->height() >= view->rowHeight(0) * console.queue.rowCount());
    QVERIFY(window.detailPane()->isVisible());
    QVERIFY(window.width() <= 1280 && window.height() <= 800);

    QCoreApplication::sendPostedEvents(); // the layouts settle, as they would on screen
    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    // FRONTDESK_UI_SCREENSHOT=/tmp/x.png saves what the window looks like, with a ringing
    // call and then a live call selected, for a person to look at.
    const QString path = qEnvironmentVariable("FRONTDESK_UI_SCREENSHOT");
    if (path.isEmpty())
        return;
    QVERIFY(image.save(path));
    window.selectCall(callId(3));
    window.detailPane()->participantsView()->selectRow(1);
    QCoreApplication::sendPostedEvents();
    QVERIFY(window.grab().save(QString(path).replace(u".png"_s, u"-live.png"_s)));

    Gui::RedirectDialog redirect(u"Kenji Watanabe"_s, &window);
    redirect.targets()->setTexts({ u"anna@contoso.com"_s, u"020 7946 0000"_s });
    redirect.timeoutBox()->setChecked(true);
    redirect.showError({ callId(2), u"redirect"_s, false, 403, u"7503"_s,
        u"Redirect target not allowed"_s, u"req-9"_s });
    redirect.show();
    QCoreApplication::sendPostedEvents();
    QVERIFY(redirect.grab().save(QString(path).replace(u".png"_s, u"-redirect.png"_s)));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"

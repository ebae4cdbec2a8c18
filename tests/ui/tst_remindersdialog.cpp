// Tests of the reminders dialog: the form's checks, the POST /api/reminders body it produces
// (the local time picked, sent as UTC), the list model under QAbstractItemModelTester, cancel
// enabled only for a pending reminder, and reminder relay events in plain words.

#include "models/remindersmodel.h"
#include "ui/dialogs/remindersdialog.h"
#include "ui/mainwindow.h"
#include "uifixtures.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDateTimeEdit>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDateTime Now(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);

QJsonObject reminderJson(const QString &id, const QString &state, int attempt = 0)
{
    return { { "id"_L1, id }, { "target"_L1, u"+14255550123"_s },
        { "displayName"_L1, u"Lena Vogel"_s }, { "at"_L1, u"2026-01-05T10:00:00.000Z"_s },
        { "prompt"_L1, u"https://media.example.org/r.wav"_s }, { "createdBy"_L1, u"alice"_s },
        { "state"_L1, state }, { "attempt"_L1, attempt } };
}

} // namespace

class TstRemindersDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bodyHoldsTheFormWithTheTimeInUtc();
    void problemsAreNamedAndCreateIsDisabled_data();
    void problemsAreNamedAndCreateIsDisabled();
    void createEmitsTheBody();
    void listShowsRemindersAndCancelOnlyPendingOnes();
    void modelPassesTheTester();
    void eventsReadAsPlainWords();
    void mainWindowAsksForRemindersWithItsShortcut();
};

void TstRemindersDialog::bodyHoldsTheFormWithTheTimeInUtc()
{
    Gui::RemindersDialog dialog;
    dialog.setNow(Now);
    dialog.targetEdit()->setText(u"+1 (425) 555-0123"_s);
    dialog.nameEdit()->setText(u"Lena Vogel"_s);
    const QDateTime local = Now.addSecs(3600).toLocalTime();
    dialog.timeEdit()->setDateTime(local);
    dialog.subjectEdit()->setText(u"Dentist at 10"_s);
    QString problem;
    const std::optional<QJsonObject> body = dialog.requestBody(&problem);
    QVERIFY2(body, qPrintable(problem));
    QCOMPARE(body->value("target"_L1).toString(), u"+14255550123"_s);
    QCOMPARE(body->value("displayName"_L1).toString(), u"Lena Vogel"_s);
    QCOMPARE(body->value("subject"_L1).toString(), u"Dentist at 10"_s);
    QCOMPARE(body->value("at"_L1).toString(), u"2026-01-05T10:00:00Z"_s);
    QVERIFY(!body->contains("prompt"_L1)); // empty: the relay's default
    QVERIFY(dialog.createButton()->isEnabled());

    dialog.promptEdit()->setText(u"https://media.example.org/reminder.wav"_s);
    QCOMPARE(dialog.requestBody()->value("prompt"_L1).toString(),
        u"https://media.example.org/reminder.wav"_s);
}

void TstRemindersDialog::problemsAreNamedAndCreateIsDisabled_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("inSeconds");
    QTest::addColumn<QString>("prompt");
    QTest::newRow("no person") << QString() << 3600 << QString();
    QTest::newRow("bad number") << u"+12"_s << 3600 << QString();
    QTest::newRow("time in the past") << u"+14255550123"_s << -60 << QString();
    QTest::newRow("prompt not http") << u"+14255550123"_s << 3600 << u"ftp://x/r.wav"_s;
}

void TstRemindersDialog::problemsAreNamedAndCreateIsDisabled()
{
    QFETCH(QString, target);
    QFETCH(int, inSeconds);
    QFETCH(QString, prompt);
    Gui::RemindersDialog dialog;
    dialog.setNow(Now);
    dialog.timeEdit()->setDateTime(Now.addSecs(inSeconds).toLocalTime());
    dialog.promptEdit()->setText(prompt);
    dialog.targetEdit()->setText(target);
    QString problem;
    QVERIFY(!dialog.requestBody(&problem));
    QVERIFY(!problem.isEmpty());
    QVERIFY(!dialog.createButton()->isEnabled());
    QCOMPARE(dialog.createButton()->toolTip(), problem);
}

void TstRemindersDialog::createEmitsTheBody()
{
    Gui::RemindersDialog dialog;
    dialog.setNow(Now);
    dialog.timeEdit()->setDateTime(Now.addSecs(600).toLocalTime());
    dialog.targetEdit()->setText(u"anna@contoso.com"_s);
    QSignalSpy create(&dialog, &Gui::RemindersDialog::createRequested);
    QTest::mouseClick(dialog.createButton(), Qt::LeftButton);
    QCOMPARE(create.size(), 1);
    const QJsonObject body = create.at(0).at(0).value<QJsonObject>();
    QCOMPARE(body.value("target"_L1).toString(), u"anna@contoso.com"_s);
    QCOMPARE(body.value("at"_L1).toString(), u"2026-01-05T09:10:00Z"_s);

    dialog.reminderCreated();
    QVERIFY(dialog.targetEdit()->text().isEmpty());
    dialog.showError(u"refused (badRequest)"_s);
    QCOMPARE(dialog.problemLabel()->text(), u"refused (badRequest)"_s);
}

void TstRemindersDialog::listShowsRemindersAndCancelOnlyPendingOnes()
{
    Gui::RemindersDialog dialog;
    dialog.setReminders({ reminderJson(u"r1"_s, u"scheduled"_s),
        reminderJson(u"r2"_s, u"played"_s, 1), QJsonObject { { "id"_L1, u"bad"_s } } });
    QCOMPARE(dialog.model()->rowCount(), 2); // one without a time is left out
    QVERIFY(!dialog.cancelButton()->isEnabled());
    dialog.view()->selectRow(1);
    QVERIFY(!dialog.cancelButton()->isEnabled());
    dialog.view()->selectRow(0);
    QVERIFY(dialog.cancelButton()->isEnabled());
    QSignalSpy cancel(&dialog, &Gui::RemindersDialog::cancelRequested);
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    QCOMPARE(cancel.at(0).at(0).toString(), u"r1"_s);

    // A refreshed list keeps the selection.
    dialog.setReminders(
        { reminderJson(u"r0"_s, u"scheduled"_s), reminderJson(u"r1"_s, u"cancelled"_s) });
    const QModelIndexList rows = dialog.view()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), qsizetype(1));
    QCOMPARE(rows.first().data(Models::RemindersModel::IdRole).toString(), u"r1"_s);
    QVERIFY(!dialog.cancelButton()->isEnabled());
}

void TstRemindersDialog::modelPassesTheTester()
{
    Models::RemindersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QJsonObject failed = reminderJson(u"r2"_s, u"scheduled"_s, 1);
    failed.insert("outcome"_L1,
        QJsonObject { { "action"_L1, u"noAnswer"_s }, { "code"_L1, u"408"_s },
            { "message"_L1, u"not answered"_s } });
    model.setReminders({ *Models::Reminder::fromJson(reminderJson(u"r1"_s, u"played"_s, 1)),
        *Models::Reminder::fromJson(failed) });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(Models::RemindersModel::ColumnCount));
    QCOMPARE(model.index(0, Models::RemindersModel::PersonColumn).data().toString(),
        u"Lena Vogel (+14255550123)"_s);
    QCOMPARE(model.index(0, Models::RemindersModel::StateColumn).data().toString(), u"Played"_s);
    QCOMPARE(model.index(1, Models::RemindersModel::StateColumn).data().toString(),
        u"Waiting to retry (last: 408)"_s);
    QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(), u"not answered"_s);
    QCOMPARE(model.index(1, 0).data(Models::RemindersModel::UtcTimeRole).toDateTime(),
        Now.addSecs(3600));
    QCOMPARE(model.rowOf(u"r2"_s), 1);
    model.setReminders({});
    QCOMPARE(model.rowCount(), 0);
}

void TstRemindersDialog::eventsReadAsPlainWords()
{
    const QJsonObject base { { "reminderId"_L1, u"r1"_s }, { "target"_L1, u"+14255550123"_s },
        { "displayName"_L1, u"Lena Vogel"_s }, { "attempt"_L1, 2 } };
    const auto text = [&base](const QJsonObject &extra) {
        QJsonObject fields = base;
        for (auto it = extra.begin(); it != extra.end(); ++it)
            fields.insert(it.key(), it.value());
        return Gui::RemindersDialog::describeEvent(fields);
    };
    QCOMPARE(text({ { "action"_L1, u"placing"_s } }),
        u"Reminder: calling Lena Vogel (+14255550123) (attempt 2)"_s);
    QCOMPARE(text({ { "action"_L1, u"played"_s } }),
        u"Reminder: Lena Vogel (+14255550123) answered and heard the reminder"_s);
    QCOMPARE(text({ { "action"_L1, u"failed"_s }, { "code"_L1, u"Forbidden"_s },
                 { "message"_L1, u"not allowed"_s }, { "requestId"_L1, u"req-1"_s },
                 { "final"_L1, true } }),
        u"Reminder: the call to Lena Vogel (+14255550123) failed (Forbidden, not allowed, "
        u"request-id req-1); no attempts left"_s);
    QCOMPARE(text({ { "action"_L1, u"cancelled"_s }, { "by"_L1, u"bob"_s } }),
        u"bob cancelled the reminder for Lena Vogel (+14255550123)"_s);
    QVERIFY(text({ { "action"_L1, u"missed"_s }, { "at"_L1, u"2026-01-05T10:00:00Z"_s } })
                .contains(u"missed"_s));
}

void TstRemindersDialog::mainWindowAsksForRemindersWithItsShortcut()
{
    UiFixtures::Console console;
    Gui::MainWindow window(console.models());
    auto *action = window.findChild<QAction *>(u"actionReminders"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(u"Ctrl+Shift+R"_s));
    QVERIFY(!action->property("frontdeskAccessibleName").toString().isEmpty());
    QVERIFY(window.actions().contains(action)); // window-wide, whichever pane has the focus
    QSignalSpy asked(&window, &Gui::MainWindow::remindersRequested);
    action->trigger();
    QCOMPARE(asked.size(), 1);
}

QTEST_MAIN(TstRemindersDialog)
#include "tst_remindersdialog.moc"

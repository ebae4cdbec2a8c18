// The console as an operator uses it: the real MainWindow, offscreen, wired to the real
// ConsoleSession as main.cpp wires them, against the sandbox and the relay on loopback. Keys are
// pressed on the window and their effect is read where it lands: in the sandbox.

#include "app/consolesession.h"
#include "app/sandboxmode.h"
#include "consolee2esystem.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/retrypolicy.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "sandbox/sandboxserver.h"
#include "ui/consoleactions.h"
#include "ui/detailpane.h"
#include "ui/mainwindow.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using ConsoleE2e::fastRetries;
using Job = Gui::ConsoleActions::Job;

namespace {

const QString AliceToken = u"alice-operator-token-e2e"_s;
const QString SamToken = u"sam-supervisor-token-e2e"_s;

//! One operator's console: its models, its session and its window, wired as main.cpp does.
struct Console
{
    Models::CallStore store;
    Models::CallsModel calls { &store };
    Models::CallFilterProxy queue;
    Models::ParticipantsModel participants { &store };
    Models::TimelineModel timeline { &store };
    std::unique_ptr<App::ConsoleSession> session;
    std::unique_ptr<Gui::MainWindow> window;

    Console(
        const QUrl &relay, const QString &token, QNetworkAccessManager *nam, Graph::Clock *clock)
    {
        queue.setSourceModel(&calls);
        session = std::make_unique<App::ConsoleSession>(relay, token, nam, clock, &store);
        session->graph()->setRetryPolicy(fastRetries());
        window = std::make_unique<Gui::MainWindow>(
            Gui::WindowModels { &store, &calls, &queue, &participants, &timeline });
        wire();
        window->resize(1280, 800);
        window->show();
        session->start();
    }

    void wire()
    {
        App::ConsoleSession *s = session.get();
        Gui::MainWindow *w = window.get();
        using App::ConsoleSession;
        using Gui::MainWindow;
        QObject::connect(w, &MainWindow::answerRequested, s, &ConsoleSession::answer);
        QObject::connect(w, &MainWindow::rejectRequested, s, &ConsoleSession::reject);
        QObject::connect(w, &MainWindow::rejectAsSpamRequested, s, &ConsoleSession::rejectAsSpam);
        QObject::connect(w, &MainWindow::redirectRequested, s, &ConsoleSession::redirect);
        QObject::connect(w, &MainWindow::transferRequested, s, &ConsoleSession::transfer);
        QObject::connect(w, &MainWindow::hangUpRequested, s, &ConsoleSession::hangUp);
        QObject::connect(w, &MainWindow::playPromptRequested, s, &ConsoleSession::playPrompt);
        QObject::connect(w, &MainWindow::collectDigitsRequested, s, &ConsoleSession::collectDigits);
        QObject::connect(w, &MainWindow::inviteRequested, s, &ConsoleSession::invite);
        QObject::connect(
            w, &MainWindow::muteParticipantRequested, s, &ConsoleSession::muteParticipant);
        QObject::connect(w, &MainWindow::claimRequested, s, &ConsoleSession::claim);
        QObject::connect(w, &MainWindow::releaseRequested, s, &ConsoleSession::release);
        QObject::connect(s, &ConsoleSession::actionFinished, w, &MainWindow::showActionResult);
        QObject::connect(
            s, &ConsoleSession::connectionStatusChanged, w, &MainWindow::setConnectionStatus);
        QObject::connect(s, &ConsoleSession::logMessage, w, &MainWindow::appendLog);
        QObject::connect(
            s, &ConsoleSession::eventLatencyChanged, w, [w](std::chrono::microseconds p95) {
                w->setEventLatency(std::chrono::ceil<std::chrono::milliseconds>(p95));
            });
        QObject::connect(s, &ConsoleSession::operatorChanged, w, &MainWindow::setOperator);
        QObject::connect(s, &ConsoleSession::ticked, &calls, &Models::CallsModel::setNow);
        QObject::connect(&store, &Models::CallStore::seqChanged, w, &MainWindow::setSeq);
    }

    QAction *action(Job job) const { return window->consoleActions()->action(job); }
    Gui::DetailPane *detail() const { return window->detailPane(); }

    //! Presses the job's shortcut on the window, as an operator would.
    void press(Job job) const
    {
        window->activateWindow();
        QTest::keySequence(window.get(), action(job)->shortcut());
    }

    //! Selects a participant who is not the bot in the detail pane's roster.
    bool selectSomeoneInTheRoster() const
    {
        QTableView *view = detail() ? detail()->participantsView() : nullptr;
        if (!view)
            return false;
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex index = view->model()->index(row, 0);
            if (!index.data(Models::ParticipantsModel::IsBotRole).toBool()
                && !index.data(Models::ParticipantsModel::IsMutedRole).toBool()) {
                view->setCurrentIndex(index);
                view->selectRow(row);
                return true;
            }
        }
        return false;
    }

    //! Every text the window shows: labels, edits, the status bar and each item view's cells
    //! and tooltips.
    QStringList visibleTexts() const
    {
        QStringList texts;
        for (const QLabel *label : window->findChildren<QLabel *>())
            texts << label->text() << label->toolTip();
        for (const QLineEdit *edit : window->findChildren<QLineEdit *>())
            texts << edit->text();
        for (const QPlainTextEdit *edit : window->findChildren<QPlainTextEdit *>())
            texts << edit->toPlainText();
        for (const QTextEdit *edit : window->findChildren<QTextEdit *>())
            texts << edit->toPlainText();
        for (const QStatusBar *bar : window->findChildren<QStatusBar *>())
            texts << bar->currentMessage();
        for (const QAbstractItemView *view : window->findChildren<QAbstractItemView *>()) {
            const QAbstractItemModel *model = view->model();
            if (!model)
                continue;
            for (int row = 0; row < model->rowCount(); ++row) {
                for (int column = 0; column < model->columnCount(); ++column) {
                    const QModelIndex index = model->index(row, column);
                    texts << index.data().toString() << index.data(Qt::ToolTipRole).toString();
                }
            }
        }
        return texts;
    }
    bool shows(const QString &text) const
    {
        const QStringList texts = visibleTexts();
        return std::any_of(
            texts.cbegin(), texts.cend(), [&](const QString &t) { return t.contains(text); });
    }
};

//! Sandbox and relay in this process; the relay's unattended policy is off, so that only the
//! console acts on calls.
struct System : ConsoleE2e::Backend
{
    QString start() { return Backend::start(5, AliceToken, SamToken); }

    std::unique_ptr<Console> console(const QString &token)
    {
        return std::make_unique<Console>(relay->baseUrl(), token, &nam, &clock);
    }

    QString ring(const QJsonObject &body)
    {
        return control("POST", u"/sandbox/incoming"_s, body).value("callId"_L1).toString();
    }

    //! The call's state as GET /sandbox/state reports it.
    QString sandboxState(const QString &callId)
    {
        return sandboxCall(callId).value("state"_L1).toString();
    }
};

QJsonObject caller(const QString &name, const QString &phone)
{
    return QJsonObject { { "from"_L1,
        QJsonObject { { "displayName"_L1, name }, { "phone"_L1, phone } } } };
}

QString consoleState(const Console &console, const QString &callId)
{
    const Graph::CallEntry *entry = console.store.entry(callId);
    return entry ? entry->call.state.text : QString();
}

} // namespace

class TstE2eConsole final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void answerShortcutOnTheSelectedCallEstablishesItInTheSandbox();
    void muteParticipantIsDisabledForAnOperatorAndEnabledForASupervisor();
    void chaosErrorShowsInTheWindowWithItsRequestId();
    void screenshotOfTheMainWindowInSandboxMode();
};

void TstE2eConsole::initTestCase()
{
    qRegisterMetaType<Gui::ActionResult>();
}

void TstE2eConsole::answerShortcutOnTheSelectedCallEstablishesItInTheSandbox()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console(AliceToken);
    QVERIFY(QTest::qWaitForWindowExposed(alice->window.get()));
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);

    const QString callId = system.ring(caller(u"Irina Smirnova"_s, u"+74951234567"_s));
    QVERIFY(!callId.isEmpty());
    QTRY_COMPARE(consoleState(*alice, callId), u"incoming"_s);
    alice->window->selectCall(callId);
    QTRY_COMPARE(alice->window->selectedCallId(), callId);
    QVERIFY(alice->action(Job::Answer));
    QTRY_VERIFY(alice->action(Job::Answer)->isEnabled());

    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);
    alice->press(Job::Answer);
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.at(0).at(0).value<Gui::ActionResult>();
    QVERIFY2(result.ok, qPrintable(result.code + u' ' + result.message));
    QCOMPARE(result.action, u"answer"_s);
    QTRY_COMPARE_WITH_TIMEOUT(system.sandboxState(callId), u"established"_s, 10000);
    QTRY_COMPARE(consoleState(*alice, callId), u"established"_s);
}

void TstE2eConsole::muteParticipantIsDisabledForAnOperatorAndEnabledForASupervisor()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console(AliceToken);
    auto sam = system.console(SamToken);
    QTRY_COMPARE(alice->session->operatorRole(), u"operator"_s);
    QTRY_COMPARE(sam->session->operatorRole(), u"supervisor"_s);

    QJsonObject group = caller(u"Dr. Amelia Koch"_s, u"+4930555000"_s);
    group.insert("groupInvite"_L1, true);
    group.insert("subject"_L1, u"Ward round"_s);
    group.insert("groupSize"_L1, 3);
    const QString callId = system.ring(group);
    QTRY_COMPARE(consoleState(*sam, callId), u"incoming"_s);
    QSignalSpy answered(sam->session.get(), &App::ConsoleSession::actionFinished);
    sam->session->answer(callId);
    QTRY_COMPARE(answered.size(), 1);
    QVERIFY(answered.at(0).at(0).value<Gui::ActionResult>().ok);
    QTRY_COMPARE_WITH_TIMEOUT(consoleState(*alice, callId), u"established"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(alice->store.entry(callId)->participants.size() >= 3, 10000);
    QTRY_VERIFY(sam->store.entry(callId)->participants.size() >= 3);

    for (Console *console : { alice.get(), sam.get() }) {
        console->window->selectCall(callId);
        QTRY_COMPARE(console->window->selectedCallId(), callId);
        QTRY_VERIFY(console->selectSomeoneInTheRoster());
    }
    // The operator sees the action, disabled, and is told why.
    QTRY_VERIFY(!alice->action(Job::MuteParticipant)->isEnabled());
    QVERIFY2(alice->action(Job::MuteParticipant)->toolTip().contains(u"Supervisors only"_s),
        qPrintable(alice->action(Job::MuteParticipant)->toolTip()));
    // The supervisor may mute the same participant.
    QTRY_VERIFY(sam->action(Job::MuteParticipant)->isEnabled());
}

void TstE2eConsole::chaosErrorShowsInTheWindowWithItsRequestId()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console(AliceToken);
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    const QString callId = system.ring(caller(u"Lena Vogel"_s, u"+4930123456"_s));
    QTRY_COMPARE(consoleState(*alice, callId), u"incoming"_s);
    alice->window->selectCall(callId);
    QTRY_VERIFY(alice->action(Job::Answer)->isEnabled());

    // Every Graph request now fails with 503, the retries included.
    system.control("PUT", u"/sandbox/chaos"_s,
        QJsonObject { { "errorRate"_L1, 1.0 }, { "retryAfterSeconds"_L1, 0.01 } });
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);
    alice->press(Job::Answer);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    const auto result = finished.at(0).at(0).value<Gui::ActionResult>();
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 503);
    QVERIFY(!result.requestId.isEmpty());

    // The window says so, with the request-id an administrator needs.
    QTRY_VERIFY2(alice->shows(result.requestId),
        qPrintable(u"request-id %1 not shown"_s.arg(result.requestId)));
    QVERIFY(alice->shows(result.code));
}

void TstE2eConsole::screenshotOfTheMainWindowInSandboxMode()
{
    // Sandbox mode exactly as a new user gets it: the front-desk-morning scenario at real speed,
    // the relay answering unattended calls after 10 s.
    Graph::SystemClock clock;
    App::SandboxMode sandbox(&clock);
    QString error;
    QVERIFY2(sandbox.start(&error), qPrintable(error));
    QNetworkAccessManager nam;
    Console console(sandbox.relayUrl(), sandbox.operatorToken(), &nam, &clock);
    console.window->setSandboxMode(true);
    QVERIFY(QTest::qWaitForWindowExposed(console.window.get()));
    QTRY_COMPARE(console.session->operatorName(), u"you"_s);

    // A few callers ring; the operator answers one that the relay's unattended policy will not
    // answer first (the freshest, with most of its time left), and asks for digits.
    QTRY_VERIFY_WITH_TIMEOUT(console.store.ids().size() >= 4, 30000);
    const auto freshestRinging = [&] {
        QString freshest;
        qint64 most = 6000;
        for (const QString &id : console.store.ids()) {
            const int row = console.calls.rowOf(id);
            const QVariant left = row < 0
                ? QVariant()
                : console.calls.index(row, 0).data(Models::CallsModel::CountdownRole);
            if (left.isValid() && left.toLongLong() > most) {
                most = left.toLongLong();
                freshest = id;
            }
        }
        return freshest;
    };
    QString answered;
    QTRY_VERIFY_WITH_TIMEOUT(!(answered = freshestRinging()).isEmpty(), 20000);
    console.window->selectCall(answered);
    QTRY_COMPARE(console.window->selectedCallId(), answered);
    QTRY_VERIFY(console.action(Job::Answer)->isEnabled());
    QSignalSpy finished(console.session.get(), &App::ConsoleSession::actionFinished);
    console.press(Job::Answer);
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.at(0).at(0).value<Gui::ActionResult>();
    QVERIFY2(result.ok, qPrintable(result.code + u' ' + result.message));
    QTRY_COMPARE_WITH_TIMEOUT(consoleState(console, answered), u"established"_s, 10000);
    console.window->selectCall(answered);
    QTRY_VERIFY(console.action(Job::CollectDigits)->isEnabled());
    console.press(Job::CollectDigits);
    // More callers ring meanwhile; the caller is selected in the roster.
    QTRY_VERIFY_WITH_TIMEOUT(console.store.ids().size() >= 6, 30000);
    console.window->selectCall(answered);
    QTRY_VERIFY(console.selectSomeoneInTheRoster());

    const QString path = QString::fromUtf8(FRONTDESK_SCREENSHOT_PATH);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    const QImage image = console.window->grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY2(image.save(path), qPrintable(path));
    QVERIFY(QFileInfo(path).size() > 0);
    qInfo().noquote() << "screenshot:" << path;
}

QTEST_MAIN(TstE2eConsole)
#include "tst_e2e_console.moc"

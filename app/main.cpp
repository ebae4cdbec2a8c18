// frontdesk: the operator console. This file is the composition root: it builds the object
// graph, connects the window's intents to the session, and owns the start-up decisions (sandbox
// or relay, token from the keychain or from the settings dialog). Nothing here is global.

#include "app/consolesession.h"
#include "app/keychaincredentialstore.h"
#include "app/meetingstore.h"
#include "app/sandboxmode.h"
#include "app/settings.h"
#include "app/settingsdialog.h"
#include "app/translations.h"
#include "graph/clock.h"
#include "graph/logsafety.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/calltexts.h"
#include "models/meetingsmodel.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "ui/dialogs/remindersdialog.h"
#include "ui/icons.h"
#include "ui/mainwindow.h"
#include "ui/outboundflow.h"

#include <QApplication>
#include <QByteArrayView>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTranslator>

#include <chrono>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

//! Qt's own strings (standard buttons, context menus) and ours, in the system's language.
void installTranslators(QApplication &app, QTranslator *qtbase, QTranslator *frontdesk)
{
    const QLocale locale = QLocale::system();
    if (qtbase->load(
            locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qtbase);
    // Installed in <prefix>/share/frontdesk/translations, or next to the binary in the build.
    const QStringList dirs = App::translationDirs(QCoreApplication::applicationDirPath());
    if (!App::loadTranslation(frontdesk, locale, dirs).isEmpty())
        app.installTranslator(frontdesk);
}

//! Everything the console is made of, in construction order (destroyed in reverse).
struct Console
{
    QSettings qsettings;
    App::Settings settings { &qsettings };
    QNetworkAccessManager nam;
    Graph::SystemClock clock;
    // Touches the keychain only when a job runs: in sandbox mode, only if the operator saves a
    // relay in the settings dialog. The sandbox's own token never goes into any store.
    App::KeychainCredentialStore keychain;
    Models::CallStore store;
    Models::CallsModel calls { &store };
    Models::CallFilterProxy queue;
    Models::ParticipantsModel participants { &store };
    Models::TimelineModel timeline { &store };
    Models::MeetingsModel meetings;
    std::unique_ptr<App::MeetingStore> meetingStore; // in memory only in sandbox mode
    std::unique_ptr<App::SandboxMode> sandbox;
    std::unique_ptr<App::ConsoleSession> session;
    std::unique_ptr<Gui::MainWindow> window;
    std::unique_ptr<QSystemTrayIcon> tray;
    QString pendingAccount; // the keychain read main.cpp waits for
    QPointer<App::SettingsDialog> dialog;
    QPointer<Gui::RemindersDialog> reminders;

    bool inSandbox() const { return sandbox && sandbox->isRunning(); }
    void wire();
    void readToken(const QUrl &relayUrl);
    void askForSettings(const QUrl &relayUrl, const QString &notice);
    void apply(const QUrl &relayUrl, const QString &token);
    void saveLayout();
    void openReminders();
};

void Console::openReminders()
{
    if (!reminders) {
        reminders = new Gui::RemindersDialog(window.get());
        App::ConsoleSession *s = session.get();
        Gui::RemindersDialog *d = reminders;
        QObject::connect(
            d, &Gui::RemindersDialog::refreshRequested, s, &App::ConsoleSession::listReminders);
        QObject::connect(
            d, &Gui::RemindersDialog::createRequested, s, &App::ConsoleSession::createReminder);
        QObject::connect(
            d, &Gui::RemindersDialog::cancelRequested, s, &App::ConsoleSession::cancelReminder);
        QObject::connect(
            s, &App::ConsoleSession::remindersListed, d, &Gui::RemindersDialog::setReminders);
        QObject::connect(
            s, &App::ConsoleSession::reminderCreated, d, &Gui::RemindersDialog::reminderCreated);
        QObject::connect(
            s, &App::ConsoleSession::reminderRequestFailed, d, &Gui::RemindersDialog::showError);
    }
    reminders->show();
    reminders->raise();
    reminders->activateWindow();
    session->listReminders();
}

void Console::wire()
{
    App::ConsoleSession *s = session.get();
    Gui::MainWindow *w = window.get();

    // Intents: the window asks, the session acts.
    QObject::connect(w, &Gui::MainWindow::answerRequested, s, &App::ConsoleSession::answer);
    QObject::connect(w, &Gui::MainWindow::rejectRequested, s, &App::ConsoleSession::reject);
    QObject::connect(
        w, &Gui::MainWindow::rejectAsSpamRequested, s, &App::ConsoleSession::rejectAsSpam);
    QObject::connect(w, &Gui::MainWindow::redirectRequested, s, &App::ConsoleSession::redirect);
    QObject::connect(w, &Gui::MainWindow::transferRequested, s, &App::ConsoleSession::transfer);
    QObject::connect(w, &Gui::MainWindow::hangUpRequested, s, &App::ConsoleSession::hangUp);
    QObject::connect(w, &Gui::MainWindow::playPromptRequested, s, &App::ConsoleSession::playPrompt);
    QObject::connect(
        w, &Gui::MainWindow::collectDigitsRequested, s, &App::ConsoleSession::collectDigits);
    QObject::connect(w, &Gui::MainWindow::inviteRequested, s, &App::ConsoleSession::invite);
    QObject::connect(
        w, &Gui::MainWindow::muteParticipantRequested, s, &App::ConsoleSession::muteParticipant);
    QObject::connect(w, &Gui::MainWindow::claimRequested, s, &App::ConsoleSession::claim);
    QObject::connect(w, &Gui::MainWindow::releaseRequested, s, &App::ConsoleSession::release);
    QObject::connect(w, &Gui::MainWindow::settingsRequested, w,
        [this] { askForSettings(session->relayUrl(), QString()); });
    Gui::OutboundFlow *flow = w->outboundFlow();
    flow->setOrganizer(settings.organizerId());
    QObject::connect(
        flow, &Gui::OutboundFlow::placeCallRequested, s, &App::ConsoleSession::placeCall);
    QObject::connect(
        flow, &Gui::OutboundFlow::createMeetingRequested, s, &App::ConsoleSession::createMeeting);
    QObject::connect(
        flow, &Gui::OutboundFlow::refreshMeetingRequested, s, &App::ConsoleSession::refreshMeeting);
    QObject::connect(
        flow, &Gui::OutboundFlow::joinMeetingRequested, s, &App::ConsoleSession::joinMeeting);
    QObject::connect(s, &App::ConsoleSession::meetingCreated, flow,
        [this, flow](const QString &organizerId, const Graph::OnlineMeeting &meeting) {
            meetingStore->save(organizerId, meeting);
            flow->showMeetingCreated(organizerId, meeting);
        });
    QObject::connect(s, &App::ConsoleSession::meetingRefreshed, flow,
        [this](const QString &organizerId, const Graph::OnlineMeeting &meeting) {
            meetingStore->save(organizerId, meeting);
        });

    QObject::connect(w, &Gui::MainWindow::remindersRequested, w, [this] { openReminders(); });
    QObject::connect(s, &App::ConsoleSession::reminderEvent, w, [this](const QJsonObject &fields) {
        window->appendLog(Gui::RemindersDialog::describeEvent(fields));
        if (reminders && reminders->isVisible())
            session->listReminders();
    });

    // What the session learns, the window shows.
    QObject::connect(
        s, &App::ConsoleSession::actionFinished, w, &Gui::MainWindow::showActionResult);
    QObject::connect(
        s, &App::ConsoleSession::connectionStatusChanged, w, &Gui::MainWindow::setConnectionStatus);
    QObject::connect(s, &App::ConsoleSession::logMessage, w, &Gui::MainWindow::appendLog);
    QObject::connect(
        s, &App::ConsoleSession::eventLatencyChanged, w, [w](std::chrono::microseconds p95) {
            w->setEventLatency(std::chrono::ceil<std::chrono::milliseconds>(p95));
        });
    // The window titles itself "Frontdesk — <operator> (<role>)" from this.
    QObject::connect(s, &App::ConsoleSession::operatorChanged, w, &Gui::MainWindow::setOperator);
    QObject::connect(s, &App::ConsoleSession::ticked, &calls, &Models::CallsModel::setNow);
    QObject::connect(&store, &Models::CallStore::seqChanged, w, &Gui::MainWindow::setSeq);
    QObject::connect(s, &App::ConsoleSession::authenticationFailed, w, [this] {
        if (!inSandbox()) {
            askForSettings(session->relayUrl(),
                QCoreApplication::translate("App::Main", "The relay refused the operator token."));
        }
    });

    if (tray) {
        QObject::connect(
            s, &App::ConsoleSession::incomingCall, tray.get(), [this](const QString &callId) {
                const Graph::CallEntry *entry = store.entry(callId);
                if (!entry)
                    return;
                tray->showMessage(QCoreApplication::translate("App::Main", "Incoming call"),
                    Models::CallTexts::callerText(entry->call), QSystemTrayIcon::Information, 5000);
            });
        QObject::connect(tray.get(), &QSystemTrayIcon::activated, w, [w] {
            w->showNormal();
            w->raise();
            w->activateWindow();
        });
    }
}

void Console::readToken(const QUrl &relayUrl)
{
    pendingAccount = App::CredentialStore::relayAccount(relayUrl);
    QObject::connect(&keychain, &App::CredentialStore::tokenRead, window.get(),
        [this, relayUrl](const QString &account, const QString &token) {
            if (account != pendingAccount)
                return;
            pendingAccount.clear();
            if (token.isEmpty()) {
                askForSettings(relayUrl,
                    QCoreApplication::translate(
                        "App::Main", "No operator token is stored for this relay yet."));
                return;
            }
            apply(relayUrl, token);
        });
    QObject::connect(&keychain, &App::CredentialStore::failed, window.get(),
        [this, relayUrl](const QString &account, const QString &message) {
            if (account != pendingAccount)
                return;
            pendingAccount.clear();
            askForSettings(relayUrl,
                QCoreApplication::translate("App::Main", "The keychain could not be read: %1")
                    .arg(message));
        });
    keychain.readToken(pendingAccount);
}

void Console::askForSettings(const QUrl &relayUrl, const QString &notice)
{
    if (dialog) {
        dialog->setNotice(notice);
        dialog->raise();
        return;
    }
    dialog = new App::SettingsDialog(&settings, &keychain, window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!relayUrl.isEmpty() && !inSandbox())
        dialog->setRelayUrl(relayUrl);
    dialog->setNotice(notice);
    QObject::connect(dialog, &QDialog::accepted, window.get(), [this, d = dialog] {
        window->outboundFlow()->setOrganizer(settings.organizerId());
        apply(d->relayUrl(), d->token());
    });
    QObject::connect(dialog, &QDialog::rejected, window.get(), [this] {
        if (!session->isStarted()) {
            window->appendLog(QCoreApplication::translate("App::Main",
                "Not connected: there is no operator token. Open Settings to enter one."));
        }
    });
    dialog->open();
}

void Console::apply(const QUrl &relayUrl, const QString &token)
{
    if (inSandbox()) {
        // The operator has configured a real relay: leave the sandbox for it.
        session->setRelay(relayUrl, token);
        sandbox->stop();
        window->setSandboxMode(false);
        window->appendLog(QCoreApplication::translate("App::Main", "Left sandbox mode for %1")
                              .arg(relayUrl.toString()));
    } else if (relayUrl == session->relayUrl()) {
        session->setToken(token);
    } else {
        session->setRelay(relayUrl, token);
    }
    session->start();
}

void Console::saveLayout()
{
    // Sandbox mode leaves no trace in the settings.
    if (!inSandbox())
        settings.setWindowLayout(window->saveLayout());
}

} // namespace

int main(int argc, char *argv[])
{
    Graph::keepSecretsOutOfQtLogs();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Frontdesk"_s);
    QApplication::setOrganizationDomain(u"frontdesk.org"_s);
    QApplication::setApplicationName(u"frontdesk"_s);
    QApplication::setApplicationDisplayName(u"Frontdesk"_s);
    // The .desktop file's name: Wayland shells take the window's icon and name from it.
    QGuiApplication::setDesktopFileName(u"org.frontdesk.Frontdesk"_s);
    // The installed icon (share/icons/hicolor), for X11 window managers and task bars.
    QApplication::setWindowIcon(QIcon::fromTheme(u"org.frontdesk.Frontdesk"_s));
    QApplication::setApplicationVersion(QString::fromLatin1(FRONTDESK_VERSION));

    QTranslator qtbaseTranslator;
    QTranslator frontdeskTranslator;
    installTranslators(app, &qtbaseTranslator, &frontdeskTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("App::Main", "Operator console for Microsoft Teams calling."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption relayOption(u"relay"_s,
        QCoreApplication::translate("App::Main",
            "Connect to the relay at <url>; the operator token comes from the keychain."),
        u"url"_s);
    const QCommandLineOption sandboxOption(u"sandbox"_s,
        QCoreApplication::translate("App::Main",
            "Run with a local sandbox and relay and simulated calls (the default when no relay "
            "is configured)."));
    const QCommandLineOption ivrOption(u"ivr"_s,
        QCoreApplication::translate("App::Main",
            "In sandbox mode, the relay answers calls with the example phone menu (IVR), and the "
            "simulated callers press its keys."));
    parser.addOption(relayOption);
    parser.addOption(sandboxOption);
    parser.addOption(ivrOption);
    parser.process(app);

    Console console;
    QUrl relayUrl =
        parser.isSet(relayOption) ? QUrl(parser.value(relayOption)) : console.settings.relayUrl();
    if (parser.isSet(relayOption)) {
        QString why;
        if (!App::Settings::isValidRelayUrl(relayUrl, &why)) {
            std::fprintf(stderr, "frontdesk: --relay: %s\n", qPrintable(why));
            return 2;
        }
    }
    const bool sandbox = parser.isSet(sandboxOption) || relayUrl.isEmpty();

    QString token;
    if (sandbox) {
        App::SandboxMode::Options options;
        options.ivr = parser.isSet(ivrOption);
        console.sandbox = std::make_unique<App::SandboxMode>(&console.clock, options);
        QString error;
        if (!console.sandbox->start(&error)) {
            QMessageBox::critical(nullptr, QCoreApplication::translate("App::Main", "Frontdesk"),
                QCoreApplication::translate("App::Main", "Sandbox mode could not start: %1")
                    .arg(error));
            return 1;
        }
        relayUrl = console.sandbox->relayUrl();
        token = console.sandbox->operatorToken();
    }
    console.queue.setSourceModel(&console.calls);
    // Sandbox mode leaves no trace in the settings, its meetings included.
    console.meetingStore = std::make_unique<App::MeetingStore>(
        sandbox ? nullptr : &console.qsettings, &console.meetings);
    console.meetingStore->load();
    console.session = std::make_unique<App::ConsoleSession>(
        relayUrl, token, &console.nam, &console.clock, &console.store);
    console.window =
        std::make_unique<Gui::MainWindow>(Gui::WindowModels { &console.store, &console.calls,
            &console.queue, &console.participants, &console.timeline, &console.meetings });
    console.window->setSandboxMode(sandbox);
    if (!sandbox)
        console.window->restoreLayout(console.settings.windowLayout());
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        console.tray = std::make_unique<QSystemTrayIcon>(Gui::Icons::icon(u"state-ringing"_s));
        console.tray->setToolTip(QCoreApplication::translate("App::Main", "Frontdesk"));
        console.tray->show();
    }
    console.wire();
    QObject::connect(&app, &QApplication::aboutToQuit, console.window.get(),
        [&console] { console.saveLayout(); });

    console.window->show();
    if (sandbox) {
        console.window->appendLog(QCoreApplication::translate("App::Main",
            "Sandbox mode: a local Graph and relay with simulated calls. Nothing you do here "
            "reaches Microsoft Teams."));
        console.session->start();
    } else {
        console.readToken(relayUrl);
    }
    return app.exec();
}

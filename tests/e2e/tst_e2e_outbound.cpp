// The console's outward jobs end to end: the real MainWindow, offscreen, wired to the real
// ConsoleSession as main.cpp wires them, against the sandbox as Graph and the relay on loopback.
// Meetings are created and read back; a 403 for an organizer without an application access
// policy is explained; the bot places peer-to-peer and group calls, invites into a group call
// and joins a created meeting, and each call shows in the queue from the relay's stream.

#include "app/consolesession.h"
#include "app/meetingstore.h"
#include "consolee2esystem.h"
#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/retrypolicy.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/meetingsmodel.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"
#include "sandbox/sandboxserver.h"
#include "ui/consoleactions.h"
#include "ui/detailpane.h"
#include "ui/dialogs/calldialog.h"
#include "ui/dialogs/invitedialog.h"
#include "ui/dialogs/meetingdialog.h"
#include "ui/dialogs/meetingsdialog.h"
#include "ui/dialogs/targetinput.h"
#include "ui/mainwindow.h"
#include "ui/outboundflow.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using ConsoleE2e::fastRetries;
using Job = Gui::ConsoleActions::Job;

namespace {

const QString AliceToken = u"alice-operator-token-outbound"_s;
const QString SamToken = u"sam-supervisor-token-outbound"_s;
const QString Organizer = u"2f8e4c1a-7b3d-4e5f-9a6b-0c1d2e3f4a5b"_s;
const QString Anna = u"7e1b4346-85a6-4bdd-abe3-d11c5d420efe"_s;
const QString Kenji = u"1e126418-44a0-4a94-a6f8-0efe1ad71acb"_s;
const QString Lena = u"278405a3-f568-4b3e-b684-009193463064"_s;
const QString Prompt = u"https://cdn.contoso.com/prompts/welcome.wav"_s;
// The bot's resource account with a phone number, from which calls to numbers are placed.
const QString ApplicationInstance = u"9b3a1c2d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"_s;

//! One operator's console, wired as main.cpp wires it (the call actions and the outward jobs).
struct Console
{
    Models::CallStore store;
    Models::CallsModel calls { &store };
    Models::CallFilterProxy queue;
    Models::ParticipantsModel participants { &store };
    Models::TimelineModel timeline { &store };
    Models::MeetingsModel meetings;
    App::MeetingStore meetingStore { nullptr, &meetings };
    std::unique_ptr<App::ConsoleSession> session;
    std::unique_ptr<Gui::MainWindow> window;
    QList<QUrl> opened;

    Console(
        const QUrl &relay, const QString &token, QNetworkAccessManager *nam, Graph::Clock *clock)
    {
        queue.setSourceModel(&calls);
        session = std::make_unique<App::ConsoleSession>(relay, token, nam, clock, &store);
        session->graph()->setRetryPolicy(fastRetries());
        window = std::make_unique<Gui::MainWindow>(
            Gui::WindowModels { &store, &calls, &queue, &participants, &timeline, &meetings });
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
        using Gui::OutboundFlow;
        QObject::connect(w, &MainWindow::inviteRequested, s, &ConsoleSession::invite);
        QObject::connect(w, &MainWindow::playPromptRequested, s, &ConsoleSession::playPrompt);
        QObject::connect(w, &MainWindow::hangUpRequested, s, &ConsoleSession::hangUp);
        QObject::connect(
            w, &MainWindow::muteParticipantRequested, s, &ConsoleSession::muteParticipant);
        QObject::connect(s, &ConsoleSession::actionFinished, w, &MainWindow::showActionResult);
        QObject::connect(s, &ConsoleSession::logMessage, w, &MainWindow::appendLog);
        QObject::connect(s, &ConsoleSession::operatorChanged, w, &MainWindow::setOperator);
        QObject::connect(s, &ConsoleSession::ticked, &calls, &Models::CallsModel::setNow);

        OutboundFlow *flow = w->outboundFlow();
        flow->setOrganizer(Organizer);
        flow->setUrlOpener([this](const QUrl &url) {
            opened.append(url);
            return true;
        });
        QObject::connect(flow, &OutboundFlow::placeCallRequested, s, &ConsoleSession::placeCall);
        QObject::connect(
            flow, &OutboundFlow::createMeetingRequested, s, &ConsoleSession::createMeeting);
        QObject::connect(
            flow, &OutboundFlow::refreshMeetingRequested, s, &ConsoleSession::refreshMeeting);
        QObject::connect(
            flow, &OutboundFlow::joinMeetingRequested, s, &ConsoleSession::joinMeeting);
        QObject::connect(s, &ConsoleSession::meetingCreated, flow,
            [this, flow](const QString &organizerId, const Graph::OnlineMeeting &meeting) {
                meetingStore.save(organizerId, meeting);
                flow->showMeetingCreated(organizerId, meeting);
            });
        QObject::connect(s, &ConsoleSession::meetingRefreshed, flow,
            [this](const QString &organizerId, const Graph::OnlineMeeting &meeting) {
                meetingStore.save(organizerId, meeting);
            });
    }

    Gui::OutboundFlow *flow() const { return window->outboundFlow(); }
    QAction *action(Job job) const { return window->consoleActions()->action(job); }

    //! Presses the job's shortcut on the window, as an operator would, once the window is
    //! the active one again (a dialog may have been).
    void press(Job job) const
    {
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window.get()))
            qWarning() << "the window did not become active";
        QTest::keySequence(window.get(), action(job)->shortcut());
    }

    QString state(const QString &callId) const
    {
        const Graph::CallEntry *entry = store.entry(callId);
        return entry ? entry->call.state.text : QString();
    }
    int rosterSize(const QString &callId) const
    {
        const Graph::CallEntry *entry = store.entry(callId);
        return entry ? int(entry->participants.size()) : -1;
    }
    bool inQueue(const QString &callId) const { return calls.rowOf(callId) >= 0; }
    //! What the queue's caller column says for the call.
    QString callerText(const QString &callId) const
    {
        return calls.index(calls.rowOf(callId), Models::CallsModel::CallerColumn).data().toString();
    }

    //! Selects a participant who is neither the bot nor muted in the details' roster; their id.
    QString selectSomeoneInTheRoster() const
    {
        QTableView *view = window->detailPane()->participantsView();
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex index = view->model()->index(row, 0);
            if (!index.data(Models::ParticipantsModel::IsBotRole).toBool()
                && !index.data(Models::ParticipantsModel::IsMutedRole).toBool()) {
                view->setCurrentIndex(index);
                view->selectRow(row);
                return index.data(Models::ParticipantsModel::IdRole).toString();
            }
        }
        return {};
    }
};

//! Sandbox and relay in this process; the relay's unattended policy is off.
struct System : ConsoleE2e::Backend
{
    QString start()
    {
        return Backend::start(7, AliceToken, SamToken,
            [](Relay::RelayConfig &config) { config.applicationInstanceId = ApplicationInstance; });
    }

    std::unique_ptr<Console> console(const QString &token = AliceToken)
    {
        return std::make_unique<Console>(relay->baseUrl(), token, &nam, &clock);
    }

    QJsonArray sandboxMeetings()
    {
        return control("GET", u"/sandbox/state"_s).value("meetings"_L1).toArray();
    }
    //! The @odata.type of the call's operations, as the sandbox holds them.
    QStringList operationTypes(const QString &callId)
    {
        QStringList types;
        for (const QJsonValue &op : sandboxCall(callId).value("operations"_L1).toArray())
            types.append(op.toObject().value("@odata.type"_L1).toString());
        return types;
    }
};

Gui::ActionResult lastResult(const QSignalSpy &spy, const QString &action)
{
    for (qsizetype i = spy.size() - 1; i >= 0; --i) {
        const auto result = spy.at(i).at(0).value<Gui::ActionResult>();
        if (result.action == action)
            return result;
    }
    return {};
}

bool hasResult(const QSignalSpy &spy, const QString &action)
{
    return !lastResult(spy, action).action.isEmpty();
}

} // namespace

class TstE2eOutbound final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void createsAMeetingAndReadsItBack();
    void forbiddenOrganizerGetsTheAccessPolicyExplanation();
    void peerToPeerCallShowsInTheQueueAndThePromptPlays();
    void groupCallRingsEveryTargetAndInviteAnswersAsGraphDoes();
    void botJoinsACreatedMeetingAsAGroupCallWithItsRoster();

private:
    //! Creates a meeting through the New meeting form; its id, or empty.
    QString createMeeting(Console &console, const QStringList &attendees);
};

void TstE2eOutbound::initTestCase()
{
    qRegisterMetaType<Gui::ActionResult>();
}

QString TstE2eOutbound::createMeeting(Console &console, const QStringList &attendees)
{
    console.press(Job::NewMeeting);
    Gui::MeetingDialog *dialog = console.flow()->meetingDialog();
    if (!dialog)
        return {};
    dialog->subjectEdit()->setText(u"Visit of the auditors"_s);
    dialog->attendees()->setTexts(attendees);
    if (!dialog->problem().isEmpty()) {
        qWarning() << dialog->problem();
        return {};
    }
    const int before = console.meetings.rowCount();
    dialog->createButton()->click();
    if (!QTest::qWaitFor([&] { return console.meetings.rowCount() > before; }, 10000))
        return {};
    return console.meetings.at(before).meeting.id;
}

void TstE2eOutbound::createsAMeetingAndReadsItBack()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console();
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);

    const QString meetingId = createMeeting(*alice, { u"anna@contoso.com"_s, Kenji });
    QVERIFY(!meetingId.isEmpty());
    QVERIFY(lastResult(finished, u"createMeeting"_s).ok);

    // The sandbox holds the meeting as the console asked for it.
    const QJsonArray meetings = system.sandboxMeetings();
    QCOMPARE(meetings.size(), 1);
    const QJsonObject created = meetings.at(0).toObject();
    QCOMPARE(created.value("id"_L1).toString(), meetingId);
    QCOMPARE(created.value("subject"_L1).toString(), u"Visit of the auditors"_s);
    QCOMPARE(created.value("participants"_L1).toObject().value("attendees"_L1).toArray().size(), 2);

    // The form shows what Graph answered.
    Gui::MeetingDialog *dialog = alice->flow()->meetingDialog();
    QTRY_VERIFY(!dialog->resultPanel()->isHidden());
    QCOMPARE(dialog->joinUrl(), created.value("joinWebUrl"_L1).toString());
    const QJsonObject settings = created.value("joinMeetingIdSettings"_L1).toObject();
    QVERIFY(dialog->invitationText().contains(settings.value("joinMeetingId"_L1).toString()));
    QVERIFY(dialog->invitationText().contains(settings.value("passcode"_L1).toString()));
    const QString tollNumber =
        created.value("audioConferencing"_L1).toObject().value("tollNumber"_L1).toString();
    QVERIFY(!tollNumber.isEmpty());
    QVERIFY(dialog->invitationText().contains(tollNumber));
    dialog->openLinkButton()->click();
    QCOMPARE(alice->opened, QList<QUrl> { QUrl(dialog->joinUrl()) });

    // The Meetings list has it and refreshes it with GET through the relay.
    const QString joinUrl = dialog->joinUrl();
    dialog->reject();
    alice->press(Job::Meetings);
    Gui::MeetingsDialog *list = alice->flow()->meetingsDialog();
    QVERIFY(list);
    QCOMPARE(list->view()->model()->rowCount(), 1);
    list->refreshButton()->click();
    QTRY_VERIFY(hasResult(finished, u"getMeeting"_s));
    QVERIFY(lastResult(finished, u"getMeeting"_s).ok);
    QTRY_COMPARE(list->status(), u"Refreshed from Graph"_s);
    QCOMPARE(alice->meetings.at(0).meeting.joinWebUrl, joinUrl);

    // The next New meeting… starts with an empty form.
    list->reject();
    alice->press(Job::NewMeeting);
    QVERIFY(alice->flow()->meetingDialog());
    QVERIFY(alice->flow()->meetingDialog()->resultPanel()->isHidden());
    QVERIFY(alice->flow()->meetingDialog()->subjectEdit()->text().isEmpty());
}

void TstE2eOutbound::forbiddenOrganizerGetsTheAccessPolicyExplanation()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    system.control("PUT", u"/sandbox/meeting-access"_s,
        QJsonObject { { "denied"_L1, QJsonArray { Organizer } } });
    auto alice = system.console();
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);

    alice->press(Job::NewMeeting);
    Gui::MeetingDialog *dialog = alice->flow()->meetingDialog();
    QVERIFY(dialog);
    dialog->subjectEdit()->setText(u"Board meeting"_s);
    dialog->attendees()->setTexts({ u"anna@contoso.com"_s });
    QCOMPARE(dialog->problem(), QString());
    dialog->createButton()->click();

    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"createMeeting"_s), 10000);
    const Gui::ActionResult result = lastResult(finished, u"createMeeting"_s);
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 403);
    QTRY_VERIFY(dialog->errorText().contains(u"application access policy"_s));
    QVERIFY(dialog->errorText().contains(result.requestId));
    const QString commands = dialog->accessPolicyText();
    QVERIFY2(commands.contains(u"Grant-CsApplicationAccessPolicy"_s), qPrintable(commands));
    QVERIFY2(commands.contains(Organizer), qPrintable(commands));
    // The app id comes from Graph's message: the sandbox's bot.
    QVERIFY2(commands.contains(system.sandbox->config().clientId), qPrintable(commands));
    // The form keeps what was typed, and nothing was saved.
    QCOMPARE(dialog->subjectEdit()->text(), u"Board meeting"_s);
    QCOMPARE(dialog->attendees()->texts(), QStringList { u"anna@contoso.com"_s });
    QVERIFY(dialog->createButton()->isEnabled());
    QCOMPARE(alice->meetings.rowCount(), 0);
    QVERIFY(system.sandboxMeetings().isEmpty());
}

void TstE2eOutbound::peerToPeerCallShowsInTheQueueAndThePromptPlays()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console();
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);

    alice->press(Job::PlaceCall);
    Gui::CallDialog *dialog = alice->flow()->callDialog();
    QVERIFY(dialog);
    dialog->targets()->setTexts({ u"+49 30 123456"_s });
    dialog->promptEdit()->setText(Prompt);
    QCOMPARE(dialog->problem(), QString());
    dialog->okButton()->click();

    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"placeCall"_s), 10000);
    const Gui::ActionResult placed = lastResult(finished, u"placeCall"_s);
    QVERIFY2(placed.ok, qPrintable(placed.code + u' ' + placed.message));
    const QString callId = placed.callId;
    QVERIFY(!callId.isEmpty());

    // The relay learnt of the call from its callbacks and streamed it to the console.
    QTRY_VERIFY_WITH_TIMEOUT(alice->inQueue(callId), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(callId), u"established"_s, 10000);
    const QJsonObject call = system.sandboxCall(callId);
    QCOMPARE(call.value("direction"_L1).toString(), u"outgoing"_s);
    QCOMPARE(call.value("callbackUri"_L1).toString(),
        system.relay->baseUrl().resolved(QUrl(u"/callbacks"_s)).toString());
    QCOMPARE(call.value("targets"_L1)
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("phone"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        u"+4930123456"_s);
    // The relay placed it from the bot's application instance, as Graph needs for a number.
    QCOMPARE(call.value("source"_L1)
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("applicationInstance"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        ApplicationInstance);
    QCOMPARE(call.value("tenantId"_L1).toString(), system.sandbox->config().tenantId);

    // Once established, the prompt plays.
    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"playPrompt"_s), 10000);
    const Gui::ActionResult played = lastResult(finished, u"playPrompt"_s);
    QVERIFY2(played.ok, qPrintable(played.code + u' ' + played.message));
    QCOMPARE(played.callId, callId);
    QTRY_VERIFY_WITH_TIMEOUT(
        system.operationTypes(callId).contains(u"#microsoft.graph.playPromptOperation"_s), 10000);
    // The dialog closed on success.
    QTRY_VERIFY(!alice->flow()->callDialog());
}

void TstE2eOutbound::groupCallRingsEveryTargetAndInviteAnswersAsGraphDoes()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto alice = system.console();
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);

    alice->press(Job::GroupCall);
    Gui::CallDialog *dialog = alice->flow()->groupCallDialog();
    QVERIFY(dialog);
    dialog->targets()->setTexts({ Anna, Kenji, u"+4930555000"_s });
    dialog->subjectEdit()->setText(u"Ward round"_s);
    QCOMPARE(dialog->problem(), QString());
    dialog->okButton()->click();

    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"groupCall"_s), 10000);
    const Gui::ActionResult placed = lastResult(finished, u"groupCall"_s);
    QVERIFY2(placed.ok, qPrintable(placed.code + u' ' + placed.message));
    const QString callId = placed.callId;
    QTRY_VERIFY_WITH_TIMEOUT(alice->inQueue(callId), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(callId), u"established"_s, 10000);
    // The bot and the three people.
    QTRY_COMPARE_WITH_TIMEOUT(alice->rosterSize(callId), 4, 10000);
    QCOMPARE(system.sandboxCall(callId).value("subject"_L1).toString(), u"Ward round"_s);
    QCOMPARE(alice->store.entry(callId)->call.subject, u"Ward round"_s);
    QCOMPARE(alice->callerText(callId), u"Ward round"_s);

    // Invite… from the window. Graph invites only into group calls with a chat
    // (graph-notes §1.12); a group call the bot started has none, so Graph's refusal is shown
    // in the dialog, which keeps what was typed.
    alice->window->selectCall(callId);
    QTRY_VERIFY(alice->action(Job::Invite)->isEnabled());
    alice->press(Job::Invite);
    auto *invite = alice->window->findChild<Gui::InviteDialog *>();
    QVERIFY(invite);
    invite->targets()->setTexts({ Lena });
    QCOMPARE(invite->problem(), QString());
    invite->okButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"invite"_s), 10000);
    const Gui::ActionResult invited = lastResult(finished, u"invite"_s);
    QVERIFY(!invited.ok);
    QCOMPARE(invited.httpStatus, 400);
    QTRY_VERIFY(invite->errorText().contains(invited.requestId));
    QCOMPARE(invite->targets()->texts(), QStringList { Lena });
}

void TstE2eOutbound::botJoinsACreatedMeetingAsAGroupCallWithItsRoster()
{
    System system;
    const QString error = system.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // A supervisor, for the roster's controls.
    auto alice = system.console(SamToken);
    QTRY_COMPARE(alice->session->connectionStatus(), Gui::ConnectionStatus::Connected);
    QSignalSpy finished(alice->session.get(), &App::ConsoleSession::actionFinished);

    const QString meetingId = createMeeting(*alice, { Anna, Kenji });
    QVERIFY(!meetingId.isEmpty());
    alice->flow()->meetingDialog()->reject();
    alice->press(Job::Meetings);
    Gui::MeetingsDialog *list = alice->flow()->meetingsDialog();
    QVERIFY(list);
    QVERIFY(list->selectMeeting(meetingId));
    QVERIFY(list->joinButton()->isEnabled());
    list->joinButton()->click();

    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"joinMeeting"_s), 10000);
    const Gui::ActionResult joined = lastResult(finished, u"joinMeeting"_s);
    QVERIFY2(joined.ok, qPrintable(joined.code + u' ' + joined.message));
    const QString callId = joined.callId;
    QTRY_VERIFY_WITH_TIMEOUT(alice->inQueue(callId), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(callId), u"established"_s, 10000);
    QCOMPARE(list->status(), u"The bot joined; the call is in the queue"_s);

    // A group call: the meeting's chat and organizer, and a roster of the bot, the organizer
    // and the two attendees.
    const Graph::Call &call = alice->store.entry(callId)->call;
    QVERIFY(call.isGroupCall());
    QCOMPARE(call.meetingInfo.kind, Graph::MeetingInfo::Kind::Organizer);
    QCOMPARE(call.chatInfo.threadId, alice->meetings.at(0).meeting.chatInfo.threadId);
    // The join named the organizer with the tenant, as Graph needs (graph-notes §1.1).
    const QJsonObject sent = system.sandboxCall(callId);
    const QString tenantId = system.sandbox->config().tenantId;
    QCOMPARE(sent.value("tenantId"_L1).toString(), tenantId);
    const QJsonObject organizer = sent.value("meetingInfo"_L1)
                                      .toObject()
                                      .value("organizer"_L1)
                                      .toObject()
                                      .value("user"_L1)
                                      .toObject();
    QCOMPARE(organizer.value("id"_L1).toString(), Organizer);
    QCOMPARE(organizer.value("tenantId"_L1).toString(), tenantId);
    QTRY_COMPARE_WITH_TIMEOUT(alice->rosterSize(callId), 4, 10000);
    QCOMPARE(alice->callerText(callId), u"Visit of the auditors"_s);

    // The call controls work on it: Invite… adds someone to the roster.
    list->reject();
    alice->window->selectCall(callId);
    QTRY_VERIFY(alice->action(Job::Invite)->isEnabled());
    alice->press(Job::Invite);
    auto *invite = alice->window->findChild<Gui::InviteDialog *>();
    QVERIFY(invite);
    invite->targets()->setTexts({ Lena });
    invite->okButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"invite"_s), 10000);
    QVERIFY(lastResult(finished, u"invite"_s).ok);
    QTRY_COMPARE_WITH_TIMEOUT(alice->rosterSize(callId), 5, 10000);

    // ... and a supervisor mutes someone in the roster.
    QString participantId;
    QTRY_VERIFY(!(participantId = alice->selectSomeoneInTheRoster()).isEmpty());
    QTRY_VERIFY(alice->action(Job::MuteParticipant)->isEnabled());
    alice->press(Job::MuteParticipant);
    QTRY_VERIFY_WITH_TIMEOUT(hasResult(finished, u"muteParticipant"_s), 10000);
    QVERIFY(lastResult(finished, u"muteParticipant"_s).ok);
    const auto muted = [&] {
        for (const Graph::Participant &p : alice->store.entry(callId)->participants) {
            if (p.id == participantId)
                return p.isMuted;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(muted(), 10000);
}

QTEST_MAIN(TstE2eOutbound)
#include "tst_e2e_outbound.moc"

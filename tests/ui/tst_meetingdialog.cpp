// The "New meeting" form (validation as typed, the request body it makes, the 403 explanation,
// the created meeting's result) and the Call… / Group call… dialog.

#include "graph/codec.h"
#include "ui/dialogs/calldialog.h"
#include "ui/dialogs/meetingdialog.h"
#include "ui/dialogs/targetinput.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDateTime Now = QDateTime(QDate(2026, 11, 25), QTime(9, 40), Qt::UTC).toLocalTime();
const QString Organizer = u"2f8e4c1a-7b3d-4e5f-9a6b-0c1d2e3f4a5b"_s;
const QString AppId = u"00000000-0000-0000-0000-0000000000b0"_s;

Gui::MeetingDialog::Clock fixedClock()
{
    return [] { return Now; };
}

void fillValid(Gui::MeetingDialog &dialog)
{
    dialog.subjectEdit()->setText(u"Visit of the auditors"_s);
    dialog.startEdit()->setDateTime(Now.addSecs(3600));
    dialog.endEdit()->setDateTime(Now.addSecs(5400));
}

Graph::OnlineMeeting createdMeeting()
{
    Graph::OnlineMeeting m;
    m.id = u"MSoyZjhlNGMxYSoqMTk6bWVldGluZ19hYmNAdGhyZWFkLnYy"_s;
    m.subject = u"Visit of the auditors"_s;
    m.startDateTime = Now.addSecs(3600).toUTC();
    m.endDateTime = Now.addSecs(5400).toUTC();
    m.joinWebUrl = u"https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"_s;
    m.joinMeetingIdSettings = Graph::JoinMeetingIdSettings { u"412345678901"_s, u"Xk3pQ9"_s, true };
    Graph::AudioConferencing audio;
    audio.conferenceId = u"123456789"_s;
    audio.tollNumber = u"+1 425-555-0123"_s;
    audio.tollFreeNumber = u"+1 800-555-0145"_s;
    m.audioConferencing = audio;
    return m;
}

} // namespace

class TstMeetingDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreValidOnceThereIsASubject();
    void organizerIsRequiredAndTheFormSaysWhereToSetIt();
    void organizerMustBeATeamsUser();
    void endMustComeAfterStart();
    void startMustNotBeInThePast();
    void attendeesMustBeTeamsUsers();
    void requestBodyHasEveryChoice();
    void createEmitsTheOrganizerAndTheMeeting();
    void forbiddenShowsTheAccessPolicyCommandsAndKeepsTheForm();
    void otherFailuresShowGraphsErrorWithoutCommands();
    void createdMeetingShowsLinkNumbersAndInvitation();
    void appIdIsReadFromGraphsMessage();
    void callDialogValidatesOneTargetAndThePrompt();
    void groupCallNeedsTwoTargets();
};

void TstMeetingDialog::defaultsAreValidOnceThereIsASubject()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    QCOMPARE(dialog.problem(), u"Enter a subject"_s);
    QVERIFY(!dialog.createButton()->isEnabled());
    // The default start is the next half hour, and the meeting lasts 30 minutes.
    QVERIFY(dialog.startEdit()->dateTime() > Now);
    QCOMPARE(dialog.startEdit()->dateTime().secsTo(dialog.endEdit()->dateTime()), 1800);
    dialog.subjectEdit()->setText(u"Stand-up"_s);
    QCOMPARE(dialog.problem(), QString());
    QVERIFY(dialog.createButton()->isEnabled());
    QCOMPARE(dialog.organizerId(), Organizer);
}

void TstMeetingDialog::organizerIsRequiredAndTheFormSaysWhereToSetIt()
{
    Gui::MeetingDialog dialog(QString(), fixedClock());
    fillValid(dialog);
    QVERIFY2(dialog.problem().contains(u"organizer"_s), qPrintable(dialog.problem()));
    QVERIFY2(dialog.problem().contains(u"Settings"_s), qPrintable(dialog.problem()));
    QVERIFY(!dialog.createButton()->isEnabled());
    dialog.organizerEdit()->setText(u"reception@contoso.com"_s);
    QCOMPARE(dialog.problem(), QString());
    QCOMPARE(dialog.organizerId(), u"reception@contoso.com"_s);
}

void TstMeetingDialog::organizerMustBeATeamsUser()
{
    Gui::MeetingDialog dialog(u"+44 20 7946 0000"_s, fixedClock());
    fillValid(dialog);
    QVERIFY2(dialog.problem().contains(u"Teams user"_s), qPrintable(dialog.problem()));
}

void TstMeetingDialog::endMustComeAfterStart()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    dialog.endEdit()->setDateTime(dialog.startEdit()->dateTime());
    QCOMPARE(dialog.problem(), u"The meeting must end after it starts"_s);
    dialog.endEdit()->setDateTime(dialog.startEdit()->dateTime().addSecs(-600));
    QCOMPARE(dialog.problem(), u"The meeting must end after it starts"_s);
    dialog.endEdit()->setDateTime(dialog.startEdit()->dateTime().addSecs(60));
    QCOMPARE(dialog.problem(), QString());
}

void TstMeetingDialog::startMustNotBeInThePast()
{
    QDateTime now = Now;
    Gui::MeetingDialog dialog(Organizer, [&now] { return now; });
    fillValid(dialog);
    dialog.startEdit()->setDateTime(Now.addSecs(-3600));
    QCOMPARE(dialog.problem(), u"The meeting cannot start in the past"_s);
    dialog.startEdit()->setDateTime(Now.addSecs(600));
    QCOMPARE(dialog.problem(), QString());
    // The form was left open: time has passed the start.
    now = Now.addSecs(1200);
    dialog.validate();
    QCOMPARE(dialog.problem(), u"The meeting cannot start in the past"_s);
}

void TstMeetingDialog::attendeesMustBeTeamsUsers()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    dialog.attendees()->setTexts({ u"anna@contoso.com"_s, u"+44 20 7946 0000"_s });
    QVERIFY2(dialog.problem().startsWith(u"Attendee 2"_s), qPrintable(dialog.problem()));
    dialog.attendees()->setTexts({ u"anna@contoso.com"_s, u"not an id"_s });
    QVERIFY2(dialog.problem().startsWith(u"Attendee 2"_s), qPrintable(dialog.problem()));
    dialog.attendees()->setTexts({ u"anna@contoso.com"_s, u"ANNA@contoso.com"_s });
    QVERIFY2(dialog.problem().contains(u"repeats"_s), qPrintable(dialog.problem()));
    dialog.attendees()->setTexts(
        { u"anna@contoso.com"_s, u"{7E1B4346-85A6-4BDD-ABE3-D11C5D420EFE}"_s, QString() });
    QCOMPARE(dialog.problem(), QString());
    const Graph::OnlineMeeting m = dialog.meeting();
    QCOMPARE(m.attendees.size(), 2);
    QCOMPARE(m.attendees.at(0).upn, u"anna@contoso.com"_s);
    QCOMPARE(m.attendees.at(1).identity.get(Graph::IdentitySet::Kind::User)->id,
        u"7e1b4346-85a6-4bdd-abe3-d11c5d420efe"_s);
}

void TstMeetingDialog::requestBodyHasEveryChoice()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    dialog.attendees()->setTexts(
        { u"anna@contoso.com"_s, u"7e1b4346-85a6-4bdd-abe3-d11c5d420efe"_s });
    dialog.lobbyBox()->setCurrentIndex(dialog.lobbyBox()->findData(u"everyone"_s));
    dialog.dialInBypassBox()->setChecked(true);
    dialog.passcodeBox()->setChecked(true);
    dialog.presentersBox()->setCurrentIndex(dialog.presentersBox()->findData(u"organizer"_s));
    QCOMPARE(dialog.problem(), QString());

    const QJsonObject body = Graph::encode(dialog.meeting());
    QCOMPARE(body.value("subject"_L1).toString(), u"Visit of the auditors"_s);
    QCOMPARE(Graph::readDateTime(body.value("startDateTime"_L1)), Now.addSecs(3600));
    QCOMPARE(Graph::readDateTime(body.value("endDateTime"_L1)), Now.addSecs(5400));
    QVERIFY(body.value("startDateTime"_L1).toString().endsWith(u'Z'));
    const QJsonArray attendees =
        body.value("participants"_L1).toObject().value("attendees"_L1).toArray();
    QCOMPARE(attendees.size(), 2);
    QCOMPARE(attendees.at(0).toObject().value("upn"_L1).toString(), u"anna@contoso.com"_s);
    QCOMPARE(attendees.at(0).toObject().value("role"_L1).toString(), u"attendee"_s);
    QCOMPARE(attendees.at(1)
                 .toObject()
                 .value("identity"_L1)
                 .toObject()
                 .value("user"_L1)
                 .toObject()
                 .value("id"_L1)
                 .toString(),
        u"7e1b4346-85a6-4bdd-abe3-d11c5d420efe"_s);
    const QJsonObject lobby = body.value("lobbyBypassSettings"_L1).toObject();
    QCOMPARE(lobby.value("scope"_L1).toString(), u"everyone"_s);
    QCOMPARE(lobby.value("isDialInBypassEnabled"_L1).toBool(), true);
    QCOMPARE(
        body.value("joinMeetingIdSettings"_L1).toObject().value("isPasscodeRequired"_L1).toBool(),
        true);
    QCOMPARE(body.value("allowedPresenters"_L1).toString(), u"organizer"_s);
    // Graph assigns these; the console never sends them.
    QVERIFY(!body.contains("id"_L1));
    QVERIFY(!body.contains("joinWebUrl"_L1));

    // The defaults: organization skips the lobby, nobody dials past it, no passcode.
    Gui::MeetingDialog plain(Organizer, fixedClock());
    fillValid(plain);
    const QJsonObject defaults = Graph::encode(plain.meeting());
    QCOMPARE(defaults.value("lobbyBypassSettings"_L1).toObject().value("scope"_L1).toString(),
        u"organization"_s);
    QCOMPARE(defaults.value("allowedPresenters"_L1).toString(), u"everyone"_s);
    QCOMPARE(defaults.value("joinMeetingIdSettings"_L1)
                 .toObject()
                 .value("isPasscodeRequired"_L1)
                 .toBool(true),
        false);
    QVERIFY(!defaults.contains("participants"_L1));
}

void TstMeetingDialog::createEmitsTheOrganizerAndTheMeeting()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    QSignalSpy requested(&dialog, &Gui::MeetingDialog::createRequested);
    dialog.createButton()->click();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).toString(), Organizer);
    QCOMPARE(
        requested.at(0).at(1).value<Graph::OnlineMeeting>().subject, u"Visit of the auditors"_s);
    // No second request while the first is out.
    QVERIFY(!dialog.createButton()->isEnabled());
}

void TstMeetingDialog::forbiddenShowsTheAccessPolicyCommandsAndKeepsTheForm()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    dialog.attendees()->setTexts({ u"anna@contoso.com"_s });
    dialog.createButton()->click();

    Gui::ActionResult result;
    result.action = u"createMeeting"_s;
    result.httpStatus = 403;
    result.code = u"Unauthorized"_s;
    result.message =
        u"App %1 is not authorized to Create meeting on behalf of user %2"_s.arg(AppId, Organizer);
    result.requestId = u"3f2a9c1e-0000-4000-8000-000000000001"_s;
    dialog.showFailure(result);

    QVERIFY2(dialog.errorText().contains(u"application access policy"_s),
        qPrintable(dialog.errorText()));
    QVERIFY(dialog.errorText().contains(result.requestId));
    const QString commands = dialog.accessPolicyText();
    QVERIFY2(
        commands.contains(
            u"New-CsApplicationAccessPolicy -Identity \"Frontdesk-Meetings\" -AppIds \"%1\""_s.arg(
                AppId)),
        qPrintable(commands));
    QVERIFY2(
        commands.contains(u"Grant-CsApplicationAccessPolicy -PolicyName \"Frontdesk-Meetings\" "
                          "-Identity \"%1\""_s.arg(Organizer)),
        qPrintable(commands));
    dialog.copyCommandsButton()->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), commands);

    // What was typed is still there, and can be sent again.
    QCOMPARE(dialog.subjectEdit()->text(), u"Visit of the auditors"_s);
    QCOMPARE(dialog.attendees()->texts(), QStringList { u"anna@contoso.com"_s });
    QVERIFY(dialog.createButton()->isEnabled());
    QVERIFY(dialog.resultPanel()->isHidden());
}

void TstMeetingDialog::otherFailuresShowGraphsErrorWithoutCommands()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    fillValid(dialog);
    Gui::ActionResult result { {}, u"createMeeting"_s, false, 400, u"BadRequest"_s,
        u"endDateTime must not be before startDateTime"_s, u"rid-1"_s };
    dialog.showFailure(result);
    QVERIFY(dialog.errorText().contains(u"endDateTime must not be before startDateTime"_s));
    QVERIFY(dialog.accessPolicyText().isEmpty());
}

void TstMeetingDialog::createdMeetingShowsLinkNumbersAndInvitation()
{
    Gui::MeetingDialog dialog(Organizer, fixedClock());
    QList<QUrl> opened;
    dialog.setUrlOpener([&opened](const QUrl &url) {
        opened.append(url);
        return true;
    });
    fillValid(dialog);
    dialog.createButton()->click();
    const Graph::OnlineMeeting m = createdMeeting();
    dialog.showCreated(m);

    QVERIFY(!dialog.resultPanel()->isHidden());
    QCOMPARE(dialog.joinUrl(), m.joinWebUrl);
    QVERIFY(dialog.errorText().isEmpty());
    dialog.copyLinkButton()->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), m.joinWebUrl);
    dialog.openLinkButton()->click();
    QCOMPARE(opened, QList<QUrl> { QUrl(m.joinWebUrl) });

    const QString invitation = dialog.invitationText();
    for (const QString &part : { m.subject, m.joinWebUrl, u"412345678901"_s, u"Xk3pQ9"_s,
             u"+1 425-555-0123"_s, u"+1 800-555-0145"_s, u"123456789"_s }) {
        QVERIFY2(invitation.contains(part), qPrintable(part + u" not in:\n"_s + invitation));
    }
    dialog.copyInvitationButton()->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), invitation);

    // A meeting without audio conferencing has no dial-in part.
    Graph::OnlineMeeting bare = m;
    bare.audioConferencing.reset();
    QVERIFY(!Gui::MeetingDialog::invitationFor(bare).contains(u"+1 425"_s));
}

void TstMeetingDialog::appIdIsReadFromGraphsMessage()
{
    QCOMPARE(Gui::MeetingDialog::appIdFromMessage(
                 u"App %1 is not authorized to Create meeting on behalf of user x"_s.arg(AppId)),
        AppId);
    QCOMPARE(
        Gui::MeetingDialog::appIdFromMessage(u"No application access policy found"_s), QString());
    QVERIFY(Gui::MeetingDialog::accessPolicyCommands(Organizer, {}).contains(u"<"_s));
}

void TstMeetingDialog::callDialogValidatesOneTargetAndThePrompt()
{
    Gui::CallDialog dialog(Gui::CallDialog::Kind::PeerToPeer);
    QVERIFY(!dialog.problem().isEmpty());
    QCOMPARE(dialog.targets()->maxTargets(), 1);
    dialog.targets()->setTexts({ u"+44 20 7946 0000"_s });
    QCOMPARE(dialog.problem(), QString());
    dialog.promptEdit()->setText(u"ftp://example.org/a.wav"_s);
    QVERIFY(!dialog.problem().isEmpty());
    dialog.promptEdit()->setText(u"https://cdn.contoso.com/prompts/welcome.wav"_s);
    QCOMPARE(dialog.problem(), QString());
    const Gui::OutboundCallRequest request = dialog.request();
    QCOMPARE(request.targets.size(), 1);
    QCOMPARE(request.targets.at(0).kind, Gui::CallTarget::Kind::Phone);
    QCOMPARE(request.targets.at(0).id, u"+442079460000"_s);
    QCOMPARE(request.prompt, QUrl(u"https://cdn.contoso.com/prompts/welcome.wav"_s));
}

void TstMeetingDialog::groupCallNeedsTwoTargets()
{
    Gui::CallDialog dialog(Gui::CallDialog::Kind::Group);
    QVERIFY(dialog.subjectEdit());
    QVERIFY(!dialog.promptEdit());
    QCOMPARE(dialog.targets()->lineCount(), 2);
    dialog.targets()->setTexts({ u"anna@contoso.com"_s });
    QVERIFY2(dialog.problem().contains(u"two"_s), qPrintable(dialog.problem()));
    dialog.targets()->setTexts({ u"anna@contoso.com"_s, u"+4930555000"_s });
    dialog.subjectEdit()->setText(u"Ward round"_s);
    QCOMPARE(dialog.problem(), QString());
    const Gui::OutboundCallRequest request = dialog.request();
    QCOMPARE(request.targets.size(), 2);
    QCOMPARE(request.subject, u"Ward round"_s);
    QVERIFY(request.prompt.isEmpty());
}

QTEST_MAIN(TstMeetingDialog)
#include "tst_meetingdialog.moc"

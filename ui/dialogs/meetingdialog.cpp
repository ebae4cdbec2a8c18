#include "meetingdialog.h"

#include "targetinput.h"
#include "ui/icons.h"
#include "ui/resulttexts.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {

constexpr int MaxAttendees = 20;
// A start typed a moment ago is not "in the past" yet.
constexpr int PastToleranceSeconds = 60;

//! The next full half hour after `now`, the usual start of a meeting booked now.
QDateTime nextHalfHour(const QDateTime &now)
{
    const QDateTime local = now.toLocalTime();
    const int minutes = local.time().minute();
    QDateTime start(local.date(), QTime(local.time().hour(), minutes < 30 ? 30 : 0));
    if (minutes >= 30)
        start = start.addSecs(3600);
    return start;
}

QPushButton *button(const QString &text, const QString &icon, QWidget *parent)
{
    auto *b = new QPushButton(icon.isEmpty() ? QIcon() : Icons::icon(icon), text, parent);
    b->setAccessibleName(QString(text).remove(u'&'));
    return b;
}

QString dialInText(const Graph::AudioConferencing &audio)
{
    QStringList lines;
    QStringList toll = audio.tollNumbers;
    if (toll.isEmpty() && !audio.tollNumber.isEmpty())
        toll.append(audio.tollNumber);
    QStringList tollFree = audio.tollFreeNumbers;
    if (tollFree.isEmpty() && !audio.tollFreeNumber.isEmpty())
        tollFree.append(audio.tollFreeNumber);
    for (const QString &number : std::as_const(toll))
        lines.append(MeetingDialog::tr("%1 (toll)").arg(number));
    for (const QString &number : std::as_const(tollFree))
        lines.append(MeetingDialog::tr("%1 (toll-free)").arg(number));
    if (!audio.conferenceId.isEmpty())
        lines.append(MeetingDialog::tr("Phone conference ID: %1").arg(audio.conferenceId));
    if (!audio.dialinUrl.isEmpty())
        lines.append(MeetingDialog::tr("Local numbers: %1").arg(audio.dialinUrl));
    return lines.join(u'\n');
}

} // namespace

MeetingDialog::MeetingDialog(const QString &defaultOrganizer, Clock now, QWidget *parent)
    : QDialog(parent)
    , m_now(now ? std::move(now) : Clock([] { return QDateTime::currentDateTime(); }))
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
    , m_subject(new QLineEdit(this))
    , m_start(new QDateTimeEdit(this))
    , m_end(new QDateTimeEdit(this))
    , m_organizer(new QLineEdit(defaultOrganizer, this))
    , m_organizerHint(new QLabel(this))
    , m_attendees(new TargetListEdit(MaxAttendees, this))
    , m_lobby(new QComboBox(this))
    , m_dialInBypass(new QCheckBox(tr("People calling in by &phone skip the lobby"), this))
    , m_passcode(new QCheckBox(tr("Require a &passcode to join"), this))
    , m_presenters(new QComboBox(this))
    , m_problemText(new QLabel(this))
    , m_create(button(tr("&Create meeting"), u"meeting"_s, this))
{
    setWindowTitle(tr("New meeting"));
    setAccessibleName(tr("New meeting"));
    auto *layout = new QVBoxLayout(this);
    // Never smaller than what it holds: an error and the form together must not squeeze the
    // attendees' lines.
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    layout->addWidget(buildError());
    m_form = buildForm();
    layout->addWidget(m_form);
    layout->addWidget(buildResult());
    m_problemText->setWordWrap(true);
    m_problemText->setAccessibleName(tr("Why Create is disabled"));
    layout->addWidget(m_problemText);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_create, QDialogButtonBox::ActionRole);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setAccessibleName(tr("Close"));
    layout->addWidget(buttons);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, [this] {
        validate();
        if (!m_problem.isEmpty())
            return;
        m_create->setEnabled(false);
        Q_EMIT createRequested(organizerId(), meeting());
    });
    validate();
}

MeetingDialog::~MeetingDialog() = default;

QWidget *MeetingDialog::buildForm()
{
    auto *form = new QWidget(this);
    auto *rows = new QFormLayout(form);
    rows->setContentsMargins(0, 0, 0, 0);

    // Wide enough for a sign-in name and Graph's error on one line each.
    m_subject->setMinimumWidth(fontMetrics().averageCharWidth() * 56);
    m_subject->setAccessibleName(tr("Subject"));
    m_subject->setPlaceholderText(tr("Visit of the auditors"));
    rows->addRow(tr("&Subject:"), m_subject);

    const QDateTime start = nextHalfHour(m_now());
    for (QDateTimeEdit *edit : { m_start, m_end }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateTimeFormat(QLocale::ShortFormat));
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &MeetingDialog::validate);
    }
    m_start->setDateTime(start);
    m_end->setDateTime(start.addSecs(30 * 60));
    m_start->setAccessibleName(tr("Start"));
    m_end->setAccessibleName(tr("End"));
    rows->addRow(tr("S&tarts:"), m_start);
    rows->addRow(tr("&Ends:"), m_end);

    m_organizer->setAccessibleName(tr("Organizer"));
    m_organizer->setPlaceholderText(tr("name@example.org or an object id"));
    m_organizer->setClearButtonEnabled(true);
    m_organizerHint->setWordWrap(true);
    m_organizerHint->setAccessibleName(tr("About the organizer"));
    auto *organizer = new QVBoxLayout;
    organizer->addWidget(m_organizer);
    organizer->addWidget(m_organizerHint);
    auto *organizerLabel = new QLabel(tr("&Organizer:"), form);
    organizerLabel->setBuddy(m_organizer);
    rows->addRow(organizerLabel, organizer);

    m_attendees->setAccessibleName(tr("Attendees"));
    auto *attendeesLabel = new QLabel(tr("&Attendees:"), form);
    attendeesLabel->setBuddy(m_attendees->lineEdit(0));
    rows->addRow(attendeesLabel, m_attendees);

    const std::pair<Graph::LobbyBypassScope, QString> scopes[] = {
        { Graph::LobbyBypassScope::Organization, tr("People in the organization") },
        { Graph::LobbyBypassScope::OrganizationAndFederated,
            tr("People in the organization and trusted organizations") },
        { Graph::LobbyBypassScope::Invited, tr("People who were invited") },
        { Graph::LobbyBypassScope::Organizer, tr("Only the organizer") },
        { Graph::LobbyBypassScope::Everyone, tr("Everyone") },
    };
    for (const auto &[scope, text] : scopes)
        m_lobby->addItem(text, Graph::wireName(scope));
    m_lobby->setAccessibleName(tr("Who skips the lobby"));
    rows->addRow(tr("Who s&kips the lobby:"), m_lobby);
    m_dialInBypass->setAccessibleName(tr("Phone callers skip the lobby"));
    rows->addRow(QString(), m_dialInBypass);
    m_passcode->setAccessibleName(tr("Require a passcode"));
    rows->addRow(QString(), m_passcode);

    const std::pair<Graph::OnlineMeetingPresenters, QString> presenters[] = {
        { Graph::OnlineMeetingPresenters::Everyone, tr("Everyone") },
        { Graph::OnlineMeetingPresenters::Organization, tr("People in the organization") },
        { Graph::OnlineMeetingPresenters::Organizer, tr("Only the organizer") },
    };
    for (const auto &[who, text] : presenters)
        m_presenters->addItem(text, Graph::wireName(who));
    m_presenters->setAccessibleName(tr("Who may present"));
    rows->addRow(tr("Who may p&resent:"), m_presenters);

    connect(m_subject, &QLineEdit::textChanged, this, &MeetingDialog::validate);
    connect(m_organizer, &QLineEdit::textChanged, this, &MeetingDialog::validate);
    connect(m_attendees, &TargetListEdit::changed, this, &MeetingDialog::validate);
    return form;
}

QWidget *MeetingDialog::buildError()
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::Box);
    frame->setLineWidth(2);
    m_errorBox = frame;
    auto *layout = new QVBoxLayout(frame);
    m_error = new QLabel(frame);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error->setAccessibleName(tr("Last attempt failed"));
    layout->addWidget(m_error);

    m_policy = new QWidget(frame);
    auto *policy = new QVBoxLayout(m_policy);
    policy->setContentsMargins(0, 0, 0, 0);
    m_commands = new QPlainTextEdit(m_policy);
    m_commands->setReadOnly(true);
    m_commands->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_commands->setAccessibleName(tr("PowerShell commands for an administrator"));
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // One command a line, as they are pasted; the field scrolls sideways.
    m_commands->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_commands->setFixedHeight(fontMetrics().height() * 6);
    m_copyCommands = button(tr("Copy the c&ommands"), QString(), m_policy);
    connect(m_copyCommands, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_commands->toPlainText()); });
    policy->addWidget(m_commands);
    policy->addWidget(m_copyCommands, 0, Qt::AlignLeft);
    layout->addWidget(m_policy);
    m_policy->hide();
    frame->hide();
    return frame;
}

QWidget *MeetingDialog::buildResult()
{
    auto *box = new QGroupBox(tr("The meeting is created"), this);
    box->setAccessibleName(tr("Created meeting"));
    m_result = box;
    auto *layout = new QVBoxLayout(box);

    m_joinUrl = new QLineEdit(box);
    m_joinUrl->setReadOnly(true);
    m_joinUrl->setAccessibleName(tr("Join link"));
    m_copyLink = button(tr("Cop&y link"), QString(), box);
    m_openLink = button(tr("O&pen"), QString(), box);
    auto *link = new QHBoxLayout;
    link->addWidget(m_joinUrl, 1);
    link->addWidget(m_copyLink);
    link->addWidget(m_openLink);
    layout->addLayout(link);
    connect(m_copyLink, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_joinUrl->text()); });
    connect(m_openLink, &QPushButton::clicked, this,
        [this] { m_opener(QUrl(m_joinUrl->text(), QUrl::StrictMode)); });

    m_details = new QLabel(box);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_details->setAccessibleName(tr("Meeting id, passcode and dial-in numbers"));
    layout->addWidget(m_details);

    layout->addWidget(new QLabel(tr("Invitation to paste into an email or a chat:"), box));
    m_invitation = new QPlainTextEdit(box);
    m_invitation->setReadOnly(true);
    m_invitation->setMinimumHeight(fontMetrics().height() * 12);
    m_invitation->setAccessibleName(tr("Invitation text"));
    layout->addWidget(m_invitation);
    m_copyInvitation = button(tr("Copy the &invitation"), QString(), box);
    connect(m_copyInvitation, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_invitation->toPlainText()); });
    layout->addWidget(m_copyInvitation, 0, Qt::AlignLeft);
    box->hide();
    return box;
}

void MeetingDialog::setUrlOpener(UrlOpener opener)
{
    m_opener = std::move(opener);
}

void MeetingDialog::setKnownPeople(const QStringList &people)
{
    m_attendees->setCompletions(people);
}

QString MeetingDialog::organizerId() const
{
    const ParsedTarget parsed = TargetParser::parse(m_organizer->text());
    return parsed.target ? parsed.target->id : m_organizer->text().trimmed();
}

void MeetingDialog::validate()
{
    QString problem;
    const QString organizer = m_organizer->text().trimmed();
    m_organizerHint->setText(organizer.isEmpty()
            ? tr("Set a default organizer in Console → Settings → Meeting organizer.")
            : QString());
    m_organizerHint->setVisible(organizer.isEmpty());
    const QDateTime now = m_now();
    if (m_subject->text().trimmed().isEmpty()) {
        problem = tr("Enter a subject");
    } else if (organizer.isEmpty()) {
        problem = tr("Enter the organizer, whose meeting it is, or set a default one in "
                     "Console → Settings");
    } else if (const ParsedTarget parsed = TargetParser::parse(organizer);
               !parsed.target || parsed.target->kind != CallTarget::Kind::User) {
        problem = tr("The organizer must be a Teams user: a sign-in name or an object id");
    } else if (m_start->dateTime() < now.addSecs(-PastToleranceSeconds)) {
        problem = tr("The meeting cannot start in the past");
    } else if (m_end->dateTime() <= m_start->dateTime()) {
        problem = tr("The meeting must end after it starts");
    } else {
        const QStringList texts = m_attendees->texts();
        for (qsizetype i = 0; i < texts.size() && problem.isEmpty(); ++i) {
            if (texts.at(i).trimmed().isEmpty())
                continue;
            const ParsedTarget attendee = TargetParser::parse(texts.at(i));
            if (!attendee.target)
                problem = tr("Attendee %1: %2").arg(QString::number(i + 1), attendee.problem);
            else if (attendee.target->kind != CallTarget::Kind::User)
                problem = tr("Attendee %1: invite Teams users; people on the phone dial in "
                             "with the numbers in the invitation")
                              .arg(i + 1);
        }
        if (problem.isEmpty() && m_attendees->targets().size() > 1) {
            const QString repeated = m_attendees->problem();
            if (!repeated.isEmpty() && m_attendees->targets().size() <= MaxAttendees)
                problem = repeated;
        }
    }
    m_problem = problem;
    m_problemText->setText(problem);
    m_problemText->setVisible(!problem.isEmpty());
    m_create->setEnabled(problem.isEmpty() && m_form->isEnabled());
    m_create->setToolTip(problem);
    m_create->setAccessibleDescription(problem);
}

Graph::OnlineMeeting MeetingDialog::meeting() const
{
    Graph::OnlineMeeting m;
    m.subject = m_subject->text().trimmed();
    m.startDateTime = m_start->dateTime().toUTC();
    m.endDateTime = m_end->dateTime().toUTC();
    for (const CallTarget &target : m_attendees->targets()) {
        Graph::MeetingParticipantInfo attendee;
        // An object id is an identity; a sign-in name goes in upn (graph-notes §1.13).
        if (target.id.contains(u'@'))
            attendee.upn = target.id;
        else
            attendee.identity = Graph::IdentitySet::user(target.id);
        attendee.role = Graph::OnlineMeetingRole::Attendee;
        m.attendees.append(attendee);
    }
    m.lobbyBypassScope =
        Graph::parseWireEnum<Graph::LobbyBypassScope>(m_lobby->currentData().toString());
    m.isDialInBypassEnabled = m_dialInBypass->isChecked();
    m.joinMeetingIdSettings = Graph::JoinMeetingIdSettings { {}, {}, m_passcode->isChecked() };
    m.allowedPresenters = Graph::parseWireEnum<Graph::OnlineMeetingPresenters>(
        m_presenters->currentData().toString());
    return m;
}

void MeetingDialog::setFormEnabled(bool enabled)
{
    m_form->setEnabled(enabled);
    validate();
}

void MeetingDialog::showCreated(const Graph::OnlineMeeting &meeting)
{
    m_errorBox->hide();
    m_error->clear();
    m_commands->clear();
    setFormEnabled(false);
    // The invitation says what was created; the result takes the form's place.
    m_form->hide();
    m_create->hide();
    m_problemText->hide();
    m_joinUrl->setText(meeting.joinWebUrl);
    m_joinUrl->setCursorPosition(0);
    m_copyLink->setEnabled(!meeting.joinWebUrl.isEmpty());
    m_openLink->setEnabled(!meeting.joinWebUrl.isEmpty());
    QStringList details;
    details.append(tr("Meeting id (Graph): %1").arg(meeting.id));
    if (meeting.joinMeetingIdSettings) {
        if (!meeting.joinMeetingIdSettings->joinMeetingId.isEmpty())
            details.append(tr("Meeting ID: %1").arg(meeting.joinMeetingIdSettings->joinMeetingId));
        if (!meeting.joinMeetingIdSettings->passcode.isEmpty())
            details.append(tr("Passcode: %1").arg(meeting.joinMeetingIdSettings->passcode));
    }
    if (meeting.audioConferencing && !meeting.audioConferencing->isEmpty())
        details.append(tr("Dial in:\n%1").arg(dialInText(*meeting.audioConferencing)));
    else
        details.append(tr("No dial-in numbers: the organizer has no audio conferencing."));
    m_details->setText(details.join(u'\n'));
    m_invitation->setPlainText(invitationFor(meeting));
    m_result->show();
    growToFit();
}

void MeetingDialog::showFailure(const ActionResult &result)
{
    m_create->setEnabled(true);
    setFormEnabled(true);
    const QString details = ResultTexts::details(result);
    QString text = details.isEmpty() ? ResultTexts::summary(result)
                                     : u"%1\n%2"_s.arg(ResultTexts::summary(result), details);
    const bool noPolicy = result.httpStatus == 403;
    if (noPolicy) {
        // graph-notes §5.3: with application permissions, Graph creates meetings only for the
        // users an application access policy names.
        text = tr("Graph refused to create a meeting for %1: the tenant has no application "
                  "access policy that lets this app create meetings on the organizer's "
                  "behalf. A Teams administrator must run the commands below in Teams "
                  "PowerShell, then wait up to 30 minutes before trying again.")
                   .arg(organizerId())
            + u"\n"_s + text;
        m_commands->setPlainText(
            accessPolicyCommands(organizerId(), appIdFromMessage(result.message)));
    } else {
        m_commands->clear();
    }
    m_policy->setVisible(noPolicy);
    m_error->setText(text);
    m_errorBox->show();
    growToFit();
}

void MeetingDialog::growToFit()
{
    // The error's wrapped lines are not in the layout's minimum size: without this, a dialog
    // already on screen would squeeze the form to make room for them.
    layout()->activate();
    resize(size().expandedTo(sizeHint()));
}

QString MeetingDialog::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_error->text();
}

QString MeetingDialog::accessPolicyText() const
{
    return m_policy->isHidden() ? QString() : m_commands->toPlainText();
}

QString MeetingDialog::invitationText() const
{
    return m_invitation->toPlainText();
}

QString MeetingDialog::joinUrl() const
{
    return m_joinUrl->text();
}

QString MeetingDialog::invitationFor(const Graph::OnlineMeeting &meeting)
{
    const QLocale locale;
    QStringList lines;
    if (!meeting.subject.isEmpty())
        lines.append(meeting.subject);
    if (meeting.startDateTime.isValid() && meeting.endDateTime.isValid()) {
        //: Invitation: when the meeting is, "25/11/2026 10:00 – 10:30"
        lines.append(tr("%1 – %2").arg(
            locale.toString(meeting.startDateTime.toLocalTime(), QLocale::ShortFormat),
            locale.toString(meeting.endDateTime.toLocalTime().time(), QLocale::ShortFormat)));
    }
    lines.append(QString());
    lines.append(tr("Join the Microsoft Teams meeting:"));
    lines.append(meeting.joinWebUrl);
    if (meeting.joinMeetingIdSettings) {
        const Graph::JoinMeetingIdSettings &s = *meeting.joinMeetingIdSettings;
        if (!s.joinMeetingId.isEmpty()) {
            lines.append(QString());
            lines.append(tr("Meeting ID: %1").arg(s.joinMeetingId));
            if (!s.passcode.isEmpty())
                lines.append(tr("Passcode: %1").arg(s.passcode));
        }
    }
    if (meeting.audioConferencing && !meeting.audioConferencing->isEmpty()) {
        lines.append(QString());
        lines.append(tr("Or call in by phone:"));
        lines.append(dialInText(*meeting.audioConferencing));
    }
    return lines.join(u'\n');
}

QString MeetingDialog::accessPolicyCommands(const QString &organizerId, const QString &appId)
{
    const QString app = appId.isEmpty() ? tr("<the bot's application (client) id>") : appId;
    return u"Connect-MicrosoftTeams\n"_s
        + u"New-CsApplicationAccessPolicy -Identity \"Frontdesk-Meetings\" -AppIds \"%1\" "
          "-Description \"Frontdesk creates meetings\"\n"_s.arg(app)
        + u"Grant-CsApplicationAccessPolicy -PolicyName \"Frontdesk-Meetings\" -Identity \"%1\""_s
              .arg(organizerId);
}

QString MeetingDialog::appIdFromMessage(const QString &message)
{
    static const QRegularExpression app(
        u"\\bApp\\s+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"_s);
    const QRegularExpressionMatch match = app.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace Gui

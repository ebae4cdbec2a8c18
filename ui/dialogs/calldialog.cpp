#include "calldialog.h"

#include "playpromptdialog.h"
#include "targetinput.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

CallDialog::CallDialog(Kind kind, QWidget *parent)
    : ActionDialog(kind == Kind::Group ? tr("Group call") : tr("Call"),
        kind == Kind::Group ? tr("&Start the call") : tr("&Call"), parent)
    , m_kind(kind)
    , m_targets(new TargetListEdit(kind == Kind::Group ? MaxGroupTargets : 1, this))
{
    const bool group = kind == Kind::Group;
    auto *intro =
        new QLabel(group ? tr("The bot rings two to %n people or numbers at once, in one call.", "",
                       MaxGroupTargets)
                         : tr("The bot rings a Teams user or a phone number."),
            this);
    intro->setWordWrap(true);
    body()->addWidget(intro);
    auto *label = new QLabel(group ? tr("&Participants:") : tr("&Whom to call:"), this);
    label->setBuddy(m_targets->lineEdit(0));
    body()->addWidget(label);
    body()->addWidget(m_targets);
    if (group)
        m_targets->addLine();
    m_targets->setAccessibleName(group ? tr("People to call") : tr("Person to call"));
    connect(m_targets, &TargetListEdit::changed, this, &CallDialog::validate);

    QLineEdit *extra = new QLineEdit(this);
    extra->setClearButtonEnabled(true);
    if (group) {
        m_subject = extra;
        m_subject->setAccessibleName(tr("Subject"));
        m_subject->setPlaceholderText(tr("Ward round"));
        auto *subject = new QLabel(tr("&Subject:"), this);
        subject->setBuddy(m_subject);
        body()->addWidget(subject);
        body()->addWidget(m_subject);
    } else {
        m_prompt = extra;
        m_prompt->setAccessibleName(tr("Prompt to play"));
        m_prompt->setPlaceholderText(u"https://cdn.contoso.com/prompts/welcome.wav"_s);
        auto *prompt = new QLabel(tr("&Prompt to play when they answer (optional):"), this);
        prompt->setBuddy(m_prompt);
        body()->addWidget(prompt);
        body()->addWidget(m_prompt);
        auto *note = new QLabel(tr("A WAV file (mono, 16-bit, 16 kHz) that Microsoft's cloud "
                                   "can fetch."),
            this);
        note->setWordWrap(true);
        body()->addWidget(note);
    }
    connect(extra, &QLineEdit::textChanged, this, &CallDialog::validate);
    validate();
}

CallDialog::~CallDialog() = default;

void CallDialog::setKnownPeople(const QStringList &people)
{
    m_targets->setCompletions(people);
}

OutboundCallRequest CallDialog::request() const
{
    OutboundCallRequest request;
    request.targets = m_targets->targets();
    if (m_subject)
        request.subject = m_subject->text().trimmed();
    if (m_prompt && !m_prompt->text().trimmed().isEmpty())
        request.prompt = QUrl(m_prompt->text().trimmed(), QUrl::StrictMode);
    return request;
}

void CallDialog::validate()
{
    QString problem = m_targets->problem();
    if (problem.isEmpty() && m_kind == Kind::Group && m_targets->targets().size() < 2)
        problem = tr("A group call needs at least two people; use Call… for one");
    if (problem.isEmpty() && m_prompt && !m_prompt->text().trimmed().isEmpty())
        problem = PlayPromptDialog::problemWith(m_prompt->text());
    setProblem(problem);
}

} // namespace Gui

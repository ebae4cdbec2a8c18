#include "invitedialog.h"

#include "targetinput.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace Gui {

InviteDialog::InviteDialog(const QString &callerText, QWidget *parent)
    : ActionDialog(tr("Invite to the call with %1").arg(callerText), tr("&Invite"), parent)
    , m_targets(new TargetListEdit(MaxTargets, this))
{
    auto *intro =
        new QLabel(tr("Add up to %n people or numbers to the call.", "", MaxTargets), this);
    intro->setWordWrap(true);
    body()->addWidget(intro);
    auto *label = new QLabel(tr("&Participants:"), this);
    label->setBuddy(m_targets->lineEdit(0));
    body()->addWidget(label);
    body()->addWidget(m_targets);
    m_targets->setAccessibleName(tr("People to invite"));
    connect(
        m_targets, &TargetListEdit::changed, this, [this] { setProblem(m_targets->problem()); });
    setProblem(m_targets->problem());
}

InviteDialog::~InviteDialog() = default;

InviteRequest InviteDialog::request() const
{
    return InviteRequest { m_targets->targets() };
}

} // namespace Gui

#include "redirectdialog.h"

#include "targetinput.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

RedirectDialog::RedirectDialog(const QString &callerText, QWidget *parent)
    : ActionDialog(tr("Redirect %1").arg(callerText), tr("&Redirect"), parent)
    , m_targets(new TargetListEdit(MaxTargets, this))
    , m_simultaneous(new QLabel(this))
    , m_limit(new QCheckBox(tr("Ring for at &most"), this))
    , m_timeout(new QSpinBox(this))
{
    auto *intro = new QLabel(
        tr("Send the call on without answering it, to Teams users or phone numbers."), this);
    intro->setWordWrap(true);
    body()->addWidget(intro);
    auto *targetsLabel = new QLabel(tr("&Targets:"), this);
    targetsLabel->setBuddy(m_targets->lineEdit(0));
    body()->addWidget(targetsLabel);
    body()->addWidget(m_targets);
    m_targets->setAccessibleName(tr("Redirect targets"));

    //: Shown when a redirect has several targets
    m_simultaneous->setText(tr("All targets ring at once; the first to answer gets the call."));
    m_simultaneous->setWordWrap(true);
    m_simultaneous->setAccessibleName(tr("Ring all at once"));
    m_simultaneous->hide();
    body()->addWidget(m_simultaneous);

    // The spin box takes any number, so that a value out of Graph's range is refused in words
    // rather than silently changed to one the operator did not type.
    m_timeout->setRange(1, 999);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setEnabled(false);
    m_timeout->setAccessibleName(tr("Ring time in seconds"));
    m_timeout->setToolTip(tr("Between %1 and %2 seconds").arg(MinTimeout).arg(MaxTimeout));
    m_limit->setAccessibleName(tr("Limit the ring time"));
    m_limit->setToolTip(tr("Without a limit, Graph decides how long the targets ring"));
    auto *timeoutRow = new QHBoxLayout;
    timeoutRow->addWidget(m_limit);
    timeoutRow->addWidget(m_timeout);
    timeoutRow->addStretch(1);
    body()->addLayout(timeoutRow);

    connect(m_targets, &TargetListEdit::changed, this, &RedirectDialog::validate);
    connect(m_limit, &QCheckBox::toggled, this, [this](bool on) {
        m_timeout->setEnabled(on);
        validate();
    });
    connect(m_timeout, &QSpinBox::valueChanged, this, &RedirectDialog::validate);
    validate();
}

RedirectDialog::~RedirectDialog() = default;

RedirectRequest RedirectDialog::request() const
{
    RedirectRequest request;
    request.targets = m_targets->targets();
    request.timeoutSeconds = m_limit->isChecked() ? m_timeout->value() : 0;
    return request;
}

void RedirectDialog::validate()
{
    m_simultaneous->setVisible(m_targets->targets().size() > 1);
    QString problem = m_targets->problem();
    if (problem.isEmpty() && m_limit->isChecked()
        && (m_timeout->value() < MinTimeout || m_timeout->value() > MaxTimeout))
        problem =
            tr("The ring time must be between %1 and %2 seconds").arg(MinTimeout).arg(MaxTimeout);
    setProblem(problem);
}

} // namespace Gui

#include "actiondialog.h"

#include "ui/icons.h"
#include "ui/resulttexts.h"

#include <QDialogButtonBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

ActionDialog::ActionDialog(const QString &title, const QString &okText, QWidget *parent)
    : QDialog(parent)
    , m_body(new QVBoxLayout)
    , m_errorBox(new QFrame(this))
    , m_error(new QLabel(m_errorBox))
    , m_problemIcon(new QLabel(this))
    , m_problemText(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(title);
    setAccessibleName(title);
    // Wide enough for a sign-in name, a number and Graph's error on one line each.
    setMinimumWidth(fontMetrics().averageCharWidth() * 72);

    auto *errorFrame = static_cast<QFrame *>(m_errorBox);
    errorFrame->setFrameShape(QFrame::Box);
    errorFrame->setLineWidth(2);
    auto *errorLayout = new QHBoxLayout(m_errorBox);
    auto *errorIcon = new QLabel(m_errorBox);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    errorIcon->setPixmap(Icons::icon(u"error"_s).pixmap(iconSize * 2));
    errorIcon->setAlignment(Qt::AlignTop);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error->setAccessibleName(tr("Last attempt failed"));
    errorLayout->addWidget(errorIcon);
    errorLayout->addWidget(m_error, 1);
    m_errorBox->hide();

    m_problemIcon->setPixmap(Icons::icon(u"invalid"_s).pixmap(iconSize));
    m_problemText->setWordWrap(true);
    m_problemText->setAccessibleName(tr("Why OK is disabled"));
    auto *problemRow = new QHBoxLayout;
    problemRow->addWidget(m_problemIcon, 0, Qt::AlignTop);
    problemRow->addWidget(m_problemText, 1);

    okButton()->setText(okText);
    okButton()->setAccessibleName(okText);
    m_buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_problem.isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_errorBox);
    layout->addLayout(m_body);
    layout->addStretch(1);
    layout->addLayout(problemRow);
    layout->addWidget(m_buttons);
}

ActionDialog::~ActionDialog() = default;

QPushButton *ActionDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void ActionDialog::showError(const ActionResult &result)
{
    if (result.ok) {
        m_error->clear();
        m_errorBox->hide();
        return;
    }
    const QString details = ResultTexts::details(result);
    m_error->setText(details.isEmpty() ? ResultTexts::summary(result)
                                       : u"%1\n%2"_s.arg(ResultTexts::summary(result), details));
    m_errorBox->show();
}

QString ActionDialog::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_error->text();
}

void ActionDialog::setProblem(const QString &problem)
{
    m_problem = problem;
    m_problemText->setText(problem);
    m_problemIcon->setVisible(!problem.isEmpty());
    m_problemText->setVisible(!problem.isEmpty());
    okButton()->setEnabled(problem.isEmpty());
    okButton()->setToolTip(problem);
    okButton()->setAccessibleDescription(problem);
}

} // namespace Gui

#include "noticebar.h"

#include "icons.h"
#include "resulttexts.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
// Failures the bar keeps; the event log has them all.
constexpr int MaxNotices = 20;
} // namespace

NoticeBar::NoticeBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_more(new QLabel(this))
    , m_dismiss(new QToolButton(this))
{
    setObjectName(u"noticeBar"_s);
    setAccessibleName(tr("Failed action"));
    // A framed strip in the tooltip colours: it stands out in any theme without a colour of
    // its own, and its icon and words say what it is.
    setFrameShape(QFrame::Box);
    setLineWidth(2);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);

    const int iconSize = style()->pixelMetric(QStyle::PM_ToolBarIconSize);
    m_icon->setPixmap(Icons::pixmap(
        u"error"_s, iconSize, palette().color(QPalette::ToolTipText), devicePixelRatioF()));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setForegroundRole(QPalette::ToolTipText);
    m_text->setAccessibleName(tr("Error"));
    QFont bold = m_text->font();
    bold.setBold(true);
    m_text->setFont(bold);
    m_more->setForegroundRole(QPalette::ToolTipText);
    m_more->setAccessibleName(tr("Earlier failures"));
    m_dismiss->setIcon(Icons::icon(u"dismiss"_s));
    m_dismiss->setText(tr("Dismiss"));
    m_dismiss->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_dismiss->setAccessibleName(tr("Dismiss this error"));
    m_dismiss->setToolTip(tr("Dismiss this error; the event log keeps it"));

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_more);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);
    connect(m_dismiss, &QToolButton::clicked, this, &NoticeBar::dismiss);
    refreshView();
}

NoticeBar::~NoticeBar() = default;

void NoticeBar::showFailure(const ActionResult &result, const QString &callerText)
{
    m_notices.append(ResultTexts::line(result, callerText));
    if (m_notices.size() > MaxNotices)
        m_notices.removeFirst();
    refreshView();
}

QString NoticeBar::text() const
{
    return m_notices.isEmpty() ? QString() : m_notices.constLast();
}

void NoticeBar::dismiss()
{
    if (!m_notices.isEmpty())
        m_notices.removeLast();
    refreshView();
}

void NoticeBar::refreshView()
{
    setVisible(!m_notices.isEmpty());
    m_text->setText(text());
    setAccessibleDescription(text());
    const int earlier = int(m_notices.size()) - 1;
    m_more->setVisible(earlier > 0);
    //: How many failures wait under the one shown
    m_more->setText(tr("%n more", "", earlier));
}

} // namespace Gui

#include "sandboxbanner.h"

#include "icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace Gui {

SandboxBanner::SandboxBanner(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"sandboxBanner"_s);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Highlight);
    setAccessibleName(tr("Sandbox: simulated calls"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    auto *icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(Icons::pixmap(
        u"sandbox"_s, iconSize, palette().color(QPalette::HighlightedText), devicePixelRatioF()));
    auto *text = new QLabel(
        tr("Sandbox: simulated calls. Nothing here reaches Microsoft Teams or a real caller."),
        this);
    text->setObjectName(u"sandboxBannerText"_s);
    text->setForegroundRole(QPalette::HighlightedText);
    QFont bold = text->font();
    bold.setBold(true);
    text->setFont(bold);
    layout->addWidget(icon);
    layout->addWidget(text, 1);
}

SandboxBanner::~SandboxBanner() = default;

} // namespace Gui

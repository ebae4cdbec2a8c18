#include "textdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace Gui {

TextDelegate::TextDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

TextDelegate::~TextDelegate() = default;

bool TextDelegate::isSelected(const QStyleOptionViewItem &option)
{
    return option.state.testFlag(QStyle::State_Selected);
}

QPalette::ColorGroup TextDelegate::groupOf(const QStyleOptionViewItem &option)
{
    if (!option.state.testFlag(QStyle::State_Enabled))
        return QPalette::Disabled;
    return option.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
}

void TextDelegate::paintPanel(QPainter *painter, const QStyleOptionViewItem &option)
{
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, widget);
}

void TextDelegate::paintFocus(QPainter *painter, const QStyleOptionViewItem &option)
{
    if (!option.state.testFlag(QStyle::State_HasFocus))
        return;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    QStyleOptionFocusRect focus;
    focus.QStyleOption::operator=(option);
    focus.rect = option.rect;
    style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
}

void TextDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Qt::Alignment horizontal = opt.displayAlignment & Qt::AlignHorizontal_Mask;
    const bool plain = opt.features.testFlag(QStyleOptionViewItem::HasDisplay)
        && !opt.features.testFlag(QStyleOptionViewItem::HasDecoration)
        && !opt.features.testFlag(QStyleOptionViewItem::HasCheckIndicator)
        && (horizontal == Qt::AlignLeft || horizontal == Qt::AlignLeading)
        && !opt.text.contains(QChar::LineSeparator) && !opt.text.contains(u'\n');
    if (!plain) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    paintPanel(painter, opt);
    const QColor color = opt.palette.color(
        groupOf(opt), isSelected(opt) ? QPalette::HighlightedText : QPalette::Text);
    painter->save();
    painter->setClipRect(opt.rect);
    m_text.draw(painter, opt.rect.adjusted(Padding, 0, -Padding, 0), opt.text, opt.font, color);
    painter->restore();
    paintFocus(painter, opt);
}

} // namespace Gui

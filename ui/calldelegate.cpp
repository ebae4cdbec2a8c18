#include "calldelegate.h"

#include "icons.h"
#include "models/callsmodel.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Gui {

using Graph::CallState;
using Models::CallsModel;

namespace {

constexpr int Gap = 6;

} // namespace

// The colour of words in this cell: highlighted text when selected; the disabled text colour
// for an ended call, which is how it is dimmed.
QColor CallDelegate::textColor(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (isSelected(option))
        return option.palette.color(groupOf(option), QPalette::HighlightedText);
    if (index.data(CallsModel::IsEndedRole).toBool())
        return option.palette.color(QPalette::Disabled, QPalette::Text);
    return option.palette.color(groupOf(option), QPalette::Text);
}

// Secondary words (a number beside a name): the placeholder colour, unless that is too close
// to the background to read, as in some high-contrast themes.
QColor CallDelegate::secondaryColor(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (isSelected(option) || index.data(CallsModel::IsEndedRole).toBool())
        return textColor(option, index);
    return option.palette.color(groupOf(option), QPalette::PlaceholderText);
}

CallDelegate::CallDelegate(QObject *parent)
    : TextDelegate(parent)
{ }

CallDelegate::~CallDelegate() = default;

QString CallDelegate::stateIconName(CallState state, bool ended)
{
    if (ended)
        return u"state-ended"_s;
    switch (state) {
    case CallState::Incoming:
    case CallState::Ringing:
        return u"state-ringing"_s;
    case CallState::Establishing:
        return u"state-connecting"_s;
    case CallState::Established:
        return u"state-live"_s;
    case CallState::Hold:
        return u"state-hold"_s;
    case CallState::Transferring:
    case CallState::TransferAccepted:
    case CallState::Redirecting:
        return u"state-transferring"_s;
    case CallState::Terminating:
    case CallState::Terminated:
        return u"state-ended"_s;
    case CallState::Unknown:
    case CallState::UnknownFutureValue:
        break;
    }
    return u"state-unknown"_s;
}

CallDelegate::Layout CallDelegate::stateLayout(const QRect &cell, const QFontMetrics &metrics)
{
    const QRect inner = cell.adjusted(Padding, 0, -Padding, 0);
    const int side = std::min(metrics.height(), inner.height());
    Layout layout;
    layout.icon = QRect(inner.left(), inner.top() + (inner.height() - side) / 2, side, side);
    layout.text = QRect(layout.icon.right() + 1 + Gap, inner.top(),
        std::max(0, inner.right() - layout.icon.right() - Gap), inner.height());
    return layout;
}

CallDelegate::Layout CallDelegate::waitLayout(const QRect &cell, const QFontMetrics &metrics)
{
    const QRect inner = cell.adjusted(Padding, 0, -Padding, 0);
    // The bar is as wide as four digits' worth of text or a third of the cell, whichever is
    // wider, and as tall as a capital letter: big enough to read at a glance across the room.
    const int width = std::min(
        inner.width(), std::max(metrics.horizontalAdvance(u"0000000"_s), inner.width() / 3));
    const int height = std::min(inner.height(), std::max(8, metrics.capHeight() + 4));
    Layout layout;
    layout.track = QRect(inner.left(), inner.top() + (inner.height() - height) / 2, width, height);
    layout.text = QRect(layout.track.right() + 1 + Gap, inner.top(),
        std::max(0, inner.right() - layout.track.right() - Gap), inner.height());
    return layout;
}

QRect CallDelegate::countdownFill(const QRect &track, double fraction)
{
    if (!std::isfinite(fraction))
        fraction = 0.0;
    const int width = int(std::lround(std::clamp(fraction, 0.0, 1.0) * track.width()));
    return QRect(track.left(), track.top(), width, track.height());
}

void CallDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The background and the selection come from the style; the content is ours.
    paintPanel(painter, opt);

    painter->save();
    painter->setClipRect(opt.rect);
    switch (index.column()) {
    case CallsModel::CallerColumn:
        paintCaller(painter, opt, index);
        break;
    case CallsModel::StateColumn:
        paintState(painter, opt, index);
        break;
    case CallsModel::WaitColumn:
        paintWait(painter, opt, index);
        break;
    default:
        paintText(painter, opt, index);
        break;
    }
    painter->restore();
    paintFocus(painter, opt);
}

QSize CallDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics metrics(option.font);
    // Rows a little taller than the text, so that the bar and the icon breathe.
    size.setHeight(std::max(size.height(), metrics.height() + 2 * Padding));
    if (index.column() == CallsModel::StateColumn)
        size.rwidth() += metrics.height() + Gap + 2 * Padding;
    if (index.column() == CallsModel::WaitColumn)
        size.rwidth() += metrics.horizontalAdvance(u"0000000000"_s) + Gap + 2 * Padding;
    return size;
}

void CallDelegate::paintCaller(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect inner = option.rect.adjusted(Padding, 0, -Padding, 0);
    QFont font = option.font;
    // A ringing call is the one to act on: its caller stands out in bold.
    font.setBold(index.data(CallsModel::IsIncomingRole).toBool());
    const QString name = index.data(CallsModel::CallerNameRole).toString();
    const QString number = index.data(CallsModel::CallerNumberRole).toString();
    const QString text = index.data(Qt::DisplayRole).toString();
    texts().draw(painter, inner, text, font, textColor(option, index));
    // A known name hides the number; it follows, quieter, when there is room.
    if (name.isEmpty() || number.isEmpty())
        return;
    const int used = texts().advance(text, font) + Gap * 2;
    if (used >= inner.width())
        return;
    texts().draw(
        painter, inner.adjusted(used, 0, 0, 0), number, option.font, secondaryColor(option, index));
}

void CallDelegate::paintState(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout layout = stateLayout(option.rect, QFontMetrics(option.font));
    const bool ended = index.data(CallsModel::IsEndedRole).toBool();
    const auto state = CallState(index.data(CallsModel::StateRole).toInt());
    const QColor color = textColor(option, index);
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->drawPixmap(
        layout.icon, Icons::pixmap(stateIconName(state, ended), layout.icon.width(), color, dpr));

    const QString text = index.data(Qt::DisplayRole).toString();
    texts().draw(painter, layout.text, text, option.font, color);
    if (!index.data(CallsModel::IsStaleRole).toBool())
        return;
    // A call the relay has not heard of for a while: its state may be out of date.
    QFont italic = option.font;
    italic.setItalic(true);
    const int used = texts().advance(text, option.font) + Gap;
    //: Marks a call whose last event is old, so its state may be out of date
    texts().draw(painter, layout.text.adjusted(used, 0, 0, 0), tr("stale"), italic, color);
}

void CallDelegate::paintWait(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant fraction = index.data(CallsModel::CountdownFractionRole);
    if (!fraction.isValid()) {
        paintText(painter, option, index);
        return;
    }
    const QFontMetrics metrics(option.font);
    const Layout layout = waitLayout(option.rect, metrics);
    const QColor color = textColor(option, index);
    const bool selected = isSelected(option);

    // The track is outlined in the text colour so that it shows in any theme; the fill is the
    // highlight colour, or the highlighted text's on a selected row, whose background is the
    // highlight.
    const QColor fill = selected ? option.palette.color(groupOf(option), QPalette::HighlightedText)
                                 : option.palette.color(groupOf(option), QPalette::Highlight);
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(groupOf(option), QPalette::Base));
    if (!selected)
        painter->drawRect(layout.track);
    painter->setBrush(fill);
    painter->drawRect(countdownFill(layout.track, fraction.toDouble()));
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(color, 1));
    painter->drawRect(QRectF(layout.track).adjusted(0.5, 0.5, -0.5, -0.5));

    QFont font = option.font;
    const qint64 left = index.data(CallsModel::CountdownRole).toLongLong();
    font.setBold(left <= UrgentMs);
    texts().draw(painter, layout.text, index.data(Qt::DisplayRole).toString(), font, color);
}

void CallDelegate::paintText(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    texts().draw(painter, option.rect.adjusted(Padding, 0, -Padding, 0),
        index.data(Qt::DisplayRole).toString(), option.font, textColor(option, index));
}

} // namespace Gui

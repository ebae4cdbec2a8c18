#pragma once

#include "textcache.h"

#include <QStyledItemDelegate>

namespace Gui {

//! Paints a cell of plain text: the style's background and selection, then the text in one
//! line, elided on the right, from a TextCache. QStyledItemDelegate lays the text out again on
//! every paint, and a table whose rows change under a live stream repaints many times a second.
//! A cell with an icon, a check box or text that is not left-aligned is painted by
//! QStyledItemDelegate as before.
class TextDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TextDelegate)

public:
    explicit TextDelegate(QObject *parent = nullptr);
    ~TextDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

    //! Space left and right of a cell's text.
    static constexpr int Padding = 6;

protected:
    //! The cell's background and selection, as the style draws them.
    static void paintPanel(QPainter *painter, const QStyleOptionViewItem &option);
    //! The focus frame, when the cell has the focus.
    static void paintFocus(QPainter *painter, const QStyleOptionViewItem &option);
    //! The palette's colour group for the cell's state.
    static QPalette::ColorGroup groupOf(const QStyleOptionViewItem &option);
    static bool isSelected(const QStyleOptionViewItem &option);

    TextCache &texts() const { return m_text; }

private:
    mutable TextCache m_text; // painting is const, the words laid out are a cache
};

} // namespace Gui

#include "hintview.h"

#include <QPainter>

namespace Gui {

void paintEmptyHint(QAbstractItemView *view, const QString &text)
{
    if (!view->model() || view->model()->rowCount(view->rootIndex()) > 0 || text.isEmpty())
        return;
    QPainter painter(view->viewport());
    painter.setPen(view->palette().color(QPalette::PlaceholderText));
    painter.drawText(view->viewport()->rect().adjusted(16, 16, -16, -16),
        Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, text);
}

HintTableView::HintTableView(QWidget *parent)
    : QTableView(parent)
{ }

HintTableView::~HintTableView() = default;

void HintTableView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void HintTableView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    paintEmptyHint(this, m_emptyText);
}

HintListView::HintListView(QWidget *parent)
    : QListView(parent)
{ }

HintListView::~HintListView() = default;

void HintListView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void HintListView::paintEvent(QPaintEvent *event)
{
    QListView::paintEvent(event);
    paintEmptyHint(this, m_emptyText);
}

} // namespace Gui

#include "queuepane.h"

#include "calldelegate.h"
#include "graph/ids.h"
#include "hintview.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace Gui {

using Models::CallsModel;

namespace {

//! The queue's table: it says so when it is empty, and it drops the selection, rather than
//! moving it, when the selected row goes.
class QueueView final : public QTableView
{
public:
    explicit QueueView(QWidget *parent)
        : QTableView(parent)
    { }

    void setEmptyText(const QString &text)
    {
        m_emptyText = text;
        viewport()->update();
    }

protected:
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override
    {
        // QAbstractItemView would select the next row in single selection mode; a second
        // press of Hang up would then end a call nobody chose.
        const QModelIndex current = currentIndex();
        if (current.isValid() && current.row() >= start && current.row() <= end) {
            selectionModel()->clearSelection();
            selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
        }
        QTableView::rowsAboutToBeRemoved(parent, start, end);
    }

    void paintEvent(QPaintEvent *event) override
    {
        QTableView::paintEvent(event);
        paintEmptyHint(this, m_emptyText);
    }

private:
    QString m_emptyText;
};

} // namespace

QueuePane::QueuePane(Models::CallFilterProxy *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_filter(new QLineEdit(this))
    , m_showEnded(new QCheckBox(tr("Show &ended"), this))
    , m_view(new QueueView(this))
    , m_delegate(new CallDelegate(this))
{
    Q_ASSERT(m_queue);
    setAccessibleName(tr("Call queue"));

    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    m_filter->setPlaceholderText(tr("Filter calls…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter calls"));
    m_filter->setToolTip(tr("Name, number, state or operator. Escape clears the filter."));
    m_filter->installEventFilter(this);
    m_showEnded->setAccessibleName(tr("Show ended calls"));
    m_showEnded->setChecked(m_queue->showEnded());

    auto *top = new QHBoxLayout;
    top->addWidget(filterLabel);
    top->addWidget(m_filter, 1);
    top->addWidget(m_showEnded);

    m_view->setObjectName(u"queueView"_s);
    m_view->setAccessibleName(tr("Calls"));
    m_view->setModel(m_queue);
    m_view->setItemDelegate(m_delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    const QFontMetrics metrics(font());
    m_view->verticalHeader()->setDefaultSectionSize(metrics.height() + 14);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);

    // Widths for the longest usual texts, so that nothing an operator needs is cut off; the
    // caller takes what is left.
    QHeaderView *header = m_view->horizontalHeader();
    header->setObjectName(u"queueHeader"_s);
    header->setHighlightSections(false);
    header->setSectionsMovable(true);
    header->setMinimumSectionSize(metrics.horizontalAdvance(u"0000"_s));
    header->setStretchLastSection(false);
    header->setSectionResizeMode(CallsModel::CallerColumn, QHeaderView::Stretch);
    const int pad = 24;
    header->resizeSection(CallsModel::StateColumn,
        metrics.height() + metrics.horizontalAdvance(tr("Transfer accepted")) + pad);
    header->resizeSection(
        CallsModel::WaitColumn, metrics.horizontalAdvance(u"0000000000 88 s · 88 s left"_s) + pad);
    header->resizeSection(
        CallsModel::FreshnessColumn, metrics.horizontalAdvance(u"last event 59 s ago"_s) + pad);
    header->resizeSection(
        CallsModel::HandledByColumn, metrics.horizontalAdvance(u"Handled by"_s) + pad);
    header->resizeSection(
        CallsModel::DirectionColumn, metrics.horizontalAdvance(u"Direction"_s) + pad);
    // Every call reaching the bot is incoming but the consultations it places, so the
    // direction is hidden until someone asks for it from the header's menu.
    header->hideSection(CallsModel::DirectionColumn);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this, header](QPoint at) {
        QMenu menu(this);
        for (int column = 0; column < CallsModel::ColumnCount; ++column) {
            const QString title = m_queue->headerData(column, Qt::Horizontal).toString();
            QAction *toggle = menu.addAction(title);
            toggle->setCheckable(true);
            toggle->setChecked(!header->isSectionHidden(column));
            // The caller is what identifies a row: it always stays.
            toggle->setEnabled(column != CallsModel::CallerColumn);
            connect(toggle, &QAction::toggled, header,
                [header, column](bool shown) { header->setSectionHidden(column, !shown); });
        }
        menu.exec(header->mapToGlobal(at));
    });
    // The proxy's queue order belongs to the Wait column in ascending order.
    header->setSortIndicator(CallsModel::WaitColumn, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    setTabOrder(m_filter, m_showEnded);
    setTabOrder(m_showEnded, m_view);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_queue->setText(text);
        updateEmptyText();
    });
    connect(m_showEnded, &QCheckBox::toggled, this, [this](bool show) {
        m_queue->setShowEnded(show);
        updateEmptyText();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &QueuePane::onSelectionChanged);
    connect(m_queue, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const QModelIndex selected = selectedIndex();
            if (selected.isValid() && selected.row() >= topLeft.row()
                && selected.row() <= bottomRight.row())
                Q_EMIT selectedCallUpdated();
        });
    connect(m_queue, &QAbstractItemModel::rowsInserted, this, &QueuePane::selectTopRingingIfIdle);
    // A snapshot after reconnecting resets the queue; the operator's selection survives it.
    connect(m_queue, &QAbstractItemModel::modelAboutToBeReset, this,
        [this] { m_restoreId = m_selectedId; });
    connect(m_queue, &QAbstractItemModel::modelReset, this, [this] {
        const QString id = std::exchange(m_restoreId, QString());
        if (id.isEmpty() || rowOf(id) < 0)
            selectTopRingingIfIdle();
        else
            selectCall(id);
    });
    // The queue re-sorted: keep the selected row in sight. Once the view has laid itself out
    // (its own zero timer, started first): scrollTo() before that lays the whole view out at
    // once, and a stream re-sorts the queue many times between two paints.
    m_keepInSight.setSingleShot(true);
    m_keepInSight.setInterval(0);
    connect(&m_keepInSight, &QTimer::timeout, this, [this] {
        if (const QModelIndex selected = selectedIndex(); selected.isValid())
            m_view->scrollTo(selected);
    });
    connect(m_queue, &QAbstractItemModel::layoutChanged, this, [this] {
        if (!m_keepInSight.isActive())
            m_keepInSight.start();
    });
    updateEmptyText();
    selectTopRingingIfIdle();
}

QueuePane::~QueuePane() = default;

QTableView *QueuePane::view() const
{
    return m_view;
}

QString QueuePane::selectedCallId() const
{
    return m_selectedId;
}

QModelIndex QueuePane::selectedIndex() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QModelIndex() : rows.constFirst();
}

bool QueuePane::selectCall(const QString &callId)
{
    if (rowOf(callId) < 0 && !m_filter->text().isEmpty())
        m_filter->clear();
    if (rowOf(callId) < 0 && !m_showEnded->isChecked())
        m_showEnded->setChecked(true);
    const int row = rowOf(callId);
    if (row < 0)
        return false;
    const QModelIndex index = m_queue->index(row, CallsModel::CallerColumn);
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void QueuePane::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void QueuePane::focusQueue()
{
    m_view->setFocus(Qt::ShortcutFocusReason);
}

bool QueuePane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_filter || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    switch (key->key()) {
    case Qt::Key_Escape:
        m_filter->clear();
        focusQueue();
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        focusQueue();
        return true;
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
        // The filter box has no use for these; the queue has.
        QCoreApplication::sendEvent(m_view, event);
        return true;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void QueuePane::onSelectionChanged()
{
    const QModelIndex index = selectedIndex();
    const QString id = index.isValid() ? index.data(CallsModel::IdRole).toString() : QString();
    if (id == m_selectedId)
        return;
    m_selectedId = id;
    Q_EMIT selectedCallChanged(id);
}

void QueuePane::selectTopRingingIfIdle()
{
    if (selectedIndex().isValid() || m_queue->rowCount() == 0)
        return;
    const QModelIndex top = m_queue->index(0, CallsModel::CallerColumn);
    if (!top.data(CallsModel::IsIncomingRole).toBool())
        return;
    m_view->selectionModel()->setCurrentIndex(
        top, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void QueuePane::updateEmptyText()
{
    auto *view = static_cast<QueueView *>(m_view);
    if (!m_filter->text().trimmed().isEmpty())
        view->setEmptyText(
            tr("No call matches “%1”. Escape clears the filter.").arg(m_filter->text().trimmed()));
    else if (m_showEnded->isChecked())
        view->setEmptyText(tr("No calls."));
    else
        view->setEmptyText(tr("No calls waiting. A ringing call appears here with its "
                              "15-second countdown."));
}

int QueuePane::rowOf(const QString &callId) const
{
    for (int row = 0; row < m_queue->rowCount(); ++row) {
        const QString id = m_queue->index(row, 0).data(CallsModel::IdRole).toString();
        if (Graph::sameId(id, callId))
            return row;
    }
    return -1;
}

} // namespace Gui

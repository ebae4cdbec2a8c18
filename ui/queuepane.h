#pragma once

#include <QModelIndex>
#include <QString>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLineEdit;
class QTableView;

namespace Models {
class CallFilterProxy;
}

namespace Gui {

class CallDelegate;

//! The call queue: a filter box, "Show ended", and the table of calls in the proxy's queue
//! order. Up/Down move through the queue even from the filter box; Escape there clears the
//! filter and returns to the queue.
//!
//! When the selected call leaves the queue (it ended and ended calls are hidden, or the filter
//! hides it), nothing is selected: the selection never jumps to a neighbour, so a key pressed
//! twice never acts on a second call. When nothing is selected and a ringing call is at the top
//! of the queue, it is selected, so that one key answers the longest-waiting call.
class QueuePane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueuePane)

public:
    explicit QueuePane(Models::CallFilterProxy *queue, QWidget *parent = nullptr);
    ~QueuePane() override;

    QTableView *view() const;
    QLineEdit *filterEdit() const { return m_filter; }
    QCheckBox *showEndedBox() const { return m_showEnded; }

    QString selectedCallId() const;
    QModelIndex selectedIndex() const; //!< the proxy's index of the selected row, column 0
    //! Selects the call, clearing the filter if it hides it; false when the call is unknown.
    bool selectCall(const QString &callId);
    void focusFilter();
    void focusQueue();

Q_SIGNALS:
    void selectedCallChanged(const QString &callId);
    //! The selected call's row changed (state, claim, time).
    void selectedCallUpdated();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onSelectionChanged();
    void selectTopRingingIfIdle();
    void updateEmptyText();
    int rowOf(const QString &callId) const;

    Models::CallFilterProxy *m_queue;
    QLineEdit *m_filter;
    QCheckBox *m_showEnded;
    QTableView *m_view;
    CallDelegate *m_delegate;
    QString m_selectedId;
    QString m_restoreId; // the selection to bring back after a reset
    QTimer m_keepInSight; // scrolls to the selected row after a re-sort
};

} // namespace Gui

#pragma once

#include <QListView>
#include <QString>
#include <QTableView>

namespace Gui {

//! Paints `text` in an item view's empty viewport, so that an empty pane says why it is empty
//! instead of showing a blank area.
void paintEmptyHint(QAbstractItemView *view, const QString &text);

//! A table that says why it is empty.
class HintTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HintTableView)

public:
    explicit HintTableView(QWidget *parent = nullptr);
    ~HintTableView() override;
    void setEmptyText(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_emptyText;
};

//! A list that says why it is empty.
class HintListView final : public QListView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HintListView)

public:
    explicit HintListView(QWidget *parent = nullptr);
    ~HintListView() override;
    void setEmptyText(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_emptyText;
};

} // namespace Gui

#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QTableWidget;

namespace Gui {

//! Help → Keyboard shortcuts: a table built from the actions themselves (name, shortcut, what
//! it does), so that it never drifts from what the keys do.
class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);
    ~ShortcutsDialog() override;

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace Gui

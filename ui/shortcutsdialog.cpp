#include "shortcutsdialog.h"

#include "consoleactions.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Keyboard shortcuts"));
    setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setAccessibleName(tr("Shortcuts"));
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({ tr("Action"), tr("Shortcut"), tr("What it does") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    for (const QAction *action : actions) {
        if (action->shortcut().isEmpty())
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QString name = action->text();
        name.remove(u'&');
        const QString description = action->statusTip().isEmpty()
            ? ConsoleActions::accessibleName(action)
            : action->statusTip();
        m_table->setItem(row, 0, new QTableWidgetItem(action->icon(), name));
        m_table->setItem(
            row, 1, new QTableWidgetItem(action->shortcut().toString(QKeySequence::NativeText)));
        m_table->setItem(row, 2, new QTableWidgetItem(description));
    }
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(tr("Move in the queue")));
    //: The arrow keys
    m_table->setItem(row, 1, new QTableWidgetItem(tr("Up, Down")));
    m_table->setItem(row, 2,
        new QTableWidgetItem(tr("Select the previous or next call, also from the filter box")));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(760, 520);
}

ShortcutsDialog::~ShortcutsDialog() = default;

} // namespace Gui

#include "eventlog.h"

#include <QScrollBar>

using namespace Qt::StringLiterals;

namespace Gui {

EventLog::EventLog(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName(u"eventLog"_s);
    setAccessibleName(tr("Event log"));
    setUniformItemSizes(true);
    setWordWrap(false);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
}

EventLog::~EventLog() = default;

void EventLog::append(const QString &line, const QDateTime &at)
{
    const QDateTime when = at.isValid() ? at.toLocalTime() : QDateTime::currentDateTime();
    // Follow the newest line, unless the operator scrolled up to read.
    const bool atBottom = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
    addItem(u"%1  %2"_s.arg(when.toString(u"HH:mm:ss"_s), line));
    while (count() > MaxLines)
        delete takeItem(0);
    if (atBottom)
        scrollToBottom();
}

QStringList EventLog::lines() const
{
    QStringList out;
    for (int i = 0; i < count(); ++i)
        out.append(item(i)->text());
    return out;
}

} // namespace Gui

#include "paintpacer.h"

#include <QCoreApplication>
#include <QEvent>
#include <QWidget>

namespace Gui {

PaintPacer::PaintPacer(QWidget *window, std::chrono::milliseconds interval)
    : QObject(window)
    , m_window(window->window())
    , m_interval(interval)
{
    m_held.setSingleShot(true);
    connect(&m_held, &QTimer::timeout, this, &PaintPacer::release);
    m_window->installEventFilter(this);
}

void PaintPacer::setInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    if (!m_held.isActive())
        return;
    const qint64 left =
        m_sincePaint.isValid() ? m_interval.count() - m_sincePaint.elapsed() : qint64(0);
    if (left <= 0)
        release();
    else
        m_held.start(std::chrono::milliseconds(left));
}

void PaintPacer::flush()
{
    if (m_held.isActive())
        release();
}

void PaintPacer::release()
{
    m_held.stop();
    m_sincePaint.invalidate();
    // The repaint manager sends no new request while it believes one is on its way, so the
    // held one must be sent again for the window to paint at all.
    QCoreApplication::postEvent(m_window, new QEvent(QEvent::UpdateRequest), Qt::LowEventPriority);
}

bool PaintPacer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::UpdateRequest)
        return false;
    if (m_held.isActive())
        return true; // one is held already, and it will be sent
    if (m_interval.count() > 0 && m_sincePaint.isValid()
        && m_sincePaint.elapsed() < m_interval.count()) {
        m_held.start(std::chrono::milliseconds(m_interval.count() - m_sincePaint.elapsed()));
        return true;
    }
    m_sincePaint.start();
    return false;
}

} // namespace Gui

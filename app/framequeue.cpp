#include "framequeue.h"

#include <QElapsedTimer>

namespace App {

FrameQueue::FrameQueue(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    QElapsedTimer clock;
    clock.start();
    m_elapsed = [clock] { return clock.nsecsElapsed(); };
    m_pass.setSingleShot(true);
    m_pass.setInterval(0);
    connect(&m_pass, &QTimer::timeout, this, &FrameQueue::drain);
}

void FrameQueue::setElapsedSource(Elapsed elapsed)
{
    m_elapsed = std::move(elapsed);
}

void FrameQueue::push(QByteArray frame)
{
    m_frames.push_back(std::move(frame));
    if (!m_pass.isActive())
        m_pass.start();
}

void FrameQueue::clear()
{
    m_frames.clear();
    m_pass.stop();
}

int FrameQueue::drain()
{
    const qint64 start = m_elapsed();
    int handed = 0;
    while (!m_frames.empty()) {
        QByteArray frame = std::move(m_frames.front());
        m_frames.pop_front();
        ++handed;
        // The handler may clear the queue (a gap gives the connection up) or push to it.
        m_handler(std::move(frame));
        if (m_elapsed() - start >= qint64(m_budget.count()))
            break;
    }
    if (!m_frames.empty() && !m_pass.isActive())
        m_pass.start();
    return handed;
}

} // namespace App

#include "clock.h"

#include <QTimer>

namespace Graph {

QDateTime SystemClock::now() const
{
    return QDateTime::currentDateTimeUtc();
}

void SystemClock::schedule(
    std::chrono::milliseconds delay, QObject *context, std::function<void()> fn)
{
    QTimer::singleShot(delay, context, std::move(fn));
}

ManualClock::ManualClock(QDateTime start)
    : m_now(std::move(start))
{ }

void ManualClock::schedule(
    std::chrono::milliseconds delay, QObject *context, std::function<void()> fn)
{
    m_delays.append(delay);
    m_queue.emplace(
        m_now.addMSecs(delay.count()), Item { context, context != nullptr, std::move(fn) });
}

void ManualClock::advance(std::chrono::milliseconds by)
{
    const QDateTime target = m_now.addMSecs(by.count());
    while (!m_queue.empty() && m_queue.begin()->first <= target) {
        auto node = m_queue.extract(m_queue.begin());
        m_now = node.key();
        Item &item = node.mapped();
        // Work whose context died is dropped, as QTimer::singleShot drops it.
        if (!item.hasContext || item.context)
            item.fn();
    }
    m_now = target;
}

void ManualClock::runAll()
{
    while (!m_queue.empty()) {
        auto node = m_queue.extract(m_queue.begin());
        m_now = std::max(m_now, node.key());
        Item &item = node.mapped();
        if (!item.hasContext || item.context)
            item.fn();
    }
}

} // namespace Graph

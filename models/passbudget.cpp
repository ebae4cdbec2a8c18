#include "passbudget.h"

#include <QElapsedTimer>

namespace Models {

PassBudget::PassBudget(std::chrono::nanoseconds budget)
    : m_budget(budget)
{
    QElapsedTimer clock;
    clock.start();
    m_elapsed = [clock] { return clock.nsecsElapsed(); };
}

void PassBudget::setElapsedSource(Elapsed elapsed)
{
    m_elapsed = std::move(elapsed);
    m_lastEnd.reset();
}

qint64 PassBudget::begin()
{
    const qint64 now = m_elapsed();
    if (!m_lastEnd || now - *m_lastEnd > std::chrono::nanoseconds(Adjacent).count())
        m_stretchStart = now;
    return m_stretchStart + qint64(m_budget.count());
}

void PassBudget::end()
{
    m_lastEnd = m_elapsed();
}

} // namespace Models

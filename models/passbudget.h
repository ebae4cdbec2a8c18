#pragma once

#include <QtGlobal>

#include <chrono>
#include <functional>
#include <optional>

namespace Models {

//! The time that the work the console spreads over passes of the event loop may take at a
//! stretch: applying the relay's frames (App::FrameQueue) and dropping expired calls
//! (CallStore::tick). Each kind of work runs its passes from a zero-interval timer, and Qt runs
//! every timer that is due in one go, so passes of two kinds that fall due together run back to
//! back before the window paints or input is read. Sharing one PassBudget makes such passes
//! share the budget: a pass that begins within Adjacent of another's end continues that
//! stretch and gets what is left of it; one that begins later starts a stretch of its own.
class PassBudget final
{
public:
    //! A paint of the busy window takes about 7 ms: a stretch and a paint fit in one 60 Hz
    //! frame (16 ms), with room for one item of work that runs past the budget (a big roster
    //! takes 2-3 ms). docs/performance.md has the measurements.
    static constexpr std::chrono::milliseconds DefaultBudget { 3 };
    static constexpr std::chrono::microseconds Adjacent { 300 };
    //! A monotonic time in nanoseconds; QElapsedTimer's unless a test sets its own.
    using Elapsed = std::function<qint64()>;

    explicit PassBudget(std::chrono::nanoseconds budget = DefaultBudget);

    void setBudget(std::chrono::nanoseconds budget) { m_budget = budget; }
    std::chrono::nanoseconds budget() const { return m_budget; }
    void setElapsedSource(Elapsed elapsed);

    //! A pass begins. Returns the time (on the elapsed source) by which it should end.
    qint64 begin();
    //! Whether a pass that was to end by `deadline` should end now.
    bool isSpent(qint64 deadline) const { return m_elapsed() >= deadline; }
    //! The pass ends.
    void end();

private:
    Elapsed m_elapsed;
    std::chrono::nanoseconds m_budget;
    qint64 m_stretchStart = 0;
    std::optional<qint64> m_lastEnd; // when the last pass ended, if one has
};

} // namespace Models

#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

namespace App {

//! The relay's frames on their way to the models, as UTF-8 (half the memory of the QString a
//! socket hands over, which matters when many wait): handed on in order, in passes of the event
//! loop that each stop once `budget` is spent, the rest waiting for the next pass. A socket read
//! brings every frame that has arrived, and a console that fell behind (a busy moment, a
//! replay after a resume) would otherwise apply all of them before it paints or runs a timer
//! again. A frame is never split: one that alone takes longer than the budget still runs whole.
class FrameQueue final : public QObject
{
    Q_OBJECT

public:
    //! Gets each frame to keep: the queue holds no other reference to it.
    using Handler = std::function<void(QByteArray frame)>;
    //! A monotonic time in nanoseconds; QElapsedTimer's unless a test sets its own.
    using Elapsed = std::function<qint64()>;

    //! With a paint of the busy window at about 5 ms, a pass and a paint fit in one 60 Hz frame.
    static constexpr std::chrono::milliseconds DefaultBudget { 5 };

    explicit FrameQueue(Handler handler, QObject *parent = nullptr);

    void setBudget(std::chrono::nanoseconds budget) { m_budget = budget; }
    std::chrono::nanoseconds budget() const { return m_budget; }
    void setElapsedSource(Elapsed elapsed);

    //! Queues a frame; a pass of the event loop hands it on.
    void push(QByteArray frame);
    //! Forgets the frames still waiting (the connection they came on was given up).
    void clear();
    qsizetype size() const { return qsizetype(m_frames.size()); }
    bool isEmpty() const { return m_frames.empty(); }

    //! One pass: hands on frames until the budget is spent or none is left, and schedules the
    //! next pass if some wait. Returns how many it handed on. The event loop calls it; it is
    //! public for tests.
    int drain();

private:
    Handler m_handler;
    Elapsed m_elapsed;
    std::chrono::nanoseconds m_budget = DefaultBudget;
    std::deque<QByteArray> m_frames;
    QTimer m_pass;
};

} // namespace App

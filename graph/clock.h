#pragma once

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <map>

namespace Graph {

//! Time and timers, injected wherever behaviour depends on time (retries, token expiry,
//! deadlines), so that tests control them instead of waiting.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
    //! Runs `fn` after `delay`, unless `context` is destroyed first.
    virtual void schedule(
        std::chrono::milliseconds delay, QObject *context, std::function<void()> fn) = 0;
};

//! The real clock: QDateTime::currentDateTimeUtc() and QTimer.
class SystemClock final : public Clock
{
public:
    QDateTime now() const override;
    void schedule(
        std::chrono::milliseconds delay, QObject *context, std::function<void()> fn) override;
};

//! A clock that moves only when told to. Scheduled work runs from advance(), in time order.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC));
    QDateTime now() const override { return m_now; }
    void schedule(
        std::chrono::milliseconds delay, QObject *context, std::function<void()> fn) override;
    //! Moves time forward by `by`, running what falls due on the way.
    void advance(std::chrono::milliseconds by);
    //! Runs everything scheduled, moving time to each item's due time.
    void runAll();
    int pending() const { return int(m_queue.size()); }
    //! The delays passed to schedule(), in call order.
    const QList<std::chrono::milliseconds> &scheduledDelays() const { return m_delays; }

private:
    struct Item
    {
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void()> fn;
    };
    QDateTime m_now;
    std::multimap<QDateTime, Item> m_queue;
    QList<std::chrono::milliseconds> m_delays;
};

} // namespace Graph

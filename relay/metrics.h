#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <array>
#include <chrono>

namespace Relay {

//! The relay's counters, written as Prometheus text (relay-contract.md "/metrics").
class Metrics final
{
public:
    void countCallback(const QString &result); //!< "accepted", "unauthorized", "too_large", ...
    void countEvents(int n);
    void setConsoles(int n);
    void countGraphRequest(int status);
    void observeCallbackToBroadcast(std::chrono::microseconds latency);

    qint64 callbacks(const QString &result) const { return m_callbacks.value(result); }
    qint64 events() const { return m_events; }
    int consoles() const { return m_consoles; }
    qint64 graphRequests(int status) const { return m_graphRequests.value(status); }
    qint64 callbackToBroadcastCount() const { return m_latencyCount; }
    //! The text format, version 0.0.4.
    QByteArray prometheusText() const;

    //! Histogram buckets in seconds (upper bounds; +Inf is implied).
    static constexpr std::array<double, 12> Buckets { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1.0, 2.5 };

private:
    QMap<QString, qint64> m_callbacks;
    QMap<int, qint64> m_graphRequests;
    qint64 m_events = 0;
    int m_consoles = 0;
    std::array<qint64, Buckets.size()> m_bucketCounts {};
    qint64 m_latencyCount = 0;
    double m_latencySum = 0; // seconds: m_latencySumMicros / 1e6
    qint64 m_latencySumMicros = 0; // summed exactly, so that the text shows the exact sum
};

} // namespace Relay

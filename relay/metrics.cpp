#include "metrics.h"

#include <algorithm>
#include <charconv>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

// The shortest decimal that reads back as the same double, without an exponent ("0.0005", "1",
// "2.5"), as the le labels of Prometheus' own clients look.
QByteArray formatDouble(double value)
{
    char buffer[400];
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    if (ec != std::errc())
        return QByteArray::number(value, 'g', 17);
    return QByteArray(buffer, end - buffer);
}

// Label values escape backslash, double quote and line feed (text format 0.0.4).
QByteArray escapeLabel(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void writeHeader(QByteArray &out, const char *name, const char *help, const char *type)
{
    out += "# HELP "_ba + name + ' ' + help + '\n';
    out += "# TYPE "_ba + name + ' ' + type + '\n';
}

} // namespace

void Metrics::countCallback(const QString &result)
{
    ++m_callbacks[result];
}

void Metrics::countEvents(int n)
{
    if (n > 0)
        m_events += n;
}

void Metrics::setConsoles(int n)
{
    m_consoles = n;
}

void Metrics::countGraphRequest(int status)
{
    ++m_graphRequests[status];
}

void Metrics::observeCallbackToBroadcast(std::chrono::microseconds latency)
{
    const qint64 micros = std::max<qint64>(0, latency.count());
    const double seconds = double(micros) / 1e6;
    for (std::size_t i = 0; i < Buckets.size(); ++i) {
        if (seconds <= Buckets[i])
            ++m_bucketCounts[i]; // cumulative: every bucket whose bound holds the value
    }
    ++m_latencyCount;
    m_latencySumMicros += micros;
    m_latencySum = double(m_latencySumMicros) / 1e6;
}

QByteArray Metrics::prometheusText() const
{
    QByteArray out;
    writeHeader(
        out, "frontdesk_callbacks_total", "Callback requests from Graph, by result.", "counter");
    for (auto it = m_callbacks.cbegin(); it != m_callbacks.cend(); ++it) {
        out += "frontdesk_callbacks_total{result=\""_ba + escapeLabel(it.key()) + "\"} "
            + QByteArray::number(it.value()) + '\n';
    }

    writeHeader(out, "frontdesk_events_total", "Events written to the journal.", "counter");
    out += "frontdesk_events_total "_ba + QByteArray::number(m_events) + '\n';

    writeHeader(out, "frontdesk_consoles", "Consoles connected to the event stream.", "gauge");
    out += "frontdesk_consoles "_ba + QByteArray::number(m_consoles) + '\n';

    writeHeader(out, "frontdesk_graph_requests_total", "Requests to Microsoft Graph, by status.",
        "counter");
    for (auto it = m_graphRequests.cbegin(); it != m_graphRequests.cend(); ++it) {
        out += "frontdesk_graph_requests_total{status=\""_ba + QByteArray::number(it.key()) + "\"} "
            + QByteArray::number(it.value()) + '\n';
    }

    constexpr char Histogram[] = "frontdesk_callback_to_broadcast_seconds";
    writeHeader(out, Histogram,
        "Time from a callback's arrival to the broadcast of its events to consoles.", "histogram");
    for (std::size_t i = 0; i < Buckets.size(); ++i) {
        out += Histogram + "_bucket{le=\""_ba + formatDouble(Buckets[i]) + "\"} "
            + QByteArray::number(m_bucketCounts[i]) + '\n';
    }
    out += Histogram + "_bucket{le=\"+Inf\"} "_ba + QByteArray::number(m_latencyCount) + '\n';
    out += Histogram + "_sum "_ba + formatDouble(m_latencySum) + '\n';
    out += Histogram + "_count "_ba + QByteArray::number(m_latencyCount) + '\n';
    return out;
}

} // namespace Relay

#include "relay/metrics.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Relay::Metrics;

namespace {

// The histogram's lines for these bucket counts (cumulative), sum and count.
QByteArray histogram(const QList<int> &cumulative, const QByteArray &sum, int count)
{
    static const QList<QByteArray> bounds { "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
        "0.05", "0.1", "0.25", "0.5", "1", "2.5" };
    QByteArray out = "# HELP frontdesk_callback_to_broadcast_seconds Time from a callback's "
                     "arrival to the broadcast of its events to consoles.\n"
                     "# TYPE frontdesk_callback_to_broadcast_seconds histogram\n";
    for (int i = 0; i < bounds.size(); ++i) {
        out += "frontdesk_callback_to_broadcast_seconds_bucket{le=\"" + bounds.at(i) + "\"} "
            + QByteArray::number(cumulative.at(i)) + '\n';
    }
    out += "frontdesk_callback_to_broadcast_seconds_bucket{le=\"+Inf\"} "
        + QByteArray::number(count) + '\n';
    out += "frontdesk_callback_to_broadcast_seconds_sum " + sum + '\n';
    out += "frontdesk_callback_to_broadcast_seconds_count " + QByteArray::number(count) + '\n';
    return out;
}

const QByteArray CallbacksHeader = "# HELP frontdesk_callbacks_total Callback requests from Graph, "
                                   "by result.\n# TYPE frontdesk_callbacks_total counter\n";
const QByteArray EventsHeader = "# HELP frontdesk_events_total Events written to the journal.\n"
                                "# TYPE frontdesk_events_total counter\n";
const QByteArray ConsolesHeader = "# HELP frontdesk_consoles Consoles connected to the event "
                                  "stream.\n# TYPE frontdesk_consoles gauge\n";
const QByteArray GraphHeader = "# HELP frontdesk_graph_requests_total Requests to Microsoft "
                               "Graph, by status.\n# TYPE frontdesk_graph_requests_total counter\n";

} // namespace

class TstMetrics final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshMetricsGiveZeroesWithHelpAndType();
    void knownObservationsGiveExactText();
    void bucketsAreCumulativeWithInfEqualToCount();
    void observationOnABoundCountsInThatBucket();
    void negativeLatencyCountsAsZero();
    void labelValuesAreEscaped();
    void accessorsReportTheCounts();
};

void TstMetrics::freshMetricsGiveZeroesWithHelpAndType()
{
    const Metrics metrics;
    const QByteArray expected = CallbacksHeader + EventsHeader + "frontdesk_events_total 0\n"
        + ConsolesHeader + "frontdesk_consoles 0\n" + GraphHeader
        + histogram({ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "0", 0);
    QCOMPARE(metrics.prometheusText(), expected);
}

void TstMetrics::knownObservationsGiveExactText()
{
    Metrics metrics;
    metrics.countCallback(u"accepted"_s);
    metrics.countCallback(u"unauthorized"_s);
    metrics.countCallback(u"accepted"_s);
    metrics.countEvents(3);
    metrics.countEvents(2);
    metrics.setConsoles(4);
    metrics.setConsoles(3);
    metrics.countGraphRequest(200);
    metrics.countGraphRequest(429);
    metrics.countGraphRequest(200);
    metrics.observeCallbackToBroadcast(400us);
    metrics.observeCallbackToBroadcast(3ms);
    metrics.observeCallbackToBroadcast(40ms);
    metrics.observeCallbackToBroadcast(2s);
    metrics.observeCallbackToBroadcast(5s);

    const QByteArray expected = CallbacksHeader
        + "frontdesk_callbacks_total{result=\"accepted\"} 2\n"
          "frontdesk_callbacks_total{result=\"unauthorized\"} 1\n"
        + EventsHeader + "frontdesk_events_total 5\n" + ConsolesHeader + "frontdesk_consoles 3\n"
        + GraphHeader
        + "frontdesk_graph_requests_total{status=\"200\"} 2\n"
          "frontdesk_graph_requests_total{status=\"429\"} 1\n"
        // 400us | 3ms | 40ms | 2s | 5s (only in +Inf)
        + histogram({ 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4 }, "7.0434", 5);
    QCOMPARE(metrics.prometheusText(), expected);
}

void TstMetrics::bucketsAreCumulativeWithInfEqualToCount()
{
    Metrics metrics;
    const QList<std::chrono::microseconds> latencies { 1us, 700us, 700us, 9ms, 30ms, 30ms, 30ms,
        400ms, 900ms, 3s };
    for (const auto latency : latencies)
        metrics.observeCallbackToBroadcast(latency);

    qint64 previous = 0;
    qint64 inf = -1;
    qint64 count = -1;
    const QList<QByteArray> lines = metrics.prometheusText().split('\n');
    int buckets = 0;
    for (const QByteArray &line : lines) {
        if (line.startsWith("frontdesk_callback_to_broadcast_seconds_bucket{le=\"+Inf\"} ")) {
            inf = line.mid(line.lastIndexOf(' ') + 1).toLongLong();
        } else if (line.startsWith("frontdesk_callback_to_broadcast_seconds_bucket")) {
            const qint64 n = line.mid(line.lastIndexOf(' ') + 1).toLongLong();
            QVERIFY2(n >= previous, line.constData());
            previous = n;
            ++buckets;
        } else if (line.startsWith("frontdesk_callback_to_broadcast_seconds_count ")) {
            count = line.mid(line.lastIndexOf(' ') + 1).toLongLong();
        }
    }
    QCOMPARE(buckets, int(Metrics::Buckets.size()));
    QCOMPARE(previous, qint64(9)); // everything but 3 s is within 2.5 s
    QCOMPARE(inf, qint64(latencies.size()));
    QCOMPARE(count, qint64(latencies.size()));
    QVERIFY(metrics.prometheusText().contains(
        "frontdesk_callback_to_broadcast_seconds_sum 4.400401\n"));
}

void TstMetrics::observationOnABoundCountsInThatBucket()
{
    Metrics metrics;
    metrics.observeCallbackToBroadcast(500us); // le="0.0005" holds 0.0005 itself
    metrics.observeCallbackToBroadcast(1s);
    QVERIFY(metrics.prometheusText().endsWith(
        histogram({ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2 }, "1.0005", 2)));
}

void TstMetrics::negativeLatencyCountsAsZero()
{
    Metrics metrics;
    metrics.observeCallbackToBroadcast(-5ms);
    QVERIFY(metrics.prometheusText().endsWith(
        histogram({ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "0", 1)));
}

void TstMetrics::labelValuesAreEscaped()
{
    Metrics metrics;
    metrics.countCallback(u"a\"b\\c\nd"_s);
    QVERIFY(metrics.prometheusText().contains(
        "frontdesk_callbacks_total{result=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

void TstMetrics::accessorsReportTheCounts()
{
    Metrics metrics;
    metrics.countCallback(u"too_large"_s);
    metrics.countEvents(7);
    metrics.countEvents(0);
    metrics.setConsoles(2);
    metrics.countGraphRequest(503);
    metrics.observeCallbackToBroadcast(1ms);
    QCOMPARE(metrics.callbacks(u"too_large"_s), qint64(1));
    QCOMPARE(metrics.callbacks(u"accepted"_s), qint64(0));
    QCOMPARE(metrics.events(), qint64(7));
    QCOMPARE(metrics.consoles(), 2);
    QCOMPARE(metrics.graphRequests(503), qint64(1));
    QCOMPARE(metrics.callbackToBroadcastCount(), qint64(1));
}

QTEST_GUILESS_MAIN(TstMetrics)
#include "tst_metrics.moc"

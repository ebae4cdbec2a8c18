// bench_console: the console under load (docs/performance.md, "The console"). It applies a
// relay snapshot of 10,000 calls with 100,000 participants to the real models and main window
// (shown on the offscreen platform, a call selected), then plays 1,000 stream events/s into
// them, and reports the snapshot's apply time, the events/s achieved, the event loop's longest
// stall and the peak RSS.
//
// The stream's messages are written ahead of time by a producer thread (ConsoleLoad, playing
// the relay); the main thread does what RelayConnection and ConsoleSession do with a frame:
// parse the JSON text, RelayProtocol::decodeEvent, CallStore::applyEvent. Everything the
// models and the window do in response runs on the main thread, as in the app.

#include "consoleload.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QPixmap>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <malloc.h>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

//! The most events one pass of the delivery timer hands over, so that a console far behind still
//! paints and runs its timers between passes.
constexpr qint64 MaxPerPass = 32;

struct Options
{
    int calls = 10000;
    int participants = 100000;
    int rate = 1000;
    int seconds = 30;
    int tickMs = 1;
    bool setNow = true; // --no-set-now: a diagnostic, to see the cost of the proxy's re-sort
};

//! VmHWM or VmRSS from /proc/self/status, in MiB.
double statusMiB(QLatin1StringView key)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(key.data())) {
            const QByteArray kb = line.mid(key.size() + 1).trimmed().split(' ').value(0);
            return kb.toDouble() / 1024.0;
        }
    }
    return 0;
}

//! Resets VmHWM to the current RSS (Linux 4.0+), so the peak excludes building the fixture.
bool resetPeak()
{
    malloc_trim(0);
    QFile clear(u"/proc/self/clear_refs"_s);
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

double percentile(std::vector<qint64> values, double p)
{
    if (values.empty())
        return 0;
    const auto k = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qsizetype(k), values.end());
    return double(values[k]);
}

//! Stream messages written ahead by the producer thread, at most `limit` waiting.
class Queue final
{
public:
    explicit Queue(size_t limit)
        : m_limit(limit)
    { }

    void push(QString text)
    {
        QMutexLocker lock(&m_mutex);
        while (m_items.size() >= m_limit && !m_stopped)
            m_notFull.wait(&m_mutex);
        m_items.push_back(std::move(text));
    }
    bool pop(QString *text)
    {
        QMutexLocker lock(&m_mutex);
        if (m_items.empty())
            return false;
        *text = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.wakeOne();
        return true;
    }
    void stop()
    {
        QMutexLocker lock(&m_mutex);
        m_stopped = true;
        m_notFull.wakeAll();
    }
    bool stopped()
    {
        QMutexLocker lock(&m_mutex);
        return m_stopped;
    }

private:
    QMutex m_mutex;
    QWaitCondition m_notFull;
    std::deque<QString> m_items;
    size_t m_limit;
    bool m_stopped = false;
};

Options parse(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The console's models and window under load."_s);
    parser.addHelpOption();
    const QCommandLineOption calls(u"calls"_s, u"Calls in the snapshot (10000)."_s, u"n"_s);
    const QCommandLineOption people(
        u"participants"_s, u"Participants in the snapshot (100000)."_s, u"n"_s);
    const QCommandLineOption rate(u"rate"_s, u"Stream events per second (1000)."_s, u"r"_s);
    const QCommandLineOption seconds(u"seconds"_s, u"How long to stream (30)."_s, u"s"_s);
    const QCommandLineOption tick(u"tick"_s, u"Delivery timer in ms: 1 or 10 (1)."_s, u"ms"_s);
    const QCommandLineOption noSetNow(
        u"no-set-now"_s, u"Diagnostic: skip CallsModel::setNow every second (tick still runs)."_s);
    parser.addOptions({ calls, people, rate, seconds, tick, noSetNow });
    parser.process(app);
    Options o;
    const auto number = [&parser](const QCommandLineOption &option, int fallback) {
        return parser.isSet(option) ? std::max(1, parser.value(option).toInt()) : fallback;
    };
    o.calls = number(calls, o.calls);
    o.participants = number(people, o.participants);
    o.rate = number(rate, o.rate);
    o.seconds = number(seconds, o.seconds);
    o.tickMs = number(tick, o.tickMs);
    o.setNow = !parser.isSet(noSetNow);
    return o;
}

void spin(std::chrono::milliseconds time)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < time.count())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Options options = parse(app);

    // ---- the fixture: the relay's snapshot, not timed ----
    QElapsedTimer clock;
    clock.start();
    auto load = std::make_unique<Bench::ConsoleLoad>();
    Graph::RelayProtocol::Snapshot snapshot =
        load->buildSnapshot(QDateTime::currentDateTimeUtc(), options.calls, options.participants);
    const QString selected = load->selectedCall();
    std::printf("fixture: %lld calls, %d participants, seq %lld, built in %.1f s\n",
        qlonglong(snapshot.calls.size()), load->participantsInSnapshot(), snapshot.seq,
        double(clock.elapsed()) / 1000.0);
    const double fixturePeak = statusMiB("VmHWM"_L1);
    malloc_trim(0);
    const double fixtureRss = statusMiB("VmRSS"_L1); // mostly the decoded snapshot

    Models::CallStore store;
    Models::CallsModel calls(&store);
    Models::CallFilterProxy queue;
    queue.setSourceModel(&calls);
    Models::ParticipantsModel participants(&store);
    Models::TimelineModel timeline(&store);
    Gui::MainWindow window({ &store, &calls, &queue, &participants, &timeline });
    QObject::connect(&store, &Models::CallStore::seqChanged, &window, &Gui::MainWindow::setSeq);
    window.resize(1600, 1000);
    window.show();
    spin(300ms);
    const bool peakReset = resetPeak();
    const double rssBefore = statusMiB("VmRSS"_L1);

    // ---- the snapshot: store, models and the window's first paint ----
    calls.setNow(QDateTime::currentDateTimeUtc());
    clock.restart();
    store.applySnapshot(std::move(snapshot));
    const double applyMs = double(clock.nsecsElapsed()) / 1e6;
    window.selectCall(selected);
    QCoreApplication::processEvents();
    const QPixmap shot = window.grab();
    QCoreApplication::processEvents();
    const double snapshotMs = double(clock.nsecsElapsed()) / 1e6;
    const bool selectedShown = window.selectedCallId() == selected && participants.rowCount() > 0;

    // ---- the stream ----
    const qint64 total = qint64(options.rate) * options.seconds;
    Queue pending(size_t(options.rate) * 2);
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addMSecs(50);
    QThread *producer = QThread::create([&pending, &load, t0, total, rate = options.rate] {
        for (qint64 i = 0; i < total && !pending.stopped(); ++i)
            pending.push(load->next(t0.addMSecs(i * 1000 / rate)));
    });
    producer->start();
    spin(50ms);

    std::vector<qint64> applyNs; // decode + apply, per event
    applyNs.reserve(size_t(total));
    std::vector<qint64> gapsUs;
    gapsUs.reserve(size_t(options.seconds) * 1200);
    qint64 delivered = 0;
    qint64 starved = 0; // deliveries that found the producer behind
    QEventLoop loop;
    QElapsedTimer run;
    QElapsedTimer sinceLast;
    QElapsedTimer eventTimer;

    QTimer deliver;
    deliver.setTimerType(Qt::PreciseTimer);
    deliver.setInterval(options.tickMs);
    QObject::connect(&deliver, &QTimer::timeout, &loop, [&] {
        // Every event that is due by now, as a socket read hands the console every frame that
        // has arrived, but at most MaxPerPass: a console that falls far behind takes the
        // backlog over several passes of the event loop, with paints and timers in between.
        const qint64 due = std::min(total, run.elapsed() * options.rate / 1000);
        QString text;
        for (qint64 n = 0; n < MaxPerPass && delivered < due; ++n) {
            if (!pending.pop(&text)) {
                ++starved;
                break;
            }
            eventTimer.start();
            const auto event =
                Graph::RelayProtocol::decodeEvent(QJsonDocument::fromJson(text.toUtf8()).object());
            if (event)
                store.applyEvent(*event);
            applyNs.push_back(eventTimer.nsecsElapsed());
            ++delivered;
        }
        if (delivered == total)
            loop.quit();
    });
    QTimer stall;
    stall.setTimerType(Qt::PreciseTimer);
    stall.setInterval(1);
    QObject::connect(&stall, &QTimer::timeout, &loop, [&] {
        gapsUs.push_back(sinceLast.nsecsElapsed() / 1000);
        sinceLast.restart();
    });
    QTimer second;
    second.setInterval(1000);
    QObject::connect(&second, &QTimer::timeout, &loop, [&] {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        store.tick(now);
        if (options.setNow)
            calls.setNow(now);
    });
    QTimer limit;
    limit.setSingleShot(true);
    limit.setInterval(std::chrono::seconds(options.seconds)); // the stream's length
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);

    run.start();
    sinceLast.start();
    deliver.start();
    stall.start();
    second.start();
    limit.start();
    loop.exec();
    const double runSeconds = double(run.nsecsElapsed()) / 1e9;
    pending.stop();
    producer->wait();
    delete producer;
    const QPixmap last = window.grab();

    // ---- the table ----
    const double peak = statusMiB("VmHWM"_L1);
    const double maxStall =
        gapsUs.empty() ? 0 : double(*std::max_element(gapsUs.begin(), gapsUs.end()));
    const auto &mix = load->mix();
    std::printf("snapshot: %d calls shown; selected call %s, %d participant rows, %d timeline "
                "rows; window painted %dx%d\n",
        calls.rowCount(), selectedShown ? "shown" : "NOT shown", participants.rowCount(),
        timeline.rowCount(), shot.width(), shot.height());
    std::printf("stream: %lld events in %.2f s (new calls %d, state changes %d, rosters %d, "
                "tones %d, relay %d); producer behind %lld times; %lld stall samples\n",
        delivered, runSeconds, mix.newCalls, mix.stateChanges, mix.rosters, mix.tones, mix.relay,
        starved, qlonglong(gapsUs.size()));
    std::printf("\n| measure | value | goal |\n|---|---:|---:|\n");
    std::printf("| snapshot apply (CallStore + models) | %.0f ms | |\n", applyMs);
    std::printf("| snapshot to first paint | %.0f ms | |\n", snapshotMs);
    std::printf("| events/s | %.0f | %d |\n", double(delivered) / runSeconds, options.rate);
    std::printf("| event decode+apply p50 / p99 / max | %.3f / %.3f / %.2f ms | |\n",
        percentile(applyNs, 0.5) / 1e6, percentile(applyNs, 0.99) / 1e6,
        applyNs.empty() ? 0.0 : double(*std::max_element(applyNs.begin(), applyNs.end())) / 1e6);
    std::printf("| longest stall | %.1f ms | < 16 ms |\n", maxStall / 1000.0);
    std::printf("| p99 stall | %.1f ms | |\n", percentile(gapsUs, 0.99) / 1000.0);
    std::printf("| peak RSS (VmHWM%s) | %.0f MiB | < 300 MB |\n",
        peakReset ? ", reset after the fixture" : "", peak);
    std::printf(
        "| RSS: snapshot decoded / window shown / fixture peak | %.0f / %.0f / %.0f MiB | |\n",
        fixtureRss, rssBefore, fixturePeak);
    std::printf("| events waiting at the end | %lld | 0 |\n", total - delivered);
    std::printf("(final window %dx%d, seq %lld)\n", last.width(), last.height(), store.seq());
    return 0;
}

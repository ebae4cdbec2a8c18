// bench_console: the console under load (docs/performance.md, "The console"). It applies a
// relay snapshot of 10,000 calls with 100,000 participants to the real models and main window
// (shown on the offscreen platform, a call selected), then plays 1,000 stream events/s into
// them, and reports the snapshot's apply time, the events/s achieved, the event loop's longest
// stall and the peak RSS.
//
// Two processes. This one builds the relay's snapshot frame (ConsoleLoad, with a relay-side
// StreamState) into a temporary file, then starts itself again with --console for the console,
// so that the console's memory is measured from its start and not next to the fixture's.
// The console process builds ConsoleLoad's calls again (the same seed) without the relay's side,
// shows the window, then does what RelayConnection and ConsoleSession do with the snapshot
// frame: its text to UTF-8, RelayProtocol::decodeSnapshotText (one call at a time, lean),
// CallStore::applySnapshot. The stream's messages are written ahead of time by a producer
// thread (ConsoleLoad, playing the relay); every millisecond the main thread hands those that
// are due to an App::FrameQueue, as a socket read hands RelayConnection every frame that has
// arrived, and the queue applies them as the app does (parse, decodeEvent, applyEvent) in
// passes of at most 5 ms. Everything the models and the window do runs on the main thread.

#include "app/framequeue.h"
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
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <malloc.h>
#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

struct Options
{
    int calls = 10000;
    int participants = 100000;
    int rate = 1000;
    int seconds = 30;
    int tickMs = 1;
    bool setNow = true; // --no-set-now: a diagnostic, to see the cost of the proxy's re-sort
    QString console; // --console FILE: be the console process, with the snapshot frame in FILE
    qint64 now = 0; // --now MS: the time the snapshot was built for (ms since the epoch)
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

//! Bytes malloc has handed out and not had back, in MiB: what the process holds, apart from
//! how fragmented the heap is.
double heapMiB()
{
    const struct mallinfo2 info = mallinfo2();
    return double(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
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
    const QCommandLineOption console(u"console"_s,
        u"Internal: run as the console process, with the snapshot frame in this file."_s,
        u"file"_s);
    const QCommandLineOption now(
        u"now"_s, u"Internal: the snapshot's time, in ms since the epoch."_s, u"ms"_s);
    parser.addOptions({ calls, people, rate, seconds, tick, noSetNow, console, now });
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
    o.console = parser.value(console);
    o.now = parser.value(now).toLongLong();
    return o;
}

void spin(std::chrono::milliseconds time)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < time.count())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

//! The first process: builds the snapshot frame, then runs the console process on it.
int runFixture(const Options &options, const QStringList &arguments)
{
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a temporary folder\n");
        return 1;
    }
    const QString file = dir.filePath(u"snapshot.json"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();
    {
        Bench::ConsoleLoad load;
        const QByteArray frame = load.buildSnapshot(now, options.calls, options.participants);
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(frame) != frame.size()) {
            std::fprintf(stderr, "cannot write the snapshot frame\n");
            return 1;
        }
        std::printf("fixture: snapshot frame of %.1f MiB built in %.1f s (fixture peak RSS %.0f "
                    "MiB, in this process only)\n",
            double(frame.size()) / (1024.0 * 1024.0), double(clock.elapsed()) / 1000.0,
            statusMiB("VmHWM"_L1));
    }
    std::fflush(stdout);
    QStringList childArguments = arguments.mid(1);
    childArguments << u"--console"_s << file << u"--now"_s
                   << QString::number(now.toMSecsSinceEpoch());
    QProcess console;
    console.setProcessChannelMode(QProcess::ForwardedChannels);
    console.start(QCoreApplication::applicationFilePath(), childArguments);
    if (!console.waitForFinished(-1) || console.exitStatus() != QProcess::NormalExit) {
        std::fprintf(stderr, "the console process failed: %s\n", qPrintable(console.errorString()));
        return 1;
    }
    return console.exitCode();
}

//! The console process.
int runConsole(const Options &options)
{
    const double baseHeap = heapMiB();
    auto load = std::make_unique<Bench::ConsoleLoad>();
    load->buildState(
        QDateTime::fromMSecsSinceEpoch(options.now, Qt::UTC), options.calls, options.participants);
    const QString selected = load->selectedCall();
    const double loadHeap =
        heapMiB() - baseHeap; // the stand-in relay's own calls, not the console's

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
    const double rssBefore = statusMiB("VmRSS"_L1);
    const double shownHeap = heapMiB();

    // ---- the snapshot frame: parse, decode, store and models, the window's first paint ----
    qsizetype frameBytes = 0;
    QString text; // as QWebSocket hands over a text message
    {
        QFile in(options.console);
        if (!in.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(options.console));
            return 1;
        }
        const QByteArray bytes = in.readAll();
        frameBytes = bytes.size();
        text = QString::fromUtf8(bytes);
    }
    calls.setNow(QDateTime::currentDateTimeUtc());
    QElapsedTimer clock;
    clock.start();
    // As RelayConnection::handleMessage: the UTF-16 text goes once it is UTF-8, and a big
    // snapshot is read one call at a time.
    QByteArray json = std::exchange(text, QString()).toUtf8();
    std::optional<Graph::RelayProtocol::Snapshot> snapshot;
    if (Graph::RelayProtocol::peekMessageType(json) == Graph::RelayProtocol::MessageType::Snapshot)
        snapshot = Graph::RelayProtocol::decodeSnapshotText(json, Graph::CallBook::Memory::Lean);
    json = QByteArray();
    if (!snapshot) {
        std::fprintf(stderr, "the snapshot frame did not decode\n");
        return 1;
    }
    const double decodeMs = double(clock.nsecsElapsed()) / 1e6;
    const double decodedHeap = heapMiB();
    const qsizetype snapshotCalls = snapshot->calls.size();
    qsizetype snapshotPeople = 0;
    for (const auto &call : std::as_const(snapshot->calls))
        snapshotPeople += call.entry.participants.size();
    clock.restart();
    store.applySnapshot(std::move(*snapshot));
    snapshot.reset();
    const double applyMs = double(clock.nsecsElapsed()) / 1e6;
    window.selectCall(selected);
    QCoreApplication::processEvents();
    const QPixmap shot = window.grab();
    QCoreApplication::processEvents();
    const double paintMs = double(clock.nsecsElapsed()) / 1e6;
    const bool selectedShown = window.selectedCallId() == selected && participants.rowCount() > 0;
    const double snapshotPeak = statusMiB("VmHWM"_L1);
    const double snapshotHeap = heapMiB();

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
    qint64 received = 0; // handed to the frame queue
    qint64 delivered = 0; // applied
    qint64 starved = 0; // deliveries that found the producer behind
    QEventLoop loop;
    QElapsedTimer run;
    QElapsedTimer sinceLast;
    QElapsedTimer eventTimer;

    // What RelayConnection does with each frame, and ConsoleSession with each event.
    App::FrameQueue frames([&](const QByteArray &frame) {
        eventTimer.start();
        const auto event =
            Graph::RelayProtocol::decodeEvent(QJsonDocument::fromJson(frame).object());
        if (event)
            store.applyEvent(*event);
        applyNs.push_back(eventTimer.nsecsElapsed());
        if (++delivered == total)
            loop.quit();
    });
    QTimer deliver;
    deliver.setTimerType(Qt::PreciseTimer);
    deliver.setInterval(options.tickMs);
    QObject::connect(&deliver, &QTimer::timeout, &loop, [&] {
        // Every event that is due by now, as a socket read hands over every frame that has
        // arrived; the frame queue applies them in passes of at most its budget.
        const qint64 due = std::min(total, run.elapsed() * options.rate / 1000);
        QString frame;
        while (received < due) {
            if (!pending.pop(&frame)) {
                ++starved;
                break;
            }
            frames.push(frame.toUtf8()); // as RelayConnection::onTextMessage
            ++received;
        }
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
    std::printf("snapshot: frame of %.1f MiB, %lld calls with %lld participants; %d calls shown; "
                "selected call %s, %d participant rows, %d timeline rows; window painted %dx%d\n",
        double(frameBytes) / (1024.0 * 1024.0), qlonglong(snapshotCalls), qlonglong(snapshotPeople),
        calls.rowCount(), selectedShown ? "shown" : "NOT shown", participants.rowCount(),
        timeline.rowCount(), shot.width(), shot.height());
    std::printf("stream: %lld events in %.2f s (new calls %d, state changes %d, rosters %d, "
                "tones %d, relay %d); producer behind %lld times; %lld stall samples\n",
        delivered, runSeconds, mix.newCalls, mix.stateChanges, mix.rosters, mix.tones, mix.relay,
        starved, qlonglong(gapsUs.size()));
    std::printf("\n| measure | value | goal |\n|---|---:|---:|\n");
    std::printf("| snapshot frame: parse + decode | %.0f ms | |\n", decodeMs);
    std::printf("| snapshot apply (CallStore + models) | %.0f ms | |\n", applyMs);
    std::printf("| snapshot applied to first paint | %.0f ms | |\n", paintMs);
    std::printf("| events/s | %.0f | %d |\n", double(delivered) / runSeconds, options.rate);
    std::printf("| event decode+apply p50 / p99 / max | %.3f / %.3f / %.2f ms | |\n",
        percentile(applyNs, 0.5) / 1e6, percentile(applyNs, 0.99) / 1e6,
        applyNs.empty() ? 0.0 : double(*std::max_element(applyNs.begin(), applyNs.end())) / 1e6);
    std::printf("| longest stall | %.1f ms | < 16 ms |\n", maxStall / 1000.0);
    std::printf("| p99 stall | %.1f ms | |\n", percentile(gapsUs, 0.99) / 1000.0);
    std::printf("| peak RSS (VmHWM of the console process) | %.0f MiB | < 300 MB |\n", peak);
    std::printf("| RSS: window shown / peak by the snapshot's first paint | %.0f / %.0f MiB | |\n",
        rssBefore, snapshotPeak);
    std::printf("| heap in use: after the snapshot / at the end / the stand-in relay's calls | "
                "%.0f / %.0f / %.0f MiB | |\n",
        snapshotHeap, heapMiB(), loadHeap);
    std::printf("| heap in use: window shown / snapshot decoded | %.0f / %.0f MiB | |\n", shownHeap,
        decodedHeap);
    std::printf("| events waiting at the end | %lld | 0 |\n", total - delivered);
    std::printf("(final window %dx%d, seq %lld)\n", last.width(), last.height(), store.seq());
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Options options = parse(app);
    return options.console.isEmpty() ? runFixture(options, app.arguments()) : runConsole(options);
}

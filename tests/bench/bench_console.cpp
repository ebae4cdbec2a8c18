// bench_console: the console under load (docs/performance.md, "The console"). It applies a
// relay snapshot of 10,000 calls with 100,000 participants to the real models and main window
// (shown on the offscreen platform, a call selected), then plays 1,000 stream events/s into
// them, and reports the snapshot's apply time, the events/s achieved, the event loop's longest
// stall and the peak RSS.
//
// Two processes. This one builds the relay's snapshot frame (ConsoleLoad, with a relay-side
// StreamState) and the whole stream that follows it (one message per line) into temporary
// files, then starts itself again with --console for the console, so that the console's memory
// is measured from its start and not next to the fixture's, and making the stream costs the
// console's CPUs nothing. The console process shows the window, then does what RelayConnection
// and ConsoleSession do with the frames: each goes to an App::FrameQueue as UTF-8, is decoded on
// its worker thread (a big snapshot one call at a time, lean) and applied on the main thread
// (CallStore::applySnapshot, applyEvent) in passes that share the store's PassBudget (3 ms) with
// the passes that drop expired calls, as in ConsoleSession. A reader thread reads the
// stream's lines ahead; every millisecond the main thread takes those that are due, turns each
// into a QString and back into UTF-8 (what QWebSocket and RelayConnection::onTextMessage do on
// the main thread) and hands them to the queue, as a socket read hands over every frame that has
// arrived. Everything the models and the window do runs on the main thread.

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
#include <sys/resource.h>
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
    int retainEnded = 600; // --retain-ended: seconds an ended call stays in the console
    bool setNow = true; // --no-set-now: a diagnostic, to see the cost of the proxy's re-sort
    QString console; // --console FILE: be the console process, with the snapshot frame in FILE
    QString stream; // --stream FILE: the stream's messages, one per line
    QString selected; // --selected ID: the call the detail pane shows
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

//! Stream messages read ahead from the stream file by the reader thread, at most `limit` waiting.
class Queue final
{
public:
    explicit Queue(size_t limit)
        : m_limit(limit)
    { }

    void push(QByteArray text)
    {
        QMutexLocker lock(&m_mutex);
        while (m_items.size() >= m_limit && !m_stopped)
            m_notFull.wait(&m_mutex);
        m_items.push_back(std::move(text));
    }
    bool pop(QByteArray *text)
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
    std::deque<QByteArray> m_items;
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
    const QCommandLineOption retain(u"retain-ended"_s,
        u"Seconds an ended call stays (600). A few seconds makes calls expire all through the "
        "stream, as in a console that has run for longer than that."_s,
        u"s"_s);
    const QCommandLineOption noSetNow(
        u"no-set-now"_s, u"Diagnostic: skip CallsModel::setNow every second (tick still runs)."_s);
    const QCommandLineOption console(u"console"_s,
        u"Internal: run as the console process, with the snapshot frame in this file."_s,
        u"file"_s);
    const QCommandLineOption stream(
        u"stream"_s, u"Internal: the stream's messages, one per line."_s, u"file"_s);
    const QCommandLineOption selected(
        u"selected"_s, u"Internal: the call the detail pane shows."_s, u"id"_s);
    parser.addOptions(
        { calls, people, rate, seconds, tick, retain, noSetNow, console, stream, selected });
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
    o.retainEnded = number(retain, o.retainEnded);
    o.setNow = !parser.isSet(noSetNow);
    o.console = parser.value(console);
    o.stream = parser.value(stream);
    o.selected = parser.value(selected);
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
    const QString streamFile = dir.filePath(u"stream.jsonl"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();
    QString selected;
    {
        Bench::ConsoleLoad load;
        const QByteArray frame = load.buildSnapshot(now, options.calls, options.participants);
        selected = load.selectedCall();
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(frame) != frame.size()) {
            std::fprintf(stderr, "cannot write the snapshot frame\n");
            return 1;
        }
        std::printf("fixture: snapshot frame of %.1f MiB built in %.1f s (fixture peak RSS %.0f "
                    "MiB, in this process only)\n",
            double(frame.size()) / (1024.0 * 1024.0), double(clock.elapsed()) / 1000.0,
            statusMiB("VmHWM"_L1));
        // The stream, written ahead so that making it costs the console process nothing. Its
        // times follow the snapshot's, one message every 1/rate s.
        clock.restart();
        QFile lines(streamFile);
        if (!lines.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "cannot write the stream\n");
            return 1;
        }
        const qint64 total = qint64(options.rate) * options.seconds;
        qint64 bytes = 0;
        for (qint64 i = 0; i < total; ++i) {
            const QByteArray line = load.next(now.addMSecs(i * 1000 / options.rate)).toUtf8();
            bytes += line.size();
            lines.write(line);
            lines.write("\n");
        }
        const auto &mix = load.mix();
        std::printf("fixture: stream of %lld messages, %.0f MiB, written in %.1f s (new calls %d, "
                    "state changes %d, rosters %d, tones %d, relay %d)\n",
            total, double(bytes) / (1024.0 * 1024.0), double(clock.elapsed()) / 1000.0,
            mix.newCalls, mix.stateChanges, mix.rosters, mix.tones, mix.relay);
    }
    std::fflush(stdout);
    QStringList childArguments = arguments.mid(1);
    childArguments << u"--console"_s << file << u"--stream"_s << streamFile << u"--selected"_s
                   << selected;
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
    const QString selected = options.selected;

    Models::CallStore store(std::chrono::seconds(options.retainEnded));
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
    // Every frame goes through an App::FrameQueue, as in RelayConnection: decoded on its worker
    // thread, applied here in passes within the store's PassBudget. Until the snapshot is in,
    // `onFrame` takes the snapshot; then the stream's events.
    std::function<void(App::RelayFrame &)> onFrame;
    App::FrameQueue frames([&onFrame](App::RelayFrame &frame) { onFrame(frame); });
    frames.setPassBudget(store.passBudget());
    QElapsedTimer clock;
    clock.start();
    std::optional<Graph::RelayProtocol::Snapshot> snapshot;
    double decodeMs = 0;
    bool snapshotDone = false;
    onFrame = [&](App::RelayFrame &frame) {
        decodeMs = double(clock.nsecsElapsed()) / 1e6;
        snapshot = std::move(frame.snapshot);
        snapshotDone = true;
    };
    frames.push(text.toUtf8()); // as RelayConnection::onTextMessage
    text = QString(); // QWebSocket lets its copy go once the signal returns
    while (!snapshotDone)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    if (!snapshot) {
        std::fprintf(stderr, "the snapshot frame did not decode\n");
        return 1;
    }
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
    QFile streamFile(options.stream);
    if (!streamFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(options.stream));
        return 1;
    }
    QThread *reader = QThread::create([&pending, &streamFile, total] {
        // It stands in for the kernel's socket buffer, which costs the console nothing: it is
        // the last to get a CPU when the console's threads want one.
        setpriority(PRIO_PROCESS, 0, 19);
        for (qint64 i = 0; i < total && !pending.stopped(); ++i)
            pending.push(streamFile.readLine().chopped(1));
    });
    reader->start();
    spin(50ms);

    std::vector<qint64> applyNs; // apply, per event (decoding is on the worker)
    applyNs.reserve(size_t(total));
    std::vector<qint64> gapsUs;
    gapsUs.reserve(size_t(options.seconds) * 1200);
    qint64 received = 0; // handed to the frame queue
    qint64 delivered = 0; // applied
    qint64 starved = 0; // deliveries that found the reader behind
    QEventLoop loop;
    QElapsedTimer run;
    QElapsedTimer sinceLast;
    QElapsedTimer eventTimer;

    // What RelayConnection does with each frame, and ConsoleSession with each event.
    onFrame = [&](App::RelayFrame &frame) {
        // The frame was parsed and decoded on the queue's worker; this is ConsoleSession's part.
        eventTimer.start();
        if (frame.event)
            store.applyEvent(*frame.event);
        applyNs.push_back(eventTimer.nsecsElapsed());
        if (++delivered == total)
            loop.quit();
    };
    QTimer deliver;
    deliver.setTimerType(Qt::PreciseTimer);
    deliver.setInterval(options.tickMs);
    QObject::connect(&deliver, &QTimer::timeout, &loop, [&] {
        // Every event that is due by now, as a socket read hands over every frame that has
        // arrived; the frame queue applies them in passes of at most its budget.
        const qint64 due = std::min(total, run.elapsed() * options.rate / 1000);
        QByteArray line;
        while (received < due) {
            if (!pending.pop(&line)) {
                ++starved;
                break;
            }
            // QWebSocket decodes a text frame into a QString on this thread, and
            // RelayConnection::onTextMessage hands it to its queue as UTF-8 again.
            const QString message = QString::fromUtf8(line);
            frames.push(message.toUtf8());
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
    qint64 expired = 0;
    QObject::connect(&store, &Models::CallStore::callRemoved, &loop, [&expired] { ++expired; });
    QTimer limit;
    limit.setSingleShot(true);
    limit.setTimerType(Qt::PreciseTimer); // a coarse one may end the stream up to 5% early
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
    reader->wait();
    delete reader;
    const QPixmap last = window.grab();

    // ---- the table ----
    const double peak = statusMiB("VmHWM"_L1);
    const double maxStall =
        gapsUs.empty() ? 0 : double(*std::max_element(gapsUs.begin(), gapsUs.end()));
    std::printf("snapshot: frame of %.1f MiB, %lld calls with %lld participants; %d calls shown; "
                "selected call %s, %d participant rows, %d timeline rows; window painted %dx%d\n",
        double(frameBytes) / (1024.0 * 1024.0), qlonglong(snapshotCalls), qlonglong(snapshotPeople),
        calls.rowCount(), selectedShown ? "shown" : "NOT shown", participants.rowCount(),
        timeline.rowCount(), shot.width(), shot.height());
    std::printf("stream: %lld events in %.2f s; reader behind %lld times; %lld stall samples; "
                "%lld calls expired (ended calls stay %d s)\n",
        delivered, runSeconds, starved, qlonglong(gapsUs.size()), expired, options.retainEnded);
    std::printf("\n| measure | value | goal |\n|---|---:|---:|\n");
    std::printf("| snapshot frame: parse + decode (worker thread) | %.0f ms | |\n", decodeMs);
    std::printf("| snapshot apply (CallStore + models) | %.0f ms | |\n", applyMs);
    std::printf("| snapshot applied to first paint | %.0f ms | |\n", paintMs);
    std::printf("| events/s | %.0f | %d |\n", double(delivered) / runSeconds, options.rate);
    std::printf("| event apply (main thread) p50 / p99 / max | %.3f / %.3f / %.2f ms | |\n",
        percentile(applyNs, 0.5) / 1e6, percentile(applyNs, 0.99) / 1e6,
        applyNs.empty() ? 0.0 : double(*std::max_element(applyNs.begin(), applyNs.end())) / 1e6);
    std::printf("| longest stall | %.1f ms | < 16 ms |\n", maxStall / 1000.0);
    std::printf("| p99 stall | %.1f ms | |\n", percentile(gapsUs, 0.99) / 1000.0);
    std::printf("| peak RSS (VmHWM of the console process) | %.0f MiB | < 300 MB |\n", peak);
    std::printf("| RSS: window shown / peak by the snapshot's first paint | %.0f / %.0f MiB | |\n",
        rssBefore, snapshotPeak);
    std::printf("| heap in use: after the snapshot / at the end | %.0f / %.0f MiB | |\n",
        snapshotHeap, heapMiB());
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

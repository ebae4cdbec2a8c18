// bench_relay: how many callbacks frontdesk-relay takes per second, and how long a notification
// takes from Graph's POST to the consoles, on loopback (docs/performance.md).
//
// The relay runs as a child process (the frontdesk-relay binary, with a fresh data folder per
// run), so that its event loop has its own process and its peak RSS can be read from
// /proc/<pid>/status. In this process, one thread posts signed callbacks over keep-alive HTTP/1.1
// connections (Poster) and another holds the consoles (Consoles); the main thread only watches.

#include "consoles.h"
#include "graph/jwt.h"
#include "poster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray ConsoleToken = "bench-console-token";
const QString ClientId = u"bench-app"_s;
const QString TenantId = u"bench-tenant"_s;
const QString Issuer = u"https://graph.microsoft.com"_s;

struct Options
{
    QList<int> consoles;
    double rate = 0; // 0: --max
    int seconds = 10;
    int batch = 1;
    int connections = 8;
    int repeat = 1;
    QString relay;
    QString dump;
    bool quietRelay = false;
};

struct Result
{
    int consoles = 0;
    double notificationsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    double answerP50Ms = 0; // POST to its 202, at the poster
    double answerP99Ms = 0;
    double deliveredPercent = 0; // events that reached consoles, of accepted × consoles
    double rssMiB = 0;
    double relayCpuPercent = 0;
    double benchCpuPercent = 0;
    qint64 callbacks = 0;
    qint64 refused = 0;
    qint64 lateSends = 0;
    qint64 gaps = 0;
    int lostConsoles = 0;
};

//! Runs the event loop until `condition` holds or `timeout` passes; whether it holds.
bool waitFor(const std::function<bool()> &condition, std::chrono::milliseconds timeout)
{
    if (condition())
        return true;
    const QDeadlineTimer deadline(timeout);
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5ms);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (condition() || deadline.hasExpired())
            loop.quit();
    });
    poll.start();
    loop.exec();
    return condition();
}

//! A /proc/<pid>/status field in kB ("VmHWM"), or -1.
qint64 procStatusKb(qint64 pid, QByteArrayView field)
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field) && line.size() > field.size() && line[field.size()] == ':')
            return line.sliced(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

//! User plus system CPU seconds of a process, from /proc/<pid>/stat.
double procCpuSeconds(qint64 pid)
{
    QFile file(u"/proc/%1/stat"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = file.readAll();
    // The command name may hold spaces; the fields after its ')' are fixed: utime is the 14th
    // field of the line, the 12th after the ')'.
    const QList<QByteArray> fields = stat.sliced(stat.lastIndexOf(')') + 2).split(' ');
    const double ticks = double(fields.value(11).toLongLong() + fields.value(12).toLongLong());
    return ticks / double(::sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double percentileMs(const std::vector<std::int32_t> &sortedUs, double q)
{
    if (sortedUs.empty())
        return 0;
    const auto rank = size_t(std::ceil(q * double(sortedUs.size())));
    return sortedUs[std::clamp<size_t>(rank, 1, sortedUs.size()) - 1] / 1000.0;
}

//! Appends every latency of a run to `path`, one "<consoles> console|answer <µs>" line each.
void dumpLatencies(const QString &path, int consoles, const std::vector<std::int32_t> &console,
    const std::vector<std::int32_t> &answer)
{
    QFile file(path);
    if (!file.open(QIODevice::Append))
        return;
    QByteArray text;
    for (const auto &[name, values] :
        { std::pair { "console", &console }, { "answer", &answer } }) {
        for (const std::int32_t us : *values)
            text += QByteArray::number(consoles) + ' ' + name + ' ' + QByteArray::number(us) + '\n';
    }
    file.write(text);
}

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_relay: %s\n", qPrintable(message));
    std::exit(1);
}

QByteArray callbackToken(const Graph::JwtSigner &signer)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return signer.sign(QJsonObject {
        { u"iss"_s, Issuer },
        { u"aud"_s, ClientId },
        { u"tid"_s, TenantId },
        { u"iat"_s, now },
        { u"nbf"_s, now - 10 },
        { u"exp"_s, now + 3600 },
    });
}

//! Starts the relay on a free loopback port; its port.
quint16 startRelay(QProcess &relay, const QTemporaryDir &dir, const Graph::JwtSigner &signer,
    const Options &options)
{
    const QString keys = dir.filePath(u"keys.json"_s);
    QFile keyFile(keys);
    if (!keyFile.open(QIODevice::WriteOnly))
        fail(u"cannot write "_s + keys);
    keyFile.write(signer.jwksJson());
    keyFile.close();

    const QByteArray tokenHash =
        QCryptographicHash::hash(ConsoleToken, QCryptographicHash::Sha256).toHex();
    const QString config = dir.filePath(u"relay.ini"_s);
    QFile configFile(config);
    if (!configFile.open(QIODevice::WriteOnly))
        fail(u"cannot write "_s + config);
    // Graph is a closed loopback port and the relay acts on no call by itself: what is measured
    // is the callback path, journal to consoles, and nothing leaves the machine.
    QByteArray ini;
    ini += "[graph]\nbaseUrl=http://127.0.0.1:9/v1.0\ntokenUrl=http://127.0.0.1:9/token\n";
    ini += "tenantId=" + TenantId.toUtf8() + "\nclientId=" + ClientId.toUtf8() + '\n';
    ini += "[callbacks]\npublicUrl=http://127.0.0.1:9/callbacks\njwksFile=" + keys.toUtf8() + '\n';
    ini += "issuers=" + Issuer.toUtf8() + '\n';
    ini += "[operators]\nbench=operator:" + tokenHash + '\n';
    ini += "[policy]\nunattended=none\n";
    configFile.write(ini);
    configFile.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_s, u"bench-secret"_s);
    if (options.quietRelay)
        env.insert(u"QT_LOGGING_RULES"_s, u"frontdesk.*.info=false"_s);
    relay.setProcessEnvironment(env);
    // The relay logs one line per callback; a journald would take it, here nobody reads it.
    relay.setStandardErrorFile(QProcess::nullDevice());
    relay.setProgram(options.relay);
    relay.setArguments({ u"--config"_s, config, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
        dir.filePath(u"data"_s) });
    relay.start();
    if (!relay.waitForStarted(10000))
        fail(u"cannot start "_s + options.relay);
    if (!waitFor([&] { return relay.canReadLine() || relay.state() == QProcess::NotRunning; }, 30s)
        || !relay.canReadLine())
        fail(u"the relay did not come up"_s);
    static const QRegularExpression Ready(u"^listening on http://127\\.0\\.0\\.1:([0-9]+)\n$"_s);
    const QRegularExpressionMatch match = Ready.match(QString::fromUtf8(relay.readLine()));
    if (!match.hasMatch())
        fail(u"unexpected first line from the relay"_s);
    return quint16(match.captured(1).toUInt());
}

Result runOnce(const Options &options, int consoleCount)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        fail(u"no temporary folder"_s);
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"bench-key"_s);
    if (!signer.isValid())
        fail(u"cannot make a signing key"_s);
    QProcess relay;
    const quint16 port = startRelay(relay, dir, signer, options);
    const qint64 pid = relay.processId();

    QThread consoleThread;
    consoleThread.setObjectName(u"consoles"_s);
    QUrl eventsUrl(u"ws://127.0.0.1/events"_s);
    eventsUrl.setPort(port);
    // Made, used and deleted in their own threads; reached from here only through atomics.
    auto *consoles = new Bench::Consoles(eventsUrl, ConsoleToken, consoleCount);
    consoles->moveToThread(&consoleThread);
    consoleThread.start();
    QMetaObject::invokeMethod(consoles, &Bench::Consoles::open, Qt::QueuedConnection);
    if (!waitFor([&] { return consoles->ready + consoles->lost >= consoleCount; }, 60s))
        fail(u"the consoles did not connect"_s);

    Bench::Poster::Config config;
    config.host = QHostAddress::LocalHost;
    config.port = port;
    config.authorization = "Bearer " + callbackToken(signer);
    config.connections = options.connections;
    config.rate = options.rate;
    config.duration = std::chrono::seconds(options.seconds);
    config.batch = options.batch;
    QThread posterThread;
    posterThread.setObjectName(u"poster"_s);
    auto *poster = new Bench::Poster(config);
    poster->moveToThread(&posterThread);
    posterThread.start();

    const double relayCpuBefore = procCpuSeconds(pid);
    const double selfCpuBefore = selfCpuSeconds();
    const std::int64_t startNs = Bench::steadyNanos();
    QMetaObject::invokeMethod(poster, &Bench::Poster::start, Qt::QueuedConnection);
    if (!waitFor([&] { return poster->done.load(); }, std::chrono::seconds(options.seconds) + 120s))
        fail(u"the poster did not finish"_s);
    const Bench::Poster::Stats stats = poster->stats();
    // Every console should get every accepted notification; give them time to drain.
    const qint64 expected = stats.acceptedNotifications * consoleCount;
    waitFor(
        [&] {
            return consoles->received
                >= stats.acceptedNotifications * (consoleCount - consoles->lost)
                || relay.state() == QProcess::NotRunning;
        },
        60s);
    const double wall = double(Bench::steadyNanos() - startNs) / 1e9;
    const double relayCpu = procCpuSeconds(pid) - relayCpuBefore;
    const double selfCpu = selfCpuSeconds() - selfCpuBefore;
    const qint64 hwmKb = procStatusKb(pid, "VmHWM");

    std::vector<std::int32_t> latencies;
    qint64 received = 0;
    qint64 gaps = 0;
    QList<int> closeCodes;
    int lostConsoles = 0;
    QMetaObject::invokeMethod(
        consoles,
        [&] {
            consoles->close();
            latencies = consoles->latenciesUs();
            received = consoles->received;
            gaps = consoles->gaps();
            closeCodes = consoles->closeCodes();
            lostConsoles = consoles->lost;
            delete consoles;
        },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        poster, [poster] { delete poster; }, Qt::BlockingQueuedConnection);
    consoleThread.quit();
    posterThread.quit();
    consoleThread.wait();
    posterThread.wait();
    relay.terminate();
    if (!relay.waitForFinished(10000)) {
        relay.kill();
        relay.waitForFinished(10000);
    }

    std::sort(latencies.begin(), latencies.end());
    std::vector<std::int32_t> answers = stats.answerUs;
    std::sort(answers.begin(), answers.end());
    if (!options.dump.isEmpty())
        dumpLatencies(options.dump, consoleCount, latencies, answers);
    Result result;
    result.consoles = consoleCount;
    result.callbacks = stats.requests;
    result.refused = stats.refused + stats.dropped;
    result.lateSends = stats.lateSends;
    result.notificationsPerSecond =
        stats.seconds() > 0 ? double(stats.acceptedNotifications) / stats.seconds() : 0;
    result.p50Ms = percentileMs(latencies, 0.50);
    result.p99Ms = percentileMs(latencies, 0.99);
    result.maxMs = latencies.empty() ? 0 : latencies.back() / 1000.0;
    result.answerP50Ms = percentileMs(answers, 0.50);
    result.answerP99Ms = percentileMs(answers, 0.99);
    result.deliveredPercent = expected > 0 ? 100.0 * double(received) / double(expected) : 0;
    result.rssMiB = double(hwmKb) / 1024.0;
    result.relayCpuPercent = 100.0 * relayCpu / wall;
    result.benchCpuPercent = 100.0 * selfCpu / wall;
    result.gaps = gaps;
    result.lostConsoles = lostConsoles;
    if (!closeCodes.isEmpty())
        qWarning() << "consoles closed by the relay, codes:" << closeCodes;
    return result;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Result medianOf(const QList<Result> &runs)
{
    const auto pick = [&runs](auto member) {
        QList<double> values;
        for (const Result &r : runs)
            values.append(double(r.*member));
        return median(values);
    };
    Result m;
    m.consoles = runs.value(0).consoles;
    m.notificationsPerSecond = pick(&Result::notificationsPerSecond);
    m.p50Ms = pick(&Result::p50Ms);
    m.p99Ms = pick(&Result::p99Ms);
    m.maxMs = pick(&Result::maxMs);
    m.answerP50Ms = pick(&Result::answerP50Ms);
    m.answerP99Ms = pick(&Result::answerP99Ms);
    m.deliveredPercent = pick(&Result::deliveredPercent);
    m.rssMiB = pick(&Result::rssMiB);
    m.relayCpuPercent = pick(&Result::relayCpuPercent);
    m.benchCpuPercent = pick(&Result::benchCpuPercent);
    m.callbacks = qint64(pick(&Result::callbacks));
    m.refused = qint64(pick(&Result::refused));
    m.lateSends = qint64(pick(&Result::lateSends));
    m.gaps = qint64(pick(&Result::gaps));
    m.lostConsoles = int(pick(&Result::lostConsoles));
    return m;
}

QString row(const QString &label, const Result &r)
{
    return u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(label, -8)
               .arg(r.consoles, 8)
               .arg(r.callbacks, 9)
               .arg(r.notificationsPerSecond, 9, 'f', 0)
               .arg(r.p50Ms, 7, 'f', 2)
               .arg(r.p99Ms, 7, 'f', 2)
               .arg(r.maxMs, 8, 'f', 1)
               .arg(r.deliveredPercent, 9, 'f', 2)
               .arg(r.rssMiB, 8, 'f', 1)
        + u" %1 %2 %3 %4 %5 %6 %7 %8"_s.arg(r.answerP50Ms, 7, 'f', 2)
              .arg(r.answerP99Ms, 7, 'f', 2)
              .arg(r.relayCpuPercent, 9, 'f', 0)
              .arg(r.benchCpuPercent, 9, 'f', 0)
              .arg(r.refused, 7)
              .arg(r.gaps, 5)
              .arg(r.lostConsoles, 5)
              .arg(r.lateSends, 6);
}

Options parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Load generator for frontdesk-relay: posts signed callbacks over keep-alive loopback "
        u"connections and measures accepted notifications per second, callback-to-console "
        u"latency and the relay's peak RSS."_s);
    parser.addHelpOption();
    const QCommandLineOption consoles(u"consoles"_s,
        u"Consoles on /events; a comma-separated list runs each in turn (default 10)."_s,
        u"N[,N...]"_s, u"10"_s);
    const QCommandLineOption seconds(
        u"seconds"_s, u"How long to post (default 10)."_s, u"S"_s, u"10"_s);
    const QCommandLineOption rate(u"rate"_s, u"Notifications per second, paced."_s, u"R"_s);
    const QCommandLineOption max(u"max"_s, u"As fast as the relay answers (the default)."_s);
    const QCommandLineOption batch(
        u"batch"_s, u"Notifications per callback (default 1)."_s, u"K"_s, u"1"_s);
    const QCommandLineOption connections(u"connections"_s,
        u"Keep-alive connections, one callback in flight on each (default 8)."_s, u"C"_s, u"8"_s);
    const QCommandLineOption repeat(u"repeat"_s,
        u"Runs per configuration, each with a new relay; the median is printed (default 1)."_s,
        u"N"_s, u"1"_s);
    const QCommandLineOption relay(u"relay"_s, u"The frontdesk-relay binary."_s, u"PATH"_s,
        QStringLiteral(FRONTDESK_RELAY_BINARY));
    const QCommandLineOption dump(u"dump"_s,
        u"Append every latency (µs) of every run to FILE, for a histogram."_s, u"FILE"_s);
    const QCommandLineOption quiet(
        u"quiet-relay"_s, u"Turn off the relay's per-callback info log lines."_s);
    parser.addOptions(
        { consoles, seconds, rate, max, batch, connections, repeat, relay, dump, quiet });
    parser.process(app);

    Options options;
    for (const QString &n : parser.value(consoles).split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        options.consoles.append(n.toInt(&ok));
        if (!ok || options.consoles.constLast() < 0)
            fail(u"--consoles: not a number: "_s + n);
    }
    if (parser.isSet(rate) && parser.isSet(max))
        fail(u"--rate and --max exclude each other"_s);
    bool ok = true;
    if (parser.isSet(rate) && ((options.rate = parser.value(rate).toDouble(&ok)) <= 0 || !ok))
        fail(u"--rate: must be a positive number"_s);
    const auto positive = [&parser](const QCommandLineOption &option) {
        bool good = false;
        const int value = parser.value(option).toInt(&good);
        if (!good || value <= 0)
            fail(u"--%1: must be a positive number"_s.arg(option.names().constFirst()));
        return value;
    };
    options.seconds = positive(seconds);
    options.batch = positive(batch);
    options.connections = positive(connections);
    options.repeat = positive(repeat);
    options.relay = parser.value(relay);
    options.dump = parser.value(dump);
    options.quietRelay = parser.isSet(quiet);
    if (!QFile::exists(options.relay))
        fail(u"no relay binary at "_s + options.relay);
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_relay"_s);
    const Options options = parseOptions(app);

    QTextStream out(stdout);
    const QString mode = options.rate > 0 ? u"%1/s"_s.arg(options.rate) : u"max"_s;
    out << u"frontdesk-relay bench: %1, %2 s, batch %3, %4 connections, %5 run(s) each%6\n"_s
               .arg(options.rate > 0 ? u"paced at %1 notifications/s"_s.arg(options.rate)
                                     : u"as fast as possible"_s)
               .arg(options.seconds)
               .arg(options.batch)
               .arg(options.connections)
               .arg(options.repeat)
               .arg(options.quietRelay ? u", relay info log off"_s : QString());
    const QString header = u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(u"run"_s, -8)
                               .arg(u"consoles"_s, 8)
                               .arg(u"callbacks"_s, 9)
                               .arg(u"notif/s"_s, 9)
                               .arg(u"p50 ms"_s, 7)
                               .arg(u"p99 ms"_s, 7)
                               .arg(u"max ms"_s, 8)
                               .arg(u"delivered"_s, 9)
                               .arg(u"RSS MiB"_s, 8)
        + u" %1 %2 %3 %4 %5 %6 %7 %8"_s.arg(u"202 p50"_s, 7)
              .arg(u"202 p99"_s, 7)
              .arg(u"relay CPU"_s, 9)
              .arg(u"bench CPU"_s, 9)
              .arg(u"refused"_s, 7)
              .arg(u"gaps"_s, 5)
              .arg(u"lost"_s, 5)
              .arg(u"late"_s, 6);
    out << header << '\n';
    out.flush();

    QList<Result> medians;
    for (const int consoleCount : options.consoles) {
        QList<Result> runs;
        for (int i = 0; i < options.repeat; ++i) {
            runs.append(runOnce(options, consoleCount));
            out << row(u"%1 #%2"_s.arg(mode).arg(i + 1), runs.constLast()) << '\n';
            out.flush();
        }
        medians.append(medianOf(runs));
    }
    if (options.repeat > 1) {
        out << u"\nmedians of %1 runs\n"_s.arg(options.repeat) << header << '\n';
        for (const Result &m : std::as_const(medians))
            out << row(mode, m) << '\n';
    }
    return 0;
}

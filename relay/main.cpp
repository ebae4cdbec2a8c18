// frontdesk-relay: the calling bot's callback endpoint and the consoles' gateway.
// The composition root: it reads the configuration, builds the relay and runs it until SIGTERM
// or SIGINT (relay-contract.md "Start-up and configuration").

#include "graph/clock.h"
#include "graph/logsafety.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSocketNotifier>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The version of the CMake project (CMakeLists.txt); --version prints it.
constexpr auto Version = QLatin1StringView(FRONTDESK_VERSION);

enum ExitCode { ExitOk = 0, ExitStartFailed = 1, ExitBadConfig = 2 };

// The write end of the self-pipe. The handler only writes the signal number to it.
int s_signalWriteFd = -1;

void onSignal(int signal)
{
    const int savedErrno = errno;
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(s_signalWriteFd, &byte, 1);
    errno = savedErrno;
}

//! Routes SIGTERM and SIGINT into the event loop through a socket pair, so that no work is done
//! in the signal handler.
bool installSignalHandlers(std::array<int, 2> &fds, QString *error)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds.data()) != 0) {
        *error = u"cannot create the signal socket pair: %1"_s.arg(
            QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    s_signalWriteFd = fds[0];
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : { SIGTERM, SIGINT }) {
        if (::sigaction(signal, &action, nullptr) != 0) {
            *error = u"cannot install the handler of signal %1: %2"_s.arg(signal).arg(
                QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    // A console or a script that goes away must not kill the relay through a write.
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "frontdesk-relay: %s\n", qPrintable(message));
    std::fflush(stderr);
}

QString description()
{
    return u"The Microsoft Teams calling bot's callback endpoint and the operator consoles' "
           u"gateway.\n"
           u"When it is ready it prints one line, \"listening on http://HOST:PORT\", to stdout.\n"
           u"SIGTERM or SIGINT stop it cleanly (exit code 0). A bad configuration gives one "
           u"line on stderr naming the key, and exit code 2; any other start-up failure gives "
           u"exit code 1.\n\n"
           u"Configuration file keys (INI). Each can be overridden by the environment variable "
           u"FRONTDESK_RELAY_<SECTION>_<KEY> in upper case, e.g. "
           u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET, which is how secrets should be passed:\n"_s
        + Relay::RelayConfig::keyReference();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Graph::keepSecretsOutOfQtLogs();
    QCoreApplication::setApplicationName(u"frontdesk-relay"_s);
    QCoreApplication::setApplicationVersion(Version);

    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(
        { u"c"_s, u"config"_s }, u"Read the configuration from FILE (required)."_s, u"FILE"_s);
    const QCommandLineOption listenOption(u"listen"_s,
        u"Listen on HOST:PORT instead of [server] listen (IPv6 in brackets); port 0 picks a free "
        u"port."_s,
        u"HOST:PORT"_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, u"Keep the journal in DIR instead of [server] dataDir."_s, u"DIR"_s);
    parser.addOptions({ configOption, listenOption, dataDirOption });

    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return ExitBadConfig;
    }
    if (parser.isSet(u"help"_s))
        parser.showHelp(ExitOk);
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        printError(u"unexpected argument: %1"_s.arg(parser.positionalArguments().constFirst()));
        return ExitBadConfig;
    }
    if (!parser.isSet(configOption)) {
        printError(u"--config FILE is required (see --help)"_s);
        return ExitBadConfig;
    }

    QString error;
    std::optional<Relay::RelayConfig> config = Relay::RelayConfig::load(
        parser.value(configOption), QProcessEnvironment::systemEnvironment(), &error);
    if (!config) {
        printError(error);
        return ExitBadConfig;
    }
    if (parser.isSet(listenOption)) {
        const std::optional<Relay::ListenAddress> listen =
            Relay::RelayConfig::parseListen(parser.value(listenOption), &error);
        if (!listen) {
            printError(u"--listen: "_s + error);
            return ExitBadConfig;
        }
        config->listenHost = listen->host;
        config->listenPort = listen->port;
    }
    if (parser.isSet(dataDirOption)) {
        if (parser.value(dataDirOption).isEmpty()) {
            printError(u"--data-dir: must not be empty"_s);
            return ExitBadConfig;
        }
        config->dataDir = parser.value(dataDirOption);
    }

    std::array<int, 2> signalFds { -1, -1 };
    if (!installSignalHandlers(signalFds, &error)) {
        printError(error);
        return ExitStartFailed;
    }

    Graph::SystemClock clock;
    Relay::RelayService service(std::move(*config), &clock);
    QSocketNotifier signalNotifier(signalFds[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &service, [&] {
        char byte = 0;
        while (::read(signalFds[1], &byte, 1) > 0) { }
        // A second signal during the drain changes nothing.
        service.shutdown();
    });
    QObject::connect(&service, &Relay::RelayService::drained, &app, &QCoreApplication::quit);

    if (!service.start(&error)) {
        printError(error);
        return ExitStartFailed;
    }
    const QByteArray ready = "listening on " + service.listeningAddress().toUtf8() + '\n';
    std::fwrite(ready.constData(), 1, size_t(ready.size()), stdout);
    std::fflush(stdout);

    const int code = QCoreApplication::exec();
    signalNotifier.setEnabled(false);
    return code;
}

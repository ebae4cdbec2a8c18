// frontdesk-sandbox: builds the sandbox from its command line, prints the start-up line that
// scripts wait for, and exits cleanly on SIGTERM or SIGINT.
#include "graph/clock.h"
#include "graph/logsafety.h"
#include "sandboxoptions.h"
#include "sandboxserver.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// Signals reach the event loop through a socket pair: a signal handler may only write().
int s_signalFd[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_signalFd[0], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalFd) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGTERM, &action, nullptr) == 0
        && ::sigaction(SIGINT, &action, nullptr) == 0;
}

void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(line), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Graph::keepSecretsOutOfQtLogs();
    QCoreApplication::setApplicationName(u"frontdesk-sandbox"_s);
    QCoreApplication::setApplicationVersion(Sandbox::SandboxOptions::version());

    Sandbox::SandboxOptions options;
    QString message;
    switch (Sandbox::SandboxOptions::parse(QCoreApplication::arguments(),
        QProcessEnvironment::systemEnvironment(), &options, &message)) {
    case Sandbox::SandboxOptions::Outcome::Help:
    case Sandbox::SandboxOptions::Outcome::Version:
        printLine(stdout, message.trimmed());
        return 0;
    case Sandbox::SandboxOptions::Outcome::Error:
        printLine(stderr, u"frontdesk-sandbox: "_s + message);
        return 2;
    case Sandbox::SandboxOptions::Outcome::Run:
        break;
    }

    // Read the scenario before listening, so that a bad file never prints the start-up line.
    std::optional<Sandbox::Scenario> scenario;
    if (!options.scenarioFile.isEmpty()) {
        QString error;
        scenario = Sandbox::Scenario::load(options.scenarioFile, &error);
        if (!scenario) {
            printLine(stderr, u"frontdesk-sandbox: --scenario: "_s + error);
            return 2;
        }
    }

    if (!installSignalHandlers()) {
        printLine(stderr, u"frontdesk-sandbox: cannot install the signal handlers"_s);
        return 1;
    }
    QSocketNotifier signalNotifier(s_signalFd[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const ssize_t read = ::read(s_signalFd[1], &byte, 1);
        QCoreApplication::quit();
    });

    Graph::SystemClock clock;
    Sandbox::SandboxServer server(options.server, &clock);
    if (!server.signer().isValid()) {
        printLine(stderr, u"frontdesk-sandbox: cannot generate the callback signing key"_s);
        return 1;
    }
    if (!server.start(options.host, options.port)) {
        printLine(stderr, u"frontdesk-sandbox: "_s + server.errorString());
        return 1;
    }
    printLine(stdout, u"listening on "_s + server.baseUrl().toString());
    if (scenario)
        server.runScenario(*scenario);
    return app.exec();
}

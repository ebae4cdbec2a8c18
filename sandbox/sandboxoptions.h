#pragma once

#include "sandboxserver.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Sandbox {

//! The command line of frontdesk-sandbox (sandbox-contract.md, "Start-up"):
//! [--listen HOST:PORT] [--tenant ID] [--client-id ID] [--client-secret S] [--callback-url URL]
//! [--scenario FILE] [--seed N] [--time-scale X] [--token-lifetime SECONDS].
//! The client secret may come from FRONTDESK_SANDBOX_CLIENT_SECRET instead of the command line.
struct SandboxOptions
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    ServerConfig server;
    QString scenarioFile;

    enum class Outcome {
        Run, //!< the options are good
        Help, //!< --help: print `message` to stdout, exit 0
        Version, //!< --version: print `message` to stdout, exit 0
        Error, //!< print `message` (one line) to stderr, exit 2
    };

    //! Reads `arguments` (arguments[0] is the program). `message` gets the help or version text,
    //! or the one-line error.
    static Outcome parse(const QStringList &arguments, const QProcessEnvironment &environment,
        SandboxOptions *options, QString *message);

    //! "HOST:PORT", "[v6]:PORT" or "localhost:PORT"; false when it is none of these.
    static bool parseListen(const QString &text, QHostAddress *host, quint16 *port);

    static QString version();
};

} // namespace Sandbox

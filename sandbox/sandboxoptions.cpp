#include "sandboxoptions.h"

#include <QCommandLineParser>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

#ifndef FRONTDESK_SANDBOX_VERSION
#define FRONTDESK_SANDBOX_VERSION "0.0.0"
#endif

namespace Sandbox {

namespace {

const QString SecretVariable = u"FRONTDESK_SANDBOX_CLIENT_SECRET"_s;
constexpr double MaxTimeScale = 10000;

} // namespace

QString SandboxOptions::version()
{
    return QStringLiteral(FRONTDESK_SANDBOX_VERSION);
}

bool SandboxOptions::parseListen(const QString &text, QHostAddress *host, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString hostText = text.left(colon);
    if (hostText.startsWith(u'[') && hostText.endsWith(u']'))
        hostText = hostText.mid(1, hostText.size() - 2);
    else if (hostText.contains(u':'))
        return false; // an IPv6 address needs its brackets, or the port is ambiguous
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    QHostAddress address;
    if (hostText.compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(hostText))
        return false;
    *host = address;
    *port = quint16(number);
    return true;
}

SandboxOptions::Outcome SandboxOptions::parse(const QStringList &arguments,
    const QProcessEnvironment &environment, SandboxOptions *options, QString *message)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A local stand-in for Microsoft Graph's calling APIs: the token endpoint, calls, "
        "participants and online meetings, JWT-signed callbacks, scripted scenarios and chaos. "
        "The client secret may also come from the environment variable %1."_s.arg(SecretVariable));
    const QCommandLineOption help({ u"h"_s, u"help"_s }, u"Shows this help."_s);
    const QCommandLineOption version(u"version"_s, u"Shows the version."_s);
    const QCommandLineOption listen(
        u"listen"_s, u"Where to listen (default 127.0.0.1:0, a free port)."_s, u"HOST:PORT"_s);
    const QCommandLineOption tenant(u"tenant"_s,
        u"The tenant id (default %1)."_s.arg(options->server.tenantId), u"ID"_s,
        options->server.tenantId);
    const QCommandLineOption clientId(u"client-id"_s,
        u"The bot's app (client) id (default %1)."_s.arg(options->server.clientId), u"ID"_s,
        options->server.clientId);
    const QCommandLineOption clientSecret(
        u"client-secret"_s, u"The app's client secret (default sandbox-secret)."_s, u"S"_s);
    const QCommandLineOption callbackUrl(
        u"callback-url"_s, u"The bot's global calling webhook, used exactly as given."_s, u"URL"_s);
    const QCommandLineOption scenario(
        u"scenario"_s, u"Runs this scenario file at start-up."_s, u"FILE"_s);
    const QCommandLineOption seed(
        u"seed"_s, u"Makes ids, scenarios and chaos repeatable."_s, u"N"_s);
    const QCommandLineOption timeScale(u"time-scale"_s,
        u"Runs scripted timings and Graph's timeouts X times faster (default 1)."_s, u"X"_s,
        u"1"_s);
    const QCommandLineOption tokenLifetime(u"token-lifetime"_s,
        u"How long access tokens live (default 3600)."_s, u"SECONDS"_s, u"3600"_s);
    parser.addOptions({ help, version, listen, tenant, clientId, clientSecret, callbackUrl,
        scenario, seed, timeScale, tokenLifetime });

    const auto fail = [message](const QString &text) {
        *message = text;
        return Outcome::Error;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(help)) {
        *message = parser.helpText();
        return Outcome::Help;
    }
    if (parser.isSet(version)) {
        *message = u"frontdesk-sandbox "_s + SandboxOptions::version();
        return Outcome::Version;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(u"unexpected argument: %1"_s.arg(parser.positionalArguments().constFirst()));

    if (parser.isSet(listen) && !parseListen(parser.value(listen), &options->host, &options->port))
        return fail(u"--listen: expected HOST:PORT, e.g. 127.0.0.1:8765, got '%1'"_s.arg(
            parser.value(listen)));
    options->server.tenantId = parser.value(tenant).trimmed();
    options->server.clientId = parser.value(clientId).trimmed();
    if (options->server.tenantId.isEmpty())
        return fail(u"--tenant: must not be empty"_s);
    if (options->server.clientId.isEmpty())
        return fail(u"--client-id: must not be empty"_s);
    // The command line wins over the environment; neither is ever printed.
    if (parser.isSet(clientSecret))
        options->server.clientSecret = parser.value(clientSecret);
    else if (environment.contains(SecretVariable))
        options->server.clientSecret = environment.value(SecretVariable);
    if (options->server.clientSecret.isEmpty())
        return fail(u"--client-secret: must not be empty"_s);
    if (parser.isSet(callbackUrl)) {
        const QString text = parser.value(callbackUrl);
        const QUrl url = QUrl::fromEncoded(text.toUtf8(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
            || url.host().isEmpty()) {
            return fail(u"--callback-url: expected an absolute http(s) URL, got '%1'"_s.arg(text));
        }
        options->server.callbackUrl = text;
    }
    options->scenarioFile = parser.value(scenario);
    if (parser.isSet(seed)) {
        bool ok = false;
        const uint value = parser.value(seed).toUInt(&ok);
        if (!ok)
            return fail(u"--seed: expected a whole number from 0 to 4294967295, got '%1'"_s.arg(
                parser.value(seed)));
        options->server.seed = value;
    }
    {
        bool ok = false;
        const double value = parser.value(timeScale).toDouble(&ok);
        if (!ok || !std::isfinite(value) || value <= 0 || value > MaxTimeScale)
            return fail(u"--time-scale: expected a number above 0 and at most %1, got '%2'"_s.arg(
                QString::number(MaxTimeScale), parser.value(timeScale)));
        options->server.timeScale = value;
    }
    {
        bool ok = false;
        const int value = parser.value(tokenLifetime).toInt(&ok);
        if (!ok || value <= 0)
            return fail(u"--token-lifetime: expected a positive number of seconds, got '%1'"_s.arg(
                parser.value(tokenLifetime)));
        options->server.tokenLifetime = std::chrono::seconds(value);
    }
    return Outcome::Run;
}

} // namespace Sandbox

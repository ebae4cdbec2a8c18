#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrl>

#include <chrono>
#include <optional>

namespace Relay {

enum class Role { Operator, Supervisor };
QString roleName(Role role);

struct OperatorEntry
{
    QString name;
    Role role = Role::Operator;
    QByteArray tokenSha256; //!< 32 raw bytes
};

//! "operator" or "supervisor" (case-insensitive); nullopt for anything else.
std::optional<Role> parseRole(QStringView text);

enum class UnattendedMode { Answer, Redirect, None };
QString unattendedModeName(UnattendedMode mode);

struct ListenAddress
{
    QHostAddress host;
    quint16 port = 0;
};

//! The relay's configuration: the INI file of relay-contract.md, where every key can be
//! overridden by FRONTDESK_RELAY_<SECTION>_<KEY> (upper case), which is how secrets arrive.
struct RelayConfig
{
    // [server]
    QHostAddress listenHost = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString dataDir = QStringLiteral("/var/lib/frontdesk-relay");
    qint64 maxBodyBytes = 1048576;
    QString certificateFile; //!< optional TLS
    QString privateKeyFile;
    // [graph]
    QUrl graphBaseUrl = QUrl(QStringLiteral("https://graph.microsoft.com/v1.0"));
    QString tokenUrlTemplate =
        QStringLiteral("https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token");
    QString tenantId;
    QString clientId;
    QString clientSecret; //!< never logged
    //! The bot's Teams resource account (application instance) with a phone number; empty when
    //! it has none. A call a console places to a phone number is placed from it.
    QString applicationInstanceId;
    // [callbacks]
    QUrl publicUrl;
    QUrl jwksUrl =
        QUrl(QStringLiteral("https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"));
    QString jwksFile;
    QStringList issuers { QStringLiteral("https://graph.microsoft.com"),
        QStringLiteral("https://api.botframework.com") };
    // [operators]
    QList<OperatorEntry> operators;
    // [policy]
    std::chrono::seconds answerDeadline { 10 };
    UnattendedMode unattended = UnattendedMode::Answer;
    QUrl holdPromptUri;
    QString redirectTarget;
    QString policyFlow; //!< flow: with unattended=answer, the IVR flow instead of the hold prompt
    QStringList blocklist; //!< the seed, normalised (Blocklist::normalize)
    std::chrono::minutes keepAlive { 15 }; //!< keepAliveMinutes: between two keepAlives of a call
    std::chrono::seconds reconcileAfter { 120 }; //!< reconcileAfterSeconds: quiet calls are re-read
    // [reminders] (an extension of the contract: calls the relay places at a set time)
    int reminderMaxAttempts = 3; //!< maxAttempts: calls placed per reminder, the first included
    std::chrono::seconds reminderRetrySpacing { 300 }; //!< retrySpacingSeconds
    std::chrono::seconds reminderGrace { 900 }; //!< graceMinutes: how late a reminder may still go
    QUrl reminderPromptUri; //!< promptUri: the prompt of reminders that name none
    // [ivr] (an extension of the contract)
    QStringList ivrFlowFiles; //!< flows: absolute paths (relative ones resolved against the file)
    // [journal] (an extension of the contract)
    std::chrono::hours resumeWindow { 24 }; //!< events stay resumable this long
    std::chrono::minutes endedRetention { 10 }; //!< ended calls stay in snapshots this long

    QUrl tokenUrl() const; //!< tokenUrlTemplate with {tenantId} filled in
    bool tlsEnabled() const { return !certificateFile.isEmpty(); }

    //! Reads `path` and the environment. On a problem: nullopt, and `error` is one line that
    //! names the key ("[server] maxBodyBytes: not a positive number"). Secrets never appear in it.
    static std::optional<RelayConfig> load(
        const QString &path, const QProcessEnvironment &env, QString *error);

    //! "HOST:PORT", IPv6 in brackets ("[::1]:8080"), "localhost" and "*" (any address) allowed;
    //! port 0 means any free port. On a problem: nullopt and `error` says why, without a prefix.
    static std::optional<ListenAddress> parseListen(const QString &text, QString *error);
    //! "127.0.0.1:8080", "[::1]:8080".
    static QString formatHostPort(const QHostAddress &host, quint16 port);
    //! FRONTDESK_RELAY_<SECTION>_<KEY>, upper case.
    static QString environmentVariable(QStringView section, QStringView key);
    //! Every key with its section, default and meaning, for --help.
    static QString keyReference();
};

} // namespace Relay

#include "relayconfig.h"

#include "blocklist.h"
#include "graph/jwks.h"
#include "ivrflow.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

struct KeySpec
{
    QLatin1StringView section;
    QLatin1StringView key;
    QLatin1StringView defaultValue;
    QLatin1StringView meaning;
};

// The one list of keys: it drives the unknown-key check, the environment overrides and --help.
// [operators] has free keys (operator names) and is handled apart.
constexpr KeySpec Keys[] = {
    { "server"_L1, "listen"_L1, "127.0.0.1:8080"_L1,
        "HOST:PORT to listen on (IPv6 in brackets, port 0 = any free port)"_L1 },
    { "server"_L1, "dataDir"_L1, "/var/lib/frontdesk-relay"_L1,
        "folder of the SQLite journal (journal.sqlite) and its checkpoints"_L1 },
    { "server"_L1, "maxBodyBytes"_L1, "1048576"_L1,
        "largest request body accepted; larger ones get 413"_L1 },
    { "server"_L1, "certificate"_L1, ""_L1,
        "PEM certificate (chain) file to serve HTTPS; empty = plain HTTP behind a TLS proxy"_L1 },
    { "server"_L1, "privateKey"_L1, ""_L1,
        "PEM private key file of the certificate (unencrypted RSA or EC)"_L1 },
    { "graph"_L1, "baseUrl"_L1, "https://graph.microsoft.com/v1.0"_L1,
        "Microsoft Graph (or frontdesk-sandbox) API root"_L1 },
    { "graph"_L1, "tokenUrl"_L1,
        "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token"_L1,
        "OAuth token endpoint; {tenantId} is replaced by tenantId"_L1 },
    { "graph"_L1, "tenantId"_L1, ""_L1,
        "the Microsoft Entra tenant id (required when tokenUrl holds {tenantId})"_L1 },
    { "graph"_L1, "clientId"_L1, ""_L1,
        "REQUIRED: the bot's application id; also the audience of callback tokens"_L1 },
    { "graph"_L1, "clientSecret"_L1, ""_L1,
        "the bot's client secret; pass it as FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_L1 },
    { "graph"_L1, "applicationInstanceId"_L1, ""_L1,
        "the object id of the bot's Teams resource account with a phone number; calls to phone "
        "numbers are placed from it"_L1 },
    { "callbacks"_L1, "publicUrl"_L1, ""_L1,
        "REQUIRED: the public URL of POST /callbacks, sent to Graph as callbackUri"_L1 },
    { "callbacks"_L1, "jwksUrl"_L1,
        "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"_L1,
        "OpenID configuration or JWKS URL of the keys that sign callbacks"_L1 },
    { "callbacks"_L1, "jwksFile"_L1, ""_L1,
        "a JWKS JSON file to use instead of jwksUrl (one of the two is required)"_L1 },
    { "callbacks"_L1, "issuers"_L1, "https://graph.microsoft.com,https://api.botframework.com"_L1,
        "comma list of accepted callback token issuers (iss)"_L1 },
    { "policy"_L1, "answerDeadlineSeconds"_L1, "10"_L1,
        "1-14: seconds after which the relay acts on an unanswered call (Graph drops it at 15)"_L1 },
    { "policy"_L1, "unattended"_L1, "answer"_L1,
        "what the relay does then: answer (and play holdPromptUri), redirect or none"_L1 },
    { "policy"_L1, "holdPromptUri"_L1, ""_L1, "http(s) URL of the hold prompt (WAV)"_L1 },
    { "policy"_L1, "redirectTarget"_L1, ""_L1,
        "user id or +E.164 number; required when unattended=redirect"_L1 },
    { "policy"_L1, "flow"_L1, ""_L1,
        "with unattended=answer: the name of the IVR flow (see [ivr]) the call enters instead "
        "of the hold prompt"_L1 },
    { "policy"_L1, "blocklist"_L1, ""_L1,
        "comma list of callers rejected at once; a seed, edited at runtime via /api/blocklist"_L1 },
    { "policy"_L1, "keepAliveMinutes"_L1, "15"_L1,
        "1-44: minutes between two keepAlive requests on a call (Graph ends it after 45)"_L1 },
    { "policy"_L1, "reconcileAfterSeconds"_L1, "120"_L1,
        "1-86400: a live call without events this long is re-read from Graph (GET)"_L1 },
    { "reminders"_L1, "maxAttempts"_L1, "3"_L1,
        "1-20: calls placed for one reminder before it ends as noAnswer or failed"_L1 },
    { "reminders"_L1, "retrySpacingSeconds"_L1, "300"_L1,
        "1-86400: seconds between a reminder's unanswered or failed call and the next"_L1 },
    { "reminders"_L1, "graceMinutes"_L1, "15"_L1,
        "1-1440: a reminder the relay was down for is still placed this late, else missed"_L1 },
    { "reminders"_L1, "promptUri"_L1, ""_L1,
        "http(s) URL of the default reminder prompt (WAV); a reminder may name its own"_L1 },
    { "journal"_L1, "resumeWindowHours"_L1, "24"_L1,
        "1-8760: how long events stay in the journal for consoles to resume from"_L1 },
    { "journal"_L1, "endedRetentionMinutes"_L1, "10"_L1,
        "1-1440: how long ended calls stay in snapshots"_L1 },
    { "ivr"_L1, "flows"_L1, ""_L1,
        "comma list of IVR flow files (JSON, docs/ivr.md), relative to this file; checked at "
        "start-up"_L1 },
};

constexpr QStringView OperatorsSection = u"operators";
constexpr qint64 MaxBodyLimit = 1024 * 1024 * 1024;

const KeySpec *findKey(QStringView section, QStringView key)
{
    const auto it = std::find_if(std::begin(Keys), std::end(Keys),
        [&](const KeySpec &spec) { return spec.section == section && spec.key == key; });
    return it == std::end(Keys) ? nullptr : it;
}

// A value quoted in an error: one line, bounded, so that an error stays one line.
QString quoted(const QString &value)
{
    QString out;
    for (const QChar c : value)
        out.append(c.isPrint() || c == u' ' ? c : u'?');
    if (out.size() > 80)
        out = out.left(77) + u"..."_s;
    return out;
}

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.isRelative() && !url.host().isEmpty()
        && (url.scheme() == "http"_L1 || url.scheme() == "https"_L1);
}

class Loader final
{
public:
    Loader(const QString &path, const QProcessEnvironment &env)
        : m_settings(path, QSettings::IniFormat)
        , m_env(env)
    { }

    std::optional<RelayConfig> load();
    QString error() const { return m_error; }

private:
    bool fail(QStringView section, QStringView key, const QString &message)
    {
        m_error = u"[%1] %2: %3"_s.arg(section, key, message);
        return false;
    }
    //! The value of a key (the environment first, then the file), or nullopt when neither has it.
    std::optional<QString> value(QStringView section, QStringView key);
    QStringList listValue(QStringView section, QStringView key);
    bool checkKeys();
    bool loadServer();
    bool loadGraph();
    bool loadCallbacks();
    bool loadOperators();
    bool loadPolicy();
    bool loadReminders();
    bool loadJournal();
    bool loadIvr();
    bool readUrl(QStringView section, QStringView key, QUrl *url, bool allowEmpty);
    bool readInt(QStringView section, QStringView key, qint64 min, qint64 max, qint64 *out);

    QSettings m_settings;
    QProcessEnvironment m_env;
    RelayConfig m_config;
    QString m_error;
};

std::optional<QString> Loader::value(QStringView section, QStringView key)
{
    const QString envName = RelayConfig::environmentVariable(section, key);
    if (m_env.contains(envName))
        return m_env.value(envName);
    const QString settingsKey = section + u'/' + key;
    if (!m_settings.contains(settingsKey))
        return std::nullopt;
    const QVariant v = m_settings.value(settingsKey);
    // QSettings turns an unquoted value with commas into a list.
    if (v.typeId() == QMetaType::QStringList)
        return v.toStringList().join(u',');
    return v.toString().trimmed();
}

QStringList Loader::listValue(QStringView section, QStringView key)
{
    QStringList out;
    const QStringList parts = value(section, key).value_or(QString()).split(u',');
    for (const QString &part : parts) {
        if (const QString t = part.trimmed(); !t.isEmpty())
            out.append(t);
    }
    return out;
}

bool Loader::checkKeys()
{
    if (const QStringList outside = m_settings.childKeys(); !outside.isEmpty()) {
        m_error = u"%1: unknown key outside any section"_s.arg(quoted(outside.constFirst()));
        return false;
    }
    for (const QString &group : m_settings.childGroups()) {
        if (group == OperatorsSection)
            continue;
        const bool known = std::any_of(std::begin(Keys), std::end(Keys),
            [&](const KeySpec &spec) { return spec.section == group; });
        if (!known) {
            m_error = u"[%1]: unknown section"_s.arg(quoted(group));
            return false;
        }
        m_settings.beginGroup(group);
        const QStringList keys = m_settings.allKeys();
        m_settings.endGroup();
        for (const QString &key : keys) {
            if (!findKey(group, key))
                return fail(group, quoted(key), u"unknown key"_s);
        }
    }
    return true;
}

bool Loader::readUrl(QStringView section, QStringView key, QUrl *url, bool allowEmpty)
{
    const std::optional<QString> text = value(section, key);
    if (!text)
        return true;
    if (text->isEmpty() && allowEmpty) {
        *url = QUrl();
        return true;
    }
    const QUrl parsed(*text, QUrl::StrictMode);
    if (!isHttpUrl(parsed))
        return fail(section, key, u"must be an absolute http(s) URL (got %1)"_s.arg(quoted(*text)));
    *url = parsed;
    return true;
}

bool Loader::readInt(QStringView section, QStringView key, qint64 min, qint64 max, qint64 *out)
{
    const std::optional<QString> text = value(section, key);
    if (!text)
        return true;
    bool ok = false;
    const qint64 n = text->toLongLong(&ok);
    if (!ok || n < min || n > max) {
        return fail(section, key,
            u"must be between %1 and %2 (got %3)"_s.arg(min).arg(max).arg(quoted(*text)));
    }
    *out = n;
    return true;
}

bool Loader::loadServer()
{
    const auto S = u"server";
    if (const std::optional<QString> listen = value(S, u"listen")) {
        QString why;
        const std::optional<ListenAddress> address = RelayConfig::parseListen(*listen, &why);
        if (!address)
            return fail(S, u"listen", why);
        m_config.listenHost = address->host;
        m_config.listenPort = address->port;
    }
    if (const std::optional<QString> dir = value(S, u"dataDir")) {
        if (dir->isEmpty())
            return fail(S, u"dataDir", u"must not be empty"_s);
        m_config.dataDir = *dir;
    }
    if (!readInt(S, u"maxBodyBytes", 1, MaxBodyLimit, &m_config.maxBodyBytes))
        return false;

    m_config.certificateFile = value(S, u"certificate").value_or(QString());
    m_config.privateKeyFile = value(S, u"privateKey").value_or(QString());
    if (m_config.certificateFile.isEmpty() && m_config.privateKeyFile.isEmpty())
        return true;
    if (m_config.privateKeyFile.isEmpty())
        return fail(S, u"privateKey", u"required when certificate is set"_s);
    if (m_config.certificateFile.isEmpty())
        return fail(S, u"certificate", u"required when privateKey is set"_s);
    if (!QSslSocket::supportsSsl())
        return fail(S, u"certificate", u"TLS is not available (no Qt TLS backend)"_s);

    QFile cert(m_config.certificateFile);
    if (!cert.open(QIODevice::ReadOnly)) {
        return fail(S, u"certificate",
            u"cannot read %1: %2"_s.arg(m_config.certificateFile, cert.errorString()));
    }
    if (QSslCertificate::fromData(cert.readAll(), QSsl::Pem).isEmpty())
        return fail(S, u"certificate", u"no PEM certificate in %1"_s.arg(m_config.certificateFile));

    QFile key(m_config.privateKeyFile);
    if (!key.open(QIODevice::ReadOnly)) {
        return fail(S, u"privateKey",
            u"cannot read %1: %2"_s.arg(m_config.privateKeyFile, key.errorString()));
    }
    const QByteArray pem = key.readAll();
    if (QSslKey(pem, QSsl::Rsa).isNull() && QSslKey(pem, QSsl::Ec).isNull()) {
        return fail(S, u"privateKey",
            u"no unencrypted PEM RSA or EC private key in %1"_s.arg(m_config.privateKeyFile));
    }
    return true;
}

bool Loader::loadGraph()
{
    const auto G = u"graph";
    if (!readUrl(G, u"baseUrl", &m_config.graphBaseUrl, false))
        return false;
    if (const std::optional<QString> tokenUrl = value(G, u"tokenUrl"))
        m_config.tokenUrlTemplate = *tokenUrl;
    m_config.tenantId = value(G, u"tenantId").value_or(QString());
    if (m_config.tokenUrlTemplate.contains("{tenantId}"_L1) && m_config.tenantId.isEmpty())
        return fail(G, u"tenantId", u"required (tokenUrl contains {tenantId})"_s);
    if (!isHttpUrl(m_config.tokenUrl())) {
        return fail(G, u"tokenUrl",
            u"must be an absolute http(s) URL (got %1)"_s.arg(quoted(m_config.tokenUrlTemplate)));
    }
    m_config.clientId = value(G, u"clientId").value_or(QString());
    if (m_config.clientId.isEmpty()) {
        return fail(G, u"clientId",
            u"required (the bot's application id; also the audience of callbacks)"_s);
    }
    // Never quote the secret, not even a part of it.
    m_config.clientSecret = value(G, u"clientSecret").value_or(QString());
    m_config.applicationInstanceId = value(G, u"applicationInstanceId").value_or(QString());
    const bool control = std::any_of(m_config.clientSecret.cbegin(), m_config.clientSecret.cend(),
        [](QChar c) { return c.category() == QChar::Other_Control; });
    if (control)
        return fail(G, u"clientSecret", u"contains a line break or another control character"_s);
    return true;
}

bool Loader::loadCallbacks()
{
    const auto C = u"callbacks";
    if (!value(C, u"publicUrl").value_or(QString()).isEmpty()) {
        if (!readUrl(C, u"publicUrl", &m_config.publicUrl, false))
            return false;
    } else {
        return fail(C, u"publicUrl", u"required (the URL Graph posts callbacks to)"_s);
    }
    if (!readUrl(C, u"jwksUrl", &m_config.jwksUrl, true))
        return false;
    m_config.jwksFile = value(C, u"jwksFile").value_or(QString());
    if (m_config.jwksFile.isEmpty()) {
        if (m_config.jwksUrl.isEmpty())
            return fail(C, u"jwksUrl", u"required when jwksFile is not set"_s);
    } else {
        QFile file(m_config.jwksFile);
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(
                C, u"jwksFile", u"cannot read %1: %2"_s.arg(m_config.jwksFile, file.errorString()));
        }
        QString why;
        const std::optional<Graph::Jwks> keys = Graph::Jwks::fromJson(file.readAll(), &why);
        if (!keys)
            return fail(C, u"jwksFile", u"%1 is not a JWKS: %2"_s.arg(m_config.jwksFile, why));
        if (keys->isEmpty()) {
            return fail(C, u"jwksFile", u"%1 holds no usable RS256 key"_s.arg(m_config.jwksFile));
        }
    }
    if (value(C, u"issuers")) {
        m_config.issuers = listValue(C, u"issuers");
        if (m_config.issuers.isEmpty())
            return fail(C, u"issuers", u"must name at least one issuer"_s);
    }
    return true;
}

bool Loader::loadOperators()
{
    static const QRegularExpression NamePattern(u"^[A-Za-z0-9._@-]+$"_s);
    static const QRegularExpression HashPattern(u"^[0-9A-Fa-f]{64}$"_s);

    // Names from the file, then names only the environment has (lower-cased).
    m_settings.beginGroup(OperatorsSection);
    QStringList names = m_settings.childKeys();
    m_settings.endGroup();
    const QString prefix = RelayConfig::environmentVariable(OperatorsSection, u"");
    for (const QString &var : m_env.keys()) {
        if (!var.startsWith(prefix) || var.size() == prefix.size())
            continue;
        const QString name = var.mid(prefix.size()).toLower();
        const bool inFile = std::any_of(names.cbegin(), names.cend(),
            [&](const QString &n) { return n.toUpper() == var.mid(prefix.size()); });
        if (!inFile)
            names.append(name);
    }
    std::sort(names.begin(), names.end());

    for (const QString &name : std::as_const(names)) {
        if (!NamePattern.match(name).hasMatch()) {
            return fail(OperatorsSection, quoted(name),
                u"a name may hold only letters, digits and . _ - @"_s);
        }
        // The value is never quoted: a token pasted in place of its hash must not leak.
        const QString text = value(OperatorsSection, name).value_or(QString());
        const qsizetype colon = text.indexOf(u':');
        if (colon < 0)
            return fail(OperatorsSection, name, u"expected ROLE:SHA256HEX"_s);
        const std::optional<Role> role = parseRole(QStringView(text).left(colon).trimmed());
        if (!role)
            return fail(OperatorsSection, name, u"the role must be operator or supervisor"_s);
        const QString hex = text.mid(colon + 1).trimmed();
        if (!HashPattern.match(hex).hasMatch()) {
            return fail(OperatorsSection, name,
                u"the token hash must be 64 hex digits (the token's SHA-256)"_s);
        }
        const QByteArray hash = QByteArray::fromHex(hex.toLatin1());
        for (const OperatorEntry &other : std::as_const(m_config.operators)) {
            if (other.tokenSha256 == hash)
                return fail(OperatorsSection, name, u"has the same token as %1"_s.arg(other.name));
        }
        m_config.operators.append(OperatorEntry { name, *role, hash });
    }
    return true;
}

bool Loader::loadPolicy()
{
    const auto P = u"policy";
    qint64 deadline = m_config.answerDeadline.count();
    if (!readInt(P, u"answerDeadlineSeconds", 1, 14, &deadline))
        return false;
    m_config.answerDeadline = std::chrono::seconds(deadline);

    if (const std::optional<QString> mode = value(P, u"unattended")) {
        const auto modes = { UnattendedMode::Answer, UnattendedMode::Redirect,
            UnattendedMode::None };
        const auto it = std::find_if(modes.begin(), modes.end(),
            [&](UnattendedMode m) { return unattendedModeName(m) == *mode; });
        if (it == modes.end()) {
            return fail(P, u"unattended",
                u"must be answer, redirect or none (got %1)"_s.arg(quoted(*mode)));
        }
        m_config.unattended = *it;
    }
    if (!readUrl(P, u"holdPromptUri", &m_config.holdPromptUri, true))
        return false;

    m_config.redirectTarget = value(P, u"redirectTarget").value_or(QString());
    if (m_config.unattended == UnattendedMode::Redirect && m_config.redirectTarget.isEmpty())
        return fail(P, u"redirectTarget", u"required when unattended=redirect"_s);
    if (!m_config.redirectTarget.isEmpty()) {
        static const QRegularExpression E164(u"^\\+[1-9][0-9]{1,14}$"_s);
        static const QRegularExpression UserId(u"^[A-Za-z0-9][A-Za-z0-9._@:-]*$"_s);
        const QString &t = m_config.redirectTarget;
        const bool ok = t.startsWith(u'+') ? E164.match(t).hasMatch() : UserId.match(t).hasMatch();
        if (!ok) {
            return fail(P, u"redirectTarget",
                u"must be a user id or a +E.164 number (got %1)"_s.arg(quoted(t)));
        }
    }

    m_config.blocklist = listValue(P, u"blocklist");
    for (const QString &entry : std::as_const(m_config.blocklist)) {
        if (entry.contains(u' ')) {
            return fail(
                P, u"blocklist", u"an entry must not contain spaces (got %1)"_s.arg(quoted(entry)));
        }
    }
    // Stored and matched normalised, so "+1 (555) 010-0100" blocks +15550100100.
    for (QString &entry : m_config.blocklist) {
        QString why;
        const std::optional<QString> normal = Blocklist::normalize(entry, &why);
        if (!normal)
            return fail(P, u"blocklist", u"%1 (got %2)"_s.arg(why, quoted(entry)));
        entry = *normal;
    }
    m_config.blocklist.removeDuplicates();

    qint64 keepAlive = m_config.keepAlive.count();
    if (!readInt(P, u"keepAliveMinutes", 1, 44, &keepAlive))
        return false;
    m_config.keepAlive = std::chrono::minutes(keepAlive);
    qint64 reconcile = m_config.reconcileAfter.count();
    if (!readInt(P, u"reconcileAfterSeconds", 1, 86400, &reconcile))
        return false;
    m_config.reconcileAfter = std::chrono::seconds(reconcile);
    return true;
}

bool Loader::loadReminders()
{
    const auto R = u"reminders";
    qint64 attempts = m_config.reminderMaxAttempts;
    if (!readInt(R, u"maxAttempts", 1, 20, &attempts))
        return false;
    m_config.reminderMaxAttempts = int(attempts);
    qint64 spacing = m_config.reminderRetrySpacing.count();
    if (!readInt(R, u"retrySpacingSeconds", 1, 86400, &spacing))
        return false;
    m_config.reminderRetrySpacing = std::chrono::seconds(spacing);
    qint64 grace = std::chrono::duration_cast<std::chrono::minutes>(m_config.reminderGrace).count();
    if (!readInt(R, u"graceMinutes", 1, 1440, &grace))
        return false;
    m_config.reminderGrace = std::chrono::minutes(grace);
    return readUrl(R, u"promptUri", &m_config.reminderPromptUri, true);
}

bool Loader::loadJournal()
{
    const auto J = u"journal";
    qint64 hours = m_config.resumeWindow.count();
    if (!readInt(J, u"resumeWindowHours", 1, 8760, &hours))
        return false;
    m_config.resumeWindow = std::chrono::hours(hours);
    qint64 minutes = m_config.endedRetention.count();
    if (!readInt(J, u"endedRetentionMinutes", 1, 1440, &minutes))
        return false;
    m_config.endedRetention = std::chrono::minutes(minutes);
    return true;
}

bool Loader::loadIvr()
{
    const auto I = u"ivr";
    const QDir base = QFileInfo(m_settings.fileName()).absoluteDir();
    for (const QString &file : listValue(I, u"flows"))
        m_config.ivrFlowFiles.append(QDir::cleanPath(base.absoluteFilePath(file)));
    m_config.policyFlow = value(u"policy", u"flow").value_or(QString()).trimmed();
    if (!m_config.policyFlow.isEmpty() && m_config.unattended != UnattendedMode::Answer)
        return fail(u"policy", u"flow", u"needs unattended=answer"_s);
    QString why;
    if (!IvrFlow::loadAll(m_config.ivrFlowFiles, m_config.policyFlow, &why)) {
        if (m_config.ivrFlowFiles.isEmpty())
            return fail(u"policy", u"flow", why);
        return fail(I, u"flows", why);
    }
    return true;
}

std::optional<RelayConfig> Loader::load()
{
    if (m_settings.status() != QSettings::NoError) {
        m_error = u"%1: not a valid INI file"_s.arg(m_settings.fileName());
        return std::nullopt;
    }
    if (checkKeys() && loadServer() && loadGraph() && loadCallbacks() && loadOperators()
        && loadPolicy() && loadReminders() && loadJournal() && loadIvr()) {
        return m_config;
    }
    return std::nullopt;
}

} // namespace

QString roleName(Role role)
{
    return role == Role::Supervisor ? u"supervisor"_s : u"operator"_s;
}

std::optional<Role> parseRole(QStringView text)
{
    if (text.compare("operator"_L1, Qt::CaseInsensitive) == 0)
        return Role::Operator;
    if (text.compare("supervisor"_L1, Qt::CaseInsensitive) == 0)
        return Role::Supervisor;
    return std::nullopt;
}

QString unattendedModeName(UnattendedMode mode)
{
    switch (mode) {
    case UnattendedMode::Answer:
        return u"answer"_s;
    case UnattendedMode::Redirect:
        return u"redirect"_s;
    case UnattendedMode::None:
        break;
    }
    return u"none"_s;
}

QUrl RelayConfig::tokenUrl() const
{
    QString text = tokenUrlTemplate;
    text.replace("{tenantId}"_L1, QString::fromLatin1(QUrl::toPercentEncoding(tenantId)));
    return QUrl(text, QUrl::StrictMode);
}

std::optional<RelayConfig> RelayConfig::load(
    const QString &path, const QProcessEnvironment &env, QString *error)
{
    // QSettings reads a missing file as an empty one; a missing config must be an error.
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir() || !file.open(QIODevice::ReadOnly)) {
        if (error) {
            const QString why = info.isDir() ? u"it is a folder"_s : file.errorString();
            *error = u"cannot read the configuration file %1: %2"_s.arg(path, why);
        }
        return std::nullopt;
    }
    file.close();

    Loader loader(path, env);
    std::optional<RelayConfig> config = loader.load();
    if (!config && error)
        *error = loader.error();
    return config;
}

std::optional<ListenAddress> RelayConfig::parseListen(const QString &text, QString *error)
{
    const auto failed = [&](const QString &why) -> std::optional<ListenAddress> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString shape =
        u"expected HOST:PORT with an IP address, IPv6 in brackets (got %1)"_s.arg(quoted(text));
    QString host;
    QString port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0 || text.mid(close + 1, 1) != u":"_s)
            return failed(shape);
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
        if (!host.contains(u':'))
            return failed(shape);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon < 0)
            return failed(shape);
        host = text.left(colon);
        port = text.mid(colon + 1);
        if (host.contains(u':'))
            return failed(shape);
    }

    ListenAddress address;
    if (host == "localhost"_L1)
        address.host = QHostAddress(QHostAddress::LocalHost);
    else if (host == "*"_L1)
        address.host = QHostAddress(QHostAddress::Any);
    else if (!address.host.setAddress(host) || host.isEmpty())
        return failed(shape);

    bool ok = false;
    const uint n = port.toUInt(&ok);
    if (!ok || port.isEmpty() || !port.front().isDigit() || n > 65535)
        return failed(u"the port must be between 0 and 65535 (got %1)"_s.arg(quoted(port)));
    address.port = quint16(n);
    return address;
}

QString RelayConfig::formatHostPort(const QHostAddress &host, quint16 port)
{
    const QString text = host.toString();
    if (host.protocol() == QAbstractSocket::IPv6Protocol)
        return u"[%1]:%2"_s.arg(text).arg(port);
    return u"%1:%2"_s.arg(text).arg(port);
}

QString RelayConfig::environmentVariable(QStringView section, QStringView key)
{
    return (u"FRONTDESK_RELAY_"_s + section + u'_' + key).toUpper();
}

QString RelayConfig::keyReference()
{
    QString out;
    QLatin1StringView section;
    const auto writeKey = [&out](QStringView key, QStringView defaultValue, QStringView meaning) {
        out += u"  %1 %2\n"_s.arg(key.toString().leftJustified(22), meaning);
        out += u"  %1 default: %2\n"_s.arg(
            QString().leftJustified(22), defaultValue.isEmpty() ? u"(empty)" : defaultValue);
    };
    for (const KeySpec &spec : Keys) {
        if (spec.section != section) {
            if (spec.section == "policy"_L1) {
                out += u"\n[operators]  (one key per operator)\n"_s;
                writeKey(u"NAME", u"(none)",
                    u"ROLE:SHA256HEX, ROLE operator or supervisor, SHA256HEX the token's "
                    u"SHA-256: printf %s \"$TOKEN\" | sha256sum");
            }
            section = spec.section;
            out += u"\n[%1]\n"_s.arg(section);
        }
        writeKey(QString(spec.key), QString(spec.defaultValue), QString(spec.meaning));
    }
    return out;
}

} // namespace Relay

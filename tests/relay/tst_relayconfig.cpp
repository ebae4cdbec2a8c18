#include "graph/jwt.h"
#include "relay/relayconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Relay::RelayConfig;

namespace {

const QString Secret = u"s3cr3t-client-Secret-value"_s;
const QString SecretVar = u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_s;
// SHA-256 of "alice-token" and "bob-token".
const QString AliceHash = u"9c220f200955d76c0a38d308225e0ef10c5f971acaf2f8d1d8f732affa5bd1dc"_s;
const QString BobHash = u"97dd3707015dcf069cf73022ed7173b1165db6eff24b441cb57fd069a8c4e525"_s;

using Entry = std::tuple<QString, QString, QString>; // section, key, value

} // namespace

class TstRelayConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fullValidFileLoadsEveryKey();
    void absentOptionalKeysKeepTheirDefaults();
    void environmentOverridesEachSection_data();
    void environmentOverridesEachSection();
    void environmentAddsAnOperator();
    void invalidKeyGivesItsOneLineError_data();
    void invalidKeyGivesItsOneLineError();
    void secretNeverAppearsInAnyError();
    void missingFileIsAnErrorNamingTheFile();
    void folderInsteadOfFileIsAnError();
    void parseListen_data();
    void parseListen();
    void tokenUrlFillsInTheTenant();
    void keyReferenceNamesEveryKey();
    void exampleConfigLoadsAndNamesEveryKey();

private:
    QList<Entry> baseEntries() const;
    //! Writes the entries as an INI file with a new name (QSettings caches files by name).
    QString writeIni(const QList<Entry> &entries);
    QString writeFile(const QString &name, const QByteArray &content);
    std::optional<RelayConfig> load(
        const QList<Entry> &entries, const QProcessEnvironment &env, QString *error);

    QTemporaryDir m_dir;
    QString m_jwksFile;
    int m_files = 0;
};

void TstRelayConfig::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"key-1"_s);
    QVERIFY(signer.isValid());
    m_jwksFile = writeFile(u"keys.json"_s, signer.jwksJson());
    writeFile(u"garbage.txt"_s, "this is neither PEM nor JSON\n"_ba);
    writeFile(u"empty-keys.json"_s, R"({"keys":[]})"_ba);
}

QList<Entry> TstRelayConfig::baseEntries() const
{
    return {
        { u"server"_s, u"listen"_s, u"127.0.0.1:8080"_s },
        { u"server"_s, u"dataDir"_s, m_dir.filePath(u"data"_s) },
        { u"server"_s, u"maxBodyBytes"_s, u"1048576"_s },
        { u"graph"_s, u"baseUrl"_s, u"https://graph.microsoft.com/v1.0"_s },
        { u"graph"_s, u"tokenUrl"_s,
            u"https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token"_s },
        { u"graph"_s, u"tenantId"_s, u"contoso.onmicrosoft.com"_s },
        { u"graph"_s, u"clientId"_s, u"11111111-2222-3333-4444-555555555555"_s },
        { u"callbacks"_s, u"publicUrl"_s, u"https://relay.example.org/callbacks"_s },
        { u"callbacks"_s, u"jwksFile"_s, m_jwksFile },
        { u"callbacks"_s, u"issuers"_s,
            u"https://graph.microsoft.com,https://api.botframework.com"_s },
        { u"operators"_s, u"alice"_s, u"operator:"_s + AliceHash },
        { u"operators"_s, u"bob"_s, u"supervisor:"_s + BobHash },
        { u"policy"_s, u"answerDeadlineSeconds"_s, u"10"_s },
        { u"policy"_s, u"unattended"_s, u"answer"_s },
        { u"policy"_s, u"blocklist"_s, u"+15550100,+15550101"_s },
    };
}

QString TstRelayConfig::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

QString TstRelayConfig::writeIni(const QList<Entry> &entries)
{
    QByteArray text = "; written by tst_relayconfig\n";
    QString section;
    for (const auto &[s, key, value] : entries) {
        if (s != section) {
            section = s;
            text += "\n[" + section.toUtf8() + "]\n";
        }
        text += key.toUtf8() + '=' + value.toUtf8() + '\n';
    }
    return writeFile(u"relay-%1.ini"_s.arg(++m_files), text);
}

std::optional<RelayConfig> TstRelayConfig::load(
    const QList<Entry> &entries, const QProcessEnvironment &env, QString *error)
{
    return RelayConfig::load(writeIni(entries), env, error);
}

void TstRelayConfig::fullValidFileLoadsEveryKey()
{
    // The contract's example, with its comments, and every key set.
    QString text = uR"(
[server]
listen=127.0.0.1:8080            ; TLS is terminated in front
dataDir={dir}/data               ; SQLite journal and state
maxBodyBytes=1048576
[graph]
baseUrl=https://graph.microsoft.com/v1.0
tokenUrl=https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token
tenantId=contoso.onmicrosoft.com
clientId=11111111-2222-3333-4444-555555555555   ; also the audience of callbacks
clientSecret={secret}
[callbacks]
publicUrl=https://relay.example.org/callbacks   ; sent to Graph as callbackUri
jwksUrl=https://keys.example.org/jwks
jwksFile={jwks}
issuers=https://graph.microsoft.com,https://api.botframework.com
[operators]
; NAME=ROLE:SHA256HEX-OF-TOKEN   roles: operator, supervisor
alice=operator:{alice}
bob=supervisor:{bob}
[policy]
answerDeadlineSeconds=10         ; act before Graph's 15 s ring timeout
unattended=answer                ; answer | redirect | none
holdPromptUri=https://cdn.example.org/hold.wav
redirectTarget=+15550199
blocklist=+15550100,+15550101    ; seed list
[journal]
resumeWindowHours=48
endedRetentionMinutes=15
)"_s;
    text.replace("{dir}"_L1, m_dir.path())
        .replace("{secret}"_L1, Secret)
        .replace("{jwks}"_L1, m_jwksFile)
        .replace("{alice}"_L1, AliceHash)
        .replace("{bob}"_L1, BobHash);
    const QString path = writeFile(u"full.ini"_s, text.toUtf8());

    QString error;
    const std::optional<RelayConfig> config = RelayConfig::load(path, {}, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->listenHost, QHostAddress(u"127.0.0.1"_s));
    QCOMPARE(config->listenPort, quint16(8080));
    QCOMPARE(config->dataDir, m_dir.filePath(u"data"_s));
    QCOMPARE(config->maxBodyBytes, qint64(1048576));
    QVERIFY(config->certificateFile.isEmpty());
    QVERIFY(!config->tlsEnabled());
    QCOMPARE(config->graphBaseUrl, QUrl(u"https://graph.microsoft.com/v1.0"_s));
    QCOMPARE(config->tenantId, u"contoso.onmicrosoft.com"_s);
    QCOMPARE(config->tokenUrl(),
        QUrl(u"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"_s));
    QCOMPARE(config->clientId, u"11111111-2222-3333-4444-555555555555"_s);
    QCOMPARE(config->clientSecret, Secret);
    QCOMPARE(config->publicUrl, QUrl(u"https://relay.example.org/callbacks"_s));
    QCOMPARE(config->jwksUrl, QUrl(u"https://keys.example.org/jwks"_s));
    QCOMPARE(config->jwksFile, m_jwksFile);
    QCOMPARE(config->issuers,
        QStringList({ u"https://graph.microsoft.com"_s, u"https://api.botframework.com"_s }));
    QCOMPARE(config->operators.size(), 2);
    QCOMPARE(config->operators.at(0).name, u"alice"_s);
    QCOMPARE(config->operators.at(0).role, Relay::Role::Operator);
    QCOMPARE(config->operators.at(0).tokenSha256, QByteArray::fromHex(AliceHash.toLatin1()));
    QCOMPARE(config->operators.at(1).name, u"bob"_s);
    QCOMPARE(config->operators.at(1).role, Relay::Role::Supervisor);
    QCOMPARE(config->answerDeadline, 10s);
    QCOMPARE(config->unattended, Relay::UnattendedMode::Answer);
    QCOMPARE(config->holdPromptUri, QUrl(u"https://cdn.example.org/hold.wav"_s));
    QCOMPARE(config->redirectTarget, u"+15550199"_s);
    QCOMPARE(config->blocklist, QStringList({ u"+15550100"_s, u"+15550101"_s }));
    QCOMPARE(config->resumeWindow, 48h);
    QCOMPARE(config->endedRetention, 15min);
}

void TstRelayConfig::absentOptionalKeysKeepTheirDefaults()
{
    const QList<Entry> entries {
        { u"graph"_s, u"tenantId"_s, u"tenant-1"_s },
        { u"graph"_s, u"clientId"_s, u"app-1"_s },
        { u"callbacks"_s, u"publicUrl"_s, u"http://127.0.0.1:9000/callbacks"_s },
    };
    QString error;
    const std::optional<RelayConfig> config = load(entries, {}, &error);
    QVERIFY2(config, qPrintable(error));
    const RelayConfig defaults;
    QCOMPARE(config->listenHost, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config->listenPort, quint16(8080));
    QCOMPARE(config->dataDir, u"/var/lib/frontdesk-relay"_s);
    QCOMPARE(config->maxBodyBytes, qint64(1048576));
    QCOMPARE(config->graphBaseUrl, defaults.graphBaseUrl);
    QCOMPARE(
        config->jwksUrl, QUrl(u"https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"_s));
    QVERIFY(config->jwksFile.isEmpty());
    QCOMPARE(config->issuers, defaults.issuers);
    QVERIFY(config->operators.isEmpty());
    QVERIFY(config->clientSecret.isEmpty());
    QCOMPARE(config->answerDeadline, 10s);
    QCOMPARE(config->unattended, Relay::UnattendedMode::Answer);
    QVERIFY(config->blocklist.isEmpty());
    QCOMPARE(config->resumeWindow, 24h);
    QCOMPARE(config->endedRetention, 10min);
}

void TstRelayConfig::environmentOverridesEachSection_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("server listen")
        << u"FRONTDESK_RELAY_SERVER_LISTEN"_s << u"[::1]:0"_s << u"listen"_s << u"[::1]:0"_s;
    QTest::newRow("server dataDir") << u"FRONTDESK_RELAY_SERVER_DATADIR"_s << u"/srv/relay"_s
                                    << u"dataDir"_s << u"/srv/relay"_s;
    QTest::newRow("graph clientSecret (a secret)")
        << SecretVar << Secret << u"clientSecret"_s << Secret;
    QTest::newRow("graph clientId") << u"FRONTDESK_RELAY_GRAPH_CLIENTID"_s << u"app-from-env"_s
                                    << u"clientId"_s << u"app-from-env"_s;
    QTest::newRow("callbacks publicUrl")
        << u"FRONTDESK_RELAY_CALLBACKS_PUBLICURL"_s << u"https://other.example.org/cb"_s
        << u"publicUrl"_s << u"https://other.example.org/cb"_s;
    QTest::newRow("callbacks issuers")
        << u"FRONTDESK_RELAY_CALLBACKS_ISSUERS"_s << u"https://a.example, https://b.example"_s
        << u"issuers"_s << u"https://a.example|https://b.example"_s;
    QTest::newRow("operators alice")
        << u"FRONTDESK_RELAY_OPERATORS_ALICE"_s << u"supervisor:"_s + QString(64, u'D')
        << u"alice"_s << u"supervisor "_s + QString(64, u'd');
    QTest::newRow("policy unattended")
        << u"FRONTDESK_RELAY_POLICY_UNATTENDED"_s << u"none"_s << u"unattended"_s << u"none"_s;
    QTest::newRow("policy blocklist") << u"FRONTDESK_RELAY_POLICY_BLOCKLIST"_s << u"+15550999"_s
                                      << u"blocklist"_s << u"+15550999"_s;
    QTest::newRow("journal resumeWindowHours") << u"FRONTDESK_RELAY_JOURNAL_RESUMEWINDOWHOURS"_s
                                               << u"72"_s << u"resumeWindowHours"_s << u"72"_s;
}

void TstRelayConfig::environmentOverridesEachSection()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, field);
    QFETCH(QString, expected);

    QProcessEnvironment env;
    env.insert(variable, value);
    QString error;
    const std::optional<RelayConfig> config = load(baseEntries(), env, &error);
    QVERIFY2(config, qPrintable(error));

    QString actual;
    if (field == "listen"_L1)
        actual = RelayConfig::formatHostPort(config->listenHost, config->listenPort);
    else if (field == "dataDir"_L1)
        actual = config->dataDir;
    else if (field == "clientSecret"_L1)
        actual = config->clientSecret;
    else if (field == "clientId"_L1)
        actual = config->clientId;
    else if (field == "publicUrl"_L1)
        actual = config->publicUrl.toString();
    else if (field == "issuers"_L1)
        actual = config->issuers.join(u'|');
    else if (field == "alice"_L1)
        actual = Relay::roleName(config->operators.at(0).role) + u' '
            + QString::fromLatin1(config->operators.at(0).tokenSha256.toHex());
    else if (field == "unattended"_L1)
        actual = Relay::unattendedModeName(config->unattended);
    else if (field == "blocklist"_L1)
        actual = config->blocklist.join(u'|');
    else if (field == "resumeWindowHours"_L1)
        actual = QString::number(config->resumeWindow.count());
    QCOMPARE(actual, expected);
}

void TstRelayConfig::environmentAddsAnOperator()
{
    QProcessEnvironment env;
    env.insert(u"FRONTDESK_RELAY_OPERATORS_CAROL"_s, u"operator:"_s + QString(64, u'c'));
    QString error;
    const std::optional<RelayConfig> config = load(baseEntries(), env, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->operators.size(), 3);
    QCOMPARE(config->operators.at(2).name, u"carol"_s);
    QCOMPARE(config->operators.at(2).role, Relay::Role::Operator);
    QCOMPARE(config->operators.at(2).tokenSha256, QByteArray(32, char(0xcc)));
}

void TstRelayConfig::invalidKeyGivesItsOneLineError_data()
{
    // changes: "section/key=value" sets a key in the file, "-section/key" removes it,
    // "env:NAME=value" sets an environment variable. {dir} is the test's temporary folder.
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, QStringList changes, QString expected) {
        QTest::newRow(name) << changes << expected;
    };
    const QString shape = u"expected HOST:PORT with an IP address, IPv6 in brackets"_s;
    row("listen without host", { u"server/listen=8080"_s },
        u"[server] listen: "_s + shape + u" (got 8080)"_s);
    row("listen with a host name", { u"server/listen=relay.example.org:80"_s },
        u"[server] listen: "_s + shape + u" (got relay.example.org:80)"_s);
    row("listen port too large", { u"server/listen=127.0.0.1:70000"_s },
        u"[server] listen: the port must be between 0 and 65535 (got 70000)"_s);
    row("dataDir empty", { u"server/dataDir="_s }, u"[server] dataDir: must not be empty"_s);
    row("maxBodyBytes zero", { u"server/maxBodyBytes=0"_s },
        u"[server] maxBodyBytes: must be between 1 and 1073741824 (got 0)"_s);
    row("maxBodyBytes not a number", { u"server/maxBodyBytes=lots"_s },
        u"[server] maxBodyBytes: must be between 1 and 1073741824 (got lots)"_s);
    row("certificate without privateKey", { u"server/certificate={dir}/cert.pem"_s },
        u"[server] privateKey: required when certificate is set"_s);
    row("privateKey without certificate", { u"server/privateKey={dir}/key.pem"_s },
        u"[server] certificate: required when privateKey is set"_s);
    row("certificate missing",
        { u"server/certificate={dir}/none.pem"_s, u"server/privateKey={dir}/none.key"_s },
        u"[server] certificate: cannot read {dir}/none.pem: No such file or directory"_s);
    row("certificate not PEM",
        { u"server/certificate={dir}/garbage.txt"_s, u"server/privateKey={dir}/garbage.txt"_s },
        u"[server] certificate: no PEM certificate in {dir}/garbage.txt"_s);
    row("unknown key", { u"server/lisen=127.0.0.1:1"_s }, u"[server] lisen: unknown key"_s);
    row("unknown section", { u"sever/listen=127.0.0.1:1"_s }, u"[sever]: unknown section"_s);
    row("baseUrl relative", { u"graph/baseUrl=graph.microsoft.com/v1.0"_s },
        u"[graph] baseUrl: must be an absolute http(s) URL (got graph.microsoft.com/v1.0)"_s);
    row("baseUrl ftp", { u"graph/baseUrl=ftp://graph.microsoft.com"_s },
        u"[graph] baseUrl: must be an absolute http(s) URL (got ftp://graph.microsoft.com)"_s);
    row("tokenUrl not a URL", { u"graph/tokenUrl=token endpoint"_s },
        u"[graph] tokenUrl: must be an absolute http(s) URL (got token endpoint)"_s);
    row("tenantId missing", { u"-graph/tenantId"_s },
        u"[graph] tenantId: required (tokenUrl contains {tenantId})"_s);
    row("clientId missing", { u"-graph/clientId"_s },
        u"[graph] clientId: required (the bot's application id; also the audience of callbacks)"_s);
    row("clientSecret with a line break", { u"env:FRONTDESK_RELAY_GRAPH_CLIENTSECRET=ab\ncd"_s },
        u"[graph] clientSecret: contains a line break or another control character"_s);
    row("publicUrl missing", { u"-callbacks/publicUrl"_s },
        u"[callbacks] publicUrl: required (the URL Graph posts callbacks to)"_s);
    row("publicUrl relative", { u"callbacks/publicUrl=/callbacks"_s },
        u"[callbacks] publicUrl: must be an absolute http(s) URL (got /callbacks)"_s);
    row("neither jwksUrl nor jwksFile", { u"-callbacks/jwksFile"_s, u"callbacks/jwksUrl="_s },
        u"[callbacks] jwksUrl: required when jwksFile is not set"_s);
    row("jwksUrl not a URL", { u"callbacks/jwksUrl=keys"_s },
        u"[callbacks] jwksUrl: must be an absolute http(s) URL (got keys)"_s);
    row("jwksFile missing", { u"callbacks/jwksFile={dir}/none.json"_s },
        u"[callbacks] jwksFile: cannot read {dir}/none.json: No such file or directory"_s);
    QString why;
    Graph::Jwks::fromJson("this is neither PEM nor JSON\n", &why);
    row("jwksFile not a JWKS", { u"callbacks/jwksFile={dir}/garbage.txt"_s },
        u"[callbacks] jwksFile: {dir}/garbage.txt is not a JWKS: "_s + why);
    row("jwksFile without keys", { u"callbacks/jwksFile={dir}/empty-keys.json"_s },
        u"[callbacks] jwksFile: {dir}/empty-keys.json holds no usable RS256 key"_s);
    row("issuers empty", { u"callbacks/issuers=\" , \""_s },
        u"[callbacks] issuers: must name at least one issuer"_s);
    row("operator without role", { u"operators/alice="_s + AliceHash },
        u"[operators] alice: expected ROLE:SHA256HEX"_s);
    row("operator with an unknown role", { u"operators/alice=admin:"_s + AliceHash },
        u"[operators] alice: the role must be operator or supervisor"_s);
    row("operator hash too short", { u"operators/alice=operator:abc123"_s },
        u"[operators] alice: the token hash must be 64 hex digits (the token's SHA-256)"_s);
    row("operator token instead of hash",
        { u"operators/alice=operator:plain-Token-Pasted-By-Mistake"_s },
        u"[operators] alice: the token hash must be 64 hex digits (the token's SHA-256)"_s);
    row("operators sharing a token", { u"operators/bob=supervisor:"_s + AliceHash },
        u"[operators] bob: has the same token as alice"_s);
    row("operator name with odd characters", { u"operators/al!ce=operator:"_s + QString(64, u'a') },
        u"[operators] al!ce: a name may hold only letters, digits and . _ - @"_s);
    row("answerDeadlineSeconds 20", { u"policy/answerDeadlineSeconds=20"_s },
        u"[policy] answerDeadlineSeconds: must be between 1 and 14 (got 20)"_s);
    row("answerDeadlineSeconds 15", { u"policy/answerDeadlineSeconds=15"_s },
        u"[policy] answerDeadlineSeconds: must be between 1 and 14 (got 15)"_s);
    row("answerDeadlineSeconds 0", { u"policy/answerDeadlineSeconds=0"_s },
        u"[policy] answerDeadlineSeconds: must be between 1 and 14 (got 0)"_s);
    row("answerDeadlineSeconds from the environment",
        { u"env:FRONTDESK_RELAY_POLICY_ANSWERDEADLINESECONDS=ten"_s },
        u"[policy] answerDeadlineSeconds: must be between 1 and 14 (got ten)"_s);
    row("unattended unknown", { u"policy/unattended=hold"_s },
        u"[policy] unattended: must be answer, redirect or none (got hold)"_s);
    row("redirect without target", { u"policy/unattended=redirect"_s },
        u"[policy] redirectTarget: required when unattended=redirect"_s);
    row("redirectTarget bad number", { u"policy/redirectTarget=+0123"_s },
        u"[policy] redirectTarget: must be a user id or a +E.164 number (got +0123)"_s);
    row("holdPromptUri relative", { u"policy/holdPromptUri=hold.wav"_s },
        u"[policy] holdPromptUri: must be an absolute http(s) URL (got hold.wav)"_s);
    row("blocklist entry with a space", { u"policy/blocklist=+1555 0100"_s },
        u"[policy] blocklist: an entry must not contain spaces (got +1555 0100)"_s);
    row("resumeWindowHours zero", { u"journal/resumeWindowHours=0"_s },
        u"[journal] resumeWindowHours: must be between 1 and 8760 (got 0)"_s);
    row("endedRetentionMinutes too large", { u"journal/endedRetentionMinutes=1441"_s },
        u"[journal] endedRetentionMinutes: must be between 1 and 1440 (got 1441)"_s);
}

void TstRelayConfig::invalidKeyGivesItsOneLineError()
{
    QFETCH(QStringList, changes);
    QFETCH(QString, expected);
    const QString dir = m_dir.path();
    expected.replace("{dir}"_L1, dir);

    QList<Entry> entries = baseEntries();
    QProcessEnvironment env;
    env.insert(SecretVar, Secret);
    for (QString change : std::as_const(changes)) {
        change.replace("{dir}"_L1, dir);
        if (change.startsWith("env:"_L1)) {
            const qsizetype eq = change.indexOf(u'=');
            env.insert(change.mid(4, eq - 4), change.mid(eq + 1));
            continue;
        }
        const bool remove = change.startsWith(u'-');
        const qsizetype slash = change.indexOf(u'/');
        const qsizetype eq = change.indexOf(u'=');
        const QString section = change.mid(remove ? 1 : 0, slash - (remove ? 1 : 0));
        const QString key = remove ? change.mid(slash + 1) : change.mid(slash + 1, eq - slash - 1);
        const auto it = std::find_if(entries.begin(), entries.end(),
            [&](const Entry &e) { return std::get<0>(e) == section && std::get<1>(e) == key; });
        if (remove) {
            QVERIFY(it != entries.end());
            entries.erase(it);
        } else if (it != entries.end()) {
            std::get<2>(*it) = change.mid(eq + 1);
        } else {
            // Keep the sections together.
            const auto last = std::find_if(entries.rbegin(), entries.rend(),
                [&](const Entry &e) { return std::get<0>(e) == section; });
            entries.insert(last == entries.rend() ? entries.end() : last.base(),
                Entry { section, key, change.mid(eq + 1) });
        }
    }

    QString error;
    const std::optional<RelayConfig> config = load(entries, env, &error);
    QVERIFY(!config);
    QCOMPARE(error, expected);
    QVERIFY(!error.contains(u'\n'));
    QVERIFY(!error.contains(Secret));
    QVERIFY(!error.contains("plain-Token"_L1));
}

void TstRelayConfig::secretNeverAppearsInAnyError()
{
    // The secret is in the file and in the environment; whether the error is about the secret
    // itself (a line break) or about another key, no part of it is quoted.
    const QList<QString> secrets { Secret, u"line\nbreak-"_s + Secret };
    for (const QString &secret : secrets) {
        QList<Entry> entries = baseEntries();
        entries.insert(3, { u"graph"_s, u"clientSecret"_s, u"file-"_s + Secret });
        entries.append({ u"policy"_s, u"unattended"_s, u"bogus"_s });
        QProcessEnvironment env;
        env.insert(SecretVar, secret);
        QString error;
        QVERIFY(!load(entries, env, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY2(!error.contains(Secret), qPrintable(error));
        QVERIFY(!error.contains("break-"_L1));
    }
}

void TstRelayConfig::missingFileIsAnErrorNamingTheFile()
{
    const QString path = m_dir.filePath(u"does-not-exist.ini"_s);
    QString error;
    QVERIFY(!RelayConfig::load(path, {}, &error));
    QCOMPARE(
        error, u"cannot read the configuration file %1: No such file or directory"_s.arg(path));
}

void TstRelayConfig::folderInsteadOfFileIsAnError()
{
    QString error;
    QVERIFY(!RelayConfig::load(m_dir.path(), {}, &error));
    QCOMPARE(error, u"cannot read the configuration file %1: it is a folder"_s.arg(m_dir.path()));
}

void TstRelayConfig::parseListen_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("IPv4") << u"127.0.0.1:8080"_s << true << u"127.0.0.1"_s << 8080;
    QTest::newRow("port 0") << u"127.0.0.1:0"_s << true << u"127.0.0.1"_s << 0;
    QTest::newRow("IPv6 in brackets") << u"[::1]:9000"_s << true << u"::1"_s << 9000;
    QTest::newRow("IPv6 any") << u"[::]:80"_s << true << u"::"_s << 80;
    QTest::newRow("localhost") << u"localhost:8080"_s << true << u"127.0.0.1"_s << 8080;
    QTest::newRow("any address") << u"0.0.0.0:443"_s << true << u"0.0.0.0"_s << 443;
    QTest::newRow("IPv6 without brackets") << u"::1:9000"_s << false << QString() << 0;
    QTest::newRow("IPv4 in brackets") << u"[127.0.0.1]:80"_s << false << QString() << 0;
    QTest::newRow("no port") << u"127.0.0.1"_s << false << QString() << 0;
    QTest::newRow("empty port") << u"127.0.0.1:"_s << false << QString() << 0;
    QTest::newRow("signed port") << u"127.0.0.1:+80"_s << false << QString() << 0;
    QTest::newRow("port too large") << u"127.0.0.1:65536"_s << false << QString() << 0;
    QTest::newRow("no host") << u":80"_s << false << QString() << 0;
    QTest::newRow("host name") << u"example.org:80"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TstRelayConfig::parseListen()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, host);
    QFETCH(int, port);

    QString error;
    const std::optional<Relay::ListenAddress> address = RelayConfig::parseListen(text, &error);
    QCOMPARE(address.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(address->host, QHostAddress(host));
    QCOMPARE(address->port, quint16(port));
}

void TstRelayConfig::tokenUrlFillsInTheTenant()
{
    RelayConfig config;
    config.tenantId = u"00000000-0000-0000-0000-000000000001"_s;
    QCOMPARE(config.tokenUrl(),
        QUrl(u"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/"
             u"oauth2/v2.0/token"_s));
    config.tokenUrlTemplate = u"http://127.0.0.1:4000/{tenantId}/oauth2/v2.0/token"_s;
    QCOMPARE(config.tokenUrl(),
        QUrl(u"http://127.0.0.1:4000/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token"_s));
}

void TstRelayConfig::keyReferenceNamesEveryKey()
{
    const QString reference = RelayConfig::keyReference();
    const QStringList expected {
        u"[server]"_s,
        u"listen"_s,
        u"dataDir"_s,
        u"maxBodyBytes"_s,
        u"certificate"_s,
        u"privateKey"_s,
        u"[graph]"_s,
        u"baseUrl"_s,
        u"tokenUrl"_s,
        u"tenantId"_s,
        u"clientId"_s,
        u"clientSecret"_s,
        u"[callbacks]"_s,
        u"publicUrl"_s,
        u"jwksUrl"_s,
        u"jwksFile"_s,
        u"issuers"_s,
        u"[operators]"_s,
        u"[policy]"_s,
        u"answerDeadlineSeconds"_s,
        u"unattended"_s,
        u"holdPromptUri"_s,
        u"redirectTarget"_s,
        u"blocklist"_s,
        u"[journal]"_s,
        u"resumeWindowHours"_s,
        u"endedRetentionMinutes"_s,
    };
    for (const QString &key : expected)
        QVERIFY2(reference.contains(key), qPrintable(key));
}

void TstRelayConfig::exampleConfigLoadsAndNamesEveryKey()
{
    // relay/frontdesk-relay.example.ini is documentation that must stay loadable.
    const QString path =
        QStringLiteral(FRONTDESK_TEST_DATA_DIR) + u"/../../relay/frontdesk-relay.example.ini"_s;
    QVERIFY2(QFile::exists(path), qPrintable(path));
    QString error;
    const std::optional<RelayConfig> config = RelayConfig::load(path, {}, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->publicUrl, QUrl(u"https://relay.example.org/callbacks"_s));
    QCOMPARE(config->answerDeadline, 10s);
    QVERIFY(config->clientSecret.isEmpty());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const QStringList keys { u"listen="_s, u"dataDir="_s, u"maxBodyBytes="_s, u"certificate="_s,
        u"privateKey="_s, u"baseUrl="_s, u"tokenUrl="_s, u"tenantId="_s, u"clientId="_s,
        u"clientSecret="_s, u"applicationInstanceId="_s, u"publicUrl="_s, u"jwksUrl="_s,
        u"jwksFile="_s, u"issuers="_s, u"answerDeadlineSeconds="_s, u"unattended="_s,
        u"holdPromptUri="_s, u"redirectTarget="_s, u"blocklist="_s, u"resumeWindowHours="_s,
        u"endedRetentionMinutes="_s };
    for (const QString &key : keys)
        QVERIFY2(text.contains(u'\n' + key), qPrintable(key));
}

QTEST_GUILESS_MAIN(TstRelayConfig)
#include "tst_relayconfig.moc"

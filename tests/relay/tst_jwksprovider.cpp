// JwksProvider: the callback keys from a file or a URL (an OpenID configuration or a JWKS), the
// refetch on an unknown kid at most once a minute, and what a failed fetch leaves behind.
#include "graph/clock.h"
#include "graph/jwt.h"
#include "recordingserver.h"
#include "relay/jwksprovider.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Relay;
using TestSupport::CannedResponse;

namespace {

QByteArray keySet(const QList<const Graph::JwtSigner *> &signers)
{
    QJsonArray keys;
    for (const Graph::JwtSigner *signer : signers)
        keys.append(signer->publicJwk());
    return QJsonDocument(QJsonObject { { "keys"_L1, keys } }).toJson(QJsonDocument::Compact);
}

// What withKey() answered, and when.
struct Answer
{
    int calls = 0;
    Graph::Jwks keys;
};

} // namespace

class JwksProviderTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void loadsFile();
    void refusesUnreadableOrInvalidFile();
    void fileKeysAreNeverRefetched();
    void followsOpenIdConfigurationToJwksUri();
    void fetchesJwksUrlDirectly();
    void knownKidIsAnsweredWithoutFetch();
    void unknownKidRefetchesAtMostOncePerMinute();
    void waitersAreAnsweredAfterTheFetch();
    void fetchFailureKeepsOldKeys_data();
    void fetchFailureKeepsOldKeys();

private:
    std::function<void(const Graph::Jwks &)> recorder(Answer *answer)
    {
        return [answer](const Graph::Jwks &keys) {
            ++answer->calls;
            answer->keys = keys;
        };
    }

    Graph::JwtSigner m_first;
    Graph::JwtSigner m_second;
    std::unique_ptr<Graph::ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<TestSupport::RecordingServer> m_server;
    std::unique_ptr<JwksProvider> m_provider;
};

void JwksProviderTest::initTestCase()
{
    m_first = Graph::JwtSigner::generate(u"key-one"_s);
    m_second = Graph::JwtSigner::generate(u"key-two"_s);
    QVERIFY(m_first.isValid() && m_second.isValid());
}

void JwksProviderTest::init()
{
    m_clock = std::make_unique<Graph::ManualClock>();
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_server = std::make_unique<TestSupport::RecordingServer>();
    QVERIFY(m_server->isListening());
    m_provider = std::make_unique<JwksProvider>(m_nam.get(), m_clock.get());
}

void JwksProviderTest::cleanup()
{
    m_provider.reset();
    m_server.reset();
    m_nam.reset();
    m_clock.reset();
}

void JwksProviderTest::loadsFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"jwks.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(keySet({ &m_first, &m_second }));
    file.close();

    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    QString error;
    QVERIFY2(m_provider->loadFile(path, &error), qPrintable(error));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_provider->keys().keyIds(), (QStringList { u"key-one"_s, u"key-two"_s }));
    // The keys verify what the signer signed.
    Graph::JwtVerifyOptions options;
    options.issuers = { u"https://graph.microsoft.com"_s };
    options.audience = u"client"_s;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray token =
        m_second.sign(QJsonObject { { "iss"_L1, u"https://graph.microsoft.com"_s },
            { "aud"_L1, u"client"_s }, { "tid"_L1, u"tenant"_s }, { "exp"_L1, now + 600 } });
    QVERIFY(Graph::verifyJwt(token, m_provider->keys(), options).ok());
}

void JwksProviderTest::refusesUnreadableOrInvalidFile()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!m_provider->loadFile(dir.filePath(u"missing.json"_s), &error));
    QVERIFY(error.contains(u"missing.json"_s));

    const QString path = dir.filePath(u"bad.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"not\":\"a key set\"}");
    file.close();
    error.clear();
    QVERIFY(!m_provider->loadFile(path, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(m_provider->keys().isEmpty());
}

void JwksProviderTest::fileKeysAreNeverRefetched()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"jwks.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(keySet({ &m_first }));
    file.close();
    QString error;
    QVERIFY2(m_provider->loadFile(path, &error), qPrintable(error));

    Answer answer;
    m_provider->withKey(u"key-two"_s, this, recorder(&answer));
    // Nothing to fetch from: answered at once with the file's keys.
    QCOMPARE(answer.calls, 1);
    QVERIFY(!answer.keys.contains(u"key-two"_s));
    QCOMPARE(m_provider->fetchCount(), 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void JwksProviderTest::followsOpenIdConfigurationToJwksUri()
{
    const QJsonObject configuration {
        { "issuer"_L1, u"https://api.botframework.com"_s },
        { "jwks_uri"_L1, m_server->url(u"/v1/.well-known/keys"_s).toString() },
        { "id_token_signing_alg_values_supported"_L1, QJsonArray { u"RS256"_s } },
    };
    m_server->enqueue(
        "GET", u"/v1/.well-known/OpenIdConfiguration"_s, CannedResponse::json(200, configuration));
    m_server->enqueue("GET", u"/v1/.well-known/keys"_s,
        CannedResponse::raw(200, keySet({ &m_first }), "application/json"));

    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    QSignalSpy failed(m_provider.get(), &JwksProvider::fetchFailed);
    m_provider->setUrl(m_server->url(u"/v1/.well-known/OpenIdConfiguration"_s));
    m_provider->refresh();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(m_provider->keys().keyIds(), QStringList { u"key-one"_s });
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_server->requests()[0].path, u"/v1/.well-known/OpenIdConfiguration"_s);
    QCOMPARE(m_server->requests()[1].path, u"/v1/.well-known/keys"_s);
    QCOMPARE(m_provider->fetchCount(), 1);
}

void JwksProviderTest::fetchesJwksUrlDirectly()
{
    m_server->enqueue("GET", u"/keys.json"_s,
        CannedResponse::raw(200, keySet({ &m_first, &m_second }), "application/json"));
    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    m_provider->setUrl(m_server->url(u"/keys.json"_s));
    m_provider->refresh();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(m_provider->keys().size(), 2);
    QCOMPARE(m_server->requestCount(), 1);
}

void JwksProviderTest::knownKidIsAnsweredWithoutFetch()
{
    m_server->setDefaultResponse(
        CannedResponse::raw(200, keySet({ &m_first }), "application/json"));
    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    m_provider->setUrl(m_server->url(u"/keys"_s));
    m_provider->refresh();
    QTRY_COMPARE(changed.size(), 1);

    m_clock->advance(std::chrono::minutes(5));
    Answer answer;
    m_provider->withKey(u"key-one"_s, this, recorder(&answer));
    QCOMPARE(answer.calls, 1);
    QVERIFY(answer.keys.contains(u"key-one"_s));
    QCOMPARE(m_server->requestCount(), 1);
}

void JwksProviderTest::unknownKidRefetchesAtMostOncePerMinute()
{
    m_server->setDefaultResponse(
        CannedResponse::raw(200, keySet({ &m_first }), "application/json"));
    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    m_provider->setUrl(m_server->url(u"/keys"_s));
    m_provider->refresh();
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(m_server->requestCount(), 1);

    // 59 s after the last fetch: refused by the limit, answered at once with what is there.
    m_clock->advance(std::chrono::seconds(59));
    Answer early;
    m_provider->withKey(u"key-two"_s, this, recorder(&early));
    QCOMPARE(early.calls, 1);
    QVERIFY(!early.keys.contains(u"key-two"_s));
    m_provider->refresh();
    QCOMPARE(m_server->requestCount(), 1);

    // At 60 s a refetch is allowed; the rotated key set now has the kid.
    m_server->setDefaultResponse(
        CannedResponse::raw(200, keySet({ &m_first, &m_second }), "application/json"));
    m_clock->advance(std::chrono::seconds(1));
    Answer late;
    m_provider->withKey(u"key-two"_s, this, recorder(&late));
    QCOMPARE(late.calls, 0); // waits for the fetch
    QTRY_COMPARE(late.calls, 1);
    QVERIFY(late.keys.contains(u"key-two"_s));
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(changed.size(), 2);

    // Another unknown kid right after: no third fetch within the minute.
    Answer third;
    m_provider->withKey(u"key-three"_s, this, recorder(&third));
    QCOMPARE(third.calls, 1);
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_provider->fetchCount(), 2);
}

void JwksProviderTest::waitersAreAnsweredAfterTheFetch()
{
    m_server->setDefaultResponse(
        CannedResponse::raw(200, keySet({ &m_first, &m_second }), "application/json"));
    m_provider->setUrl(m_server->url(u"/keys"_s));

    Answer a;
    Answer b;
    Answer gone;
    auto context = std::make_unique<QObject>();
    m_provider->withKey(u"key-one"_s, this, recorder(&a));
    m_provider->withKey(u"key-two"_s, this, recorder(&b));
    m_provider->withKey(u"key-two"_s, context.get(), recorder(&gone));
    context.reset(); // its callback must not run
    QCOMPARE(a.calls + b.calls, 0);
    QTRY_COMPARE(a.calls, 1);
    QCOMPARE(b.calls, 1);
    QCOMPARE(gone.calls, 0);
    QVERIFY(a.keys.contains(u"key-one"_s));
    QVERIFY(b.keys.contains(u"key-two"_s));
    // One fetch served every waiter.
    QCOMPARE(m_server->requestCount(), 1);
}

void JwksProviderTest::fetchFailureKeepsOldKeys_data()
{
    QTest::addColumn<CannedResponse>("response");
    QTest::newRow("HTTP 500") << CannedResponse::json(500, QJsonObject { { "error"_L1, 1 } });
    QTest::newRow("not JSON") << CannedResponse::raw(200, "<html>", "text/html");
    QTest::newRow("neither JWKS nor OpenID")
        << CannedResponse::json(200, QJsonObject { { "issuer"_L1, u"x"_s } });
    QTest::newRow("connection dropped") << CannedResponse::drop();
    QTest::newRow("jwks_uri not http")
        << CannedResponse::json(200, QJsonObject { { "jwks_uri"_L1, u"file:///etc/passwd"_s } });
}

void JwksProviderTest::fetchFailureKeepsOldKeys()
{
    QFETCH(CannedResponse, response);
    m_server->enqueue(
        "GET", u"/keys"_s, CannedResponse::raw(200, keySet({ &m_first }), "application/json"));
    m_provider->setUrl(m_server->url(u"/keys"_s));
    QSignalSpy changed(m_provider.get(), &JwksProvider::keysChanged);
    QSignalSpy failed(m_provider.get(), &JwksProvider::fetchFailed);
    m_provider->refresh();
    QTRY_COMPARE(changed.size(), 1);

    m_server->setDefaultResponse(response);
    m_clock->advance(std::chrono::minutes(2));
    Answer answer;
    m_provider->withKey(u"key-two"_s, this, recorder(&answer));
    QTRY_COMPARE(answer.calls, 1);
    QCOMPARE(failed.size(), 1);
    QVERIFY(!failed[0][0].toString().isEmpty());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_provider->keys().keyIds(), QStringList { u"key-one"_s });
    QCOMPARE(answer.keys.keyIds(), QStringList { u"key-one"_s });
}

QTEST_GUILESS_MAIN(JwksProviderTest)
#include "tst_jwksprovider.moc"

// POST /callbacks end to end on a loopback port: every status code it answers, and that nothing
// of a refused request reaches the journal, the state or a console. Also /healthz and /metrics.
#include "graph/jwks.h"
#include "graph/jwt.h"
#include "recordingserver.h"
#include "relay/eventhub.h"
#include "relay/eventpublisher.h"
#include "relay/journal.h"
#include "relay/jwksprovider.h"
#include "relay/metrics.h"
#include "relay/operators.h"
#include "relay/relayserver.h"
#include "relay/relaystate.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Relay;

namespace {

const QString Kid = u"graph-key-1"_s;
const QString ClientId = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;
const QString TenantId = u"72f988bf-86f1-41af-91ab-2d7cd011db47"_s;
const QString GraphIssuer = u"https://graph.microsoft.com"_s;
const QByteArray OperatorToken = "alice-secret-token";
constexpr qint64 MaxBody = 1024 * 1024;

QJsonObject notification(const QString &callId, const QString &state)
{
    return QJsonObject {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, state == "incoming"_L1 ? u"created"_s : u"updated"_s },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + callId) },
        { "resourceData"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, callId },
                { "state"_L1, state }, { "direction"_L1, u"incoming"_s } } },
    };
}

QByteArray batch(const QList<QJsonObject> &notifications)
{
    QJsonArray value;
    for (const QJsonObject &n : notifications)
        value.append(n);
    return QJsonDocument(QJsonObject { { "value"_L1, value } }).toJson(QJsonDocument::Compact);
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

QJsonObject without(QJsonObject object, const QString &key)
{
    object.remove(key);
    return object;
}

// A console on /events: every message it receives, parsed.
struct ConsoleClient
{
    QWebSocket socket;
    QList<QJsonObject> messages;

    ConsoleClient(const QUrl &base, const QByteArray &token)
    {
        QObject::connect(
            &socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
                messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
        QUrl url = base;
        url.setScheme(u"ws"_s);
        url.setPath(u"/events"_s);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token);
        socket.open(request);
    }
};

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// The relay's HTTP side, put together from its parts.
struct Fixture
{
    QTemporaryDir dir;
    Graph::ManualClock clock;
    RelayConfig config;
    Journal journal;
    RelayState state;
    Metrics metrics;
    OperatorDirectory operators;
    QNetworkAccessManager nam;
    JwksProvider jwks { &nam, &clock };
    EventHub hub;
    std::unique_ptr<EventPublisher> publisher;
    std::unique_ptr<RelayServer> server;

    explicit Fixture(const QString &connection)
        : journal(dir.filePath(u"journal.sqlite"_s), connection)
        , operators({ OperatorEntry {
              u"alice"_s, Role::Operator, OperatorDirectory::hashToken(OperatorToken) } })
        , hub(&journal, &state, &metrics, EventHub::Timing {},
              u"https://relay.example.org/callbacks"_s)
    {
        config.clientId = ClientId;
        config.tenantId = TenantId;
        config.maxBodyBytes = MaxBody;
        config.publicUrl = QUrl(u"https://relay.example.org/callbacks"_s);
    }

    bool start(QString *error)
    {
        if (!journal.open(error))
            return false;
        RelayServer::Parts parts;
        parts.config = &config;
        parts.journal = &journal;
        parts.state = &state;
        parts.hub = &hub;
        parts.metrics = &metrics;
        parts.operators = &operators;
        parts.jwks = &jwks;
        parts.clock = &clock;
        publisher = std::make_unique<EventPublisher>(&journal, &state, &hub, &metrics, &clock);
        parts.publisher = publisher.get();
        server = std::make_unique<RelayServer>(parts);
        return server->listen(QHostAddress::LocalHost, 0, error);
    }
};

} // namespace

class RelayCallbacksTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void acceptsValidBatch();
    void acceptsJsonWithCharset();
    void refusesBadTokens_data();
    void refusesBadTokens();
    void unknownKidRefetchesAtMostOncePerMinute();
    void refusesNonJsonContentType_data();
    void refusesNonJsonContentType();
    void refusesDeclaredOversizedBodyBeforeReadingIt();
    void refusesOversizedBodyAsItArrives();
    void refusesOversizedChunkedBody();
    void refusesMalformedBody_data();
    void refusesMalformedBody();
    void journalFailureGives500AndAppliesNothing();
    void healthzAndMetricsAfterCallbacks();
    void unknownPathGives404Json();

private:
    QJsonObject validClaims(const Fixture *fixture = nullptr) const;
    QByteArray token(const QJsonObject &claims) const { return m_signer.sign(claims); }
    QByteArray bearer(const QJsonObject &claims) const { return "Bearer " + token(claims); }
    HttpResult post(const QByteArray &contentType, const QByteArray &authorization,
        const QByteArray &body, Fixture *fixture = nullptr);
    HttpResult get(const QString &path);
    struct Observed
    {
        qint64 lastSeq = 0;
        qint64 stateSeq = 0;
        QByteArray state;
        qsizetype consoleMessages = 0;
    };
    Observed observe() const;
    //! Nothing changed since `before`, and the next valid callback is the console's very next
    //! message: nothing of the refused request is still on its way.
    void verifyNothingApplied(const Observed &before);
    QByteArray rawExchange(const QByteArray &request, bool *closedByServer);

    Graph::JwtSigner m_signer;
    QString m_jwksPath;
    QTemporaryDir m_keysDir;
    std::unique_ptr<Fixture> m_fixture;
    std::unique_ptr<ConsoleClient> m_console;
    QNetworkAccessManager m_client;
    int m_fixtureCount = 0;
};

void RelayCallbacksTest::initTestCase()
{
    m_signer = Graph::JwtSigner::generate(Kid);
    QVERIFY(m_signer.isValid());
    QVERIFY(m_keysDir.isValid());
    m_jwksPath = m_keysDir.filePath(u"jwks.json"_s);
    QFile file(m_jwksPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_signer.jwksJson());
}

void RelayCallbacksTest::init()
{
    m_fixture = std::make_unique<Fixture>(u"callbacks-%1"_s.arg(++m_fixtureCount));
    QString error;
    QVERIFY2(m_fixture->jwks.loadFile(m_jwksPath, &error), qPrintable(error));
    QVERIFY2(m_fixture->start(&error), qPrintable(error));
    m_console = std::make_unique<ConsoleClient>(m_fixture->server->baseUrl(), OperatorToken);
    // hello and snapshot
    QTRY_COMPARE(m_console->messages.size(), 2);
    QCOMPARE(m_console->messages[1].value("type"_L1).toString(), u"snapshot"_s);
}

void RelayCallbacksTest::cleanup()
{
    m_console.reset();
    m_fixture.reset();
}

QJsonObject RelayCallbacksTest::validClaims(const Fixture *fixture) const
{
    const qint64 now = (fixture ? fixture : m_fixture.get())->clock.now().toSecsSinceEpoch();
    return QJsonObject {
        { "iss"_L1, GraphIssuer },
        { "aud"_L1, ClientId },
        { "tid"_L1, TenantId },
        { "iat"_L1, now - 300 },
        { "nbf"_L1, now - 300 },
        { "exp"_L1, now + 3600 },
    };
}

HttpResult RelayCallbacksTest::post(const QByteArray &contentType, const QByteArray &authorization,
    const QByteArray &body, Fixture *fixture)
{
    Fixture *f = fixture ? fixture : m_fixture.get();
    QUrl url = f->server->baseUrl();
    url.setPath(u"/callbacks"_s);
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    std::unique_ptr<QNetworkReply> reply(m_client.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000); }();
    return HttpResult { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->readAll(), reply->rawHeader("Content-Type") };
}

HttpResult RelayCallbacksTest::get(const QString &path)
{
    QUrl url = m_fixture->server->baseUrl();
    url.setPath(path);
    std::unique_ptr<QNetworkReply> reply(m_client.get(QNetworkRequest(url)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000); }();
    return HttpResult { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->readAll(), reply->rawHeader("Content-Type") };
}

RelayCallbacksTest::Observed RelayCallbacksTest::observe() const
{
    return Observed { m_fixture->journal.lastSeq(), m_fixture->state.seq(),
        m_fixture->state.toCheckpoint(), m_console->messages.size() };
}

void RelayCallbacksTest::verifyNothingApplied(const Observed &before)
{
    QCOMPARE(m_fixture->journal.lastSeq(), before.lastSeq);
    QCOMPARE(m_fixture->state.seq(), before.stateSeq);
    QCOMPARE(m_fixture->state.toCheckpoint(), before.state);
    QCOMPARE(m_console->messages.size(), before.consoleMessages);

    const HttpResult next = post("application/json", bearer(validClaims()),
        batch({ notification(u"barrier-call"_s, u"incoming"_s) }));
    QCOMPARE(next.status, 202);
    QTRY_COMPARE(m_console->messages.size(), before.consoleMessages + 1);
    const QJsonObject event = m_console->messages.constLast();
    QCOMPARE(event.value("type"_L1).toString(), u"event"_s);
    QCOMPARE(event.value("seq"_L1).toInteger(), before.lastSeq + 1);
}

void RelayCallbacksTest::acceptsValidBatch()
{
    QFile fixture(QStringLiteral(FRONTDESK_TEST_DATA_DIR) + u"/graph/batch.json"_s);
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    const QByteArray body = fixture.readAll();
    const QJsonArray sent = QJsonDocument::fromJson(body).object().value("value"_L1).toArray();
    QVERIFY(sent.size() >= 2);
    QSignalSpy appended(m_fixture->server.get(), &RelayServer::eventsAppended);

    const HttpResult result = post("application/json", bearer(validClaims()), body);
    QCOMPARE(result.status, 202);
    QVERIFY(result.body.isEmpty());

    QCOMPARE(m_fixture->journal.lastSeq(), sent.size());
    QCOMPARE(m_fixture->state.seq(), sent.size());
    QVERIFY(!m_fixture->state.snapshot().calls.isEmpty());
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended[0][0].value<qsizetype>(), sent.size());
    const QList<StreamEvent> journaled = m_fixture->journal.readAfter(0);
    QCOMPARE(journaled.size(), sent.size());

    QTRY_COMPARE(m_console->messages.size(), 2 + sent.size());
    for (qsizetype i = 0; i < sent.size(); ++i) {
        const QJsonObject event = m_console->messages[2 + i];
        QCOMPARE(event.value("type"_L1).toString(), u"event"_s);
        QCOMPARE(event.value("seq"_L1).toInteger(), i + 1);
        // The notification as Graph sent it, unknown fields and all.
        QCOMPARE(event.value("notification"_L1).toObject(), sent[i].toObject());
        QCOMPARE(journaled[i].notification, sent[i].toObject());
        QCOMPARE(journaled[i].at, m_fixture->clock.now());
    }
    QCOMPARE(m_fixture->metrics.callbacks(u"accepted"_s), 1);
    QCOMPARE(m_fixture->metrics.events(), sent.size());
}

void RelayCallbacksTest::acceptsJsonWithCharset()
{
    const HttpResult result = post("application/json; charset=utf-8", bearer(validClaims()),
        batch({ notification(u"call-1"_s, u"incoming"_s) }));
    QCOMPARE(result.status, 202);
    QCOMPARE(m_fixture->journal.lastSeq(), 1);
}

void RelayCallbacksTest::refusesBadTokens_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("jwtError");

    // The fixture (and its clock) exist only inside test functions; rows describe the token.
    QTest::newRow("no header") << QByteArray() << u"None"_s;
    QTest::newRow("not bearer") << QByteArray("Basic YWxpY2U6c2VjcmV0") << u"None"_s;
    QTest::newRow("bearer without token") << QByteArray("Bearer ") << u"None"_s;
    QTest::newRow("forged signature") << QByteArray("forged") << u"BadSignature"_s;
    QTest::newRow("expired") << QByteArray("expired") << u"Expired"_s;
    QTest::newRow("nbf in the future") << QByteArray("nbf") << u"NotYetValid"_s;
    QTest::newRow("wrong audience") << QByteArray("audience") << u"WrongAudience"_s;
    QTest::newRow("wrong issuer") << QByteArray("issuer") << u"WrongIssuer"_s;
    QTest::newRow("unknown kid") << QByteArray("kid") << u"UnknownKey"_s;
    QTest::newRow("alg none") << QByteArray("none") << u"UnsupportedAlgorithm"_s;
    QTest::newRow("missing tid") << QByteArray("tid") << u"MissingClaim"_s;
    QTest::newRow("garbage") << QByteArray("Bearer not.a.jwt") << u"Malformed"_s;
}

void RelayCallbacksTest::refusesBadTokens()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QString, jwtError);

    const qint64 now = m_fixture->clock.now().toSecsSinceEpoch();
    const QJsonObject claims = validClaims();
    if (authorization == "forged") {
        // The same kid, another key: only the signature gives it away.
        authorization = "Bearer " + Graph::JwtSigner::generate(Kid).sign(claims);
    } else if (authorization == "expired") {
        authorization = bearer(with(claims, u"exp"_s, now - 61));
    } else if (authorization == "nbf") {
        authorization = bearer(with(claims, u"nbf"_s, now + 61));
    } else if (authorization == "audience") {
        authorization = bearer(with(claims, u"aud"_s, u"someone-else"_s));
    } else if (authorization == "issuer") {
        authorization = bearer(with(claims, u"iss"_s, u"https://evil.example"_s));
    } else if (authorization == "kid") {
        authorization = "Bearer " + Graph::JwtSigner::generate(u"rotated-key"_s).sign(claims);
    } else if (authorization == "none") {
        const QByteArray header = Graph::encodeBase64Url(QJsonDocument(
            QJsonObject { { "alg"_L1, u"none"_s }, { "typ"_L1, u"JWT"_s },
                { "kid"_L1, Kid } }).toJson(QJsonDocument::Compact));
        const QByteArray payload =
            Graph::encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
        authorization = "Bearer " + header + '.' + payload + '.';
    } else if (authorization == "tid") {
        authorization = bearer(without(claims, u"tid"_s));
    }

    const Observed before = observe();
    const HttpResult result = post("application/json", authorization,
        batch({ notification(u"refused-call"_s, u"incoming"_s) }));
    QCOMPARE(result.status, 401);
    QCOMPARE(
        result.json().value("error"_L1).toObject().value("code"_L1).toString(), u"unauthorized"_s);
    // The answer names the kind of problem, never the token.
    QVERIFY(!result.body.contains(authorization.mid(7, 20)) || authorization.size() < 12);
    if (jwtError != "None"_L1)
        QVERIFY2(result.body.contains(jwtError.toLatin1()), result.body.constData());
    QCOMPARE(m_fixture->metrics.callbacks(u"unauthorized"_s), 1);
    // A file-based key set is never refetched.
    QCOMPARE(m_fixture->jwks.fetchCount(), 0);
    verifyNothingApplied(before);
}

void RelayCallbacksTest::unknownKidRefetchesAtMostOncePerMinute()
{
    const Graph::JwtSigner rotated = Graph::JwtSigner::generate(u"graph-key-2"_s);
    TestSupport::RecordingServer keyServer;
    QVERIFY(keyServer.isListening());
    keyServer.setDefaultResponse(
        TestSupport::CannedResponse::raw(200, m_signer.jwksJson(), "application/json"));

    Fixture f(u"callbacks-url-%1"_s.arg(++m_fixtureCount));
    f.jwks.setUrl(keyServer.url(u"/keys"_s));
    QSignalSpy keysChanged(&f.jwks, &JwksProvider::keysChanged);
    f.jwks.refresh();
    QTRY_COMPARE(keysChanged.size(), 1);
    QString error;
    QVERIFY2(f.start(&error), qPrintable(error));
    const QByteArray body = batch({ notification(u"rotated-call"_s, u"incoming"_s) });
    const QByteArray rotatedToken = "Bearer " + rotated.sign(validClaims(&f));

    // Within the minute of the start-up fetch: no refetch, 401.
    QCOMPARE(post("application/json", rotatedToken, body, &f).status, 401);
    QCOMPARE(keyServer.requestCount(), 1);

    // A minute later the key set is fetched again, but it still lacks the key: 401.
    f.clock.advance(std::chrono::seconds(61));
    QCOMPARE(
        post("application/json", "Bearer " + rotated.sign(validClaims(&f)), body, &f).status, 401);
    QCOMPARE(keyServer.requestCount(), 2);
    // ... and the next unknown kid within that minute does not fetch again.
    QCOMPARE(
        post("application/json", "Bearer " + rotated.sign(validClaims(&f)), body, &f).status, 401);
    QCOMPARE(keyServer.requestCount(), 2);
    QCOMPARE(f.journal.lastSeq(), 0);

    // Graph rotated its keys: the next allowed refetch finds the new one and the callback,
    // held while the keys were fetched, is accepted.
    keyServer.setDefaultResponse(TestSupport::CannedResponse::raw(200,
        QJsonDocument(
            QJsonObject { { "keys"_L1, QJsonArray { m_signer.publicJwk(), rotated.publicJwk() } } })
            .toJson(QJsonDocument::Compact),
        "application/json"));
    f.clock.advance(std::chrono::seconds(61));
    QCOMPARE(
        post("application/json", "Bearer " + rotated.sign(validClaims(&f)), body, &f).status, 202);
    QCOMPARE(keyServer.requestCount(), 3);
    QCOMPARE(f.journal.lastSeq(), 1);
    QCOMPARE(f.metrics.callbacks(u"unauthorized"_s), 3);
}

void RelayCallbacksTest::refusesNonJsonContentType_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("text/plain") << QByteArray("text/plain");
    QTest::newRow("xml") << QByteArray("application/xml");
    QTest::newRow("json-ish") << QByteArray("application/jsonp");
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded");
}

void RelayCallbacksTest::refusesNonJsonContentType()
{
    QFETCH(QByteArray, contentType);
    const Observed before = observe();
    const HttpResult result = post(
        contentType, bearer(validClaims()), batch({ notification(u"text-call"_s, u"incoming"_s) }));
    QCOMPARE(result.status, 415);
    QCOMPARE(m_fixture->metrics.callbacks(u"unsupported_media_type"_s), 1);
    verifyNothingApplied(before);
}

QByteArray RelayCallbacksTest::rawExchange(const QByteArray &request, bool *closedByServer)
{
    QTcpSocket socket;
    QByteArray response;
    QObject::connect(
        &socket, &QTcpSocket::readyRead, &socket, [&] { response.append(socket.readAll()); });
    socket.connectToHost(QHostAddress::LocalHost, m_fixture->server->baseUrl().port());
    [&] { QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState); }();
    socket.write(request);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(response.contains("\r\n\r\n"), 10000); }();
    // The server closes its side after the answer, without waiting for the rest of the body.
    [&] { QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000); }();
    *closedByServer = socket.error() == QAbstractSocket::RemoteHostClosedError;
    return response;
}

void RelayCallbacksTest::refusesDeclaredOversizedBodyBeforeReadingIt()
{
    const Observed before = observe();
    // Only the head is sent: the 413 and the close come without a byte of the 2 MiB body.
    const QByteArray head = "POST /callbacks HTTP/1.1\r\nHost: relay\r\nContent-Type: "
                            "application/json\r\nAuthorization: "
        + bearer(validClaims()) + "\r\nContent-Length: " + QByteArray::number(2 * 1024 * 1024)
        + "\r\n\r\n";
    bool closedByServer = false;
    const QByteArray response = rawExchange(head, &closedByServer);
    QVERIFY2(response.startsWith("HTTP/1.1 413 "), response.constData());
    QVERIFY(response.contains("Connection: close"));
    QVERIFY(closedByServer);
    QCOMPARE(m_fixture->metrics.callbacks(u"too_large"_s), 1);
    verifyNothingApplied(before);
}

void RelayCallbacksTest::refusesOversizedBodyAsItArrives()
{
    const Observed before = observe();
    // A syntactically valid 2 MiB batch, sent in full.
    QByteArray body = batch({ with(notification(u"big-call"_s, u"incoming"_s), u"padding"_s,
        QString(2 * 1024 * 1024, u'x')) });
    const QByteArray request = "POST /callbacks HTTP/1.1\r\nHost: relay\r\nContent-Type: "
                               "application/json\r\nAuthorization: "
        + bearer(validClaims()) + "\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
    bool closedByServer = false;
    const QByteArray response = rawExchange(request, &closedByServer);
    QVERIFY2(response.startsWith("HTTP/1.1 413 "), response.left(200).constData());
    QCOMPARE(m_fixture->metrics.callbacks(u"too_large"_s), 1);
    verifyNothingApplied(before);
}

void RelayCallbacksTest::refusesOversizedChunkedBody()
{
    const Observed before = observe();
    // No Content-Length: the bytes buffered for the request are what is watched.
    QByteArray request = "POST /callbacks HTTP/1.1\r\nHost: relay\r\nContent-Type: "
                         "application/json\r\nTransfer-Encoding: chunked\r\nAuthorization: "
        + bearer(validClaims()) + "\r\n\r\n";
    const QByteArray chunk(64 * 1024, 'x');
    for (int i = 0; i < 40; ++i)
        request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    bool closedByServer = false;
    const QByteArray response = rawExchange(request, &closedByServer);
    QVERIFY2(response.startsWith("HTTP/1.1 413 "), response.left(200).constData());
    verifyNothingApplied(before);
}

void RelayCallbacksTest::refusesMalformedBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("{\"value\": [");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no value") << QByteArray("{\"values\":[]}");
    QTest::newRow("value not an array") << QByteArray("{\"value\":{}}");
    QTest::newRow("item not an object") << QByteArray("{\"value\":[1]}");
    QTest::newRow("item without changeType")
        << QByteArray("{\"value\":[{\"resourceUrl\":\"/communications/calls/x\","
                      "\"resourceData\":{}}]}");
}

void RelayCallbacksTest::refusesMalformedBody()
{
    QFETCH(QByteArray, body);
    const Observed before = observe();
    const HttpResult result = post("application/json", bearer(validClaims()), body);
    QCOMPARE(result.status, 400);
    const QJsonObject error = result.json().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"bad_request"_s);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QVERIFY(error.value("message"_L1).toString().size() < 200);
    QCOMPARE(m_fixture->metrics.callbacks(u"bad_request"_s), 1);
    verifyNothingApplied(before);
}

void RelayCallbacksTest::journalFailureGives500AndAppliesNothing()
{
    const Observed before = observe();
    m_fixture->journal.close();
    const HttpResult result = post("application/json", bearer(validClaims()),
        batch({ notification(u"lost-call"_s, u"incoming"_s) }));
    QCOMPARE(result.status, 500);
    QCOMPARE(m_fixture->metrics.callbacks(u"journal_error"_s), 1);
    QCOMPARE(m_fixture->state.seq(), before.stateSeq);
    QCOMPARE(m_fixture->state.toCheckpoint(), before.state);
    QCOMPARE(m_console->messages.size(), before.consoleMessages);
    QString error;
    QVERIFY2(m_fixture->journal.open(&error), qPrintable(error));
    QCOMPARE(m_fixture->journal.lastSeq(), before.lastSeq);
    verifyNothingApplied(before);
}

void RelayCallbacksTest::healthzAndMetricsAfterCallbacks()
{
    QCOMPARE(
        post("application/json", bearer(validClaims()),
            batch({ notification(u"m-1"_s, u"incoming"_s), notification(u"m-2"_s, u"incoming"_s) }))
            .status,
        202);
    QCOMPARE(post("application/json", bearer(validClaims()),
                 batch({ notification(u"m-1"_s, u"established"_s) }))
                 .status,
        202);
    QCOMPARE(post("application/json", QByteArray(), batch({})).status, 401);

    const HttpResult health = get(u"/healthz"_s);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json(), (QJsonObject { { "status"_L1, u"ok"_s }, { "seq"_L1, 3 } }));

    const HttpResult metrics = get(u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    QCOMPARE(metrics.contentType, QByteArray("text/plain; version=0.0.4"));
    const QByteArray text = metrics.body;
    QVERIFY2(text.contains("frontdesk_callbacks_total{result=\"accepted\"} 2\n"), text.constData());
    QVERIFY2(
        text.contains("frontdesk_callbacks_total{result=\"unauthorized\"} 1\n"), text.constData());
    QVERIFY2(text.contains("frontdesk_events_total 3\n"), text.constData());
    QVERIFY2(text.contains("frontdesk_consoles 1\n"), text.constData());
    QVERIFY2(text.contains("frontdesk_callback_to_broadcast_seconds_count 2\n"), text.constData());
}

void RelayCallbacksTest::unknownPathGives404Json()
{
    for (const QString &path : { u"/nope"_s, u"/callbacks/extra"_s, u"/callbacks"_s }) {
        const HttpResult result = get(path);
        QCOMPARE(result.status, 404);
        QCOMPARE(
            result.json().value("error"_L1).toObject().value("code"_L1).toString(), u"notFound"_s);
    }
}

QTEST_GUILESS_MAIN(RelayCallbacksTest)
#include "tst_relaycallbacks.moc"

#include "graph/clock.h"
#include "graph/tokensource.h"
#include "recordingserver.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Graph;
using TestSupport::CannedResponse;
using TestSupport::RecordingServer;

namespace {

const QString TokenPath = u"/tenant-1/oauth2/v2.0/token"_s;
// Every character that a naive form encoder gets wrong.
const QString Secret = u"s3cr+t/v=al&ue ~x%y"_s;

// Collects what the token source hands out.
struct Results
{
    QList<TokenResult> results;
    TokenSource::Callback callback()
    {
        return [this](const TokenResult &result) { results.append(result); };
    }
};

QHash<QByteArray, QByteArray> formFields(const QByteArray &body)
{
    QHash<QByteArray, QByteArray> fields;
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        fields.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return fields;
}

// Each failed fetch logs one warning; the tests that provoke one expect it.
void expectFailureWarning()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^app token request failed: "_s));
}

QStringList s_messages;

QLoggingCategory::CategoryFilter s_defaultFilter = nullptr;

void enableFrontdeskDebug(QLoggingCategory *category)
{
    if (qstrncmp(category->categoryName(), "frontdesk.", 10) == 0)
        category->setEnabled(QtDebugMsg, true);
}

void captureMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    s_messages.append(message);
}

} // namespace

class TstTokenSource final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void postsClientCredentialsForm();
    void cachesTokenForSecondRequest();
    void refreshesBeforeExpiry_data();
    void refreshesBeforeExpiry();
    void sharesOneFetchAmongConcurrentRequests();
    void oauthErrorReachesEveryWaiterWithoutSecret_data();
    void oauthErrorReachesEveryWaiterWithoutSecret();
    void badJsonGivesTokenError();
    void unreachableEndpointGivesTokenError();
    void invalidateForcesNewFetch();
    void invalidateIgnoresOtherTokens();
    void failedEarlyRefreshKeepsValidToken();
    void destroyedContextIsNotCalledBack();
    void secretNeverLogged();
    void staticSourceGivesItsToken();
    void staticSourceWithoutTokenGivesTokenError();

private:
    std::unique_ptr<ClientCredentialsTokenSource> makeSource();

    std::unique_ptr<RecordingServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ManualClock> m_clock;
};

void TstTokenSource::init()
{
    m_server = std::make_unique<RecordingServer>();
    QVERIFY(m_server->isListening());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>();
}

void TstTokenSource::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_clock.reset();
}

std::unique_ptr<ClientCredentialsTokenSource> TstTokenSource::makeSource()
{
    ClientCredentialsTokenSource::Config config;
    config.tokenUrl = m_server->url(TokenPath);
    config.clientId = u"00000000-0000-0000-0000-0000000000b0"_s;
    config.clientSecret = Secret;
    return std::make_unique<ClientCredentialsTokenSource>(m_nam.get(), m_clock.get(), config);
}

void TstTokenSource::postsClientCredentialsForm()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    QCOMPARE(m_server->requestCount(), 1);
    const auto request = m_server->lastRequest();
    QCOMPARE(request.method, "POST"_ba);
    QCOMPARE(request.path, TokenPath);
    QCOMPARE(request.header("Content-Type"), "application/x-www-form-urlencoded"_ba);
    const auto fields = formFields(request.body);
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.value("client_id"), "00000000-0000-0000-0000-0000000000b0"_ba);
    QCOMPARE(fields.value("scope"), "https%3A%2F%2Fgraph.microsoft.com%2F.default"_ba);
    QCOMPARE(fields.value("client_secret"), "s3cr%2Bt%2Fv%3Dal%26ue%20~x%25y"_ba);
    QCOMPARE(fields.value("grant_type"), "client_credentials"_ba);
    QCOMPARE(QUrl::fromPercentEncoding(fields.value("client_secret")), Secret);

    QVERIFY(got.results.first().ok());
    QCOMPARE(got.results.first().accessToken, u"tok-1"_s);
    QCOMPARE(source->expiresAt(), m_clock->now().addSecs(3599));
}

void TstTokenSource::cachesTokenForSecondRequest()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    // A cached token is handed out at once, without the event loop.
    source->requestToken(&context, got.callback());
    QCOMPARE(got.results.size(), 2);
    QCOMPARE(got.results.at(1).accessToken, u"tok-1"_s);
    QCOMPARE(m_server->requestCount(), 1);
}

void TstTokenSource::refreshesBeforeExpiry_data()
{
    QTest::addColumn<int>("advanceSeconds");
    QTest::addColumn<int>("expectedFetches");
    QTest::addColumn<QString>("expectedToken");

    // expires_in 3600 and a 300 s margin: the token is replaced from 3300 s on.
    QTest::newRow("well before the margin") << 3299 << 1 << u"tok-1"_s;
    QTest::newRow("inside the margin") << 3301 << 2 << u"tok-2"_s;
    QTest::newRow("after expiry") << 4000 << 2 << u"tok-2"_s;
}

void TstTokenSource::refreshesBeforeExpiry()
{
    QFETCH(int, advanceSeconds);
    QFETCH(int, expectedFetches);
    QFETCH(QString, expectedToken);

    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s, 3600));
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-2"_s, 3600));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    m_clock->advance(std::chrono::seconds(advanceSeconds));
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 2);
    QCOMPARE(got.results.at(1).accessToken, expectedToken);
    QCOMPARE(m_server->requestCount(), expectedFetches);
}

void TstTokenSource::sharesOneFetchAmongConcurrentRequests()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-unexpected"_s));
    const auto source = makeSource();
    Results got;
    QObject context;
    for (int i = 0; i < 5; ++i)
        source->requestToken(&context, got.callback());
    QVERIFY(source->isFetching());
    QTRY_COMPARE(got.results.size(), 5);

    QCOMPARE(m_server->requestCount(), 1);
    for (const TokenResult &result : std::as_const(got.results)) {
        QVERIFY(result.ok());
        QCOMPARE(result.accessToken, u"tok-1"_s);
    }
}

void TstTokenSource::oauthErrorReachesEveryWaiterWithoutSecret_data()
{
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("expectedMessage");

    QTest::newRow("plain") << u"AADSTS7000215: Invalid client secret provided."_s
                           << u"AADSTS7000215: Invalid client secret provided."_s;
    // A server that echoes what it was sent must not get the secret into our errors.
    QTest::newRow("echoing the secret") << u"AADSTS7000215: Invalid client secret provided: "_s
            + Secret << u"AADSTS7000215: Invalid client secret provided: ***"_s;
}

void TstTokenSource::oauthErrorReachesEveryWaiterWithoutSecret()
{
    QFETCH(QString, description);
    QFETCH(QString, expectedMessage);

    expectFailureWarning();
    m_server->enqueue("POST", TokenPath,
        CannedResponse::json(401,
            QJsonObject {
                { "error"_L1, u"invalid_client"_s },
                { "error_description"_L1, description },
                { "trace_id"_L1, u"trace-1"_s },
            }));
    const auto source = makeSource();
    Results got;
    QObject context;
    for (int i = 0; i < 3; ++i)
        source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 3);
    QCOMPARE(m_server->requestCount(), 1);

    for (const TokenResult &result : std::as_const(got.results)) {
        QVERIFY(!result.ok());
        QVERIFY(result.accessToken.isEmpty());
        QVERIFY(result.error);
        const GraphError &error = *result.error;
        QCOMPARE(error.kind, GraphError::Kind::Token);
        QCOMPARE(error.httpStatus, 401);
        QCOMPARE(error.code, u"invalid_client"_s);
        QCOMPARE(error.message, expectedMessage);
        QCOMPARE(error.requestId, u"trace-1"_s);
        QVERIFY(!error.summary().contains(Secret));
        QVERIFY(!error.detail.contains(Secret));
        QVERIFY(!error.toJsonBytes().contains(Secret.toUtf8()));
    }
}

void TstTokenSource::badJsonGivesTokenError()
{
    expectFailureWarning();
    m_server->enqueue(
        "POST", TokenPath, CannedResponse::raw(200, "<html>login</html>", "text/html"));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);
    QVERIFY(got.results.first().error);
    QCOMPARE(got.results.first().error->kind, GraphError::Kind::Token);
    QVERIFY(got.results.first().error->message.contains(u"not a JSON object"_s));

    // Valid JSON without a token is no better.
    expectFailureWarning();
    m_server->enqueue("POST", TokenPath,
        CannedResponse::json(200, QJsonObject { { "token_type"_L1, u"Bearer"_s } }));
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 2);
    QVERIFY(got.results.at(1).error);
    QVERIFY(got.results.at(1).error->message.contains(u"access_token"_s));
}

void TstTokenSource::unreachableEndpointGivesTokenError()
{
    // A port that was free a moment ago: the connection is refused.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();

    ClientCredentialsTokenSource::Config config;
    config.tokenUrl = QUrl(u"http://127.0.0.1:%1/tenant-1/oauth2/v2.0/token"_s.arg(port));
    config.clientId = u"client"_s;
    config.clientSecret = Secret;
    expectFailureWarning();
    const auto source =
        std::make_unique<ClientCredentialsTokenSource>(m_nam.get(), m_clock.get(), config);
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);
    QVERIFY(got.results.first().error);
    QCOMPARE(got.results.first().error->kind, GraphError::Kind::Token);
    QCOMPARE(got.results.first().error->httpStatus, 0);
    QVERIFY(got.results.first().error->message.contains(u"unreachable"_s));
    QVERIFY(!got.results.first().error->summary().contains(Secret));
}

void TstTokenSource::invalidateForcesNewFetch()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-2"_s));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    source->invalidate(u"tok-1"_s);
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 2);
    QCOMPARE(got.results.at(1).accessToken, u"tok-2"_s);
    QCOMPARE(m_server->requestCount(), 2);
}

void TstTokenSource::invalidateIgnoresOtherTokens()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    // A 401 for a token that was replaced meanwhile says nothing about the current one.
    source->invalidate(u"tok-old"_s);
    source->requestToken(&context, got.callback());
    QCOMPARE(got.results.size(), 2);
    QCOMPARE(got.results.at(1).accessToken, u"tok-1"_s);
    QCOMPARE(m_server->requestCount(), 1);
}

void TstTokenSource::failedEarlyRefreshKeepsValidToken()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s, 3600));
    m_server->enqueue("POST", TokenPath,
        CannedResponse::json(500, QJsonObject { { "error"_L1, u"server_error"_s } }));
    expectFailureWarning();
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);

    m_clock->advance(3400s); // inside the refresh margin, before expiry
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 2);
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(got.results.at(1).ok());
    QCOMPARE(got.results.at(1).accessToken, u"tok-1"_s);
}

void TstTokenSource::destroyedContextIsNotCalledBack()
{
    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    const auto source = makeSource();
    Results gone;
    Results kept;
    QObject keptContext;
    auto goneContext = std::make_unique<QObject>();
    source->requestToken(goneContext.get(), gone.callback());
    source->requestToken(&keptContext, kept.callback());
    goneContext.reset();
    QTRY_COMPARE(kept.results.size(), 1);
    QVERIFY(gone.results.isEmpty());
}

void TstTokenSource::secretNeverLogged()
{
    // A filter, not filter rules: QT_LOGGING_RULES (set by CTest) would override the rules.
    s_defaultFilter = QLoggingCategory::installFilter(enableFrontdeskDebug);
    s_messages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);

    m_server->enqueue("POST", TokenPath, CannedResponse::token(u"tok-1"_s));
    m_server->enqueue("POST", TokenPath,
        CannedResponse::json(401,
            QJsonObject {
                { "error"_L1, u"invalid_client"_s },
                { "error_description"_L1, Secret },
            }));
    const auto source = makeSource();
    Results got;
    QObject context;
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 1);
    source->invalidate(u"tok-1"_s);
    source->requestToken(&context, got.callback());
    QTRY_COMPARE(got.results.size(), 2);

    qInstallMessageHandler(previous);
    QLoggingCategory::installFilter(s_defaultFilter);
    // Both the fetch and the failure were logged.
    QVERIFY(s_messages.size() >= 3);
    for (const QString &message : std::as_const(s_messages)) {
        QVERIFY2(!message.contains(Secret), qPrintable(message));
        QVERIFY2(!message.contains(u"tok-1"_s), qPrintable(message));
    }
}

void TstTokenSource::staticSourceGivesItsToken()
{
    StaticTokenSource source(u"operator-token"_s);
    Results got;
    QObject context;
    source.requestToken(&context, got.callback());
    QCOMPARE(got.results.size(), 1);
    QCOMPARE(got.results.first().accessToken, u"operator-token"_s);
    source.invalidate(u"operator-token"_s);
    source.requestToken(&context, got.callback());
    QCOMPARE(got.results.at(1).accessToken, u"operator-token"_s);
}

void TstTokenSource::staticSourceWithoutTokenGivesTokenError()
{
    StaticTokenSource source(QString {});
    Results got;
    QObject context;
    source.requestToken(&context, got.callback());
    QCOMPARE(got.results.size(), 1);
    QVERIFY(got.results.first().error);
    QCOMPARE(got.results.first().error->kind, GraphError::Kind::Token);
}

QTEST_GUILESS_MAIN(TstTokenSource)
#include "tst_tokensource.moc"

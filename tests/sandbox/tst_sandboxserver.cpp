#include "callbackreceiver.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "sandbox/sandboxoptions.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Sandbox;

namespace {

const QString Tenant = u"00000000-0000-0000-0000-000000000001"_s;
const QString ClientId = u"00000000-0000-0000-0000-0000000000b0"_s;

struct Http
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value("error"_L1).toObject(); }
    QString code() const { return error().value("code"_L1).toString(); }
    QString innerRequestId() const
    {
        return error().value("innerError"_L1).toObject().value("request-id"_L1).toString();
    }
};

using Headers = QList<std::pair<QByteArray, QByteArray>>;

Http send(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url,
    const QByteArray &body = {}, const Headers &headers = {})
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.sendCustomRequest(request, verb, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    Http result { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->readAll(), reply->rawHeaderPairs() };
    reply->deleteLater();
    return result;
}

QByteArray form(const QString &secret, const QString &grant = u"client_credentials"_s,
    const QString &scope = u"https://graph.microsoft.com/.default"_s,
    const QString &clientId = ClientId)
{
    return "client_id=" + QUrl::toPercentEncoding(clientId) + "&client_secret="
        + QUrl::toPercentEncoding(secret) + "&grant_type=" + QUrl::toPercentEncoding(grant)
        + "&scope=" + QUrl::toPercentEncoding(scope);
}

const Headers FormHeaders { { "Content-Type", "application/x-www-form-urlencoded" } };

bool isGuid(const QByteArray &text)
{
    return !QUuid::fromString(QString::fromLatin1(text)).isNull();
}

// Waits for a GraphReply and keeps it.
std::unique_ptr<Graph::GraphReply> await(Graph::GraphReply *reply)
{
    reply->setAutoDelete(false);
    QSignalSpy finished(reply, &Graph::GraphReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    return std::unique_ptr<Graph::GraphReply>(reply);
}

} // namespace

class TstSandboxServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void tokenEndpointIssuesBearerTokens();
    void tokenEndpointRefusesWrongSecretWith401InvalidClient();
    void tokenEndpointRefusesBadRequests_data();
    void tokenEndpointRefusesBadRequests();
    void tokensExpireByTheClock();
    void graphRefusesMissingUnknownAndExpiredTokens_data();
    void graphRefusesMissingUnknownAndExpiredTokens();
    void keysAndOpenIdConfigurationPublishTheSigningKey();

    void callEndpointsAnswerThroughGraphClient();
    void mediaEndpointsAnswerThroughGraphClient();
    void groupCallEndpointsAnswerThroughGraphClient();
    void outgoingCallRejectRedirectAndTransferThroughGraphClient();
    void onlineMeetingEndpointsAnswerThroughGraphClient();

    void unknownIdsGive404ItemNotFound_data();
    void unknownIdsGive404ItemNotFound();
    void wrongStateAndMissingFieldsGive400_data();
    void wrongStateAndMissingFieldsGive400();
    void nonJsonBodiesGive415And400();
    void wrongMethodsGive405();
    void unknownPathsGive404();
    void clientRequestIdIsEchoed();
    void urlEncodedIdsAreDecoded();

    void controlApiDrivesCalls();
    void controlApiRefusesBadBodies_data();
    void controlApiRefusesBadBodies();
    void peerCheckAcceptsOnlyLoopback_data();
    void peerCheckAcceptsOnlyLoopback();

    void optionsHaveTheContractsDefaults();
    void optionsTakeTheSecretFromTheEnvironment();
    void optionsRefuseBadValues_data();
    void optionsRefuseBadValues();
    void processPrintsListeningLineAndExitsOnSigterm();
    void processExitsWithTwoOnBadOption();

private:
    QUrl url(const QString &path) const { return QUrl(m_server->baseUrl().toString() + path); }
    QString token();
    Headers auth() { return { { "Authorization", "Bearer " + token().toLatin1() } }; }
    Headers authJson() { return auth() + Headers { { "Content-Type", "application/json" } }; }
    QString incomingCall(bool group = false);
    void answerAndWaitEstablished(const QString &callId);
    QString callState(const QString &callId) const;

    Graph::SystemClock m_clock;
    std::unique_ptr<TestSupport::CallbackReceiver> m_receiver;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<Graph::ClientCredentialsTokenSource> m_tokens;
    std::unique_ptr<Graph::GraphClient> m_client;
    QString m_token;
};

void TstSandboxServer::init()
{
    m_receiver = std::make_unique<TestSupport::CallbackReceiver>();
    QVERIFY(m_receiver->isListening());
    ServerConfig config;
    config.seed = 42;
    config.timeScale = 10; // the 15 s ring timeout becomes 1.5 s
    config.callbackUrl = m_receiver->url().toString();
    m_server = std::make_unique<SandboxServer>(config, &m_clock);
    QVERIFY(m_server->start());
    m_nam = std::make_unique<QNetworkAccessManager>();
    Graph::ClientCredentialsTokenSource::Config tokens;
    tokens.tokenUrl = url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant));
    tokens.clientId = ClientId;
    tokens.clientSecret = u"sandbox-secret"_s;
    m_tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(m_nam.get(), &m_clock, tokens);
    m_client = std::make_unique<Graph::GraphClient>(
        m_nam.get(), m_tokens.get(), &m_clock, url(u"/v1.0"_s));
    m_token.clear();
}

void TstSandboxServer::cleanup()
{
    m_client.reset();
    m_tokens.reset();
    m_nam.reset();
    m_server.reset();
    m_receiver.reset();
}

QString TstSandboxServer::token()
{
    if (m_token.isEmpty()) {
        const Http http = send(*m_nam, "POST", url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
            form(u"sandbox-secret"_s), FormHeaders);
        m_token = http.json().value("access_token"_L1).toString();
    }
    return m_token;
}

QString TstSandboxServer::incomingCall(bool group)
{
    IncomingOptions options;
    options.groupInvite = group;
    options.groupSize = group ? 3 : 0;
    return m_server->engine()->incoming(
        Caller { u"Ada Lovelace"_s, u"+15550100001"_s, {} }, options);
}

QString TstSandboxServer::callState(const QString &callId) const
{
    // From the whole state: GET on an ended call answers 404, as at Graph.
    const QJsonArray calls = m_server->engine()->state().value("calls"_L1).toArray();
    for (const QJsonValue &call : calls) {
        if (call.toObject().value("id"_L1).toString() == callId)
            return call.toObject().value("state"_L1).toString();
    }
    return {};
}

void TstSandboxServer::answerAndWaitEstablished(const QString &callId)
{
    Graph::AnswerParams params;
    params.callbackUri = m_receiver->url(u"/answered"_s).toString();
    const auto answered = await(m_client->answer(callId, params));
    QCOMPARE(answered->httpStatus(), 202);
    QVERIFY(isGuid(answered->requestId().toLatin1()));
    QTRY_COMPARE(callState(callId), u"established"_s);
}

void TstSandboxServer::tokenEndpointIssuesBearerTokens()
{
    const Http http = send(*m_nam, "POST", url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
        form(u"sandbox-secret"_s), FormHeaders);
    QCOMPARE(http.status, 200);
    QVERIFY(isGuid(http.header("request-id")));
    QCOMPARE(http.json().value("token_type"_L1).toString(), u"Bearer"_s);
    QCOMPARE(http.json().value("expires_in"_L1).toInt(), 3600);
    QVERIFY(http.json().value("access_token"_L1).toString().size() >= 32);
}

void TstSandboxServer::tokenEndpointRefusesWrongSecretWith401InvalidClient()
{
    const Http http = send(*m_nam, "POST", url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
        form(u"not-the-secret"_s), FormHeaders);
    QCOMPARE(http.status, 401);
    QCOMPARE(http.json().value("error"_L1).toString(), u"invalid_client"_s);
    QVERIFY(http.json().value("error_description"_L1).toString().startsWith(u"AADSTS7000215"_s));
    QVERIFY(!http.body.contains("not-the-secret"));
    QVERIFY(http.json().value("access_token"_L1).isUndefined());
}

void TstSandboxServer::tokenEndpointRefusesBadRequests_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    const QString secret = u"sandbox-secret"_s;
    QTest::newRow("password grant")
        << Tenant << form(secret, u"password"_s) << 400 << u"unsupported_grant_type"_s;
    QTest::newRow("no grant") << Tenant << QByteArray("client_id=x&client_secret=y") << 400
                              << u"invalid_request"_s;
    QTest::newRow("other scope") << Tenant << form(secret, u"client_credentials"_s, u"User.Read"_s)
                                 << 400 << u"invalid_scope"_s;
    QTest::newRow("unknown client")
        << Tenant
        << form(secret, u"client_credentials"_s, u"https://graph.microsoft.com/.default"_s,
               u"11111111-1111-1111-1111-111111111111"_s)
        << 400 << u"unauthorized_client"_s;
    QTest::newRow("unknown tenant")
        << u"contoso.example"_s << form(secret) << 400 << u"invalid_request"_s;
}

void TstSandboxServer::tokenEndpointRefusesBadRequests()
{
    QFETCH(QString, tenant);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const Http http =
        send(*m_nam, "POST", url(u"/%1/oauth2/v2.0/token"_s.arg(tenant)), body, FormHeaders);
    QCOMPARE(http.status, status);
    QCOMPARE(http.json().value("error"_L1).toString(), error);
    QVERIFY(http.json().value("error_codes"_L1).isArray());
}

void TstSandboxServer::tokensExpireByTheClock()
{
    Graph::ManualClock clock;
    ServerConfig config;
    config.seed = 1;
    config.tokenLifetime = 60s;
    SandboxServer server(config, &clock);
    QVERIFY(server.start());
    const QString base = server.baseUrl().toString();
    const Http issued = send(*m_nam, "POST", QUrl(base + u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
        form(u"sandbox-secret"_s), FormHeaders);
    QCOMPARE(issued.json().value("expires_in"_L1).toInt(), 60);
    const Headers bearer { { "Authorization",
        "Bearer " + issued.json().value("access_token"_L1).toString().toLatin1() } };
    const QUrl callUrl(base + u"/v1.0/communications/calls/no-such-call"_s);
    QCOMPARE(send(*m_nam, "GET", callUrl, {}, bearer).status, 404); // the token is good
    clock.advance(59s);
    QCOMPARE(send(*m_nam, "GET", callUrl, {}, bearer).status, 404);
    clock.advance(1s);
    const Http expired = send(*m_nam, "GET", callUrl, {}, bearer);
    QCOMPARE(expired.status, 401);
    QCOMPARE(expired.code(), u"InvalidAuthenticationToken"_s);
    QVERIFY(expired.error().value("message"_L1).toString().contains(u"expired"_s));
}

void TstSandboxServer::graphRefusesMissingUnknownAndExpiredTokens_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("not bearer") << QByteArray("Basic c2FuZGJveDpzZWNyZXQ=");
    QTest::newRow("unknown") << QByteArray("Bearer made-up-token");
}

void TstSandboxServer::graphRefusesMissingUnknownAndExpiredTokens()
{
    QFETCH(QByteArray, authorization);
    const QString callId = incomingCall();
    Headers headers;
    if (!authorization.isEmpty())
        headers.append({ "Authorization", authorization });
    const Http http =
        send(*m_nam, "GET", url(u"/v1.0/communications/calls/"_s + callId), {}, headers);
    QCOMPARE(http.status, 401);
    QCOMPARE(http.code(), u"InvalidAuthenticationToken"_s);
    QVERIFY(isGuid(http.header("request-id")));
    QCOMPARE(http.innerRequestId().toLatin1(), http.header("request-id"));
    QVERIFY(!http.header("WWW-Authenticate").isEmpty());
}

void TstSandboxServer::keysAndOpenIdConfigurationPublishTheSigningKey()
{
    const Http config = send(*m_nam, "GET", url(u"/.well-known/OpenIdConfiguration"_s));
    QCOMPARE(config.status, 200);
    QCOMPARE(config.json().value("issuer"_L1).toString(), u"https://api.botframework.com"_s);
    const auto jwksUri = Graph::jwksUriFromOpenIdConfiguration(config.body);
    QVERIFY(jwksUri);
    QCOMPARE(*jwksUri, url(u"/keys"_s));
    const Http keys = send(*m_nam, "GET", *jwksUri);
    QCOMPARE(keys.status, 200);
    const auto jwks = Graph::Jwks::fromJson(keys.body);
    QVERIFY(jwks);
    QVERIFY(jwks->contains(m_server->signer().keyId()));
}

void TstSandboxServer::callEndpointsAnswerThroughGraphClient()
{
    const QString callId = incomingCall();
    const auto got = await(m_client->getCall(callId));
    QCOMPARE(got->httpStatus(), 200);
    QVERIFY(isGuid(got->requestId().toLatin1()));
    QCOMPARE(got->call().id, callId);
    QCOMPARE(got->call().state.value, Graph::CallState::Incoming);
    QCOMPARE(got->call().source->identity.phoneNumber(), u"+15550100001"_s);

    answerAndWaitEstablished(callId);
    const auto alive = await(m_client->keepAlive(callId));
    QCOMPARE(alive->httpStatus(), 200);
    QVERIFY(isGuid(alive->requestId().toLatin1()));

    const auto list = await(m_client->listParticipants(callId));
    QCOMPARE(list->httpStatus(), 200);
    QVERIFY(list->participants().size() >= 2);
    const QString participantId = list->participants().constLast().id;
    const auto one = await(m_client->getParticipant(callId, participantId));
    QCOMPARE(one->httpStatus(), 200);
    QCOMPARE(one->participant().id, participantId);

    const auto hungUp = await(m_client->hangUp(callId));
    QCOMPARE(hungUp->httpStatus(), 204);
    QVERIFY(isGuid(hungUp->requestId().toLatin1()));
    QTRY_COMPARE(callState(callId), u"terminated"_s);
}

void TstSandboxServer::mediaEndpointsAnswerThroughGraphClient()
{
    const QString callId = incomingCall();
    answerAndWaitEstablished(callId);
    const auto subscribed = await(m_client->subscribeToTone(callId, u"ctx-tone"_s));
    QCOMPARE(subscribed->httpStatus(), 200);
    QCOMPARE(subscribed->operation().odataType, u"#microsoft.graph.subscribeToToneOperation"_s);
    QCOMPARE(subscribed->operation().clientContext, u"ctx-tone"_s);

    Graph::MediaInfo prompt;
    prompt.uri = u"https://bot.example.org/hold.wav"_s;
    prompt.resourceId = u"hold"_s;
    const auto played = await(m_client->playPrompt(callId, { prompt }, u"ctx-play"_s));
    QCOMPARE(played->httpStatus(), 200);
    QCOMPARE(played->operation().odataType, u"#microsoft.graph.playPromptOperation"_s);
    QCOMPARE(played->operation().status.value, Graph::OperationStatus::Running);
    QVERIFY(played->location().toString().contains(u"/operations/"_s + played->operation().id));

    // GET .../operations/{id}: not in GraphClient, so through its raw send().
    const auto operation = await(m_client->send(
        "GET", u"/communications/calls/%1/operations/%2"_s.arg(callId, played->operation().id)));
    QCOMPARE(operation->httpStatus(), 200);
    QVERIFY(isGuid(operation->requestId().toLatin1()));
    QCOMPARE(Graph::decodeOperationDocument(operation->body()).value.id, played->operation().id);

    Graph::RecordResponseParams record;
    record.maxRecordDurationInSeconds = 5;
    record.clientContext = u"ctx-record"_s;
    const auto recording = await(m_client->recordResponse(callId, record));
    QCOMPARE(recording->httpStatus(), 200);
    QCOMPARE(recording->operation().odataType, u"#microsoft.graph.recordOperation"_s);

    const auto cancelled = await(m_client->cancelMediaProcessing(callId, u"ctx-cancel"_s));
    QCOMPARE(cancelled->httpStatus(), 200);
    QVERIFY(cancelled->operation().odataType.endsWith(u"Operation"_s));

    // Self-mute is for group calls only (graph-notes §1.11).
    const auto muted = await(m_client->mute(callId));
    QCOMPARE(muted->httpStatus(), 400);
    QVERIFY(muted->error());
    QVERIFY(!muted->error()->requestId.isEmpty());
}

void TstSandboxServer::groupCallEndpointsAnswerThroughGraphClient()
{
    const QString callId = incomingCall(true);
    answerAndWaitEstablished(callId);
    const auto muted = await(m_client->mute(callId, u"ctx"_s));
    QCOMPARE(muted->httpStatus(), 200);
    QCOMPARE(muted->operation().odataType, u"#microsoft.graph.muteParticipantOperation"_s);
    const auto unmuted = await(m_client->unmute(callId));
    QCOMPARE(unmuted->httpStatus(), 200);
    QCOMPARE(unmuted->operation().odataType, u"#microsoft.graph.unmuteParticipantOperation"_s);

    Graph::InvitationParticipantInfo invitee;
    invitee.identity =
        Graph::IdentitySet::user(u"5b2a7d2c-0000-4000-8000-00000000c0de"_s, u"Grace Hopper"_s);
    const auto invited = await(m_client->inviteParticipants(callId, { invitee }));
    QCOMPARE(invited->httpStatus(), 200);
    QCOMPARE(invited->operation().odataType, u"#microsoft.graph.inviteParticipantsOperation"_s);

    const auto list = await(m_client->listParticipants(callId));
    const QString someone = list->participants().constLast().id;
    const auto mutedOther = await(m_client->muteParticipant(callId, someone));
    QCOMPARE(mutedOther->httpStatus(), 200);
    QCOMPARE(mutedOther->operation().odataType, u"#microsoft.graph.muteParticipantOperation"_s);
    const auto removed = await(m_client->removeParticipant(callId, someone));
    QCOMPARE(removed->httpStatus(), 204);
    QVERIFY(isGuid(removed->requestId().toLatin1()));
}

void TstSandboxServer::outgoingCallRejectRedirectAndTransferThroughGraphClient()
{
    Graph::Call call;
    call.callbackUri = m_receiver->url(u"/outgoing"_s).toString();
    Graph::InvitationParticipantInfo target;
    target.identity =
        Graph::IdentitySet::user(u"5b2a7d2c-0000-4000-8000-0000000000aa"_s, u"Agent A"_s);
    call.targets = { target };
    const auto created = await(m_client->createCall(call));
    QCOMPARE(created->httpStatus(), 201);
    QCOMPARE(created->call().state.value, Graph::CallState::Establishing);
    QVERIFY(isGuid(created->requestId().toLatin1()));
    QCOMPARE(created->location(), url(u"/v1.0/communications/calls/"_s + created->call().id));

    const QString rejected = incomingCall();
    const auto reject = await(m_client->reject(rejected, Graph::RejectReason::Busy));
    QCOMPARE(reject->httpStatus(), 202);
    QVERIFY(isGuid(reject->requestId().toLatin1()));
    QTRY_COMPARE(callState(rejected), u"terminated"_s);

    const QString redirected = incomingCall();
    Graph::RedirectParams redirect;
    redirect.targets = { target };
    redirect.timeoutSeconds = 30;
    const auto redirectReply = await(m_client->redirect(redirected, redirect));
    QCOMPARE(redirectReply->httpStatus(), 202);
    QVERIFY(isGuid(redirectReply->requestId().toLatin1()));
    QTRY_COMPARE(callState(redirected), u"terminated"_s);

    const QString transferred = incomingCall();
    answerAndWaitEstablished(transferred);
    Graph::TransferParams transfer;
    transfer.transferTarget = target;
    const auto transferReply = await(m_client->transfer(transferred, transfer));
    QCOMPARE(transferReply->httpStatus(), 202);
    QVERIFY(isGuid(transferReply->requestId().toLatin1()));
    QTRY_COMPARE(callState(transferred), u"terminated"_s);
}

void TstSandboxServer::onlineMeetingEndpointsAnswerThroughGraphClient()
{
    const QString organizer = u"5b2a7d2c-0000-4000-8000-0000000000cc"_s;
    Graph::OnlineMeeting meeting;
    meeting.subject = u"Front desk stand-up"_s;
    const auto created = await(m_client->createOnlineMeeting(organizer, meeting));
    QCOMPARE(created->httpStatus(), 201);
    QVERIFY(!created->onlineMeeting().joinWebUrl.isEmpty());
    const auto mine = await(m_client->createMyOnlineMeeting(meeting));
    QCOMPARE(mine->httpStatus(), 201);

    Graph::CreateOrGetParams params;
    params.externalId = u"desk-42"_s;
    params.subject = u"Desk 42"_s;
    const auto first = await(m_client->createOrGetOnlineMeeting(organizer, params));
    QCOMPARE(first->httpStatus(), 201);
    const auto again = await(m_client->createOrGetOnlineMeeting(organizer, params));
    QCOMPARE(again->httpStatus(), 200);
    QCOMPARE(again->onlineMeeting().id, first->onlineMeeting().id);

    const auto got = await(m_client->getOnlineMeeting(organizer, created->onlineMeeting().id));
    QCOMPARE(got->httpStatus(), 200);
    QCOMPARE(got->onlineMeeting().subject, meeting.subject);
    const auto byUrl =
        await(m_client->findOnlineMeetingByJoinUrl(organizer, created->onlineMeeting().joinWebUrl));
    QCOMPARE(byUrl->httpStatus(), 200);
    QCOMPARE(byUrl->onlineMeetings().size(), 1);
    const auto byVtc = await(m_client->findOnlineMeetingByVideoTeleconferenceId(
        created->onlineMeeting().videoTeleconferenceId));
    QCOMPARE(byVtc->httpStatus(), 200);
    QCOMPARE(byVtc->onlineMeetings().size(), 1);
    QVERIFY(isGuid(byVtc->requestId().toLatin1()));
}

void TstSandboxServer::unknownIdsGive404ItemNotFound_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::newRow("get call") << QByteArray("GET") << u"/calls/nope"_s;
    QTest::newRow("answer") << QByteArray("POST") << u"/calls/nope/answer"_s;
    QTest::newRow("delete call") << QByteArray("DELETE") << u"/calls/nope"_s;
    QTest::newRow("participant") << QByteArray("GET") << u"/calls/{call}/participants/nope"_s;
    QTest::newRow("operation") << QByteArray("GET") << u"/calls/{call}/operations/nope"_s;
}

void TstSandboxServer::unknownIdsGive404ItemNotFound()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    const QString callId = incomingCall();
    path.replace(u"{call}"_s, callId);
    const QByteArray body = verb == "POST"
        ? QByteArray(
            R"({"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}})")
        : QByteArray();
    const Http http = send(*m_nam, verb, url(u"/v1.0/communications"_s + path), body, authJson());
    QCOMPARE(http.status, 404);
    QCOMPARE(http.code(), u"itemNotFound"_s);
    QVERIFY(isGuid(http.header("request-id")));
    QCOMPARE(http.innerRequestId().toLatin1(), http.header("request-id"));
}

void TstSandboxServer::wrongStateAndMissingFieldsGive400_data()
{
    QTest::addColumn<bool>("established");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QByteArray>("body");
    const QByteArray target =
        R"({"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"user":{"id":"u1"}}})";
    QTest::newRow("answer an established call")
        << true << u"answer"_s
        << QByteArray(
               R"({"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}})");
    QTest::newRow("redirect without targets") << false << u"redirect"_s << QByteArray("{}");
    QTest::newRow("redirect timeout 10")
        << false << u"redirect"_s << QByteArray("{\"targets\":[" + target + "],\"timeout\":10}");
    QTest::newRow("redirect timeout 100")
        << false << u"redirect"_s << QByteArray("{\"targets\":[" + target + "],\"timeout\":100}");
    QTest::newRow("transfer without target") << true << u"transfer"_s << QByteArray("{}");
    QTest::newRow("transfer an incoming call")
        << false << u"transfer"_s << QByteArray("{\"transferTarget\":" + target + "}");
}

void TstSandboxServer::wrongStateAndMissingFieldsGive400()
{
    QFETCH(bool, established);
    QFETCH(QString, action);
    QFETCH(QByteArray, body);
    const QString callId = incomingCall();
    if (established)
        answerAndWaitEstablished(callId);
    const QString before = callState(callId);
    const Http http = send(*m_nam, "POST",
        url(u"/v1.0/communications/calls/%1/%2"_s.arg(callId, action)), body, authJson());
    QCOMPARE(http.status, 400);
    QVERIFY(!http.code().isEmpty());
    QCOMPARE(http.innerRequestId().toLatin1(), http.header("request-id"));
    QCOMPARE(callState(callId), before);
}

void TstSandboxServer::nonJsonBodiesGive415And400()
{
    const QString callId = incomingCall();
    const QUrl answer = url(u"/v1.0/communications/calls/%1/answer"_s.arg(callId));
    const Http plain = send(*m_nam, "POST", answer, "answer please",
        auth() + Headers { { "Content-Type", "text/plain" } });
    QCOMPARE(plain.status, 415);
    QVERIFY(isGuid(plain.header("request-id")));
    const Http broken = send(*m_nam, "POST", answer, "{\"mediaConfig\":", authJson());
    QCOMPARE(broken.status, 400);
    QCOMPARE(broken.code(), u"BadRequest"_s);
    QVERIFY(broken.error().value("message"_L1).toString().contains(u"not JSON"_s));
    QCOMPARE(callState(callId), u"incoming"_s);
}

void TstSandboxServer::wrongMethodsGive405()
{
    const QString callId = incomingCall();
    const Http put =
        send(*m_nam, "PUT", url(u"/v1.0/communications/calls/"_s + callId), "{}", authJson());
    QCOMPARE(put.status, 405);
    QCOMPARE(put.header("Allow"), "GET, DELETE");
    QVERIFY(isGuid(put.header("request-id")));
    const Http getAnswer =
        send(*m_nam, "GET", url(u"/v1.0/communications/calls/%1/answer"_s.arg(callId)), {}, auth());
    QCOMPARE(getAnswer.status, 405);
    const Http getToken = send(*m_nam, "GET", url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)));
    QCOMPARE(getToken.status, 405);
}

void TstSandboxServer::unknownPathsGive404()
{
    const Http http = send(*m_nam, "GET", url(u"/v1.0/communications/callz"_s), {}, auth());
    QCOMPARE(http.status, 404);
    QCOMPARE(http.code(), u"BadRequest"_s);
    QVERIFY(http.error().value("message"_L1).toString().contains(u"'callz'"_s));
    QCOMPARE(send(*m_nam, "GET", url(u"/nowhere"_s)).status, 404);
}

void TstSandboxServer::clientRequestIdIsEchoed()
{
    const QByteArray mine = "0f6b3c1e-5d2a-4c9b-8e7f-112233445566";
    const Http http = send(*m_nam, "GET", url(u"/v1.0/communications/calls/nope"_s), {},
        auth() + Headers { { "client-request-id", mine } });
    QCOMPARE(http.header("client-request-id"), mine);
    QCOMPARE(http.error()
                 .value("innerError"_L1)
                 .toObject()
                 .value("client-request-id"_L1)
                 .toString()
                 .toLatin1(),
        mine);
    QVERIFY(!http.error().value("innerError"_L1).toObject().value("date"_L1).toString().isEmpty());
}

void TstSandboxServer::urlEncodedIdsAreDecoded()
{
    const QString callId = incomingCall();
    QString encoded = callId;
    encoded.replace(u'-', u"%2D"_s);
    const Http http = send(*m_nam, "GET",
        QUrl::fromEncoded(url(u"/v1.0/communications/calls/"_s).toEncoded() + encoded.toLatin1()),
        {}, auth());
    QCOMPARE(http.status, 200);
    QCOMPARE(http.json().value("id"_L1).toString(), callId);
}

void TstSandboxServer::controlApiDrivesCalls()
{
    const Headers json { { "Content-Type", "application/json" } };
    const Http created = send(*m_nam, "POST", url(u"/sandbox/incoming"_s),
        R"({"from":{"displayName":"Ada","phone":"+15550100001"},"to":"Reception"})", json);
    QCOMPARE(created.status, 201);
    const QString callId = created.json().value("callId"_L1).toString();
    QCOMPARE(callState(callId), u"incoming"_s);

    const Http group = send(*m_nam, "POST", url(u"/sandbox/incoming"_s),
        R"({"from":{"displayName":"Sue","userId":"u-sue"},"groupInvite":true})", json);
    QCOMPARE(group.status, 201);
    const QString groupId = group.json().value("callId"_L1).toString();
    answerAndWaitEstablished(groupId);
    const int rosterBefore =
        int(m_server->engine()->listParticipants(groupId).body.value("value"_L1).toArray().size());
    const Http joined = send(*m_nam, "POST", url(u"/sandbox/calls/%1/join"_s.arg(groupId)),
        R"({"displayName":"Grace"})", json);
    QCOMPARE(joined.status, 200);
    QTRY_COMPARE(
        int(m_server->engine()->listParticipants(groupId).body.value("value"_L1).toArray().size()),
        rosterBefore + 1);

    answerAndWaitEstablished(callId);
    const Http tones = send(
        *m_nam, "POST", url(u"/sandbox/calls/%1/tones"_s.arg(callId)), R"({"tones":"12#"})", json);
    QVERIFY2(tones.status == 200 || tones.status == 202, tones.body.constData());
    const Http hangup = send(*m_nam, "POST", url(u"/sandbox/calls/%1/hangup"_s.arg(callId)));
    QVERIFY2(hangup.status >= 200 && hangup.status < 300, hangup.body.constData());
    QTRY_COMPARE(callState(callId), u"terminated"_s);

    const Http state = send(*m_nam, "GET", url(u"/sandbox/state"_s));
    QCOMPARE(state.status, 200);
    QStringList ids;
    const QJsonArray calls = state.json().value("calls"_L1).toArray();
    for (const QJsonValue &call : calls)
        ids.append(call.toObject().value("id"_L1).toString());
    QVERIFY(ids.contains(callId));
    QVERIFY(ids.contains(groupId));
    QVERIFY(isGuid(state.header("request-id")));
}

void TstSandboxServer::controlApiRefusesBadBodies_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("no from") << u"/sandbox/incoming"_s << QByteArray(R"({"to":"x"})") << 400;
    QTest::newRow("bad phone") << u"/sandbox/incoming"_s << QByteArray(R"({"from":{"phone":"12"}})")
                               << 400;
    QTest::newRow("phone and user")
        << u"/sandbox/incoming"_s << QByteArray(R"({"from":{"phone":"+15550100001","userId":"u"}})")
        << 400;
    QTest::newRow("not json") << u"/sandbox/incoming"_s << QByteArray("{from") << 400;
    QTest::newRow("bad tones") << u"/sandbox/calls/{call}/tones"_s
                               << QByteArray(R"({"tones":"12x"})") << 400;
    QTest::newRow("unknown call") << u"/sandbox/calls/nope/hangup"_s << QByteArray() << 404;
    QTest::newRow("bad scenario") << u"/sandbox/scenario"_s << QByteArray(R"({"name":"x"})") << 400;
    QTest::newRow("unknown route") << u"/sandbox/nothing"_s << QByteArray("{}") << 404;
}

void TstSandboxServer::controlApiRefusesBadBodies()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    path.replace(u"{call}"_s, incomingCall());
    const Http http =
        send(*m_nam, "POST", url(path), body, { { "Content-Type", "application/json" } });
    QCOMPARE(http.status, status);
    QVERIFY(!http.code().isEmpty());
}

void TstSandboxServer::peerCheckAcceptsOnlyLoopback_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << u"127.0.0.1"_s << true;
    QTest::newRow("127.8.9.10") << u"127.8.9.10"_s << true;
    QTest::newRow("::1") << u"::1"_s << true;
    QTest::newRow("mapped loopback") << u"::ffff:127.0.0.1"_s << true;
    QTest::newRow("private v4") << u"192.168.1.20"_s << false;
    QTest::newRow("mapped private") << u"::ffff:10.0.0.1"_s << false;
    QTest::newRow("v6") << u"2001:db8::1"_s << false;
    QTest::newRow("null") << QString() << false;
}

void TstSandboxServer::peerCheckAcceptsOnlyLoopback()
{
    QFETCH(QString, address);
    QFETCH(bool, loopback);
    QCOMPARE(SandboxServer::isLoopbackPeer(QHostAddress(address)), loopback);
}

void TstSandboxServer::optionsHaveTheContractsDefaults()
{
    SandboxOptions options;
    QString message;
    QCOMPARE(SandboxOptions::parse(
                 { u"frontdesk-sandbox"_s }, QProcessEnvironment(), &options, &message),
        SandboxOptions::Outcome::Run);
    QCOMPARE(options.host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(options.port, quint16(0));
    QCOMPARE(options.server.tenantId, Tenant);
    QCOMPARE(options.server.clientId, ClientId);
    QCOMPARE(options.server.clientSecret, u"sandbox-secret"_s);
    QCOMPARE(options.server.tokenLifetime, 3600s);
    QCOMPARE(options.server.timeScale, 1.0);
    QVERIFY(!options.server.seed);

    SandboxOptions given;
    QCOMPARE(SandboxOptions::parse({ u"frontdesk-sandbox"_s, u"--listen"_s, u"[::1]:8765"_s,
                                       u"--seed"_s, u"7"_s, u"--time-scale"_s, u"20"_s,
                                       u"--callback-url"_s, u"https://bot.example.org/cb?x=1"_s },
                 QProcessEnvironment(), &given, &message),
        SandboxOptions::Outcome::Run);
    QCOMPARE(given.host, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(given.port, quint16(8765));
    QCOMPARE(given.server.seed, std::optional<quint32>(7));
    QCOMPARE(given.server.timeScale, 20.0);
    QCOMPARE(given.server.callbackUrl, u"https://bot.example.org/cb?x=1"_s);
}

void TstSandboxServer::optionsTakeTheSecretFromTheEnvironment()
{
    QProcessEnvironment environment;
    environment.insert(u"FRONTDESK_SANDBOX_CLIENT_SECRET"_s, u"from-env"_s);
    SandboxOptions options;
    QString message;
    QCOMPARE(SandboxOptions::parse({ u"frontdesk-sandbox"_s }, environment, &options, &message),
        SandboxOptions::Outcome::Run);
    QCOMPARE(options.server.clientSecret, u"from-env"_s);
}

void TstSandboxServer::optionsRefuseBadValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unknown option") << QStringList { u"--bogus"_s };
    QTest::newRow("listen without port") << QStringList { u"--listen"_s, u"127.0.0.1"_s };
    QTest::newRow("listen port too big") << QStringList { u"--listen"_s, u"127.0.0.1:70000"_s };
    QTest::newRow("seed not a number") << QStringList { u"--seed"_s, u"abc"_s };
    QTest::newRow("time scale zero") << QStringList { u"--time-scale"_s, u"0"_s };
    QTest::newRow("callback not a URL") << QStringList { u"--callback-url"_s, u"bot"_s };
    QTest::newRow("token lifetime") << QStringList { u"--token-lifetime"_s, u"-5"_s };
}

void TstSandboxServer::optionsRefuseBadValues()
{
    QFETCH(QStringList, arguments);
    SandboxOptions options;
    QString message;
    QCOMPARE(SandboxOptions::parse(QStringList { u"frontdesk-sandbox"_s } + arguments,
                 QProcessEnvironment(), &options, &message),
        SandboxOptions::Outcome::Error);
    QVERIFY(!message.isEmpty());
    QVERIFY(!message.contains(u'\n'));
}

void TstSandboxServer::processPrintsListeningLineAndExitsOnSigterm()
{
    QVERIFY2(QFile::exists(QStringLiteral(FRONTDESK_SANDBOX_BINARY)),
        "build the frontdesk-sandbox target first");
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"FRONTDESK_SANDBOX_CLIENT_SECRET"_s, u"env-secret"_s);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(FRONTDESK_SANDBOX_BINARY),
        { u"--listen"_s, u"127.0.0.1:0"_s, u"--seed"_s, u"3"_s });
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 10000);
    const QString line = QString::fromUtf8(process.readLine()).trimmed();
    QVERIFY2(line.startsWith(u"listening on http://127.0.0.1:"_s), qPrintable(line));
    const QUrl base(line.mid(QStringLiteral("listening on ").size()));
    QVERIFY(base.port() > 0);

    const Http config =
        send(*m_nam, "GET", QUrl(base.toString() + u"/.well-known/OpenIdConfiguration"_s));
    QCOMPARE(config.status, 200);
    // The secret came from the environment.
    const Http issued =
        send(*m_nam, "POST", QUrl(base.toString() + u"/%1/oauth2/v2.0/token"_s.arg(Tenant)),
            form(u"env-secret"_s), FormHeaders);
    QCOMPARE(issued.status, 200);

    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(!process.readAllStandardError().contains("env-secret"));
}

void TstSandboxServer::processExitsWithTwoOnBadOption()
{
    QVERIFY2(QFile::exists(QStringLiteral(FRONTDESK_SANDBOX_BINARY)),
        "build the frontdesk-sandbox target first");
    QProcess process;
    process.start(QStringLiteral(FRONTDESK_SANDBOX_BINARY), { u"--listen"_s, u"nowhere"_s });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    const QByteArray error = process.readAllStandardError().trimmed();
    QVERIFY(!error.isEmpty());
    QCOMPARE(error.count('\n'), 0);
}

QTEST_GUILESS_MAIN(TstSandboxServer)
#include "tst_sandboxserver.moc"

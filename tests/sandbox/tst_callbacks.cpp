// Callbacks as a bot sees them: signed, addressed and ordered as Graph's calling platform does
// it (graph-notes §3), and complete enough that CallBook rebuilds the sandbox's state from them.
#include "callbackreceiver.h"
#include "graph/callbook.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Sandbox;
using TestSupport::CallbackReceiver;
using TestSupport::ReceivedCallback;

namespace {

const QString Tenant = u"00000000-0000-0000-0000-000000000001"_s;
const QString ClientId = u"00000000-0000-0000-0000-0000000000b0"_s;

struct Http
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Http send(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url,
    const QByteArray &body = {}, const QByteArray &token = {})
{
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = nam.sendCustomRequest(request, verb, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    reply->deleteLater();
    return Http { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->readAll() };
}

} // namespace

class TstCallbacks final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void incomingCallIsSignedAndReachesTheCallbackUrl();
    void answerWithCallbackUriMovesLaterNotifications();
    void lifecycleFedIntoCallBookMatchesSandboxState();
    void deliveriesAreCountedAndFailuresDoNotStopTheQueue();

private:
    QUrl url(const QString &path) const { return QUrl(m_server->baseUrl().toString() + path); }
    QByteArray token();
    QString incoming(const QByteArray &from = R"({"displayName":"Ada","phone":"+15550100001"})");
    Http graph(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    Http answer(const QString &callId, const QUrl &callbackUri);

    Graph::SystemClock m_clock;
    std::unique_ptr<CallbackReceiver> m_receiver;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_token;
};

void TstCallbacks::init()
{
    m_receiver = std::make_unique<CallbackReceiver>();
    QVERIFY(m_receiver->isListening());
    ServerConfig config;
    config.seed = 11;
    config.timeScale = 10;
    // The global webhook, used exactly as given: its query must arrive as it is.
    config.callbackUrl =
        m_receiver->url(u"/api/calls?route=desk%2F1&x=%C3%A9"_s).toString(QUrl::FullyEncoded);
    m_server = std::make_unique<SandboxServer>(config, &m_clock);
    QVERIFY(m_server->start());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_token.clear();

    // As a bot does it: the OpenID configuration names the key set.
    QString error;
    const std::optional<Graph::Jwks> keys = CallbackReceiver::fetchJwks(
        m_nam.get(), url(u"/.well-known/OpenIdConfiguration"_s), &error);
    QVERIFY2(keys, qPrintable(error));
    QVERIFY(keys->contains(m_server->signer().keyId()));
    m_receiver->setJwks(*keys);
    m_receiver->setAudience(ClientId);
}

void TstCallbacks::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_receiver.reset();
}

QByteArray TstCallbacks::token()
{
    if (m_token.isEmpty()) {
        QNetworkRequest request(url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)));
        request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
        QNetworkReply *reply = m_nam->post(request,
            "grant_type=client_credentials&client_id=" + ClientId.toLatin1()
                + "&client_secret=sandbox-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F."
                  "default");
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(10000);
        reply->deleteLater();
        m_token = QJsonDocument::fromJson(reply->readAll())
                      .object()
                      .value("access_token"_L1)
                      .toString()
                      .toLatin1();
    }
    return m_token;
}

QString TstCallbacks::incoming(const QByteArray &from)
{
    const Http created =
        send(*m_nam, "POST", url(u"/sandbox/incoming"_s), "{\"from\":" + from + "}");
    return created.json().value("callId"_L1).toString();
}

Http TstCallbacks::graph(const QByteArray &verb, const QString &path, const QByteArray &body)
{
    return send(*m_nam, verb, url(u"/v1.0"_s + path), body, token());
}

Http TstCallbacks::answer(const QString &callId, const QUrl &callbackUri)
{
    const QJsonObject body {
        { "callbackUri"_L1, callbackUri.toString(QUrl::FullyEncoded) },
        { "acceptedModalities"_L1, QJsonArray { u"audio"_s } },
        { "mediaConfig"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
    };
    return graph("POST", u"/communications/calls/%1/answer"_s.arg(callId),
        QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void TstCallbacks::incomingCallIsSignedAndReachesTheCallbackUrl()
{
    const QString callId = incoming();
    QVERIFY(m_receiver->waitForCount(1));
    const ReceivedCallback &callback = m_receiver->callbacks().constFirst();

    QCOMPARE(callback.pathAndQuery(), u"/api/calls?route=desk%2F1&x=%C3%A9"_s);
    QVERIFY2(callback.verified(), qPrintable(callback.jwt.message));
    const Graph::JwtClaims &claims = callback.jwt.claims;
    QCOMPARE(claims.issuer, u"https://api.botframework.com"_s);
    QCOMPARE(claims.audiences, QStringList { ClientId });
    QCOMPARE(claims.tenantId, Tenant);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVERIFY(qAbs(claims.expiresAt.toSecsSinceEpoch() - (now + 600)) <= 5);
    QVERIFY(qAbs(claims.issuedAt.toSecsSinceEpoch() - now) <= 5);
    QVERIFY(claims.notBefore.isValid());
    QCOMPARE(claims.kid, m_server->signer().keyId());

    QVERIFY(callback.header("Content-Type").startsWith("application/json"));
    QCOMPARE(callback.header("User-Agent"), "Microsoft-Skype/3.0,(Calling/1.0)");
    QVERIFY(!QUuid::fromString(QString::fromLatin1(callback.header("X-Microsoft-Skype-Message-ID")))
                 .isNull());
    const QString chainId =
        m_server->engine()->getCall(callId).body.value("callChainId"_L1).toString();
    QVERIFY(!chainId.isEmpty());
    QCOMPARE(QString::fromLatin1(callback.header("X-Microsoft-Skype-Chain-ID")), chainId);

    const auto notifications = m_receiver->notifications();
    QCOMPARE(notifications.size(), 1);
    QCOMPARE(notifications.first().changeType.value, Graph::ChangeType::Created);
    QCOMPARE(notifications.first().callId, callId);
    const Graph::Call call = Graph::decodeCall(notifications.first().resourceData.toObject());
    QCOMPARE(call.state.value, Graph::CallState::Incoming);
    QCOMPARE(call.source->identity.phoneNumber(), u"+15550100001"_s);
}

void TstCallbacks::answerWithCallbackUriMovesLaterNotifications()
{
    const QString callId = incoming();
    QVERIFY(m_receiver->waitForCount(1));
    const QUrl perCall = m_receiver->url(u"/calls/per-call?instance=7"_s);
    QCOMPARE(answer(callId, perCall).status, 202);
    // establishing, established and the first roster
    QVERIFY(m_receiver->waitForCount(4));
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);
    const QList<ReceivedCallback> callbacks = m_receiver->callbacks();
    QCOMPARE(callbacks.first().path, u"/api/calls"_s);
    for (qsizetype i = 1; i < callbacks.size(); ++i) {
        QCOMPARE(callbacks.at(i).pathAndQuery(), u"/calls/per-call?instance=7"_s);
        QVERIFY(callbacks.at(i).verified());
    }
    QCOMPARE(m_server->engine()->getCall(callId).body.value("callbackUri"_L1).toString(),
        perCall.toString());
}

void TstCallbacks::lifecycleFedIntoCallBookMatchesSandboxState()
{
    const QString callId = incoming();
    QVERIFY(m_receiver->waitForCount(1));
    QCOMPARE(answer(callId, m_receiver->url(u"/lifecycle"_s)).status, 202);
    QTRY_COMPARE(
        m_server->engine()->getCall(callId).body.value("state"_L1).toString(), u"established"_s);
    const QString call = u"/communications/calls/"_s + callId;
    QCOMPARE(graph("POST", call + u"/subscribeToTone"_s, "{}").status, 200);
    const Http tones =
        send(*m_nam, "POST", url(u"/sandbox/calls/%1/tones"_s.arg(callId)), R"({"tones":"4#"})");
    QCOMPARE(tones.status, 202);
    const Http prompt = graph("POST", call + u"/playPrompt"_s,
        R"({"clientContext":"hold","prompts":[{"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"uri":"https://bot.example.org/hold.wav","resourceId":"hold"}}]})");
    QCOMPARE(prompt.status, 200);
    const QString promptId = prompt.json().value("id"_L1).toString();
    // The prompt's completion comes as a `deleted` operation notification.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto all = m_receiver->notifications();
            return std::any_of(all.begin(), all.end(), [&](const Graph::CommsNotification &n) {
                return n.subId == promptId && n.changeType == Graph::ChangeType::Deleted;
            });
        }(),
        10000);
    QCOMPARE(graph("DELETE", call).status, 204);
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);
    QTRY_VERIFY([&] {
        const auto all = m_receiver->notifications();
        return !all.isEmpty() && all.last().changeType == Graph::ChangeType::Deleted
            && all.last().kind == Graph::ResourceKind::Call;
    }());

    Graph::CallBook book;
    const auto notifications = m_receiver->notifications();
    for (const Graph::CommsNotification &notification : notifications)
        book.apply(notification, m_clock.now());
    const Graph::CallEntry *entry = book.find(callId);
    QVERIFY(entry);

    QJsonObject state;
    const QJsonArray calls =
        send(*m_nam, "GET", url(u"/sandbox/state"_s)).json().value("calls"_L1).toArray();
    for (const QJsonValue &value : calls) {
        if (value.toObject().value("id"_L1).toString() == callId)
            state = value.toObject();
    }
    QVERIFY(!state.isEmpty());
    const Graph::Call expected = Graph::decodeCall(state);
    QCOMPARE(entry->call.state.value, Graph::CallState::Terminated);
    QCOMPARE(entry->call.state.value, expected.state.value);
    QCOMPARE(entry->call.resultInfo.code, expected.resultInfo.code);
    QCOMPARE(entry->call.resultInfo.subcode, expected.resultInfo.subcode);
    QCOMPARE(entry->call.callChainId, expected.callChainId);

    QStringList bookParticipants;
    for (const Graph::Participant &p : entry->participants)
        bookParticipants.append(p.id);
    QStringList stateParticipants;
    const QJsonArray participants = state.value("participants"_L1).toArray();
    for (const QJsonValue &p : participants)
        stateParticipants.append(p.toObject().value("id"_L1).toString());
    bookParticipants.sort();
    stateParticipants.sort();
    QCOMPARE(bookParticipants, stateParticipants);

    // Operations whose completion was notified are finished in both.
    const QJsonArray operations = state.value("operations"_L1).toArray();
    for (const Graph::CommsOperation &op : entry->operations) {
        const auto it = std::find_if(operations.begin(), operations.end(),
            [&](const QJsonValue &v) { return v.toObject().value("id"_L1).toString() == op.id; });
        QVERIFY2(it != operations.end(), qPrintable(op.id));
        QCOMPARE(op.status.value, Graph::decodeOperation(it->toObject()).status.value);
    }
    QCOMPARE(entry->tones.size(), 2);
    QCOMPARE(entry->tones.at(0).tone.value, Graph::Tone::Tone4);
    QCOMPARE(entry->tones.at(1).tone.value, Graph::Tone::Pound);
}

void TstCallbacks::deliveriesAreCountedAndFailuresDoNotStopTheQueue()
{
    const QString callId = incoming();
    QVERIFY(m_receiver->waitForCount(1));
    QTRY_COMPARE(m_server->callbacks()->stats().sent, 1);
    // A bot that refuses callbacks: each delivery fails, the next one is still tried.
    m_receiver->setStatus(500);
    QCOMPARE(answer(callId, m_receiver->url(u"/refusing"_s)).status, 202);
    QVERIFY(m_receiver->waitForCount(4));
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);
    const CallbackStats stats = m_server->callbacks()->stats();
    QCOMPARE(stats.sent, 1);
    QCOMPARE(stats.failed, m_receiver->count() - 1);
    QCOMPARE(stats.dropped, 0);
    const Http counters = send(*m_nam, "GET", url(u"/sandbox/callbacks"_s));
    QCOMPARE(counters.json().value("failed"_L1).toInt(), stats.failed);
}

QTEST_GUILESS_MAIN(TstCallbacks)
#include "tst_callbacks.moc"

// Everything the sandbox sends in a full run, checked against Graph's published schema
// (tests/data/communications.csdl.xml): notifications, their resourceData, and GET answers.
#include "callbackreceiver.h"
#include "graph/clock.h"
#include "sandbox/sandboxserver.h"
#include "schemachecker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Sandbox;
using TestSupport::CallbackReceiver;

namespace {

const QString Tenant = u"00000000-0000-0000-0000-000000000001"_s;
const QString Unreachable = u"+14255550999"_s;

QString typeName(const QJsonObject &object)
{
    return object.value("@odata.type"_L1).toString().remove(u"#microsoft.graph."_s);
}

} // namespace

class TstSandboxSchema final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everythingSentInAFullRunConformsToGraphsSchema();

private:
    QUrl url(const QString &path) const { return QUrl(m_server->baseUrl().toString() + path); }
    QJsonObject request(const QByteArray &verb, const QString &path, const QJsonObject &body = {},
        int expected = 200);
    QJsonObject get(const QString &path, const QString &type);
    QString state(const QString &callId) const;
    QString incoming(bool group);
    void answer(const QString &callId);
    bool operationFinished(const QString &operationId) const;
    void expectConforms(const QJsonObject &object, const QString &type, const QString &what);

    SchemaChecker m_schema;
    Graph::SystemClock m_clock;
    std::unique_ptr<CallbackReceiver> m_receiver;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_token;
};

void TstSandboxSchema::initTestCase()
{
    QString error;
    QVERIFY2(
        m_schema.load(QStringLiteral(FRONTDESK_TEST_DATA_DIR "/communications.csdl.xml"), &error),
        qPrintable(error));
    // Graph sends these on commsNotification (an open type) though the schema lists only
    // changeType and resourceUrl (graph-notes §3.2).
    for (const QString &extra : { u"resource"_s, u"callbackUri"_s, u"resourceData"_s })
        m_schema.allowExtra(u"commsNotification"_s, extra);

    m_receiver = std::make_unique<CallbackReceiver>();
    ServerConfig config;
    config.seed = 77;
    config.timeScale = 20;
    config.callbackUrl = m_receiver->url().toString();
    m_server = std::make_unique<SandboxServer>(config, &m_clock);
    QVERIFY(m_server->start());
    m_server->engine()->setUnreachable({ Unreachable });
    m_receiver->setJwks(m_server->signer().jwks());
    m_nam = std::make_unique<QNetworkAccessManager>();

    QNetworkRequest tokenRequest(url(u"/%1/oauth2/v2.0/token"_s.arg(Tenant)));
    tokenRequest.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
    QNetworkReply *reply = m_nam->post(tokenRequest,
        "grant_type=client_credentials&client_id=00000000-0000-0000-0000-"
        "0000000000b0&client_secret=sandbox-secret&scope=https%3A%2F%2Fgraph."
        "microsoft.com%2F.default");
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait());
    reply->deleteLater();
    m_token = QJsonDocument::fromJson(reply->readAll())
                  .object()
                  .value("access_token"_L1)
                  .toString()
                  .toLatin1();
    QVERIFY(!m_token.isEmpty());
}

void TstSandboxSchema::cleanupTestCase()
{
    m_nam.reset();
    m_server.reset();
    m_receiver.reset();
}

QJsonObject TstSandboxSchema::request(
    const QByteArray &verb, const QString &path, const QJsonObject &body, int expected)
{
    QNetworkRequest request(url(u"/v1.0"_s + path));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    QByteArray bytes;
    if (verb == "POST") {
        request.setRawHeader("Content-Type", "application/json");
        bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb, bytes);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    reply->deleteLater();
    const QByteArray answer = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != expected)
        qWarning().noquote() << verb << path << status << answer;
    [&] { QCOMPARE(status, expected); }();
    return QJsonDocument::fromJson(answer).object();
}

QJsonObject TstSandboxSchema::get(const QString &path, const QString &type)
{
    const QJsonObject object = request("GET", path);
    expectConforms(object, type, u"GET "_s + path);
    return object;
}

void TstSandboxSchema::expectConforms(
    const QJsonObject &object, const QString &type, const QString &what)
{
    const QStringList problems = m_schema.check(object, type);
    QVERIFY2(problems.isEmpty(), qPrintable(what + u":\n"_s + problems.join(u'\n')));
}

QString TstSandboxSchema::state(const QString &callId) const
{
    const QJsonArray calls = m_server->engine()->state().value("calls"_L1).toArray();
    for (const QJsonValue &call : calls) {
        if (call.toObject().value("id"_L1).toString() == callId)
            return call.toObject().value("state"_L1).toString();
    }
    return {};
}

bool TstSandboxSchema::operationFinished(const QString &operationId) const
{
    const auto notifications = m_receiver->notifications();
    return std::any_of(notifications.begin(), notifications.end(), [&](const auto &n) {
        return n.subId == operationId && n.changeType == Graph::ChangeType::Deleted;
    });
}

QString TstSandboxSchema::incoming(bool group)
{
    IncomingOptions options;
    options.groupInvite = group;
    options.groupSize = group ? 2 : 0;
    options.subject = group ? u"Escalations"_s : QString();
    return m_server->engine()->incoming(group
            ? Caller { u"Sue Supervisor"_s, {}, u"5b2a7d2c-0000-4000-8000-0000000000aa"_s }
            : Caller { u"Ada Lovelace"_s, u"+15550100001"_s, {} },
        options);
}

void TstSandboxSchema::answer(const QString &callId)
{
    request("POST", u"/communications/calls/%1/answer"_s.arg(callId),
        QJsonObject {
            { "callbackUri"_L1, m_receiver->url().toString() },
            { "acceptedModalities"_L1, QJsonArray { u"audio"_s } },
            { "mediaConfig"_L1,
                QJsonObject {
                    { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } },
        },
        202);
    QTRY_COMPARE(state(callId), u"established"_s);
}

void TstSandboxSchema::everythingSentInAFullRunConformsToGraphsSchema()
{
    const QJsonObject user {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.identitySet"_s },
                { "user"_L1,
                    QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.identity"_s },
                        { "id"_L1, u"5b2a7d2c-0000-4000-8000-0000000000bb"_s },
                        { "displayName"_L1, u"Grace Hopper"_s } } } } },
    };
    QJsonObject phone = user;
    phone.insert("identity"_L1,
        QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.communicationsIdentitySet"_s },
            { "phone"_L1,
                QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.identity"_s },
                    { "id"_L1, Unreachable } } } });

    // A P2P call: answer, tones, media, a failed and then a good transfer.
    const QString p2p = incoming(false);
    QVERIFY(m_receiver->waitForCount(1));
    answer(p2p);
    const QString call = u"/communications/calls/"_s + p2p;
    const QJsonObject subscribed =
        request("POST", call + u"/subscribeToTone"_s, { { "clientContext"_L1, u"tones"_s } });
    expectConforms(subscribed, u"commsOperation"_s, u"subscribeToTone"_s);
    QCOMPARE(m_server->engine()->tones(p2p, u"1*"_s).status, 202);
    const QJsonObject prompt {
        { "@odata.type"_L1, u"#microsoft.graph.mediaPrompt"_s },
        { "mediaInfo"_L1,
            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.mediaInfo"_s },
                { "uri"_L1, u"https://bot.example.org/welcome.wav"_s },
                { "resourceId"_L1, u"welcome"_s } } },
    };
    const QJsonObject played = request("POST", call + u"/playPrompt"_s,
        { { "prompts"_L1, QJsonArray { prompt } }, { "clientContext"_L1, u"welcome"_s } });
    expectConforms(played, u"commsOperation"_s, u"playPrompt"_s);
    const QJsonObject recorded = request("POST", call + u"/recordResponse"_s,
        { { "maxRecordDurationInSeconds"_L1, 1 }, { "clientContext"_L1, u"record"_s } });
    expectConforms(recorded, u"recordOperation"_s, u"recordResponse"_s);
    QTRY_VERIFY(operationFinished(played.value("id"_L1).toString()));
    QTRY_VERIFY(operationFinished(recorded.value("id"_L1).toString()));
    get(call, u"call"_s);
    get(call + u"/operations/"_s + played.value("id"_L1).toString(), u"commsOperation"_s);
    const QJsonObject participants = request("GET", call + u"/participants"_s);
    for (const QJsonValue &p : participants.value("value"_L1).toArray())
        expectConforms(p.toObject(), u"participant"_s, u"GET participants"_s);
    const QString someone =
        participants.value("value"_L1).toArray().last().toObject().value("id"_L1).toString();
    get(call + u"/participants/"_s + someone, u"participant"_s);

    request("POST", call + u"/transfer"_s, { { "transferTarget"_L1, phone } }, 202);
    QTRY_VERIFY(m_server->engine()->getCall(p2p).body.value("resultInfo"_L1).isObject());
    QTRY_COMPARE(state(p2p), u"established"_s);
    request("POST", call + u"/transfer"_s, { { "transferTarget"_L1, user } }, 202);
    QTRY_COMPARE(state(p2p), u"terminated"_s);

    // A group call: invite, mute, someone joining, someone removed, self-mute, hang-up.
    const QString group = incoming(true);
    answer(group);
    const QString groupCall = u"/communications/calls/"_s + group;
    const QJsonObject invited = request("POST", groupCall + u"/participants/invite"_s,
        { { "participants"_L1, QJsonArray { user } } });
    expectConforms(invited, u"inviteParticipantsOperation"_s, u"invite"_s);
    QTRY_VERIFY(operationFinished(invited.value("id"_L1).toString()));
    QCOMPARE(m_server->engine()->join(group, Caller { u"Dial-in"_s, u"+14255550150"_s, {} }).status,
        200);
    const QJsonArray roster =
        request("GET", groupCall + u"/participants"_s).value("value"_L1).toArray();
    const QString first = roster.at(1).toObject().value("id"_L1).toString();
    const QString second = roster.at(2).toObject().value("id"_L1).toString();
    request("POST", groupCall + u"/participants/%1/mute"_s.arg(first), {});
    request("DELETE", groupCall + u"/participants/"_s + second, {}, 204);
    request("POST", groupCall + u"/mute"_s, {});
    request("DELETE", groupCall, {}, 204);
    QTRY_COMPARE(state(group), u"terminated"_s);

    // An outgoing call, and a meeting.
    const QJsonObject created = request("POST", u"/communications/calls"_s,
        { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
            { "callbackUri"_L1, m_receiver->url().toString() },
            { "targets"_L1, QJsonArray { user } },
            { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
            { "mediaConfig"_L1,
                QJsonObject {
                    { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s } } } },
        201);
    expectConforms(created, u"call"_s, u"POST calls"_s);
    QTRY_COMPARE(state(created.value("id"_L1).toString()), u"established"_s);
    const QString organizer = u"5b2a7d2c-0000-4000-8000-0000000000cc"_s;
    const QJsonObject meeting = request("POST", u"/users/%1/onlineMeetings"_s.arg(organizer),
        { { "subject"_L1, u"Desk hand-over"_s }, { "startDateTime"_L1, u"2026-03-02T09:00:00Z"_s },
            { "endDateTime"_L1, u"2026-03-02T09:30:00Z"_s } },
        201);
    expectConforms(meeting, u"onlineMeeting"_s, u"POST onlineMeetings"_s);
    get(u"/users/%1/onlineMeetings/%2"_s.arg(organizer, meeting.value("id"_L1).toString()),
        u"onlineMeeting"_s);
    QTRY_COMPARE(m_server->callbacks()->pending(), 0);

    // Every notification, and every resource in them.
    QSet<QString> seen;
    for (const auto &callback : m_receiver->callbacks()) {
        QVERIFY(callback.verified());
        expectConforms(callback.json, u"commsNotifications"_s, u"notification"_s);
        const QJsonArray values = callback.json.value("value"_L1).toArray();
        for (const QJsonValue &value : values) {
            const QJsonObject notification = value.toObject();
            const QJsonValue data = notification.value("resourceData"_L1);
            const QJsonArray items = data.isArray() ? data.toArray() : QJsonArray { data };
            for (const QJsonValue &item : items) {
                const QString type = typeName(item.toObject());
                QVERIFY2(m_schema.hasType(type), qPrintable(type));
                expectConforms(
                    item.toObject(), type, notification.value("resourceUrl"_L1).toString());
                seen.insert(notification.value("changeType"_L1).toString() + u' ' + type);
            }
        }
    }
    // The run produced each kind of notification it was meant to.
    for (const QString &kind : { u"created call"_s, u"updated call"_s, u"deleted call"_s,
             u"updated participant"_s, u"deleted playPromptOperation"_s,
             u"deleted recordOperation"_s, u"deleted inviteParticipantsOperation"_s })
        QVERIFY2(seen.contains(kind), qPrintable(kind));
}

QTEST_GUILESS_MAIN(TstSandboxSchema)
#include "tst_sandbox_schema.moc"

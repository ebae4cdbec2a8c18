#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "recordingserver.h"
#include "schemachecker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimeZone>
#include <QUuid>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Graph;
using TestSupport::CannedResponse;
using TestSupport::RecordedRequest;
using TestSupport::RecordingServer;

using Invoke = std::function<GraphReply *(GraphClient &)>;
Q_DECLARE_METATYPE(Invoke)

namespace {

using Owned = std::unique_ptr<GraphReply>;
using Expect = GraphReply::Expect;

const QString Calls = u"/v1.0/communications/calls"_s;
const QString Callback = u"https://relay.example.org/api/calls"_s;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject parse(const char *json)
{
    // Single quotes in the source keep the fixtures readable.
    return QJsonDocument::fromJson(QByteArray(json).replace('\'', '"')).object();
}

QByteArray callJson(const QString &id)
{
    return compact(QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, id },
        { "state"_L1, u"establishing"_s }, { "direction"_L1, u"outgoing"_s },
        { "callbackUri"_L1, Callback }, { "myParticipantId"_L1, u"p-bot"_s } });
}

QByteArray operationJson(const QString &type, const QString &id, const QString &status)
{
    return compact(QJsonObject { { "@odata.type"_L1, QString(u"#microsoft.graph."_s + type) },
        { "id"_L1, id }, { "status"_L1, status }, { "clientContext"_L1, u"ctx-1"_s } });
}

QJsonObject participantObject(const QString &id)
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.participant"_s }, { "id"_L1, id },
        { "isMuted"_L1, false }, { "isInLobby"_L1, false },
        { "info"_L1, parse("{'identity':{'user':{'id':'oid','displayName':'A'}}}") } };
}

QJsonObject meetingObject(const QString &id)
{
    return QJsonObject { { "id"_L1, id }, { "subject"_L1, u"Front desk sync"_s },
        { "joinWebUrl"_L1, u"https://teams.microsoft.com/l/meetup-join/x"_s } };
}

QByteArray collection(const QList<QJsonObject> &items)
{
    QJsonArray array;
    for (const QJsonObject &item : items)
        array.append(item);
    return compact(QJsonObject { { "value"_L1, array } });
}

InvitationParticipantInfo userTarget(const QString &id = u"user-oid"_s)
{
    InvitationParticipantInfo target;
    target.identity = IdentitySet::user(id, u"Agent A"_s);
    return target;
}

MediaInfo holdPrompt()
{
    return MediaInfo { u"https://media.example.org/hold.wav"_s, u"hold-1"_s, {} };
}

QJsonObject mediaPrompt(const MediaInfo &info)
{
    return QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.mediaPrompt"_s },
        { "mediaInfo"_L1, encode(info) } };
}

const QJsonObject ServiceHosted { { "@odata.type"_L1,
    u"#microsoft.graph.serviceHostedMediaConfig"_s } };

// finished() always comes from the event loop, so there is time to keep the reply.
bool finishes(GraphReply *reply)
{
    reply->setAutoDelete(false);
    QSignalSpy finished(reply, &GraphReply::finished);
    return finished.wait(5000) && finished.count() == 1;
}

QStringList resultIds(const GraphReply &reply)
{
    QStringList ids;
    switch (reply.expected()) {
    case Expect::Nothing:
        break;
    case Expect::Call:
        ids << reply.call().id;
        break;
    case Expect::Operation:
        ids << reply.operation().id;
        break;
    case Expect::Participant:
        ids << reply.participant().id;
        break;
    case Expect::ParticipantCollection:
        for (const Participant &participant : reply.participants())
            ids << participant.id;
        break;
    case Expect::OnlineMeeting:
        ids << reply.onlineMeeting().id;
        break;
    case Expect::OnlineMeetingCollection:
        for (const OnlineMeeting &meeting : reply.onlineMeetings())
            ids << meeting.id;
        break;
    }
    return ids;
}

// Hands out token-1, then token-2 after an invalidation, and so on.
class RotatingTokenSource final : public TokenSource
{
    Q_OBJECT

public:
    using TokenSource::TokenSource;
    void requestToken(QObject *, Callback callback) override
    {
        callback(TokenResult { u"token-%1"_s.arg(m_generation), std::nullopt });
    }
    void invalidate(const QString &token) override
    {
        invalidated.append(token);
        ++m_generation;
    }
    QStringList invalidated;

private:
    int m_generation = 1;
};

} // namespace

class TstGraphClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void endpointSendsExactRequest_data();
    void endpointSendsExactRequest();
    void createCallFillsRequiredFields();
    void createdCallCarriesLocation();
    void operationIsDecoded();
    void idsArePercentEncodedInPaths_data();
    void idsArePercentEncodedInPaths();
    void joinUrlFilterEncodesTheUrlOnceMore();
    void basePathPrefixIsKept();
    void sendPassesBytesAndHeadersThrough();
    void errorsAreDecoded_data();
    void errorsAreDecoded();
    void undecodableSuccessBodyIsInvalidResponse_data();
    void undecodableSuccessBodyIsInvalidResponse();
    void throttledRequestWaitsRetryAfterExactly();
    void retryWithoutRetryAfterUsesBackoff_data();
    void retryWithoutRetryAfterUsesBackoff();
    void givesUpAfterThreeRetries();
    void badRequestIsNeverRetried();
    void networkErrorOnPostIsNotRetried();
    void refusedConnectionOnPostIsNotRetried();
    void networkErrorOnGetIsRetried();
    void unauthorizedRefreshesTokenAndRetriesOnce();
    void unauthorizedThenSuccess();
    void tokenErrorFinishesLater();
    void abortDuringRetryWaitCancels();
    void replyDeletesItselfAfterFinished();
    void logNeverShowsToken();

private:
    SchemaChecker m_schema;
    std::unique_ptr<RecordingServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<StaticTokenSource> m_tokens;
    std::unique_ptr<GraphClient> m_client;
};

void TstGraphClient::initTestCase()
{
    QString error;
    QVERIFY2(
        m_schema.load(QStringLiteral(FRONTDESK_TEST_DATA_DIR "/communications.csdl.xml"), &error),
        qPrintable(error));
}

void TstGraphClient::init()
{
    m_server = std::make_unique<RecordingServer>();
    QVERIFY(m_server->isListening());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>();
    m_tokens = std::make_unique<StaticTokenSource>(u"test-token"_s);
    m_client = std::make_unique<GraphClient>(
        m_nam.get(), m_tokens.get(), m_clock.get(), m_server->url(u"/v1.0"_s));
    RetryPolicy policy;
    policy.setRandom([] { return 0.0; });
    m_client->setRetryPolicy(policy);
}

void TstGraphClient::cleanup()
{
    m_client.reset();
    m_tokens.reset();
    m_nam.reset();
    m_clock.reset();
    m_server.reset();
}

void TstGraphClient::endpointSendsExactRequest_data()
{
    QTest::addColumn<Invoke>("invoke");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path"); // percent-encoded, as on the wire
    QTest::addColumn<QString>("filter"); // the decoded $filter; empty: no query at all
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("hasBody");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("expect");
    QTest::addColumn<QStringList>("ids"); // of the decoded result

    const auto row = [](const char *name, Invoke invoke, const QByteArray &method,
                         const QString &path, const QJsonObject &body, int status,
                         const QByteArray &response, Expect expect, const QStringList &ids,
                         const QString &filter = {}) {
        const bool hasBody = method == "POST" && !body.isEmpty();
        QTest::newRow(name) << invoke << method << path << filter << body << hasBody << status
                            << response << int(expect) << ids;
    };
    const QString c1 = Calls + u"/c-1"_s;

    // 1. create call
    Call call;
    call.callbackUri = Callback;
    call.targets = { userTarget() };
    call.requestedModalities = { Modality::Audio };
    row("1 createCall", [call](GraphClient &c) { return c.createCall(call); }, "POST", Calls,
        QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
            { "callbackUri"_L1, Callback }, { "targets"_L1, QJsonArray { encode(userTarget()) } },
            { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
            { "mediaConfig"_L1, ServiceHosted } },
        201, callJson(u"c-1"_s), Expect::Call, { u"c-1"_s });
    // 2. get call
    row("2 getCall", [](GraphClient &c) { return c.getCall(u"c-1"_s); }, "GET", c1, {}, 200,
        callJson(u"c-1"_s), Expect::Call, { u"c-1"_s });
    // 3. answer
    row("3 answer",
        [](GraphClient &c) {
            return c.answer(u"c-1"_s, { Callback, {}, {}, {} });
        },
        "POST", c1 + u"/answer"_s,
        QJsonObject { { "callbackUri"_L1, Callback }, { "mediaConfig"_L1, ServiceHosted },
            { "acceptedModalities"_L1, QJsonArray { u"audio"_s } } },
        202, {}, Expect::Nothing, {});
    row("3 answer, all parameters",
        [](GraphClient &c) {
            return c.answer(
                u"c-1"_s, { Callback, { Modality::Audio, Modality::Video }, { holdPrompt() }, 2 });
        },
        "POST", c1 + u"/answer"_s,
        QJsonObject { { "callbackUri"_L1, Callback },
            { "mediaConfig"_L1,
                QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.serviceHostedMediaConfig"_s },
                    { "preFetchMedia"_L1, QJsonArray { encode(holdPrompt()) } } } },
            { "acceptedModalities"_L1, QJsonArray { u"audio"_s, u"video"_s } },
            { "participantCapacity"_L1, 2 } },
        202, {}, Expect::Nothing, {});
    // 4. reject
    row("4 reject busy", [](GraphClient &c) { return c.reject(u"c-1"_s, RejectReason::Busy); },
        "POST", c1 + u"/reject"_s, parse("{'reason':'busy'}"), 202, {}, Expect::Nothing, {});
    row("4 reject with callbackUri",
        [](GraphClient &c) { return c.reject(u"c-1"_s, RejectReason::None, Callback); }, "POST",
        c1 + u"/reject"_s,
        QJsonObject { { "reason"_L1, u"none"_s }, { "callbackUri"_L1, Callback } }, 202, {},
        Expect::Nothing, {});
    // 5. redirect
    row("5 redirect",
        [](GraphClient &c) {
            return c.redirect(u"c-1"_s, { { userTarget(), userTarget(u"oid-2"_s) }, 30, Callback });
        },
        "POST", c1 + u"/redirect"_s,
        QJsonObject {
            { "targets"_L1, QJsonArray { encode(userTarget()), encode(userTarget(u"oid-2"_s)) } },
            { "timeout"_L1, 30 }, { "callbackUri"_L1, Callback } },
        202, {}, Expect::Nothing, {});
    // 6. transfer
    row("6 transfer",
        [](GraphClient &c) {
            return c.transfer(u"c-1"_s, { userTarget(), {} });
        },
        "POST", c1 + u"/transfer"_s, QJsonObject { { "transferTarget"_L1, encode(userTarget()) } },
        202, {}, Expect::Nothing, {});
    ParticipantInfo transferee;
    transferee.identity = IdentitySet::phone(u"+15550100"_s);
    row("6 transfer out of a group call",
        [transferee](GraphClient &c) {
            return c.transfer(u"c-1"_s, { userTarget(), transferee });
        },
        "POST", c1 + u"/transfer"_s,
        QJsonObject { { "transferTarget"_L1, encode(userTarget()) },
            { "transferee"_L1, encode(transferee) } },
        202, {}, Expect::Nothing, {});
    // 7. hang up; 8. keep alive
    row("7 hangUp", [](GraphClient &c) { return c.hangUp(u"c-1"_s); }, "DELETE", c1, {}, 204, {},
        Expect::Nothing, {});
    row("8 keepAlive", [](GraphClient &c) { return c.keepAlive(u"c-1"_s); }, "POST",
        c1 + u"/keepAlive"_s, {}, 200, {}, Expect::Nothing, {});
    // 9-14. media and self mute: 200 with an operation
    row("9 playPrompt",
        [](GraphClient &c) { return c.playPrompt(u"c-1"_s, { holdPrompt() }, u"ctx-1"_s); }, "POST",
        c1 + u"/playPrompt"_s,
        QJsonObject { { "prompts"_L1, QJsonArray { mediaPrompt(holdPrompt()) } },
            { "clientContext"_L1, u"ctx-1"_s } },
        200, operationJson(u"playPromptOperation"_s, u"op-9"_s, u"running"_s), Expect::Operation,
        { u"op-9"_s });
    row("10 subscribeToTone", [](GraphClient &c) { return c.subscribeToTone(u"c-1"_s, u"t"_s); },
        "POST", c1 + u"/subscribeToTone"_s, parse("{'clientContext':'t'}"), 200,
        operationJson(u"subscribeToToneOperation"_s, u"op-10"_s, u"completed"_s), Expect::Operation,
        { u"op-10"_s });
    RecordResponseParams record;
    record.prompts = { holdPrompt() };
    record.bargeInAllowed = true;
    record.initialSilenceTimeoutInSeconds = 3;
    record.maxSilenceTimeoutInSeconds = 4;
    record.maxRecordDurationInSeconds = 60;
    record.playBeep = false;
    record.stopTones = { u"#"_s, u"*"_s };
    record.clientContext = u"rec"_s;
    row("11 recordResponse",
        [record](GraphClient &c) { return c.recordResponse(u"c-1"_s, record); }, "POST",
        c1 + u"/recordResponse"_s,
        QJsonObject { { "prompts"_L1, QJsonArray { mediaPrompt(holdPrompt()) } },
            { "bargeInAllowed"_L1, true }, { "initialSilenceTimeoutInSeconds"_L1, 3 },
            { "maxSilenceTimeoutInSeconds"_L1, 4 }, { "maxRecordDurationInSeconds"_L1, 60 },
            { "playBeep"_L1, false }, { "stopTones"_L1, QJsonArray { u"#"_s, u"*"_s } },
            { "clientContext"_L1, u"rec"_s } },
        200, operationJson(u"recordOperation"_s, u"op-11"_s, u"running"_s), Expect::Operation,
        { u"op-11"_s });
    row("11 recordResponse, defaults",
        [](GraphClient &c) { return c.recordResponse(u"c-1"_s, {}); }, "POST",
        c1 + u"/recordResponse"_s, parse("{'clientContext':''}"), 200,
        operationJson(u"recordOperation"_s, u"op-11"_s, u"running"_s), Expect::Operation,
        { u"op-11"_s });
    row("12 cancelMediaProcessing",
        [](GraphClient &c) { return c.cancelMediaProcessing(u"c-1"_s, u"x"_s); }, "POST",
        c1 + u"/cancelMediaProcessing"_s, parse("{'clientContext':'x'}"), 200,
        operationJson(u"cancelMediaProcessingOperation"_s, u"op-12"_s, u"completed"_s),
        Expect::Operation, { u"op-12"_s });
    row("13 mute", [](GraphClient &c) { return c.mute(u"c-1"_s, u"m"_s); }, "POST", c1 + u"/mute"_s,
        parse("{'clientContext':'m'}"), 200,
        operationJson(u"muteParticipantOperation"_s, u"op-13"_s, u"completed"_s), Expect::Operation,
        { u"op-13"_s });
    row("14 unmute", [](GraphClient &c) { return c.unmute(u"c-1"_s, u"u"_s); }, "POST",
        c1 + u"/unmute"_s, parse("{'clientContext':'u'}"), 200,
        operationJson(u"unmuteParticipantOperation"_s, u"op-14"_s, u"completed"_s),
        Expect::Operation, { u"op-14"_s });
    // 15-19. participants
    row("15 listParticipants", [](GraphClient &c) { return c.listParticipants(u"c-1"_s); }, "GET",
        c1 + u"/participants"_s, {}, 200,
        collection({ participantObject(u"p-1"_s), participantObject(u"p-2"_s) }),
        Expect::ParticipantCollection, { u"p-1"_s, u"p-2"_s });
    row("16 getParticipant", [](GraphClient &c) { return c.getParticipant(u"c-1"_s, u"p-1"_s); },
        "GET", c1 + u"/participants/p-1"_s, {}, 200, compact(participantObject(u"p-1"_s)),
        Expect::Participant, { u"p-1"_s });
    row("17 inviteParticipants",
        [](GraphClient &c) { return c.inviteParticipants(u"c-1"_s, { userTarget() }, u"i"_s); },
        "POST", c1 + u"/participants/invite"_s,
        QJsonObject { { "participants"_L1, QJsonArray { encode(userTarget()) } },
            { "clientContext"_L1, u"i"_s } },
        200, operationJson(u"inviteParticipantsOperation"_s, u"op-17"_s, u"Running"_s),
        Expect::Operation, { u"op-17"_s });
    row("18 muteParticipant",
        [](GraphClient &c) { return c.muteParticipant(u"c-1"_s, u"p-1"_s, u"m"_s); }, "POST",
        c1 + u"/participants/p-1/mute"_s, parse("{'clientContext':'m'}"), 200,
        operationJson(u"muteParticipantOperation"_s, u"op-18"_s, u"completed"_s), Expect::Operation,
        { u"op-18"_s });
    row("19 removeParticipant",
        [](GraphClient &c) { return c.removeParticipant(u"c-1"_s, u"p-1"_s); }, "DELETE",
        c1 + u"/participants/p-1"_s, {}, 204, {}, Expect::Nothing, {});
    // 20-23. online meetings
    OnlineMeeting meeting;
    meeting.subject = u"Front desk sync"_s;
    meeting.startDateTime = QDateTime(QDate(2026, 1, 5), QTime(10, 0), QTimeZone::utc());
    meeting.endDateTime = meeting.startDateTime.addSecs(1800);
    row("20 createOnlineMeeting",
        [meeting](GraphClient &c) { return c.createOnlineMeeting(u"u-1"_s, meeting); }, "POST",
        u"/v1.0/users/u-1/onlineMeetings"_s, encode(meeting), 201, compact(meetingObject(u"m-1"_s)),
        Expect::OnlineMeeting, { u"m-1"_s });
    row("21 createMyOnlineMeeting",
        [meeting](GraphClient &c) { return c.createMyOnlineMeeting(meeting); }, "POST",
        u"/v1.0/me/onlineMeetings"_s, encode(meeting), 201, compact(meetingObject(u"m-1"_s)),
        Expect::OnlineMeeting, { u"m-1"_s });
    CreateOrGetParams createOrGet;
    createOrGet.externalId = u"ext-1"_s;
    createOrGet.subject = u"Escalation"_s;
    createOrGet.startDateTime = meeting.startDateTime;
    createOrGet.endDateTime = meeting.endDateTime;
    MeetingParticipantInfo attendee;
    attendee.identity = IdentitySet::user(u"oid-3"_s);
    createOrGet.attendees = { attendee };
    row("22 createOrGet for a user",
        [createOrGet](GraphClient &c) { return c.createOrGetOnlineMeeting(u"u-1"_s, createOrGet); },
        "POST", u"/v1.0/users/u-1/onlineMeetings/createOrGet"_s,
        QJsonObject { { "externalId"_L1, u"ext-1"_s }, { "subject"_L1, u"Escalation"_s },
            { "startDateTime"_L1, writeDateTime(meeting.startDateTime) },
            { "endDateTime"_L1, writeDateTime(meeting.endDateTime) },
            { "participants"_L1,
                QJsonObject { { "attendees"_L1, QJsonArray { encode(attendee) } } } } },
        200, compact(meetingObject(u"m-1"_s)), Expect::OnlineMeeting, { u"m-1"_s });
    row("22 createOrGet for me",
        [](GraphClient &c) {
            CreateOrGetParams params;
            params.externalId = u"ext-2"_s;
            return c.createOrGetOnlineMeeting(std::nullopt, params);
        },
        "POST", u"/v1.0/me/onlineMeetings/createOrGet"_s, parse("{'externalId':'ext-2'}"), 201,
        compact(meetingObject(u"m-2"_s)), Expect::OnlineMeeting, { u"m-2"_s });
    row("23 getOnlineMeeting",
        [](GraphClient &c) { return c.getOnlineMeeting(u"u-1"_s, u"m-1"_s); }, "GET",
        u"/v1.0/users/u-1/onlineMeetings/m-1"_s, {}, 200, compact(meetingObject(u"m-1"_s)),
        Expect::OnlineMeeting, { u"m-1"_s });
    row(
        "23 findOnlineMeetingByJoinUrl",
        [](GraphClient &c) {
            return c.findOnlineMeetingByJoinUrl(u"u-1"_s, u"https://teams.example/j/1"_s);
        },
        "GET", u"/v1.0/users/u-1/onlineMeetings"_s, {}, 200,
        collection({ meetingObject(u"m-1"_s) }), Expect::OnlineMeetingCollection, { u"m-1"_s },
        u"JoinWebUrl eq 'https://teams.example/j/1'"_s);
    row(
        "23 findOnlineMeetingByVideoTeleconferenceId",
        [](GraphClient &c) { return c.findOnlineMeetingByVideoTeleconferenceId(u"O'Brien-1"_s); },
        "GET", u"/v1.0/communications/onlineMeetings/"_s, {}, 200,
        collection({ meetingObject(u"m-3"_s) }), Expect::OnlineMeetingCollection, { u"m-3"_s },
        u"VideoTeleconferenceId eq 'O''Brien-1'"_s);
}

void TstGraphClient::endpointSendsExactRequest()
{
    QFETCH(Invoke, invoke);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, filter);
    QFETCH(QJsonObject, body);
    QFETCH(bool, hasBody);
    QFETCH(int, status);
    QFETCH(QByteArray, response);
    QFETCH(int, expect);
    QFETCH(QStringList, ids);

    m_server->enqueue(method, path,
        CannedResponse::raw(status, response,
            response.isEmpty() ? QByteArray() : "application/json", { { "request-id", "r-1" } }));
    const Owned reply(invoke(*m_client));
    QVERIFY(finishes(reply.get()));

    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest sent = m_server->lastRequest();
    QCOMPARE(sent.method, method);
    QCOMPARE(sent.path, path);
    if (filter.isEmpty())
        QCOMPARE(sent.query, QString());
    else
        QCOMPARE(sent.queryItem(u"$filter"_s), filter);
    QCOMPARE(sent.header("Authorization"), "Bearer test-token"_ba);
    QCOMPARE(sent.header("Accept"), "application/json"_ba);
    const QUuid guid = QUuid::fromString(QString::fromLatin1(sent.header("client-request-id")));
    QVERIFY(!guid.isNull());
    QCOMPARE(sent.header("client-request-id"), reply->clientRequestId().toLatin1());
    QVERIFY(!sent.hasHeader("Retry-Attempt"));
    if (hasBody) {
        QCOMPARE(sent.header("Content-Type"), "application/json"_ba);
        QCOMPARE(compact(sent.json()), compact(body));
        // Actions carry exactly their parameters in Graph's schema and no type of their own;
        // entities (a call, a meeting) are checked as instances of their type.
        QStringList problems;
        if (sent.path == Calls) {
            problems = m_schema.check(sent.json(), u"call"_s);
        } else if (sent.path.endsWith(u"/onlineMeetings"_s)) {
            problems = m_schema.check(sent.json(), u"onlineMeeting"_s);
        } else {
            QVERIFY(!sent.json().contains("@odata.type"_L1));
            const QString action = sent.path.section(u'/', -1);
            const bool onParticipant = sent.path.contains(u"/participants/"_s);
            const bool onMeetings = sent.path.contains(u"/onlineMeetings/"_s);
            problems = m_schema.checkActionBody(action,
                onMeetings          ? u"onlineMeeting"_s
                    : onParticipant ? u"participant"_s
                                    : u"call"_s,
                sent.json());
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
    } else {
        QVERIFY(!sent.hasHeader("Content-Type"));
        QCOMPARE(sent.body, QByteArray());
    }

    QVERIFY2(
        reply->isSuccess(), qPrintable(reply->error() ? reply->error()->summary() : QString()));
    QCOMPARE(reply->httpStatus(), status);
    QCOMPARE(reply->attempts(), 1);
    QCOMPARE(reply->requestId(), u"r-1"_s);
    QCOMPARE(int(reply->expected()), expect);
    QCOMPARE(resultIds(*reply), ids);
}

void TstGraphClient::createCallFillsRequiredFields()
{
    // A call value without modalities or media config still goes out complete.
    Call call;
    call.targets = { userTarget() };
    m_server->enqueue(
        "POST", Calls, CannedResponse::raw(201, callJson(u"c-1"_s), "application/json"));
    const Owned reply(m_client->createCall(call));
    QVERIFY(finishes(reply.get()));

    const QJsonObject body = m_server->lastRequest().json();
    QCOMPARE(body.value("@odata.type"_L1).toString(), u"#microsoft.graph.call"_s);
    QVERIFY(body.value("callbackUri"_L1).isString());
    QCOMPARE(body.value("requestedModalities"_L1).toArray(), QJsonArray { u"audio"_s });
    QCOMPARE(compact(body.value("mediaConfig"_L1).toObject()), compact(ServiceHosted));
    const QJsonObject target = body.value("targets"_L1).toArray().first().toObject();
    QCOMPARE(
        target.value("@odata.type"_L1).toString(), u"#microsoft.graph.invitationParticipantInfo"_s);
    QCOMPARE(target.value("identity"_L1)["user"_L1]["id"_L1].toString(), u"user-oid"_s);
}

void TstGraphClient::createdCallCarriesLocation()
{
    const QByteArray location = "https://graph.microsoft.com/v1.0/communications/calls/c-1";
    m_server->enqueue("POST", Calls,
        CannedResponse::raw(201, callJson(u"c-1"_s), "application/json",
            { { "Location", location }, { "request-id", "r-1" } }));
    Call call;
    call.callbackUri = Callback;
    call.targets = { userTarget() };
    const Owned reply(m_client->createCall(call));
    QVERIFY(finishes(reply.get()));

    QVERIFY(reply->isSuccess());
    QCOMPARE(reply->httpStatus(), 201);
    QCOMPARE(reply->location(), QUrl::fromEncoded(location));
    QCOMPARE(reply->requestId(), u"r-1"_s);
    QCOMPARE(reply->call().id, u"c-1"_s);
    QVERIFY(reply->call().state == CallState::Establishing);
    QCOMPARE(reply->call().myParticipantId, u"p-bot"_s);
}

void TstGraphClient::operationIsDecoded()
{
    m_server->enqueue("POST", Calls + u"/c-1/playPrompt"_s,
        CannedResponse::raw(200, operationJson(u"playPromptOperation"_s, u"op-1"_s, u"running"_s),
            "application/json"));
    const Owned reply(m_client->playPrompt(u"c-1"_s, { holdPrompt() }, u"ctx-1"_s));
    QVERIFY(finishes(reply.get()));
    QVERIFY(reply->isSuccess());
    const CommsOperation operation = reply->operation();
    QCOMPARE(operation.id, u"op-1"_s);
    QCOMPARE(operation.odataType, u"#microsoft.graph.playPromptOperation"_s);
    QCOMPARE(operation.clientContext, u"ctx-1"_s);
    QVERIFY(operation.status == OperationStatus::Running);
}

void TstGraphClient::idsArePercentEncodedInPaths_data()
{
    QTest::addColumn<Invoke>("invoke");
    QTest::addColumn<QString>("path");

    QTest::newRow("call id") << Invoke([](GraphClient &c) { return c.getCall(u"a/b c?d#e"_s); })
                             << Calls + u"/a%2Fb%20c%3Fd%23e"_s;
    QTest::newRow("participant id")
        << Invoke([](GraphClient &c) { return c.removeParticipant(u"c 1"_s, u"p/1"_s); })
        << Calls + u"/c%201/participants/p%2F1"_s;
    QTest::newRow("user and meeting ids")
        << Invoke([](GraphClient &c) { return c.getOnlineMeeting(u"u@x.org"_s, u"M/1=="_s); })
        << u"/v1.0/users/u%40x.org/onlineMeetings/M%2F1%3D%3D"_s;
}

void TstGraphClient::idsArePercentEncodedInPaths()
{
    QFETCH(Invoke, invoke);
    QFETCH(QString, path);

    const Owned reply(invoke(*m_client));
    QVERIFY(finishes(reply.get()));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->lastRequest().path, path);
    QVERIFY(m_server->lastRequest().query.isEmpty());
}

void TstGraphClient::joinUrlFilterEncodesTheUrlOnceMore()
{
    const QString joinUrl = u"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/"
                            "0?context=%7b%22Tid%22%3a%22t%22%7d"_s;
    const Owned reply(m_client->findOnlineMeetingByJoinUrl(u"u-1"_s, joinUrl));
    QVERIFY(finishes(reply.get()));
    const RecordedRequest sent = m_server->lastRequest();
    QCOMPARE(sent.path, u"/v1.0/users/u-1/onlineMeetings"_s);
    QVERIFY2(sent.query.startsWith(u"$filter=JoinWebUrl%20eq%20"_s), qPrintable(sent.query));
    // The URL's own escapes survive: Graph decodes the query once and finds the URL as stored.
    QVERIFY2(sent.query.contains(u"%253a"_s), qPrintable(sent.query));
    QCOMPARE(sent.queryItem(u"$filter"_s), u"JoinWebUrl eq '"_s + joinUrl + u'\'');
}

void TstGraphClient::basePathPrefixIsKept()
{
    GraphClient relay(m_nam.get(), m_tokens.get(), m_clock.get(), m_server->url(u"/graph/v1.0/"_s));
    const Owned reply(relay.getCall(u"c-1"_s));
    QVERIFY(finishes(reply.get()));
    QCOMPARE(m_server->lastRequest().path, u"/graph/v1.0/communications/calls/c-1"_s);
}

void TstGraphClient::sendPassesBytesAndHeadersThrough()
{
    const QByteArray body = "{\"callbackUri\":\"x\",  \"odd\" : [1,2]}";
    m_server->enqueue("PATCH", u"/v1.0/communications/calls/c-1"_s,
        CannedResponse::raw(418, "short and stout", "text/plain",
            { { "request-id", "r-418" }, { "X-Reply", "yes" } }));
    const Owned reply(m_client->send("PATCH", u"/communications/calls/c-1?$select=id,state"_s, body,
        { { "client-request-id", "fixed-id" }, { "Content-Type", "application/merge-patch+json" },
            { "X-Operator", "alice" } }));
    QVERIFY(finishes(reply.get()));

    const RecordedRequest sent = m_server->lastRequest();
    QCOMPARE(sent.method, "PATCH"_ba);
    QCOMPARE(sent.queryItem(u"$select"_s), u"id,state"_s);
    QCOMPARE(sent.body, body);
    QCOMPARE(sent.header("client-request-id"), "fixed-id"_ba);
    QCOMPARE(sent.header("Content-Type"), "application/merge-patch+json"_ba);
    QCOMPARE(sent.header("X-Operator"), "alice"_ba);
    QCOMPARE(sent.header("Authorization"), "Bearer test-token"_ba);

    QCOMPARE(reply->clientRequestId(), u"fixed-id"_s);
    QCOMPARE(reply->httpStatus(), 418);
    QCOMPARE(reply->body(), "short and stout"_ba);
    QCOMPARE(reply->header("x-reply"), "yes"_ba);
    QCOMPARE(reply->requestId(), u"r-418"_s);
    QVERIFY(reply->error());
    QCOMPARE(reply->error()->httpStatus, 418);
}

void TstGraphClient::errorsAreDecoded_data()
{
    QTest::addColumn<CannedResponse>("response");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("requestId");

    QTest::newRow("404 itemNotFound")
        << CannedResponse::graphError(404, u"itemNotFound"_s, u"Call not found"_s, u"r-404"_s)
        << 404 << u"itemNotFound"_s << u"Call not found"_s << u"r-404"_s;
    QTest::newRow("403 7505") << CannedResponse::json(403,
        parse("{'error':{'code':'7505','message':'Request authorization tenant "
              "mismatch','innerError':{'request-id':'r-7505','date':'d'}}}"))
                              << 403 << u"7505"_s << u"Request authorization tenant mismatch"_s
                              << u"r-7505"_s;
    QTest::newRow("502 not JSON") << CannedResponse::raw(
        502, "<html>upstream down</html>", "text/html", { { "request-id", "r-502" } })
                                  << 502 << QString() << u"Bad Gateway"_s << u"r-502"_s;
}

void TstGraphClient::errorsAreDecoded()
{
    QFETCH(CannedResponse, response);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(QString, requestId);

    m_server->setDefaultResponse(response);
    const Owned reply(m_client->getCall(u"c-1"_s));
    QVERIFY(finishes(reply.get()));
    QVERIFY(!reply->isSuccess());
    QCOMPARE(reply->httpStatus(), status);
    QVERIFY(reply->error());
    const GraphError error = *reply->error();
    QCOMPARE(error.kind, GraphError::Kind::Http);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.code, code);
    QCOMPARE(error.message, message);
    QCOMPARE(error.requestId, requestId);
    QCOMPARE(error.clientRequestId, reply->clientRequestId());
    QCOMPARE(reply->attempts(), 1);
}

void TstGraphClient::undecodableSuccessBodyIsInvalidResponse_data()
{
    QTest::addColumn<Invoke>("invoke");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("why");

    QTest::newRow("call, not JSON") << Invoke([](GraphClient &c) { return c.getCall(u"c"_s); })
                                    << "<html/>"_ba << u"not JSON"_s;
    QTest::newRow("call without id") << Invoke([](GraphClient &c) { return c.getCall(u"c"_s); })
                                     << "{\"state\":\"established\"}"_ba << u"id"_s;
    QTest::newRow("operation, empty")
        << Invoke([](GraphClient &c) { return c.mute(u"c"_s); }) << QByteArray() << u"empty"_s;
    QTest::newRow("collection without value")
        << Invoke([](GraphClient &c) { return c.listParticipants(u"c"_s); }) << "{}"_ba
        << u"value"_s;
}

void TstGraphClient::undecodableSuccessBodyIsInvalidResponse()
{
    QFETCH(Invoke, invoke);
    QFETCH(QByteArray, body);
    QFETCH(QString, why);

    m_server->setDefaultResponse(CannedResponse::raw(200, body, "application/json"));
    const Owned reply(invoke(*m_client));
    QVERIFY(finishes(reply.get()));
    QVERIFY(!reply->isSuccess());
    QCOMPARE(reply->httpStatus(), 200);
    QVERIFY(reply->error());
    QCOMPARE(reply->error()->kind, GraphError::Kind::InvalidResponse);
    QVERIFY2(reply->error()->message.contains(why), qPrintable(reply->error()->message));
    QCOMPARE(reply->body(), body);
}

void TstGraphClient::throttledRequestWaitsRetryAfterExactly()
{
    const QString path = Calls + u"/c-1/answer"_s;
    m_server->enqueue("POST", path,
        CannedResponse::graphError(
            429, u"TooManyRequests"_s, u"Retry later"_s, {}, { { "Retry-After", "2.128" } }));
    m_server->enqueue("POST", path, CannedResponse::empty(202));
    const Owned reply(m_client->answer(u"c-1"_s, { Callback, { Modality::Audio }, {}, {} }));
    reply->setAutoDelete(false);
    QSignalSpy retries(reply.get(), &GraphReply::retryScheduled);
    QSignalSpy finished(reply.get(), &GraphReply::finished);

    QTRY_COMPARE(m_clock->pending(), 1);
    QCOMPARE(m_clock->scheduledDelays(), QList<std::chrono::milliseconds> { 2128ms });
    QCOMPARE(retries.count(), 1);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 2128ms);
    m_clock->advance(2127ms);
    QCOMPARE(m_clock->pending(), 1); // not a millisecond early
    m_clock->advance(1ms);
    QCOMPARE(m_clock->pending(), 0);
    QVERIFY(finished.wait());

    QVERIFY(reply->isSuccess());
    QCOMPARE(reply->httpStatus(), 202);
    QCOMPARE(reply->attempts(), 2);
    const QList<RecordedRequest> sent = m_server->requests();
    QCOMPARE(sent.size(), 2);
    QVERIFY(!sent.at(0).hasHeader("Retry-Attempt"));
    QCOMPARE(sent.at(1).header("Retry-Attempt"), "1"_ba);
    QCOMPARE(sent.at(1).header("client-request-id"), sent.at(0).header("client-request-id"));
    QCOMPARE(sent.at(1).body, sent.at(0).body);
}

void TstGraphClient::retryWithoutRetryAfterUsesBackoff_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("delayMs");

    QTest::newRow("503, no jitter") << 503 << 0.0 << qint64(3000);
    QTest::newRow("504, some jitter") << 504 << 0.25 << qint64(3250);
}

void TstGraphClient::retryWithoutRetryAfterUsesBackoff()
{
    QFETCH(int, status);
    QFETCH(double, random);
    QFETCH(qint64, delayMs);

    RetryPolicy policy;
    policy.setRandom([random] { return random; });
    m_client->setRetryPolicy(policy);
    const QString path = Calls + u"/c-1"_s;
    m_server->enqueue("GET", path, CannedResponse::empty(status));
    m_server->enqueue(
        "GET", path, CannedResponse::raw(200, callJson(u"c-1"_s), "application/json"));
    const Owned reply(m_client->getCall(u"c-1"_s));
    reply->setAutoDelete(false);
    QSignalSpy finished(reply.get(), &GraphReply::finished);

    QTRY_COMPARE(m_clock->pending(), 1);
    QCOMPARE(m_clock->scheduledDelays(),
        QList<std::chrono::milliseconds> { std::chrono::milliseconds(delayMs) });
    m_clock->runAll();
    QVERIFY(finished.wait());
    QVERIFY(reply->isSuccess());
    QCOMPARE(reply->attempts(), 2);
    QCOMPARE(reply->call().id, u"c-1"_s);
}

void TstGraphClient::givesUpAfterThreeRetries()
{
    m_server->setDefaultResponse(CannedResponse::graphError(
        429, u"TooManyRequests"_s, u"Retry later"_s, u"r-429"_s, { { "Retry-After", "1" } }));
    const Owned reply(m_client->keepAlive(u"c-1"_s));
    reply->setAutoDelete(false);
    QSignalSpy retries(reply.get(), &GraphReply::retryScheduled);
    QSignalSpy finished(reply.get(), &GraphReply::finished);
    for (int retry = 1; retry <= 3; ++retry) {
        QTRY_COMPARE(m_clock->pending(), 1);
        QCOMPARE(retries.count(), retry);
        m_clock->advance(1s);
    }
    QVERIFY(finished.wait());

    QCOMPARE(m_clock->pending(), 0);
    QCOMPARE(reply->attempts(), 4);
    QCOMPARE(m_server->requestCount(), 4);
    QCOMPARE(m_clock->scheduledDelays(), (QList<std::chrono::milliseconds> { 1s, 1s, 1s }));
    for (int i = 1; i < 4; ++i)
        QCOMPARE(m_server->requests().at(i).header("Retry-Attempt"), QByteArray::number(i));
    QVERIFY(reply->error());
    QCOMPARE(reply->error()->kind, GraphError::Kind::Http);
    QVERIFY(reply->error()->isThrottling());
    QCOMPARE(reply->error()->code, u"TooManyRequests"_s);
    QCOMPARE(reply->error()->requestId, u"r-429"_s);
}

void TstGraphClient::badRequestIsNeverRetried()
{
    m_server->setDefaultResponse(
        CannedResponse::graphError(400, u"invalidRequest"_s, u"Call is not incoming"_s));
    const Owned reply(m_client->answer(u"c-1"_s, { Callback, { Modality::Audio }, {}, {} }));
    reply->setAutoDelete(false);
    QSignalSpy retries(reply.get(), &GraphReply::retryScheduled);
    QVERIFY(finishes(reply.get()));
    QCOMPARE(retries.count(), 0);
    QCOMPARE(m_clock->pending(), 0);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(reply->attempts(), 1);
    QCOMPARE(reply->error()->code, u"invalidRequest"_s);
}

void TstGraphClient::networkErrorOnPostIsNotRetried()
{
    m_server->enqueue("POST", Calls + u"/c-1/transfer"_s, CannedResponse::truncated());
    const Owned reply(m_client->transfer(u"c-1"_s, { userTarget(), {} }));
    reply->setAutoDelete(false);
    QSignalSpy retries(reply.get(), &GraphReply::retryScheduled);
    QVERIFY(finishes(reply.get()));
    QVERIFY(reply->error());
    QCOMPARE(reply->error()->kind, GraphError::Kind::Network);
    QCOMPARE(reply->httpStatus(), 0);
    QCOMPARE(reply->attempts(), 1);
    QCOMPARE(retries.count(), 0);
    QCOMPARE(m_clock->pending(), 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void TstGraphClient::refusedConnectionOnPostIsNotRetried()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QUrl base(u"http://127.0.0.1:%1/v1.0"_s.arg(closed.serverPort()));
    closed.close();
    GraphClient client(m_nam.get(), m_tokens.get(), m_clock.get(), base);
    const Owned reply(client.answer(u"c-1"_s, { Callback, { Modality::Audio }, {}, {} }));
    QVERIFY(finishes(reply.get()));
    QCOMPARE(reply->error()->kind, GraphError::Kind::Network);
    QCOMPARE(reply->attempts(), 1);
    QCOMPARE(m_clock->pending(), 0);
}

void TstGraphClient::networkErrorOnGetIsRetried()
{
    const QString path = Calls + u"/c-1"_s;
    m_server->enqueue("GET", path, CannedResponse::truncated());
    m_server->enqueue(
        "GET", path, CannedResponse::raw(200, callJson(u"c-1"_s), "application/json"));
    const Owned reply(m_client->getCall(u"c-1"_s));
    reply->setAutoDelete(false);
    QSignalSpy finished(reply.get(), &GraphReply::finished);
    QTRY_COMPARE(m_clock->pending(), 1);
    QCOMPARE(m_clock->scheduledDelays(), QList<std::chrono::milliseconds> { 3s });
    m_clock->runAll();
    QVERIFY(finished.wait());
    QVERIFY(reply->isSuccess());
    QCOMPARE(reply->attempts(), 2);
    QCOMPARE(m_server->requestCount(), 2);
}

void TstGraphClient::unauthorizedRefreshesTokenAndRetriesOnce()
{
    RotatingTokenSource tokens;
    GraphClient client(m_nam.get(), &tokens, m_clock.get(), m_server->url(u"/v1.0"_s));
    m_server->setDefaultResponse(CannedResponse::graphError(
        401, u"InvalidAuthenticationToken"_s, u"Access token has expired"_s));
    const Owned reply(client.hangUp(u"c-1"_s));
    QVERIFY(finishes(reply.get()));

    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_server->requests().at(0).header("Authorization"), "Bearer token-1"_ba);
    QCOMPARE(m_server->requests().at(1).header("Authorization"), "Bearer token-2"_ba);
    QCOMPARE(m_server->requests().at(1).header("client-request-id"),
        m_server->requests().at(0).header("client-request-id"));
    QCOMPARE(tokens.invalidated, QStringList { u"token-1"_s });
    QCOMPARE(reply->attempts(), 2);
    QCOMPARE(reply->httpStatus(), 401);
    QCOMPARE(reply->error()->code, u"InvalidAuthenticationToken"_s);
    QCOMPARE(m_clock->pending(), 0);
}

void TstGraphClient::unauthorizedThenSuccess()
{
    RotatingTokenSource tokens;
    GraphClient client(m_nam.get(), &tokens, m_clock.get(), m_server->url(u"/v1.0"_s));
    const QString path = Calls + u"/c-1"_s;
    m_server->enqueue("DELETE", path, CannedResponse::graphError(401, u"unauthenticated"_s, {}));
    m_server->enqueue("DELETE", path, CannedResponse::empty(204));
    const Owned reply(client.hangUp(u"c-1"_s));
    QVERIFY(finishes(reply.get()));
    QVERIFY(reply->isSuccess());
    QCOMPARE(reply->httpStatus(), 204);
    QCOMPARE(reply->attempts(), 2);
}

void TstGraphClient::tokenErrorFinishesLater()
{
    StaticTokenSource none(QString {});
    GraphClient client(m_nam.get(), &none, m_clock.get(), m_server->url(u"/v1.0"_s));
    GraphReply *reply = client.getCall(u"c-1"_s);
    // Not finished yet, although the token source answered at once.
    QVERIFY(!reply->isFinished());
    const Owned owned(reply);
    QVERIFY(finishes(reply));
    QCOMPARE(reply->error()->kind, GraphError::Kind::Token);
    QCOMPARE(reply->attempts(), 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void TstGraphClient::abortDuringRetryWaitCancels()
{
    m_server->setDefaultResponse(CannedResponse::empty(503, { { "Retry-After", "5" } }));
    const Owned reply(m_client->getCall(u"c-1"_s));
    reply->setAutoDelete(false);
    QSignalSpy finished(reply.get(), &GraphReply::finished);
    QTRY_COMPARE(m_clock->pending(), 1);
    reply->abort();
    QVERIFY(finished.wait());
    QCOMPARE(reply->error()->kind, GraphError::Kind::Cancelled);
    m_clock->runAll();
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(finished.count(), 1);
}

void TstGraphClient::replyDeletesItselfAfterFinished()
{
    m_server->setDefaultResponse(CannedResponse::empty(204));
    QPointer<GraphReply> reply = m_client->hangUp(u"c-1"_s);
    bool sawSuccess = false;
    connect(reply, &GraphReply::finished, this, [&] { sawSuccess = reply->isSuccess(); });
    QTRY_VERIFY(reply.isNull());
    QVERIFY(sawSuccess);
}

void TstGraphClient::logNeverShowsToken()
{
    static QStringList messages;
    messages.clear();
    // A filter, not filter rules: QT_LOGGING_RULES (set by CTest) would override the rules.
    const QLoggingCategory::CategoryFilter defaultFilter =
        QLoggingCategory::installFilter([](QLoggingCategory *category) {
            if (qstrcmp(category->categoryName(), "frontdesk.graph") == 0)
                category->setEnabled(QtDebugMsg, true);
        });
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &context, const QString &text) {
            if (qstrcmp(context.category, "frontdesk.graph") == 0)
                messages.append(text);
        });
    m_server->setDefaultResponse(CannedResponse::raw(
        200, callJson(u"c-1"_s), "application/json", { { "request-id", "r-log" } }));
    const Owned reply(m_client->getCall(u"c-1"_s));
    QVERIFY(finishes(reply.get()));
    qInstallMessageHandler(previous);
    QLoggingCategory::installFilter(defaultFilter);

    QCOMPARE(messages.size(), 1);
    const QString line = messages.first();
    QVERIFY2(line.contains(u"GET"_s) && line.contains(u"/communications/calls/c-1"_s)
            && line.contains(u"200"_s) && line.contains(u"r-log"_s)
            && line.contains(u"attempt 1"_s),
        qPrintable(line));
    QVERIFY(!line.contains(u"test-token"_s));
}

QTEST_GUILESS_MAIN(TstGraphClient)
#include "tst_graphclient.moc"

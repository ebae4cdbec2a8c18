#include "app/relayconnection.h"
#include "graph/clock.h"
#include "graph/relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using App::RelayConnection;
namespace RP = Graph::RelayProtocol;

namespace {

const QString Token = u"operator-secret-7f3a"_s;

//! One upgrade request as the fake relay saw it.
struct Upgrade
{
    QByteArray authorization;
    QString path;
    QUrlQuery query;
    bool hasResumeQuery() const { return query.hasQueryItem(u"stream"_s); }
};

//! A relay's event stream on 127.0.0.1 and an ephemeral port: it records every upgrade request
//! and sends what the test scripts.
class FakeRelay final : public QObject
{
    Q_OBJECT

public:
    explicit FakeRelay(QObject *parent = nullptr)
        : QObject(parent)
        , m_server(u"fake-relay"_s, QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                const QNetworkRequest request = socket->request();
                m_upgrades.append(Upgrade { request.rawHeader("Authorization"),
                    request.url().path(), QUrlQuery(request.url()) });
                m_sockets.append(socket);
                connect(socket, &QWebSocket::disconnected, this, [this] { ++m_disconnects; });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    int connections() const { return int(m_upgrades.size()); }
    int disconnects() const { return m_disconnects; }
    const Upgrade &upgrade(int index) const { return m_upgrades.at(index); }
    QWebSocket *latest() const { return m_sockets.isEmpty() ? nullptr : m_sockets.last().data(); }

    void send(const QJsonObject &message)
    {
        QVERIFY(latest());
        latest()->sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
    void sendRaw(const QString &text) { latest()->sendTextMessage(text); }

    void sendHello(const QString &stream, qint64 newestSeq)
    {
        RP::Hello hello;
        hello.stream = stream;
        hello.seq = newestSeq;
        hello.op = RP::OperatorInfo { u"alice"_s, u"operator"_s };
        hello.callbackUri = u"https://relay.example.org/callbacks"_s;
        send(RP::encodeHello(hello));
    }
    void sendSnapshot(qint64 seq) { send(RP::encodeSnapshot(RP::Snapshot { seq, {} })); }
    //! Alternates the two kinds, as the relay's one seq runs across both.
    void sendEvent(qint64 seq)
    {
        if (seq % 2 == 0) {
            send(QJsonObject { { "type"_L1, u"relay"_s }, { "seq"_L1, seq },
                { "at"_L1, u"2026-01-05T09:00:00.000Z"_s }, { "kind"_L1, u"claimed"_s },
                { "callId"_L1, u"call-%1"_s.arg(seq) }, { "by"_L1, u"alice"_s } });
        } else {
            send(QJsonObject { { "type"_L1, u"event"_s }, { "seq"_L1, seq },
                { "at"_L1, u"2026-01-05T09:00:00.000Z"_s },
                { "notification"_L1,
                    QJsonObject { { "changeType"_L1, u"updated"_s },
                        { "resource"_L1, u"/communications/calls/call-%1"_s.arg(seq) },
                        { "resourceData"_L1,
                            QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.call"_s },
                                { "state"_L1, u"established"_s } } } } } });
        }
    }
    void sendEvents(qint64 from, qint64 to)
    {
        for (qint64 seq = from; seq <= to; ++seq)
            sendEvent(seq);
    }

private:
    QWebSocketServer m_server;
    QList<Upgrade> m_upgrades;
    QList<QPointer<QWebSocket>> m_sockets;
    int m_disconnects = 0;
};

//! A plain HTTP server that answers every request with one status and closes, recording each
//! request's Authorization header. QWebSocketServer cannot refuse an upgrade with a status.
class StatusServer final : public QObject
{
    Q_OBJECT

public:
    explicit StatusServer(QByteArray statusLine, QObject *parent = nullptr)
        : QObject(parent)
        , m_statusLine(std::move(statusLine))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    QByteArray authorization;
                    const QList<QByteArray> lines = buffer->left(end).split('\n');
                    for (const QByteArray &line : lines) {
                        if (line.toLower().startsWith("authorization:"))
                            authorization = line.mid(line.indexOf(':') + 1).trimmed();
                    }
                    m_authorizations.append(authorization);
                    buffer->clear();
                    socket->write(m_statusLine
                        + "\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n"
                          "Connection: close\r\n\r\n");
                    socket->disconnectFromHost();
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    int requests() const { return int(m_authorizations.size()); }
    QByteArray authorization(int index) const { return m_authorizations.at(index); }

private:
    QTcpServer m_server;
    QByteArray m_statusLine;
    QList<QByteArray> m_authorizations;
};

//! Records what a RelayConnection emits, with typed values.
struct Recorder
{
    explicit Recorder(RelayConnection &connection)
    {
        QObject::connect(&connection, &RelayConnection::eventReceived, &context,
            [this](const RP::StreamEvent &event) { seqs.append(event.seq); });
        QObject::connect(&connection, &RelayConnection::snapshotReceived, &context,
            [this](const RP::Snapshot &snapshot) { snapshots.append(snapshot.seq); });
        QObject::connect(&connection, &RelayConnection::helloReceived, &context,
            [this](const RP::Hello &hello) { hellos.append(hello.stream); });
        QObject::connect(&connection, &RelayConnection::retryIn, &context,
            [this](std::chrono::milliseconds delay) { retries.append(delay); });
        QObject::connect(&connection, &RelayConnection::stateChanged, &context,
            [this](RelayConnection::State state) { states.append(state); });
        QObject::connect(&connection, &RelayConnection::protocolError, &context,
            [this](const QString &message) { protocolErrors.append(message); });
    }

    QList<qint64> seqs;
    QList<qint64> snapshots;
    QStringList hellos;
    QList<std::chrono::milliseconds> retries;
    QList<RelayConnection::State> states;
    QStringList protocolErrors;
    QObject context; // last, so it goes first and disconnects before the lists go
};

//! Jitter factor exactly 1: every delay is retryBase·2^attempt, capped.
double noJitter()
{
    return 0.5;
}

} // namespace

class TstRelayConnection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsUrlFor_data();
    void eventsUrlFor();
    void backoffDelayFollowsFormula_data();
    void backoffDelayFollowsFormula();

    void connectDeliversHelloSnapshotAndEventsInOrder();
    void bigSnapshotIsReadCallByCallAndLean();
    void malformedBigSnapshotIsProtocolError();
    void upgradeRequestCarriesBearerToken();
    void dropReconnectsWithStreamAndAfterSeq();
    void oneDropSchedulesOneRetry();
    void gapResumesFromLastAppliedSeq();
    void duplicateSeqIsDroppedAndResumes();
    void newStreamAcceptsSnapshotAndResetsAfterSeq();
    void streamChangeWithoutSnapshotAsksForSnapshotAgain();
    void backlogCloseResumesAtOnce();
    void plainDropAfterBacklogCloseBacksOff();
    void goingAwayCloseBacksOff();
    void unauthorizedStopsRetrying();
    void setTokenAfterUnauthorizedTriesAgain();
    void backoffDelaysGrowWithinJitterBoundsAndCap();
    void helloResetsBackoff();
    void silenceDropsConnectionAndRetries();
    void framesKeepConnectionAlive();
    void malformedMessageIsProtocolErrorWithBackoff();
    void closeStopsEverything();
    void closeWhileWaitingCancelsRetry();
    void tokenNeverAppearsInLogs();
};

void TstRelayConnection::eventsUrlFor_data()
{
    QTest::addColumn<QUrl>("base");
    QTest::addColumn<QUrl>("expected");

    QTest::newRow("http") << QUrl(u"http://127.0.0.1:8080"_s)
                          << QUrl(u"ws://127.0.0.1:8080/events"_s);
    QTest::newRow("https") << QUrl(u"https://relay.example.org"_s)
                           << QUrl(u"wss://relay.example.org/events"_s);
    QTest::newRow("trailing slash") << QUrl(u"https://relay.example.org:8443/"_s)
                                    << QUrl(u"wss://relay.example.org:8443/events"_s);
    QTest::newRow("path prefix") << QUrl(u"https://example.org/frontdesk/"_s)
                                 << QUrl(u"wss://example.org/frontdesk/events"_s);
    QTest::newRow("query and credentials dropped")
        << QUrl(u"http://user:pw@relay.example.org/?x=1#f"_s)
        << QUrl(u"ws://relay.example.org/events"_s);
    QTest::newRow("ftp is not a relay") << QUrl(u"ftp://relay.example.org"_s) << QUrl();
    QTest::newRow("no host") << QUrl(u"http://"_s) << QUrl();
}

void TstRelayConnection::eventsUrlFor()
{
    QFETCH(QUrl, base);
    QFETCH(QUrl, expected);
    QCOMPARE(RelayConnection::eventsUrlFor(base), expected);
}

void TstRelayConnection::backoffDelayFollowsFormula_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("first, no jitter") << 0 << 0.5 << qint64(1000);
    QTest::newRow("first, lowest") << 0 << 0.0 << qint64(800);
    QTest::newRow("first, highest") << 0 << 1.0 << qint64(1200);
    QTest::newRow("third doubles twice") << 2 << 0.5 << qint64(4000);
    QTest::newRow("sixth reaches 32 s") << 5 << 0.5 << qint64(32000);
    QTest::newRow("seventh is capped") << 6 << 0.5 << qint64(60000);
    QTest::newRow("capped, lowest") << 20 << 0.0 << qint64(48000);
    QTest::newRow("capped, highest") << 20 << 1.0 << qint64(72000);
    QTest::newRow("huge attempt stays capped") << 10000 << 0.5 << qint64(60000);
}

void TstRelayConnection::backoffDelayFollowsFormula()
{
    QFETCH(int, attempt);
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);
    QCOMPARE(RelayConnection::backoffDelay(RelayConnection::Timing {}, attempt, random).count(),
        expectedMs);
}

void TstRelayConnection::connectDeliversHelloSnapshotAndEventsInOrder()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QCOMPARE(connection.state(), RelayConnection::State::Connecting);
    QTRY_COMPARE(relay.connections(), 1);
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    QCOMPARE(relay.upgrade(0).path, u"/events"_s);
    QVERIFY(!relay.upgrade(0).hasResumeQuery()); // nothing to resume yet: a snapshot is due

    relay.sendHello(u"s1"_s, 12);
    relay.sendSnapshot(9);
    relay.sendEvents(10, 12);
    QTRY_COMPARE(recorder.seqs, (QList<qint64> { 10, 11, 12 }));
    QCOMPARE(recorder.hellos, QStringList { u"s1"_s });
    QCOMPARE(recorder.snapshots, QList<qint64> { 9 });
    QCOMPARE(connection.streamId(), u"s1"_s);
    QCOMPARE(connection.lastSeq(), qint64(12));
    QCOMPARE(recorder.states,
        (QList<RelayConnection::State> {
            RelayConnection::State::Connecting, RelayConnection::State::Connected }));
    QVERIFY(recorder.retries.isEmpty());
}

//! A snapshot of `calls` calls with 20 participants each: past the size from which
//! RelayConnection reads a snapshot one call at a time.
QString bigSnapshot(qint64 seq, int calls)
{
    QJsonArray list;
    for (int c = 0; c < calls; ++c) {
        QJsonArray people;
        for (int p = 0; p < 20; ++p) {
            people.append(QJsonObject { { "@odata.type"_L1, u"#microsoft.graph.participant"_s },
                { "id"_L1, u"p-%1-%2"_s.arg(c).arg(p) },
                { "info"_L1,
                    QJsonObject { { "identity"_L1,
                        QJsonObject { { "user"_L1,
                            QJsonObject { { "id"_L1, u"oid-%1"_s.arg(p) },
                                { "displayName"_L1, u"Person %1"_s.arg(p) } } } } } } },
                { "isMuted"_L1, false } });
        }
        list.append(QJsonObject { { "id"_L1, u"call-%1"_s.arg(c) },
            { "state"_L1, u"established"_s }, { "participants"_L1, people } });
    }
    const QJsonObject message { { "type"_L1, u"snapshot"_s }, { "seq"_L1, seq },
        { "calls"_L1, list } };
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void TstRelayConnection::bigSnapshotIsReadCallByCallAndLean()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);
    QList<RP::Snapshot> received;
    QObject::connect(&connection, &RelayConnection::snapshotReceived, &recorder.context,
        [&received](const RP::Snapshot &snapshot) { received.append(snapshot); });

    connection.open();
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    relay.sendHello(u"s1"_s, 12);
    const QString text = bigSnapshot(11, 200);
    QVERIFY(text.size() > 256 * 1024);
    relay.sendRaw(text);
    relay.sendEvents(12, 12);
    QTRY_COMPARE(recorder.seqs, QList<qint64> { 12 });
    QCOMPARE(recorder.snapshots, QList<qint64> { 11 });
    QVERIFY(recorder.protocolErrors.isEmpty());
    const RP::Snapshot &snapshot = received.constFirst();
    QCOMPARE(snapshot.calls.size(), 200);
    const Graph::CallEntry &last = snapshot.calls.constLast().entry;
    QCOMPARE(last.call.id, u"call-199"_s);
    QCOMPARE(last.participants.size(), 20);
    QCOMPARE(last.participants.at(3).displayName(), u"Person 3"_s);
    // Lean: no JSON trees, the call's JSON as text.
    QVERIFY(last.call.raw.isEmpty());
    QVERIFY(last.participants.at(3).raw.isEmpty());
    QVERIFY(last.callJson.contains("\"state\":\"established\""));
}

void TstRelayConnection::malformedBigSnapshotIsProtocolError()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    relay.sendHello(u"s1"_s, 12);
    relay.sendRaw(bigSnapshot(11, 200).chopped(1)); // the closing brace is missing
    QTRY_COMPARE(recorder.protocolErrors.size(), 1);
    QVERIFY(recorder.snapshots.isEmpty());
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QVERIFY(recorder.protocolErrors.constFirst().contains(u"not a JSON object"_s));
}

void TstRelayConnection::upgradeRequestCarriesBearerToken()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    QCOMPARE(relay.upgrade(0).authorization, "Bearer "_ba + Token.toUtf8());
}

void TstRelayConnection::dropReconnectsWithStreamAndAfterSeq()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 5);
    relay.sendSnapshot(3);
    relay.sendEvents(4, 5);
    QTRY_COMPARE(connection.lastSeq(), qint64(5));

    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 1000ms });
    QVERIFY(clock.scheduledDelays().contains(1000ms));
    QCOMPARE(relay.connections(), 1);

    clock.advance(1000ms);
    QCOMPARE(connection.state(), RelayConnection::State::Connecting);
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"stream"_s), u"s1"_s);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"5"_s);
    QCOMPARE(relay.upgrade(1).authorization, "Bearer "_ba + Token.toUtf8());

    relay.sendHello(u"s1"_s, 7);
    relay.sendEvents(6, 7);
    QTRY_COMPARE(recorder.seqs, (QList<qint64> { 4, 5, 6, 7 }));
    QCOMPARE(recorder.snapshots, QList<qint64> { 3 });
}

void TstRelayConnection::oneDropSchedulesOneRetry()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 1);
    relay.sendEvent(1);
    QTRY_COMPARE(connection.lastSeq(), qint64(1));

    // The socket reports this end twice (RemoteHostClosedError, then disconnected, the second
    // re-entrantly from our abort()); only the first may schedule a retry.
    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QTRY_COMPARE(relay.disconnects(), 1);
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 1000ms });

    clock.advance(1000ms);
    QTRY_COMPARE(relay.connections(), 2);
    relay.sendHello(u"s1"_s, 1); // a round trip, so that a second attempt would have shown
    QTRY_COMPARE(recorder.hellos.size(), 2);
    QCOMPARE(relay.connections(), 2);
    QCOMPARE(connection.state(), RelayConnection::State::Connected);
    QCOMPARE(recorder.retries.size(), 1);
}

void TstRelayConnection::gapResumesFromLastAppliedSeq()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 7);
    relay.sendSnapshot(3);
    relay.sendEvents(4, 5);
    relay.sendEvent(7);
    relay.sendEvent(8); // after the gap: must not count either

    // The connection delivered events, so it resumes at once: no clock advance needed.
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(recorder.seqs, (QList<qint64> { 4, 5 }));
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 0ms });
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"stream"_s), u"s1"_s);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"5"_s);
    QTRY_COMPARE(relay.disconnects(), 1);

    relay.sendHello(u"s1"_s, 8);
    relay.sendEvents(6, 8);
    QTRY_COMPARE(recorder.seqs, (QList<qint64> { 4, 5, 6, 7, 8 }));
    QCOMPARE(connection.lastSeq(), qint64(8));
}

void TstRelayConnection::duplicateSeqIsDroppedAndResumes()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 5);
    relay.sendSnapshot(3);
    relay.sendEvents(4, 5);
    relay.sendEvent(5);

    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(recorder.seqs, (QList<qint64> { 4, 5 })); // 5 once
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"5"_s);

    relay.sendHello(u"s1"_s, 6);
    relay.sendEvent(6);
    QTRY_COMPARE(recorder.seqs, (QList<qint64> { 4, 5, 6 }));
}

void TstRelayConnection::newStreamAcceptsSnapshotAndResetsAfterSeq()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 12);
    relay.sendSnapshot(10);
    relay.sendEvents(11, 12);
    QTRY_COMPARE(connection.lastSeq(), qint64(12));
    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"12"_s);

    // The relay lost its journal: a new stream, numbered afresh, starts with a snapshot.
    relay.sendHello(u"s2"_s, 3);
    QTRY_COMPARE(recorder.hellos, (QStringList { u"s1"_s, u"s2"_s }));
    QCOMPARE(connection.streamId(), u"s2"_s);
    QCOMPARE(connection.lastSeq(), qint64(0));
    relay.sendSnapshot(3);
    relay.sendEvent(4);
    QTRY_COMPARE(recorder.seqs, (QList<qint64> { 11, 12, 4 }));
    QCOMPARE(recorder.snapshots, (QList<qint64> { 10, 3 }));
    QVERIFY(recorder.protocolErrors.isEmpty());

    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 3);
    QCOMPARE(relay.upgrade(2).query.queryItemValue(u"stream"_s), u"s2"_s);
    QCOMPARE(relay.upgrade(2).query.queryItemValue(u"afterSeq"_s), u"4"_s);
}

void TstRelayConnection::streamChangeWithoutSnapshotAsksForSnapshotAgain()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 2);
    relay.sendSnapshot(2);
    QTRY_COMPARE(recorder.snapshots, QList<qint64> { 2 });
    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 2);

    // A new stream, and the connection dies before its snapshot: the console holds nothing of
    // s2 to resume from, so it asks without a query and the relay sends a snapshot.
    relay.sendHello(u"s2"_s, 1);
    QTRY_COMPARE(recorder.hellos.size(), 2);
    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 3);
    QVERIFY(!relay.upgrade(2).hasResumeQuery());
}

void TstRelayConnection::backlogCloseResumesAtOnce()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 4);
    relay.sendSnapshot(3);
    relay.sendEvent(4);
    QTRY_COMPARE(connection.lastSeq(), qint64(4));

    relay.latest()->close(QWebSocketProtocol::CloseCode(4008), u"backlog"_s);
    // No clock advance: the resume does not wait for a backoff.
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 0ms });
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"stream"_s), u"s1"_s);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"4"_s);
}

void TstRelayConnection::plainDropAfterBacklogCloseBacksOff()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 1);
    relay.sendEvent(1);
    QTRY_COMPARE(connection.lastSeq(), qint64(1));
    relay.latest()->close(QWebSocketProtocol::CloseCode(4008), u"backlog"_s);
    QTRY_COMPARE(relay.connections(), 2);

    // QWebSocket keeps the last close code across connections; a later drop without a close
    // frame must not be taken for another 4008.
    relay.sendHello(u"s1"_s, 2);
    relay.sendEvent(2);
    QTRY_COMPARE(connection.lastSeq(), qint64(2));
    relay.latest()->abort();
    QTRY_COMPARE(recorder.retries.size(), 2);
    QCOMPARE(recorder.retries.last(), 1000ms);
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QCOMPARE(relay.connections(), 2);
}

void TstRelayConnection::goingAwayCloseBacksOff()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 1);
    relay.sendEvent(1);
    QTRY_COMPARE(connection.lastSeq(), qint64(1));

    relay.latest()->close(QWebSocketProtocol::CloseCodeGoingAway, u"restarting"_s);
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 1000ms });
    QCOMPARE(relay.connections(), 1);

    clock.advance(999ms);
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    clock.advance(1ms);
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"1"_s);
}

void TstRelayConnection::unauthorizedStopsRetrying()
{
    StatusServer relay("HTTP/1.1 401 Unauthorized");
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);
    QSignalSpy authFailed(&connection, &RelayConnection::authenticationFailed);

    connection.open();
    QTRY_COMPARE(authFailed.size(), 1);
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    QCOMPARE(relay.requests(), 1);
    QCOMPARE(relay.authorization(0), "Bearer "_ba + Token.toUtf8());
    QVERIFY(recorder.retries.isEmpty());

    clock.advance(10min);
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    QVERIFY(recorder.retries.isEmpty());
    QCOMPARE(relay.requests(), 1);
    QCOMPARE(authFailed.size(), 1);
}

void TstRelayConnection::setTokenAfterUnauthorizedTriesAgain()
{
    StatusServer relay("HTTP/1.1 401 Unauthorized");
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(u"stale-token"_s);
    QSignalSpy authFailed(&connection, &RelayConnection::authenticationFailed);

    connection.open();
    QTRY_COMPARE(authFailed.size(), 1);

    connection.setToken(Token);
    QCOMPARE(connection.state(), RelayConnection::State::Connecting);
    QTRY_COMPARE(relay.requests(), 2);
    QCOMPARE(relay.authorization(1), "Bearer "_ba + Token.toUtf8());
    QTRY_COMPARE(authFailed.size(), 2);
}

void TstRelayConnection::backoffDelaysGrowWithinJitterBoundsAndCap()
{
    StatusServer relay("HTTP/1.1 503 Service Unavailable");
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection::Timing timing;
    timing.retryBase = 1s;
    timing.retryMax = 20s;
    RelayConnection connection(relay.baseUrl(), &clock, timing);
    connection.setToken(Token);
    const QList<double> randoms { 0.0, 0.999, 0.5, 0.25, 0.0, 0.999, 0.75, 0.5 };
    qsizetype next = 0;
    connection.setRandomSource([&] { return randoms.at(next++ % randoms.size()); });
    Recorder recorder(connection);

    connection.open();
    for (int attempt = 0; attempt < randoms.size(); ++attempt) {
        QTRY_COMPARE(recorder.retries.size(), attempt + 1);
        QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
        const double base = std::min(20000.0, 1000.0 * (1 << attempt));
        const qint64 delay = recorder.retries.last().count();
        QVERIFY2(delay >= qint64(0.8 * base) && delay <= qint64(1.2 * base),
            qPrintable(u"attempt %1: %2 ms for base %3 ms"_s.arg(attempt).arg(delay).arg(base)));
        QCOMPARE(delay, std::llround(base * (0.8 + 0.4 * randoms.at(attempt))));
        clock.advance(recorder.retries.last());
        QCOMPARE(relay.requests(), attempt + 1); // nothing before its time
        QTRY_COMPARE(relay.requests(), attempt + 2);
    }
    // Growth: the jitter-free part doubles, then stays at retryMax.
    QCOMPARE(recorder.retries.at(0), 800ms);
    QCOMPARE(recorder.retries.at(2), 4000ms);
    QCOMPARE(recorder.retries.at(5), 23992ms); // capped at 20 s, then +19.96 %
    QCOMPARE(recorder.retries.at(7), 20000ms);

    // Each retry was scheduled on the clock with the delay announced, in order (the clock also
    // holds the watchdog's upgrade timeouts in between).
    qsizetype found = 0;
    for (const std::chrono::milliseconds delay : clock.scheduledDelays()) {
        if (found < recorder.retries.size() && delay == recorder.retries.at(found))
            ++found;
    }
    QCOMPARE(found, recorder.retries.size());
}

void TstRelayConnection::helloResetsBackoff()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.latest()->abort(); // before any hello
    QTRY_COMPARE(recorder.retries.size(), 1);
    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 2);
    relay.latest()->abort();
    QTRY_COMPARE(recorder.retries.size(), 2);
    QCOMPARE(recorder.retries, (QList<std::chrono::milliseconds> { 1000ms, 2000ms }));

    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 3);
    relay.sendHello(u"s1"_s, 0);
    QTRY_COMPARE(recorder.hellos.size(), 1);
    relay.latest()->abort();
    QTRY_COMPARE(recorder.retries.size(), 3);
    QCOMPARE(recorder.retries.last(), 1000ms);
}

void TstRelayConnection::silenceDropsConnectionAndRetries()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    relay.sendHello(u"s1"_s, 0);
    relay.sendSnapshot(0);
    QTRY_COMPARE(recorder.snapshots.size(), 1);

    // The relay falls silent (half-open): no frame, not even the pong to our ping at 15 s,
    // is processed while the clock moves.
    clock.advance(29999ms);
    QCOMPARE(connection.state(), RelayConnection::State::Connected);
    clock.advance(1ms);
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QTRY_COMPARE(relay.disconnects(), 1);

    clock.advance(recorder.retries.last());
    QTRY_COMPARE(relay.connections(), 2);
    QCOMPARE(relay.upgrade(1).query.queryItemValue(u"afterSeq"_s), u"0"_s);
}

void TstRelayConnection::framesKeepConnectionAlive()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    relay.sendHello(u"s1"_s, 0);
    relay.sendSnapshot(0);
    QTRY_COMPARE(recorder.snapshots.size(), 1);

    clock.advance(20s);
    relay.sendEvent(1);
    QTRY_COMPARE(recorder.seqs.size(), 1);
    clock.advance(20s); // 40 s since the upgrade, 20 s since the last frame
    QCOMPARE(connection.state(), RelayConnection::State::Connected);
    QCOMPARE(relay.connections(), 1);
    clock.advance(10s); // now 30 s of silence
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
}

void TstRelayConnection::malformedMessageIsProtocolErrorWithBackoff()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    connection.setRandomSource(noJitter);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.sendHello(u"s1"_s, 0);
    relay.sendRaw(u"{not json"_s);
    QTRY_COMPARE(recorder.protocolErrors.size(), 1);
    QCOMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    QCOMPARE(recorder.retries, QList<std::chrono::milliseconds> { 1000ms });

    // An unknown message type is not an error: the contract grows by new types.
    clock.advance(1000ms);
    QTRY_COMPARE(relay.connections(), 2);
    relay.sendHello(u"s1"_s, 1);
    relay.send(QJsonObject { { "type"_L1, u"future-thing"_s } });
    relay.sendEvent(1);
    QTRY_COMPARE(recorder.seqs, QList<qint64> { 1 });
    QCOMPARE(recorder.protocolErrors.size(), 1);
}

void TstRelayConnection::closeStopsEverything()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(connection.state(), RelayConnection::State::Connected);
    relay.sendHello(u"s1"_s, 0);
    QTRY_COMPARE(recorder.hellos.size(), 1);

    connection.close();
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    QTRY_COMPARE(relay.disconnects(), 1);
    clock.advance(10min); // no watchdog, no retry
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    QVERIFY(recorder.retries.isEmpty());
    QCOMPARE(relay.connections(), 1);
}

void TstRelayConnection::closeWhileWaitingCancelsRetry()
{
    FakeRelay relay;
    QVERIFY(relay.listen());
    Graph::ManualClock clock;
    RelayConnection connection(relay.baseUrl(), &clock);
    connection.setToken(Token);
    Recorder recorder(connection);

    connection.open();
    QTRY_COMPARE(relay.connections(), 1);
    relay.latest()->abort();
    QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);

    connection.close();
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    clock.advance(10min);
    QCOMPARE(connection.state(), RelayConnection::State::Disconnected);
    QCOMPARE(relay.connections(), 1);

    // open() starts again at once, from a fresh backoff.
    connection.open();
    QTRY_COMPARE(relay.connections(), 2);
}

namespace {
QStringList *s_capturedLogs = nullptr;
QtMessageHandler s_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (s_capturedLogs)
        s_capturedLogs->append(message);
    if (s_previousHandler && type != QtDebugMsg && type != QtInfoMsg)
        s_previousHandler(type, context, message);
}
} // namespace

void TstRelayConnection::tokenNeverAppearsInLogs()
{
    QStringList logs;
    s_capturedLogs = &logs;
    s_previousHandler = qInstallMessageHandler(captureLog);
    QLoggingCategory::setFilterRules(u"frontdesk.console.relay.debug=true"_s);
    const auto restore = qScopeGuard([] {
        qInstallMessageHandler(s_previousHandler);
        s_capturedLogs = nullptr;
        QLoggingCategory::setFilterRules(QString());
    });

    {
        StatusServer refusing("HTTP/1.1 401 Unauthorized");
        QVERIFY(refusing.listen());
        Graph::ManualClock clock;
        RelayConnection connection(refusing.baseUrl(), &clock);
        connection.setToken(Token);
        QSignalSpy authFailed(&connection, &RelayConnection::authenticationFailed);
        connection.open();
        QTRY_COMPARE(authFailed.size(), 1);
    }
    {
        FakeRelay relay;
        QVERIFY(relay.listen());
        Graph::ManualClock clock;
        RelayConnection connection(relay.baseUrl(), &clock);
        connection.setToken(Token);
        connection.open();
        QTRY_COMPARE(relay.connections(), 1);
        relay.sendHello(u"s1"_s, 1);
        relay.sendEvent(1);
        QTRY_COMPARE(connection.lastSeq(), qint64(1));
        relay.latest()->abort();
        QTRY_COMPARE(connection.state(), RelayConnection::State::WaitingToRetry);
    }

    QVERIFY(logs.size() > 5); // the category did log: state changes, seqs, the 401
    for (const QString &line : std::as_const(logs))
        QVERIFY2(!line.contains(Token), qPrintable(line));
}

QTEST_GUILESS_MAIN(TstRelayConnection)
#include "tst_relayconnection.moc"

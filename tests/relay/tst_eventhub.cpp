// The consoles' event stream on a loopback port: hello, replay or snapshot, live events with seq
// rising by one, the backlog limit (4008) that protects the relay from a console that does not
// read, pings, and the 401 that a bad token gets instead of an upgrade.
#include "relay/eventhub.h"
#include "relay/eventpublisher.h"
#include "relay/journal.h"
#include "relay/jwksprovider.h"
#include "relay/metrics.h"
#include "relay/operators.h"
#include "relay/relayserver.h"
#include "relay/relaystate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtEndian>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Relay;

namespace {

const QByteArray AliceToken = "alice-secret-token";
const QByteArray BobToken = "bob-secret-token";
const QString CallbackUri = u"https://relay.example.org/callbacks"_s;

QJsonObject notification(const QString &callId, int padding)
{
    QJsonObject data { { "@odata.type"_L1, u"#microsoft.graph.call"_s }, { "id"_L1, callId },
        { "state"_L1, u"incoming"_s }, { "direction"_L1, u"incoming"_s } };
    QJsonObject n {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, u"created"_s },
        { "resourceUrl"_L1, QString(u"/communications/calls/"_s + callId) },
        { "resourceData"_L1, data },
    };
    if (padding > 0)
        n.insert("padding"_L1, QString(padding, u'p'));
    return n;
}

QList<qint64> eventSeqs(const QList<QJsonObject> &messages)
{
    QList<qint64> seqs;
    for (const QJsonObject &m : messages) {
        if (m.value("type"_L1).toString() == "event"_L1)
            seqs.append(m.value("seq"_L1).toInteger());
    }
    return seqs;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> seqs;
    for (qint64 seq = first; seq <= last; ++seq)
        seqs.append(seq);
    return seqs;
}

QUrl eventsUrl(const QUrl &base, const QString &stream, qint64 afterSeq)
{
    QUrl url = base;
    url.setScheme(u"ws"_s);
    url.setPath(u"/events"_s);
    QUrlQuery query;
    if (!stream.isEmpty())
        query.addQueryItem(u"stream"_s, stream);
    if (afterSeq >= 0)
        query.addQueryItem(u"afterSeq"_s, QString::number(afterSeq));
    url.setQuery(query);
    return url;
}

// A console on /events through QWebSocket: every message it receives, parsed.
struct ConsoleClient
{
    QWebSocket socket;
    QList<QJsonObject> messages;

    ConsoleClient(const QUrl &url, const QByteArray &token)
    {
        QObject::connect(
            &socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
                messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token);
        socket.open(request);
    }
    qint64 lastSeq() const
    {
        const QList<qint64> seqs = eventSeqs(messages);
        return seqs.isEmpty() ? 0 : seqs.constLast();
    }
};

// A console that speaks WebSocket by hand over a QTcpSocket, so that a test can see the HTTP
// answer to the upgrade, every frame (pings, the close frame) and can stop reading at will.
struct RawConsole
{
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
    };

    QTcpSocket socket;
    QByteArray buffer;
    QByteArray responseHead; // set once the HTTP answer is complete
    QList<Frame> frames;
    bool reading = true;

    RawConsole(quint16 port, const QByteArray &authorization)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] {
            if (reading)
                pump();
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
        QByteArray request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        if (!authorization.isEmpty())
            request += "Authorization: " + authorization + "\r\n";
        request += "\r\n";
        socket.write(request);
    }

    int status() const
    {
        const QList<QByteArray> parts = responseHead.split(' ');
        return parts.size() > 1 ? parts[1].toInt() : 0;
    }

    void pump()
    {
        buffer.append(socket.readAll());
        if (responseHead.isEmpty()) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            responseHead = buffer.first(end);
            buffer.remove(0, end + 4);
            if (status() != 101)
                return;
        }
        // Server frames are never masked.
        while (buffer.size() >= 2) {
            const int opcode = buffer[0] & 0x0f;
            qint64 length = buffer[1] & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(buffer.constData() + 2);
                header = 4;
            } else if (length == 127) {
                if (buffer.size() < 10)
                    return;
                length = qint64(qFromBigEndian<quint64>(buffer.constData() + 2));
                header = 10;
            }
            if (buffer.size() < header + length)
                return;
            frames.append(Frame { opcode, buffer.mid(header, length) });
            buffer.remove(0, header + length);
        }
    }

    int count(int opcode) const
    {
        return int(std::count_if(frames.cbegin(), frames.cend(),
            [opcode](const Frame &f) { return f.opcode == opcode; }));
    }
    std::optional<Frame> closeFrame() const
    {
        for (const Frame &f : frames) {
            if (f.opcode == 0x8)
                return f;
        }
        return std::nullopt;
    }
};

struct Fixture
{
    QTemporaryDir dir;
    Graph::SystemClock clock;
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
    int calls = 0;

    Fixture(const QString &connection, EventHub::Timing timing)
        : journal(dir.filePath(u"journal.sqlite"_s), connection)
        , operators({ OperatorEntry {
                          u"alice"_s, Role::Operator, OperatorDirectory::hashToken(AliceToken) },
              OperatorEntry {
                  u"bob"_s, Role::Supervisor, OperatorDirectory::hashToken(BobToken) } })
        , hub(&journal, &state, &metrics, timing, CallbackUri)
    {
        config.clientId = u"client"_s;
        config.publicUrl = QUrl(CallbackUri);
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

    //! Journals, applies and broadcasts `n` new calls, as a callback would.
    bool append(int n, int padding = 0)
    {
        QList<StreamEvent> events;
        for (int i = 0; i < n; ++i) {
            StreamEvent event;
            event.type = StreamEvent::Type::Notification;
            event.at = clock.now();
            event.notification = notification(u"call-%1"_s.arg(++calls), padding);
            events.append(event);
        }
        QString error;
        if (!journal.append(events, &error)) {
            qWarning("append: %s", qPrintable(error));
            return false;
        }
        for (const StreamEvent &event : std::as_const(events))
            state.apply(event);
        hub.broadcast(events);
        return true;
    }

    QUrl url(const QString &stream = {}, qint64 afterSeq = -1) const
    {
        return eventsUrl(server->baseUrl(), stream, afterSeq);
    }
};

} // namespace

class EventHubTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void helloThenSnapshotForFreshConsole();
    void resumeAfterDisconnectHasNoGapOrDuplicate();
    void eventsJournaledDuringReplayFollowInOrder();
    void resumeAtNewestSeqSendsOnlyLiveEvents();
    void streamFromBeforeJournalLossGetsSnapshot();
    void afterSeqOlderThanCompactedJournalGetsSnapshot();
    void twoConsolesSeeTheSameSeqOrder();
    void slowConsumerIsClosedWith4008WhileOthersKeepReceiving();
    void badTokenGets401AndNoUpgrade_data();
    void badTokenGets401AndNoUpgrade();
    void plainGetWithTokenIsNotUpgraded();
    void pingsArrive();
    void closeAllClosesEveryConsole();
    void frameAroundJournalTextIsTheEncodedEvent_data();
    void frameAroundJournalTextIsTheEncodedEvent();

private:
    Fixture &start(EventHub::Timing timing = {});

    std::unique_ptr<Fixture> m_fixture;
    int m_count = 0;
};

Fixture &EventHubTest::start(EventHub::Timing timing)
{
    m_fixture = std::make_unique<Fixture>(u"eventhub-%1"_s.arg(++m_count), timing);
    QString error;
    if (!m_fixture->start(&error))
        qFatal("cannot start: %s", qPrintable(error));
    return *m_fixture;
}

void EventHubTest::cleanup()
{
    m_fixture.reset();
}

void EventHubTest::helloThenSnapshotForFreshConsole()
{
    Fixture &f = start();
    QVERIFY(f.append(3));
    QSignalSpy connected(&f.hub, &EventHub::consoleConnected);

    ConsoleClient console(f.url(), AliceToken);
    QTRY_COMPARE(console.messages.size(), 2);
    const QJsonObject hello = console.messages[0];
    QCOMPARE(hello.value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(hello.value("protocol"_L1).toInt(), 1);
    QCOMPARE(hello.value("stream"_L1).toString(), f.journal.streamId());
    QCOMPARE(hello.value("seq"_L1).toInteger(), 3);
    QCOMPARE(hello.value("operator"_L1).toObject(),
        (QJsonObject { { "name"_L1, u"alice"_s }, { "role"_L1, u"operator"_s } }));
    QCOMPARE(hello.value("callbackUri"_L1).toString(), CallbackUri);

    const QJsonObject snapshot = console.messages[1];
    QCOMPARE(snapshot.value("type"_L1).toString(), u"snapshot"_s);
    QCOMPARE(snapshot.value("seq"_L1).toInteger(), 3);
    QCOMPARE(snapshot.value("calls"_L1).toArray().size(), 3);
    QCOMPARE(connected.size(), 1);
    QCOMPARE(f.hub.consoleCount(), 1);
    QCOMPARE(f.metrics.consoles(), 1);

    QVERIFY(f.append(1));
    QTRY_COMPARE(console.messages.size(), 3);
    QCOMPARE(console.messages[2].value("type"_L1).toString(), u"event"_s);
    QCOMPARE(console.messages[2].value("seq"_L1).toInteger(), 4);
    QVERIFY(!console.messages[2].value("at"_L1).toString().isEmpty());
    QCOMPARE(console.messages[2].value("notification"_L1).toObject(), notification(u"call-4"_s, 0));
}

void EventHubTest::resumeAfterDisconnectHasNoGapOrDuplicate()
{
    Fixture &f = start();
    QSignalSpy disconnected(&f.hub, &EventHub::consoleDisconnected);
    QString stream;
    {
        ConsoleClient first(f.url(), AliceToken);
        QTRY_COMPARE(first.messages.size(), 2);
        stream = first.messages[0].value("stream"_L1).toString();
        QVERIFY(f.append(5));
        QTRY_COMPARE(eventSeqs(first.messages), range(1, 5));
    }
    QTRY_COMPARE(f.hub.consoleCount(), 0);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected[0][0].toString(), u"alice"_s);

    QVERIFY(f.append(5)); // 6..10, while nobody listens
    ConsoleClient again(f.url(stream, 5), AliceToken);
    QTRY_COMPARE(eventSeqs(again.messages), range(6, 10));
    QCOMPARE(again.messages[0].value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(again.messages[0].value("seq"_L1).toInteger(), 10);
    QVERIFY(std::none_of(again.messages.cbegin(), again.messages.cend(),
        [](const QJsonObject &m) { return m.value("type"_L1).toString() == "snapshot"_L1; }));
    QVERIFY(f.append(1));
    QTRY_COMPARE(eventSeqs(again.messages), range(6, 11));
    QCOMPARE(again.messages.size(), 1 + 6);
}

void EventHubTest::eventsJournaledDuringReplayFollowInOrder()
{
    // A small backlog limit paces the replay (half of it at a time), so live events are
    // journaled while the console is still catching up.
    Fixture &f = start(EventHub::Timing { std::chrono::seconds(15), 64 * 1024 });
    const QString stream = f.journal.streamId();
    constexpr int Replayed = 2000;
    QVERIFY(f.append(Replayed, 200));

    ConsoleClient console(f.url(stream, 0), AliceToken);
    // New events are journaled and broadcast as the console receives replayed event 1, 500, ...
    QList<qsizetype> appendedAt;
    QObject::connect(&console.socket, &QWebSocket::textMessageReceived, &console.socket, [&] {
        const qsizetype received = console.messages.size() - 1; // after the hello
        if (received == 1 || received == 500 || received == 1000 || received == 1500) {
            appendedAt.append(received);
            f.append(5, 200);
        }
    });

    QTRY_COMPARE_WITH_TIMEOUT(console.lastSeq(), Replayed + 20, 20000);
    QCOMPARE(appendedAt, (QList<qsizetype> { 1, 500, 1000, 1500 }));
    QCOMPARE(eventSeqs(console.messages), range(1, Replayed + 20));
    QCOMPARE(console.messages.size(), 1 + Replayed + 20);
    QCOMPARE(f.hub.consoleCount(), 1); // never closed for its backlog
}

void EventHubTest::resumeAtNewestSeqSendsOnlyLiveEvents()
{
    Fixture &f = start();
    QVERIFY(f.append(4));
    ConsoleClient console(f.url(f.journal.streamId(), 4), AliceToken);
    QTRY_COMPARE(console.messages.size(), 1);
    QCOMPARE(console.messages[0].value("type"_L1).toString(), u"hello"_s);
    QVERIFY(f.append(2));
    QTRY_COMPARE(eventSeqs(console.messages), range(5, 6));
    QCOMPARE(console.messages.size(), 3);
}

void EventHubTest::streamFromBeforeJournalLossGetsSnapshot()
{
    Fixture &f = start();
    const QString lostStream = f.journal.streamId();
    // The journal is lost: a new file, a new stream id, seqs from 1 again.
    f.journal.close();
    for (const QString &suffix : { u""_s, u"-wal"_s, u"-shm"_s })
        QFile::remove(f.dir.filePath(u"journal.sqlite"_s + suffix));
    QString error;
    QVERIFY2(f.journal.open(&error), qPrintable(error));
    QVERIFY(f.journal.streamId() != lostStream);
    QVERIFY(f.append(3));

    // afterSeq 2 would be resumable in the new stream, but it counts in the old one.
    ConsoleClient console(f.url(lostStream, 2), AliceToken);
    QTRY_COMPARE(console.messages.size(), 2);
    QCOMPARE(console.messages[0].value("stream"_L1).toString(), f.journal.streamId());
    QCOMPARE(console.messages[1].value("type"_L1).toString(), u"snapshot"_s);
    QCOMPARE(console.messages[1].value("seq"_L1).toInteger(), 3);
    QVERIFY(f.append(1));
    QTRY_COMPARE(eventSeqs(console.messages), QList<qint64> { 4 });
}

void EventHubTest::afterSeqOlderThanCompactedJournalGetsSnapshot()
{
    Fixture &f = start();
    QVERIFY(f.append(5));
    QString error;
    QVERIFY2(f.journal.writeCheckpoint(5, f.state.toCheckpoint(), &error), qPrintable(error));
    QCOMPARE(f.journal.compact(f.clock.now().addSecs(60), &error), 5);
    QVERIFY(f.append(2)); // 6, 7
    QCOMPARE(f.journal.firstSeq(), 6);

    ConsoleClient old(f.url(f.journal.streamId(), 2), AliceToken);
    QTRY_COMPARE(old.messages.size(), 2);
    QCOMPARE(old.messages[1].value("type"_L1).toString(), u"snapshot"_s);
    QCOMPARE(old.messages[1].value("seq"_L1).toInteger(), 7);
    QCOMPARE(old.messages[1].value("calls"_L1).toArray().size(), 7);

    // Right at the edge of what is left, a resume still works.
    ConsoleClient edge(f.url(f.journal.streamId(), 5), AliceToken);
    QTRY_COMPARE(eventSeqs(edge.messages), range(6, 7));
    QCOMPARE(edge.messages.size(), 3);
}

void EventHubTest::twoConsolesSeeTheSameSeqOrder()
{
    Fixture &f = start();
    ConsoleClient a(f.url(), AliceToken);
    ConsoleClient b(f.url(), BobToken);
    QTRY_COMPARE(a.messages.size(), 2);
    QTRY_COMPARE(b.messages.size(), 2);
    QCOMPARE(
        b.messages[0].value("operator"_L1).toObject().value("role"_L1).toString(), u"supervisor"_s);
    for (int batch = 1; batch <= 6; ++batch)
        QVERIFY(f.append(batch));
    QTRY_COMPARE(a.lastSeq(), 21);
    QTRY_COMPARE(b.lastSeq(), 21);
    QCOMPARE(eventSeqs(a.messages), range(1, 21));
    QCOMPARE(eventSeqs(b.messages), eventSeqs(a.messages));
    for (qsizetype i = 2; i < a.messages.size(); ++i)
        QCOMPARE(a.messages[i], b.messages[i]);
}

void EventHubTest::slowConsumerIsClosedWith4008WhileOthersKeepReceiving()
{
    constexpr qint64 Limit = 512 * 1024;
    Fixture &f = start(EventHub::Timing { std::chrono::seconds(15), Limit });
    QSignalSpy disconnected(&f.hub, &EventHub::consoleDisconnected);
    ConsoleClient fast(f.url(), AliceToken);
    RawConsole slow(f.server->baseUrl().port(), "Bearer " + BobToken);
    QTRY_COMPARE(fast.messages.size(), 2);
    QTRY_COMPARE(slow.count(0x1), 2); // hello and snapshot
    QCOMPARE(f.hub.consoleCount(), 2);

    // From now on the slow console reads nothing: once the kernel's buffers are full, what the
    // relay sends it piles up in its socket until the limit is passed.
    slow.reading = false;
    slow.socket.setReadBufferSize(1024);
    int rounds = 0;
    constexpr int PerRound = 8;
    while (f.hub.consoleCount() == 2 && rounds < 200) {
        ++rounds;
        QVERIFY(f.append(PerRound, 32 * 1024));
        // The fast console is never held up by the slow one.
        QTRY_COMPARE(fast.lastSeq(), rounds * PerRound);
    }
    QCOMPARE(f.hub.consoleCount(), 1);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected[0][0].toString(), u"bob"_s);
    QCOMPARE(f.metrics.consoles(), 1);
    qInfo("slow console closed after %d KiB of events", rounds * PerRound * 32);

    for (int i = 0; i < 3; ++i) {
        ++rounds;
        QVERIFY(f.append(PerRound, 32 * 1024));
        QTRY_COMPARE(fast.lastSeq(), rounds * PerRound);
    }
    QCOMPARE(eventSeqs(fast.messages), range(1, rounds * PerRound));

    // Reading again, the slow console finds the close frame after what was queued for it.
    slow.reading = true;
    slow.socket.setReadBufferSize(0);
    slow.pump();
    QTRY_VERIFY_WITH_TIMEOUT(slow.closeFrame().has_value(), 20000);
    const QByteArray payload = slow.closeFrame()->payload;
    QCOMPARE(qFromBigEndian<quint16>(payload.constData()), 4008);
    QCOMPARE(payload.mid(2), QByteArray("backlog"));
    QTRY_COMPARE(slow.socket.state(), QAbstractSocket::UnconnectedState);
}

void EventHubTest::badTokenGets401AndNoUpgrade_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("wrong token") << QByteArray("Bearer not-a-known-token");
    QTest::newRow("not bearer") << QByteArray("Basic " + AliceToken.toBase64());
    QTest::newRow("token without scheme") << AliceToken;
}

void EventHubTest::badTokenGets401AndNoUpgrade()
{
    QFETCH(QByteArray, authorization);
    Fixture &f = start();
    RawConsole console(f.server->baseUrl().port(), authorization);
    QTRY_VERIFY(!console.responseHead.isEmpty());
    QCOMPARE(console.status(), 401);
    QVERIFY(!console.responseHead.toLower().contains("sec-websocket-accept"));
    QVERIFY(console.frames.isEmpty());
    QCOMPARE(f.hub.consoleCount(), 0);

    // The QWebSocket client sees a refused handshake, not a connection.
    QWebSocket client;
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy errors(&client, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    QNetworkRequest request(f.url());
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    client.open(request);
    QTRY_VERIFY(errors.size() > 0);
    QCOMPARE(connected.size(), 0);
    QCOMPARE(f.hub.consoleCount(), 0);
}

void EventHubTest::plainGetWithTokenIsNotUpgraded()
{
    Fixture &f = start();
    QTcpSocket socket;
    QByteArray response;
    QObject::connect(
        &socket, &QTcpSocket::readyRead, &socket, [&] { response.append(socket.readAll()); });
    socket.connectToHost(QHostAddress::LocalHost, f.server->baseUrl().port());
    socket.write(
        "GET /events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer " + AliceToken + "\r\n\r\n");
    QTRY_VERIFY(response.contains("\r\n\r\n"));
    QVERIFY2(response.startsWith("HTTP/1.1 426 "), response.constData());
    QCOMPARE(f.hub.consoleCount(), 0);
}

void EventHubTest::pingsArrive()
{
    Fixture &f = start(EventHub::Timing { std::chrono::milliseconds(50), 8 * 1024 * 1024 });
    RawConsole console(f.server->baseUrl().port(), "Bearer " + AliceToken);
    QTRY_COMPARE(console.status(), 101);
    QTRY_VERIFY(console.count(0x9) >= 3);
    QCOMPARE(f.hub.consoleCount(), 1);
}

void EventHubTest::closeAllClosesEveryConsole()
{
    Fixture &f = start();
    ConsoleClient a(f.url(), AliceToken);
    ConsoleClient b(f.url(), BobToken);
    QTRY_COMPARE(f.hub.consoleCount(), 2);
    QSignalSpy aClosed(&a.socket, &QWebSocket::disconnected);
    QSignalSpy bClosed(&b.socket, &QWebSocket::disconnected);
    f.hub.closeAll(QWebSocketProtocol::CloseCodeGoingAway, u"shutting down"_s);
    QCOMPARE(f.hub.consoleCount(), 0);
    QTRY_COMPARE(aClosed.size(), 1);
    QTRY_COMPARE(bClosed.size(), 1);
    QCOMPARE(a.socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(b.socket.closeReason(), u"shutting down"_s);
}

void EventHubTest::frameAroundJournalTextIsTheEncodedEvent_data()
{
    QTest::addColumn<StreamEvent>("event");
    const QDateTime at = QDateTime::fromString(u"2026-11-26T10:00:00.123Z"_s, Qt::ISODateWithMs);
    StreamEvent notification;
    notification.seq = 1234567890123;
    notification.at = at;
    notification.notification = QJsonObject {
        { "changeType"_L1, u"created"_s },
        { "resourceUrl"_L1, u"/communications/calls/c-1"_s },
        { "resourceData"_L1,
            QJsonObject { { "state"_L1, u"incoming"_s },
                { "caller"_L1, u"Zo\u00eb \"Quote\" \\ \u00a7\n\t\U0001F600"_s }, { "count"_L1, 3 },
                { "ratio"_L1, 0.25 }, { "none"_L1, QJsonValue::Null } } },
    };
    QTest::newRow("notification") << notification;
    StreamEvent empty;
    empty.seq = 1;
    empty.at = at;
    QTest::newRow("empty notification") << empty;
    StreamEvent relay;
    relay.type = StreamEvent::Type::Relay;
    relay.seq = 7;
    relay.at = at;
    relay.relay = QJsonObject { { "kind"_L1, u"claimed"_s }, { "callId"_L1, u"c-1"_s },
        { "by"_L1, u"alice"_s } };
    QTest::newRow("relay") << relay;
}

void EventHubTest::frameAroundJournalTextIsTheEncodedEvent()
{
    QFETCH(StreamEvent, event);
    const QString expected = QString::fromUtf8(
        QJsonDocument(Graph::RelayProtocol::encodeEvent(event)).toJson(QJsonDocument::Compact));
    QCOMPARE(eventFrame(event, eventText(event, {})), expected);
}

QTEST_GUILESS_MAIN(EventHubTest)
#include "tst_eventhub.moc"

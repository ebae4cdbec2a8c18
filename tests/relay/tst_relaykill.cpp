// kill -9 loses no acknowledged notification (relay-contract.md "Callbacks from Graph": 202 only
// after every notification is in the journal). The real frontdesk-relay binary takes signed
// callbacks, several at a time over keep-alive connections, and is killed with SIGKILL while some
// are still in flight; restarted on the same data folder, it must still have every notification
// it answered 202 for: in /healthz, in the journal a console replays, and in the state a console
// gets as a snapshot.

#include "graph/jwt.h"
#include "graph/relayprotocol.h"
#include "relay/operators.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 30000;
//! Callbacks posted at most; the relay is killed long before the last of them.
constexpr int MaxCallbacks = 400;
//! Callbacks in flight at once.
constexpr int Concurrency = 4;
//! The relay is killed as soon as this many callbacks have been answered 202.
constexpr int KillAfterAcknowledged = 200;

const QByteArray AliceToken = "kill-test-console-token";
const QString ClientId = u"app-under-test"_s;
const QString TenantId = u"tenant-under-test"_s;
const QString Issuer = u"https://graph.microsoft.com"_s;

QJsonObject incomingCall(const QString &callId)
{
    return QJsonObject {
        { u"@odata.type"_s, u"#microsoft.graph.commsNotification"_s },
        { u"changeType"_s, u"created"_s },
        { u"resourceUrl"_s, QString(u"/communications/calls/"_s + callId) },
        { u"resourceData"_s,
            QJsonObject { { u"@odata.type"_s, u"#microsoft.graph.call"_s }, { u"id"_s, callId },
                { u"state"_s, u"incoming"_s }, { u"direction"_s, u"incoming"_s } } },
    };
}

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

//! What a console received on one connection.
struct ConsoleView
{
    QJsonObject hello;
    QList<QJsonObject> after; //!< every message after the hello, in order
};

} // namespace

class TstRelayKill final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sigkillHitTheRelayWithCallbacksInFlight();
    void restartedRelayKeepsTheStreamId();
    void healthzSeqCoversEveryAcknowledgedNotification();
    void resumeFromZeroReplaysEveryJournaledEventInOrderWithoutGaps();
    void replayedEventsHoldEveryAcknowledgedCallOnce();
    void snapshotHoldsEveryAcknowledgedCall();

private:
    QString writeConfig();
    //! Starts the relay on a free loopback port with its data in m_dataDir; the base URL, or an
    //! empty one when it did not come up.
    QUrl startRelay(std::unique_ptr<QProcess> &process);
    QJsonObject getHealth(const QUrl &base);
    //! Connects a console with `query` and collects the hello and what follows until `done`
    //! says it has everything (or the time is up).
    ConsoleView openConsole(const QUrl &base, const QUrlQuery &query,
        const std::function<bool(const ConsoleView &)> &done);
    //! The replay after seq 0 of m_stream on the restarted relay.
    ConsoleView replayFromZero();
    QByteArray signedCallbackToken() const;
    void postNext();
    void onReplied(QNetworkReply *reply, const QString &callId);

    QTemporaryDir m_dir;
    QString m_dataDir;
    Graph::JwtSigner m_signer;
    QString m_jwksFile;
    std::unique_ptr<QProcess> m_first;
    std::unique_ptr<QProcess> m_second;
    QUrl m_firstBase;
    QUrl m_secondBase;
    QString m_stream; //!< from the first relay's hello

    // The load: what was posted and what was answered 202.
    QNetworkAccessManager m_nam;
    QByteArray m_authorization;
    int m_posted = 0;
    int m_inFlight = 0;
    int m_inFlightAtKill = -1;
    int m_refused = 0; //!< answered, but not with 202 (before the kill)
    bool m_killed = false;
    QSet<QString> m_postedCalls;
    QSet<QString> m_acknowledged;
};

void TstRelayKill::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(FRONTDESK_RELAY_BINARY)), FRONTDESK_RELAY_BINARY);
    m_dataDir = m_dir.filePath(u"data"_s);
    m_signer = Graph::JwtSigner::generate(u"kill-key"_s);
    QVERIFY(m_signer.isValid());
    m_jwksFile = m_dir.filePath(u"keys.json"_s);
    QFile keys(m_jwksFile);
    QVERIFY(keys.open(QIODevice::WriteOnly));
    keys.write(m_signer.jwksJson());
    keys.close();
    m_nam.setProxy(QNetworkProxy::NoProxy);
    m_authorization = "Bearer " + signedCallbackToken();

    // The first relay: its stream id, then the load, then kill -9.
    m_firstBase = startRelay(m_first);
    QVERIFY(m_firstBase.isValid());
    const ConsoleView first =
        openConsole(m_firstBase, {}, [](const ConsoleView &v) { return !v.after.isEmpty(); });
    m_stream = first.hello.value("stream"_L1).toString();
    QVERIFY(!m_stream.isEmpty());

    for (int i = 0; i < Concurrency; ++i)
        postNext();
    QTRY_VERIFY_WITH_TIMEOUT(m_killed || m_inFlight == 0, Timeout);
    QVERIFY2(m_killed,
        qPrintable(u"%1 of %2 callbacks acknowledged, %3 refused: never killed"_s
                       .arg(m_acknowledged.size())
                       .arg(m_posted)
                       .arg(m_refused)));
    QVERIFY(m_first->state() == QProcess::NotRunning || m_first->waitForFinished(Timeout));
    // What was in flight fails now (or was answered 202 just before the kill, and counts).
    QTRY_COMPARE_WITH_TIMEOUT(m_inFlight, 0, Timeout);
    QCOMPARE(m_refused, 0);

    // The second relay, on the same data folder.
    m_secondBase = startRelay(m_second);
    QVERIFY(m_secondBase.isValid());
}

void TstRelayKill::cleanupTestCase()
{
    for (QProcess *process : { m_first.get(), m_second.get() }) {
        if (process && process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(Timeout);
        }
    }
}

QByteArray TstRelayKill::signedCallbackToken() const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return m_signer.sign(QJsonObject {
        { u"iss"_s, Issuer },
        { u"aud"_s, ClientId },
        { u"tid"_s, TenantId },
        { u"iat"_s, now },
        { u"nbf"_s, now - 10 },
        { u"exp"_s, now + 600 },
    });
}

void TstRelayKill::postNext()
{
    if (m_killed || m_posted >= MaxCallbacks)
        return;
    const QString callId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QUrl url = m_firstBase;
    url.setPath(u"/callbacks"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", m_authorization);
    const QByteArray body =
        QJsonDocument(QJsonObject { { u"value"_s, QJsonArray { incomingCall(callId) } } })
            .toJson(QJsonDocument::Compact);
    ++m_posted;
    ++m_inFlight;
    m_postedCalls.insert(callId);
    QNetworkReply *reply = m_nam.post(request, body);
    connect(
        reply, &QNetworkReply::finished, this, [this, reply, callId] { onReplied(reply, callId); });
}

void TstRelayKill::onReplied(QNetworkReply *reply, const QString &callId)
{
    reply->deleteLater();
    --m_inFlight;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // A 202 is an acknowledgement even when it arrives after the kill: the relay sent it.
    if (status == 202)
        m_acknowledged.insert(callId);
    else if (!m_killed)
        ++m_refused;
    if (m_killed)
        return;
    if (m_acknowledged.size() >= KillAfterAcknowledged) {
        m_killed = true;
        m_inFlightAtKill = m_inFlight;
        m_first->kill(); // SIGKILL
        return;
    }
    postNext();
}

QString TstRelayKill::writeConfig()
{
    const QByteArray aliceHash = Relay::OperatorDirectory::hashToken(AliceToken).toHex();
    QByteArray text;
    text += "[server]\nlisten=127.0.0.1:1\ndataDir=/nonexistent/frontdesk-relay\n";
    // Graph is a closed loopback port, and the relay acts on no call by itself: the stream holds
    // the posted notifications only.
    text += "[graph]\nbaseUrl=http://127.0.0.1:9/v1.0\ntokenUrl=http://127.0.0.1:9/token\ntenantId="
        + TenantId.toUtf8() + "\nclientId=" + ClientId.toUtf8() + '\n';
    text += "[callbacks]\npublicUrl=http://127.0.0.1:9/callbacks\njwksFile=" + m_jwksFile.toUtf8()
        + "\nissuers=" + Issuer.toUtf8() + '\n';
    text += "[operators]\nalice=operator:" + aliceHash + '\n';
    text += "[policy]\nunattended=none\n";
    const QString path = m_dir.filePath(u"relay.ini"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return path;
}

QUrl TstRelayKill::startRelay(std::unique_ptr<QProcess> &process)
{
    process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"FRONTDESK_RELAY_GRAPH_CLIENTSECRET"_s, u"kill-test-secret"_s);
    process->setProcessEnvironment(env);
    process->setProgram(QStringLiteral(FRONTDESK_RELAY_BINARY));
    process->setArguments({ u"--config"_s, writeConfig(), u"--listen"_s, u"127.0.0.1:0"_s,
        u"--data-dir"_s, m_dataDir });
    process->start();
    if (!process->waitForStarted(Timeout))
        return {};
    QProcess *p = process.get();
    const bool ready = QTest::qWaitFor(
        [p] { return p->canReadLine() || p->state() == QProcess::NotRunning; }, Timeout);
    if (!ready || !p->canReadLine()) {
        qWarning().noquote() << "the relay did not come up:" << p->readAllStandardError();
        return {};
    }
    const QString line = QString::fromUtf8(p->readLine());
    static const QRegularExpression Ready(u"^listening on (http://127\\.0\\.0\\.1:([0-9]+))\n$"_s);
    const QRegularExpressionMatch match = Ready.match(line);
    if (!match.hasMatch() || match.captured(2).toInt() == 0) {
        qWarning().noquote() << "unexpected first line:" << line;
        return {};
    }
    return QUrl(match.captured(1));
}

QJsonObject TstRelayKill::getHealth(const QUrl &base)
{
    QUrl url = base;
    url.setPath(u"/healthz"_s);
    std::unique_ptr<QNetworkReply> reply(m_nam.get(QNetworkRequest(url)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(Timeout))
        return {};
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

ConsoleView TstRelayKill::openConsole(
    const QUrl &base, const QUrlQuery &query, const std::function<bool(const ConsoleView &)> &done)
{
    ConsoleView view;
    QWebSocket console;
    console.setProxy(QNetworkProxy::NoProxy);
    bool closed = false;
    connect(&console, &QWebSocket::textMessageReceived, this, [&view](const QString &text) {
        if (view.hello.isEmpty())
            view.hello = parse(text);
        else
            view.after.append(parse(text));
    });
    connect(&console, &QWebSocket::disconnected, this, [&closed] { closed = true; });
    QUrl url = base;
    url.setScheme(u"ws"_s);
    url.setPath(u"/events"_s);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + AliceToken);
    console.open(request);
    const bool complete =
        QTest::qWaitFor([&] { return closed || (!view.hello.isEmpty() && done(view)); }, Timeout);
    if (!complete || closed)
        qWarning() << "the console got" << view.after.size() << "messages after"
                   << (view.hello.isEmpty() ? "no hello" : "its hello")
                   << (closed ? "and was closed" : "and then nothing");
    console.disconnect(this);
    console.close();
    return view;
}

ConsoleView TstRelayKill::replayFromZero()
{
    QUrlQuery query;
    query.addQueryItem(u"stream"_s, m_stream);
    query.addQueryItem(u"afterSeq"_s, u"0"_s);
    return openConsole(m_secondBase, query, [](const ConsoleView &v) {
        const qint64 newest = v.hello.value("seq"_L1).toInteger(-1);
        // Everything up to the hello's seq (or something that is not part of the replay).
        return v.after.size() >= newest
            || (!v.after.isEmpty() && v.after.constLast().value("seq"_L1).toInteger(-1) >= newest);
    });
}

void TstRelayKill::sigkillHitTheRelayWithCallbacksInFlight()
{
    qInfo("%d callbacks posted, %d acknowledged, %d in flight at the kill", m_posted,
        int(m_acknowledged.size()), m_inFlightAtKill);
    QCOMPARE(m_first->exitStatus(), QProcess::CrashExit);
    QVERIFY2(m_inFlightAtKill > 0, "no callback was in flight when the relay was killed");
    QVERIFY(m_acknowledged.size() >= KillAfterAcknowledged);
    QVERIFY(m_posted < MaxCallbacks);
    QVERIFY(m_second->state() == QProcess::Running);
}

void TstRelayKill::restartedRelayKeepsTheStreamId()
{
    const ConsoleView view =
        openConsole(m_secondBase, {}, [](const ConsoleView &v) { return !v.after.isEmpty(); });
    QCOMPARE(view.hello.value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(view.hello.value("stream"_L1).toString(), m_stream);
}

void TstRelayKill::healthzSeqCoversEveryAcknowledgedNotification()
{
    const QJsonObject health = getHealth(m_secondBase);
    QCOMPARE(health.value("status"_L1).toString(), u"ok"_s);
    const qint64 seq = health.value("seq"_L1).toInteger(-1);
    // Each callback carried one notification, so one seq each; some that were in flight at the
    // kill may be there too.
    QVERIFY2(seq >= m_acknowledged.size(),
        qPrintable(u"seq %1 < %2 acknowledged"_s.arg(seq).arg(m_acknowledged.size())));
}

void TstRelayKill::resumeFromZeroReplaysEveryJournaledEventInOrderWithoutGaps()
{
    const qint64 healthSeq = getHealth(m_secondBase).value("seq"_L1).toInteger(-1);
    const ConsoleView view = replayFromZero();
    QCOMPARE(view.hello.value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(view.hello.value("stream"_L1).toString(), m_stream);
    const qint64 newest = view.hello.value("seq"_L1).toInteger(-1);
    QVERIFY2(newest >= healthSeq && healthSeq > 0,
        qPrintable(u"hello seq %1, /healthz seq %2"_s.arg(newest).arg(healthSeq)));
    QCOMPARE(view.after.size(), qsizetype(newest));
    qint64 expected = 1;
    for (const QJsonObject &message : view.after) {
        const auto type = Graph::RelayProtocol::messageType(message);
        QVERIFY2(type == Graph::RelayProtocol::MessageType::Event
                || type == Graph::RelayProtocol::MessageType::Relay,
            qPrintable(u"not an event: "_s
                + QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact))));
        QCOMPARE(message.value("seq"_L1).toInteger(-1), expected);
        ++expected;
    }
}

void TstRelayKill::replayedEventsHoldEveryAcknowledgedCallOnce()
{
    const ConsoleView view = replayFromZero();
    QSet<QString> replayed;
    for (const QJsonObject &message : view.after) {
        const auto event = Graph::RelayProtocol::decodeEvent(message);
        QVERIFY(event);
        if (event->type != Graph::RelayProtocol::StreamEvent::Type::Notification)
            continue;
        const QString callId = event->callId();
        QVERIFY2(!replayed.contains(callId), qPrintable(u"twice: "_s + callId));
        QVERIFY2(m_postedCalls.contains(callId), qPrintable(u"never posted: "_s + callId));
        replayed.insert(callId);
    }
    const QSet<QString> lost = m_acknowledged - replayed;
    QVERIFY2(lost.isEmpty(),
        qPrintable(u"%1 acknowledged calls lost, e.g. %2"_s.arg(lost.size())
                       .arg(lost.isEmpty() ? QString() : *lost.cbegin())));
}

void TstRelayKill::snapshotHoldsEveryAcknowledgedCall()
{
    const ConsoleView view =
        openConsole(m_secondBase, {}, [](const ConsoleView &v) { return !v.after.isEmpty(); });
    QCOMPARE(view.hello.value("stream"_L1).toString(), m_stream);
    QVERIFY(!view.after.isEmpty());
    const auto snapshot = Graph::RelayProtocol::decodeSnapshot(view.after.constFirst());
    QVERIFY(snapshot);
    QCOMPARE(snapshot->seq, view.hello.value("seq"_L1).toInteger(-1));
    QSet<QString> calls;
    for (const Graph::RelayProtocol::SnapshotCall &call : snapshot->calls) {
        calls.insert(call.entry.call.id);
        QCOMPARE(call.entry.call.state.text, u"incoming"_s);
    }
    const QSet<QString> lost = m_acknowledged - calls;
    QVERIFY2(lost.isEmpty(),
        qPrintable(u"%1 acknowledged calls missing from the state, e.g. %2"_s.arg(lost.size())
                       .arg(lost.isEmpty() ? QString() : *lost.cbegin())));
}

QTEST_GUILESS_MAIN(TstRelayKill)
#include "tst_relaykill.moc"

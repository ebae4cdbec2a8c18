#include "eventhub.h"

#include "metrics.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcConsoles, "frontdesk.relay.consoles")

// Events read from the journal at a time for a console that is catching up.
constexpr int ReplayBatch = 256;
// How long a closed console's connection may take to deliver what is still queued for it
// (its close frame included) before it is cut.
constexpr std::chrono::seconds CloseGrace { 30 };
constexpr auto BacklogCloseCode = QWebSocketProtocol::CloseCode(4008);

QString toText(const QJsonObject &message)
{
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

} // namespace

QString eventFrame(const StreamEvent &event, const EventText &text)
{
    // A relay event's fields sit among the frame's own keys; it is rare, so it is encoded anew.
    if (event.type == StreamEvent::Type::Relay)
        return toText(Graph::RelayProtocol::encodeEvent(event));
    // QJsonDocument writes an object's keys sorted: at, notification, seq, type.
    QByteArray frame;
    frame.reserve(text.body.size() + text.at.size() + 64);
    frame.append(R"({"at":")")
        .append(text.at.toLatin1())
        .append(R"(","notification":)")
        .append(text.body)
        .append(R"(,"seq":)")
        .append(QByteArray::number(event.seq))
        .append(R"(,"type":"event"})");
    return QString::fromUtf8(frame);
}

struct EventHub::Console
{
    QWebSocket *socket = nullptr;
    OperatorIdentity op;
    QString remote;
    //! The newest seq this console has: sent to it, or covered by its snapshot.
    qint64 sentSeq = 0;
    //! The newest seq read from the journal for it; events up to it wait in `queued`.
    qint64 readSeq = 0;
    QList<StreamEvent> queued;
    //! Reading from the journal rather than taking live broadcasts.
    bool catchingUp = false;
    bool closed = false;
};

EventHub::EventHub(Journal *journal, RelayState *state, Metrics *metrics, Timing timing,
    QString callbackUri, QObject *parent)
    : QObject(parent)
    , m_journal(journal)
    , m_state(state)
    , m_metrics(metrics)
    , m_timing(timing)
    , m_callbackUri(std::move(callbackUri))
    , m_pingTimer(new QTimer(this))
{
    connect(m_pingTimer, &QTimer::timeout, this, &EventHub::pingAll);
    if (m_timing.ping.count() > 0)
        m_pingTimer->start(m_timing.ping);
}

EventHub::~EventHub()
{
    for (Console *console : std::as_const(m_consoles)) {
        console->socket->disconnect(this);
        delete console;
    }
    qDeleteAll(m_closing);
}

void EventHub::addConsole(std::unique_ptr<QWebSocket> socketPtr, const OperatorIdentity &op,
    const QString &stream, qint64 afterSeq)
{
    auto *console = new Console;
    console->socket = socketPtr.release();
    console->socket->setParent(this);
    console->op = op;
    console->remote = console->socket->peerAddress().toString();
    m_consoles.append(console);

    connect(console->socket, &QWebSocket::disconnected, this, [this, console] {
        if (!console->closed)
            drop(console);
    });
    // A console catching up gets its next batch as soon as its backlog has drained below the
    // low-water mark, so a long replay never piles up in memory.
    connect(console->socket, &QWebSocket::bytesWritten, this, [this, console] {
        if (console->catchingUp && !console->closed)
            catchUp(*console);
    });

    Graph::RelayProtocol::Hello hello;
    hello.stream = m_journal->streamId();
    hello.seq = m_journal->lastSeq();
    hello.op = { op.name, roleName(op.role) };
    hello.callbackUri = m_callbackUri;
    hello.answerDeadlineSeconds =
        int(std::chrono::duration_cast<std::chrono::seconds>(m_state->answerDeadline()).count());
    send(*console, toText(Graph::RelayProtocol::encodeHello(hello)));

    const bool resume =
        !stream.isEmpty() && stream == m_journal->streamId() && m_journal->canResumeAfter(afterSeq);
    qCInfo(lcConsoles).noquote() << "console connected:" << op.name << "from" << console->remote
                                 << (resume ? u"resume after %1 (newest %2)"_s.arg(afterSeq).arg(
                                         hello.seq)
                                            : u"snapshot at %1"_s.arg(m_state->seq()));
    if (m_metrics)
        m_metrics->setConsoles(int(m_consoles.size()));
    Q_EMIT consoleConnected(op.name);

    if (console->closed)
        return;
    if (resume) {
        console->sentSeq = console->readSeq = afterSeq;
        console->catchingUp = true;
        catchUp(*console);
    } else {
        sendSnapshot(*console);
    }
}

void EventHub::broadcast(const QList<StreamEvent> &events)
{
    QList<EventText> texts;
    texts.reserve(events.size());
    for (const StreamEvent &event : events)
        texts.append(eventText(event, event.at));
    broadcast(events, texts);
}

void EventHub::broadcast(const QList<StreamEvent> &events, const QList<EventText> &eventTexts)
{
    Q_ASSERT(eventTexts.size() == events.size());
    if (events.isEmpty())
        return;
    // Encoded once, whatever the number of consoles.
    QList<QString> texts;
    texts.reserve(events.size());
    for (qsizetype i = 0; i < events.size(); ++i)
        texts.append(eventFrame(events[i], eventTexts[i]));

    // A copy: a console may be closed (backlog) and signals may re-enter while we send.
    const QList<Console *> consoles = m_consoles;
    for (Console *console : consoles) {
        for (qsizetype i = 0; i < events.size() && !console->closed && !console->catchingUp; ++i) {
            const qint64 seq = events[i].seq;
            if (seq <= console->sentSeq)
                continue; // it has it already (replayed, or in its snapshot)
            if (seq != console->sentSeq + 1) {
                // Something it has not seen was journaled in between (or it was broadcast out of
                // order): the journal has it all, in order.
                console->readSeq = console->sentSeq;
                console->queued.clear();
                console->catchingUp = true;
                catchUp(*console);
                break;
            }
            console->sentSeq = seq;
            send(*console, texts[i]);
        }
    }
}

void EventHub::closeAll(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    const QList<Console *> consoles = m_consoles;
    for (Console *console : consoles)
        closeConsole(console, code, reason);
}

int EventHub::consoleCount() const
{
    return int(m_consoles.size());
}

void EventHub::send(Console &console, const QJsonObject &message)
{
    send(console, toText(message));
}

void EventHub::send(Console &console, const QString &text)
{
    if (console.closed)
        return;
    console.socket->sendTextMessage(text);
    checkBacklog(console);
}

void EventHub::checkBacklog(Console &console)
{
    const qint64 backlog = console.socket->bytesToWrite();
    if (backlog <= m_timing.backlogLimitBytes)
        return;
    qCWarning(lcConsoles).noquote() << "console" << console.op.name << "from" << console.remote
                                    << "has" << backlog << "bytes unsent; closing it (4008)";
    closeConsole(&console, BacklogCloseCode, u"backlog"_s);
}

void EventHub::sendSnapshot(Console &console)
{
    const Graph::RelayProtocol::Snapshot snapshot = m_state->snapshot();
    console.sentSeq = console.readSeq = snapshot.seq;
    console.queued.clear();
    send(console, Graph::RelayProtocol::encodeSnapshot(snapshot));
    // The state normally holds everything journaled; if not, the rest comes from the journal.
    console.catchingUp = snapshot.seq < m_journal->lastSeq();
    if (console.catchingUp)
        catchUp(console);
}

void EventHub::catchUp(Console &console)
{
    const qint64 lowWater = std::max<qint64>(m_timing.backlogLimitBytes / 2, 1);
    while (!console.closed && console.catchingUp && console.socket->bytesToWrite() < lowWater) {
        if (console.queued.isEmpty()) {
            if (console.readSeq >= m_journal->lastSeq()) {
                // Caught up: from now on live broadcasts reach it directly.
                console.catchingUp = false;
                return;
            }
            if (!m_journal->canResumeAfter(console.readSeq)) {
                // Compacted away while it was behind: start it over from the state.
                console.catchingUp = false;
                sendSnapshot(console);
                return;
            }
            console.queued = m_journal->readAfter(console.readSeq, ReplayBatch);
            if (console.queued.isEmpty()) {
                console.catchingUp = false;
                return;
            }
            console.readSeq = console.queued.constLast().seq;
        }
        const StreamEvent event = console.queued.takeFirst();
        if (event.seq <= console.sentSeq)
            continue;
        console.sentSeq = event.seq;
        send(console, toText(Graph::RelayProtocol::encodeEvent(event)));
    }
}

void EventHub::closeConsole(
    Console *console, QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (console->closed)
        return;
    console->closed = true;
    // Detach first: close() may report the disconnection at once.
    console->socket->disconnect(this);
    console->socket->close(code, reason);
    drop(console);
}

void EventHub::drop(Console *console)
{
    console->closed = true;
    if (!m_consoles.removeOne(console))
        return;
    QWebSocket *socket = console->socket;
    socket->disconnect(this);
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
    } else {
        // Let what is queued (the close frame last) drain, but never wait forever on a peer
        // that does not read.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(CloseGrace, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
    }

    qCInfo(lcConsoles).noquote() << "console disconnected:" << console->op.name << "from"
                                 << console->remote << "at seq" << console->sentSeq << "close code"
                                 << int(socket->closeCode());
    if (m_metrics)
        m_metrics->setConsoles(int(m_consoles.size()));

    // Callers up the stack may still hold it; it goes once they have returned.
    m_closing.append(console);
    if (m_closing.size() == 1) {
        QMetaObject::invokeMethod(
            this, [this] { qDeleteAll(std::exchange(m_closing, {})); }, Qt::QueuedConnection);
    }

    const QString name = console->op.name;
    const bool lastOfOperator = std::none_of(m_consoles.cbegin(), m_consoles.cend(),
        [&name](const Console *c) { return c->op.name == name; });
    if (lastOfOperator)
        Q_EMIT consoleDisconnected(name);
}

void EventHub::pingAll()
{
    const QList<Console *> consoles = m_consoles;
    for (Console *console : consoles) {
        if (console->closed)
            continue;
        console->socket->ping();
        checkBacklog(*console);
    }
}

} // namespace Relay

#include "limitedtcpserver.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponder::StatusCode;

namespace Relay {

QByteArray httpErrorJson(const QString &code, const QString &message)
{
    const QJsonObject error { { "code"_L1, code }, { "message"_L1, message } };
    return QJsonDocument(QJsonObject { { "error"_L1, error } }).toJson(QJsonDocument::Compact);
}

namespace {

// A request head (request line and headers) larger than this is refused outright.
constexpr qsizetype MaxHeadBytes = 64 * 1024;
// Chunk-size lines and trailers are short; anything longer is not HTTP.
constexpr qsizetype MaxLineBytes = 4096;
// What a refused connection may still send us (discarded) before we cut it.
constexpr std::chrono::seconds LingerTime { 2 };

// Follows the HTTP/1.1 framing of the bytes a connection sends, as they arrive and before
// QHttpServer reads them, so that a body over the limit is refused without being buffered.
// QHttpServer 6.4 keeps a whole request (and a copy of its body) in memory before any handler
// runs, and has no limit of its own.
class RequestFraming final
{
public:
    enum class Verdict { Continue, TooLarge, HeadTooLarge, Stop };

    explicit RequestFraming(qint64 maxBodyBytes)
        : m_maxBody(maxBodyBytes)
    { }

    //! Bytes QHttpServer left unread after its last pass (they were fed here already).
    qint64 unread = 0;
    QByteArray path; //!< of the request being received
    qint64 declaredLength = -1;

    bool stopped() const { return m_phase == Phase::Passthrough; }

    Verdict feed(QByteArrayView data)
    {
        while (!data.isEmpty()) {
            switch (m_phase) {
            case Phase::Passthrough:
                return Verdict::Stop;
            case Phase::Head: {
                if (m_head.isEmpty()) {
                    // Line breaks between requests are skipped, as QHttpServer does.
                    while (!data.isEmpty() && (data.front() == '\r' || data.front() == '\n'))
                        data = data.sliced(1);
                    if (data.isEmpty())
                        return Verdict::Continue;
                }
                const qsizetype before = m_head.size();
                m_head.append(data);
                qsizetype end = m_head.indexOf("\r\n\r\n");
                qsizetype endLength = 4;
                const qsizetype lf = m_head.indexOf("\n\n");
                if (lf >= 0 && (end < 0 || lf < end)) {
                    end = lf;
                    endLength = 2;
                }
                if (end < 0) {
                    if (m_head.size() > MaxHeadBytes)
                        return Verdict::HeadTooLarge;
                    return Verdict::Continue;
                }
                const qsizetype consumed = end + endLength - before;
                const Verdict verdict = parseHead(QByteArrayView(m_head).first(end));
                m_head.clear();
                if (verdict != Verdict::Continue)
                    return verdict;
                data = data.sliced(consumed);
                break;
            }
            case Phase::Body: {
                const qint64 n = std::min<qint64>(m_remaining, data.size());
                m_remaining -= n;
                data = data.sliced(n);
                if (m_remaining == 0)
                    m_phase = Phase::Head;
                break;
            }
            case Phase::Chunked: {
                // Raw bytes count, framing included: QHttpServer buffers them all.
                m_chunkedBytes += data.size();
                if (m_chunkedBytes > m_maxBody + MaxHeadBytes)
                    return Verdict::TooLarge;
                data = feedChunked(data);
                break;
            }
            }
        }
        return Verdict::Continue;
    }

private:
    enum class Phase { Head, Body, Chunked, Passthrough };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    // Runs for every request: it reads the head in place, without copying it into lines.
    Verdict parseHead(QByteArrayView head)
    {
        qsizetype lineEnd = head.indexOf('\n');
        const QByteArrayView requestLine = (lineEnd < 0 ? head : head.first(lineEnd)).trimmed();
        const qsizetype pathAt = requestLine.indexOf(' ');
        QByteArrayView target = pathAt < 0 ? QByteArrayView() : requestLine.sliced(pathAt + 1);
        if (const qsizetype space = target.indexOf(' '); space >= 0)
            target = target.first(space);
        if (const qsizetype query = target.indexOf('?'); query >= 0)
            target = target.first(query);
        path = target.toByteArray();
        declaredLength = -1;
        bool chunked = false;
        bool upgrade = false;
        while (lineEnd >= 0) {
            const qsizetype lineStart = lineEnd + 1;
            lineEnd = head.indexOf('\n', lineStart);
            const QByteArrayView line =
                lineEnd < 0 ? head.sliced(lineStart) : head.sliced(lineStart, lineEnd - lineStart);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArrayView name = line.first(colon).trimmed();
            const QByteArrayView value = line.sliced(colon + 1).trimmed();
            if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
                bool ok = false;
                const qint64 length = value.toLongLong(&ok);
                declaredLength = ok ? length : -1;
            } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
                chunked = value.toByteArray().toLower().contains("chunked");
            } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
                upgrade = value.toByteArray().toLower().contains("upgrade");
            }
        }
        if (upgrade) {
            // A WebSocket from here on (or a refusal and a close): no more HTTP bodies.
            m_phase = Phase::Passthrough;
            return Verdict::Stop;
        }
        if (chunked) {
            m_phase = Phase::Chunked;
            m_chunk = ChunkState::Size;
            m_chunkedBytes = 0;
            m_line.clear();
            return Verdict::Continue;
        }
        if (declaredLength > m_maxBody)
            return Verdict::TooLarge;
        if (declaredLength > 0) {
            m_phase = Phase::Body;
            m_remaining = declaredLength;
        }
        return Verdict::Continue;
    }

    // Returns what follows the end of the chunked body, if it ended.
    QByteArrayView feedChunked(QByteArrayView data)
    {
        while (!data.isEmpty()) {
            if (m_chunk == ChunkState::Data) {
                const qint64 n = std::min<qint64>(m_remaining, data.size());
                m_remaining -= n;
                data = data.sliced(n);
                if (m_remaining == 0)
                    m_chunk = ChunkState::DataEnd;
                continue;
            }
            const qsizetype lf = data.indexOf('\n');
            m_line.append(lf < 0 ? data : data.first(lf));
            if (m_line.size() > MaxLineBytes) {
                // Not HTTP: leave it to QHttpServer's parser, the byte count still applies.
                m_line.clear();
                return {};
            }
            if (lf < 0)
                return {};
            data = data.sliced(lf + 1);
            const QByteArray line = std::exchange(m_line, {}).trimmed();
            switch (m_chunk) {
            case ChunkState::Size: {
                bool ok = false;
                const qsizetype semicolon = line.indexOf(';');
                m_remaining =
                    (semicolon < 0 ? line : line.first(semicolon)).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0)
                    m_remaining = 0;
                m_chunk = m_remaining > 0 ? ChunkState::Data : ChunkState::Trailer;
                break;
            }
            case ChunkState::DataEnd:
                m_chunk = ChunkState::Size;
                break;
            case ChunkState::Trailer:
                if (line.isEmpty()) {
                    m_phase = Phase::Head;
                    m_chunkedBytes = 0;
                    // The caller counted `data` as chunked bytes; it belongs to the next request.
                    return data;
                }
                break;
            case ChunkState::Data:
                break;
            }
        }
        return {};
    }

    qint64 m_maxBody;
    Phase m_phase = Phase::Head;
    QByteArray m_head;
    qint64 m_remaining = 0;
    ChunkState m_chunk = ChunkState::Size;
    QByteArray m_line;
    qint64 m_chunkedBytes = 0;
};

// The relay's listening socket. Every connection it accepts is watched by a RequestFraming
// before QHttpServer reads from it: readyRead reaches our slot first (it was connected first),
// and a second slot, connected after QHttpServer's, notes what QHttpServer left unread.
class LimitedTcpServer final : public QTcpServer
{
    Q_DISABLE_COPY_MOVE(LimitedTcpServer)
public:
    using Refused = std::function<void(const QByteArray &path, int status, qint64 declared)>;

    LimitedTcpServer(qint64 maxBodyBytes, Refused refused)
        : m_maxBody(maxBodyBytes)
        , m_refused(std::move(refused))
    { }

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            return;
        }
        // Event frames to consoles are small: without this, Nagle's algorithm holds each one
        // back until the console's delayed ACK, up to 40 ms (docs/performance.md).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto framing = std::make_shared<RequestFraming>(m_maxBody);
        connect(socket, &QTcpSocket::readyRead, socket,
            [this, socket, framing] { inspect(socket, *framing); });
        addPendingConnection(socket); // QHttpServer connects its reader in here
        connect(socket, &QTcpSocket::readyRead, socket,
            [socket, framing] { framing->unread = socket->bytesAvailable(); });
    }

private:
    void inspect(QTcpSocket *socket, RequestFraming &framing)
    {
        if (framing.stopped())
            return;
        const qint64 available = socket->bytesAvailable();
        if (available <= framing.unread) {
            framing.unread = available;
            return;
        }
        const QByteArray fresh = socket->peek(available).sliced(framing.unread);
        framing.unread = available;
        switch (framing.feed(fresh)) {
        case RequestFraming::Verdict::Continue:
            return;
        case RequestFraming::Verdict::Stop:
            // An upgrade: QHttpServer hands the socket to its WebSocket server (or refuses it
            // and closes); there are no more HTTP bodies to watch.
            return;
        case RequestFraming::Verdict::TooLarge:
            refuse(socket, StatusCode::PayloadTooLarge, "Payload Too Large",
                httpErrorJson(u"payloadTooLarge"_s, u"the body is over %1 bytes"_s.arg(m_maxBody)));
            m_refused(framing.path, 413, framing.declaredLength);
            return;
        case RequestFraming::Verdict::HeadTooLarge:
            refuse(socket, StatusCode::RequestHeaderFieldsTooLarge,
                "Request Header Fields Too Large",
                httpErrorJson(u"headersTooLarge"_s, u"the request head is too large"_s));
            m_refused(framing.path, 431, -1);
            return;
        }
    }

    // Answers and closes without reading the rest: QHttpServer never sees this request.
    static void refuse(
        QTcpSocket *socket, StatusCode status, QByteArrayView reason, const QByteArray &body)
    {
        // Disconnecting during the emission keeps QHttpServer's slot from running at all.
        disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        if (socket->isTransactionStarted())
            socket->commitTransaction();
        socket->skip(socket->bytesAvailable());
        // Discard whatever else arrives: closing a socket with unread input would reset the
        // connection, and the client could lose our answer.
        connect(socket, &QTcpSocket::readyRead, socket,
            [socket] { socket->skip(socket->bytesAvailable()); });
        QByteArray response("HTTP/1.1 ");
        response.append(QByteArray::number(int(status))).append(' ').append(reason);
        response.append("\r\nContent-Type: application/json\r\nContent-Length: ");
        response.append(QByteArray::number(body.size()));
        response.append("\r\nConnection: close\r\n\r\n").append(body);
        socket->write(response);
        socket->flush();
        auto halfClose = [socket] {
#ifdef Q_OS_UNIX
            // Our side is done; the peer sees the end of the response at once.
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
#else
            socket->disconnectFromHost();
#endif
        };
        if (socket->bytesToWrite() == 0)
            halfClose();
        else
            connect(socket, &QTcpSocket::bytesWritten, socket, [socket, halfClose] {
                if (socket->bytesToWrite() == 0)
                    halfClose();
            });
        QTimer::singleShot(LingerTime, socket, [socket] { socket->abort(); });
    }

    qint64 m_maxBody;
    Refused m_refused;
};

} // namespace

QTcpServer *makeLimitedTcpServer(qint64 maxBodyBytes, RefusedRequest refused)
{
    return new LimitedTcpServer(maxBodyBytes, std::move(refused));
}

} // namespace Relay

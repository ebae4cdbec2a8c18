#include "poster.h"

#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace Bench {

std::int64_t steadyNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

namespace {

constexpr std::int64_t LateNs = 1'000'000;

// One commsNotification: an incoming call whose id carries its number and its send time. The
// separators are dots because call ids are compared without their dashes.
void appendNotification(QByteArray &body, qint64 index, std::int64_t sentNs)
{
    const QByteArray id = "bench." + QByteArray::number(index) + '.' + QByteArray::number(sentNs);
    body += R"({"@odata.type":"#microsoft.graph.commsNotification","changeType":"created",)"
            R"("resourceUrl":"/communications/calls/)"
        + id + R"(","resourceData":{"@odata.type":"#microsoft.graph.call","id":")" + id
        + R"(","state":"incoming","direction":"incoming"}})";
}

// The status code and the length of a complete response at the start of `input`, or nullopt.
struct Response
{
    int status = 0;
    qsizetype length = 0;
};

std::optional<Response> parseResponse(const QByteArray &input)
{
    const qsizetype headEnd = input.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    const QByteArrayView head = QByteArrayView(input).first(headEnd);
    Response response;
    // "HTTP/1.1 202 Accepted"
    response.status = head.size() >= 12 ? head.sliced(9, 3).toInt() : 0;
    qint64 contentLength = 0;
    qsizetype lineStart = head.indexOf('\n');
    while (lineStart >= 0) {
        const qsizetype lineEnd = head.indexOf('\n', lineStart + 1);
        const QByteArrayView line =
            head.sliced(lineStart + 1, (lineEnd < 0 ? head.size() : lineEnd) - lineStart - 1);
        constexpr QByteArrayView name = "content-length:";
        if (line.size() > name.size()
            && line.first(name.size()).compare(name, Qt::CaseInsensitive) == 0)
            contentLength = line.sliced(name.size()).trimmed().toLongLong();
        lineStart = lineEnd;
    }
    response.length = headEnd + 4 + qsizetype(contentLength);
    if (input.size() < response.length)
        return std::nullopt;
    return response;
}

} // namespace

Poster::Poster(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_head = "POST /callbacks HTTP/1.1\r\nHost: " + m_config.host.toString().toLatin1() + ':'
        + QByteArray::number(m_config.port)
        + "\r\nContent-Type: application/json\r\nAuthorization: " + m_config.authorization
        + "\r\nContent-Length: ";
}

Poster::~Poster() = default;

void Poster::start()
{
    m_pacer = new QTimer(this);
    m_pacer->setTimerType(Qt::PreciseTimer);
    m_pacer->setInterval(1);
    connect(m_pacer, &QTimer::timeout, this, &Poster::pump);

    m_connections.resize(size_t(std::max(1, m_config.connections)));
    m_stats.answerUs.reserve(200000);
    for (size_t i = 0; i < m_connections.size(); ++i) {
        auto *socket = new QTcpSocket(this);
        m_connections[i].socket = socket;
        connect(socket, &QTcpSocket::connected, this, [this, socket] {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (++m_connected < int(m_connections.size()))
                return;
            m_started = true;
            m_startNs = steadyNanos();
            if (m_config.rate > 0)
                m_pacer->start();
            pump();
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, i] { read(m_connections[i]); });
        connect(socket, &QTcpSocket::disconnected, this, [this, i] {
            Connection &connection = m_connections[i];
            if (m_finished || connection.lost)
                return;
            connection.lost = true;
            if (connection.busy) {
                connection.busy = false;
                ++m_stats.dropped;
            }
            qWarning("poster: connection %d lost", int(i));
            finishIfIdle();
        });
        socket->connectToHost(m_config.host, m_config.port);
    }
}

bool Poster::sending() const
{
    return m_started
        && steadyNanos() - m_startNs
        < std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.duration).count();
}

void Poster::pump()
{
    if (!sending()) {
        m_pacer->stop();
        finishIfIdle();
        return;
    }
    const auto isFree = [](const Connection &c) { return !c.busy && !c.lost; };
    if (m_config.rate <= 0) {
        for (Connection &connection : m_connections) {
            if (isFree(connection))
                send(connection);
        }
        return;
    }
    // Paced: callback i is due at i * batch / rate seconds after the start.
    const double perSecond = m_config.rate / m_config.batch;
    const std::int64_t now = steadyNanos();
    const auto due = qint64(std::floor(double(now - m_startNs) / 1e9 * perSecond)) + 1;
    for (Connection &connection : m_connections) {
        if (m_stats.requests >= due)
            break;
        if (!isFree(connection))
            continue;
        const auto scheduled = m_startNs + std::int64_t(double(m_stats.requests) / perSecond * 1e9);
        if (now - scheduled > LateNs)
            ++m_stats.lateSends;
        send(connection);
    }
}

void Poster::send(Connection &connection)
{
    const std::int64_t now = steadyNanos();
    QByteArray body;
    body.reserve(300 * m_config.batch + 16);
    body += R"({"value":[)";
    for (int i = 0; i < m_config.batch; ++i) {
        if (i > 0)
            body += ',';
        appendNotification(body, ++m_notificationIndex, now);
    }
    body += "]}";
    QByteArray request;
    request.reserve(m_head.size() + body.size() + 16);
    request += m_head + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    if (m_stats.requests == 0)
        m_stats.firstSendNs = now;
    ++m_stats.requests;
    connection.busy = true;
    connection.sentNs = now;
    connection.socket->write(request);
}

void Poster::read(Connection &connection)
{
    connection.input += connection.socket->readAll();
    while (const std::optional<Response> response = parseResponse(connection.input)) {
        connection.input.remove(0, response->length);
        answered(connection, response->status);
    }
}

void Poster::answered(Connection &connection, int status)
{
    connection.busy = false;
    m_stats.lastAnswerNs = steadyNanos();
    m_stats.answerUs.push_back(std::int32_t((m_stats.lastAnswerNs - connection.sentNs) / 1000));
    if (status == 202) {
        ++m_stats.accepted;
        m_stats.acceptedNotifications += m_config.batch;
    } else {
        if (m_stats.refused++ == 0)
            qWarning("poster: the relay answered %d", status);
    }
    if (sending())
        pump();
    else
        finishIfIdle();
}

void Poster::finishIfIdle()
{
    if (m_finished || sending())
        return;
    const bool idle = std::none_of(m_connections.cbegin(), m_connections.cend(),
        [](const Connection &c) { return c.busy && !c.lost; });
    if (!idle)
        return;
    m_finished = true;
    m_pacer->stop();
    for (Connection &connection : m_connections)
        connection.socket->abort();
    done = true;
    Q_EMIT finished();
}

} // namespace Bench

#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

class QTcpSocket;
class QTimer;

namespace Bench {

//! Nanoseconds on the process's steady clock: the poster stamps each notification with it and
//! the consoles (another thread) subtract it from their own reading.
std::int64_t steadyNanos();

//! Plays Graph: posts signed commsNotifications batches to POST /callbacks over plain HTTP/1.1
//! keep-alive connections (one request outstanding per connection, no pipelining), either as
//! fast as the relay answers or paced to a rate. Each notification is an incoming call whose id
//! is "bench-<n>-<send time in ns>", so that a console can tell how long it took.
//! Lives in its own thread; start() runs there.
class Poster final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Poster)

public:
    struct Config
    {
        QHostAddress host;
        quint16 port = 0;
        QByteArray authorization; //!< "Bearer <JWT>", reused for every request
        int connections = 8;
        double rate = 0; //!< notifications per second; 0: as fast as possible
        std::chrono::milliseconds duration { 10000 };
        int batch = 1; //!< notifications per callback
    };

    //! Read them only after finished() (or once `done` is true).
    struct Stats
    {
        qint64 requests = 0; //!< callbacks sent
        qint64 accepted = 0; //!< answered 202
        qint64 refused = 0; //!< answered anything else
        qint64 dropped = 0; //!< connections lost
        qint64 acceptedNotifications = 0;
        qint64 lateSends = 0; //!< paced mode: callbacks sent over 1 ms behind their schedule
        std::int64_t firstSendNs = 0;
        std::int64_t lastAnswerNs = 0;
        double seconds() const { return double(lastAnswerNs - firstSendNs) / 1e9; }
        std::vector<std::int32_t> answerUs; //!< each callback's time to its answer, in µs
    };

    explicit Poster(Config config, QObject *parent = nullptr);
    ~Poster() override;

    //! Connects, then posts for Config::duration, then waits for the last answers.
    void start();
    const Stats &stats() const { return m_stats; }
    std::atomic<bool> done { false };

Q_SIGNALS:
    void finished();

private:
    struct Connection
    {
        QTcpSocket *socket = nullptr;
        QByteArray input;
        bool busy = false;
        bool lost = false;
        std::int64_t sentNs = 0;
    };

    void pump();
    void send(Connection &connection);
    void read(Connection &connection);
    void answered(Connection &connection, int status);
    void finishIfIdle();
    bool sending() const;

    Config m_config;
    Stats m_stats;
    QByteArray m_head; //!< the request line and fixed headers, up to Content-Length
    std::vector<Connection> m_connections;
    QTimer *m_pacer = nullptr;
    std::int64_t m_startNs = 0;
    qint64 m_notificationIndex = 0;
    int m_connected = 0;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace Bench

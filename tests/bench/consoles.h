#pragma once

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QWebSocket;

namespace Bench {

//! N operator consoles on GET /events, in one thread: each waits for its hello and snapshot,
//! then, for every event that carries a bench notification, notes how long ago the poster sent
//! it (the send time is in the call id) and whether the seq rose by exactly one.
//! Lives in its own thread; open() and close() run there.
class Consoles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Consoles)

public:
    Consoles(QUrl eventsUrl, QByteArray token, int count, QObject *parent = nullptr);
    ~Consoles() override;

    void open();
    void close();

    // Read from any thread while it runs.
    std::atomic<int> ready { 0 }; //!< consoles that have their hello and snapshot
    std::atomic<int> lost { 0 }; //!< consoles the relay closed (4008: backlog) or that failed
    std::atomic<qint64> received { 0 }; //!< bench events, over every console

    // Read only once the thread has finished.
    std::vector<std::int32_t> latenciesUs() const; //!< every console's, unsorted
    qint64 gaps() const; //!< events whose seq was not the previous one + 1
    QList<int> closeCodes() const; //!< of the consoles the relay closed

private:
    struct Console;
    void onMessage(Console &console, const QString &text);

    QUrl m_url;
    QByteArray m_token;
    int m_count;
    std::vector<std::unique_ptr<Console>> m_consoles;
    bool m_closing = false;
};

} // namespace Bench

#pragma once

#include "graph/clock.h"
#include "journal.h"
#include "operators.h"
#include "relaystate.h"

#include <QList>
#include <QObject>
#include <QWebSocket>

#include <chrono>
#include <memory>

class QTimer;

namespace Relay {

class Metrics;

//! The frame that carries a journaled event to the consoles, as
//! `QJsonDocument(encodeEvent(event)).toJson(Compact)` spells it; a notification's frame is put
//! together around `text` (its journal text) rather than written again.
QString eventFrame(const StreamEvent &event, const EventText &text);

//! The consoles' event stream (relay-contract.md "Event stream for consoles"): hello, then the
//! replay after afterSeq or a snapshot, then live events with seq rising by exactly one. Pings
//! every 15 s. A console whose unsent backlog passes 8 MiB is closed with 4008; a slow console
//! never holds up the relay or the others.
class EventHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventHub)

public:
    struct Timing
    {
        std::chrono::milliseconds ping { 15000 };
        qint64 backlogLimitBytes = 8 * 1024 * 1024;
    };

    EventHub(Journal *journal, RelayState *state, Metrics *metrics, Timing timing,
        QString callbackUri, QObject *parent = nullptr);
    ~EventHub() override;

    //! Takes a console whose upgrade request was authenticated. `stream` and `afterSeq` come from
    //! the upgrade URL's query (empty / -1 when absent).
    void addConsole(std::unique_ptr<QWebSocket> socket, const OperatorIdentity &op,
        const QString &stream, qint64 afterSeq);
    //! Sends journaled events (already applied to the state) to every console.
    void broadcast(const QList<StreamEvent> &events);
    //! The same, with each event's journal text (texts[i] for events[i]).
    void broadcast(const QList<StreamEvent> &events, const QList<EventText> &texts);
    //! Closes every console with `code` (1001 at shutdown).
    void closeAll(QWebSocketProtocol::CloseCode code, const QString &reason);
    int consoleCount() const;

Q_SIGNALS:
    //! Every console that was added, after its hello.
    void consoleConnected(const QString &operatorName);
    //! The last console of that operator went away (its claims lapse).
    void consoleDisconnected(const QString &operatorName);

private:
    struct Console;
    void send(Console &console, const QJsonObject &message);
    void send(Console &console, const QString &text);
    //! Closes the console with 4008 when its unsent bytes pass Timing::backlogLimitBytes.
    void checkBacklog(Console &console);
    void sendSnapshot(Console &console);
    //! Sends from the journal while the console's backlog is below half the limit.
    void catchUp(Console &console);
    void closeConsole(Console *console, QWebSocketProtocol::CloseCode code, const QString &reason);
    void drop(Console *console);
    void pingAll();

    Journal *m_journal;
    RelayState *m_state;
    Metrics *m_metrics;
    Timing m_timing;
    QString m_callbackUri;
    QList<Console *> m_consoles;
    QList<Console *> m_closing; // dropped, deleted once the call stack has unwound
    QTimer *m_pingTimer;
};

} // namespace Relay

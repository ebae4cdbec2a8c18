#pragma once

// The console benchmark's relay stand-in (docs/performance.md, "The console"): it writes the
// snapshot and the event stream a relay would send a console, as the relay's own messages.
// Notifications are the JSON Graph sends (the shapes of tests/models/streamfixtures.h); the
// snapshot comes from a relay-side Graph::StreamState fed those notifications, as the relay's
// snapshot frame (encodeSnapshot, JSON text).

#include "graph/relayprotocol.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <random>

namespace Bench {

//! Builds the snapshot, then the stream that follows it. Not thread-safe; after the snapshot it
//! can move to a producer thread, as it keeps no Qt object.
class ConsoleLoad final
{
public:
    struct Mix
    {
        int newCalls = 0;
        int stateChanges = 0;
        int rosters = 0;
        int tones = 0;
        int relay = 0;
    };

    explicit ConsoleLoad(quint32 seed = 20261126);

    //! `calls` calls first seen in the 30 minutes before `now`, with `participants`
    //! participants in all: about 15% still ringing, 2% ended (within the last 10 minutes), the
    //! rest established; 1.5% of calls have 50–250 participants. Returns the snapshot frame as
    //! the relay's WebSocket carries it: JSON text, in UTF-8.
    QByteArray buildSnapshot(const QDateTime &now, int calls, int participants);

    //! The live call the detail pane shows: the first big one (120 participants).
    QString selectedCall() const { return m_selected; }

    //! The next stream message, as the text the relay's WebSocket frame carries, stamped `at`:
    //! a new incoming call, a state change, a roster update, a tone or a relay event.
    QString next(const QDateTime &at);
    qint64 seq() const { return m_seq; }
    const Mix &mix() const { return m_mix; }

private:
    enum class Stage { Incoming, Establishing, Established, Ended };
    struct Person
    {
        QString id;
        int n = 0; // picks the kind and name
        bool muted = false;
        qint64 seq = -1; // the roster in which they last changed; -1: the next one
    };
    struct Sim
    {
        QString id;
        Stage stage = Stage::Incoming;
        QList<Person> roster; // without the bot
        qint64 rosterSeq = 0;
        qint64 botSeq = -1; // the roster in which the bot joined
        qint64 toneSeq = 0;
        bool big = false;
    };

    int newCall(Stage stage, int people);
    QJsonObject rosterNotification(Sim &sim);
    QString eventText(const QDateTime &at, const QJsonObject &notification);
    QString relayText(
        const QDateTime &at, const QString &kind, const QString &callId, const QString &by);
    int pick(const QList<int> &pool);
    int randomInt(int low, int high); // inclusive
    void setStage(int index, Stage stage);

    QString nextNewCall(const QDateTime &at);
    QString nextStateChange(const QDateTime &at);
    QString nextRoster(const QDateTime &at);
    QString nextTone(const QDateTime &at);
    QString nextRelay(const QDateTime &at);

    std::mt19937 m_random;
    QList<Sim> m_calls; // every call made, by index
    QList<int> m_incoming; // indexes by stage (ended calls are forgotten)
    QList<int> m_establishing;
    QList<int> m_established;
    QList<int> m_big; // established calls with 50+ participants
    int m_selectedIndex = -1;
    QString m_selected;
    int m_nextPerson = 0;
    qint64 m_seq = 0;
    Mix m_mix;
};

} // namespace Bench

#pragma once

#include "graph/relayprotocol.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class QSqlError;

namespace Relay {

//! SQLite's message for `error`, trimmed; never empty. For logs and refusals of the journal's
//! SQLite file and the tables that share it (blocklist, audit, reminders).
QString sqlErrorText(const QSqlError &error);

using Graph::RelayProtocol::StreamEvent;

//! An event's JSON text, written once for its journal row and again used, as it is, in its frame
//! to the consoles.
struct EventText
{
    QByteArray body; //!< the notification (or the relay event's fields), compact JSON
    QString at; //!< the event's time as writeTimestamp() spells it
};

//! `event`'s text; `at` stands in for the event's time when it has none.
EventText eventText(const StreamEvent &event, const QDateTime &at);

//! The relay's journal: every event in seq order, in SQLite (WAL), plus checkpoints of the state
//! so that old events can be compacted away. An append returns only after the events are
//! committed, so a 202 to Graph means the notification survives kill -9.
class Journal final
{
public:
    //! `path` is the SQLite file; `connectionName` must be unique in the process.
    Journal(QString path, QString connectionName);
    ~Journal();
    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    //! Opens or creates the database. A new (or lost) journal gets a new stream id.
    bool open(QString *error);
    void close();

    QString streamId() const { return m_streamId; }
    qint64 lastSeq() const { return m_lastSeq; }
    //! The oldest seq still held (lastSeq()+1 when there are none).
    qint64 firstSeq() const { return m_firstSeq; }

    //! Gives each event the next seq and commits them in one transaction. On failure nothing is
    //! written, seqs are not consumed, and `error` says why. An event without `at` gets the
    //! current time.
    bool append(QList<StreamEvent> &events, QString *error);
    //! The same, with each event's text written already (texts[i] = eventText(events[i], ...));
    //! every event must have its `at`.
    bool append(QList<StreamEvent> &events, const QList<EventText> &texts, QString *error);
    //! Events with seq > afterSeq, oldest first, at most `limit`.
    QList<StreamEvent> readAfter(qint64 afterSeq, int limit = 10000) const;
    //! Whether every event after `afterSeq` is still here (a console can resume from it).
    bool canResumeAfter(qint64 afterSeq) const
    {
        return afterSeq >= m_firstSeq - 1 && afterSeq <= m_lastSeq;
    }

    //! Stores the state as of `seq` (a JSON document), used to rebuild the state without the
    //! events up to seq.
    bool writeCheckpoint(qint64 seq, const QByteArray &state, QString *error);
    struct Checkpoint
    {
        qint64 seq = 0;
        QByteArray state;
    };
    std::optional<Checkpoint> latestCheckpoint() const;
    //! Deletes events older than `before` whose seq is covered by a checkpoint. Returns how many.
    //! Only a prefix goes (no holes, even if event times went backwards); the space is given
    //! back to the file system. -1 on failure, with `error` saying why.
    int compact(const QDateTime &before, QString *error);

    // Small persistent tables for the relay's own data (blocklist, audit, ...) go through here.
    QString connectionName() const { return m_connection; }

    //! How many checkpoints writeCheckpoint() keeps (the newest).
    static constexpr int KeptCheckpoints = 3;
    //! The schema this code writes; open() refuses a journal written by a newer one.
    static constexpr int SchemaVersion = 1;

    bool isOpen() const { return m_sql != nullptr; }
    QString path() const { return m_path; }

    //! A small persistent value by key (a blocklist as JSON, ...), outside the event stream.
    //! nullopt when the key was never written or the journal is not open.
    std::optional<QByteArray> value(const QString &key) const;
    bool setValue(const QString &key, const QByteArray &value, QString *error);

private:
    struct Sql;
    bool createOrMigrate(QString *error);
    bool loadBounds(QString *error);
    bool prepareStatements(QString *error);
    void reclaimSpace();

    std::unique_ptr<Sql> m_sql; // null while closed
    QString m_path;
    QString m_connection;
    QString m_streamId;
    qint64 m_lastSeq = 0;
    qint64 m_firstSeq = 1;
};

} // namespace Relay

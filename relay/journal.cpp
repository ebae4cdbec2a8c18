#include "journal.h"

#include "graph/ids.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcJournal, "frontdesk.relay.journal")

// events.type: the StreamEvent::Type, spelled out so that the file does not depend on the
// enum's order.
constexpr int NotificationType = 0;
constexpr int RelayType = 1;

QString sqlError(const QSqlError &error)
{
    const QString database = error.databaseText();
    return database.isEmpty() ? error.text() : database;
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// Runs one statement that needs no parameters; its rows are stepped through and dropped, so that
// pragmas that work one row at a time (incremental_vacuum) run to the end.
bool run(QSqlDatabase &db, const QString &statement, QString *why)
{
    QSqlQuery q(db);
    if (!q.exec(statement)) {
        if (why)
            *why = sqlError(q.lastError());
        return false;
    }
    while (q.next()) { }
    return true;
}

QVariant queryValue(QSqlDatabase &db, const QString &statement, QString *why)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(statement)) {
        if (why)
            *why = sqlError(q.lastError());
        return {};
    }
    return q.next() ? q.value(0) : QVariant();
}

} // namespace

struct Journal::Sql
{
    explicit Sql(const QSqlDatabase &database)
        : db(database)
        , begin(db)
        , commit(db)
        , rollback(db)
        , insertEvent(db)
        , readAfter(db)
    { }

    bool prepare(QSqlQuery &q, const QString &statement, QString *why)
    {
        q.setForwardOnly(true);
        if (q.prepare(statement))
            return true;
        *why = sqlError(q.lastError());
        return false;
    }

    //! Runs `body` in one write transaction: committed when it returns true, rolled back when
    //! it or the commit fails.
    template <typename Fn> bool transaction(QString *why, Fn &&body)
    {
        if (!begin.exec()) {
            *why = u"cannot start a transaction: "_s + sqlError(begin.lastError());
            return false;
        }
        if (body() && commit.exec())
            return true;
        if (why->isEmpty())
            *why = u"cannot commit: "_s + sqlError(commit.lastError());
        // A failed statement leaves the transaction open; a failed COMMIT may too.
        if (!rollback.exec())
            qCWarning(lcJournal) << "rollback failed:" << sqlError(rollback.lastError());
        return false;
    }

    QSqlDatabase db;
    // Declared after db, so they are destroyed before it.
    QSqlQuery begin;
    QSqlQuery commit;
    QSqlQuery rollback;
    QSqlQuery insertEvent;
    QSqlQuery readAfter;
    bool incrementalVacuum = false;
};

Journal::Journal(QString path, QString connectionName)
    : m_path(std::move(path))
    , m_connection(std::move(connectionName))
{ }

Journal::~Journal()
{
    close();
}

bool Journal::open(QString *error)
{
    close();
    const auto fail = [&](const QString &why) {
        close();
        return setError(error, u"journal %1: %2"_s.arg(QDir::toNativeSeparators(m_path), why));
    };
    if (QSqlDatabase::contains(m_connection))
        return setError(error,
            u"journal %1: the connection name %2 is already in use"_s.arg(
                QDir::toNativeSeparators(m_path), m_connection));
    const QFileInfo file(m_path);
    if (file.exists() && !file.isFile())
        return fail(u"not a file"_s);
    if (!QDir().mkpath(file.absolutePath()))
        return fail(u"cannot create the folder %1"_s.arg(file.absolutePath()));

    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(m_path);
        if (!db.isValid())
            why = u"the Qt SQLite driver (QSQLITE) is not available"_s;
        else if (!db.open())
            why = u"cannot open it: "_s + sqlError(db.lastError());
        else
            m_sql = std::make_unique<Sql>(db);
    }
    if (!m_sql) {
        QSqlDatabase::removeDatabase(m_connection);
        return setError(error, u"journal %1: %2"_s.arg(QDir::toNativeSeparators(m_path), why));
    }

    // auto_vacuum takes effect only before the first table exists, so it goes first. The first
    // pragma that reads the file is journal_mode: a file that is not a database fails there.
    if (!run(m_sql->db, u"PRAGMA auto_vacuum=INCREMENTAL"_s, &why))
        return fail(u"cannot read it (%1); it is damaged or not a journal"_s.arg(why));
    const QVariant mode = queryValue(m_sql->db, u"PRAGMA journal_mode=WAL"_s, &why);
    if (!mode.isValid())
        return fail(u"cannot read it (%1); it is damaged or not a journal"_s.arg(why));
    if (mode.toString().compare("wal"_L1, Qt::CaseInsensitive) != 0)
        return fail(u"cannot switch it to WAL (journal_mode is %1)"_s.arg(mode.toString()));
    // NORMAL with WAL: a commit is in the WAL file before it returns, so it survives the
    // process being killed; only a power loss may lose the last commits. A busy database (a
    // second process on the same file) fails an append within 2 s, before Graph's callback
    // would time out, rather than holding the event loop.
    for (const QString &pragma : { u"PRAGMA synchronous=NORMAL"_s, u"PRAGMA foreign_keys=ON"_s,
             u"PRAGMA busy_timeout=2000"_s }) {
        if (!run(m_sql->db, pragma, &why))
            return fail(u"%1 failed: %2"_s.arg(pragma, why));
    }
    m_sql->incrementalVacuum = queryValue(m_sql->db, u"PRAGMA auto_vacuum"_s, &why).toInt() == 2;

    if (!prepareStatements(&why) || !createOrMigrate(&why) || !loadBounds(&why))
        return fail(why);
    return true;
}

void Journal::close()
{
    if (!m_sql)
        return;
    {
        QSqlDatabase db = m_sql->db;
        m_sql.reset(); // the queries go first, then the handle
        db.close(); // the last connection to close checkpoints the WAL into the file
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool Journal::prepareStatements(QString *why)
{
    Sql &sql = *m_sql;
    // IMMEDIATE takes the write lock at once, so a busy database fails at BEGIN rather than
    // halfway through a batch.
    return sql.prepare(sql.begin, u"BEGIN IMMEDIATE"_s, why)
        && sql.prepare(sql.commit, u"COMMIT"_s, why)
        && sql.prepare(sql.rollback, u"ROLLBACK"_s, why);
}

bool Journal::createOrMigrate(QString *why)
{
    Sql &sql = *m_sql;
    QString stepError;
    const bool ok = sql.transaction(&stepError, [&] {
        const auto exec = [&](const QString &statement) {
            return run(sql.db, statement, &stepError);
        };
        if (!exec(u"CREATE TABLE IF NOT EXISTS meta("
                  "key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s))
            return false;
        const QVariant version = queryValue(
            sql.db, u"SELECT value FROM meta WHERE key = 'schema_version'"_s, &stepError);
        if (!stepError.isEmpty())
            return false;
        if (version.isValid() && version.toInt() > SchemaVersion) {
            stepError = u"written by a newer frontdesk-relay (schema %1; this one knows %2)"_s.arg(
                version.toString(), QString::number(SchemaVersion));
            return false;
        }
        // Version 1. A later schema adds its steps below, each guarded by the version read.
        if (!exec(u"CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, "
                  "at TEXT NOT NULL, type INTEGER NOT NULL, call_id TEXT, body BLOB NOT NULL)"_s)
            || !exec(u"CREATE INDEX IF NOT EXISTS events_at ON events(at)"_s)
            || !exec(u"CREATE TABLE IF NOT EXISTS checkpoints("
                     "seq INTEGER PRIMARY KEY, at TEXT, state BLOB)"_s)
            || !exec(u"CREATE TABLE IF NOT EXISTS kv(key TEXT PRIMARY KEY, value BLOB NOT NULL)"_s)
            || !exec(
                u"INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%1')"_s.arg(
                    SchemaVersion)))
            return false;

        // No stream id means a new journal, or one whose history is gone: consoles must not
        // resume across it, so it gets a new id.
        const QVariant stream =
            queryValue(sql.db, u"SELECT value FROM meta WHERE key = 'stream_id'"_s, &stepError);
        if (!stepError.isEmpty())
            return false;
        m_streamId = stream.toString();
        if (m_streamId.isEmpty()) {
            m_streamId = Graph::newGuid();
            QSqlQuery insert(sql.db);
            insert.prepare(u"INSERT INTO meta(key, value) VALUES('stream_id', ?)"_s);
            insert.addBindValue(m_streamId);
            if (!insert.exec()) {
                stepError = sqlError(insert.lastError());
                return false;
            }
        }
        return true;
    });
    if (!ok)
        *why = u"cannot read it (%1); it is damaged or not a journal"_s.arg(stepError);
    return ok
        && sql.prepare(sql.insertEvent,
            u"INSERT INTO events(seq, at, type, call_id, body) VALUES(?, ?, ?, ?, ?)"_s, why)
        && sql.prepare(sql.readAfter,
            u"SELECT seq, at, type, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?"_s, why);
}

bool Journal::loadBounds(QString *why)
{
    QSqlQuery q(m_sql->db);
    q.setForwardOnly(true);
    // Compaction removes events only up to the newest checkpoint, which stays: the newest seq is
    // the larger of the two even when no event is left.
    if (!q.exec(u"SELECT (SELECT MAX(seq) FROM events), (SELECT MIN(seq) FROM events), "
                "(SELECT MAX(seq) FROM checkpoints)"_s)
        || !q.next()) {
        *why =
            u"cannot read it (%1); it is damaged or not a journal"_s.arg(sqlError(q.lastError()));
        return false;
    }
    const qint64 maxEvent = q.value(0).isNull() ? 0 : q.value(0).toLongLong();
    const qint64 maxCheckpoint = q.value(2).isNull() ? 0 : q.value(2).toLongLong();
    m_lastSeq = std::max(maxEvent, maxCheckpoint);
    m_firstSeq = q.value(1).isNull() ? m_lastSeq + 1 : q.value(1).toLongLong();
    return true;
}

bool Journal::append(QList<StreamEvent> &events, QString *error)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<EventText> texts;
    texts.reserve(events.size());
    for (const StreamEvent &event : std::as_const(events))
        texts.append(eventText(event, now));
    QList<StreamEvent> timed = events;
    for (StreamEvent &event : timed) {
        if (!event.at.isValid())
            event.at = now;
    }
    if (!append(timed, texts, error))
        return false;
    events = std::move(timed);
    return true;
}

bool Journal::append(QList<StreamEvent> &events, const QList<EventText> &texts, QString *error)
{
    if (!m_sql)
        return setError(error, u"the journal is not open"_s);
    Q_ASSERT(texts.size() == events.size());
    if (events.isEmpty())
        return true;
    Sql &sql = *m_sql;
    QString why;
    qint64 seq = m_lastSeq;
    const bool ok = sql.transaction(&why, [&] {
        for (qsizetype i = 0; i < events.size(); ++i) {
            const StreamEvent &event = events[i];
            const QString callId = event.callId();
            sql.insertEvent.bindValue(0, ++seq);
            sql.insertEvent.bindValue(1, texts[i].at);
            sql.insertEvent.bindValue(
                2, event.type == StreamEvent::Type::Relay ? RelayType : NotificationType);
            sql.insertEvent.bindValue(3, callId.isEmpty() ? QVariant() : QVariant(callId));
            sql.insertEvent.bindValue(4, texts[i].body);
            if (!sql.insertEvent.exec()) {
                why = u"cannot write event %1: %2"_s.arg(
                    QString::number(seq), sqlError(sql.insertEvent.lastError()));
                return false;
            }
        }
        return true;
    });
    if (!ok)
        return setError(error, u"journal %1: %2"_s.arg(QDir::toNativeSeparators(m_path), why));
    // Only now are the seqs taken: a failed batch leaves the events as they were.
    seq = m_lastSeq;
    for (StreamEvent &event : events)
        event.seq = ++seq;
    m_lastSeq = seq;
    return true;
}

QList<StreamEvent> Journal::readAfter(qint64 afterSeq, int limit) const
{
    QList<StreamEvent> out;
    if (!m_sql || limit <= 0)
        return out;
    QSqlQuery &q = m_sql->readAfter;
    q.bindValue(0, afterSeq);
    q.bindValue(1, limit);
    if (!q.exec()) {
        qCWarning(lcJournal) << "reading events after" << afterSeq
                             << "failed:" << sqlError(q.lastError());
        return out;
    }
    while (q.next()) {
        StreamEvent event;
        event.seq = q.value(0).toLongLong();
        event.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
        const QJsonObject body = QJsonDocument::fromJson(q.value(3).toByteArray()).object();
        if (q.value(2).toInt() == RelayType) {
            event.type = StreamEvent::Type::Relay;
            event.relay = body;
        } else {
            event.type = StreamEvent::Type::Notification;
            event.notification = body;
        }
        out.append(std::move(event));
    }
    // A statement left open would hold a read snapshot and stop WAL checkpoints.
    q.finish();
    return out;
}

bool Journal::writeCheckpoint(qint64 seq, const QByteArray &state, QString *error)
{
    if (!m_sql)
        return setError(error, u"the journal is not open"_s);
    if (seq < 0 || seq > m_lastSeq)
        return setError(error,
            u"checkpoint at seq %1 is outside the journal (last seq %2)"_s.arg(
                QString::number(seq), QString::number(m_lastSeq)));
    Sql &sql = *m_sql;
    QString why;
    const bool ok = sql.transaction(&why, [&] {
        QSqlQuery insert(sql.db);
        insert.prepare(u"INSERT OR REPLACE INTO checkpoints(seq, at, state) VALUES(?, ?, ?)"_s);
        insert.addBindValue(seq);
        insert.addBindValue(Graph::RelayProtocol::writeTimestamp(QDateTime::currentDateTimeUtc()));
        insert.addBindValue(state);
        QSqlQuery prune(sql.db);
        prune.prepare(u"DELETE FROM checkpoints WHERE seq NOT IN "
                      "(SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT ?)"_s);
        prune.addBindValue(KeptCheckpoints);
        if (insert.exec() && prune.exec())
            return true;
        why = sqlError(insert.lastError().isValid() ? insert.lastError() : prune.lastError());
        return false;
    });
    if (!ok)
        return setError(error,
            u"journal %1: cannot write the checkpoint: %2"_s.arg(
                QDir::toNativeSeparators(m_path), why));
    return true;
}

std::optional<Journal::Checkpoint> Journal::latestCheckpoint() const
{
    if (!m_sql)
        return std::nullopt;
    QSqlQuery q(m_sql->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT seq, state FROM checkpoints ORDER BY seq DESC LIMIT 1"_s) || !q.next())
        return std::nullopt;
    return Checkpoint { q.value(0).toLongLong(), q.value(1).toByteArray() };
}

int Journal::compact(const QDateTime &before, QString *error)
{
    if (!m_sql) {
        setError(error, u"the journal is not open"_s);
        return -1;
    }
    const std::optional<Checkpoint> checkpoint = latestCheckpoint();
    if (!checkpoint)
        return 0;
    Sql &sql = *m_sql;
    QString why;
    int deleted = 0;
    const bool ok = sql.transaction(&why, [&] {
        // Only a prefix of the journal goes, so what is left has no holes: were the clock to
        // step back, an old-looking event after a kept one must stay too.
        QSqlQuery firstKept(sql.db);
        firstKept.setForwardOnly(true);
        firstKept.prepare(u"SELECT MIN(seq) FROM events WHERE at >= ?"_s);
        firstKept.addBindValue(Graph::RelayProtocol::writeTimestamp(before));
        if (!firstKept.exec() || !firstKept.next()) {
            why = sqlError(firstKept.lastError());
            return false;
        }
        qint64 upTo = checkpoint->seq;
        if (!firstKept.value(0).isNull())
            upTo = std::min(upTo, firstKept.value(0).toLongLong() - 1);
        firstKept.finish();
        QSqlQuery remove(sql.db);
        remove.prepare(u"DELETE FROM events WHERE seq <= ?"_s);
        remove.addBindValue(upTo);
        if (!remove.exec()) {
            why = sqlError(remove.lastError());
            return false;
        }
        deleted = remove.numRowsAffected();
        return true;
    });
    if (!ok || !loadBounds(&why)) {
        setError(error,
            u"journal %1: compaction failed: %2"_s.arg(QDir::toNativeSeparators(m_path), why));
        return -1;
    }
    if (deleted > 0)
        reclaimSpace();
    return deleted;
}

void Journal::reclaimSpace()
{
    QSqlDatabase &db = m_sql->db;
    QString why;
    if (m_sql->incrementalVacuum) {
        // Each step of incremental_vacuum frees one page, and Qt steps a statement that has no
        // result columns only once per exec(): so it runs once per free page, in one
        // transaction.
        const qint64 free = queryValue(db, u"PRAGMA freelist_count"_s, &why).toLongLong();
        QSqlQuery vacuum(db);
        const bool ok = m_sql->prepare(vacuum, u"PRAGMA incremental_vacuum"_s, &why)
            && m_sql->transaction(&why, [&] {
                   for (qint64 i = 0; i < free; ++i) {
                       if (!vacuum.exec()) {
                           why = sqlError(vacuum.lastError());
                           return false;
                       }
                   }
                   vacuum.finish(); // a statement in progress would stop the commit
                   return true;
               });
        if (!ok)
            qCWarning(lcJournal) << "incremental_vacuum failed:" << why;
    } else {
        // A journal created without auto_vacuum (by hand, or by an older SQLite) needs a VACUUM,
        // which rewrites the file: worth it only once a good part of it is free.
        const qint64 free = queryValue(db, u"PRAGMA freelist_count"_s, &why).toLongLong();
        const qint64 pages = queryValue(db, u"PRAGMA page_count"_s, &why).toLongLong();
        if (free * 4 > pages && !run(db, u"VACUUM"_s, &why))
            qCWarning(lcJournal) << "VACUUM failed:" << why;
    }
    // The deletions went to the WAL; moving them into the file and truncating the WAL is what
    // makes the files shrink.
    if (!run(db, u"PRAGMA wal_checkpoint(TRUNCATE)"_s, &why))
        qCWarning(lcJournal) << "wal_checkpoint failed:" << why;
}

std::optional<QByteArray> Journal::value(const QString &key) const
{
    if (!m_sql)
        return std::nullopt;
    QSqlQuery q(m_sql->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT value FROM kv WHERE key = ?"_s);
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return q.value(0).toByteArray();
}

bool Journal::setValue(const QString &key, const QByteArray &value, QString *error)
{
    if (!m_sql)
        return setError(error, u"the journal is not open"_s);
    QSqlQuery q(m_sql->db);
    q.prepare(u"INSERT OR REPLACE INTO kv(key, value) VALUES(?, ?)"_s);
    q.addBindValue(key);
    // A null QByteArray binds as NULL; an empty value is still a value.
    q.addBindValue(value.isNull() ? QByteArray("") : value);
    if (q.exec())
        return true;
    return setError(error,
        u"journal %1: cannot store %2: %3"_s.arg(
            QDir::toNativeSeparators(m_path), key, sqlError(q.lastError())));
}

EventText eventText(const StreamEvent &event, const QDateTime &at)
{
    return { QJsonDocument(
                 event.type == StreamEvent::Type::Relay ? event.relay : event.notification)
                 .toJson(QJsonDocument::Compact),
        Graph::RelayProtocol::writeTimestamp(event.at.isValid() ? event.at : at) };
}

QString sqlErrorText(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

} // namespace Relay

#pragma once

#include "apihttp.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Relay {

class Journal;

//! One operator's action, as the audit log keeps it.
struct AuditEntry
{
    qint64 id = 0; //!< rising; set when written
    QDateTime at; //!< when the action ended (UTC)
    QString operatorName;
    QString role; //!< "operator", "supervisor"
    QString action; //!< "answer", "transfer", "hangUp", "muteParticipant", "claim", ...
    QByteArray method;
    QString path; //!< as requested, without the query
    QString callId; //!< empty when the action concerns no call
    int status = 0; //!< the HTTP status the operator got
    QString errorCode; //!< Graph's (or the relay's) error code; empty on success
    QString requestId; //!< Graph's request-id, or the relay's for its own refusals
    QString clientRequestId;
    qint64 durationMs = 0;

    QJsonObject toJson() const;
};

//! The audit log: a table `audit` in the journal's SQLite database, and GET /api/audit.
//! Writes are synchronous and small; a closed journal (after shutdown) drops them with a
//! warning.
class AuditLog final
{
    Q_DISABLE_COPY_MOVE(AuditLog)

public:
    explicit AuditLog(Journal *journal);

    //! Creates the table when it is missing. False with `error` when SQLite refuses.
    bool open(QString *error);
    //! Writes `entry` and returns its id, or -1.
    qint64 record(const AuditEntry &entry);
    //! The newest `limit` entries, newest first.
    QList<AuditEntry> newest(int limit) const;

    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 1000;

    //! GET /api/audit?limit=N for `op`: supervisors only.
    HttpAnswer serve(const OperatorIdentity &op, const QHttpServerRequest &request) const;

private:
    Journal *m_journal;
    bool m_ready = false;
};

} // namespace Relay

#include "auditlog.h"

#include "journal.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcAudit, "frontdesk.relay.actions")

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString isoUtc(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

QJsonObject AuditEntry::toJson() const
{
    return QJsonObject {
        { "id"_L1, id },
        { "at"_L1, isoUtc(at) },
        { "operator"_L1, operatorName },
        { "role"_L1, role },
        { "action"_L1, action },
        { "method"_L1, QString::fromLatin1(method) },
        { "path"_L1, path },
        { "callId"_L1, orNull(callId) },
        { "status"_L1, status },
        { "errorCode"_L1, orNull(errorCode) },
        { "requestId"_L1, orNull(requestId) },
        { "clientRequestId"_L1, orNull(clientRequestId) },
        { "durationMs"_L1, durationMs },
    };
}

AuditLog::AuditLog(Journal *journal)
    : m_journal(journal)
{ }

bool AuditLog::open(QString *error)
{
    if (!m_journal || !m_journal->isOpen()) {
        if (error)
            *error = u"the journal is not open"_s;
        return false;
    }
    QSqlQuery query(QSqlDatabase::database(m_journal->connectionName(), false));
    // Beside the journal's own tables; the journal's schema version does not cover it, so it
    // only ever gains columns through new tables.
    const bool ok = query.exec(u"CREATE TABLE IF NOT EXISTS audit("
                               u"id INTEGER PRIMARY KEY AUTOINCREMENT, "
                               u"at TEXT NOT NULL, "
                               u"operator TEXT NOT NULL, "
                               u"role TEXT NOT NULL, "
                               u"action TEXT NOT NULL, "
                               u"method TEXT NOT NULL, "
                               u"path TEXT NOT NULL, "
                               u"call_id TEXT, "
                               u"status INTEGER NOT NULL, "
                               u"error_code TEXT, "
                               u"request_id TEXT, "
                               u"client_request_id TEXT, "
                               u"duration_ms INTEGER NOT NULL DEFAULT 0)"_s);
    if (!ok && error)
        *error = query.lastError().text();
    m_ready = ok;
    return ok;
}

qint64 AuditLog::record(const AuditEntry &entry)
{
    if (!m_ready || !m_journal->isOpen()) {
        qCWarning(lcAudit).noquote()
            << u"audit entry not written (the journal is closed): %1 %2 %3"_s
                   .arg(entry.operatorName, entry.action)
                   .arg(entry.status);
        return -1;
    }
    QSqlQuery query(QSqlDatabase::database(m_journal->connectionName(), false));
    query.prepare(u"INSERT INTO audit(at, operator, role, action, method, path, call_id, status, "
                  u"error_code, request_id, client_request_id, duration_ms) "
                  u"VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    const auto text = [](const QString &value) {
        return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
    };
    query.addBindValue(isoUtc(entry.at));
    query.addBindValue(entry.operatorName);
    query.addBindValue(entry.role);
    query.addBindValue(entry.action);
    query.addBindValue(QString::fromLatin1(entry.method));
    query.addBindValue(entry.path);
    query.addBindValue(text(entry.callId));
    query.addBindValue(entry.status);
    query.addBindValue(text(entry.errorCode));
    query.addBindValue(text(entry.requestId));
    query.addBindValue(text(entry.clientRequestId));
    query.addBindValue(entry.durationMs);
    if (!query.exec()) {
        qCWarning(lcAudit).noquote()
            << u"audit entry not written: %1"_s.arg(query.lastError().text());
        return -1;
    }
    return query.lastInsertId().toLongLong();
}

QList<AuditEntry> AuditLog::newest(int limit) const
{
    QList<AuditEntry> entries;
    if (!m_ready || !m_journal->isOpen())
        return entries;
    QSqlQuery query(QSqlDatabase::database(m_journal->connectionName(), false));
    query.setForwardOnly(true);
    query.prepare(u"SELECT id, at, operator, role, action, method, path, call_id, status, "
                  u"error_code, request_id, client_request_id, duration_ms "
                  u"FROM audit ORDER BY id DESC LIMIT ?"_s);
    query.addBindValue(qBound(1, limit, MaxLimit));
    if (!query.exec()) {
        qCWarning(lcAudit).noquote()
            << u"the audit log cannot be read: %1"_s.arg(query.lastError().text());
        return entries;
    }
    while (query.next()) {
        AuditEntry entry;
        entry.id = query.value(0).toLongLong();
        entry.at = QDateTime::fromString(query.value(1).toString(), Qt::ISODateWithMs);
        entry.operatorName = query.value(2).toString();
        entry.role = query.value(3).toString();
        entry.action = query.value(4).toString();
        entry.method = query.value(5).toString().toLatin1();
        entry.path = query.value(6).toString();
        entry.callId = query.value(7).toString();
        entry.status = query.value(8).toInt();
        entry.errorCode = query.value(9).toString();
        entry.requestId = query.value(10).toString();
        entry.clientRequestId = query.value(11).toString();
        entry.durationMs = query.value(12).toLongLong();
        entries.append(entry);
    }
    return entries;
}

HttpAnswer AuditLog::serve(const OperatorIdentity &op, const QHttpServerRequest &request) const
{
    if (!op.isSupervisor()) {
        return apiError(403, u"forbidden"_s,
            u"%1 is an operator; the audit log is for supervisors"_s.arg(op.name));
    }
    int limit = DefaultLimit;
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = query.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1) {
            return apiError(
                400, u"badRequest"_s, u"limit must be a whole number from 1 to %1"_s.arg(MaxLimit));
        }
        limit = qMin(limit, MaxLimit);
    }
    QJsonArray entries;
    for (const AuditEntry &entry : newest(limit))
        entries.append(entry.toJson());
    return apiJson(200, QJsonObject { { "entries"_L1, entries } });
}

} // namespace Relay

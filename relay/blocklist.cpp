#include "blocklist.h"

#include "eventpublisher.h"
#include "graph/types.h"
#include "limitedtcpserver.h"
#include "operators.h"
#include "policyshared.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponder::StatusCode;

namespace Relay {

namespace {

constexpr auto Table = "blocklist"_L1;

bool isNumberText(QStringView text)
{
    static const QString Allowed = u"+0123456789 -.()\t"_s;
    return std::all_of(text.begin(), text.end(), [](QChar c) { return Allowed.contains(c); });
}

} // namespace

Blocklist::Blocklist(QString connectionName)
    : m_connection(std::move(connectionName))
{ }

std::optional<QString> Blocklist::normalize(const QString &entry, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<QString> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString text = entry.trimmed();
    if (text.startsWith("tel:"_L1, Qt::CaseInsensitive))
        text = text.mid(4);
    if (text.isEmpty())
        return fail(u"an entry must not be empty"_s);

    if (text.startsWith(u'+') || isNumberText(text)) {
        static const QRegularExpression E164(u"^\\+[1-9][0-9]{1,14}$"_s);
        QString number;
        for (const QChar c : std::as_const(text)) {
            if (c == u'+' || c.isDigit())
                number.append(c);
            else if (!isNumberText(QStringView(&c, 1)))
                return fail(u"a number may hold only digits, spaces, dashes, dots and "
                            u"parentheses"_s);
        }
        if (!E164.match(number).hasMatch())
            return fail(u"a number must be +E.164: a plus sign, then 2 to 15 digits"_s);
        return number;
    }

    static const QRegularExpression UserId(u"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$"_s);
    if (!UserId.match(text).hasMatch())
        return fail(u"an entry must be a +E.164 number or a user id"_s);
    return text.toLower();
}

bool Blocklist::open(const QStringList &seed, QString *error)
{
    m_open = false;
    m_entries.clear();
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto fail = [&](const QString &why) {
        if (error)
            *error = u"blocklist: "_s + why;
        return false;
    };
    if (!db.isValid() || !db.isOpen())
        return fail(u"the journal is not open"_s);

    if (!db.tables().contains(Table)) {
        // The first start: the configuration's list becomes the table, in one transaction so
        // that a failure leaves no half-seeded table that would never be seeded again.
        if (!db.transaction())
            return fail(sqlErrorText(db.lastError()));
        QSqlQuery q(db);
        bool ok = q.exec(u"CREATE TABLE blocklist(entry TEXT PRIMARY KEY, added_by TEXT NOT NULL, "
                         u"added_at TEXT NOT NULL)"_s);
        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        for (qsizetype i = 0; ok && i < seed.size(); ++i) {
            q.prepare(u"INSERT OR IGNORE INTO blocklist(entry, added_by, added_at) "
                      u"VALUES(?, 'config', ?)"_s);
            q.addBindValue(seed.at(i));
            q.addBindValue(now);
            ok = q.exec();
        }
        if (!ok) {
            const QString why = sqlErrorText(q.lastError());
            db.rollback();
            return fail(why);
        }
        if (!db.commit())
            return fail(sqlErrorText(db.lastError()));
        qCInfo(lcPolicy) << "blocklist created with" << seed.size() << "entries from [policy]";
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT entry FROM blocklist"_s))
        return fail(sqlErrorText(q.lastError()));
    while (q.next())
        m_entries.insert(q.value(0).toString());
    m_open = true;
    return true;
}

QStringList Blocklist::entries() const
{
    QStringList list(m_entries.cbegin(), m_entries.cend());
    list.sort();
    return list;
}

bool Blocklist::contains(const QString &entry) const
{
    const std::optional<QString> normal = normalize(entry);
    return normal && m_entries.contains(*normal);
}

QString Blocklist::match(const Graph::Call &call) const
{
    if (!call.source)
        return {};
    const Graph::IdentitySet &identity = call.source->identity;
    const QString phone = identity.phoneNumber();
    if (!phone.isEmpty() && contains(phone))
        return *normalize(phone);
    if (const std::optional<Graph::Identity> &user = identity.get(Graph::IdentitySet::Kind::User);
        user && !user->id.isEmpty() && contains(user->id)) {
        return *normalize(user->id);
    }
    return {};
}

Blocklist::Change Blocklist::add(
    const QString &entry, const QString &by, const QDateTime &at, QString *error)
{
    if (m_entries.contains(entry))
        return Change::Unchanged;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"INSERT OR IGNORE INTO blocklist(entry, added_by, added_at) VALUES(?, ?, ?)"_s);
    q.addBindValue(entry);
    q.addBindValue(by);
    q.addBindValue(at.toUTC().toString(Qt::ISODateWithMs));
    if (!m_open || !q.exec()) {
        if (error)
            *error = m_open ? sqlErrorText(q.lastError()) : u"the blocklist is not open"_s;
        return Change::Failed;
    }
    m_entries.insert(entry);
    return Change::Done;
}

Blocklist::Change Blocklist::remove(const QString &entry, QString *error)
{
    if (!m_entries.contains(entry))
        return Change::Unchanged;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"DELETE FROM blocklist WHERE entry = ?"_s);
    q.addBindValue(entry);
    if (!m_open || !q.exec()) {
        if (error)
            *error = m_open ? sqlErrorText(q.lastError()) : u"the blocklist is not open"_s;
        return Change::Failed;
    }
    m_entries.remove(entry);
    return Change::Done;
}

// ---- the HTTP API ---------------------------------------------------------------------------

namespace {

QHttpServerResponse errorResponse(StatusCode status, const QString &code, const QString &message)
{
    QHttpServerResponse response(
        QByteArrayLiteral("application/json"), httpErrorJson(code, message), status);
    if (status == StatusCode::Unauthorized)
        response.setHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer"));
    return response;
}

QHttpServerResponse unauthorized()
{
    return errorResponse(
        StatusCode::Unauthorized, u"unauthorized"_s, u"a valid operator token is required"_s);
}

QHttpServerResponse unavailable()
{
    return errorResponse(StatusCode::ServiceUnavailable, u"blocklistUnavailable"_s,
        u"the blocklist could not be opened; see the relay's log"_s);
}

} // namespace

BlocklistApi::BlocklistApi(const RelayContext &context, Blocklist *list, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_list(list)
{
    const QPointer<BlocklistApi> self(this);
    // Who asks: the operator of the bearer token, or nullopt (401).
    const auto who = [self](const QHttpServerRequest &request) -> std::optional<OperatorIdentity> {
        if (!self)
            return std::nullopt;
        return self->m_context.operators->authenticateHeader(request.value("Authorization"));
    };

    context.http->route(u"/api/blocklist"_s, QHttpServerRequest::Method::Get,
        [self, who](const QHttpServerRequest &request) {
            if (!who(request))
                return unauthorized();
            if (!self->m_list->isOpen())
                return unavailable();
            return QHttpServerResponse(QJsonObject {
                { "entries"_L1, QJsonArray::fromStringList(self->m_list->entries()) } });
        });

    context.http->route(u"/api/blocklist"_s, QHttpServerRequest::Method::Post,
        [self, who](const QHttpServerRequest &request) {
            const std::optional<OperatorIdentity> op = who(request);
            if (!op)
                return unauthorized();
            if (!self->m_list->isOpen())
                return unavailable();
            const QJsonDocument body = QJsonDocument::fromJson(request.body());
            const QJsonValue value = body.object().value("entry"_L1);
            if (!body.isObject() || !value.isString()) {
                return errorResponse(StatusCode::BadRequest, u"badRequest"_s,
                    u"the body must be a JSON object with a string \"entry\""_s);
            }
            QString why;
            const std::optional<QString> entry = Blocklist::normalize(value.toString(), &why);
            if (!entry)
                return errorResponse(StatusCode::BadRequest, u"badRequest"_s, why);

            const QJsonObject answer { { "entry"_L1, *entry } };
            switch (self->m_list->add(*entry, op->name, self->m_context.clock->now(), &why)) {
            case Blocklist::Change::Unchanged:
                // Adding what is listed already changes nothing: 200, and no event.
                return QHttpServerResponse(answer, StatusCode::Ok);
            case Blocklist::Change::Failed:
                qCWarning(lcPolicy).noquote() << "blocklist: cannot add an entry:" << why;
                return errorResponse(StatusCode::InternalServerError, u"journalError"_s, why);
            case Blocklist::Change::Done:
                break;
            }
            qCInfo(lcPolicy).noquote() << "blocklist: added" << *entry << "by" << op->name;
            self->m_context.publisher->publishRelay(u"blocklist"_s, {},
                { { "action"_L1, u"added"_s }, { "entry"_L1, *entry }, { "by"_L1, op->name } });
            return QHttpServerResponse(answer, StatusCode::Created);
        });

    context.http->route(u"/api/blocklist/<arg>"_s, QHttpServerRequest::Method::Delete,
        [self, who](const QString &captured, const QHttpServerRequest &request) {
            const std::optional<OperatorIdentity> op = who(request);
            if (!op)
                return unauthorized();
            if (!op->isSupervisor()) {
                return errorResponse(StatusCode::Forbidden, u"forbidden"_s,
                    u"only a supervisor may remove blocklist entries"_s);
            }
            if (!self->m_list->isOpen())
                return unavailable();
            const QString raw = QUrl::fromPercentEncoding(captured.toUtf8());
            const std::optional<QString> entry = Blocklist::normalize(raw);
            QString why;
            const Blocklist::Change change =
                entry ? self->m_list->remove(*entry, &why) : Blocklist::Change::Unchanged;
            if (change == Blocklist::Change::Unchanged) {
                return errorResponse(
                    StatusCode::NotFound, u"notFound"_s, u"the entry is not listed"_s);
            }
            if (change == Blocklist::Change::Failed) {
                qCWarning(lcPolicy).noquote() << "blocklist: cannot remove an entry:" << why;
                return errorResponse(StatusCode::InternalServerError, u"journalError"_s, why);
            }
            qCInfo(lcPolicy).noquote() << "blocklist: removed" << *entry << "by" << op->name;
            self->m_context.publisher->publishRelay(u"blocklist"_s, {},
                { { "action"_L1, u"removed"_s }, { "entry"_L1, *entry }, { "by"_L1, op->name } });
            return QHttpServerResponse(StatusCode::NoContent);
        });

    // Registered last, so they see only the methods the routes above do not take.
    const auto notAllowed = [who](const QHttpServerRequest &request, const QByteArray &allowed) {
        if (!who(request))
            return unauthorized();
        QHttpServerResponse response = errorResponse(StatusCode::MethodNotAllowed,
            u"methodNotAllowed"_s, u"allowed: %1"_s.arg(QString::fromLatin1(allowed)));
        response.setHeader(QByteArrayLiteral("Allow"), allowed);
        return response;
    };
    context.http->route(u"^/api/blocklist$"_s, QHttpServerRequest::Method::AnyKnown,
        [notAllowed](const QHttpServerRequest &request) {
            return notAllowed(request, QByteArrayLiteral("GET, POST"));
        });
    context.http->route(u"^/api/blocklist/[^/]+$"_s, QHttpServerRequest::Method::AnyKnown,
        [notAllowed](const QHttpServerRequest &request) {
            return notAllowed(request, QByteArrayLiteral("DELETE"));
        });
}

} // namespace Relay

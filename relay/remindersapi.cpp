#include "apihttp.h"
#include "blocklist.h"
#include "graph/clock.h"
#include "journal.h"
#include "operators.h"
#include "policyshared.h"
#include "relayconfig.h"
#include "reminders.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

constexpr qsizetype MaxTextLength = 256;
constexpr qsizetype MaxUriLength = 2048;

//! An ISO 8601 time that names its offset ("Z" or "+02:00"); invalid otherwise.
QDateTime parseInstant(const QString &text)
{
    static const QRegularExpression WithOffset(
        u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$"_s);
    if (!WithOffset.match(text).hasMatch())
        return {};
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

bool isHttpUri(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == "http"_L1 || url.scheme() == "https"_L1);
}

//! An optional string field: absent gives an empty string; a non-string or a too long one
//! gives nullopt and the refusal.
std::optional<QString> optionalText(
    const QJsonObject &body, QLatin1StringView key, qsizetype limit, HttpAnswer *refusal)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull())
        return QString();
    if (!value.isString() || value.toString().size() > limit) {
        *refusal = apiError(400, u"badRequest"_s,
            u"\"%1\" must be a string of at most %2 characters"_s.arg(key).arg(limit));
        return std::nullopt;
    }
    return value.toString().trimmed();
}

HttpAnswer unavailable()
{
    return apiError(503, u"remindersUnavailable"_s,
        u"the reminders could not be opened; see the relay's log"_s);
}

} // namespace

ReminderApi::ReminderApi(const RelayContext &context, ReminderStore *store,
    ReminderScheduler *scheduler, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_store(store)
    , m_scheduler(scheduler)
{
    const QPointer<ReminderApi> self(this);
    const auto serve = [self](const QHttpServerRequest &request, QHttpServerResponder &&responder,
                           const auto &handle) {
        PendingResponse response(std::move(responder));
        if (!self) {
            response.send(unavailable());
            return;
        }
        const std::optional<OperatorIdentity> op =
            requestOperator(request, *self->m_context.operators);
        if (!op) {
            response.send(apiUnauthorized());
            return;
        }
        if (!self->m_store->isOpen() || !self->m_context.journal->isOpen()) {
            response.send(unavailable());
            return;
        }
        response.send(handle(*op));
    };

    constexpr auto AnyMethod = QHttpServerRequest::Method::AnyKnown;
    context.http->route(u"^/api/reminders$"_s, AnyMethod,
        [self, serve](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            serve(request, std::move(responder), [&](const OperatorIdentity &op) {
                switch (request.method()) {
                case QHttpServerRequest::Method::Get:
                    return self->list();
                case QHttpServerRequest::Method::Post:
                    return self->create(op, request);
                default:
                    return apiMethodNotAllowed("GET, POST");
                }
            });
        });
    context.http->route(u"^/api/reminders/[^/]+$"_s, AnyMethod,
        [self, serve](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const QString id = decodeSegment(encodedSegments(request).value(2));
            serve(request, std::move(responder), [&](const OperatorIdentity &op) {
                switch (request.method()) {
                case QHttpServerRequest::Method::Get: {
                    const std::optional<Reminder> r = self->m_store->find(id);
                    return r ? apiJson(200, r->toJson())
                             : apiError(404, u"notFound"_s, u"no reminder %1"_s.arg(id));
                }
                case QHttpServerRequest::Method::Delete:
                    return self->cancel(op, id);
                default:
                    return apiMethodNotAllowed("GET, DELETE");
                }
            });
        });
}

HttpAnswer ReminderApi::list() const
{
    QJsonArray reminders;
    for (const Reminder &r : m_store->all())
        reminders.append(r.toJson());
    return apiJson(200, QJsonObject { { "reminders"_L1, reminders } });
}

HttpAnswer ReminderApi::create(const OperatorIdentity &op, const QHttpServerRequest &request)
{
    HttpAnswer refusal;
    const std::optional<QJsonObject> body = apiJsonBody(request, &refusal);
    if (!body)
        return refusal;
    const auto bad = [](const QString &message) { return apiError(400, u"badRequest"_s, message); };

    const QJsonValue targetValue = body->value("target"_L1);
    if (!targetValue.isString() || targetValue.toString().trimmed().isEmpty())
        return bad(u"\"target\" is required: a user id or a +E.164 number"_s);
    QString why;
    const std::optional<QString> target = Blocklist::normalize(targetValue.toString(), &why);
    if (!target)
        return bad(u"\"target\": "_s + why);

    const QJsonValue atValue = body->value("at"_L1);
    if (!atValue.isString())
        return bad(u"\"at\" is required: an ISO 8601 time with its offset, e.g. "
                   u"2026-01-05T09:30:00Z"_s);
    const QDateTime at = parseInstant(atValue.toString());
    if (!at.isValid())
        return bad(u"\"at\" is not an ISO 8601 time with an offset (e.g. 2026-01-05T09:30:00Z)"_s);
    const QDateTime now = m_context.clock->now();
    const auto grace = m_context.config->reminderGrace;
    if (at.addSecs(grace.count()) < now) {
        return bad(
            u"\"at\" is more than the grace of %1 minutes in the past"_s.arg(grace.count() / 60));
    }

    std::optional<QString> displayName =
        optionalText(*body, "displayName"_L1, MaxTextLength, &refusal);
    if (!displayName)
        return refusal;
    std::optional<QString> subject = optionalText(*body, "subject"_L1, MaxTextLength, &refusal);
    if (!subject)
        return refusal;
    std::optional<QString> prompt = optionalText(*body, "prompt"_L1, MaxUriLength, &refusal);
    if (!prompt)
        return refusal;
    if (prompt->isEmpty())
        prompt = m_context.config->reminderPromptUri.toString();
    if (prompt->isEmpty())
        return bad(u"\"prompt\" is required: the relay has no default ([reminders] promptUri)"_s);
    if (!isHttpUri(*prompt))
        return bad(u"\"prompt\" must be an http(s) URL of a WAV file"_s);

    Reminder reminder;
    reminder.target = *target;
    reminder.displayName = *displayName;
    reminder.at = at;
    reminder.prompt = *prompt;
    reminder.subject = *subject;
    reminder.createdBy = op.name;
    if (!m_scheduler->create(reminder, &why)) {
        qCWarning(lcPolicy).noquote() << "reminders: cannot create a reminder:" << why;
        return apiError(500, u"journalError"_s, why);
    }
    HttpAnswer answer = apiJson(201, reminder.toJson());
    answer.headers.append({ QByteArrayLiteral("Location"),
        QByteArrayLiteral("/api/reminders/") + reminder.id.toUtf8() });
    return answer;
}

HttpAnswer ReminderApi::cancel(const OperatorIdentity &op, const QString &id)
{
    const std::optional<Reminder> r = m_store->find(id);
    if (!r)
        return apiError(404, u"notFound"_s, u"no reminder %1"_s.arg(id));
    if (r->createdBy != op.name && !op.isSupervisor()) {
        return apiError(403, u"forbidden"_s,
            u"only the operator who created a reminder, or a supervisor, may cancel it"_s);
    }
    QString why;
    switch (m_scheduler->cancel(id, op.name, &why)) {
    case ReminderScheduler::Cancel::Done:
        return HttpAnswer { 204, {}, {} };
    case ReminderScheduler::Cancel::NotFound:
        return apiError(404, u"notFound"_s, u"no reminder %1"_s.arg(id));
    case ReminderScheduler::Cancel::NotPending:
        return apiError(409, u"reminderNotPending"_s,
            u"reminder %1 is %2: only a reminder waiting for its time can be cancelled"_s.arg(
                id, reminderStateName(r->state)));
    case ReminderScheduler::Cancel::Failed:
        break;
    }
    qCWarning(lcPolicy).noquote() << "reminders: cannot cancel" << id << ":" << why;
    return apiError(500, u"journalError"_s, why);
}

// ---- Reminders ---------------------------------------------------------------------------

Reminders::Reminders(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<ReminderStore>(context.journal->connectionName()))
{
    QString why;
    if (!m_store->open(&why))
        qCCritical(lcPolicy).noquote() << "no reminders:" << why;
    m_scheduler = new ReminderScheduler(context, m_store.get(), this);
    m_api = new ReminderApi(context, m_store.get(), m_scheduler, this);
    // Taken up once the relay is running: a start that fails after this point must not have
    // acted on Graph.
    ReminderScheduler *scheduler = m_scheduler;
    context.clock->schedule(
        std::chrono::milliseconds(0), this, [scheduler] { scheduler->start(); });
}

Reminders::~Reminders() = default;

} // namespace Relay

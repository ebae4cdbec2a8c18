#include "tokenissuer.h"

#include "graph/clock.h"
#include "graph/ids.h"
#include "graph/jwks.h"

#include <QJsonArray>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

// Graph's application id: Entra accepts "<resource>/.default" in either form.
const QString GraphScope = u"https://graph.microsoft.com/.default"_s;
const QString GraphAppIdScope = u"00000003-0000-0000-c000-000000000000/.default"_s;

QString randomToken()
{
    // 32 random bytes: unguessable, and opaque like any bearer token should be to its client.
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(
        reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / qsizetype(sizeof(quint32)));
    return QString::fromLatin1(Graph::encodeBase64Url(bytes));
}

QByteArray decodeFormComponent(QByteArray text)
{
    text.replace('+', ' ');
    return QByteArray::fromPercentEncoding(text);
}

bool isFormContentType(const QByteArray &contentType)
{
    const QByteArray mime = contentType.split(';').value(0).trimmed().toLower();
    return mime == "application/x-www-form-urlencoded";
}

} // namespace

TokenIssuer::TokenIssuer(Config config, Graph::Clock *clock)
    : m_config(std::move(config))
    , m_clock(clock)
{ }

bool TokenIssuer::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // The length is not secret (secrets have a documented shape); the content is.
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const qsizetype length = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < length; ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QHash<QString, QString> TokenIssuer::parseForm(const QByteArray &body)
{
    QHash<QString, QString> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QString key = QString::fromUtf8(decodeFormComponent(eq < 0 ? pair : pair.left(eq)));
        const QString value =
            eq < 0 ? QString() : QString::fromUtf8(decodeFormComponent(pair.mid(eq + 1)));
        if (!fields.contains(key))
            fields.insert(key, value);
    }
    return fields;
}

TokenIssuer::Response TokenIssuer::error(
    int status, const QString &error, int aadsts, const QString &description) const
{
    const QString traceId = Graph::newGuid();
    const QString correlationId = Graph::newGuid();
    const QString timestamp = m_clock->now().toUTC().toString(u"yyyy-MM-dd HH:mm:ss'Z'"_s);
    const QString text = u"AADSTS%1: %2 Trace ID: %3 Correlation ID: %4 Timestamp: %5"_s.arg(
        QString::number(aadsts), description, traceId, correlationId, timestamp);
    return Response { status,
        QJsonObject {
            { "error"_L1, error },
            { "error_description"_L1, text },
            { "error_codes"_L1, QJsonArray { aadsts } },
            { "timestamp"_L1, timestamp },
            { "trace_id"_L1, traceId },
            { "correlation_id"_L1, correlationId },
            { "error_uri"_L1, u"https://login.microsoftonline.com/error?code=%1"_s.arg(aadsts) },
        } };
}

TokenIssuer::Response TokenIssuer::issue(
    const QString &tenant, const QByteArray &contentType, const QByteArray &body)
{
    // Entra checks in this order: the tenant in the path, the grant, the client, its
    // credential, and then the scope.
    if (!Graph::sameId(tenant, m_config.tenantId)) {
        return error(400, u"invalid_request"_s, 90002,
            u"Tenant '%1' not found. Check to make sure you have the correct tenant ID "
            "and are signing into the correct cloud."_s.arg(tenant));
    }
    const QHash<QString, QString> form =
        isFormContentType(contentType) ? parseForm(body) : QHash<QString, QString>();
    const auto missing = [this](const QString &name) {
        return error(400, u"invalid_request"_s, 900144,
            u"The request body must contain the following parameter: '%1'."_s.arg(name));
    };
    const QString grantType = form.value(u"grant_type"_s);
    if (grantType.isEmpty())
        return missing(u"grant_type"_s);
    if (grantType != "client_credentials"_L1) {
        return error(400, u"unsupported_grant_type"_s, 70003,
            u"The app requested an unsupported grant type '%1'."_s.arg(grantType));
    }
    const QString clientId = form.value(u"client_id"_s);
    if (clientId.isEmpty())
        return missing(u"client_id"_s);
    if (!Graph::sameId(clientId, m_config.clientId)) {
        return error(400, u"unauthorized_client"_s, 700016,
            u"Application with identifier '%1' was not found in the directory '%2'."_s.arg(
                clientId, m_config.tenantId));
    }
    if (!form.contains(u"client_secret"_s)) {
        return error(401, u"invalid_client"_s, 7000218,
            u"The request body must contain the following parameter: 'client_assertion' "
            "or 'client_secret'."_s);
    }
    if (!constantTimeEquals(
            form.value(u"client_secret"_s).toUtf8(), m_config.clientSecret.toUtf8())) {
        return error(401, u"invalid_client"_s, 7000215,
            u"Invalid client secret provided. Ensure the secret being sent in the request "
            "is the client secret value, not the client secret ID, for a secret added "
            "to app '%1'."_s.arg(m_config.clientId));
    }
    const QString scope = form.value(u"scope"_s);
    if (scope.isEmpty())
        return missing(u"scope"_s);
    if (scope.compare(GraphScope, Qt::CaseInsensitive) != 0
        && scope.compare(GraphAppIdScope, Qt::CaseInsensitive) != 0) {
        return error(400, u"invalid_scope"_s, 1002012,
            u"The provided value for scope %1 is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier "
            "(application ID URI)."_s.arg(scope));
    }

    const QDateTime now = m_clock->now();
    // Drop what has expired, so that a long run does not keep every token it ever issued.
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it.value() <= now)
            it = m_tokens.erase(it);
        else
            ++it;
    }
    const QString token = randomToken();
    m_tokens.insert(token, now.addSecs(m_config.lifetime.count()));
    const qint64 lifetime = m_config.lifetime.count();
    return Response { 200,
        QJsonObject {
            { "token_type"_L1, u"Bearer"_s },
            { "expires_in"_L1, lifetime },
            { "ext_expires_in"_L1, lifetime },
            { "access_token"_L1, token },
        } };
}

TokenIssuer::Validity TokenIssuer::validate(const QString &token) const
{
    if (token.isEmpty())
        return Validity::Missing;
    const auto it = m_tokens.constFind(token);
    if (it == m_tokens.cend())
        return Validity::Unknown;
    return it.value() > m_clock->now() ? Validity::Valid : Validity::Expired;
}

int TokenIssuer::liveTokenCount() const
{
    const QDateTime now = m_clock->now();
    return int(std::count_if(m_tokens.cbegin(), m_tokens.cend(),
        [&now](const QDateTime &expiry) { return expiry > now; }));
}

} // namespace Sandbox

#include "grapherror.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

// Graph nests inner errors as "innerError" in its examples and as "innererror" in the OData
// spec and in some services; accept any spelling.
QJsonObject innerErrorOf(const QJsonObject &object)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key().compare("innerError"_L1, Qt::CaseInsensitive) == 0 && it.value().isObject())
            return it.value().toObject();
    }
    return {};
}

// Codes are strings in Graph, but a number is not worth losing ("code": 7505).
QString textOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

QString reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return u"Bad Request"_s;
    case 401:
        return u"Unauthorized"_s;
    case 403:
        return u"Forbidden"_s;
    case 404:
        return u"Not Found"_s;
    case 405:
        return u"Method Not Allowed"_s;
    case 408:
        return u"Request Timeout"_s;
    case 409:
        return u"Conflict"_s;
    case 410:
        return u"Gone"_s;
    case 412:
        return u"Precondition Failed"_s;
    case 413:
        return u"Payload Too Large"_s;
    case 415:
        return u"Unsupported Media Type"_s;
    case 424:
        return u"Failed Dependency"_s;
    case 429:
        return u"Too Many Requests"_s;
    case 500:
        return u"Internal Server Error"_s;
    case 501:
        return u"Not Implemented"_s;
    case 502:
        return u"Bad Gateway"_s;
    case 503:
        return u"Service Unavailable"_s;
    case 504:
        return u"Gateway Timeout"_s;
    default:
        break;
    }
    if (status >= 500)
        return u"Server error"_s;
    if (status >= 400)
        return u"Client error"_s;
    return u"Unexpected HTTP status"_s;
}

// The code Graph itself uses for a status, for error bodies we write without one.
QString defaultCode(int status)
{
    switch (status) {
    case 400:
        return u"invalidRequest"_s;
    case 401:
        return u"unauthenticated"_s;
    case 403:
        return u"accessDenied"_s;
    case 404:
        return u"itemNotFound"_s;
    case 405:
        return u"notAllowed"_s;
    case 429:
        return u"TooManyRequests"_s;
    case 501:
        return u"notSupported"_s;
    case 503:
        return u"serviceNotAvailable"_s;
    default:
        return u"generalException"_s;
    }
}

QString kindName(GraphError::Kind kind)
{
    switch (kind) {
    case GraphError::Kind::Http:
        return u"http"_s;
    case GraphError::Kind::Network:
        return u"network error"_s;
    case GraphError::Kind::Timeout:
        return u"timeout"_s;
    case GraphError::Kind::InvalidResponse:
        return u"invalid response"_s;
    case GraphError::Kind::Token:
        return u"token error"_s;
    case GraphError::Kind::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

// A body that is not JSON is usually an HTML page from a proxy: keep a short, single-line
// excerpt for the log, never the whole page.
QString excerpt(const QByteArray &body)
{
    constexpr qsizetype MaxExcerpt = 200;
    QString text = QString::fromUtf8(body.left(MaxExcerpt * 2)).simplified();
    if (text.size() > MaxExcerpt)
        text = text.left(MaxExcerpt) + u'…';
    return text;
}

} // namespace

GraphError GraphError::fromResponse(int httpStatus, const QByteArray &body,
    const QByteArray &requestIdHeader, const QByteArray &clientRequestIdHeader,
    const QByteArray &dateHeader)
{
    GraphError error;
    error.kind = Kind::Http;
    error.httpStatus = httpStatus;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue errorValue =
        document.isObject() ? document.object().value("error"_L1) : QJsonValue();
    if (errorValue.isObject()) {
        const QJsonObject object = errorValue.toObject();
        error.code = textOf(object.value("code"_L1));
        error.message = textOf(object.value("message"_L1));
        // Walk the chain: the ids sit in the first level, codes may sit in any.
        QJsonObject inner = innerErrorOf(object);
        for (int depth = 0; !inner.isEmpty() && depth < 32; ++depth) {
            if (const QString code = textOf(inner.value("code"_L1)); !code.isEmpty())
                error.innerCodes.append(code);
            if (error.requestId.isEmpty())
                error.requestId = textOf(inner.value("request-id"_L1));
            if (error.clientRequestId.isEmpty())
                error.clientRequestId = textOf(inner.value("client-request-id"_L1));
            if (error.date.isEmpty())
                error.date = textOf(inner.value("date"_L1));
            inner = innerErrorOf(inner);
        }
    } else if (errorValue.isString()) {
        // OAuth's shape, {"error":"invalid_client","error_description":"..."}, which proxies
        // in front of Graph answer with too.
        const QJsonObject object = document.object();
        error.code = errorValue.toString();
        error.message = textOf(object.value("error_description"_L1));
        error.requestId = textOf(object.value("trace_id"_L1));
        error.clientRequestId = textOf(object.value("correlation_id"_L1));
    } else if (!body.trimmed().isEmpty()) {
        error.detail = excerpt(body);
    }

    if (error.message.isEmpty())
        error.message = reasonPhrase(httpStatus);
    if (error.requestId.isEmpty())
        error.requestId = QString::fromLatin1(requestIdHeader);
    if (error.clientRequestId.isEmpty())
        error.clientRequestId = QString::fromLatin1(clientRequestIdHeader);
    if (error.date.isEmpty())
        error.date = QString::fromLatin1(dateHeader);
    return error;
}

GraphError GraphError::transport(Kind kind, const QString &detail)
{
    GraphError error;
    error.kind = kind;
    error.detail = detail;
    return error;
}

QJsonObject GraphError::toJson() const
{
    QJsonObject object;
    object.insert("code"_L1, code.isEmpty() ? defaultCode(httpStatus) : code);
    object.insert("message"_L1,
        message.isEmpty() ? (detail.isEmpty() ? reasonPhrase(httpStatus) : detail) : message);

    // Graph puts the ids and the first inner code in one innerError object, and any more
    // specific codes in innerError objects nested inside it.
    QJsonObject nested;
    for (qsizetype i = innerCodes.size() - 1; i >= 1; --i) {
        QJsonObject level { { "code"_L1, innerCodes.at(i) } };
        if (!nested.isEmpty())
            level.insert("innerError"_L1, nested);
        nested = level;
    }
    QJsonObject inner;
    if (!innerCodes.isEmpty())
        inner.insert("code"_L1, innerCodes.first());
    if (!date.isEmpty())
        inner.insert("date"_L1, date);
    if (!requestId.isEmpty())
        inner.insert("request-id"_L1, requestId);
    if (!clientRequestId.isEmpty())
        inner.insert("client-request-id"_L1, clientRequestId);
    if (!nested.isEmpty())
        inner.insert("innerError"_L1, nested);
    if (!inner.isEmpty())
        object.insert("innerError"_L1, inner);
    return QJsonObject { { "error"_L1, object } };
}

QByteArray GraphError::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QString GraphError::summary() const
{
    QString text = kind == Kind::Http ? QString() : kindName(kind);
    if (httpStatus != 0)
        text += (text.isEmpty() ? u""_s : u" "_s) + QString::number(httpStatus);
    if (!code.isEmpty())
        text += (text.isEmpty() ? u""_s : u" "_s) + code;
    QString what = message;
    if (!detail.isEmpty() && detail != message)
        what = what.isEmpty() ? detail : what + u" ("_s + detail + u')';
    if (!what.isEmpty())
        text += (text.isEmpty() ? u""_s : u": "_s) + what;
    if (!requestId.isEmpty())
        text += u" (request-id "_s + requestId + u')';
    return text;
}

} // namespace Graph

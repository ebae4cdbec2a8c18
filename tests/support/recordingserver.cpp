#include "recordingserver.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace TestSupport {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QString scriptKey(const QByteArray &method, const QString &path)
{
    return QString::fromLatin1(method.toUpper()) + u' ' + path;
}

bool hasHeaderIn(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RecordedRequest::hasHeader(QByteArrayView name) const
{
    return hasHeaderIn(headers, name);
}

QString RecordedRequest::queryItem(const QString &key) const
{
    return urlQuery().queryItemValue(key, QUrl::FullyDecoded);
}

QJsonObject RecordedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

CannedResponse CannedResponse::json(int status, const QJsonObject &body, HeaderList headers)
{
    return raw(status, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json",
        std::move(headers));
}

CannedResponse CannedResponse::empty(int status, HeaderList headers)
{
    return CannedResponse { status, std::move(headers), {}, CannedResponse::Break::None };
}

CannedResponse CannedResponse::raw(
    int status, QByteArray body, const QByteArray &contentType, HeaderList headers)
{
    if (!contentType.isEmpty() && !hasHeaderIn(headers, "Content-Type"))
        headers.append({ "Content-Type", contentType });
    return CannedResponse { status, std::move(headers), std::move(body),
        CannedResponse::Break::None };
}

CannedResponse CannedResponse::drop()
{
    CannedResponse response;
    response.breakConnection = Break::BeforeResponse;
    return response;
}

CannedResponse CannedResponse::truncated(QByteArray body)
{
    CannedResponse response = raw(200, std::move(body), "application/json");
    response.breakConnection = Break::MidResponse;
    return response;
}

CannedResponse CannedResponse::token(const QString &accessToken, int expiresIn)
{
    return json(200,
        QJsonObject { { "token_type"_L1, u"Bearer"_s }, { "expires_in"_L1, expiresIn },
            { "ext_expires_in"_L1, expiresIn }, { "access_token"_L1, accessToken } });
}

CannedResponse CannedResponse::graphError(int status, const QString &code, const QString &message,
    const QString &requestId, HeaderList headers)
{
    const QString id =
        requestId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : requestId;
    const QJsonObject inner {
        { "date"_L1, QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
        { "request-id"_L1, id },
    };
    const QJsonObject error {
        { "code"_L1, code },
        { "message"_L1, message },
        { "innerError"_L1, inner },
    };
    if (!hasHeaderIn(headers, "request-id"))
        headers.append({ "request-id", id.toLatin1() });
    return json(status, QJsonObject { { "error"_L1, error } }, std::move(headers));
}

RecordingServer::RecordingServer(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
    , m_default(CannedResponse::graphError(
          404, u"itemNotFound"_s, u"RecordingServer: no response is scripted"_s))
{
    // No routes: every request reaches the missing handler, whatever its method and path.
    m_server->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            handle(request, std::move(responder));
        });
    m_port = m_server->listen(QHostAddress::LocalHost, 0);
}

RecordingServer::~RecordingServer() = default;

QUrl RecordingServer::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
}

QUrl RecordingServer::url(const QString &pathAndQuery) const
{
    return QUrl::fromEncoded(baseUrl().toEncoded() + pathAndQuery.toUtf8());
}

void RecordingServer::enqueue(
    const QByteArray &method, const QString &path, CannedResponse response)
{
    m_script[scriptKey(method, path)].enqueue(std::move(response));
}

void RecordingServer::enqueue(const QString &methodAndPath, CannedResponse response)
{
    const qsizetype space = methodAndPath.indexOf(u' ');
    Q_ASSERT_X(space > 0, "RecordingServer::enqueue", "expects \"METHOD /path\"");
    enqueue(
        methodAndPath.left(space).toLatin1(), methodAndPath.mid(space + 1), std::move(response));
}

void RecordingServer::setDefaultResponse(CannedResponse response)
{
    m_default = std::move(response);
}

void RecordingServer::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

int RecordingServer::pendingResponses() const
{
    int count = 0;
    for (const QQueue<CannedResponse> &queue : m_script)
        count += int(queue.size());
    return count;
}

CannedResponse RecordingServer::responseFor(const RecordedRequest &request)
{
    if (m_handler) {
        if (std::optional<CannedResponse> response = m_handler(request))
            return std::move(*response);
    }
    const auto it = m_script.find(scriptKey(request.method, request.path));
    if (it != m_script.end() && !it->isEmpty())
        return it->dequeue();
    return m_default;
}

void RecordingServer::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    RecordedRequest recorded;
    recorded.method = methodName(request.method());
    recorded.path = request.url().path(QUrl::FullyEncoded);
    recorded.query = request.url().query(QUrl::FullyEncoded);
    for (const auto &header : request.headers())
        recorded.headers.append({ header.first, header.second });
    recorded.body = request.body();
    m_requests.append(recorded);

    const CannedResponse response = responseFor(recorded);
    // Signal after choosing the answer, so that a slot may script the next one.
    Q_EMIT requestReceived(recorded);

    if (response.breakConnection == CannedResponse::Break::BeforeResponse) {
        responder.socket()->abort();
        return;
    }
    // QHttpServerResponder::write() takes only an initializer_list of headers: write the
    // message piece by piece, with a Content-Length so that the connection can be kept alive.
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    if (response.breakConnection == CannedResponse::Break::MidResponse) {
        responder.writeBody(response.body.left(response.body.size() / 2));
        // A graceful close, so that what was written arrives before the end of the stream.
        responder.socket()->disconnectFromHost();
        return;
    }
    responder.writeBody(response.body);
}

} // namespace TestSupport

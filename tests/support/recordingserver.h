#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
QT_END_NAMESPACE

namespace TestSupport {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

//! One request as the server received it.
struct RecordedRequest
{
    QByteArray method; //!< "GET", "POST", ...
    QString path; //!< percent-encoded, as on the wire: "/v1.0/communications/calls/a%2Fb"
    QString query; //!< percent-encoded, without '?': "$filter=JoinWebUrl%20eq%20..."
    HeaderList headers; //!< as QHttpServer hands them over
    QByteArray body;

    //! The first header `name`, compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QUrlQuery urlQuery() const { return QUrlQuery(query); }
    //! The query item `key`, fully decoded.
    QString queryItem(const QString &key) const;
    //! The body as a JSON object; empty when it is not one.
    QJsonObject json() const;
    QString pathAndQuery() const { return query.isEmpty() ? path : path + u'?' + query; }
};

//! A scripted answer.
struct CannedResponse
{
    enum class Break {
        None,
        //! Close the connection without answering. Note that Qt's HTTP client resends any
        //! request (POSTs too) up to twice when a connection closes before the response.
        BeforeResponse,
        //! Send the status line, the headers and half of the body, then close: the client sees
        //! a network error (RemoteHostClosedError) and does not resend.
        MidResponse,
    };

    int status = 200;
    HeaderList headers;
    QByteArray body;
    Break breakConnection = Break::None;

    //! `body` as JSON with Content-Type: application/json.
    static CannedResponse json(int status, const QJsonObject &body, HeaderList headers = {});
    static CannedResponse empty(int status, HeaderList headers = {});
    static CannedResponse raw(
        int status, QByteArray body, const QByteArray &contentType, HeaderList headers = {});
    static CannedResponse drop();
    //! Break::MidResponse: a 200 that promises `body` and delivers half of it.
    static CannedResponse truncated(QByteArray body = "{\"id\":\"cut-short-response\"}");
    //! A client-credentials token response: {"token_type":"Bearer","expires_in":..,...}.
    static CannedResponse token(const QString &accessToken, int expiresIn = 3599);
    //! Graph's error body {"error":{"code","message","innerError":{"request-id","date"}}},
    //! with a `request-id` header.
    static CannedResponse graphError(int status, const QString &code, const QString &message,
        const QString &requestId = {}, HeaderList headers = {});
};

//! A loopback HTTP server for tests (QHttpServer, 127.0.0.1, an ephemeral port). It records
//! every request and answers from a script: first the handler, when set and it answers; then
//! the queue of responses for "METHOD path"; then the default response (404 with a Graph error
//! body unless set). It serves any path, the token endpoint of the token-source tests included.
class RecordingServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordingServer)

public:
    //! Answers a request dynamically, or returns nullopt to let the script answer.
    using Handler = std::function<std::optional<CannedResponse>(const RecordedRequest &)>;

    //! Listens at once; check isListening().
    explicit RecordingServer(QObject *parent = nullptr);
    ~RecordingServer() override;

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    //! http://127.0.0.1:<port>
    QUrl baseUrl() const;
    //! baseUrl() with `pathAndQuery` appended as it is.
    QUrl url(const QString &pathAndQuery) const;

    //! Queues a response for requests with this method and (percent-encoded) path, query
    //! excluded; each is used once, in order.
    void enqueue(const QByteArray &method, const QString &path, CannedResponse response);
    //! The same, keyed "POST /v1.0/communications/calls".
    void enqueue(const QString &methodAndPath, CannedResponse response);
    void setDefaultResponse(CannedResponse response);
    void setHandler(Handler handler);
    //! Responses queued and not used yet.
    int pendingResponses() const;

    QList<RecordedRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    RecordedRequest lastRequest() const { return m_requests.value(m_requests.size() - 1); }
    void clearRequests() { m_requests.clear(); }

Q_SIGNALS:
    void requestReceived(const TestSupport::RecordedRequest &request);

private:
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    CannedResponse responseFor(const RecordedRequest &request);

    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
    QList<RecordedRequest> m_requests;
    QHash<QString, QQueue<CannedResponse>> m_script;
    CannedResponse m_default;
    Handler m_handler;
};

} // namespace TestSupport

Q_DECLARE_METATYPE(TestSupport::RecordedRequest)
Q_DECLARE_METATYPE(TestSupport::CannedResponse)

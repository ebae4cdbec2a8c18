#include "graphreply.h"

#include "codec.h"
#include "graphclient.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

QString expectedName(GraphReply::Expect expect)
{
    switch (expect) {
    case GraphReply::Expect::Nothing:
        return u"nothing"_s;
    case GraphReply::Expect::Call:
        return u"a call"_s;
    case GraphReply::Expect::Operation:
        return u"a commsOperation"_s;
    case GraphReply::Expect::Participant:
        return u"a participant"_s;
    case GraphReply::Expect::ParticipantCollection:
        return u"a participant collection"_s;
    case GraphReply::Expect::OnlineMeeting:
        return u"an onlineMeeting"_s;
    case GraphReply::Expect::OnlineMeetingCollection:
        return u"an onlineMeeting collection"_s;
    }
    return {};
}

// Keeps the decoded value, or says why there is none.
template <typename T> std::optional<QString> take(Decoded<T> decoded, T &into)
{
    if (!decoded.ok())
        return decoded.error->toString();
    into = std::move(decoded.value);
    return std::nullopt;
}

} // namespace

GraphReply::GraphReply(Expect expect, QByteArray verb, QString pathAndQuery, GraphClient *client)
    : QObject(client)
    , m_expect(expect)
    , m_verb(std::move(verb))
    , m_pathAndQuery(std::move(pathAndQuery))
{ }

GraphReply::~GraphReply() = default;

QByteArray GraphReply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString GraphReply::requestId() const
{
    return QString::fromLatin1(header("request-id"));
}

QUrl GraphReply::location() const
{
    const QByteArray value = header("Location");
    if (value.isEmpty())
        return {};
    return m_requestUrl.resolved(QUrl::fromEncoded(value));
}

void GraphReply::abort()
{
    if (m_finished || m_finishing)
        return;
    m_aborting = true;
    if (m_network) {
        // Its finished() arrives at once and reports the cancellation.
        m_network->abort();
        return;
    }
    // Waiting for a token or a retry: nothing on the wire to stop.
    finish(GraphError::transport(GraphError::Kind::Cancelled, u"request cancelled"_s));
}

void GraphReply::setResponse(
    int status, QByteArray body, QList<QNetworkReply::RawHeaderPair> headers)
{
    m_httpStatus = status;
    m_body = std::move(body);
    m_headers = std::move(headers);
}

void GraphReply::decodeBody()
{
    std::optional<QString> problem;
    switch (m_expect) {
    case Expect::Nothing:
        return;
    case Expect::Call:
        problem = take(decodeCallDocument(m_body), m_call);
        break;
    case Expect::Operation:
        problem = take(decodeOperationDocument(m_body), m_operation);
        break;
    case Expect::Participant:
        problem = take(decodeParticipantDocument(m_body), m_participant);
        break;
    case Expect::ParticipantCollection:
        problem = take(decodeParticipantCollection(m_body), m_participants);
        break;
    case Expect::OnlineMeeting:
        problem = take(decodeOnlineMeetingDocument(m_body), m_meeting);
        break;
    case Expect::OnlineMeetingCollection:
        problem = take(decodeOnlineMeetingCollection(m_body), m_meetings);
        break;
    }
    if (!problem)
        return;
    GraphError error = GraphError::transport(GraphError::Kind::InvalidResponse,
        u"HTTP %1 should carry %2: %3"_s.arg(
            QString::number(m_httpStatus), expectedName(m_expect), *problem));
    error.httpStatus = m_httpStatus;
    error.message = error.detail;
    error.requestId = requestId();
    error.clientRequestId = m_clientRequestId;
    m_error = std::move(error);
}

void GraphReply::finish(std::optional<GraphError> error)
{
    if (m_finished || m_finishing)
        return;
    if (error)
        m_error = std::move(error);
    m_finishing = true;
    // Always from the event loop, so that a caller connects to finished() before it comes,
    // even when the request fails before reaching the network.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_finished = true;
            Q_EMIT finished();
            if (m_autoDelete)
                deleteLater();
        },
        Qt::QueuedConnection);
}

} // namespace Graph

#pragma once

#include "grapherror.h"
#include "types.h"

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace Graph {

class GraphClient;

//! The job that one GraphClient request returns: it lives through the token request, the
//! retries and the final response, and then reports once.
//!
//! Lifetime: the reply is a child of its GraphClient. It emits finished() exactly once, always
//! from the event loop (never from inside the method that created it), and then deletes itself
//! with deleteLater(): its accessors are valid in slots connected to finished() and until
//! control returns to the event loop. Call setAutoDelete(false) to keep it longer; the caller
//! then deletes it. Deleting a reply before it has finished cancels the request without any
//! signal. A reply never outlives its client.
class GraphReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphReply)

public:
    //! What a successful response carries; decided by the endpoint.
    enum class Expect {
        Nothing, //!< 202/204/200 whose body, if any, is not read
        Call, //!< a call
        Operation, //!< a commsOperation subtype
        Participant, //!< a participant
        ParticipantCollection, //!< {"value":[participant...]}
        OnlineMeeting, //!< an onlineMeeting
        OnlineMeetingCollection, //!< {"value":[onlineMeeting...]}
    };

    ~GraphReply() override;

    Expect expected() const { return m_expect; }
    QByteArray verb() const { return m_verb; }
    QString pathAndQuery() const { return m_pathAndQuery; }

    bool isFinished() const { return m_finished; }
    //! A 2xx response whose body is what the endpoint returns.
    bool isSuccess() const { return m_finished && !m_error; }
    //! The final response's status; 0 when no response came (network, timeout, token).
    int httpStatus() const { return m_httpStatus; }
    QByteArray body() const { return m_body; }
    QList<QNetworkReply::RawHeaderPair> headers() const { return m_headers; }
    //! The final response's header `name`, compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    QString requestId() const; //!< the response's `request-id` header
    //! The `client-request-id` sent with every attempt of this request.
    QString clientRequestId() const { return m_clientRequestId; }
    QUrl location() const; //!< the `Location` header, resolved against the request URL
    //! HTTP requests sent: 1 plus retries plus the one after a token refresh.
    int attempts() const { return m_attempts; }
    std::optional<GraphError> error() const { return m_error; }

    // Typed results, decoded with graph/codec.h when the request expects them; otherwise (or
    // on error) default values.
    Call call() const { return m_call; }
    CommsOperation operation() const { return m_operation; }
    Participant participant() const { return m_participant; }
    QList<Participant> participants() const { return m_participants; }
    OnlineMeeting onlineMeeting() const { return m_meeting; }
    QList<OnlineMeeting> onlineMeetings() const { return m_meetings; }

    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

    //! Stops the request: finished() follows with a Kind::Cancelled error. No-op once finished.
    void abort();

Q_SIGNALS:
    void finished();
    //! A retry will be sent after `delay`; `attempt` is its number (1 for the first retry).
    void retryScheduled(int attempt, std::chrono::milliseconds delay);

private:
    friend class GraphClient;

    GraphReply(Expect expect, QByteArray verb, QString pathAndQuery, GraphClient *client);

    //! Keeps the latest attempt's response; decodeBody() reads it for `m_expect`.
    void setResponse(int status, QByteArray body, QList<QNetworkReply::RawHeaderPair> headers);
    void decodeBody();
    void finish(std::optional<GraphError> error);

    Expect m_expect;
    QByteArray m_verb;
    QString m_pathAndQuery;
    QByteArray m_requestBody;
    QList<std::pair<QByteArray, QByteArray>> m_extraHeaders;
    QString m_clientRequestId;
    QString m_token;
    QPointer<QNetworkReply> m_network;
    QUrl m_requestUrl;

    int m_attempts = 0;
    int m_retries = 0;
    bool m_tokenRefreshed = false;
    bool m_aborting = false;
    bool m_finished = false;
    bool m_finishing = false;
    bool m_autoDelete = true;

    int m_httpStatus = 0;
    QByteArray m_body;
    QList<QNetworkReply::RawHeaderPair> m_headers;
    std::optional<GraphError> m_error;

    Call m_call;
    CommsOperation m_operation;
    Participant m_participant;
    QList<Participant> m_participants;
    OnlineMeeting m_meeting;
    QList<OnlineMeeting> m_meetings;
};

} // namespace Graph

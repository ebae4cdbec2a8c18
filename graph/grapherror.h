#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Graph {

//! An error from Graph (or from getting there), as a value. It carries what an operator needs to
//! report it: the HTTP status, Graph's code and message, the nested inner codes, and the ids that
//! let Microsoft support find the request.
struct GraphError
{
    enum class Kind {
        Http, //!< Graph answered with a non-2xx status
        Network, //!< no answer: connection refused, reset, DNS, TLS
        Timeout, //!< no answer in time
        InvalidResponse, //!< a 2xx whose body is not what the endpoint returns
        Token, //!< the access token could not be obtained
        Cancelled,
    };

    Kind kind = Kind::Http;
    int httpStatus = 0;
    QString code; //!< "itemNotFound", "7505", "TooManyRequests", ...
    QString message;
    QStringList innerCodes; //!< innerError.code chain, outermost first
    QString requestId;
    QString clientRequestId;
    QString date;
    QString detail; //!< transport or parse detail, for Kind != Http

    //! Reads Graph's error body `{"error":{"code","message","innerError":{...}}}`. Takes the ids
    //! from the headers when the body lacks them. A body that is not an error object still
    //! gives an error with the status and a message.
    static GraphError fromResponse(int httpStatus, const QByteArray &body,
        const QByteArray &requestIdHeader = {}, const QByteArray &clientRequestIdHeader = {},
        const QByteArray &dateHeader = {});
    static GraphError transport(Kind kind, const QString &detail);

    //! Graph's error body for this error; used by the sandbox and the relay to answer.
    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;

    //! "403 7505: Request authorization tenant mismatch (request-id 3f2a...)" — one line, English,
    //! for logs and the event log; the console words it for people itself.
    QString summary() const;

    bool isThrottling() const { return httpStatus == 429; }
    bool isNotFound() const { return httpStatus == 404; }
};

} // namespace Graph

Q_DECLARE_METATYPE(Graph::GraphError)

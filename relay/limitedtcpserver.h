#pragma once

#include <QByteArray>
#include <QString>
#include <QTcpServer>

#include <functional>

namespace Relay {

//! Called when a request is refused on the socket: its path, the status sent (413 or 431) and
//! the Content-Length it declared (-1 when none).
using RefusedRequest = std::function<void(const QByteArray &path, int status, qint64 declared)>;

//! A listening socket whose connections are watched, as their bytes arrive and before
//! QHttpServer reads them, for request bodies over `maxBodyBytes` and request heads over 64 KiB.
//! Such a request is answered 413 (or 431) and the connection closed, without buffering the
//! body: QHttpServer 6.4 keeps a whole request in memory before any handler runs, and has no
//! limit of its own. The caller owns the server (bind it to the QHttpServer).
QTcpServer *makeLimitedTcpServer(qint64 maxBodyBytes, RefusedRequest refused);

//! `{"error":{"code","message"}}`, compact.
QByteArray httpErrorJson(const QString &code, const QString &message);

} // namespace Relay

#include "actiongateway.h"

#include "apihttp.h"
#include "auditlog.h"
#include "claims.h"
#include "eventhub.h"
#include "graphproxy.h"
#include "journal.h"

#include <QHash>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcGateway, "frontdesk.relay.actions")

} // namespace

struct ActionGateway::Private
{
    RelayContext context;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<ClaimRegistry> claims;
    std::unique_ptr<GraphProxy> proxy;
    QHash<QString, int> consoles; // by operator: consoles connected

    void serveApi(const QHttpServerRequest &request, QHttpServerResponder &&responder,
        const std::function<HttpAnswer(const OperatorIdentity &)> &serve) const;
    void consoleLeft(QObject *owner, const QString &operatorName);
};

void ActionGateway::Private::serveApi(const QHttpServerRequest &request,
    QHttpServerResponder &&responder,
    const std::function<HttpAnswer(const OperatorIdentity &)> &serve) const
{
    PendingResponse response(std::move(responder));
    const std::optional<OperatorIdentity> op = requestOperator(request, *context.operators);
    const HttpAnswer answer = op ? serve(*op) : apiUnauthorized();
    response.send(answer);
    qCInfo(lcGateway).noquote() << u"%1 %2 %3 -> %4"_s
                                       .arg(op ? op->name : u"-"_s,
                                           QString::fromLatin1(methodName(request.method())),
                                           request.url().path(QUrl::FullyEncoded))
                                       .arg(answer.status);
}

void ActionGateway::Private::consoleLeft(QObject *owner, const QString &operatorName)
{
    consoles.remove(operatorName);
    // Deferred by one turn of the event loop: at shutdown the hub closes every console and the
    // journal is closed in the same call, so the claims are kept for the restarted relay; an
    // operator who is back by then keeps them too.
    QTimer::singleShot(0, owner, [this, operatorName] {
        if (!context.journal->isOpen() || consoles.value(operatorName) > 0)
            return;
        claims->releaseAllOf(operatorName, u"disconnected"_s);
    });
}

ActionGateway::ActionGateway(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->context = context;
    d->audit = std::make_unique<AuditLog>(context.journal);
    QString why;
    if (!d->audit->open(&why))
        qCCritical(lcGateway).noquote() << "the audit log cannot be opened:" << why;
    d->claims = std::make_unique<ClaimRegistry>(context.state, context.publisher);
    d->proxy = std::make_unique<GraphProxy>(context, d->claims.get(), d->audit.get());

    Private *p = d.get();
    connect(context.hub, &EventHub::consoleConnected, this,
        [p](const QString &name) { ++p->consoles[name]; });
    connect(context.hub, &EventHub::consoleDisconnected, this,
        [this, p](const QString &name) { p->consoleLeft(this, name); });

    constexpr auto AnyMethod = QHttpServerRequest::Method::AnyKnown;
    // Patterns with '^' are regular expressions that QHttpServer 6.4 uses as they are: the
    // proxy takes every method under its prefix, so that what is not allowed gets Graph's 404.
    context.http->route(u"^/graph/v1\\.0(?:/.*)?$"_s, AnyMethod,
        [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            p->proxy->handle(request, std::move(responder));
        });
    context.http->route(u"^/api/calls/[^/]+/claim$"_s, AnyMethod,
        [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const QString callId = decodeSegment(encodedSegments(request).value(2));
            p->serveApi(request, std::move(responder),
                [&](const OperatorIdentity &op) { return p->claims->serve(op, request, callId); });
        });
    context.http->route(u"^/api/audit$"_s, AnyMethod,
        [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            p->serveApi(request, std::move(responder), [&](const OperatorIdentity &op) {
                if (request.method() != QHttpServerRequest::Method::Get)
                    return apiMethodNotAllowed("GET");
                return p->audit->serve(op, request);
            });
        });
}

ActionGateway::~ActionGateway() = default;

ClaimRegistry *ActionGateway::claims() const
{
    return d->claims.get();
}

AuditLog *ActionGateway::audit() const
{
    return d->audit.get();
}

GraphProxy *ActionGateway::proxy() const
{
    return d->proxy.get();
}

} // namespace Relay

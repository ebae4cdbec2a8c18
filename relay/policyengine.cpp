#include "policyengine.h"

#include "blocklist.h"
#include "eventpublisher.h"
#include "graph/clock.h"
#include "graph/codec.h"
#include "graph/graphreply.h"
#include "ivrrunner.h"
#include "journal.h"
#include "keepalive.h"
#include "policyshared.h"
#include "reconciler.h"
#include "relayconfig.h"
#include "relaystate.h"
#include "transferwatch.h"
#include "unattended.h"

using namespace Qt::StringLiterals;

namespace Relay {

Q_LOGGING_CATEGORY(lcPolicy, "frontdesk.relay.policy")

bool isConnectedState(Graph::CallState state)
{
    switch (state) {
    case Graph::CallState::Established:
    case Graph::CallState::Hold:
    case Graph::CallState::Transferring:
    case Graph::CallState::TransferAccepted:
        return true;
    default:
        return false;
    }
}

bool isTransferState(Graph::CallState state)
{
    return state == Graph::CallState::Transferring || state == Graph::CallState::TransferAccepted;
}

QJsonObject graphFailureFields(const Graph::GraphReply *reply)
{
    const std::optional<Graph::GraphError> error = reply->error();
    QString code;
    QString message;
    QString requestId = reply->requestId();
    if (error) {
        code = error->code;
        message = error->message.isEmpty() ? error->detail : error->message;
        if (!error->requestId.isEmpty())
            requestId = error->requestId;
        // The token endpoint's own code would read as Graph's: say what failed instead.
        if (error->kind == Graph::GraphError::Kind::Token)
            code.clear();
        if (code.isEmpty()) {
            switch (error->kind) {
            case Graph::GraphError::Kind::Network:
                code = u"networkError"_s;
                break;
            case Graph::GraphError::Kind::Timeout:
                code = u"timeout"_s;
                break;
            case Graph::GraphError::Kind::InvalidResponse:
                code = u"invalidResponse"_s;
                break;
            case Graph::GraphError::Kind::Token:
                code = u"tokenUnavailable"_s;
                break;
            case Graph::GraphError::Kind::Cancelled:
                code = u"cancelled"_s;
                break;
            case Graph::GraphError::Kind::Http:
                code = QString::number(reply->httpStatus());
                break;
            }
        }
    }
    return QJsonObject {
        { "status"_L1, reply->httpStatus() },
        { "code"_L1, code },
        { "message"_L1, message },
        { "requestId"_L1, requestId },
    };
}

struct PolicyEngine::Private
{
    RelayContext context;
    std::unique_ptr<Blocklist> blocklist;
    BlocklistApi *api = nullptr;
    UnattendedPolicy *unattended = nullptr;
    KeepAlive *keepAlive = nullptr;
    Reconciler *reconciler = nullptr;
    TransferWatch *transfers = nullptr;
    IvrRunner *ivr = nullptr; //!< only with [ivr] flows

    void start();
    void onPublished(const QList<StreamEvent> &events);
};

PolicyEngine::PolicyEngine(const RelayContext &context, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->context = context;
    d->blocklist = std::make_unique<Blocklist>(context.journal->connectionName());
    QString why;
    if (!d->blocklist->open(context.config->blocklist, &why)) {
        // Calls still get the unattended policy; /api/blocklist answers 503 meanwhile.
        qCCritical(lcPolicy).noquote() << "no blocklist:" << why;
    }
    d->api = new BlocklistApi(context, d->blocklist.get(), this);
    d->unattended = new UnattendedPolicy(context, d->blocklist.get(), this);
    d->keepAlive = new KeepAlive(context, this);
    d->reconciler = new Reconciler(context, this);
    d->transfers = new TransferWatch(context, this);
    if (context.ivrFlows && !context.ivrFlows->isEmpty()) {
        d->ivr = new IvrRunner(context, *context.ivrFlows, this);
        d->unattended->setIvr(d->ivr);
    }

    Private *p = d.get();
    connect(context.publisher, &EventPublisher::published, this,
        [p](const QList<StreamEvent> &events) { p->onPublished(events); });
    // The rebuilt state's calls are taken up once the relay is running: a start that fails
    // after this point must not have acted on Graph.
    context.clock->schedule(std::chrono::milliseconds(0), this, [p] { p->start(); });
}

PolicyEngine::~PolicyEngine() = default;

void PolicyEngine::Private::start()
{
    if (!context.journal->isOpen())
        return;
    transfers->start();
    keepAlive->start();
    reconciler->start();
    const Graph::CallBook &book = context.state->book();
    const QStringList ids = book.ids(); // acting publishes events, which may change the book
    if (ivr)
        ivr->start();
    for (const QString &id : ids)
        unattended->consider(id);
    qCInfo(lcPolicy).noquote() << "unattended" << unattendedModeName(context.config->unattended)
                               << "after" << context.config->answerDeadline.count() << "s,"
                               << blocklist->entries().size() << "blocklisted, keepAlive every"
                               << context.config->keepAlive.count() << "min, reconcile after"
                               << context.config->reconcileAfter.count() << "s";
}

void PolicyEngine::Private::onPublished(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events) {
        QString callId;
        bool ringing = false;
        if (event.type == StreamEvent::Type::Notification) {
            const Graph::Decoded<Graph::CommsNotification> n =
                Graph::decodeNotification(event.notification);
            if (!n)
                continue;
            transfers->observe(n.value);
            callId = n.value.callId;
            const QJsonObject data = n.value.resourceData.toObject();
            ringing = n.value.kind == Graph::ResourceKind::Call
                && n.value.changeType == Graph::ChangeType::Created
                && data.value("state"_L1).toString().compare("incoming"_L1, Qt::CaseInsensitive)
                    == 0
                && data.value("direction"_L1).toString().compare("incoming"_L1, Qt::CaseInsensitive)
                    == 0;
        } else {
            transfers->observeRelay(event);
            callId = event.callId();
            if (ivr && !callId.isEmpty())
                ivr->relayEvent(event.relayKind(), callId, event.relay);
        }
        if (callId.isEmpty())
            continue;
        if (ringing)
            unattended->consider(callId);
        unattended->callChanged(callId);
        keepAlive->callChanged(callId);
        if (ivr)
            ivr->callChanged(callId);
    }
}

} // namespace Relay

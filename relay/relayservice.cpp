#include "relayservice.h"

#include "actiongateway.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "journal.h"
#include "jwksprovider.h"
#include "metrics.h"
#include "operators.h"
#include "policyengine.h"
#include "relayserver.h"
#include "relaystate.h"
#include "reminders.h"

#include <QDir>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

Q_LOGGING_CATEGORY(lcRelay, "frontdesk.relay")

// Events read from the journal at a time while the state is rebuilt.
constexpr int ReplayBatch = 5000;

} // namespace

RelayService::RelayService(RelayConfig config, Graph::Clock *clock, QObject *parent)
    : RelayService(std::move(config), clock, Timing {}, parent)
{ }

RelayService::RelayService(RelayConfig config, Graph::Clock *clock, Timing timing, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_timing(timing)
{ }

RelayService::~RelayService()
{
    shutdown();
    // No drained() from a destructor: the sockets go with the hub below.
    m_drainPending = false;
    ++m_generation;
    teardown();
}

bool RelayService::start(QString *error)
{
    const auto fail = [&](const QString &why) {
        teardown();
        if (error)
            *error = why;
        return false;
    };
    if (m_running)
        return fail(u"the relay is already running"_s);
    teardown();

    if (!QDir().mkpath(m_config.dataDir)) {
        return fail(u"[server] dataDir: cannot create %1"_s.arg(
            QDir::toNativeSeparators(m_config.dataDir)));
    }
    QString why;
    // The flows are checked before anything starts: a bad flow must not leave a relay that
    // answers calls without it.
    const std::optional<QList<IvrFlow>> flows =
        IvrFlow::loadAll(m_config.ivrFlowFiles, m_config.policyFlow, &why);
    if (!flows) {
        return fail(m_config.ivrFlowFiles.isEmpty() ? u"[policy] flow: "_s + why
                                                    : u"[ivr] flows: "_s + why);
    }
    m_ivrFlows = *flows;
    if (!openJournal(&why))
        return fail(why);
    rebuildState();
    m_state->expire(m_clock->now());

    m_operators = std::make_unique<OperatorDirectory>(m_config.operators);
    m_metrics = std::make_unique<Metrics>();
    m_network = std::make_unique<QNetworkAccessManager>();
    if (!startKeys(&why))
        return fail(why);

    m_hub = std::make_unique<EventHub>(m_journal.get(), m_state.get(), m_metrics.get(),
        m_timing.hub, m_config.publicUrl.toString());
    RelayServer::Parts parts;
    parts.config = &m_config;
    parts.journal = m_journal.get();
    parts.state = m_state.get();
    parts.hub = m_hub.get();
    parts.metrics = m_metrics.get();
    parts.operators = m_operators.get();
    parts.jwks = m_jwks.get();
    parts.clock = m_clock;
    m_publisher = std::make_unique<EventPublisher>(
        m_journal.get(), m_state.get(), m_hub.get(), m_metrics.get(), m_clock);
    parts.publisher = m_publisher.get();
    m_server = std::make_unique<RelayServer>(parts);

    // The relay's own way to Graph: the bot's app token, fetched with client credentials.
    Graph::ClientCredentialsTokenSource::Config tokenConfig;
    tokenConfig.tokenUrl = m_config.tokenUrl();
    tokenConfig.clientId = m_config.clientId;
    tokenConfig.clientSecret = m_config.clientSecret;
    m_tokens = std::make_unique<Graph::ClientCredentialsTokenSource>(
        m_network.get(), m_clock, tokenConfig);
    m_graph = std::make_unique<Graph::GraphClient>(
        m_network.get(), m_tokens.get(), m_clock, m_config.graphBaseUrl);

    RelayContext context;
    context.config = &m_config;
    context.journal = m_journal.get();
    context.state = m_state.get();
    context.hub = m_hub.get();
    context.publisher = m_publisher.get();
    context.metrics = m_metrics.get();
    context.operators = m_operators.get();
    context.graph = m_graph.get();
    context.clock = m_clock;
    context.http = m_server->http();
    context.ivrFlows = &m_ivrFlows;
    m_actions = std::make_unique<ActionGateway>(context);
    m_policy = std::make_unique<PolicyEngine>(context);
    m_reminders = std::make_unique<Reminders>(context);

    if (!m_server->listen(m_config.listenHost, m_config.listenPort, &why))
        return fail(u"[server] listen: "_s + why);
    if (m_config.tlsEnabled() && m_server->baseUrl().scheme() != "https"_L1) {
        // Never serve plain HTTP where the configuration asked for HTTPS.
        return fail(u"[server] certificate: this relay cannot serve HTTPS itself yet; terminate "
                    u"TLS in a reverse proxy and leave certificate and privateKey empty"_s);
    }

    m_running = true;
    m_drainPending = false;
    ++m_generation;
    scheduleExpiry();
    scheduleCheckpoint();
    if (m_config.operators.isEmpty())
        qCWarning(lcRelay) << "no operators are configured: no console can connect";
    qCInfo(lcRelay).noquote() << "started on" << listeningAddress() << "stream"
                              << m_journal->streamId() << "seq" << m_journal->lastSeq() << "with"
                              << m_config.operators.size() << "operators, data in"
                              << QDir::toNativeSeparators(m_config.dataDir);
    return true;
}

bool RelayService::openJournal(QString *error)
{
    const QString path = QDir(m_config.dataDir).filePath(u"journal.sqlite"_s);
    // Unique per service, so that tests may run several relays in one process.
    const QString connection =
        u"frontdesk.relay.journal.%1.%2"_s.arg(quintptr(this), 0, 16).arg(m_generation);
    m_journal = std::make_unique<Journal>(path, connection);
    return m_journal->open(error);
}

void RelayService::rebuildState()
{
    const auto retention =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_config.endedRetention);
    m_state = std::make_unique<RelayState>(retention, m_config.answerDeadline);
    m_checkpointSeq = 0;
    if (const std::optional<Journal::Checkpoint> checkpoint = m_journal->latestCheckpoint()) {
        QString why;
        if (m_state->restoreCheckpoint(checkpoint->seq, checkpoint->state, &why)) {
            m_checkpointSeq = checkpoint->seq;
        } else {
            // Starting with what is left beats not starting: calls are ringing.
            qCCritical(lcRelay).noquote()
                << u"the checkpoint at seq %1 cannot be restored (%2); rebuilding from the events "
                   u"still in the journal"_s.arg(checkpoint->seq)
                       .arg(why);
            m_state = std::make_unique<RelayState>(retention, m_config.answerDeadline);
        }
    }

    qint64 after = m_state->seq();
    qint64 replayed = 0;
    for (;;) {
        const QList<StreamEvent> batch = m_journal->readAfter(after, ReplayBatch);
        if (batch.isEmpty())
            break;
        if (batch.constFirst().seq != after + 1) {
            qCWarning(lcRelay).noquote()
                << u"the journal has no events %1 to %2; the state skips them"_s.arg(after + 1).arg(
                       batch.constFirst().seq - 1);
        }
        for (const StreamEvent &event : batch)
            m_state->apply(event);
        after = batch.constLast().seq;
        replayed += batch.size();
    }
    if (m_state->seq() != m_journal->lastSeq()) {
        qCWarning(lcRelay) << "the state is at seq" << m_state->seq() << "but the journal at"
                           << m_journal->lastSeq();
    }
    qCDebug(lcRelay) << "state rebuilt from checkpoint" << m_checkpointSeq << "and" << replayed
                     << "events";
}

bool RelayService::startKeys(QString *error)
{
    m_jwks = std::make_unique<JwksProvider>(m_network.get(), m_clock);
    if (!m_config.jwksFile.isEmpty()) {
        QString why;
        if (!m_jwks->loadFile(m_config.jwksFile, &why)) {
            if (error)
                *error = u"[callbacks] jwksFile: "_s + why;
            return false;
        }
        return true;
    }
    // Fetched in the background (the provider logs failures): a callback that arrives first
    // waits for the keys.
    m_jwks->setUrl(m_config.jwksUrl);
    m_jwks->refresh();
    return true;
}

void RelayService::scheduleExpiry()
{
    const quint64 generation = m_generation;
    m_clock->schedule(m_timing.expiry, this, [this, generation] {
        if (!m_running || generation != m_generation)
            return;
        expireEndedCalls();
        scheduleExpiry();
    });
}

void RelayService::scheduleCheckpoint()
{
    const quint64 generation = m_generation;
    m_clock->schedule(m_timing.checkpoint, this, [this, generation] {
        if (!m_running || generation != m_generation)
            return;
        QString why;
        if (!checkpoint(&why))
            qCWarning(lcRelay).noquote() << "checkpoint failed:" << why;
        scheduleCheckpoint();
    });
}

int RelayService::expireEndedCalls()
{
    if (!m_state)
        return 0;
    return int(m_state->expire(m_clock->now()).size());
}

bool RelayService::checkpoint(QString *error)
{
    if (!m_journal || !m_state) {
        if (error)
            *error = u"the relay is not running"_s;
        return false;
    }
    const qint64 seq = m_state->seq();
    if (seq != m_checkpointSeq) {
        if (!m_journal->writeCheckpoint(seq, m_state->toCheckpoint(), error))
            return false;
        m_checkpointSeq = seq;
    }
    const QDateTime before = m_clock->now().addSecs(
        std::chrono::duration_cast<std::chrono::seconds>(m_config.resumeWindow).count() * -1);
    QString why;
    const int removed = m_journal->compact(before, &why);
    if (removed < 0) {
        if (error)
            *error = why;
        return false;
    }
    if (removed > 0)
        qCDebug(lcRelay) << "compacted" << removed << "events older than" << before;
    return true;
}

void RelayService::shutdown()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_server->stopAccepting();
    QString why;
    if (!checkpoint(&why))
        qCWarning(lcRelay).noquote() << "the checkpoint at shutdown failed:" << why;
    const int consoles = m_hub->consoleCount();
    m_hub->closeAll(QWebSocketProtocol::CloseCodeGoingAway, u"the relay is shutting down"_s);
    const qint64 seq = m_journal->lastSeq();
    m_journal->close();
    qCInfo(lcRelay).noquote() << "stopped at seq" << seq << "after closing" << consoles
                              << "consoles";
    watchDrain();
}

void RelayService::watchDrain()
{
    // The hub parents its consoles' sockets and deletes each once it has delivered its close
    // frame (or given up on it); until then the event loop must keep running.
    m_drainPending = true;
    const QList<QWebSocket *> sockets =
        m_hub->findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    m_draining = int(sockets.size());
    const quint64 generation = m_generation;
    for (QWebSocket *socket : sockets) {
        connect(socket, &QObject::destroyed, this, [this, generation] {
            if (generation == m_generation && --m_draining == 0)
                finishDrain();
        });
    }
    if (m_draining == 0) {
        QMetaObject::invokeMethod(this, &RelayService::finishDrain, Qt::QueuedConnection);
        return;
    }
    m_clock->schedule(m_timing.drainLimit, this, [this, generation] {
        if (generation == m_generation)
            finishDrain();
    });
}

void RelayService::finishDrain()
{
    if (!m_drainPending)
        return;
    m_drainPending = false;
    Q_EMIT drained();
}

void RelayService::teardown()
{
    // Bottom up: each part may still point at the parts above it.
    m_reminders.reset();
    m_policy.reset();
    m_actions.reset();
    m_server.reset();
    m_publisher.reset();
    m_graph.reset();
    m_tokens.reset();
    m_hub.reset();
    m_jwks.reset();
    m_network.reset();
    m_metrics.reset();
    m_operators.reset();
    m_state.reset();
    m_journal.reset();
}

QUrl RelayService::baseUrl() const
{
    return m_server ? m_server->baseUrl() : QUrl();
}

QString RelayService::listeningAddress() const
{
    const QUrl base = baseUrl();
    if (base.isEmpty())
        return {};
    const QString scheme = base.scheme().isEmpty() ? u"http"_s : base.scheme();
    const QHostAddress host(base.host());
    const QString hostPort =
        host.isNull() ? base.authority() : RelayConfig::formatHostPort(host, quint16(base.port()));
    return scheme + u"://"_s + hostPort;
}

} // namespace Relay

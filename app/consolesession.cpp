#include "consolesession.h"

#include "graph/clock.h"
#include "graph/graphclient.h"
#include "graph/tokensource.h"
#include "models/callstore.h"
#include "models/calltexts.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUuid>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

Q_LOGGING_CATEGORY(lcSession, "frontdesk.console.session")

constexpr auto TickInterval = 1s;
constexpr auto ApiTimeout = 30s;

//! `<relay>/<path>`, below the relay URL's own path when it has one.
QUrl below(const QUrl &relayUrl, const QString &path)
{
    QUrl url = relayUrl;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

Graph::IdentitySet identityOf(const Gui::CallTarget &target)
{
    return target.kind == Gui::CallTarget::Kind::Phone
        ? Graph::IdentitySet::phone(target.id, target.displayName)
        : Graph::IdentitySet::user(target.id, target.displayName);
}

Graph::InvitationParticipantInfo invitationOf(const Gui::CallTarget &target)
{
    Graph::InvitationParticipantInfo info;
    info.identity = identityOf(target);
    return info;
}

//! A name for errors that never reached Graph, so the log still shows a code.
QString transportCode(Graph::GraphError::Kind kind)
{
    switch (kind) {
    case Graph::GraphError::Kind::Http:
        return QString();
    case Graph::GraphError::Kind::Network:
        return u"networkError"_s;
    case Graph::GraphError::Kind::Timeout:
        return u"timeout"_s;
    case Graph::GraphError::Kind::InvalidResponse:
        return u"invalidResponse"_s;
    case Graph::GraphError::Kind::Token:
        return u"noToken"_s;
    case Graph::GraphError::Kind::Cancelled:
        return u"cancelled"_s;
    }
    return QString();
}

void fillFromError(Gui::ActionResult *result, const Graph::GraphError &error)
{
    result->httpStatus = error.httpStatus;
    result->code = error.code.isEmpty() ? transportCode(error.kind) : error.code;
    result->message = error.message.isEmpty() ? error.detail : error.message;
    if (!error.requestId.isEmpty())
        result->requestId = error.requestId;
}

} // namespace

namespace App {

ConsoleSession::ConsoleSession(const QUrl &relayUrl, const QString &token,
    QNetworkAccessManager *nam, Graph::Clock *clock, Models::CallStore *store, QObject *parent)
    : QObject(parent)
    , m_relayUrl(relayUrl)
    , m_nam(nam)
    , m_clock(clock)
    , m_store(store)
    , m_tokens(std::make_unique<Graph::StaticTokenSource>(token))
{
    connect(m_store, &Models::CallStore::callAdded, this, &ConsoleSession::onCallAdded);
    connect(m_store, &Models::CallStore::callAdded, this, &ConsoleSession::playPendingPrompt);
    connect(m_store, &Models::CallStore::callChanged, this, &ConsoleSession::playPendingPrompt);
    createClients();
}

ConsoleSession::~ConsoleSession()
{
    // The connection goes first: it must not report a state change into a half-destroyed
    // session.
    if (m_connection)
        disconnect(m_connection.get(), nullptr, this, nullptr);
    m_connection.reset();
}

void ConsoleSession::createClients()
{
    m_graph = std::make_unique<Graph::GraphClient>(
        m_nam, m_tokens.get(), m_clock, below(m_relayUrl, u"/graph/v1.0"_s));
    m_connection = std::make_unique<RelayConnection>(m_relayUrl, m_clock);
    m_connection->setToken(m_tokens->token());
    // Applying frames and dropping expired calls take turns within one budget, so that the two
    // never run back to back past it before the window paints.
    m_connection->setPassBudget(m_store->passBudget());

    RelayConnection *c = m_connection.get();
    connect(c, &RelayConnection::stateChanged, this, &ConsoleSession::onStateChanged);
    connect(c, &RelayConnection::helloReceived, this, &ConsoleSession::onHello);
    connect(c, &RelayConnection::snapshotReceived, this, &ConsoleSession::onSnapshot);
    connect(c, &RelayConnection::eventReceived, this, &ConsoleSession::onEvent);
    // The window words connection changes itself; the session only reports them.
    connect(c, &RelayConnection::retryIn, this, [this](std::chrono::milliseconds delay) {
        setStatus(
            Gui::ConnectionStatus::Reconnecting, int(std::ceil(double(delay.count()) / 1000.0)));
    });
    connect(c, &RelayConnection::authenticationFailed, this, [this] {
        setStatus(Gui::ConnectionStatus::Offline);
        Q_EMIT logMessage(tr("The relay refused the operator token. Enter a valid token in "
                             "Settings to connect."));
        Q_EMIT authenticationFailed();
    });
    connect(c, &RelayConnection::protocolError, this, [this](const QString &message) {
        Q_EMIT logMessage(tr("The relay sent something this console cannot read: %1").arg(message));
    });
}

void ConsoleSession::start()
{
    if (m_started)
        return;
    m_started = true;
    m_connection->open();
    const quint64 generation = ++m_tickGeneration;
    tick(m_clock->now());
    scheduleTick(generation);
}

void ConsoleSession::stop()
{
    if (!m_started)
        return;
    m_started = false;
    ++m_tickGeneration;
    m_connection->close();
    setStatus(Gui::ConnectionStatus::Offline);
}

void ConsoleSession::setToken(const QString &token)
{
    m_tokens->setToken(token);
    // RelayConnection retries at once by itself when the last attempt was refused.
    m_connection->setToken(token);
}

void ConsoleSession::setRelay(const QUrl &relayUrl, const QString &token)
{
    const bool started = m_started;
    disconnect(m_connection.get(), nullptr, this, nullptr);
    m_connection->close();
    m_connection.reset();
    // Replies in flight belong to the old client and die with it, without a signal of their
    // own: each is reported here, so that no action ends silently.
    const QList<Graph::GraphReply *> pending = m_pending.keys();
    for (Graph::GraphReply *reply : pending) {
        Gui::ActionResult result = m_pending.take(reply);
        result.ok = false;
        result.code = u"cancelled"_s;
        result.message = tr("Cancelled: the console switched to another relay before the "
                            "answer came");
        Q_EMIT actionFinished(result);
    }
    m_graph.reset();
    m_promptsOnEstablished.clear();

    // The old relay's calls mean nothing on the new one; its snapshot fills the store again.
    m_store->applySnapshot({});
    m_relayUrl = relayUrl;
    m_tokens->setToken(token);
    m_operator = {};
    m_everConnected = false;
    setStatus(Gui::ConnectionStatus::Offline);
    createClients();
    if (started)
        m_connection->open();
}

void ConsoleSession::setStatus(Gui::ConnectionStatus status, int retryInSeconds)
{
    if (status != Gui::ConnectionStatus::Reconnecting)
        retryInSeconds = 0;
    if (status == m_status && retryInSeconds == m_retryInSeconds)
        return;
    m_status = status;
    m_retryInSeconds = retryInSeconds;
    Q_EMIT connectionStatusChanged(status, retryInSeconds);
}

void ConsoleSession::onStateChanged(RelayConnection::State state)
{
    switch (state) {
    case RelayConnection::State::Disconnected:
        setStatus(Gui::ConnectionStatus::Offline);
        break;
    case RelayConnection::State::Connecting:
        setStatus(m_everConnected ? Gui::ConnectionStatus::Reconnecting
                                  : Gui::ConnectionStatus::Connecting);
        break;
    case RelayConnection::State::Connected:
        m_everConnected = true;
        setStatus(Gui::ConnectionStatus::Connected);
        break;
    case RelayConnection::State::WaitingToRetry:
        // retryIn() follows with the delay.
        setStatus(Gui::ConnectionStatus::Reconnecting, m_retryInSeconds);
        break;
    }
}

void ConsoleSession::onHello(const Graph::RelayProtocol::Hello &hello)
{
    if (hello.answerDeadlineSeconds > 0)
        m_store->setAnswerDeadline(std::chrono::seconds(hello.answerDeadlineSeconds));
    const bool changed = hello.op.name != m_operator.name || hello.op.role != m_operator.role;
    m_operator = hello.op;
    const QString role = hello.op.role == "supervisor"_L1 ? tr("supervisor")
        : hello.op.role == "operator"_L1                  ? tr("operator")
                                                          : hello.op.role;
    Q_EMIT logMessage(tr("Signed in to the relay as %1 (%2)").arg(hello.op.name, role));
    if (changed)
        Q_EMIT operatorChanged(m_operator.name, m_operator.role);
}

void ConsoleSession::onSnapshot(const Graph::RelayProtocol::Snapshot &snapshot)
{
    const int calls = int(snapshot.calls.size());
    m_store->applySnapshot(snapshot);
    Q_EMIT logMessage(tr("Synchronised with the relay; calls on screen: %n", nullptr, calls));
}

void ConsoleSession::onEvent(const Graph::RelayProtocol::StreamEvent &event)
{
    // RelayConnection emits this as soon as it has decoded the frame; what we time is the
    // store and every model connected to it, which is what stands between the frame and the
    // screen.
    QElapsedTimer timer;
    timer.start();
    m_store->applyEvent(event);
    recordLatency(std::chrono::microseconds(timer.nsecsElapsed() / 1000));
    if (event.type == Graph::RelayProtocol::StreamEvent::Type::Relay
        && event.relayKind() == "reminder"_L1)
        Q_EMIT reminderEvent(event.relay);
}

void ConsoleSession::onCallAdded(const QString &callId)
{
    const Graph::CallEntry *entry = m_store->entry(callId);
    if (!entry || entry->call.isEnded())
        return;
    const auto state = entry->call.state.value;
    if (state == Graph::CallState::Incoming || state == Graph::CallState::Ringing)
        Q_EMIT incomingCall(callId);
}

void ConsoleSession::tick(const QDateTime &now)
{
    m_store->tick(now);
    Q_EMIT ticked(now);
    const std::chrono::microseconds p95 = eventLatencyP95();
    if (p95 != m_announcedP95 && !m_latencies.isEmpty()) {
        m_announcedP95 = p95;
        Q_EMIT eventLatencyChanged(p95);
    }
}

void ConsoleSession::scheduleTick(quint64 generation)
{
    m_clock->schedule(TickInterval, this, [this, generation] {
        if (generation != m_tickGeneration)
            return;
        tick(m_clock->now());
        scheduleTick(generation);
    });
}

// ---- latency --------------------------------------------------------------------------------

void ConsoleSession::recordLatency(std::chrono::microseconds latency)
{
    m_latencies.append(latency.count());
    while (m_latencies.size() > m_latencyWindow)
        m_latencies.removeFirst();
}

void ConsoleSession::setLatencyWindow(int events)
{
    m_latencyWindow = std::max(1, events);
    while (m_latencies.size() > m_latencyWindow)
        m_latencies.removeFirst();
}

std::chrono::microseconds ConsoleSession::eventLatencyP95() const
{
    if (m_latencies.isEmpty())
        return 0us;
    QList<qint64> sorted = m_latencies;
    // Nearest rank: the smallest sample that at least 95 % of the samples do not exceed.
    const auto rank = qsizetype(std::ceil(0.95 * double(sorted.size()))) - 1;
    const auto nth = sorted.begin() + std::clamp<qsizetype>(rank, 0, sorted.size() - 1);
    std::nth_element(sorted.begin(), nth, sorted.end());
    return std::chrono::microseconds(*nth);
}

// ---- actions --------------------------------------------------------------------------------

void ConsoleSession::answer(const QString &callId)
{
    Graph::AnswerParams params; // callbackUri empty: the relay's proxy fills in its own
    params.acceptedModalities = { Graph::Modality::Audio };
    track(m_graph->answer(callId, params), callId, Gui::ActionKeys::Answer);
}

void ConsoleSession::reject(const QString &callId)
{
    track(m_graph->reject(callId, Graph::RejectReason::None), callId, Gui::ActionKeys::Reject);
}

void ConsoleSession::rejectAsSpam(const QString &callId)
{
    // Who to block is read now, while the call is surely still in the store.
    QString entry;
    if (const Graph::CallEntry *call = m_store->entry(callId)) {
        const Graph::IdentitySet who = Models::CallTexts::counterpart(call->call);
        entry = who.phoneNumber();
        if (entry.isEmpty()) {
            if (const auto primary = who.primary())
                entry = primary->second.id;
        }
    }
    // The reject goes first: the caller must not wait on the blocklist, and the relay's policy
    // may reject a ringing call of a blocked caller itself, which would race with ours.
    track(m_graph->reject(callId, Graph::RejectReason::Forbidden), callId,
        Gui::ActionKeys::RejectAsSpam, [this, callId, entry] { blocklist(callId, entry); });
}

void ConsoleSession::blocklist(const QString &callId, const QString &entry)
{
    if (entry.isEmpty()) {
        Gui::ActionResult result;
        result.callId = callId;
        result.action = Gui::ActionKeys::RejectAsSpam;
        result.code = u"noCallerId"_s;
        result.message = tr("The caller has neither a number nor a user id, so there is nothing "
                            "to add to the blocklist");
        finishAction(result);
        return;
    }
    const QJsonObject body { { "entry"_L1, entry } };
    QNetworkReply *reply =
        sendApi("POST", u"/api/blocklist"_s, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, callId, entry] {
        reply->deleteLater();
        Gui::ActionResult result = apiResult(reply, callId, Gui::ActionKeys::RejectAsSpam);
        if (result.ok) {
            Q_EMIT logMessage(tr("%1 was added to the blocklist").arg(entry));
            return;
        }
        // The reject has been reported already; this tells what went wrong after it.
        result.message = tr("The call was rejected, but %1 was not added to the blocklist: %2")
                             .arg(entry, result.message);
        finishAction(result);
    });
}

void ConsoleSession::redirect(const QString &callId, const Gui::RedirectRequest &request)
{
    Graph::RedirectParams params;
    for (const Gui::CallTarget &target : request.targets)
        params.targets.append(invitationOf(target));
    if (request.timeoutSeconds > 0)
        params.timeoutSeconds = request.timeoutSeconds;
    track(m_graph->redirect(callId, params), callId, Gui::ActionKeys::Redirect);
}

void ConsoleSession::transfer(const QString &callId, const Gui::TransferRequest &request)
{
    Graph::TransferParams params;
    params.transferTarget = invitationOf(request.target);
    params.transferTarget.replacesCallId = request.replacesCallId;
    track(m_graph->transfer(callId, params), callId, Gui::ActionKeys::Transfer);
}

void ConsoleSession::hangUp(const QString &callId)
{
    track(m_graph->hangUp(callId), callId, Gui::ActionKeys::HangUp);
}

void ConsoleSession::playPrompt(const QString &callId, const QUrl &prompt)
{
    Graph::MediaInfo media;
    media.uri = prompt.toString(QUrl::FullyEncoded);
    media.resourceId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    track(m_graph->playPrompt(callId, { media }), callId, Gui::ActionKeys::PlayPrompt);
}

void ConsoleSession::collectDigits(const QString &callId)
{
    track(m_graph->subscribeToTone(callId), callId, Gui::ActionKeys::CollectDigits);
}

void ConsoleSession::invite(const QString &callId, const Gui::InviteRequest &request)
{
    QList<Graph::InvitationParticipantInfo> participants;
    for (const Gui::CallTarget &target : request.participants)
        participants.append(invitationOf(target));
    track(m_graph->inviteParticipants(callId, participants), callId, Gui::ActionKeys::Invite);
}

void ConsoleSession::muteParticipant(const QString &callId, const QString &participantId)
{
    track(
        m_graph->muteParticipant(callId, participantId), callId, Gui::ActionKeys::MuteParticipant);
}

void ConsoleSession::claim(const QString &callId)
{
    const QString path = u"/api/calls/%1/claim"_s.arg(Graph::GraphClient::segment(callId));
    trackApi(sendApi("POST", path, "{}"), callId, Gui::ActionKeys::Claim);
}

void ConsoleSession::release(const QString &callId)
{
    const QString path = u"/api/calls/%1/claim"_s.arg(Graph::GraphClient::segment(callId));
    trackApi(sendApi("DELETE", path, {}), callId, Gui::ActionKeys::Release);
}

void ConsoleSession::listReminders()
{
    reminderRequest("GET", u"/api/reminders"_s, {}, [this](const QByteArray &body) {
        QList<QJsonObject> reminders;
        const QJsonArray array =
            QJsonDocument::fromJson(body).object().value("reminders"_L1).toArray();
        for (const QJsonValue &value : array)
            reminders.append(value.toObject());
        Q_EMIT remindersListed(reminders);
    });
}

void ConsoleSession::createReminder(const QJsonObject &body)
{
    reminderRequest("POST", u"/api/reminders"_s, QJsonDocument(body).toJson(QJsonDocument::Compact),
        [this](const QByteArray &answer) {
            Q_EMIT reminderCreated(QJsonDocument::fromJson(answer).object());
            listReminders();
        });
}

void ConsoleSession::cancelReminder(const QString &reminderId)
{
    const QString path = u"/api/reminders/%1"_s.arg(Graph::GraphClient::segment(reminderId));
    reminderRequest("DELETE", path, {}, [this](const QByteArray &) { listReminders(); });
}

void ConsoleSession::reminderRequest(const QByteArray &verb, const QString &path,
    const QByteArray &body, std::function<void(const QByteArray &)> done)
{
    QNetworkReply *reply = sendApi(verb, path, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const QByteArray answer = reply->peek(reply->bytesAvailable());
        const Gui::ActionResult result = apiResult(reply, {}, u"reminders"_s);
        if (result.ok) {
            done(answer);
            return;
        }
        const QString why = result.code.isEmpty()
            ? result.message
            : tr("%1 (%2)").arg(
                result.message.isEmpty() ? tr("refused") : result.message, result.code);
        qCInfo(lcSession).noquote()
            << "reminders request failed" << result.httpStatus << result.code;
        Q_EMIT reminderRequestFailed(why);
    });
}

void ConsoleSession::track(Graph::GraphReply *reply, const QString &callId, const QString &action,
    std::function<void()> then)
{
    Gui::ActionResult pending;
    pending.callId = callId;
    pending.action = action;
    m_pending.insert(reply, pending);
    connect(reply, &Graph::GraphReply::finished, this, [this, reply, then = std::move(then)] {
        // setRelay() reports and forgets the replies it abandons; nothing more to do for those.
        if (!m_pending.contains(reply))
            return;
        Gui::ActionResult result = m_pending.take(reply);
        fillResult(&result, reply);
        finishAction(result);
        if (then)
            then();
    });
}

void ConsoleSession::fillResult(Gui::ActionResult *result, const Graph::GraphReply *reply)
{
    result->ok = reply->isSuccess();
    result->httpStatus = reply->httpStatus();
    result->requestId = reply->requestId();
    if (const auto error = reply->error())
        fillFromError(result, *error);
}

QNetworkReply *ConsoleSession::sendApi(
    const QByteArray &verb, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(below(m_relayUrl, path));
    request.setRawHeader("Authorization", "Bearer " + m_tokens->token().toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader(
        "client-request-id", QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(int(std::chrono::milliseconds(ApiTimeout).count()));
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb, body);
    reply->setParent(this);
    return reply;
}

void ConsoleSession::trackApi(QNetworkReply *reply, const QString &callId, const QString &action)
{
    connect(reply, &QNetworkReply::finished, this, [this, reply, callId, action] {
        reply->deleteLater();
        finishAction(apiResult(reply, callId, action));
    });
}

Gui::ActionResult ConsoleSession::apiResult(
    QNetworkReply *reply, const QString &callId, const QString &action) const
{
    Gui::ActionResult result;
    result.callId = callId;
    result.action = action;
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.requestId = QString::fromLatin1(reply->rawHeader("request-id"));
    const QByteArray body = reply->readAll();
    if (result.httpStatus == 0) {
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::TimeoutError;
        result.code = timedOut ? u"timeout"_s : u"networkError"_s;
        result.message = reply->errorString();
    } else if (result.httpStatus >= 200 && result.httpStatus < 300) {
        result.ok = true;
    } else {
        fillFromError(&result,
            Graph::GraphError::fromResponse(result.httpStatus, body, reply->rawHeader("request-id"),
                reply->rawHeader("client-request-id"), reply->rawHeader("Date")));
        // A refused claim names who holds the call; say so when the error does not.
        const QString holder =
            QJsonDocument::fromJson(body).object().value("claimedBy"_L1).toString();
        if (!holder.isEmpty() && !result.message.contains(holder))
            result.message = tr("Claimed by %1").arg(holder);
    }
    return result;
}

void ConsoleSession::finishAction(Gui::ActionResult result)
{
    if (result.ok) {
        qCDebug(lcSession).noquote() << result.action << result.callId << result.httpStatus
                                     << "request-id" << result.requestId;
    } else {
        qCInfo(lcSession).noquote()
            << result.action << result.callId << "failed" << result.httpStatus << result.code
            << result.message << "request-id" << result.requestId;
    }
    Q_EMIT actionFinished(result);
}

} // namespace App

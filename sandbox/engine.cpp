// The engine's core: replies, ids and time, call lookup, callbacks, and the parts of a call's
// life that every kind of call shares (hang-up, keep-alive, the remote party leaving).

#include "engine.h"

#include "engine_p.h"

#include <QUrl>
#include <QUuid>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Sandbox {

using Graph::CallState;
using Graph::ChangeType;

// ---- Reply -------------------------------------------------------------------------------

Reply Reply::ok(QJsonObject body)
{
    Reply r;
    r.body = std::move(body);
    r.hasBody = true;
    return r;
}

Reply Reply::okEmpty()
{
    return Reply {};
}

Reply Reply::created(QJsonObject body, const QString &location)
{
    Reply r = ok(std::move(body));
    r.status = 201;
    r.headers.append({ "Location"_ba, location.toUtf8() });
    return r;
}

Reply Reply::accepted()
{
    Reply r;
    r.status = 202;
    return r;
}

Reply Reply::noContent()
{
    Reply r;
    r.status = 204;
    return r;
}

Reply Reply::error(int status, const QString &code, const QString &message)
{
    Reply r = ok(QJsonObject {
        { "error"_L1, QJsonObject { { "code"_L1, code }, { "message"_L1, message } } } });
    r.status = status;
    return r;
}

// ---- shared helpers ----------------------------------------------------------------------

Graph::ResultInfo resultInfo(int code, int subcode, const QString &message)
{
    Graph::ResultInfo info;
    info.code = code;
    info.subcode = subcode;
    info.message = message;
    return info;
}

Reply badRequest(const QString &message)
{
    return Reply::error(400, u"BadRequest"_s, message);
}

Reply notFound(const QString &message)
{
    return Reply::error(404, u"itemNotFound"_s, message);
}

QString normalizeTarget(QStringView idOrNumber)
{
    // Phone numbers are compared without spaces or dashes, user ids in Graph's id form.
    QString out;
    for (const QChar ch : idOrNumber) {
        if (ch != u' ' && ch != u'-' && ch != u'{' && ch != u'}')
            out.append(ch.toLower());
    }
    return out;
}

QString identityId(const Graph::IdentitySet &identity)
{
    for (const auto &member : identity.members()) {
        if (!member.second.id.isEmpty())
            return member.second.id;
    }
    return {};
}

std::optional<QString> checkUrl(const QJsonObject &body, QLatin1StringView key, bool required)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            return QString(key) + u" is required"_s;
        return std::nullopt;
    }
    const QUrl url(value.toString());
    if (!value.isString() || !url.isValid() || url.host().isEmpty()
        || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1))
        return QString(key) + u" must be an https URL"_s;
    return std::nullopt;
}

std::optional<QString> checkClientContext(const QJsonObject &body)
{
    const QJsonValue value = body.value("clientContext"_L1);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString())
        return u"clientContext must be a string"_s;
    if (value.toString().size() > 256)
        return u"clientContext must not be longer than 256 characters"_s;
    return std::nullopt;
}

std::optional<QString> checkInvitation(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return where + u" must be an invitationParticipantInfo object"_s;
    const QJsonValue identity = value.toObject().value("identity"_L1);
    if (!identity.isObject() || identityId(Graph::decodeIdentitySet(identity.toObject())).isEmpty())
        return where + u".identity is required, with the id of a user, phone or application"_s;
    return std::nullopt;
}

std::optional<QString> checkInvitations(const QJsonValue &value, const QString &field, int max)
{
    const QJsonArray array = value.toArray();
    if (!value.isArray() || array.isEmpty())
        return field + u" is required"_s;
    if (array.size() > max)
        return field + u" must not hold more than %1 entries"_s.arg(max);
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (auto error = checkInvitation(array[i], field + u"[%1]"_s.arg(i)))
            return error;
    }
    return std::nullopt;
}

std::optional<QString> checkPrompts(const QJsonValue &value, const QString &field, int min, int max)
{
    if (value.isUndefined() || value.isNull()) {
        if (min > 0)
            return field + u" is required"_s;
        return std::nullopt;
    }
    const QJsonArray array = value.toArray();
    if (!value.isArray() || array.size() < min || array.size() > max)
        return field + u" must hold %1 to %2 mediaPrompts"_s.arg(min).arg(max);
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue uri = array[i].toObject().value("mediaInfo"_L1).toObject().value("uri"_L1);
        if (!uri.isString() || uri.toString().isEmpty())
            return field + u"[%1].mediaInfo.uri is required"_s.arg(i);
    }
    return std::nullopt;
}

// ---- Private: ids and time ---------------------------------------------------------------

Engine::Private::Private(Engine *engine, Graph::Clock *c, Notifier *n, quint32 seed)
    : q(engine)
    , clock(c)
    , notifier(n)
    , rng(seed)
{ }

QString Engine::Private::newId()
{
    // A version-4 GUID from the seeded generator, so that a seed repeats a run's ids.
    QByteArray bytes(16, Qt::Uninitialized);
    for (int i = 0; i < 16; i += 4) {
        const quint32 word = rng.generate();
        std::memcpy(bytes.data() + i, &word, sizeof word);
    }
    bytes[6] = char((bytes[6] & 0x0f) | 0x40);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString Engine::Private::randomDigits(int count)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out.append(QChar(u'0' + (i == 0 ? rng.bounded(1, 10) : rng.bounded(10))));
    return out;
}

QString Engine::Private::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        raw[i] = char(rng.bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString Engine::Private::newThreadId()
{
    // Teams thread ids carry a base64 GUID: 19:meeting_<base64>@thread.v2.
    const QByteArray guid = newId().toLatin1().toBase64(QByteArray::OmitTrailingEquals);
    return u"19:meeting_"_s + QString::fromLatin1(guid) + u"@thread.v2"_s;
}

std::chrono::milliseconds Engine::Private::scaled(double ms) const
{
    const double scale = q->m_config.timeScale > 0 ? q->m_config.timeScale : 1.0;
    return std::chrono::milliseconds(qMax<qint64>(0, qRound64(ms / scale)));
}

void Engine::Private::after(double ms, std::function<void()> fn)
{
    // Invented: up to 20 % jitter, so that clients cannot come to rely on exact platform timings.
    clock->schedule(scaled(ms * (1.0 + rng.bounded(0.2))), q, std::move(fn));
}

void Engine::Private::afterExactly(double ms, std::function<void()> fn)
{
    clock->schedule(scaled(ms), q, std::move(fn));
}

// ---- Private: calls ----------------------------------------------------------------------

Engine::SimCall *Engine::Private::find(QStringView callId) const
{
    return callIndex.value(Graph::normalizeId(callId));
}

Engine::SimCall *Engine::Private::live(QStringView callId) const
{
    SimCall *c = find(callId);
    return c && !c->ending && c->call.state != CallState::Terminated ? c : nullptr;
}

Engine::SimCall &Engine::Private::add(std::unique_ptr<SimCall> call)
{
    SimCall &c = *call;
    callIndex.insert(Graph::normalizeId(c.call.id), &c);
    calls.push_back(std::move(call));
    return c;
}

std::optional<Reply> Engine::Private::requireState(
    const SimCall &c, std::initializer_list<CallState> states, const QString &action) const
{
    QStringList names;
    bool inState = false;
    for (const CallState state : states) {
        names.append(Graph::wireName(state));
        inState = inState || c.call.state == state;
    }
    if (inState && c.pending.isEmpty())
        return std::nullopt;
    QString now = c.call.state.text;
    if (!c.pending.isEmpty())
        now += u" (%1 under way)"_s.arg(c.pending);
    // Invented: Graph answers an action in the wrong state with 400, but documents no code for
    // it; "InvalidStateForOperation" says what happened.
    return Reply::error(400, u"InvalidStateForOperation"_s,
        u"Call %1 is %2; %3 needs a call that is %4"_s.arg(
            c.call.id, now, action, names.join(u" or "_s)));
}

std::optional<Reply> Engine::Private::requireGroup(const SimCall &c, const QString &action) const
{
    if (c.group)
        return std::nullopt;
    // Invented code (see requireState): graph-notes §1.11/§1.12 only say "group calls only".
    return Reply::error(400, u"InvalidStateForOperation"_s,
        u"Call %1 is a peer-to-peer call; %2 is for group calls only"_s.arg(c.call.id, action));
}

Graph::IdentitySet Engine::Private::botIdentity() const
{
    return Graph::IdentitySet::application(q->m_config.clientId, q->m_config.botDisplayName);
}

Graph::IdentitySet Engine::Private::identityOf(const Caller &who)
{
    if (!who.phone.isEmpty())
        return Graph::IdentitySet::phone(who.phone, who.displayName);
    if (!who.userId.isEmpty())
        return Graph::IdentitySet::user(who.userId, who.displayName);
    // Invented: someone with neither a number nor a user id is a guest.
    return Graph::IdentitySet::guest(
        newId(), who.displayName.isEmpty() ? u"Guest"_s : who.displayName);
}

bool Engine::Private::isUnreachable(const Graph::IdentitySet &identity) const
{
    for (const auto &member : identity.members()) {
        if (!member.second.id.isEmpty() && unreachable.contains(normalizeTarget(member.second.id)))
            return true;
    }
    return false;
}

// ---- Private: callbacks ------------------------------------------------------------------

void Engine::Private::send(
    SimCall &c, ChangeType type, const QString &suffix, const QJsonValue &data)
{
    // Without a callback URL Graph has nowhere to deliver; neither has the sandbox.
    if (c.notifyUrl.isEmpty())
        return;
    Graph::CommsNotification n;
    n.changeType = type;
    n.resourceUrl = u"/communications/calls/"_s + c.call.id + suffix;
    n.resource = u"/app/calls/"_s + c.call.id + suffix;
    n.resourceData = data;
    Graph::CommsNotifications all;
    all.value.append(std::move(n));
    notifier->notify(c.notifyUrl, Graph::encode(all));
}

void Engine::Private::sendCall(
    SimCall &c, ChangeType type, const std::optional<Graph::ToneInfo> &tone)
{
    // Call callbacks carry the whole resource, so a client that merges them sees what GET sees.
    Graph::Call data = c.call;
    data.toneInfo = tone;
    send(c, type, {}, Graph::encode(data));
}

void Engine::Private::setState(SimCall &c, CallState state)
{
    c.call.state = state;
    sendCall(c, ChangeType::Updated);
}

void Engine::Private::finish(SimCall &c, const Graph::ResultInfo &result)
{
    c.call.state = CallState::Terminated;
    c.call.resultInfo = result;
    c.ending = true;
    c.pending.clear();
    ++c.flow;
    ++c.keepAliveGeneration;
    sendCall(c, ChangeType::Deleted);
    Q_EMIT q->callEvent(c.call.id,
        u"terminated %1/%2 %3"_s.arg(result.code.value_or(0))
            .arg(result.subcode.value_or(0))
            .arg(result.message));
}

void Engine::Private::endCall(
    SimCall &c, const Graph::ResultInfo &result, bool viaTerminating, double delay)
{
    c.ending = true;
    const quint64 flow = ++c.flow;
    if (!viaTerminating) {
        after(delay, [this, &c, flow, result] {
            if (c.flow == flow)
                finish(c, result);
        });
        return;
    }
    after(delay, [this, &c, flow, result] {
        if (c.flow != flow)
            return;
        setState(c, CallState::Terminating);
        after(Delay::Terminated, [this, &c, flow, result] {
            if (c.flow == flow)
                finish(c, result);
        });
    });
}

void Engine::Private::armKeepAlive(SimCall &c)
{
    const quint64 generation = ++c.keepAliveGeneration;
    afterExactly(Delay::KeepAliveTimeout, [this, &c, generation] {
        if (c.keepAliveGeneration != generation || c.ending)
            return;
        // graph-notes §1.7 / §2.5: 408/8537. Invented: the message.
        finish(c, resultInfo(408, 8537, u"Call ended: no keepAlive within 45 minutes"_s));
    });
}

void Engine::Private::establish(SimCall &c)
{
    c.pending.clear();
    c.call.state = CallState::Established;
    c.call.audioState = Graph::MediaState::Active;
    sendCall(c, ChangeType::Updated);

    QStringList ids;
    c.participants.append(newParticipant(c, botIdentity(), c.call.myParticipantId));
    ids.append(c.call.myParticipantId);
    for (const Graph::IdentitySet &identity : std::as_const(c.joiners)) {
        c.participants.append(newParticipant(c, identity));
        ids.append(c.participants.last().id);
    }
    c.remoteParticipantId = c.participants.size() > 1 ? c.participants[1].id : QString();
    sendRoster(c, ids);
    Q_EMIT q->callEvent(c.call.id, u"established"_s);
}

// ---- Engine ------------------------------------------------------------------------------

Engine::Engine(
    EngineConfig config, Graph::Clock *clock, Notifier *notifier, quint32 seed, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, clock, notifier, seed))
    , m_config(std::move(config))
{ }

Engine::~Engine() = default;

Reply Engine::getCall(const QString &callId) const
{
    // Readable until its end has been reported, as its participants and operations are.
    const SimCall *c = d->find(callId);
    if (!c || c->call.state == CallState::Terminated)
        return notFound(u"Call %1 not found"_s.arg(callId));
    return Reply::ok(Graph::encode(c->call));
}

Reply Engine::hangUp(const QString &callId)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    // graph-notes §1.6 / §2.5: 200/7000, ended by the bot. Invented: the message.
    d->endCall(*c, resultInfo(200, 7000, u"Call ended by the application"_s), true);
    Q_EMIT callEvent(c->call.id, u"hang-up"_s);
    return Reply::noContent();
}

Reply Engine::keepAlive(const QString &callId)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    d->armKeepAlive(*c);
    return Reply::okEmpty();
}

Reply Engine::remoteHangup(const QString &callId)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    const bool established = c->call.state == CallState::Established && c->pending.isEmpty();
    if (c->group && established) {
        const qsizetype others = c->participants.size() - 1;
        QString leaving = c->remoteParticipantId;
        if (!d->participant(*c, leaving) && others > 0)
            leaving = c->participants.last().id;
        if (others > 1) {
            // Invented: removedState.reason "left" for someone who hung up themselves.
            d->removeLater(*c, leaving, u"left"_s);
            Q_EMIT callEvent(c->call.id, u"participant %1 left"_s.arg(leaving));
            return Reply::accepted();
        }
        // The last one left: graph-notes §2.5, 200/5002 "all other participants left".
        d->endCall(*c, resultInfo(200, 5002, u"All other participants left the call"_s), true);
        return Reply::accepted();
    }
    // graph-notes §2.5: 200/4097, the other participant ended the call. A call that was
    // connected goes through "terminating" (§2.1); a ringing one just disappears.
    const bool connected =
        c->call.state != CallState::Incoming && c->call.state != CallState::Establishing;
    d->endCall(*c, resultInfo(200, 4097, u"The other participant ended the call"_s), connected);
    Q_EMIT callEvent(c->call.id, u"remote hang-up"_s);
    return Reply::accepted();
}

void Engine::setUnreachable(const QStringList &targets)
{
    d->unreachable.clear();
    for (const QString &target : targets)
        d->unreachable.insert(normalizeTarget(target));
}

void Engine::setMeetingAccessDenied(const QStringList &organizerIds)
{
    d->meetingAccessDenied.clear();
    for (const QString &id : organizerIds)
        d->meetingAccessDenied.insert(Graph::normalizeId(id));
}

int Engine::liveCallCount() const
{
    int count = 0;
    for (const auto &c : d->calls) {
        if (c->call.state != CallState::Terminated)
            ++count;
    }
    return count;
}

} // namespace Sandbox

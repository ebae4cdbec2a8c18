// Service-hosted media: prompts, DTMF, recordings, cancelling them, and operations in general
// (graph-notes §1.8–§1.10, §2.3, §3.6, §3.7).

#include "engine.h"
#include "engine_p.h"

#include <QtEndian>

#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace Sandbox {

using Graph::CallState;
using Graph::OperationStatus;

std::optional<Reply> Engine::Private::requireServiceHostedMedia(
    const SimCall &c, const QString &action) const
{
    if (!c.call.mediaConfigType.endsWith(u"appHostedMediaConfig"_s, Qt::CaseInsensitive))
        return std::nullopt;
    // graph-notes §0: prompts, tones and recordings are service-hosted only. Invented: the code.
    return Reply::error(400, u"InvalidStateForOperation"_s,
        u"Call %1 uses app-hosted media; %2 needs service-hosted media"_s.arg(c.call.id, action));
}

namespace {

void appendLe16(QByteArray &out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out.append(bytes, 2);
}

void appendLe32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

// Half a second of a quiet 440 Hz tone, in the format Graph's media uses: WAV, PCM, mono,
// 16-bit, 16 kHz (graph-notes §1.8).
QByteArray generatedWav()
{
    constexpr quint32 rate = 16000;
    constexpr quint32 samples = rate / 2;
    constexpr quint32 dataBytes = samples * 2;
    QByteArray out;
    out.reserve(44 + int(dataBytes));
    out.append("RIFF");
    appendLe32(out, 36 + dataBytes);
    out.append("WAVEfmt ");
    appendLe32(out, 16); // fmt chunk size
    appendLe16(out, 1); // PCM
    appendLe16(out, 1); // mono
    appendLe32(out, rate); // sample rate
    appendLe32(out, rate * 2); // byte rate
    appendLe16(out, 2); // block align
    appendLe16(out, 16); // bits per sample
    out.append("data");
    appendLe32(out, dataBytes);
    for (quint32 i = 0; i < samples; ++i) {
        const double value = 2000.0 * std::sin(2.0 * std::numbers::pi * 440.0 * double(i) / rate);
        appendLe16(out, quint16(qint16(std::lround(value))));
    }
    return out;
}

} // namespace

// ---- Private: operations -----------------------------------------------------------------

Graph::CommsOperation Engine::Private::newOperation(
    QStringView type, const QString &clientContext, OperationStatus status)
{
    Graph::CommsOperation op;
    op.odataType = Graph::odataType(type);
    op.id = newId();
    op.clientContext = clientContext;
    op.status = status;
    return op;
}

Graph::CommsOperation *Engine::Private::operation(SimCall &c, QStringView operationId)
{
    for (Graph::CommsOperation &op : c.operations) {
        if (Graph::sameId(op.id, operationId))
            return &op;
    }
    return nullptr;
}

Reply Engine::Private::operationReply(const SimCall &c, const Graph::CommsOperation &op) const
{
    Reply reply = Reply::ok(Graph::encode(op));
    reply.headers.append({ "Location"_ba,
        QString(q->m_config.baseUrl + u"/v1.0/communications/calls/"_s + c.call.id
            + u"/operations/"_s + op.id)
            .toUtf8() });
    return reply;
}

bool Engine::Private::completeOperation(
    SimCall &c, const QString &operationId, OperationStatus status, const Graph::ResultInfo &result)
{
    Graph::CommsOperation *op = operation(c, operationId);
    if (!op || op->isFinished() || c.call.state == CallState::Terminated)
        return false;
    op->status = status;
    op->resultInfo = result;
    c.stopTones.remove(op->id);
    // graph-notes §3.7: an operation's end is reported as its deletion.
    send(c, Graph::ChangeType::Deleted, u"/operations/"_s + op->id, Graph::encode(*op));
    return true;
}

void Engine::Private::completeRecording(
    SimCall &c, const QString &operationId, int subcode, const QString &message)
{
    Graph::CommsOperation *op = operation(c, operationId);
    if (!op || op->isFinished() || c.call.state == CallState::Terminated)
        return;
    const QString recordingId = newId();
    // Invented: recordings are served by the sandbox's control API, behind an opaque token.
    const QString token = randomToken(32);
    recordings.insert(recordingId, token);
    op->recordingLocation = q->m_config.baseUrl + u"/sandbox/recordings/"_s + recordingId;
    op->recordingAccessToken = token;
    completeOperation(
        c, operationId, OperationStatus::Completed, resultInfo(200, subcode, message));
}

void Engine::Private::pressKey(SimCall &c, QChar key)
{
    QStringList stopped;
    for (auto it = c.stopTones.cbegin(); it != c.stopTones.cend(); ++it) {
        if (it.value().contains(key, Qt::CaseInsensitive))
            stopped.append(it.key());
    }
    // Invented: a stop tone ends the recording with 200/0, "completed successfully".
    for (const QString &id : std::as_const(stopped))
        completeRecording(c, id, 0, ActionCompleted.toString());
}

std::chrono::milliseconds Engine::Private::queueMedia(SimCall &c, double lengthMs)
{
    // Invented: a call's prompts and recordings queue and play one after the other.
    const QDateTime now = clock->now();
    const QDateTime start = c.mediaFreeAt.isValid() && c.mediaFreeAt > now ? c.mediaFreeAt : now;
    c.mediaFreeAt = start.addMSecs(scaled(lengthMs).count());
    return std::chrono::milliseconds(now.msecsTo(c.mediaFreeAt));
}

// ---- Engine ------------------------------------------------------------------------------

Reply Engine::playPrompt(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"playPrompt"_s))
        return *error;
    if (auto error = d->requireServiceHostedMedia(*c, u"playPrompt"_s))
        return *error;
    if (auto error = checkPrompts(body.value("prompts"_L1), u"prompts"_s, 1, 20))
        return badRequest(*error);
    if (auto error = checkClientContext(body))
        return badRequest(*error);

    const Graph::CommsOperation op = d->newOperation(u"playPromptOperation",
        body.value("clientContext"_L1).toString(), OperationStatus::Running);
    c->operations.append(op);
    // Invented: each prompt plays for one second.
    const qsizetype count = body.value("prompts"_L1).toArray().size();
    d->clock->schedule(
        d->queueMedia(*c, double(count) * Delay::PerPrompt), this, [this, c, id = op.id] {
            d->completeOperation(
                *c, id, OperationStatus::Completed, resultInfo(200, 0, ActionCompleted.toString()));
        });
    return d->operationReply(*c, op);
}

Reply Engine::subscribeToTone(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"subscribeToTone"_s))
        return *error;
    if (auto error = d->requireServiceHostedMedia(*c, u"subscribeToTone"_s))
        return *error;
    if (auto error = checkClientContext(body))
        return badRequest(*error);
    c->subscribedToTones = true;
    const Graph::CommsOperation op = d->newOperation(u"subscribeToToneOperation",
        body.value("clientContext"_L1).toString(), OperationStatus::Completed);
    c->operations.append(op);
    return d->operationReply(*c, op);
}

Reply Engine::tones(const QString &callId, const QString &keys)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"a key press"_s))
        return *error;
    if (keys.isEmpty())
        return badRequest(u"tones must name at least one key"_s);
    for (const QChar key : keys) {
        if (Graph::toneFromChar(key.toUpper()) == Graph::Tone::Unknown)
            return badRequest(u"'%1' is not a DTMF key (0-9, *, #, A-D)"_s.arg(key));
    }
    int delivered = 0;
    double at = 0;
    for (const QChar key : keys) {
        at += Delay::ToneSpacing;
        std::optional<Graph::ToneInfo> tone;
        // Keys are pressed either way; only a subscribed call hears about them.
        if (c->subscribedToTones) {
            tone.emplace();
            tone->sequenceId = ++c->toneSequence;
            tone->tone = Graph::toneFromChar(key.toUpper());
            ++delivered;
        }
        d->afterExactly(at, [this, c, key, tone] {
            if (c->ending || c->call.state == CallState::Terminated)
                return;
            if (tone) {
                // graph-notes §3.6: an updated call with toneInfo, state established.
                d->sendCall(*c, Graph::ChangeType::Updated, tone);
            }
            d->pressKey(*c, key);
        });
    }
    // Invented (control API): 202 with how many keys the bot will hear about.
    Reply reply = Reply::accepted();
    reply.body = QJsonObject { { "delivered"_L1, delivered } };
    reply.hasBody = true;
    return reply;
}

Reply Engine::recordResponse(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"recordResponse"_s))
        return *error;
    if (auto error = d->requireServiceHostedMedia(*c, u"recordResponse"_s))
        return *error;
    if (auto error = checkPrompts(body.value("prompts"_L1), u"prompts"_s, 0, 1))
        return badRequest(*error);
    int maxDuration = 5;
    for (const QLatin1StringView key : { "initialSilenceTimeoutInSeconds"_L1,
             "maxSilenceTimeoutInSeconds"_L1, "maxRecordDurationInSeconds"_L1 }) {
        const QJsonValue value = body.value(key);
        if (value.isUndefined() || value.isNull())
            continue;
        const auto seconds = Graph::readInteger(value);
        if (!seconds || *seconds < 1 || *seconds > 120)
            return badRequest(QString(key) + u" must be between 1 and 120"_s);
        if (key == "maxRecordDurationInSeconds"_L1)
            maxDuration = int(*seconds);
    }
    for (const QLatin1StringView key : { "bargeInAllowed"_L1, "playBeep"_L1 }) {
        const QJsonValue value = body.value(key);
        if (!value.isUndefined() && !value.isNull() && !value.isBool())
            return badRequest(QString(key) + u" must be a boolean"_s);
    }
    QString stopKeys;
    const QJsonValue stopTones = body.value("stopTones"_L1);
    if (!stopTones.isUndefined() && !stopTones.isNull()) {
        if (!stopTones.isArray())
            return badRequest(u"stopTones must be an array of keys"_s);
        for (const QJsonValue &key : stopTones.toArray()) {
            const QString text = key.toString();
            if (text.size() != 1 || Graph::toneFromChar(text[0].toUpper()) == Graph::Tone::Unknown)
                return badRequest(u"stopTones holds something that is not a DTMF key"_s);
            stopKeys += text;
        }
    }
    if (auto error = checkClientContext(body))
        return badRequest(*error);

    const Graph::CommsOperation op = d->newOperation(
        u"recordOperation", body.value("clientContext"_L1).toString(), OperationStatus::Running);
    c->operations.append(op);
    if (!stopKeys.isEmpty())
        c->stopTones.insert(op.id, stopKeys);
    // The prompt (one second, as for playPrompt) plays first, then it records for the maximum.
    const double length =
        double(body.value("prompts"_L1).toArray().size()) * Delay::PerPrompt + maxDuration * 1000.0;
    d->clock->schedule(d->queueMedia(*c, length), this, [this, c, id = op.id] {
        // graph-notes §2.5: 200/8515, stopped at the maximum duration.
        d->completeRecording(*c, id, 8515, u"Action completed, max record duration reached."_s);
    });
    return d->operationReply(*c, op);
}

Reply Engine::cancelMediaProcessing(const QString &callId, const QJsonObject &body)
{
    SimCall *c = d->live(callId);
    if (!c)
        return notFound(u"Call %1 not found"_s.arg(callId));
    if (auto error = d->requireState(*c, { CallState::Established }, u"cancelMediaProcessing"_s))
        return *error;
    if (auto error = checkClientContext(body))
        return badRequest(*error);
    QStringList cancelled;
    for (const Graph::CommsOperation &op : std::as_const(c->operations)) {
        const bool media = op.odataType.endsWith(u"playPromptOperation"_s)
            || op.odataType.endsWith(u"recordOperation"_s);
        if (media && op.status == OperationStatus::Running)
            cancelled.append(op.id);
    }
    c->mediaFreeAt = d->clock->now();
    for (const QString &id : std::as_const(cancelled))
        c->stopTones.remove(id);
    d->after(Delay::Ack, [this, c, cancelled] {
        // graph-notes §2.5: operations end "completed" with 400/8508. Invented: the message.
        for (const QString &id : cancelled)
            d->completeOperation(*c, id, OperationStatus::Completed,
                resultInfo(400, 8508, u"Action failed, the operation was cancelled."_s));
    });
    const Graph::CommsOperation op = d->newOperation(u"cancelMediaProcessingOperation",
        body.value("clientContext"_L1).toString(), OperationStatus::Completed);
    c->operations.append(op);
    return d->operationReply(*c, op);
}

Reply Engine::getOperation(const QString &callId, const QString &operationId) const
{
    SimCall *c = d->find(callId);
    if (!c || c->call.state == CallState::Terminated)
        return notFound(u"Call %1 not found"_s.arg(callId));
    const Graph::CommsOperation *op = d->operation(*c, operationId);
    if (!op)
        return notFound(u"Operation %1 not found in call %2"_s.arg(operationId, callId));
    return Reply::ok(Graph::encode(*op));
}

QByteArray Engine::recording(const QString &recordingId) const
{
    if (!d->recordings.contains(recordingId))
        return {};
    return generatedWav();
}

QString Engine::recordingAccessToken(const QString &recordingId) const
{
    return d->recordings.value(recordingId);
}

} // namespace Sandbox

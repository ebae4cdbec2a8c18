#include "relayprotocol.h"

#include "codec.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Graph::RelayProtocol {
namespace {

QDateTime readTime(const QJsonValue &v)
{
    return readDateTime(v);
}

void putTime(QJsonObject &o, QLatin1StringView key, const QDateTime &at)
{
    o.insert(key, at.isValid() ? QJsonValue(writeTimestamp(at)) : QJsonValue(QJsonValue::Null));
}

QString stringOrEmpty(const QJsonValue &v)
{
    return v.isString() ? v.toString() : QString();
}

} // namespace

QString writeTimestamp(const QDateTime &at)
{
    return writeDateTime(at);
}

QString StreamEvent::callId() const
{
    if (type == Type::Relay)
        return relay.value("callId"_L1).toString();
    const Decoded<CommsNotification> n = decodeNotification(notification);
    return n.value.callId;
}

QJsonObject encodeHello(const Hello &hello)
{
    QJsonObject o {
        { "type"_L1, u"hello"_s },
        { "protocol"_L1, hello.protocol },
        { "stream"_L1, hello.stream },
        { "seq"_L1, hello.seq },
        { "operator"_L1,
            QJsonObject { { "name"_L1, hello.op.name }, { "role"_L1, hello.op.role } } },
        { "callbackUri"_L1, hello.callbackUri },
    };
    if (hello.answerDeadlineSeconds > 0)
        o.insert("answerDeadlineSeconds"_L1, hello.answerDeadlineSeconds);
    return o;
}

QJsonObject encodeSnapshotCall(const SnapshotCall &call)
{
    // Graph's JSON goes out as it came in: CallBook tells news from repeats by comparing it, so
    // a console (or a restored relay) must hold exactly what the relay holds. Values built in
    // code have no JSON of their own and are encoded.
    const auto json = [](const auto &value) {
        return value.raw.isEmpty() ? encode(value) : value.raw;
    };
    const CallEntry &entry = call.entry;
    QJsonObject o = json(entry.call);
    QJsonArray participants;
    for (const Participant &p : entry.participants)
        participants.append(json(p));
    o.insert("participants"_L1, participants);
    QJsonArray tones;
    for (const ToneInfo &t : entry.tones)
        tones.append(json(t));
    o.insert("tones"_L1, tones);
    QJsonArray operations;
    for (const CommsOperation &op : entry.operations)
        operations.append(json(op));
    o.insert("operations"_L1, operations);

    QJsonObject meta;
    putTime(meta, "firstSeenAt"_L1,
        call.meta.firstSeenAt.isValid() ? call.meta.firstSeenAt : entry.firstSeenAt);
    putTime(meta, "lastEventAt"_L1,
        call.meta.lastEventAt.isValid() ? call.meta.lastEventAt : entry.lastEventAt);
    putTime(meta, "endedAt"_L1, entry.endedAt);
    meta.insert("claimedBy"_L1,
        call.meta.claimedBy.isEmpty() ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(call.meta.claimedBy));
    putTime(meta, "answerDeadline"_L1, call.meta.answerDeadline);
    meta.insert("handledBy"_L1,
        call.meta.handledBy.isEmpty() ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(call.meta.handledBy));
    meta.insert("rosterSequence"_L1, entry.rosterSequence);
    if (!call.meta.ivrFlow.isEmpty()) {
        meta.insert("ivr"_L1,
            QJsonObject { { "flow"_L1, call.meta.ivrFlow }, { "menu"_L1, call.meta.ivrMenu },
                { "digits"_L1, call.meta.ivrDigits }, { "status"_L1, call.meta.ivrStatus },
                { "target"_L1, call.meta.ivrTarget } });
    }
    o.insert("frontdesk"_L1, meta);
    return o;
}

QJsonObject encodeSnapshot(const Snapshot &snapshot)
{
    QJsonArray calls;
    for (const SnapshotCall &call : snapshot.calls)
        calls.append(encodeSnapshotCall(call));
    return QJsonObject {
        { "type"_L1, u"snapshot"_s },
        { "seq"_L1, snapshot.seq },
        { "calls"_L1, calls },
    };
}

QJsonObject encodeEvent(const StreamEvent &event)
{
    if (event.type == StreamEvent::Type::Relay) {
        QJsonObject o = event.relay;
        o.insert("type"_L1, u"relay"_s);
        o.insert("seq"_L1, event.seq);
        o.insert("at"_L1, writeTimestamp(event.at));
        return o;
    }
    return QJsonObject {
        { "type"_L1, u"event"_s },
        { "seq"_L1, event.seq },
        { "at"_L1, writeTimestamp(event.at) },
        { "notification"_L1, event.notification },
    };
}

MessageType messageType(const QJsonObject &message)
{
    const QString type = message.value("type"_L1).toString();
    if (type == "hello"_L1)
        return MessageType::Hello;
    if (type == "snapshot"_L1)
        return MessageType::Snapshot;
    if (type == "event"_L1)
        return MessageType::Event;
    if (type == "relay"_L1)
        return MessageType::Relay;
    return MessageType::Unknown;
}

std::optional<Hello> decodeHello(const QJsonObject &message)
{
    if (messageType(message) != MessageType::Hello)
        return std::nullopt;
    const auto seq = readInteger(message.value("seq"_L1));
    const auto protocol = readInteger(message.value("protocol"_L1));
    if (!seq || !protocol || !message.value("stream"_L1).isString())
        return std::nullopt;
    Hello hello;
    hello.protocol = int(*protocol);
    hello.stream = message.value("stream"_L1).toString();
    hello.seq = *seq;
    const QJsonObject op = message.value("operator"_L1).toObject();
    hello.op =
        OperatorInfo { stringOrEmpty(op.value("name"_L1)), stringOrEmpty(op.value("role"_L1)) };
    hello.callbackUri = stringOrEmpty(message.value("callbackUri"_L1));
    hello.answerDeadlineSeconds =
        int(readInteger(message.value("answerDeadlineSeconds"_L1)).value_or(0));
    return hello;
}

std::optional<SnapshotCall> decodeSnapshotCall(const QJsonObject &o, CallBook::Memory memory)
{
    if (!o.value("id"_L1).isString())
        return std::nullopt;
    SnapshotCall call;
    QJsonObject resource = o;
    for (const auto key : { "participants"_L1, "tones"_L1, "operations"_L1, "frontdesk"_L1 })
        resource.remove(key);
    CallEntry &entry = call.entry;
    entry.call = decodeCall(resource);
    const QJsonArray participants = o.value("participants"_L1).toArray();
    entry.participants.reserve(participants.size()); // exactly: a big roster has no slack
    for (const QJsonValue &v : participants) {
        if (!v.isObject())
            continue;
        entry.participants.append(decodeParticipant(v.toObject()));
        if (memory == CallBook::Memory::Lean)
            dropJson(entry.participants.last()); // one at a time: the peak is one person's tree
    }
    for (const QJsonValue &v : o.value("tones"_L1).toArray()) {
        if (v.isObject())
            entry.tones.append(decodeToneInfo(v.toObject()));
    }
    for (const QJsonValue &v : o.value("operations"_L1).toArray()) {
        if (v.isObject())
            entry.operations.append(decodeOperation(v.toObject()));
    }
    const QJsonObject meta = o.value("frontdesk"_L1).toObject();
    call.meta.firstSeenAt = readTime(meta.value("firstSeenAt"_L1));
    call.meta.lastEventAt = readTime(meta.value("lastEventAt"_L1));
    call.meta.claimedBy = stringOrEmpty(meta.value("claimedBy"_L1));
    call.meta.answerDeadline = readTime(meta.value("answerDeadline"_L1));
    call.meta.handledBy = stringOrEmpty(meta.value("handledBy"_L1));
    const QJsonObject ivr = meta.value("ivr"_L1).toObject();
    call.meta.ivrFlow = ivr.value("flow"_L1).toString();
    call.meta.ivrMenu = ivr.value("menu"_L1).toString();
    call.meta.ivrDigits = ivr.value("digits"_L1).toString();
    call.meta.ivrStatus = ivr.value("status"_L1).toString();
    call.meta.ivrTarget = ivr.value("target"_L1).toString();
    entry.firstSeenAt = call.meta.firstSeenAt;
    entry.lastEventAt = call.meta.lastEventAt;
    entry.endedAt = readTime(meta.value("endedAt"_L1));
    if (!entry.endedAt.isValid() && entry.call.isEnded())
        entry.endedAt = entry.lastEventAt;
    entry.rosterSequence = readInteger(meta.value("rosterSequence"_L1)).value_or(-1);
    if (memory == CallBook::Memory::Lean)
        CallBook::makeLean(entry);
    return call;
}

std::optional<Snapshot> decodeSnapshot(const QJsonObject &message, CallBook::Memory memory)
{
    if (messageType(message) != MessageType::Snapshot)
        return std::nullopt;
    const auto seq = readInteger(message.value("seq"_L1));
    if (!seq || !message.value("calls"_L1).isArray())
        return std::nullopt;
    Snapshot snapshot;
    snapshot.seq = *seq;
    for (const QJsonValue &v : message.value("calls"_L1).toArray()) {
        if (auto call = decodeSnapshotCall(v.toObject(), memory))
            snapshot.calls.append(std::move(*call));
    }
    return snapshot;
}

std::optional<StreamEvent> decodeEvent(const QJsonObject &message)
{
    const MessageType type = messageType(message);
    if (type != MessageType::Event && type != MessageType::Relay)
        return std::nullopt;
    const auto seq = readInteger(message.value("seq"_L1));
    if (!seq)
        return std::nullopt;
    StreamEvent event;
    event.seq = *seq;
    event.at = readTime(message.value("at"_L1));
    if (type == MessageType::Event) {
        if (!message.value("notification"_L1).isObject())
            return std::nullopt;
        event.type = StreamEvent::Type::Notification;
        event.notification = message.value("notification"_L1).toObject();
    } else {
        event.type = StreamEvent::Type::Relay;
        event.relay = message;
        event.relay.remove("type"_L1);
        event.relay.remove("seq"_L1);
        event.relay.remove("at"_L1);
    }
    return event;
}

} // namespace Graph::RelayProtocol

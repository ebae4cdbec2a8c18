// Reading a stream message from its JSON text without building the tree of all of it: a
// snapshot of 100,000 participants is about 60 MB of text and about 300 MB as one QJsonDocument.
// A small scanner finds where each top-level member and each element of "calls" begins and ends;
// QJsonDocument then parses each piece, and so still checks every byte of the JSON.

#include "relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace Graph::RelayProtocol {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipSpace(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

//! One past the closing quote of the string that opens at s[i], or -1.
qsizetype skipString(QByteArrayView s, qsizetype i)
{
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return -1;
}

//! One past the end of the value that starts at s[i], or -1. Brackets are only counted here; the
//! parse of the piece checks that they match.
qsizetype skipValue(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    if (s[i] == '"')
        return skipString(s, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                i = skipString(s, i);
                if (i < 0)
                    return -1;
                --i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
    const qsizetype start = i;
    while (i < s.size() && !isSpace(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']')
        ++i;
    return i > start ? i : -1;
}

//! The one JSON value `text` holds, or nullopt.
std::optional<QJsonValue> parseValue(QByteArrayView text)
{
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().at(0);
}

//! Walks the object or array that is the whole of `s`, opened by `open` and closed by `close`:
//! `item` is called where each member or element starts and returns one past its end, or -1.
//! False when `s` is not exactly that.
template <typename Item> bool walk(QByteArrayView s, char open, char close, Item item)
{
    qsizetype i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != open)
        return false;
    i = skipSpace(s, i + 1);
    if (i < s.size() && s[i] == close)
        return skipSpace(s, i + 1) == s.size();
    for (;;) {
        const qsizetype end = item(i);
        if (end < 0)
            return false;
        i = skipSpace(s, end);
        if (i < s.size() && s[i] == ',') {
            i = skipSpace(s, i + 1);
            continue;
        }
        return i < s.size() && s[i] == close && skipSpace(s, i + 1) == s.size();
    }
}

//! The members of the object that is the whole of `s`: each key (decoded) with its value's text,
//! in order. nullopt when `s` is not one object.
std::optional<QList<std::pair<QString, QByteArrayView>>> members(QByteArrayView s)
{
    QList<std::pair<QString, QByteArrayView>> out;
    const bool ok = walk(s, '{', '}', [&](qsizetype i) -> qsizetype {
        if (s[i] != '"')
            return -1;
        const qsizetype keyEnd = skipString(s, i);
        if (keyEnd < 0)
            return -1;
        const QByteArrayView keyText = s.sliced(i, keyEnd - i);
        QString key;
        if (keyText.contains('\\')) {
            const std::optional<QJsonValue> decoded = parseValue(keyText);
            if (!decoded)
                return -1;
            key = decoded->toString();
        } else {
            key = QString::fromUtf8(keyText.sliced(1, keyText.size() - 2));
        }
        i = skipSpace(s, keyEnd);
        if (i >= s.size() || s[i] != ':')
            return -1;
        i = skipSpace(s, i + 1);
        const qsizetype valueEnd = skipValue(s, i);
        if (valueEnd >= 0)
            out.append({ key, s.sliced(i, valueEnd - i) });
        return valueEnd;
    });
    return ok ? std::optional(out) : std::nullopt;
}

//! The elements' texts of the array that is the whole of `s`, or nullopt.
std::optional<QList<QByteArrayView>> elements(QByteArrayView s)
{
    QList<QByteArrayView> out;
    const bool ok = walk(s, '[', ']', [&](qsizetype i) {
        const qsizetype end = skipValue(s, i);
        if (end >= 0)
            out.append(s.sliced(i, end - i));
        return end;
    });
    return ok ? std::optional(out) : std::nullopt;
}

//! The message without its "calls", whose text goes to `calls` when given (the last "calls"
//! wins, as in QJsonDocument); nullopt when the text is not one JSON object.
std::optional<QJsonObject> envelope(QByteArrayView json, QByteArrayView *calls)
{
    const auto all = members(json);
    if (!all)
        return std::nullopt;
    QJsonObject out;
    for (const auto &[key, value] : *all) {
        if (key == "calls"_L1) {
            if (calls)
                *calls = value;
            continue;
        }
        const std::optional<QJsonValue> parsed = parseValue(value);
        if (!parsed)
            return std::nullopt;
        out.insert(key, *parsed);
    }
    return out;
}

} // namespace

MessageType peekMessageType(QByteArrayView json)
{
    const auto all = members(json);
    if (!all)
        return MessageType::Unknown;
    QJsonObject message; // the type alone: parsing the rest is the caller's business
    for (const auto &[key, value] : *all) {
        if (key != "type"_L1)
            continue;
        const std::optional<QJsonValue> type = parseValue(value);
        if (!type)
            return MessageType::Unknown;
        message.insert(key, *type);
    }
    return messageType(message);
}

std::optional<Snapshot> decodeSnapshotText(QByteArrayView json, CallBook::Memory memory)
{
    QByteArrayView callsText;
    std::optional<QJsonObject> message = envelope(json, &callsText);
    if (!message || callsText.isNull())
        return std::nullopt;
    const std::optional<QList<QByteArrayView>> calls = elements(callsText);
    if (!calls)
        return std::nullopt;
    // decodeSnapshot checks the type and the seq; the calls follow one at a time.
    message->insert("calls"_L1, QJsonArray());
    std::optional<Snapshot> snapshot = decodeSnapshot(*message, memory);
    if (!snapshot)
        return std::nullopt;
    snapshot->calls.reserve(calls->size());
    for (const QByteArrayView text : *calls) {
        QJsonParseError error;
        const QJsonDocument call = QJsonDocument::fromJson(text.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError)
            return std::nullopt;
        // As decodeSnapshot: an element that is not a call is skipped.
        if (auto decoded = decodeSnapshotCall(call.object(), memory))
            snapshot->calls.append(std::move(*decoded));
    }
    return snapshot;
}

} // namespace Graph::RelayProtocol

#pragma once

// Helpers shared by the codec's translation units. Not part of the library's interface.

#include "codec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace Graph::detail {

inline QString readString(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    return v.isString() ? v.toString() : QString();
}

inline std::optional<bool> readBool(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (v.isBool())
        return v.toBool();
    // Some payloads stringify booleans.
    if (v.isString()) {
        if (v.toString().compare(u"true", Qt::CaseInsensitive) == 0)
            return true;
        if (v.toString().compare(u"false", Qt::CaseInsensitive) == 0)
            return false;
    }
    return std::nullopt;
}

inline QJsonObject readObject(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toObject();
}

inline QJsonArray readArray(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toArray();
}

template <typename E> WireEnum<E> readEnum(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return {};
    return parseWireEnum<E>(v.toString());
}

inline void putString(QJsonObject &o, QLatin1StringView key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(key, value);
}

inline void putBool(QJsonObject &o, QLatin1StringView key, std::optional<bool> value)
{
    if (value)
        o.insert(key, *value);
}

template <typename E> void putEnum(QJsonObject &o, QLatin1StringView key, const WireEnum<E> &value)
{
    // An unknown member is written back as it came; a known one in the schema's spelling.
    const QString text = value.isKnown() ? wireName(value.value) : value.text;
    if (!text.isEmpty())
        o.insert(key, text);
}

template <typename T, typename Decode>
QList<T> readList(const QJsonObject &o, QLatin1StringView key, Decode decode)
{
    QList<T> out;
    const QJsonArray array = o.value(key).toArray();
    out.reserve(array.size());
    for (const QJsonValue &v : array) {
        if (v.isObject())
            out.append(decode(v.toObject()));
    }
    return out;
}

template <typename T> QJsonArray encodeList(const QList<T> &list)
{
    QJsonArray out;
    for (const T &item : list)
        out.append(encode(item));
    return out;
}

inline void putType(QJsonObject &o, QStringView name)
{
    if (!o.contains(QLatin1StringView("@odata.type")))
        o.insert(QLatin1StringView("@odata.type"), odataType(name));
}

} // namespace Graph::detail

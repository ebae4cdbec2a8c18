#include "chaos.h"

#include <QJsonArray>
#include <QSet>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

// A second stream from the same seed: the constant only has to differ from zero.
constexpr quint32 CallbackStreamSalt = 0x9e3779b9u;
// Upper bounds that catch typos (seconds given as milliseconds) without limiting real use.
constexpr int MaxMilliseconds = 600000;
constexpr double MaxRetryAfterSeconds = 3600;

struct Reader
{
    QString prefix;
    QString *error;

    bool fail(const QString &key, const QString &message) const
    {
        if (error)
            *error = prefix + key + u": "_s + message;
        return false;
    }

    bool rate(const QJsonObject &json, const QString &key, double *out) const
    {
        if (!json.contains(key))
            return true;
        const QJsonValue value = json.value(key);
        if (!value.isDouble())
            return fail(key, u"must be a number from 0 to 1"_s);
        const double rate = value.toDouble();
        if (!std::isfinite(rate) || rate < 0 || rate > 1)
            return fail(key, u"must be from 0 to 1"_s);
        *out = rate;
        return true;
    }

    bool range(const QJsonObject &json, const QString &key, MsRange *out) const
    {
        if (!json.contains(key))
            return true;
        const QJsonValue value = json.value(key);
        if (!value.isArray() || value.toArray().size() != 2)
            return fail(key, u"must be [min,max] in milliseconds"_s);
        const QJsonArray pair = value.toArray();
        int bounds[2] = {};
        for (int i = 0; i < 2; ++i) {
            const double number = pair.at(i).toDouble(-1);
            if (!pair.at(i).isDouble() || number != std::floor(number) || number < 0
                || number > MaxMilliseconds) {
                return fail(key,
                    u"must hold two whole numbers of milliseconds from 0 to %1"_s.arg(
                        MaxMilliseconds));
            }
            bounds[i] = int(number);
        }
        if (bounds[0] > bounds[1])
            return fail(key, u"min must not exceed max"_s);
        *out = MsRange { bounds[0], bounds[1] };
        return true;
    }

    bool onlyKnown(const QJsonObject &json, const QSet<QString> &known) const
    {
        for (auto it = json.begin(); it != json.end(); ++it) {
            if (!known.contains(it.key()))
                return fail(it.key(), u"unknown key"_s);
        }
        return true;
    }
};

QJsonArray toArray(const MsRange &range)
{
    return QJsonArray { range.min, range.max };
}

} // namespace

std::optional<ChaosConfig> ChaosConfig::fromJson(
    const QJsonObject &json, QString *error, std::optional<quint32> *seed)
{
    ChaosConfig config;
    const Reader top { QString(), error };
    if (!top.onlyKnown(json,
            { u"throttleRate"_s, u"retryAfterSeconds"_s, u"errorRate"_s, u"latencyMs"_s,
                u"callbacks"_s, u"seed"_s })) {
        return std::nullopt;
    }
    if (!top.rate(json, u"throttleRate"_s, &config.throttleRate)
        || !top.rate(json, u"errorRate"_s, &config.errorRate)
        || !top.range(json, u"latencyMs"_s, &config.latencyMs)) {
        return std::nullopt;
    }
    if (json.contains("retryAfterSeconds"_L1)) {
        const QJsonValue value = json.value("retryAfterSeconds"_L1);
        const double seconds = value.toDouble(-1);
        if (!value.isDouble() || !std::isfinite(seconds) || seconds < 0
            || seconds > MaxRetryAfterSeconds) {
            top.fail(u"retryAfterSeconds"_s,
                u"must be a number of seconds from 0 to %1"_s.arg(MaxRetryAfterSeconds));
            return std::nullopt;
        }
        config.retryAfterSeconds = seconds;
    }
    if (json.contains("seed"_L1)) {
        const QJsonValue value = json.value("seed"_L1);
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number != std::floor(number) || number < 0
            || number > double(std::numeric_limits<quint32>::max())) {
            top.fail(u"seed"_s, u"must be a whole number from 0 to 4294967295"_s);
            return std::nullopt;
        }
        if (seed)
            *seed = quint32(number);
    }
    if (json.contains("callbacks"_L1)) {
        if (!json.value("callbacks"_L1).isObject()) {
            top.fail(u"callbacks"_s, u"must be an object"_s);
            return std::nullopt;
        }
        const QJsonObject callbacks = json.value("callbacks"_L1).toObject();
        const Reader inner { u"callbacks."_s, error };
        if (!inner.onlyKnown(callbacks, { u"reorder"_s, u"duplicate"_s, u"drop"_s, u"delayMs"_s })
            || !inner.rate(callbacks, u"reorder"_s, &config.callbacks.reorder)
            || !inner.rate(callbacks, u"duplicate"_s, &config.callbacks.duplicate)
            || !inner.rate(callbacks, u"drop"_s, &config.callbacks.drop)
            || !inner.range(callbacks, u"delayMs"_s, &config.callbacks.delayMs)) {
            return std::nullopt;
        }
    }
    return config;
}

QJsonObject ChaosConfig::toJson() const
{
    return QJsonObject {
        { "throttleRate"_L1, throttleRate },
        { "retryAfterSeconds"_L1, retryAfterSeconds },
        { "errorRate"_L1, errorRate },
        { "latencyMs"_L1, toArray(latencyMs) },
        { "callbacks"_L1,
            QJsonObject {
                { "reorder"_L1, callbacks.reorder },
                { "duplicate"_L1, callbacks.duplicate },
                { "drop"_L1, callbacks.drop },
                { "delayMs"_L1, toArray(callbacks.delayMs) },
            } },
    };
}

Chaos::Chaos(quint32 seed)
    : m_seed(seed)
    , m_requests(seed)
    , m_callbacks(seed ^ CallbackStreamSalt)
{ }

void Chaos::reseed(quint32 seed)
{
    m_seed = seed;
    m_requests.seed(seed);
    m_callbacks.seed(seed ^ CallbackStreamSalt);
}

std::chrono::milliseconds Chaos::pick(QRandomGenerator &random, const MsRange &range)
{
    // Always draw, even for an empty range, to keep the stream aligned.
    const quint32 offset = random.bounded(quint32(range.max - range.min) + 1);
    return std::chrono::milliseconds(range.min + qint64(offset));
}

Chaos::RequestDecision Chaos::decideRequest()
{
    const double throttle = m_requests.generateDouble();
    const double error = m_requests.generateDouble();
    RequestDecision decision;
    decision.latency = pick(m_requests, m_config.latencyMs);
    // generateDouble() is in [0, 1): a rate of 1 always hits and a rate of 0 never does.
    if (throttle < m_config.throttleRate)
        decision.fault = RequestDecision::Fault::Throttle;
    else if (error < m_config.errorRate)
        decision.fault = RequestDecision::Fault::Error;
    return decision;
}

Chaos::CallbackDecision Chaos::decideCallback()
{
    const double drop = m_callbacks.generateDouble();
    const double duplicate = m_callbacks.generateDouble();
    const double reorder = m_callbacks.generateDouble();
    CallbackDecision decision;
    decision.delay = pick(m_callbacks, m_config.callbacks.delayMs);
    decision.drop = drop < m_config.callbacks.drop;
    // A dropped notification is neither duplicated nor reordered.
    decision.duplicate = !decision.drop && duplicate < m_config.callbacks.duplicate;
    decision.reorder = !decision.drop && reorder < m_config.callbacks.reorder;
    return decision;
}

} // namespace Sandbox

#pragma once

#include <QJsonObject>
#include <QRandomGenerator>
#include <QString>

#include <chrono>
#include <optional>

namespace Sandbox {

//! A closed range of milliseconds, written [min,max] in JSON.
struct MsRange
{
    int min = 0;
    int max = 0;

    bool operator==(const MsRange &) const = default;
};

//! What PUT /sandbox/chaos sets (sandbox-contract.md):
//! {"throttleRate":0.1,"retryAfterSeconds":1.5,"errorRate":0.05,"latencyMs":[20,200],
//!  "callbacks":{"reorder":0.05,"duplicate":0.05,"drop":0.01,"delayMs":[0,500]}}
//! Absent keys take their defaults (no chaos, Retry-After 1.5 s). The sandbox adds "seed",
//! which restarts the decisions from that seed.
struct ChaosConfig
{
    double throttleRate = 0;
    double retryAfterSeconds = 1.5;
    double errorRate = 0;
    MsRange latencyMs;

    struct Callbacks
    {
        double reorder = 0;
        double duplicate = 0;
        double drop = 0;
        MsRange delayMs;

        bool operator==(const Callbacks &) const = default;
    };
    Callbacks callbacks;

    bool operator==(const ChaosConfig &) const = default;

    //! nullopt when a value is out of range or of the wrong type, or a key is unknown; `error`
    //! then names the key ("callbacks.delayMs: min must not exceed max").
    static std::optional<ChaosConfig> fromJson(
        const QJsonObject &json, QString *error, std::optional<quint32> *seed = nullptr);
    QJsonObject toJson() const;
};

//! The chaos configuration and its seeded decisions. Requests and callbacks draw from two
//! generators, so that each stream of decisions depends only on the seed and on how many
//! decisions of its kind came before, never on how requests and callbacks interleave.
class Chaos final
{
    Q_DISABLE_COPY_MOVE(Chaos)

public:
    explicit Chaos(quint32 seed);

    const ChaosConfig &config() const { return m_config; }
    void setConfig(const ChaosConfig &config) { m_config = config; }
    quint32 seed() const { return m_seed; }
    //! Starts both streams of decisions again from `seed`.
    void reseed(quint32 seed);

    struct RequestDecision
    {
        enum class Fault { None, Throttle, Error };
        Fault fault = Fault::None;
        std::chrono::milliseconds latency { 0 };

        bool operator==(const RequestDecision &) const = default;
    };
    //! For one request on the Graph surface. Draws the same amount of randomness whatever the
    //! configuration, so that changing one knob does not shift the others' choices.
    RequestDecision decideRequest();

    struct CallbackDecision
    {
        bool drop = false;
        bool duplicate = false;
        bool reorder = false;
        std::chrono::milliseconds delay { 0 };

        bool operator==(const CallbackDecision &) const = default;
    };
    //! For one notification.
    CallbackDecision decideCallback();

private:
    static std::chrono::milliseconds pick(QRandomGenerator &random, const MsRange &range);

    ChaosConfig m_config;
    quint32 m_seed;
    QRandomGenerator m_requests;
    QRandomGenerator m_callbacks;
};

} // namespace Sandbox

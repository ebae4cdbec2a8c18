#pragma once

#include <QByteArrayView>
#include <QDateTime>

#include <chrono>
#include <functional>
#include <optional>

namespace Graph {

//! When and how long to wait before repeating a Graph request, as Microsoft's Graph SDKs do it
//! (Kiota RetryHandler): only 429, 503 and 504 are retried; the wait is the response's
//! Retry-After when it has one, else an exponential backoff with jitter; each wait is capped.
//! A value type without state: GraphClient counts the attempts.
class RetryPolicy final
{
public:
    //! Returns a number in [0, 1); the jitter source, injectable for tests.
    using Random = std::function<double()>;

    static constexpr int DefaultMaxRetries = 3;
    static constexpr int MaxRetriesCap = 10; //!< the SDKs' hard limit
    static constexpr std::chrono::milliseconds DefaultBaseDelay { 3000 };
    static constexpr std::chrono::milliseconds DefaultMaxJitter { 1000 };
    static constexpr std::chrono::milliseconds MaxDelay { 180000 }; //!< cap of a single wait

    //! 3 retries, 3 s base delay, up to 1 s of jitter from QRandomGenerator::global().
    RetryPolicy();

    int maxRetries() const { return m_maxRetries; }
    //! Clamped to [0, MaxRetriesCap].
    void setMaxRetries(int retries);
    std::chrono::milliseconds baseDelay() const { return m_baseDelay; }
    void setBaseDelay(std::chrono::milliseconds delay);
    std::chrono::milliseconds maxJitter() const { return m_maxJitter; }
    void setMaxJitter(std::chrono::milliseconds jitter);
    //! A null function restores QRandomGenerator::global().
    void setRandom(Random random);

    //! 429, 503 and 504: the statuses for which Graph asks to come back later.
    static bool isRetryableStatus(int httpStatus);

    //! Reads a Retry-After value: seconds, fractional too ("2.128" gives 2128 ms), or an HTTP
    //! date (RFC 1123, "Wed, 21 Oct 2015 07:28:00 GMT") measured from `now` (a date in the past
    //! gives 0). Capped at MaxDelay. nullopt for anything else (empty, negative, not a number).
    static std::optional<std::chrono::milliseconds> parseRetryAfter(
        QByteArrayView value, const QDateTime &now);

    //! The wait before retry number `attempt + 1`, `attempt` counting the retries already made
    //! (0 before the first retry). `retryAfter`, when present, is used as it is; otherwise
    //! baseDelay × 2^attempt plus a jitter in [0, maxJitter). Never more than MaxDelay.
    std::chrono::milliseconds delayFor(
        int attempt, std::optional<std::chrono::milliseconds> retryAfter) const;

    //! True when a response with `httpStatus`, after `retriesDone` retries, should be retried.
    bool shouldRetry(int httpStatus, int retriesDone) const
    {
        return isRetryableStatus(httpStatus) && retriesDone < m_maxRetries;
    }

private:
    int m_maxRetries = DefaultMaxRetries;
    std::chrono::milliseconds m_baseDelay = DefaultBaseDelay;
    std::chrono::milliseconds m_maxJitter = DefaultMaxJitter;
    Random m_random;
};

} // namespace Graph

#include "retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QStringList>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

double defaultRandom()
{
    return QRandomGenerator::global()->generateDouble();
}

// delta-seconds, with the fraction Graph sends ("2.128"); no sign, no exponent, no spaces inside.
std::optional<double> parseSeconds(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    bool seenDigit = false;
    bool seenDot = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            seenDigit = true;
        } else if (c == '.' && !seenDot) {
            seenDot = true;
        } else {
            return std::nullopt;
        }
    }
    if (!seenDigit)
        return std::nullopt;
    bool ok = false;
    const double seconds = text.toByteArray().toDouble(&ok);
    if (!ok || !std::isfinite(seconds))
        return std::nullopt;
    return seconds;
}

QDateTime parseHttpDate(QByteArrayView text)
{
    // RFC 1123, the form HTTP/1.1 servers send: "Wed, 21 Oct 2015 07:28:00 GMT". The date and
    // the time are read apart so that the local time zone (and its DST gaps) play no part.
    const QStringList parts = QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() == 6 && parts.at(0).endsWith(u',') && parts.at(5) == "GMT"_L1) {
        const QDate date = QLocale::c().toDate(parts.mid(1, 3).join(u' '), u"d MMM yyyy"_s);
        const QTime time = QTime::fromString(parts.at(4), u"HH:mm:ss"_s);
        if (date.isValid() && time.isValid())
            return QDateTime(date, time, QTimeZone::utc());
    }
    return QDateTime::fromString(QString::fromLatin1(text), Qt::RFC2822Date);
}

} // namespace

RetryPolicy::RetryPolicy()
    : m_random(defaultRandom)
{ }

void RetryPolicy::setMaxRetries(int retries)
{
    m_maxRetries = std::clamp(retries, 0, MaxRetriesCap);
}

void RetryPolicy::setBaseDelay(std::chrono::milliseconds delay)
{
    m_baseDelay = std::clamp(delay, std::chrono::milliseconds::zero(), MaxDelay);
}

void RetryPolicy::setMaxJitter(std::chrono::milliseconds jitter)
{
    m_maxJitter = std::clamp(jitter, std::chrono::milliseconds::zero(), MaxDelay);
}

void RetryPolicy::setRandom(Random random)
{
    m_random = random ? std::move(random) : Random(defaultRandom);
}

bool RetryPolicy::isRetryableStatus(int httpStatus)
{
    return httpStatus == 429 || httpStatus == 503 || httpStatus == 504;
}

std::optional<std::chrono::milliseconds> RetryPolicy::parseRetryAfter(
    QByteArrayView value, const QDateTime &now)
{
    const QByteArrayView text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (const std::optional<double> seconds = parseSeconds(text)) {
        // Compare before converting: a huge value must not overflow the integer.
        if (*seconds * 1000.0 >= double(MaxDelay.count()))
            return MaxDelay;
        return std::chrono::milliseconds(std::llround(*seconds * 1000.0));
    }
    const QDateTime date = parseHttpDate(text);
    if (!date.isValid() || !now.isValid())
        return std::nullopt;
    const qint64 ms = now.msecsTo(date);
    return std::chrono::milliseconds(std::clamp<qint64>(ms, 0, MaxDelay.count()));
}

std::chrono::milliseconds RetryPolicy::delayFor(
    int attempt, std::optional<std::chrono::milliseconds> retryAfter) const
{
    if (retryAfter)
        return std::clamp(*retryAfter, std::chrono::milliseconds::zero(), MaxDelay);
    // 2^attempt overflows nothing below the cap: stop doubling once past it.
    double delay = double(m_baseDelay.count());
    for (int i = 0; i < std::max(attempt, 0) && delay < double(MaxDelay.count()); ++i)
        delay *= 2.0;
    const double r = std::clamp(m_random ? m_random() : 0.0, 0.0, 1.0);
    delay += std::floor(r * double(m_maxJitter.count()));
    if (m_maxJitter.count() > 0 && r >= 1.0)
        delay -= 1.0; // keep the jitter strictly below maxJitter
    return std::chrono::milliseconds(std::min<qint64>(qint64(delay), qint64(MaxDelay.count())));
}

} // namespace Graph

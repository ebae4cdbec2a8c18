#include "graph/retrypolicy.h"

#include <QTest>
#include <QTimeZone>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Graph::RetryPolicy;

namespace {

const QDateTime Now(QDate(2026, 1, 5), QTime(9, 0), QTimeZone::utc());

} // namespace

class TstRetryPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseRetryAfter_data();
    void parseRetryAfter();
    void delayForBackoffDoublesFromThreeSeconds_data();
    void delayForBackoffDoublesFromThreeSeconds();
    void delayForJitterStaysWithinBounds();
    void delayForUsesRetryAfterWithoutJitter();
    void delayForCapsEveryWaitAt180Seconds();
    void isRetryableStatus_data();
    void isRetryableStatus();
    void maxRetriesDefaultsToThreeAndIsCappedAtTen();
    void shouldRetryStopsAfterMaxRetries();
};

void TstRetryPolicy::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("integer seconds") << "2"_ba << true << qint64(2000);
    QTest::newRow("fractional seconds") << "2.128"_ba << true << qint64(2128);
    QTest::newRow("zero") << "0"_ba << true << qint64(0);
    QTest::newRow("surrounding spaces") << " 5 "_ba << true << qint64(5000);
    QTest::newRow("negative") << "-1"_ba << false << qint64(0);
    QTest::newRow("not a number") << "abc"_ba << false << qint64(0);
    QTest::newRow("empty") << ""_ba << false << qint64(0);
    QTest::newRow("exponent") << "1e3"_ba << false << qint64(0);
    QTest::newRow("two dots") << "1.2.3"_ba << false << qint64(0);
    QTest::newRow("huge seconds capped") << "86400"_ba << true << qint64(180000);
    QTest::newRow("enormous seconds capped")
        << "99999999999999999999999"_ba << true << qint64(180000);
    QTest::newRow("http date in the future")
        << "Mon, 05 Jan 2026 09:00:30 GMT"_ba << true << qint64(30000);
    QTest::newRow("http date in the past")
        << "Mon, 05 Jan 2026 08:59:00 GMT"_ba << true << qint64(0);
    QTest::newRow("http date far ahead capped")
        << "Tue, 06 Jan 2026 09:00:00 GMT"_ba << true << qint64(180000);
    QTest::newRow("http date invalid day")
        << "Mon, 32 Jan 2026 09:00:30 GMT"_ba << false << qint64(0);
}

void TstRetryPolicy::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, expectedMs);

    const std::optional<std::chrono::milliseconds> parsed =
        RetryPolicy::parseRetryAfter(value, Now);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(parsed->count(), expectedMs);
}

void TstRetryPolicy::delayForBackoffDoublesFromThreeSeconds_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("first retry, no jitter") << 0 << 0.0 << qint64(3000);
    QTest::newRow("second retry, no jitter") << 1 << 0.0 << qint64(6000);
    QTest::newRow("third retry, no jitter") << 2 << 0.0 << qint64(12000);
    QTest::newRow("first retry, half jitter") << 0 << 0.5 << qint64(3500);
    QTest::newRow("third retry, most jitter") << 2 << 0.9995 << qint64(12999);
}

void TstRetryPolicy::delayForBackoffDoublesFromThreeSeconds()
{
    QFETCH(int, attempt);
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);

    RetryPolicy policy;
    policy.setRandom([random] { return random; });
    QCOMPARE(policy.delayFor(attempt, std::nullopt).count(), expectedMs);
}

void TstRetryPolicy::delayForJitterStaysWithinBounds()
{
    RetryPolicy policy; // the real random source
    for (int attempt = 0; attempt < 3; ++attempt) {
        const qint64 base = 3000LL << attempt;
        for (int i = 0; i < 200; ++i) {
            const qint64 delay = policy.delayFor(attempt, std::nullopt).count();
            QVERIFY2(delay >= base && delay < base + 1000,
                qPrintable(u"attempt %1 gave %2 ms"_s.arg(attempt).arg(delay)));
        }
    }
    // Even a random source that breaks its contract cannot push the jitter to a full second.
    policy.setRandom([] { return 1.0; });
    QCOMPARE(policy.delayFor(0, std::nullopt), 3999ms);
}

void TstRetryPolicy::delayForUsesRetryAfterWithoutJitter()
{
    RetryPolicy policy;
    policy.setRandom([] { return 0.7; });
    QCOMPARE(policy.delayFor(0, 2128ms), 2128ms);
    QCOMPARE(policy.delayFor(2, 0ms), 0ms);
}

void TstRetryPolicy::delayForCapsEveryWaitAt180Seconds()
{
    RetryPolicy policy;
    policy.setRandom([] { return 0.99; });
    QCOMPARE(policy.delayFor(10, std::nullopt), RetryPolicy::MaxDelay);
    QCOMPARE(policy.delayFor(1000, std::nullopt), RetryPolicy::MaxDelay);
    QCOMPARE(policy.delayFor(0, 500s), RetryPolicy::MaxDelay);
    QCOMPARE(RetryPolicy::MaxDelay, 180s);
}

void TstRetryPolicy::isRetryableStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");

    QTest::newRow("429") << 429 << true;
    QTest::newRow("503") << 503 << true;
    QTest::newRow("504") << 504 << true;
    QTest::newRow("200") << 200 << false;
    QTest::newRow("400") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("500") << 500 << false;
    QTest::newRow("502") << 502 << false;
}

void TstRetryPolicy::isRetryableStatus()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
}

void TstRetryPolicy::maxRetriesDefaultsToThreeAndIsCappedAtTen()
{
    RetryPolicy policy;
    QCOMPARE(policy.maxRetries(), 3);
    QCOMPARE(policy.baseDelay(), 3s);
    policy.setMaxRetries(50);
    QCOMPARE(policy.maxRetries(), 10);
    policy.setMaxRetries(-1);
    QCOMPARE(policy.maxRetries(), 0);
    policy.setMaxRetries(5);
    QCOMPARE(policy.maxRetries(), 5);
}

void TstRetryPolicy::shouldRetryStopsAfterMaxRetries()
{
    RetryPolicy policy;
    QVERIFY(policy.shouldRetry(429, 0));
    QVERIFY(policy.shouldRetry(503, 2));
    QVERIFY(!policy.shouldRetry(504, 3));
    QVERIFY(!policy.shouldRetry(400, 0));
}

QTEST_GUILESS_MAIN(TstRetryPolicy)
#include "tst_retrypolicy.moc"

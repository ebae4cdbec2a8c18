// Tests of Models::PassBudget: a pass gets the whole budget, passes that run back to back share
// one, and a pass after a pause starts afresh.

#include "models/passbudget.h"

#include <QTest>

using namespace std::chrono_literals;
using Models::PassBudget;

class TstPassBudget final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aPassHasTheWholeBudget();
    void passesBackToBackShareTheBudget();
    void aPassAfterAPauseStartsAfresh();
};

namespace {

constexpr qint64 ms(double value)
{
    return qint64(value * 1'000'000);
}

} // namespace

void TstPassBudget::aPassHasTheWholeBudget()
{
    qint64 now = ms(100);
    PassBudget budget(4ms);
    budget.setElapsedSource([&] { return now; });
    const qint64 deadline = budget.begin();
    QCOMPARE(deadline, ms(104));
    now = ms(103.9);
    QVERIFY(!budget.isSpent(deadline));
    now = ms(104);
    QVERIFY(budget.isSpent(deadline));
    budget.end();
}

void TstPassBudget::passesBackToBackShareTheBudget()
{
    qint64 now = 0;
    PassBudget budget(4ms);
    budget.setElapsedSource([&] { return now; });
    budget.begin(); // the frames' pass: 3 ms
    now = ms(3);
    budget.end();
    now = ms(3.1); // the expiry's pass, due in the same run of timers
    const qint64 deadline = budget.begin();
    QCOMPARE(deadline, ms(4));
    now = ms(4);
    QVERIFY(budget.isSpent(deadline));
    budget.end();
    // A third, straight after: nothing is left, so it stops after its first item.
    now = ms(4.2);
    QVERIFY(budget.isSpent(budget.begin()));
    budget.end();
}

void TstPassBudget::aPassAfterAPauseStartsAfresh()
{
    qint64 now = 0;
    PassBudget budget(4ms);
    budget.setElapsedSource([&] { return now; });
    budget.begin();
    now = ms(3);
    budget.end();
    // The window painted, or the event loop waited: longer than Adjacent since the last pass.
    now = ms(3) + std::chrono::nanoseconds(PassBudget::Adjacent).count() + 1;
    QCOMPARE(budget.begin(), now + ms(4));
    budget.end();
}

QTEST_GUILESS_MAIN(TstPassBudget)
#include "tst_passbudget.moc"

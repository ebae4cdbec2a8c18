// Tests of Models::RowIndex: rows stay right through appends and removals anywhere, across the
// rebuilds that fold removals in.

#include "models/rowindex.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using Models::RowIndex;

class TstRowIndex final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowRemovals();
    void unknownKeysHaveNoRow();
    void manyRemovalsFoldIn();
};

namespace {

// Every key's row in `index` is its position in `rows`.
bool matches(const RowIndex &index, const QList<QString> &rows)
{
    if (index.size() != rows.size())
        return false;
    for (int i = 0; i < rows.size(); ++i) {
        if (index.row(rows.at(i)) != i)
            return false;
    }
    return true;
}

} // namespace

void TstRowIndex::rowsFollowRemovals()
{
    RowIndex index;
    QList<QString> rows;
    for (const QString &key : { u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s }) {
        rows.append(key);
        index.append(key);
    }
    QVERIFY(matches(index, rows));
    rows.removeAt(1);
    QCOMPARE(index.remove(u"b"_s, rows), 1);
    QVERIFY(matches(index, rows)); // c, d, e moved up one
    rows.append(u"f"_s);
    index.append(u"f"_s);
    rows.removeAt(0);
    QCOMPARE(index.remove(u"a"_s, rows), 0);
    rows.removeAt(3);
    QCOMPARE(index.remove(u"f"_s, rows), 3);
    QCOMPARE(rows, QList<QString>({ u"c"_s, u"d"_s, u"e"_s }));
    QVERIFY(matches(index, rows));
    QCOMPARE(index.pending(), 3);
}

void TstRowIndex::unknownKeysHaveNoRow()
{
    RowIndex index;
    index.append(u"a"_s);
    QCOMPARE(index.row(u"z"_s), -1);
    QVERIFY(!index.contains(u"z"_s));
    QCOMPARE(index.remove(u"z"_s, { u"a"_s }), -1);
    QCOMPARE(index.row(u"a"_s), 0);
    index.clear();
    QCOMPARE(index.row(u"a"_s), -1);
    QCOMPARE(index.size(), 0);
}

void TstRowIndex::manyRemovalsFoldIn()
{
    // Random appends and removals, past several rebuilds, checked against a plain list.
    QRandomGenerator random(20261127);
    RowIndex index;
    QList<QString> rows;
    int next = 0;
    for (int i = 0; i < 2000; ++i) {
        const QString key = u"call-%1"_s.arg(next++);
        rows.append(key);
        index.append(key);
    }
    int rebuilds = 0;
    for (int step = 0; step < 3000; ++step) {
        if (!rows.isEmpty() && random.bounded(3) != 0) {
            const int at = int(random.bounded(rows.size()));
            const QString key = rows.takeAt(at);
            const int pendingBefore = index.pending();
            QCOMPARE(index.remove(key, rows), at);
            if (index.pending() < pendingBefore)
                ++rebuilds;
        } else {
            const QString key = u"call-%1"_s.arg(next++);
            rows.append(key);
            index.append(key);
        }
        QVERIFY(index.pending() < RowIndex::MaxPending);
        if (step % 97 == 0)
            QVERIFY2(matches(index, rows), qPrintable(QString::number(step)));
    }
    QVERIFY(matches(index, rows));
    QVERIFY(rebuilds >= 5);
}

QTEST_GUILESS_MAIN(TstRowIndex)
#include "tst_rowindex.moc"

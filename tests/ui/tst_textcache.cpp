// Tests of Gui::TextCache: lines are laid out once, measured like QFontMetrics does, elided to
// their rectangle, and the cache stays within its limit; and of Gui::TextDelegate, which paints
// plain cells with it and leaves the others to the style.

#include "ui/textcache.h"
#include "ui/textdelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

//! The columns of `image` that hold a pixel other than white.
QPair<int, int> inkColumns(const QImage &image)
{
    int first = -1;
    int last = -1;
    for (int x = 0; x < image.width(); ++x) {
        for (int y = 0; y < image.height(); ++y) {
            if (image.pixel(x, y) != qRgb(255, 255, 255)) {
                if (first < 0)
                    first = x;
                last = x;
                break;
            }
        }
    }
    return { first, last };
}

QImage drawn(Gui::TextCache &cache, const QRect &rect, const QString &text, const QFont &font)
{
    QImage image(300, 40, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    cache.draw(&painter, rect, text, font, Qt::black);
    painter.end();
    return image;
}

// A cell of `model` as TextDelegate paints it, 300 x 40 on white, in black text.
QImage delegated(const QModelIndex &index)
{
    QImage image(300, 40, QImage::Format_RGB32);
    image.fill(Qt::white);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.font = QApplication::font();
    option.state = QStyle::State_Enabled | QStyle::State_Active;
    option.palette.setColor(QPalette::Text, Qt::black);
    option.palette.setColor(QPalette::Base, Qt::white);
    QPainter painter(&image);
    Gui::TextDelegate delegate;
    delegate.paint(&painter, option, index);
    painter.end();
    return image;
}

} // namespace

class TstTextCache final : public QObject
{
    Q_OBJECT

private slots:
    void advanceIsTheFontsAdvance();
    void drawsInsideItsRectangle();
    void elidesToTheRectangle();
    void sameLineIsLaidOutOnce();
    void staysWithinItsLimitAndKeepsLinesInUse();
    void aLineInUseSurvivesTheTurnOfGenerations();
    void markupIsPlainText();
    void delegatePaintsPlainTextAtTheLeft();
    void delegateLeavesOtherCellsToTheStyle();
};

void TstTextCache::advanceIsTheFontsAdvance()
{
    Gui::TextCache cache;
    const QFont font = QApplication::font();
    const QString text = u"Dr. Amelia Koch-Weber"_s;
    QCOMPARE(cache.advance(text, font), QFontMetrics(font).horizontalAdvance(text));
    QFont bold = font;
    bold.setBold(true);
    QCOMPARE(cache.advance(text, bold), QFontMetrics(bold).horizontalAdvance(text));
}

void TstTextCache::drawsInsideItsRectangle()
{
    Gui::TextCache cache;
    const QRect rect(50, 0, 200, 40);
    const auto [first, last] = inkColumns(drawn(cache, rect, u"Incoming"_s, QApplication::font()));
    QVERIFY(first >= rect.left());
    QVERIFY(last <= rect.right());
    QVERIFY(last > first);
}

void TstTextCache::elidesToTheRectangle()
{
    Gui::TextCache cache;
    const QFont font = QApplication::font();
    const QString text = u"A caller with a very long name indeed, longer than the column"_s;
    const QRect narrow(10, 0, 60, 40);
    const auto [first, last] = inkColumns(drawn(cache, narrow, text, font));
    QVERIFY(first >= narrow.left());
    QVERIFY2(last <= narrow.right(), qPrintable(QString::number(last)));
}

void TstTextCache::sameLineIsLaidOutOnce()
{
    Gui::TextCache cache;
    const QFont font = QApplication::font();
    drawn(cache, QRect(0, 0, 200, 40), u"last event 4 s ago"_s, font);
    drawn(cache, QRect(0, 0, 200, 40), u"last event 4 s ago"_s, font);
    QCOMPARE(cache.size(), 1);
    drawn(cache, QRect(0, 0, 120, 40), u"last event 4 s ago"_s, font); // another width
    drawn(cache, QRect(0, 0, 200, 40), u"last event 5 s ago"_s, font);
    QCOMPARE(cache.size(), 3);
}

void TstTextCache::staysWithinItsLimitAndKeepsLinesInUse()
{
    Gui::TextCache cache(4); // two generations of two lines
    const QFont font = QApplication::font();
    cache.advance(u"0"_s, font);
    cache.advance(u"1"_s, font);
    QCOMPARE(cache.size(), 2);
    cache.advance(u"2"_s, font); // the newer generation was full: 0 and 1 are the older now
    QCOMPARE(cache.size(), 3);
    QCOMPARE(cache.layouts(), 3);
    cache.advance(u"0"_s, font); // in use again: moved up, not laid out again
    QCOMPARE(cache.layouts(), 3);
    cache.advance(u"3"_s, font); // 2 and 0 become the older; 1, unused, is dropped
    QCOMPARE(cache.size(), 3);
    QCOMPARE(cache.layouts(), 4);
    cache.advance(u"0"_s, font); // still in the older generation
    QCOMPARE(cache.layouts(), 4);
    cache.advance(u"1"_s, font); // dropped before, so laid out again
    QCOMPARE(cache.layouts(), 5);
    for (int i = 0; i < 100; ++i)
        cache.advance(QString::number(i), font);
    QVERIFY(cache.size() <= 4);
}

void TstTextCache::aLineInUseSurvivesTheTurnOfGenerations()
{
    Gui::TextCache cache(4); // two generations of two lines
    const QFont font = QApplication::font();
    for (const QString &text : { u"0"_s, u"1"_s, u"2"_s, u"3"_s })
        cache.advance(text, font); // 0 and 1 are the older generation; 2 and 3 fill the newer
    QCOMPARE(cache.layouts(), 4);
    // The newer generation is full, so the generations turn: 1, in use, moves up first.
    cache.advance(u"1"_s, font);
    QCOMPARE(cache.layouts(), 4);
    cache.advance(u"2"_s, font);
    cache.advance(u"3"_s, font);
    QCOMPARE(cache.layouts(), 4);
    cache.advance(u"0"_s, font); // not used since the turn: dropped with it
    QCOMPARE(cache.layouts(), 5);
}

void TstTextCache::markupIsPlainText()
{
    Gui::TextCache cache;
    const QFont font = QApplication::font();
    // A caller named "<b>x</b>" is shown as those characters, not as a bold x.
    const QString text = u"<b>x</b>"_s;
    const auto [first, last] = inkColumns(drawn(cache, QRect(0, 0, 300, 40), text, font));
    QVERIFY(first >= 0);
    QVERIFY(last - first > 3 * QFontMetrics(font).horizontalAdvance(u"x"_s));
}

void TstTextCache::delegatePaintsPlainTextAtTheLeft()
{
    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), u"Alice Example"_s);
    const auto [first, last] = inkColumns(delegated(model.index(0, 0)));
    QVERIFY(first >= Gui::TextDelegate::Padding);
    QVERIFY(first <= Gui::TextDelegate::Padding + 2);
    const int width = QFontMetrics(QApplication::font()).horizontalAdvance(u"Alice Example"_s);
    QVERIFY2(std::abs((last - first) - width) <= 3, qPrintable(QString::number(last - first)));
}

void TstTextCache::delegateLeavesOtherCellsToTheStyle()
{
    // Right-aligned text is not what the cache draws: the style paints it, on the right.
    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), u"42 s"_s);
    model.setData(model.index(0, 0), int(Qt::AlignRight | Qt::AlignVCenter), Qt::TextAlignmentRole);
    const auto [first, last] = inkColumns(delegated(model.index(0, 0)));
    QVERIFY2(first > 200, qPrintable(QString::number(first)));
    QVERIFY(last < 300);
}

QTEST_MAIN(TstTextCache)
#include "tst_textcache.moc"

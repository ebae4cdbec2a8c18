// Tests of Gui::TextCache: lines are laid out once, measured like QFontMetrics does, elided to
// their rectangle, and the cache stays within its limit.

#include "ui/textcache.h"

#include <QApplication>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
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

} // namespace

class TstTextCache final : public QObject
{
    Q_OBJECT

private slots:
    void advanceIsTheFontsAdvance();
    void drawsInsideItsRectangle();
    void elidesToTheRectangle();
    void sameLineIsLaidOutOnce();
    void emptiesPastItsLimit();
    void markupIsPlainText();
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

void TstTextCache::emptiesPastItsLimit()
{
    Gui::TextCache cache(3);
    const QFont font = QApplication::font();
    for (int i = 0; i < 3; ++i)
        cache.advance(QString::number(i), font);
    QCOMPARE(cache.size(), 3);
    cache.advance(u"3"_s, font);
    QCOMPARE(cache.size(), 1);
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

QTEST_MAIN(TstTextCache)
#include "tst_textcache.moc"

// Tests of Gui::PaintPacer: a window's update requests are held while the last paint is less
// than an interval old, and a held request is painted once it is let through.

#include "ui/paintpacer.h"

#include <QPixmap>
#include <QTest>
#include <QWidget>

#include <chrono>

using namespace std::chrono_literals;

namespace {

//! A top-level widget that counts its paint events.
class CountingWidget final : public QWidget
{
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent *) override { ++paints; }
};

//! Shows the window and paints it with pacing off, then sets `interval`: the last paint is
//! fresh when the test begins.
bool settle(CountingWidget &window, Gui::PaintPacer &pacer, std::chrono::milliseconds interval)
{
    pacer.setInterval(0ms);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    const int before = window.paints;
    window.update();
    if (!QTest::qWaitFor([&] { return window.paints > before; }))
        return false;
    pacer.setInterval(interval);
    return !pacer.isHolding();
}

} // namespace

class TstPaintPacer final : public QObject
{
    Q_OBJECT

private slots:
    void updatesWithinTheIntervalAreHeld();
    void heldUpdateIsPaintedWhenTheIntervalEnds();
    void zeroIntervalPacesNothing();
    void settingZeroLetsAHeldUpdateThrough();
    void grabIsNotPaced();
};

void TstPaintPacer::updatesWithinTheIntervalAreHeld()
{
    CountingWidget window;
    Gui::PaintPacer pacer(&window);
    QVERIFY(settle(window, pacer, 1h));
    const int painted = window.paints;

    // Within the hour: the requests are held, however many updates come.
    for (int i = 0; i < 5; ++i) {
        window.update();
        QCoreApplication::processEvents();
    }
    QTRY_VERIFY(pacer.isHolding());
    QCoreApplication::processEvents();
    QCOMPARE(window.paints, painted);

    // Let through: one paint covers all of them.
    pacer.flush();
    QVERIFY(!pacer.isHolding());
    QTRY_COMPARE(window.paints, painted + 1);

    // Nothing held, nothing dirty: flushing paints nothing.
    pacer.flush();
    QCoreApplication::processEvents();
    QCOMPARE(window.paints, painted + 1);
}

void TstPaintPacer::heldUpdateIsPaintedWhenTheIntervalEnds()
{
    CountingWidget window;
    Gui::PaintPacer pacer(&window);
    QVERIFY(settle(window, pacer, 1h));
    const int painted = window.paints;
    window.update();
    QTRY_VERIFY(pacer.isHolding());

    // The pacer's own timer sends the held request; a shorter interval re-arms it.
    pacer.setInterval(1ms);
    QTRY_VERIFY(window.paints > painted);
    QVERIFY(!pacer.isHolding());
}

void TstPaintPacer::zeroIntervalPacesNothing()
{
    CountingWidget window;
    Gui::PaintPacer pacer(&window);
    QVERIFY(settle(window, pacer, 0ms));
    for (int i = 0; i < 3; ++i) {
        const int before = window.paints;
        window.update();
        QTRY_VERIFY(window.paints > before);
        QVERIFY(!pacer.isHolding());
    }
}

void TstPaintPacer::settingZeroLetsAHeldUpdateThrough()
{
    CountingWidget window;
    Gui::PaintPacer pacer(&window);
    QVERIFY(settle(window, pacer, 1h));
    const int painted = window.paints;
    window.update();
    QTRY_VERIFY(pacer.isHolding());

    pacer.setInterval(0ms);
    QVERIFY(!pacer.isHolding());
    QTRY_COMPARE(window.paints, painted + 1);
}

void TstPaintPacer::grabIsNotPaced()
{
    CountingWidget window;
    Gui::PaintPacer pacer(&window);
    QVERIFY(settle(window, pacer, 1h));
    window.update();
    QTRY_VERIFY(pacer.isHolding());
    const int painted = window.paints;
    // A screenshot renders the widget itself, whatever the pacer holds.
    const QPixmap shot = window.grab();
    QVERIFY(!shot.isNull());
    QCOMPARE(window.paints, painted + 1);
}

QTEST_MAIN(TstPaintPacer)
#include "tst_paintpacer.moc"

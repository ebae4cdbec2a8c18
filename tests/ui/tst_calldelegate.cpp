// Tests of Gui::CallDelegate: the countdown bar follows CountdownFractionRole, each state has
// its own icon, words are painted beside every colour, stale calls are marked and ended ones
// dimmed. Cells are painted into images with a fixed palette and sampled.

#include "ui/calldelegate.h"
#include "ui/icons.h"
#include "uifixtures.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QSet>
#include <QStyleOptionViewItem>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace UiFixtures;
using Graph::CallState;
using Gui::CallDelegate;
using Models::CallsModel;

namespace {

const QRgb Background = qRgb(255, 255, 255);
const QRgb Ink = qRgb(0, 0, 0);
const QRgb Dimmed = qRgb(150, 150, 150);
const QRgb Bar = qRgb(0, 0, 255);
const QSize CellSize(320, 30);

QPalette testPalette()
{
    QPalette palette;
    for (const auto group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        palette.setColor(group, QPalette::Base, QColor(Background));
        palette.setColor(group, QPalette::AlternateBase, QColor(Background));
        palette.setColor(group, QPalette::Window, QColor(Background));
        palette.setColor(group, QPalette::Text, QColor(group == QPalette::Disabled ? Dimmed : Ink));
        palette.setColor(group, QPalette::WindowText, QColor(Ink));
        palette.setColor(group, QPalette::PlaceholderText, QColor(Ink));
        palette.setColor(group, QPalette::Highlight, QColor(Bar));
        palette.setColor(group, QPalette::HighlightedText, QColor(Background));
    }
    return palette;
}

QImage paintCell(const QModelIndex &index, QSize size = CellSize)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Background);
    QStyleOptionViewItem option;
    option.rect = QRect(QPoint(0, 0), size);
    option.palette = testPalette();
    option.font = QApplication::font();
    option.state = QStyle::State_Enabled | QStyle::State_Active;
    QPainter painter(&image);
    CallDelegate delegate;
    delegate.paint(&painter, option, index);
    return image;
}

bool isInk(QRgb pixel)
{
    return qGray(pixel) < 200 && pixel != Bar;
}

int inkIn(const QImage &image, const QRect &rect)
{
    int count = 0;
    const QRect area = rect.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x)
            count += isInk(image.pixel(x, y)) ? 1 : 0;
    }
    return count;
}

int darkest(const QImage &image)
{
    int out = 255;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            out = std::min(out, qGray(image.pixel(x, y)));
    }
    return out;
}

} // namespace

class TstCallDelegate final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countdownFillIsTheFraction_data();
    void countdownFillIsTheFraction();
    void paintedBarFollowsCountdownFraction_data();
    void paintedBarFollowsCountdownFraction();
    void waitCellPaintsSecondsLeftBesideTheBar();
    void liveCallHasNoBar();
    void iconPerState_data();
    void iconPerState();
    void stateCellPaintsIconAndText_data();
    void stateCellPaintsIconAndText();
    void staleRowGetsItsMarker();
    void endedRowIsDimmed();
};

void TstCallDelegate::countdownFillIsTheFraction_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<int>("width");

    QTest::newRow("full") << 1.0 << 100;
    QTest::newRow("three quarters") << 0.75 << 75;
    QTest::newRow("half") << 0.5 << 50;
    QTest::newRow("a sliver") << 0.004 << 0;
    QTest::newRow("empty") << 0.0 << 0;
    QTest::newRow("over") << 1.7 << 100;
    QTest::newRow("under") << -0.2 << 0;
    QTest::newRow("not a number") << std::nan("") << 0;
}

void TstCallDelegate::countdownFillIsTheFraction()
{
    QFETCH(double, fraction);
    QFETCH(int, width);
    const QRect track(10, 5, 100, 12);

    const QRect fill = CallDelegate::countdownFill(track, fraction);

    QCOMPARE(fill.width(), width);
    QCOMPARE(fill.left(), track.left());
    QCOMPARE(fill.height(), track.height());
}

void TstCallDelegate::paintedBarFollowsCountdownFraction_data()
{
    QTest::addColumn<int>("elapsedMs");
    QTest::addColumn<double>("fraction");

    QTest::newRow("just rang") << 0 << 1.0;
    QTest::newRow("a quarter gone") << 3750 << 0.75;
    QTest::newRow("half gone") << 7500 << 0.5;
    QTest::newRow("nearly out") << 12000 << 0.2;
    QTest::newRow("overdue") << 20000 << 0.0;
}

void TstCallDelegate::paintedBarFollowsCountdownFraction()
{
    QFETCH(int, elapsedMs);
    QFETCH(double, fraction);
    Console console;
    console.ringing(1, Who::phone(u"+15550100"_s));
    console.calls.setNow(at(0).addMSecs(elapsedMs));
    const QModelIndex wait = console.callIndex(1, CallsModel::WaitColumn);
    QCOMPARE(wait.data(CallsModel::CountdownFractionRole).toDouble(), fraction);

    const QImage image = paintCell(wait);

    // Count the bar's colour along the track's middle line: the fill, less the outline.
    const CallDelegate::Layout layout =
        CallDelegate::waitLayout(image.rect(), QFontMetrics(QApplication::font()));
    const int y = layout.track.center().y();
    int filled = 0;
    for (int x = layout.track.left(); x <= layout.track.right(); ++x)
        filled += image.pixel(x, y) == Bar ? 1 : 0;
    const int expected = int(std::lround(fraction * layout.track.width()));
    QVERIFY2(std::abs(filled - expected) <= 2,
        qPrintable(u"filled %1 px, expected %2 of %3"_s.arg(filled).arg(expected).arg(
            layout.track.width())));
    // Nothing of the bar's colour outside the track.
    for (int x = layout.track.right() + 1; x < image.width(); ++x)
        QVERIFY(image.pixel(x, y) != Bar);
}

void TstCallDelegate::waitCellPaintsSecondsLeftBesideTheBar()
{
    Console console;
    console.ringing(1, Who::phone(u"+15550100"_s));
    console.calls.setNow(at(4));
    const QModelIndex wait = console.callIndex(1, CallsModel::WaitColumn);
    QVERIFY(wait.data().toString().contains(u"11 s left"_s));

    const QImage image = paintCell(wait);

    const CallDelegate::Layout layout =
        CallDelegate::waitLayout(image.rect(), QFontMetrics(QApplication::font()));
    QVERIFY(layout.track.width() > 0);
    QVERIFY(layout.text.left() > layout.track.right());
    QVERIFY(inkIn(image, layout.text) > 20);
}

void TstCallDelegate::liveCallHasNoBar()
{
    Console console;
    console.established(1, Who::phone(u"+15550100"_s));
    console.calls.setNow(at(30));
    const QModelIndex wait = console.callIndex(1, CallsModel::WaitColumn);
    QVERIFY(!wait.data(CallsModel::CountdownFractionRole).isValid());

    const QImage image = paintCell(wait);

    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            QVERIFY(image.pixel(x, y) != Bar);
    }
    QVERIFY(inkIn(image, image.rect()) > 20); // "00:28"
}

void TstCallDelegate::iconPerState_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("ended");
    QTest::addColumn<QString>("icon");

    QTest::newRow("incoming") << int(CallState::Incoming) << false << u"state-ringing"_s;
    QTest::newRow("ringing") << int(CallState::Ringing) << false << u"state-ringing"_s;
    QTest::newRow("establishing") << int(CallState::Establishing) << false << u"state-connecting"_s;
    QTest::newRow("established") << int(CallState::Established) << false << u"state-live"_s;
    QTest::newRow("hold") << int(CallState::Hold) << false << u"state-hold"_s;
    QTest::newRow("transferring") << int(CallState::Transferring) << false
                                  << u"state-transferring"_s;
    QTest::newRow("redirecting") << int(CallState::Redirecting) << false << u"state-transferring"_s;
    QTest::newRow("terminated") << int(CallState::Terminated) << true << u"state-ended"_s;
    QTest::newRow("unknown") << int(CallState::UnknownFutureValue) << false << u"state-unknown"_s;
}

void TstCallDelegate::iconPerState()
{
    QFETCH(int, state);
    QFETCH(bool, ended);
    QFETCH(QString, icon);

    QCOMPARE(CallDelegate::stateIconName(CallState(state), ended), icon);
    QVERIFY(Gui::Icons::exists(icon));
    // Distinct shapes: each state's icon differs from every other state's.
    const QImage mine = Gui::Icons::pixmap(icon, 24, Qt::black).toImage();
    for (const QString &other : { u"state-ringing"_s, u"state-connecting"_s, u"state-live"_s,
             u"state-hold"_s, u"state-transferring"_s, u"state-ended"_s, u"state-unknown"_s }) {
        if (other != icon)
            QVERIFY2(Gui::Icons::pixmap(other, 24, Qt::black).toImage() != mine, qPrintable(other));
    }
}

void TstCallDelegate::stateCellPaintsIconAndText_data()
{
    QTest::addColumn<QString>("state");
    QTest::newRow("incoming") << u"incoming"_s;
    QTest::newRow("established") << u"established"_s;
    QTest::newRow("hold") << u"hold"_s;
    QTest::newRow("ended") << u"ended"_s;
}

void TstCallDelegate::stateCellPaintsIconAndText()
{
    QFETCH(QString, state);
    Console console;
    const Who caller = Who::user(u"Lena Vogel"_s);
    if (state == "incoming"_L1)
        console.ringing(1, caller);
    else if (state == "established"_L1)
        console.established(1, caller);
    else if (state == "hold"_L1)
        console.held(1, caller);
    else
        console.ended(1, caller);
    console.calls.setNow(at(6));
    const QModelIndex cell = console.callIndex(1, CallsModel::StateColumn);
    QVERIFY(!cell.data().toString().isEmpty());

    const QImage image = paintCell(cell);

    const CallDelegate::Layout layout =
        CallDelegate::stateLayout(image.rect(), QFontMetrics(QApplication::font()));
    QVERIFY2(inkIn(image, layout.icon) > 10, "no icon");
    QVERIFY2(inkIn(image, layout.text) > 20, "no words");
}

void TstCallDelegate::staleRowGetsItsMarker()
{
    Console console;
    console.established(1, Who::user(u"Lena Vogel"_s));
    console.calls.setStaleAfter(std::chrono::seconds(30));
    const QModelIndex cell = console.callIndex(1, CallsModel::StateColumn);
    const QFontMetrics metrics(QApplication::font());
    const CallDelegate::Layout layout =
        CallDelegate::stateLayout(QRect(QPoint(), CellSize), metrics);
    // Where the marker goes: past the state's words.
    const QRect afterWords =
        layout.text.adjusted(metrics.horizontalAdvance(cell.data().toString()) + 3, 0, 0, 0);

    console.calls.setNow(at(10));
    QVERIFY(!cell.data(CallsModel::IsStaleRole).toBool());
    QCOMPARE(inkIn(paintCell(cell), afterWords), 0);

    console.calls.setNow(at(100));
    QVERIFY(cell.data(CallsModel::IsStaleRole).toBool());
    QVERIFY(inkIn(paintCell(cell), afterWords) > 10);
}

void TstCallDelegate::endedRowIsDimmed()
{
    Console console;
    console.established(1, Who::user(u"Lena Vogel"_s));
    console.ended(2, Who::user(u"Kenji Watanabe"_s), 10);
    console.calls.setNow(at(20));

    const QImage live = paintCell(console.callIndex(1));
    const QImage ended = paintCell(console.callIndex(2));

    QCOMPARE(darkest(live), qGray(Ink));
    // The dimmed words are still there, in the disabled text colour.
    QVERIFY(inkIn(ended, ended.rect()) > 20);
    QVERIFY(darkest(ended) >= qGray(Dimmed) - 10);
}

QTEST_MAIN(TstCallDelegate)
#include "tst_calldelegate.moc"

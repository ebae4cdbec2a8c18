#include "icons.h"

#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QPixmapCache>
#include <QSvgRenderer>

#include <mutex>

using namespace Qt::StringLiterals;

// The resources live in a static library: nothing references their initializer, so the linker
// would drop it without this call. Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResources()
{
    Q_INIT_RESOURCE(icons);
}

namespace Gui::Icons {

namespace {

void ensureResources()
{
    static std::once_flag once;
    std::call_once(once, initIconResources);
}

QColor colorFor(QIcon::Mode mode)
{
    const QPalette palette = QGuiApplication::palette();
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, QPalette::WindowText);
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, QPalette::WindowText);
}

QPixmap render(const QString &name, const QSize &size, const QColor &color, qreal dpr)
{
    const QSize pixels = (QSizeF(size) * dpr).toSize();
    if (pixels.isEmpty())
        return {};
    const QString key = u"frontdesk-icon:%1:%2x%3:%4"_s.arg(name)
                            .arg(pixels.width())
                            .arg(pixels.height())
                            .arg(color.rgba(), 8, 16, QLatin1Char('0'));
    QPixmap cached;
    if (QPixmapCache::find(key, &cached))
        return cached;

    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QSvgRenderer renderer(resourcePath(name));
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        // Keep the square shape centred in a non-square request.
        const int side = std::min(pixels.width(), pixels.height());
        renderer.render(&painter,
            QRectF((pixels.width() - side) / 2.0, (pixels.height() - side) / 2.0, side, side));
        // The shape is the mask; the colour comes from the caller's palette.
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(image.rect(), color);
    }
    QPixmap result = QPixmap::fromImage(std::move(image));
    result.setDevicePixelRatio(dpr);
    QPixmapCache::insert(key, result);
    return result;
}

class TintedSvgEngine final : public QIconEngine
{
public:
    explicit TintedSvgEngine(QString name)
        : m_name(std::move(name))
    { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        painter->drawPixmap(rect, render(m_name, rect.size(), colorFor(mode), dpr));
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        return render(m_name, size, colorFor(mode), 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        return render(m_name, size, colorFor(mode), scale);
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = std::min(size.width(), size.height());
        return { side, side };
    }

    QIconEngine *clone() const override { return new TintedSvgEngine(m_name); }
    QString key() const override { return u"frontdesk-tinted-svg"_s; }
    QString iconName() override { return m_name; }

private:
    QString m_name;
};

} // namespace

QString resourcePath(const QString &name)
{
    return u":/icons/%1.svg"_s.arg(name);
}

bool exists(const QString &name)
{
    ensureResources();
    if (!QFile::exists(resourcePath(name)))
        return false;
    return QSvgRenderer(resourcePath(name)).isValid();
}

QIcon icon(const QString &name)
{
    ensureResources();
    return QIcon(new TintedSvgEngine(name));
}

QPixmap pixmap(const QString &name, int size, const QColor &color, qreal devicePixelRatio)
{
    ensureResources();
    return render(name, QSize(size, size), color, devicePixelRatio);
}

} // namespace Gui::Icons

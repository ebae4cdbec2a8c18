#pragma once

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace Gui::Icons {

//! The resource path of an icon drawn for the console: ":/icons/<name>.svg".
QString resourcePath(const QString &name);
//! True when resources/icons holds <name>.svg and it parses as SVG.
bool exists(const QString &name);

//! An icon from resources/icons/<name>.svg. The SVGs are single-colour shapes; the icon tints
//! them when it paints, with the application palette's colour for the mode (WindowText,
//! disabled WindowText, HighlightedText when selected), so it follows light, dark and
//! high-contrast themes without a second set of files.
QIcon icon(const QString &name);

//! The same shape as a pixmap of `size` device-independent pixels in one colour, for delegates
//! that choose the colour from the cell they paint. Cached in QPixmapCache.
QPixmap pixmap(const QString &name, int size, const QColor &color, qreal devicePixelRatio = 1.0);

} // namespace Gui::Icons

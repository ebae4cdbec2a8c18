#include "textcache.h"

#include <QColor>
#include <QFontMetrics>
#include <QPainter>
#include <QRect>

namespace Gui {

TextCache::TextCache(int limit)
    : m_generation(std::max(limit / 2, 1))
{ }

void TextCache::clear()
{
    m_recent.clear();
    m_older.clear();
}

const TextCache::Line &TextCache::line(const QString &text, const QFont &font, int width)
{
    Key key { text, font, width };
    if (const auto it = m_recent.constFind(key); it != m_recent.cend())
        return *it;
    // A line of the older generation is in use: it moves up, whether or not the generations
    // turn to make room for it.
    Line line;
    const auto kept = m_older.find(key);
    const bool laidOut = kept != m_older.end();
    if (laidOut) {
        line = std::move(*kept);
        m_older.erase(kept);
    }
    if (m_recent.size() >= m_generation) {
        m_older = std::move(m_recent);
        m_recent = {};
    }
    if (laidOut)
        return *m_recent.insert(std::move(key), std::move(line));
    ++m_layouts;

    const QFontMetrics metrics(font);
    const QString shown = width > 0 ? metrics.elidedText(text, Qt::ElideRight, width) : text;
    line.text.setTextFormat(Qt::PlainText);
    line.text.setText(shown);
    line.text.prepare(QTransform(), font);
    line.advance = metrics.horizontalAdvance(shown);
    line.height = metrics.height();
    return *m_recent.insert(std::move(key), std::move(line));
}

void TextCache::draw(QPainter *painter, const QRect &rect, const QString &text, const QFont &font,
    const QColor &color)
{
    if (rect.width() <= 0 || text.isEmpty())
        return;
    const Line &l = line(text, font, rect.width());
    painter->setFont(font);
    painter->setPen(color);
    const int top = rect.top() + (rect.height() - l.height) / 2;
    painter->drawStaticText(QPoint(rect.left(), top), l.text);
}

int TextCache::advance(const QString &text, const QFont &font)
{
    return line(text, font, 0).advance;
}

} // namespace Gui

#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QString>

class QColor;
class QPainter;
class QRect;

namespace Gui {

//! Single lines of text laid out once and drawn many times. A queue of calls repaints the same
//! words frame after frame ("Incoming", a caller's name, "last event 4 s ago"), and laying out
//! text (shaping) is most of what painting a cell costs. Lines are kept by text, font and the
//! width they were elided to; the cache empties itself when it passes its limit, so it holds
//! about one screen of recent words.
class TextCache final
{
public:
    static constexpr int DefaultLimit = 4096;

    explicit TextCache(int limit = DefaultLimit);

    //! Draws `text` in one line, left-aligned and vertically centred in `rect`, elided on the
    //! right to its width, as QPainter::drawText with Qt::TextSingleLine and an elided text does.
    void draw(QPainter *painter, const QRect &rect, const QString &text, const QFont &font,
        const QColor &color);
    //! The text's width, unelided.
    int advance(const QString &text, const QFont &font);

    int size() const { return int(m_lines.size()); }
    void clear() { m_lines.clear(); }

private:
    struct Key
    {
        QString text;
        QFont font;
        int width = 0; //!< elided to this; 0 means not elided
        bool operator==(const Key &other) const
        {
            return width == other.width && text == other.text && font == other.font;
        }
    };
    friend size_t qHash(const Key &key, size_t seed) noexcept
    {
        return qHashMulti(seed, key.text, key.font, key.width);
    }
    struct Line
    {
        QStaticText text;
        int advance = 0;
        int height = 0;
    };

    const Line &line(const QString &text, const QFont &font, int width);

    QHash<Key, Line> m_lines;
    int m_limit;
};

} // namespace Gui

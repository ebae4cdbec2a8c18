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
//! width they were elided to, in two generations of half the limit each: when the newer one is
//! full it becomes the older one, and what was older is dropped. A line in use is moved up to
//! the newer generation, so the words on screen stay laid out; emptying the whole cache at
//! once would lay out a whole screen in one paint.
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

    int size() const { return int(m_recent.size() + m_older.size()); }
    //! How many lines were laid out since the cache was made.
    int layouts() const { return m_layouts; }
    void clear();

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

    QHash<Key, Line> m_recent;
    QHash<Key, Line> m_older;
    int m_generation; // lines per generation: half the limit
    int m_layouts = 0;
};

} // namespace Gui

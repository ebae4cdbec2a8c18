#pragma once

#include "graph/wireenums.h"
#include "textdelegate.h"

#include <QRect>
#include <QString>

class QFontMetrics;

namespace Gui {

//! Paints the call queue (a CallsModel through CallFilterProxy). The Wait cell of a ringing
//! call holds a countdown bar (CountdownFractionRole) beside the seconds in words; the State
//! cell an icon whose shape differs per state beside the state's name; a stale call an italic
//! "stale" marker; an ended call is dimmed. Colours come from the view's palette only, and no
//! fact is shown by colour alone: each has a shape or a word too.
class CallDelegate final : public TextDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallDelegate)

public:
    explicit CallDelegate(QObject *parent = nullptr);
    ~CallDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    //! The icon for a state (Icons::icon name): ringing, connecting, live, on hold,
    //! transferring (also redirecting) and ended each have their own shape.
    static QString stateIconName(Graph::CallState state, bool ended);

    //! Where the parts of a cell go.
    struct Layout
    {
        QRect icon; //!< the state icon (State column)
        QRect track; //!< the whole countdown bar (Wait column of a ringing call)
        QRect text; //!< the words
    };
    static Layout stateLayout(const QRect &cell, const QFontMetrics &metrics);
    static Layout waitLayout(const QRect &cell, const QFontMetrics &metrics);
    //! The filled part of the countdown bar: `track` cut from the right to `fraction` of its
    //! width (clamped to 0..1, rounded to whole pixels); empty at 0.
    static QRect countdownFill(const QRect &track, double fraction);
    //! A ringing call with this much left or less is drawn as urgent (bold words).
    static constexpr qint64 UrgentMs = 5000;

private:
    void paintCaller(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintState(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintWait(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintText(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    static QColor textColor(const QStyleOptionViewItem &option, const QModelIndex &index);
    static QColor secondaryColor(const QStyleOptionViewItem &option, const QModelIndex &index);
};

} // namespace Gui

#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

class QWidget;

namespace Gui {

//! Paces a window's repaints to at most one per interval. Every stream event changes a row, and
//! Qt would repaint the window after each one; at hundreds of events a second that is most of
//! the console's time, for frames nobody can see. The pacer holds the window's update request
//! when the last paint was less than an interval ago and lets it through when the interval is
//! over, so every change is still painted, at most one interval late.
//!
//! It filters QEvent::UpdateRequest, the event with which Qt's repaint manager asks a top-level
//! window to paint what is dirty. QWidget::repaint() goes through that event too and is paced
//! like update(); QWidget::grab() and render() paint directly and are not.
class PaintPacer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PaintPacer)

public:
    static constexpr std::chrono::milliseconds DefaultInterval { 33 };

    //! Paces the top-level window of `window`, which also becomes the pacer's parent. An
    //! interval of zero lets every update request through.
    explicit PaintPacer(QWidget *window, std::chrono::milliseconds interval = DefaultInterval);

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    //! Whether an update request is being held for the end of the interval.
    bool isHolding() const { return m_held.isActive(); }
    //! Lets a held update request through now; nothing when none is held.
    void flush();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void release();

    QWidget *m_window;
    std::chrono::milliseconds m_interval;
    QElapsedTimer m_sincePaint;
    QTimer m_held;
};

} // namespace Gui

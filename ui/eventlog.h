#pragma once

#include <QDateTime>
#include <QListWidget>
#include <QString>

namespace Gui {

//! The event log: one time-stamped line per action result and connection change, newest at
//! the bottom, at most MaxLines.
class EventLog final : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)

public:
    static constexpr int MaxLines = 2000;

    explicit EventLog(QWidget *parent = nullptr);
    ~EventLog() override;

    //! Appends "10:42:07 <line>"; `at` defaults to now.
    void append(const QString &line, const QDateTime &at = {});
    QStringList lines() const;
};

} // namespace Gui

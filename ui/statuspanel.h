#pragma once

#include "requests.h"

#include <QWidget>

#include <chrono>

class QLabel;

namespace Gui {

//! The status bar's contents: the relay connection (an icon and words), the stream's seq, the
//! event-to-screen latency and who is at the console.
class StatusPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusPanel)

public:
    explicit StatusPanel(QWidget *parent = nullptr);
    ~StatusPanel() override;

    void setConnection(ConnectionStatus status, int retryInSeconds);
    void setSeq(qint64 seq);
    void setLatency(std::chrono::milliseconds p95);
    void setOperator(const QString &name, const QString &role);

    //! "Relay connected", "Reconnecting in 5 s", "Offline", ...
    static QString connectionText(ConnectionStatus status, int retryInSeconds);
    //! Icons::icon name for the status; each status has its own shape.
    static QString connectionIconName(ConnectionStatus status);
    //! "operator" / "supervisor", translated.
    static QString roleText(const QString &role);

    QString connectionLabelText() const;
    QString seqText() const;
    QString latencyText() const;
    QString operatorText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateIcon();
    void fixSizes();
    static QString seqLabel(const QString &seq);
    static QString latencyLabel(const QString &ms);

    ConnectionStatus m_status = ConnectionStatus::Offline;
    QLabel *m_connectionIcon;
    QLabel *m_connection;
    QLabel *m_seq;
    QLabel *m_latency;
    QLabel *m_operator;
};

} // namespace Gui

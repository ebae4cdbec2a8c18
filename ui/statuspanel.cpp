#include "statuspanel.h"

#include "icons.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

} // namespace

StatusPanel::StatusPanel(QWidget *parent)
    : QWidget(parent)
    , m_connectionIcon(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_seq(new QLabel(this))
    , m_latency(new QLabel(this))
    , m_operator(new QLabel(this))
{
    setAccessibleName(tr("Status"));
    m_connection->setAccessibleName(tr("Relay connection"));
    m_seq->setAccessibleName(tr("Event sequence number"));
    m_seq->setToolTip(tr("The number of the last event received from the relay"));
    m_latency->setAccessibleName(tr("Event to screen latency"));
    m_latency->setToolTip(tr("95% of the relay's events reach the screen within this time"));
    m_operator->setAccessibleName(tr("Signed in as"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_connectionIcon);
    layout->addWidget(m_connection);
    layout->addWidget(separator(this));
    layout->addWidget(m_seq);
    layout->addWidget(separator(this));
    layout->addWidget(m_latency);
    layout->addStretch(1);
    layout->addWidget(separator(this));
    layout->addWidget(m_operator);

    setConnection(ConnectionStatus::Offline, 0);
    fixSizes();
    setSeq(0);
    m_latency->setText(tr("event→screen p95 —"));
}

StatusPanel::~StatusPanel() = default;

void StatusPanel::setConnection(ConnectionStatus status, int retryInSeconds)
{
    m_status = status;
    m_connection->setText(connectionText(status, retryInSeconds));
    updateIcon();
}

void StatusPanel::setSeq(qint64 seq)
{
    m_seq->setText(seqLabel(QString::number(seq)));
}

void StatusPanel::setLatency(std::chrono::milliseconds p95)
{
    m_latency->setText(latencyLabel(QString::number(p95.count())));
}

QString StatusPanel::seqLabel(const QString &seq)
{
    return tr("seq %1").arg(seq);
}

QString StatusPanel::latencyLabel(const QString &ms)
{
    return tr("event→screen p95 %1 ms").arg(ms);
}

void StatusPanel::fixSizes()
{
    // The seq changes with every event, the latency every second. A label whose size may change
    // asks the whole window to lay itself out again on every new text; one of fixed size only
    // repaints itself. Each is as wide as its text with more digits than it will need.
    const auto fix = [](QLabel *label, const QString &widest) {
        const QString text = label->text();
        label->setMinimumSize(0, 0);
        label->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        label->setText(widest);
        label->setFixedSize(label->sizeHint());
        label->setText(text);
    };
    fix(m_seq, seqLabel(u"8888888888"_s));
    fix(m_latency, latencyLabel(u"88888"_s));
}

void StatusPanel::setOperator(const QString &name, const QString &role)
{
    //: The operator at the console and their role: "alice (operator)"
    m_operator->setText(tr("%1 (%2)").arg(name, roleText(role)));
}

QString StatusPanel::connectionText(ConnectionStatus status, int retryInSeconds)
{
    switch (status) {
    case ConnectionStatus::Connected:
        return tr("Relay connected");
    case ConnectionStatus::Connecting:
        return tr("Connecting to the relay…");
    case ConnectionStatus::Reconnecting:
        if (retryInSeconds > 0)
            return tr("Reconnecting in %n s", "", retryInSeconds);
        return tr("Reconnecting…");
    case ConnectionStatus::Offline:
        break;
    }
    return tr("Offline");
}

QString StatusPanel::connectionIconName(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Connected:
        return u"connection-connected"_s;
    case ConnectionStatus::Connecting:
    case ConnectionStatus::Reconnecting:
        return u"connection-reconnecting"_s;
    case ConnectionStatus::Offline:
        break;
    }
    return u"connection-offline"_s;
}

QString StatusPanel::roleText(const QString &role)
{
    if (role == "supervisor"_L1)
        return tr("supervisor");
    if (role == "operator"_L1)
        return tr("operator");
    return role;
}

QString StatusPanel::connectionLabelText() const
{
    return m_connection->text();
}

QString StatusPanel::seqText() const
{
    return m_seq->text();
}

QString StatusPanel::latencyText() const
{
    return m_latency->text();
}

QString StatusPanel::operatorText() const
{
    return m_operator->text();
}

void StatusPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateIcon();
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fixSizes();
}

void StatusPanel::updateIcon()
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_connectionIcon->setPixmap(Icons::pixmap(connectionIconName(m_status), size,
        palette().color(QPalette::WindowText), devicePixelRatioF()));
    m_connectionIcon->setAccessibleName(m_connection->text());
}

} // namespace Gui

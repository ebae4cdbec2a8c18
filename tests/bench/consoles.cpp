#include "consoles.h"

#include "poster.h"

#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

// The digits at `from` in `text`, and where they end.
qint64 digitsAt(QStringView text, qsizetype from, qsizetype *end)
{
    qint64 value = 0;
    qsizetype i = from;
    for (; i < text.size() && text[i].isDigit(); ++i)
        value = value * 10 + text[i].digitValue();
    *end = i;
    return value;
}

} // namespace

struct Consoles::Console
{
    QWebSocket *socket = nullptr;
    int messages = 0; //!< hello and snapshot first
    qint64 lastSeq = -1;
    qint64 gaps = 0;
    int closeCode = 0;
    bool lost = false;
    std::vector<std::int32_t> latencies;
};

Consoles::Consoles(QUrl eventsUrl, QByteArray token, int count, QObject *parent)
    : QObject(parent)
    , m_url(std::move(eventsUrl))
    , m_token(std::move(token))
    , m_count(count)
{ }

Consoles::~Consoles() = default;

void Consoles::open()
{
    for (int i = 0; i < m_count; ++i) {
        m_consoles.push_back(std::make_unique<Console>());
        Console *console = m_consoles.back().get();
        console->latencies.reserve(100000);
        console->socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        console->socket->setProxy(QNetworkProxy::NoProxy);
        connect(console->socket, &QWebSocket::textMessageReceived, this,
            [this, console](const QString &text) { onMessage(*console, text); });
        connect(console->socket, &QWebSocket::disconnected, this, [this, console] {
            if (m_closing || console->lost)
                return;
            console->lost = true;
            console->closeCode = int(console->socket->closeCode());
            ++lost;
            qWarning("console closed by the relay: %d %s", console->closeCode,
                qPrintable(console->socket->closeReason()));
        });
        QNetworkRequest request(m_url);
        request.setRawHeader("Authorization", "Bearer " + m_token);
        console->socket->open(request);
    }
}

void Consoles::close()
{
    m_closing = true;
    for (const auto &console : m_consoles)
        console->socket->abort();
}

void Consoles::onMessage(Console &console, const QString &text)
{
    const std::int64_t now = steadyNanos();
    if (++console.messages <= 2) {
        // The hello, then the snapshot (the relay's data folder is new: no calls in it).
        if (console.messages == 2)
            ++ready;
        return;
    }
    // {"at":...,"notification":{...,"resourceData":{...,"id":"bench.N.NS",...}},"seq":S,...}
    // (QJsonObject keys are sorted). Looked for by hand: parsing JSON here would measure us.
    const QStringView view(text);
    const qsizetype seqAt = view.lastIndexOf(u"\"seq\":");
    if (seqAt >= 0) {
        qsizetype end = 0;
        const qint64 seq = digitsAt(view, seqAt + 6, &end);
        if (console.lastSeq >= 0 && seq != console.lastSeq + 1)
            ++console.gaps;
        console.lastSeq = seq;
    }
    const qsizetype idAt = view.indexOf(u"bench.");
    if (idAt < 0)
        return;
    qsizetype end = 0;
    digitsAt(view, idAt + 6, &end);
    if (end >= view.size() || view[end] != u'.')
        return;
    const qint64 sentNs = digitsAt(view, end + 1, &end);
    console.latencies.push_back(
        std::int32_t(std::min<std::int64_t>((now - sentNs) / 1000, 1 << 30)));
    ++received;
}

std::vector<std::int32_t> Consoles::latenciesUs() const
{
    std::vector<std::int32_t> all;
    size_t total = 0;
    for (const auto &console : m_consoles)
        total += console->latencies.size();
    all.reserve(total);
    for (const auto &console : m_consoles)
        all.insert(all.end(), console->latencies.cbegin(), console->latencies.cend());
    return all;
}

qint64 Consoles::gaps() const
{
    qint64 gaps = 0;
    for (const auto &console : m_consoles)
        gaps += console->gaps;
    return gaps;
}

QList<int> Consoles::closeCodes() const
{
    QList<int> codes;
    for (const auto &console : m_consoles) {
        if (console->lost)
            codes.append(console->closeCode);
    }
    return codes;
}

} // namespace Bench

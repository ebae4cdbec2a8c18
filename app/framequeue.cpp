#include "framequeue.h"

#include "graph/callbook.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace App {

namespace RP = Graph::RelayProtocol;

namespace {

//! From this size on, a frame is first asked whether it is a snapshot, which is then read one
//! call at a time rather than as one JSON tree.
constexpr qsizetype LargeFrameBytes = 256 * 1024;

} // namespace

RelayFrame decodeRelayFrame(const QByteArray &json)
{
    constexpr auto lean = Graph::CallBook::Memory::Lean;
    RelayFrame frame;
    if (json.size() >= LargeFrameBytes && RP::peekMessageType(json) == RP::MessageType::Snapshot) {
        frame.type = RP::MessageType::Snapshot;
        frame.snapshot = RP::decodeSnapshotText(json, lean);
        return frame;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        frame.error = parseError.error == QJsonParseError::NoError ? QStringLiteral("not an object")
                                                                   : parseError.errorString();
        return frame;
    }
    const QJsonObject object = document.object();
    frame.type = RP::messageType(object);
    switch (frame.type) {
    case RP::MessageType::Snapshot:
        frame.snapshot = RP::decodeSnapshot(object, lean);
        break;
    case RP::MessageType::Event:
    case RP::MessageType::Relay:
        frame.event = RP::decodeEvent(object);
        break;
    case RP::MessageType::Hello:
    case RP::MessageType::Unknown:
        frame.message = object;
        break;
    }
    return frame;
}

FrameQueue::FrameQueue(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_decoder(decodeRelayFrame)
{
    m_pass.setSingleShot(true);
    m_pass.setInterval(0);
    connect(&m_pass, &QTimer::timeout, this, &FrameQueue::drain);
    m_worker.setMaxThreadCount(1);
    m_worker.setObjectName(QStringLiteral("relay frames"));
    m_pass.setObjectName(QStringLiteral("relay frames pass"));
}

FrameQueue::~FrameQueue()
{
    // The worker posts its results to this object: it must be done before the object goes.
    m_worker.clear();
    m_worker.waitForDone();
}

void FrameQueue::setElapsedSource(Elapsed elapsed)
{
    m_passes->setElapsedSource(std::move(elapsed));
}

void FrameQueue::setDecoder(Decoder decoder)
{
    m_decoder = std::move(decoder);
}

void FrameQueue::push(QByteArray frame)
{
    m_text.push_back(std::move(frame));
    decodeMore();
}

void FrameQueue::clear()
{
    ++m_generation;
    m_worker.clear(); // what has not started yet; what has is dropped when it comes back
    m_text.clear();
    m_ready.clear();
    m_decoding = 0;
    m_pass.stop();
}

qsizetype FrameQueue::size() const
{
    return qsizetype(m_text.size() + m_ready.size()) + m_decoding;
}

void FrameQueue::decodeMore()
{
    while (!m_text.empty() && m_decoding + qsizetype(m_ready.size()) < MaxDecodedAhead) {
        ++m_decoding;
        m_worker.start([this, generation = m_generation, json = std::move(m_text.front())] {
            RelayFrame frame = m_decoder(json);
            QMetaObject::invokeMethod(
                this,
                [this, generation, frame = std::move(frame)]() mutable {
                    onDecoded(generation, std::move(frame));
                },
                Qt::QueuedConnection);
        });
        m_text.pop_front();
    }
}

void FrameQueue::onDecoded(quint64 generation, RelayFrame frame)
{
    if (generation != m_generation)
        return;
    --m_decoding;
    m_ready.push_back(std::move(frame));
    if (!m_pass.isActive())
        m_pass.start();
}

int FrameQueue::drain()
{
    const qint64 deadline = m_passes->begin();
    int handed = 0;
    while (!m_ready.empty()) {
        RelayFrame frame = std::move(m_ready.front());
        m_ready.pop_front();
        ++handed;
        // The handler may clear the queue (a gap gives the connection up) or push to it.
        m_handler(frame);
        m_worker.start([done = std::move(frame)] {});
        if (m_passes->isSpent(deadline))
            break;
    }
    m_passes->end();
    decodeMore();
    if (!m_ready.empty() && !m_pass.isActive())
        m_pass.start();
    Q_EMIT passFinished(handed);
    return handed;
}

} // namespace App

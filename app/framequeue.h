#pragma once

#include "graph/relayprotocol.h"
#include "models/passbudget.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

namespace App {

//! A relay frame, decoded: what RelayConnection acts on.
struct RelayFrame
{
    Graph::RelayProtocol::MessageType type = Graph::RelayProtocol::MessageType::Unknown;
    QString error; //!< why the text is not a JSON object; empty when it is one
    QJsonObject message; //!< for Hello and Unknown: the message itself (small)
    std::optional<Graph::RelayProtocol::Snapshot> snapshot; //!< Snapshot; nullopt if malformed
    std::optional<Graph::RelayProtocol::StreamEvent> event; //!< Event, Relay; nullopt if malformed
};

//! Decodes a frame's JSON text. A big snapshot is read one call at a time
//! (RelayProtocol::decodeSnapshotText) rather than as one JSON tree, and every snapshot comes out
//! lean (CallBook::Memory::Lean). Pure: it runs on FrameQueue's worker thread.
RelayFrame decodeRelayFrame(const QByteArray &json);

//! The relay's frames on their way to the models. Each is decoded on a worker thread (parsing
//! JSON is the console's biggest cost after painting), then handed on in order on the object's
//! thread, in passes of the event loop that each stop once `budget` is spent; the rest wait for
//! the next pass. A socket read brings every frame that has arrived, and a console that fell
//! behind (a busy moment, a replay after a resume) would otherwise apply all of them before it
//! paints or runs a timer again. A frame is never split: one that alone takes longer than the
//! budget still runs whole. Frames wait as UTF-8 text, and at most MaxDecodedAhead of them are
//! decoded before they are due, since a decoded frame takes several times its text's memory.
//! Once handled, a frame is freed on the worker too: freeing a whole roster's JSON tree costs
//! about as much as building it.
class FrameQueue final : public QObject
{
    Q_OBJECT

public:
    //! Gets each frame to act on; it may move out of it. What is left is freed on the worker.
    using Handler = std::function<void(RelayFrame &frame)>;
    //! Turns a frame's text into a RelayFrame on the worker thread; decodeRelayFrame by default.
    using Decoder = std::function<RelayFrame(const QByteArray &json)>;
    //! A monotonic time in nanoseconds; QElapsedTimer's unless a test sets its own.
    using Elapsed = std::function<qint64()>;

    static constexpr std::chrono::milliseconds DefaultBudget = Models::PassBudget::DefaultBudget;
    static constexpr int MaxDecodedAhead = 64;

    explicit FrameQueue(Handler handler, QObject *parent = nullptr);
    ~FrameQueue() override;

    //! Passes take their time from `budget`, which other work may share (see PassBudget);
    //! by default the queue has a budget of its own. `budget` must outlive the queue.
    void setPassBudget(Models::PassBudget *budget) { m_passes = budget; }
    Models::PassBudget *passBudget() const { return m_passes; }
    //! Sets the budget of the PassBudget the queue uses.
    void setBudget(std::chrono::nanoseconds budget) { m_passes->setBudget(budget); }
    std::chrono::nanoseconds budget() const { return m_passes->budget(); }
    //! Sets the clock of the PassBudget the queue uses.
    void setElapsedSource(Elapsed elapsed);
    //! Only before the first push().
    void setDecoder(Decoder decoder);

    //! Queues a frame (UTF-8 JSON text); it is decoded, then a pass hands it on.
    void push(QByteArray frame);
    //! Forgets the frames not handed on yet (the connection they came on was given up).
    void clear();
    //! Frames pushed and not handed on yet, decoded or not.
    qsizetype size() const;
    bool isEmpty() const { return size() == 0; }
    //! Frames decoded and waiting for a pass.
    qsizetype ready() const { return qsizetype(m_ready.size()); }

    //! One pass: hands on decoded frames until the budget is spent or none is ready, and
    //! schedules the next pass if some are. Returns how many it handed on. The event loop calls
    //! it; it is public for tests.
    int drain();

Q_SIGNALS:
    //! A pass ended, having handed on `frames` frames.
    void passFinished(int frames);

private:
    void decodeMore();
    void onDecoded(quint64 generation, RelayFrame frame);

    Handler m_handler;
    Decoder m_decoder;
    Models::PassBudget m_ownPasses;
    Models::PassBudget *m_passes = &m_ownPasses;
    std::deque<QByteArray> m_text; // waiting to be decoded
    std::deque<RelayFrame> m_ready; // decoded, waiting for a pass
    int m_decoding = 0; // handed to the worker in this generation
    // Moves on with clear(): what the worker returns from before is dropped.
    quint64 m_generation = 0;
    QTimer m_pass;
    QThreadPool m_worker; // one thread, so frames are decoded in order
};

} // namespace App

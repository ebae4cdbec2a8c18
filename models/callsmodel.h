#pragma once

#include "graph/relayprotocol.h"
#include "rowindex.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace Graph {
struct CallEntry;
}

namespace Models {

class CallStore;

//! The call queue: one row per call in a CallStore, in the order the calls were first seen,
//! kept in step with the store's signals (rows are inserted, changed and removed one by one; a
//! snapshot resets the model). Sorting and filtering belong to CallFilterProxy.
//!
//! The model never reads the clock: setNow() moves its time, and announces the time-dependent
//! columns (Wait, Freshness) with one dataChanged. It holds no colours, fonts or icons; a
//! delegate maps the roles below to looks.
class CallsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallsModel)

public:
    //! Wait and Freshness are adjacent, so that a tick is one rectangle of dataChanged.
    enum Column {
        CallerColumn, //!< the name, or "Unknown +1 555 0100"; the number in CallerNumberRole
        StateColumn, //!< "Incoming", "On hold", "Ended (408)", ...
        WaitColumn, //!< incoming: waited and left; live: mm:ss since established; ended: —
        FreshnessColumn, //!< "last event 4 s ago"
        HandledByColumn, //!< the claiming operator, or who handled it, or —
        DirectionColumn, //!< In / Out
        ColumnCount
    };
    Q_ENUM(Column)

    //! Every role answers the same for every column of a row, except SortRole (the column's raw
    //! value) and the Qt roles (the column's text). Time-dependent roles are announced on the
    //! Wait and Freshness columns.
    enum Role {
        IdRole = Qt::UserRole, //!< QString: the call id as Graph spells it
        SortRole, //!< the column's raw value: Wait in seconds (double), Freshness in seconds,
                  //!< State as its queue rank, texts case-folded
        StateRole, //!< int: Graph::CallState
        CountdownRole, //!< qint64: ms left to the answer deadline (>= 0), invalid unless incoming
        CountdownFractionRole, //!< double 0..1: CountdownRole over Graph's 15 s window
        DeadlineRole, //!< QDateTime: min(firstSeenAt + 15 s, the relay's deadline), or invalid
        IsStaleRole, //!< bool: a live call whose last event is older than the stale threshold
        IsEndedRole, //!< bool
        ClaimedByRole, //!< QString: the operator holding the call's claim, or empty
        CallerNumberRole, //!< QString: the counterpart's phone number, or empty
        ResultCodeRole, //!< int: resultInfo.code, invalid when absent
        CallerNameRole, //!< QString: the counterpart's display name, or empty
        HandledByRole, //!< QString: meta.handledBy ("alice", "relay"), or empty
        DirectionRole, //!< int: Graph::CallDirection
        FirstSeenRole, //!< QDateTime
        LastEventRole, //!< QDateTime
        WaitSecondsRole, //!< double: seconds waited (incoming) or talked (live); invalid if ended
        ResultTextRole, //!< QString: "500/7000 Transfer failed", or empty
        IsIncomingRole, //!< bool: still ringing (incoming or ringing, not ended)
        IvrTextRole, //!< QString: where the caller is in the relay's IVR ("In menu 'main',
                     //!< pressed 1 2"), or empty when the call was never in a flow
        IvrMenuRole, //!< QString: the IVR menu the caller is in (or left from), or empty
        IvrDigitsRole, //!< QString: every key pressed in the IVR flow ("12"), or empty
    };
    Q_ENUM(Role)

    //! Graph drops an incoming call that nobody answers within this.
    static constexpr std::chrono::milliseconds RingWindow = std::chrono::seconds(15);

    //! `store` must outlive the model.
    explicit CallsModel(CallStore *store, QObject *parent = nullptr);
    ~CallsModel() override;

    //! Moves the model's time; emits one dataChanged over the Wait and Freshness columns.
    void setNow(const QDateTime &now);
    QDateTime now() const { return m_now; }
    //! A live call whose last event is older than this is stale (default 60 s).
    void setStaleAfter(std::chrono::milliseconds threshold);
    std::chrono::milliseconds staleAfter() const { return m_staleAfter; }

    //! The row of a call, or -1.
    int rowOf(const QString &callId) const;
    QString callIdAt(int row) const;

    //! Where a row sits in the queue's order, which does not depend on the time: its group
    //! (0 ringing, 1 live, 2 ended), then `since` (first seen, or established for a live call;
    //! the earliest waited longest). Kept per row as the store changes, so that sorting, and a
    //! tick's check that the order still holds, cost no lookup. For CallFilterProxy.
    struct QueueKey
    {
        int group = 0;
        qint64 since = 0; //!< ms since the epoch; the largest value when unknown
        bool operator<(const QueueKey &other) const
        {
            return group != other.group ? group < other.group : since < other.since;
        }
        bool operator==(const QueueKey &) const = default;
    };
    QueueKey queueKey(int row) const { return m_keys.at(row); }
    bool isEndedAt(int row) const { return m_keys.at(row).group == 2; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The IVR part of a call's status: "In menu 'main', pressed 1 2", "IVR: transferred to
    //! +15550100 (pressed 1)", ...; empty when the call was never in a flow.
    static QString ivrText(const Graph::RelayProtocol::CallMeta &meta);

private:
    void onAboutToReset();
    void onReset();
    void onCallAdded(const QString &callId);
    void onRowChanged(const QString &callId);
    void onEventTimeChanged(const QString &callId);
    void onAboutToRemove(const QString &callId);
    void load();
    QueueKey computeKey(const QString &key) const;

    QVariant display(const Graph::CallEntry &entry, int column) const;
    QVariant toolTip(const Graph::CallEntry &entry, int column) const;
    QVariant sortValue(const Graph::CallEntry &entry, int column) const;
    QString waitText(const Graph::CallEntry &entry) const;
    QString freshnessText(const Graph::CallEntry &entry) const;
    QDateTime deadline(const Graph::CallEntry &entry) const;
    std::optional<qint64> countdown(const Graph::CallEntry &entry) const;
    std::optional<qint64> waitedMs(const Graph::CallEntry &entry) const;
    bool isStale(const Graph::CallEntry &entry) const;
    QString handledBy(const QString &callId) const;

    CallStore *m_store;
    QList<QString> m_rows; // normalized call ids
    QList<QueueKey> m_keys; // by row
    RowIndex m_rowById; // normalized call id → row
    QDateTime m_now;
    std::chrono::milliseconds m_staleAfter = std::chrono::seconds(60);
};

} // namespace Models

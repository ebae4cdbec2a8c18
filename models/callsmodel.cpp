#include "callsmodel.h"

#include "callstore.h"
#include "calltexts.h"
#include "graph/ids.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Models {

using Graph::CallDirection;
using Graph::CallEntry;
using Graph::CallState;
using Graph::normalizeId;

namespace {

bool isRinging(const CallEntry &entry)
{
    return !entry.isEnded()
        && (entry.call.state == CallState::Incoming || entry.call.state == CallState::Ringing);
}

// Where a call sits in the queue: ringing calls first, then live ones, then ended ones.
int queueRank(const CallEntry &entry)
{
    if (isRinging(entry))
        return 0;
    return entry.isEnded() ? 2 : 1;
}

// Whole seconds for display: what has passed rounds down, what is left rounds up, so that
// "0 s left" means the deadline has come.
qint64 floorSeconds(qint64 ms)
{
    return ms / 1000;
}

qint64 ceilSeconds(qint64 ms)
{
    return (ms + 999) / 1000;
}

} // namespace

CallsModel::CallsModel(CallStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    Q_ASSERT(m_store);
    connect(m_store, &CallStore::aboutToReset, this, &CallsModel::onAboutToReset);
    connect(m_store, &CallStore::reset, this, &CallsModel::onReset);
    connect(m_store, &CallStore::callAdded, this, &CallsModel::onCallAdded);
    connect(m_store, &CallStore::callChanged, this, &CallsModel::onRowChanged);
    connect(m_store, &CallStore::metaChanged, this, &CallsModel::onRowChanged);
    connect(m_store, &CallStore::aboutToRemove, this, &CallsModel::onAboutToRemove);
    // The fallback for a call dropped without notice: its row must not outlive it.
    connect(m_store, &CallStore::callRemoved, this, &CallsModel::onAboutToRemove);
    connect(m_store, &CallStore::participantsChanged, this,
        [this](const QString &callId) { onEventTimeChanged(callId); });
    connect(m_store, &CallStore::toneReceived, this, &CallsModel::onEventTimeChanged);
    connect(m_store, &CallStore::operationUpdated, this,
        [this](const QString &callId) { onEventTimeChanged(callId); });
    load();
}

CallsModel::~CallsModel() = default;

void CallsModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (m_rows.isEmpty())
        return;
    // One rectangle for every row: a tick changes them all, and views repaint a range at once.
    // Not SortRole: the clock moves every wait and every age alike, so no order changes, and a
    // sorting proxy told otherwise re-sorts every row (about 20 ms for 10,000).
    Q_EMIT dataChanged(index(0, WaitColumn), index(int(m_rows.size()) - 1, FreshnessColumn),
        { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, CountdownRole,
            CountdownFractionRole, IsStaleRole, WaitSecondsRole });
}

void CallsModel::setStaleAfter(std::chrono::milliseconds threshold)
{
    if (m_staleAfter == threshold)
        return;
    m_staleAfter = threshold;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, FreshnessColumn),
            index(int(m_rows.size()) - 1, FreshnessColumn),
            { Qt::ToolTipRole, Qt::AccessibleTextRole, IsStaleRole });
}

int CallsModel::rowOf(const QString &callId) const
{
    return m_rowById.row(normalizeId(callId));
}

QString CallsModel::callIdAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const CallEntry *e = m_store->entry(m_rows.at(row));
    return e ? e->call.id : m_rows.at(row);
}

int CallsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CallsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallsModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    // A delegate asks for the font, colours, alignment, icon and check state of every cell it
    // paints; none is the model's business (the delegate decides), and a call lookup each
    // would be most of a paint.
    if (role < Qt::UserRole && role != Qt::DisplayRole && role != Qt::ToolTipRole
        && role != Qt::AccessibleTextRole)
        return {};
    const QString &key = m_rows.at(index.row());
    const CallEntry *e = m_store->entry(key);
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*e, index.column());
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return toolTip(*e, index.column());
    case IdRole:
        return e->call.id;
    case SortRole:
        return sortValue(*e, index.column());
    case StateRole:
        return int(e->call.state.value);
    case CountdownRole:
        if (const auto left = countdown(*e))
            return *left;
        return {};
    case CountdownFractionRole:
        if (const auto left = countdown(*e))
            return std::clamp(double(*left) / double(RingWindow.count()), 0.0, 1.0);
        return {};
    case DeadlineRole:
        return deadline(*e);
    case IsStaleRole:
        return isStale(*e);
    case IsEndedRole:
        return e->isEnded();
    case ClaimedByRole:
        return m_store->meta(key).claimedBy;
    case CallerNumberRole:
        return CallTexts::callerNumber(e->call);
    case ResultCodeRole:
        if (e->call.resultInfo.code)
            return *e->call.resultInfo.code;
        return {};
    case CallerNameRole:
        return CallTexts::callerName(e->call);
    case HandledByRole:
        return m_store->meta(key).handledBy;
    case IvrTextRole:
        return ivrText(m_store->meta(key));
    case IvrMenuRole:
        return m_store->meta(key).ivrMenu;
    case IvrDigitsRole:
        return m_store->meta(key).ivrDigits;
    case DirectionRole:
        return int(e->call.direction.value);
    case FirstSeenRole:
        return e->firstSeenAt;
    case LastEventRole:
        return e->lastEventAt;
    case WaitSecondsRole:
        if (const auto waited = waitedMs(*e))
            return double(*waited) / 1000.0;
        return {};
    case ResultTextRole:
        return CallTexts::resultText(e->call.resultInfo);
    case IsIncomingRole:
        return isRinging(*e);
    default:
        break;
    }
    return {};
}

QVariant CallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(section)) {
    case CallerColumn:
        return tr("Caller");
    case StateColumn:
        return tr("State");
    case WaitColumn:
        return role == Qt::DisplayRole ? tr("Wait")
                                       : tr("How long a ringing call has waited and how long "
                                            "is left to answer it, or how long a call has lasted");
    case FreshnessColumn:
        return role == Qt::DisplayRole ? tr("Last event")
                                       : tr("How long ago the relay last reported on the call");
    case HandledByColumn:
        return tr("Handled by");
    case DirectionColumn:
        return tr("Direction");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> CallsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({
        { IdRole, "callId" },
        { SortRole, "sortValue" },
        { StateRole, "callState" },
        { CountdownRole, "countdown" },
        { CountdownFractionRole, "countdownFraction" },
        { DeadlineRole, "deadline" },
        { IsStaleRole, "isStale" },
        { IsEndedRole, "isEnded" },
        { ClaimedByRole, "claimedBy" },
        { CallerNumberRole, "callerNumber" },
        { ResultCodeRole, "resultCode" },
        { CallerNameRole, "callerName" },
        { HandledByRole, "handledBy" },
        { DirectionRole, "direction" },
        { FirstSeenRole, "firstSeen" },
        { LastEventRole, "lastEvent" },
        { WaitSecondsRole, "waitSeconds" },
        { ResultTextRole, "resultText" },
        { IsIncomingRole, "isIncoming" },
        { IvrTextRole, "ivrText" },
        { IvrMenuRole, "ivrMenu" },
        { IvrDigitsRole, "ivrDigits" },
    });
    return names;
}

// ---- keeping in step with the store -------------------------------------------------------

void CallsModel::onAboutToReset()
{
    beginResetModel();
}

void CallsModel::onReset()
{
    m_rows.clear();
    m_keys.clear();
    m_rowById.clear();
    load();
    endResetModel();
}

void CallsModel::load()
{
    const QStringList ids = m_store->ids();
    m_rows.reserve(ids.size());
    m_keys.reserve(ids.size());
    for (const QString &id : ids) {
        const QString key = normalizeId(id);
        m_rowById.append(key);
        m_rows.append(key);
        m_keys.append(computeKey(key));
    }
}

CallsModel::QueueKey CallsModel::computeKey(const QString &key) const
{
    constexpr qint64 Unknown = std::numeric_limits<qint64>::max();
    const CallEntry *e = m_store->entry(key);
    if (!e)
        return { 2, Unknown };
    QDateTime since = e->firstSeenAt;
    if (!e->isEnded() && !isRinging(*e)) {
        if (const QDateTime established = m_store->establishedAt(key); established.isValid())
            since = established;
    }
    return { queueRank(*e), since.isValid() ? since.toMSecsSinceEpoch() : Unknown };
}

void CallsModel::onCallAdded(const QString &callId)
{
    const QString key = normalizeId(callId);
    if (m_rowById.contains(key)) {
        onRowChanged(callId);
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(key);
    m_keys.append(computeKey(key));
    m_rowById.append(key);
    endInsertRows();
}

void CallsModel::onRowChanged(const QString &callId)
{
    const int row = rowOf(callId);
    if (row < 0)
        return;
    m_keys[row] = computeKey(m_rows.at(row));
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void CallsModel::onEventTimeChanged(const QString &callId)
{
    // A roster change, a tone or an operation changes none of the queue's columns but the age
    // of the call's last event.
    const int row = rowOf(callId);
    if (row < 0)
        return;
    Q_EMIT dataChanged(index(row, FreshnessColumn), index(row, FreshnessColumn),
        { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, SortRole, IsStaleRole,
            LastEventRole });
}

void CallsModel::onAboutToRemove(const QString &callId)
{
    const int row = rowOf(callId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    const QString key = m_rows.takeAt(row);
    m_keys.removeAt(row);
    m_rowById.remove(key, m_rows);
    endRemoveRows();
}

// ---- values ---------------------------------------------------------------------------------

QVariant CallsModel::display(const CallEntry &entry, int column) const
{
    switch (Column(column)) {
    case CallerColumn:
        return CallTexts::callerText(entry.call);
    case StateColumn:
        return CallTexts::stateText(entry.call);
    case WaitColumn:
        return waitText(entry);
    case FreshnessColumn:
        return freshnessText(entry);
    case HandledByColumn:
        return handledBy(entry.call.id);
    case DirectionColumn:
        switch (entry.call.direction.value) {
        case CallDirection::Incoming:
            //: Call direction, short
            return tr("In");
        case CallDirection::Outgoing:
            //: Call direction, short
            return tr("Out");
        case CallDirection::Unknown:
            break;
        }
        return CallTexts::none();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CallsModel::toolTip(const CallEntry &entry, int column) const
{
    switch (Column(column)) {
    case CallerColumn: {
        const QString name = CallTexts::callerName(entry.call);
        const QString number = CallTexts::callerNumber(entry.call);
        if (!name.isEmpty() && !number.isEmpty())
            return u"%1\n%2"_s.arg(name, number);
        return CallTexts::callerText(entry.call);
    }
    case StateColumn:
        if (const QString result = CallTexts::resultText(entry.call.resultInfo); !result.isEmpty())
            return tr("%1: %2").arg(CallTexts::stateWord(entry.call.state), result);
        return CallTexts::stateWord(entry.call.state);
    case WaitColumn:
        if (!m_now.isValid())
            return waitText(entry);
        if (const auto left = countdown(entry)) {
            const auto waited = waitedMs(entry).value_or(0);
            const QString remaining = *left > 0
                ? tr("%n s left to answer", "", int(ceilSeconds(*left)))
                : tr("The answer deadline has passed");
            return QString(
                tr("Waiting for %n s", "", int(floorSeconds(waited))) + u'\n' + remaining);
        }
        if (entry.isEnded())
            return tr("The call has ended");
        return tr("Duration %1").arg(waitText(entry));
    case FreshnessColumn:
        if (isStale(entry))
            return tr("%1; no news for a while, the relay is checking the call")
                .arg(freshnessText(entry));
        return freshnessText(entry);
    case HandledByColumn: {
        const Graph::RelayProtocol::CallMeta meta = m_store->meta(entry.call.id);
        if (!meta.claimedBy.isEmpty())
            return tr("Claimed by %1").arg(meta.claimedBy);
        if (meta.ivrStatus == "menu"_L1)
            return tr("In the relay's IVR flow '%1': %2").arg(meta.ivrFlow, ivrText(meta));
        if (meta.handledBy == "relay"_L1)
            return tr("Handled by the relay's unattended policy");
        if (!meta.handledBy.isEmpty())
            return tr("Handled by %1").arg(meta.handledBy);
        return tr("Nobody has taken this call");
    }
    case DirectionColumn:
        if (entry.call.direction == CallDirection::Outgoing)
            return tr("Outgoing call");
        if (entry.call.direction == CallDirection::Incoming)
            return tr("Incoming call");
        return tr("Direction unknown");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CallsModel::sortValue(const CallEntry &entry, int column) const
{
    switch (Column(column)) {
    case CallerColumn:
        return CallTexts::callerText(entry.call).toCaseFolded();
    case StateColumn:
        return queueRank(entry) * 100 + int(entry.call.state.value);
    case WaitColumn:
        // Seconds as a number, so that 100 s sorts after 20 s; an ended call ranks by its age.
        if (const auto waited = waitedMs(entry))
            return double(*waited) / 1000.0;
        if (m_now.isValid() && entry.firstSeenAt.isValid())
            return double(entry.firstSeenAt.msecsTo(m_now)) / 1000.0;
        return 0.0;
    case FreshnessColumn:
        if (m_now.isValid() && entry.lastEventAt.isValid())
            return double(entry.lastEventAt.msecsTo(m_now)) / 1000.0;
        return 0.0;
    case HandledByColumn: {
        const Graph::RelayProtocol::CallMeta meta = m_store->meta(entry.call.id);
        return (meta.claimedBy.isEmpty() ? meta.handledBy : meta.claimedBy).toCaseFolded();
    }
    case DirectionColumn:
        return int(entry.call.direction.value);
    case ColumnCount:
        break;
    }
    return {};
}

QString CallsModel::waitText(const CallEntry &entry) const
{
    if (entry.isEnded() || !m_now.isValid())
        return CallTexts::none();
    const auto waited = waitedMs(entry);
    if (!waited)
        return CallTexts::none();
    if (const auto left = countdown(entry)) {
        //: Seconds a ringing call has waited
        const QString wait = tr("%n s", "waited", int(floorSeconds(*waited)));
        if (*left <= 0)
            //: A ringing call past its answer deadline
            return tr("%1 · overdue").arg(wait);
        //: Seconds waited · seconds left until the answer deadline
        return tr("%1 · %2").arg(wait, tr("%n s left", "", int(ceilSeconds(*left))));
    }
    return CallTexts::duration(floorSeconds(*waited));
}

QString CallsModel::freshnessText(const CallEntry &entry) const
{
    if (!m_now.isValid() || !entry.lastEventAt.isValid())
        return CallTexts::none();
    const qint64 seconds = std::max<qint64>(floorSeconds(entry.lastEventAt.msecsTo(m_now)), 0);
    if (seconds < 60)
        return tr("last event %n s ago", "", int(seconds));
    if (seconds < 3600)
        return tr("last event %n min ago", "", int(seconds / 60));
    return tr("last event %n h ago", "", int(seconds / 3600));
}

QDateTime CallsModel::deadline(const CallEntry &entry) const
{
    if (!isRinging(entry) || !entry.firstSeenAt.isValid())
        return {};
    QDateTime due = entry.firstSeenAt.addMSecs(RingWindow.count());
    // The relay acts before Graph's timeout when its policy says so; the sooner one counts.
    const QDateTime relayDue = m_store->meta(entry.call.id).answerDeadline;
    if (relayDue.isValid() && relayDue < due)
        due = relayDue;
    return due;
}

std::optional<qint64> CallsModel::countdown(const CallEntry &entry) const
{
    const QDateTime due = deadline(entry);
    if (!due.isValid() || !m_now.isValid())
        return std::nullopt;
    return std::max<qint64>(m_now.msecsTo(due), 0);
}

std::optional<qint64> CallsModel::waitedMs(const CallEntry &entry) const
{
    if (entry.isEnded() || !m_now.isValid())
        return std::nullopt;
    QDateTime since = entry.firstSeenAt;
    if (!isRinging(entry)) {
        if (const QDateTime established = m_store->establishedAt(entry.call.id);
            established.isValid())
            since = established;
    }
    if (!since.isValid())
        return std::nullopt;
    return std::max<qint64>(since.msecsTo(m_now), 0);
}

bool CallsModel::isStale(const CallEntry &entry) const
{
    if (entry.isEnded() || !m_now.isValid() || !entry.lastEventAt.isValid())
        return false;
    return entry.lastEventAt.msecsTo(m_now) > m_staleAfter.count();
}

QString CallsModel::handledBy(const QString &callId) const
{
    const Graph::RelayProtocol::CallMeta meta = m_store->meta(callId);
    if (!meta.claimedBy.isEmpty())
        return meta.claimedBy;
    // A caller in a menu is the relay's, and where they are says more than "relay".
    if (meta.ivrStatus == "menu"_L1)
        return ivrText(meta);
    if (!meta.handledBy.isEmpty())
        return meta.handledBy;
    return CallTexts::none();
}

QString CallsModel::ivrText(const Graph::RelayProtocol::CallMeta &meta)
{
    if (meta.ivrFlow.isEmpty())
        return {};
    QStringList keys;
    for (const QChar key : meta.ivrDigits)
        keys.append(QString(key));
    //: The keys a caller pressed in the IVR, as in "pressed 1 2"
    const QString pressed = keys.join(tr(" "));
    if (meta.ivrStatus == "routed"_L1) {
        QString where;
        if (meta.ivrTarget == "operators"_L1)
            where = tr("IVR: sent to the operators");
        else if (meta.ivrTarget == "hangup"_L1)
            where = tr("IVR: goodbye and hang-up");
        else
            where = tr("IVR: transferred to %1").arg(meta.ivrTarget);
        return pressed.isEmpty() ? where : tr("%1 (pressed %2)").arg(where, pressed);
    }
    if (meta.ivrStatus == "recorded"_L1)
        return tr("IVR: left a message");
    if (meta.ivrStatus == "left"_L1)
        return tr("IVR: taken over by %1 in menu '%2'").arg(meta.ivrTarget, meta.ivrMenu);
    if (pressed.isEmpty())
        return tr("In menu '%1'").arg(meta.ivrMenu);
    return tr("In menu '%1', pressed %2").arg(meta.ivrMenu, pressed);
}

} // namespace Models

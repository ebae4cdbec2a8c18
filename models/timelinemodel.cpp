#include "timelinemodel.h"

#include "calltexts.h"
#include "graph/ids.h"

using namespace Qt::StringLiterals;

namespace Models {

using Graph::normalizeId;
using Kind = TimelineEntry::Kind;

namespace {

// At most this many names are spelled out; the rest are counted.
constexpr qsizetype NamesShown = 3;

QString names(const QStringList &list)
{
    if (list.size() <= NamesShown)
        return list.join(", "_L1);
    const QString shown = list.first(NamesShown).join(", "_L1);
    //: A list of names cut short: "Anna, Ben, Chen and 7 more"
    return TimelineModel::tr("%1 and %n more", "", int(list.size() - NamesShown)).arg(shown);
}

QString withResult(const QString &text, const Graph::ResultInfo &result)
{
    const QString detail = CallTexts::resultText(result);
    //: An event and Graph's result: "Transferring → Established (500/7000 Transfer failed)"
    return detail.isEmpty() ? text : TimelineModel::tr("%1 (%2)").arg(text, detail);
}

QString operationStatus(const Graph::WireEnum<Graph::OperationStatus> &status)
{
    switch (status.value) {
    case Graph::OperationStatus::NotStarted:
        return TimelineModel::tr("not started");
    case Graph::OperationStatus::Running:
        return TimelineModel::tr("running");
    case Graph::OperationStatus::Completed:
        return TimelineModel::tr("completed");
    case Graph::OperationStatus::Failed:
        return TimelineModel::tr("failed");
    case Graph::OperationStatus::Unknown:
        break;
    }
    return status.isPresent() ? status.text : TimelineModel::tr("updated");
}

QString policyAction(const QString &action)
{
    if (action == "answered"_L1)
        return TimelineModel::tr("answered and put on hold");
    if (action == "redirected"_L1)
        return TimelineModel::tr("redirected");
    if (action == "rejected"_L1)
        return TimelineModel::tr("rejected");
    return action;
}

QString describeRoster(const TimelineEntry &entry)
{
    QStringList parts;
    if (!entry.joined.isEmpty())
        parts.append(TimelineModel::tr("%n joined: %1", "", int(entry.joined.size()))
                         .arg(names(entry.joined)));
    if (!entry.left.isEmpty())
        parts.append(
            TimelineModel::tr("%n left: %1", "", int(entry.left.size())).arg(names(entry.left)));
    if (!entry.muted.isEmpty())
        parts.append(TimelineModel::tr("muted: %1").arg(names(entry.muted)));
    if (!entry.unmuted.isEmpty())
        parts.append(TimelineModel::tr("unmuted: %1").arg(names(entry.unmuted)));
    if (entry.updated > 0)
        parts.append(TimelineModel::tr("%n participant(s) updated", "", entry.updated));
    //: Separates the parts of one roster change
    return parts.join(TimelineModel::tr("; "));
}

QString describeIvr(const TimelineEntry &entry)
{
    const QString action = entry.relay.value("action"_L1).toString();
    const QString menu = entry.relay.value("menu"_L1).toString();
    const QString digit = entry.relay.value("digit"_L1).toString();
    if (action == "entered"_L1)
        return TimelineModel::tr("IVR: in menu '%1'").arg(menu);
    if (action == "digit"_L1)
        return TimelineModel::tr("IVR: pressed %1 in menu '%2'").arg(digit, menu);
    if (action == "invalid"_L1)
        return TimelineModel::tr("IVR: pressed %1, not a choice in menu '%2'").arg(digit, menu);
    if (action == "timeout"_L1)
        return TimelineModel::tr("IVR: no key pressed in menu '%1'").arg(menu);
    if (action == "routed"_L1) {
        const QString target = entry.relay.value("target"_L1).toString();
        if (target == "operators"_L1)
            return TimelineModel::tr("IVR: sent to the operators' queue");
        if (target == "hangup"_L1)
            return TimelineModel::tr("IVR: goodbye prompt, then hang-up");
        return TimelineModel::tr("IVR: transferred to %1").arg(target);
    }
    if (action == "recorded"_L1) {
        return TimelineModel::tr("IVR: message recorded at %1")
            .arg(entry.relay.value("recordingLocation"_L1).toString());
    }
    if (action == "left"_L1) {
        return TimelineModel::tr("IVR: taken out of the flow by %1")
            .arg(entry.relay.value("by"_L1).toString());
    }
    return TimelineModel::tr("IVR: %1").arg(action);
}

QString describeRelay(const TimelineEntry &entry)
{
    if (entry.relayKind == "ivr"_L1)
        return describeIvr(entry);
    if (entry.relayKind == "claimed"_L1)
        return TimelineModel::tr("Claimed by %1").arg(entry.who);
    if (entry.relayKind == "released"_L1)
        return TimelineModel::tr("Claim released");
    if (entry.relayKind == "policy"_L1) {
        if (const QString flow = entry.relay.value("flow"_L1).toString();
            entry.who == "answered"_L1 && !flow.isEmpty())
            return TimelineModel::tr("Relay policy: answered into the IVR flow '%1'").arg(flow);
        return TimelineModel::tr("Relay policy: %1").arg(policyAction(entry.who));
    }
    if (entry.relayKind == "handled"_L1)
        return TimelineModel::tr("Handled by %1").arg(entry.who);
    if (entry.relayKind == "expired"_L1)
        return TimelineModel::tr("Gone from Graph: the relay ended the call");
    return TimelineModel::tr("Relay: %1").arg(entry.relayKind);
}

} // namespace

TimelineModel::TimelineModel(CallStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    Q_ASSERT(m_store);
    connect(m_store, &CallStore::aboutToReset, this, [this] { beginResetModel(); });
    connect(m_store, &CallStore::reset, this, &TimelineModel::onReset);
    connect(m_store, &CallStore::timelineAppended, this, &TimelineModel::onAppended);
    connect(m_store, &CallStore::toneReceived, this, &TimelineModel::onToneReceived);
    connect(m_store, &CallStore::aboutToRemove, this, &TimelineModel::onAboutToRemove);
    connect(m_store, &CallStore::callRemoved, this, &TimelineModel::onAboutToRemove);
}

TimelineModel::~TimelineModel() = default;

void TimelineModel::setCallId(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_callKey = callId.isEmpty() ? QString() : normalizeId(callId);
    load();
    endResetModel();
}

void TimelineModel::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
            { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

QString TimelineModel::describe(const TimelineEntry &entry)
{
    switch (entry.kind) {
    case Kind::Created:
        if (!entry.toState.isPresent())
            return tr("Call appeared");
        return tr("Call appeared: %1").arg(CallTexts::stateWord(entry.toState));
    case Kind::StateChanged: {
        const QString to = CallTexts::stateWord(entry.toState);
        const QString text = entry.fromState.isPresent()
            ? tr("%1 → %2").arg(CallTexts::stateWord(entry.fromState), to)
            : to;
        return withResult(text, entry.resultInfo);
    }
    case Kind::Roster:
        return describeRoster(entry);
    case Kind::Tone:
        return tr("Tone %1").arg(
            entry.tone.isKnown() ? QString(Graph::toneChar(entry.tone.value)) : entry.tone.text);
    case Kind::Operation: {
        const QString type = entry.operationType.isEmpty() ? tr("Operation") : entry.operationType;
        //: An operation and its status: "playPrompt completed"
        const QString text = tr("%1 %2").arg(type, operationStatus(entry.operationStatus));
        return withResult(text, entry.resultInfo);
    }
    case Kind::Relay:
        return describeRelay(entry);
    case Kind::Snapshot:
        return withResult(
            tr("Resynchronised: %1").arg(CallTexts::stateWord(entry.toState)), entry.resultInfo);
    }
    return {};
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const TimelineEntry &entry = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        //: A timeline row: time, then what happened
        return tr("%1 %2").arg(
            entry.at.toTimeZone(m_zone).toString(u"HH:mm:ss"_s), describe(entry));
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return tr("%1, event %2: %3")
            .arg(entry.at.toTimeZone(m_zone).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s),
                QString::number(entry.seq), describe(entry));
    case KindRole:
        return int(entry.kind);
    case AtRole:
        return entry.at;
    case SeqRole:
        return entry.seq;
    case FromStateRole:
        return entry.kind == Kind::StateChanged ? QVariant(int(entry.fromState.value)) : QVariant();
    case ToStateRole:
        return entry.toState.isPresent() ? QVariant(int(entry.toState.value)) : QVariant();
    case ResultCodeRole:
        return entry.resultInfo.code ? QVariant(*entry.resultInfo.code) : QVariant();
    case TonesRole:
        return m_tones;
    case DescriptionRole:
        return describe(entry);
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({
        { KindRole, "kind" },
        { AtRole, "at" },
        { SeqRole, "seq" },
        { FromStateRole, "fromState" },
        { ToStateRole, "toState" },
        { ResultCodeRole, "resultCode" },
        { TonesRole, "tones" },
        { DescriptionRole, "description" },
    });
    return names;
}

bool TimelineModel::isMine(const QString &callId) const
{
    return !m_callKey.isEmpty() && normalizeId(callId) == m_callKey;
}

void TimelineModel::load()
{
    m_rows = m_callKey.isEmpty() ? QList<TimelineEntry>() : m_store->timeline(m_callKey);
    const QString tones = m_callKey.isEmpty() ? QString() : m_store->tones(m_callKey);
    if (tones != m_tones) {
        m_tones = tones;
        Q_EMIT tonesChanged(m_tones);
    }
}

void TimelineModel::onReset()
{
    load();
    endResetModel();
}

void TimelineModel::onAppended(const QString &callId, const TimelineEntry &entry)
{
    if (!isMine(callId))
        return;
    // The store keeps a bounded timeline; this copy drops what the store dropped.
    const qsizetype excess = m_rows.size() + 1 - m_store->timelineLimit();
    if (excess > 0) {
        beginRemoveRows({}, 0, int(excess) - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(entry);
    endInsertRows();
}

void TimelineModel::onToneReceived(const QString &callId)
{
    if (!isMine(callId))
        return;
    setTones(m_store->tones(callId));
}

void TimelineModel::onAboutToRemove(const QString &callId)
{
    if (!isMine(callId))
        return;
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    setTones({});
}

void TimelineModel::setTones(const QString &tones)
{
    if (tones == m_tones)
        return;
    m_tones = tones;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), { TonesRole });
    Q_EMIT tonesChanged(m_tones);
}

} // namespace Models

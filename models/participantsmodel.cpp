#include "participantsmodel.h"

#include "callstore.h"
#include "calltexts.h"
#include "graph/ids.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Models {

using Graph::normalizeId;
using Graph::Participant;

namespace {

int kindOf(const Participant &participant)
{
    const auto primary = participant.info.identity.primary();
    return primary ? int(primary->first) : -1;
}

QString mediaText(const Participant &participant)
{
    QStringList streams;
    for (const Graph::MediaStream &stream : participant.mediaStreams) {
        // Graph's own words: the operator compares them with what Teams' admin tools show.
        QString text = stream.mediaType.text;
        if (stream.direction.isPresent())
            text += u' ' + stream.direction.text;
        if (stream.serverMuted)
            text = ParticipantsModel::tr("%1 (muted by the server)").arg(text);
        streams.append(text);
    }
    return streams.join(", "_L1);
}

// Contiguous runs of sorted rows, as [first, last] pairs.
QList<std::pair<int, int>> runs(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<std::pair<int, int>> out;
    for (const int row : std::as_const(rows)) {
        if (!out.isEmpty() && out.last().second + 1 == row)
            out.last().second = row;
        else
            out.append({ row, row });
    }
    return out;
}

} // namespace

ParticipantsModel::ParticipantsModel(CallStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    Q_ASSERT(m_store);
    connect(m_store, &CallStore::aboutToReset, this, [this] { beginResetModel(); });
    connect(m_store, &CallStore::reset, this, &ParticipantsModel::onReset);
    connect(m_store, &CallStore::callAdded, this, &ParticipantsModel::onCallChanged);
    connect(m_store, &CallStore::callChanged, this, &ParticipantsModel::onCallChanged);
    connect(m_store, &CallStore::aboutToRemove, this, &ParticipantsModel::onAboutToRemove);
    connect(m_store, &CallStore::callRemoved, this, &ParticipantsModel::onAboutToRemove);
    connect(
        m_store, &CallStore::participantsChanged, this, &ParticipantsModel::onParticipantsChanged);
}

ParticipantsModel::~ParticipantsModel() = default;

void ParticipantsModel::setCallId(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_callKey = callId.isEmpty() ? QString() : normalizeId(callId);
    load();
    endResetModel();
}

int ParticipantsModel::rowOf(const QString &participantId) const
{
    return m_rowById.value(normalizeId(participantId), -1);
}

int ParticipantsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ParticipantsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ParticipantsModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Participant &p = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(p, index.column());
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        switch (Column(index.column())) {
        case NameColumn:
            if (normalizeId(p.id) == m_botKey)
                return tr("%1 (this call's bot)").arg(CallTexts::participantName(p));
            return CallTexts::participantName(p);
        case MutedColumn:
            return p.isMuted ? tr("Muted") : tr("Not muted");
        case LobbyColumn:
            return p.isInLobby ? tr("Waiting in the lobby") : tr("In the call");
        default:
            return display(p, index.column());
        }
    case IdRole:
        return p.id;
    case IsMutedRole:
        return p.isMuted;
    case IsInLobbyRole:
        return p.isInLobby;
    case IsBotRole:
        return !m_botKey.isEmpty() && normalizeId(p.id) == m_botKey;
    case IdentityKindRole:
        return kindOf(p);
    case SortRole:
        return sortValue(p, index.column());
    case DisplayNameRole:
        return p.displayName();
    case PhoneNumberRole:
        return p.info.identity.phoneNumber();
    default:
        break;
    }
    return {};
}

QVariant ParticipantsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount
        || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case MutedColumn:
        return tr("Muted");
    case LobbyColumn:
        return tr("Lobby");
    case MediaColumn:
        return tr("Media");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> ParticipantsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({
        { IdRole, "participantId" },
        { IsMutedRole, "isMuted" },
        { IsInLobbyRole, "isInLobby" },
        { IsBotRole, "isBot" },
        { IdentityKindRole, "identityKind" },
        { SortRole, "sortValue" },
        { DisplayNameRole, "displayName" },
        { PhoneNumberRole, "phoneNumber" },
    });
    return names;
}

// ---- keeping in step with the store -------------------------------------------------------

bool ParticipantsModel::isMine(const QString &callId) const
{
    return !m_callKey.isEmpty() && normalizeId(callId) == m_callKey;
}

void ParticipantsModel::load()
{
    m_rows.clear();
    m_rowById.clear();
    m_botKey.clear();
    const Graph::CallEntry *entry = m_callKey.isEmpty() ? nullptr : m_store->entry(m_callKey);
    if (!entry)
        return;
    m_botKey = normalizeId(entry->call.myParticipantId);
    m_rows = entry->participants;
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(normalizeId(m_rows.at(row).id), row);
}

void ParticipantsModel::onReset()
{
    load();
    endResetModel();
}

void ParticipantsModel::onCallChanged(const QString &callId)
{
    if (!isMine(callId))
        return;
    const Graph::CallEntry *entry = m_store->entry(callId);
    const QString bot = entry ? normalizeId(entry->call.myParticipantId) : QString();
    if (bot == m_botKey)
        return;
    QList<int> rows;
    for (const QString &key : { m_botKey, bot }) {
        if (const int row = m_rowById.value(key, -1); row >= 0)
            rows.append(row);
    }
    m_botKey = bot;
    announceRows(rows, { IsBotRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

void ParticipantsModel::onAboutToRemove(const QString &callId)
{
    if (!isMine(callId) || m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    m_rowById.clear();
    endRemoveRows();
}

void ParticipantsModel::onParticipantsChanged(const QString &callId, const QStringList &added,
    const QStringList &changed, const QStringList &removed)
{
    if (!isMine(callId))
        return;
    const Graph::CallEntry *entry = m_store->entry(callId);
    if (!entry)
        return;

    QList<int> gone;
    for (const QString &pid : removed) {
        if (const int row = rowOf(pid); row >= 0)
            gone.append(row);
    }
    dropRows(gone);

    // The book appends joins in this order, so the rows stay in roster order. Someone already
    // shown (a join reported twice) is a change, not a second row.
    const Graph::ParticipantIndex roster(*entry);
    QList<Participant> joined;
    QStringList updated = changed;
    for (const QString &pid : added) {
        if (rowOf(pid) >= 0) {
            updated.append(pid);
        } else if (const Participant *p = roster.find(pid)) {
            joined.append(*p);
        }
    }
    if (!joined.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(joined.size()) - 1);
        for (Participant &p : joined) {
            m_rowById.insert(normalizeId(p.id), int(m_rows.size()));
            m_rows.append(std::move(p));
        }
        endInsertRows();
    }

    QList<int> rows;
    for (const QString &pid : std::as_const(updated)) {
        const int row = rowOf(pid);
        const Participant *p = roster.find(pid);
        if (row < 0 || !p)
            continue;
        m_rows[row] = *p;
        rows.append(row);
    }
    announceRows(rows, {});
}

void ParticipantsModel::dropRows(QList<int> rows)
{
    // From the last run up, so that the rows of the runs still to go keep their numbers.
    const QList<std::pair<int, int>> spans = runs(std::move(rows));
    for (auto it = spans.crbegin(); it != spans.crend(); ++it) {
        beginRemoveRows({}, it->first, it->second);
        for (int row = it->first; row <= it->second; ++row)
            m_rowById.remove(normalizeId(m_rows.at(row).id));
        m_rows.remove(it->first, it->second - it->first + 1);
        reindexFrom(it->first);
        endRemoveRows();
    }
}

void ParticipantsModel::announceRows(QList<int> rows, const QList<int> &roles)
{
    if (rows.isEmpty())
        return;
    // When most of the roster changed at once, one range is cheaper for the views than many.
    if (rows.size() * 2 > m_rows.size()) {
        const auto [low, high] = std::minmax_element(rows.cbegin(), rows.cend());
        Q_EMIT dataChanged(index(*low, 0), index(*high, ColumnCount - 1), roles);
        return;
    }
    for (const auto &[first, last] : runs(std::move(rows)))
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1), roles);
}

void ParticipantsModel::reindexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowById[normalizeId(m_rows.at(i).id)] = i;
}

// ---- values ---------------------------------------------------------------------------------

QString ParticipantsModel::mutedText()
{
    return tr("Muted");
}

QString ParticipantsModel::inLobbyText()
{
    return tr("In lobby");
}

QVariant ParticipantsModel::display(const Participant &participant, int column) const
{
    switch (Column(column)) {
    case NameColumn:
        return CallTexts::participantName(participant);
    case KindColumn: {
        const auto primary = participant.info.identity.primary();
        return primary ? CallTexts::identityKind(primary->first) : CallTexts::none();
    }
    case MutedColumn:
        return participant.isMuted ? mutedText() : CallTexts::none();
    case LobbyColumn:
        return participant.isInLobby ? inLobbyText() : CallTexts::none();
    case MediaColumn: {
        const QString media = mediaText(participant);
        return media.isEmpty() ? CallTexts::none() : media;
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ParticipantsModel::sortValue(const Participant &participant, int column) const
{
    switch (Column(column)) {
    case NameColumn:
        return CallTexts::participantName(participant).toCaseFolded();
    case KindColumn:
        return kindOf(participant);
    case MutedColumn:
        return participant.isMuted;
    case LobbyColumn:
        return participant.isInLobby;
    case MediaColumn:
        return mediaText(participant);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Models

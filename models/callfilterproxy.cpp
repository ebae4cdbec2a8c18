#include "callfilterproxy.h"

#include "callsmodel.h"

using namespace Qt::StringLiterals;

namespace Models {

namespace {

QString digitsOf(const QString &text)
{
    QString digits;
    for (const QChar c : text) {
        if (c.isDigit())
            digits.append(c);
    }
    return digits;
}

// A filter that holds only digits and a phone number's punctuation is a number to look for.
bool looksLikeNumber(const QString &text)
{
    bool anyDigit = false;
    for (const QChar c : text) {
        if (c.isDigit())
            anyDigit = true;
        else if (c != u'+' && c != u' ' && c != u'-' && c != u'(' && c != u')' && c != u'.')
            return false;
    }
    return anyDigit;
}

// 0 ringing, 1 live, 2 ended: the queue's groups.
int queueGroup(const QModelIndex &index)
{
    if (index.data(CallsModel::IsEndedRole).toBool())
        return 2;
    return index.data(CallsModel::IsIncomingRole).toBool() ? 0 : 1;
}

} // namespace

CallFilterProxy::CallFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(CallsModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    sort(CallsModel::WaitColumn, Qt::AscendingOrder);
}

void CallFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_calls = qobject_cast<const CallsModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void CallFilterProxy::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_digits = looksLikeNumber(m_text) ? digitsOf(m_text) : QString();
    invalidateRowsFilter();
}

void CallFilterProxy::setShowEnded(bool show)
{
    if (show == m_showEnded)
        return;
    m_showEnded = show;
    invalidateRowsFilter();
}

bool CallFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Every row is checked on each tick of the clock: the common case reads no role.
    if (m_calls && m_text.isEmpty())
        return m_showEnded || !m_calls->isEndedAt(sourceRow);
    const QAbstractItemModel *source = sourceModel();
    const QModelIndex row = source->index(sourceRow, CallsModel::CallerColumn, sourceParent);
    if (!m_showEnded && row.data(CallsModel::IsEndedRole).toBool())
        return false;
    if (m_text.isEmpty())
        return true;

    if (!m_digits.isEmpty()
        && digitsOf(row.data(CallsModel::CallerNumberRole).toString()).contains(m_digits))
        return true;
    const QString haystack[] = {
        row.data(CallsModel::CallerNameRole).toString(),
        row.data(CallsModel::CallerNumberRole).toString(),
        row.data(Qt::DisplayRole).toString(),
        source->index(sourceRow, CallsModel::StateColumn, sourceParent).data().toString(),
        row.data(CallsModel::ClaimedByRole).toString(),
        row.data(CallsModel::HandledByRole).toString(),
    };
    for (const QString &text : haystack) {
        if (text.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool CallFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() != CallsModel::WaitColumn)
        return QSortFilterProxyModel::lessThan(left, right);

    // The queue's order: group first, then the longest wait first, then first seen first.
    if (m_calls) {
        const CallsModel::QueueKey a = m_calls->queueKey(left.row());
        const CallsModel::QueueKey b = m_calls->queueKey(right.row());
        if (!(a == b))
            return a < b;
        return left.row() < right.row();
    }
    const int leftGroup = queueGroup(left);
    const int rightGroup = queueGroup(right);
    if (leftGroup != rightGroup)
        return leftGroup < rightGroup;
    const double leftWait = left.data(sortRole()).toDouble();
    const double rightWait = right.data(sortRole()).toDouble();
    if (leftWait != rightWait)
        return leftWait > rightWait;
    return left.row() < right.row();
}

} // namespace Models

#include "rowindex.h"

#include <algorithm>

namespace Models {

int RowIndex::row(const QString &key) const
{
    const auto it = m_stored.constFind(key);
    if (it == m_stored.cend())
        return -1;
    const int position = *it;
    const auto before = std::lower_bound(m_removed.cbegin(), m_removed.cend(), position);
    return position - int(before - m_removed.cbegin());
}

void RowIndex::append(const QString &key)
{
    m_stored.insert(key, m_next++);
}

int RowIndex::remove(const QString &key, const QList<QString> &rows)
{
    const int row = this->row(key);
    if (row < 0)
        return -1;
    const int position = m_stored.take(key);
    m_removed.insert(std::lower_bound(m_removed.begin(), m_removed.end(), position), position);
    if (m_removed.size() >= MaxPending)
        rebuild(rows);
    return row;
}

void RowIndex::rebuild(const QList<QString> &rows)
{
    m_stored.clear();
    m_stored.reserve(rows.size());
    m_removed.clear();
    m_next = 0;
    for (const QString &key : rows)
        append(key);
}

void RowIndex::clear()
{
    m_stored.clear();
    m_removed.clear();
    m_next = 0;
}

} // namespace Models

#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Models {

//! Row numbers by key for a list that grows at its end and loses rows anywhere, as a model's
//! rows of calls do. Removing a row moves every row after it up one; a plain hash of rows has
//! to rewrite all of them, which for 10,000 calls is most of a millisecond, paid again for every
//! call that goes. RowIndex remembers each key's position as of its last rebuild and the
//! positions removed since, so a removal costs a hash erase and a sorted insert, and a lookup a
//! hash find and a binary search. It rebuilds itself once MaxPending removals have piled up.
class RowIndex final
{
public:
    static constexpr int MaxPending = 256;

    //! The key's row, or -1.
    int row(const QString &key) const;
    bool contains(const QString &key) const { return m_stored.contains(key); }
    int size() const { return int(m_stored.size()); }

    //! `key` is the new last row.
    void append(const QString &key);
    //! `key`'s row is removed; the rows after it move up one. Returns the row it had, or -1.
    //! `rows` is the list as it is after the removal, for a rebuild.
    int remove(const QString &key, const QList<QString> &rows);
    //! Indexes `rows` afresh.
    void rebuild(const QList<QString> &rows);
    void clear();

    //! Removals not yet folded into the positions (for tests).
    int pending() const { return int(m_removed.size()); }

private:
    // A key's position: its row at the last rebuild, or for a later append the number of rows
    // appended before it, counting from the rebuild (rows at the rebuild plus appends since).
    // Positions only ever grow, so a key's row is its position less the removed positions
    // before it.
    QHash<QString, int> m_stored;
    QList<int> m_removed; // positions removed since the last rebuild, sorted
    int m_next = 0; // the next appended key's position
};

} // namespace Models

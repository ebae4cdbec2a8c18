#pragma once

#include "relaycontext.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Graph {
struct Call;
}

namespace Relay {

//! The callers the relay rejects at once (relay-contract.md [policy] blocklist): +E.164 numbers
//! and user ids, kept normalised in the table `blocklist` of the journal's SQLite file. The
//! table is created, and filled from [policy] blocklist, on the first start; from then on it is
//! the truth and the configuration's list is not read again.
class Blocklist final
{
public:
    //! `connectionName`: the journal's open SQLite connection (Journal::connectionName()).
    explicit Blocklist(QString connectionName);
    Blocklist(const Blocklist &) = delete;
    Blocklist &operator=(const Blocklist &) = delete;

    //! Creates the table with `seed` (normalised entries) if it does not exist, then loads it.
    bool open(const QStringList &seed, QString *error);
    bool isOpen() const { return m_open; }

    //! Every entry, normalised, sorted.
    QStringList entries() const;
    //! Whether the normalised form of `entry` is listed.
    bool contains(const QString &entry) const;
    //! The entry that blocks the call's caller (its source's phone number or user id), or an
    //! empty string.
    QString match(const Graph::Call &call) const;

    enum class Change { Done, Unchanged, Failed };
    //! `entry` must be normalised. Unchanged when it was listed already.
    Change add(const QString &entry, const QString &by, const QDateTime &at, QString *error);
    //! `entry` must be normalised. Unchanged when it was not listed.
    Change remove(const QString &entry, QString *error);

    //! The stored form of an entry: a number ("+", then only digits, spaces, dashes, dots and
    //! parentheses) loses its punctuation and must then be +E.164 ("+1 (555) 010-0100" gives
    //! "+15550100100"); anything else is a user id (letters, digits and . _ @ : -), lower-cased
    //! like the GUIDs Graph sends. nullopt, with `error` saying why, for anything else.
    static std::optional<QString> normalize(const QString &entry, QString *error = nullptr);

private:
    QString m_connection;
    QSet<QString> m_entries;
    bool m_open = false;
};

//! GET and POST /api/blocklist, DELETE /api/blocklist/{entry} (relay-contract.md "Relay's own
//! API"): operators list and add, supervisors also remove. Each change is published as the relay
//! event "blocklist" {action: "added"|"removed", entry, by}.
class BlocklistApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BlocklistApi)

public:
    //! Adds the routes to context.http. `list` must outlive this object.
    explicit BlocklistApi(const RelayContext &context, Blocklist *list, QObject *parent = nullptr);

private:
    RelayContext m_context;
    Blocklist *m_list;
};

} // namespace Relay

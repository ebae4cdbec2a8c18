#pragma once

#include <QString>
#include <QStringView>

namespace Graph {

//! The form in which two Graph ids are compared: lower case, without dashes or braces.
//! Graph writes the same call id as "491f0b00-ffff-..." in one place and "491F0B00FFFF..."
//! in another.
QString normalizeId(QStringView id);
//! The same, without a copy when `id` is normalized already (a key taken from a QHash).
QString normalizeId(const QString &id);
//! Whether two ids normalize alike; it allocates nothing.
bool sameId(QStringView a, QStringView b);

//! Splits a resourceUrl ("/communications/calls/{id}[/participants[/{pid}]|/operations/{op}]",
//! also the legacy "/app/calls/{id}..." and absolute URLs) into its parts.
struct ResourcePath
{
    enum class Kind { Unknown, Call, Participants, Participant, Operation };
    Kind kind = Kind::Unknown;
    QString callId;
    QString subId;
};
ResourcePath parseResourcePath(QStringView url);

//! A new random id in Graph's lower-case GUID form, without braces.
QString newGuid();

} // namespace Graph

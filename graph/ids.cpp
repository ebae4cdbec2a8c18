#include "ids.h"

#include <QList>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

bool isSkipped(QChar c)
{
    return c == u'-' || c == u'{' || c == u'}';
}

// Ids are ASCII almost always; QChar::toLower() looks every character up in the Unicode tables,
// and ids are normalized on every lookup.
QChar lower(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return u >= u'A' && u <= u'Z' ? QChar(char16_t(u + (u'a' - u'A'))) : c;
    return c.toLower();
}

bool isNormalized(QStringView id)
{
    for (const QChar c : id) {
        if (isSkipped(c) || lower(c) != c)
            return false;
    }
    return true;
}

} // namespace

QString normalizeId(const QString &id)
{
    return isNormalized(id) ? id : normalizeId(QStringView(id));
}

QString normalizeId(QStringView id)
{
    QString out(id.size(), Qt::Uninitialized);
    QChar *to = out.data();
    qsizetype size = 0;
    for (const QChar c : id) {
        if (!isSkipped(c))
            to[size++] = lower(c);
    }
    out.truncate(size);
    return out;
}

bool sameId(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    for (;;) {
        while (i < a.size() && isSkipped(a[i]))
            ++i;
        while (j < b.size() && isSkipped(b[j]))
            ++j;
        if (i == a.size() || j == b.size())
            return i == a.size() && j == b.size();
        if (lower(a[i]) != lower(b[j]))
            return false;
        ++i;
        ++j;
    }
}

ResourcePath parseResourcePath(QStringView url)
{
    // Drop scheme, host, query and a version prefix: only the path after "calls/" matters.
    if (const qsizetype q = url.indexOf(u'?'); q >= 0)
        url = url.left(q);
    const QList<QStringView> parts = url.split(u'/', Qt::SkipEmptyParts);
    qsizetype i = 0;
    for (; i < parts.size(); ++i) {
        if (parts[i].compare(u"calls", Qt::CaseInsensitive) == 0)
            break;
    }
    ResourcePath path;
    if (i + 1 >= parts.size())
        return path;
    path.callId = parts[i + 1].toString();
    const qsizetype rest = parts.size() - (i + 2);
    if (rest == 0) {
        path.kind = ResourcePath::Kind::Call;
    } else if (parts[i + 2].compare(u"participants", Qt::CaseInsensitive) == 0 && rest <= 2) {
        path.kind = rest == 1 ? ResourcePath::Kind::Participants : ResourcePath::Kind::Participant;
        if (rest == 2)
            path.subId = parts[i + 3].toString();
    } else if (parts[i + 2].compare(u"operations", Qt::CaseInsensitive) == 0 && rest == 2) {
        path.kind = ResourcePath::Kind::Operation;
        path.subId = parts[i + 3].toString();
    }
    return path;
}

QString newGuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace Graph

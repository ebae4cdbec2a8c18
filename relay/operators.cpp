#include "operators.h"

#include <QCryptographicHash>

#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace Relay {

OperatorDirectory::OperatorDirectory(QList<OperatorEntry> operators)
    : m_operators(std::move(operators))
{ }

QByteArray OperatorDirectory::hashToken(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

std::optional<OperatorIdentity> OperatorDirectory::authenticate(QByteArrayView token) const
{
    if (token.isEmpty())
        return std::nullopt;
    const QByteArray hash = hashToken(token);
    // Every entry is compared, whatever matched before, and the selection is branch-free, so
    // the time taken says nothing about which entry (if any) matched.
    qsizetype found = -1;
    for (qsizetype i = 0; i < m_operators.size(); ++i) {
        const QByteArray &candidate = m_operators.at(i).tokenSha256;
        const bool sameSize = candidate.size() == hash.size();
        const int differs = sameSize
            ? CRYPTO_memcmp(candidate.constData(), hash.constData(), size_t(hash.size()))
            : 1;
        const qsizetype mask = -qsizetype(differs == 0); // all ones on a match
        found = (i & mask) | (found & ~mask);
    }
    if (found < 0)
        return std::nullopt;
    const OperatorEntry &entry = m_operators.at(found);
    return OperatorIdentity { entry.name, entry.role };
}

std::optional<OperatorIdentity> OperatorDirectory::authenticateHeader(
    QByteArrayView authorization) const
{
    // RFC 9110: credentials = auth-scheme 1*SP token68; the scheme is case-insensitive.
    const QByteArrayView value = authorization.trimmed();
    constexpr QByteArrayView Scheme("bearer");
    if (value.size() <= Scheme.size()
        || QLatin1StringView(value.first(Scheme.size()))
                .compare(QLatin1StringView(Scheme), Qt::CaseInsensitive)
            != 0)
        return std::nullopt;
    const QByteArrayView rest = value.sliced(Scheme.size());
    if (rest.front() != ' ' && rest.front() != '\t')
        return std::nullopt;
    const QByteArrayView token = rest.trimmed();
    if (token.isEmpty() || token.contains(' ') || token.contains('\t'))
        return std::nullopt;
    return authenticate(token);
}

} // namespace Relay

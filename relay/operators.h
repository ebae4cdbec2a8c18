#pragma once

#include "relayconfig.h"

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Relay {

struct OperatorIdentity
{
    QString name;
    Role role = Role::Operator;
    bool isSupervisor() const { return role == Role::Supervisor; }
};

//! Operator tokens, kept as SHA-256 hashes and compared in constant time.
class OperatorDirectory final
{
public:
    explicit OperatorDirectory(QList<OperatorEntry> operators = {});
    //! The operator whose token this is, or nullopt. Every entry is compared, so the time taken
    //! does not depend on which one matches.
    std::optional<OperatorIdentity> authenticate(QByteArrayView token) const;
    //! From an "Authorization: Bearer <token>" header value.
    std::optional<OperatorIdentity> authenticateHeader(QByteArrayView authorization) const;
    static QByteArray hashToken(QByteArrayView token); //!< raw SHA-256

private:
    QList<OperatorEntry> m_operators;
};

} // namespace Relay

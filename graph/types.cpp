#include "types.h"

using namespace Qt::StringLiterals;

namespace Graph {
namespace {

constexpr QLatin1StringView s_kindNames[IdentitySet::KindCount] = {
    "user"_L1,
    "application"_L1,
    "device"_L1,
    "applicationInstance"_L1,
    "phone"_L1,
    "guest"_L1,
    "encrypted"_L1,
    "onPremises"_L1,
    "assertedIdentity"_L1,
    "azureCommunicationServicesUser"_L1,
};

// The order in which a person looks for "who is this": a named user before the phone line they
// called from, an encrypted placeholder last.
constexpr IdentitySet::Kind s_displayOrder[] = {
    IdentitySet::Kind::User,
    IdentitySet::Kind::Phone,
    IdentitySet::Kind::Guest,
    IdentitySet::Kind::ApplicationInstance,
    IdentitySet::Kind::Application,
    IdentitySet::Kind::AzureCommunicationServicesUser,
    IdentitySet::Kind::OnPremises,
    IdentitySet::Kind::AssertedIdentity,
    IdentitySet::Kind::Device,
    IdentitySet::Kind::Encrypted,
};

IdentitySet single(IdentitySet::Kind kind, const QString &id, const QString &displayName)
{
    IdentitySet set;
    set.set(kind, Identity { id, displayName, {}, {} });
    return set;
}

} // namespace

QString wireName(IdentitySet::Kind kind)
{
    return QString(s_kindNames[int(kind)]);
}

bool IdentitySet::isEmpty() const
{
    for (const auto &identity : identities) {
        if (identity)
            return false;
    }
    return true;
}

bool IdentitySet::needsCommunicationsType() const
{
    for (int i = int(Kind::ApplicationInstance); i < KindCount; ++i) {
        if (identities[i])
            return true;
    }
    return false;
}

std::optional<std::pair<IdentitySet::Kind, Identity>> IdentitySet::primary() const
{
    for (const Kind kind : s_displayOrder) {
        if (const auto &identity = get(kind))
            return std::make_pair(kind, *identity);
    }
    return std::nullopt;
}

QString IdentitySet::displayName() const
{
    for (const Kind kind : s_displayOrder) {
        if (const auto &identity = get(kind); identity && !identity->displayName.isEmpty())
            return identity->displayName;
    }
    return {};
}

QString IdentitySet::phoneNumber() const
{
    const auto &phoneIdentity = get(Kind::Phone);
    return phoneIdentity ? phoneIdentity->id : QString();
}

IdentitySet IdentitySet::user(const QString &id, const QString &displayName)
{
    return single(Kind::User, id, displayName);
}

IdentitySet IdentitySet::phone(const QString &number, const QString &displayName)
{
    return single(Kind::Phone, number, displayName);
}

IdentitySet IdentitySet::application(const QString &id, const QString &displayName)
{
    return single(Kind::Application, id, displayName);
}

IdentitySet IdentitySet::applicationInstance(const QString &id, const QString &displayName)
{
    return single(Kind::ApplicationInstance, id, displayName);
}

IdentitySet IdentitySet::guest(const QString &id, const QString &displayName)
{
    return single(Kind::Guest, id, displayName);
}

} // namespace Graph

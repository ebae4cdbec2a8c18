#include "types.h"

#include <algorithm>

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

std::optional<Identity> IdentitySet::get(Kind kind) const
{
    if (const Identity *identity = find(kind))
        return *identity;
    return std::nullopt;
}

const Identity *IdentitySet::find(Kind kind) const
{
    for (const auto &[k, identity] : m_members) {
        if (k == kind)
            return &identity;
    }
    return nullptr;
}

Identity *IdentitySet::find(Kind kind)
{
    for (auto &[k, identity] : m_members) {
        if (k == kind)
            return &identity;
    }
    return nullptr;
}

void IdentitySet::set(Kind kind, Identity identity)
{
    if (Identity *existing = find(kind)) {
        *existing = std::move(identity);
        return;
    }
    const auto pos = std::find_if(m_members.begin(), m_members.end(),
        [kind](const auto &member) { return member.first > kind; });
    m_members.insert(pos, { kind, std::move(identity) });
}

std::optional<IdentitySet::Kind> identityKind(QStringView wireName)
{
    for (int i = 0; i < IdentitySet::KindCount; ++i) {
        if (wireName == s_kindNames[i])
            return IdentitySet::Kind(i);
    }
    return std::nullopt;
}

bool IdentitySet::isEmpty() const
{
    return m_members.isEmpty();
}

void IdentitySet::dropJson()
{
    raw = {};
    for (auto &member : m_members)
        member.second.raw = {};
}

bool IdentitySet::needsCommunicationsType() const
{
    for (const auto &member : m_members) {
        if (int(member.first) >= int(Kind::ApplicationInstance))
            return true;
    }
    return false;
}

std::optional<std::pair<IdentitySet::Kind, Identity>> IdentitySet::primary() const
{
    for (const Kind kind : s_displayOrder) {
        if (const Identity *identity = find(kind))
            return std::make_pair(kind, *identity);
    }
    return std::nullopt;
}

QString IdentitySet::displayName() const
{
    for (const Kind kind : s_displayOrder) {
        if (const Identity *identity = find(kind); identity && !identity->displayName.isEmpty())
            return identity->displayName;
    }
    return {};
}

QString IdentitySet::phoneNumber() const
{
    const Identity *phoneIdentity = find(Kind::Phone);
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

#include "settings.h"

#include <QRegularExpression>
#include <QSettings>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QString RelayUrlKey = u"relay/url"_s;
const QString OrganizerKey = u"meetings/organizerId"_s;
const QString LayoutKey = u"window/layout"_s;

} // namespace

namespace App {

Settings::Settings(QSettings *settings)
    : m_settings(settings)
{ }

QUrl Settings::relayUrl() const
{
    return QUrl(m_settings->value(RelayUrlKey).toString());
}

void Settings::setRelayUrl(const QUrl &url)
{
    if (url.isEmpty())
        m_settings->remove(RelayUrlKey);
    else
        m_settings->setValue(RelayUrlKey, url.toString());
}

QString Settings::organizerId() const
{
    return m_settings->value(OrganizerKey).toString();
}

void Settings::setOrganizerId(const QString &id)
{
    if (id.isEmpty())
        m_settings->remove(OrganizerKey);
    else
        m_settings->setValue(OrganizerKey, id);
}

QByteArray Settings::windowLayout() const
{
    return m_settings->value(LayoutKey).toByteArray();
}

void Settings::setWindowLayout(const QByteArray &layout)
{
    m_settings->setValue(LayoutKey, layout);
}

bool Settings::isValidRelayUrl(const QUrl &url, QString *why)
{
    const auto fail = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (url.isEmpty())
        return fail(tr("Enter the relay's address."));
    if (!url.isValid())
        return fail(tr("This is not a valid address."));
    if (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
        return fail(tr("The address must start with https:// (or http://)."));
    if (url.host().isEmpty())
        return fail(tr("The address has no host name."));
    // A token in the URL would end up in logs and settings; it belongs in the token field.
    if (!url.userInfo().isEmpty())
        return fail(tr("Put the token in the token field, not in the address."));
    if (url.hasQuery() || url.hasFragment())
        return fail(tr("The address must not have a query or a fragment."));
    return true;
}

bool Settings::isValidOrganizerId(const QString &id, QString *why)
{
    if (id.isEmpty())
        return true;
    if (!QUuid::fromString(id).isNull())
        return true;
    static const QRegularExpression upn(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"_s);
    if (upn.match(id).hasMatch())
        return true;
    if (why) {
        *why =
            tr("The organizer is a user's object id (a GUID) or sign-in name (name@example.org).");
    }
    return false;
}

} // namespace App

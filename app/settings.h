#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QSettings;
QT_END_NAMESPACE

namespace App {

//! The console's settings that are not secret, in QSettings: the relay's URL, the organizer of
//! the meetings staff schedule, and the window's layout. The operator token is never kept here:
//! it lives in the CredentialStore (G9), and there is no setter for it on purpose.
class Settings final
{
    Q_DISABLE_COPY_MOVE(Settings)
    Q_DECLARE_TR_FUNCTIONS(App::Settings)

public:
    //! `settings` is not owned and must outlive this object (tests pass an INI file's).
    explicit Settings(QSettings *settings);

    //! Empty when no relay is configured: the console then starts in sandbox mode.
    QUrl relayUrl() const;
    void setRelayUrl(const QUrl &url);
    //! Whose calendar "New meeting" uses: an Entra object id or a UPN.
    QString organizerId() const;
    void setOrganizerId(const QString &id);
    //! What MainWindow's layout was when the console closed (its own opaque bytes).
    QByteArray windowLayout() const;
    void setWindowLayout(const QByteArray &layout);

    //! An http(s) URL with a host and without user info, query or fragment: one the console can
    //! reach a relay at. `why` (translated) says what is wrong.
    static bool isValidRelayUrl(const QUrl &url, QString *why = nullptr);
    //! Empty, an object id (GUID) or a UPN (name@domain).
    static bool isValidOrganizerId(const QString &id, QString *why = nullptr);

private:
    QSettings *m_settings;
};

} // namespace App

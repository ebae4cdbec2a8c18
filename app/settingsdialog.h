#pragma once

#include <QDialog>
#include <QString>
#include <QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
QT_END_NAMESPACE

namespace App {

class CredentialStore;
class RelayConnection;
class Settings;

//! Where the console connects: the relay's URL, the operator's token and the organizer of
//! scheduled meetings. It validates as you type; OK stores the token in the CredentialStore under
//! CredentialStore::relayAccount(url) and the rest in Settings, and closes only once the token is
//! stored (or, after the keychain has refused it, when OK is pressed again: the token is then
//! used until the console quits). "Test connection" opens the relay's event stream with the
//! token and says who the relay takes it for.
//!
//! The token field never shows a stored token: left empty, the stored one stays.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    //! `settings` and `credentials` are not owned and must outlive the dialog.
    explicit SettingsDialog(
        Settings *settings, CredentialStore *credentials, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    //! Prefills the relay URL (from --relay) instead of the saved one.
    void setRelayUrl(const QUrl &url);
    //! A line above the form, e.g. why the dialog opened ("The relay refused the token").
    void setNotice(const QString &text);

    QUrl relayUrl() const;
    //! The token to use: the one typed, else the one stored for relayUrl() (empty if none).
    QString token() const;
    QString organizerId() const;
    //! Whether OK stored the token (false: the keychain refused it, or nothing was typed).
    bool tokenStored() const { return m_tokenStored; }

public Q_SLOTS:
    void accept() override;

private:
    void readStoredToken();
    void validate();
    bool isValid(QString *why) const;
    void setBusy(bool busy);
    void save();
    void testConnection();
    void endTest(const QString &text);

    Settings *m_settings;
    CredentialStore *m_credentials;
    QLineEdit *m_relayUrl;
    QLineEdit *m_token;
    QLineEdit *m_organizer;
    QLabel *m_notice;
    QLabel *m_message;
    QPushButton *m_test;
    QDialogButtonBox *m_buttons;
    std::unique_ptr<RelayConnection> m_probe;

    QString m_storedAccount; // the account m_storedToken was read for
    QString m_storedToken;
    QString m_pendingAccount; // the account being written by accept()
    bool m_writeFailed = false;
    bool m_tokenStored = false;
};

} // namespace App

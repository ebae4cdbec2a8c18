#include "settingsdialog.h"

#include "credentialstore.h"
#include "relayconnection.h"
#include "settings.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace App {

SettingsDialog::SettingsDialog(Settings *settings, CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_credentials(credentials)
    , m_relayUrl(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_organizer(new QLineEdit(this))
    , m_notice(new QLabel(this))
    , m_message(new QLabel(this))
    , m_test(new QPushButton(tr("&Test connection"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connection settings"));
    setObjectName(u"settingsDialog"_s);

    m_relayUrl->setObjectName(u"relayUrl"_s);
    m_relayUrl->setPlaceholderText(tr("https://relay.example.org"));
    m_relayUrl->setText(m_settings->relayUrl().toString());
    m_token->setObjectName(u"operatorToken"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("The token your relay's administrator gave you"));
    m_organizer->setObjectName(u"organizerId"_s);
    m_organizer->setPlaceholderText(tr("Optional: name@example.org or an object id"));
    m_organizer->setText(m_settings->organizerId());

    m_notice->setWordWrap(true);
    m_notice->setVisible(false);
    m_message->setObjectName(u"message"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_test->setObjectName(u"testConnection"_s);
    m_buttons->addButton(m_test, QDialogButtonBox::ActionRole);

    auto *form = new QFormLayout;
    form->addRow(tr("&Relay address:"), m_relayUrl);
    form->addRow(tr("Operator &token:"), m_token);
    form->addRow(tr("Meeting &organizer:"), m_organizer);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_test, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    for (QLineEdit *edit : { m_relayUrl, m_token, m_organizer }) {
        connect(edit, &QLineEdit::textChanged, this, [this] {
            // What the last test or keychain error said was about what was typed before.
            m_writeFailed = false;
            m_message->clear();
            validate();
        });
    }
    // Not on every keystroke: each read is a keychain job, and some keychains ask the user.
    connect(m_relayUrl, &QLineEdit::editingFinished, this, &SettingsDialog::readStoredToken);

    connect(m_credentials, &CredentialStore::tokenRead, this,
        [this](const QString &account, const QString &token) {
            if (account != m_storedAccount)
                return;
            m_storedToken = token;
            validate();
        });
    connect(m_credentials, &CredentialStore::tokenWritten, this, [this](const QString &account) {
        if (account != m_pendingAccount)
            return;
        m_pendingAccount.clear();
        m_tokenStored = true;
        save();
    });
    connect(m_credentials, &CredentialStore::failed, this,
        [this](const QString &account, const QString &message) {
            if (account == m_pendingAccount) {
                m_pendingAccount.clear();
                m_writeFailed = true;
                setBusy(false);
                m_message->setText(tr("The keychain could not store the token: %1\nPress OK "
                                      "again to use it until Frontdesk quits.")
                                       .arg(message));
            } else if (account == m_storedAccount) {
                m_message->setText(tr("The keychain could not be read: %1").arg(message));
            }
        });

    readStoredToken();
    validate();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::setRelayUrl(const QUrl &url)
{
    m_relayUrl->setText(url.toString());
    readStoredToken();
}

void SettingsDialog::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QUrl SettingsDialog::relayUrl() const
{
    return QUrl(m_relayUrl->text().trimmed());
}

QString SettingsDialog::token() const
{
    const QString typed = m_token->text().trimmed();
    return typed.isEmpty() && m_storedAccount == CredentialStore::relayAccount(relayUrl())
        ? m_storedToken
        : typed;
}

QString SettingsDialog::organizerId() const
{
    return m_organizer->text().trimmed();
}

void SettingsDialog::readStoredToken()
{
    const QUrl url = relayUrl();
    if (!Settings::isValidRelayUrl(url))
        return;
    const QString account = CredentialStore::relayAccount(url);
    if (account == m_storedAccount)
        return;
    m_storedAccount = account;
    m_storedToken.clear();
    m_credentials->readToken(account);
}

bool SettingsDialog::isValid(QString *why) const
{
    if (!Settings::isValidRelayUrl(relayUrl(), why))
        return false;
    if (token().isEmpty()) {
        *why = tr("Enter your operator token.");
        return false;
    }
    return Settings::isValidOrganizerId(organizerId(), why);
}

void SettingsDialog::validate()
{
    QString why;
    const bool valid = isValid(&why);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid && m_pendingAccount.isEmpty());
    m_test->setEnabled(valid && !m_probe);
    if (!valid)
        m_message->setText(why);
    m_token->setPlaceholderText(m_storedToken.isEmpty()
            ? tr("The token your relay's administrator gave you")
            : tr("Stored in the keychain; leave empty to keep it"));
}

void SettingsDialog::setBusy(bool busy)
{
    for (QLineEdit *edit : { m_relayUrl, m_token, m_organizer })
        edit->setEnabled(!busy);
    if (busy)
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    else
        validate();
}

void SettingsDialog::accept()
{
    QString why;
    if (!isValid(&why)) {
        m_message->setText(why);
        return;
    }
    const QString typed = m_token->text().trimmed();
    if (typed.isEmpty() || m_writeFailed) {
        // Nothing new to store, or the keychain refused it and OK was pressed again.
        save();
        return;
    }
    m_pendingAccount = CredentialStore::relayAccount(relayUrl());
    setBusy(true);
    m_message->setText(tr("Storing the token in the keychain…"));
    m_credentials->writeToken(m_pendingAccount, typed);
}

void SettingsDialog::save()
{
    m_settings->setRelayUrl(relayUrl());
    m_settings->setOrganizerId(organizerId());
    setBusy(false);
    QDialog::accept();
}

void SettingsDialog::testConnection()
{
    if (m_probe)
        return;
    RelayConnection::Timing timing;
    timing.silenceTimeout = 10s;
    m_probe = std::make_unique<RelayConnection>(relayUrl(), nullptr, timing);
    RelayConnection *probe = m_probe.get();
    connect(probe, &RelayConnection::helloReceived, this,
        [this](const Graph::RelayProtocol::Hello &hello) {
            endTest(tr("Connected: the relay knows this token as %1 (%2).")
                        .arg(hello.op.name, hello.op.role));
        });
    connect(probe, &RelayConnection::authenticationFailed, this,
        [this] { endTest(tr("The relay refused this token.")); });
    connect(probe, &RelayConnection::protocolError, this, [this](const QString &message) {
        endTest(tr("The relay answered, but not as a Frontdesk relay does: %1").arg(message));
    });
    connect(probe, &RelayConnection::retryIn, this,
        [this] { endTest(tr("The relay could not be reached at this address.")); });
    m_message->setText(tr("Connecting…"));
    m_test->setEnabled(false);
    probe->setToken(token());
    probe->open();
}

void SettingsDialog::endTest(const QString &text)
{
    // The probe is inside one of its own signals: it goes once that has returned.
    if (m_probe) {
        m_probe->close();
        disconnect(m_probe.get(), nullptr, this, nullptr);
        m_probe.release()->deleteLater();
    }
    m_message->setText(text);
    validate();
}

} // namespace App

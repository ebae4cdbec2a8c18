#pragma once

#include "credentialstore.h"

namespace App {

//! The operator's token in the OS keychain through QtKeychain (Secret Service or KWallet on
//! Linux, Keychain on macOS, Credential Manager on Windows). There is no insecure fallback: with
//! no keychain, jobs fail and the operator signs in each time.
//!
//! An entry that is not there reads as an empty token; every other keychain error reaches
//! failed() with QtKeychain's message.
class KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainCredentialStore)

public:
    //! `service` names the console's entries in the keychain; tests pass their own.
    explicit KeychainCredentialStore(
        const QString &service = defaultService(), QObject *parent = nullptr);

    QString service() const { return m_service; }
    //! "org.frontdesk.console"
    static QString defaultService();

protected:
    void startJob(const Job &job) override;

private:
    QString m_service;
};

} // namespace App

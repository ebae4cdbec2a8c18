#include "keychaincredentialstore.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace App {

namespace {

QString describe(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return QString();
    case QKeychain::EntryNotFound:
        return u"No token is stored."_s;
    case QKeychain::CouldNotDeleteEntry:
        return u"The keychain could not delete the token."_s;
    case QKeychain::AccessDeniedByUser:
        return u"Access to the keychain was denied."_s;
    case QKeychain::AccessDenied:
        return u"The keychain refused access."_s;
    case QKeychain::NoBackendAvailable:
        return u"No keychain is available."_s;
    case QKeychain::NotImplemented:
        return u"The keychain does not support this."_s;
    case QKeychain::OtherError:
        break;
    }
    return u"The keychain failed."_s;
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &service, QObject *parent)
    : CredentialStore(parent)
    , m_service(service)
{ }

QString KeychainCredentialStore::defaultService()
{
    return u"org.frontdesk.console"_s;
}

void KeychainCredentialStore::startJob(const Job &job)
{
    QKeychain::Job *keychainJob = nullptr;
    switch (job.kind) {
    case Job::Kind::Read:
        keychainJob = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Job::Kind::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(job.token);
        keychainJob = write;
        break;
    }
    case Job::Kind::Delete:
        keychainJob = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // No parent: a backend may still call back into a job after its owner is gone, so the job
    // lives until it finishes and deletes itself (autoDelete). The connection's context object
    // keeps a finished job from reaching a store that no longer exists.
    keychainJob->setAutoDelete(true);
    keychainJob->setKey(job.account);
    // Never plain text in QSettings: without a keychain, the operator signs in each time.
    keychainJob->setInsecureFallback(false);
    const Job::Kind kind = job.kind;
    connect(keychainJob, &QKeychain::Job::finished, this, [this, kind](QKeychain::Job *finished) {
        const QKeychain::Error error = finished->error();
        if (error == QKeychain::NoError) {
            if (kind == Job::Kind::Read)
                finishJob(static_cast<QKeychain::ReadPasswordJob *>(finished)->textData());
            else
                finishJob();
        } else if (error == QKeychain::EntryNotFound && kind != Job::Kind::Write) {
            // Not stored: a read finds no token (not logged in); a delete has nothing to do.
            finishJob();
        } else {
            const QString message = finished->errorString();
            failJob(message.isEmpty() ? describe(error) : message);
        }
    });
    keychainJob->start();
}

} // namespace App

#include "credentialstore.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcCredentials, "frontdesk.console.credentials")

} // namespace

namespace App {

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{ }

CredentialStore::~CredentialStore() = default;

void CredentialStore::readToken(const QString &account)
{
    enqueue(Job { Job::Kind::Read, account, QString() });
}

void CredentialStore::writeToken(const QString &account, const QString &token)
{
    enqueue(Job { Job::Kind::Write, account, token });
}

void CredentialStore::deleteToken(const QString &account)
{
    enqueue(Job { Job::Kind::Delete, account, QString() });
}

QString CredentialStore::relayAccount(const QUrl &relayUrl)
{
    return u"operator@"_s + relayUrl.host();
}

void CredentialStore::enqueue(Job job)
{
    m_queue.enqueue(std::move(job));
    scheduleNext();
}

void CredentialStore::scheduleNext()
{
    if (m_current || m_queue.isEmpty() || m_startScheduled)
        return;
    m_startScheduled = true;
    // Always from a later turn of the event loop: the caller returns before anything happens,
    // and a job never starts inside the previous one's signal handlers (Nheko started the next
    // keychain job from the finished handler and re-entered the keychain).
    QMetaObject::invokeMethod(this, &CredentialStore::startNext, Qt::QueuedConnection);
}

void CredentialStore::startNext()
{
    m_startScheduled = false;
    if (m_current || m_queue.isEmpty())
        return;
    m_current = m_queue.dequeue();
    startJob(*m_current);
}

void CredentialStore::finishJob(const QString &token)
{
    if (!m_current) {
        qCWarning(lcCredentials) << "a credential job finished twice";
        return;
    }
    // Taken out first, so that a slot that queues another job finds the store idle.
    const Job job = std::move(*m_current);
    m_current.reset();
    switch (job.kind) {
    case Job::Kind::Read:
        qCDebug(lcCredentials) << "read" << job.account << (token.isEmpty() ? "(none)" : "(found)");
        Q_EMIT tokenRead(job.account, token);
        break;
    case Job::Kind::Write:
        qCDebug(lcCredentials) << "wrote" << job.account;
        Q_EMIT tokenWritten(job.account);
        break;
    case Job::Kind::Delete:
        qCDebug(lcCredentials) << "deleted" << job.account;
        Q_EMIT tokenDeleted(job.account);
        break;
    }
    scheduleNext();
}

void CredentialStore::failJob(const QString &message)
{
    if (!m_current) {
        qCWarning(lcCredentials) << "a credential job finished twice";
        return;
    }
    const Job job = std::move(*m_current);
    m_current.reset();
    qCWarning(lcCredentials).noquote()
        << "credential job for" << job.account << "failed:" << message;
    Q_EMIT failed(job.account, message);
    scheduleNext();
}

MemoryCredentialStore::MemoryCredentialStore(QObject *parent)
    : CredentialStore(parent)
{ }

void MemoryCredentialStore::startJob(const Job &job)
{
    // Completed from a later turn, as a keychain would, so that tests see the same ordering.
    QTimer::singleShot(0, this, [this, job] {
        if (!m_failure.isEmpty()) {
            failJob(m_failure);
            return;
        }
        switch (job.kind) {
        case Job::Kind::Read:
            finishJob(m_tokens.value(job.account));
            return;
        case Job::Kind::Write:
            m_tokens.insert(job.account, job.token);
            finishJob();
            return;
        case Job::Kind::Delete:
            m_tokens.remove(job.account);
            finishJob();
            return;
        }
    });
}

} // namespace App

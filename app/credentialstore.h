#pragma once

#include <QHash>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QUrl>

#include <optional>

namespace App {

//! Where the console keeps the operator's relay token (G9). Implementations: the OS keychain
//! (KeychainCredentialStore) and memory (MemoryCredentialStore, for tests).
//!
//! Every call queues one job. Jobs run one at a time, in call order, and each ends with exactly
//! one signal: tokenRead, tokenWritten or tokenDeleted on success, failed otherwise. No signal
//! is emitted before the call that queued the job returns. Tokens are never logged.
class CredentialStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    ~CredentialStore() override;

    void readToken(const QString &account);
    void writeToken(const QString &account, const QString &token);
    //! Deleting a token that is not stored succeeds (tokenDeleted).
    void deleteToken(const QString &account);

    //! Jobs queued or running.
    int pendingJobs() const { return int(m_queue.size()) + (m_current ? 1 : 0); }

    //! The account under which a relay's token is kept: "operator@<relay host>".
    static QString relayAccount(const QUrl &relayUrl);

Q_SIGNALS:
    //! `token` is empty when none is stored for `account` (the operator is not logged in).
    void tokenRead(const QString &account, const QString &token);
    void tokenWritten(const QString &account);
    void tokenDeleted(const QString &account);
    //! The store could not do the job; `message` is for the operator (it never holds a token).
    void failed(const QString &account, const QString &message);

protected:
    explicit CredentialStore(QObject *parent = nullptr);

    struct Job
    {
        enum class Kind { Read, Write, Delete };
        Kind kind = Kind::Read;
        QString account;
        QString token; //!< Kind::Write only
    };

    //! Runs `job`, which stays current until the implementation ends it with finishJob() or
    //! failJob(), exactly once (it may do so from startJob() itself).
    virtual void startJob(const Job &job) = 0;
    //! Ends the current job successfully; `token` is what a read found (empty: none stored).
    void finishJob(const QString &token = QString());
    //! Ends the current job with `message`.
    void failJob(const QString &message);

private:
    void enqueue(Job job);
    void scheduleNext();
    void startNext();

    QQueue<Job> m_queue;
    std::optional<Job> m_current;
    bool m_startScheduled = false;
};

//! Tokens in memory, for tests and for the embedded sandbox mode. It completes every job from a
//! later turn of the event loop, as a keychain does.
class MemoryCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryCredentialStore)

public:
    explicit MemoryCredentialStore(QObject *parent = nullptr);

    //! While `message` is not empty, every job that starts fails with it.
    void setFailure(const QString &message) { m_failure = message; }
    //! What is stored, bypassing the queue (for test assertions).
    bool contains(const QString &account) const { return m_tokens.contains(account); }
    QString storedToken(const QString &account) const { return m_tokens.value(account); }

protected:
    void startJob(const Job &job) override;

private:
    QHash<QString, QString> m_tokens;
    QString m_failure;
};

} // namespace App

#include "app/credentialstore.h"
#include "app/keychaincredentialstore.h"

#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;
using App::CredentialStore;
using App::KeychainCredentialStore;
using App::MemoryCredentialStore;

namespace {

//! Set FRONTDESK_TEST_REAL_KEYCHAIN=1 to run the round trip against the session's keychain
//! (it may ask to unlock it). Otherwise the tests keep away from any real keychain.
bool realKeychainWanted()
{
    return qEnvironmentVariableIntValue("FRONTDESK_TEST_REAL_KEYCHAIN") == 1;
}

//! Every signal of a store as one line each, in emission order.
struct SignalLog
{
    explicit SignalLog(CredentialStore &store)
    {
        QObject::connect(&store, &CredentialStore::tokenRead, &context,
            [this](const QString &account, const QString &token) {
                lines.append(u"read %1 '%2'"_s.arg(account, token));
            });
        QObject::connect(&store, &CredentialStore::tokenWritten, &context,
            [this](const QString &account) { lines.append(u"written %1"_s.arg(account)); });
        QObject::connect(&store, &CredentialStore::tokenDeleted, &context,
            [this](const QString &account) { lines.append(u"deleted %1"_s.arg(account)); });
        QObject::connect(&store, &CredentialStore::failed, &context,
            [this](const QString &account, const QString &message) {
                lines.append(u"failed %1: %2"_s.arg(account, message));
            });
    }

    QStringList lines;
    QObject context; // last, so it disconnects before `lines` goes
};

//! A store whose jobs finish only when the test says so, and which records when each starts:
//! it shows that jobs never overlap and never start inside a signal handler.
class ManualStore final : public CredentialStore
{
    Q_OBJECT

public:
    explicit ManualStore(QObject *parent = nullptr)
        : CredentialStore(parent)
    { }

    void finishCurrent(const QString &token = QString()) { finishJob(token); }
    void failCurrent(const QString &message) { failJob(message); }

    QStringList started;
    bool running = false;
    bool overlapped = false;
    bool startedInsideHandler = false;
    bool insideHandler = false;

protected:
    void startJob(const Job &job) override
    {
        overlapped = overlapped || running;
        startedInsideHandler = startedInsideHandler || insideHandler;
        running = true;
        started.append(job.account);
    }
};

} // namespace

class TstCredentialStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void relayAccountIsOperatorAtRelayHost();
    void memoryWriteThenReadReturnsToken();
    void memoryReadOfMissingAccountGivesEmptyToken();
    void memoryDeleteRemovesTokenAndMissingDeleteSucceeds();
    void memoryFailureReachesFailedSignal();
    void nothingIsEmittedBeforeTheCallReturns();
    void queuedJobsFinishInCallOrder();
    void jobsRunOneAtATimeAndNeverStartInsideAHandler();

    void keychainUsesFrontdeskService();
    void keychainRoundTrip();
    void keychainWithoutBackendAnswersInBoundedTime();
    void keychainWithoutBackendNeverFallsBackToPlainText();
};

void TstCredentialStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!realKeychainWanted()) {
        // No keychain backend, reliably: a session bus that does not exist. On CI there is no
        // session bus anyway; on a desktop this keeps the tests out of the real keyring.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/frontdesk-test-bus");
        qunsetenv("DISPLAY"); // no D-Bus autolaunch through X11 either
    }
}

void TstCredentialStore::relayAccountIsOperatorAtRelayHost()
{
    QCOMPARE(CredentialStore::relayAccount(QUrl(u"https://relay.example.org:8443/base"_s)),
        u"operator@relay.example.org"_s);
    QCOMPARE(
        CredentialStore::relayAccount(QUrl(u"http://127.0.0.1:8080"_s)), u"operator@127.0.0.1"_s);
}

void TstCredentialStore::memoryWriteThenReadReturnsToken()
{
    MemoryCredentialStore store;
    SignalLog log(store);

    store.writeToken(u"operator@relay"_s, u"tok-1"_s);
    store.readToken(u"operator@relay"_s);
    QTRY_COMPARE(log.lines.size(), 2);
    QCOMPARE(
        log.lines, (QStringList { u"written operator@relay"_s, u"read operator@relay 'tok-1'"_s }));
    QCOMPARE(store.storedToken(u"operator@relay"_s), u"tok-1"_s);
}

void TstCredentialStore::memoryReadOfMissingAccountGivesEmptyToken()
{
    MemoryCredentialStore store;
    SignalLog log(store);

    store.readToken(u"operator@nowhere"_s);
    QTRY_COMPARE(log.lines, QStringList { u"read operator@nowhere ''"_s });
}

void TstCredentialStore::memoryDeleteRemovesTokenAndMissingDeleteSucceeds()
{
    MemoryCredentialStore store;
    SignalLog log(store);

    store.writeToken(u"a"_s, u"tok"_s);
    store.deleteToken(u"a"_s);
    store.readToken(u"a"_s);
    store.deleteToken(u"a"_s);
    QTRY_COMPARE(log.lines.size(), 4);
    QCOMPARE(log.lines,
        (QStringList { u"written a"_s, u"deleted a"_s, u"read a ''"_s, u"deleted a"_s }));
    QVERIFY(!store.contains(u"a"_s));
}

void TstCredentialStore::memoryFailureReachesFailedSignal()
{
    MemoryCredentialStore store;
    SignalLog log(store);
    store.setFailure(u"locked"_s);

    store.writeToken(u"a"_s, u"tok"_s);
    store.readToken(u"a"_s);
    store.deleteToken(u"a"_s);
    QTRY_COMPARE(log.lines.size(), 3);
    QCOMPARE(log.lines,
        (QStringList { u"failed a: locked"_s, u"failed a: locked"_s, u"failed a: locked"_s }));
    QVERIFY(!store.contains(u"a"_s));

    store.setFailure(QString());
    store.readToken(u"a"_s);
    QTRY_COMPARE(log.lines.size(), 4);
    QCOMPARE(log.lines.last(), u"read a ''"_s);
}

void TstCredentialStore::nothingIsEmittedBeforeTheCallReturns()
{
    MemoryCredentialStore store;
    SignalLog log(store);

    store.readToken(u"a"_s);
    QVERIFY(log.lines.isEmpty());
    QCOMPARE(store.pendingJobs(), 1);
    QTRY_COMPARE(log.lines.size(), 1);
    QCOMPARE(store.pendingJobs(), 0);
}

void TstCredentialStore::queuedJobsFinishInCallOrder()
{
    MemoryCredentialStore store;
    SignalLog log(store);

    store.writeToken(u"a"_s, u"first"_s);
    store.readToken(u"a"_s);
    store.writeToken(u"a"_s, u"second"_s);
    store.readToken(u"a"_s);
    store.deleteToken(u"a"_s);
    store.readToken(u"a"_s);
    QCOMPARE(store.pendingJobs(), 6);
    QTRY_COMPARE(log.lines.size(), 6);
    QCOMPARE(log.lines,
        (QStringList { u"written a"_s, u"read a 'first'"_s, u"written a"_s, u"read a 'second'"_s,
            u"deleted a"_s, u"read a ''"_s }));
}

void TstCredentialStore::jobsRunOneAtATimeAndNeverStartInsideAHandler()
{
    ManualStore store;
    SignalLog log(store);
    // A handler that queues more work, as a session does when a read finds no token.
    connect(&store, &CredentialStore::tokenRead, &store, [&store](const QString &account) {
        store.insideHandler = true;
        if (account == u"b"_s)
            store.writeToken(u"d"_s, u"from-handler"_s);
        store.insideHandler = false;
    });

    store.writeToken(u"a"_s, u"x"_s);
    store.readToken(u"b"_s);
    store.deleteToken(u"c"_s);
    QVERIFY(store.started.isEmpty()); // queued, not started from inside the call

    QTRY_COMPARE(store.started, QStringList { u"a"_s });
    store.running = false;
    store.finishCurrent();
    QCOMPARE(store.started, QStringList { u"a"_s });
    QTRY_COMPARE(store.started, (QStringList { u"a"_s, u"b"_s }));
    store.running = false;
    store.finishCurrent(u"tok-b"_s);
    QTRY_COMPARE(store.started, (QStringList { u"a"_s, u"b"_s, u"c"_s }));
    store.running = false;
    store.failCurrent(u"denied"_s);
    QTRY_COMPARE(store.started, (QStringList { u"a"_s, u"b"_s, u"c"_s, u"d"_s }));
    store.running = false;
    store.finishCurrent();

    QCOMPARE(log.lines,
        (QStringList {
            u"written a"_s, u"read b 'tok-b'"_s, u"failed c: denied"_s, u"written d"_s }));
    QVERIFY(!store.overlapped);
    QVERIFY(!store.startedInsideHandler);
}

void TstCredentialStore::keychainUsesFrontdeskService()
{
    QCOMPARE(KeychainCredentialStore::defaultService(), u"org.frontdesk.console"_s);
    KeychainCredentialStore store;
    QCOMPARE(store.service(), u"org.frontdesk.console"_s);
}

void TstCredentialStore::keychainRoundTrip()
{
    if (!realKeychainWanted())
        QSKIP("Needs a real keychain backend: set FRONTDESK_TEST_REAL_KEYCHAIN=1 in a desktop "
              "session (CI has no D-Bus session and no keyring).");

    KeychainCredentialStore store(u"org.frontdesk.console.test"_s);
    SignalLog log(store);
    const QString account = u"operator@test-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128));

    store.writeToken(account, u"round-trip-token"_s);
    store.readToken(account);
    store.deleteToken(account);
    store.readToken(account);
    QTRY_COMPARE_WITH_TIMEOUT(log.lines.size(), 4, 60000);
    if (log.lines.first().startsWith(u"failed"_s))
        QSKIP(qPrintable(u"No usable keychain backend: "_s + log.lines.first()));
    QCOMPARE(log.lines,
        (QStringList { u"written %1"_s.arg(account), u"read %1 'round-trip-token'"_s.arg(account),
            u"deleted %1"_s.arg(account), u"read %1 ''"_s.arg(account) }));
}

void TstCredentialStore::keychainWithoutBackendAnswersInBoundedTime()
{
    if (realKeychainWanted())
        QSKIP("A real keychain was asked for; this test needs none.");

    KeychainCredentialStore store(u"org.frontdesk.console.test"_s);
    SignalLog log(store);
    const QString account = u"operator@nowhere.invalid"_s;

    QElapsedTimer elapsed;
    elapsed.start();
    store.readToken(account);
    store.writeToken(account, u"never-stored"_s);
    // Without a backend the read may fail or find nothing, but it must answer, and the queue
    // must move on to the write, which cannot succeed.
    QTRY_COMPARE_WITH_TIMEOUT(log.lines.size(), 2, 20000);
    qInfo() << "keychain without a backend answered in" << elapsed.elapsed() << "ms:" << log.lines;
    QVERIFY2(log.lines.at(0) == u"read %1 ''"_s.arg(account)
            || log.lines.at(0).startsWith(u"failed %1: "_s.arg(account)),
        qPrintable(log.lines.at(0)));
    QVERIFY2(
        log.lines.at(1).startsWith(u"failed %1: "_s.arg(account)), qPrintable(log.lines.at(1)));
    QVERIFY(log.lines.at(1).size() > u"failed %1: "_s.arg(account).size()); // a message
    QVERIFY(!log.lines.join(u'\n').contains(u"never-stored"_s));
}

void TstCredentialStore::keychainWithoutBackendNeverFallsBackToPlainText()
{
    if (realKeychainWanted())
        QSKIP("A real keychain was asked for; this test needs none.");

    const QString service = u"org.frontdesk.console.test-plaintext"_s;
    KeychainCredentialStore store(service);
    QSignalSpy failed(&store, &CredentialStore::failed);
    store.writeToken(u"operator@relay"_s, u"must-not-be-on-disk"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);

    // QtKeychain's insecure fallback would have written QSettings(service).
    QSettings settings(service);
    QVERIFY2(settings.allKeys().isEmpty(), qPrintable(settings.allKeys().join(u", "_s)));
}

QTEST_GUILESS_MAIN(TstCredentialStore)
#include "tst_credentialstore.moc"

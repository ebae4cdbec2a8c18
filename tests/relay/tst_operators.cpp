#include "relay/operators.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Relay::OperatorDirectory;
using Relay::OperatorEntry;
using Relay::OperatorIdentity;
using Relay::Role;

namespace {

OperatorEntry entry(const QString &name, Role role, QByteArrayView token)
{
    return OperatorEntry { name, role, OperatorDirectory::hashToken(token) };
}

OperatorDirectory aliceAndBob()
{
    return OperatorDirectory({ entry(u"alice"_s, Role::Operator, "alice-token"),
        entry(u"bob"_s, Role::Supervisor, "bob-token") });
}

// A directory of `count` operators, op0 .. op<count-1>, whose tokens are "token-<i>".
OperatorDirectory manyOperators(int count)
{
    QList<OperatorEntry> entries;
    for (int i = 0; i < count; ++i) {
        entries.append(entry(u"op%1"_s.arg(i), i % 2 ? Role::Supervisor : Role::Operator,
            QByteArray("token-" + QByteArray::number(i))));
    }
    return OperatorDirectory(entries);
}

} // namespace

class TstOperators final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashTokenIsRawSha256();
    void authenticateKnownTokenGivesItsOperator();
    void authenticateUnknownTokenFails();
    void authenticateEmptyTokenFails();
    void emptyDirectoryAuthenticatesNobody();
    void entryWithMalformedHashNeverMatches();
    void authenticateHeader_data();
    void authenticateHeader();
    void rolesAreReported();
    void roleNamesRoundTrip();
    void everyPositionMatchesAmongManyEntries_data();
    void everyPositionMatchesAmongManyEntries();
    void nearMissesAmongManyEntriesFail();
};

void TstOperators::hashTokenIsRawSha256()
{
    const QByteArray hash = OperatorDirectory::hashToken("password");
    QCOMPARE(hash.size(), 32);
    QCOMPARE(hash.toHex(), "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"_ba);
    QCOMPARE(OperatorDirectory::hashToken("").toHex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba);
}

void TstOperators::authenticateKnownTokenGivesItsOperator()
{
    const OperatorDirectory directory = aliceAndBob();
    const std::optional<OperatorIdentity> alice = directory.authenticate("alice-token");
    QVERIFY(alice);
    QCOMPARE(alice->name, u"alice"_s);
    QCOMPARE(alice->role, Role::Operator);
    const std::optional<OperatorIdentity> bob = directory.authenticate("bob-token");
    QVERIFY(bob);
    QCOMPARE(bob->name, u"bob"_s);
}

void TstOperators::authenticateUnknownTokenFails()
{
    const OperatorDirectory directory = aliceAndBob();
    QVERIFY(!directory.authenticate("carol-token"));
    QVERIFY(!directory.authenticate("alice-token "));
    QVERIFY(!directory.authenticate("ALICE-TOKEN"));
    // The hash itself is not a token.
    QVERIFY(!directory.authenticate(OperatorDirectory::hashToken("alice-token")));
    QVERIFY(!directory.authenticate(OperatorDirectory::hashToken("alice-token").toHex()));
}

void TstOperators::authenticateEmptyTokenFails()
{
    // Even an entry made from the empty token never lets an empty token in.
    const OperatorDirectory directory({ entry(u"nobody"_s, Role::Supervisor, "") });
    QVERIFY(!directory.authenticate(""));
    QVERIFY(!directory.authenticate(QByteArrayView()));
    QVERIFY(!directory.authenticateHeader("Bearer "));
}

void TstOperators::emptyDirectoryAuthenticatesNobody()
{
    const OperatorDirectory directory;
    QVERIFY(!directory.authenticate("alice-token"));
    QVERIFY(!directory.authenticateHeader("Bearer alice-token"));
}

void TstOperators::entryWithMalformedHashNeverMatches()
{
    OperatorEntry broken { u"broken"_s, Role::Supervisor, QByteArray(16, '\0') };
    const OperatorDirectory directory({ broken, entry(u"alice"_s, Role::Operator, "alice-token") });
    QVERIFY(!directory.authenticate(QByteArray(16, '\0')));
    QCOMPARE(directory.authenticate("alice-token")->name, u"alice"_s);
}

void TstOperators::authenticateHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected"); // operator name, empty when refused

    QTest::newRow("Bearer") << "Bearer alice-token"_ba << u"alice"_s;
    QTest::newRow("lower-case scheme") << "bearer alice-token"_ba << u"alice"_s;
    QTest::newRow("upper-case scheme") << "BEARER bob-token"_ba << u"bob"_s;
    QTest::newRow("mixed-case scheme") << "bEaReR bob-token"_ba << u"bob"_s;
    QTest::newRow("several spaces") << "Bearer    alice-token"_ba << u"alice"_s;
    QTest::newRow("tab") << "Bearer\talice-token"_ba << u"alice"_s;
    QTest::newRow("surrounding whitespace") << "  Bearer alice-token \t"_ba << u"alice"_s;
    QTest::newRow("no scheme") << "alice-token"_ba << QString();
    QTest::newRow("Basic scheme") << "Basic alice-token"_ba << QString();
    QTest::newRow("scheme glued to token") << "Beareralice-token"_ba << QString();
    QTest::newRow("scheme only") << "Bearer"_ba << QString();
    QTest::newRow("scheme and spaces") << "Bearer   "_ba << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("two tokens") << "Bearer alice-token bob-token"_ba << QString();
    QTest::newRow("unknown token") << "Bearer carol-token"_ba << QString();
    QTest::newRow("token case matters") << "Bearer ALICE-TOKEN"_ba << QString();
}

void TstOperators::authenticateHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);

    const std::optional<OperatorIdentity> identity = aliceAndBob().authenticateHeader(header);
    QCOMPARE(identity.has_value(), !expected.isEmpty());
    if (identity)
        QCOMPARE(identity->name, expected);
}

void TstOperators::rolesAreReported()
{
    const OperatorDirectory directory = aliceAndBob();
    const OperatorIdentity alice = *directory.authenticate("alice-token");
    const OperatorIdentity bob = *directory.authenticate("bob-token");
    QCOMPARE(alice.role, Role::Operator);
    QVERIFY(!alice.isSupervisor());
    QCOMPARE(bob.role, Role::Supervisor);
    QVERIFY(bob.isSupervisor());
}

void TstOperators::roleNamesRoundTrip()
{
    QCOMPARE(Relay::roleName(Role::Operator), u"operator"_s);
    QCOMPARE(Relay::roleName(Role::Supervisor), u"supervisor"_s);
    QVERIFY(Relay::parseRole(u"operator") == Role::Operator);
    QVERIFY(Relay::parseRole(u"Supervisor") == Role::Supervisor);
    QVERIFY(!Relay::parseRole(u"admin"));
    QVERIFY(!Relay::parseRole(u""));
}

void TstOperators::everyPositionMatchesAmongManyEntries_data()
{
    QTest::addColumn<int>("index");
    QTest::newRow("first") << 0;
    QTest::newRow("second") << 1;
    QTest::newRow("middle") << 500;
    QTest::newRow("last but one") << 998;
    QTest::newRow("last") << 999;
}

void TstOperators::everyPositionMatchesAmongManyEntries()
{
    // The comparison runs over every entry without stopping at a match; whatever its position,
    // the match found is that entry and no other.
    QFETCH(int, index);
    const OperatorDirectory directory = manyOperators(1000);
    const std::optional<OperatorIdentity> identity =
        directory.authenticate(QByteArray("token-" + QByteArray::number(index)));
    QVERIFY(identity);
    QCOMPARE(identity->name, u"op%1"_s.arg(index));
    QCOMPARE(identity->role, index % 2 ? Role::Supervisor : Role::Operator);
    QCOMPARE(
        directory.authenticateHeader(QByteArray("Bearer token-" + QByteArray::number(index)))->name,
        u"op%1"_s.arg(index));
}

void TstOperators::nearMissesAmongManyEntriesFail()
{
    const OperatorDirectory directory = manyOperators(1000);
    QVERIFY(!directory.authenticate("token-1000"));
    QVERIFY(!directory.authenticate("token-"));
    QVERIFY(!directory.authenticate("token-0 "));
    QVERIFY(!directory.authenticate("oken-999"));
}

QTEST_GUILESS_MAIN(TstOperators)
#include "tst_operators.moc"

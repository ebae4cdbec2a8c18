// Tests of Graph::JwtVerifier: a token that passed is not verified again, but its times are
// checked each time; a new key set, other trust options or a failed token get the full check.

#include "graph/jwt.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Graph;

namespace {

constexpr qint64 NowSecs = 1714564800; // 2024-05-01T12:00:00Z
const QDateTime Now = QDateTime::fromSecsSinceEpoch(NowSecs, QTimeZone::utc());
const QString Kid = u"graph-key-1"_s;
const QString Audience = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;
const QString Issuer = u"https://graph.microsoft.com"_s;

//! A token Graph would send: valid from five minutes before Now for an hour; `n` makes it unique.
QJsonObject claims(int n = 0)
{
    return { { "iss"_L1, Issuer }, { "aud"_L1, Audience },
        { "tid"_L1, u"72f988bf-86f1-41af-91ab-2d7cd011db47"_s }, { "jti"_L1, n },
        { "nbf"_L1, NowSecs - 300 }, { "exp"_L1, NowSecs + 3600 } };
}

JwtVerifyOptions at(const QDateTime &now)
{
    JwtVerifyOptions options;
    options.issuers = { Issuer };
    options.audience = Audience;
    options.now = now;
    return options;
}

} // namespace

class TstJwtVerifier final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void tokenThatPassedIsKnown();
    void expiryIsCheckedEachTime();
    void notBeforeIsCheckedEachTime();
    void newKeySetVerifiesAgain();
    void otherTrustOptionsVerifyAgain();
    void refusedTokensAreNotRemembered();
    void memoryStartsOverPastItsCapacity();

private:
    JwtSigner m_signer;
    JwtSigner m_forger; // same kid, another key
    Jwks m_keys;
};

void TstJwtVerifier::initTestCase()
{
    m_signer = JwtSigner::generate(Kid);
    m_forger = JwtSigner::generate(Kid);
    QVERIFY(m_signer.isValid() && m_forger.isValid());
    m_keys = m_signer.jwks();
}

void TstJwtVerifier::tokenThatPassedIsKnown()
{
    JwtVerifier verifier;
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(!verifier.knows(token, m_keys));
    const JwtResult first = verifier.verify(token, m_keys, at(Now));
    QVERIFY2(first.ok(), qPrintable(first.message));
    QVERIFY(verifier.knows(token, m_keys));
    QCOMPARE(verifier.size(), 1);

    // From memory: the same claims as the full check gave.
    const JwtResult again = verifier.verify(token, m_keys, at(Now.addSecs(60)));
    QVERIFY(again.ok());
    QCOMPARE(again.claims.kid, Kid);
    QCOMPARE(again.claims.issuer, Issuer);
    QCOMPARE(again.claims.expiresAt, first.claims.expiresAt);
    QCOMPARE(verifier.size(), 1);
}

void TstJwtVerifier::expiryIsCheckedEachTime()
{
    JwtVerifier verifier;
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(verifier.verify(token, m_keys, at(Now)).ok());

    // An hour and the 60 s skew later, the remembered token has expired, as verifyJwt says.
    const QDateTime later = Now.addSecs(3600 + 60);
    const JwtResult expired = verifier.verify(token, m_keys, at(later));
    const JwtResult full = verifyJwt(token, m_keys, at(later));
    QCOMPARE(toString(expired.error), toString(JwtError::Expired));
    QCOMPARE(expired.message, full.message);
    QVERIFY(!verifier.knows(token, m_keys));
    QCOMPARE(verifier.size(), 0);
}

void TstJwtVerifier::notBeforeIsCheckedEachTime()
{
    JwtVerifier verifier;
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(verifier.verify(token, m_keys, at(Now)).ok());
    // A clock set back before nbf (less the skew).
    const JwtResult early = verifier.verify(token, m_keys, at(Now.addSecs(-300 - 61)));
    QCOMPARE(toString(early.error), toString(JwtError::NotYetValid));
}

void TstJwtVerifier::newKeySetVerifiesAgain()
{
    JwtVerifier verifier;
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(verifier.verify(token, m_keys, at(Now)).ok());

    // The key set was fetched anew, and its key under that kid is another one: the token it
    // never signed is refused, not served from memory.
    const Jwks rotated = m_forger.jwks();
    QVERIFY(!verifier.knows(token, rotated));
    QCOMPARE(
        toString(verifier.verify(token, rotated, at(Now)).error), toString(JwtError::BadSignature));

    // The same key material fetched again is a new set too: it verifies in full, and passes.
    const std::optional<Jwks> refetched = Jwks::fromJson(m_signer.jwksJson());
    QVERIFY(refetched);
    QVERIFY(!verifier.knows(token, *refetched));
    QVERIFY(verifier.verify(token, *refetched, at(Now)).ok());
    QVERIFY(verifier.knows(token, *refetched));
}

void TstJwtVerifier::otherTrustOptionsVerifyAgain()
{
    JwtVerifier verifier;
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(verifier.verify(token, m_keys, at(Now)).ok());

    JwtVerifyOptions otherAudience = at(Now);
    otherAudience.audience = u"another-app"_s;
    QCOMPARE(toString(verifier.verify(token, m_keys, otherAudience).error),
        toString(JwtError::WrongAudience));
    JwtVerifyOptions otherIssuers = at(Now);
    otherIssuers.issuers = { u"https://api.botframework.com"_s };
    QCOMPARE(toString(verifier.verify(token, m_keys, otherIssuers).error),
        toString(JwtError::WrongIssuer));
}

void TstJwtVerifier::refusedTokensAreNotRemembered()
{
    JwtVerifier verifier;
    const QByteArray forged = m_forger.sign(claims());
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(toString(verifier.verify(forged, m_keys, at(Now)).error),
            toString(JwtError::BadSignature));
        QCOMPARE(verifier.size(), 0);
    }
    // A token that differs from a remembered one in its signature alone is checked in full.
    const QByteArray token = m_signer.sign(claims());
    QVERIFY(verifier.verify(token, m_keys, at(Now)).ok());
    QByteArray tampered = token;
    tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == 'A' ? 'B' : 'A';
    QVERIFY(!verifier.verify(tampered, m_keys, at(Now)).ok());
}

void TstJwtVerifier::memoryStartsOverPastItsCapacity()
{
    JwtVerifier verifier(2);
    for (int n = 0; n < 2; ++n)
        QVERIFY(verifier.verify(m_signer.sign(claims(n)), m_keys, at(Now)).ok());
    QCOMPARE(verifier.size(), 2);
    QVERIFY(verifier.verify(m_signer.sign(claims(2)), m_keys, at(Now)).ok());
    QCOMPARE(verifier.size(), 1);
}

QTEST_MAIN(TstJwtVerifier)
#include "tst_jwtverifier.moc"

#include "graph/jwks.h"
#include "graph/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Graph;

namespace {

// 2024-05-01T12:00:00Z; every token and every check in this file is relative to it.
constexpr qint64 NowSecs = 1714564800;
const QDateTime Now = QDateTime::fromSecsSinceEpoch(NowSecs, QTimeZone::utc());

const QString Kid = u"graph-key-1"_s;
const QString OtherKid = u"graph-key-2"_s;
const QString ClientId = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;
const QString TenantId = u"72f988bf-86f1-41af-91ab-2d7cd011db47"_s;
const QString GraphIssuer = u"https://graph.microsoft.com"_s;
const QString BotIssuer = u"https://api.botframework.com"_s;

QJsonObject validPayload()
{
    return QJsonObject {
        { "iss"_L1, GraphIssuer },
        { "aud"_L1, ClientId },
        { "tid"_L1, TenantId },
        { "sub"_L1, u"calling-platform"_s },
        { "iat"_L1, NowSecs - 300 },
        { "nbf"_L1, NowSecs - 300 },
        { "exp"_L1, NowSecs + 3600 },
    };
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

QJsonObject without(QJsonObject object, const QString &key)
{
    object.remove(key);
    return object;
}

JwtVerifyOptions verifyOptions(std::chrono::seconds skew = std::chrono::seconds(60))
{
    JwtVerifyOptions options;
    options.issuers = QStringList { GraphIssuer, BotIssuer };
    options.audience = ClientId;
    options.skew = skew;
    options.now = Now;
    return options;
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Builds a token from raw parts, for the shapes a signer would never produce.
QByteArray rawToken(
    const QJsonObject &header, const QJsonObject &payload, const QByteArray &signature = {})
{
    return encodeBase64Url(compactJson(header)) + '.' + encodeBase64Url(compactJson(payload)) + '.'
        + encodeBase64Url(signature);
}

QList<QByteArray> partsOf(const QByteArray &token)
{
    return token.split('.');
}

// Returns a real QByteArray: QTest data rows must not receive QStringBuilder expressions.
QByteArray joined(std::initializer_list<QByteArray> parts)
{
    QByteArray out;
    for (const QByteArray &part : parts) {
        if (&part != parts.begin())
            out += '.';
        out += part;
    }
    return out;
}

} // namespace

class TstJwt final : public QObject
{
    Q_OBJECT

private:
    // Compares by name so that a failure prints which error came out, and checks the message
    // promise: present on failure, and free of the token's payload and signature.
    static void expectError(const JwtResult &result, JwtError expected, const QByteArray &token);

    JwtSigner m_signer;
    JwtSigner m_forger; // same kid, different key
    JwtSigner m_other; // another kid, not in m_keys
    Jwks m_keys;

private slots:
    void initTestCase();

    void validTokenVerifies_data();
    void validTokenVerifies();
    void claimProblemsAreRefused_data();
    void claimProblemsAreRefused();
    void withinSkewIsAccepted_data();
    void withinSkewIsAccepted();
    void tenantCanBeOptional();
    void emptyTrustConfigurationRefusesAll();
    void currentTimeIsUsedWithoutNow();

    void unknownKeyIsRefused_data();
    void unknownKeyIsRefused();
    void forgedSignatureWithSameKidIsRefused();
    void tamperedTokenIsRefused_data();
    void tamperedTokenIsRefused();
    void foreignAlgorithmsAreRefused_data();
    void foreignAlgorithmsAreRefused();
    void hs256KeyConfusionIsRefused_data();
    void hs256KeyConfusionIsRefused();
    void malformedTokensAreRefused_data();
    void malformedTokensAreRefused();
    void sizeLimitIs16KiB();

    void peekReadsWithoutVerifying();
    void peekRejectsMalformed_data();
    void peekRejectsMalformed();

    void signerWritesRs256Header();
    void signerPublishesItsPublicKey();
    void failedSignerIsHarmless();

    void jwksParsesRsaKeys();
    void jwksRejectsDocument_data();
    void jwksRejectsDocument();
    void jwksAcceptsEmptyKeyArray();
    void jwksSkipsUnusableKeys_data();
    void jwksSkipsUnusableKeys();
    void jwksDuplicateKidFirstWins();
    void jwksRoundTripVerifies();
    void jwksCopiesShareKeys();

    void base64UrlIsStrict_data();
    void base64UrlIsStrict();

    void jwksUriFromOpenIdConfiguration_data();
    void jwksUriFromOpenIdConfiguration();

    void errorNamesAreDistinct();
};

void TstJwt::expectError(const JwtResult &result, JwtError expected, const QByteArray &token)
{
    QCOMPARE(toString(result.error), toString(expected));
    QCOMPARE(result.ok(), expected == JwtError::None);
    if (expected == JwtError::None) {
        QVERIFY(result.message.isEmpty());
        return;
    }
    QVERIFY(!result.message.isEmpty());
    const QByteArray message = result.message.toUtf8();
    for (const QByteArray &part : partsOf(token)) {
        if (part.size() >= 8)
            QVERIFY2(!message.contains(part), qPrintable(result.message));
    }
}

void TstJwt::initTestCase()
{
    m_signer = JwtSigner::generate(Kid);
    m_forger = JwtSigner::generate(Kid);
    m_other = JwtSigner::generate(OtherKid);
    QVERIFY(m_signer.isValid());
    QVERIFY(m_forger.isValid());
    QVERIFY(m_other.isValid());
    m_keys = m_signer.jwks();
    QCOMPARE(m_keys.keyIds(), QStringList { Kid });
}

void TstJwt::validTokenVerifies_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QStringList>("audiences");
    QTest::addColumn<QString>("issuer");

    QTest::newRow("aud as string") << validPayload() << QStringList { ClientId } << GraphIssuer;
    const QJsonArray both { u"https://someone.else"_s, ClientId };
    QTest::newRow("aud as array") << with(validPayload(), u"aud"_s, both)
                                  << QStringList { u"https://someone.else"_s, ClientId }
                                  << GraphIssuer;
    QTest::newRow("second trusted issuer")
        << with(validPayload(), u"iss"_s, BotIssuer) << QStringList { ClientId } << BotIssuer;
    QTest::newRow("no nbf") << without(validPayload(), u"nbf"_s) << QStringList { ClientId }
                            << GraphIssuer;
}

void TstJwt::validTokenVerifies()
{
    QFETCH(QJsonObject, payload);
    QFETCH(QStringList, audiences);
    QFETCH(QString, issuer);

    const QByteArray token = m_signer.sign(payload);
    const JwtResult result = verifyJwt(token, m_keys, verifyOptions());
    expectError(result, JwtError::None, token);
    QCOMPARE(result.claims.kid, Kid);
    QCOMPARE(result.claims.issuer, issuer);
    QCOMPARE(result.claims.audiences, audiences);
    QCOMPARE(result.claims.tenantId, TenantId);
    QCOMPARE(result.claims.subject, u"calling-platform"_s);
    QCOMPARE(result.claims.expiresAt, Now.addSecs(3600));
    QCOMPARE(result.claims.issuedAt, Now.addSecs(-300));
    QCOMPARE(result.claims.notBefore.isValid(), payload.contains("nbf"_L1));
    QCOMPARE(result.claims.header.value("alg"_L1).toString(), u"RS256"_s);
    QCOMPARE(result.claims.payload, payload);
}

void TstJwt::claimProblemsAreRefused_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<int>("skew");
    QTest::addColumn<JwtError>("expected");

    const QJsonObject p = validPayload();
    QTest::newRow("expired beyond skew")
        << with(p, u"exp"_s, NowSecs - 61) << 60 << JwtError::Expired;
    QTest::newRow("expired exactly at skew")
        << with(p, u"exp"_s, NowSecs - 60) << 60 << JwtError::Expired;
    QTest::newRow("expired, no skew") << with(p, u"exp"_s, NowSecs - 1) << 0 << JwtError::Expired;
    QTest::newRow("expired, negative skew counts as none")
        << with(p, u"exp"_s, NowSecs) << -30 << JwtError::Expired;
    QTest::newRow("expired two days ago, huge skew is clamped to a day") << with(p, u"exp"_s,
        NowSecs - 2 * 86400) << std::numeric_limits<int>::max() << JwtError::Expired;
    QTest::newRow("fractional exp beyond skew")
        << with(p, u"exp"_s, double(NowSecs) - 60.5) << 60 << JwtError::Expired;
    QTest::newRow("nbf beyond skew")
        << with(p, u"nbf"_s, NowSecs + 61) << 60 << JwtError::NotYetValid;
    QTest::newRow("wrong issuer") << with(p, u"iss"_s, u"https://evil.example"_s) << 60
                                  << JwtError::WrongIssuer;
    QTest::newRow("issuer differs by a slash")
        << with(p, u"iss"_s, QString(GraphIssuer + u'/')) << 60 << JwtError::WrongIssuer;
    QTest::newRow("wrong audience (string)")
        << with(p, u"aud"_s, u"someone-else"_s) << 60 << JwtError::WrongAudience;
    QTest::newRow("wrong audience (array)")
        << with(p, u"aud"_s, QJsonArray { u"a"_s, u"b"_s }) << 60 << JwtError::WrongAudience;
    QTest::newRow("empty audience array")
        << with(p, u"aud"_s, QJsonArray {}) << 60 << JwtError::WrongAudience;
    QTest::newRow("missing tid") << without(p, u"tid"_s) << 60 << JwtError::MissingClaim;
    QTest::newRow("empty tid") << with(p, u"tid"_s, u""_s) << 60 << JwtError::MissingClaim;
    QTest::newRow("missing exp") << without(p, u"exp"_s) << 60 << JwtError::MissingClaim;
    QTest::newRow("missing iss") << without(p, u"iss"_s) << 60 << JwtError::MissingClaim;
    QTest::newRow("missing aud") << without(p, u"aud"_s) << 60 << JwtError::MissingClaim;
    QTest::newRow("exp is a string")
        << with(p, u"exp"_s, QString::number(NowSecs + 3600)) << 60 << JwtError::Malformed;
    QTest::newRow("exp is null") << with(p, u"exp"_s, QJsonValue::Null) << 60
                                 << JwtError::Malformed;
    QTest::newRow("exp is negative") << with(p, u"exp"_s, -1) << 60 << JwtError::Malformed;
    QTest::newRow("exp is absurdly large") << with(p, u"exp"_s, 1e300) << 60 << JwtError::Malformed;
    QTest::newRow("nbf is a string") << with(p, u"nbf"_s, u"soon"_s) << 60 << JwtError::Malformed;
    QTest::newRow("iss is a number") << with(p, u"iss"_s, 42) << 60 << JwtError::Malformed;
    QTest::newRow("aud is an object")
        << with(p, u"aud"_s, QJsonObject { { "x"_L1, ClientId } }) << 60 << JwtError::Malformed;
    QTest::newRow("aud array holds a number")
        << with(p, u"aud"_s, QJsonArray { ClientId, 7 }) << 60 << JwtError::Malformed;
    QTest::newRow("tid is a number") << with(p, u"tid"_s, 7) << 60 << JwtError::Malformed;
}

void TstJwt::claimProblemsAreRefused()
{
    QFETCH(QJsonObject, payload);
    QFETCH(int, skew);
    QFETCH(JwtError, expected);

    const QByteArray token = m_signer.sign(payload);
    expectError(
        verifyJwt(token, m_keys, verifyOptions(std::chrono::seconds(skew))), expected, token);
}

void TstJwt::withinSkewIsAccepted_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<int>("skew");

    const QJsonObject p = validPayload();
    QTest::newRow("expired 30 s ago, skew 60") << with(p, u"exp"_s, NowSecs - 30) << 60;
    QTest::newRow("expired 59.5 s ago, skew 60") << with(p, u"exp"_s, double(NowSecs) - 59.5) << 60;
    QTest::newRow("expires in 1 s, no skew") << with(p, u"exp"_s, NowSecs + 1) << 0;
    QTest::newRow("expires in 0.5 s, no skew") << with(p, u"exp"_s, double(NowSecs) + 0.5) << 0;
    QTest::newRow("nbf 30 s ahead, skew 60") << with(p, u"nbf"_s, NowSecs + 30) << 60;
    QTest::newRow("nbf exactly now, no skew") << with(p, u"nbf"_s, NowSecs) << 0;
}

void TstJwt::withinSkewIsAccepted()
{
    QFETCH(QJsonObject, payload);
    QFETCH(int, skew);

    const QByteArray token = m_signer.sign(payload);
    expectError(
        verifyJwt(token, m_keys, verifyOptions(std::chrono::seconds(skew))), JwtError::None, token);
}

void TstJwt::tenantCanBeOptional()
{
    const QByteArray token = m_signer.sign(without(validPayload(), u"tid"_s));
    JwtVerifyOptions options = verifyOptions();
    options.requireTenant = false;
    const JwtResult result = verifyJwt(token, m_keys, options);
    expectError(result, JwtError::None, token);
    QVERIFY(result.claims.tenantId.isEmpty());
}

void TstJwt::emptyTrustConfigurationRefusesAll()
{
    const QByteArray token = m_signer.sign(validPayload());
    JwtVerifyOptions noIssuers = verifyOptions();
    noIssuers.issuers.clear();
    expectError(verifyJwt(token, m_keys, noIssuers), JwtError::WrongIssuer, token);

    JwtVerifyOptions noAudience = verifyOptions();
    noAudience.audience.clear();
    expectError(verifyJwt(token, m_keys, noAudience), JwtError::WrongAudience, token);
}

void TstJwt::currentTimeIsUsedWithoutNow()
{
    const qint64 current = QDateTime::currentSecsSinceEpoch();
    JwtVerifyOptions options = verifyOptions();
    options.now = QDateTime();

    const QByteArray fresh = m_signer.sign(
        with(with(validPayload(), u"exp"_s, current + 3600), u"nbf"_s, current - 3600));
    expectError(verifyJwt(fresh, m_keys, options), JwtError::None, fresh);

    const QByteArray stale = m_signer.sign(
        with(with(validPayload(), u"exp"_s, current - 3600), u"nbf"_s, current - 7200));
    expectError(verifyJwt(stale, m_keys, options), JwtError::Expired, stale);
}

void TstJwt::unknownKeyIsRefused_data()
{
    QTest::addColumn<QByteArray>("token");

    QTest::newRow("kid not in set") << m_other.sign(validPayload());
    QTest::newRow("no kid") << m_signer.signWithHeader(
        QJsonObject { { "alg"_L1, u"RS256"_s }, { "typ"_L1, u"JWT"_s } }, validPayload());
    QTest::newRow("empty kid") << m_signer.signWithHeader(
        QJsonObject { { "alg"_L1, u"RS256"_s }, { "kid"_L1, u""_s } }, validPayload());
    QTest::newRow("kid is a number") << m_signer.signWithHeader(
        QJsonObject { { "alg"_L1, u"RS256"_s }, { "kid"_L1, 1 } }, validPayload());
    QTest::newRow("kid differs in case") << m_signer.signWithHeader(
        QJsonObject { { "alg"_L1, u"RS256"_s }, { "kid"_L1, Kid.toUpper() } }, validPayload());
}

void TstJwt::unknownKeyIsRefused()
{
    QFETCH(QByteArray, token);
    QVERIFY(!token.isEmpty());
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::UnknownKey, token);
}

void TstJwt::forgedSignatureWithSameKidIsRefused()
{
    const QByteArray token = m_forger.sign(validPayload());
    const auto peeked = peekJwt(token);
    QVERIFY(peeked);
    QCOMPARE(peeked->kid, Kid);
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::BadSignature, token);
}

void TstJwt::tamperedTokenIsRefused_data()
{
    QTest::addColumn<QByteArray>("token");

    const QList<QByteArray> parts = partsOf(m_signer.sign(validPayload()));
    QCOMPARE(parts.size(), 3);
    const QByteArray otherTenant =
        encodeBase64Url(compactJson(with(validPayload(), u"tid"_s, u"attacker-tenant"_s)));
    QTest::newRow("payload replaced") << joined({ parts[0], otherTenant, parts[2] });

    // Same JSON, different bytes: the signature covers the encoded form, not its meaning.
    const QJsonObject header = peekJwt(joined({ parts[0], parts[1], {} }))->header;
    const QByteArray spacedHeader = encodeBase64Url(QJsonDocument(header).toJson());
    QTest::newRow("header re-encoded") << joined({ spacedHeader, parts[1], parts[2] });

    QByteArray signature = *decodeBase64Url(parts[2]);
    signature[signature.size() / 2] = char(signature[signature.size() / 2] ^ 0x01);
    QTest::newRow("signature bit flipped")
        << joined({ parts[0], parts[1], encodeBase64Url(signature) });
    QTest::newRow("signature truncated")
        << joined({ parts[0], parts[1], encodeBase64Url(signature.left(255)) });
    QTest::newRow("signature of another token") << joined(
        { parts[0], parts[1], partsOf(m_signer.sign(with(validPayload(), u"sub"_s, u"x"_s)))[2] });
}

void TstJwt::tamperedTokenIsRefused()
{
    QFETCH(QByteArray, token);
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::BadSignature, token);
}

void TstJwt::foreignAlgorithmsAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");

    const auto header = [](const QJsonValue &alg) {
        QJsonObject h { { "typ"_L1, u"JWT"_s }, { "kid"_L1, Kid } };
        if (!alg.isUndefined())
            h.insert("alg"_L1, alg);
        return h;
    };
    const QByteArray realSignature = partsOf(m_signer.sign(validPayload()))[2];

    QTest::newRow("alg none, empty signature") << rawToken(header(u"none"_s), validPayload());
    QTest::newRow("alg None, empty signature") << rawToken(header(u"None"_s), validPayload());
    QTest::newRow("alg NONE, real signature")
        << QByteArray(rawToken(header(u"NONE"_s), validPayload()) + realSignature);
    QTest::newRow("alg HS256, empty signature") << rawToken(header(u"HS256"_s), validPayload());
    QTest::newRow("alg rs256 (case)")
        << m_signer.signWithHeader(header(u"rs256"_s), validPayload());
    QTest::newRow("alg RS384") << m_signer.signWithHeader(header(u"RS384"_s), validPayload());
    QTest::newRow("alg PS256") << m_signer.signWithHeader(header(u"PS256"_s), validPayload());
    QTest::newRow("alg ES256") << m_signer.signWithHeader(header(u"ES256"_s), validPayload());
    QTest::newRow("alg missing") << m_signer.signWithHeader(
        header(QJsonValue(QJsonValue::Undefined)), validPayload());
    QTest::newRow("alg is a number") << m_signer.signWithHeader(header(256), validPayload());
    QTest::newRow("alg is an array")
        << m_signer.signWithHeader(header(QJsonArray { u"RS256"_s }), validPayload());
}

void TstJwt::foreignAlgorithmsAreRefused()
{
    QFETCH(QByteArray, token);
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::UnsupportedAlgorithm, token);
}

void TstJwt::hs256KeyConfusionIsRefused_data()
{
    QTest::addColumn<QByteArray>("secret");

    const QJsonObject jwk = m_signer.publicJwk();
    QTest::newRow("modulus bytes") << *decodeBase64Url(jwk.value("n"_L1).toString().toLatin1());
    QTest::newRow("modulus base64url") << jwk.value("n"_L1).toString().toLatin1();
    QTest::newRow("JWK JSON") << compactJson(jwk);
    QTest::newRow("JWKS JSON") << m_signer.jwksJson();
}

void TstJwt::hs256KeyConfusionIsRefused()
{
    QFETCH(QByteArray, secret);

    const QJsonObject header { { "alg"_L1, u"HS256"_s }, { "typ"_L1, u"JWT"_s },
        { "kid"_L1, Kid } };
    const QByteArray input =
        encodeBase64Url(compactJson(header)) + '.' + encodeBase64Url(compactJson(validPayload()));
    const QByteArray mac =
        QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256);
    const QByteArray token = input + '.' + encodeBase64Url(mac);
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::UnsupportedAlgorithm, token);
}

void TstJwt::malformedTokensAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");

    const QByteArray valid = m_signer.sign(validPayload());
    const QList<QByteArray> parts = partsOf(valid);
    const QByteArray h = parts[0];
    const QByteArray p = parts[1];
    const QByteArray s = parts[2];

    // '?' runs encode to '/' in standard base64, where base64url has '_'.
    const QByteArray standardHeader =
        R"({"alg":"RS256","kid":"graph-key-1","note":"??????"})"_ba.toBase64(
            QByteArray::OmitTrailingEquals);
    QVERIFY(standardHeader.contains('/'));

    // A payload of length 1 mod 4 cannot be the encoding of anything.
    QByteArray impossibleLength = p;
    while (impossibleLength.size() % 4 != 1)
        impossibleLength += 'A';

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one part") << h;
    QTest::newRow("two parts") << joined({ h, p });
    QTest::newRow("four parts") << joined({ h, p, s, s });
    QTest::newRow("five parts (JWE shape)") << joined({ h, p, p, p, s });
    QTest::newRow("two dots only") << ".."_ba;
    QTest::newRow("empty header") << joined({ {}, p, s });
    QTest::newRow("empty payload") << joined({ h, {}, s });
    QTest::newRow("empty signature") << joined({ h, p, {} });
    QTest::newRow("bad base64 in header")
        << joined({ QByteArray(h.left(4) + '*' + h.mid(5)), p, s });
    QTest::newRow("standard base64 in header") << joined({ standardHeader, p, s });
    QTest::newRow("padded header") << joined({ QByteArray(h + "=="), p, s });
    QTest::newRow("space in payload") << joined({ h, QByteArray(p.left(6) + ' ' + p.mid(6)), s });
    QTest::newRow("impossible base64 length") << joined({ h, impossibleLength, s });
    QTest::newRow("bad base64 in signature")
        << joined({ h, p, QByteArray(s.left(10) + '!' + s.mid(11)) });
    QTest::newRow("header not JSON") << joined({ encodeBase64Url("alg=RS256"), p, s });
    QTest::newRow("header is a JSON array") << joined({ encodeBase64Url(R"(["RS256"])"), p, s });
    QTest::newRow("header is a JSON string") << joined({ encodeBase64Url(R"("RS256")"), p, s });
    QTest::newRow("header truncated JSON")
        << joined({ encodeBase64Url(R"({"alg":"RS256","kid":")"), p, s });
    QTest::newRow("payload not JSON") << joined({ h, encodeBase64Url("hello"), s });
    QTest::newRow("payload is a JSON array") << joined({ h, encodeBase64Url("[1,2]"), s });
    QTest::newRow("critical header")
        << m_signer.signWithHeader(QJsonObject { { "alg"_L1, u"RS256"_s }, { "kid"_L1, Kid },
                                       { "crit"_L1, QJsonArray { u"exp"_s } }, { "exp"_L1, 1 } },
               validPayload());
    QTest::newRow("oversized") << m_signer.sign(
        with(validPayload(), u"pad"_s, QString(MaxJwtSize, u'x')));
    QTest::newRow("binary garbage") << QByteArray("\x00\xff.\x80\x01.\x7f", 7);
}

void TstJwt::malformedTokensAreRefused()
{
    QFETCH(QByteArray, token);
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::Malformed, token);
}

void TstJwt::sizeLimitIs16KiB()
{
    // The signature part has a fixed length, so pad the payload until the whole token is
    // exactly at the limit, then go one character (which may add more base64) past it.
    const qsizetype signatureLength = partsOf(m_signer.sign(validPayload()))[2].size();
    const auto tokenSize = [&](qsizetype pad) {
        const QJsonObject payload = with(validPayload(), u"pad"_s, QString(pad, u'x'));
        return partsOf(rawToken(QJsonObject { { "alg"_L1, u"RS256"_s }, { "typ"_L1, u"JWT"_s },
                                    { "kid"_L1, Kid } },
                   payload))[0]
                   .size()
            + 1 + encodeBase64Url(compactJson(payload)).size() + 1 + signatureLength;
    };
    qsizetype pad = 0;
    while (tokenSize(pad + 1) <= MaxJwtSize)
        ++pad;

    const QByteArray atLimit = m_signer.sign(with(validPayload(), u"pad"_s, QString(pad, u'x')));
    QVERIFY(atLimit.size() <= MaxJwtSize);
    QVERIFY(atLimit.size() > MaxJwtSize - 4);
    expectError(verifyJwt(atLimit, m_keys, verifyOptions()), JwtError::None, atLimit);

    const QByteArray overLimit =
        m_signer.sign(with(validPayload(), u"pad"_s, QString(pad + 1, u'x')));
    QVERIFY(overLimit.size() > MaxJwtSize);
    expectError(verifyJwt(overLimit, m_keys, verifyOptions()), JwtError::Malformed, overLimit);
}

void TstJwt::peekReadsWithoutVerifying()
{
    // A forged, expired token for someone else: peek still reports what it says.
    const QJsonObject payload = with(
        with(validPayload(), u"exp"_s, NowSecs - 86400), u"aud"_s, QJsonArray { u"a"_s, u"b"_s });
    const QByteArray token = m_forger.sign(payload);
    QString error;
    const auto claims = peekJwt(token, &error);
    QVERIFY2(claims, qPrintable(error));
    QCOMPARE(claims->kid, Kid);
    QCOMPARE(claims->issuer, GraphIssuer);
    QCOMPARE(claims->tenantId, TenantId);
    QCOMPARE(claims->audiences, (QStringList { u"a"_s, u"b"_s }));
    QCOMPARE(claims->expiresAt, Now.addDays(-1));
    QCOMPARE(claims->payload, payload);
    QCOMPARE(peekJwtKeyId(token), Kid);

    // alg none with no signature is still readable, e.g. to log what was refused.
    const auto none = peekJwt(rawToken(QJsonObject { { "alg"_L1, u"none"_s } }, payload));
    QVERIFY(none);
    QCOMPARE(none->header.value("alg"_L1).toString(), u"none"_s);
}

void TstJwt::peekRejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("token");

    const QList<QByteArray> parts = partsOf(m_signer.sign(validPayload()));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("two parts") << joined({ parts[0], parts[1] });
    QTest::newRow("bad base64") << joined({ parts[0], "%%%"_ba, parts[2] });
    QTest::newRow("header not JSON") << joined({ encodeBase64Url("nope"), parts[1], parts[2] });
    QTest::newRow("payload not an object") << joined({ parts[0], encodeBase64Url("42"), parts[2] });
    QTest::newRow("oversized") << joined({ parts[0], QByteArray(MaxJwtSize, 'A'), parts[2] });
}

void TstJwt::peekRejectsMalformed()
{
    QFETCH(QByteArray, token);
    // The key id is read from the header alone: a bad payload does not hide it.
    const QByteArrayView tag(QTest::currentDataTag());
    if (tag != "payload not an object" && tag != "bad base64")
        QVERIFY(peekJwtKeyId(token).isEmpty());
    else
        QCOMPARE(peekJwtKeyId(token), Kid);
    QString error;
    QVERIFY(!peekJwt(token, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!peekJwt(token)); // no error pointer: still no crash
}

void TstJwt::signerWritesRs256Header()
{
    QCOMPARE(m_signer.keyId(), Kid);
    const QByteArray token = m_signer.sign(validPayload());
    QCOMPARE(token.count('.'), 2);
    const auto claims = peekJwt(token);
    QVERIFY(claims);
    const QJsonObject expected { { "alg"_L1, u"RS256"_s }, { "typ"_L1, u"JWT"_s },
        { "kid"_L1, Kid } };
    QCOMPARE(claims->header, expected);
    QCOMPARE(claims->payload, validPayload());
    // 2048-bit RSA: a 256-byte signature, 342 base64url characters without padding.
    QCOMPARE(partsOf(token)[2].size(), 342);
    QVERIFY(!token.contains('='));
}

void TstJwt::signerPublishesItsPublicKey()
{
    const QJsonObject jwk = m_signer.publicJwk();
    QCOMPARE(jwk.value("kty"_L1).toString(), u"RSA"_s);
    QCOMPARE(jwk.value("use"_L1).toString(), u"sig"_s);
    QCOMPARE(jwk.value("alg"_L1).toString(), u"RS256"_s);
    QCOMPARE(jwk.value("kid"_L1).toString(), Kid);
    QCOMPARE(jwk.value("e"_L1).toString(), u"AQAB"_s); // 65537
    const auto n = decodeBase64Url(jwk.value("n"_L1).toString().toLatin1());
    QVERIFY(n);
    QCOMPARE(n->size(), 256);
    QVERIFY(!jwk.contains("d"_L1)); // nothing private
    QVERIFY(!jwk.contains("p"_L1));

    const QJsonDocument jwks = QJsonDocument::fromJson(m_signer.jwksJson());
    QCOMPARE(jwks.object().value("keys"_L1).toArray(), QJsonArray { jwk });
    QVERIFY(m_forger.publicJwk().value("n"_L1) != jwk.value("n"_L1));
}

void TstJwt::failedSignerIsHarmless()
{
    const JwtSigner signer = JwtSigner::generate(u"broken"_s, 0);
    QVERIFY(!signer.isValid());
    QCOMPARE(signer.keyId(), u"broken"_s);
    QVERIFY(signer.sign(validPayload()).isEmpty());
    QVERIFY(signer.publicJwk().isEmpty());
    QCOMPARE(signer.jwks().size(), 0);
    QCOMPARE(Jwks::fromJson(signer.jwksJson())->size(), 0);
}

void TstJwt::jwksParsesRsaKeys()
{
    const QJsonArray keys {
        m_signer.publicJwk(),
        QJsonObject { { "kty"_L1, u"EC"_s }, { "kid"_L1, u"ec-key"_s }, { "crv"_L1, u"P-256"_s },
            { "x"_L1, u"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"_s },
            { "y"_L1, u"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"_s } },
        // Microsoft's keys carry x5t and x5c as well; they are not needed.
        with(with(m_other.publicJwk(), u"x5t"_s, u"abc"_s), u"x5c"_s, QJsonArray { u"MIIB..."_s }),
    };
    QString error;
    const auto jwks = Jwks::fromJson(compactJson(QJsonObject { { "keys"_L1, keys } }), &error);
    QVERIFY2(jwks, qPrintable(error));
    QCOMPARE(jwks->size(), 2);
    QCOMPARE(jwks->keyIds(), (QStringList { Kid, OtherKid }));
    QVERIFY(jwks->contains(Kid));
    QVERIFY(jwks->contains(OtherKid));
    QVERIFY(!jwks->contains(u"ec-key"_s));
    QVERIFY(jwks->key(Kid));
    QVERIFY(!jwks->key(u"nope"_s));

    const QByteArray fromOther = m_other.sign(validPayload());
    expectError(verifyJwt(fromOther, *jwks, verifyOptions()), JwtError::None, fromOther);
}

void TstJwt::jwksRejectsDocument_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << "<html>oops</html>"_ba;
    QTest::newRow("truncated") << R"({"keys":[)"_ba;
    QTest::newRow("array") << R"([{"kty":"RSA"}])"_ba;
    QTest::newRow("no keys") << R"({"issuer":"x"})"_ba;
    QTest::newRow("keys is an object") << R"({"keys":{}})"_ba;
    QTest::newRow("keys is a string") << R"({"keys":"RSA"})"_ba;
}

void TstJwt::jwksRejectsDocument()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!Jwks::fromJson(json, &error));
    QVERIFY(!error.isEmpty());
}

void TstJwt::jwksAcceptsEmptyKeyArray()
{
    const auto jwks = Jwks::fromJson(R"({"keys":[]})"_ba);
    QVERIFY(jwks);
    QCOMPARE(jwks->size(), 0);
    QVERIFY(jwks->isEmpty());
    const QByteArray token = m_signer.sign(validPayload());
    expectError(verifyJwt(token, *jwks, verifyOptions()), JwtError::UnknownKey, token);
}

void TstJwt::jwksSkipsUnusableKeys_data()
{
    QTest::addColumn<QJsonValue>("key");

    const QJsonObject rsa = m_other.publicJwk();
    const QString n = rsa.value("n"_L1).toString();
    QTest::newRow("EC key") << QJsonValue(with(with(rsa, u"kty"_s, u"EC"_s), u"crv"_s, u"P-256"_s));
    QTest::newRow("oct key") << QJsonValue(
        QJsonObject { { "kty"_L1, u"oct"_s }, { "kid"_L1, OtherKid }, { "k"_L1, u"c2VjcmV0"_s } });
    QTest::newRow("no kty") << QJsonValue(without(rsa, u"kty"_s));
    QTest::newRow("not an object") << QJsonValue(u"RSA"_s);
    QTest::newRow("no kid") << QJsonValue(without(rsa, u"kid"_s));
    QTest::newRow("use enc") << QJsonValue(with(rsa, u"use"_s, u"enc"_s));
    QTest::newRow("alg RS512") << QJsonValue(with(rsa, u"alg"_s, u"RS512"_s));
    QTest::newRow("no n") << QJsonValue(without(rsa, u"n"_s));
    QTest::newRow("no e") << QJsonValue(without(rsa, u"e"_s));
    QTest::newRow("n not base64url") << QJsonValue(with(rsa, u"n"_s, QString(u'+' + n.mid(1))));
    QTest::newRow("n padded") << QJsonValue(with(rsa, u"n"_s, QString(n + u"=="_s)));
    QTest::newRow("n is a number") << QJsonValue(with(rsa, u"n"_s, 12345));
    QTest::newRow("n of 1024 bits") << QJsonValue(
        with(rsa, u"n"_s, QString::fromLatin1(encodeBase64Url(QByteArray(128, '\xff')))));
    QTest::newRow("n even") << QJsonValue(with(rsa, u"n"_s,
        QString::fromLatin1(encodeBase64Url(QByteArray(QByteArray(255, '\xff') + '\xfe')))));
    QTest::newRow("e even") << QJsonValue(with(rsa, u"e"_s, u"AQAA"_s));
    QTest::newRow("e is one") << QJsonValue(with(rsa, u"e"_s, u"AQ"_s));
    QTest::newRow("e too long") << QJsonValue(
        with(rsa, u"e"_s, QString::fromLatin1(encodeBase64Url(QByteArray(9, '\x01')))));
}

void TstJwt::jwksSkipsUnusableKeys()
{
    QFETCH(QJsonValue, key);

    const QJsonArray keys { m_signer.publicJwk(), key };
    QString error;
    const auto jwks = Jwks::fromJson(compactJson(QJsonObject { { "keys"_L1, keys } }), &error);
    QVERIFY2(jwks, qPrintable(error));
    QCOMPARE(jwks->keyIds(), QStringList { Kid });
    const QByteArray token = m_other.sign(validPayload());
    expectError(verifyJwt(token, *jwks, verifyOptions()), JwtError::UnknownKey, token);
}

void TstJwt::jwksDuplicateKidFirstWins()
{
    // m_signer and m_forger share a kid: a key set listing both must not let the second in.
    const QJsonArray keys { m_signer.publicJwk(), m_forger.publicJwk() };
    const auto jwks = Jwks::fromJson(compactJson(QJsonObject { { "keys"_L1, keys } }));
    QVERIFY(jwks);
    QCOMPARE(jwks->size(), 1);
    const QByteArray genuine = m_signer.sign(validPayload());
    expectError(verifyJwt(genuine, *jwks, verifyOptions()), JwtError::None, genuine);
    const QByteArray forged = m_forger.sign(validPayload());
    expectError(verifyJwt(forged, *jwks, verifyOptions()), JwtError::BadSignature, forged);
}

void TstJwt::jwksRoundTripVerifies()
{
    const JwtSigner signer = JwtSigner::generate(u"sandbox"_s);
    QVERIFY(signer.isValid());
    QString error;
    const auto jwks = Jwks::fromJson(signer.jwksJson(), &error);
    QVERIFY2(jwks, qPrintable(error));
    QCOMPARE(jwks->keyIds(), QStringList { u"sandbox"_s });
    const QByteArray token = signer.sign(validPayload());
    const JwtResult result = verifyJwt(token, *jwks, verifyOptions());
    expectError(result, JwtError::None, token);
    QCOMPARE(result.claims.kid, u"sandbox"_s);
    // And the key set of another signer does not accept it.
    expectError(verifyJwt(token, m_keys, verifyOptions()), JwtError::UnknownKey, token);
}

void TstJwt::jwksCopiesShareKeys()
{
    Jwks copy;
    {
        const Jwks original = m_signer.jwks();
        copy = original;
        QCOMPARE(copy.key(Kid), original.key(Kid));
    }
    const QByteArray token = m_signer.sign(validPayload());
    expectError(verifyJwt(token, copy, verifyOptions()), JwtError::None, token);

    Jwks merged = copy;
    merged.insert(u"ignored"_s, nullptr);
    QCOMPARE(merged.size(), 1);
    const Jwks other = m_other.jwks();
    merged.insert(
        OtherKid, std::shared_ptr<evp_pkey_st>(other.key(OtherKid), [](evp_pkey_st *) {}));
    QCOMPARE(merged.size(), 2);
    QCOMPARE(copy.size(), 1); // copies are independent sets
    const QByteArray fromOther = m_other.sign(validPayload());
    expectError(verifyJwt(fromOther, merged, verifyOptions()), JwtError::None, fromOther);
}

void TstJwt::base64UrlIsStrict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("decoded");

    QTest::newRow("empty") << QByteArray() << true << QByteArray();
    QTest::newRow("url alphabet") << "-_8"_ba << true << "\xfb\xff"_ba;
    QTest::newRow("two chars") << "YQ"_ba << true << "a"_ba;
    QTest::newRow("padded") << "YQ=="_ba << false << QByteArray();
    QTest::newRow("plus") << "+_8"_ba << false << QByteArray();
    QTest::newRow("slash") << "-/8"_ba << false << QByteArray();
    QTest::newRow("space") << "Y Q"_ba << false << QByteArray();
    QTest::newRow("one char") << "Y"_ba << false << QByteArray();
    QTest::newRow("five chars") << "YWJjZ"_ba << false << QByteArray();
    QTest::newRow("nul") << QByteArray("YQ\0A", 4) << false << QByteArray();
}

void TstJwt::base64UrlIsStrict()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, decoded);

    const auto result = decodeBase64Url(text);
    QCOMPARE(result.has_value(), valid);
    if (valid) {
        QCOMPARE(*result, decoded);
        QCOMPARE(encodeBase64Url(decoded), text);
    }
}

void TstJwt::jwksUriFromOpenIdConfiguration_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QUrl>("expected"); // empty: refused

    QTest::newRow("present") << R"({"issuer":"https://api.botframework.com",
        "jwks_uri":"https://login.botframework.com/v1/.well-known/keys"})"_ba
                             << QUrl(u"https://login.botframework.com/v1/.well-known/keys"_s);
    QTest::newRow("sandbox over http") << R"({"jwks_uri":"http://127.0.0.1:8443/keys"})"_ba
                                       << QUrl(u"http://127.0.0.1:8443/keys"_s);
    QTest::newRow("absent") << R"({"issuer":"https://api.botframework.com"})"_ba << QUrl();
    QTest::newRow("not JSON") << "not json"_ba << QUrl();
    QTest::newRow("empty") << QByteArray() << QUrl();
    QTest::newRow("array") << R"(["https://x/keys"])"_ba << QUrl();
    QTest::newRow("not a string") << R"({"jwks_uri":42})"_ba << QUrl();
    QTest::newRow("empty string") << R"({"jwks_uri":""})"_ba << QUrl();
    QTest::newRow("relative") << R"({"jwks_uri":"/keys"})"_ba << QUrl();
    QTest::newRow("file scheme") << R"({"jwks_uri":"file:///etc/keys"})"_ba << QUrl();
}

void TstJwt::jwksUriFromOpenIdConfiguration()
{
    QFETCH(QByteArray, json);
    QFETCH(QUrl, expected);

    QString error;
    const auto url = Graph::jwksUriFromOpenIdConfiguration(json, &error);
    QCOMPARE(url.has_value(), !expected.isEmpty());
    if (url) {
        QCOMPARE(*url, expected);
        QVERIFY(error.isEmpty());
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void TstJwt::errorNamesAreDistinct()
{
    const QList<JwtError> all { JwtError::None, JwtError::Malformed, JwtError::UnsupportedAlgorithm,
        JwtError::UnknownKey, JwtError::BadSignature, JwtError::Expired, JwtError::NotYetValid,
        JwtError::WrongIssuer, JwtError::WrongAudience, JwtError::MissingClaim };
    QSet<QString> names;
    for (JwtError error : all) {
        QVERIFY(!toString(error).isEmpty());
        names.insert(toString(error));
    }
    QCOMPARE(names.size(), all.size());
    QCOMPARE(toString(JwtError::None), u"None"_s);
    QCOMPARE(toString(JwtError::BadSignature), u"BadSignature"_s);
    QVERIFY(JwtResult {}.ok());
}

QTEST_APPLESS_MAIN(TstJwt)
#include "tst_jwt.moc"

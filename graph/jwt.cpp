#include "graph/jwt.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

struct MdCtxFree
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
struct BignumFree
{
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// 9999-12-31T23:59:59Z: beyond it a NumericDate is nonsense, and the bound keeps the conversion to
// milliseconds far from overflowing.
constexpr double MaxNumericDate = 253402300799.0;
// A day: beyond that "skew" is no longer clock drift.
constexpr qint64 MaxSkewSecs = 24 * 3600;

struct Parts
{
    QByteArrayView header;
    QByteArrayView payload;
    QByteArrayView signature;
    QByteArrayView signingInput; // header "." payload, exactly as received
};

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// Values from the token end up in log lines: keep them short and free of control characters.
QString printable(const QString &text)
{
    QString out = text.left(64);
    for (QChar &c : out) {
        if (!c.isPrint())
            c = u'?';
    }
    return out;
}

std::optional<Parts> split(QByteArrayView token, QString *why)
{
    if (token.size() > MaxJwtSize) {
        *why = u"token is larger than %1 bytes"_s.arg(MaxJwtSize);
        return std::nullopt;
    }
    const qsizetype first = token.indexOf('.');
    const qsizetype second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
        *why = u"token is not three dot-separated parts"_s;
        return std::nullopt;
    }
    return Parts { token.first(first), token.sliced(first + 1, second - first - 1),
        token.sliced(second + 1), token.first(second) };
}

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part, QLatin1StringView what, QString *why)
{
    const auto bytes = decodeBase64Url(part);
    if (!bytes || bytes->isEmpty()) {
        *why = u"token %1 is not base64url"_s.arg(what);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *why = u"token %1 is not a JSON object"_s.arg(what);
        return std::nullopt;
    }
    return doc.object();
}

// NumericDate (RFC 7519 section 2): seconds since the epoch, integer or not.
// Absent leaves \a out invalid and succeeds; present but unusable fails.
bool readNumericDate(const QJsonObject &payload, QLatin1StringView name, QDateTime *out)
{
    const QJsonValue value = payload.value(name);
    if (value.isUndefined())
        return true;
    if (!value.isDouble())
        return false;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        return false;
    *out = QDateTime::fromMSecsSinceEpoch(qint64(std::floor(seconds * 1000)), QTimeZone::utc());
    return true;
}

// Everything that can be read, with no judgement; verifyJwt applies the rules afterwards.
JwtClaims readClaims(const QJsonObject &header, const QJsonObject &payload)
{
    JwtClaims claims;
    claims.header = header;
    claims.payload = payload;
    claims.kid = header.value("kid"_L1).toString();
    claims.issuer = payload.value("iss"_L1).toString();
    claims.tenantId = payload.value("tid"_L1).toString();
    claims.subject = payload.value("sub"_L1).toString();
    const QJsonValue aud = payload.value("aud"_L1);
    if (aud.isString()) {
        claims.audiences.append(aud.toString());
    } else if (aud.isArray()) {
        for (const QJsonValue &value : aud.toArray()) {
            if (value.isString())
                claims.audiences.append(value.toString());
        }
    }
    readNumericDate(payload, "exp"_L1, &claims.expiresAt);
    readNumericDate(payload, "nbf"_L1, &claims.notBefore);
    readNumericDate(payload, "iat"_L1, &claims.issuedAt);
    return claims;
}

bool verifyRs256(EVP_PKEY *key, QByteArrayView signingInput, const QByteArray &signature)
{
    // An RSA signature is exactly as long as the modulus; OpenSSL checks too, but this is cheap.
    if (signature.size() != EVP_PKEY_get_size(key))
        return false;
    const MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) > 0
        && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0
        && EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
               size_t(signature.size()),
               reinterpret_cast<const unsigned char *>(signingInput.data()),
               size_t(signingInput.size()))
            == 1;
    // A failed verification leaves entries on this thread's error queue; nobody else reads them.
    ERR_clear_error();
    return ok;
}

QByteArray bignumParam(const EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) <= 0 || !raw)
        return {};
    const std::unique_ptr<BIGNUM, BignumFree> bn(raw);
    QByteArray bytes(BN_num_bytes(bn.get()), Qt::Uninitialized);
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(bytes.data()));
    return bytes;
}

} // namespace

QString peekJwtKeyId(QByteArrayView token)
{
    QString why;
    const auto parts = split(token, &why);
    const auto header = parts ? decodeJsonPart(parts->header, "header"_L1, &why) : std::nullopt;
    if (!header)
        return {};
    return header->value("kid"_L1).toString();
}

std::optional<JwtClaims> peekJwt(QByteArrayView token, QString *error)
{
    QString why;
    const auto parts = split(token, &why);
    if (!parts) {
        setError(error, why);
        return std::nullopt;
    }
    const auto header = decodeJsonPart(parts->header, "header"_L1, &why);
    const auto payload = header ? decodeJsonPart(parts->payload, "payload"_L1, &why) : std::nullopt;
    if (!payload) {
        setError(error, why);
        return std::nullopt;
    }
    return readClaims(*header, *payload);
}

JwtResult verifyJwt(QByteArrayView token, const Jwks &keys, const JwtVerifyOptions &options)
{
    JwtResult result;
    const auto fail = [&result](JwtError error, const QString &message) {
        result.error = error;
        result.message = message;
        return result;
    };

    QString why;
    const auto parts = split(token, &why);
    if (!parts)
        return fail(JwtError::Malformed, why);
    const auto header = decodeJsonPart(parts->header, "header"_L1, &why);
    if (!header)
        return fail(JwtError::Malformed, why);
    result.claims.header = *header;

    // The algorithm is pinned before anything else is looked at, so that neither "none" nor an
    // HMAC keyed with our public key can ever reach a verification routine.
    const QJsonValue alg = header->value("alg"_L1);
    if (!alg.isString())
        return fail(JwtError::UnsupportedAlgorithm, u"token header has no alg"_s);
    if (alg.toString() != "RS256"_L1) {
        return fail(JwtError::UnsupportedAlgorithm,
            u"algorithm \"%1\" is not accepted, only RS256"_s.arg(printable(alg.toString())));
    }
    // RFC 7515 section 4.1.11: extensions we do not understand must make the token invalid.
    if (header->contains("crit"_L1))
        return fail(JwtError::Malformed, u"token has critical header parameters"_s);

    const auto payload = decodeJsonPart(parts->payload, "payload"_L1, &why);
    if (!payload)
        return fail(JwtError::Malformed, why);
    result.claims = readClaims(*header, *payload);
    const auto signature = decodeBase64Url(parts->signature);
    if (!signature || signature->isEmpty())
        return fail(JwtError::Malformed, u"token signature is missing or not base64url"_s);

    const QJsonValue kid = header->value("kid"_L1);
    if (!kid.isString() || kid.toString().isEmpty())
        return fail(JwtError::UnknownKey, u"token header has no kid"_s);
    EVP_PKEY *key = keys.key(kid.toString());
    if (!key) {
        return fail(JwtError::UnknownKey,
            u"key \"%1\" is not in the key set"_s.arg(printable(kid.toString())));
    }
    // Jwks::insert takes any key; an EC key here would turn this into an ECDSA check.
    if (!EVP_PKEY_is_a(key, "RSA")) {
        return fail(
            JwtError::UnknownKey, u"key \"%1\" is not an RSA key"_s.arg(printable(kid.toString())));
    }
    if (!verifyRs256(key, parts->signingInput, *signature))
        return fail(JwtError::BadSignature, u"signature does not verify"_s);

    // From here on the payload is authentic; what is left is whether it is meant for us, now.
    if (!payload->contains("exp"_L1))
        return fail(JwtError::MissingClaim, u"token has no exp"_s);
    QDateTime expiresAt;
    QDateTime notBefore;
    if (!readNumericDate(*payload, "exp"_L1, &expiresAt))
        return fail(JwtError::Malformed, u"exp is not a NumericDate"_s);
    if (!readNumericDate(*payload, "nbf"_L1, &notBefore))
        return fail(JwtError::Malformed, u"nbf is not a NumericDate"_s);

    JwtClaims times;
    times.expiresAt = expiresAt;
    times.notBefore = notBefore;
    if (const JwtResult timely = checkJwtTimes(times, options); !timely.ok())
        return fail(timely.error, timely.message);

    const QJsonValue iss = payload->value("iss"_L1);
    if (iss.isUndefined())
        return fail(JwtError::MissingClaim, u"token has no iss"_s);
    if (!iss.isString())
        return fail(JwtError::Malformed, u"iss is not a string"_s);
    if (!options.issuers.contains(iss.toString())) {
        return fail(JwtError::WrongIssuer,
            u"issuer \"%1\" is not trusted"_s.arg(printable(iss.toString())));
    }

    const QJsonValue aud = payload->value("aud"_L1);
    if (aud.isUndefined())
        return fail(JwtError::MissingClaim, u"token has no aud"_s);
    if (!aud.isString() && !aud.isArray())
        return fail(JwtError::Malformed, u"aud is neither a string nor an array"_s);
    if (aud.isArray()) {
        const QJsonArray array = aud.toArray();
        if (!std::all_of(
                array.begin(), array.end(), [](const QJsonValue &v) { return v.isString(); }))
            return fail(JwtError::Malformed, u"aud holds something other than strings"_s);
    }
    if (options.audience.isEmpty() || !result.claims.audiences.contains(options.audience))
        return fail(JwtError::WrongAudience, u"token is meant for another audience"_s);

    if (options.requireTenant) {
        const QJsonValue tid = payload->value("tid"_L1);
        if (tid.isUndefined() || (tid.isString() && tid.toString().isEmpty()))
            return fail(JwtError::MissingClaim, u"token has no tid"_s);
        if (!tid.isString())
            return fail(JwtError::Malformed, u"tid is not a string"_s);
    }
    return result;
}

JwtResult checkJwtTimes(const JwtClaims &claims, const JwtVerifyOptions &options)
{
    JwtResult result;
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    // Clamped so that a careless option can neither overflow nor switch expiry off entirely.
    const qint64 skewMs = std::clamp<qint64>(options.skew.count(), 0, MaxSkewSecs) * 1000;
    if (!claims.expiresAt.isValid() || now >= claims.expiresAt.addMSecs(skewMs)) {
        result.error = JwtError::Expired;
        result.message = u"token expired at %1"_s.arg(claims.expiresAt.toString(Qt::ISODateWithMs));
    } else if (claims.notBefore.isValid() && now < claims.notBefore.addMSecs(-skewMs)) {
        result.error = JwtError::NotYetValid;
        result.message =
            u"token is not valid before %1"_s.arg(claims.notBefore.toString(Qt::ISODateWithMs));
    }
    return result;
}

JwtVerifier::JwtVerifier(int capacity)
    : m_capacity(std::max(capacity, 1))
{ }

bool JwtVerifier::knows(QByteArrayView token, const Jwks &keys) const
{
    const auto it = m_passed.constFind(QCryptographicHash::hash(token, QCryptographicHash::Sha256));
    return it != m_passed.cend() && it->key == keys.sharedKey(it->claims.kid);
}

JwtResult JwtVerifier::verify(
    QByteArrayView token, const Jwks &keys, const JwtVerifyOptions &options)
{
    const QByteArray digest = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    if (const auto it = m_passed.constFind(digest); it != m_passed.cend()) {
        if (it->key == keys.sharedKey(it->claims.kid) && it->issuers == options.issuers
            && it->audience == options.audience && it->requireTenant == options.requireTenant) {
            JwtResult result = checkJwtTimes(it->claims, options);
            result.claims = it->claims;
            if (!result.ok())
                m_passed.remove(digest);
            return result;
        }
        m_passed.remove(digest);
    }
    JwtResult result = verifyJwt(token, keys, options);
    if (result.ok()) {
        if (m_passed.size() >= m_capacity)
            m_passed.clear();
        m_passed.insert(digest,
            { result.claims, keys.sharedKey(result.claims.kid), options.issuers, options.audience,
                options.requireTenant });
    }
    return result;
}

QString toString(JwtError error)
{
    switch (error) {
    case JwtError::None:
        return u"None"_s;
    case JwtError::Malformed:
        return u"Malformed"_s;
    case JwtError::UnsupportedAlgorithm:
        return u"UnsupportedAlgorithm"_s;
    case JwtError::UnknownKey:
        return u"UnknownKey"_s;
    case JwtError::BadSignature:
        return u"BadSignature"_s;
    case JwtError::Expired:
        return u"Expired"_s;
    case JwtError::NotYetValid:
        return u"NotYetValid"_s;
    case JwtError::WrongIssuer:
        return u"WrongIssuer"_s;
    case JwtError::WrongAudience:
        return u"WrongAudience"_s;
    case JwtError::MissingClaim:
        return u"MissingClaim"_s;
    }
    return u"Unknown"_s;
}

JwtSigner JwtSigner::generate(const QString &kid, int bits)
{
    JwtSigner signer;
    signer.m_kid = kid;
    if (bits <= 0)
        return signer;
    if (EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)))
        signer.m_key.reset(key, EVP_PKEY_free);
    else
        ERR_clear_error();
    return signer;
}

QByteArray JwtSigner::sign(const QJsonObject &payload) const
{
    const QJsonObject header {
        { "alg"_L1, u"RS256"_s },
        { "typ"_L1, u"JWT"_s },
        { "kid"_L1, m_kid },
    };
    return signWithHeader(header, payload);
}

QByteArray JwtSigner::signWithHeader(const QJsonObject &header, const QJsonObject &payload) const
{
    if (!m_key)
        return {};
    const QByteArray input = encodeBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact))
        + '.' + encodeBase64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());

    const MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, m_key.get()) <= 0
        || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0
        || EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) <= 0) {
        ERR_clear_error();
        return {};
    }
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
            data, size_t(input.size()))
        <= 0) {
        ERR_clear_error();
        return {};
    }
    signature.truncate(qsizetype(length));
    return input + '.' + encodeBase64Url(signature);
}

QJsonObject JwtSigner::publicJwk() const
{
    if (!m_key)
        return {};
    return QJsonObject {
        { "kty"_L1, u"RSA"_s },
        { "use"_L1, u"sig"_s },
        { "alg"_L1, u"RS256"_s },
        { "kid"_L1, m_kid },
        { "n"_L1,
            QString::fromLatin1(encodeBase64Url(bignumParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N))) },
        { "e"_L1,
            QString::fromLatin1(encodeBase64Url(bignumParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E))) },
    };
}

QByteArray JwtSigner::jwksJson() const
{
    QJsonArray keys;
    if (m_key)
        keys.append(publicJwk());
    return QJsonDocument(QJsonObject { { "keys"_L1, keys } }).toJson(QJsonDocument::Compact);
}

Jwks JwtSigner::jwks() const
{
    // Going through JSON yields a key object that holds the public half only, and applies the
    // same rules as to a published key set (so keys below 2048 bits do not appear).
    return Jwks::fromJson(jwksJson()).value_or(Jwks {});
}

} // namespace Graph

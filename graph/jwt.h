#pragma once

#include "graph/jwks.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

namespace Graph {

//! Why a token was refused. Verification stops at the first problem found.
enum class JwtError {
    None,
    Malformed, // not header.payload.signature, bad base64url, not JSON objects, too large, bad
               // types
    UnsupportedAlgorithm, // header `alg` is anything but "RS256" (none, HS256, RS384, ...)
    UnknownKey, // no `kid`, or `kid` not in the key set
    BadSignature,
    Expired,
    NotYetValid,
    WrongIssuer,
    WrongAudience,
    MissingClaim, // exp, iss, aud or (when required) tid absent
};

//! Tokens larger than this are Malformed without further parsing.
inline constexpr qsizetype MaxJwtSize = 16 * 1024;

struct JwtClaims
{
    QJsonObject header;
    QJsonObject payload;
    QString kid;
    QString issuer;
    QString tenantId; // the `tid` claim
    QString subject;
    QStringList audiences; // `aud`, whether it was a string or an array
    QDateTime expiresAt; // invalid when absent
    QDateTime notBefore; // invalid when absent
    QDateTime issuedAt; // invalid when absent
};

struct JwtVerifyOptions
{
    QStringList issuers; // exact match; empty refuses every token
    QString audience; // exact match against any `aud`; empty refuses every token
    std::chrono::seconds skew { 60 }; // tolerance for exp and nbf, clamped to 0..1 day
    QDateTime now; // invalid means the current time
    bool requireTenant = true; // a non-empty string `tid`
};

struct JwtResult
{
    JwtError error = JwtError::None;
    QString message; // human readable; never contains the token or its signature
    JwtClaims claims; // filled as far as decoding got; trust it only when ok()
    bool ok() const { return error == JwtError::None; }
};

//! Splits and decodes header and payload without verifying anything, e.g. to log the kid.
//! nullopt, with a reason in \a error, when the token is not three base64url parts whose first
//! two are JSON objects, or is larger than MaxJwtSize.
std::optional<JwtClaims> peekJwt(QByteArrayView token, QString *error = nullptr);
//! The header's `kid` alone, unverified (the payload is not decoded); empty when the token is
//! malformed or names none.
QString peekJwtKeyId(QByteArrayView token);

//! Verifies an RS256 JWS compact token against \a keys and \a options. The header's `alg` is
//! checked before any key is looked up; the signature before any claim is trusted.
JwtResult verifyJwt(QByteArrayView token, const Jwks &keys, const JwtVerifyOptions &options);

//! Whether a token's exp and nbf (in \a claims) allow it at \a options' now, with its skew.
//! None, or Expired / NotYetValid with the message verifyJwt gives.
JwtResult checkJwtTimes(const JwtClaims &claims, const JwtVerifyOptions &options);

//! verifyJwt with a memory of the tokens that passed. Graph sends the same token with every
//! callback for the token's lifetime, and the RS256 check is the largest part of a callback's
//! cost. A token that passed before (the same bytes, by SHA-256), checked against the same key
//! and the same issuers, audience and tenant rule, is not verified again: only its exp and nbf
//! are checked against options.now, each time. A key set fetched anew holds new keys, so its
//! tokens are verified again. At most `capacity` tokens are kept; past that the memory starts
//! over. Not thread-safe.
class JwtVerifier final
{
public:
    explicit JwtVerifier(int capacity = 256);

    JwtResult verify(QByteArrayView token, const Jwks &keys, const JwtVerifyOptions &options);
    //! Whether `token` passed before against the key `keys` now holds for its kid.
    bool knows(QByteArrayView token, const Jwks &keys) const;
    int size() const { return int(m_passed.size()); }
    void clear() { m_passed.clear(); }

private:
    struct Passed
    {
        JwtClaims claims;
        std::shared_ptr<evp_pkey_st> key; // held, so that no other key can take its address
        QStringList issuers;
        QString audience;
        bool requireTenant = true;
    };

    QHash<QByteArray, Passed> m_passed; // by the token's SHA-256
    int m_capacity;
};

//! A stable English name, e.g. "Malformed", "BadSignature".
//! Note: being found by ADL, it gets in the way of QCOMPARE on JwtError; compare names instead.
QString toString(JwtError error);

//! Signs RS256 tokens with an RSA private key; for the sandbox and tests. Copies share the key.
class JwtSigner final
{
public:
    //! A new random key. isValid() is false if OpenSSL could not make one.
    static JwtSigner generate(const QString &kid, int bits = 2048);

    bool isValid() const { return m_key != nullptr; }
    QString keyId() const { return m_kid; }

    //! header {"alg":"RS256","typ":"JWT","kid":keyId()}. Empty when !isValid().
    QByteArray sign(const QJsonObject &payload) const;
    //! Signs with RS256 whatever \a header says, so tests can forge headers.
    QByteArray signWithHeader(const QJsonObject &header, const QJsonObject &payload) const;

    //! {"kty":"RSA","use":"sig","alg":"RS256","kid":..,"n":..,"e":..}; empty when !isValid().
    QJsonObject publicJwk() const;
    //! {"keys":[publicJwk()]}, compact.
    QByteArray jwksJson() const;
    //! The public key alone, as a key set.
    Jwks jwks() const;

private:
    QString m_kid;
    std::shared_ptr<evp_pkey_st> m_key;
};

} // namespace Graph

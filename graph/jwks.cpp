#include "graph/jwks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::StringLiterals;

namespace Graph {

namespace {

struct BignumFree
{
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
struct ParamBldFree
{
    void operator()(OSSL_PARAM_BLD *bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree
{
    void operator()(OSSL_PARAM *params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxFree
{
    void operator()(EVP_PKEY_CTX *ctx) const { EVP_PKEY_CTX_free(ctx); }
};

using Bignum = std::unique_ptr<BIGNUM, BignumFree>;

// RFC 7518 section 3.3 requires at least 2048 bits for RS256; OpenSSL refuses public operations
// above 16384 bits, and a cap keeps a hostile JWKS from costing us much.
constexpr int MinModulusBits = 2048;
constexpr int MaxModulusBits = 16384;
// Real exponents are 65537; anything wider than 64 bits is refused by OpenSSL for large moduli.
constexpr qsizetype MaxExponentBytes = 8;

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

Bignum bignumFrom(const QByteArray &bytes)
{
    return Bignum(BN_bin2bn(
        reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
}

// Builds an RSA public key from big-endian n and e, or returns null.
std::shared_ptr<evp_pkey_st> rsaPublicKey(const QByteArray &n, const QByteArray &e)
{
    const Bignum bn(bignumFrom(n));
    const Bignum be(bignumFrom(e));
    if (!bn || !be)
        return {};
    const int bits = BN_num_bits(bn.get());
    if (bits < MinModulusBits || bits > MaxModulusBits)
        return {};
    if (!BN_is_odd(bn.get()) || !BN_is_odd(be.get()) || BN_is_one(be.get()))
        return {};

    const std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get())
        || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()))
        return {};
    const std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0 || !pkey)
        return {};
    return std::shared_ptr<evp_pkey_st>(pkey, EVP_PKEY_free);
}

// Keys and kids come from the network: keep what we echo into logs short and printable.
QString printable(const QString &text)
{
    QString out = text.left(64);
    for (QChar &c : out) {
        if (!c.isPrint())
            c = u'?';
    }
    return out;
}

} // namespace

QByteArray encodeBase64Url(QByteArrayView data)
{
    return data.toByteArray().toBase64(
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    // Qt accepts '=' even with OmitTrailingEquals, and silently drops a lone trailing sextet;
    // JWS forbids padding and a length of 1 mod 4 cannot come from any byte string.
    if (text.contains('=') || text.size() % 4 == 1)
        return std::nullopt;
    auto result = QByteArray::fromBase64Encoding(text.toByteArray(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
            | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return std::move(result.decoded);
}

std::optional<Jwks> Jwks::fromJson(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error, u"JWKS is not JSON: %1"_s.arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        setError(error, u"JWKS is not a JSON object"_s);
        return std::nullopt;
    }
    const QJsonValue keys = doc.object().value("keys"_L1);
    if (!keys.isArray()) {
        setError(error, u"JWKS has no \"keys\" array"_s);
        return std::nullopt;
    }

    Jwks jwks;
    for (const QJsonValue &value : keys.toArray()) {
        const QJsonObject jwk = value.toObject();
        if (jwk.value("kty"_L1).toString() != "RSA"_L1)
            continue;
        // A key published for encryption, or for another algorithm, must not verify RS256.
        if (jwk.contains("use"_L1) && jwk.value("use"_L1).toString() != "sig"_L1)
            continue;
        if (jwk.contains("alg"_L1) && jwk.value("alg"_L1).toString() != "RS256"_L1)
            continue;
        const QString kid = jwk.value("kid"_L1).toString();
        if (kid.isEmpty() || jwks.contains(kid))
            continue;
        const auto n = decodeBase64Url(jwk.value("n"_L1).toString().toLatin1());
        const auto e = decodeBase64Url(jwk.value("e"_L1).toString().toLatin1());
        if (!n || !e || n->isEmpty() || e->isEmpty() || e->size() > MaxExponentBytes)
            continue;
        // Skipping rather than failing: one odd key must not take down the others.
        if (auto key = rsaPublicKey(*n, *e))
            jwks.insert(kid, std::move(key));
    }
    return jwks;
}

evp_pkey_st *Jwks::key(const QString &kid) const
{
    const auto it = m_keys.constFind(kid);
    return it == m_keys.cend() ? nullptr : it->get();
}

void Jwks::insert(const QString &kid, std::shared_ptr<evp_pkey_st> key)
{
    if (key)
        m_keys.insert(kid, std::move(key));
}

std::optional<QUrl> jwksUriFromOpenIdConfiguration(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error, u"OpenID configuration is not JSON: %1"_s.arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        setError(error, u"OpenID configuration is not a JSON object"_s);
        return std::nullopt;
    }
    const QJsonValue value = doc.object().value("jwks_uri"_L1);
    if (!value.isString()) {
        setError(error, u"OpenID configuration has no \"jwks_uri\" string"_s);
        return std::nullopt;
    }
    const QUrl url(value.toString(), QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || url.isRelative() || url.host().isEmpty()
        || (scheme != "https"_L1 && scheme != "http"_L1)) {
        setError(error,
            u"OpenID configuration has an unusable jwks_uri: %1"_s.arg(
                printable(value.toString())));
        return std::nullopt;
    }
    return url;
}

} // namespace Graph

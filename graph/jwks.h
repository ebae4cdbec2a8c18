#pragma once

#include <QByteArrayView>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

// OpenSSL's EVP_PKEY is a typedef of this struct; declaring it keeps OpenSSL out of our headers.
struct evp_pkey_st;

namespace Graph {

//! A set of RSA public keys by key id (`kid`), as published in a JSON Web Key Set.
//! Copies share the underlying keys, which are immutable once built.
class Jwks final
{
public:
    //! Parses `{"keys":[{"kty":"RSA","kid":..,"n":..,"e":..}, ...]}`. Keys that we cannot use for
    //! RS256 (other `kty`, `use` other than "sig", `alg` other than "RS256", no `kid`, bad `n`/`e`,
    //! modulus below 2048 or above 16384 bits) are skipped, as are repeated kids (the first wins).
    //! `x5c` is ignored: `n`/`e` are what the signature is checked against.
    //! nullopt, with a reason in \a error, when the document is not a JSON object with a `keys`
    //! array. An empty array gives an empty set.
    static std::optional<Jwks> fromJson(QByteArrayView json, QString *error = nullptr);

    bool contains(const QString &kid) const { return m_keys.contains(kid); }
    QStringList keyIds() const { return m_keys.keys(); }
    int size() const { return int(m_keys.size()); }
    bool isEmpty() const { return m_keys.isEmpty(); }

    //! The key for \a kid, or nullptr. Owned by this set (and its copies).
    evp_pkey_st *key(const QString &kid) const;
    //! The same key, shared: holding it keeps it alive after the set is replaced.
    std::shared_ptr<evp_pkey_st> sharedKey(const QString &kid) const { return m_keys.value(kid); }

    //! Adds or replaces \a kid. A null \a key is ignored.
    void insert(const QString &kid, std::shared_ptr<evp_pkey_st> key);

private:
    QMap<QString, std::shared_ptr<evp_pkey_st>> m_keys;
};

//! Base64url without padding (RFC 7515 section 2), as used in JWS and JWK.
QByteArray encodeBase64Url(QByteArrayView data);
//! Strict inverse of encodeBase64Url: nullopt on any character outside the base64url alphabet,
//! on '=' padding and on impossible lengths.
std::optional<QByteArray> decodeBase64Url(QByteArrayView text);

//! Reads `jwks_uri` from an OpenID Connect configuration document. Only absolute http(s) URLs with
//! a host are accepted; otherwise nullopt with a reason in \a error.
std::optional<QUrl> jwksUriFromOpenIdConfiguration(QByteArrayView json, QString *error = nullptr);

} // namespace Graph

// libFuzzer target for the JWT and JWKS parsers: whatever arrives in an Authorization header or a
// key set download must be refused cleanly, never crash, hang or trip a sanitizer.
#include "graph/jwks.h"
#include "graph/jwt.h"

#include <QByteArrayView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

// Built once: key generation costs far more than one fuzz iteration.
struct Fixture final
{
    Fixture()
        : signer(Graph::JwtSigner::generate(u"fuzz-key"_s))
        , keys(signer.jwks())
    {
        options.issuers = QStringList { u"https://graph.microsoft.com"_s };
        options.audience = u"fuzz-client"_s;
        options.now = QDateTime::fromSecsSinceEpoch(1714564800, QTimeZone::utc());
        genuine = signer.sign(QJsonObject {
            { "iss"_L1, u"https://graph.microsoft.com"_s },
            { "aud"_L1, u"fuzz-client"_s },
            { "tid"_L1, u"tenant"_s },
            { "exp"_L1, 1714564800 + 3600 },
        });
        if (!signer.isValid() || keys.size() != 1 || !Graph::verifyJwt(genuine, keys, options).ok())
            std::abort();
    }

    Graph::JwtSigner signer;
    Graph::Jwks keys;
    Graph::JwtVerifyOptions options;
    QByteArray genuine;
};

const Fixture &fixture()
{
    static const Fixture instance;
    return instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Fixture &f = fixture();
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    // As a token.
    QString error;
    const auto peeked = Graph::peekJwt(input, &error);
    if (!peeked && error.isEmpty())
        std::abort();
    const Graph::JwtResult result = Graph::verifyJwt(input, f.keys, f.options);
    if (result.ok() ? !peeked : result.message.isEmpty())
        std::abort();

    // As a key set; one that parses must be usable.
    if (const auto jwks = Graph::Jwks::fromJson(input))
        Graph::verifyJwt(f.genuine, *jwks, f.options);

    // As an OpenID configuration document.
    Graph::jwksUriFromOpenIdConfiguration(input);

    // As claims: signing them gets arbitrary JSON past the signature into the claim checks, which
    // random tokens never reach. A token we signed ourselves must never fail on algorithm, key or
    // signature, and must always be readable unless it is too large.
    const QJsonDocument doc = QJsonDocument::fromJson(input.toByteArray());
    if (doc.isObject()) {
        const QByteArray token = f.signer.sign(doc.object());
        const Graph::JwtResult signedResult = Graph::verifyJwt(token, f.keys, f.options);
        switch (signedResult.error) {
        case Graph::JwtError::UnsupportedAlgorithm:
        case Graph::JwtError::UnknownKey:
        case Graph::JwtError::BadSignature:
            std::abort();
        default:
            break;
        }
        if (token.size() <= Graph::MaxJwtSize && !Graph::peekJwt(token))
            std::abort();
    }
    return 0;
}

// libFuzzer target for POST /callbacks, the relay's one endpoint that anybody on the internet can
// reach: the headers and the body go through the handler's pure part (size, bearer JWT,
// Content-Type, commsNotifications) and what it accepts is applied to a RelayState, as the relay
// does after journaling it. Nothing may crash, hang or trip a sanitizer, and every answer must be
// one the contract allows.
//
// Input: the first line is the Content-Type header, the second the Authorization header, the rest
// the body. An Authorization line that reads "valid" stands for a token the fixture signed, so
// that inputs get past the signature to the body.
#include "graph/jwt.h"
#include "graph/relayprotocol.h"
#include "relay/relayserver.h"
#include "relay/relaystate.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QTimeZone>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

// 2024-05-01T12:00:00Z
constexpr qint64 NowSecs = 1714564800;

// Built once: key generation costs far more than one fuzz iteration.
struct Fixture final
{
    Fixture()
        : signer(Graph::JwtSigner::generate(u"fuzz-key"_s))
        , keys(signer.jwks())
    {
        options.issuers = QStringList { u"https://graph.microsoft.com"_s };
        options.audience = u"fuzz-client"_s;
        options.now = QDateTime::fromSecsSinceEpoch(NowSecs, QTimeZone::utc());
        options.maxBodyBytes = 1024 * 1024;
        validAuthorization = "Bearer "
            + signer.sign(QJsonObject {
                { "iss"_L1, u"https://graph.microsoft.com"_s },
                { "aud"_L1, u"fuzz-client"_s },
                { "tid"_L1, u"tenant"_s },
                { "exp"_L1, NowSecs + 3600 },
            });
        Relay::CallbackRequest probe { "application/json", validAuthorization, "{\"value\":[]}" };
        if (!signer.isValid() || Relay::checkCallback(probe, keys, options).status != 202)
            std::abort();
    }

    Graph::JwtSigner signer;
    Graph::Jwks keys;
    Relay::CallbackOptions options;
    QByteArray validAuthorization;
};

const Fixture &fixture()
{
    static const Fixture instance;
    return instance;
}

QByteArrayView takeLine(QByteArrayView &input)
{
    const qsizetype lf = input.indexOf('\n');
    const QByteArrayView line = lf < 0 ? input : input.first(lf);
    input = lf < 0 ? QByteArrayView() : input.sliced(lf + 1);
    return line;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Fixture &f = fixture();
    QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    Relay::CallbackRequest request;
    request.contentType = takeLine(input).toByteArray();
    const QByteArrayView authorization = takeLine(input);
    request.authorization =
        authorization == "valid" ? f.validAuthorization : authorization.toByteArray();
    request.body = input.toByteArray();

    // What the relay asks before judging: whether the key set must be refetched first.
    const QString kid = Relay::missingKeyId(request.authorization, f.keys);
    if (kid == u"fuzz-key"_s)
        std::abort();

    const Relay::CallbackCheck check = Relay::checkCallback(request, f.keys, f.options);
    switch (check.status) {
    case 202:
        break;
    case 401:
        // The reason is logged and answered: it names the problem, never anything of the token.
        if (check.reason != u"no bearer token"_s
            && check.reason != u"token refused: "_s + Graph::toString(check.jwtError))
            std::abort();
        [[fallthrough]];
    case 400:
    case 413:
    case 415:
        if (check.reason.isEmpty() || !check.notifications.isEmpty())
            std::abort();
        return 0;
    default:
        std::abort();
    }
    if (check.notifications.size() != check.callIds.size())
        std::abort();

    // The journal-less apply path: each notification, as received, applied in seq order.
    Relay::RelayState state;
    qint64 seq = 0;
    for (const QJsonObject &notification : check.notifications) {
        Graph::RelayProtocol::StreamEvent event;
        event.type = Graph::RelayProtocol::StreamEvent::Type::Notification;
        event.seq = ++seq;
        event.at = f.options.now;
        event.notification = notification;
        state.apply(event);
        Graph::RelayProtocol::encodeEvent(event);
    }
    if (state.seq() != seq)
        std::abort();
    Graph::RelayProtocol::encodeSnapshot(state.snapshot());
    return 0;
}

// libFuzzer target for the Graph codec and the CallBook reducer that consumes it.
//
// The bytes are decoded as a commsNotifications body and as every document the codec reads;
// whatever decodes is encoded again, and notifications are applied to a CallBook whose state
// is then encoded back. Besides crashes and sanitizer reports, it checks these properties and
// aborts when they fail:
//  - a notifications body that decoded still decodes after encode();
//  - a DecodeError says what was wrong;
//  - every id in CallBook::ids() is found by CallBook::find().
//
// Build: cmake -DCMAKE_CXX_COMPILER=clang++ -DFRONTDESK_FUZZERS=ON
//        -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link"
// Seeds: tests/fuzz/corpus/codec/ (copy it first: libFuzzer writes new inputs into it).

#include "graph/callbook.h"
#include "graph/codec.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_codec: %s\n", what);
    std::abort();
}

// The fixed clock: the book never reads the time, so neither does the harness.
QDateTime at(int minutes)
{
    return QDateTime(QDate(2026, 1, 5), QTime(9, 0), QTimeZone::utc()).addSecs(minutes * 60);
}

// Encodes everything the book holds, and checks that the codec reads it back.
void encodeBook(const Graph::CallBook &book)
{
    for (const QString &id : book.ids()) {
        const Graph::CallEntry *entry = book.find(id);
        if (!entry)
            fail("an id in ids() is not found");
        const QJsonObject call = Graph::encode(entry->call);
        (void)Graph::decodeCall(call);
        for (const Graph::Participant &p : entry->participants)
            (void)Graph::decodeParticipant(Graph::encode(p));
        for (const Graph::CommsOperation &op : entry->operations)
            (void)Graph::decodeOperation(Graph::encode(op));
        for (const Graph::ToneInfo &tone : entry->tones)
            (void)Graph::decodeToneInfo(Graph::encode(tone));
        (void)entry->participant(id);
        (void)entry->isEnded();
    }
}

void fuzzNotifications(const QByteArray &bytes)
{
    const Graph::Decoded<Graph::CommsNotifications> decoded = Graph::decodeNotifications(bytes);
    if (!decoded) {
        // The error must say something.
        if (decoded.error->message.isEmpty())
            fail("a DecodeError without a message");
        (void)decoded.error->toString();
        return;
    }

    // What decoded must decode again once encoded.
    const QJsonObject encoded = Graph::encode(decoded.value);
    const Graph::Decoded<Graph::CommsNotifications> again = Graph::decodeNotifications(encoded);
    if (!again)
        fail("encode(decodeNotifications(x)) does not decode");
    if (again.value.value.size() != decoded.value.value.size())
        fail("encode(decodeNotifications(x)) has a different number of notifications");

    Graph::CallBook book(std::chrono::minutes(10));
    int minute = 0;
    for (const Graph::CommsNotification &n : decoded.value.value) {
        (void)Graph::encode(n);
        // Each resource through its own decoder and encoder, as the relay and console do.
        if (n.resourceData.isObject()) {
            const QJsonObject data = n.resourceData.toObject();
            (void)Graph::encode(Graph::decodeCall(data));
            (void)Graph::encode(Graph::decodeOperation(data));
            (void)Graph::encode(Graph::decodeParticipant(data));
        } else {
            for (const QJsonValue &v : n.resourceData.toArray()) {
                if (v.isObject())
                    (void)Graph::encode(Graph::decodeParticipant(v.toObject()));
            }
        }
        (void)book.apply(n, at(minute++));
    }
    // Apply the batch a second time: now mostly duplicates and stale entries.
    for (const Graph::CommsNotification &n : decoded.value.value)
        (void)book.apply(n, at(minute));
    encodeBook(book);

    // The entry points that do not come from a notification.
    if (!book.ids().isEmpty()) {
        const QString first = book.ids().first();
        if (const Graph::CallEntry *entry = book.find(first)) {
            const Graph::Call call = entry->call;
            (void)book.applyCall(call, at(minute + 1));
        }
        Graph::ResultInfo gone;
        gone.code = 404;
        gone.message = u"gone"_s;
        (void)book.markEnded(first, gone, at(minute + 2));
    }
    (void)book.expire(at(minute + 5));
    encodeBook(book);
    (void)book.expire(at(minute + 60));
    encodeBook(book);
    book.clear();
}

void fuzzDocuments(const QByteArray &bytes)
{
    if (const auto call = Graph::decodeCallDocument(bytes)) {
        const QJsonObject encoded = Graph::encode(call.value);
        if (!Graph::decodeCallDocument(QJsonDocument(encoded).toJson()))
            fail("encode(decodeCallDocument(x)) does not decode");
        Graph::CallBook book;
        (void)book.applyCall(call.value, at(0));
        encodeBook(book);
    }
    if (const auto participant = Graph::decodeParticipantDocument(bytes))
        (void)Graph::encode(participant.value);
    if (const auto participants = Graph::decodeParticipantCollection(bytes)) {
        for (const Graph::Participant &p : participants.value)
            (void)Graph::encode(p);
    }
    if (const auto op = Graph::decodeOperationDocument(bytes))
        (void)Graph::encode(op.value);
    if (const auto meeting = Graph::decodeOnlineMeetingDocument(bytes)) {
        const QJsonObject encoded = Graph::encode(meeting.value);
        if (!Graph::decodeOnlineMeetingDocument(QJsonDocument(encoded).toJson()))
            fail("encode(decodeOnlineMeetingDocument(x)) does not decode");
    }
    if (const auto meetings = Graph::decodeOnlineMeetingCollection(bytes)) {
        for (const Graph::OnlineMeeting &m : meetings.value)
            (void)Graph::encode(m);
    }

    // The small decoders accept any object; give them the root.
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        return;
    const QJsonObject o = doc.object();
    (void)Graph::encode(Graph::decodeIdentitySet(o));
    (void)Graph::encode(Graph::decodeParticipantInfo(o));
    (void)Graph::encode(Graph::decodeInvitationParticipantInfo(o));
    (void)Graph::encode(Graph::decodeResultInfo(o));
    (void)Graph::encode(Graph::decodeToneInfo(o));
    (void)Graph::encode(Graph::decodeMediaStream(o));
    (void)Graph::encode(Graph::decodeMediaInfo(o));
    (void)Graph::encode(Graph::decodeChatInfo(o));
    (void)Graph::encode(Graph::decodeMeetingInfo(o));
    (void)Graph::encode(Graph::decodeMeetingParticipantInfo(o));
    (void)Graph::decodeNotification(o);
    for (auto it = o.begin(); it != o.end(); ++it) {
        (void)Graph::readInteger(it.value());
        (void)Graph::writeDateTime(Graph::readDateTime(it.value()));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A copy, so that the parser sees a terminated buffer as it would from the network.
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    fuzzNotifications(bytes);
    fuzzDocuments(bytes);
    return 0;
}

#include "consoleload.h"

#include "graph/streamstate.h"

#include <QJsonDocument>

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;
namespace RP = Graph::RelayProtocol;

namespace Bench {

namespace {

const QString Bot = u"2b7e4f0a-6c1d-4e8b-9a3f-0d5c7b1e2a64"_s;
const QString BotApp = u"6a1c8d0e-51f4-4c6b-9a3e-7d2f0b9c1e55"_s;
const QStringList Operators { u"alice"_s, u"bob"_s, u"carol"_s };

QString callId(int n)
{
    return u"491f0b00-ffff-4c6a-9b0e-%1"_s.arg(n, 12, 10, QLatin1Char('0'));
}

QString personId(int n)
{
    return u"9d2c6a41-7e3b-4f05-8c1a-%1"_s.arg(n, 12, 10, QLatin1Char('0'));
}

QString callUrl(const QString &call)
{
    return u"/communications/calls/"_s + call;
}

QJsonObject identitySet(const QString &kind, const QString &id, const QString &name)
{
    QJsonObject identity { { "@odata.type"_L1, u"#microsoft.graph.identity"_s }, { "id"_L1, id } };
    if (!name.isEmpty())
        identity.insert("displayName"_L1, name);
    return { { "@odata.type"_L1, u"#microsoft.graph.communicationsIdentitySet"_s },
        { kind, identity } };
}

// A person's identity: every fifth a phone, every fifth a guest, the rest users.
QJsonObject personIdentity(int n)
{
    if (n % 5 == 0)
        return identitySet(u"phone"_s, u"+1 555 %1"_s.arg(n % 10000, 4, 10, QLatin1Char('0')), {});
    if (n % 5 == 1)
        return identitySet(u"guest"_s, u"guest-%1"_s.arg(n), u"Guest %1"_s.arg(n));
    return identitySet(u"user"_s, u"oid-person-%1"_s.arg(n), u"Person %1"_s.arg(n));
}

QJsonObject participantInfo(const QJsonObject &identity)
{
    return { { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1, identity } };
}

QJsonObject participant(const QString &id, const QJsonObject &identity, qint64 sequence, bool muted)
{
    const QJsonObject stream {
        { "@odata.type"_L1, u"#microsoft.graph.mediaStream"_s },
        { "mediaType"_L1, u"audio"_s },
        { "sourceId"_L1, u"1"_s },
        { "direction"_L1, u"sendReceive"_s },
        { "serverMuted"_L1, false },
    };
    return {
        { "@odata.type"_L1, u"#microsoft.graph.participant"_s },
        { "id"_L1, id },
        { "info"_L1, participantInfo(identity) },
        { "mediaStreams"_L1, QJsonArray { stream } },
        { "isMuted"_L1, muted },
        { "isInLobby"_L1, false },
        { "rosterSequenceNumber"_L1, sequence },
    };
}

QJsonObject envelope(const QString &changeType, const QString &url, const QJsonValue &data)
{
    return {
        { "@odata.type"_L1, u"#microsoft.graph.commsNotification"_s },
        { "changeType"_L1, changeType },
        { "resourceUrl"_L1, url },
        { "resource"_L1, QString(u"/app"_s + url.mid(15)) }, // after "/communications"
        { "resourceData"_L1, data },
    };
}

QJsonObject callData(const QString &state, QJsonObject fields = {})
{
    fields.insert("@odata.type"_L1, u"#microsoft.graph.call"_s);
    fields.insert("state"_L1, state);
    return fields;
}

QJsonObject incomingCall(const QString &call, int caller)
{
    const QJsonObject source {
        { "@odata.type"_L1, u"#microsoft.graph.participantInfo"_s },
        { "identity"_L1, personIdentity(caller) },
        { "region"_L1, u"emea"_s },
        { "languageId"_L1, u"en-US"_s },
    };
    const QJsonObject target {
        { "@odata.type"_L1, u"#microsoft.graph.invitationParticipantInfo"_s },
        { "identity"_L1, identitySet(u"application"_s, BotApp, u"Frontdesk Bot"_s) },
    };
    return envelope(u"created"_s, callUrl(call),
        callData(u"incoming"_s,
            {
                { "direction"_L1, u"incoming"_s },
                { "source"_L1, source },
                { "targets"_L1, QJsonArray { target } },
                { "requestedModalities"_L1, QJsonArray { u"audio"_s } },
                { "myParticipantId"_L1, Bot },
                { "id"_L1, call },
            }));
}

QJsonObject callUpdated(const QString &call, const QString &state, const QJsonObject &fields = {})
{
    return envelope(u"updated"_s, callUrl(call), callData(state, fields));
}

QJsonObject callDeleted(const QString &call, int code, int subcode)
{
    const QJsonObject result {
        { "@odata.type"_L1, u"#microsoft.graph.resultInfo"_s },
        { "code"_L1, code },
        { "subcode"_L1, subcode },
    };
    return envelope(
        u"deleted"_s, callUrl(call), callData(u"terminated"_s, { { "resultInfo"_L1, result } }));
}

QString toText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject fromText(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

void removeValue(QList<int> &list, int value)
{
    const auto it = std::find(list.begin(), list.end(), value);
    if (it != list.end()) {
        *it = list.last();
        list.removeLast();
    }
}

} // namespace

ConsoleLoad::ConsoleLoad(quint32 seed)
    : m_random(seed)
{ }

int ConsoleLoad::randomInt(int low, int high)
{
    return std::uniform_int_distribution<int>(low, high)(m_random);
}

int ConsoleLoad::pick(const QList<int> &pool)
{
    return pool.at(randomInt(0, int(pool.size()) - 1));
}

int ConsoleLoad::newCall(Stage stage, int people)
{
    Sim sim;
    sim.id = callId(int(m_calls.size()) + 1);
    sim.stage = stage;
    for (int i = 0; i < people; ++i) {
        const int n = ++m_nextPerson;
        sim.roster.append(Person { personId(n), n, n % 7 == 0, -1 });
    }
    m_calls.append(sim);
    const int index = int(m_calls.size()) - 1;
    setStage(index, stage);
    return index;
}

void ConsoleLoad::setStage(int index, Stage stage)
{
    Sim &sim = m_calls[index];
    removeValue(m_incoming, index);
    removeValue(m_establishing, index);
    removeValue(m_established, index);
    removeValue(m_big, index);
    sim.stage = stage;
    if (stage == Stage::Incoming)
        m_incoming.append(index);
    else if (stage == Stage::Establishing)
        m_establishing.append(index);
    else if (stage == Stage::Established)
        (sim.big ? m_big : m_established).append(index);
    else
        sim.roster = {}; // forgotten: nothing more happens to it
}

QJsonObject ConsoleLoad::rosterNotification(Sim &sim)
{
    // Without delta rosters Graph sends the whole roster each time. Each participant carries the
    // sequence number of the roster in which it last changed (graph-notes: "roster sequence in
    // which this participant was last updated"), so those who did not change are sent as before.
    ++sim.rosterSeq;
    if (sim.botSeq < 0)
        sim.botSeq = sim.rosterSeq;
    QJsonArray people;
    people.append(participant(
        Bot, identitySet(u"application"_s, BotApp, u"Frontdesk Bot"_s), sim.botSeq, false));
    for (Person &p : sim.roster) {
        if (p.seq < 0)
            p.seq = sim.rosterSeq;
        people.append(participant(p.id, personIdentity(p.n), p.seq, p.muted));
    }
    return envelope(u"updated"_s, callUrl(sim.id) + u"/participants"_s, people);
}

QString ConsoleLoad::eventText(const QDateTime &at, const QJsonObject &notification)
{
    return toText({
        { "type"_L1, u"event"_s },
        { "seq"_L1, ++m_seq },
        { "at"_L1, RP::writeTimestamp(at) },
        { "notification"_L1, notification },
    });
}

QString ConsoleLoad::relayText(
    const QDateTime &at, const QString &kind, const QString &callId, const QString &by)
{
    return toText({
        { "type"_L1, u"relay"_s },
        { "seq"_L1, ++m_seq },
        { "at"_L1, RP::writeTimestamp(at) },
        { "kind"_L1, kind },
        { "callId"_L1, callId },
        { "by"_L1, by },
    });
}

QByteArray ConsoleLoad::buildSnapshot(const QDateTime &now, int calls, int participants)
{
    // Roster sizes count the bot, as CallEntry::participants does.
    const int incoming = calls * 15 / 100;
    const int ended = calls * 2 / 100;
    const int big = std::max(1, calls * 15 / 1000);
    QList<Stage> stages;
    QList<int> sizes;
    for (int i = 0; i < calls; ++i) {
        const bool isIncoming = i < incoming;
        const bool isEnded = !isIncoming && i < incoming + ended;
        const bool isBig = !isIncoming && !isEnded && i < incoming + ended + big;
        stages.append(isIncoming ? Stage::Incoming : isEnded ? Stage::Ended : Stage::Established);
        sizes.append(isIncoming ? 2 : isEnded ? 3 : isBig ? randomInt(50, 250) : 0);
    }
    sizes[incoming + ended] = 120; // the selected call
    int used = 0;
    for (const int size : std::as_const(sizes))
        used += size;
    const int small = calls - incoming - ended - big;
    const int average = small > 0 ? std::max(3, (participants - used) / small) : 3;
    for (int i = incoming + ended + big; i < calls; ++i) {
        sizes[i] = randomInt(3, std::max(3, 2 * average - 3));
        used += sizes[i];
    }
    for (int i = incoming + ended + big; used != participants && small > 0; ++i) {
        if (i == calls)
            i = incoming + ended + big;
        if (used < participants) {
            ++sizes[i];
            ++used;
        } else if (sizes[i] > 3) {
            --sizes[i];
            --used;
        }
    }
    // Shuffle the kinds over the call ids, keeping each call's size with its kind.
    QList<int> order(calls);
    for (int i = 0; i < calls; ++i)
        order[i] = i;
    std::shuffle(order.begin(), order.end(), m_random);

    Graph::StreamState relay(std::chrono::minutes(10), std::chrono::seconds(15));
    const auto feed = [&relay](const QString &text) {
        if (const auto event = RP::decodeEvent(fromText(text)))
            relay.apply(*event);
    };
    for (const int k : std::as_const(order)) {
        const Stage stage = stages.at(k);
        const bool isBig = sizes.at(k) >= 50 && stage == Stage::Established;
        const int index = newCall(Stage::Incoming, sizes.at(k) - 1);
        Sim &sim = m_calls[index];
        sim.big = isBig;
        if (k == incoming + ended) {
            m_selectedIndex = index;
            m_selected = sim.id;
        }
        QDateTime first = now.addSecs(-randomInt(60, 1800));
        QDateTime end;
        if (stage == Stage::Incoming) {
            first = now.addMSecs(-randomInt(0, 14000));
        } else if (stage == Stage::Ended) {
            end = now.addSecs(-randomInt(5, 600));
            first = end.addSecs(-randomInt(30, 1200));
        }
        const int caller = sim.roster.isEmpty() ? 0 : sim.roster.first().n;
        feed(eventText(first, incomingCall(sim.id, caller)));
        if (stage != Stage::Incoming) {
            feed(eventText(first.addSecs(2), callUpdated(sim.id, u"establishing"_s)));
            feed(eventText(first.addSecs(3), callUpdated(sim.id, u"established"_s)));
            if (randomInt(0, 1) == 0) {
                feed(relayText(
                    first.addSecs(3), u"handled"_s, sim.id, Operators.at(randomInt(0, 2))));
            }
        }
        feed(eventText(first.addSecs(stage == Stage::Incoming ? 0 : 4), rosterNotification(sim)));
        if (stage == Stage::Incoming && randomInt(0, 3) == 0)
            feed(relayText(first, u"claimed"_s, sim.id, Operators.at(randomInt(0, 2))));
        if (stage == Stage::Ended)
            feed(eventText(end, callDeleted(sim.id, 200, 0)));
        setStage(index, stage);
    }

    return QJsonDocument(RP::encodeSnapshot(relay.snapshot())).toJson(QJsonDocument::Compact);
}

QString ConsoleLoad::next(const QDateTime &at)
{
    const int roll = randomInt(0, 99);
    QString text;
    if (roll < 8)
        text = nextNewCall(at);
    else if (roll < 28)
        text = nextStateChange(at);
    else if (roll < 73)
        text = nextRoster(at);
    else if (roll < 88)
        text = nextTone(at);
    else
        text = nextRelay(at);
    return text.isEmpty() ? nextNewCall(at) : text;
}

QString ConsoleLoad::nextNewCall(const QDateTime &at)
{
    ++m_mix.newCalls;
    const int index = newCall(Stage::Incoming, 1);
    return eventText(at, incomingCall(m_calls.at(index).id, m_calls.at(index).roster.first().n));
}

QString ConsoleLoad::nextStateChange(const QDateTime &at)
{
    const int choice = randomInt(0, 2);
    if (choice == 0 && !m_establishing.isEmpty()) {
        const int index = pick(m_establishing);
        setStage(index, Stage::Established);
        ++m_mix.stateChanges;
        return eventText(at, callUpdated(m_calls.at(index).id, u"established"_s));
    }
    if (choice <= 1 && !m_incoming.isEmpty()) {
        const int index = pick(m_incoming);
        ++m_mix.stateChanges;
        if (randomInt(0, 9) == 0) { // missed
            setStage(index, Stage::Ended);
            return eventText(at, callDeleted(m_calls.at(index).id, 408, 10000));
        }
        setStage(index, Stage::Establishing);
        return eventText(at, callUpdated(m_calls.at(index).id, u"establishing"_s));
    }
    if (!m_established.isEmpty()) {
        const int index = pick(m_established);
        setStage(index, Stage::Ended);
        ++m_mix.stateChanges;
        return eventText(at, callDeleted(m_calls.at(index).id, 200, 0));
    }
    return {};
}

QString ConsoleLoad::nextRoster(const QDateTime &at)
{
    int index = -1;
    const int where = randomInt(0, 9);
    if (where < 2 && m_selectedIndex >= 0)
        index = m_selectedIndex;
    else if (where < 5 && !m_big.isEmpty())
        index = pick(m_big);
    else if (!m_established.isEmpty())
        index = pick(m_established);
    if (index < 0)
        return {};
    Sim &sim = m_calls[index];
    const int action = randomInt(0, 99);
    const int limit = sim.big ? 260 : 30;
    if (action < 35 && sim.roster.size() < limit) {
        const int n = ++m_nextPerson;
        sim.roster.append(Person { personId(n), n, false, -1 });
    } else if (action < 65 && sim.roster.size() > 2) {
        sim.roster.removeAt(randomInt(0, int(sim.roster.size()) - 1));
    } else if (!sim.roster.isEmpty()) {
        Person &p = sim.roster[randomInt(0, int(sim.roster.size()) - 1)];
        p.muted = !p.muted;
        p.seq = -1; // changed in the roster about to be sent
    }
    ++m_mix.rosters;
    return eventText(at, rosterNotification(sim));
}

QString ConsoleLoad::nextTone(const QDateTime &at)
{
    int index = m_selectedIndex;
    if (randomInt(0, 4) != 0 && !m_established.isEmpty())
        index = pick(m_established);
    if (index < 0)
        return {};
    Sim &sim = m_calls[index];
    const QJsonObject toneInfo {
        { "@odata.type"_L1, u"#microsoft.graph.toneInfo"_s },
        { "sequenceId"_L1, ++sim.toneSeq },
        { "tone"_L1, u"tone%1"_s.arg(randomInt(0, 9)) },
    };
    ++m_mix.tones;
    return eventText(at, callUpdated(sim.id, u"established"_s, { { "toneInfo"_L1, toneInfo } }));
}

QString ConsoleLoad::nextRelay(const QDateTime &at)
{
    const bool claim = randomInt(0, 1) == 0 && !m_incoming.isEmpty();
    const QList<int> &pool = claim ? m_incoming : m_established;
    if (pool.isEmpty())
        return {};
    ++m_mix.relay;
    return relayText(at, claim ? u"claimed"_s : u"handled"_s, m_calls.at(pick(pool)).id,
        Operators.at(randomInt(0, 2)));
}

} // namespace Bench

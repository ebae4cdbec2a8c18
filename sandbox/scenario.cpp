#include "scenario.h"

#include "callbacksender.h"
#include "graph/clock.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

// Scenario times beyond a day are typos (milliseconds written as seconds).
constexpr double MaxSeconds = 86400;
constexpr int MaxCount = 100000;
constexpr int MaxGroupSize = 1000;

bool isE164(const QString &number)
{
    static const QRegularExpression pattern(u"^\\+[1-9][0-9]{6,14}$"_s);
    return pattern.match(number).hasMatch();
}

// Reads one JSON object; the first problem found, with its path, goes to `error`.
class Reader
{
public:
    Reader(QJsonValue value, QString path, QString *error)
        : m_object(value.toObject())
        , m_path(std::move(path))
        , m_error(error)
    {
        if (!value.isObject())
            fail(m_path, u"must be an object"_s);
    }

    bool ok() const { return m_ok; }
    QString at(const QString &key) const { return m_path.isEmpty() ? key : m_path + u'.' + key; }
    bool has(const QString &key) const { return m_object.contains(key); }
    QJsonValue value(const QString &key) const { return m_object.value(key); }

    void fail(const QString &where, const QString &message)
    {
        if (m_ok && m_error)
            *m_error = where + u": "_s + message;
        m_ok = false;
    }

    void onlyKeys(const QStringList &known)
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (!known.contains(it.key()))
                fail(at(it.key()), u"unknown key"_s);
        }
    }

    // False when absent; fails when absent and required.
    bool present(const QString &key, bool required)
    {
        if (!has(key) && required)
            fail(at(key), u"is required"_s);
        return m_ok && has(key);
    }

    QString string(const QString &key, bool required = false)
    {
        if (!present(key, required))
            return {};
        if (!value(key).isString())
            fail(at(key), u"must be a string"_s);
        return value(key).toString();
    }

    double number(const QString &key, double min, double max, double fallback, bool required,
        bool whole = false)
    {
        if (!present(key, required))
            return fallback;
        const double n = value(key).toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value(key).isDouble() || !std::isfinite(n) || n < min || n > max)
            fail(at(key), u"must be a number from %1 to %2"_s.arg(min).arg(max));
        else if (whole && n != std::floor(n))
            fail(at(key), u"must be a whole number"_s);
        return m_ok ? n : fallback;
    }

    //! A number of seconds, or [min,max].
    std::optional<SecondsRange> seconds(const QString &key, bool required = false)
    {
        if (!present(key, required))
            return std::nullopt;
        if (value(key).isDouble()) {
            const double n = number(key, 0, MaxSeconds, 0, true);
            return m_ok ? std::optional(SecondsRange { n, n }) : std::nullopt;
        }
        const QJsonArray pair = value(key).toArray();
        if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isDouble())
            fail(at(key), u"must be a number of seconds or [min,max]"_s);
        else if (pair.at(0).toDouble() < 0 || pair.at(1).toDouble() > MaxSeconds)
            fail(at(key), u"must be from 0 to %1 seconds"_s.arg(MaxSeconds));
        else if (pair.at(0).toDouble() > pair.at(1).toDouble())
            fail(at(key), u"min must not exceed max"_s);
        return m_ok ? std::optional(SecondsRange { pair.at(0).toDouble(), pair.at(1).toDouble() })
                    : std::nullopt;
    }

    QStringList strings(const QString &key, bool phoneNumbers = false)
    {
        if (!present(key, false))
            return {};
        if (!value(key).isArray())
            fail(at(key), u"must be an array of strings"_s);
        QStringList list;
        const QJsonArray array = value(key).toArray();
        for (qsizetype i = 0; m_ok && i < array.size(); ++i) {
            const QString item = array.at(i).toString();
            if (item.isEmpty())
                fail(u"%1[%2]"_s.arg(at(key)).arg(i), u"must be a non-empty string"_s);
            else if (phoneNumbers && !isE164(item))
                fail(u"%1[%2]"_s.arg(at(key)).arg(i), u"must be an E.164 number"_s);
            list.append(item);
        }
        return list;
    }

    Caller caller(const QJsonValue &json, const QString &path)
    {
        Reader r(json, path, m_ok ? m_error : nullptr);
        r.onlyKeys({ u"displayName"_s, u"phone"_s, u"userId"_s });
        const Caller caller { r.string(u"displayName"_s), r.string(u"phone"_s),
            r.string(u"userId"_s) };
        // Someone with neither a number nor a user id joins as a guest, by name.
        if (r.ok() && !caller.phone.isEmpty() && !caller.userId.isEmpty())
            r.fail(path, u"needs one of phone and userId, not both"_s);
        if (r.ok() && caller.phone.isEmpty() && caller.userId.isEmpty()
            && caller.displayName.isEmpty())
            r.fail(path, u"needs a phone, a userId or at least a displayName"_s);
        if (r.ok() && !caller.phone.isEmpty() && !isE164(caller.phone))
            r.fail(r.at(u"phone"_s), u"must be an E.164 number such as +15550100"_s);
        m_ok = m_ok && r.ok();
        return caller;
    }

    Caller caller(const QString &key, bool required)
    {
        return present(key, required) ? caller(value(key), at(key)) : Caller();
    }

private:
    QJsonObject m_object;
    QString m_path;
    QString *m_error;
    bool m_ok = true;
};

QJsonObject callerJson(const Caller &caller)
{
    QJsonObject json;
    if (!caller.displayName.isEmpty())
        json.insert("displayName"_L1, caller.displayName);
    if (!caller.phone.isEmpty())
        json.insert("phone"_L1, caller.phone);
    if (!caller.userId.isEmpty())
        json.insert("userId"_L1, caller.userId);
    return json;
}

std::optional<ScenarioEvent> readEvent(const QJsonValue &json, const QString &path, QString *error)
{
    Reader r(json, path, error);
    ScenarioEvent event;
    event.at = r.number(u"at"_s, 0, MaxSeconds, 0, true);
    const QString type = r.string(u"type"_s, true);
    const QStringList common { u"at"_s, u"type"_s };
    if (!r.ok())
        return std::nullopt;
    if (type == "incoming"_L1) {
        r.onlyKeys(common
            + QStringList {
                u"label"_s, u"from"_s, u"to"_s, u"patienceSeconds"_s, u"talkSeconds"_s });
        event.type = ScenarioEvent::Type::Incoming;
        event.label = r.string(u"label"_s);
        event.to = r.string(u"to"_s);
        event.patienceSeconds = r.seconds(u"patienceSeconds"_s);
        event.talkSeconds = r.seconds(u"talkSeconds"_s);
        event.from = r.caller(u"from"_s, true);
    } else if (type == "incomingGroup"_L1) {
        r.onlyKeys(common
            + QStringList { u"label"_s, u"from"_s, u"subject"_s, u"groupSize"_s,
                u"initialParticipants"_s, u"joinEverySeconds"_s });
        event.type = ScenarioEvent::Type::IncomingGroup;
        event.label = r.string(u"label"_s);
        event.subject = r.string(u"subject"_s);
        event.groupSize = int(r.number(u"groupSize"_s, 1, MaxGroupSize, 1, true, true));
        event.initialParticipants = int(r.number(
            u"initialParticipants"_s, 1, MaxGroupSize, std::min(event.groupSize, 3), false, true));
        if (r.ok() && event.initialParticipants > event.groupSize)
            r.fail(r.at(u"initialParticipants"_s), u"must not exceed groupSize"_s);
        event.joinEverySeconds = r.seconds(u"joinEverySeconds"_s).value_or(event.joinEverySeconds);
        event.from = r.caller(u"from"_s, true);
    } else if (type == "tones"_L1) {
        r.onlyKeys(common + QStringList { u"call"_s, u"tones"_s });
        event.type = ScenarioEvent::Type::Tones;
        event.call = r.string(u"call"_s, true);
        event.tones = r.string(u"tones"_s, true);
        static const QRegularExpression keys(u"^[0-9*#A-Da-d]+$"_s);
        if (r.ok() && !keys.match(event.tones).hasMatch())
            r.fail(r.at(u"tones"_s), u"must hold only 0-9, *, # and A-D"_s);
    } else if (type == "hangup"_L1) {
        r.onlyKeys(common + QStringList { u"call"_s });
        event.type = ScenarioEvent::Type::Hangup;
        event.call = r.string(u"call"_s, true);
    } else if (type == "join"_L1) {
        r.onlyKeys(common + QStringList { u"call"_s, u"who"_s });
        event.type = ScenarioEvent::Type::Join;
        event.call = r.string(u"call"_s, true);
        event.who = r.caller(u"who"_s, true);
    } else {
        r.fail(r.at(u"type"_s), u"must be one of incoming, incomingGroup, tones, hangup, join"_s);
    }
    return r.ok() ? std::optional(event) : std::nullopt;
}

std::optional<ScenarioGenerator> readGenerator(
    const QJsonValue &json, const QString &path, QString *error)
{
    Reader r(json, path, error);
    r.onlyKeys({ u"type"_s, u"start"_s, u"every"_s, u"count"_s, u"labelPrefix"_s, u"to"_s,
        u"callers"_s, u"unknownRate"_s, u"spamRate"_s, u"spamNumbers"_s, u"patienceSeconds"_s,
        u"talkSeconds"_s });
    ScenarioGenerator generator;
    if (r.string(u"type"_s, true) != "incoming"_L1 && r.ok())
        r.fail(r.at(u"type"_s), u"must be incoming"_s);
    generator.start = r.number(u"start"_s, 0, MaxSeconds, 0, false);
    generator.every = r.seconds(u"every"_s, true).value_or(SecondsRange());
    generator.count = int(r.number(u"count"_s, 1, MaxCount, 0, true, true));
    generator.labelPrefix = r.string(u"labelPrefix"_s);
    generator.to = r.string(u"to"_s);
    generator.unknownRate = r.number(u"unknownRate"_s, 0, 1, 0, false);
    generator.spamRate = r.number(u"spamRate"_s, 0, 1, 0, false);
    generator.spamNumbers = r.strings(u"spamNumbers"_s, true);
    generator.patienceSeconds = r.seconds(u"patienceSeconds"_s);
    generator.talkSeconds = r.seconds(u"talkSeconds"_s);
    if (r.ok() && generator.unknownRate + generator.spamRate > 1)
        r.fail(r.at(u"spamRate"_s), u"spamRate + unknownRate must not exceed 1"_s);
    if (r.ok() && generator.spamRate > 0 && generator.spamNumbers.isEmpty())
        r.fail(r.at(u"spamNumbers"_s), u"is required when spamRate > 0"_s);
    if (r.present(u"callers"_s, false) && !r.value(u"callers"_s).isArray())
        r.fail(r.at(u"callers"_s), u"must be an array of callers"_s);
    const QJsonArray callers = r.value(u"callers"_s).toArray();
    for (qsizetype i = 0; r.ok() && i < callers.size(); ++i)
        generator.callers.append(
            r.caller(callers.at(i), u"%1[%2]"_s.arg(r.at(u"callers"_s)).arg(i)));
    if (r.ok() && generator.callers.isEmpty() && generator.unknownRate + generator.spamRate < 1)
        r.fail(r.at(u"callers"_s), u"is required unless unknownRate + spamRate is 1"_s);
    return r.ok() ? std::optional(generator) : std::nullopt;
}

double draw(QRandomGenerator &random, const SecondsRange &range)
{
    // Always draw, and keep milliseconds: plans compare equal after a JSON round trip.
    const double u = random.generateDouble();
    return std::round((range.min + (range.max - range.min) * u) * 1000.0) / 1000.0;
}

QString randomUserId(QRandomGenerator &random)
{
    QByteArray bytes(16, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    bytes[6] = char((bytes[6] & 0x0f) | 0x40); // a version-4 GUID, like Entra object ids
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

} // namespace

QString typeName(ScenarioEvent::Type type)
{
    static const QStringList names { u"incoming"_s, u"incomingGroup"_s, u"tones"_s, u"hangup"_s,
        u"join"_s };
    return names.value(int(type));
}

std::optional<Scenario> Scenario::fromJson(const QJsonObject &json, QString *error)
{
    Reader r(json, QString(), error);
    r.onlyKeys({ u"name"_s, u"description"_s, u"seed"_s, u"unreachable"_s, u"meetingAccessDenied"_s,
        u"events"_s, u"generators"_s });
    Scenario scenario;
    scenario.name = r.string(u"name"_s, true);
    scenario.description = r.string(u"description"_s);
    if (r.has(u"seed"_s))
        scenario.seed = quint32(r.number(u"seed"_s, 0, 4294967295.0, 0, true, true));
    scenario.unreachable = r.strings(u"unreachable"_s);
    scenario.meetingAccessDenied = r.strings(u"meetingAccessDenied"_s);
    for (const QString &key : { u"events"_s, u"generators"_s }) {
        if (r.ok() && r.has(key) && !r.value(key).isArray())
            r.fail(key, u"must be an array"_s);
    }
    if (r.ok() && !r.has(u"events"_s) && !r.has(u"generators"_s))
        r.fail(u"events"_s, u"a scenario needs events or generators"_s);
    if (!r.ok())
        return std::nullopt;

    QSet<QString> labels;
    const QJsonArray events = json.value("events"_L1).toArray();
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QString path = u"events[%1]"_s.arg(i);
        const std::optional<ScenarioEvent> event = readEvent(events.at(i), path, error);
        if (!event)
            return std::nullopt;
        if (!event->label.isEmpty() && labels.contains(event->label)) {
            r.fail(path + u".label"_s, u"is used twice"_s);
            return std::nullopt;
        }
        labels.insert(event->label);
        scenario.events.append(*event);
    }
    const QJsonArray generators = json.value("generators"_L1).toArray();
    for (qsizetype i = 0; i < generators.size(); ++i) {
        const auto generator = readGenerator(generators.at(i), u"generators[%1]"_s.arg(i), error);
        if (!generator)
            return std::nullopt;
        for (int n = 1; !generator->labelPrefix.isEmpty() && n <= generator->count; ++n)
            labels.insert(generator->labelPrefix + QString::number(n));
        scenario.generators.append(*generator);
    }
    // A reference to a label nothing defines is a typo that would only show as a silent no-op.
    for (qsizetype i = 0; i < scenario.events.size(); ++i) {
        const QString &call = scenario.events.at(i).call;
        if (!call.isEmpty() && !labels.contains(call)) {
            r.fail(u"events[%1].call"_s.arg(i), u"no call is labelled '%1'"_s.arg(call));
            return std::nullopt;
        }
    }
    return scenario;
}

std::optional<Scenario> Scenario::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error) {
            *error = parseError.error != QJsonParseError::NoError
                ? u"not JSON: %1 at offset %2"_s.arg(parseError.errorString())
                      .arg(parseError.offset)
                : u"not a JSON object"_s;
        }
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

std::optional<Scenario> Scenario::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    QString problem;
    std::optional<Scenario> scenario = fromJson(file.readAll(), &problem);
    if (!scenario && error)
        *error = path + u": "_s + problem;
    return scenario;
}

QJsonObject PlannedEvent::toJson() const
{
    QJsonObject json { { "at"_L1, at }, { "type"_L1, typeName(type) } };
    const auto put = [&json](QLatin1StringView key, const QString &value) {
        if (!value.isEmpty())
            json.insert(key, value);
    };
    put("label"_L1, label);
    put("call"_L1, call);
    put("callerKind"_L1, callerKind);
    put("to"_L1, to);
    put("tones"_L1, tones);
    put("subject"_L1, subject);
    if (type == ScenarioEvent::Type::Incoming || type == ScenarioEvent::Type::IncomingGroup)
        json.insert("from"_L1, callerJson(from));
    if (type == ScenarioEvent::Type::Join)
        json.insert("who"_L1, callerJson(who));
    if (patienceSeconds)
        json.insert("patienceSeconds"_L1, *patienceSeconds);
    if (talkSeconds)
        json.insert("talkSeconds"_L1, *talkSeconds);
    if (type == ScenarioEvent::Type::IncomingGroup) {
        json.insert("initialParticipants"_L1, initialParticipants);
        QJsonArray joins;
        for (qsizetype i = 0; i < joiners.size(); ++i) {
            QJsonObject join = callerJson(joiners.at(i));
            join.insert("after"_L1, joinDelays.value(i));
            joins.append(join);
        }
        json.insert("joins"_L1, joins);
    }
    return json;
}

QList<PlannedEvent> planScenario(const Scenario &scenario, quint32 seed)
{
    QRandomGenerator random(seed);
    QList<PlannedEvent> plan;
    for (const ScenarioEvent &event : scenario.events) {
        PlannedEvent planned;
        planned.type = event.type;
        planned.at = event.at;
        planned.label = event.label;
        planned.call = event.call;
        planned.from = event.from;
        planned.to = event.to;
        planned.tones = event.tones;
        planned.who = event.who;
        planned.subject = event.subject;
        if (event.patienceSeconds)
            planned.patienceSeconds = draw(random, *event.patienceSeconds);
        if (event.talkSeconds)
            planned.talkSeconds = draw(random, *event.talkSeconds);
        if (event.type == ScenarioEvent::Type::IncomingGroup) {
            planned.initialParticipants = event.initialParticipants;
            double after = 0;
            for (int i = event.initialParticipants; i < event.groupSize; ++i) {
                after += draw(random, event.joinEverySeconds);
                planned.joinDelays.append(std::round(after * 1000.0) / 1000.0);
                planned.joiners.append(
                    Caller { u"Attendee %1"_s.arg(i + 1), QString(), randomUserId(random) });
            }
        }
        plan.append(planned);
    }
    for (const ScenarioGenerator &generator : scenario.generators) {
        double at = generator.start;
        for (int n = 1; n <= generator.count; ++n) {
            if (n > 1)
                at = std::round((at + draw(random, generator.every)) * 1000.0) / 1000.0;
            PlannedEvent planned;
            planned.type = ScenarioEvent::Type::Incoming;
            planned.at = at;
            planned.to = generator.to;
            if (!generator.labelPrefix.isEmpty())
                planned.label = generator.labelPrefix + QString::number(n);
            // The same draws for every call, whatever kind it turns out to be.
            const double kind = random.generateDouble();
            const quint32 pick = random.generate();
            const quint32 digits = random.bounded(10000000u);
            if (kind < generator.spamRate) {
                planned.callerKind = u"spam"_s;
                planned.from.phone = generator.spamNumbers.at(pick % generator.spamNumbers.size());
            } else if (kind < generator.spamRate + generator.unknownRate
                || generator.callers.isEmpty()) {
                planned.callerKind = u"unknown"_s;
                planned.from.phone = u"+1555%1"_s.arg(digits, 7, 10, QChar(u'0'));
            } else {
                planned.callerKind = u"known"_s;
                planned.from = generator.callers.at(pick % generator.callers.size());
            }
            const double patience =
                generator.patienceSeconds ? draw(random, *generator.patienceSeconds) : 0;
            const double talk = generator.talkSeconds ? draw(random, *generator.talkSeconds) : 0;
            if (generator.patienceSeconds)
                planned.patienceSeconds = patience;
            if (generator.talkSeconds)
                planned.talkSeconds = talk;
            plan.append(planned);
        }
    }
    std::stable_sort(plan.begin(), plan.end(),
        [](const PlannedEvent &a, const PlannedEvent &b) { return a.at < b.at; });
    return plan;
}

} // namespace Sandbox

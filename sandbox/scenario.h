#pragma once

#include "engine.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace Graph {
class Clock;
}

//! Scripted traffic for the sandbox: the format that --scenario and POST /sandbox/scenario
//! read (docs/sandbox.md, "Scenarios"), the plan a seed makes of it, and the runner that plays
//! a plan against the Engine on the Clock.
namespace Sandbox {

//! Seconds, either fixed (min == max) or drawn uniformly from [min, max] by the seed.
struct SecondsRange
{
    double min = 0;
    double max = 0;
};

struct ScenarioEvent
{
    enum class Type { Incoming, IncomingGroup, Tones, Hangup, Join };

    Type type = Type::Incoming;
    double at = 0; //!< seconds from the start of the run, before the time scale
    QString label; //!< incoming, incomingGroup: the name later events use for the call
    QString call; //!< tones, hangup, join: the label of the call
    Caller from; //!< incoming, incomingGroup (the organizer)
    QString to; //!< incoming: whom the caller dialled
    std::optional<SecondsRange> patienceSeconds; //!< the caller hangs up if still unanswered
    std::optional<SecondsRange> talkSeconds; //!< the caller hangs up this long after established
    QString tones; //!< tones
    Caller who; //!< join
    QString subject; //!< incomingGroup
    //! incomingGroup: the roster in the end, the organizer included and the bot not
    int groupSize = 0;
    //! incomingGroup: those already in the call at the invite, the organizer included
    int initialParticipants = 0;
    SecondsRange joinEverySeconds { 0.5, 0.5 }; //!< incomingGroup: between two joins
};

struct ScenarioGenerator
{
    double start = 0;
    SecondsRange every;
    int count = 0;
    QString labelPrefix; //!< calls are labelled <prefix>1, <prefix>2, ...
    QString to;
    QList<Caller> callers; //!< known callers, picked at random
    double unknownRate = 0; //!< a random number nobody knows
    double spamRate = 0; //!< one of spamNumbers
    QStringList spamNumbers;
    std::optional<SecondsRange> patienceSeconds;
    std::optional<SecondsRange> talkSeconds;
};

struct Scenario
{
    QString name;
    QString description;
    std::optional<quint32> seed;
    QStringList unreachable; //!< Engine::setUnreachable
    QStringList meetingAccessDenied; //!< Engine::setMeetingAccessDenied
    QList<ScenarioEvent> events;
    QList<ScenarioGenerator> generators;

    //! nullopt with `error` naming the place ("events[2].at: must be a number >= 0").
    static std::optional<Scenario> fromJson(const QJsonObject &json, QString *error);
    static std::optional<Scenario> fromJson(const QByteArray &json, QString *error);
    static std::optional<Scenario> load(const QString &path, QString *error);
};

//! One concrete event of a run, every random choice made.
struct PlannedEvent
{
    ScenarioEvent::Type type = ScenarioEvent::Type::Incoming;
    double at = 0;
    QString label;
    QString call;
    QString callerKind; //!< generated calls: "known", "unknown" or "spam"
    Caller from;
    QString to;
    std::optional<double> patienceSeconds;
    std::optional<double> talkSeconds;
    QString tones;
    Caller who;
    QString subject;
    int initialParticipants = 0;
    QList<double> joinDelays; //!< incomingGroup: seconds between established and each join
    QList<Caller> joiners;

    QJsonObject toJson() const;
};

//! What a run of `scenario` does with `seed`: the same scenario and seed give the same plan.
//! Sorted by time; events at the same time keep their order.
QList<PlannedEvent> planScenario(const Scenario &scenario, quint32 seed);

QString typeName(ScenarioEvent::Type type);

//! Plays one scenario against the Engine on the Clock, `timeScale` times faster than written.
//! Callers hang up when their patience runs out on an unanswered call, and again their talk
//! time after the call is established; group calls gain their participants once the bot has
//! joined. The runner watches calls through Engine::callEvent and by reading each watched call
//! every scenario second, and acts only through the Engine's control surface.
class ScenarioRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioRunner)

public:
    //! `engine` and `clock` must outlive the runner.
    explicit ScenarioRunner(Engine *engine, Graph::Clock *clock, QObject *parent = nullptr);
    ~ScenarioRunner() override;

    //! Applies the scenario's unreachable and meetingAccessDenied lists and schedules its plan.
    void start(const Scenario &scenario, quint32 seed, double timeScale = 1.0);
    //! Nothing more happens; calls already made stay as they are.
    void stop();

    QString name() const { return m_name; }
    quint32 seed() const { return m_seed; }
    const QList<PlannedEvent> &plan() const { return m_plan; }
    int firedCount() const { return m_fired; }
    bool isFinished() const { return m_started && m_fired == int(m_plan.size()); }
    //! The call a label stands for, once its event has fired.
    QString callId(const QString &label) const { return m_callIds.value(label); }
    //! {"name","seed","events","fired","finished"}
    QJsonObject status() const;

Q_SIGNALS:
    //! `callId`: the call the event made or acted on; empty when it was skipped or refused.
    void eventFired(int index, const QString &callId);
    //! Every planned event has fired (watched calls may still go on).
    void finished();

private:
    struct Watch
    {
        QString callId;
        std::optional<double> talkSeconds;
        QList<double> joinDelays;
        QList<Caller> joiners;
    };

    void fire(int index);
    void watch(Watch watch);
    void check(const QString &callId);
    void poll();
    QString stateOf(const QString &callId) const;
    void later(double seconds, std::function<void()> work);
    std::chrono::milliseconds scaled(double seconds) const;

    Engine *m_engine;
    Graph::Clock *m_clock;
    QString m_name;
    quint32 m_seed = 0;
    double m_timeScale = 1.0;
    QList<PlannedEvent> m_plan;
    QHash<QString, QString> m_callIds; // label -> call id
    QHash<QString, Watch> m_watches; // call id -> what to do once established
    int m_fired = 0;
    bool m_started = false;
    bool m_polling = false;
    quint64 m_generation = 0; // work scheduled before stop() checks it
};

} // namespace Sandbox

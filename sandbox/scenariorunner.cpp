// ScenarioRunner: plays a planned scenario on the Engine's control surface, on the Clock.

#include "callbacksender.h"
#include "graph/clock.h"
#include "scenario.h"

#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Sandbox {

ScenarioRunner::ScenarioRunner(Engine *engine, Graph::Clock *clock, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_clock(clock)
{
    // callEvent comes from inside an engine change: read the call once that change is done.
    connect(m_engine, &Engine::callEvent, this, [this](const QString &callId, const QString &) {
        if (m_watches.contains(callId))
            QMetaObject::invokeMethod(
                this, [this, callId] { check(callId); }, Qt::QueuedConnection);
    });
}

ScenarioRunner::~ScenarioRunner() = default;

std::chrono::milliseconds ScenarioRunner::scaled(double seconds) const
{
    return std::chrono::milliseconds(std::llround(seconds * 1000.0 / m_timeScale));
}

void ScenarioRunner::later(double seconds, std::function<void()> work)
{
    const quint64 generation = m_generation;
    m_clock->schedule(scaled(seconds), this, [this, generation, work = std::move(work)] {
        if (generation == m_generation)
            work();
    });
}

void ScenarioRunner::start(const Scenario &scenario, quint32 seed, double timeScale)
{
    stop();
    m_name = scenario.name;
    m_seed = seed;
    m_timeScale = timeScale > 0 ? timeScale : 1.0;
    m_plan = planScenario(scenario, seed);
    m_fired = 0;
    m_started = true;
    if (!scenario.unreachable.isEmpty())
        m_engine->setUnreachable(scenario.unreachable);
    if (!scenario.meetingAccessDenied.isEmpty())
        m_engine->setMeetingAccessDenied(scenario.meetingAccessDenied);
    qCInfo(lcServer).noquote() << u"scenario %1: starts with seed %2 (%3 events, time scale %4)"_s
                                      .arg(m_name)
                                      .arg(seed)
                                      .arg(m_plan.size())
                                      .arg(m_timeScale);
    for (int i = 0; i < m_plan.size(); ++i)
        later(m_plan.at(i).at, [this, i] { fire(i); });
    if (m_plan.isEmpty())
        Q_EMIT finished();
}

void ScenarioRunner::stop()
{
    ++m_generation;
    m_watches.clear();
    m_polling = false;
}

QJsonObject ScenarioRunner::status() const
{
    return QJsonObject {
        { "name"_L1, m_name },
        { "seed"_L1, qint64(m_seed) },
        { "events"_L1, int(m_plan.size()) },
        { "fired"_L1, m_fired },
        { "finished"_L1, isFinished() },
    };
}

QString ScenarioRunner::stateOf(const QString &callId) const
{
    const Reply reply = m_engine->getCall(callId);
    return reply.status == 200 ? reply.body.value("state"_L1).toString() : QString();
}

void ScenarioRunner::fire(int index)
{
    const PlannedEvent &event = m_plan.at(index);
    QString callId;
    switch (event.type) {
    case ScenarioEvent::Type::Incoming: {
        IncomingOptions options;
        options.to = event.to;
        callId = m_engine->incoming(event.from, options);
        if (event.patienceSeconds) {
            later(*event.patienceSeconds, [this, callId] {
                // Still ringing: the caller gives up.
                if (stateOf(callId).compare("incoming"_L1, Qt::CaseInsensitive) == 0) {
                    qCInfo(lcServer).noquote()
                        << u"scenario %1: the caller gives up on %2"_s.arg(m_name, callId);
                    m_engine->remoteHangup(callId);
                }
            });
        }
        if (event.talkSeconds)
            watch(Watch { callId, event.talkSeconds, {}, {} });
        break;
    }
    case ScenarioEvent::Type::IncomingGroup: {
        IncomingOptions options;
        options.groupInvite = true;
        options.subject = event.subject;
        // The organizer (the caller) is one of those already in the call.
        options.groupSize = event.initialParticipants - 1;
        callId = m_engine->incoming(event.from, options);
        if (!event.joiners.isEmpty())
            watch(Watch { callId, std::nullopt, event.joinDelays, event.joiners });
        break;
    }
    case ScenarioEvent::Type::Tones:
    case ScenarioEvent::Type::Hangup:
    case ScenarioEvent::Type::Join: {
        callId = m_callIds.value(event.call);
        if (callId.isEmpty()) {
            qCWarning(lcServer).noquote()
                << u"scenario %1: %2 skipped: call %3 was never made"_s.arg(
                       m_name, typeName(event.type), event.call);
            break;
        }
        Reply reply;
        if (event.type == ScenarioEvent::Type::Tones)
            reply = m_engine->tones(callId, event.tones);
        else if (event.type == ScenarioEvent::Type::Hangup)
            reply = m_engine->remoteHangup(callId);
        else
            reply = m_engine->join(callId, event.who);
        if (reply.status >= 400) {
            qCInfo(lcServer).noquote() << u"scenario %1: %2 on %3 refused: %4 %5"_s.arg(m_name,
                typeName(event.type), event.call, QString::number(reply.status),
                reply.body.value("error"_L1).toObject().value("code"_L1).toString());
            callId.clear();
        }
        break;
    }
    }
    if (!event.label.isEmpty() && !callId.isEmpty())
        m_callIds.insert(event.label, callId);
    if (!callId.isEmpty()) {
        qCInfo(lcServer).noquote() << u"scenario %1: %2 %3 (%4)"_s.arg(
            m_name, typeName(event.type), event.label.isEmpty() ? event.call : event.label, callId);
    }
    ++m_fired;
    Q_EMIT eventFired(index, callId);
    if (m_fired == int(m_plan.size()))
        Q_EMIT finished();
}

void ScenarioRunner::watch(Watch watch)
{
    const QString callId = watch.callId;
    m_watches.insert(callId, std::move(watch));
    if (!m_polling) {
        m_polling = true;
        later(1.0, [this] { poll(); });
    }
}

void ScenarioRunner::poll()
{
    // Polling backs up callEvent, whose wording the runner does not depend on. It stops when
    // nothing is watched, so that a manual clock's runAll() ends.
    const QStringList ids = m_watches.keys();
    for (const QString &callId : ids)
        check(callId);
    m_polling = !m_watches.isEmpty();
    if (m_polling)
        later(1.0, [this] { poll(); });
}

void ScenarioRunner::check(const QString &callId)
{
    const auto it = m_watches.find(callId);
    if (it == m_watches.end())
        return;
    const QString state = stateOf(callId);
    if (state.isEmpty() || state.compare("terminated"_L1, Qt::CaseInsensitive) == 0) {
        m_watches.erase(it);
        return;
    }
    if (state.compare("established"_L1, Qt::CaseInsensitive) != 0)
        return;
    const Watch watch = *it;
    m_watches.erase(it);
    if (watch.talkSeconds) {
        later(*watch.talkSeconds, [this, callId] {
            const QString now = stateOf(callId);
            if (now.isEmpty() || now.compare("terminated"_L1, Qt::CaseInsensitive) == 0)
                return;
            qCInfo(lcServer).noquote()
                << u"scenario %1: the caller hangs up %2"_s.arg(m_name, callId);
            m_engine->remoteHangup(callId);
        });
    }
    for (qsizetype i = 0; i < watch.joiners.size(); ++i) {
        const Caller who = watch.joiners.at(i);
        later(watch.joinDelays.value(i), [this, callId, who] {
            const QString now = stateOf(callId);
            if (!now.isEmpty() && now.compare("terminated"_L1, Qt::CaseInsensitive) != 0)
                m_engine->join(callId, who);
        });
    }
}

} // namespace Sandbox

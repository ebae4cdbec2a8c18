#pragma once

#include "journal.h"
#include "relaycontext.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

class QHttpServerRequest;

namespace Graph {
class GraphReply;
}

namespace Relay {

struct HttpAnswer;
struct OperatorIdentity;

//! A call the relay places to a person at a set time: it plays a prompt and hangs up
//! (docs/relay-protocol.md "Reminders").
struct Reminder
{
    enum class State {
        Scheduled, //!< waiting for nextAt (the first attempt, or a retry)
        Placing, //!< attempt `attempt`'s create request was sent; no call id yet
        Calling, //!< attempt `attempt`'s call exists (callId): ringing, or playing the prompt
        Played, //!< final: answered, and the prompt played to its end
        NoAnswer, //!< final: every attempt went unanswered (the last one decides)
        Failed, //!< final: every attempt failed or went unanswered, the last one failed
        Missed, //!< final: the relay was down at its time, and came back after the grace
        Cancelled, //!< final: an operator cancelled it before it was placed
    };

    QString id;
    QString target; //!< normalised: a +E.164 number or a lower-case user id
    QString displayName;
    QDateTime at; //!< when it is due (UTC)
    QString prompt; //!< the WAV URI played
    QString subject;
    QString createdBy;
    QDateTime createdAt;
    State state = State::Scheduled;
    int attempt = 0; //!< attempts started so far
    QDateTime nextAt; //!< the next attempt, while Scheduled
    QString callId; //!< the current (or last) attempt's call
    QJsonObject outcome; //!< the last attempt's outcome: {action, code, subcode, message, ...}
    QDateTime updatedAt;

    bool isFinal() const { return state >= State::Played; }
    //! The API's form: {id, target, displayName, at, prompt, subject, createdBy, createdAt,
    //! state, attempt, nextAt, callId, outcome, updatedAt}; empty fields left out.
    QJsonObject toJson() const;
};

//! "scheduled", "placing", "calling", "played", "noAnswer", "failed", "missed", "cancelled".
QString reminderStateName(Reminder::State state);
std::optional<Reminder::State> parseReminderState(const QString &name);

//! The reminders, in the table `reminders` of the journal's SQLite file (like the blocklist),
//! mirrored in memory. Every change is written before it is kept: what the store says is what
//! survives a restart.
class ReminderStore final
{
public:
    //! `connectionName`: the journal's open SQLite connection (Journal::connectionName()).
    explicit ReminderStore(QString connectionName);
    ReminderStore(const ReminderStore &) = delete;
    ReminderStore &operator=(const ReminderStore &) = delete;

    //! Creates the table if it does not exist, then loads it.
    bool open(QString *error);
    bool isOpen() const { return m_open; }

    //! Every reminder, by time (then id).
    QList<Reminder> all() const;
    std::optional<Reminder> find(const QString &id) const;
    //! The reminder whose current attempt is the call `callId` (Calling), if any.
    std::optional<Reminder> findByCall(const QString &callId) const;

    bool insert(const Reminder &reminder, QString *error);
    //! Writes every field but the id; false (and nothing changes) when it fails.
    bool update(const Reminder &reminder, QString *error);

private:
    QString m_connection;
    QHash<QString, Reminder> m_reminders;
    bool m_open = false;
};

//! Places reminders at their time (on the Clock) through the relay's GraphClient, follows each
//! call in the relay's state, plays the prompt once the call is established, hangs up once the
//! prompt has played, and retries unanswered or failed attempts. Each step is written to the
//! store before the Graph request that follows from it, so that no attempt is ever sent twice
//! (at most once: an attempt interrupted by a restart while its create request was out counts
//! as failed, code "interrupted", and is not sent again). Publishes the relay event "reminder".
class ReminderScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReminderScheduler)

public:
    //! `store` must outlive this object.
    ReminderScheduler(const RelayContext &context, ReminderStore *store, QObject *parent = nullptr);

    //! Takes up the stored reminders: arms the scheduled ones (those due more than the grace
    //! ago become missed), ends interrupted attempts, and follows calls still running.
    void start();

    //! Stores a new reminder (its id, state and times are filled in here), publishes "created"
    //! and arms it. False when the store refused it.
    bool create(Reminder &reminder, QString *error);

    enum class Cancel { Done, NotFound, NotPending, Failed };
    //! Cancels a reminder that has not been placed yet (Scheduled with no attempt started, or
    //! waiting for a retry).
    Cancel cancel(const QString &id, const QString &by, QString *error);

private:
    void arm(const Reminder &reminder);
    void due(const QString &id);
    void place(Reminder reminder);
    void onCreated(const QString &id, int attempt, const Graph::GraphReply *reply);
    void onPublished(const QList<StreamEvent> &events);
    //! Arms the check that the reminder's call reports its state at all.
    void watch(const Reminder &reminder);
    //! Looks at the reminder's call in the relay's state and takes the next step.
    void follow(const QString &id);
    void playPrompt(const Reminder &reminder);
    void played(Reminder reminder);
    //! Ends the current attempt with `action` (noAnswer or failed) and `fields`; retries when
    //! attempts are left.
    void attemptEnded(Reminder reminder, const QString &action, const QJsonObject &fields);
    void hangUp(const QString &callId);
    bool save(const Reminder &reminder);
    void publish(const Reminder &reminder, const QString &action, QJsonObject fields = {});

    RelayContext m_context;
    ReminderStore *m_store;
    QSet<QString> m_prompting; // reminder ids whose prompt was requested on the current call
    QHash<QString, QString> m_promptOperation; // reminder id -> playPrompt operation id
    bool m_started = false;
};

//! GET and POST /api/reminders, DELETE /api/reminders/{id} (docs/relay-protocol.md
//! "Reminders"), with the operator tokens of /api/blocklist.
class ReminderApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReminderApi)

public:
    //! Adds the routes to context.http. `store` and `scheduler` must outlive this object.
    ReminderApi(const RelayContext &context, ReminderStore *store, ReminderScheduler *scheduler,
        QObject *parent = nullptr);

private:
    HttpAnswer list() const;
    HttpAnswer create(const OperatorIdentity &op, const QHttpServerRequest &request);
    HttpAnswer cancel(const OperatorIdentity &op, const QString &id);

    RelayContext m_context;
    ReminderStore *m_store;
    ReminderScheduler *m_scheduler;
};

//! The relay's reminders: the store, the scheduler and the API, put together.
class Reminders final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Reminders)

public:
    explicit Reminders(const RelayContext &context, QObject *parent = nullptr);
    ~Reminders() override;

    ReminderStore *store() const { return m_store.get(); }
    ReminderScheduler *scheduler() const { return m_scheduler; }

private:
    std::unique_ptr<ReminderStore> m_store;
    ReminderScheduler *m_scheduler = nullptr;
    ReminderApi *m_api = nullptr;
};

} // namespace Relay

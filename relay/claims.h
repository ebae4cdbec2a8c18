#pragma once

#include "apihttp.h"

#include <QObject>
#include <QString>

namespace Relay {

class EventPublisher;
class RelayState;

//! Who holds which call. The claims live in the state (CallMeta::claimedBy, set by the relay
//! events "claimed" and "released"), so they are journaled, reach every console and survive a
//! restart; this class only decides and publishes. Everything runs on the event loop, so a check
//! followed by a claim is atomic: a second request sees the first one's claim.
//!
//! A supervisor may take over another operator's claim (the "claimed" event then names the
//! previous holder in "previous"), and may release anyone's.
class ClaimRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClaimRegistry)

public:
    explicit ClaimRegistry(RelayState *state, EventPublisher *publisher, QObject *parent = nullptr);

    struct Outcome
    {
        enum class Kind {
            Claimed, //!< the caller holds it now (a "claimed" event was published)
            AlreadyHeld, //!< the caller held it already; nothing was published
            HeldByOther, //!< someone else holds it; `holder` says who
            Released, //!< a "released" event was published
            NotClaimed, //!< nothing to release
            Forbidden, //!< only the holder or a supervisor may release
            UnknownCall,
            JournalError,
        };
        Kind kind = Kind::UnknownCall;
        QString holder; //!< who holds the call after (or, for HeldByOther, instead of) this
    };

    //! Whether the state has the call (ended calls too, until they expire).
    bool knows(const QString &callId) const;
    bool hasEnded(const QString &callId) const;
    //! The operator holding the call; empty when nobody does.
    QString holder(const QString &callId) const;

    //! Claims `callId` for `op`. Another operator's claim is taken over only when
    //! `takeOver` and `op` is a supervisor. `fields` go into the "claimed" event.
    Outcome claim(const OperatorIdentity &op, const QString &callId, bool takeOver,
        const QJsonObject &fields = {});
    //! Releases `op`'s claim on `callId`, or anyone's when `op` is a supervisor. `fields`
    //! (a "reason", ...) go into the "released" event.
    Outcome release(
        const OperatorIdentity &op, const QString &callId, const QJsonObject &fields = {});
    //! Every claim `operatorName` holds lapses: one "released" {by, holder, reason} each.
    int releaseAllOf(const QString &operatorName, const QString &reason);

    //! POST and DELETE /api/calls/{id}/claim for `op`.
    HttpAnswer serve(
        const OperatorIdentity &op, const QHttpServerRequest &request, const QString &callId);

private:
    bool publish(const QString &kind, const QString &callId, const QJsonObject &fields);

    RelayState *m_state;
    EventPublisher *m_publisher;
};

} // namespace Relay

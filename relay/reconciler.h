#pragma once

#include "relaycontext.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>

namespace Relay {

//! Re-reads calls that have gone quiet (DESIGN.md: a lost callback must not leave a call on
//! the consoles forever). A scan runs on the Clock every min(30 s, reconcileAfterSeconds); a live
//! call whose last event, and last check, are older than [policy] reconcileAfterSeconds is read
//! with GET, at most one request per call at a time. 200: when the resource tells the state
//! something new, it is published as a synthesized commsNotification (changeType "updated",
//! "frontdeskSource": "reconciliation"), which CallBook applies like any update. 404: the
//! relay event "expired" {callId} ends the call. Other failures are logged and retried at the
//! next scan.
class Reconciler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Reconciler)

public:
    explicit Reconciler(const RelayContext &context, QObject *parent = nullptr);

    //! Starts the scans.
    void start();
    //! One scan, now.
    void scan();

    //! How often scan() runs for `reconcileAfter`.
    static std::chrono::milliseconds scanInterval(std::chrono::seconds reconcileAfter);

private:
    void scheduleScan();
    void reconcile(const QString &callId);
    void applyResource(const QString &callId, QJsonObject resource);

    RelayContext m_context;
    QSet<QString> m_inFlight; // normalised call ids
    QHash<QString, QDateTime> m_checkedAt;
};

} // namespace Relay

#pragma once

#include "chaos.h"
#include "engine.h"
#include "graph/jwt.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Graph {
class Clock;
}

namespace Sandbox {

//! "frontdesk.sandbox": one line per request and per callback delivery; never a token or secret.
Q_DECLARE_LOGGING_CATEGORY(lcServer)

//! What happened to the notifications handed to a CallbackSender.
struct CallbackStats
{
    int sent = 0; //!< deliveries answered with a 2xx
    int failed = 0; //!< deliveries answered otherwise or not at all, and those without a URL
    int dropped = 0; //!< notifications that chaos dropped
    int duplicated = 0; //!< extra copies that chaos sent
    int reordered = 0; //!< notifications that chaos swapped with the next one

    QJsonObject toJson() const;
};

//! Delivers the engine's notifications as Graph's calling platform does (graph-notes §3.1,
//! §3.8): a POST of the commsNotifications body to the callback URL, used exactly as given,
//! with a JWT signed by `signer` (iss https://api.botframework.com, aud = client id, tid =
//! tenant, valid for 10 minutes by the Clock), X-Microsoft-Skype-Chain-ID (the call's
//! callChainId when known), X-Microsoft-Skype-Message-ID and Graph's User-Agent.
//!
//! One delivery is in flight per URL at a time; the rest wait in order. Chaos may drop a
//! notification, send it twice, swap it with the next one for the same URL (waiting for that
//! one up to `reorderHold`), or delay it. Failed deliveries are counted, not retried.
class CallbackSender final : public QObject, public Notifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallbackSender)

public:
    struct Config
    {
        QString tenantId;
        QString clientId;
        QString issuer = QStringLiteral("https://api.botframework.com");
        std::chrono::seconds tokenValidity { 600 };
        std::chrono::milliseconds reorderHold { 1000 };
        std::chrono::milliseconds transferTimeout { 15000 };
    };

    //! Finds a call's callChainId when the notification does not carry it.
    using ChainIdResolver = std::function<QString(const QString &callId)>;

    //! `clock` and `chaos` must outlive the sender.
    CallbackSender(Config config, Graph::Clock *clock, Graph::JwtSigner signer, Chaos *chaos,
        QObject *parent = nullptr);
    ~CallbackSender() override;

    void notify(const QString &callbackUrl, const QJsonObject &commsNotifications) override;

    void setChainIdResolver(ChainIdResolver resolver) { m_resolveChainId = std::move(resolver); }
    const Config &config() const { return m_config; }
    const CallbackStats &stats() const { return m_stats; }
    //! Notifications waiting or in flight.
    int pending() const;

    //! The bearer token for one delivery, signed now by the Clock.
    QByteArray makeToken() const;

Q_SIGNALS:
    //! A delivery ended: `httpStatus` is 0 when no response came.
    void delivered(const QString &url, const QByteArray &body, int httpStatus);
    //! Chaos dropped a notification meant for `url`.
    void dropped(const QString &url, const QByteArray &body);
    //! Nothing waits or is in flight any more.
    void idle();

private:
    struct Item
    {
        quint64 serial = 0;
        QString url;
        QByteArray body;
        QString callId;
        QString messageId;
        QString changeSummary; // for the log: "created /communications/calls/x"
        std::chrono::milliseconds delay { 0 };
        bool held = false; // waiting for the next notification to swap with
    };
    struct Queue
    {
        QList<Item> items;
        bool busy = false;
    };

    void schedulePump(const QString &url);
    void pump(const QString &url);
    void post(const Item &item);
    void finished(const Item &item, QNetworkReply *reply);
    void release(const QString &url, quint64 serial);
    QString chainIdFor(const QString &callId);
    void checkIdle();

    Config m_config;
    Graph::Clock *m_clock;
    Graph::JwtSigner m_signer;
    Chaos *m_chaos;
    QNetworkAccessManager *m_nam;
    ChainIdResolver m_resolveChainId;
    QHash<QString, Queue> m_queues;
    QHash<QString, QString> m_chainIds; // normalised call id -> callChainId
    CallbackStats m_stats;
    quint64 m_nextSerial = 1;
    bool m_warnedNoUrl = false;
};

} // namespace Sandbox

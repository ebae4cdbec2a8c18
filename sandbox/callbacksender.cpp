#include "callbacksender.h"

#include "graph/clock.h"
#include "graph/ids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Sandbox {

Q_LOGGING_CATEGORY(lcServer, "frontdesk.sandbox")

namespace {

// The URL without its query, for logs: a query may carry whatever the bot routes on.
QString loggable(const QString &url)
{
    const qsizetype q = url.indexOf(u'?');
    return q < 0 ? url : url.left(q) + u"?…"_s;
}

} // namespace

QJsonObject CallbackStats::toJson() const
{
    return QJsonObject {
        { "sent"_L1, sent },
        { "failed"_L1, failed },
        { "dropped"_L1, dropped },
        { "duplicated"_L1, duplicated },
        { "reordered"_L1, reordered },
    };
}

CallbackSender::CallbackSender(
    Config config, Graph::Clock *clock, Graph::JwtSigner signer, Chaos *chaos, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_signer(std::move(signer))
    , m_chaos(chaos)
    , m_nam(new QNetworkAccessManager(this))
{ }

CallbackSender::~CallbackSender() = default;

int CallbackSender::pending() const
{
    int count = 0;
    for (const Queue &queue : m_queues)
        count += int(queue.items.size()) + (queue.busy ? 1 : 0);
    return count;
}

QByteArray CallbackSender::makeToken() const
{
    const qint64 now = m_clock->now().toSecsSinceEpoch();
    return m_signer.sign(QJsonObject {
        { "iss"_L1, m_config.issuer },
        { "aud"_L1, m_config.clientId },
        { "tid"_L1, m_config.tenantId },
        { "iat"_L1, now },
        { "nbf"_L1, now },
        { "exp"_L1, now + qint64(m_config.tokenValidity.count()) },
    });
}

void CallbackSender::notify(const QString &callbackUrl, const QJsonObject &commsNotifications)
{
    Item item;
    item.serial = m_nextSerial++;
    item.url = callbackUrl;
    item.body = QJsonDocument(commsNotifications).toJson(QJsonDocument::Compact);
    item.messageId = Graph::newGuid();
    const QJsonArray values = commsNotifications.value("value"_L1).toArray();
    for (const QJsonValue &value : values) {
        const QJsonObject notification = value.toObject();
        const QString resourceUrl = notification.value("resourceUrl"_L1).toString();
        const Graph::ResourcePath path = Graph::parseResourcePath(resourceUrl);
        if (item.callId.isEmpty() && !path.callId.isEmpty())
            item.callId = path.callId;
        const QString chainId =
            notification.value("resourceData"_L1).toObject().value("callChainId"_L1).toString();
        if (!chainId.isEmpty() && !path.callId.isEmpty())
            m_chainIds.insert(Graph::normalizeId(path.callId), chainId);
        if (item.changeSummary.isEmpty()) {
            item.changeSummary =
                notification.value("changeType"_L1).toString() + u' ' + resourceUrl;
        }
    }

    if (callbackUrl.isEmpty()) {
        ++m_stats.failed;
        // Said once: without a webhook every incoming call would repeat it.
        if (!m_warnedNoUrl) {
            m_warnedNoUrl = true;
            qCWarning(lcServer).noquote()
                << "callback" << item.changeSummary
                << "not delivered: no callback URL (start the sandbox with --callback-url)";
        } else {
            qCDebug(lcServer).noquote() << "callback" << item.changeSummary << "has no URL";
        }
        return;
    }

    const Chaos::CallbackDecision decision = m_chaos->decideCallback();
    if (decision.drop) {
        ++m_stats.dropped;
        qCInfo(lcServer).noquote() << "callback" << item.changeSummary << "dropped by chaos";
        Q_EMIT dropped(callbackUrl, item.body);
        return;
    }
    item.delay = decision.delay;

    Queue &queue = m_queues[callbackUrl];
    if (!queue.items.isEmpty() && queue.items.last().held) {
        // The one before waited for this one: they swap, and it may go now.
        queue.items.last().held = false;
        queue.items.insert(queue.items.size() - 1, item);
        ++m_stats.reordered;
        qCInfo(lcServer).noquote()
            << "callback" << item.changeSummary << "goes before the one sent ahead of it (chaos)";
    } else {
        // A duplicated one is not held as well: its copy would wait behind it.
        item.held = decision.reorder && !decision.duplicate;
        queue.items.append(item);
        if (item.held) {
            const quint64 serial = item.serial;
            m_clock->schedule(m_config.reorderHold, this,
                [this, callbackUrl, serial] { release(callbackUrl, serial); });
        }
    }
    if (decision.duplicate) {
        Item copy = item;
        copy.held = false;
        copy.serial = m_nextSerial++;
        // A copy goes right after the original. Graph's own retries keep the message id.
        const auto original = std::find_if(queue.items.begin(), queue.items.end(),
            [&item](const Item &queued) { return queued.serial == item.serial; });
        queue.items.insert(original + 1, copy);
        ++m_stats.duplicated;
        qCInfo(lcServer).noquote() << "callback" << item.changeSummary << "duplicated by chaos";
    }
    // Never post from inside notify(): the engine is in the middle of a change, and the
    // chain id resolver reads it.
    schedulePump(callbackUrl);
}

void CallbackSender::release(const QString &url, quint64 serial)
{
    const auto queue = m_queues.find(url);
    if (queue == m_queues.end())
        return;
    for (Item &item : queue->items) {
        if (item.serial == serial && item.held) {
            // Nothing came to swap with in time: it goes as it is.
            item.held = false;
            pump(url);
            return;
        }
    }
}

void CallbackSender::schedulePump(const QString &url)
{
    QMetaObject::invokeMethod(
        this, [this, url] { pump(url); }, Qt::QueuedConnection);
}

void CallbackSender::pump(const QString &url)
{
    const auto it = m_queues.find(url);
    if (it == m_queues.end())
        return;
    Queue &queue = *it;
    if (queue.busy || queue.items.isEmpty() || queue.items.first().held) {
        checkIdle();
        return;
    }
    const Item item = queue.items.takeFirst();
    queue.busy = true;
    if (item.delay.count() > 0)
        m_clock->schedule(item.delay, this, [this, item] { post(item); });
    else
        post(item);
}

QString CallbackSender::chainIdFor(const QString &callId)
{
    if (callId.isEmpty())
        return {};
    const QString key = Graph::normalizeId(callId);
    QString chainId = m_chainIds.value(key);
    if (chainId.isEmpty() && m_resolveChainId) {
        chainId = m_resolveChainId(callId);
        if (!chainId.isEmpty())
            m_chainIds.insert(key, chainId);
    }
    return chainId;
}

void CallbackSender::post(const Item &item)
{
    QNetworkRequest request(QUrl::fromEncoded(item.url.toUtf8()));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", "Bearer " + makeToken());
    request.setRawHeader("User-Agent", "Microsoft-Skype/3.0,(Calling/1.0)");
    request.setRawHeader("X-Microsoft-Skype-Message-ID", item.messageId.toLatin1());
    const QString chainId = chainIdFor(item.callId);
    if (!chainId.isEmpty())
        request.setRawHeader("X-Microsoft-Skype-Chain-ID", chainId.toLatin1());
    request.setTransferTimeout(int(m_config.transferTimeout.count()));
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_nam->post(request, item.body);
    connect(reply, &QNetworkReply::finished, this, [this, item, reply] { finished(item, reply); });
}

void CallbackSender::finished(const Item &item, QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        ++m_stats.sent;
        qCInfo(lcServer).noquote()
            << "callback" << item.changeSummary << "->" << loggable(item.url) << status;
    } else {
        ++m_stats.failed;
        qCWarning(lcServer).noquote()
            << "callback" << item.changeSummary << "->" << loggable(item.url)
            << "failed:" << (status != 0 ? QString::number(status) : reply->errorString());
    }
    Q_EMIT delivered(item.url, item.body, status);
    const auto it = m_queues.find(item.url);
    if (it != m_queues.end()) {
        it->busy = false;
        pump(item.url);
    }
}

void CallbackSender::checkIdle()
{
    if (pending() == 0)
        Q_EMIT idle();
}

} // namespace Sandbox

// Tests of the relay's blocklist (relay-contract.md "Relay's own API" and [policy] blocklist):
// GET, POST and DELETE /api/blocklist on a real RelayService over loopback HTTP, the roles they
// need, the seed from the configuration on the first start only, entries kept normalised and
// across restarts, and the relay event "blocklist" each change publishes.

#include "graph/clock.h"
#include "graph/jwt.h"
#include "graph/relayprotocol.h"
#include "relay/blocklist.h"
#include "relay/journal.h"
#include "relay/operators.h"
#include "relay/relayconfig.h"
#include "relay/relayservice.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 10000;
const QByteArray AliceToken = "alice-blocklist-token"; // operator
const QByteArray BobToken = "bob-blocklist-token"; // supervisor

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class TstBlocklist final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void requestsWithoutAValidTokenGet401();
    void operatorListsTheSeedOfTheFirstStart();
    void operatorAddsAnEntryWith201AndAnEvent();
    void addingAListedEntryAnswers200WithoutAnEvent();
    void invalidEntriesGet400_data();
    void invalidEntriesGet400();
    void entriesAreStoredNormalised_data();
    void entriesAreStoredNormalised();
    void operatorMayNotRemove403();
    void supervisorRemovesWith204AndAnEvent();
    void removingAnUnlistedEntryGets404();
    void removalAcceptsAnyWrittenFormOfTheEntry();
    void otherMethodsGet405();
    void changesSurviveARestart();
    void seedIsNotReadAgainAfterTheFirstStart();
    void normalizeNamesTheProblem_data();
    void normalizeNamesTheProblem();

private:
    Relay::RelayConfig config(const QStringList &seed) const;
    //! Starts m_relay on m_data's folder.
    void startRelay(const QStringList &seed = { u"+15550100"_s, u"+15550101"_s });
    void restartRelay(const QStringList &seed);
    HttpResult request(const QByteArray &verb, const QString &path, const QByteArray &token,
        const QByteArray &body = {});
    HttpResult add(const QString &entry, const QByteArray &token = AliceToken);
    QStringList listed();
    //! The "blocklist" relay events in the journal, oldest first.
    QList<QJsonObject> blocklistEvents() const;

    QTemporaryDir m_keys;
    QString m_jwksFile;
    std::unique_ptr<QTemporaryDir> m_data;
    Graph::SystemClock m_clock;
    QNetworkAccessManager m_nam;
    std::unique_ptr<Relay::RelayService> m_relay;
};

void TstBlocklist::initTestCase()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(m_keys.isValid());
    const Graph::JwtSigner signer = Graph::JwtSigner::generate(u"blocklist-test-key"_s);
    QVERIFY(signer.isValid());
    m_jwksFile = m_keys.filePath(u"jwks.json"_s);
    QFile file(m_jwksFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(signer.jwksJson());
}

void TstBlocklist::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
}

void TstBlocklist::cleanup()
{
    m_relay.reset();
    m_data.reset();
}

Relay::RelayConfig TstBlocklist::config(const QStringList &seed) const
{
    Relay::RelayConfig config;
    config.listenHost = QHostAddress::LocalHost;
    config.listenPort = 0;
    config.dataDir = m_data->path();
    // No Graph is needed here: no call rings.
    config.graphBaseUrl = QUrl(u"http://127.0.0.1:9/v1.0"_s);
    config.tokenUrlTemplate = u"http://127.0.0.1:9/tenant/oauth2/v2.0/token"_s;
    config.clientId = u"app-under-test"_s;
    config.publicUrl = QUrl(u"https://relay.example.org/callbacks"_s);
    config.jwksFile = m_jwksFile;
    config.unattended = Relay::UnattendedMode::None;
    config.blocklist = seed;
    config.operators = {
        { u"alice"_s, Relay::Role::Operator, Relay::OperatorDirectory::hashToken(AliceToken) },
        { u"bob"_s, Relay::Role::Supervisor, Relay::OperatorDirectory::hashToken(BobToken) },
    };
    return config;
}

void TstBlocklist::startRelay(const QStringList &seed)
{
    m_relay = std::make_unique<Relay::RelayService>(config(seed), &m_clock);
    QString error;
    QVERIFY2(m_relay->start(&error), qPrintable(error));
}

void TstBlocklist::restartRelay(const QStringList &seed)
{
    m_relay->shutdown();
    m_relay.reset();
    startRelay(seed);
}

HttpResult TstBlocklist::request(
    const QByteArray &verb, const QString &path, const QByteArray &token, const QByteArray &body)
{
    QNetworkRequest request(m_relay->baseUrl().resolved(QUrl(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    HttpResult result;
    if (reply->isFinished() || done.wait(Timeout)) {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
    }
    reply->deleteLater();
    return result;
}

HttpResult TstBlocklist::add(const QString &entry, const QByteArray &token)
{
    return request("POST", u"/api/blocklist"_s, token,
        QJsonDocument(QJsonObject { { "entry"_L1, entry } }).toJson(QJsonDocument::Compact));
}

QStringList TstBlocklist::listed()
{
    const HttpResult result = request("GET", u"/api/blocklist"_s, AliceToken);
    if (result.status != 200)
        return { u"GET answered %1"_s.arg(result.status) };
    QStringList entries;
    for (const QJsonValue &v : result.json().value("entries"_L1).toArray())
        entries.append(v.toString());
    return entries;
}

QList<QJsonObject> TstBlocklist::blocklistEvents() const
{
    QList<QJsonObject> events;
    for (const Relay::StreamEvent &event : m_relay->journal()->readAfter(0)) {
        if (event.type == Relay::StreamEvent::Type::Relay && event.relayKind() == "blocklist"_L1)
            events.append(event.relay);
    }
    return events;
}

void TstBlocklist::requestsWithoutAValidTokenGet401()
{
    startRelay();
    for (const QByteArray &token : { QByteArray(), QByteArray("not-a-known-token") }) {
        QCOMPARE(request("GET", u"/api/blocklist"_s, token).status, 401);
        QCOMPARE(add(u"+15550199"_s, token).status, 401);
        QCOMPARE(request("DELETE", u"/api/blocklist/+15550100"_s, token).status, 401);
    }
    // Nothing changed.
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550101"_s }));
    QVERIFY(blocklistEvents().isEmpty());
}

void TstBlocklist::operatorListsTheSeedOfTheFirstStart()
{
    startRelay({ u"+15550101"_s, u"+15550100"_s });
    const HttpResult result = request("GET", u"/api/blocklist"_s, AliceToken);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json(),
        QJsonObject({ { "entries"_L1, QJsonArray { u"+15550100"_s, u"+15550101"_s } } }));
    // Seeding is configuration, not an operator's change: no event.
    QVERIFY(blocklistEvents().isEmpty());
}

void TstBlocklist::operatorAddsAnEntryWith201AndAnEvent()
{
    startRelay();
    const HttpResult result = add(u"+15550199"_s);
    QCOMPARE(result.status, 201);
    QCOMPARE(result.json().value("entry"_L1).toString(), u"+15550199"_s);
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550101"_s, u"+15550199"_s }));

    const QList<QJsonObject> events = blocklistEvents();
    QCOMPARE(events.size(), qsizetype(1));
    QCOMPARE(events.first().value("action"_L1).toString(), u"added"_s);
    QCOMPARE(events.first().value("entry"_L1).toString(), u"+15550199"_s);
    QCOMPARE(events.first().value("by"_L1).toString(), u"alice"_s);
}

void TstBlocklist::addingAListedEntryAnswers200WithoutAnEvent()
{
    startRelay();
    QCOMPARE(add(u"+15550199"_s).status, 201);
    const HttpResult again = add(u"+1 555 0199"_s, BobToken);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().value("entry"_L1).toString(), u"+15550199"_s);
    QCOMPARE(add(u"+15550100"_s).status, 200); // seeded
    QCOMPARE(blocklistEvents().size(), qsizetype(1));
    QCOMPARE(listed().size(), qsizetype(3));
}

void TstBlocklist::invalidEntriesGet400_data()
{
    QTest::addColumn<QByteArray>("body");
    const auto row = [](const char *name, const QJsonObject &body) {
        QTest::newRow(name) << QJsonDocument(body).toJson(QJsonDocument::Compact);
    };
    row("empty", { { "entry"_L1, u""_s } });
    row("number without plus", { { "entry"_L1, u"5550100"_s } });
    row("number starting with 0", { { "entry"_L1, u"+0123456"_s } });
    row("number too long", { { "entry"_L1, u"+1234567890123456"_s } });
    row("letters in a number", { { "entry"_L1, u"+1555CALLME"_s } });
    row("user id with a space", { { "entry"_L1, u"alex wilber"_s } });
    row("user id with a slash", { { "entry"_L1, u"a/b"_s } });
    row("entry not a string", { { "entry"_L1, 15550100 } });
    row("no entry", { { "number"_L1, u"+15550199"_s } });
    QTest::newRow("not JSON") << QByteArray("+15550199");
    QTest::newRow("a JSON array") << QByteArray("[\"+15550199\"]");
}

void TstBlocklist::invalidEntriesGet400()
{
    QFETCH(QByteArray, body);
    startRelay();
    const HttpResult result = request("POST", u"/api/blocklist"_s, AliceToken, body);
    QCOMPARE(result.status, 400);
    QVERIFY2(!result.json().value("error"_L1).toObject().value("message"_L1).toString().isEmpty(),
        result.body.constData());
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550101"_s }));
    QVERIFY(blocklistEvents().isEmpty());
}

void TstBlocklist::entriesAreStoredNormalised_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("stored");
    QTest::newRow("spaces") << u"+1 425 555 0199"_s << u"+14255550199"_s;
    QTest::newRow("dashes and parentheses") << u"+1 (425) 555-0199"_s << u"+14255550199"_s;
    QTest::newRow("dots") << u"+49.30.1234567"_s << u"+49301234567"_s;
    QTest::newRow("tel: prefix") << u"tel:+14255550199"_s << u"+14255550199"_s;
    QTest::newRow("surrounding blanks") << u"  +14255550199 "_s << u"+14255550199"_s;
    QTest::newRow("user id in upper case")
        << u"3C7B9A1E-5D2F-4E8A-9B6C-1A2B3C4D5E02"_s << u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s;
}

void TstBlocklist::entriesAreStoredNormalised()
{
    QFETCH(QString, written);
    QFETCH(QString, stored);
    startRelay({});
    const HttpResult result = add(written);
    QCOMPARE(result.status, 201);
    QCOMPARE(result.json().value("entry"_L1).toString(), stored);
    QCOMPARE(listed(), QStringList { stored });
    QCOMPARE(blocklistEvents().constFirst().value("entry"_L1).toString(), stored);
}

void TstBlocklist::operatorMayNotRemove403()
{
    startRelay();
    const HttpResult refused = request("DELETE", u"/api/blocklist/+15550100"_s, AliceToken);
    QCOMPARE(refused.status, 403);
    QCOMPARE(
        refused.json().value("error"_L1).toObject().value("code"_L1).toString(), u"forbidden"_s);
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550101"_s }));
    QVERIFY(blocklistEvents().isEmpty());
}

void TstBlocklist::supervisorRemovesWith204AndAnEvent()
{
    startRelay();
    const HttpResult result = request("DELETE", u"/api/blocklist/+15550100"_s, BobToken);
    QCOMPARE(result.status, 204);
    QVERIFY(result.body.isEmpty());
    QCOMPARE(listed(), QStringList { u"+15550101"_s });

    const QList<QJsonObject> events = blocklistEvents();
    QCOMPARE(events.size(), qsizetype(1));
    QCOMPARE(events.first().value("action"_L1).toString(), u"removed"_s);
    QCOMPARE(events.first().value("entry"_L1).toString(), u"+15550100"_s);
    QCOMPARE(events.first().value("by"_L1).toString(), u"bob"_s);
}

void TstBlocklist::removingAnUnlistedEntryGets404()
{
    startRelay();
    QCOMPARE(request("DELETE", u"/api/blocklist/+15550199"_s, BobToken).status, 404);
    QCOMPARE(request("DELETE", u"/api/blocklist/not%20an%20entry"_s, BobToken).status, 404);
    QCOMPARE(request("DELETE", u"/api/blocklist/+15550100"_s, BobToken).status, 204);
    QCOMPARE(request("DELETE", u"/api/blocklist/+15550100"_s, BobToken).status, 404);
    QCOMPARE(blocklistEvents().size(), qsizetype(1));
}

void TstBlocklist::removalAcceptsAnyWrittenFormOfTheEntry()
{
    startRelay({ u"+14255550199"_s, u"+14255550198"_s, u"3c7b9a1e-5d2f-4e8a-9b6c-1a2b3c4d5e02"_s });
    QCOMPARE(request("DELETE", u"/api/blocklist/+1%20(425)%20555-0199"_s, BobToken).status, 204);
    QCOMPARE(request("DELETE", u"/api/blocklist/%2B14255550198"_s, BobToken).status, 204);
    QCOMPARE(request("DELETE", u"/api/blocklist/3C7B9A1E-5D2F-4E8A-9B6C-1A2B3C4D5E02"_s, BobToken)
                 .status,
        204);
    QVERIFY(listed().isEmpty());
}

void TstBlocklist::otherMethodsGet405()
{
    startRelay();
    const HttpResult put = request("PUT", u"/api/blocklist"_s, AliceToken, "{}");
    QCOMPARE(put.status, 405);
    QCOMPARE(
        put.json().value("error"_L1).toObject().value("code"_L1).toString(), u"methodNotAllowed"_s);
    QCOMPARE(request("GET", u"/api/blocklist/+15550100"_s, AliceToken).status, 405);
    QCOMPARE(request("PATCH", u"/api/blocklist/+15550100"_s, BobToken).status, 405);
    QCOMPARE(request("PUT", u"/api/blocklist"_s, {}, "{}").status, 401);
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550101"_s }));
}

void TstBlocklist::changesSurviveARestart()
{
    startRelay();
    QCOMPARE(add(u"+15550199"_s).status, 201);
    QCOMPARE(request("DELETE", u"/api/blocklist/+15550101"_s, BobToken).status, 204);
    restartRelay({ u"+15550100"_s, u"+15550101"_s });
    QCOMPARE(listed(), QStringList({ u"+15550100"_s, u"+15550199"_s }));
    // The events stay in the journal, as everything a console may replay.
    QCOMPARE(blocklistEvents().size(), qsizetype(2));
}

void TstBlocklist::seedIsNotReadAgainAfterTheFirstStart()
{
    startRelay({ u"+15550100"_s });
    QCOMPARE(request("DELETE", u"/api/blocklist/+15550100"_s, BobToken).status, 204);
    QVERIFY(listed().isEmpty());
    // Once the table exists it is the truth: a new seed, or the old one, changes nothing.
    restartRelay({ u"+15550100"_s, u"+15550102"_s });
    QVERIFY(listed().isEmpty());
}

void TstBlocklist::normalizeNamesTheProblem_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("expected"); // the normal form, or empty when refused
    QTest::newRow("E.164") << u"+15550100"_s << u"+15550100"_s;
    QTest::newRow("punctuation") << u"+1 (555) 010-0100"_s << u"+15550100100"_s;
    QTest::newRow("user id") << u"Alex.Wilber@contoso"_s << u"alex.wilber@contoso"_s;
    QTest::newRow("no plus") << u"(555) 010-0100"_s << QString();
    QTest::newRow("plus only") << u"+"_s << QString();
    QTest::newRow("empty") << u" "_s << QString();
    QTest::newRow("sixteen digits") << u"+1234567890123456"_s << QString();
    QTest::newRow("user id starting with a dot") << u".alex"_s << QString();
}

void TstBlocklist::normalizeNamesTheProblem()
{
    QFETCH(QString, entry);
    QFETCH(QString, expected);
    QString why;
    const std::optional<QString> normal = Relay::Blocklist::normalize(entry, &why);
    if (expected.isEmpty()) {
        QVERIFY(!normal);
        QVERIFY(!why.isEmpty());
    } else {
        QVERIFY2(normal, qPrintable(why));
        QCOMPARE(*normal, expected);
    }
}

QTEST_GUILESS_MAIN(TstBlocklist)
#include "tst_blocklist.moc"

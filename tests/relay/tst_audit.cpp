// The audit log: one row per action an operator takes through the Graph proxy (the relay's own
// refusals included, reads excluded), in the journal's database, and GET /api/audit for
// supervisors, newest first.

#include "actionsfixture.h"
#include "relay/actiongateway.h"
#include "relay/auditlog.h"

using namespace ActionsFixture;
using namespace Qt::StringLiterals;

namespace {

QByteArray answerBody()
{
    return json(routeCase(u"answer"_s).body);
}

QByteArray transferBody()
{
    return json(routeCase(u"transfer"_s).body);
}

} // namespace

class TstAudit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void eachProxiedActionWritesOneRowWithItsFields();
    void readsAndUnknownRoutesWriteNoRow();
    void entriesAreNewestFirst();
    void limitChoosesHowManyUpToAThousand();
    void badLimitIs400();
    void auditIsForSupervisorsOnly();
    void auditSurvivesARestart();

private:
    QList<QJsonObject> entries(int limit = 0)
    {
        const QString path = limit > 0 ? u"/api/audit?limit=%1"_s.arg(limit) : u"/api/audit"_s;
        const HttpResult got = m_system.request("GET", path, SamToken);
        QList<QJsonObject> list;
        for (const QJsonValue &v : got.json().value("entries"_L1).toArray())
            list.append(v.toObject());
        return list;
    }
    qint64 newestId()
    {
        const QList<QJsonObject> list = entries(1);
        return list.isEmpty() ? 0 : list.constFirst().value("id"_L1).toInteger();
    }
    //! The entries written after the one with id `after`, oldest first.
    QList<QJsonObject> entriesAfter(qint64 after)
    {
        QList<QJsonObject> found;
        for (const QJsonObject &e : entries(1000)) {
            if (e.value("id"_L1).toInteger() > after)
                found.prepend(e);
        }
        return found;
    }

    System m_system;
};

void TstAudit::initTestCase()
{
    // Graph's 15 s ring timeout, so that no call ends while a test acts on it.
    const QString error = m_system.start(Options { 1, false });
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstAudit::eachProxiedActionWritesOneRowWithItsFields()
{
    const QString callId = m_system.incomingCall();
    QVERIFY(!callId.isEmpty());
    const qint64 before = newestId();
    const QString base = u"/graph/v1.0/communications/calls/%1"_s.arg(callId);

    // Graph accepts: 202.
    const QByteArray answerId = newRequestId();
    const HttpResult answered = m_system.request("POST", base + u"/answer"_s, AliceToken,
        answerBody(), { { "client-request-id", answerId } });
    QCOMPARE(answered.status, 202);
    // Graph refuses: another call still rings and cannot be transferred, 400.
    const QString ringing = m_system.incomingCall();
    const QString ringingPath = u"/graph/v1.0/communications/calls/%1/transfer"_s.arg(ringing);
    const HttpResult refused = m_system.request("POST", ringingPath, AliceToken, transferBody());
    QCOMPARE(refused.status, 400);
    // The relay refuses: bob may not act on alice's call, 409.
    const HttpResult conflict = m_system.request("DELETE", base, BobToken);
    QCOMPARE(conflict.status, 409);
    // The relay refuses: an operator may not mute a participant, 403.
    const HttpResult forbidden =
        m_system.request("POST", base + u"/participants/p1/mute"_s, BobToken, "{}");
    QCOMPARE(forbidden.status, 403);

    const QList<QJsonObject> rows = entriesAfter(before);
    QCOMPARE(rows.size(), 4);
    const QJsonObject &answer = rows.at(0);
    QCOMPARE(answer.value("operator"_L1).toString(), u"alice"_s);
    QCOMPARE(answer.value("role"_L1).toString(), u"operator"_s);
    QCOMPARE(answer.value("action"_L1).toString(), u"answer"_s);
    QCOMPARE(answer.value("method"_L1).toString(), u"POST"_s);
    QCOMPARE(answer.value("path"_L1).toString(), base + u"/answer"_s);
    QCOMPARE(answer.value("callId"_L1).toString(), callId);
    QCOMPARE(answer.value("status"_L1).toInt(), 202);
    QVERIFY(answer.value("errorCode"_L1).isNull());
    QCOMPARE(answer.value("requestId"_L1).toString().toLatin1(), answered.header("request-id"));
    QCOMPARE(answer.value("clientRequestId"_L1).toString().toLatin1(), answerId);
    const QDateTime at = QDateTime::fromString(answer.value("at"_L1).toString(), Qt::ISODateWithMs);
    QVERIFY(at.isValid());
    QVERIFY(qAbs(at.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
    QVERIFY(answer.value("durationMs"_L1).toInteger() >= 0);

    const QJsonObject &transfer = rows.at(1);
    QCOMPARE(transfer.value("action"_L1).toString(), u"transfer"_s);
    QCOMPARE(transfer.value("path"_L1).toString(), ringingPath);
    QCOMPARE(transfer.value("callId"_L1).toString(), ringing);
    QCOMPARE(transfer.value("status"_L1).toInt(), 400);
    QCOMPARE(transfer.value("errorCode"_L1).toString(), u"InvalidStateForOperation"_s);
    QCOMPARE(transfer.value("requestId"_L1).toString().toLatin1(), refused.header("request-id"));

    const QJsonObject &hangUp = rows.at(2);
    QCOMPARE(hangUp.value("operator"_L1).toString(), u"bob"_s);
    QCOMPARE(hangUp.value("action"_L1).toString(), u"hangUp"_s);
    QCOMPARE(hangUp.value("method"_L1).toString(), u"DELETE"_s);
    QCOMPARE(hangUp.value("status"_L1).toInt(), 409);
    QCOMPARE(hangUp.value("errorCode"_L1).toString(), u"callClaimed"_s);
    QCOMPARE(hangUp.value("requestId"_L1).toString().toLatin1(), conflict.header("request-id"));

    const QJsonObject &mute = rows.at(3);
    QCOMPARE(mute.value("action"_L1).toString(), u"muteParticipant"_s);
    QCOMPARE(mute.value("status"_L1).toInt(), 403);
    QCOMPARE(mute.value("errorCode"_L1).toString(), u"accessDenied"_s);
}

void TstAudit::readsAndUnknownRoutesWriteNoRow()
{
    const QString callId = m_system.incomingCall();
    const qint64 before = newestId();
    const QString base = u"/graph/v1.0/communications/calls/%1"_s.arg(callId);
    QCOMPARE(m_system.request("GET", base, AliceToken).status, 200);
    QCOMPARE(m_system.request("GET", base + u"/participants"_s, AliceToken).status, 200);
    QCOMPARE(m_system.request("PATCH", base, AliceToken, "{}").status, 404);
    QCOMPARE(m_system.request("POST", base + u"/answer"_s, {}, answerBody()).status, 401);
    QCOMPARE(newestId(), before);
}

void TstAudit::entriesAreNewestFirst()
{
    const qint64 before = newestId();
    for (int i = 0; i < 3; ++i) {
        const QString callId = m_system.incomingCall();
        QCOMPARE(m_system
                     .request("POST", u"/graph/v1.0/communications/calls/%1/reject"_s.arg(callId),
                         AliceToken, json(QJsonObject { { "reason"_L1, u"busy"_s } }))
                     .status,
            202);
    }
    const QList<QJsonObject> newest = entries(3);
    QCOMPARE(newest.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(newest.at(i).value("id"_L1).toInteger(), before + 3 - i);
    QVERIFY(QDateTime::fromString(newest.at(0).value("at"_L1).toString(), Qt::ISODateWithMs)
        >= QDateTime::fromString(newest.at(2).value("at"_L1).toString(), Qt::ISODateWithMs));
}

void TstAudit::limitChoosesHowManyUpToAThousand()
{
    // Enough rows to see the default of 100 and the cap of 1000 at work.
    Relay::AuditLog *log = m_system.relay->actions()->audit();
    for (qint64 i = newestId(); i < 1010; ++i) {
        Relay::AuditEntry entry;
        entry.at = QDateTime::currentDateTimeUtc();
        entry.operatorName = u"alice"_s;
        entry.role = u"operator"_s;
        entry.action = u"keepAlive"_s;
        entry.method = "POST";
        entry.path = u"/graph/v1.0/communications/calls/c/keepAlive"_s;
        entry.status = 200;
        QVERIFY(log->record(entry) > 0);
    }
    QCOMPARE(entries().size(), 100);
    QCOMPARE(entries(2).size(), 2);
    QCOMPARE(entries(1000).size(), 1000);
    const HttpResult capped = m_system.request("GET", u"/api/audit?limit=5000"_s, SamToken);
    QCOMPARE(capped.status, 200);
    QCOMPARE(capped.json().value("entries"_L1).toArray().size(), 1000);
}

void TstAudit::badLimitIs400()
{
    for (const QString &limit : { u"0"_s, u"-3"_s, u"many"_s, QString() }) {
        const HttpResult got = m_system.request("GET", u"/api/audit?limit="_s + limit, SamToken);
        QCOMPARE(got.status, 400);
        QCOMPARE(got.errorCode(), u"badRequest"_s);
    }
}

void TstAudit::auditIsForSupervisorsOnly()
{
    const HttpResult alice = m_system.request("GET", u"/api/audit"_s, AliceToken);
    QCOMPARE(alice.status, 403);
    QCOMPARE(alice.errorCode(), u"forbidden"_s);
    QVERIFY(!alice.json().contains("entries"_L1));
    QCOMPARE(m_system.request("GET", u"/api/audit"_s, {}).status, 401);
    QCOMPARE(m_system.request("GET", u"/api/audit"_s, UnknownToken).status, 401);
    QCOMPARE(m_system.request("DELETE", u"/api/audit"_s, SamToken).status, 405);
    const HttpResult sam = m_system.request("GET", u"/api/audit"_s, SamToken);
    QCOMPARE(sam.status, 200);
    QVERIFY(sam.json().value("entries"_L1).isArray());
}

void TstAudit::auditSurvivesARestart()
{
    const QString callId = m_system.incomingCall();
    QCOMPARE(m_system
                 .request("POST", u"/graph/v1.0/communications/calls/%1/reject"_s.arg(callId),
                     AliceToken, json(QJsonObject { { "reason"_L1, u"busy"_s } }))
                 .status,
        202);
    const QList<QJsonObject> before = entries(5);
    const QString error = m_system.restartRelay();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(entries(5), before);
}

QTEST_GUILESS_MAIN(TstAudit)
#include "tst_audit.moc"

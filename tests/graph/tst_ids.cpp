// Tests of graph/ids.h: comparing Graph ids written in different forms, and splitting
// resourceUrl paths.

#include "graph/ids.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Graph;

Q_DECLARE_METATYPE(Graph::ResourcePath::Kind)

namespace {

const QString CallId = u"9a8b7c00-6d5e-4f3a-8b1c-2d3e4f5a6b7c"_s;
const QString CallIdUpper = u"9A8B7C006D5E4F3A8B1C2D3E4F5A6B7C"_s;
const QString CallIdNormal = u"9a8b7c006d5e4f3a8b1c2d3e4f5a6b7c"_s;
const QString ParticipantId = u"1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"_s;
const QString OperationId = u"0b8e6c4a-2f1d-4e3b-9a7c-5d3f1b9e7a42"_s;

} // namespace

class TstIds final : public QObject
{
    Q_OBJECT

private slots:
    void normalizeId_data();
    void normalizeId();
    void sameId_data();
    void sameId();
    void parseResourcePath_data();
    void parseResourcePath();
    void newGuidIsLowerCaseWithoutBraces();
    void newGuidIsUnique();
};

void TstIds::normalizeId_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("normal");

    QTest::newRow("lower case, dashed") << CallId << CallIdNormal;
    QTest::newRow("upper case, no dashes") << CallIdUpper << CallIdNormal;
    QTest::newRow("upper case, dashed") << CallId.toUpper() << CallIdNormal;
    QTest::newRow("braces") << u"{9A8B7C00-6D5E-4F3A-8B1C-2D3E4F5A6B7C}"_s << CallIdNormal;
    QTest::newRow("already normal") << CallIdNormal << CallIdNormal;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("not a GUID") << u"19:Meeting_Abc@thread.v2"_s << u"19:meeting_abc@thread.v2"_s;
    QTest::newRow("only dashes and braces") << u"{--}"_s << QString();
    // Past ASCII, case still folds as QChar::toLower() folds it.
    QTest::newRow("non-ASCII") << u"ÄÖ-Ü{Ω}ß"_s << u"äöüωß"_s;
}

void TstIds::normalizeId()
{
    QFETCH(QString, id);
    QFETCH(QString, normal);

    QCOMPARE(Graph::normalizeId(id), normal);
    QCOMPARE(Graph::normalizeId(QStringView(id)), normal);
    // Normalising is idempotent, and a normalized QString comes back without a copy.
    const QString once = Graph::normalizeId(id);
    QCOMPARE(Graph::normalizeId(once), normal);
    if (!once.isEmpty())
        QCOMPARE(Graph::normalizeId(once).constData(), once.constData());
}

void TstIds::sameId_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");

    QTest::newRow("identical") << CallId << CallId << true;
    QTest::newRow("dashed vs upper undashed") << CallId << CallIdUpper << true;
    QTest::newRow("braced vs dashed") << QString(u'{' + CallId + u'}') << CallId << true;
    QTest::newRow("mixed case") << u"9a8B7c00-6D5e-4f3A-8b1C-2d3E4f5A6b7C"_s << CallIdUpper << true;
    QTest::newRow("different ids") << CallId << ParticipantId << false;
    QTest::newRow("one digit off") << CallId << u"9a8b7c00-6d5e-4f3a-8b1c-2d3e4f5a6b7d"_s << false;
    QTest::newRow("prefix") << CallId << CallId.left(8) << false;
    QTest::newRow("empty vs id") << QString() << CallId << false;
    QTest::newRow("both empty") << QString() << QString() << true;
    QTest::newRow("dashes only vs empty") << u"{--}"_s << QString() << true;
    QTest::newRow("trailing dash") << QString(CallId + u'-') << CallIdUpper << true;
    QTest::newRow("longer by one") << QString(CallId + u'0') << CallId << false;
    QTest::newRow("non-ASCII case") << u"ÄÖ-Ü"_s << u"äöü"_s << true;
    QTest::newRow("ASCII and non-ASCII") << u"a"_s << u"á"_s << false;
}

void TstIds::sameId()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);

    QCOMPARE(Graph::sameId(a, b), same);
    QCOMPARE(Graph::sameId(b, a), same);
    // The same answer as comparing the normalized forms.
    QCOMPARE(Graph::normalizeId(a) == Graph::normalizeId(b), same);
}

void TstIds::parseResourcePath_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ResourcePath::Kind>("kind");
    QTest::addColumn<QString>("callId");
    QTest::addColumn<QString>("subId");

    using K = ResourcePath::Kind;
    // Everything after "/communications/calls/".
    const auto calls = [](const QString &rest) -> QString {
        return u"/communications/calls/"_s + rest;
    };
    const auto legacy = [](const QString &rest) -> QString { return u"/app/calls/"_s + rest; };

    QTest::newRow("call") << calls(CallId) << K::Call << CallId << QString();
    QTest::newRow("call, trailing slash") << calls(CallId + u'/') << K::Call << CallId << QString();
    QTest::newRow("participants") << calls(CallId + u"/participants"_s) << K::Participants << CallId
                                  << QString();
    QTest::newRow("participant") << calls(CallId + u"/participants/"_s + ParticipantId)
                                 << K::Participant << CallId << ParticipantId;
    QTest::newRow("operation") << calls(CallId + u"/operations/"_s + OperationId) << K::Operation
                               << CallId << OperationId;
    QTest::newRow("legacy call") << legacy(CallId) << K::Call << CallId << QString();
    QTest::newRow("legacy participants")
        << legacy(CallId + u"/participants"_s) << K::Participants << CallId << QString();
    QTest::newRow("legacy operation") << legacy(CallId + u"/operations/"_s + OperationId)
                                      << K::Operation << CallId << OperationId;
    QTest::newRow("absolute URL") << QString(
        u"https://graph.microsoft.com/v1.0/communications/calls/"_s + CallId)
                                  << K::Call << CallId << QString();
    QTest::newRow("absolute URL with query")
        << QString(u"https://graph.microsoft.com/beta/communications/calls/"_s + CallId
               + u"/participants/"_s + ParticipantId + u"?$select=id,isMuted"_s)
        << K::Participant << CallId << ParticipantId;
    QTest::newRow("segment names in other case")
        << QString(u"/Communications/Calls/"_s + CallId + u"/Operations/"_s + OperationId)
        << K::Operation << CallId << OperationId;
    // Ids are returned as written; comparing them is sameId()'s job.
    QTest::newRow("upper-case id") << calls(CallIdUpper) << K::Call << CallIdUpper << QString();
    QTest::newRow("upper-case ids, operation")
        << calls(CallIdUpper + u"/operations/0B8E6C4A2F1D4E3B9A7C5D3F1B9E7A42"_s) << K::Operation
        << CallIdUpper << u"0B8E6C4A2F1D4E3B9A7C5D3F1B9E7A42"_s;

    QTest::newRow("empty") << QString() << K::Unknown << QString() << QString();
    QTest::newRow("calls without id")
        << u"/communications/calls"_s << K::Unknown << QString() << QString();
    QTest::newRow("calls/ without id") << calls(QString()) << K::Unknown << QString() << QString();
    QTest::newRow("online meeting")
        << u"/communications/onlineMeetings/abc"_s << K::Unknown << QString() << QString();
    QTest::newRow("query only") << u"?calls/x"_s << K::Unknown << QString() << QString();
    // Paths below a call that the codec does not model still name the call.
    QTest::newRow("operations without id")
        << calls(CallId + u"/operations"_s) << K::Unknown << CallId << QString();
    QTest::newRow("participant action")
        << calls(CallId + u"/participants/"_s + ParticipantId + u"/mute"_s) << K::Unknown << CallId
        << QString();
    QTest::newRow("audio routing group")
        << calls(CallId + u"/audioRoutingGroups/main"_s) << K::Unknown << CallId << QString();
}

void TstIds::parseResourcePath()
{
    QFETCH(QString, url);
    QFETCH(ResourcePath::Kind, kind);
    QFETCH(QString, callId);
    QFETCH(QString, subId);

    const ResourcePath path = Graph::parseResourcePath(url);
    QCOMPARE(int(path.kind), int(kind));
    QCOMPARE(path.callId, callId);
    QCOMPARE(path.subId, subId);
}

void TstIds::newGuidIsLowerCaseWithoutBraces()
{
    static const QRegularExpression guid(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    const QString id = newGuid();
    QVERIFY2(guid.match(id).hasMatch(), qPrintable(id));
    QCOMPARE(Graph::normalizeId(id), QString(id).remove(u'-'));
}

void TstIds::newGuidIsUnique()
{
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i)
        seen.insert(newGuid());
    QCOMPARE(seen.size(), 1000);
}

QTEST_GUILESS_MAIN(TstIds)
#include "tst_ids.moc"

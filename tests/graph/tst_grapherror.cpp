#include "graph/grapherror.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using Graph::GraphError;

namespace {

QByteArray json(const char *text)
{
    // Keeps the rows readable: single quotes in the source, double quotes on the wire.
    return QByteArray(text).replace('\'', '"');
}

} // namespace

class TstGraphError final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromResponse_data();
    void fromResponse();
    void fromResponseKeepsBodyIdsOverHeaders();
    void fromResponseKeepsOnlyAnExcerptOfAnHtmlPage();
    void toJsonWritesGraphShape();
    void toJsonRoundTrip_data();
    void toJsonRoundTrip();
    void toJsonFillsCodeAndMessageWhenMissing();
    void summary_data();
    void summary();
    void transportKeepsKindAndDetail();
};

void TstGraphError::fromResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("requestIdHeader");
    QTest::addColumn<QByteArray>("dateHeader");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("innerCodes");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("clientRequestId");
    QTest::addColumn<QString>("date");

    QTest::newRow("full") << 404
                          << json("{'error':{'code':'itemNotFound','message':'Unknown call',"
                                  "'innerError':{'request-id':'r-1','client-request-id':'c-1',"
                                  "'date':'2026-01-05T09:00:00'}}}")
                          << QByteArray() << QByteArray() << u"itemNotFound"_s << u"Unknown call"_s
                          << QStringList() << u"r-1"_s << u"c-1"_s << u"2026-01-05T09:00:00"_s;
    QTest::newRow("nested chain")
        << 403
        << json("{'error':{'code':'7505','message':'Request authorization tenant mismatch',"
                "'innerError':{'code':'outer','request-id':'r-2','date':'d',"
                "'innererror':{'code':'middle','innerError':{'code':'inner'}}}}}")
        << QByteArray() << QByteArray() << u"7505"_s << u"Request authorization tenant mismatch"_s
        << QStringList { u"outer"_s, u"middle"_s, u"inner"_s } << u"r-2"_s << u"c-header"_s
        << u"d"_s;
    QTest::newRow("throttled")
        << 429
        << json("{'error':{'code':'TooManyRequests','message':'Please retry again later.',"
                "'innerError':{'code':'429','status':'429','date':'d','request-id':'r-3'}}}")
        << QByteArray() << QByteArray() << u"TooManyRequests"_s << u"Please retry again later."_s
        << QStringList { u"429"_s } << u"r-3"_s << u"c-header"_s << u"d"_s;
    QTest::newRow("numeric code")
        << 403 << json("{'error':{'code':7504,'message':'Insufficient permissions'}}")
        << QByteArray() << QByteArray() << u"7504"_s << u"Insufficient permissions"_s
        << QStringList() << QString() << u"c-header"_s << QString();
    QTest::newRow("no innerError, ids from headers")
        << 403 << json("{'error':{'code':'Unauthorized','message':'App is not authorized'}}")
        << "r-4"_ba
        << "Mon, 05 Jan 2026 09:00:00 GMT"_ba << u"Unauthorized"_s << u"App is not authorized"_s
        << QStringList() << u"r-4"_s << u"c-header"_s << u"Mon, 05 Jan 2026 09:00:00 GMT"_s;
    QTest::newRow("non-JSON") << 502 << "<html><body>Bad gateway</body></html>"_ba
                              << "r-5"_ba << QByteArray() << QString() << u"Bad Gateway"_s
                              << QStringList() << u"r-5"_s << u"c-header"_s << QString();
    QTest::newRow("empty") << 503 << QByteArray() << QByteArray() << QByteArray() << QString()
                           << u"Service Unavailable"_s << QStringList() << QString()
                           << u"c-header"_s << QString();
    QTest::newRow("JSON without error")
        << 500 << json("{'value':[]}") << QByteArray() << QByteArray() << QString()
        << u"Internal Server Error"_s << QStringList() << QString() << u"c-header"_s << QString();
    QTest::newRow("OAuth shape")
        << 401
        << json("{'error':'invalid_client','error_description':'AADSTS7000215: Invalid client "
                "secret provided.','trace_id':'t-1','correlation_id':'k-1'}")
        << QByteArray() << QByteArray() << u"invalid_client"_s
        << u"AADSTS7000215: Invalid client secret provided."_s << QStringList() << u"t-1"_s
        << u"k-1"_s << QString();
}

void TstGraphError::fromResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, requestIdHeader);
    QFETCH(QByteArray, dateHeader);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(QStringList, innerCodes);
    QFETCH(QString, requestId);
    QFETCH(QString, clientRequestId);
    QFETCH(QString, date);

    const GraphError error =
        GraphError::fromResponse(status, body, requestIdHeader, "c-header", dateHeader);
    QCOMPARE(error.kind, GraphError::Kind::Http);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.code, code);
    QCOMPARE(error.message, message);
    QCOMPARE(error.innerCodes, innerCodes);
    QCOMPARE(error.requestId, requestId);
    QCOMPARE(error.clientRequestId, clientRequestId);
    QCOMPARE(error.date, date);
}

void TstGraphError::fromResponseKeepsBodyIdsOverHeaders()
{
    const GraphError error = GraphError::fromResponse(404,
        json("{'error':{'code':'itemNotFound','message':'m','innerError':{'request-id':'body'}}}"),
        "header");
    QCOMPARE(error.requestId, u"body"_s);
}

void TstGraphError::fromResponseKeepsOnlyAnExcerptOfAnHtmlPage()
{
    const QByteArray page = "<html>\n<body>" + QByteArray(5000, 'x') + "</body></html>";
    const GraphError error = GraphError::fromResponse(502, page);
    QCOMPARE(error.message, u"Bad Gateway"_s);
    QVERIFY(error.detail.startsWith(u"<html> <body>xxx"_s));
    QVERIFY(error.detail.size() <= 201);
    QVERIFY(!error.detail.contains(u'\n'));
}

void TstGraphError::toJsonWritesGraphShape()
{
    GraphError error;
    error.httpStatus = 404;
    error.code = u"itemNotFound"_s;
    error.message = u"Unknown call"_s;
    error.requestId = u"r-1"_s;
    error.clientRequestId = u"c-1"_s;
    error.date = u"2026-01-05T09:00:00"_s;

    const QJsonObject expected = QJsonDocument::fromJson(
        json("{'error':{'code':'itemNotFound','message':'Unknown call','innerError':"
             "{'request-id':'r-1','client-request-id':'c-1','date':'2026-01-05T09:00:00'}}}"))
                                     .object();
    QCOMPARE(error.toJson(), expected);
    QCOMPARE(QJsonDocument::fromJson(error.toJsonBytes()).object(), expected);

    // Without ids there is no innerError at all.
    error.requestId.clear();
    error.clientRequestId.clear();
    error.date.clear();
    QVERIFY(!error.toJson().value("error"_L1).toObject().contains("innerError"_L1));
}

void TstGraphError::toJsonRoundTrip_data()
{
    QTest::addColumn<QStringList>("innerCodes");
    QTest::addColumn<QString>("requestId");

    QTest::newRow("ids only") << QStringList() << u"r-1"_s;
    QTest::newRow("one inner code") << QStringList { u"429"_s } << u"r-2"_s;
    QTest::newRow("inner chain") << QStringList { u"a"_s, u"b"_s, u"c"_s } << u"r-3"_s;
    QTest::newRow("codes without ids") << QStringList { u"a"_s, u"b"_s } << QString();
}

void TstGraphError::toJsonRoundTrip()
{
    QFETCH(QStringList, innerCodes);
    QFETCH(QString, requestId);

    GraphError error;
    error.httpStatus = 403;
    error.code = u"7505"_s;
    error.message = u"Request authorization tenant mismatch"_s;
    error.innerCodes = innerCodes;
    error.requestId = requestId;
    error.clientRequestId = requestId.isEmpty() ? QString() : u"c"_s;
    error.date = requestId.isEmpty() ? QString() : u"2026-01-05T09:00:00"_s;

    const GraphError back = GraphError::fromResponse(error.httpStatus, error.toJsonBytes());
    QCOMPARE(back.httpStatus, error.httpStatus);
    QCOMPARE(back.code, error.code);
    QCOMPARE(back.message, error.message);
    QCOMPARE(back.innerCodes, error.innerCodes);
    QCOMPARE(back.requestId, error.requestId);
    QCOMPARE(back.clientRequestId, error.clientRequestId);
    QCOMPARE(back.date, error.date);
}

void TstGraphError::toJsonFillsCodeAndMessageWhenMissing()
{
    GraphError error;
    error.httpStatus = 404;
    const QJsonObject object = error.toJson().value("error"_L1).toObject();
    QCOMPARE(object.value("code"_L1).toString(), u"itemNotFound"_s);
    QCOMPARE(object.value("message"_L1).toString(), u"Not Found"_s);
}

void TstGraphError::summary_data()
{
    QTest::addColumn<GraphError>("error");
    QTest::addColumn<QString>("expected");

    GraphError tenant;
    tenant.httpStatus = 403;
    tenant.code = u"7505"_s;
    tenant.message = u"Request authorization tenant mismatch"_s;
    tenant.requestId = u"3f2a"_s;
    QTest::newRow("http with request-id")
        << tenant << u"403 7505: Request authorization tenant mismatch (request-id 3f2a)"_s;

    QTest::newRow("non-JSON http")
        << GraphError::fromResponse(502, "oops") << u"502: Bad Gateway (oops)"_s;

    QTest::newRow("network") << GraphError::transport(
        GraphError::Kind::Network, u"Connection refused"_s)
                             << u"network error: Connection refused"_s;

    GraphError token = GraphError::transport(GraphError::Kind::Token, {});
    token.httpStatus = 401;
    token.code = u"invalid_client"_s;
    token.message = u"AADSTS7000215: Invalid client secret provided."_s;
    QTest::newRow("token")
        << token
        << u"token error 401 invalid_client: AADSTS7000215: Invalid client secret provided."_s;

    GraphError invalid =
        GraphError::transport(GraphError::Kind::InvalidResponse, u"no call in the body"_s);
    invalid.httpStatus = 201;
    invalid.requestId = u"r-9"_s;
    QTest::newRow("invalid response")
        << invalid << u"invalid response 201: no call in the body (request-id r-9)"_s;
}

void TstGraphError::summary()
{
    QFETCH(GraphError, error);
    QFETCH(QString, expected);
    QCOMPARE(error.summary(), expected);
}

void TstGraphError::transportKeepsKindAndDetail()
{
    const GraphError error = GraphError::transport(GraphError::Kind::Timeout, u"30 s"_s);
    QCOMPARE(error.kind, GraphError::Kind::Timeout);
    QCOMPARE(error.detail, u"30 s"_s);
    QCOMPARE(error.httpStatus, 0);
    QVERIFY(!error.isThrottling());
}

QTEST_GUILESS_MAIN(TstGraphError)
#include "tst_grapherror.moc"

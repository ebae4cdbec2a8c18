// IVR flow files (docs/ivr.md): the loader reads the documented format, and every problem is
// refused with one line naming the file, the menu and what is wrong.

#include "relay/ivrflow.h"
#include "relay/relayconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString Prompt = u"https://media.example.org/main.wav"_s;

// The documented format, every action used once.
QJsonObject validFlow()
{
    QFile file(QStringLiteral(FRONTDESK_TEST_DATA_DIR "/ivr/valid-flow.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the test flow");
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TstIvrFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsTheDocumentedFormat();
    void theShippedExampleLoads();
    void refusesWithFileMenuAndProblem_data();
    void refusesWithFileMenuAndProblem();
    void flowsAreCheckedTogether();
    void aCallerFlowWinsOverTheDefault();
    void theConfigurationResolvesFlowsAndRefusesABadOne();

private:
    QString write(const QString &name, const QJsonObject &flow);
    QString writeText(const QString &name, const QByteArray &text);

    QTemporaryDir m_dir;
};

QString TstIvrFlow::write(const QString &name, const QJsonObject &flow)
{
    return writeText(name, QJsonDocument(flow).toJson());
}

QString TstIvrFlow::writeText(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

void TstIvrFlow::loadsTheDocumentedFormat()
{
    QString error;
    const std::optional<Relay::IvrFlow> flow =
        Relay::IvrFlow::load(write(u"ok.json"_s, validFlow()), &error);
    QVERIFY2(flow, qPrintable(error));
    QCOMPARE(flow->name, u"frontdesk"_s);
    QVERIFY(flow->isDefault);
    QCOMPARE(flow->start, u"main"_s);
    QCOMPARE(flow->timeoutSeconds, 4);
    QCOMPARE(flow->maxFailures, 3);
    QCOMPARE(flow->fallback.kind, Relay::IvrAction::Kind::Operators);
    const Relay::IvrMenu *main = flow->menu(u"main"_s);
    QVERIFY(main);
    QCOMPARE(main->prompt, Prompt);
    QCOMPARE(main->choices.value(u"1"_s).kind, Relay::IvrAction::Kind::Transfer);
    QCOMPARE(main->choices.value(u"1"_s).target, u"+15550100"_s);
    QCOMPARE(main->choices.value(u"2"_s).menu, u"billing"_s);
    const Relay::IvrAction record = flow->menu(u"billing"_s)->choices.value(u"1"_s);
    QCOMPARE(record.kind, Relay::IvrAction::Kind::Record);
    QCOMPARE(record.maxSeconds, 20);
    QCOMPARE(record.goodbye, u"https://media.example.org/bye.wav"_s);
    // Every prompt once, for the answer's preFetchMedia.
    QStringList prompts = flow->prompts();
    QCOMPARE(prompts.size(), 7);
    QCOMPARE(prompts.removeDuplicates(), 0);
    QVERIFY(prompts.contains(Prompt));
}

void TstIvrFlow::theShippedExampleLoads()
{
    QString error;
    const auto flows = Relay::IvrFlow::loadAll(
        { QStringLiteral(FRONTDESK_SOURCE_DIR "/relay/ivr/frontdesk-example.json") }, {}, &error);
    QVERIFY2(flows, qPrintable(error));
    QCOMPARE(flows->size(), 1);
    QVERIFY(flows->constFirst().menus.size() >= 2);
}

void TstIvrFlow::refusesWithFileMenuAndProblem_data()
{
    QTest::addColumn<QString>("pointer"); // "menus/main/choices/4" and so on, or "" for text
    QTest::addColumn<QJsonValue>("value"); // Undefined removes the key
    QTest::addColumn<QString>("expected"); // after "FILE: "

    const auto row = [](const char *name, const QString &pointer, const QJsonValue &value,
                         const QString &expected) {
        QTest::newRow(name) << pointer << value << expected;
    };
    row("choice to an unknown menu", u"menus/main/choices/4"_s,
        QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"x"_s } },
        u"menu 'main': choice '4' goes to unknown menu 'x'"_s);
    row("menu without a prompt", u"menus/billing/prompt"_s, QJsonValue(QJsonValue::Undefined),
        u"menu 'billing': 'prompt' is required (a WAV URI)"_s);
    row("prompt not a URL", u"menus/main/prompt"_s, u"main.wav"_s,
        u"menu 'main': 'prompt' must be an absolute http(s) URI of a WAV file"_s);
    row("choice not a key", u"menus/main/choices/12"_s, QJsonObject { { "do"_L1, u"operators"_s } },
        u"menu 'main': choice '12': a choice is one key: 0-9, * or #"_s);
    row("unknown action", u"menus/main/choices/5"_s, QJsonObject { { "do"_L1, u"dance"_s } },
        u"menu 'main': choice '5': \"do\" must be menu, transfer, operators, record or hangup "
        u"(got 'dance')"_s);
    row("bad transfer target", u"menus/main/choices/1"_s,
        QJsonObject { { "do"_L1, u"transfer"_s }, { "target"_L1, u"+0 12"_s } },
        u"menu 'main': choice '1': \"target\" must be a user id or a +E.164 number"_s);
    row("record too long", u"menus/billing/choices/1"_s,
        QJsonObject { { "do"_L1, u"record"_s }, { "maxSeconds"_L1, 600 } },
        u"menu 'billing': choice '1': 'maxSeconds' must be a whole number from 1 to 120"_s);
    row("unknown key in a menu", u"menus/main/colour"_s, u"blue"_s,
        u"menu 'main': unknown key 'colour'"_s);
    row("menu without choices", u"menus/billing/choices"_s, QJsonObject {},
        u"menu 'billing': 'choices' must map at least one key to an action"_s);
    row("start unknown", u"start"_s, u"welcome"_s, u"'start' names unknown menu 'welcome'"_s);
    row("fallback to an unknown menu", u"fallback"_s,
        QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"gone"_s } },
        u"fallback goes to unknown menu 'gone'"_s);
    row("timeout out of range", u"timeoutSeconds"_s, 0,
        u"'timeoutSeconds' must be a whole number from 1 to 60"_s);
    row("caller not E.164", u"callers"_s, QJsonArray { u"555-0100"_s },
        u"caller '555-0100' is not a +E.164 number"_s);
    row("no name", u"name"_s, QJsonValue(QJsonValue::Undefined),
        u"'name' is required: letters, digits, '.', '_' or '-', at most 64"_s);
    row("not JSON", QString(), QJsonValue(QJsonValue::Undefined), u"not valid JSON at offset"_s);
}

void TstIvrFlow::refusesWithFileMenuAndProblem()
{
    QFETCH(QString, pointer);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);

    QString path;
    if (pointer.isEmpty()) {
        path = writeText(u"bad.json"_s, "{ \"name\": \"x\", ");
    } else {
        // Sets (or removes) the value at `pointer`, an object path.
        const QStringList keys = pointer.split(u'/');
        const std::function<QJsonObject(QJsonObject, qsizetype)> set = [&](QJsonObject o,
                                                                           qsizetype i) {
            const QString &key = keys.at(i);
            if (i + 1 == keys.size()) {
                if (value.isUndefined())
                    o.remove(key);
                else
                    o.insert(key, value);
            } else {
                o.insert(key, set(o.value(key).toObject(), i + 1));
            }
            return o;
        };
        path = write(u"bad.json"_s, set(validFlow(), 0));
    }
    QString error;
    QVERIFY(!Relay::IvrFlow::load(path, &error));
    QVERIFY2(error.startsWith(path + u": "_s + expected), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TstIvrFlow::flowsAreCheckedTogether()
{
    QJsonObject second = validFlow();
    const QString first = write(u"first.json"_s, validFlow());
    const QString same = write(u"same.json"_s, second);
    QString error;
    QVERIFY(!Relay::IvrFlow::loadAll({ first, same }, {}, &error));
    QCOMPARE(error, same + u": flow 'frontdesk' is also defined in "_s + first);

    second.insert("name"_L1, u"other"_s);
    const QString twoDefaults = write(u"default2.json"_s, second);
    QVERIFY(!Relay::IvrFlow::loadAll({ first, twoDefaults }, {}, &error));
    QCOMPARE(error,
        twoDefaults + u": flow 'other' is a second default flow (first: 'frontdesk' in "_s + first
            + u')');

    second.insert("default"_L1, false);
    second.insert("callers"_L1, QJsonArray { u"+15550111"_s });
    const QString vip = write(u"vip.json"_s, second);
    QVERIFY2(Relay::IvrFlow::loadAll({ first, vip }, u"other"_s, &error), qPrintable(error));
    QVERIFY(!Relay::IvrFlow::loadAll({ first, vip }, u"nope"_s, &error));
    QCOMPARE(error, u"no flow is named 'nope'"_s);
    QVERIFY(!Relay::IvrFlow::loadAll({ m_dir.filePath(u"missing.json"_s) }, {}, &error));
    QVERIFY2(error.startsWith(m_dir.filePath(u"missing.json"_s) + u": cannot read it"_s),
        qPrintable(error));
}

void TstIvrFlow::aCallerFlowWinsOverTheDefault()
{
    QJsonObject vip = validFlow();
    vip.insert("name"_L1, u"vip"_s);
    vip.insert("default"_L1, false);
    vip.insert("callers"_L1, QJsonArray { u"+15550111"_s });
    QString error;
    const auto flows = Relay::IvrFlow::loadAll(
        { write(u"all.json"_s, validFlow()), write(u"vip.json"_s, vip) }, {}, &error);
    QVERIFY2(flows, qPrintable(error));
    QCOMPARE(Relay::findIvrFlow(*flows, u"+15550111"_s)->name, u"vip"_s);
    QCOMPARE(Relay::findIvrFlow(*flows, u"+15550999"_s)->name, u"frontdesk"_s);
    QCOMPARE(Relay::findIvrFlow(*flows, QString())->name, u"frontdesk"_s);
    const QList<Relay::IvrFlow> onlyVip { flows->at(1) };
    QCOMPARE(Relay::findIvrFlow(onlyVip, u"+15550999"_s), nullptr);
}

void TstIvrFlow::theConfigurationResolvesFlowsAndRefusesABadOne()
{
    write(u"flow.json"_s, validFlow());
    const QString ini = writeText(u"relay.ini"_s,
        "[graph]\nclientId=app\ntokenUrl=https://login.example.org/token\n"
        "[callbacks]\npublicUrl=https://relay.example.org/callbacks\n"
        "[ivr]\nflows=flow.json\n[policy]\nflow=frontdesk\n");
    QString error;
    const std::optional<Relay::RelayConfig> config =
        Relay::RelayConfig::load(ini, QProcessEnvironment(), &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->ivrFlowFiles, QStringList { m_dir.filePath(u"flow.json"_s) });
    QCOMPARE(config->policyFlow, u"frontdesk"_s);

    QJsonObject bad = validFlow();
    QJsonObject menus = bad.value("menus"_L1).toObject();
    QJsonObject main = menus.value("main"_L1).toObject();
    QJsonObject choices = main.value("choices"_L1).toObject();
    choices.insert("4"_L1, QJsonObject { { "do"_L1, u"menu"_s }, { "menu"_L1, u"x"_s } });
    main.insert("choices"_L1, choices);
    menus.insert("main"_L1, main);
    bad.insert("menus"_L1, menus);
    write(u"flow.json"_s, bad);
    QVERIFY(!Relay::RelayConfig::load(ini, QProcessEnvironment(), &error));
    QCOMPARE(error,
        u"[ivr] flows: "_s + m_dir.filePath(u"flow.json"_s)
            + u": menu 'main': choice '4' goes to unknown menu 'x'"_s);
}

QTEST_GUILESS_MAIN(TstIvrFlow)
#include "tst_ivrflow.moc"

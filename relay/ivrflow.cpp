#include "ivrflow.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Relay {

namespace {

const QRegularExpression &e164()
{
    static const QRegularExpression re(u"^\\+[1-9][0-9]{1,14}$"_s);
    return re;
}

const QRegularExpression &userId()
{
    static const QRegularExpression re(u"^[A-Za-z0-9][A-Za-z0-9._@:-]*$"_s);
    return re;
}

bool isKey(const QString &key)
{
    static const QRegularExpression re(u"^[0-9*#]$"_s);
    return re.match(key).hasMatch();
}

//! Reads one flow file; every message says where (`where` prefixes it).
class FlowReader
{
public:
    explicit FlowReader(const QString &file)
        : m_file(file)
    { }

    std::optional<IvrFlow> read(const QJsonObject &root);
    QString error() const { return m_error; }

private:
    bool fail(const QString &where, const QString &problem)
    {
        m_error = where.isEmpty() ? u"%1: %2"_s.arg(m_file, problem)
                                  : u"%1: %2: %3"_s.arg(m_file, where, problem);
        return false;
    }
    bool onlyKeys(const QString &where, const QJsonObject &o, QStringList known);
    bool readPrompt(const QString &where, const QJsonObject &o, const QString &key, bool required,
        QString *uri);
    bool readInt(const QString &where, const QJsonObject &o, const QString &key, int min, int max,
        int *value);
    bool readAction(const QString &where, const QJsonValue &v, IvrAction *action);
    bool checkTargets(const IvrFlow &flow);

    QString m_file;
    QString m_error;
};

bool FlowReader::onlyKeys(const QString &where, const QJsonObject &o, QStringList known)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(where, u"unknown key '%1'"_s.arg(it.key()));
    }
    return true;
}

bool FlowReader::readPrompt(
    const QString &where, const QJsonObject &o, const QString &key, bool required, QString *uri)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            return fail(where, u"'%1' is required (a WAV URI)"_s.arg(key));
        return true;
    }
    const QUrl url(v.toString(), QUrl::StrictMode);
    if (!v.isString() || !url.isValid() || url.host().isEmpty()
        || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)) {
        return fail(where, u"'%1' must be an absolute http(s) URI of a WAV file"_s.arg(key));
    }
    *uri = v.toString();
    return true;
}

bool FlowReader::readInt(
    const QString &where, const QJsonObject &o, const QString &key, int min, int max, int *value)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != double(int(d)) || d < min || d > max)
        return fail(
            where, u"'%1' must be a whole number from %2 to %3"_s.arg(key).arg(min).arg(max));
    *value = int(d);
    return true;
}

bool FlowReader::readAction(const QString &where, const QJsonValue &v, IvrAction *action)
{
    if (!v.isObject())
        return fail(where, u"must be an object with \"do\""_s);
    const QJsonObject o = v.toObject();
    const QString kind = o.value("do"_L1).toString();
    if (kind == "menu"_L1) {
        action->kind = IvrAction::Kind::Menu;
        action->menu = o.value("menu"_L1).toString();
        if (action->menu.isEmpty())
            return fail(where, u"\"do\": \"menu\" needs \"menu\""_s);
        return onlyKeys(where, o, { u"do"_s, u"menu"_s });
    }
    if (kind == "transfer"_L1) {
        action->kind = IvrAction::Kind::Transfer;
        action->target = o.value("target"_L1).toString();
        const bool ok = action->target.startsWith(u'+') ? e164().match(action->target).hasMatch()
                                                        : userId().match(action->target).hasMatch();
        if (!ok)
            return fail(where, u"\"target\" must be a user id or a +E.164 number"_s);
        return onlyKeys(where, o, { u"do"_s, u"target"_s });
    }
    if (kind == "operators"_L1 || kind == "hangup"_L1) {
        action->kind =
            kind == "operators"_L1 ? IvrAction::Kind::Operators : IvrAction::Kind::Hangup;
        return readPrompt(where, o, u"prompt"_s, false, &action->prompt)
            && onlyKeys(where, o, { u"do"_s, u"prompt"_s });
    }
    if (kind == "record"_L1) {
        action->kind = IvrAction::Kind::Record;
        return readPrompt(where, o, u"prompt"_s, false, &action->prompt)
            && readPrompt(where, o, u"goodbye"_s, false, &action->goodbye)
            && readInt(where, o, u"maxSeconds"_s, 1, 120, &action->maxSeconds)
            && onlyKeys(where, o, { u"do"_s, u"prompt"_s, u"goodbye"_s, u"maxSeconds"_s });
    }
    return fail(where,
        u"\"do\" must be menu, transfer, operators, record or hangup (got '%1')"_s.arg(kind));
}

bool FlowReader::checkTargets(const IvrFlow &flow)
{
    const auto check = [&](const QString &where, const IvrAction &action) {
        if (action.kind == IvrAction::Kind::Menu && !flow.menus.contains(action.menu)) {
            m_error = u"%1: %2 goes to unknown menu '%3'"_s.arg(m_file, where, action.menu);
            return false;
        }
        return true;
    };
    if (!check(u"fallback"_s, flow.fallback))
        return false;
    QStringList names = flow.menus.keys();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        const IvrMenu &menu = flow.menus[name];
        QStringList keys = menu.choices.keys();
        keys.sort();
        for (const QString &key : std::as_const(keys)) {
            if (!check(u"menu '%1': choice '%2'"_s.arg(name, key), menu.choices[key]))
                return false;
        }
    }
    return true;
}

std::optional<IvrFlow> FlowReader::read(const QJsonObject &root)
{
    IvrFlow flow;
    flow.file = m_file;
    if (!onlyKeys({}, root,
            { u"name"_s, u"default"_s, u"callers"_s, u"start"_s, u"timeoutSeconds"_s,
                u"maxFailures"_s, u"invalidPrompt"_s, u"noInputPrompt"_s, u"fallback"_s, u"menus"_s,
                u"description"_s }))
        return std::nullopt;
    static const QRegularExpression name(u"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"_s);
    flow.name = root.value("name"_L1).toString();
    if (!name.match(flow.name).hasMatch()) {
        fail({}, u"'name' is required: letters, digits, '.', '_' or '-', at most 64"_s);
        return std::nullopt;
    }
    const QJsonValue isDefault = root.value("default"_L1);
    if (!isDefault.isUndefined() && !isDefault.isBool()) {
        fail({}, u"'default' must be true or false"_s);
        return std::nullopt;
    }
    flow.isDefault = isDefault.toBool();
    const QJsonValue callers = root.value("callers"_L1);
    if (!callers.isUndefined() && !callers.isArray()) {
        fail({}, u"'callers' must be an array of +E.164 numbers"_s);
        return std::nullopt;
    }
    for (const QJsonValue &v : callers.toArray()) {
        if (!e164().match(v.toString()).hasMatch()) {
            fail({}, u"caller '%1' is not a +E.164 number"_s.arg(v.toString()));
            return std::nullopt;
        }
        flow.callers.append(v.toString());
    }
    if (!readInt({}, root, u"timeoutSeconds"_s, 1, 60, &flow.timeoutSeconds)
        || !readInt({}, root, u"maxFailures"_s, 1, 10, &flow.maxFailures)
        || !readPrompt({}, root, u"invalidPrompt"_s, false, &flow.invalidPrompt)
        || !readPrompt({}, root, u"noInputPrompt"_s, false, &flow.noInputPrompt))
        return std::nullopt;
    if (root.contains("fallback"_L1)) {
        if (!readAction(u"fallback"_s, root.value("fallback"_L1), &flow.fallback))
            return std::nullopt;
    }

    const QJsonObject menus = root.value("menus"_L1).toObject();
    if (menus.isEmpty()) {
        fail({}, u"'menus' must be an object with at least one menu"_s);
        return std::nullopt;
    }
    for (auto it = menus.begin(); it != menus.end(); ++it) {
        const QString where = u"menu '%1'"_s.arg(it.key());
        if (!name.match(it.key()).hasMatch()) {
            fail(where, u"a menu name is letters, digits, '.', '_' or '-'"_s);
            return std::nullopt;
        }
        if (!it.value().isObject()) {
            fail(where, u"must be an object"_s);
            return std::nullopt;
        }
        const QJsonObject o = it.value().toObject();
        IvrMenu menu;
        menu.name = it.key();
        if (!onlyKeys(where, o, { u"prompt"_s, u"choices"_s, u"description"_s })
            || !readPrompt(where, o, u"prompt"_s, true, &menu.prompt))
            return std::nullopt;
        const QJsonObject choices = o.value("choices"_L1).toObject();
        if (choices.isEmpty()) {
            fail(where, u"'choices' must map at least one key to an action"_s);
            return std::nullopt;
        }
        for (auto c = choices.begin(); c != choices.end(); ++c) {
            const QString choiceWhere = u"%1: choice '%2'"_s.arg(where, c.key());
            if (!isKey(c.key())) {
                fail(choiceWhere, u"a choice is one key: 0-9, * or #"_s);
                return std::nullopt;
            }
            IvrAction action;
            if (!readAction(choiceWhere, c.value(), &action))
                return std::nullopt;
            menu.choices.insert(c.key(), action);
        }
        flow.menus.insert(menu.name, menu);
    }
    flow.start = root.value("start"_L1).toString();
    if (flow.start.isEmpty()) {
        fail({}, u"'start' must name the first menu"_s);
        return std::nullopt;
    }
    if (!flow.menus.contains(flow.start)) {
        fail({}, u"'start' names unknown menu '%1'"_s.arg(flow.start));
        return std::nullopt;
    }
    if (!checkTargets(flow))
        return std::nullopt;
    return flow;
}

} // namespace

QString ivrActionName(IvrAction::Kind kind)
{
    switch (kind) {
    case IvrAction::Kind::Menu:
        return u"menu"_s;
    case IvrAction::Kind::Transfer:
        return u"transfer"_s;
    case IvrAction::Kind::Operators:
        return u"operators"_s;
    case IvrAction::Kind::Record:
        return u"record"_s;
    case IvrAction::Kind::Hangup:
        return u"hangup"_s;
    }
    return {};
}

const IvrMenu *IvrFlow::menu(const QString &menuName) const
{
    const auto it = menus.constFind(menuName);
    return it == menus.constEnd() ? nullptr : &it.value();
}

QStringList IvrFlow::prompts() const
{
    QStringList out;
    const auto add = [&out](const QString &uri) {
        if (!uri.isEmpty() && !out.contains(uri))
            out.append(uri);
    };
    add(invalidPrompt);
    add(noInputPrompt);
    const auto addAction = [&](const IvrAction &action) {
        add(action.prompt);
        add(action.goodbye);
    };
    addAction(fallback);
    QStringList names = menus.keys();
    names.sort();
    for (const QString &menuName : std::as_const(names)) {
        const IvrMenu &m = menus[menuName];
        add(m.prompt);
        for (const IvrAction &action : m.choices)
            addAction(action);
    }
    return out;
}

std::optional<IvrFlow> IvrFlow::load(const QString &path, QString *error)
{
    const QString &file = path;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read it (%2)"_s.arg(file, in.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
            ? u"%1: not valid JSON at offset %2 (%3)"_s.arg(file)
                  .arg(parseError.offset)
                  .arg(parseError.errorString())
            : u"%1: not a JSON object"_s.arg(file);
        return std::nullopt;
    }
    FlowReader reader(file);
    std::optional<IvrFlow> flow = reader.read(document.object());
    if (!flow)
        *error = reader.error();
    return flow;
}

std::optional<QList<IvrFlow>> IvrFlow::loadAll(
    const QStringList &paths, const QString &policyFlow, QString *error)
{
    QList<IvrFlow> flows;
    QHash<QString, QString> callerFlow;
    qsizetype defaultFlow = -1;
    for (const QString &path : paths) {
        std::optional<IvrFlow> flow = load(path, error);
        if (!flow)
            return std::nullopt;
        for (const IvrFlow &other : std::as_const(flows)) {
            if (other.name == flow->name) {
                *error = u"%1: flow '%2' is also defined in %3"_s.arg(
                    flow->file, flow->name, other.file);
                return std::nullopt;
            }
        }
        for (const QString &caller : std::as_const(flow->callers)) {
            if (callerFlow.contains(caller)) {
                *error = u"%1: caller %2 is also named by flow '%3'"_s.arg(
                    flow->file, caller, callerFlow.value(caller));
                return std::nullopt;
            }
            callerFlow.insert(caller, flow->name);
        }
        flows.append(std::move(*flow));
        if (flows.constLast().isDefault) {
            if (defaultFlow >= 0) {
                const IvrFlow &first = flows.at(defaultFlow);
                *error = u"%1: flow '%2' is a second default flow (first: '%3' in %4)"_s.arg(
                    flows.constLast().file, flows.constLast().name, first.name, first.file);
                return std::nullopt;
            }
            defaultFlow = flows.size() - 1;
        }
    }
    if (!policyFlow.isEmpty() && std::none_of(flows.cbegin(), flows.cend(), [&](const IvrFlow &f) {
            return f.name == policyFlow;
        })) {
        *error = u"no flow is named '%1'"_s.arg(policyFlow);
        return std::nullopt;
    }
    return flows;
}

const IvrFlow *findIvrFlow(const QList<IvrFlow> &flows, const QString &caller)
{
    const IvrFlow *fallback = nullptr;
    for (const IvrFlow &flow : flows) {
        if (!caller.isEmpty() && flow.callers.contains(caller))
            return &flow;
        if (flow.isDefault)
            fallback = &flow;
    }
    return fallback;
}

} // namespace Relay

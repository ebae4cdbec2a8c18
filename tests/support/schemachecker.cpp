#include "schemachecker.h"

#include <QFile>
#include <QJsonArray>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

QString stripAlias(QString type)
{
    for (const auto prefix : { "graph."_L1, "microsoft.graph."_L1, "#microsoft.graph."_L1 }) {
        if (type.startsWith(prefix))
            return type.mid(prefix.size());
    }
    return type;
}

SchemaChecker::Property readProperty(const QXmlStreamAttributes &attrs)
{
    return { attrs.value("Type"_L1).toString(), attrs.value("Nullable"_L1) != "false"_L1 };
}

} // namespace

bool SchemaChecker::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    QXmlStreamReader xml(&file);
    QString currentType;
    QString currentEnum;
    Action *currentAction = nullptr;
    QString currentActionName;
    Action action;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            const QXmlStreamAttributes attrs = xml.attributes();
            if (name == "ComplexType"_L1 || name == "EntityType"_L1) {
                currentType = attrs.value("Name"_L1).toString();
                StructuredType &t = m_types[currentType];
                t.baseType = stripAlias(attrs.value("BaseType"_L1).toString());
                t.open = attrs.value("OpenType"_L1) == "true"_L1;
                t.isAbstract = attrs.value("Abstract"_L1) == "true"_L1;
            } else if ((name == "Property"_L1 || name == "NavigationProperty"_L1)
                && !currentType.isEmpty()) {
                m_types[currentType].properties.insert(
                    attrs.value("Name"_L1).toString(), readProperty(attrs));
            } else if (name == "EnumType"_L1) {
                currentEnum = attrs.value("Name"_L1).toString();
                m_enums.insert(currentEnum, {});
            } else if (name == "Member"_L1 && !currentEnum.isEmpty()) {
                m_enums[currentEnum].append(attrs.value("Name"_L1).toString());
            } else if (name == "Action"_L1) {
                action = Action {};
                currentAction = &action;
                currentActionName = attrs.value("Name"_L1).toString();
            } else if (name == "Parameter"_L1 && currentAction) {
                const QString pname = attrs.value("Name"_L1).toString();
                if (pname == "bindingParameter"_L1)
                    currentAction->bindingType = stripAlias(attrs.value("Type"_L1).toString());
                else
                    currentAction->parameters.insert(pname, readProperty(attrs));
            }
        } else if (xml.isEndElement()) {
            const auto name = xml.name();
            if (name == "ComplexType"_L1 || name == "EntityType"_L1)
                currentType.clear();
            else if (name == "EnumType"_L1)
                currentEnum.clear();
            else if (name == "Action"_L1 && currentAction) {
                m_actions.insert(currentActionName, action);
                currentAction = nullptr;
            }
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString();
        return false;
    }
    if (m_types.isEmpty()) {
        *error = u"no types in "_s + path;
        return false;
    }
    return true;
}

bool SchemaChecker::isA(const QString &derived, const QString &base) const
{
    QString t = derived;
    for (int depth = 0; depth < 16 && !t.isEmpty(); ++depth) {
        if (t == base)
            return true;
        t = m_types.value(t).baseType;
    }
    return false;
}

const SchemaChecker::Property *SchemaChecker::property(
    const QString &type, const QString &name) const
{
    QString t = type;
    for (int depth = 0; depth < 16 && !t.isEmpty(); ++depth) {
        const auto it = m_types.constFind(t);
        if (it == m_types.cend())
            return nullptr;
        const auto p = it->properties.constFind(name);
        if (p != it->properties.cend())
            return &*p;
        t = it->baseType;
    }
    return nullptr;
}

void SchemaChecker::allowExtra(const QString &type, const QString &property)
{
    m_extras[type].insert(property);
}

QStringList SchemaChecker::check(const QJsonObject &object, const QString &type) const
{
    QStringList problems;
    checkObject(object, type, type, problems);
    return problems;
}

void SchemaChecker::checkObject(
    const QJsonObject &object, QString type, const QString &path, QStringList &problems) const
{
    if (!m_types.contains(type)) {
        problems.append(u"%1: the schema has no type %2"_s.arg(path, type));
        return;
    }
    const QString declared = stripAlias(object.value("@odata.type"_L1).toString());
    if (!declared.isEmpty()) {
        if (!m_types.contains(declared)) {
            problems.append(u"%1: @odata.type %2 is not in the schema"_s.arg(path, declared));
            return;
        }
        if (!isA(declared, type)) {
            problems.append(u"%1: @odata.type %2 is not a %3"_s.arg(path, declared, type));
            return;
        }
        type = declared;
    }
    if (m_types.value(type).isAbstract)
        problems.append(u"%1: %2 is abstract and needs an @odata.type"_s.arg(path, type));

    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key.startsWith(u'@') || key.contains("@odata."_L1))
            continue; // annotations, not properties
        const QString where = path + u'.' + key;
        if (const Property *p = property(type, key)) {
            if (it.value().isNull()) {
                if (!p->nullable)
                    problems.append(u"%1: null for a non-nullable property"_s.arg(where));
                continue;
            }
            checkValue(it.value(), p->type, where, problems);
            continue;
        }
        bool allowed = false;
        for (QString t = type; !t.isEmpty() && !allowed; t = m_types.value(t).baseType)
            allowed = m_extras.value(t).contains(key);
        if (!allowed)
            problems.append(u"%1: %2 has no property %3"_s.arg(where, type, key));
    }
}

void SchemaChecker::checkValue(const QJsonValue &value, const QString &rawType, const QString &path,
    QStringList &problems) const
{
    if (rawType.startsWith("Collection("_L1)) {
        if (!value.isArray()) {
            problems.append(u"%1: expected an array for %2"_s.arg(path, rawType));
            return;
        }
        const QString inner = rawType.mid(11, rawType.size() - 12);
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            checkValue(array[i], inner, u"%1[%2]"_s.arg(path).arg(i), problems);
        return;
    }
    if (rawType.startsWith("Edm."_L1)) {
        const QString edm = rawType.mid(4);
        bool ok = true;
        if (edm == "String"_L1 || edm == "DateTimeOffset"_L1 || edm == "Guid"_L1
            || edm == "Duration"_L1 || edm == "Date"_L1 || edm == "TimeOfDay"_L1)
            ok = value.isString();
        else if (edm == "Boolean"_L1)
            ok = value.isBool();
        else if (edm.startsWith("Int"_L1))
            ok = value.isDouble() && value.toDouble() == double(qint64(value.toDouble()));
        else if (edm == "Double"_L1 || edm == "Single"_L1 || edm == "Decimal"_L1)
            ok = value.isDouble();
        if (!ok)
            problems.append(u"%1: not a valid %2"_s.arg(path, rawType));
        if (ok && edm == "DateTimeOffset"_L1
            && !QDateTime::fromString(value.toString(), Qt::ISODateWithMs).isValid())
            problems.append(u"%1: not an ISO-8601 date-time"_s.arg(path));
        return;
    }
    const QString type = stripAlias(rawType);
    if (m_enums.contains(type)) {
        if (!value.isString() || !m_enums.value(type).contains(value.toString()))
            problems.append(u"%1: %2 is not a member of %3 (members: %4)"_s.arg(
                path, value.toVariant().toString(), type, m_enums.value(type).join(u", ")));
        return;
    }
    if (!value.isObject()) {
        problems.append(u"%1: expected an object of type %2"_s.arg(path, type));
        return;
    }
    checkObject(value.toObject(), type, path, problems);
}

QStringList SchemaChecker::checkActionBody(
    const QString &actionName, const QString &bindingType, const QJsonObject &body) const
{
    QStringList problems;
    const QList<Action> candidates = actions(actionName);
    const Action *action = nullptr;
    for (const Action &a : candidates) {
        if (a.bindingType == bindingType || a.bindingType == u"Collection(%1)"_s.arg(bindingType)
            || a.bindingType == u"Collection(graph.%1)"_s.arg(bindingType))
            action = &a;
    }
    if (!action) {
        problems.append(u"no action %1 bound to %2"_s.arg(actionName, bindingType));
        return problems;
    }
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key().startsWith(u'@'))
            continue;
        const auto p = action->parameters.constFind(it.key());
        if (p == action->parameters.cend()) {
            problems.append(u"%1: %2 is not a parameter of %1"_s.arg(actionName, it.key()));
            continue;
        }
        checkValue(it.value(), p->type, actionName + u'.' + it.key(), problems);
    }
    for (auto it = action->parameters.cbegin(); it != action->parameters.cend(); ++it) {
        if (!it->nullable && !body.contains(it.key()))
            problems.append(
                u"%1: the required parameter %2 is missing"_s.arg(actionName, it.key()));
    }
    return problems;
}

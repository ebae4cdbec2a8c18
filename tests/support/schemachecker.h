#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

//! Checks JSON against Graph's published schema (CSDL). Tests use it to prove that what the codec,
//! GraphClient and the sandbox write uses only properties, enum members and action parameters
//! that Graph has.
class SchemaChecker final
{
public:
    struct Property
    {
        QString type; //!< "Edm.String", "graph.identitySet", "Collection(graph.modality)"
        bool nullable = true;
    };
    struct StructuredType
    {
        QString baseType; //!< without the "graph." alias
        bool open = false;
        bool isAbstract = false;
        QHash<QString, Property> properties;
    };
    struct Action
    {
        QString bindingType;
        QHash<QString, Property> parameters; //!< without bindingParameter
    };

    //! Loads a CSDL file; false with `error` set when it cannot be read.
    bool load(const QString &path, QString *error);

    bool hasType(const QString &name) const { return m_types.contains(name); }
    bool hasEnum(const QString &name) const { return m_enums.contains(name); }
    QStringList enumMembers(const QString &name) const { return m_enums.value(name); }
    //! Whether `derived` is `base` or derives from it.
    bool isA(const QString &derived, const QString &base) const;
    //! The property, looked up through the base types; nullptr when the type lacks it.
    const Property *property(const QString &type, const QString &name) const;
    //! The bound actions with this name (an action name may be bound to several types).
    QList<Action> actions(const QString &name) const { return m_actions.values(name); }

    //! Properties an open type may carry beyond the schema, because Graph itself sends them
    //! (graph-notes §3.2: a commsNotification's resource, callbackUri and resourceData).
    void allowExtra(const QString &type, const QString &property);

    //! Checks `object` as an instance of `type` (or of the type its @odata.type names, which
    //! must derive from `type`). Returns one line per problem, each naming the JSON path.
    QStringList check(const QJsonObject &object, const QString &type) const;
    //! Checks an action's request body: only that action's parameters, the non-nullable ones
    //! present, and each value valid for its parameter type. `bindingType` picks the overload
    //! ("call" or "participant" for mute).
    QStringList checkActionBody(
        const QString &action, const QString &bindingType, const QJsonObject &body) const;

private:
    void checkValue(const QJsonValue &value, const QString &type, const QString &path,
        QStringList &problems) const;
    void checkObject(
        const QJsonObject &object, QString type, const QString &path, QStringList &problems) const;

    QHash<QString, StructuredType> m_types;
    QHash<QString, QStringList> m_enums;
    QMultiHash<QString, Action> m_actions;
    QHash<QString, QSet<QString>> m_extras;
};

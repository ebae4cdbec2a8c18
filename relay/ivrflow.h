#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Relay {

//! What a key press (or a failed menu) leads to. docs/ivr.md describes the JSON.
struct IvrAction
{
    enum class Kind {
        Menu, //!< another menu of the flow
        Transfer, //!< POST /transfer to a user id or a +E.164 number
        Operators, //!< the operators' queue: the call stays answered, and waits for them
        Record, //!< recordResponse; the recording's location goes into the "ivr" event
        Hangup, //!< a goodbye prompt, then DELETE the call
    };
    Kind kind = Kind::Operators;
    QString menu; //!< Menu
    QString target; //!< Transfer
    QString prompt; //!< Operators, Record, Hangup: played first; optional (Record: the question)
    int maxSeconds = 30; //!< Record: maxRecordDurationInSeconds
    QString goodbye; //!< Record: played after the recording, before the hang-up; optional
};
QString ivrActionName(IvrAction::Kind kind);

struct IvrMenu
{
    QString name;
    QString prompt; //!< the menu's prompt: a WAV URI
    QHash<QString, IvrAction> choices; //!< by key: "0".."9", "*", "#"
};

//! One IVR flow, as loaded from its JSON file.
struct IvrFlow
{
    QString name;
    QString file; //!< where it came from, for messages
    bool isDefault = false; //!< applies to every incoming call no other flow names
    QStringList callers; //!< +E.164 numbers whose calls it applies to
    QString start; //!< the first menu
    int timeoutSeconds = 5; //!< no input this long after a prompt ends counts as a failure
    int maxFailures = 3; //!< wrong digits and timeouts, counted together, before the fallback
    QString invalidPrompt; //!< played before the menu again after a wrong digit; optional
    QString noInputPrompt; //!< played before the menu again after a timeout; optional
    IvrAction fallback; //!< after maxFailures (default: the operators' queue)
    QHash<QString, IvrMenu> menus;

    const IvrMenu *menu(const QString &menuName) const;
    //! Every prompt URI the flow plays, without repeats: the answer's preFetchMedia.
    QStringList prompts() const;

    //! Reads and checks one flow file. On a problem: nullopt and `error` is one line
    //! "FILE: menu 'main': choice '4' goes to unknown menu 'x'".
    static std::optional<IvrFlow> load(const QString &path, QString *error);
    //! Loads every file and checks them together (unique names, one default flow, a caller in
    //! one flow only, `policyFlow` known when not empty).
    static std::optional<QList<IvrFlow>> loadAll(
        const QStringList &paths, const QString &policyFlow, QString *error);
};

//! The flow for a call from `caller` (any identity id; a +E.164 number matches `callers`):
//! a flow that names it, else the default flow; null when none applies.
const IvrFlow *findIvrFlow(const QList<IvrFlow> &flows, const QString &caller);

} // namespace Relay

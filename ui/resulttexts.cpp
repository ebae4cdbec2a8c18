#include "resulttexts.h"

#include "consoleactions.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace Gui {

QString ResultTexts::actionName(const QString &key)
{
    if (const auto job = ConsoleActions::jobForKey(key))
        return ConsoleActions::title(*job);
    if (key == ActionKeys::PlaceCall)
        return ConsoleActions::title(ConsoleActions::Job::PlaceCall);
    if (key == ActionKeys::GroupCall)
        return ConsoleActions::title(ConsoleActions::Job::GroupCall);
    if (key == ActionKeys::CreateMeeting)
        return ConsoleActions::title(ConsoleActions::Job::NewMeeting);
    if (key == ActionKeys::GetMeeting)
        return tr("Refresh meeting");
    if (key == ActionKeys::JoinMeeting)
        return tr("Join meeting");
    return key;
}

QString ResultTexts::details(const ActionResult &result)
{
    QStringList parts;
    if (result.httpStatus > 0)
        parts.append(tr("HTTP %1").arg(result.httpStatus));
    if (!result.code.isEmpty())
        //: Graph's error code
        parts.append(tr("code %1").arg(result.code));
    if (!result.requestId.isEmpty())
        parts.append(tr("request-id %1").arg(result.requestId));
    //: Separates the parts of an error's details
    return parts.join(tr(" · "));
}

QString ResultTexts::summary(const ActionResult &result)
{
    const QString action = actionName(result.action);
    if (result.ok)
        //: An action that succeeded: "Answer done"
        return tr("%1 done").arg(action);
    if (result.message.isEmpty())
        return tr("%1 failed").arg(action);
    //: An action that failed, with Graph's message: "Transfer failed: The target is busy"
    return tr("%1 failed: %2").arg(action, result.message);
}

QString ResultTexts::line(const ActionResult &result, const QString &callerText)
{
    QString text = summary(result);
    if (!callerText.isEmpty())
        //: "Transfer failed: ... — Irina Smirnova"
        text = tr("%1 — %2").arg(text, callerText);
    if (const QString more = details(result); !more.isEmpty())
        text = tr("%1 (%2)").arg(text, more);
    return text;
}

} // namespace Gui

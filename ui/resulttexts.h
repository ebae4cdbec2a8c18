#pragma once

#include "requests.h"

#include <QCoreApplication>
#include <QString>

namespace Gui {

//! How the window words an ActionResult, shared by the notice bar, the event log and the
//! dialogs so that all three say the same.
class ResultTexts final
{
    Q_DECLARE_TR_FUNCTIONS(Gui::ResultTexts)

public:
    ResultTexts() = delete;

    //! The action's name for a key of ActionKeys ("Transfer"); an unknown key as written.
    static QString actionName(const QString &key);
    //! "HTTP 500 · code 7000 · request-id 3f2a…": what support needs; parts that are missing
    //! are left out.
    static QString details(const ActionResult &result);
    //! "Transfer failed: <Graph's message>"; "Transfer done" for a success.
    static QString summary(const ActionResult &result);
    //! The summary and the details in one line, for the log and the notice bar.
    static QString line(const ActionResult &result, const QString &callerText);
};

} // namespace Gui

#include "logsafety.h"

#include <QByteArrayView>
#include <QLoggingCategory>

namespace Graph {
namespace {

// Qt's filter API is process-wide and chains through a function pointer, hence the static.
QLoggingCategory::CategoryFilter s_previousFilter = nullptr;

void quietHttpServer(QLoggingCategory *category)
{
    if (s_previousFilter)
        s_previousFilter(category);
    if (QByteArrayView(category->categoryName()).startsWith("qt.httpserver")) {
        category->setEnabled(QtDebugMsg, false);
        category->setEnabled(QtInfoMsg, false);
    }
}

} // namespace

void keepSecretsOutOfQtLogs()
{
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    s_previousFilter = QLoggingCategory::installFilter(&quietHttpServer);
}

} // namespace Graph

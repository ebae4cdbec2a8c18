#pragma once

namespace Graph {

//! Qt's HTTP server writes every request with all its headers to qt.httpserver at debug level,
//! Authorization included, so turning on Qt's debug logging would print operator tokens and
//! callback JWTs. This keeps those categories quiet whatever the logging rules say. Each
//! program's main() calls it once, before it serves anything.
void keepSecretsOutOfQtLogs();

} // namespace Graph

#pragma once

#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QLocale;
class QTranslator;
QT_END_NAMESPACE

namespace App {

//! Where the console's translations (frontdesk_<lang>.qm) are looked for, in order. First the
//! installed location, found relative to the folder of the binary so that any prefix works
//! (<prefix>/bin/../share/frontdesk/translations), then that folder itself, where the build
//! tree keeps them next to the frontdesk binary.
QStringList translationDirs(const QString &applicationDir);

//! Loads frontdesk_<lang>.qm for `locale` (and its fallbacks, ru_RU then ru) into `translator`
//! from the first folder of `dirs` that has one. Returns the path of the file loaded, or an
//! empty string when no folder has a translation for `locale`.
QString loadTranslation(QTranslator *translator, const QLocale &locale, const QStringList &dirs);

} // namespace App

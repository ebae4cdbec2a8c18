#include "app/translations.h"

#include <QDir>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

#ifndef FRONTDESK_TRANSLATIONS_RELATIVE_DIR
#define FRONTDESK_TRANSLATIONS_RELATIVE_DIR "../share/frontdesk/translations"
#endif

namespace App {

QStringList translationDirs(const QString &applicationDir)
{
    return { QDir::cleanPath(
                 applicationDir + u'/' + QLatin1StringView(FRONTDESK_TRANSLATIONS_RELATIVE_DIR)),
        QDir::cleanPath(applicationDir) };
}

QString loadTranslation(QTranslator *translator, const QLocale &locale, const QStringList &dirs)
{
    for (const QString &dir : dirs) {
        if (translator->load(locale, u"frontdesk"_s, u"_"_s, dir))
            return translator->filePath();
    }
    return {};
}

} // namespace App

// The console finds its translations where they are installed (relative to its binary, so any
// prefix works) and, in the build tree, next to the binary.

#include "app/translations.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

class TstTranslations : public QObject
{
    Q_OBJECT

private:
    //! The frontdesk_ru.qm that the build made from translations/frontdesk_ru.ts.
    static QString builtQm() { return QStringLiteral(FRONTDESK_BUILT_QM_DIR "/frontdesk_ru.qm"); }

    static void copyQm(const QString &dir)
    {
        QVERIFY(QDir().mkpath(dir));
        QVERIFY2(QFile::copy(builtQm(), dir + u"/frontdesk_ru.qm"_s), qPrintable(builtQm()));
    }

private slots:
    void dirsAreTheInstalledLocationThenTheBinarysFolder()
    {
        QCOMPARE(App::translationDirs(u"/opt/frontdesk/bin"_s),
            QStringList(
                { u"/opt/frontdesk/share/frontdesk/translations"_s, u"/opt/frontdesk/bin"_s }));
        QCOMPARE(App::translationDirs(u"/usr/bin/"_s).constFirst(),
            u"/usr/share/frontdesk/translations"_s);
    }

    void loadsFromTheInstalledLocation()
    {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        QVERIFY(QDir().mkpath(prefix.filePath(u"bin"_s)));
        copyQm(prefix.filePath(u"share/frontdesk/translations"_s));

        QTranslator translator;
        const QString loaded = App::loadTranslation(&translator, QLocale(QLocale::Russian),
            App::translationDirs(prefix.filePath(u"bin"_s)));
        QCOMPARE(QFileInfo(loaded).canonicalFilePath(),
            QFileInfo(prefix.filePath(u"share/frontdesk/translations/frontdesk_ru.qm"_s))
                .canonicalFilePath());
        const QString russian = translator.translate("App::Main", "Incoming call");
        QVERIFY(!russian.isEmpty());
        QVERIFY(russian != u"Incoming call"_s);
    }

    void theInstalledLocationWinsOverTheBinarysFolder()
    {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        copyQm(prefix.filePath(u"bin"_s));
        copyQm(prefix.filePath(u"share/frontdesk/translations"_s));

        QTranslator translator;
        const QString loaded = App::loadTranslation(
            &translator, QLocale(u"ru_RU"_s), App::translationDirs(prefix.filePath(u"bin"_s)));
        QVERIFY2(loaded.contains(u"/share/frontdesk/translations/"_s), qPrintable(loaded));
    }

    void loadsFromTheBuildTree()
    {
        QTemporaryDir build;
        QVERIFY(build.isValid());
        copyQm(build.path());

        QTranslator translator;
        const QString loaded = App::loadTranslation(
            &translator, QLocale(QLocale::Russian), App::translationDirs(build.path()));
        QCOMPARE(QFileInfo(loaded).canonicalFilePath(),
            QFileInfo(build.filePath(u"frontdesk_ru.qm"_s)).canonicalFilePath());
    }

    void aLanguageWithoutTranslationLoadsNothing()
    {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        copyQm(prefix.filePath(u"share/frontdesk/translations"_s));

        QTranslator translator;
        QVERIFY(App::loadTranslation(
            &translator, QLocale(QLocale::German), App::translationDirs(prefix.filePath(u"bin"_s)))
                    .isEmpty());
        QVERIFY(translator.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstTranslations)
#include "tst_translations.moc"

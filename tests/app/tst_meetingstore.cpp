// The meetings this console created: MeetingStore keeps them in QSettings, MeetingsModel shows
// them (checked with QAbstractItemModelTester, Fatal).

#include "app/meetingstore.h"
#include "models/meetingsmodel.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Graph::OnlineMeeting meeting(const QString &id, const QString &subject, int hour)
{
    Graph::OnlineMeeting m;
    m.id = id;
    m.subject = subject;
    m.startDateTime = QDateTime(QDate(2026, 11, 25), QTime(hour, 0), Qt::UTC);
    m.endDateTime = m.startDateTime.addSecs(1800);
    m.joinWebUrl = u"https://teams.microsoft.com/l/meetup-join/"_s + id;
    m.chatInfo.threadId = u"19:meeting_"_s + id + u"@thread.v2"_s;
    m.chatInfo.messageId = u"0"_s;
    m.joinMeetingIdSettings =
        Graph::JoinMeetingIdSettings { u"412345678901"_s, u"Xk3pQ9"_s, false };
    return m;
}

} // namespace

class TstMeetingStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savedMeetingsComeBackAfterARestart();
    void aRefreshUpdatesTheRowInPlace();
    void withoutSettingsNothingIsWritten();
    void unreadableSettingsGiveAnEmptyList();
    void theOldestGoFirstPastTheLimit();
    void modelShowsSubjectTimesAndOrganizer();
};

void TstMeetingStore::savedMeetingsComeBackAfterARestart()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"frontdesk.ini"_s);
    {
        QSettings settings(file, QSettings::IniFormat);
        Models::MeetingsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        App::MeetingStore store(&settings, &model);
        store.load();
        QCOMPARE(model.rowCount(), 0);
        store.save(u"reception@contoso.com"_s, meeting(u"m1"_s, u"Auditors"_s, 10));
        store.save(u"2f8e4c1a-7b3d-4e5f-9a6b-0c1d2e3f4a5b"_s, meeting(u"m2"_s, u"Board"_s, 12));
        QCOMPARE(model.rowCount(), 2);
    }
    QSettings settings(file, QSettings::IniFormat);
    Models::MeetingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    App::MeetingStore store(&settings, &model);
    store.load();
    QCOMPARE(model.rowCount(), 2);
    const QList<Models::SavedMeeting> meetings = store.meetings();
    QCOMPARE(meetings.at(0).organizerId, u"reception@contoso.com"_s);
    QCOMPARE(meetings.at(0).meeting.id, u"m1"_s);
    QCOMPARE(meetings.at(0).meeting.subject, u"Auditors"_s);
    QCOMPARE(meetings.at(0).meeting.startDateTime, meeting(u"m1"_s, {}, 10).startDateTime);
    QCOMPARE(meetings.at(0).meeting.chatInfo.threadId, u"19:meeting_m1@thread.v2"_s);
    QCOMPARE(meetings.at(0).meeting.joinMeetingIdSettings->passcode, u"Xk3pQ9"_s);
    QCOMPARE(meetings.at(1).organizerId, u"2f8e4c1a-7b3d-4e5f-9a6b-0c1d2e3f4a5b"_s);
    QCOMPARE(model.index(1, 0).data(Models::MeetingsModel::IdRole).toString(), u"m2"_s);
}

void TstMeetingStore::aRefreshUpdatesTheRowInPlace()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"frontdesk.ini"_s), QSettings::IniFormat);
    Models::MeetingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    App::MeetingStore store(&settings, &model);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    store.save(u"reception@contoso.com"_s, meeting(u"m1"_s, u"Auditors"_s, 10));
    store.save(u"reception@contoso.com"_s, meeting(u"m1"_s, u"Auditors (moved)"_s, 11));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, Models::MeetingsModel::SubjectColumn).data().toString(),
        u"Auditors (moved)"_s);
    QCOMPARE(model.rowOf(u"m1"_s), 0);
    QCOMPARE(model.rowOf(u"nope"_s), -1);
}

void TstMeetingStore::withoutSettingsNothingIsWritten()
{
    Models::MeetingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    App::MeetingStore store(nullptr, &model);
    store.load();
    store.save(u"reception@contoso.com"_s, meeting(u"m1"_s, u"Auditors"_s, 10));
    QCOMPARE(model.rowCount(), 1);
    // A meeting without an id cannot be refreshed or joined: it is not kept.
    store.save(u"reception@contoso.com"_s, Graph::OnlineMeeting {});
    QCOMPARE(model.rowCount(), 1);
}

void TstMeetingStore::unreadableSettingsGiveAnEmptyList()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"frontdesk.ini"_s), QSettings::IniFormat);
    settings.setValue(App::MeetingStore::key(), u"{not json"_s);
    Models::MeetingsModel model;
    App::MeetingStore store(&settings, &model);
    store.load();
    QCOMPARE(model.rowCount(), 0);
    settings.setValue(App::MeetingStore::key(), u"[{\"organizerId\":\"\"},42]"_s);
    store.load();
    QCOMPARE(model.rowCount(), 0);
}

void TstMeetingStore::theOldestGoFirstPastTheLimit()
{
    Models::MeetingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    App::MeetingStore store(nullptr, &model);
    for (int i = 0; i < App::MeetingStore::MaxMeetings + 3; ++i)
        store.save(u"reception@contoso.com"_s, meeting(u"m%1"_s.arg(i), u"Meeting"_s, 9));
    QCOMPARE(model.rowCount(), App::MeetingStore::MaxMeetings);
    QCOMPARE(model.rowOf(u"m0"_s), -1);
    QCOMPARE(model.rowOf(u"m3"_s), 0);
}

void TstMeetingStore::modelShowsSubjectTimesAndOrganizer()
{
    Models::MeetingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMeetings({ { u"reception@contoso.com"_s, meeting(u"m1"_s, u"Auditors"_s, 10) },
        { u"reception@contoso.com"_s, meeting(u"m2"_s, QString(), 8) } });
    QCOMPARE(model.columnCount(), int(Models::MeetingsModel::ColumnCount));
    QCOMPARE(model.index(0, Models::MeetingsModel::SubjectColumn).data().toString(), u"Auditors"_s);
    QVERIFY(!model.index(1, Models::MeetingsModel::SubjectColumn).data().toString().isEmpty());
    QCOMPARE(model.index(0, Models::MeetingsModel::OrganizerColumn).data().toString(),
        u"reception@contoso.com"_s);
    QVERIFY(!model.index(0, Models::MeetingsModel::StartColumn).data().toString().isEmpty());
    QVERIFY(model.index(1, Models::MeetingsModel::StartColumn)
                .data(Models::MeetingsModel::SortRole)
                .toLongLong()
        < model.index(0, Models::MeetingsModel::StartColumn)
              .data(Models::MeetingsModel::SortRole)
              .toLongLong());
    QCOMPARE(model.index(0, 0).data(Models::MeetingsModel::JoinUrlRole).toString(),
        u"https://teams.microsoft.com/l/meetup-join/m1"_s);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Subject"_s);
}

QTEST_MAIN(TstMeetingStore)
#include "tst_meetingstore.moc"

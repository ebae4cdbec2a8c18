#include "meetingstore.h"

#include "graph/codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace App {

MeetingStore::MeetingStore(QSettings *settings, Models::MeetingsModel *model)
    : m_settings(settings)
    , m_model(model)
{ }

QString MeetingStore::key()
{
    return u"meetings/created"_s;
}

void MeetingStore::load()
{
    if (!m_settings)
        return;
    const QJsonArray array =
        QJsonDocument::fromJson(m_settings->value(key()).toString().toUtf8()).array();
    QList<Models::SavedMeeting> meetings;
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        Models::SavedMeeting saved { o.value("organizerId"_L1).toString(),
            Graph::decodeOnlineMeeting(o.value("meeting"_L1).toObject()) };
        // Something else wrote here, or an older build: skip what cannot be refreshed.
        if (saved.organizerId.isEmpty() || saved.meeting.id.isEmpty())
            continue;
        meetings.append(saved);
    }
    m_model->setMeetings(meetings);
}

void MeetingStore::save(const QString &organizerId, const Graph::OnlineMeeting &meeting)
{
    if (meeting.id.isEmpty())
        return;
    m_model->upsert(Models::SavedMeeting { organizerId, meeting });
    if (m_model->rowCount() > MaxMeetings) {
        QList<Models::SavedMeeting> kept = m_model->meetings();
        kept = kept.mid(kept.size() - MaxMeetings);
        m_model->setMeetings(kept);
    }
    write();
}

QList<Models::SavedMeeting> MeetingStore::meetings() const
{
    return m_model->meetings();
}

void MeetingStore::write()
{
    if (!m_settings)
        return;
    QJsonArray array;
    for (const Models::SavedMeeting &saved : m_model->meetings()) {
        array.append(QJsonObject {
            { "organizerId"_L1, saved.organizerId },
            { "meeting"_L1, Graph::encode(saved.meeting) },
        });
    }
    m_settings->setValue(
        key(), QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
}

} // namespace App

#include "outboundflow.h"

#include "dialogs/calldialog.h"
#include "dialogs/meetingdialog.h"
#include "dialogs/meetingsdialog.h"
#include "models/callstore.h"
#include "resulttexts.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace Gui {

OutboundFlow::OutboundFlow(
    Models::CallStore *store, Models::MeetingsModel *meetings, QWidget *window)
    : QObject(window)
    , m_store(store)
    , m_meetings(meetings ? meetings : new Models::MeetingsModel(this))
    , m_window(window)
{ }

OutboundFlow::~OutboundFlow() = default;

CallDialog *OutboundFlow::callDialog() const
{
    return m_call;
}

CallDialog *OutboundFlow::groupCallDialog() const
{
    return m_group;
}

MeetingDialog *OutboundFlow::meetingDialog() const
{
    return m_meeting;
}

MeetingsDialog *OutboundFlow::meetingsDialog() const
{
    return m_list;
}

void OutboundFlow::setOrganizer(const QString &organizerId)
{
    m_organizer = organizerId;
}

void OutboundFlow::setClock(std::function<QDateTime()> now)
{
    m_now = std::move(now);
}

void OutboundFlow::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    m_opener = std::move(opener);
    if (m_meeting && m_opener)
        m_meeting->setUrlOpener(m_opener);
}

void OutboundFlow::show(QWidget *dialog)
{
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

CallDialog *OutboundFlow::openCallDialog(QPointer<CallDialog> &slot, bool group)
{
    if (!slot) {
        slot = new CallDialog(
            group ? CallDialog::Kind::Group : CallDialog::Kind::PeerToPeer, m_window);
        CallDialog *dialog = slot;
        connect(dialog, &QDialog::accepted, this,
            [this, dialog] { Q_EMIT placeCallRequested(dialog->request()); });
        connect(dialog, &QDialog::rejected, dialog, &QObject::deleteLater);
    }
    slot->setKnownPeople(knownPeople());
    show(slot);
    return slot;
}

void OutboundFlow::openCall()
{
    openCallDialog(m_call, false);
}

void OutboundFlow::openGroupCall()
{
    openCallDialog(m_group, true);
}

void OutboundFlow::openNewMeeting()
{
    // A form that has created its meeting is done: the next meeting starts afresh.
    if (m_meeting && !m_meeting->resultPanel()->isHidden()) {
        m_meeting->hide();
        m_meeting->deleteLater();
        m_meeting = nullptr;
    }
    if (!m_meeting) {
        m_meeting = new MeetingDialog(m_organizer, m_now, m_window);
        if (m_opener)
            m_meeting->setUrlOpener(m_opener);
        connect(m_meeting, &MeetingDialog::createRequested, this,
            &OutboundFlow::createMeetingRequested);
        connect(m_meeting, &QDialog::rejected, m_meeting, &QObject::deleteLater);
    }
    m_meeting->setKnownPeople(knownPeople());
    m_meeting->validate();
    show(m_meeting);
}

void OutboundFlow::openMeetings()
{
    if (!m_list) {
        m_list = new MeetingsDialog(m_meetings, m_window);
        connect(m_list, &MeetingsDialog::refreshRequested, this, [this] {
            m_refreshing = 0;
            m_refreshFailures = 0;
            for (const Models::SavedMeeting &saved : m_meetings->meetings()) {
                ++m_refreshing;
                Q_EMIT refreshMeetingRequested(saved.organizerId, saved.meeting.id);
            }
            if (m_refreshing > 0)
                m_list->setStatus(tr("Refreshing %n meeting(s)…", "", m_refreshing));
        });
        connect(m_list, &MeetingsDialog::joinRequested, this,
            [this](const Models::SavedMeeting &saved) {
                m_list->setStatus(tr("The bot is joining “%1”…").arg(saved.meeting.subject));
                Q_EMIT joinMeetingRequested(saved.organizerId, saved.meeting);
            });
        connect(m_list, &QDialog::rejected, m_list, &QObject::deleteLater);
    }
    show(m_list);
}

QStringList OutboundFlow::knownPeople() const
{
    QSet<QString> seen;
    QStringList people;
    const auto add = [&](const Graph::IdentitySet &who) {
        const auto &user = who.get(Graph::IdentitySet::Kind::User);
        if (!user || user->id.isEmpty() || seen.contains(user->id.toCaseFolded()))
            return;
        seen.insert(user->id.toCaseFolded());
        people.append(user->id);
    };
    if (!m_store)
        return people;
    for (const QString &id : m_store->ids()) {
        const Graph::CallEntry *entry = m_store->entry(id);
        if (!entry)
            continue;
        if (entry->call.source)
            add(entry->call.source->identity);
        for (const Graph::InvitationParticipantInfo &target : entry->call.targets)
            add(target.identity);
        for (const Graph::Participant &participant : entry->participants)
            add(participant.info.identity);
    }
    for (const Models::SavedMeeting &saved : m_meetings->meetings()) {
        for (const Graph::MeetingParticipantInfo &attendee : saved.meeting.attendees) {
            if (!attendee.upn.isEmpty() && !seen.contains(attendee.upn.toCaseFolded())) {
                seen.insert(attendee.upn.toCaseFolded());
                people.append(attendee.upn);
            }
            add(attendee.identity);
        }
    }
    people.sort(Qt::CaseInsensitive);
    return people;
}

bool OutboundFlow::handle(const ActionResult &result)
{
    const QString &action = result.action;
    if (action == ActionKeys::PlaceCall || action == ActionKeys::GroupCall) {
        QPointer<CallDialog> &slot = action == ActionKeys::GroupCall ? m_group : m_call;
        if (!slot)
            return true;
        if (result.ok) {
            slot->deleteLater();
            slot = nullptr;
        } else {
            slot->showError(result);
            show(slot);
        }
        return true;
    }
    if (action == ActionKeys::CreateMeeting) {
        // Success shows with showMeetingCreated(), which carries the meeting.
        if (!result.ok && m_meeting)
            m_meeting->showFailure(result);
        return true;
    }
    if (action == ActionKeys::GetMeeting) {
        if (!result.ok)
            ++m_refreshFailures;
        if (m_refreshing > 0 && --m_refreshing == 0 && m_list) {
            m_list->setStatus(m_refreshFailures == 0
                    ? tr("Refreshed from Graph")
                    : tr("%n meeting(s) could not be refreshed; the event log says why", "",
                        m_refreshFailures));
        }
        return true;
    }
    if (action == ActionKeys::JoinMeeting) {
        if (m_list) {
            m_list->setStatus(result.ok
                    ? tr("The bot joined; the call is in the queue")
                    : ResultTexts::summary(result) + u' ' + ResultTexts::details(result));
        }
        return true;
    }
    return false;
}

void OutboundFlow::showMeetingCreated(const QString &, const Graph::OnlineMeeting &meeting)
{
    if (m_meeting)
        m_meeting->showCreated(meeting);
}

} // namespace Gui

// ConsoleSession's calls placed by the console and its online meetings: POST
// /communications/calls (peer-to-peer, group, joining a meeting) and the onlineMeetings
// endpoints, all through the relay's Graph proxy.

#include "consolesession.h"
#include "graph/graphclient.h"
#include "graph/ids.h"
#include "models/callstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace App {

namespace {

Graph::InvitationParticipantInfo targetOf(const Gui::CallTarget &target)
{
    Graph::InvitationParticipantInfo info;
    info.identity = target.kind == Gui::CallTarget::Kind::Phone
        ? Graph::IdentitySet::phone(target.id, target.displayName)
        : Graph::IdentitySet::user(target.id, target.displayName);
    return info;
}

//! The tenant in a Teams join link's context ({"Tid":"...","Oid":"..."}), or empty.
QString tenantOf(const QString &joinWebUrl)
{
    const QString context =
        QUrlQuery(QUrl(joinWebUrl)).queryItemValue(u"context"_s, QUrl::FullyDecoded);
    return QJsonDocument::fromJson(context.toUtf8()).object().value("Tid"_L1).toString();
}

//! The bot's new call: service-hosted media, audio. callbackUri stays empty: the relay's proxy
//! fills in its own, so that the call's callbacks reach the relay (and every console).
Graph::Call newCall()
{
    Graph::Call call;
    call.requestedModalities = { Graph::Modality::Audio };
    return call;
}

} // namespace

void ConsoleSession::placeCall(const Gui::OutboundCallRequest &request)
{
    Graph::Call call = newCall();
    for (const Gui::CallTarget &target : request.targets)
        call.targets.append(targetOf(target));
    const bool group = request.targets.size() > 1;
    if (group && !request.subject.trimmed().isEmpty())
        call.subject = request.subject.trimmed();
    const QUrl prompt = group ? QUrl() : request.prompt;
    trackReply(m_graph->createCall(call),
        group ? Gui::ActionKeys::GroupCall : Gui::ActionKeys::PlaceCall,
        [this, prompt](Graph::GraphReply *reply, Gui::ActionResult *result) {
            result->callId = reply->call().id;
            if (prompt.isEmpty() || result->callId.isEmpty())
                return;
            m_promptsOnEstablished.insert(Graph::normalizeId(result->callId), prompt);
            // The callback saying "established" may have come before Graph's 201.
            playPendingPrompt(result->callId);
        });
}

void ConsoleSession::playPendingPrompt(const QString &callId)
{
    const QString key = Graph::normalizeId(callId);
    const auto it = m_promptsOnEstablished.constFind(key);
    if (it == m_promptsOnEstablished.cend())
        return;
    const Graph::CallEntry *entry = m_store->entry(callId);
    if (!entry)
        return;
    if (entry->call.isEnded()) {
        m_promptsOnEstablished.remove(key);
        return;
    }
    if (entry->call.state != Graph::CallState::Established)
        return;
    const QUrl prompt = *it;
    m_promptsOnEstablished.remove(key);
    playPrompt(entry->call.id, prompt);
}

void ConsoleSession::createMeeting(const QString &organizerId, const Graph::OnlineMeeting &meeting)
{
    trackReply(m_graph->createOnlineMeeting(organizerId, meeting), Gui::ActionKeys::CreateMeeting,
        [this, organizerId](Graph::GraphReply *reply, Gui::ActionResult *) {
            const Graph::OnlineMeeting created = reply->onlineMeeting();
            // After the report: the window learns of the success first, then of the meeting.
            QMetaObject::invokeMethod(
                this, [this, organizerId, created] { Q_EMIT meetingCreated(organizerId, created); },
                Qt::QueuedConnection);
        });
}

void ConsoleSession::refreshMeeting(const QString &organizerId, const QString &meetingId)
{
    trackReply(m_graph->getOnlineMeeting(organizerId, meetingId), Gui::ActionKeys::GetMeeting,
        [this, organizerId](Graph::GraphReply *reply, Gui::ActionResult *) {
            Q_EMIT meetingRefreshed(organizerId, reply->onlineMeeting());
        });
}

void ConsoleSession::joinMeeting(const QString &organizerId, const Graph::OnlineMeeting &meeting)
{
    Graph::Call call = newCall();
    call.subject = meeting.subject;
    // graph-notes §1.1: chatInfo plus organizerMeetingInfo when the meeting's chat is known;
    // otherwise its join meeting id and passcode.
    if (!meeting.chatInfo.threadId.isEmpty()) {
        call.chatInfo.threadId = meeting.chatInfo.threadId;
        call.chatInfo.messageId =
            meeting.chatInfo.messageId.isEmpty() ? u"0"_s : meeting.chatInfo.messageId;
        call.meetingInfo.kind = Graph::MeetingInfo::Kind::Organizer;
        // Graph's own account of the organizer carries the tenant, which a join needs.
        Graph::Identity organizer { organizerId, {}, {}, {} };
        if (meeting.organizer) {
            if (const auto &user = meeting.organizer->identity.get(Graph::IdentitySet::Kind::User);
                user && !user->id.isEmpty())
                organizer = *user;
        }
        if (organizer.tenantId.isEmpty())
            organizer.tenantId = tenantOf(meeting.joinWebUrl);
        call.meetingInfo.organizer.set(Graph::IdentitySet::Kind::User, organizer);
        call.tenantId = organizer.tenantId;
    } else if (meeting.joinMeetingIdSettings) {
        call.meetingInfo.kind = Graph::MeetingInfo::Kind::JoinMeetingId;
        call.meetingInfo.joinMeetingId = meeting.joinMeetingIdSettings->joinMeetingId;
        call.meetingInfo.passcode = meeting.joinMeetingIdSettings->passcode;
    }
    trackReply(m_graph->createCall(call), Gui::ActionKeys::JoinMeeting,
        [](Graph::GraphReply *reply, Gui::ActionResult *result) {
            result->callId = reply->call().id;
        });
}

void ConsoleSession::trackReply(Graph::GraphReply *reply, const QString &action,
    std::function<void(Graph::GraphReply *, Gui::ActionResult *)> done)
{
    Gui::ActionResult pending;
    pending.action = action;
    m_pending.insert(reply, pending);
    connect(reply, &Graph::GraphReply::finished, this, [this, reply, done = std::move(done)] {
        // setRelay() reports and forgets the replies it abandons.
        if (!m_pending.contains(reply))
            return;
        Gui::ActionResult result = m_pending.take(reply);
        fillResult(&result, reply);
        if (result.ok && done)
            done(reply, &result);
        finishAction(result);
    });
}

} // namespace App

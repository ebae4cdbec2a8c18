// Online meetings: create, createOrGet, get and find, and finding the meeting a call joins
// (graph-notes §1.1 "Join scheduled meeting", §1.13, §5.3).

#include "engine.h"
#include "engine_p.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace Sandbox {

namespace {

// Invented: the user behind /me/onlineMeetings (a delegated token), whom the sandbox does not
// otherwise know.
const QString s_meUserId = u"00000000-0000-0000-0000-0000000000a1"_s;

QString percentDecoded(const QString &url)
{
    return QUrl::fromPercentEncoding(url.toUtf8());
}

QJsonObject collection(const QList<Graph::OnlineMeeting> &meetings)
{
    QJsonArray value;
    for (const Graph::OnlineMeeting &m : meetings)
        value.append(Graph::encode(m));
    return QJsonObject { { "value"_L1, value } };
}

} // namespace

// ---- Private -----------------------------------------------------------------------------

QString Engine::Private::ownerOf(const QString &userId) const
{
    return userId.isEmpty() || userId == "me"_L1 ? s_meUserId : userId;
}

Engine::Private::Meeting *Engine::Private::meeting(QStringView meetingId)
{
    for (Meeting &m : meetings) {
        if (m.meeting.id == meetingId)
            return &m;
    }
    return nullptr;
}

Engine::Private::Meeting *Engine::Private::meetingForJoin(
    const Graph::MeetingInfo &info, const Graph::ChatInfo &chat, QString *error)
{
    switch (info.kind) {
    case Graph::MeetingInfo::Kind::JoinMeetingId: {
        const QString wanted = normalizeTarget(info.joinMeetingId);
        for (Meeting &m : meetings) {
            const auto &settings = m.meeting.joinMeetingIdSettings;
            if (!settings || normalizeTarget(settings->joinMeetingId) != wanted)
                continue;
            const bool passcodeNeeded = settings->isPasscodeRequired.value_or(false);
            if ((passcodeNeeded || !info.passcode.isEmpty())
                && info.passcode != settings->passcode) {
                *error = u"The passcode does not match meeting %1"_s.arg(info.joinMeetingId);
                return nullptr;
            }
            return &m;
        }
        *error = u"No online meeting has joinMeetingId %1"_s.arg(info.joinMeetingId);
        return nullptr;
    }
    case Graph::MeetingInfo::Kind::Organizer: {
        const auto &organizer = info.organizer.get(Graph::IdentitySet::Kind::User);
        if (!organizer || organizer->id.isEmpty()) {
            *error = u"meetingInfo.organizer.user.id is required"_s;
            return nullptr;
        }
        if (chat.threadId.isEmpty()) {
            *error = u"chatInfo.threadId is required to join with organizerMeetingInfo"_s;
            return nullptr;
        }
        for (Meeting &m : meetings) {
            if (Graph::sameId(m.ownerId, organizer->id)
                && m.meeting.chatInfo.threadId == chat.threadId)
                return &m;
        }
        *error =
            u"No online meeting of organizer %1 has thread %2"_s.arg(organizer->id, chat.threadId);
        return nullptr;
    }
    case Graph::MeetingInfo::Kind::Token:
        // Invented: meeting tokens come from Teams clients, which the sandbox does not have.
        *error = u"tokenMeetingInfo is not supported by the sandbox"_s;
        return nullptr;
    case Graph::MeetingInfo::Kind::None:
    case Graph::MeetingInfo::Kind::Other:
        break;
    }
    *error = u"meetingInfo must be an organizerMeetingInfo or a joinMeetingIdMeetingInfo"_s;
    return nullptr;
}

Reply Engine::Private::createMeeting(const QString &ownerId, const QJsonObject &body)
{
    if (meetingAccessDenied.contains(Graph::normalizeId(ownerId))) {
        // graph-notes §4.1, §5.3: without an application access policy.
        return Reply::error(403, u"Unauthorized"_s,
            u"App %1 is not authorized to Create meeting on behalf of user %2"_s.arg(
                q->m_config.clientId, ownerId));
    }
    const Graph::OnlineMeeting given = Graph::decodeOnlineMeeting(body);
    for (const QLatin1StringView key : { "startDateTime"_L1, "endDateTime"_L1 }) {
        const QJsonValue value = body.value(key);
        if (!value.isUndefined() && !value.isNull() && !Graph::readDateTime(value).isValid())
            return badRequest(QString(key) + u" is not an ISO 8601 date-time"_s);
    }
    QDateTime start = given.startDateTime.isValid() ? given.startDateTime : clock->now();
    QDateTime end = given.endDateTime.isValid() ? given.endDateTime : start.addSecs(3600);
    if (end < start)
        return badRequest(u"endDateTime must not be before startDateTime"_s);
    if (given.lobbyBypassScope.isPresent() && !given.lobbyBypassScope.isKnown())
        return badRequest(u"lobbyBypassSettings.scope has an unknown value"_s);
    if (given.allowedPresenters.isPresent() && !given.allowedPresenters.isKnown())
        return badRequest(u"allowedPresenters has an unknown value"_s);
    const QJsonValue subject = body.value("subject"_L1);
    if (!subject.isUndefined() && !subject.isNull() && !subject.isString())
        return badRequest(u"subject must be a string"_s);

    Graph::OnlineMeeting m;
    m.subject = given.subject;
    m.startDateTime = start.toUTC();
    m.endDateTime = end.toUTC();
    m.creationDateTime = clock->now().toUTC();
    m.externalId = given.externalId;
    m.chatInfo.threadId = newThreadId();
    m.chatInfo.messageId = u"0"_s;
    // Graph's ids are base64 of "1*<organizer>*0**<thread id>".
    m.id = QString::fromLatin1(
        QString(u"1*"_s + ownerId + u"*0**"_s + m.chatInfo.threadId).toUtf8().toBase64());
    m.joinWebUrl = u"https://teams.microsoft.com/l/meetup-join/"_s
        + QString::fromLatin1(QUrl::toPercentEncoding(m.chatInfo.threadId))
              .replace(u"%3A"_s, u"%3a"_s)
        + u"/0?context=%7b%22Tid%22%3a%22"_s + q->m_config.tenantId + u"%22%2c%22Oid%22%3a%22"_s
        + ownerId + u"%22%7d"_s;
    Graph::JoinMeetingIdSettings settings;
    settings.joinMeetingId = randomDigits(12);
    // Invented: passcodes of six letters and digits, as Teams shows them.
    const QString alphabet = u"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"_s;
    for (int i = 0; i < 6; ++i)
        settings.passcode.append(alphabet[rng.bounded(int(alphabet.size()))]);
    settings.isPasscodeRequired = given.joinMeetingIdSettings
        ? given.joinMeetingIdSettings->isPasscodeRequired.value_or(false)
        : false;
    m.joinMeetingIdSettings = settings;
    // Invented: dial-in numbers in the 555-01xx range kept for fiction.
    Graph::AudioConferencing audio;
    audio.conferenceId = randomDigits(9);
    audio.tollNumber = u"+1 425-555-01%1"_s.arg(rng.bounded(100), 2, 10, QChar(u'0'));
    audio.tollFreeNumber = u"+1 800-555-01%1"_s.arg(rng.bounded(100), 2, 10, QChar(u'0'));
    audio.tollNumbers = { audio.tollNumber };
    audio.tollFreeNumbers = { audio.tollFreeNumber };
    audio.dialinUrl =
        u"https://dialin.teams.microsoft.com/"_s + newId() + u"?id="_s + audio.conferenceId;
    m.audioConferencing = audio;
    m.videoTeleconferenceId = randomDigits(10); // Invented: ten digits

    Graph::MeetingParticipantInfo organizer;
    // Graph's payloads add identityProvider "AAD", which the schema lacks; the sandbox writes
    // only what the schema has.
    const Graph::Identity user { ownerId, {}, q->m_config.tenantId, {} };
    organizer.identity.set(Graph::IdentitySet::Kind::User, user);
    organizer.role = Graph::OnlineMeetingRole::Presenter;
    if (given.organizer)
        organizer.upn = given.organizer->upn;
    m.organizer = organizer;
    m.attendees = given.attendees;
    m.lobbyBypassScope = given.lobbyBypassScope.isPresent()
        ? given.lobbyBypassScope
        : Graph::WireEnum<Graph::LobbyBypassScope>(Graph::LobbyBypassScope::Organization);
    m.isDialInBypassEnabled = given.isDialInBypassEnabled.value_or(false);
    m.allowedPresenters = given.allowedPresenters.isPresent()
        ? given.allowedPresenters
        : Graph::WireEnum<Graph::OnlineMeetingPresenters>(Graph::OnlineMeetingPresenters::Everyone);
    // Invented: a minimal joinInformation, as Graph returns one (HTML in a data: URL).
    const QString joinHtml = u"data:text/html,%3ca+href%3d%22"_s
        + QString::fromLatin1(QUrl::toPercentEncoding(m.joinWebUrl))
        + u"%22%3eJoin+the+meeting+now%3c%2fa%3e"_s;
    m.raw.insert("joinInformation"_L1,
        QJsonObject { { "content"_L1, joinHtml }, { "contentType"_L1, u"html"_s } });
    meetings.push_back(Meeting { m, ownerId });
    // 201 without a Location: Graph's onlineMeetings answers carry none.
    Reply reply = Reply::ok(Graph::encode(m));
    reply.status = 201;
    return reply;
}

// ---- Engine ------------------------------------------------------------------------------

Reply Engine::createOnlineMeeting(const QString &userId, const QJsonObject &body)
{
    return d->createMeeting(d->ownerOf(userId), body);
}

Reply Engine::createOrGetOnlineMeeting(const QString &userId, const QJsonObject &body)
{
    const QString owner = d->ownerOf(userId);
    const QJsonValue externalId = body.value("externalId"_L1);
    if (!externalId.isString() || externalId.toString().isEmpty())
        return badRequest(u"externalId is required"_s);
    for (const Private::Meeting &m : d->meetings) {
        if (Graph::sameId(m.ownerId, owner) && m.meeting.externalId == externalId.toString()
            && !d->meetingAccessDenied.contains(Graph::normalizeId(owner)))
            return Reply::ok(Graph::encode(m.meeting));
    }
    return d->createMeeting(owner, body);
}

Reply Engine::getOnlineMeeting(const QString &userId, const QString &meetingId) const
{
    const QString owner = d->ownerOf(userId);
    for (const Private::Meeting &m : d->meetings) {
        if (m.meeting.id == meetingId && Graph::sameId(m.ownerId, owner))
            return Reply::ok(Graph::encode(m.meeting));
    }
    return notFound(u"Online meeting %1 not found"_s.arg(meetingId));
}

Reply Engine::findOnlineMeetingsByJoinUrl(const QString &userId, const QString &joinWebUrl) const
{
    const QString owner = d->ownerOf(userId);
    // The filter may carry the URL encoded once more, or decoded; compare the decoded forms.
    const QString wanted = percentDecoded(percentDecoded(joinWebUrl));
    QList<Graph::OnlineMeeting> found;
    for (const Private::Meeting &m : d->meetings) {
        if (Graph::sameId(m.ownerId, owner) && percentDecoded(m.meeting.joinWebUrl) == wanted)
            found.append(m.meeting);
    }
    return Reply::ok(collection(found));
}

Reply Engine::findOnlineMeetingsByVtcId(const QString &vtcId) const
{
    QList<Graph::OnlineMeeting> found;
    for (const Private::Meeting &m : d->meetings) {
        if (m.meeting.videoTeleconferenceId == vtcId)
            found.append(m.meeting);
    }
    return Reply::ok(collection(found));
}

} // namespace Sandbox

#include "calltexts.h"

using namespace Qt::StringLiterals;

namespace Models {

using Graph::CallState;
using Graph::IdentitySet;

QString CallTexts::stateWord(const Graph::WireEnum<CallState> &state)
{
    switch (state.value) {
    case CallState::Incoming:
        return tr("Incoming");
    case CallState::Ringing:
        return tr("Ringing");
    case CallState::Establishing:
        return tr("Connecting");
    case CallState::Established:
        return tr("Established");
    case CallState::Hold:
        return tr("On hold");
    case CallState::Transferring:
        return tr("Transferring");
    case CallState::TransferAccepted:
        return tr("Transfer accepted");
    case CallState::Redirecting:
        return tr("Redirecting");
    case CallState::Terminating:
        return tr("Ending");
    case CallState::Terminated:
        return tr("Ended");
    case CallState::Unknown:
    case CallState::UnknownFutureValue:
        break;
    }
    // A state Graph added after this console was written still tells the operator something.
    return state.isPresent() ? state.text : tr("Unknown");
}

QString CallTexts::stateText(const Graph::Call &call)
{
    if (call.state == CallState::Terminated && call.resultInfo.code)
        //: An ended call with Graph's result code, e.g. "Ended (408)"
        return tr("Ended (%1)").arg(*call.resultInfo.code);
    return stateWord(call.state);
}

QString CallTexts::resultText(const Graph::ResultInfo &result)
{
    if (!result.isPresent())
        return {};
    QString codes;
    if (result.code)
        codes = QString::number(*result.code);
    if (result.subcode)
        codes += u'/' + QString::number(*result.subcode);
    if (result.message.isEmpty())
        return codes;
    if (codes.isEmpty())
        return result.message;
    return codes + u' ' + result.message;
}

IdentitySet CallTexts::counterpart(const Graph::Call &call)
{
    if (call.direction == Graph::CallDirection::Outgoing && !call.targets.isEmpty())
        return call.targets.constFirst().identity;
    if (call.source)
        return call.source->identity;
    return call.targets.isEmpty() ? IdentitySet() : call.targets.constFirst().identity;
}

QString CallTexts::callerName(const Graph::Call &call)
{
    return counterpart(call).displayName();
}

QString CallTexts::callerNumber(const Graph::Call &call)
{
    return counterpart(call).phoneNumber();
}

QString CallTexts::callerText(const Graph::Call &call)
{
    // A group call or a meeting the bot placed is known by its subject, not by its first
    // target (or, for a meeting, by the bot itself).
    const bool outgoing = call.direction == Graph::CallDirection::Outgoing;
    if (outgoing && !call.subject.isEmpty())
        return call.subject;
    const IdentitySet who = counterpart(call);
    if (const QString name = who.displayName(); !name.isEmpty())
        return name;
    // The bot called a user by the id the operator typed; that id is all there is to show.
    if (const auto &user = who.get(IdentitySet::Kind::User);
        outgoing && user && !user->id.isEmpty())
        return user->id;
    if (const QString number = who.phoneNumber(); !number.isEmpty())
        //: A caller whose phone number is known but not their name
        return tr("Unknown %1").arg(number);
    return tr("Unknown caller");
}

QString CallTexts::participantName(const Graph::Participant &participant)
{
    const IdentitySet &who = participant.info.identity;
    if (const QString name = who.displayName(); !name.isEmpty())
        return name;
    if (const QString number = who.phoneNumber(); !number.isEmpty())
        return number;
    return tr("Unknown");
}

QString CallTexts::identityKind(IdentitySet::Kind kind)
{
    switch (kind) {
    case IdentitySet::Kind::User:
        return tr("user");
    case IdentitySet::Kind::Application:
        return tr("application");
    case IdentitySet::Kind::Device:
        return tr("device");
    case IdentitySet::Kind::ApplicationInstance:
        return tr("application instance");
    case IdentitySet::Kind::Phone:
        return tr("phone");
    case IdentitySet::Kind::Guest:
        return tr("guest");
    case IdentitySet::Kind::Encrypted:
        return tr("encrypted");
    case IdentitySet::Kind::OnPremises:
        return tr("on-premises user");
    case IdentitySet::Kind::AssertedIdentity:
        return tr("asserted identity");
    case IdentitySet::Kind::AzureCommunicationServicesUser:
        return tr("ACS user");
    }
    return tr("unknown");
}

QString CallTexts::duration(qint64 seconds)
{
    seconds = std::max<qint64>(seconds, 0);
    const qint64 hours = seconds / 3600;
    const qint64 minutes = (seconds / 60) % 60;
    const qint64 secs = seconds % 60;
    if (hours > 0) {
        return u"%1:%2:%3"_s.arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'))
            .arg(secs, 2, 10, QLatin1Char('0'));
    }
    return u"%1:%2"_s.arg(minutes, 2, 10, QLatin1Char('0')).arg(secs, 2, 10, QLatin1Char('0'));
}

QString CallTexts::none()
{
    //: Shown where there is nothing to show (no operator, no wait)
    return tr("—");
}

} // namespace Models

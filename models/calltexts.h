#pragma once

#include "graph/types.h"

#include <QCoreApplication>
#include <QString>

namespace Models {

//! The words the models show for Graph's values, shared so that the queue, the roster and the
//! timeline call one state by one name. Every text goes through tr() (context Models::CallTexts).
class CallTexts final
{
    Q_DECLARE_TR_FUNCTIONS(Models::CallTexts)

public:
    CallTexts() = delete;

    //! A short word for a call state: "Incoming", "Connecting", "On hold", ... An unknown state
    //! shows as Graph wrote it.
    static QString stateWord(const Graph::WireEnum<Graph::CallState> &state);
    //! The state word, and for an ended call its result code: "Ended (408)".
    static QString stateText(const Graph::Call &call);
    //! "500/7000 Transfer failed", "408", "" when there is no result.
    static QString resultText(const Graph::ResultInfo &result);

    //! Who is on the other end: the caller of an incoming call, the callee of an outgoing one.
    static Graph::IdentitySet counterpart(const Graph::Call &call);
    static QString callerName(const Graph::Call &call); //!< empty when Graph gave no name
    static QString callerNumber(const Graph::Call &call); //!< the phone number, or empty
    //! "Irina Smirnova", "Unknown +1 555 0100" (a number without a name), "Unknown caller".
    static QString callerText(const Graph::Call &call);

    //! A participant's name; when Graph gives none, their number or "Unknown".
    static QString participantName(const Graph::Participant &participant);
    //! "user", "phone", "guest", "application", ...
    static QString identityKind(Graph::IdentitySet::Kind kind);

    //! "00:52", "02:41", "1:02:41" for a duration in seconds.
    static QString duration(qint64 seconds);
    //! The placeholder for "nothing to show".
    static QString none();
};

} // namespace Models

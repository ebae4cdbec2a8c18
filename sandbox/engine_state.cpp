// The sandbox's whole state as Graph resources, for GET /sandbox/state and test assertions.

#include "engine.h"
#include "engine_p.h"

using namespace Qt::StringLiterals;

namespace Sandbox {

QJsonObject Engine::state() const
{
    QJsonArray calls;
    for (const auto &c : d->calls) {
        // The call as GET shows it (callbackUri included), with its navigation properties.
        QJsonObject call = Graph::encode(c->call);
        QJsonArray participants;
        for (const Graph::Participant &p : c->participants)
            participants.append(Graph::encode(p));
        QJsonArray operations;
        for (const Graph::CommsOperation &op : c->operations)
            operations.append(Graph::encode(op));
        call.insert("participants"_L1, participants);
        call.insert("operations"_L1, operations);
        calls.append(call);
    }
    QJsonArray meetings;
    for (const Private::Meeting &m : d->meetings)
        meetings.append(Graph::encode(m.meeting));
    return QJsonObject { { "calls"_L1, calls }, { "meetings"_L1, meetings } };
}

} // namespace Sandbox

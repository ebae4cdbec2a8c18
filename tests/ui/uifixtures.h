#pragma once

// A console's models fed the way the app feeds them: commsNotification JSON made by the model
// tests' fixtures, numbered by a stand-in relay, applied to a CallStore.

#include "../models/streamfixtures.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "ui/mainwindow.h"

#include <QJsonArray>

namespace UiFixtures {

using namespace Qt::StringLiterals;
using namespace Fixtures;

//! The models a MainWindow shows, over one store.
struct Console
{
    Relay relay;
    Models::CallStore store;
    Models::CallsModel calls { &store };
    Models::CallFilterProxy queue;
    Models::ParticipantsModel participants { &store };
    Models::TimelineModel timeline { &store };

    Console() { queue.setSourceModel(&calls); }

    Gui::WindowModels models() { return { &store, &calls, &queue, &participants, &timeline }; }

    void notify(qint64 second, const QJsonObject &notification)
    {
        store.applyEvent(relay.notify(at(second), notification));
    }

    void relayEvent(
        qint64 second, const QString &kind, const QString &call, const QJsonObject &fields = {})
    {
        store.applyEvent(relay.relay(at(second), kind, call, fields));
    }

    //! A call ringing since `second`.
    void ringing(int n, const Who &caller, qint64 second = 0)
    {
        notify(second, incomingCall(callId(n), caller));
    }

    //! A call answered at `second + 2`, with the bot and the caller on its roster.
    void established(int n, const Who &caller, qint64 second = 0)
    {
        ringing(n, caller, second);
        notify(second + 1, callUpdated(callId(n), u"establishing"_s));
        notify(second + 2, callUpdated(callId(n), u"established"_s));
        notify(second + 2,
            roster(callId(n),
                QJsonArray { botParticipant(1), participant(participantId(n), caller, 1) }));
    }

    void held(int n, const Who &caller, qint64 second = 0)
    {
        established(n, caller, second);
        notify(second + 3, callUpdated(callId(n), u"hold"_s));
    }

    void ended(int n, const Who &caller, qint64 second = 0)
    {
        established(n, caller, second);
        notify(second + 4, callDeleted(callId(n), resultInfo(200, 5000, u"Ended"_s)));
    }

    //! The call's row in the calls model, column `column`.
    QModelIndex callIndex(int n, int column = Models::CallsModel::CallerColumn) const
    {
        return calls.index(calls.rowOf(callId(n)), column);
    }
};

} // namespace UiFixtures

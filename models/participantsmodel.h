#pragma once

#include "graph/types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

namespace Models {

class CallStore;

//! The roster of one call (setCallId), in roster order, kept in step with the store: joins are
//! inserted, leaves removed and changes (mute, lobby, media) reported as dataChanged on the
//! rows concerned. Switching calls, or a snapshot, resets the model.
class ParticipantsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParticipantsModel)

public:
    enum Column {
        NameColumn, //!< display name; a number or "Unknown" without one
        KindColumn, //!< user, phone, guest, application, ...
        MutedColumn, //!< "Muted" or —
        LobbyColumn, //!< "In lobby" or —
        MediaColumn, //!< "audio sendReceive, video receiveOnly"
        ColumnCount
    };
    Q_ENUM(Column)

    //! Every role answers the same for every column of a row, except SortRole.
    enum Role {
        IdRole = Qt::UserRole, //!< QString: the participant id
        IsMutedRole, //!< bool
        IsInLobbyRole, //!< bool
        IsBotRole, //!< bool: the participant is the call's own bot (myParticipantId)
        IdentityKindRole, //!< int: Graph::IdentitySet::Kind of the primary identity, or -1
        SortRole, //!< the column's raw value: name case-folded, kind, muted, in lobby, media
        DisplayNameRole, //!< QString: Graph's display name, or empty
        PhoneNumberRole, //!< QString: the phone identity's number, or empty
    };
    Q_ENUM(Role)

    //! `store` must outlive the model.
    explicit ParticipantsModel(CallStore *store, QObject *parent = nullptr);
    ~ParticipantsModel() override;

    //! Shows the roster of `callId` (empty: none). The call need not be known yet: its roster
    //! fills in when it arrives.
    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    int rowOf(const QString &participantId) const; //!< the row, or -1
    //! The texts the Muted and Lobby columns show for a yes, so a view can size them once.
    static QString mutedText();
    static QString inLobbyText();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    bool isMine(const QString &callId) const;
    void load();
    void onReset();
    void onCallChanged(const QString &callId);
    void onAboutToRemove(const QString &callId);
    void onParticipantsChanged(const QString &callId, const QStringList &added,
        const QStringList &changed, const QStringList &removed);
    void dropRows(QList<int> rows);
    void announceRows(QList<int> rows, const QList<int> &roles);
    void reindexFrom(int row);

    QVariant display(const Graph::Participant &participant, int column) const;
    QVariant sortValue(const Graph::Participant &participant, int column) const;

    CallStore *m_store;
    QString m_callId;
    QString m_callKey; // normalized
    QString m_botKey; // normalized myParticipantId of the call
    QList<Graph::Participant> m_rows;
    QHash<QString, int> m_rowById; // normalized participant id → row
};

} // namespace Models

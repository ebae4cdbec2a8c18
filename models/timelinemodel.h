#pragma once

#include "callstore.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace Models {

//! The timeline of one call (setCallId) for the detail pane, oldest first: one row per
//! TimelineEntry, appended as the store records them, with the oldest dropped past the
//! store's timeline limit. It also carries the DTMF tones the call received (tones(),
//! TonesRole).
class TimelineModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)

public:
    enum Role {
        KindRole = Qt::UserRole, //!< int: TimelineEntry::Kind
        AtRole, //!< QDateTime (UTC)
        SeqRole, //!< qint64: the stream seq that caused the entry
        FromStateRole, //!< int: Graph::CallState, for StateChanged
        ToStateRole, //!< int: Graph::CallState, for Created, StateChanged and Snapshot
        ResultCodeRole, //!< int: the call's or the operation's result code, invalid if none
        TonesRole, //!< QString: every tone the call received, in order ("12#"); on every row
        DescriptionRole, //!< QString: the display text without the time
    };
    Q_ENUM(Role)

    //! `store` must outlive the model.
    explicit TimelineModel(CallStore *store, QObject *parent = nullptr);
    ~TimelineModel() override;

    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    //! The DTMF tones the call received, in sequence order: "12#".
    QString tones() const { return m_tones; }
    //! The zone the times are shown in (default: the system's).
    void setTimeZone(const QTimeZone &zone);

    //! An entry in words, without its time: "Transferring → Established (500/7000 Transfer
    //! failed)".
    static QString describe(const TimelineEntry &entry);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void tonesChanged(const QString &tones);

private:
    bool isMine(const QString &callId) const;
    void load();
    void onReset();
    void onAppended(const QString &callId, const Models::TimelineEntry &entry);
    void onToneReceived(const QString &callId);
    void onAboutToRemove(const QString &callId);
    void setTones(const QString &tones);

    CallStore *m_store;
    QString m_callId;
    QString m_callKey; // normalized
    QList<TimelineEntry> m_rows;
    QString m_tones;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

} // namespace Models

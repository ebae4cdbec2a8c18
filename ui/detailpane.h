#pragma once

#include <QModelIndex>
#include <QString>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace Models {
class CallsModel;
class ParticipantsModel;
class TimelineModel;
} // namespace Models

namespace Gui {

class HintListView;
class HintTableView;

//! The selected call in detail: a header (caller, number, "state · duration · handled by",
//! "last event N s ago") over three tabs: Participants, Tones and Timeline. It sets the
//! participants and timeline models to the call it shows.
class DetailPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailPane)

public:
    enum Tab { ParticipantsTab, TonesTab, TimelineTab };

    //! The models must outlive the pane.
    DetailPane(Models::CallsModel *calls, Models::ParticipantsModel *participants,
        Models::TimelineModel *timeline, QWidget *parent = nullptr);
    ~DetailPane() override;

    //! Shows `callId`; empty shows a hint to select a call.
    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    //! Re-reads the header from the calls model (after its row changed or time moved).
    void refresh();
    //! Refreshes when rows from `topLeft` to `bottomRight` of the calls model hold the call
    //! shown; a stream changes some call a thousand times a second, mostly others.
    void refreshIfShown(const QModelIndex &topLeft, const QModelIndex &bottomRight);

    QTabWidget *tabs() const { return m_tabs; }
    QTableView *participantsView() const;
    QModelIndex selectedParticipant() const; //!< column 0, or invalid
    void showTab(Tab tab);

    QString headerText() const; //!< the header's lines, for tests and assistive technology

Q_SIGNALS:
    void participantSelectionChanged();

private:
    void setTones(const QString &tones);

    Models::CallsModel *m_calls;
    Models::ParticipantsModel *m_participantsModel;
    Models::TimelineModel *m_timelineModel;
    QString m_callId;
    QStackedWidget *m_stack;
    QLabel *m_caller;
    QLabel *m_number;
    QLabel *m_status;
    QLabel *m_freshness;
    QTabWidget *m_tabs;
    HintTableView *m_participants;
    QLabel *m_tones;
    HintListView *m_timeline;
    bool m_followTimeline = false; // new entries came while it showed the last: follow them
};

} // namespace Gui

#pragma once

#include "models/remindersmodel.h"

#include <QDateTime>
#include <QDialog>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Gui {

//! The relay's reminders (calls it places at a set time, which play a prompt and hang up):
//! a list, a form to create one and a button to cancel the selected one. The time is picked
//! and shown in the local time zone and sent as UTC. The dialog only announces what the
//! operator asks for (refreshRequested, createRequested, cancelRequested); its owner talks to
//! the relay and hands back setReminders() and showError().
class RemindersDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemindersDialog)

public:
    explicit RemindersDialog(QWidget *parent = nullptr);
    ~RemindersDialog() override;

    Models::RemindersModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *targetEdit() const { return m_target; }
    QLineEdit *nameEdit() const { return m_name; }
    QDateTimeEdit *timeEdit() const { return m_time; }
    QLineEdit *promptEdit() const { return m_prompt; }
    QLineEdit *subjectEdit() const { return m_subject; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *problemLabel() const { return m_problem; }

    //! What "now" is for the check that the time lies ahead; the current time when unset.
    void setNow(const QDateTime &now) { m_now = now; }
    //! The POST /api/reminders body the form describes, or nullopt and `problem` in words.
    std::optional<QJsonObject> requestBody(QString *problem = nullptr) const;

    //! A reminder relay event in plain words, for the event log.
    static QString describeEvent(const QJsonObject &fields);

public Q_SLOTS:
    //! The relay's list (the "reminders" array of GET /api/reminders); keeps the selection.
    void setReminders(const QList<QJsonObject> &reminders);
    //! A request failed: shown under the form until the next change.
    void showError(const QString &message);
    //! The reminder was created: the form is cleared for the next one.
    void reminderCreated();

Q_SIGNALS:
    void refreshRequested();
    void createRequested(const QJsonObject &body);
    void cancelRequested(const QString &reminderId);

private:
    void updateButtons();
    QDateTime now() const;
    QString selectedId() const;

    Models::RemindersModel *m_model;
    QTableView *m_view;
    QLineEdit *m_target;
    QLineEdit *m_name;
    QDateTimeEdit *m_time;
    QLineEdit *m_prompt;
    QLineEdit *m_subject;
    QPushButton *m_create;
    QPushButton *m_cancel;
    QPushButton *m_refresh;
    QLabel *m_problem;
    QDateTime m_now;
};

} // namespace Gui

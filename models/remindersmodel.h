#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QLocale>
#include <QString>

#include <optional>

namespace Models {

//! A reminder as the relay's /api/reminders lists it (docs/relay-protocol.md "Reminders").
struct Reminder
{
    QString id;
    QString target;
    QString displayName;
    QDateTime at; //!< UTC
    QString prompt;
    QString subject;
    QString createdBy;
    QString state; //!< "scheduled", "placing", "calling", "played", "noAnswer", ...
    int attempt = 0;
    QDateTime nextAt;
    QJsonObject outcome; //!< the last attempt's {action, code, subcode, message, ...}

    //! nullopt for an object without an id or a valid time.
    static std::optional<Reminder> fromJson(const QJsonObject &json);
    //! Waiting for its time (or a retry's): it can still be cancelled.
    bool isPending() const { return state == QLatin1StringView("scheduled"); }
};

//! The relay's reminders, one row each in the order given (the relay's: by time). Times are
//! shown in the local time zone. Models never fetch: the dialog's owner calls setReminders().
class RemindersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemindersModel)

public:
    enum Column {
        TimeColumn,
        PersonColumn,
        StateColumn,
        AttemptColumn,
        CreatedByColumn,
        SubjectColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1, PendingRole, UtcTimeRole };

    explicit RemindersModel(QObject *parent = nullptr);

    void setReminders(const QList<Reminder> &reminders);
    const QList<Reminder> &reminders() const { return m_reminders; }
    //! The row of reminder `id`, or -1.
    int rowOf(const QString &id) const;

    //! The state in words ("Waiting", "Played", "No answer", ...), with the last outcome's code.
    static QString stateText(const Reminder &reminder);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Reminder> m_reminders;
};

} // namespace Models

#include "remindersdialog.h"

#include "playpromptdialog.h"
#include "targetinput.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QTimeZone>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

RemindersDialog::RemindersDialog(QWidget *parent)
    : QDialog(parent)
    , m_model(new Models::RemindersModel(this))
    , m_view(new QTableView(this))
    , m_target(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_time(new QDateTimeEdit(this))
    , m_prompt(new QLineEdit(this))
    , m_subject(new QLineEdit(this))
    , m_create(new QPushButton(tr("C&reate reminder"), this))
    , m_cancel(new QPushButton(tr("&Cancel reminder"), this))
    , m_refresh(new QPushButton(tr("Re&fresh"), this))
    , m_problem(new QLabel(this))
{
    setObjectName(u"remindersDialog"_s);
    setWindowTitle(tr("Reminders"));
    setAccessibleName(tr("Reminders"));

    m_view->setObjectName(u"remindersView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Reminders"));

    m_target->setObjectName(u"reminderTarget"_s);
    m_target->setPlaceholderText(tr("+E.164 number, sign-in name or user id"));
    m_target->setAccessibleName(tr("Person to call"));
    m_name->setObjectName(u"reminderName"_s);
    m_name->setAccessibleName(tr("Name (optional)"));
    m_time->setObjectName(u"reminderTime"_s);
    m_time->setTimeSpec(Qt::LocalTime);
    m_time->setCalendarPopup(true);
    m_time->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_time->setDateTime(QDateTime::currentDateTime().addSecs(3600));
    m_time->setAccessibleName(tr("Time, in the local time zone"));
    m_prompt->setObjectName(u"reminderPrompt"_s);
    m_prompt->setPlaceholderText(tr("https://…/reminder.wav (empty: the relay's default)"));
    m_prompt->setAccessibleName(tr("Prompt address (optional)"));
    m_subject->setObjectName(u"reminderSubject"_s);
    m_subject->setAccessibleName(tr("Subject (optional)"));
    m_create->setObjectName(u"createReminder"_s);
    m_cancel->setObjectName(u"cancelReminder"_s);
    m_refresh->setObjectName(u"refreshReminders"_s);
    m_problem->setObjectName(u"reminderProblem"_s);
    m_problem->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Person:"), m_target);
    form->addRow(tr("&Name:"), m_name);
    const QString zone =
        QTimeZone::systemTimeZone().displayName(QDateTime::currentDateTime(), QTimeZone::ShortName);
    form->addRow(tr("&Time (%1):").arg(zone), m_time);
    form->addRow(tr("Pro&mpt:"), m_prompt);
    form->addRow(tr("&Subject:"), m_subject);
    form->addRow(m_problem);
    form->addRow(m_create);
    auto *group = new QGroupBox(tr("New reminder"), this);
    group->setLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_refresh, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(group);
    layout->addWidget(buttons);
    resize(720, 520);

    for (QLineEdit *edit : { m_target, m_name, m_prompt, m_subject })
        connect(edit, &QLineEdit::textChanged, this, &RemindersDialog::updateButtons);
    connect(m_time, &QDateTimeEdit::dateTimeChanged, this, &RemindersDialog::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &RemindersDialog::updateButtons);
    connect(m_create, &QPushButton::clicked, this, [this] {
        QString problem;
        if (const std::optional<QJsonObject> body = requestBody(&problem)) {
            Q_EMIT createRequested(*body);
            return;
        }
        showError(problem);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedId(); !id.isEmpty())
            Q_EMIT cancelRequested(id);
    });
    connect(m_refresh, &QPushButton::clicked, this, &RemindersDialog::refreshRequested);
    updateButtons();
}

RemindersDialog::~RemindersDialog() = default;

QDateTime RemindersDialog::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

std::optional<QJsonObject> RemindersDialog::requestBody(QString *problem) const
{
    const auto fail = [problem](const QString &why) -> std::optional<QJsonObject> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    if (m_target->text().trimmed().isEmpty())
        return fail(tr("Enter the person to call."));
    const ParsedTarget parsed = TargetParser::parse(m_target->text());
    if (!parsed.target)
        return fail(parsed.problem);
    const QDateTime at = m_time->dateTime().toUTC();
    if (at <= now())
        return fail(tr("Pick a time in the future."));
    QJsonObject body { { "target"_L1, parsed.target->id }, { "at"_L1, at.toString(Qt::ISODate) } };
    if (const QString prompt = m_prompt->text().trimmed(); !prompt.isEmpty()) {
        if (const QString why = PlayPromptDialog::problemWith(prompt); !why.isEmpty())
            return fail(why);
        body.insert("prompt"_L1, prompt);
    }
    if (const QString name = m_name->text().trimmed(); !name.isEmpty())
        body.insert("displayName"_L1, name);
    if (const QString subject = m_subject->text().trimmed(); !subject.isEmpty())
        body.insert("subject"_L1, subject);
    return body;
}

void RemindersDialog::setReminders(const QList<QJsonObject> &reminders)
{
    const QString selected = selectedId();
    QList<Models::Reminder> rows;
    for (const QJsonObject &json : reminders) {
        if (std::optional<Models::Reminder> r = Models::Reminder::fromJson(json))
            rows.append(*r);
    }
    m_model->setReminders(rows);
    if (const int row = m_model->rowOf(selected); row >= 0)
        m_view->selectRow(row);
    m_view->resizeColumnsToContents();
    updateButtons();
}

void RemindersDialog::showError(const QString &message)
{
    m_problem->setText(message);
}

void RemindersDialog::reminderCreated()
{
    m_target->clear();
    m_name->clear();
    m_subject->clear();
    m_problem->clear();
}

QString RemindersDialog::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.constFirst().data(Models::RemindersModel::IdRole).toString();
}

void RemindersDialog::updateButtons()
{
    QString problem;
    m_create->setEnabled(requestBody(&problem).has_value());
    m_create->setToolTip(problem);
    m_problem->clear();
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_cancel->setEnabled(
        !rows.isEmpty() && rows.constFirst().data(Models::RemindersModel::PendingRole).toBool());
}

QString RemindersDialog::describeEvent(const QJsonObject &f)
{
    const QString name = f.value("displayName"_L1).toString();
    const QString target = f.value("target"_L1).toString();
    const QString who = name.isEmpty() ? target : tr("%1 (%2)").arg(name, target);
    const QString action = f.value("action"_L1).toString();
    const int attempt = f.value("attempt"_L1).toInt();
    const QString by = f.value("by"_L1).toString();
    const QString code = f.value("code"_L1).toString();
    const QString message = f.value("message"_L1).toString();
    const QString requestId = f.value("requestId"_L1).toString();
    const bool last = f.value("final"_L1).toBool();
    const auto localTime = [&f] {
        const QDateTime at = QDateTime::fromString(f.value("at"_L1).toString(), Qt::ISODateWithMs);
        return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
    };
    QString detail = code;
    if (!message.isEmpty())
        detail = detail.isEmpty() ? message : tr("%1, %2").arg(detail, message);
    if (!requestId.isEmpty())
        detail = tr("%1, request-id %2").arg(detail, requestId);

    if (action == "created"_L1)
        return tr("%1 set a reminder for %2 at %3").arg(by, who, localTime());
    if (action == "cancelled"_L1)
        return tr("%1 cancelled the reminder for %2").arg(by, who);
    if (action == "placing"_L1)
        return tr("Reminder: calling %1 (attempt %2)").arg(who).arg(attempt);
    if (action == "played"_L1)
        return tr("Reminder: %1 answered and heard the reminder").arg(who);
    if (action == "noAnswer"_L1) {
        return last ? tr("Reminder: %1 did not answer; no attempts left").arg(who)
                    : tr("Reminder: %1 did not answer (attempt %2)").arg(who).arg(attempt);
    }
    if (action == "failed"_L1) {
        return last
            ? tr("Reminder: the call to %1 failed (%2); no attempts left").arg(who, detail)
            : tr("Reminder: the call to %1 failed (%2), attempt %3").arg(who, detail).arg(attempt);
    }
    if (action == "retrying"_L1)
        return tr("Reminder: %1 will be called again at %2").arg(who, localTime());
    if (action == "missed"_L1) {
        return tr("Reminder: the reminder for %1 at %2 was missed; the relay was down")
            .arg(who, localTime());
    }
    return tr("Reminder for %1: %2").arg(who, action);
}

} // namespace Gui

#include "meetingsdialog.h"

#include "models/meetingsmodel.h"
#include "ui/icons.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

MeetingsDialog::MeetingsDialog(Models::MeetingsModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
    , m_refresh(new QPushButton(tr("&Refresh"), this))
    , m_copy(new QPushButton(tr("Copy join &link"), this))
    , m_join(new QPushButton(Icons::icon(u"group-call"_s), tr("&Join with the bot"), this))
{
    setWindowTitle(tr("Meetings"));
    setAccessibleName(tr("Meetings"));
    setMinimumWidth(fontMetrics().averageCharWidth() * 90);

    auto *intro = new QLabel(tr("The meetings this console created. Refresh reads them again "
                                "from Graph."),
        this);
    intro->setWordWrap(true);
    m_view->setModel(model);
    m_view->setAccessibleName(tr("Meetings this console created"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(Models::MeetingsModel::SubjectColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(Models::MeetingsModel::StartColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(Models::MeetingsModel::EndColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(
        Models::MeetingsModel::OrganizerColumn, QHeaderView::ResizeToContents);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Last result"));
    m_refresh->setAccessibleName(tr("Refresh the meetings"));
    m_copy->setAccessibleName(tr("Copy the join link"));
    m_join->setAccessibleName(tr("The bot joins the selected meeting"));
    m_join->setToolTip(tr("The bot joins the meeting; the call shows in the queue as a group "
                          "call with its roster"));

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_refresh, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    buttons->addButton(m_join, QDialogButtonBox::ActionRole);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setAccessibleName(tr("Close"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_refresh, &QPushButton::clicked, this, &MeetingsDialog::refreshRequested);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (const int row = selectedRow(); row >= 0)
            QGuiApplication::clipboard()->setText(m_model->at(row).meeting.joinWebUrl);
    });
    connect(m_join, &QPushButton::clicked, this, [this] {
        if (const int row = selectedRow(); row >= 0)
            Q_EMIT joinRequested(m_model->at(row));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MeetingsDialog::updateButtons);
    connect(model, &QAbstractItemModel::modelReset, this, &MeetingsDialog::updateButtons);
    connect(model, &QAbstractItemModel::rowsInserted, this, &MeetingsDialog::updateButtons);
    updateButtons();
}

MeetingsDialog::~MeetingsDialog() = default;

bool MeetingsDialog::selectMeeting(const QString &meetingId)
{
    const int row = m_model->rowOf(meetingId);
    if (row < 0)
        return false;
    m_view->selectRow(row);
    return true;
}

void MeetingsDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString MeetingsDialog::status() const
{
    return m_status->text();
}

int MeetingsDialog::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.constFirst().row();
}

void MeetingsDialog::updateButtons()
{
    const bool selected = selectedRow() >= 0;
    m_copy->setEnabled(selected);
    m_join->setEnabled(selected);
    m_refresh->setEnabled(m_model->rowCount() > 0);
}

} // namespace Gui

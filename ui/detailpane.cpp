#include "detailpane.h"

#include "hintview.h"
#include "models/callsmodel.h"
#include "models/calltexts.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "textdelegate.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace Gui {

using Models::CallsModel;

DetailPane::DetailPane(Models::CallsModel *calls, Models::ParticipantsModel *participants,
    Models::TimelineModel *timeline, QWidget *parent)
    : QWidget(parent)
    , m_calls(calls)
    , m_participantsModel(participants)
    , m_timelineModel(timeline)
    , m_stack(new QStackedWidget(this))
    , m_caller(new QLabel(this))
    , m_number(new QLabel(this))
    , m_status(new QLabel(this))
    , m_freshness(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_participants(new HintTableView(this))
    , m_tones(new QLabel(this))
    , m_timeline(new HintListView(this))
{
    Q_ASSERT(m_calls && m_participantsModel && m_timelineModel);
    setAccessibleName(tr("Call details"));

    auto *hint = new QLabel(tr("Select a call in the queue to see who is on it, the keys the "
                               "caller pressed and what has happened so far."),
        this);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    hint->setMargin(24);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setAccessibleName(tr("No call selected"));

    QFont callerFont = m_caller->font();
    callerFont.setBold(true);
    callerFont.setPointSizeF(callerFont.pointSizeF() * 1.3);
    m_caller->setFont(callerFont);
    m_caller->setAccessibleName(tr("Caller"));
    m_number->setAccessibleName(tr("Caller's number"));
    m_number->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_status->setAccessibleName(tr("Call state"));
    m_freshness->setAccessibleName(tr("Last event"));
    for (QLabel *label : { m_caller, m_number, m_status, m_freshness })
        label->setTextFormat(Qt::PlainText);

    m_participants->setModel(m_participantsModel);
    m_participants->setItemDelegate(new TextDelegate(m_participants));
    m_participants->setAccessibleName(tr("Participants"));
    m_participants->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_participants->setSelectionMode(QAbstractItemView::SingleSelection);
    m_participants->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_participants->setTabKeyNavigation(false);
    m_participants->setShowGrid(false);
    m_participants->setWordWrap(false);
    m_participants->verticalHeader()->hide();
    m_participants->setSortingEnabled(false);
    m_participants->setEmptyText(tr("Nobody on the roster yet. It fills in once the call is "
                                    "answered."));
    // The name matters most: it gets a fair width of its own; the media streams, which only
    // a supervisor chasing a one-way-audio report reads, take what is left.
    using Model = Models::ParticipantsModel;
    QHeaderView *header = m_participants->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(Model::NameColumn,
        m_participants->fontMetrics().horizontalAdvance(u"Dr. Amelia Koch-Weber"_s));
    header->setSectionResizeMode(Model::MediaColumn, QHeaderView::Stretch);
    header->setStretchLastSection(false);
    // The kind, muted and lobby columns show one of a few words: each is sized once for them,
    // rather than refitted to a 250-person roster on every change of it (which also repainted
    // the whole table). Rarer, longer kinds ("application instance") are elided, and the
    // tooltip has them whole.
    const auto fit = [&](int column, const QStringList &texts) {
        int width = header->sectionSizeHint(column);
        for (const QString &text : texts)
            width = std::max(width,
                m_participants->fontMetrics().horizontalAdvance(text)
                    + 2 * m_participants->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 8);
        header->resizeSection(column, width);
    };
    using Kind = Graph::IdentitySet::Kind;
    QStringList kinds;
    for (const Kind kind : { Kind::User, Kind::Phone, Kind::Guest, Kind::Application })
        kinds << Models::CallTexts::identityKind(kind);
    fit(Model::KindColumn, kinds);
    fit(Model::MutedColumn, { Model::mutedText(), Models::CallTexts::none() });
    fit(Model::LobbyColumn, { Model::inLobbyText(), Models::CallTexts::none() });

    QFont tonesFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    tonesFont.setPointSizeF(tonesFont.pointSizeF() * 1.8);
    m_tones->setFont(tonesFont);
    m_tones->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_tones->setMargin(12);
    m_tones->setWordWrap(true);
    m_tones->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_tones->setAccessibleName(tr("Tones received"));
    auto *tonesPage = new QWidget(this);
    auto *tonesLayout = new QVBoxLayout(tonesPage);
    auto *tonesNote = new QLabel(
        tr("The keys the caller pressed (DTMF), in order. Collect digits to listen for them."),
        tonesPage);
    tonesNote->setWordWrap(true);
    tonesLayout->addWidget(tonesNote);
    tonesLayout->addWidget(m_tones, 1);

    m_timeline->setModel(m_timelineModel);
    m_timeline->setItemDelegate(new TextDelegate(m_timeline));
    m_timeline->setAccessibleName(tr("Timeline"));
    m_timeline->setUniformItemSizes(true);
    m_timeline->setWordWrap(false);
    m_timeline->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeline->setEmptyText(tr("Nothing has happened on this call yet."));

    //: Detail tab; Alt+1 shows it
    m_tabs->addTab(m_participants, tr("&Participants"));
    m_tabs->addTab(tonesPage, tr("T&ones"));
    m_tabs->addTab(m_timeline, tr("T&imeline"));
    m_tabs->setAccessibleName(tr("Call detail tabs"));

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_caller);
    layout->addWidget(m_number);
    layout->addWidget(m_status);
    layout->addWidget(m_freshness);
    layout->addWidget(m_tabs, 1);
    m_stack->addWidget(hint);
    m_stack->addWidget(page);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    connect(m_participants->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &DetailPane::participantSelectionChanged);
    // A roster update may change the selected participant (muted now) or remove it.
    connect(m_participantsModel, &QAbstractItemModel::dataChanged, this,
        &DetailPane::participantSelectionChanged);
    connect(m_participantsModel, &QAbstractItemModel::modelReset, this,
        &DetailPane::participantSelectionChanged);
    connect(m_timelineModel, &Models::TimelineModel::tonesChanged, this, &DetailPane::setTones);
    connect(m_timelineModel, &QAbstractItemModel::rowsInserted, this, [this] {
        // Follow new entries, unless the operator scrolled back to read older ones. The list
        // follows once it has laid itself out and its range has grown: scrollToBottom() now
        // would lay it out at once, for every entry.
        QScrollBar *bar = m_timeline->verticalScrollBar();
        if (bar->value() >= bar->maximum() - m_timeline->fontMetrics().height() * 2)
            m_followTimeline = true;
    });
    connect(
        m_timeline->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int maximum) {
            if (std::exchange(m_followTimeline, false))
                m_timeline->verticalScrollBar()->setValue(maximum);
        });
    setCallId({});
}

DetailPane::~DetailPane() = default;

void DetailPane::setCallId(const QString &callId)
{
    m_callId = callId;
    m_participantsModel->setCallId(callId);
    m_timelineModel->setCallId(callId);
    m_followTimeline = false;
    m_timeline->scrollToBottom();
    setTones(m_timelineModel->tones());
    refresh();
}

void DetailPane::refreshIfShown(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    const int row = m_callId.isEmpty() ? -1 : m_calls->rowOf(m_callId);
    if (row >= topLeft.row() && row <= bottomRight.row())
        refresh();
}

void DetailPane::refresh()
{
    const int row = m_callId.isEmpty() ? -1 : m_calls->rowOf(m_callId);
    m_stack->setCurrentIndex(row < 0 ? 0 : 1);
    if (row < 0)
        return;
    const auto cell = [this, row](int column, int role = Qt::DisplayRole) {
        return m_calls->index(row, column).data(role);
    };
    const QString name = cell(CallsModel::CallerColumn, CallsModel::CallerNameRole).toString();
    const QString number = cell(CallsModel::CallerColumn, CallsModel::CallerNumberRole).toString();
    m_caller->setText(name.isEmpty() ? cell(CallsModel::CallerColumn).toString() : name);
    m_number->setText(number);
    m_number->setVisible(!name.isEmpty() && !number.isEmpty());

    QStringList status { cell(CallsModel::StateColumn).toString() };
    if (const QString wait = cell(CallsModel::WaitColumn).toString();
        !wait.isEmpty() && wait != Models::CallTexts::none())
        status.append(wait);
    QString who = cell(CallsModel::CallerColumn, CallsModel::ClaimedByRole).toString();
    if (who.isEmpty())
        who = cell(CallsModel::CallerColumn, CallsModel::HandledByRole).toString();
    status.append(who.isEmpty() ? tr("not taken yet") : tr("handled by %1").arg(who));
    if (const QString ivr = cell(CallsModel::CallerColumn, CallsModel::IvrTextRole).toString();
        !ivr.isEmpty())
        status.append(ivr);
    //: Separates the parts of the call's status line: "Established · 02:41 · handled by alice"
    m_status->setText(status.join(tr(" · ")));

    QString freshness = cell(CallsModel::FreshnessColumn).toString();
    if (cell(CallsModel::CallerColumn, CallsModel::IsStaleRole).toBool())
        freshness = tr("%1 (stale: the relay is checking the call)").arg(freshness);
    m_freshness->setText(freshness);
}

QTableView *DetailPane::participantsView() const
{
    return m_participants;
}

QModelIndex DetailPane::selectedParticipant() const
{
    const QModelIndexList rows = m_participants->selectionModel()->selectedRows();
    return rows.isEmpty() ? QModelIndex() : rows.constFirst();
}

void DetailPane::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
    m_tabs->currentWidget()->setFocus(Qt::ShortcutFocusReason);
}

QString DetailPane::headerText() const
{
    if (m_stack->currentIndex() == 0)
        return {};
    QStringList lines { m_caller->text() };
    if (m_number->isVisibleTo(this))
        lines.append(m_number->text());
    lines.append(m_status->text());
    lines.append(m_freshness->text());
    return lines.join(u'\n');
}

void DetailPane::setTones(const QString &tones)
{
    if (tones.isEmpty()) {
        m_tones->setText(tr("No keys pressed yet"));
        m_tones->setForegroundRole(QPalette::PlaceholderText);
        return;
    }
    m_tones->setForegroundRole(QPalette::WindowText);
    // Spaced out, so that "11#" reads as three keys.
    QString spaced;
    for (const QChar c : tones) {
        if (!spaced.isEmpty())
            spaced.append(u' ');
        spaced.append(c);
    }
    m_tones->setText(spaced);
}

} // namespace Gui

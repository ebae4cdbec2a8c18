#include "mainwindow.h"

#include "consoleactions.h"
#include "detailpane.h"
#include "dialogs/invitedialog.h"
#include "dialogs/playpromptdialog.h"
#include "dialogs/redirectdialog.h"
#include "dialogs/transferdialog.h"
#include "eventlog.h"
#include "graph/ids.h"
#include "icons.h"
#include "models/callfilterproxy.h"
#include "models/callsmodel.h"
#include "models/callstore.h"
#include "models/participantsmodel.h"
#include "models/timelinemodel.h"
#include "noticebar.h"
#include "outboundflow.h"
#include "paintpacer.h"
#include "queuepane.h"
#include "resulttexts.h"
#include "sandboxbanner.h"
#include "shortcutsdialog.h"
#include "statuspanel.h"

#include <QAction>
#include <QDataStream>
#include <QDockWidget>
#include <QHash>
#include <QHeaderView>
#include <QIODevice>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <optional>

using namespace Qt::StringLiterals;

namespace Gui {

using Job = ConsoleActions::Job;
using Models::CallsModel;

namespace {

constexpr quint32 LayoutMagic = 0x46444c59; // "FDLY"
constexpr quint32 LayoutVersion = 1;

QString dialogKey(Job job, const QString &callId)
{
    return ConsoleActions::key(job) + u'\n' + Graph::normalizeId(callId);
}

} // namespace

struct MainWindow::Private
{
    MainWindow *q;
    WindowModels models;
    ConsoleActions *actions = nullptr;
    QMenuBar *menuBar = nullptr;
    QWidget *sandbox = nullptr;
    NoticeBar *notice = nullptr;
    QToolBar *toolBar = nullptr;
    QueuePane *queue = nullptr;
    DetailPane *detail = nullptr;
    QDockWidget *detailDock = nullptr;
    QDockWidget *logDock = nullptr;
    EventLog *log = nullptr;
    StatusPanel *status = nullptr;
    OutboundFlow *outbound = nullptr;
    QString operatorName;
    QString role;
    std::optional<ConnectionStatus> connection;
    // Dialogs whose request is out or failed, by job and call: pressing the action again
    // brings back what was typed.
    QHash<QString, QPointer<ActionDialog>> dialogs;

    void buildTop();
    void buildToolBar();
    void buildDocks();
    void buildMenus();
    void connectParts();

    ActionContext contextFor(const QString &callId) const;
    void refreshActions();
    QString callerText(const QString &callId) const;
    void dispatch(Job job);
    void openDialog(Job job, const QString &callId);
    ActionDialog *createDialog(Job job, const QString &callId);
    void submit(Job job, const QString &callId, ActionDialog *dialog);
    void dropDialogs(const QString &callId);
};

void MainWindow::Private::buildTop()
{
    // The menu bar, the sandbox banner and the notice bar span the whole window above the
    // toolbar and the docks, so that neither can be torn off or hidden with a pane.
    auto *top = new QWidget(q);
    auto *layout = new QVBoxLayout(top);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    menuBar = new QMenuBar(top);
    layout->addWidget(menuBar);

    sandbox = new SandboxBanner(top);
    sandbox->hide();
    layout->addWidget(sandbox);

    notice = new NoticeBar(top);
    layout->addWidget(notice);
    q->setMenuWidget(top);
}

void MainWindow::Private::buildToolBar()
{
    toolBar = new QToolBar(MainWindow::tr("Call actions"), q);
    toolBar->setObjectName(u"callToolBar"_s);
    toolBar->setAccessibleName(MainWindow::tr("Call actions"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const QList<QList<Job>> groups {
        { Job::Answer, Job::Reject, Job::RejectAsSpam, Job::Redirect },
        { Job::Transfer, Job::HangUp },
        { Job::PlayPrompt, Job::CollectDigits, Job::Invite },
        { Job::MuteParticipant },
        { Job::Claim, Job::Release },
        { Job::NewMeeting },
    };
    for (const QList<Job> &group : groups) {
        if (!toolBar->actions().isEmpty())
            toolBar->addSeparator();
        for (const Job job : group) {
            QAction *action = actions->action(job);
            toolBar->addAction(action);
            QWidget *button = toolBar->widgetForAction(action);
            button->setAccessibleName(ConsoleActions::accessibleName(action));
            button->setAccessibleDescription(action->toolTip());
            // The reason a button is disabled must reach assistive technology too.
            QObject::connect(action, &QAction::changed, button,
                [button, action] { button->setAccessibleDescription(action->toolTip()); });
        }
    }
    q->addToolBar(Qt::TopToolBarArea, toolBar);
}

void MainWindow::Private::buildDocks()
{
    queue = new QueuePane(models.queue, q);
    q->setCentralWidget(queue);

    detail = new DetailPane(models.calls, models.participants, models.timeline, q);
    detailDock = new QDockWidget(MainWindow::tr("Call details"), q);
    detailDock->setObjectName(u"detailDock"_s);
    detailDock->setAccessibleName(MainWindow::tr("Call details"));
    detailDock->setWidget(detail);
    q->addDockWidget(Qt::RightDockWidgetArea, detailDock);

    log = new EventLog(q);
    logDock = new QDockWidget(MainWindow::tr("Event log"), q);
    logDock->setObjectName(u"eventLogDock"_s);
    logDock->setAccessibleName(MainWindow::tr("Event log"));
    logDock->setWidget(log);
    q->setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    q->setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    q->addDockWidget(Qt::BottomDockWidgetArea, logDock);

    // At 1280×800 the queue keeps most of the width, the details a third, the log five lines.
    const int line = q->fontMetrics().height();
    q->resizeDocks({ detailDock }, { line * 32 }, Qt::Horizontal);
    q->resizeDocks({ logDock }, { line * 7 }, Qt::Vertical);

    status = new StatusPanel(q);
    q->statusBar()->addWidget(status, 1);
    q->statusBar()->setSizeGripEnabled(true);

    QWidget::setTabOrder(queue->view(), detail->tabs());
    QWidget::setTabOrder(detail->tabs(), detail->participantsView());
    QWidget::setTabOrder(detail->participantsView(), log);
}

void MainWindow::Private::buildMenus()
{
    QMenu *console = menuBar->addMenu(MainWindow::tr("&Console"));
    console->addAction(actions->action(Job::Settings));
    auto *reminders = console->addAction(MainWindow::tr("&Reminders…"));
    reminders->setObjectName(u"actionReminders"_s);
    reminders->setShortcut(QKeySequence(Qt::ControlModifier | Qt::ShiftModifier | Qt::Key_R));
    reminders->setStatusTip(
        MainWindow::tr("Calls the relay places at a set time to play a reminder prompt"));
    reminders->setProperty("frontdeskAccessibleName", MainWindow::tr("Open reminders"));
    QObject::connect(reminders, &QAction::triggered, q, &MainWindow::remindersRequested);

    QMenu *call = menuBar->addMenu(MainWindow::tr("C&all"));
    for (const Job job : ConsoleActions::callJobs()) {
        if (job == Job::Transfer || job == Job::PlayPrompt || job == Job::MuteParticipant
            || job == Job::Claim)
            call->addSeparator();
        call->addAction(actions->action(job));
    }
    call->addSeparator();
    call->addAction(actions->action(Job::PlaceCall));
    call->addAction(actions->action(Job::GroupCall));

    QMenu *meetings = menuBar->addMenu(MainWindow::tr("&Meetings"));
    meetings->addAction(actions->action(Job::NewMeeting));
    meetings->addAction(actions->action(Job::Meetings));

    QMenu *view = menuBar->addMenu(MainWindow::tr("&View"));
    auto *filter = view->addAction(MainWindow::tr("&Filter calls"));
    filter->setObjectName(u"actionFilter"_s);
    filter->setShortcut(QKeySequence(Qt::ControlModifier | Qt::Key_F));
    filter->setStatusTip(MainWindow::tr("Type to filter the queue; Escape clears the filter"));
    QObject::connect(filter, &QAction::triggered, q, [this] { queue->focusFilter(); });
    auto *toQueue = view->addAction(MainWindow::tr("Go to the &queue"));
    toQueue->setObjectName(u"actionQueue"_s);
    toQueue->setShortcut(QKeySequence(Qt::AltModifier | Qt::Key_0));
    toQueue->setStatusTip(MainWindow::tr("Move the keyboard focus to the call queue"));
    QObject::connect(toQueue, &QAction::triggered, q, [this] { queue->focusQueue(); });
    const std::pair<DetailPane::Tab, QString> tabs[] = {
        { DetailPane::ParticipantsTab, MainWindow::tr("&Participants") },
        { DetailPane::TonesTab, MainWindow::tr("T&ones") },
        { DetailPane::TimelineTab, MainWindow::tr("T&imeline") },
    };
    for (const auto &[tab, text] : tabs) {
        auto *action = view->addAction(text);
        action->setObjectName(u"actionTab%1"_s.arg(int(tab) + 1));
        action->setShortcut(QKeySequence(Qt::AltModifier | Qt::Key(Qt::Key_1 + int(tab))));
        action->setStatusTip(
            MainWindow::tr("Show the selected call's %1 tab").arg(QString(text).remove(u'&')));
        QObject::connect(action, &QAction::triggered, q, [this, tab] {
            detailDock->show();
            detail->showTab(tab);
        });
    }
    view->addSeparator();
    view->addAction(detailDock->toggleViewAction());
    view->addAction(logDock->toggleViewAction());
    view->addAction(toolBar->toggleViewAction());

    QMenu *help = menuBar->addMenu(MainWindow::tr("&Help"));
    help->addAction(actions->action(Job::KeyboardShortcuts));

    // Window-wide shortcuts: they must work whichever pane has the focus.
    q->addActions(actions->actions());
    q->addActions(view->actions());
    q->addAction(reminders);
}

void MainWindow::Private::connectParts()
{
    QObject::connect(actions, &ConsoleActions::triggered, q, [this](Job job) { dispatch(job); });
    QObject::connect(queue, &QueuePane::selectedCallChanged, q, [this](const QString &callId) {
        // An emptied selection (the call left the queue) keeps the details on screen, so the
        // operator still sees how the call ended; only the actions stop.
        if (!callId.isEmpty())
            detail->setCallId(callId);
        refreshActions();
    });
    QObject::connect(queue, &QueuePane::selectedCallUpdated, q, [this] { refreshActions(); });
    QObject::connect(
        detail, &DetailPane::participantSelectionChanged, q, [this] { refreshActions(); });
    QObject::connect(
        models.calls, &QAbstractItemModel::dataChanged, detail, &DetailPane::refreshIfShown);
    QObject::connect(models.calls, &QAbstractItemModel::rowsRemoved, detail, &DetailPane::refresh);
    QObject::connect(models.calls, &QAbstractItemModel::modelReset, detail, &DetailPane::refresh);
    QObject::connect(models.store, &Models::CallStore::callRemoved, q,
        [this](const QString &callId) { dropDialogs(callId); });
}

ActionContext MainWindow::Private::contextFor(const QString &callId) const
{
    const int row = callId.isEmpty() ? -1 : models.calls->rowOf(callId);
    ActionContext context =
        ActionContext::forCall(row < 0 ? QModelIndex() : models.calls->index(row, 0));
    context.operatorName = operatorName;
    context.role = role;
    if (!context.callId.isEmpty() && Graph::sameId(detail->callId(), context.callId))
        context.setParticipant(detail->selectedParticipant());
    return context;
}

void MainWindow::Private::refreshActions()
{
    actions->setContext(contextFor(queue->selectedCallId()));
}

QString MainWindow::Private::callerText(const QString &callId) const
{
    const int row = callId.isEmpty() ? -1 : models.calls->rowOf(callId);
    if (row < 0)
        return callId.isEmpty() ? QString() : MainWindow::tr("call %1").arg(callId.left(8));
    return models.calls->index(row, CallsModel::CallerColumn).data().toString();
}

void MainWindow::Private::dispatch(Job job)
{
    const QString callId = queue->selectedCallId();
    // A shortcut can race a state change; the rules decide at the moment of the key.
    if (!ConsoleActions::blocker(job, contextFor(callId)).isEmpty())
        return;
    switch (job) {
    case Job::Answer:
        Q_EMIT q->answerRequested(callId);
        break;
    case Job::Reject:
        Q_EMIT q->rejectRequested(callId);
        break;
    case Job::RejectAsSpam:
        Q_EMIT q->rejectAsSpamRequested(callId);
        break;
    case Job::HangUp:
        Q_EMIT q->hangUpRequested(callId);
        break;
    case Job::CollectDigits:
        Q_EMIT q->collectDigitsRequested(callId);
        break;
    case Job::MuteParticipant:
        Q_EMIT q->muteParticipantRequested(callId, contextFor(callId).participantId);
        break;
    case Job::Claim:
        Q_EMIT q->claimRequested(callId);
        break;
    case Job::Release:
        Q_EMIT q->releaseRequested(callId);
        break;
    case Job::Redirect:
    case Job::Transfer:
    case Job::PlayPrompt:
    case Job::Invite:
        openDialog(job, callId);
        break;
    case Job::PlaceCall:
        outbound->openCall();
        break;
    case Job::GroupCall:
        outbound->openGroupCall();
        break;
    case Job::NewMeeting:
        outbound->openNewMeeting();
        break;
    case Job::Meetings:
        outbound->openMeetings();
        break;
    case Job::Settings:
        Q_EMIT q->settingsRequested();
        break;
    case Job::KeyboardShortcuts: {
        QList<QAction *> list = actions->actions();
        for (QAction *action : q->actions()) {
            if (!list.contains(action))
                list.append(action);
        }
        auto *dialog = new ShortcutsDialog(list, q);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
        break;
    }
    }
}

void MainWindow::Private::openDialog(Job job, const QString &callId)
{
    QPointer<ActionDialog> &dialog = dialogs[dialogKey(job, callId)];
    if (!dialog)
        dialog = createDialog(job, callId);
    dialog->open();
    dialog->raise();
    dialog->activateWindow();
}

ActionDialog *MainWindow::Private::createDialog(Job job, const QString &callId)
{
    const QString caller = callerText(callId);
    ActionDialog *dialog = nullptr;
    switch (job) {
    case Job::Redirect:
        dialog = new RedirectDialog(caller, q);
        break;
    case Job::Transfer:
        dialog = new TransferDialog(models.store, callId, caller, q);
        break;
    case Job::PlayPrompt:
        dialog = new PlayPromptDialog(caller, q);
        break;
    default:
        dialog = new InviteDialog(caller, q);
        break;
    }
    const QString key = dialogKey(job, callId);
    QObject::connect(dialog, &QDialog::accepted, q,
        [this, job, callId, dialog] { submit(job, callId, dialog); });
    QObject::connect(dialog, &QDialog::rejected, q, [this, key] {
        // Cancelled: what was typed goes with it.
        if (ActionDialog *gone = dialogs.take(key))
            gone->deleteLater();
    });
    return dialog;
}

void MainWindow::Private::submit(Job job, const QString &callId, ActionDialog *dialog)
{
    // The call may have moved on while the dialog was open (the relay answered it, say).
    if (const QString reason = ConsoleActions::blocker(job, contextFor(callId));
        !reason.isEmpty()) {
        ActionResult notSent { callId, ConsoleActions::key(job), false, 0, {},
            MainWindow::tr("Not sent: %1").arg(reason), {} };
        dialog->showError(notSent);
        log->append(ResultTexts::line(notSent, callerText(callId)));
        return;
    }
    switch (job) {
    case Job::Redirect:
        Q_EMIT q->redirectRequested(callId, static_cast<RedirectDialog *>(dialog)->request());
        break;
    case Job::Transfer:
        Q_EMIT q->transferRequested(callId, static_cast<TransferDialog *>(dialog)->request());
        break;
    case Job::PlayPrompt:
        Q_EMIT q->playPromptRequested(callId, static_cast<PlayPromptDialog *>(dialog)->prompt());
        break;
    case Job::Invite:
        Q_EMIT q->inviteRequested(callId, static_cast<InviteDialog *>(dialog)->request());
        break;
    default:
        break;
    }
}

void MainWindow::Private::dropDialogs(const QString &callId)
{
    const QString suffix = u'\n' + Graph::normalizeId(callId);
    for (auto it = dialogs.begin(); it != dialogs.end();) {
        if (it.key().endsWith(suffix)) {
            if (it.value())
                it.value()->deleteLater();
            it = dialogs.erase(it);
        } else {
            ++it;
        }
    }
}

// ---- MainWindow ---------------------------------------------------------------------------------

MainWindow::MainWindow(WindowModels models, QWidget *parent)
    : QMainWindow(parent)
    , d(std::make_unique<Private>())
{
    Q_ASSERT(
        models.store && models.calls && models.queue && models.participants && models.timeline);
    d->q = this;
    d->models = models;
    if (!d->models.queue->sourceModel())
        d->models.queue->setSourceModel(d->models.calls);
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Frontdesk"));
    setAccessibleName(tr("Frontdesk"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks);

    d->actions = new ConsoleActions(this);
    d->outbound = new OutboundFlow(d->models.store, d->models.meetings, this);
    d->buildTop();
    d->buildToolBar();
    d->buildDocks();
    d->buildMenus();
    d->connectParts();
    d->refreshActions();
    resize(1280, 800);
    d->queue->focusQueue();
    // A busy stream changes rows hundreds of times a second; paint them at a steady rate.
    new PaintPacer(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::setOperator(const QString &name, const QString &role)
{
    d->operatorName = name;
    d->role = role;
    //: Window title: the console and who is at it, "Frontdesk — alice (operator)"
    setWindowTitle(tr("Frontdesk — %1 (%2)").arg(name, StatusPanel::roleText(role)));
    d->status->setOperator(name, role);
    d->refreshActions();
}

void MainWindow::setSandboxMode(bool sandbox)
{
    d->sandbox->setVisible(sandbox);
}

void MainWindow::setConnectionStatus(ConnectionStatus status, int retryInSeconds)
{
    d->status->setConnection(status, retryInSeconds);
    if (d->connection == status)
        return;
    d->connection = status;
    d->log->append(StatusPanel::connectionText(status, retryInSeconds));
}

void MainWindow::setSeq(qint64 seq)
{
    d->status->setSeq(seq);
}

void MainWindow::setEventLatency(std::chrono::milliseconds p95)
{
    d->status->setLatency(p95);
}

void MainWindow::showActionResult(const ActionResult &result)
{
    const QString caller = d->callerText(result.callId);
    d->log->append(ResultTexts::line(result, caller));
    if (!result.ok)
        d->notice->showFailure(result, caller);
    if (d->outbound->handle(result))
        return;

    const auto job = ConsoleActions::jobForKey(result.action);
    if (!job)
        return;
    const QString key = dialogKey(*job, result.callId);
    const auto it = d->dialogs.find(key);
    if (it == d->dialogs.end())
        return;
    if (!it.value()) {
        d->dialogs.erase(it);
    } else if (result.ok) {
        it.value()->deleteLater();
        d->dialogs.erase(it);
    } else {
        // Kept, with the error in it: the action's key brings it back as it was typed.
        it.value()->showError(result);
    }
}

void MainWindow::appendLog(const QString &line)
{
    d->log->append(line);
}

QString MainWindow::selectedCallId() const
{
    return d->queue->selectedCallId();
}

void MainWindow::selectCall(const QString &callId)
{
    d->queue->selectCall(callId);
}

QByteArray MainWindow::saveLayout() const
{
    QByteArray layout;
    QDataStream out(&layout, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << LayoutMagic << LayoutVersion << saveGeometry() << saveState(int(LayoutVersion))
        << d->queue->view()->horizontalHeader()->saveState();
    return layout;
}

bool MainWindow::restoreLayout(const QByteArray &layout)
{
    QDataStream in(layout);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    quint32 version = 0;
    QByteArray geometry;
    QByteArray state;
    QByteArray header;
    in >> magic >> version >> geometry >> state >> header;
    if (in.status() != QDataStream::Ok || magic != LayoutMagic || version != LayoutVersion)
        return false;
    const bool restored = restoreGeometry(geometry) && restoreState(state, int(LayoutVersion));
    d->queue->view()->horizontalHeader()->restoreState(header);
    return restored;
}

ConsoleActions *MainWindow::consoleActions() const
{
    return d->actions;
}

QueuePane *MainWindow::queuePane() const
{
    return d->queue;
}

DetailPane *MainWindow::detailPane() const
{
    return d->detail;
}

NoticeBar *MainWindow::noticeBar() const
{
    return d->notice;
}

EventLog *MainWindow::eventLog() const
{
    return d->log;
}

StatusPanel *MainWindow::statusPanel() const
{
    return d->status;
}

QWidget *MainWindow::sandboxBanner() const
{
    return d->sandbox;
}

OutboundFlow *MainWindow::outboundFlow() const
{
    return d->outbound;
}

} // namespace Gui

#include "transferdialog.h"

#include "graph/ids.h"
#include "models/callstore.h"
#include "models/calltexts.h"
#include "targetinput.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {

// Who to transfer to in a consultative transfer: the other party of the consultation call.
CallTarget consultationTarget(const Graph::Call &call)
{
    const Graph::IdentitySet who = Models::CallTexts::counterpart(call);
    CallTarget target;
    target.displayName = who.displayName();
    if (const QString number = who.phoneNumber(); !number.isEmpty()) {
        target.kind = CallTarget::Kind::Phone;
        target.id = number;
    } else if (const auto primary = who.primary()) {
        target.kind = CallTarget::Kind::User;
        target.id = primary->second.id;
    }
    return target;
}

} // namespace

TransferDialog::TransferDialog(const Models::CallStore *store, const QString &callId,
    const QString &callerText, QWidget *parent)
    : ActionDialog(tr("Transfer %1").arg(callerText), tr("&Transfer"), parent)
    , m_store(store)
    , m_callId(callId)
    , m_blind(new QRadioButton(tr("&Blind: to a person or number"), this))
    , m_consultative(new QRadioButton(tr("&Consultative: to the party of another call"), this))
    , m_target(new QLineEdit(this))
    , m_consultation(new QComboBox(this))
{
    Q_ASSERT(m_store);
    auto *group = new QButtonGroup(this);
    group->addButton(m_blind);
    group->addButton(m_consultative);
    m_blind->setAccessibleName(tr("Blind transfer"));
    m_consultative->setAccessibleName(tr("Consultative transfer"));
    m_target->setPlaceholderText(tr("anna@contoso.com, an object id or +44 20 7946 0000"));
    m_target->setAccessibleName(tr("Transfer target"));
    m_target->setClearButtonEnabled(true);
    m_consultation->setAccessibleName(tr("Consultation call"));

    auto *form = new QFormLayout;
    form->addRow(m_blind);
    form->addRow(tr("T&arget:"), m_target);
    form->addRow(m_consultative);
    form->addRow(tr("C&all:"), m_consultation);
    body()->addLayout(form);

    fillConsultations();
    m_blind->setChecked(true);
    connect(m_blind, &QRadioButton::toggled, this, [this] { validate(); });
    connect(m_target, &QLineEdit::textChanged, this, &TransferDialog::validate);
    connect(m_consultation, &QComboBox::currentIndexChanged, this, &TransferDialog::validate);
    validate();
}

TransferDialog::~TransferDialog() = default;

void TransferDialog::setMode(Mode mode)
{
    // Without another established call there is nothing to consult: the choice stays blind.
    if (mode == Mode::Consultative && !m_consultative->isEnabled())
        return;
    (mode == Mode::Blind ? m_blind : m_consultative)->setChecked(true);
}

TransferDialog::Mode TransferDialog::mode() const
{
    return m_consultative->isChecked() ? Mode::Consultative : Mode::Blind;
}

QStringList TransferDialog::consultationCallIds() const
{
    QStringList ids;
    for (const QString &id : m_store->ids()) {
        const Graph::CallEntry *entry = m_store->entry(id);
        if (!entry || entry->isEnded() || Graph::sameId(id, m_callId)
            || entry->call.state != Graph::CallState::Established)
            continue;
        ids.append(entry->call.id);
    }
    return ids;
}

TransferRequest TransferDialog::request() const
{
    TransferRequest request;
    if (mode() == Mode::Blind) {
        if (const ParsedTarget parsed = TargetParser::parse(m_target->text()); parsed.target)
            request.target = *parsed.target;
        return request;
    }
    const QString replaces = m_consultation->currentData().toString();
    if (const Graph::CallEntry *entry = m_store->entry(replaces)) {
        request.target = consultationTarget(entry->call);
        request.replacesCallId = entry->call.id;
    }
    return request;
}

void TransferDialog::fillConsultations()
{
    m_consultation->clear();
    for (const QString &id : consultationCallIds()) {
        const Graph::CallEntry *entry = m_store->entry(id);
        const QString caller = Models::CallTexts::callerText(entry->call);
        const QString number = Models::CallTexts::callerNumber(entry->call);
        const bool named = !Models::CallTexts::callerName(entry->call).isEmpty();
        m_consultation->addItem(
            named && !number.isEmpty() ? tr("%1, %2").arg(caller, number) : caller, id);
    }
    const bool any = m_consultation->count() > 0;
    m_consultative->setEnabled(any);
    m_consultative->setToolTip(
        any ? QString() : tr("There is no other established call to transfer to"));
    if (!any) {
        m_consultation->addItem(tr("No other established call"));
        m_consultation->setEnabled(false);
    }
}

void TransferDialog::validate()
{
    const bool blind = mode() == Mode::Blind;
    m_target->setEnabled(blind);
    m_consultation->setEnabled(!blind && m_consultative->isEnabled());
    if (blind) {
        const QString text = m_target->text();
        setProblem(text.trimmed().isEmpty() ? tr("Enter who to transfer the call to")
                                            : TargetParser::parse(text).problem);
        return;
    }
    const QString replaces = m_consultation->currentData().toString();
    const Graph::CallEntry *entry = m_store->entry(replaces);
    if (!entry || entry->isEnded()) {
        setProblem(tr("Choose the consultation call"));
        return;
    }
    setProblem(consultationTarget(entry->call).id.isEmpty()
            ? tr("The consultation call's other party has no id Graph can transfer to")
            : QString());
}

} // namespace Gui

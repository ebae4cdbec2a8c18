#include "targetinput.h"

#include "ui/icons.h"

#include <QAction>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {

constexpr char ValidityActionProperty[] = "frontdeskValidity";

bool isPhonePunctuation(QChar c)
{
    return c == u' ' || c == u'-' || c == u'.' || c == u'(' || c == u')';
}

// Digits and a phone number's punctuation, perhaps after a '+': someone typing a number.
bool looksLikeNumber(const QString &text)
{
    bool digit = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isDigit())
            digit = true;
        else if (!(isPhonePunctuation(c) || (c == u'+' && i == 0)))
            return false;
    }
    return digit;
}

} // namespace

ParsedTarget TargetParser::parse(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return { std::nullopt, tr("Enter a sign-in name, an object id or a phone number") };

    if (looksLikeNumber(text)) {
        if (!text.startsWith(u'+'))
            return { std::nullopt,
                tr("Write the number with its country code, starting with + "
                   "(+44 20 7946 0000)") };
        QString digits;
        for (const QChar c : text) {
            if (c.isDigit())
                digits.append(c);
        }
        // E.164: a country code that does not start with 0, and at most 15 digits in all.
        if (digits.startsWith(u'0'))
            return { std::nullopt, tr("A country code never starts with 0") };
        if (digits.size() < 7)
            return { std::nullopt, tr("Too short for a phone number with its country code") };
        if (digits.size() > 15)
            return { std::nullopt, tr("A phone number has at most 15 digits") };
        return { CallTarget { CallTarget::Kind::Phone, u'+' + digits, {} }, {} };
    }

    static const QRegularExpression guid(
        u"^\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\}?$"_s);
    if (const auto match = guid.match(text); match.hasMatch())
        return { CallTarget { CallTarget::Kind::User, match.captured(1).toLower(), {} }, {} };

    if (text.contains(u'@')) {
        static const QRegularExpression upn(
            u"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$"_s);
        if (!upn.match(text).hasMatch())
            return { std::nullopt,
                tr("“%1” is not a sign-in name like anna@contoso.com").arg(text) };
        return { CallTarget { CallTarget::Kind::User, text, {} }, {} };
    }
    return { std::nullopt,
        tr("Enter a sign-in name (anna@contoso.com), an Entra object id, or a phone number "
           "starting with +") };
}

// ---- TargetListEdit -------------------------------------------------------------------------

TargetListEdit::TargetListEdit(int maxTargets, QWidget *parent)
    : QWidget(parent)
    , m_max(std::max(1, maxTargets))
    , m_rows(new QVBoxLayout)
    , m_add(new QPushButton(Icons::icon(u"add"_s), tr("&Add target"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_rows->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_rows);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_add->setAccessibleName(tr("Add target"));
    m_add->setToolTip(tr("Add another line (at most %n targets)", "", m_max));
    m_add->setVisible(m_max > 1);
    connect(m_add, &QPushButton::clicked, this, [this] {
        addLine();
        m_lines.constLast()->setFocus();
    });
    addLine();
}

TargetListEdit::~TargetListEdit() = default;

void TargetListEdit::setTexts(const QStringList &texts)
{
    while (m_lines.size() < std::min<qsizetype>(std::max<qsizetype>(texts.size(), 1), m_max))
        addLine();
    while (m_lines.size() > std::max<qsizetype>(texts.size(), 1))
        removeLine(m_lines.constLast()->parentWidget());
    for (qsizetype i = 0; i < m_lines.size(); ++i)
        m_lines.at(i)->setText(i < texts.size() ? texts.at(i) : QString());
    Q_EMIT changed();
}

QStringList TargetListEdit::texts() const
{
    QStringList out;
    for (const QLineEdit *edit : m_lines)
        out.append(edit->text());
    return out;
}

QLineEdit *TargetListEdit::lineEdit(int line) const
{
    return m_lines.value(line);
}

QList<CallTarget> TargetListEdit::targets() const
{
    QList<CallTarget> out;
    for (const QLineEdit *edit : m_lines) {
        if (const ParsedTarget parsed = TargetParser::parse(edit->text()); parsed.target)
            out.append(*parsed.target);
    }
    return out;
}

QString TargetListEdit::problem() const
{
    QSet<QString> seen;
    int filled = 0;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        const QString text = m_lines.at(i)->text();
        if (text.trimmed().isEmpty())
            continue;
        ++filled;
        const ParsedTarget parsed = TargetParser::parse(text);
        if (!parsed.target) {
            if (m_lines.size() == 1)
                return parsed.problem;
            //: A problem with one line of several: "Target 2: ..."
            return tr("Target %1: %2").arg(QString::number(i + 1), parsed.problem);
        }
        const QString key = parsed.target->id.toCaseFolded();
        if (seen.contains(key))
            return tr("Target %1 repeats an earlier one").arg(i + 1);
        seen.insert(key);
    }
    if (filled == 0)
        return m_max > 1 ? tr("Enter at least one target") : tr("Enter a target");
    if (filled > m_max)
        return tr("At most %n targets", "", m_max);
    return {};
}

void TargetListEdit::addLine()
{
    if (m_lines.size() >= m_max)
        return;
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(row);
    edit->setPlaceholderText(tr("anna@contoso.com, an object id or +44 20 7946 0000"));
    edit->setClearButtonEnabled(true);
    // The validity icon sits inside the line, so that each line says for itself what is wrong.
    QAction *validity = edit->addAction(Icons::icon(u"invalid"_s), QLineEdit::TrailingPosition);
    validity->setVisible(false);
    edit->setProperty(
        ValidityActionProperty, QVariant::fromValue(static_cast<QObject *>(validity)));
    auto *remove = new QToolButton(row);
    remove->setIcon(Icons::icon(u"remove"_s));
    remove->setAutoRaise(true);
    layout->addWidget(edit, 1);
    layout->addWidget(remove);
    m_rows->addWidget(row);
    m_lines.append(edit);
    if (m_completer)
        edit->setCompleter(m_completer);

    connect(edit, &QLineEdit::textChanged, this, [this, edit] {
        check(edit);
        Q_EMIT changed();
    });
    connect(remove, &QToolButton::clicked, this, [this, row] { removeLine(row); });
    renumber();
    check(edit);
    Q_EMIT changed();
}

void TargetListEdit::setCompletions(const QStringList &completions)
{
    if (!m_completer) {
        m_completer = new QCompleter(this);
        m_completer->setCaseSensitivity(Qt::CaseInsensitive);
        m_completer->setFilterMode(Qt::MatchContains);
    }
    m_completer->setModel(new QStringListModel(completions, m_completer));
    for (QLineEdit *edit : std::as_const(m_lines))
        edit->setCompleter(m_completer);
}

void TargetListEdit::removeLine(QWidget *row)
{
    if (m_lines.size() <= 1) {
        m_lines.constFirst()->clear();
        return;
    }
    const auto it = std::find_if(m_lines.begin(), m_lines.end(),
        [row](const QLineEdit *edit) { return edit->parentWidget() == row; });
    if (it == m_lines.end())
        return;
    m_lines.erase(it);
    row->hide();
    row->deleteLater();
    renumber();
    Q_EMIT changed();
}

void TargetListEdit::check(QLineEdit *edit)
{
    auto *validity =
        qobject_cast<QAction *>(edit->property(ValidityActionProperty).value<QObject *>());
    const QString text = edit->text();
    if (text.trimmed().isEmpty()) {
        validity->setVisible(false);
        edit->setToolTip({});
        edit->setAccessibleDescription({});
        return;
    }
    const ParsedTarget parsed = TargetParser::parse(text);
    const QString why = parsed.target ? (parsed.target->kind == CallTarget::Kind::Phone
                                ? tr("Phone number %1").arg(parsed.target->id)
                                : tr("Teams user %1").arg(parsed.target->id))
                                      : parsed.problem;
    validity->setIcon(Icons::icon(parsed.target ? u"valid"_s : u"invalid"_s));
    validity->setToolTip(why);
    validity->setVisible(true);
    edit->setToolTip(why);
    edit->setAccessibleDescription(why);
}

void TargetListEdit::renumber()
{
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        QLineEdit *edit = m_lines.at(i);
        edit->setAccessibleName(tr("Target %1").arg(i + 1));
        const auto buttons = edit->parentWidget()->findChildren<QToolButton *>(
            QString(), Qt::FindDirectChildrenOnly);
        for (QToolButton *remove : buttons) {
            remove->setAccessibleName(tr("Remove target %1").arg(i + 1));
            remove->setToolTip(tr("Remove this target"));
            remove->setEnabled(m_lines.size() > 1);
        }
    }
    m_add->setEnabled(m_lines.size() < m_max);
}

} // namespace Gui

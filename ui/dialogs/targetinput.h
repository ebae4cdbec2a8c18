#pragma once

#include "ui/requests.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

class QCompleter;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace Gui {

//! A target as typed, read: a phone number in +E.164 form ("+44 20 7946 0000" becomes
//! "+442079460000"), a sign-in name (UPN, "anna@contoso.com") or an Entra object id (a GUID).
struct ParsedTarget
{
    std::optional<CallTarget> target; //!< set when the text is a valid target
    QString problem; //!< why it is not, in words; empty when valid
};

class TargetParser final
{
    Q_DECLARE_TR_FUNCTIONS(Gui::TargetParser)

public:
    TargetParser() = delete;
    static ParsedTarget parse(const QString &text);
};

//! One line per target, each checked as it is typed (an icon and a tooltip on the line say
//! whether it is valid and why not), with buttons to add and remove lines up to `maxTargets`.
//! Blank lines are ignored.
class TargetListEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetListEdit)

public:
    explicit TargetListEdit(int maxTargets, QWidget *parent = nullptr);
    ~TargetListEdit() override;

    void setTexts(const QStringList &texts);
    QStringList texts() const;
    int lineCount() const { return int(m_lines.size()); }
    QLineEdit *lineEdit(int line) const;
    QPushButton *addButton() const { return m_add; }
    int maxTargets() const { return m_max; }

    //! The targets of the non-blank lines; complete only when problem() is empty.
    QList<CallTarget> targets() const;
    //! Why the list cannot be used yet; empty when it holds 1..maxTargets valid, distinct
    //! targets.
    QString problem() const;
    void addLine();
    //! Offers `completions` (people the console has seen) on every line, present and future.
    void setCompletions(const QStringList &completions);

Q_SIGNALS:
    void changed();

private:
    void removeLine(QWidget *row);
    void check(QLineEdit *edit);
    void renumber();

    int m_max;
    QVBoxLayout *m_rows;
    QPushButton *m_add;
    QList<QLineEdit *> m_lines;
    QCompleter *m_completer = nullptr;
};

} // namespace Gui

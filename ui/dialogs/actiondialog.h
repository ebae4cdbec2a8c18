#pragma once

#include "ui/requests.h"

#include <QDialog>
#include <QString>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace Gui {

//! The frame every action dialog shares: the fields (body()), below them the reason the request
//! cannot be sent yet (OK stays disabled until there is none), and above them, once a request
//! has failed, Graph's error in words with its code and request-id. The window keeps a dialog
//! whose request failed, so that pressing the action again brings back what was typed.
class ActionDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionDialog)

public:
    ~ActionDialog() override;

    //! Why the request cannot be sent yet; empty when OK is enabled.
    QString problem() const { return m_problem; }
    QPushButton *okButton() const;
    //! Shows how the last request from this dialog failed; a success clears it.
    void showError(const ActionResult &result);
    QString errorText() const;

protected:
    explicit ActionDialog(const QString &title, const QString &okText, QWidget *parent);
    QVBoxLayout *body() const { return m_body; }
    //! Derived dialogs call this whenever a field changes.
    void setProblem(const QString &problem);

private:
    QVBoxLayout *m_body;
    QWidget *m_errorBox;
    QLabel *m_error;
    QLabel *m_problemIcon;
    QLabel *m_problemText;
    QDialogButtonBox *m_buttons;
    QString m_problem;
};

} // namespace Gui

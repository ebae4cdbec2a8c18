#pragma once

#include "actiondialog.h"

#include <QUrl>

class QLineEdit;

namespace Gui {

//! Play a WAV file, given by its http(s) address, to the call.
class PlayPromptDialog final : public ActionDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlayPromptDialog)

public:
    explicit PlayPromptDialog(const QString &callerText, QWidget *parent = nullptr);
    ~PlayPromptDialog() override;

    QLineEdit *addressEdit() const { return m_address; }
    QUrl prompt() const; //!< the address as typed; valid when problem() is empty
    //! Why `text` is not a prompt address Graph can fetch; empty when it is.
    static QString problemWith(const QString &text);

private:
    QLineEdit *m_address;
};

} // namespace Gui

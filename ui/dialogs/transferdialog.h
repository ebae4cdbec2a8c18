#pragma once

#include "actiondialog.h"

#include <QStringList>

class QComboBox;
class QLineEdit;
class QRadioButton;

namespace Models {
class CallStore;
}

namespace Gui {

//! Transfer an established call: blind, to a user or number; or consultative, to the other
//! party of another established call of the bot (the consultation call), which that call then
//! replaces (TransferRequest::replacesCallId).
class TransferDialog final : public ActionDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferDialog)

public:
    enum class Mode { Blind, Consultative };

    //! `store` must outlive the dialog; `callId` is the call to transfer.
    TransferDialog(const Models::CallStore *store, const QString &callId, const QString &callerText,
        QWidget *parent = nullptr);
    ~TransferDialog() override;

    //! Consultative is refused (the mode stays) when there is no call to consult.
    void setMode(Mode mode);
    Mode mode() const;
    QLineEdit *targetEdit() const { return m_target; }
    QComboBox *consultationBox() const { return m_consultation; }
    //! The calls offered for a consultative transfer, in the store's order: every established
    //! call other than the one being transferred.
    QStringList consultationCallIds() const;
    TransferRequest request() const;

private:
    void fillConsultations();
    void validate();

    const Models::CallStore *m_store;
    QString m_callId;
    QRadioButton *m_blind;
    QRadioButton *m_consultative;
    QLineEdit *m_target;
    QComboBox *m_consultation;
};

} // namespace Gui

#pragma once

#include "actiondialog.h"

class QCheckBox;
class QLabel;
class QSpinBox;

namespace Gui {

class TargetListEdit;

//! Redirect a ringing call to one or more targets (several ring at once, as Graph's redirect
//! does), optionally ringing them for 15–90 s only.
class RedirectDialog final : public ActionDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedirectDialog)

public:
    static constexpr int MaxTargets = 25;
    static constexpr int MinTimeout = 15;
    static constexpr int MaxTimeout = 90;

    explicit RedirectDialog(const QString &callerText, QWidget *parent = nullptr);
    ~RedirectDialog() override;

    TargetListEdit *targets() const { return m_targets; }
    QCheckBox *timeoutBox() const { return m_limit; }
    QSpinBox *timeoutSpin() const { return m_timeout; }
    //! The request as typed; valid when problem() is empty.
    RedirectRequest request() const;

private:
    void validate();

    TargetListEdit *m_targets;
    QLabel *m_simultaneous;
    QCheckBox *m_limit;
    QSpinBox *m_timeout;
};

} // namespace Gui

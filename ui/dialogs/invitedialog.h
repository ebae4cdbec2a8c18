#pragma once

#include "actiondialog.h"

namespace Gui {

class TargetListEdit;

//! Invite one to five people or numbers into an established call.
class InviteDialog final : public ActionDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InviteDialog)

public:
    static constexpr int MaxTargets = 5;

    explicit InviteDialog(const QString &callerText, QWidget *parent = nullptr);
    ~InviteDialog() override;

    TargetListEdit *targets() const { return m_targets; }
    InviteRequest request() const;

private:
    TargetListEdit *m_targets;
};

} // namespace Gui

#pragma once

#include "actiondialog.h"

class QLineEdit;

namespace Gui {

class TargetListEdit;

//! "Call…" and "Group call…": the bot calls out. A peer-to-peer call rings one Teams user or
//! phone number and may play a prompt (a WAV file) once they answer; a group call rings two to
//! five people at once, with a subject. The call shows in the queue like any other.
class CallDialog final : public ActionDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallDialog)

public:
    enum class Kind { PeerToPeer, Group };
    static constexpr int MaxGroupTargets = 5;

    explicit CallDialog(Kind kind, QWidget *parent = nullptr);
    ~CallDialog() override;

    Kind kind() const { return m_kind; }
    TargetListEdit *targets() const { return m_targets; }
    QLineEdit *promptEdit() const { return m_prompt; } //!< peer-to-peer only, else null
    QLineEdit *subjectEdit() const { return m_subject; } //!< group only, else null
    //! Offers the people the console has seen as targets.
    void setKnownPeople(const QStringList &people);
    //! The request as typed; complete when problem() is empty.
    OutboundCallRequest request() const;

private:
    void validate();

    Kind m_kind;
    TargetListEdit *m_targets;
    QLineEdit *m_prompt = nullptr;
    QLineEdit *m_subject = nullptr;
};

} // namespace Gui

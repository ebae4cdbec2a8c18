#pragma once

#include "requests.h"

#include <QFrame>
#include <QList>
#include <QString>

class QLabel;
class QToolButton;

namespace Gui {

//! A strip at the top of the window for failed actions: Graph's message, code and request-id
//! in words, shown until the operator dismisses it. Failures queue up: dismissing one shows
//! the one before it.
class NoticeBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBar)

public:
    explicit NoticeBar(QWidget *parent = nullptr);
    ~NoticeBar() override;

    //! Shows the failure on top; `callerText` names the call it was about.
    void showFailure(const ActionResult &result, const QString &callerText);
    QString text() const; //!< the notice shown, empty when hidden
    int count() const { return int(m_notices.size()); }
    QToolButton *dismissButton() const { return m_dismiss; }

public Q_SLOTS:
    void dismiss(); //!< removes the notice shown

private:
    void refreshView();

    QLabel *m_icon;
    QLabel *m_text;
    QLabel *m_more;
    QToolButton *m_dismiss;
    QList<QString> m_notices; // newest last
};

} // namespace Gui

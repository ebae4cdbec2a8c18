#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace Models {

//! Sorts and filters a CallsModel for the queue view. The default order is the queue's:
//! ringing calls first, longest waiting first; then live calls, longest first; then ended
//! calls. That order belongs to the Wait column in ascending order (sort(WaitColumn)); other
//! columns sort by CallsModel::SortRole.
class CallFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallFilterProxy)

public:
    explicit CallFilterProxy(QObject *parent = nullptr);

    //! A CallsModel source is read directly for the queue's order and the ended filter (see
    //! CallsModel::queueKey); any other model through its roles.
    void setSourceModel(QAbstractItemModel *model) override;

    //! Keeps calls whose caller name, number, state or operator contains `text`, case-insensitive.
    //! Digits match a number however it is spaced ("4951234" finds "+7 495 123-45-67").
    void setText(const QString &text);
    QString text() const { return m_text; }
    //! Ended calls are hidden unless this is set.
    void setShowEnded(bool show);
    bool showEnded() const { return m_showEnded; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const class CallsModel *m_calls = nullptr; // the source, when it is a CallsModel
    QString m_text;
    QString m_digits; // the text's digits, when it looks like a phone number
    bool m_showEnded = false;
};

} // namespace Models

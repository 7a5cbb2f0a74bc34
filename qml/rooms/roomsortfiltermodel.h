#pragma once

#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace roomscribe::console {

// The rooms as the operator asks to see them: filtered by name, sorted by
// name, participants, age or state, re-sorted as rows change. Reads roles by
// name, so any model with RoomListModel's role names works as its source.
class RoomSortFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    // "name", "participants", "age" or "state"
    Q_PROPERTY(QString sortKey READ sortKey WRITE setSortKey NOTIFY sortKeyChanged)
    Q_PROPERTY(bool ascending READ ascending WRITE setAscending NOTIFY ascendingChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    explicit RoomSortFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    QString sortKey() const { return m_sortKey; }
    void setSortKey(const QString &key);
    bool ascending() const { return m_ascending; }
    void setAscending(bool ascending);
    int count() const { return rowCount(); }

    void setSourceModel(QAbstractItemModel *model) override;

Q_SIGNALS:
    void filterTextChanged();
    void sortKeyChanged();
    void ascendingChanged();
    void countChanged();

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    int roleOf(const QByteArray &name) const;
    void applySort();

    QString m_filterText;
    QString m_sortKey = QStringLiteral("name");
    bool m_ascending = true;
    int m_nameRole = -1;
};

} // namespace roomscribe::console

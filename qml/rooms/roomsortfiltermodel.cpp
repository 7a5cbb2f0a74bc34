#include "roomsortfiltermodel.h"

namespace roomscribe::console {

RoomSortFilterModel::RoomSortFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    connect(this, &QAbstractItemModel::rowsInserted, this, &RoomSortFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &RoomSortFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &RoomSortFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &RoomSortFilterModel::countChanged);
}

void RoomSortFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    setFilterFixedString(text);
    Q_EMIT filterTextChanged();
}

void RoomSortFilterModel::setSortKey(const QString &key)
{
    if (key == m_sortKey)
        return;
    m_sortKey = key;
    applySort();
    Q_EMIT sortKeyChanged();
}

void RoomSortFilterModel::setAscending(bool ascending)
{
    if (ascending == m_ascending)
        return;
    m_ascending = ascending;
    applySort();
    Q_EMIT ascendingChanged();
}

void RoomSortFilterModel::setSourceModel(QAbstractItemModel *model)
{
    QSortFilterProxyModel::setSourceModel(model);
    applySort();
}

int RoomSortFilterModel::roleOf(const QByteArray &name) const
{
    return sourceModel() ? sourceModel()->roleNames().key(name, -1) : -1;
}

void RoomSortFilterModel::applySort()
{
    m_nameRole = roleOf("name");
    setFilterRole(m_nameRole);
    // The proxy re-sorts when a row's sort role changes: make that the one sorted by.
    static const QHash<QString, QByteArray> roleOfKey = {
        {QStringLiteral("name"), "name"},
        {QStringLiteral("participants"), "participants"},
        {QStringLiteral("age"), "age_s"},
        {QStringLiteral("state"), "phase"}};
    const int role = roleOf(roleOfKey.value(m_sortKey, "name"));
    setSortRole(role >= 0 ? role : m_nameRole);
    if (sourceModel())
        sort(0, m_ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
}

bool RoomSortFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (sortRole() != m_nameRole) {
        const QVariant a = left.data(sortRole());
        const QVariant b = right.data(sortRole());
        if (a != b)
            return QVariant::compare(a, b) == QPartialOrdering::Less;
    }
    // Equal keys fall back to the name, so rows keep a stable, readable order.
    const QString a = left.data(m_nameRole).toString();
    const QString b = right.data(m_nameRole).toString();
    const int order = QString::compare(a, b, Qt::CaseInsensitive);
    return order != 0 ? order < 0 : QString::localeAwareCompare(a, b) < 0;
}

} // namespace roomscribe::console

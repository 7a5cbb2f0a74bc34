#pragma once

#include <QAbstractListModel>

#include <vector>

namespace roomscribe::console {

// A list model whose rows are kept ordered by a unique key (Row::key()) and
// follow each new snapshot in place: rows removed and inserted where their
// keys went and came, dataChanged only for rows whose roles changed, so views
// keep their delegates and scroll position.
template <typename Row> class KeyedRowsModel : public QAbstractListModel
{
public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

protected:
    // next must be ordered by key; changedRoles(old, new) lists the roles that differ.
    template <typename ChangedRoles> void syncRows(std::vector<Row> next, ChangedRoles changedRoles)
    {
        size_t i = 0;
        size_t j = 0;
        while (i < m_rows.size() || j < next.size()) {
            if (j == next.size() || (i < m_rows.size() && m_rows[i].key() < next[j].key())) {
                size_t end = i + 1;
                while (end < m_rows.size() &&
                       (j == next.size() || m_rows[end].key() < next[j].key()))
                    ++end;
                beginRemoveRows({}, int(i), int(end) - 1);
                m_rows.erase(m_rows.begin() + long(i), m_rows.begin() + long(end));
                endRemoveRows();
            } else if (i == m_rows.size() || next[j].key() < m_rows[i].key()) {
                size_t end = j + 1;
                while (end < next.size() &&
                       (i == m_rows.size() || next[end].key() < m_rows[i].key()))
                    ++end;
                beginInsertRows({}, int(i), int(i + end - j) - 1);
                m_rows.insert(m_rows.begin() + long(i),
                              std::make_move_iterator(next.begin() + long(j)),
                              std::make_move_iterator(next.begin() + long(end)));
                endInsertRows();
                i += end - j;
                j = end;
            } else {
                const QList<int> roles = changedRoles(m_rows[i], next[j]);
                if (!roles.isEmpty()) {
                    m_rows[i] = std::move(next[j]);
                    const QModelIndex changed = index(int(i));
                    Q_EMIT dataChanged(changed, changed, roles);
                }
                ++i;
                ++j;
            }
        }
    }

    std::vector<Row> m_rows;
};

} // namespace roomscribe::console

#pragma once

#include "store/transcriptreader.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

namespace roomscribe::console {

class StoreThread;

// The room sessions in the transcript store, newest first, read on a worker
// thread. refresh() updates rows in place; roomFilter narrows them to rooms
// whose name contains it.
class SessionListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(QString roomFilter READ roomFilter WRITE setRoomFilter NOTIFY roomFilterChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY stateChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged) // before the filter
public:
    enum Role {
        SessionIdRole = Qt::UserRole + 1,
        RoomRole,
        StartedRole,  // local date and time, as text
        EndedRole,    // local date and time, or "live"
        LiveRole,     // no end recorded: running (or cut short by a crash)
        DurationRole, // text; a live session's so far
        SegmentCountRole,
        FileStemRole, // "room-2024-05-01_1430": a default export file name without extension
    };
    Q_ENUM(Role)

    explicit SessionListModel(QObject *parent = nullptr);
    ~SessionListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString database() const { return m_database; }
    void setDatabase(const QString &database);
    QString roomFilter() const { return m_roomFilter; }
    void setRoomFilter(const QString &filter);
    bool busy() const { return m_busy; }
    QString errorText() const { return m_errorText; }
    bool loaded() const { return m_loaded; }
    int count() const { return int(m_rows.size()); }
    int totalCount() const { return int(m_all.size()); }

    // Reads the store again (on the worker thread).
    Q_INVOKABLE void refresh();
    // The row of the room's latest session shown; -1 when none.
    Q_INVOKABLE int latestRowOf(const QString &room) const;
    // One row's roles by name, for the view's details of the chosen session.
    Q_INVOKABLE QVariantMap get(int row) const;
    // Takes a list of sessions as the store gives them: rows update in place.
    void apply(const QList<roomscribe::store::StoredSession> &sessions);

Q_SIGNALS:
    void databaseChanged();
    void roomFilterChanged();
    void stateChanged();
    void countChanged();

private:
    struct Row
    {
        store::StoredSession session;
        QString started;
        QString ended;
        QString duration;
    };
    Row makeRow(const store::StoredSession &session) const;
    void showRows();
    void onListed(const QString &database, const QList<store::StoredSession> &sessions,
                  const QString &error);

    std::unique_ptr<StoreThread> m_store;
    QString m_database;
    QString m_roomFilter;
    bool m_busy = false;
    bool m_refreshAgain = false; // asked for while a read was running
    bool m_loaded = false;
    QString m_errorText;
    QList<store::StoredSession> m_all; // newest first
    std::vector<Row> m_rows;
    int m_lastTotal = 0;
};

} // namespace roomscribe::console

#pragma once

#include "store/storeconfig.h"
#include "store/storesql.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QVariant>

namespace roomscribe::store {

struct ConnectionSettings
{
    int busyTimeout_ms = 2000;
    int connectTimeout_s = 3;
    // SQLite: create the file (and its directory) when missing. Readers do
    // not, so that a mistyped path is an error instead of an empty database.
    bool create = true;
};

// One Qt SQL connection under a name of its own. Qt SQL connections belong
// to the thread that opens them: each thread that talks to the database
// (the store's writer, a reader) holds its own StoreConnection.
class StoreConnection
{
public:
    explicit StoreConnection(const QString &purpose);
    ~StoreConnection();
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    bool open(const DatabaseTarget &target, const ConnectionSettings &settings, QString *error);
    void close();
    bool isOpen() const;
    QSqlDatabase database() const;
    const DatabaseTarget &target() const { return m_target; }
    Backend backend() const { return m_target.backend; }
    // One statement without results; the error names the statement's failure.
    bool exec(const QString &statement, QString *error);

private:
    QString m_name;
    DatabaseTarget m_target;
};

// The schema version a database is at: 0 when it has none yet, -1 (with
// *error) when it cannot be read.
int readSchemaVersion(StoreConnection &connection, QString *error);

// Brings the database to the newest of `migrations` in one transaction;
// refuses a database at a version newer than that.
bool migrate(StoreConnection &connection, QString *error, const QList<sql::Migration> &migrations);
bool migrate(StoreConnection &connection, QString *error);

// A driver's error as one line of text.
QString sqlErrorText(const QSqlError &error);

// ISO 8601 UTC with milliseconds and "Z": how timestamps are bound.
QString timestampText(const QDateTime &time);
// A timestamp column as read back from either backend, in UTC; invalid for NULL.
QDateTime timestampFrom(const QVariant &value);

} // namespace roomscribe::store

#pragma once

#include "stt/gladiaconfig.h"

#include <QString>
#include <QStringList>

namespace roomscribe::store {

enum class Backend {
    Invalid = 0,
    Sqlite,
    Postgres,
};

// Where transcripts are stored: a SQLite file or a PostgreSQL database.
struct DatabaseTarget
{
    Backend backend = Backend::Invalid;
    QString path; // SQLite: the database file
    // PostgreSQL
    QString host; // a name, an address, or a directory holding the server's socket
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    QStringList connectOptions; // libpq keywords from the URL's query, "key=value"

    // For logs and messages: never the password.
    QString describe() const;
};

// Accepts "postgresql://user:pass@host:port/dbname" (or "postgres://"; the
// query may carry libpq keywords such as sslmode=require, and host=/dir for
// a socket directory), "sqlite:///absolute/path", "sqlite:relative/path", or
// a plain file path. Empty text is the default SQLite database.
bool parseDatabaseUrl(const QString &text, DatabaseTarget *target, QString *error);

// $XDG_DATA_HOME/roomscribe, or ~/.local/share/roomscribe.
QString defaultDataDirectory();
// <data dir>/transcripts.sqlite
QString defaultSqlitePath();
// Where finals that could not be kept in memory wait for the database
// (JSON Lines): beside a SQLite file ("<name>.overflow.jsonl"), in the data
// directory for PostgreSQL ("overflow-<host>-<port>-<db>.jsonl").
QString defaultJournalPath(const DatabaseTarget &target);

struct StoreConfig
{
    QString database;           // see parseDatabaseUrl; empty: defaultSqlitePath()
    QString journalPath;        // empty: defaultJournalPath()
    int flushInterval_ms = 300; // a final waits at most this long before its flush starts
    int batchSize = 100;        // finals per transaction; a full batch is flushed at once
    int maxQueued = 200000;     // finals held in memory while the database fails or lags;
                                // the oldest beyond it go to the journal
    int warnQueued = 1000;      // a warning when the queue grows past this
    int closeTimeout_ms = 5000; // close() gives up on the database after this, journaling the rest
    int busyTimeout_ms = 2000;  // SQLite: how long a write waits for another writer's lock
    int connectTimeout_s = 3;   // PostgreSQL: connection attempts
    stt::BackoffConfig retry{200, 2.0, 10000};
};

} // namespace roomscribe::store

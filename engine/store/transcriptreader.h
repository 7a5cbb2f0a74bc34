#pragma once

#include "store/exporters.h"
#include "store/storedatabase.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace roomscribe::store {

struct StoredSession
{
    QString room;
    qint64 id = 0;       // what `export --session` takes
    QDateTime startedAt; // UTC
    QDateTime endedAt;   // invalid while running (or after a crash)
    qint64 segments = 0;
};

enum class LoadOutcome {
    Invalid = 0,
    Loaded,
    UnknownRoom,
    UnknownSession,
    Failed, // the database could not be read
};

// The read side, for exports: its own connection, on the thread that opens
// it (any thread). It never changes the database: a database without the
// schema reads as empty, and one newer than this code is refused. SQLite
// readers run beside a live engine's writer (WAL).
class TranscriptReader
{
public:
    TranscriptReader();

    // `database` as for StoreConfig::database (empty: the default SQLite file).
    bool open(const QString &database, QString *error);
    QString databaseDescription() const { return m_connection.target().describe(); }

    // All room sessions, by room name then start.
    std::optional<QList<StoredSession>> listSessions(QString *error);
    // A room session's finals as an export; the room's latest session when
    // sessionId is not given.
    LoadOutcome loadDocument(const QString &room, std::optional<qint64> sessionId,
                             ExportDocument *document, QString *error);

private:
    StoreConnection m_connection;
    bool m_empty = false; // no schema yet
};

} // namespace roomscribe::store

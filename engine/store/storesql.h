#pragma once

#include "store/storeconfig.h"

#include <QList>
#include <QString>
#include <QStringList>

// Every SQL text the store runs, for both backends: the statements are
// shared, and only where SQLite and PostgreSQL differ is the text branched.
// Timestamps are bound as ISO 8601 UTC text ("2026-11-22T03:00:00.123Z"),
// which PostgreSQL casts to timestamptz and SQLite keeps as text that sorts.
namespace roomscribe::store::sql {

struct Migration
{
    int version = 0;
    QStringList statements;
};

// The schema this code writes and reads.
constexpr int kSchemaVersion = 2;

// The migrations to kSchemaVersion, oldest first; migration n brings a
// database at version n - 1 to version n.
QList<Migration> migrations(Backend backend);

// Run on every new connection (SQLite pragmas; PostgreSQL session settings).
QStringList connectionSetup(Backend backend);
// Opens a write transaction: SQLite takes the write lock at once, so a busy
// database fails the BEGIN rather than a statement in the middle.
QString beginWrite(Backend backend);
// Serializes migrations of concurrent engines (PostgreSQL; SQLite's write
// lock does it there). Empty when none is needed.
QString migrationLock(Backend backend);
QString createVersionTable();
QString selectSchemaVersion();
QString insertSchemaVersion();

// Writer: the rows finals hang from are created on first use and looked up
// by their natural keys, so a replay finds them again.
QString insertRoom();    // :name, :created_at
QString selectRoom();    // :name -> id
QString insertSession(); // :uid, :room_id, :started_at
QString selectSession(); // :uid -> id
QString endSession();    // :ended_at, :id
QString insertStream();  // :room_session_id, :name, :method, :participant, :started_at
QString selectStream();  // :room_session_id, :name -> id
// One multi-row insert of `rows` segments (kSegmentColumns placeholders per
// row, positional); a segment already stored for its stream is skipped.
QString insertSegments(int rows);
constexpr int kSegmentColumns = 14;

// Reader.
QString listSessions();        // room, id, started_at, ended_at, segments
QString latestSessionOfRoom(); // :room -> id, started_at, ended_at
QString sessionOfRoom();       // :room, :id -> id, started_at, ended_at
QString roomExists();          // :room -> 1
QString sessionSegments();     // :id -> stream, speaker, session_start_ms, session_end_ms,
                               //        start_ms, language, text, words, speaker_inferred

} // namespace roomscribe::store::sql

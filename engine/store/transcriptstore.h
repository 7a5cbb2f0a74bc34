#pragma once

#include "store/storeconfig.h"
#include "stt/transcriptsegment.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace roomscribe::store {

struct StoreStats
{
    qint64 queued = 0;        // in memory, not yet committed (the in-flight batch included)
    qint64 journaled = 0;     // in the overflow journal, waiting for the database
    qint64 written = 0;       // finals committed since open() (a replayed duplicate counts)
    qint64 replayed = 0;      // of those, from the overflow journal
    qint64 failedFlushes = 0; // transactions (or connections) that failed; each is retried
    qint64 overflowed = 0;    // finals moved to the overflow journal since open()
    bool retrying = false;    // the database is failing: waiting for the next attempt
    QString lastError;        // of the last failure, kept after recovery
};

class StoreWriter;
struct StoreShared;

// Keeps final transcript segments in SQLite or PostgreSQL without slowing
// whoever hands them over. addFinal() only appends to a queue under a mutex;
// a writer thread with its own connection flushes the queue in batches, one
// transaction each, at most flushInterval_ms after a final arrived or as soon
// as batchSize are waiting. A failing database (down, locked, full) is
// retried with exponential backoff and jitter while finals keep queueing.
// Memory is bounded: past maxQueued finals waiting (the database failing, or
// slower than they come), the oldest move to the overflow journal
// (OverflowJournal, JSON Lines beside the database), replayed into the
// database once it takes writes again, in this run or at the next open().
// Nothing is dropped: a process killed outright loses at most the finals of
// the last flush interval and the batch in flight.
//
// Room sessions: beginRoomSession()/endRoomSession() bracket one run of
// transcription of a room; a final for a room without an open session opens
// one (starting when the final's stream began). Segment times are stored
// stream-relative, as given, and relative to the room session's start (from
// the segment's wall clock).
//
// All public functions are thread-safe. open() and close() belong to the
// thread the store lives in; closed() is emitted there.
class TranscriptStore final : public QObject
{
    Q_OBJECT

public:
    explicit TranscriptStore(QObject *parent = nullptr);
    // Without a completed close(), closes and waits for the writer (bounded by
    // closeTimeout_ms plus the database's own time-outs).
    ~TranscriptStore() override;

    // Connects, migrates the schema (refusing a database newer than this
    // code), and starts the writer. Fails for a bad URL, a missing driver, an
    // unreachable database or a newer schema.
    bool open(const StoreConfig &config, QString *error);
    bool isOpen() const;
    // The database in use, for messages (no password).
    QString databaseDescription() const { return m_target.describe(); }
    QString journalPath() const;

    // Idempotent: a room has at most one open session.
    void beginRoomSession(const QString &room);
    void endRoomSession(const QString &room);
    // Partials are ignored; finals are queued for the writer.
    void addFinal(const stt::TranscriptSegment &segment);

    StoreStats stats() const;

    // Flushes everything still queued and stops the writer; closed() follows.
    // If the database cannot take it within closeTimeout_ms, the rest goes to
    // the overflow journal. Finals added after this go to the journal too.
    void close();

Q_SIGNALS:
    void closed();

private:
    StoreConfig m_config;
    DatabaseTarget m_target;
    std::shared_ptr<StoreShared> m_shared;
    QThread m_thread;
    StoreWriter *m_writer = nullptr; // lives in m_thread
    bool m_closing = false;
    std::atomic<bool> m_closed{false}; // read by stats() on any thread
};

} // namespace roomscribe::store

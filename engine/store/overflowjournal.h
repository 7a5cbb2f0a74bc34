#pragma once

#include "store/storeitem.h"

#include <QFile>
#include <QMutex>
#include <QString>

#include <deque>
#include <vector>

namespace roomscribe::store {

// The overflow journal: what the store could not keep in memory while the
// database failed (past StoreConfig::maxQueued), and what arrives after
// close(). One JSON Lines record per item (see storeitem.h), appended in
// order and replayed into the database when it takes writes again, in this
// run or the next; the file is removed once all of it is stored. Replaying is
// idempotent (every row has a natural key), so a replay cut short by a crash
// is simply done again. Thread-safe.
class OverflowJournal
{
public:
    explicit OverflowJournal(const QString &path);

    QString path() const { return m_path; }
    // Appends and flushes to the kernel; false (with *error) when the file
    // cannot be written, and then nothing of `items` is counted as journaled.
    bool append(const std::deque<StoreItem> &items, size_t count, QString *error);
    bool append(const StoreItem &item, QString *error);
    // Records not yet replayed (counted once from the file on first use).
    qint64 pending();

    struct Chunk
    {
        std::vector<StoreItem> items;
        qint64 end = 0;   // file offset after the last line read
        qint64 lines = 0; // lines read, records or not
    };
    // Replay: reads up to maxItems records after the last replayed one.
    // Lines that are not records (one cut short by a crash) are skipped with
    // a warning.
    bool read(int maxItems, Chunk *chunk, QString *error);
    // The chunk's records are in the database; once that is all of the file,
    // the file is removed.
    void markReplayed(const Chunk &chunk);

private:
    bool openForAppend(QString *error);
    void countPending();

    QMutex m_mutex;
    const QString m_path;
    QFile m_appendFile;
    qint64 m_replayOffset = 0;
    qint64 m_pending = -1; // -1: not counted yet
};

} // namespace roomscribe::store

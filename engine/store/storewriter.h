#pragma once

#include "store/overflowjournal.h"
#include "store/storedatabase.h"
#include "store/storeitem.h"
#include "store/transcriptstore.h"
#include "stt/backoff.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSqlQuery>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace roomscribe::store {

struct OpenSession
{
    QString uid;
    QDateTime startedAt;
};

// What TranscriptStore's callers and its writer share.
struct StoreShared
{
    explicit StoreShared(const QString &journalPath) : journal(journalPath) {}

    mutable QMutex mutex;
    std::vector<StoreItem> queue;         // handed over by callers; the writer takes all of it
    QHash<QString, OpenSession> sessions; // open room sessions by room
    StoreWriter *writer = nullptr;        // null once it has finished: items go to the journal
    StoreStats stats;                     // the writer's side (queued = what it holds)
    OverflowJournal journal;
};

// TranscriptStore's batch writer, on the store's thread. It takes the shared
// queue over in one swap, keeps what it took in m_pending until committed,
// and writes it in transactions of at most batchSize items.
class StoreWriter final : public QObject
{
    Q_OBJECT

public:
    StoreWriter(const StoreConfig &config, const DatabaseTarget &target,
                std::shared_ptr<StoreShared> shared);
    ~StoreWriter() override;

    // Slots run on the writer's thread.
    void start();
    // The queue went from empty to not, or reached a batch.
    void wake();
    void beginClose();

private:
    bool connectDatabase();
    void absorb();
    void flush();
    void postFlush();
    void replayStep();
    void postReplay();
    void retry();
    bool writeItems(const std::vector<const StoreItem *> &items, QString *error);
    std::optional<qint64> ensureRoom(const QString &room, QString *error);
    std::optional<qint64> ensureSession(const StoreItem &item, QString *error);
    struct StreamRow
    {
        qint64 id = 0;
        QDateTime startedAt; // when its audio began; invalid when unknown
    };
    std::optional<StreamRow> ensureStream(qint64 sessionId, const StoreItem &item, QString *error);
    QSqlQuery &prepared(std::optional<QSqlQuery> &query, const QString &text);
    void onFailure(const QString &error);
    void spill(size_t count);
    void spillOverflow();
    void afterWrite();
    size_t queuedByCallers() const;
    bool closeDeadlinePassed() const;
    void finish();
    void publishStats();

    const StoreConfig m_config;
    const DatabaseTarget m_target;
    const std::shared_ptr<StoreShared> m_shared;
    std::unique_ptr<StoreConnection> m_db;
    std::deque<StoreItem> m_pending;
    StoreStats m_stats;
    stt::Backoff m_backoff;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_closeClock;
    bool m_retrying = false; // waiting for the next attempt: no writes until then
    bool m_failing = false;  // from a failure to the next write that succeeds (stats)
    bool m_closing = false;
    bool m_finished = false;
    bool m_flushPosted = false;
    bool m_replayPosted = false;
    bool m_replayBroken = false; // the journal cannot be read: left for the next start
    bool m_warnedQueue = false;
    bool m_warnedOverflow = false;

    // Ids of rows already known on this connection; cleared when a
    // transaction fails, as it may have created some of them.
    QHash<QString, qint64> m_roomIds;
    QHash<QString, qint64> m_sessionIds; // by uid
    QHash<QPair<qint64, QString>, StreamRow> m_streams;
    std::optional<QSqlQuery> m_insertRoom, m_selectRoom, m_insertSession, m_selectSession,
        m_endSession, m_insertStream, m_selectStream, m_insertFullBatch;
};

} // namespace roomscribe::store

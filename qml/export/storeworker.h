#pragma once

#include "store/transcriptreader.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace roomscribe::console {

// Reads the transcript store off the GUI thread: lists sessions and writes
// exports. Lives on a StoreThread; talk to it with queued calls only and
// hear it through its (queued) signals.
class StoreWorker : public QObject
{
    Q_OBJECT
public:
    explicit StoreWorker(std::shared_ptr<std::atomic<bool>> cancelled);
    ~StoreWorker() override;

    void listSessions(const QString &database);
    // sessionId 0: the room's latest session; room empty: found by sessionId.
    void exportSession(const QString &database, const QString &room, qint64 sessionId,
                       roomscribe::store::ExportFormat format, const QString &path);

Q_SIGNALS:
    void sessionsListed(const QString &database,
                        const QList<roomscribe::store::StoredSession> &sessions,
                        const QString &error);
    void exportProgress(double fraction);
    // error empty and cancelled false: written to path.
    void exportFinished(const QString &path, const QString &error, bool cancelled);

private:
    // The reader for database, reopened when it changes; null with *error when it cannot be.
    // *missing: a SQLite file that does not exist yet, which is no error for a list.
    roomscribe::store::TranscriptReader *reader(const QString &database, QString *error,
                                                bool *missing);
    QString writeFile(const QString &path, const QByteArray &bytes, bool *cancelled);

    std::shared_ptr<std::atomic<bool>> m_cancelled;
    std::unique_ptr<roomscribe::store::TranscriptReader> m_reader;
    QString m_database;
};

// A StoreWorker on a thread of its own, for one model or controller.
class StoreThread
{
public:
    StoreThread();
    ~StoreThread(); // cancels an export in progress and waits for the thread to end
    StoreThread(const StoreThread &) = delete;
    StoreThread &operator=(const StoreThread &) = delete;

    StoreWorker *worker() const { return m_worker; }
    // Runs call on the worker's thread.
    template <typename F> void post(F call)
    {
        QMetaObject::invokeMethod(m_worker, std::move(call), Qt::QueuedConnection);
    }
    void setCancelled(bool cancelled) { m_cancelled->store(cancelled); }

private:
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    QThread m_thread;
    StoreWorker *m_worker;
};

} // namespace roomscribe::console

#pragma once

#include "ingest/ingestconfig.h"
#include "ingest/ingeststats.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTcpServer>

#include <memory>
#include <vector>

class QThread;

namespace roomscribe::ingest {

class IngestWorker;
class StreamRegistry;

// The RTMP ingest: one listening socket on the caller's thread, N workers on
// their own threads. Accepted descriptors go to the workers in turn; a stream
// is owned by the worker the registry assigned it to.
class IngestServer final : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kDefaultApp = "live";

    explicit IngestServer(const IngestConfig &config, QObject *parent = nullptr);
    ~IngestServer() override;

    bool start(QString *error);
    quint16 rtmpPort() const { return m_listener.serverPort(); }
    int workerCount() const { return int(m_workers->size()); }

    // Allows app/key to publish; false when taken or not a valid key.
    bool registerStream(const QString &app, const QString &key);
    // Registers a fresh unguessable key and returns it.
    QString registerNewStream(const QString &app);

    // Answers with statsUpdated() once every worker has reported.
    void requestStats();
    // Closes every connection and flushes every stream; then stopped().
    void stop();

Q_SIGNALS:
    void statsUpdated(const roomscribe::ingest::IngestStats &stats);
    void stopped();

private:
    class Listener final : public QTcpServer
    {
    public:
        explicit Listener(IngestServer *server) : m_server(server) {}

    protected:
        void incomingConnection(qintptr fd) override;

    private:
        IngestServer *m_server;
        size_t m_next = 0;
    };

    void onWorkerStats(const WorkerStats &stats);
    void onWorkerShutdown();

    IngestConfig m_config;
    std::shared_ptr<StreamRegistry> m_registry;
    std::shared_ptr<std::vector<IngestWorker *>> m_workers;
    std::vector<QThread *> m_threads;
    Listener m_listener;
    QElapsedTimer m_uptime;
    IngestStats m_pendingStats;
    int m_statsOutstanding = 0;
    int m_shutdownOutstanding = 0;
    bool m_stopping = false;
};

} // namespace roomscribe::ingest

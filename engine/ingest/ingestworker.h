#pragma once

#include "core/latencyhistogram.h"
#include "ingest/ingestconfig.h"
#include "ingest/ingeststats.h"
#include "ingest/rtmp/rtmpserversession.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

#include <memory>
#include <unordered_map>
#include <vector>

namespace roomscribe::ingest {

class IngestStream;
class RtmpConnection;
struct RtmpHandoff;
class StreamRegistry;

// Owns, on its own thread and event loop, a share of the connections and the
// streams they publish: sockets, parsers, decoders. Everything here runs on
// that thread; other threads reach it only through queued calls. Its sockets
// are watched by one epoll descriptor, which is all the event loop polls.
class IngestWorker final : public QObject
{
    Q_OBJECT
public:
    IngestWorker(int index, const IngestConfig &config, std::shared_ptr<StreamRegistry> registry,
                 std::shared_ptr<const std::vector<IngestWorker *>> peers);
    ~IngestWorker() override;

    int index() const { return m_index; }

    // Thread-safe entry points: they queue the work onto this worker's thread.
    void adoptSocket(qintptr fd);
    void adoptHandoff(std::shared_ptr<RtmpHandoff> handoff);
    void collectStats();
    void shutdown();

    // For this worker's connections (same thread).
    rtmp::PublishDecision routePublish(RtmpConnection *connection, const QString &app,
                                       const QString &key, int *targetWorker);
    IngestStream *attachPublisher(RtmpConnection *connection, const QString &app,
                                  const QString &key);
    void detachPublisher(RtmpConnection *connection, IngestStream *stream);
    // Stops watching the connection and deletes it once the current batch of
    // socket events is handled.
    void forget(RtmpConnection *connection);
    void watchWritable(RtmpConnection *connection, bool writable);
    char *readBuffer() { return m_readBuffer.data(); }
    size_t readBufferSize() const { return m_readBuffer.size(); }
    void countInput(size_t bytes) { m_bytesIn += bytes; }
    void countRefused() { ++m_refused; }
    void countFailed() { ++m_failedConnections; }
    IngestWorker *peer(int index) const { return (*m_peers)[size_t(index)]; }

Q_SIGNALS:
    void statsCollected(const roomscribe::ingest::WorkerStats &stats);
    void shutdownFinished(int worker);

private:
    void track(std::unique_ptr<RtmpConnection> connection);
    void dispatchSocketEvents();
    void sweep();
    IngestStream *streamFor(const QString &app, const QString &key);

    const int m_index;
    const IngestConfig m_config;
    std::shared_ptr<StreamRegistry> m_registry;
    std::shared_ptr<const std::vector<IngestWorker *>> m_peers;
    int m_epoll = -1;
    QSocketNotifier *m_epollNotifier = nullptr; // created on the worker's thread
    std::unordered_map<RtmpConnection *, std::unique_ptr<RtmpConnection>> m_connections;
    std::vector<std::unique_ptr<RtmpConnection>> m_finished; // deleted after each batch
    QHash<QString, std::shared_ptr<IngestStream>> m_streams; // by app/key
    QHash<IngestStream *, RtmpConnection *> m_publishers;
    QTimer m_sweepTimer;
    std::vector<char> m_readBuffer;
    LatencyHistogram m_chunkLatency;
    uint64_t m_bytesIn = 0;
    uint64_t m_refused = 0;
    uint64_t m_failedConnections = 0;
    bool m_shuttingDown = false;
    bool m_dispatching = false;
};

} // namespace roomscribe::ingest

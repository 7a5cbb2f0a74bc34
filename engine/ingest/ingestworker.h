#pragma once

#include "ingest/rtmp/rtmpserversession.h"
#include "ingest/streamowner.h"

#include <QTimer>

class QSocketNotifier;

#include <memory>
#include <unordered_map>
#include <vector>

namespace roomscribe::ingest {

class RtmpConnection;
struct RtmpHandoff;

// Owns, on its own thread and event loop, a share of the RTMP connections and
// the streams they publish: sockets, parsers, decoders. Everything here runs
// on that thread; other threads reach it only through queued calls. Its
// sockets are watched by one epoll descriptor, which is all the event loop
// polls.
class IngestWorker final : public StreamOwner
{
    Q_OBJECT
public:
    IngestWorker(int index, const IngestConfig &config, std::shared_ptr<StreamRegistry> registry,
                 std::shared_ptr<const std::vector<IngestWorker *>> peers);
    ~IngestWorker() override;

    // Thread-safe entry points: they queue the work onto this worker's thread.
    void adoptSocket(qintptr fd);
    void adoptHandoff(std::shared_ptr<RtmpHandoff> handoff);

    // For this worker's connections (same thread).
    rtmp::PublishDecision routePublish(RtmpConnection *connection, const QString &app,
                                       const QString &key, int *targetWorker);
    // Stops watching the connection and deletes it once the current batch of
    // socket events is handled.
    void forget(RtmpConnection *connection);
    void watchWritable(RtmpConnection *connection, bool writable);
    char *readBuffer() { return m_readBuffer.data(); }
    size_t readBufferSize() const { return m_readBuffer.size(); }
    IngestWorker *peer(int index) const { return (*m_peers)[size_t(index)]; }

protected:
    int connectionCount() const override { return int(m_connections.size()); }
    void closeConnections(const QString &reason) override;

private:
    void track(std::unique_ptr<RtmpConnection> connection);
    void dispatchSocketEvents();
    void sweep();

    std::shared_ptr<const std::vector<IngestWorker *>> m_peers;
    int m_epoll = -1;
    QSocketNotifier *m_epollNotifier = nullptr; // created on the worker's thread
    std::unordered_map<RtmpConnection *, std::unique_ptr<RtmpConnection>> m_connections;
    std::vector<std::unique_ptr<RtmpConnection>> m_finished; // deleted after each batch
    QTimer m_sweepTimer;
    std::vector<char> m_readBuffer;
    bool m_dispatching = false;
};

} // namespace roomscribe::ingest

#pragma once

#include "publish/publishconfig.h"
#include "publish/publishstats.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

class QSocketNotifier;

namespace roomscribe::publish {

// One segment as every client of its room receives it: serialized and framed
// once by PublishServer::publish(), then shared read-only by the workers.
struct OutgoingSegment
{
    QString room;
    bool isFinal = false;
    QByteArray frame;       // {"type":"partial"|"final","segment":{...}} as a text frame
    QByteArray replayFrame; // finals: the same with "replay":true
    int64_t published_ns = 0;
};

enum class ServiceEndpoint { Invalid, Health, Metrics };

// Owns, on its own thread and event loop, a share of the fan-out's
// connections: it reads their HTTP requests, upgrades the authorised ones to
// WebSocket and writes them their room's segments. Its sockets are
// non-blocking and watched by one epoll descriptor, the only thing its event
// loop polls; one write per client per segment, from the shared frame, and
// nothing more until the kernel takes it. Other threads reach it only through
// the queued entry points.
class PublishWorker final : public QObject
{
    Q_OBJECT
public:
    PublishWorker(int index, const PublishConfig &config, int maxConnections);
    ~PublishWorker() override;

    // Thread-safe entry points: they queue the work onto this worker's thread.
    void adoptSocket(qintptr fd);
    void deliver(std::shared_ptr<const OutgoingSegment> segment);
    void forgetRoom(const QString &room);
    void collectStats();
    // The answer to a request announced by serviceRequested().
    void answer(quint64 requestId, const QByteArray &response, bool keepAlive);
    // Closes every connection (clients get 1001); then shutdownFinished().
    void shutdown();

Q_SIGNALS:
    void statsCollected(const roomscribe::publish::PublishStats &stats);
    // GET /health or /metrics arrived: answer(requestId, ...) when ready.
    void serviceRequested(int worker, quint64 requestId,
                          roomscribe::publish::ServiceEndpoint endpoint, bool keepAlive);
    void shutdownFinished();

private:
    struct Connection;
    struct Room
    {
        // Slots of clients that left are null until compact() (a delivery may be iterating).
        std::vector<Connection *> clients;
        size_t holes = 0;
        std::deque<std::shared_ptr<const OutgoingSegment>> replay; // oldest first
    };
    enum class FrameKind { Invalid, Partial, Final, Control };

    void ensureStarted();
    void track(int fd);
    void dispatchSocketEvents();
    void onReadable(Connection &connection);
    void readHttp(Connection &connection, const char *data, qsizetype size);
    void handleRequests(Connection &connection);
    void readFrames(Connection &connection, const char *data, qsizetype size);
    void upgrade(Connection &connection, const QString &room, const QByteArray &acceptKey,
                 qint64 tokenExpiresAt);
    void refuse(Connection &connection, int status, const QByteArray &reason,
                const QByteArray &extraHeaders);

    // Queues one frame, bounded as PublishConfig says; false when the
    // connection was closed for it.
    bool enqueue(Connection &connection, const QByteArray &bytes, FrameKind kind,
                 int64_t published_ns);
    void push(Connection &connection, const QByteArray &bytes, FrameKind kind,
              int64_t published_ns);
    // Writes a frame to a client with nothing queued; queues what does not fit.
    void sendDirect(Connection &connection, const QByteArray &bytes, FrameKind kind,
                    int64_t published_ns);
    void countDelivered(FrameKind kind, int64_t published_ns);
    void dropPartials(Connection &connection);
    void flush(Connection &connection);
    void watch(Connection &connection);

    // Sends a close frame and waits (closeTimeout at most) for the client's.
    void beginClose(Connection &connection, uint16_t code, const QByteArray &reason);
    void closeNow(Connection &connection, const QString &why);
    void leaveRoom(Connection &connection);
    void sweep();
    // Deletes what closed and tidies rooms; run when nothing can hold a pointer.
    void reap();

    const int m_index;
    const PublishConfig m_config;
    const int m_maxConnections;
    int m_epoll = -1;
    QSocketNotifier *m_epollNotifier = nullptr; // created on the worker's thread
    QTimer m_sweepTimer;
    std::vector<char> m_readBuffer;
    std::unordered_map<Connection *, std::unique_ptr<Connection>> m_connections;
    std::vector<std::unique_ptr<Connection>> m_closed;
    std::unordered_map<quint64, Connection *> m_awaitingAnswer; // by request id
    QHash<QString, Room> m_rooms;
    QSet<QString> m_untidyRooms; // with holes, or maybe empty: for reap()
    quint64 m_nextRequestId = 1;
    bool m_shuttingDown = false;
    PublishStats m_stats; // counters; gauges and latency are filled in collectStats()
    LatencyHistogram m_latencyCurrent;
    LatencyHistogram m_latencyPrevious;
    int64_t m_latencyWindowStart_ns = 0;
};

} // namespace roomscribe::publish

Q_DECLARE_METATYPE(roomscribe::publish::ServiceEndpoint)

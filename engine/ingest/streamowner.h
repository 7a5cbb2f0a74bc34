#pragma once

#include "core/latencyhistogram.h"
#include "ingest/ingestconfig.h"
#include "ingest/ingeststats.h"
#include "ingest/ingeststream.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace roomscribe::ingest {

class StreamRegistry;

// A connection that publishes into a stream, as its owner sees it.
class Publisher
{
public:
    virtual ~Publisher() = default;
    virtual QString peer() const = 0;
    // Ends the connection at once; it detaches from its stream before returning.
    virtual void close(const QString &reason) = 0;
};

// Owns, on its own thread and event loop, a share of the streams and the
// connections that publish them: the RTMP workers and the Track Egress
// endpoint. A stream is made, with its consumers, on its first publish and
// lives until it is closed or the owner shuts down; a new publisher replaces
// the stream's current one. Other threads reach it only through the queued
// entry points.
class StreamOwner : public QObject
{
    Q_OBJECT
public:
    StreamOwner(int index, StreamInput input, const IngestConfig &config,
                std::shared_ptr<StreamRegistry> registry);
    ~StreamOwner() override;

    int index() const { return m_index; }

    // Thread-safe entry points: they queue the work onto this owner's thread.
    void collectStats();
    // Ends the stream's publisher, finishes the stream, then streamClosed().
    // The caller has already removed the key from the registry.
    void closeStream(const QString &app, const QString &key);
    // Ends every connection and finishes every stream; then shutdownFinished().
    void shutdown();

    // For this owner's connections (same thread).
    // The stream app/key, made on first use, with `publisher` as its
    // publisher; nullptr when the key is not (or no longer) this owner's.
    IngestStream *attachPublisher(Publisher *publisher, const QString &app, const QString &key);
    void detachPublisher(Publisher *publisher, IngestStream *stream);
    void countInput(size_t bytes) { m_bytesIn += bytes; }
    void countRefused() { ++m_refused; }
    void countFailed() { ++m_failedConnections; }

Q_SIGNALS:
    void statsCollected(const roomscribe::ingest::WorkerStats &stats);
    void streamClosed(const QString &app, const QString &key);
    void shutdownFinished(int owner);

protected:
    bool isShuttingDown() const { return m_shuttingDown; }

    // The keys of a map, for a loop whose actions remove entries from it.
    template <typename Map> static std::vector<typename Map::key_type> keysOf(const Map &map)
    {
        std::vector<typename Map::key_type> keys;
        keys.reserve(map.size());
        for (const auto &entry : map)
            keys.push_back(entry.first);
        return keys;
    }

    virtual int connectionCount() const = 0;
    // Ends every connection (shutdown); timers stop here too.
    virtual void closeConnections(const QString &reason) = 0;

    const IngestConfig m_config;
    const std::shared_ptr<StreamRegistry> m_registry;
    LatencyHistogram m_chunkLatency;

private:
    IngestStream *streamFor(const QString &app, const QString &key, const StreamLabel &label);
    // Finishes a stream no longer in m_streams; done() once it has, after
    // which the stream is deleted.
    void retire(std::shared_ptr<IngestStream> stream, std::function<void()> done);
    void emitShutdownFinishedIfDone();

    const int m_index;
    const StreamInput m_input;
    QHash<QString, std::shared_ptr<IngestStream>> m_streams; // by app/key
    QHash<IngestStream *, Publisher *> m_publishers;
    std::unordered_map<IngestStream *, std::shared_ptr<IngestStream>> m_finishing;
    uint64_t m_bytesIn = 0;
    uint64_t m_refused = 0;
    uint64_t m_failedConnections = 0;
    bool m_shuttingDown = false;
    bool m_shutdownReported = false;
};

} // namespace roomscribe::ingest

#include "ingest/ingestworker.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingeststream.h"
#include "ingest/pcmfilewriter.h"
#include "ingest/rtmpconnection.h"
#include "ingest/streamregistry.h"

#include <QDir>
#include <QTcpSocket>

namespace roomscribe::ingest {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr int kSweepInterval_ms = 1000;

IngestWorker::IngestWorker(int index, const IngestConfig &config,
                           std::shared_ptr<StreamRegistry> registry,
                           std::shared_ptr<const std::vector<IngestWorker *>> peers)
    : m_index(index), m_config(config), m_registry(std::move(registry)), m_peers(std::move(peers)),
      m_sweepTimer(this), m_readBuffer(kReadBufferSize)
{
    m_sweepTimer.setInterval(kSweepInterval_ms);
    connect(&m_sweepTimer, &QTimer::timeout, this, &IngestWorker::sweep);
}

IngestWorker::~IngestWorker() = default;

void IngestWorker::adoptSocket(qintptr fd)
{
    QMetaObject::invokeMethod(this, [this, fd] {
        auto *socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(fd)) {
            qCWarning(lcIngest) << "cannot adopt accepted socket:" << socket->errorString();
            delete socket;
            return;
        }
        const int perWorkerLimit = m_config.maxConnections / int(m_peers->size());
        if (m_shuttingDown || int(m_connections.size()) >= perWorkerLimit) {
            qCWarning(lcIngest).noquote()
                << "refusing connection from" << socket->peerAddress().toString() << ":"
                << (m_shuttingDown ? "stopping" : "connection limit reached");
            ++m_refused;
            socket->abort();
            delete socket;
            return;
        }
        track(new RtmpConnection(this, socket));
    });
}

void IngestWorker::adoptHandoff(std::shared_ptr<RtmpHandoff> handoff)
{
    QMetaObject::invokeMethod(this, [this, handoff] {
        auto *socket = new QTcpSocket;
        if (m_shuttingDown || !socket->setSocketDescriptor(handoff->fd)) {
            delete socket;
            return; // the handoff closes the descriptor
        }
        handoff->fd = -1;
        auto *connection = new RtmpConnection(this, socket, *handoff);
        track(connection);
        connection->completeHandoff();
    });
}

void IngestWorker::track(RtmpConnection *connection)
{
    if (!m_sweepTimer.isActive())
        m_sweepTimer.start();
    m_connections.insert(connection);
    connect(connection, &RtmpConnection::finished, this,
            [this](RtmpConnection *finished) { m_connections.erase(finished); });
}

rtmp::PublishDecision IngestWorker::routePublish(RtmpConnection *connection, const QString &app,
                                                 const QString &key, int *targetWorker)
{
    const std::optional<int> owner = m_registry->ownerOf(app, key);
    if (!owner) {
        qCWarning(lcIngest).noquote()
            << "refused publish of unknown stream" << app + u'/' + redactedKey(key) << "from"
            << connection->peer();
        ++m_refused;
        return rtmp::PublishDecision::Refuse;
    }
    if (*owner != m_index) {
        *targetWorker = *owner;
        return rtmp::PublishDecision::Defer;
    }
    return rtmp::PublishDecision::Accept;
}

IngestStream *IngestWorker::streamFor(const QString &app, const QString &key)
{
    const QString path = app + u'/' + key;
    auto it = m_streams.find(path);
    if (it != m_streams.end())
        return it->get();
    auto stream =
        std::make_shared<IngestStream>(app, key, m_config.chunkDuration_ms, &m_chunkLatency);
    if (!m_config.pcmDirectory.isEmpty()) {
        auto writer = std::make_unique<PcmFileWriter>(
            QDir(m_config.pcmDirectory).filePath(key + QStringLiteral(".pcm")));
        QString error;
        if (writer->open(&error))
            stream->addConsumer(std::move(writer));
        else
            qCWarning(lcIngest).noquote() << "no PCM file for" << redactedKey(key) << ":" << error;
    }
    m_streams.insert(path, stream);
    return stream.get();
}

IngestStream *IngestWorker::attachPublisher(RtmpConnection *connection, const QString &app,
                                            const QString &key)
{
    if (m_shuttingDown || m_registry->ownerOf(app, key) != m_index)
        return nullptr;
    IngestStream *stream = streamFor(app, key);
    if (RtmpConnection *previous = m_publishers.value(stream)) {
        // The old publisher may be a half-open connection the peer already
        // abandoned: the newest publisher wins.
        previous->close(QStringLiteral("replaced by a new publisher from ") + connection->peer());
    }
    m_publishers.insert(stream, connection);
    stream->beginPublish();
    qCInfo(lcIngest).noquote() << "stream" << app + u'/' + redactedKey(key) << "publishing from"
                               << connection->peer() << "on worker" << m_index;
    return stream;
}

void IngestWorker::detachPublisher(RtmpConnection *connection, IngestStream *stream)
{
    const auto it = m_publishers.find(stream);
    if (it == m_publishers.end() || *it != connection)
        return;
    m_publishers.erase(it);
    stream->endPublish();
}

void IngestWorker::sweep()
{
    const int64_t now = monotonicNow_ns();
    std::vector<std::pair<RtmpConnection *, QString>> expired;
    for (RtmpConnection *connection : m_connections) {
        if (connection->awaitsPublish() &&
            now - connection->accepted_ns() > int64_t(m_config.publishTimeout_s) * 1000000000)
            expired.emplace_back(
                connection,
                QStringLiteral("no publish within %1 s").arg(m_config.publishTimeout_s));
        else if (connection->isPublishing() &&
                 now - connection->lastInput_ns() > int64_t(m_config.idleTimeout_s) * 1000000000)
            expired.emplace_back(connection,
                                 QStringLiteral("no data for %1 s").arg(m_config.idleTimeout_s));
    }
    for (auto &[connection, reason] : expired)
        connection->close(reason);
}

void IngestWorker::collectStats()
{
    QMetaObject::invokeMethod(this, [this] {
        WorkerStats stats;
        stats.worker = m_index;
        stats.connections = int(m_connections.size());
        stats.bytesIn = m_bytesIn;
        stats.refused = m_refused;
        stats.failedConnections = m_failedConnections;
        stats.chunkLatency = m_chunkLatency;
        m_chunkLatency.clear();
        stats.streams.reserve(size_t(m_streams.size()));
        for (const auto &stream : std::as_const(m_streams))
            stats.streams.push_back(stream->takeStats());
        Q_EMIT statsCollected(stats);
    });
}

void IngestWorker::shutdown()
{
    QMetaObject::invokeMethod(this, [this] {
        m_shuttingDown = true;
        m_sweepTimer.stop();
        const std::vector<RtmpConnection *> open(m_connections.begin(), m_connections.end());
        for (RtmpConnection *connection : open)
            connection->close(QStringLiteral("engine stopping"));
        for (const auto &stream : std::as_const(m_streams))
            stream->finish();
        Q_EMIT shutdownFinished(m_index);
    });
}

} // namespace roomscribe::ingest

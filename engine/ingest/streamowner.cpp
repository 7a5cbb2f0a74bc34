#include "ingest/streamowner.h"

#include "core/logging.h"
#include "ingest/pcmfilewriter.h"
#include "ingest/streamregistry.h"

#include <QDir>
#include <QThread>

#include <utility>

namespace roomscribe::ingest {

static QString streamName(const QString &app, const QString &key, const StreamLabel &label)
{
    const QString described = label.describe();
    const QString path = app + u'/' + redactedKey(key);
    return described.isEmpty() ? path : path + QStringLiteral(" (") + described + u')';
}

StreamOwner::StreamOwner(int index, StreamInput input, const IngestConfig &config,
                         std::shared_ptr<StreamRegistry> registry)
    : m_config(config), m_registry(std::move(registry)), m_index(index), m_input(input)
{
}

StreamOwner::~StreamOwner() = default;

IngestStream *StreamOwner::streamFor(const QString &app, const QString &key,
                                     const StreamLabel &label)
{
    const QString path = app + u'/' + key;
    const auto it = m_streams.constFind(path);
    if (it != m_streams.constEnd())
        return it->get();
    auto stream = std::make_shared<IngestStream>(app, key, label, m_input,
                                                 m_config.chunkDuration_ms, &m_chunkLatency);
    if (!m_config.pcmDirectory.isEmpty()) {
        auto writer = std::make_unique<PcmFileWriter>(
            QDir(m_config.pcmDirectory).filePath(key + QStringLiteral(".pcm")));
        QString error;
        if (writer->open(&error))
            stream->addConsumer(std::move(writer));
        else
            qCWarning(lcIngest).noquote() << "no PCM file for" << redactedKey(key) << ":" << error;
    }
    if (m_config.consumerFactory) {
        for (auto &consumer : m_config.consumerFactory(app, key, label))
            stream->addConsumer(std::move(consumer));
    }
    m_streams.insert(path, stream);
    return stream.get();
}

IngestStream *StreamOwner::attachPublisher(Publisher *publisher, const QString &app,
                                           const QString &key)
{
    if (m_shuttingDown)
        return nullptr;
    const std::optional<StreamRegistry::Registration> registration = m_registry->find(app, key);
    if (!registration || registration->owner != m_index)
        return nullptr;
    IngestStream *stream = streamFor(app, key, registration->label);
    if (Publisher *previous = m_publishers.value(stream)) {
        // The old publisher may be a half-open connection the peer already
        // abandoned (or an egress that retries): the newest publisher wins.
        previous->close(QStringLiteral("replaced by a new publisher from ") + publisher->peer());
    }
    m_publishers.insert(stream, publisher);
    stream->beginPublish();
    qCInfo(lcIngest).noquote() << "stream" << streamName(app, key, registration->label)
                               << "publishing from" << publisher->peer() << "on"
                               << QThread::currentThread()->objectName();
    return stream;
}

void StreamOwner::detachPublisher(Publisher *publisher, IngestStream *stream)
{
    const auto it = m_publishers.find(stream);
    if (it == m_publishers.end() || *it != publisher)
        return;
    m_publishers.erase(it);
    stream->endPublish();
}

void StreamOwner::collectStats()
{
    QMetaObject::invokeMethod(this, [this] {
        WorkerStats stats;
        stats.worker = m_index;
        stats.connections = connectionCount();
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

void StreamOwner::closeStream(const QString &app, const QString &key)
{
    QMetaObject::invokeMethod(this, [this, app, key] {
        const auto it = m_streams.find(app + u'/' + key);
        if (it == m_streams.end()) { // never published, or already finishing
            Q_EMIT streamClosed(app, key);
            return;
        }
        std::shared_ptr<IngestStream> stream = *it;
        m_streams.erase(it);
        if (Publisher *publisher = m_publishers.value(stream.get()))
            publisher->close(QStringLiteral("stream closed"));
        qCInfo(lcIngest).noquote() << "closing stream" << streamName(app, key, stream->label());
        retire(std::move(stream), [this, app, key] { Q_EMIT streamClosed(app, key); });
    });
}

void StreamOwner::shutdown()
{
    QMetaObject::invokeMethod(this, [this] {
        m_shuttingDown = true;
        closeConnections(QStringLiteral("engine stopping"));
        // Streams finish asynchronously (a transcription waits for its last
        // results); the owner is done when they all have, with those that
        // were closed before and are still finishing.
        const auto streams = std::exchange(m_streams, {});
        for (const auto &stream : streams)
            retire(stream, [] {});
        emitShutdownFinishedIfDone();
    });
}

void StreamOwner::retire(std::shared_ptr<IngestStream> stream, std::function<void()> done)
{
    IngestStream *finishing = stream.get();
    m_finishing.emplace(finishing, std::move(stream));
    finishing->finish([this, finishing, done = std::move(done)] {
        // This may run inside a consumer's own signal: delete the stream,
        // and that consumer with it, from the event loop.
        QMetaObject::invokeMethod(
            this,
            [this, finishing, done] {
                m_finishing.erase(finishing);
                done();
                emitShutdownFinishedIfDone();
            },
            Qt::QueuedConnection);
    });
}

void StreamOwner::emitShutdownFinishedIfDone()
{
    if (m_shuttingDown && !m_shutdownReported && m_finishing.empty()) {
        m_shutdownReported = true;
        Q_EMIT shutdownFinished(m_index);
    }
}

} // namespace roomscribe::ingest

#include "ingest/ingestserver.h"

#include "core/logging.h"
#include "ingest/ingestworker.h"
#include "ingest/streamregistry.h"

#include <QThread>

namespace roomscribe::ingest {

static int workerCountFor(const IngestConfig &config)
{
    return config.workers > 0 ? config.workers : std::max(1, QThread::idealThreadCount());
}

IngestServer::IngestServer(const IngestConfig &config, QObject *parent)
    : QObject(parent), m_config(config),
      m_registry(std::make_shared<StreamRegistry>(workerCountFor(config))),
      m_workers(std::make_shared<std::vector<IngestWorker *>>()), m_listener(this)
{
    qRegisterMetaType<WorkerStats>();
    qRegisterMetaType<IngestStats>();
    const int count = workerCountFor(config);
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("ingest-%1").arg(i));
        auto *worker = new IngestWorker(i, m_config, m_registry, m_workers);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &IngestWorker::statsCollected, this, &IngestServer::onWorkerStats);
        connect(worker, &IngestWorker::shutdownFinished, this, &IngestServer::onWorkerShutdown);
        m_workers->push_back(worker);
        m_threads.push_back(thread);
    }
}

IngestServer::~IngestServer()
{
    // Workers finish what they hold on stop(); here their threads only end.
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
    }
}

bool IngestServer::start(QString *error)
{
    m_listener.setMaxPendingConnections(1024);
    if (!m_listener.listen(m_config.rtmpAddress, m_config.rtmpPort)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.rtmpAddress.toString())
                     .arg(m_config.rtmpPort)
                     .arg(m_listener.errorString());
        return false;
    }
    for (QThread *thread : m_threads)
        thread->start();
    m_uptime.start();
    qCInfo(lcIngest).noquote() << "RTMP listening on"
                               << m_config.rtmpAddress.toString() + u':' +
                                      QString::number(m_listener.serverPort())
                               << "with" << m_threads.size() << "workers";
    return true;
}

void IngestServer::Listener::incomingConnection(qintptr fd)
{
    const auto &workers = *m_server->m_workers;
    workers[m_next++ % workers.size()]->adoptSocket(fd);
}

bool IngestServer::registerStream(const QString &app, const QString &key)
{
    return m_registry->registerKey(app, key).has_value();
}

QString IngestServer::registerNewStream(const QString &app)
{
    for (;;) {
        const QString key = StreamRegistry::generateKey();
        if (registerStream(app, key))
            return key;
    }
}

void IngestServer::requestStats()
{
    if (m_statsOutstanding > 0 || m_stopping)
        return;
    m_pendingStats = IngestStats{};
    m_statsOutstanding = int(m_workers->size());
    for (IngestWorker *worker : *m_workers)
        worker->collectStats();
}

void IngestServer::onWorkerStats(const WorkerStats &stats)
{
    if (m_statsOutstanding <= 0) // a late answer after stop()
        return;
    IngestStats &total = m_pendingStats;
    total.connections += stats.connections;
    total.bytesIn += stats.bytesIn;
    total.refused += stats.refused;
    total.failedConnections += stats.failedConnections;
    total.chunkLatency.merge(stats.chunkLatency);
    for (const StreamStats &stream : stats.streams) {
        total.publishers += stream.publishing ? 1 : 0;
        total.audioMessages += stream.audioMessages;
        total.samplesOut += stream.samplesOut;
        total.chunks += stream.chunks;
        if (stream.transcribing) {
            ++total.transcribing;
            total.stt.add(stream.stt);
        }
        total.streams.push_back(stream);
    }
    if (--m_statsOutstanding == 0) {
        total.uptime_s = m_uptime.elapsed() / 1000.0;
        total.registeredStreams = m_registry->count();
        Q_EMIT statsUpdated(total);
    }
}

void IngestServer::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_statsOutstanding = 0;
    m_listener.close();
    m_shutdownOutstanding = int(m_workers->size());
    if (!m_uptime.isValid()) { // never started
        Q_EMIT stopped();
        return;
    }
    for (IngestWorker *worker : *m_workers)
        worker->shutdown();
}

void IngestServer::onWorkerShutdown()
{
    if (--m_shutdownOutstanding == 0) {
        qCInfo(lcIngest) << "RTMP ingest stopped";
        Q_EMIT stopped();
    }
}

} // namespace roomscribe::ingest

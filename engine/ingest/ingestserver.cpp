#include "ingest/ingestserver.h"

#include "core/logging.h"
#include "ingest/ingestworker.h"
#include "ingest/participantingest.h"
#include "ingest/streamregistry.h"
#include "ingest/trackingest.h"

#include <QThread>

namespace roomscribe::ingest {

static int workerCountFor(const IngestConfig &config)
{
    return config.workers > 0 ? config.workers : std::max(1, QThread::idealThreadCount());
}

IngestServer::IngestServer(const IngestConfig &config, QObject *parent)
    : QObject(parent), m_config(config),
      m_registry(std::make_shared<StreamRegistry>(workerCountFor(config))),
      m_workers(std::make_shared<std::vector<IngestWorker *>>()),
      m_rtmpListener([this](qintptr fd) {
          (*m_workers)[m_nextWorker++ % m_workers->size()]->adoptSocket(fd);
      }),
      m_trackListener([this](qintptr fd) { m_track->adoptSocket(fd); })
{
    qRegisterMetaType<WorkerStats>();
    qRegisterMetaType<IngestStats>();
    const int count = workerCountFor(config);
    for (int i = 0; i < count; ++i) {
        auto *worker = new IngestWorker(i, m_config, m_registry, m_workers);
        m_workers->push_back(worker);
        addOwner(worker, QStringLiteral("ingest-%1").arg(i));
    }
    if (!m_config.trackAddress.isNull()) {
        m_track = new TrackIngest(count, m_config, m_registry);
        addOwner(m_track, QStringLiteral("ingest-track"));
    }
    if (m_config.participant.isEnabled()) {
        m_participants = new ParticipantIngest(int(m_owners.size()), m_config, m_registry);
        addOwner(m_participants, QStringLiteral("ingest-webrtc"));
        connect(m_participants, &ParticipantIngest::statusChanged, this,
                &IngestServer::subscriberChanged);
        connect(m_participants, &ParticipantIngest::speakersChanged, this,
                &IngestServer::speakersChanged);
        connect(m_participants, &ParticipantIngest::roomLeft, this, &IngestServer::roomLeft);
    }
}

IngestServer::~IngestServer()
{
    // Owners finish what they hold on stop(); here their threads only end.
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
    }
}

void IngestServer::addOwner(StreamOwner *owner, const QString &threadName)
{
    auto *thread = new QThread(this);
    thread->setObjectName(threadName);
    owner->moveToThread(thread);
    connect(thread, &QThread::finished, owner, &QObject::deleteLater);
    connect(owner, &StreamOwner::statsCollected, this, &IngestServer::onOwnerStats);
    connect(owner, &StreamOwner::streamClosed, this, &IngestServer::streamClosed);
    connect(owner, &StreamOwner::shutdownFinished, this, &IngestServer::onOwnerShutdown);
    m_owners.push_back(owner);
    m_threads.push_back(thread);
}

bool IngestServer::listen(Listener &listener, const QHostAddress &address, quint16 port,
                          const char *what, QString *error)
{
    listener.setMaxPendingConnections(1024);
    if (listener.listen(address, port)) {
        qCInfo(lcIngest).noquote()
            << what << "listening on"
            << address.toString() + u':' + QString::number(listener.serverPort());
        return true;
    }
    *error = QStringLiteral("%1: cannot listen on %2:%3: %4")
                 .arg(QLatin1String(what), address.toString())
                 .arg(port)
                 .arg(listener.errorString());
    return false;
}

bool IngestServer::start(QString *error)
{
    if (!listen(m_rtmpListener, m_config.rtmpAddress, m_config.rtmpPort, "RTMP", error))
        return false;
    if (m_track && !listen(m_trackListener, m_config.trackAddress, m_config.trackPort,
                           "Track Egress WebSocket", error)) {
        m_rtmpListener.close();
        return false;
    }
    for (QThread *thread : m_threads)
        thread->start();
    m_uptime.start();
    qCInfo(lcIngest) << "ingest running with" << m_workers->size() << "RTMP workers";
    return true;
}

bool IngestServer::registerStream(const QString &app, const QString &key, const StreamLabel &label)
{
    // Track streams belong to the Track Egress endpoint (a token given again
    // after a restart, say); every other app to the RTMP workers.
    if (app == QLatin1String(kTrackApp))
        return m_track && m_registry->registerKeyFor(app, key, label, m_track->index());
    return m_registry->registerKey(app, key, label).has_value();
}

QString IngestServer::registerNewStream(const QString &app, const StreamLabel &label)
{
    for (;;) {
        const QString key = StreamRegistry::generateKey();
        if (registerStream(app, key, label))
            return key;
    }
}

QString IngestServer::registerTrackStream(const StreamLabel &label)
{
    if (!m_track)
        return {};
    for (;;) {
        const QString token = StreamRegistry::generateKey();
        if (m_registry->registerKeyFor(QString::fromLatin1(kTrackApp), token, label,
                                       m_track->index()))
            return token;
    }
}

QString IngestServer::trackPath(const QString &token)
{
    return TrackIngest::pathFor(token);
}

void IngestServer::joinRoom(const QString &room, bool speakersOnly)
{
    if (m_participants && !m_stopping)
        m_participants->joinRoom(room, speakersOnly);
}

void IngestServer::leaveRoom(const QString &room)
{
    if (m_participants && m_uptime.isValid() && !m_stopping) {
        m_participants->leaveRoom(room);
        return;
    }
    QMetaObject::invokeMethod(
        this, [this, room] { Q_EMIT roomLeft(room); }, Qt::QueuedConnection);
}

void IngestServer::closeStream(const QString &app, const QString &key)
{
    const std::optional<StreamRegistry::Registration> registration = m_registry->remove(app, key);
    if (!registration || !m_uptime.isValid() || m_stopping) {
        // Nothing runs for it (unknown, closed, never started), or stop()
        // finishes it with everything else.
        QMetaObject::invokeMethod(
            this, [this, app, key] { Q_EMIT streamClosed(app, key); }, Qt::QueuedConnection);
        return;
    }
    m_owners[size_t(registration->owner)]->closeStream(app, key);
}

void IngestServer::requestStats()
{
    if (m_statsOutstanding > 0 || m_stopping)
        return;
    m_pendingStats = IngestStats{};
    m_statsOutstanding = int(m_owners.size());
    for (StreamOwner *owner : m_owners)
        owner->collectStats();
}

void IngestServer::onOwnerStats(const WorkerStats &stats)
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
    m_rtmpListener.close();
    m_trackListener.close();
    m_shutdownOutstanding = int(m_owners.size());
    if (!m_uptime.isValid()) { // never started
        Q_EMIT stopped();
        return;
    }
    for (StreamOwner *owner : m_owners)
        owner->shutdown();
}

void IngestServer::onOwnerShutdown()
{
    if (--m_shutdownOutstanding == 0) {
        qCInfo(lcIngest) << "RTMP ingest stopped";
        Q_EMIT stopped();
    }
}

} // namespace roomscribe::ingest

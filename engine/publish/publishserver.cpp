#include "publish/publishserver.h"

#include "core/clock.h"
#include "core/logging.h"
#include "publish/prometheustext.h"
#include "publish/publishrequest.h"
#include "publish/websocketprotocol.h"

#include <QJsonDocument>
#include <QThread>

#include <unistd.h>

namespace roomscribe::publish {

namespace {

// Connections a burst of clients may queue in the kernel before accept():
// 5 000 browsers reconnecting at once should not see refused SYNs.
constexpr int kListenBacklog = 4096;

int workerCountFor(const PublishConfig &config)
{
    return config.workers > 0 ? config.workers : std::max(1, QThread::idealThreadCount());
}

// {"type":T,["replay":true,]"segment":S}, with S serialized once for both forms.
QByteArray envelope(const char *type, bool replay, const QByteArray &segmentJson)
{
    QByteArray out;
    out.reserve(segmentJson.size() + 48);
    out += "{\"type\":\"";
    out += type;
    out += replay ? "\",\"replay\":true,\"segment\":" : "\",\"segment\":";
    out += segmentJson;
    out += '}';
    return out;
}

} // namespace

PublishServer::PublishServer(PublishConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_listener(this)
{
    qRegisterMetaType<PublishStats>();
    qRegisterMetaType<ServiceEndpoint>();
    const int count = workerCountFor(m_config);
    const int perWorker = std::max(1, m_config.maxConnections / count);
    for (int i = 0; i < count; ++i) {
        auto *worker = new PublishWorker(i, m_config, perWorker);
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("fanout-%1").arg(i));
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &PublishWorker::statsCollected, this, &PublishServer::onWorkerStats);
        connect(worker, &PublishWorker::serviceRequested, this, &PublishServer::onServiceRequested);
        connect(worker, &PublishWorker::shutdownFinished, this, [this] {
            if (--m_shutdownOutstanding == 0) {
                qCInfo(lcPublish) << "fan-out stopped";
                Q_EMIT stopped();
            }
        });
        m_workers.push_back(worker);
        m_threads.push_back(thread);
    }
}

PublishServer::~PublishServer()
{
    // Workers close what they hold when their thread ends and they are deleted.
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
    }
}

bool PublishServer::start(QString *error)
{
    if (m_config.tokenSecret.isEmpty()) {
        *error = QStringLiteral("the live fan-out needs a token secret");
        return false;
    }
    m_listener.setListenBacklogSize(kListenBacklog);
    if (!m_listener.listen(m_config.address, m_config.port)) {
        *error = QStringLiteral("fan-out: cannot listen on %1:%2: %3")
                     .arg(m_config.address.toString())
                     .arg(m_config.port)
                     .arg(m_listener.errorString());
        return false;
    }
    for (QThread *thread : m_threads)
        thread->start();
    m_started = true;
    qCInfo(lcPublish).noquote() << "fan-out listening on"
                                << m_config.address.toString() + u':' + QString::number(port())
                                << "with" << m_workers.size() << "workers";
    return true;
}

void PublishServer::adopt(qintptr fd)
{
    if (m_stopping) {
        ::close(int(fd));
        return;
    }
    m_workers[m_nextWorker++ % m_workers.size()]->adoptSocket(fd);
}

void PublishServer::publish(const stt::TranscriptSegment &segment)
{
    const int64_t published_ns = monotonicNow_ns();
    if (segment.room.isEmpty())
        return;
    auto outgoing = std::make_shared<OutgoingSegment>();
    outgoing->room = segment.room;
    outgoing->isFinal = segment.isFinal;
    outgoing->published_ns = published_ns;
    const QByteArray json = QJsonDocument(stt::toJson(segment)).toJson(QJsonDocument::Compact);
    if (segment.isFinal) {
        outgoing->frame = encodeServerFrame(WsOpcode::Text, envelope("final", false, json));
        outgoing->replayFrame = encodeServerFrame(WsOpcode::Text, envelope("final", true, json));
        m_publishedFinals.fetch_add(1, std::memory_order_relaxed);
    } else {
        outgoing->frame = encodeServerFrame(WsOpcode::Text, envelope("partial", false, json));
        m_publishedPartials.fetch_add(1, std::memory_order_relaxed);
    }
    const std::shared_ptr<const OutgoingSegment> shared = std::move(outgoing);
    for (PublishWorker *worker : m_workers)
        worker->deliver(shared);
}

void PublishServer::forgetRoom(const QString &room)
{
    for (PublishWorker *worker : m_workers)
        worker->forgetRoom(room);
}

void PublishServer::requestStats()
{
    m_statsWanted = true;
    gather();
}

void PublishServer::onServiceRequested(int worker, quint64 requestId, ServiceEndpoint endpoint,
                                       bool keepAlive)
{
    m_pendingRequests.push_back({worker, requestId, endpoint, keepAlive});
    gather();
}

void PublishServer::gather()
{
    if (m_statsOutstanding > 0 || m_stopping)
        return; // the gathering under way answers this one too
    m_pendingStats = PublishStats{};
    m_statsOutstanding = int(m_workers.size());
    for (PublishWorker *worker : m_workers)
        worker->collectStats();
}

void PublishServer::onWorkerStats(const PublishStats &stats)
{
    if (m_statsOutstanding <= 0) // a late answer after stop()
        return;
    m_pendingStats.add(stats);
    if (--m_statsOutstanding > 0)
        return;
    m_pendingStats.publishedPartials = m_publishedPartials.load(std::memory_order_relaxed);
    m_pendingStats.publishedFinals = m_publishedFinals.load(std::memory_order_relaxed);
    const std::vector<PendingRequest> requests = std::move(m_pendingRequests);
    m_pendingRequests.clear();
    for (const PendingRequest &request : requests)
        m_workers[size_t(request.worker)]->answer(
            request.requestId, respond(request, m_pendingStats), request.keepAlive);
    if (m_statsWanted) {
        m_statsWanted = false;
        Q_EMIT statsUpdated(m_pendingStats);
    }
}

QByteArray PublishServer::respond(const PendingRequest &request, const PublishStats &stats) const
{
    const bool close = !request.keepAlive;
    if (request.endpoint == ServiceEndpoint::Health) {
        QJsonObject health =
            m_health ? m_health() : QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}};
        if (!health.contains(QLatin1String("fanout")))
            health.insert(QLatin1String("fanout"),
                          QJsonObject{{QStringLiteral("clients"), qint64(stats.clients)},
                                      {QStringLiteral("rooms"), qint64(stats.rooms.size())}});
        const bool healthy = health.value(QLatin1String("healthy")).toBool(true);
        return httpResponse(healthy ? 200 : 503, "application/json",
                            QJsonDocument(health).toJson(QJsonDocument::Compact) + '\n', close);
    }
    QByteArray text = m_metrics ? m_metrics() : QByteArray();
    if (!text.isEmpty() && !text.endsWith('\n'))
        text += '\n';
    PrometheusText own;
    stats.appendMetrics(own);
    text += own.text();
    return httpResponse(200, kPrometheusContentType, text, close);
}

void PublishServer::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_statsOutstanding = 0;
    m_pendingRequests.clear();
    m_listener.close();
    if (!m_started) {
        QMetaObject::invokeMethod(this, &PublishServer::stopped, Qt::QueuedConnection);
        return;
    }
    m_shutdownOutstanding = int(m_workers.size());
    for (PublishWorker *worker : m_workers)
        worker->shutdown();
}

} // namespace roomscribe::publish

#pragma once

#include "publish/publishconfig.h"
#include "publish/publishstats.h"
#include "publish/publishworker.h"
#include "stt/transcriptsegment.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>

#include <atomic>
#include <functional>
#include <vector>

class QThread;

// The live fan-out (--http-listen HOST:PORT):
//
//   GET /api/realtime/transcribe?room=NAME   WebSocket; token in
//       "Authorization: Bearer T" or ?access_token=T (browsers cannot set
//       headers). Refusals are HTTP answers before the upgrade: 400, 401
//       (no, bad or expired token), 403 (token for other rooms), with the
//       reason as text. A client first gets the room's last finals, each
//       {"type":"final","replay":true,"segment":S}, then every segment as
//       {"type":"partial"|"final","segment":S}, S being stt::toJson(segment).
//       It is closed with 1008 "client too slow" when finals overflow its
//       queue (partials are dropped first), 1008 "token expired" at its
//       token's exp, 1001 on shutdown.
//   GET /health    the health provider's JSON, plus "fanout": {clients,
//       rooms}; 503 when the provider says "healthy": false.
//   GET /metrics   the metrics provider's text, then the fan-out's own
//       families (PublishStats::appendMetrics), Prometheus text 0.0.4.
//
// Lives on the thread that creates it (the main thread), which accepts
// connections and hands them to worker threads in turn (PublishWorker).
namespace roomscribe::publish {

class PublishServer final : public QObject
{
    Q_OBJECT
public:
    using HealthProvider = std::function<QJsonObject()>;
    using MetricsProvider = std::function<QByteArray()>;

    explicit PublishServer(PublishConfig config, QObject *parent = nullptr);
    ~PublishServer() override;

    // False with *error when the address is taken or no token secret is set.
    bool start(QString *error);
    quint16 port() const { return m_listener.serverPort(); }
    int workerCount() const { return int(m_workers.size()); }

    // Called on this object's thread for each /health or /metrics request,
    // from its event loop (never inside publish()); they should return a
    // snapshot at hand rather than gather one.
    void setHealthProvider(HealthProvider provider) { m_health = std::move(provider); }
    void setMetricsProvider(MetricsProvider provider) { m_metrics = std::move(provider); }

    // Thread-safe. Serializes the segment once and hands it to every worker;
    // a segment without a room is not published. Segments of one room
    // arrive in the order they were published from one thread.
    void publish(const stt::TranscriptSegment &segment);
    // Thread-safe. Drops the room's replay (the room has ended); its clients stay.
    void forgetRoom(const QString &room);

    // Answers with statsUpdated() once every worker has reported.
    void requestStats();
    // Stops listening and closes every connection (clients get 1001); then stopped().
    void stop();

Q_SIGNALS:
    void statsUpdated(const roomscribe::publish::PublishStats &stats);
    void stopped();

private:
    class Listener final : public QTcpServer
    {
    public:
        explicit Listener(PublishServer *server) : m_server(server) {}

    protected:
        void incomingConnection(qintptr fd) override { m_server->adopt(fd); }

    private:
        PublishServer *m_server;
    };

    struct PendingRequest
    {
        int worker = 0;
        quint64 requestId = 0;
        ServiceEndpoint endpoint = ServiceEndpoint::Invalid;
        bool keepAlive = false;
    };

    void adopt(qintptr fd);
    void onServiceRequested(int worker, quint64 requestId, ServiceEndpoint endpoint,
                            bool keepAlive);
    void gather();
    void onWorkerStats(const PublishStats &stats);
    QByteArray respond(const PendingRequest &request, const PublishStats &stats) const;

    const PublishConfig m_config;
    Listener m_listener;
    std::vector<PublishWorker *> m_workers;
    std::vector<QThread *> m_threads;
    size_t m_nextWorker = 0;
    HealthProvider m_health;
    MetricsProvider m_metrics;
    std::atomic<uint64_t> m_publishedPartials{0};
    std::atomic<uint64_t> m_publishedFinals{0};
    // One gathering of worker stats at a time serves whoever asked meanwhile.
    int m_statsOutstanding = 0;
    bool m_statsWanted = false;
    PublishStats m_pendingStats;
    std::vector<PendingRequest> m_pendingRequests;
    int m_shutdownOutstanding = 0;
    bool m_started = false;
    bool m_stopping = false;
};

} // namespace roomscribe::publish

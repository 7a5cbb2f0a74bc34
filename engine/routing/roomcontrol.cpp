#include "routing/roomcontrol.h"

#include "core/logging.h"
#include "livekit/roomdirectory.h"
#include "livekit/webhookserver.h"
#include "routing/ingeststreamport.h"

#include <QJsonArray>

namespace roomscribe::routing {

RoomControl::RoomControl(RoomControlConfig config, ingest::IngestServer *ingest, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_twirp(std::make_unique<livekit::TwirpClient>(m_config.server)),
      m_directory(std::make_unique<livekit::RoomDirectory>(
          m_twirp.get(), std::chrono::milliseconds(m_config.pollInterval_ms))),
      m_streams(
          std::make_unique<IngestStreamPort>(ingest, m_config.rtmpPublicUrl, m_config.wsPublicUrl)),
      m_ledger(m_config.ledgerPath),
      m_router(std::make_unique<EgressRouter>(m_config.router, m_twirp.get(), m_directory.get(),
                                              m_streams.get(), &m_ledger))
{
    connect(m_router.get(), &EgressRouter::stoppedAll, this, &RoomControl::stopped);
    connect(m_directory.get(), &livekit::RoomDirectory::reachabilityChanged, this,
            [](bool reachable, const QString &error) {
                if (reachable)
                    qCInfo(lcLiveKit) << "LiveKit reachable";
                else
                    qCWarning(lcLiveKit).noquote() << "LiveKit unreachable:" << error;
            });
}

RoomControl::~RoomControl() = default;

bool RoomControl::start(QString *error)
{
    if (!m_ledger.load(error))
        return false;
    if (m_config.webhooks) {
        m_webhooks = std::make_unique<livekit::WebhookServer>(
            livekit::WebhookServerConfig{m_config.server.apiKey, m_config.server.apiSecret});
        if (!m_webhooks->listen(m_config.webhookAddress, m_config.webhookPort, error))
            return false;
        connect(m_webhooks.get(), &livekit::WebhookServer::eventReceived, m_directory.get(),
                &livekit::RoomDirectory::applyWebhook);
    }
    const int adoptable = int(m_ledger.records().size());
    qCInfo(lcLiveKit).noquote()
        << "LiveKit at" << m_config.server.host.toString() << "| egress limit"
        << m_config.router.egressLimit << "| method" << methodName(m_config.router.defaultMethod)
        << (adoptable ? QStringLiteral("| %1 egress(es) to look for").arg(adoptable) : QString());
    m_directory->start();
    return true;
}

void RoomControl::stop()
{
    m_router->stopAll();
}

quint16 RoomControl::webhookPort() const
{
    return m_webhooks ? m_webhooks->port() : 0;
}

QJsonObject RoomControl::statsJson() const
{
    const EgressBudget budget = m_router->budget();
    QJsonArray rooms;
    for (const RoomStatus &room : m_router->rooms()) {
        rooms.append(QJsonObject{
            {QStringLiteral("room"), room.room},
            {QStringLiteral("phase"), phaseName(room.phase)},
            {QStringLiteral("method"), methodName(room.method)},
            {QStringLiteral("requested_method"), methodName(room.requestedMethod)},
            {QStringLiteral("participants"), room.participants},
            {QStringLiteral("egresses"), room.egresses},
            {QStringLiteral("queue_position"), room.queuePosition},
            {QStringLiteral("detail"), room.detail},
        });
    }
    QJsonObject stats{
        {QStringLiteral("reachable"), m_directory->isReachable()},
        {QStringLiteral("error"), m_directory->lastError()},
        {QStringLiteral("egress"), QJsonObject{{QStringLiteral("limit"), budget.limit},
                                               {QStringLiteral("used"), budget.used},
                                               {QStringLiteral("in_flight"), budget.inFlight},
                                               {QStringLiteral("full"), budget.full}}},
        {QStringLiteral("rooms"), rooms},
    };
    if (m_webhooks) {
        const livekit::WebhookServerStats webhooks = m_webhooks->stats();
        stats.insert(QStringLiteral("webhooks"),
                     QJsonObject{{QStringLiteral("accepted"), double(webhooks.accepted)},
                                 {QStringLiteral("duplicates"), double(webhooks.duplicates)},
                                 {QStringLiteral("rejected"), double(webhooks.rejected)}});
    }
    return stats;
}

} // namespace roomscribe::routing

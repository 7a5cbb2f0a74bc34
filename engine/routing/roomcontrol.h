#pragma once

#include "livekit/twirpclient.h"
#include "routing/egressledger.h"
#include "routing/egressrouter.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <memory>

namespace roomscribe::ingest {
class IngestServer;
}
namespace roomscribe::livekit {
class RoomDirectory;
class WebhookServer;
} // namespace roomscribe::livekit

namespace roomscribe::routing {

class IngestStreamPort;

struct RoomControlConfig
{
    livekit::ServerConfig server;
    QUrl rtmpPublicUrl; // rtmp://host:port/app, as Room Composite egress must dial it
    QUrl wsPublicUrl;   // ws(s)://host:port, as Track Egress must dial it
    bool webhooks = false;
    QHostAddress webhookAddress;
    quint16 webhookPort = 0;
    int pollInterval_ms = 5000;
    RouterConfig router;
    QString ledgerPath; // empty: nothing is adopted after a crash
};

// LiveKit control on the control thread: the Twirp client, the room
// directory fed by polling and webhooks, the egress ledger and the router,
// with the router's streams on the engine's ingest.
class RoomControl final : public QObject
{
    Q_OBJECT
public:
    RoomControl(RoomControlConfig config, ingest::IngestServer *ingest, QObject *parent = nullptr);
    ~RoomControl() override;

    // Reads the ledger, opens the webhook endpoint, starts polling.
    bool start(QString *error);
    // Stops every egress this engine started and drains their streams; stopped() then.
    void stop();

    EgressRouter *router() { return m_router.get(); }
    livekit::RoomDirectory *directory() { return m_directory.get(); }
    quint16 webhookPort() const;
    QJsonObject statsJson() const;

Q_SIGNALS:
    void stopped();

private:
    RoomControlConfig m_config;
    std::unique_ptr<livekit::TwirpClient> m_twirp;
    std::unique_ptr<livekit::RoomDirectory> m_directory;
    std::unique_ptr<livekit::WebhookServer> m_webhooks;
    std::unique_ptr<IngestStreamPort> m_streams;
    EgressLedger m_ledger;
    std::unique_ptr<EgressRouter> m_router;
};

} // namespace roomscribe::routing

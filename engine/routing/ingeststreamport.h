#pragma once

#include "routing/streamport.h"

#include <QHash>
#include <QObject>
#include <QUrl>

namespace roomscribe::ingest {
class IngestServer;
}

namespace roomscribe::routing {

// The router's streams on the engine's own ingest: composite mixes on the
// RTMP server, tracks on the Track Egress WebSocket endpoint, rooms joined
// as a hidden WebRTC subscriber on the participant ingest.
class IngestStreamPort final : public QObject, public StreamPort
{
    Q_OBJECT
public:
    // rtmpBase: rtmp://host:port/app as egress must dial it; wsBase: ws(s)://host:port.
    IngestStreamPort(ingest::IngestServer *ingest, QUrl rtmpBase, QUrl wsBase,
                     QObject *parent = nullptr);

    StreamEndpoint openCompositeStream(const QString &room) override;
    StreamEndpoint openTrackStream(const ingest::StreamLabel &label) override;
    bool reopenStream(const StreamEndpoint &endpoint) override;
    void closeStream(const StreamEndpoint &endpoint, std::function<void()> done) override;
    QString errorText() const override { return m_errorText; }
    bool canJoinRooms() const override;
    bool joinRoom(const QString &room, bool speakersOnly) override;
    void leaveRoom(const QString &room, std::function<void()> done) override;
    void setSubscriberObserver(SubscriberObserver observer) override;

private:
    QUrl compositeUrl(const QString &key) const;
    QUrl trackUrl(const QString &token) const;

    ingest::IngestServer *m_ingest;
    QUrl m_rtmpBase;
    QUrl m_wsBase;
    QString m_errorText;
    QMultiHash<QString, std::function<void()>> m_closing; // by app/key
    QMultiHash<QString, std::function<void()>> m_leaving; // by room
    SubscriberObserver m_subscriberObserver;
};

} // namespace roomscribe::routing

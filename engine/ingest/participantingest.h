#pragma once

#include "ingest/participant/participantconfig.h"
#include "ingest/participant/subscriberstatus.h"
#include "ingest/streamowner.h"

#include <QHash>

namespace roomscribe::ingest {

class RoomSubscriber;

// Rooms taken without egress: each joined as a hidden, subscribe-only
// participant (RoomSubscriber), every remote microphone track one stream of
// Opus RTP, all on this owner's thread. The workstation dials out, so this
// works behind NAT with no public RTMP or WebSocket address.
//
// Why one thread: a track is ~50 Opus packets a second to decode (a few
// percent of a core for dozens of tracks); GStreamer's own threads carry the
// network and the jitter buffers, and hand packets over in bursts.
class ParticipantIngest final : public StreamOwner
{
    Q_OBJECT

public:
    static constexpr auto kApp = "participant"; // the app of every participant stream

    ParticipantIngest(int index, const IngestConfig &config,
                      std::shared_ptr<StreamRegistry> registry);
    ~ParticipantIngest() override;

    // Thread-safe: queued onto this owner's thread. Joining a room that is
    // joined already changes nothing; SpeakersOnly joins for the room's
    // active speakers alone.
    void joinRoom(const QString &room, bool speakersOnly);
    // Leaves, closes and drains the room's streams; roomLeft() then, also
    // for a room that was never joined.
    void leaveRoom(const QString &room);

    // For this owner's subscribers (same thread).
    const ParticipantConfig &participantConfig() const { return m_config.participant; }
    // A subscriber's track stream: its key registered, and once closed and
    // drained, the subscriber's onStreamClosed(). False when the key cannot
    // be registered.
    bool openTrackStream(RoomSubscriber *subscriber, const QString &key, const StreamLabel &label);
    void closeTrackStream(const QString &key);

Q_SIGNALS:
    void statusChanged(const roomscribe::ingest::SubscriberStatus &status);
    void speakersChanged(const roomscribe::ingest::SpeakerUpdate &update);
    void roomLeft(const QString &room);

protected:
    int connectionCount() const override;
    void closeConnections(const QString &reason) override;

private:
    void forget(RoomSubscriber *subscriber);

    QHash<QString, RoomSubscriber *> m_subscribers;  // by room; children of this
    QHash<QString, RoomSubscriber *> m_streamOwners; // stream key → its subscriber
};

} // namespace roomscribe::ingest

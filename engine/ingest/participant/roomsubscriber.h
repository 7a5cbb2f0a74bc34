#pragma once

#include "ingest/participant/participantconfig.h"
#include "ingest/participant/subscriberstatus.h"
#include "ingest/streamowner.h"
#include "livekit/signal/signalcodec.h"
#include "stt/backoff.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_map>

namespace roomscribe::livekit {
class SignalClient;
}

namespace roomscribe::ingest {

class ParticipantIngest;
class WebRtcSession;

// One room joined as a hidden, subscribe-only participant: LiveKit's
// signalling (SignalClient), one subscriber PeerConnection (WebRtcSession),
// and one ingest stream per remote microphone track, named by its
// participant's identity. Lives on the ParticipantIngest's thread.
//
// A signalling drop is resumed without touching the PeerConnection, so media
// keeps flowing; a full rejoin (resume refused) builds a new PeerConnection
// and the tracks' streams continue where they were. Audio-less mode joins
// for SpeakersChanged only (a room whose audio comes by Room Composite).
class RoomSubscriber final : public QObject
{
    Q_OBJECT

public:
    enum class Mode {
        Invalid,
        Audio,        // every microphone track, decoded per speaker
        SpeakersOnly, // no tracks: who speaks, for a composite room's labels
    };

    RoomSubscriber(QString room, Mode mode, const ParticipantConfig &config,
                   ParticipantIngest *owner);
    ~RoomSubscriber() override;

    const QString &room() const { return m_room; }
    Mode mode() const { return m_mode; }
    void start();
    // Leaves the room, closes and drains every stream; left() once they have.
    // Always finishes, whatever the signalling is doing.
    void leave();
    bool isLeaving() const { return m_leaving; }
    int trackCount() const; // tracks received
    // For the owner: one of this subscriber's streams has been drained.
    void onStreamClosed(const QString &key);

Q_SIGNALS:
    void statusChanged(const roomscribe::ingest::SubscriberStatus &status);
    void speakersChanged(const roomscribe::ingest::SpeakerUpdate &update);
    void left(const QString &room);

private:
    class TrackPublisher;
    // A track's media, from trackAdded until the track ends.
    struct Received
    {
        QString identity;
        QString key; // the ingest stream's key
        std::unique_ptr<TrackPublisher> publisher;
        IngestStream *stream = nullptr; // while published
    };
    // One remote microphone track: what the signalling says of it and, once
    // its media comes, what is received. The media may come before or after
    // the ParticipantInfo that names the track's owner.
    struct Track
    {
        QString participantSid; // empty while no ParticipantInfo lists the track
        bool muted = false;
        std::unique_ptr<Received> received;
    };

    QByteArray mintToken() const;
    void onJoined(const livekit::SignalJoin &join);
    void rememberParticipants(const QList<livekit::SignalParticipant> &participants);
    void onSignalState();
    void buildSession();
    void onTrackAdded(const QString &trackSid);
    void onPackets(const QString &trackSid, const char *rtp, size_t size, int64_t arrival_ns);
    void setMuted(Track &track, bool muted);
    // Ends the track's stream; a track no ParticipantInfo lists is forgotten.
    void endTrack(const QString &trackSid, const QString &why);
    void onMediaTimeout();
    void setStatus(SubscriberPhase phase, const QString &detail, qint64 retryAt_ms = 0);
    void finishLeaveIfDone();

    const QString m_room;
    const Mode m_mode;
    const ParticipantConfig m_config;
    const QString m_identity;
    ParticipantIngest *m_owner;
    std::unique_ptr<livekit::SignalClient> m_signal;
    std::unique_ptr<WebRtcSession> m_session;
    QHash<QString, QString> m_identities;        // participant sid → identity
    std::unordered_map<QString, Track> m_tracks; // by track sid
    QSet<QString> m_closing;                     // stream keys closing
    QTimer m_mediaTimer;                         // a join that never brings media
    stt::Backoff m_mediaBackoff;
    SubscriberStatus m_status;
    bool m_mediaUp = false;
    bool m_leaving = false;
    bool m_signalClosed = false;
    bool m_leftEmitted = false;
};

} // namespace roomscribe::ingest

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
    int trackCount() const { return int(m_tracks.size()); }
    // For the owner: one of this subscriber's streams has been drained.
    void onStreamClosed(const QString &key);

Q_SIGNALS:
    void statusChanged(const roomscribe::ingest::SubscriberStatus &status);
    void speakersChanged(const roomscribe::ingest::SpeakerUpdate &update);
    void left(const QString &room);

private:
    class TrackPublisher;
    struct Track
    {
        QString trackSid;
        QString participantSid;
        QString identity;
        QString key; // the ingest stream's key
        std::unique_ptr<TrackPublisher> publisher;
        IngestStream *stream = nullptr; // while published
    };

    QByteArray mintToken() const;
    void onJoined(const livekit::SignalJoin &join);
    void rememberParticipants(const QList<livekit::SignalParticipant> &participants);
    void onSignalState();
    void buildSession();
    void onTrackAdded(const QString &trackSid);
    void onPackets(const QString &trackSid, const char *rtp, size_t size, int64_t arrival_ns);
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
    QHash<QString, QString> m_identities;  // participant sid → identity
    QHash<QString, QString> m_trackOwners; // track sid → participant sid
    QHash<QString, bool> m_trackMuted;     // track sid → muted, as signalled
    std::unordered_map<QString, std::unique_ptr<Track>> m_tracks; // by track sid
    QSet<QString> m_closing;                                      // stream keys closing
    QTimer m_mediaTimer;                                          // a join that never brings media
    stt::Backoff m_mediaBackoff;
    SubscriberStatus m_status;
    bool m_mediaUp = false;
    bool m_leaving = false;
    bool m_signalClosed = false;
    bool m_leftEmitted = false;
};

} // namespace roomscribe::ingest

#include "ingest/participant/roomsubscriber.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingeststream.h"
#include "ingest/participantingest.h"
#include "ingest/streamregistry.h"
#include "ingest/webrtc/webrtcsession.h"
#include "livekit/accesstoken.h"
#include "livekit/signal/signalclient.h"
#include "media/opusrtpdecoder.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>

namespace roomscribe::ingest {

// How long a join token is good for: each attempt mints its own.
constexpr std::chrono::seconds kJoinTokenTtl{600};

// A remote track as the stream it publishes into sees it.
class RoomSubscriber::TrackPublisher final : public Publisher
{
public:
    TrackPublisher(RoomSubscriber *subscriber, QString trackSid)
        : m_subscriber(subscriber), m_trackSid(std::move(trackSid))
    {
    }
    QString peer() const override
    {
        return QStringLiteral("LiveKit room %1 (WebRTC)").arg(m_subscriber->room());
    }
    void close(const QString &reason) override { m_subscriber->endTrack(m_trackSid, reason); }

private:
    RoomSubscriber *m_subscriber;
    QString m_trackSid;
};

static QString newIdentity()
{
    return QStringLiteral("roomscribe-%1")
        .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
}

// The RTP timestamp of a packet in ms; 0 for a packet too short to have one
// (the decoder rejects it).
static uint32_t rtpTimestamp_ms(const char *rtp, size_t size)
{
    uint32_t ticks = 0;
    if (!media::rtpTimestamp(rtp, size, &ticks))
        return 0;
    return ticks / (media::OpusRtpStreamDecoder::kSampleRate_Hz / 1000);
}

RoomSubscriber::RoomSubscriber(QString room, Mode mode, const ParticipantConfig &config,
                               ParticipantIngest *owner)
    : QObject(owner), m_room(std::move(room)), m_mode(mode), m_config(config),
      m_identity(newIdentity()), m_owner(owner), m_mediaTimer(this),
      m_mediaBackoff(config.reconnect)
{
    m_status.room = m_room;
    m_mediaTimer.setSingleShot(true);
    connect(&m_mediaTimer, &QTimer::timeout, this, &RoomSubscriber::onMediaTimeout);

    livekit::SignalClientConfig signalConfig;
    signalConfig.livekitUrl = config.livekitUrl;
    signalConfig.autoSubscribe = mode == Mode::Audio;
    signalConfig.reconnect = config.reconnect;
    signalConfig.tokenSource = [this] {
        return mintToken();
    };
    m_signal = std::make_unique<livekit::SignalClient>(signalConfig);
    connect(m_signal.get(), &livekit::SignalClient::joined, this, &RoomSubscriber::onJoined);
    connect(m_signal.get(), &livekit::SignalClient::stateChanged, this,
            &RoomSubscriber::onSignalState);
    connect(m_signal.get(), &livekit::SignalClient::offerReceived, this,
            [this](const QString &sdp) {
                if (m_session)
                    m_session->setRemoteOffer(sdp);
            });
    connect(m_signal.get(), &livekit::SignalClient::remoteCandidate, this,
            [this](const livekit::IceCandidate &candidate) {
                if (m_session)
                    m_session->addRemoteCandidate(candidate);
            });
    connect(m_signal.get(), &livekit::SignalClient::participantsUpdated, this,
            &RoomSubscriber::rememberParticipants);
    connect(m_signal.get(), &livekit::SignalClient::trackUnpublished, this,
            [this](const QString &trackSid) { endTrack(trackSid, QStringLiteral("unpublished")); });
    connect(m_signal.get(), &livekit::SignalClient::trackMuted, this,
            [this](const QString &trackSid, bool muted) {
                // A track no ParticipantInfo has listed yet gets its state from
                // the one that does.
                const auto it = m_tracks.find(trackSid);
                if (it != m_tracks.end())
                    setMuted(it->second, muted);
            });
    connect(m_signal.get(), &livekit::SignalClient::speakersChanged, this,
            [this](const QList<livekit::SignalSpeaker> &speakers) {
                SpeakerUpdate update;
                update.room = m_room;
                update.at_ms = QDateTime::currentMSecsSinceEpoch();
                for (const livekit::SignalSpeaker &speaker : speakers) {
                    const QString identity = m_identities.value(speaker.participantSid);
                    if (!identity.isEmpty())
                        update.changes.append({identity, speaker.level, speaker.active});
                }
                if (!update.changes.isEmpty())
                    Q_EMIT speakersChanged(update);
            });
    connect(m_signal.get(), &livekit::SignalClient::resumed, this, [this] {
        qCInfo(lcParticipant).noquote() << "room" << m_room << ": signalling resumed";
        onSignalState();
    });
    connect(m_signal.get(), &livekit::SignalClient::closed, this, [this](const QString &reason) {
        m_signalClosed = true;
        if (m_leaving) {
            finishLeaveIfDone();
            return;
        }
        // LiveKit ended our session (room deleted, removed, refused): the
        // router decides whether to try again.
        qCWarning(lcParticipant).noquote()
            << "room" << m_room << ": LiveKit closed the session:" << reason;
        setStatus(SubscriberPhase::Failed, reason);
    });
}

RoomSubscriber::~RoomSubscriber()
{
    // The session first: no packets may arrive for tracks being torn down.
    m_session.reset();
}

QByteArray RoomSubscriber::mintToken() const
{
    livekit::VideoGrant grant;
    grant.roomJoin = true;
    grant.room = m_room;
    grant.canSubscribe = true;
    grant.canPublish = false;
    grant.canPublishData = false;
    grant.hidden = true;
    livekit::TokenClaims claims = livekit::makeClaims(
        m_config.apiKey, grant, QDateTime::currentSecsSinceEpoch(), kJoinTokenTtl);
    claims.identity = m_identity;
    return livekit::createToken(claims, m_config.apiSecret);
}

void RoomSubscriber::start()
{
    setStatus(SubscriberPhase::Joining, tr("joining as a hidden participant"));
    m_signal->join();
}

void RoomSubscriber::onJoined(const livekit::SignalJoin &join)
{
    qCInfo(lcParticipant).noquote()
        << "room" << m_room << ": joined as" << m_identity << "(" << join.self.sid << "), "
        << join.others.size() << "other participant(s)";
    // The join lists the participants anew; tracks being received carry on.
    m_identities.clear();
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        it->second.participantSid.clear();
        it = it->second.received ? std::next(it) : m_tracks.erase(it);
    }
    rememberParticipants(join.others);
    if (m_mode == Mode::SpeakersOnly) { // signalling alone: nothing is offered
        setStatus(SubscriberPhase::Running, QString());
        return;
    }
    // Every join (the first, or a rejoin after a refused resume) is a new
    // subscriber PeerConnection; the tracks' streams carry on.
    buildSession();
    setStatus(SubscriberPhase::Joining, tr("setting up media"));
    m_mediaTimer.start(m_config.mediaTimeout_s * 1000);
}

void RoomSubscriber::rememberParticipants(const QList<livekit::SignalParticipant> &participants)
{
    for (const livekit::SignalParticipant &participant : participants) {
        if (participant.disconnected) {
            m_identities.remove(participant.sid);
            QStringList gone;
            for (auto &[trackSid, track] : m_tracks) {
                if (track.participantSid == participant.sid) {
                    track.participantSid.clear(); // so that endTrack() forgets it
                    gone.append(trackSid);
                }
            }
            for (const QString &trackSid : std::as_const(gone))
                endTrack(trackSid, QStringLiteral("participant left"));
            continue;
        }
        m_identities.insert(participant.sid, participant.identity);
        for (const livekit::SignalTrack &signalled : participant.tracks) {
            if (!signalled.audio)
                continue;
            Track &track = m_tracks[signalled.sid];
            track.participantSid = participant.sid;
            setMuted(track, signalled.muted);
        }
    }
}

void RoomSubscriber::buildSession()
{
    m_session.reset();
    if (m_leaving)
        return;
    WebRtcSessionConfig config;
    config.stunServers = m_config.stunServers;
    config.jitterLatency_ms = m_config.jitterLatency_ms;
    m_session = std::make_unique<WebRtcSession>(config);
    connect(m_session.get(), &WebRtcSession::answerReady, m_signal.get(),
            &livekit::SignalClient::sendAnswer);
    connect(m_session.get(), &WebRtcSession::localCandidate, m_signal.get(),
            &livekit::SignalClient::sendCandidate);
    connect(m_session.get(), &WebRtcSession::trackAdded, this,
            [this](const QString &trackSid, const QString &) { onTrackAdded(trackSid); });
    connect(m_session.get(), &WebRtcSession::trackRemoved, this,
            [this](const QString &trackSid) { endTrack(trackSid, QStringLiteral("removed")); });
    connect(m_session.get(), &WebRtcSession::connectionStateChanged, this,
            [this](const QString &state) {
                qCInfo(lcParticipant).noquote() << "room" << m_room << ": media" << state;
                if (state == QLatin1String("connected")) {
                    m_mediaUp = true;
                    m_mediaTimer.stop();
                    m_mediaBackoff.reset();
                    onSignalState();
                }
            });
    connect(m_session.get(), &WebRtcSession::failed, this, [this](const QString &why) {
        // ICE failed or the PeerConnection broke: build a new one on a
        // fresh join, after a pause.
        m_mediaUp = false;
        onMediaTimeout();
        qCWarning(lcParticipant).noquote() << "room" << m_room << ": media failed:" << why;
    });
    m_session->setPacketSink(
        [this](const QString &trackSid, const char *rtp, size_t size, int64_t arrival_ns) {
            onPackets(trackSid, rtp, size, arrival_ns);
        });
    QString error;
    if (!m_session->start(&error)) {
        m_session.reset();
        setStatus(SubscriberPhase::Failed, tr("WebRTC cannot start: %1").arg(error));
    }
}

void RoomSubscriber::onTrackAdded(const QString &trackSid)
{
    if (m_leaving || m_mode != Mode::Audio)
        return;
    const auto it = m_tracks.find(trackSid);
    const QString identity =
        it == m_tracks.end() ? QString() : m_identities.value(it->second.participantSid);
    if (identity.isEmpty()) {
        qCWarning(lcParticipant).noquote()
            << "room" << m_room << ": track" << trackSid << "has no known participant: ignored";
        return;
    }
    Track &track = it->second;
    if (!track.received) {
        auto received = std::make_unique<Received>();
        received->identity = identity;
        received->key = StreamRegistry::generateKey();
        received->publisher = std::make_unique<TrackPublisher>(this, trackSid);
        if (!m_owner->openTrackStream(this, received->key, {m_room, identity, trackSid})) {
            qCWarning(lcParticipant).noquote()
                << "room" << m_room << ": no stream for track" << trackSid;
            return;
        }
        track.received = std::move(received);
    }
    Received &received = *track.received;
    if (received.stream)
        return;
    received.stream = m_owner->attachPublisher(
        received.publisher.get(), QString::fromLatin1(ParticipantIngest::kApp), received.key);
    if (received.stream) {
        received.stream->setMuted(track.muted);
        qCInfo(lcParticipant).noquote()
            << "room" << m_room << ": receiving" << identity << "(" << trackSid << ")";
    }
    m_status.tracks = trackCount();
    onSignalState();
}

void RoomSubscriber::onPackets(const QString &trackSid, const char *rtp, size_t size,
                               int64_t arrival_ns)
{
    const auto it = m_tracks.find(trackSid);
    if (it == m_tracks.end() || !it->second.received || !it->second.received->stream)
        return;
    m_owner->countInput(size);
    IngestStream *stream = it->second.received->stream;
    if (!stream->onAudio(rtpTimestamp_ms(rtp, size), rtp, size, arrival_ns)) {
        qCWarning(lcParticipant).noquote() << "room" << m_room << ": track" << trackSid
                                           << "cannot be decoded:" << stream->errorText();
        endTrack(trackSid, stream->errorText());
    }
}

void RoomSubscriber::endTrack(const QString &trackSid, const QString &why)
{
    const auto it = m_tracks.find(trackSid);
    if (it == m_tracks.end())
        return;
    // Taken first: closing the publisher comes back here.
    const std::unique_ptr<Received> received = std::move(it->second.received);
    if (it->second.participantSid.isEmpty()) // no longer signalled either
        m_tracks.erase(it);
    if (!received)
        return;
    qCInfo(lcParticipant).noquote() << "room" << m_room << ": track" << trackSid << "of"
                                    << received->identity << "ends:" << why;
    if (received->stream)
        m_owner->detachPublisher(received->publisher.get(), received->stream);
    // The stream ends with its track: flushed, drained, its key forgotten.
    m_closing.insert(received->key);
    m_owner->closeTrackStream(received->key);
    m_status.tracks = trackCount();
}

int RoomSubscriber::trackCount() const
{
    return int(std::count_if(m_tracks.cbegin(), m_tracks.cend(),
                             [](const auto &entry) { return entry.second.received != nullptr; }));
}

void RoomSubscriber::setMuted(Track &track, bool muted)
{
    track.muted = muted;
    if (track.received && track.received->stream)
        track.received->stream->setMuted(muted);
}

void RoomSubscriber::onStreamClosed(const QString &key)
{
    if (m_closing.remove(key))
        finishLeaveIfDone();
}

void RoomSubscriber::onMediaTimeout()
{
    if (m_leaving || m_mediaUp)
        return;
    // A join whose media never came up: most often no UDP path to LiveKit's
    // media server. Try again from a fresh join after a pause.
    const int delay_ms = m_mediaBackoff.nextDelay_ms();
    const qint64 retryAt_ms = QDateTime::currentMSecsSinceEpoch() + delay_ms;
    setStatus(SubscriberPhase::Failed,
              tr("no media from LiveKit within %1 s (is UDP to its media server blocked?)")
                  .arg(m_config.mediaTimeout_s),
              retryAt_ms);
    m_session.reset();
    QTimer::singleShot(delay_ms, this, [this] {
        if (!m_leaving && !m_mediaUp)
            m_signal->rejoin();
    });
}

void RoomSubscriber::onSignalState()
{
    if (m_leaving)
        return;
    switch (m_signal->state()) {
    case livekit::SignalClient::State::Joined:
        if (m_mediaUp || m_mode == Mode::SpeakersOnly)
            setStatus(SubscriberPhase::Running, QString());
        return;
    case livekit::SignalClient::State::Resuming:
    case livekit::SignalClient::State::WaitingToReconnect:
    case livekit::SignalClient::State::Connecting:
        if (m_status.phase == SubscriberPhase::Running ||
            m_status.phase == SubscriberPhase::Reconnecting)
            setStatus(SubscriberPhase::Reconnecting, m_signal->detail(), m_signal->retryAt_ms());
        return;
    default:
        return;
    }
}

void RoomSubscriber::leave()
{
    if (m_leaving)
        return;
    m_leaving = true;
    m_mediaTimer.stop();
    m_session.reset();
    std::vector<QString> trackSids;
    for (const auto &[trackSid, track] : m_tracks) {
        if (track.received)
            trackSids.push_back(trackSid);
    }
    for (const QString &trackSid : trackSids)
        endTrack(trackSid, QStringLiteral("leaving the room"));
    if (m_signalClosed)
        finishLeaveIfDone();
    else
        m_signal->leave(); // closed() follows, always
}

void RoomSubscriber::finishLeaveIfDone()
{
    if (!m_leaving || !m_signalClosed || !m_closing.isEmpty() || m_leftEmitted)
        return;
    m_leftEmitted = true;
    setStatus(SubscriberPhase::Left, QString());
    Q_EMIT left(m_room);
}

void RoomSubscriber::setStatus(SubscriberPhase phase, const QString &detail, qint64 retryAt_ms)
{
    if (m_status.phase == phase && m_status.detail == detail && m_status.retryAt_ms == retryAt_ms)
        return;
    m_status.phase = phase;
    m_status.detail = detail;
    m_status.retryAt_ms = retryAt_ms;
    m_status.tracks = trackCount();
    Q_EMIT statusChanged(m_status);
}

} // namespace roomscribe::ingest

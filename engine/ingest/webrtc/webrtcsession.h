#pragma once

#include "livekit/signal/icecandidate.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace roomscribe::ingest {

struct WebRtcSessionConfig
{
    QStringList stunServers; // "stun:host:port"; only the first is used (libnice takes one)
    int jitterLatency_ms = 100;
    // Only host candidates, no STUN: both ends on this machine (tests). libnice
    // cannot be limited to 127.0.0.1 through webrtcbin, so the host
    // candidates are those of every local interface.
    bool loopbackOnly = false;
    uint8_t opusPayloadType = 111;
};

// One receive-only subscriber PeerConnection (webrtcbin): the remote end
// offers, this answers. Lives on the thread that owns it; GStreamer's
// callbacks come on its own threads and are handed to this object's thread,
// so every signal and the packet sink run there, and nothing ever waits for
// GStreamer on it.
class WebRtcSession : public QObject
{
    Q_OBJECT

public:
    // One RTP packet of a track, after webrtcbin's jitter buffer (in order,
    // SRTP removed), and when it was taken from webrtcbin.
    using PacketSink = std::function<void(const QString &trackSid, const char *rtp, size_t size,
                                          int64_t arrival_ns)>;

    WebRtcSession(WebRtcSessionConfig config, QObject *parent = nullptr);
    ~WebRtcSession() override; // stop()

    // Builds the pipeline. False with error when GStreamer is missing pieces.
    bool start(QString *error);
    // A (re)offer: answerReady or failed. Tracks added come as trackAdded,
    // tracks gone from the offer as trackRemoved.
    void setRemoteOffer(const QString &sdp);
    // Kept until the offer is applied when one comes first.
    void addRemoteCandidate(const livekit::IceCandidate &candidate);
    // Tears the pipeline down; nothing is signalled or delivered after it
    // returns.
    void stop();

    void setPacketSink(PacketSink sink);

Q_SIGNALS:
    void answerReady(const QString &sdp);
    void localCandidate(const roomscribe::livekit::IceCandidate &candidate);
    // From the offer's `a=msid:<participantSid>|<trackSid> <trackSid>` (the
    // mid when an m-section has no msid).
    void trackAdded(const QString &trackSid, const QString &mid);
    void trackRemoved(const QString &trackSid);
    // webrtcbin's peer connection state: "new", "connecting", "connected",
    // "disconnected", "failed", "closed".
    void connectionStateChanged(const QString &state);
    void failed(const QString &why);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace roomscribe::ingest

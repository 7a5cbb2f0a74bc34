#pragma once

#include "livekit/signal/icecandidate.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace roomscribe::test {

// 48 kHz mono s16 as Opus packets of 20 ms (960 samples; a last partial
// frame is padded with silence), VOIP application, complexity 10, in-band
// FEC on with 10 % expected loss when `fec`. The same samples give the
// same packets on every run.
std::vector<QByteArray> encodeOpusPackets(const std::vector<int16_t> &pcm48kMono,
                                          int bitrate = 32000, bool fec = false);

// The sending side of a LiveKit subscriber PeerConnection, as the SFU is:
// the offerer, one sendonly Opus m-section per track (payload type 111,
// opus/48000/2, `a=msid:<participantSid>|<trackSid> <trackSid>`), each
// track's packets sent in real time, one every 20 ms. The RTP is built here
// (sequence numbers and timestamps consecutive from a fixed start, one
// packet per Opus packet) and goes through webrtcbin unchanged but for
// SRTP. Signals come on this object's thread.
class OpusWebRtcSender : public QObject
{
    Q_OBJECT

public:
    struct Track
    {
        QString participantSid;
        QString trackSid;
        std::vector<QByteArray> opusPackets;
    };

    static constexpr uint8_t kPayloadType = 111;
    static constexpr int kPacketDuration_ms = 20;

    explicit OpusWebRtcSender(QObject *parent = nullptr);
    ~OpusWebRtcSender() override;

    // Builds the PeerConnection and creates the offer (offerReady). Sending
    // starts once ICE and DTLS are up (connected). False with error when
    // GStreamer or an element is missing.
    bool start(const std::vector<Track> &tracks, QString *error);
    void setRemoteAnswer(const QString &sdp);
    // A track more on a running sender (the SFU's renegotiation): a new
    // offer comes as offerReady; the track sends once its answer is applied.
    void addTrack(const Track &track);
    void addRemoteCandidate(const livekit::IceCandidate &candidate);
    // A paused track sends nothing (a muted publisher); it resumes with its
    // next packet, so its sequence numbers have no gap.
    void setTrackPaused(const QString &trackSid, bool paused);
    // Tears the pipeline down; no signal after it returns.
    void stop();

    // Packets sent so far for a track.
    size_t packetsSent(const QString &trackSid) const;

Q_SIGNALS:
    void offerReady(const QString &sdp);
    void localCandidate(const roomscribe::livekit::IceCandidate &candidate);
    void connected();
    void finished(const QString &trackSid); // all of the track's packets sent
    void failed(const QString &why);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace roomscribe::test

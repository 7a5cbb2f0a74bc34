#pragma once

#include "media/polyphaseresampler.h"
#include "media/streamdecoder.h"

#include <cstdint>
#include <vector>

struct OpusDecoder;

namespace roomscribe::media {

// What RFC 3550 §5.1 puts before an RTP payload, and where the payload is.
struct RtpPacketView
{
    uint8_t payloadType = 0;
    bool marker = false;
    uint16_t sequenceNumber = 0;
    uint32_t timestamp = 0;
    uint32_t ssrc = 0;
    const char *payload = nullptr; // inside the parsed bytes
    size_t payloadSize = 0;        // without padding
};

// The timestamp field of an RTP packet; false for one too short to have it.
bool rtpTimestamp(const char *data, size_t size, uint32_t *timestamp);

// Parses the fixed header, the CSRC list, a header extension and padding.
// False with error for a version other than 2 and for a packet shorter than
// what its header announces.
bool parseRtpPacket(const char *data, size_t size, RtpPacketView *packet, QString *error);

// One remote WebRTC audio track — Opus RTP packets as webrtcbin's jitter
// buffer hands them on, one packet per feed() — to 16 kHz mono chunks:
// libopus at 48 kHz mono (a stereo stream is downmixed by libopus), then the
// exact 3:1 decimation of PolyphaseResampler.
//
// Losses, from the sequence numbers: the missing duration (from the
// timestamps, at most 120 ms per missing packet) is filled, a single lost
// packet from the next packet's in-band FEC (libopus falls back to its
// concealment when the packet carries none), more with libopus's packet loss
// concealment for up to kMaxConcealment_ms and silence beyond that: longer
// concealment is a buzzing fade that speech recognition takes for syllables,
// while silence keeps the output on the sender's clock. A packet older than
// the last one (reordered past the jitter buffer, or duplicated) is dropped.
// A jump of more than kMaxDropout packets either way, a new SSRC, or a gap
// longer than kMaxGap_ms is a restarted sender or an outage: decoding starts
// afresh without filling (the owner's feedSilence() covers long pauses;
// minutes of silence from one stray packet would not be loss).
//
// feed() fails only when the Opus decoder cannot be created. Every bad packet
// (malformed RTP, another payload type, Opus that does not decode) is counted
// in corruptFrames() and skipped, since one damaged datagram must not end a
// track; its duration is concealed once the next good packet arrives. The
// same packets always give the same bytes.
class OpusRtpStreamDecoder final : public StreamDecoder
{
public:
    static constexpr int kSampleRate_Hz = 48000;
    static constexpr int kChannels = 1;
    static constexpr uint8_t kDefaultPayloadType = 111;
    static constexpr int kMaxConcealment_ms = 120;
    static constexpr int kMaxPacketSamples = kSampleRate_Hz * 120 / 1000; // Opus's longest
    static constexpr int kMaxDropout = 3000;                              // RFC 3550 A.1
    static constexpr int kMaxGap_ms = 2000;

    OpusRtpStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk,
                         uint8_t payloadType = kDefaultPayloadType);
    ~OpusRtpStreamDecoder() override;

    // The next packet starts a new sequence.
    void endInput() override;
    int inputSampleRate_Hz() const override { return kSampleRate_Hz; }
    int inputChannels() const override { return kChannels; }
    uint64_t corruptFrames() const override { return m_corruptPackets; }

    uint64_t packets() const { return m_packets; }         // decoded
    uint64_t lostPackets() const { return m_lostPackets; } // missing from the sequence
    uint64_t latePackets() const { return m_latePackets; } // reordered or duplicate, dropped

private:
    bool decode(const char *data, size_t size, int64_t arrival_ns) override;
    void drain(int64_t arrival_ns) override;
    // Fills `samples` of a gap of `lost` packets before `next`.
    void conceal(int64_t samples, uint64_t lost, const RtpPacketView &next);
    void restart(const RtpPacketView &packet);
    void corrupt(const QString &why);

    uint8_t m_payloadType;
    OpusDecoder *m_decoder = nullptr;
    PolyphaseResampler m_resampler;
    bool m_started = false;
    uint32_t m_ssrc = 0;
    uint16_t m_expectedSequence = 0;
    uint32_t m_expectedTimestamp = 0;
    uint64_t m_packets = 0;
    uint64_t m_lostPackets = 0;
    uint64_t m_latePackets = 0;
    uint64_t m_corruptPackets = 0;
    std::vector<float> m_decoded; // 48 kHz, capacity reused
    std::vector<int16_t> m_pcm;
};

} // namespace roomscribe::media

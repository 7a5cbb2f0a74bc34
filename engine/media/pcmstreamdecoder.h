#pragma once

#include "media/polyphaseresampler.h"
#include "media/streamdecoder.h"

#include <array>
#include <vector>

namespace roomscribe::media {

// Raw PCM as LiveKit's Track Egress sends it over a WebSocket — s16le,
// 48 kHz, two channels interleaved (a mono microphone comes upmixed) — in
// pieces of any length, to 16 kHz mono chunks: the 0.5·L + 0.5·R mix and
// the exact 3:1 decimation of PolyphaseResampler. A piece may end inside a
// sample frame; those bytes wait for the next piece. feed() never fails.
class PcmStreamDecoder final : public StreamDecoder
{
public:
    static constexpr int kInputSampleRate_Hz = 48000;
    static constexpr int kInputChannels = 2;
    static constexpr size_t kBytesPerFrame = kInputChannels * sizeof(int16_t);

    PcmStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk);
    ~PcmStreamDecoder() override;

    void endInput() override { m_partialSize = 0; }
    int inputSampleRate_Hz() const override { return kInputSampleRate_Hz; }
    int inputChannels() const override { return kInputChannels; }

private:
    bool decode(const char *data, size_t size, int64_t arrival_ns) override;
    void drain(int64_t arrival_ns) override;
    // Converts `frames` interleaved frames of `bytes`.
    void convert(const char *bytes, size_t frames);

    PolyphaseResampler m_resampler;
    std::array<char, kBytesPerFrame> m_partial{}; // the start of a split frame
    size_t m_partialSize = 0;
    std::vector<float> m_left, m_right; // capacity reused
    std::vector<int16_t> m_pcm;
};

} // namespace roomscribe::media

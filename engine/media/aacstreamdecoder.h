#pragma once

#include "media/streamdecoder.h"

#include <memory>

namespace roomscribe::media {

// FLV audio tag bodies (AAC) in, 16 kHz mono PCM chunks out: parses the tag,
// (re)opens the decoder on each AudioSpecificConfig that differs from the
// current one, decodes, resamples and chunks. One thread at a time.
//
// feed() takes one tag and returns false on input that cannot be decoded
// (not AAC, a config libavcodec rejects, audio before any config). A corrupt
// raw frame is counted and skipped, not fatal.
class AacStreamDecoder final : public StreamDecoder
{
public:
    AacStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk);
    ~AacStreamDecoder() override;

    uint64_t corruptFrames() const override; // raw frames the decoder refused
    int inputSampleRate_Hz() const override; // 0 before the first config
    int inputChannels() const override;

private:
    bool decode(const char *data, size_t size, int64_t arrival_ns) override;
    void drain(int64_t arrival_ns) override;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace roomscribe::media

#pragma once

#include "media/audiolevel.h"
#include "media/pcmchunk.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace roomscribe::media {

// FLV audio tag bodies (AAC) in, 16 kHz mono PCM chunks out: parses the tag,
// (re)opens the decoder on each AudioSpecificConfig that differs from the
// current one, decodes, resamples and chunks. One thread at a time.
class AacStreamDecoder
{
public:
    using ChunkHandler = std::function<void(PcmChunk &&chunk)>;

    explicit AacStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk);
    ~AacStreamDecoder();

    // Returns false with errorText() on input that cannot be decoded (not AAC,
    // a config libavcodec rejects, audio before any config). A corrupt raw
    // frame is counted and skipped, not fatal.
    bool feedFlvAudioTag(const char *data, size_t size, int64_t arrival_ns);
    // Emits what the resampler still holds and the last partial chunk.
    void flush();

    QString errorText() const;
    // RMS and peak since the previous call.
    AudioLevel takeLevel();
    uint64_t samplesOut() const;    // 16 kHz samples emitted so far
    uint64_t corruptFrames() const; // raw frames the decoder refused
    int inputSampleRate_Hz() const; // 0 before the first config
    int inputChannels() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace roomscribe::media

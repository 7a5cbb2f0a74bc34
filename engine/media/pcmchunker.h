#pragma once

#include "media/pcmchunk.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace roomscribe::media {

// Cuts a stream of 16 kHz mono samples, arriving in pieces of any size, into
// PcmChunks of exactly chunkDuration_ms (the last one, from flush(), may be
// shorter), stamped with the arrival of the pieces they came from.
class PcmChunker
{
public:
    using ChunkHandler = std::function<void(PcmChunk &&chunk)>;

    static constexpr int kMinChunkDuration_ms = 10;
    static constexpr int kMaxChunkDuration_ms = 1000;

    // chunkDuration_ms is clamped to kMin..kMaxChunkDuration_ms.
    PcmChunker(int chunkDuration_ms, ChunkHandler onChunk);

    // May emit several chunks when the piece completes more than one.
    void push(const int16_t *samples, size_t count, int64_t arrival_ns);
    // Emits the partial chunk, if any.
    void flush();

    int chunkSamples() const { return m_chunkSamples; }
    uint64_t samplesOut() const { return m_nextSample; }
    uint64_t chunksOut() const { return m_nextSequence; }

private:
    void emitChunk();

    ChunkHandler m_onChunk;
    int m_chunkSamples;
    PcmChunk m_chunk; // being filled
    uint64_t m_nextSequence = 0;
    uint64_t m_nextSample = 0; // first sample of m_chunk
};

} // namespace roomscribe::media

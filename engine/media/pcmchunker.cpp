#include "media/pcmchunker.h"

#include "core/clock.h"
#include "core/logging.h"

#include <QtGlobal>

#include <algorithm>
#include <utility>

namespace roomscribe::media {

// Samples are appended in host order and PcmChunk promises little endian.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN);

namespace {

constexpr int kBytesPerSample = 2;

} // namespace

PcmChunker::PcmChunker(int chunkDuration_ms, ChunkHandler onChunk) : m_onChunk(std::move(onChunk))
{
    const int duration_ms =
        std::clamp(chunkDuration_ms, kMinChunkDuration_ms, kMaxChunkDuration_ms);
    if (duration_ms != chunkDuration_ms)
        qCWarning(lcMedia) << "chunk duration" << chunkDuration_ms << "ms out of range, using"
                           << duration_ms << "ms";
    m_chunkSamples = duration_ms * kOutputSampleRate_Hz / 1000;
}

void PcmChunker::push(const int16_t *samples, size_t count, int64_t arrival_ns)
{
    const int chunkBytes = m_chunkSamples * kBytesPerSample;
    while (count > 0) {
        if (m_chunk.pcm.isEmpty()) {
            m_chunk.pcm.reserve(chunkBytes);
            m_chunk.firstArrival_ns = arrival_ns;
        }
        const size_t room = size_t(chunkBytes - m_chunk.pcm.size()) / kBytesPerSample;
        const size_t take = std::min(room, count);
        m_chunk.pcm.append(reinterpret_cast<const char *>(samples),
                           qsizetype(take) * kBytesPerSample);
        m_chunk.lastArrival_ns = arrival_ns;
        samples += take;
        count -= take;
        if (take == room)
            emitChunk();
    }
}

void PcmChunker::flush()
{
    if (!m_chunk.pcm.isEmpty())
        emitChunk();
}

void PcmChunker::emitChunk()
{
    const uint64_t samples = uint64_t(m_chunk.pcm.size()) / kBytesPerSample;
    m_chunk.sequence = m_nextSequence++;
    m_chunk.firstSample = m_nextSample;
    m_chunk.ready_ns = monotonicNow_ns();
    m_nextSample += samples;
    PcmChunk chunk = std::move(m_chunk);
    m_chunk = PcmChunk{};
    m_onChunk(std::move(chunk));
}

} // namespace roomscribe::media

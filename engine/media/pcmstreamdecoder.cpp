#include "media/pcmstreamdecoder.h"

#include <QtGlobal>

#include <algorithm>
#include <cstring>

namespace roomscribe::media {

// The bytes are read as host-order samples.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN);

PcmStreamDecoder::PcmStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk)
    : StreamDecoder(chunkDuration_ms, std::move(onChunk)),
      m_resampler(*PolyphaseFilter::forInputRate(kInputSampleRate_Hz))
{
}

PcmStreamDecoder::~PcmStreamDecoder() = default;

bool PcmStreamDecoder::decode(const char *data, size_t size, int64_t arrival_ns)
{
    if (m_partialSize > 0) {
        const size_t take = std::min(kBytesPerFrame - m_partialSize, size);
        std::memcpy(m_partial.data() + m_partialSize, data, take);
        m_partialSize += take;
        data += take;
        size -= take;
        if (m_partialSize < kBytesPerFrame)
            return true;
        convert(m_partial.data(), 1);
        m_partialSize = 0;
    }
    const size_t frames = size / kBytesPerFrame;
    convert(data, frames);
    m_partialSize = size - frames * kBytesPerFrame;
    std::memcpy(m_partial.data(), data + frames * kBytesPerFrame, m_partialSize);
    deliver(m_pcm, arrival_ns);
    return true;
}

void PcmStreamDecoder::convert(const char *bytes, size_t frames)
{
    if (frames == 0)
        return;
    m_left.resize(frames);
    m_right.resize(frames);
    for (size_t i = 0; i < frames; ++i) {
        int16_t sample[kInputChannels];
        std::memcpy(sample, bytes + i * kBytesPerFrame, kBytesPerFrame); // may be unaligned
        m_left[i] = float(sample[0]) / 32768.f;
        m_right[i] = float(sample[1]) / 32768.f;
    }
    m_resampler.convert(m_left.data(), m_right.data(), frames, m_pcm);
}

void PcmStreamDecoder::drain(int64_t arrival_ns)
{
    m_resampler.flush(m_pcm);
    deliver(m_pcm, arrival_ns);
}

} // namespace roomscribe::media

#include "media/streamdecoder.h"

#include <utility>

namespace roomscribe::media {

StreamDecoder::StreamDecoder(int chunkDuration_ms, ChunkHandler onChunk)
    : m_chunker(chunkDuration_ms, std::move(onChunk))
{
}

StreamDecoder::~StreamDecoder() = default;

bool StreamDecoder::feed(const char *data, size_t size, int64_t arrival_ns)
{
    m_lastArrival_ns = arrival_ns;
    return decode(data, size, arrival_ns);
}

void StreamDecoder::feedSilence(size_t samples, int64_t arrival_ns)
{
    drain(m_lastArrival_ns);
    m_lastArrival_ns = arrival_ns;
    m_silence.assign(samples, 0);
    deliver(m_silence, arrival_ns);
}

void StreamDecoder::flush()
{
    drain(m_lastArrival_ns);
    m_chunker.flush();
}

void StreamDecoder::deliver(std::vector<int16_t> &pcm, int64_t arrival_ns)
{
    if (pcm.empty())
        return;
    m_meter.add(pcm.data(), pcm.size());
    m_chunker.push(pcm.data(), pcm.size(), arrival_ns);
    pcm.clear();
}

bool StreamDecoder::fail(const QString &text)
{
    m_errorText = text;
    return false;
}

} // namespace roomscribe::media

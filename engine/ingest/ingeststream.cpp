#include "ingest/ingeststream.h"

#include "core/logging.h"

namespace roomscribe::ingest {

IngestStream::IngestStream(const QString &app, const QString &key, int chunkDuration_ms,
                           LatencyHistogram *chunkLatency)
    : m_app(app), m_key(key), m_chunkLatency(chunkLatency),
      m_decoder(chunkDuration_ms, [this](media::PcmChunk &&chunk) { deliver(std::move(chunk)); })
{
}

IngestStream::~IngestStream() = default;

void IngestStream::addConsumer(std::unique_ptr<ChunkConsumer> consumer)
{
    m_consumers.push_back(std::move(consumer));
}

void IngestStream::beginPublish()
{
    m_publishing = true;
    m_rebaseTimestamps = true;
    ++m_publishCount;
}

void IngestStream::endPublish()
{
    m_publishing = false;
}

uint32_t IngestStream::continuousTimestamp(uint32_t timestamp_ms)
{
    // A new publisher starts its clock anew (usually at 0): shift it so the
    // stream's time goes on from where the previous publisher left it.
    if (m_rebaseTimestamps) {
        m_rebaseTimestamps = false;
        m_timestampOffset_ms = m_haveTimestamp ? m_streamTime_ms + 1 - timestamp_ms : -timestamp_ms;
    }
    const uint32_t streamTime = timestamp_ms + m_timestampOffset_ms;
    // Wrapping 32-bit arithmetic: a step "backwards" is a jitter we clamp.
    if (!m_haveTimestamp || int32_t(streamTime - m_streamTime_ms) > 0)
        m_streamTime_ms = streamTime;
    m_haveTimestamp = true;
    return m_streamTime_ms;
}

bool IngestStream::onAudio(uint32_t timestamp_ms, const char *data, size_t size,
                           int64_t arrival_ns)
{
    ++m_audioMessages;
    m_bytesIn += size;
    continuousTimestamp(timestamp_ms);
    if (m_decoder.feedFlvAudioTag(data, size, arrival_ns))
        return true;
    m_lastError = m_decoder.errorText();
    return false;
}

void IngestStream::deliver(media::PcmChunk &&chunk)
{
    ++m_chunks;
    m_chunkLatency->record((chunk.ready_ns - chunk.lastArrival_ns) / 1000);
    for (const auto &consumer : m_consumers)
        consumer->consumeChunk(chunk);
}

void IngestStream::finish()
{
    m_decoder.flush();
    for (const auto &consumer : m_consumers)
        consumer->finish();
}

StreamStats IngestStream::takeStats()
{
    StreamStats stats;
    stats.app = m_app;
    stats.key = m_key;
    stats.publishing = m_publishing;
    stats.publishCount = m_publishCount;
    stats.inputSampleRate_Hz = m_decoder.inputSampleRate_Hz();
    stats.inputChannels = m_decoder.inputChannels();
    stats.audioMessages = m_audioMessages;
    stats.bytesIn = m_bytesIn;
    stats.samplesOut = m_decoder.samplesOut();
    stats.chunks = m_chunks;
    stats.corruptFrames = m_decoder.corruptFrames();
    stats.streamTime_ms = m_streamTime_ms;
    const media::AudioLevel level = m_decoder.takeLevel();
    stats.rms_dBFS = level.rms_dBFS;
    stats.peak_dBFS = level.peak_dBFS;
    stats.lastError = m_lastError;
    return stats;
}

} // namespace roomscribe::ingest

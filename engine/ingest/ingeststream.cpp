#include "ingest/ingeststream.h"

#include "core/logging.h"
#include "media/aacstreamdecoder.h"
#include "media/opusrtpdecoder.h"
#include "media/pcmstreamdecoder.h"

#include <algorithm>

namespace roomscribe::ingest {

static std::unique_ptr<media::StreamDecoder> makeDecoder(StreamInput input, int chunkDuration_ms,
                                                         media::StreamDecoder::ChunkHandler onChunk)
{
    switch (input) {
    case StreamInput::PcmS16Stereo:
        return std::make_unique<media::PcmStreamDecoder>(chunkDuration_ms, std::move(onChunk));
    case StreamInput::OpusRtp:
        return std::make_unique<media::OpusRtpStreamDecoder>(chunkDuration_ms, std::move(onChunk));
    case StreamInput::FlvAac:
    case StreamInput::Invalid:
        break;
    }
    return std::make_unique<media::AacStreamDecoder>(chunkDuration_ms, std::move(onChunk));
}

IngestStream::IngestStream(const QString &app, const QString &key, const StreamLabel &label,
                           StreamInput input, int chunkDuration_ms, LatencyHistogram *chunkLatency)
    : m_chunkLatency(chunkLatency),
      m_decoder(makeDecoder(input, chunkDuration_ms,
                            [this](media::PcmChunk &&chunk) { deliver(std::move(chunk)); }))
{
    m_stats.app = app;
    m_stats.key = key;
    m_stats.label = label;
}

IngestStream::~IngestStream() = default;

void IngestStream::addConsumer(std::unique_ptr<ChunkConsumer> consumer)
{
    m_consumers.push_back(std::move(consumer));
}

void IngestStream::beginPublish()
{
    m_stats.publishing = true;
    ++m_stats.publishCount;
    m_rebaseTimestamps = true;
}

void IngestStream::endPublish()
{
    m_stats.publishing = false;
    m_decoder->endInput();
}

void IngestStream::advanceStreamTime(uint32_t timestamp_ms)
{
    // A new publisher starts its clock anew (usually at 0): shift it so the
    // stream's time goes on from where the previous publisher left it, one
    // frame step later.
    if (m_rebaseTimestamps) {
        m_rebaseTimestamps = false;
        m_timestampOffset_ms =
            m_haveTimestamp
                ? m_stats.streamTime_ms + std::max<uint32_t>(m_lastStep_ms, 1) - timestamp_ms
                : -timestamp_ms;
    }
    const uint32_t streamTime = timestamp_ms + m_timestampOffset_ms;
    // Wrapping 32-bit arithmetic: a step "backwards" is jitter, held at the last time.
    const int32_t step = int32_t(streamTime - m_stats.streamTime_ms);
    if (!m_haveTimestamp || step > 0) {
        if (m_haveTimestamp)
            m_lastStep_ms = uint32_t(step);
        m_stats.streamTime_ms = streamTime;
    }
    m_haveTimestamp = true;
}

bool IngestStream::onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns)
{
    ++m_stats.audioMessages;
    m_stats.bytesIn += size;
    advanceStreamTime(timestamp_ms);
    if (m_decoder->feed(data, size, arrival_ns))
        return true;
    m_stats.lastError = m_decoder->errorText();
    return false;
}

void IngestStream::onSilence(uint32_t timestamp_ms, size_t samples, int64_t arrival_ns)
{
    advanceStreamTime(timestamp_ms);
    m_decoder->feedSilence(samples, arrival_ns);
}

void IngestStream::deliver(media::PcmChunk &&chunk)
{
    ++m_stats.chunks;
    m_chunkLatency->record((chunk.ready_ns - chunk.lastArrival_ns) / 1000);
    m_stats.chunkFill.record((chunk.ready_ns - chunk.firstArrival_ns) / 1000);
    for (const auto &consumer : m_consumers)
        consumer->consumeChunk(chunk);
}

void IngestStream::finish(std::function<void()> done)
{
    m_decoder->flush();
    auto outstanding = std::make_shared<size_t>(m_consumers.size() + 1);
    auto finishedOne = [outstanding, done] {
        if (--*outstanding == 0)
            done();
    };
    for (const auto &consumer : m_consumers)
        consumer->finish(finishedOne);
    finishedOne();
}

StreamStats IngestStream::takeStats()
{
    StreamStats stats = m_stats;
    m_stats.chunkFill.clear();
    stats.inputSampleRate_Hz = m_decoder->inputSampleRate_Hz();
    stats.inputChannels = m_decoder->inputChannels();
    stats.samplesOut = m_decoder->samplesOut();
    stats.corruptFrames = m_decoder->corruptFrames();
    const media::AudioLevel level = m_decoder->takeLevel();
    stats.rms_dBFS = level.rms_dBFS;
    stats.peak_dBFS = level.peak_dBFS;
    for (const auto &consumer : m_consumers)
        consumer->contributeStats(stats);
    return stats;
}

} // namespace roomscribe::ingest

#pragma once

#include "core/latencyhistogram.h"
#include "ingest/chunkconsumer.h"
#include "ingest/ingeststats.h"
#include "ingest/streamlabel.h"
#include "media/streamdecoder.h"

#include <QString>

#include <memory>
#include <vector>

namespace roomscribe::ingest {

// What a stream's publishers send.
enum class StreamInput {
    Invalid = 0,
    FlvAac,       // RTMP: FLV audio tags of AAC
    PcmS16Stereo, // Track Egress: s16le 48 kHz stereo interleaved
    OpusRtp,      // a WebRTC subscriber: one Opus RTP packet per unit
};

// One published stream (app/key) on its owner thread. It outlives its
// publishers: a publisher that drops and comes back continues the same audio,
// decoder and timeline.
class IngestStream
{
public:
    IngestStream(const QString &app, const QString &key, const StreamLabel &label,
                 StreamInput input, int chunkDuration_ms, LatencyHistogram *chunkLatency);
    ~IngestStream();

    void addConsumer(std::unique_ptr<ChunkConsumer> consumer);

    void beginPublish();
    // False when the audio cannot be decoded (the publisher is then dropped).
    bool onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns);
    // Silence for a publisher that sends nothing (see StreamDecoder::feedSilence).
    void onSilence(uint32_t timestamp_ms, size_t samples, int64_t arrival_ns);
    void endPublish();
    void setMuted(bool muted) { m_stats.muted = muted; }
    bool isMuted() const { return m_stats.muted; }
    // Flushes decoder and chunker into the consumers and finishes them;
    // done() once every consumer has.
    void finish(std::function<void()> done);

    const StreamLabel &label() const { return m_stats.label; }
    bool isPublishing() const { return m_stats.publishing; }
    QString errorText() const { return m_decoder->errorText(); }
    // Snapshot; takes (resets) the audio level window.
    StreamStats takeStats();

private:
    void deliver(media::PcmChunk &&chunk);
    void advanceStreamTime(uint32_t timestamp_ms);

    LatencyHistogram *m_chunkLatency;
    std::vector<std::unique_ptr<ChunkConsumer>> m_consumers;
    std::unique_ptr<media::StreamDecoder> m_decoder;
    StreamStats m_stats; // counters kept here; decoder figures added on takeStats()
    bool m_rebaseTimestamps = true;
    bool m_haveTimestamp = false;
    uint32_t m_timestampOffset_ms = 0;
    uint32_t m_lastStep_ms = 0;
};

} // namespace roomscribe::ingest

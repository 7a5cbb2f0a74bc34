#pragma once

#include "core/latencyhistogram.h"
#include "ingest/chunkconsumer.h"
#include "ingest/ingeststats.h"
#include "media/aacstreamdecoder.h"

#include <QString>

#include <memory>
#include <vector>

namespace roomscribe::ingest {

// One published stream (app/key) on its owner worker. It outlives its
// publishers: a publisher that drops and comes back continues the same audio,
// decoder and timeline.
class IngestStream
{
public:
    IngestStream(const QString &app, const QString &key, int chunkDuration_ms,
                 LatencyHistogram *chunkLatency);
    ~IngestStream();

    void addConsumer(std::unique_ptr<ChunkConsumer> consumer);

    void beginPublish();
    // False when the audio cannot be decoded (the publisher is then dropped).
    bool onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns);
    void endPublish();
    // Flushes decoder and chunker into the consumers and finishes them.
    void finish();

    bool isPublishing() const { return m_publishing; }
    QString errorText() const { return m_decoder.errorText(); }
    // Snapshot; takes (resets) the audio level window.
    StreamStats takeStats();

private:
    void deliver(media::PcmChunk &&chunk);
    uint32_t continuousTimestamp(uint32_t timestamp_ms);

    QString m_app;
    QString m_key;
    LatencyHistogram *m_chunkLatency;
    std::vector<std::unique_ptr<ChunkConsumer>> m_consumers;
    media::AacStreamDecoder m_decoder;
    bool m_publishing = false;
    bool m_rebaseTimestamps = true;
    bool m_haveTimestamp = false;
    uint32_t m_timestampOffset_ms = 0;
    uint32_t m_streamTime_ms = 0;
    int m_publishCount = 0;
    uint64_t m_audioMessages = 0;
    uint64_t m_bytesIn = 0;
    uint64_t m_chunks = 0;
    QString m_lastError;
};

} // namespace roomscribe::ingest

#pragma once

#include "media/audiolevel.h"
#include "media/pcmchunk.h"
#include "media/pcmchunker.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace roomscribe::media {

// A transport's audio in, 16 kHz mono PcmChunks out: what an ingest stream
// needs of its decoder whatever the publisher sends. Subclasses convert;
// level metering and chunking are common. One thread at a time.
class StreamDecoder
{
public:
    using ChunkHandler = PcmChunker::ChunkHandler;

    virtual ~StreamDecoder();
    StreamDecoder(const StreamDecoder &) = delete;
    StreamDecoder &operator=(const StreamDecoder &) = delete;

    // One unit of the transport's input (an FLV audio tag, a WebSocket
    // message), stamped with its arrival. False with errorText() on input
    // that cannot be decoded.
    bool feed(const char *data, size_t size, int64_t arrival_ns);
    // `samples` of silence at 16 kHz after what was fed so far, for a
    // publisher that has nothing to send (a muted speaker). What the
    // conversion holds comes out first, as if the input had gone quiet;
    // input fed afterwards starts a new conversion.
    void feedSilence(size_t samples, int64_t arrival_ns);
    // The publisher is gone: a unit it left incomplete will not be completed.
    virtual void endInput() {}
    // Emits what the conversion still holds and the last partial chunk.
    void flush();

    QString errorText() const { return m_errorText; }
    // RMS and peak since the previous call.
    AudioLevel takeLevel() { return m_meter.take(); }
    uint64_t samplesOut() const { return m_chunker.samplesOut(); } // 16 kHz samples emitted
    virtual uint64_t corruptFrames() const { return 0; }           // input units skipped
    virtual int inputSampleRate_Hz() const = 0;                    // 0 while unknown
    virtual int inputChannels() const = 0;

protected:
    StreamDecoder(int chunkDuration_ms, ChunkHandler onChunk);

    virtual bool decode(const char *data, size_t size, int64_t arrival_ns) = 0;
    // Hands on, through deliver(), what the conversion still holds.
    virtual void drain(int64_t arrival_ns) = 0;
    // Meters and chunks 16 kHz mono samples, then clears pcm (its capacity
    // is reused).
    void deliver(std::vector<int16_t> &pcm, int64_t arrival_ns);
    bool fail(const QString &text);

private:
    AudioLevelMeter m_meter;
    PcmChunker m_chunker;
    std::vector<int16_t> m_silence; // zeros, capacity reused
    QString m_errorText;
    int64_t m_lastArrival_ns = 0;
};

} // namespace roomscribe::media

#pragma once

#include "ingest/streamlabel.h"
#include "media/pcmchunk.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace roomscribe::ingest {

struct StreamStats;

// Takes a stream's 16 kHz mono chunks on the stream's worker thread.
class ChunkConsumer
{
public:
    virtual ~ChunkConsumer() = default;
    virtual void consumeChunk(const media::PcmChunk &chunk) = 0;
    // The stream is over (closed, or the engine is stopping): deliver what is held, then
    // call done (at once, or later from the owner thread's event loop).
    virtual void finish(std::function<void()> done) = 0;
    // Adds what the consumer knows to the stream's stats.
    virtual void contributeStats(StreamStats &) {}
};

// Makes the consumers of a new stream, on the thread that owns it (an RTMP
// worker or the Track Egress endpoint), with the label it was registered with.
using ChunkConsumerFactory = std::function<std::vector<std::unique_ptr<ChunkConsumer>>(
    const QString &app, const QString &key, const StreamLabel &label)>;

} // namespace roomscribe::ingest

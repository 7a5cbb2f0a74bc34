#pragma once

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
    // The stream is over (engine shutting down): deliver what is held, then
    // call done (at once, or later from the worker's event loop).
    virtual void finish(std::function<void()> done) = 0;
    // Adds what the consumer knows to the stream's stats.
    virtual void contributeStats(StreamStats &) {}
};

// Makes the consumers of a new stream, on its worker thread.
using ChunkConsumerFactory = std::function<std::vector<std::unique_ptr<ChunkConsumer>>(
    const QString &app, const QString &key)>;

} // namespace roomscribe::ingest

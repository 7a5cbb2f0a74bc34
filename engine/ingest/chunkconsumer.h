#pragma once

#include "media/pcmchunk.h"

namespace roomscribe::ingest {

// Takes a stream's 16 kHz mono chunks on the stream's worker thread.
class ChunkConsumer
{
public:
    virtual ~ChunkConsumer() = default;
    virtual void consumeChunk(const media::PcmChunk &chunk) = 0;
    // The stream is over (engine shutting down): write out what is held.
    virtual void finish() = 0;
};

} // namespace roomscribe::ingest

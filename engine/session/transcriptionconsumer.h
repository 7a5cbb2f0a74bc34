#pragma once

#include "ingest/chunkconsumer.h"
#include "stt/gladiabridge.h"

#include <memory>

namespace roomscribe::session {

// Sends a stream's chunks to Gladia through its bridge, on the stream's
// worker thread; finishing waits for the bridge's last transcripts.
class TranscriptionConsumer final : public ingest::ChunkConsumer
{
public:
    explicit TranscriptionConsumer(std::unique_ptr<stt::GladiaBridge> bridge);
    ~TranscriptionConsumer() override;

    stt::GladiaBridge *bridge() const { return m_bridge.get(); }

    void consumeChunk(const media::PcmChunk &chunk) override;
    void finish(std::function<void()> done) override;
    void contributeStats(ingest::StreamStats &stats) override;

private:
    std::unique_ptr<stt::GladiaBridge> m_bridge;
};

} // namespace roomscribe::session

#include "session/transcriptionconsumer.h"

#include "ingest/ingeststats.h"

namespace roomscribe::session {

TranscriptionConsumer::TranscriptionConsumer(std::unique_ptr<stt::GladiaBridge> bridge)
    : m_bridge(std::move(bridge))
{
    m_bridge->start();
}

TranscriptionConsumer::~TranscriptionConsumer() = default;

void TranscriptionConsumer::consumeChunk(const media::PcmChunk &chunk)
{
    m_bridge->pushChunk(chunk);
}

void TranscriptionConsumer::finish(std::function<void()> done)
{
    QObject::connect(m_bridge.get(), &stt::GladiaBridge::finished, m_bridge.get(),
                     [done = std::move(done)] { done(); });
    m_bridge->stop();
}

void TranscriptionConsumer::contributeStats(ingest::StreamStats &stats)
{
    stats.transcribing = true;
    stats.stt = m_bridge->takeStats();
}

} // namespace roomscribe::session

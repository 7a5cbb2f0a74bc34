#pragma once

#include "ingest/chunkconsumer.h"

#include <QFile>

namespace roomscribe::ingest {

// Appends a stream's PCM to DIR/<key>.pcm as chunks arrive, so anyone can
// listen to what the engine heard (s16le, 16 kHz, mono).
class PcmFileWriter final : public ChunkConsumer
{
public:
    explicit PcmFileWriter(const QString &path);
    bool open(QString *error);
    void consumeChunk(const media::PcmChunk &chunk) override;
    void finish(std::function<void()> done) override;

private:
    QFile m_file;
    bool m_failed = false;
};

} // namespace roomscribe::ingest

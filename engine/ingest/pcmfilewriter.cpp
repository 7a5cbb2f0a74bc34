#include "ingest/pcmfilewriter.h"

#include "core/logging.h"

namespace roomscribe::ingest {

PcmFileWriter::PcmFileWriter(const QString &path) : m_file(path) {}

bool PcmFileWriter::open(QString *error)
{
    // Unbuffered: each chunk reaches the file when it is ready, and nothing
    // is held in memory if the process is killed.
    if (m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return true;
    *error = m_file.errorString();
    return false;
}

void PcmFileWriter::consumeChunk(const media::PcmChunk &chunk)
{
    if (m_failed)
        return;
    if (m_file.write(chunk.pcm) != chunk.pcm.size()) {
        // A full disk must not stop ingest (or other sinks): say so once and stop writing.
        m_failed = true;
        qCWarning(lcIngest) << "writing" << m_file.fileName() << "failed:" << m_file.errorString();
    }
}

void PcmFileWriter::finish(std::function<void()> done)
{
    m_file.close();
    done();
}

} // namespace roomscribe::ingest

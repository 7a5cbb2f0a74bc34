#include "app/transcriptlog.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace roomscribe::app {

bool TranscriptLog::open(const QString &path, QString *error)
{
    if (path != u"-")
        m_file.setFileName(path);
    const bool opened = path == u"-" ? m_file.open(stdout, QIODevice::WriteOnly | QIODevice::Append)
                                     : m_file.open(QIODevice::WriteOnly | QIODevice::Append);
    if (!opened)
        *error = QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString());
    return opened;
}

void TranscriptLog::write(const stt::TranscriptSegment &segment)
{
    QSet<QString> &finalized = m_finalized[segment.stream];
    if (m_failed || finalized.contains(segment.utteranceId))
        return;
    if (segment.isFinal)
        finalized.insert(segment.utteranceId);
    QJsonObject line = stt::toJson(segment);
    line.insert(QStringLiteral("type"), QStringLiteral("transcript"));
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    if (m_file.write(bytes) != bytes.size() || !m_file.flush()) {
        m_failed = true; // say it once; transcription itself goes on
        qCWarning(lcEngine) << "writing transcripts to" << m_file.fileName()
                            << "failed:" << m_file.errorString();
    }
}

} // namespace roomscribe::app

#pragma once

#include "stt/transcriptsegment.h"

#include <QHash>
#include <QSet>

#include <QFile>
#include <QObject>

namespace roomscribe::app {

// Appends every transcript event, partial or final, as one JSON line (see
// the README), flushed at once so that a reader following the file sees it.
// Events that change nothing (a partial after its final) are left out, so
// the last line of an utterance is always what stands.
class TranscriptLog final : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    // path "-" is stdout.
    bool open(const QString &path, QString *error);
    void write(const roomscribe::stt::TranscriptSegment &segment);

private:
    QFile m_file;
    // Finalized utterance ids by stream: all the log needs to keep, where a
    // whole transcript per room would grow for hours.
    QHash<QString, QSet<QString>> m_finalized;
    bool m_failed = false;
};

} // namespace roomscribe::app

#pragma once

#include "stt/transcriptsegment.h"

#include <QFile>
#include <QObject>

namespace roomscribe::app {

// Appends every transcript event, partial or final, as one JSON line (see
// the README), flushed at once so that a reader following the file sees it.
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
    bool m_failed = false;
};

} // namespace roomscribe::app

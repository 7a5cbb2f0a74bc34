#include "session/transcriptfeed.h"

#include <QDateTime>
#include <QTimer>

namespace roomscribe::session {

TranscriptFeed::TranscriptFeed(int interval_ms, QObject *parent)
    : QObject(parent), m_interval_ms(interval_ms)
{
    qRegisterMetaType<QList<LiveSegment>>();
}

void TranscriptFeed::push(const stt::TranscriptSegment &segment)
{
    const qint64 now_ms = QDateTime::currentMSecsSinceEpoch();
    QMutexLocker lock(&m_mutex);
    m_pending.append(LiveSegment{segment, now_ms});
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // The first segment of a batch schedules its delivery; the rest ride along.
    QMetaObject::invokeMethod(
        this, [this] { QTimer::singleShot(m_interval_ms, this, &TranscriptFeed::flush); },
        Qt::QueuedConnection);
}

void TranscriptFeed::flush()
{
    QList<LiveSegment> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        m_flushScheduled = false;
    }
    if (!batch.isEmpty())
        Q_EMIT segmentsReady(batch);
}

} // namespace roomscribe::session

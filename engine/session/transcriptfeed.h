#pragma once

#include "stt/transcriptsegment.h"

#include <QList>
#include <QMetaType>
#include <QMutex>
#include <QObject>

namespace roomscribe::session {

struct LiveSegment
{
    stt::TranscriptSegment segment;
    qint64 received_ms = 0; // wall clock (ms since the epoch) when the engine had it
};

// Carries transcript segments from the streams' worker threads to one
// consumer thread in batches: push() from any thread costs a lock and an
// append; the owner's thread hears segmentsReady() at most once per
// interval, however many segments arrived meanwhile.
class TranscriptFeed final : public QObject
{
    Q_OBJECT
public:
    explicit TranscriptFeed(int interval_ms = 100, QObject *parent = nullptr);

    void push(const stt::TranscriptSegment &segment); // thread-safe

Q_SIGNALS:
    void segmentsReady(const QList<roomscribe::session::LiveSegment> &segments);

private:
    void flush();

    const int m_interval_ms;
    QMutex m_mutex;
    QList<LiveSegment> m_pending;  // guarded by m_mutex
    bool m_flushScheduled = false; // guarded by m_mutex
};

} // namespace roomscribe::session

Q_DECLARE_METATYPE(roomscribe::session::LiveSegment)

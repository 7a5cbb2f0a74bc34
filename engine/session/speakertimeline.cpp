#include "session/speakertimeline.h"

#include <algorithm>

namespace roomscribe::session {

void SpeakerTimelines::setMixDelay_ms(qint64 delay_ms)
{
    QMutexLocker lock(&m_mutex);
    m_mixDelay_ms = delay_ms;
}

qint64 SpeakerTimelines::mixDelay_ms() const
{
    QMutexLocker lock(&m_mutex);
    return m_mixDelay_ms;
}

void SpeakerTimelines::apply(const ingest::SpeakerUpdate &update)
{
    QMutexLocker lock(&m_mutex);
    Timeline &timeline = m_rooms[update.room];
    for (const ingest::SpeakerChange &change : update.changes) {
        std::deque<Interval> &intervals = timeline.intervals[change.identity];
        const bool speaking = !intervals.empty() && !intervals.back().end_ms;
        if (change.active && !speaking)
            intervals.push_back({update.at_ms, std::nullopt});
        else if (!change.active && speaking)
            // A wall clock stepped back must not make an interval negative.
            intervals.back().end_ms = std::max(intervals.back().start_ms, update.at_ms);
        if (intervals.empty())
            timeline.intervals.remove(change.identity);
    }
    timeline.newest_ms = std::max(timeline.newest_ms, update.at_ms);
    prune(timeline);
}

void SpeakerTimelines::prune(Timeline &timeline)
{
    const qint64 horizon_ms = timeline.newest_ms - kRetention_ms;
    for (auto it = timeline.intervals.begin(); it != timeline.intervals.end();) {
        std::deque<Interval> &intervals = it.value();
        while (!intervals.empty() && intervals.front().end_ms &&
               *intervals.front().end_ms < horizon_ms)
            intervals.pop_front();
        it = intervals.empty() ? timeline.intervals.erase(it) : std::next(it);
    }
}

void SpeakerTimelines::forgetRoom(const QString &room)
{
    QMutexLocker lock(&m_mutex);
    m_rooms.remove(room);
}

std::optional<InferredSpeaker> SpeakerTimelines::infer(const QString &room, qint64 from_ms,
                                                       qint64 to_ms) const
{
    QMutexLocker lock(&m_mutex);
    const auto timeline = m_rooms.constFind(room);
    if (timeline == m_rooms.cend())
        return std::nullopt;
    from_ms -= m_mixDelay_ms;
    // A zero-length utterance (a first partial) asks who speaks at that instant.
    to_ms = std::max(to_ms - m_mixDelay_ms, from_ms + 1);
    std::optional<InferredSpeaker> best;
    qint64 bestOverlap_ms = 0;
    for (auto it = timeline->intervals.cbegin(); it != timeline->intervals.cend(); ++it) {
        qint64 overlap_ms = 0;
        for (const Interval &interval : it.value()) {
            const qint64 end_ms = interval.end_ms.value_or(to_ms);
            overlap_ms +=
                std::max<qint64>(0, std::min(end_ms, to_ms) - std::max(interval.start_ms, from_ms));
        }
        // Ties go to the smaller identity, so that the answer never depends on hash order.
        if (overlap_ms > bestOverlap_ms ||
            (overlap_ms > 0 && overlap_ms == bestOverlap_ms && it.key() < best->identity)) {
            bestOverlap_ms = overlap_ms;
            best = InferredSpeaker{it.key(), double(overlap_ms) / double(to_ms - from_ms)};
        }
    }
    if (!best || best->share < kMinShare)
        return std::nullopt;
    return best;
}

std::optional<QString> SpeakerTimelines::speakerOf(const stt::TranscriptSegment &segment) const
{
    if (!segment.wallClock.isValid())
        return std::nullopt;
    const qint64 from_ms = segment.wallClock.toMSecsSinceEpoch();
    const std::optional<InferredSpeaker> speaker = infer(
        segment.room, from_ms, from_ms + std::max<qint64>(0, segment.end_ms - segment.start_ms));
    if (!speaker)
        return std::nullopt;
    return speaker->identity;
}

qsizetype SpeakerTimelines::intervalCount(const QString &room) const
{
    QMutexLocker lock(&m_mutex);
    qsizetype count = 0;
    for (const std::deque<Interval> &intervals : m_rooms.value(room).intervals)
        count += qsizetype(intervals.size());
    return count;
}

} // namespace roomscribe::session

#include "stt/transcripttimeline.h"

#include <algorithm>

namespace roomscribe::stt {

int TranscriptTimeline::indexOf(const QString &utteranceId) const
{
    return m_indexOf.value(utteranceId, -1);
}

TranscriptTimeline::Change TranscriptTimeline::apply(const TranscriptSegment &segment, int *index)
{
    const int existing = indexOf(segment.utteranceId);
    if (existing >= 0) {
        TranscriptSegment &current = m_segments[size_t(existing)];
        if (current.isFinal)
            return Change::Ignored;
        m_finals += segment.isFinal ? 1 : 0;
        current = segment; // keeps its place: an utterance's start does not move

        if (index)
            *index = existing;
        return Change::Replaced;
    }
    auto position = std::upper_bound(
        m_segments.begin(), m_segments.end(), segment.start_ms,
        [](int64_t start, const TranscriptSegment &other) { return start < other.start_ms; });
    const int inserted = int(position - m_segments.begin());
    m_segments.insert(position, segment);
    for (int i = inserted; i < int(m_segments.size()); ++i)
        m_indexOf.insert(m_segments[size_t(i)].utteranceId, i);
    m_finals += segment.isFinal ? 1 : 0;
    if (index)
        *index = inserted;
    return Change::Inserted;
}

} // namespace roomscribe::stt

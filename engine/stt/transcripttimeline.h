#pragma once

#include "stt/transcriptsegment.h"

#include <QHash>

#include <vector>

namespace roomscribe::stt {

// One stream's transcript as it stands: a segment per utterance, partials
// replaced in place by newer partials and then by their final, in order of
// start time. A partial that arrives after its final (a late duplicate after a
// reconnect, say) changes nothing, so the final always stands.
class TranscriptTimeline
{
public:
    enum class Change {
        Invalid = 0,
        Inserted, // a new utterance, at index
        Replaced, // an utterance's partial gave way to a newer text, at index
        Ignored,  // nothing new: a late partial, or a repeated final
    };

    // index receives the position of the changed segment.
    Change apply(const TranscriptSegment &segment, int *index = nullptr);

    const std::vector<TranscriptSegment> &segments() const { return m_segments; }
    int indexOf(const QString &utteranceId) const;
    int finalCount() const { return m_finals; }

private:
    std::vector<TranscriptSegment> m_segments; // ordered by start_ms, then arrival
    QHash<QString, int> m_indexOf;             // utterance id → position
    int m_finals = 0;
};

} // namespace roomscribe::stt

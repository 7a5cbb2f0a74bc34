#pragma once

#include "ingest/participant/subscriberstatus.h"
#include "stt/transcriptsegment.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <deque>
#include <optional>

namespace roomscribe::session {

struct InferredSpeaker
{
    QString identity;
    double share = 0; // of the utterance's duration that this identity was active, 0..1
};

// Who spoke when, per room, from LiveKit's SpeakersChanged (wall clock, ms
// since the epoch), so that a room mix's utterances can name a likely
// speaker. Updates are applied on one thread (the main thread); infer() is
// called from the streams' worker threads: every member takes the mutex.
class SpeakerTimelines
{
public:
    // Below this share nobody is named: most of the utterance was spoken
    // while LiveKit reported nobody (or someone only at its edges, a
    // backchannel or a speaker change that LiveKit's smoothing reports late),
    // and "Room mix" is more honest than a guess that is likely wrong.
    static constexpr double kMinShare = 0.25;
    // Closed intervals that ended this long before a room's newest update are
    // dropped: transcripts arrive seconds after their audio, never minutes.
    static constexpr qint64 kRetention_ms = 10 * 60 * 1000;

    // How much later the mix's audio reaches us than the SpeakersChanged of
    // the same speech; utterance windows are shifted earlier by it. Default
    // 0: the composite egress's delay and LiveKit's active-speaker smoothing
    // delay speaker changes too, their difference depends on the deployment,
    // and overlap weighting already absorbs a few hundred ms of skew on
    // utterances that last seconds. Negative when speaker changes come later.
    void setMixDelay_ms(qint64 delay_ms);
    qint64 mixDelay_ms() const;

    void apply(const ingest::SpeakerUpdate &update);
    void forgetRoom(const QString &room);

    // The identity active for the largest part of [from_ms, to_ms) (wall
    // clock, before the mix delay shift), with its share; nothing when nobody
    // was active or the share is under kMinShare. An interval still open
    // counts up to to_ms.
    std::optional<InferredSpeaker> infer(const QString &room, qint64 from_ms, qint64 to_ms) const;
    // infer() for a segment of segment.room: from its wall clock for its
    // duration. Nothing without a wall clock.
    std::optional<QString> speakerOf(const stt::TranscriptSegment &segment) const;

    // Intervals held for a room (bounded by kRetention_ms).
    qsizetype intervalCount(const QString &room) const;

private:
    struct Interval
    {
        qint64 start_ms = 0;
        std::optional<qint64> end_ms; // none while the identity speaks
    };
    struct Timeline
    {
        QHash<QString, std::deque<Interval>> intervals; // by identity, oldest first
        qint64 newest_ms = 0;                           // the latest update's arrival
    };

    void prune(Timeline &timeline);

    mutable QMutex m_mutex;
    QHash<QString, Timeline> m_rooms; // guarded by m_mutex
    qint64 m_mixDelay_ms = 0;         // guarded by m_mutex
};

} // namespace roomscribe::session

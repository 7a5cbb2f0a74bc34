#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace roomscribe::stt {

struct SegmentWord
{
    QString word;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    double confidence = 0;
};

// One transcript event of a stream: a partial, or the final that replaces the
// partials with the same utteranceId. Times are milliseconds of the stream's
// audio since transcription began; they keep increasing across Gladia sessions.
struct TranscriptSegment
{
    QString room;
    QString stream;
    QString session;     // Gladia session id
    QString utteranceId; // unique within the stream
    bool isFinal = false;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    QDateTime wallClock; // UTC: when the audio at start_ms arrived
    int channel = 0;
    QString speaker;
    // The speaker was inferred from LiveKit's active speakers during the
    // utterance (a room mix), not known from the audio's source.
    bool speakerInferred = false;
    QString language;
    QString text;
    std::vector<SegmentWord> words;
};

// One JSON Lines record: room, stream, session, utterance_id, is_final,
// start_ms, end_ms, wall_clock (ISO 8601 UTC with ms), speaker, language, text, words;
// "speaker_inferred": true only when the speaker was inferred.
QJsonObject toJson(const TranscriptSegment &segment);

} // namespace roomscribe::stt

Q_DECLARE_METATYPE(roomscribe::stt::TranscriptSegment)

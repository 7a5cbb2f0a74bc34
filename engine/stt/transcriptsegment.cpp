#include "stt/transcriptsegment.h"

#include <QJsonArray>

namespace roomscribe::stt {

QJsonObject toJson(const TranscriptSegment &segment)
{
    QJsonArray words;
    for (const SegmentWord &word : segment.words)
        words.append(QJsonObject{{QStringLiteral("word"), word.word},
                                 {QStringLiteral("start_ms"), qint64(word.start_ms)},
                                 {QStringLiteral("end_ms"), qint64(word.end_ms)},
                                 {QStringLiteral("confidence"), word.confidence}});
    QJsonObject json{
        {QStringLiteral("room"), segment.room},
        {QStringLiteral("stream"), segment.stream},
        {QStringLiteral("session"), segment.session},
        {QStringLiteral("utterance_id"), segment.utteranceId},
        {QStringLiteral("is_final"), segment.isFinal},
        {QStringLiteral("start_ms"), qint64(segment.start_ms)},
        {QStringLiteral("end_ms"), qint64(segment.end_ms)},
        {QStringLiteral("wall_clock"), segment.wallClock.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("speaker"), segment.speaker},
        {QStringLiteral("language"), segment.language},
        {QStringLiteral("text"), segment.text},
        {QStringLiteral("words"), words},
    };
    // Only when set: consumers of the records before it existed see them unchanged.
    if (segment.speakerInferred)
        json.insert(QStringLiteral("speaker_inferred"), true);
    return json;
}

} // namespace roomscribe::stt

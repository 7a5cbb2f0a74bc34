#include "store/storeitem.h"

#include "store/storedatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace roomscribe::store {

namespace {
constexpr int kJournalFormat = 1;

const char *kindName(StoreItem::Kind kind)
{
    switch (kind) {
    case StoreItem::Kind::BeginSession:
        return "begin";
    case StoreItem::Kind::EndSession:
        return "end";
    case StoreItem::Kind::Final:
        return "final";
    case StoreItem::Kind::Invalid:
        break;
    }
    return "invalid";
}
} // namespace

QByteArray toJournalLine(const StoreItem &item)
{
    QJsonObject record{
        {QStringLiteral("v"), kJournalFormat},
        {QStringLiteral("type"), QString::fromLatin1(kindName(item.kind))},
        {QStringLiteral("room"), item.room},
        {QStringLiteral("session_uid"), item.sessionUid},
        {QStringLiteral("session_started_at"), timestampText(item.sessionStartedAt)},
    };
    if (item.kind == StoreItem::Kind::EndSession)
        record.insert(QStringLiteral("ended_at"), timestampText(item.endedAt));
    if (item.kind == StoreItem::Kind::Final) {
        QJsonObject segment = stt::toJson(item.segment);
        segment.insert(QStringLiteral("channel"), item.segment.channel);
        if (!item.segment.wallClock.isValid())
            segment.remove(QStringLiteral("wall_clock"));
        record.insert(QStringLiteral("segment"), segment);
    }
    return QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<StoreItem> fromJournalLine(const QByteArray &line)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject record = document.object();
    if (record.value(u"v").toInt() != kJournalFormat)
        return std::nullopt;
    StoreItem item;
    const QString type = record.value(u"type").toString();
    if (type == u"begin")
        item.kind = StoreItem::Kind::BeginSession;
    else if (type == u"end")
        item.kind = StoreItem::Kind::EndSession;
    else if (type == u"final")
        item.kind = StoreItem::Kind::Final;
    else
        return std::nullopt;
    item.room = record.value(u"room").toString();
    item.sessionUid = record.value(u"session_uid").toString();
    item.sessionStartedAt = timestampFrom(record.value(u"session_started_at").toString());
    if (item.room.isEmpty() || item.sessionUid.isEmpty() || !item.sessionStartedAt.isValid())
        return std::nullopt;
    if (item.kind == StoreItem::Kind::EndSession) {
        item.endedAt = timestampFrom(record.value(u"ended_at").toString());
        if (!item.endedAt.isValid())
            return std::nullopt;
    }
    if (item.kind == StoreItem::Kind::Final) {
        const QJsonObject json = record.value(u"segment").toObject();
        stt::TranscriptSegment &segment = item.segment;
        segment.room = json.value(u"room").toString();
        segment.stream = json.value(u"stream").toString();
        segment.session = json.value(u"session").toString();
        segment.utteranceId = json.value(u"utterance_id").toString();
        segment.isFinal = true;
        segment.start_ms = json.value(u"start_ms").toInteger();
        segment.end_ms = json.value(u"end_ms").toInteger();
        if (json.contains(u"wall_clock"))
            segment.wallClock = timestampFrom(json.value(u"wall_clock").toString());
        segment.channel = json.value(u"channel").toInt();
        segment.speaker = json.value(u"speaker").toString();
        segment.speakerInferred = json.value(u"speaker_inferred").toBool();
        segment.language = json.value(u"language").toString();
        segment.text = json.value(u"text").toString();
        for (const QJsonValue &value : json.value(u"words").toArray()) {
            const QJsonObject word = value.toObject();
            segment.words.push_back(
                {word.value(u"word").toString(), word.value(u"start_ms").toInteger(),
                 word.value(u"end_ms").toInteger(), word.value(u"confidence").toDouble()});
        }
        if (segment.stream.isEmpty() || segment.utteranceId.isEmpty())
            return std::nullopt;
    }
    return item;
}

QString streamMethod(const QString &streamName)
{
    if (streamName == u"mix")
        return QStringLiteral("room_composite");
    if (streamName.startsWith(u"track/"))
        return QStringLiteral("track");
    return QStringLiteral("rtmp");
}

} // namespace roomscribe::store

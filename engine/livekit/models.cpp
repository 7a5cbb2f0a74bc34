#include "livekit/models.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cstddef>
#include <iterator>

namespace roomscribe::livekit {

namespace json {

QJsonValue field(const QJsonObject &object, const char *camelName)
{
    const QLatin1String camel(camelName);
    const QJsonValue value = object.value(camel);
    if (!value.isUndefined())
        return value;
    QString snake;
    for (const QChar c : camel) {
        if (c.isUpper())
            snake += QLatin1Char('_') + c.toLower();
        else
            snake += c;
    }
    return object.value(snake);
}

qint64 int64Of(const QJsonValue &value)
{
    // protobuf JSON writes int64 as a string so that it survives doubles.
    if (value.isString())
        return value.toString().toLongLong();
    return value.toInteger();
}

} // namespace json

namespace {

using json::field;

// In protobuf value order.
constexpr const char *kEgressStatusNames[] = {
    "EGRESS_STARTING", "EGRESS_ACTIVE",  "EGRESS_ENDING",       "EGRESS_COMPLETE",
    "EGRESS_FAILED",   "EGRESS_ABORTED", "EGRESS_LIMIT_REACHED"};
static_assert(std::size(kEgressStatusNames) == std::size_t(EgressStatus::LimitReached));

// The enumerator for a protobuf enum value given by name or number: value + 1,
// or 0 (Invalid) for a name or number this client does not know. `names` are
// the protobuf names in value order.
template <typename Enum, std::size_t N>
Enum enumOf(const QJsonValue &value, const char *const (&names)[N])
{
    int index = -1;
    if (value.isUndefined() || value.isNull()) {
        index = 0;
    } else if (value.isString()) {
        for (std::size_t i = 0; i < N; ++i) {
            if (value.toString() == QLatin1String(names[i]))
                index = int(i);
        }
    } else if (value.isDouble()) {
        const qint64 number = value.toInteger(-1);
        if (number >= 0 && number < qint64(N))
            index = int(number);
    }
    return static_cast<Enum>(index + 1);
}

QString stringOf(const QJsonObject &object, const char *camelName)
{
    return field(object, camelName).toString();
}

} // namespace

QString egressStatusName(EgressStatus status)
{
    const int index = int(status) - 1;
    return index >= 0 && index < int(std::size(kEgressStatusNames))
               ? QString::fromLatin1(kEgressStatusNames[index])
               : QString();
}

Room parseRoom(const QJsonObject &object)
{
    Room room;
    room.sid = stringOf(object, "sid");
    room.name = stringOf(object, "name");
    room.numParticipants = int(json::int64Of(field(object, "numParticipants")));
    room.numPublishers = int(json::int64Of(field(object, "numPublishers")));
    room.creationTime = json::int64Of(field(object, "creationTime"));
    return room;
}

TrackInfo parseTrackInfo(const QJsonObject &object)
{
    TrackInfo track;
    track.sid = stringOf(object, "sid");
    track.type = enumOf<TrackType>(field(object, "type"), {"AUDIO", "VIDEO", "DATA"});
    track.source =
        enumOf<TrackSource>(field(object, "source"), {"UNKNOWN", "CAMERA", "MICROPHONE",
                                                      "SCREEN_SHARE", "SCREEN_SHARE_AUDIO"});
    track.muted = field(object, "muted").toBool();
    return track;
}

Participant parseParticipant(const QJsonObject &object)
{
    Participant participant;
    participant.sid = stringOf(object, "sid");
    participant.identity = stringOf(object, "identity");
    participant.name = stringOf(object, "name");
    participant.state = enumOf<ParticipantState>(field(object, "state"),
                                                 {"JOINING", "JOINED", "ACTIVE", "DISCONNECTED"});
    participant.kind = enumOf<ParticipantKind>(field(object, "kind"),
                                               {"STANDARD", "INGRESS", "EGRESS", "SIP", "AGENT"});
    for (const QJsonValue track : field(object, "tracks").toArray())
        participant.tracks.append(parseTrackInfo(track.toObject()));
    return participant;
}

std::optional<EgressInfo> parseEgressInfo(const QJsonObject &object)
{
    EgressInfo info;
    info.egressId = stringOf(object, "egressId");
    if (info.egressId.isEmpty())
        return std::nullopt;
    info.roomName = stringOf(object, "roomName");
    info.status = enumOf<EgressStatus>(field(object, "status"), kEgressStatusNames);
    info.startedAt = json::int64Of(field(object, "startedAt"));
    info.endedAt = json::int64Of(field(object, "endedAt"));
    info.error = stringOf(object, "error");
    if (field(object, "roomComposite").isObject())
        info.kind = EgressKind::RoomComposite;
    else if (field(object, "track").isObject())
        info.kind = EgressKind::Track;
    else
        info.kind = EgressKind::Other;
    for (const QJsonValue result : field(object, "streamResults").toArray())
        info.streamUrls.append(stringOf(result.toObject(), "url"));
    // Older servers report streams only in the deprecated `stream` field.
    if (info.streamUrls.isEmpty()) {
        const QJsonArray legacy =
            field(object, "stream").toObject().value(QLatin1String("info")).toArray();
        for (const QJsonValue stream : legacy)
            info.streamUrls.append(stringOf(stream.toObject(), "url"));
    }
    return info;
}

} // namespace roomscribe::livekit

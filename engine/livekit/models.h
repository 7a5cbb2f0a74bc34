#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// LiveKit server API objects, parsed from either the server's snake_case JSON
// or the SDKs' lowerCamelCase (shared/PROTOCOLS.md, "LiveKit server API").
// int64 fields are accepted as strings or numbers, enums as names or numbers;
// an absent field has its protobuf default.
namespace roomscribe::livekit {

// Enumerators after Invalid follow the protobuf numbering (value + 1).
enum class TrackType { Invalid, Audio, Video, Data };
enum class TrackSource { Invalid, Unknown, Camera, Microphone, ScreenShare, ScreenShareAudio };
enum class ParticipantState { Invalid, Joining, Joined, Active, Disconnected };
// Egress and agent participants are LiveKit's own workers, not people.
enum class ParticipantKind { Invalid, Standard, Ingress, Egress, Sip, Agent };
enum class EgressStatus {
    Invalid,
    Starting,
    Active,
    Ending,
    Complete,
    Failed,
    Aborted,
    LimitReached
};
enum class EgressKind { Invalid, RoomComposite, Track, Other };

// What ListEgress with `active` reports: STARTING, ACTIVE and ENDING.
inline bool isActive(EgressStatus status)
{
    return status == EgressStatus::Starting || status == EgressStatus::Active ||
           status == EgressStatus::Ending;
}

// LiveKit's protobuf name of a status ("EGRESS_ACTIVE"), as its server and
// tools print it; empty for Invalid.
QString egressStatusName(EgressStatus status);

struct Room
{
    QString sid;
    QString name;
    int numParticipants = 0;
    int numPublishers = 0;
    qint64 creationTime = 0; // unix seconds
};

struct TrackInfo
{
    QString sid;
    TrackType type = TrackType::Invalid;
    TrackSource source = TrackSource::Invalid;
    bool muted = false;

    bool operator==(const TrackInfo &other) const
    {
        return sid == other.sid && type == other.type && source == other.source &&
               muted == other.muted;
    }
    bool operator!=(const TrackInfo &other) const { return !(*this == other); }
};

struct Participant
{
    QString sid;
    QString identity;
    QString name;
    ParticipantState state = ParticipantState::Invalid;
    ParticipantKind kind = ParticipantKind::Invalid;
    QList<TrackInfo> tracks;

    bool operator==(const Participant &other) const
    {
        return sid == other.sid && identity == other.identity && name == other.name &&
               state == other.state && kind == other.kind && tracks == other.tracks;
    }
    bool operator!=(const Participant &other) const { return !(*this == other); }
};

struct EgressInfo
{
    QString egressId;
    QString roomName;
    EgressStatus status = EgressStatus::Invalid;
    qint64 startedAt = 0; // unix nanoseconds
    qint64 endedAt = 0;   // unix nanoseconds
    QString error;
    EgressKind kind = EgressKind::Invalid;
    QStringList streamUrls; // as returned: stream keys redacted

    bool operator==(const EgressInfo &other) const
    {
        return egressId == other.egressId && roomName == other.roomName && status == other.status &&
               startedAt == other.startedAt && endedAt == other.endedAt && error == other.error &&
               kind == other.kind && streamUrls == other.streamUrls;
    }
    bool operator!=(const EgressInfo &other) const { return !(*this == other); }
};

Room parseRoom(const QJsonObject &object);
TrackInfo parseTrackInfo(const QJsonObject &object);
Participant parseParticipant(const QJsonObject &object);
// Empty when the object has no egress id.
std::optional<EgressInfo> parseEgressInfo(const QJsonObject &object);

// Protocol-level helpers shared by the client and the webhook parser.
namespace json {
// The field under its lowerCamelCase name, else under its snake_case name.
QJsonValue field(const QJsonObject &object, const char *camelName);
qint64 int64Of(const QJsonValue &value);
} // namespace json

} // namespace roomscribe::livekit

Q_DECLARE_METATYPE(roomscribe::livekit::TrackInfo)
Q_DECLARE_METATYPE(roomscribe::livekit::EgressInfo)

#pragma once

#include <QJsonObject>
#include <QList>
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
};

struct Participant
{
    QString sid;
    QString identity;
    QString name;
    ParticipantState state = ParticipantState::Invalid;
    QList<TrackInfo> tracks;
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

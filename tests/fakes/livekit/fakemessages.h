#pragma once

#include "fakelivekit.h"
#include "protojson.h"

#include <QJsonValue>

// The fake's state as LiveKit's protobuf messages (livekit_models.proto,
// livekit_egress.proto), with every field a current server prints.
namespace roomscribe::test {

ProtoMessage roomMessage(const FakeRoom &room, bool activeRecording);
ProtoMessage
participantMessage(const FakeParticipant &participant,
                   livekit::ParticipantState state = livekit::ParticipantState::Active);
ProtoMessage trackMessage(const FakeTrack &track);
// Stream keys redacted, as Egress reports them.
ProtoMessage egressMessage(const FakeEgress &egress);

// LiveKit's ids: a type prefix ("EG_", "RM_", …) and 12 characters of
// shortuuid's alphabet.
QString newLiveKitId(const char *prefix);

// "rtmp://host/live/abcdefghij" -> "rtmp://host/live/{abc...hij}": LiveKit's
// own redaction (protocol utils.RedactStreamKey); other URLs unchanged.
QString redactStreamKey(const QString &url);

// Enum names in number order.
extern const QStringList kTrackTypeNames;
extern const QStringList kTrackSourceNames;

// The protobuf number of an engine-side enumerator (which is number + 1).
template <typename Enum> int protoNumber(Enum value)
{
    return int(value) - 1;
}

// A request field given in lowerCamelCase or snake_case (Twirp accepts both).
QJsonValue requestField(const QJsonObject &request, const char *camelName);
// An int64 given as a string or a number.
qint64 int64Of(const QJsonValue &value);
// An enum given by name or by number; -1 when neither.
int enumNumber(const QJsonValue &value, const QStringList &names);

} // namespace roomscribe::test

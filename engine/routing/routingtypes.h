#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

// What the router decides and shows: how a room's audio is taken and where
// the room stands (shared/DESIGN.md, "Ways to get a room's audio").
namespace roomscribe::routing {

enum class Method {
    Invalid,
    Auto,        // the hybrid rule: composite for 2+ speakers while the egress budget
                 // lasts, else the room joined as a participant
    Composite,   // one Room Composite egress: the mix over RTMP, speakers inferred
    Track,       // one Track Egress per microphone: exact speakers over WebSocket
    Participant, // joined as a hidden WebRTC subscriber: no egress, exact speakers
};

QString methodName(Method method);
std::optional<Method> parseMethod(const QString &name);

enum class RoomPhase {
    Invalid,
    WaitingForRoom,     // asked for; LiveKit has no such room (yet)
    WaitingForSpeakers, // the room has nobody with a microphone to transcribe
    Queued,             // waiting for the egress budget
    Starting,           // egress starts in flight
    Running,
    Stopping,
    Stopped,
};

QString phaseName(RoomPhase phase);

// One room as the console and the stats show it.
struct RoomStatus
{
    QString room;
    Method requestedMethod = Method::Invalid;
    Method method = Method::Invalid; // the one running; Invalid before a start
    RoomPhase phase = RoomPhase::Invalid;
    QString detail; // why it waits, what failed, when it retries
    int participants = 0;
    int egresses = 0;      // this engine's, started or starting
    int queuePosition = 0; // 1-based while Queued
    // After a failed start: why, and when the next attempt is due (wall
    // clock, ms since the epoch); empty and 0 otherwise.
    QString retryReason;
    qint64 retryAt_ms = 0;
};

// The concurrent egress budget as the router counts it: LiveKit's own
// ListEgress(active) plus this engine's starts it has not listed yet.
struct EgressBudget
{
    int limit = 0;
    int used = 0;
    int inFlight = 0;  // starts sent, not answered
    bool full = false; // LiveKit answered 429 resource_exhausted

    int available() const { return full ? 0 : qMax(0, limit - used); }
};

} // namespace roomscribe::routing

Q_DECLARE_METATYPE(roomscribe::routing::RoomStatus)
Q_DECLARE_METATYPE(roomscribe::routing::EgressBudget)

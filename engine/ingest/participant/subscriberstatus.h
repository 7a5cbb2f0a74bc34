#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace roomscribe::ingest {

// Where a room's hidden subscriber stands, as the router shows it.
enum class SubscriberPhase {
    Invalid,
    Joining,      // signalling: join sent, or the PeerConnection is being set up
    Running,      // media flows (ICE connected)
    Reconnecting, // signalling or media dropped; the next attempt is due at retryAt_ms
    Failed,       // this attempt cannot run (refused, no UDP path); retried
    Left,         // left for good: its streams are closed and drained
};

struct SubscriberStatus
{
    QString room;
    SubscriberPhase phase = SubscriberPhase::Invalid;
    QString detail;        // why it waits or failed
    qint64 retryAt_ms = 0; // wall clock, ms since the epoch; 0: no retry pending
    int tracks = 0;        // audio tracks received
};

// A change in who speaks, as LiveKit's SpeakersChanged tells it, stamped
// with its arrival (wall clock, ms since the epoch).
struct SpeakerChange
{
    QString identity;
    float level = 0;
    bool active = false;
};

struct SpeakerUpdate
{
    QString room;
    qint64 at_ms = 0;
    QList<SpeakerChange> changes;
};

} // namespace roomscribe::ingest

Q_DECLARE_METATYPE(roomscribe::ingest::SubscriberStatus)
Q_DECLARE_METATYPE(roomscribe::ingest::SpeakerUpdate)

#pragma once

#include <QString>
#include <QStringList>

namespace roomscribe::ingest {

// Whose audio a stream carries: what transcripts, stats and the store name it by.
struct StreamLabel
{
    QString room;        // LiveKit room; empty for a bare stream key (the key names it)
    QString participant; // identity of a per-track stream's speaker; empty for a room mix
    QString trackSid;    // the LiveKit track of a per-track stream

    bool isTrack() const { return !trackSid.isEmpty(); }
    // For logs: the parts that are set, e.g. "room R, participant P, track T".
    QString describe() const
    {
        QStringList parts;
        if (!room.isEmpty())
            parts << QStringLiteral("room ") + room;
        if (!participant.isEmpty())
            parts << QStringLiteral("participant ") + participant;
        if (!trackSid.isEmpty())
            parts << QStringLiteral("track ") + trackSid;
        return parts.join(QStringLiteral(", "));
    }
};

} // namespace roomscribe::ingest

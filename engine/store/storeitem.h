#pragma once

#include "stt/transcriptsegment.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace roomscribe::store {

// One write the store owes the database. Every item names its room session
// by a uid made when the session began, with the session's start, so items
// can be written in any order, more than once (a replay), or by a later
// process (from the journal), and still land in the same rows.
struct StoreItem
{
    enum class Kind {
        Invalid = 0,
        BeginSession,
        EndSession,
        Final,
    };
    Kind kind = Kind::Invalid;
    QString room;
    QString sessionUid;
    QDateTime sessionStartedAt;     // UTC
    QDateTime endedAt;              // EndSession
    stt::TranscriptSegment segment; // Final
};

// One JSON Lines record of the overflow journal (with its "\n").
QByteArray toJournalLine(const StoreItem &item);
// std::nullopt for a line that is not a journal record (e.g. one cut short
// when the process died while writing it).
std::optional<StoreItem> fromJournalLine(const QByteArray &line);

// The method a stream's audio came by, from its name: "room_composite" for a
// room's mix, "track" for one participant's track, "rtmp" for a stream key.
QString streamMethod(const QString &streamName);

} // namespace roomscribe::store

#pragma once

#include "ingest/ingeststats.h"
#include "routing/routingtypes.h"
#include "session/transcriptfeed.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace roomscribe::ingest {
class IngestServer;
}
namespace roomscribe::routing {
class RoomControl;
}

namespace roomscribe::console {

// One room as the console shows it: what LiveKit reports, merged with what
// the router does with it and the levels of its streams.
struct RoomEntry
{
    QString name;
    bool inLiveKit = false; // LiveKit lists it now
    int participants = 0;
    int publishers = 0;
    qint64 created_s = 0;       // unix seconds; 0 when unknown
    routing::RoomStatus status; // phase Invalid: never asked for
    int streams = 0;            // its streams in the ingest
    int publishingStreams = 0;
    float rms_dBFS = -120.f; // the loudest of its streams at the last stats
    float peak_dBFS = -120.f;
};

// The one object the views' models read the engine through. Lives on the
// GUI thread; everything it hears from the engine arrives queued, and it
// passes it on at the pace eyes need: room changes at most every
// kRoomsInterval_ms, stats (levels) once per kStatsInterval_ms, transcripts
// in batches (TranscriptFeed). Its stats collection is the only one the
// views make.
class ConsoleBackend final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("made by the console for its engine")
    Q_PROPERTY(bool liveKitEnabled READ liveKitEnabled CONSTANT)
    Q_PROPERTY(bool transcribing READ transcribing CONSTANT)
    Q_PROPERTY(QStringList publishUrls READ publishUrls CONSTANT)
    Q_PROPERTY(QStringList methods READ methods CONSTANT)
    Q_PROPERTY(int egressLimit READ egressLimit WRITE setEgressLimit NOTIFY budgetChanged)
    Q_PROPERTY(int budgetUsed READ budgetUsed NOTIFY budgetChanged)
    Q_PROPERTY(int liveRoomCount READ liveRoomCount NOTIFY roomsChanged)
    // Grows with each switch of the interface language: a QML binding that
    // calls C++ for a text reads it to be evaluated again.
    Q_PROPERTY(int languageRevision READ languageRevision NOTIFY languageChanged)
public:
    static constexpr int kRoomsInterval_ms = 250;
    static constexpr int kStatsInterval_ms = 250;
    // Segments kept per room for views opened late; older ones are in the store.
    static constexpr int kKeptSegmentsPerRoom = 20000;

    // rooms and feed may be null: no LiveKit, no transcription.
    ConsoleBackend(ingest::IngestServer *ingest, routing::RoomControl *rooms,
                   session::TranscriptFeed *feed, QStringList publishUrls, bool transcribing,
                   QObject *parent = nullptr);
    ~ConsoleBackend() override;

    bool liveKitEnabled() const { return m_rooms != nullptr; }
    bool transcribing() const { return m_transcribing; }
    QStringList publishUrls() const { return m_publishUrls; }
    QStringList methods() const; // "auto", "composite", "track"
    int languageRevision() const { return m_languageRevision; }

    // Ordered by name.
    const std::vector<RoomEntry> &rooms() const { return m_roomList; }
    routing::EgressBudget budget() const { return m_budget; }
    // When LiveKit last answered 429 resource_exhausted; invalid when the budget is not full.
    QDateTime budgetFullSince() const { return m_budgetFullSince; }
    int egressLimit() const { return m_budget.limit; }
    int budgetUsed() const { return m_budget.used; }
    int liveRoomCount() const; // rooms whose transcription runs
    void setEgressLimit(int limit);
    // The last collection: per stream levels, counters and stage latencies
    // since the collection before it.
    const ingest::IngestStats &stats() const { return m_stats; }
    // What has been transcribed in a room so far (at most kKeptSegmentsPerRoom), in arrival order.
    std::vector<session::LiveSegment> transcriptOf(const QString &room) const;

    // method: "" for the room's configured one, else a name from methods().
    Q_INVOKABLE void startRoom(const QString &room, const QString &method = QString());
    Q_INVOKABLE void stopRoom(const QString &room);

Q_SIGNALS:
    void roomsChanged();
    void budgetChanged();
    void statsUpdated();
    // In arrival order; partials and finals of every room.
    void segmentsArrived(const QList<roomscribe::session::LiveSegment> &segments);
    // The interface language changed: texts made in C++ must be made again.
    void languageChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuildRooms();
    void scheduleRooms();
    void onStats(const ingest::IngestStats &stats);
    void onSegments(const QList<session::LiveSegment> &segments);

    QPointer<ingest::IngestServer> m_ingest;
    routing::RoomControl *m_rooms;
    session::TranscriptFeed *m_feed;
    QStringList m_publishUrls;
    bool m_transcribing;
    std::vector<RoomEntry> m_roomList;
    QHash<QString, routing::RoomStatus> m_statusOf;
    routing::EgressBudget m_budget;
    QDateTime m_budgetFullSince;
    ingest::IngestStats m_stats;
    QHash<QString, std::vector<session::LiveSegment>> m_transcripts;
    QTimer m_roomsTimer;
    QTimer m_statsTimer;
    int m_languageRevision = 0;
};

// Points a model's backend at candidate (a ConsoleBackend, or anything else
// for none), dropping the model's connections to the old one; false when it
// is the same backend and nothing changed.
bool switchBackend(QObject *model, QPointer<ConsoleBackend> &current, QObject *candidate);

// After a language switch: every row's texts again, in place (no reset).
void retranslateRows(QAbstractItemModel *model);

} // namespace roomscribe::console

#pragma once

#include "app/enginemetrics.h"
#include "app/options.h"
#include "app/transcriptlog.h"
#include "ingest/ingestserver.h"
#include "publish/publishserver.h"
#include "routing/roomcontrol.h"
#include "session/speakertimeline.h"
#include "session/transcriptfeed.h"
#include "store/transcriptstore.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace roomscribe::app {

// Owns the engine for either mode: starts it from the options, registers the
// stream keys, prints stats lines, and stops it cleanly on request.
class EngineHost final : public QObject
{
    Q_OBJECT
public:
    explicit EngineHost(const AppOptions &options, QObject *parent = nullptr);

    bool start(QString *error);
    ingest::IngestServer *ingest() { return &m_ingest; }
    // rtmp:// URLs to publish to, one per registered key (host as reachable).
    QStringList publishUrls() const { return m_publishUrls; }
    // LiveKit rooms, when a LiveKit server is configured; nullptr otherwise.
    routing::RoomControl *roomControl() { return m_rooms.get(); }
    // Every segment of every stream, batched for the console; nullptr headless.
    session::TranscriptFeed *transcriptFeed() { return m_feed.get(); }
    bool transcribing() const { return m_options.transcribe; }
    // Stops the egresses it started, then the ingest. Bounded: if the engine
    // cannot finish in time, stopped() comes anyway.
    void stop();

Q_SIGNALS:
    void stopped();

private:
    void onStats(const ingest::IngestStats &stats);
    void printStats(const ingest::IngestStats &stats);
    EngineSnapshot snapshot() const;
    QString publicHost() const;
    ingest::IngestConfig ingestConfig();
    bool startRoomControl(QString *error);
    // After the ingest: every final is in; then the fan-out; then stopped().
    void closeStore();
    void stopPublishing();

    AppOptions m_options;
    TranscriptLog m_transcripts;                       // before m_ingest: its streams write here
    store::TranscriptStore m_store;                    // the same, from the streams' threads
    std::unique_ptr<publish::PublishServer> m_publish; // the same; with --http-listen
    // Who LiveKit says speaks, per room: labels for a composite room's mix.
    const std::shared_ptr<session::SpeakerTimelines> m_speakers =
        std::make_shared<session::SpeakerTimelines>();
    std::unique_ptr<session::TranscriptFeed> m_feed; // the same; with the console
    ingest::IngestServer m_ingest;
    std::unique_ptr<routing::RoomControl> m_rooms;
    QStringList m_publishUrls;
    QStringList m_streamKeys;        // bare keys: each the room of its name
    ingest::IngestStats m_lastStats; // what /health and /metrics report
    QTimer m_statsTimer;
    QTimer m_stopDeadline;
    bool m_stopping = false;
};

} // namespace roomscribe::app

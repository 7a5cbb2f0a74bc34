#pragma once

#include "ingest/ingestconfig.h"
#include "ingest/ingeststats.h"
#include "ingest/participant/subscriberstatus.h"
#include "ingest/streamlabel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTcpServer>

#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace roomscribe::ingest {

class IngestWorker;
class ParticipantIngest;
class StreamOwner;
class StreamRegistry;
class TrackIngest;

// The ingest: the RTMP listening socket and, when configured, the Track
// Egress WebSocket one, on the caller's thread; N RTMP workers and the track
// endpoint on threads of their own. Accepted RTMP descriptors go to the
// workers in turn, Track Egress ones to the track endpoint; a stream is owned
// by the thread the registry assigned it to.
class IngestServer final : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kDefaultApp = "live";
    static constexpr auto kTrackApp = "track"; // the app of every track stream

    explicit IngestServer(const IngestConfig &config, QObject *parent = nullptr);
    ~IngestServer() override;

    bool start(QString *error);
    quint16 rtmpPort() const { return m_rtmpListener.serverPort(); }
    // 0 when the Track Egress endpoint is off (or not started).
    quint16 trackPort() const { return m_trackListener.serverPort(); }
    int workerCount() const { return int(m_workers->size()); }

    // Allows app/key to publish (kTrackApp: over Track Egress, when the
    // endpoint is on; else over RTMP); false when taken or not a valid key.
    bool registerStream(const QString &app, const QString &key, const StreamLabel &label = {});
    // Registers a fresh unguessable key and returns it.
    QString registerNewStream(const QString &app, const StreamLabel &label = {});
    // Registers a Track Egress stream and returns its token, fresh and
    // unguessable: the egress dials ws://HOST:trackPort()/ + trackPath(token),
    // and the stream is kTrackApp/token. Empty when the endpoint is off.
    QString registerTrackStream(const StreamLabel &label);
    static QString trackPath(const QString &token);

    // Rooms taken as a hidden WebRTC subscriber (IngestConfig::participant).
    bool hasParticipantIngest() const { return m_participants != nullptr; }
    // Joins the room (for its audio, or only for its active speakers);
    // subscriberChanged() tells how it goes. Nothing when it is off.
    void joinRoom(const QString &room, bool speakersOnly);
    // Leaves the room and drains its streams; roomLeft() then, always.
    void leaveRoom(const QString &room);

    // Ends app/key for good: kicks its publisher, flushes its audio into the
    // consumers and finishes them (a transcription drains, which takes a
    // while), forgets the key so that it cannot publish again, then
    // streamClosed(app, key). An unknown or already closed key gets
    // streamClosed() at once (queued); so does any key after stop(), which
    // finishes everything itself.
    void closeStream(const QString &app, const QString &key);

    // Answers with statsUpdated() once every worker has reported.
    void requestStats();
    // Closes every connection and flushes every stream; then stopped().
    void stop();

Q_SIGNALS:
    void statsUpdated(const roomscribe::ingest::IngestStats &stats);
    void streamClosed(const QString &app, const QString &key);
    void subscriberChanged(const roomscribe::ingest::SubscriberStatus &status);
    void speakersChanged(const roomscribe::ingest::SpeakerUpdate &update);
    void roomLeft(const QString &room);
    void stopped();

private:
    // Hands each accepted descriptor on, as it comes.
    class Listener final : public QTcpServer
    {
    public:
        explicit Listener(std::function<void(qintptr)> adopt) : m_adopt(std::move(adopt)) {}

    protected:
        void incomingConnection(qintptr fd) override { m_adopt(fd); }

    private:
        std::function<void(qintptr)> m_adopt;
    };

    void addOwner(StreamOwner *owner, const QString &threadName);
    bool listen(Listener &listener, const QHostAddress &address, quint16 port, const char *what,
                QString *error);
    void onOwnerStats(const WorkerStats &stats);
    void onOwnerShutdown();

    IngestConfig m_config;
    std::shared_ptr<StreamRegistry> m_registry;
    std::shared_ptr<std::vector<IngestWorker *>> m_workers;
    TrackIngest *m_track = nullptr;              // when the Track Egress endpoint is configured
    ParticipantIngest *m_participants = nullptr; // when LiveKit is configured
    std::vector<StreamOwner *> m_owners;         // by index: the workers, then the track endpoint
    std::vector<QThread *> m_threads;
    Listener m_rtmpListener;
    Listener m_trackListener;
    size_t m_nextWorker = 0;
    QElapsedTimer m_uptime;
    IngestStats m_pendingStats;
    int m_statsOutstanding = 0;
    int m_shutdownOutstanding = 0;
    bool m_stopping = false;
};

} // namespace roomscribe::ingest

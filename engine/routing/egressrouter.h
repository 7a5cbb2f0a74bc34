#pragma once

#include "livekit/models.h"
#include "routing/egressledger.h"
#include "routing/routingtypes.h"
#include "routing/streamport.h"
#include "stt/backoff.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace roomscribe::livekit {
class RoomDirectory;
class TwirpClient;
struct TwirpError;
} // namespace roomscribe::livekit

namespace roomscribe::routing {

struct RouterConfig
{
    Method defaultMethod = Method::Auto;
    int egressLimit = 2;                        // the plan's concurrent egress limit
    bool autoStart = false;                     // every room LiveKit reports is wanted (--auto)
    QHash<QString, Method> roomMethods;         // the operator's method per room, over the default
    stt::BackoffConfig retry{1000, 2.0, 60000}; // failed starts, and after a 429
};

// Nothing starts before the directory's first ListEgress answer: it tells
// which egresses of the ledger still run, and those are adopted.
//
// Decides, per wanted room, how its audio is taken and spends the project's
// concurrent egress budget on it (shared/DESIGN.md, "Ways to get a room's
// audio"). Lives on the control thread with the Twirp client and the room
// directory; the ingest is reached through a StreamPort.
//
// The method is chosen when a room starts and kept while it runs: switching
// a running room would cut its transcript in two. Rooms wait in request
// order; a room never takes budget from one that asked before it.
class EgressRouter final : public QObject
{
    Q_OBJECT
public:
    EgressRouter(RouterConfig config, livekit::TwirpClient *twirp,
                 livekit::RoomDirectory *directory, StreamPort *streams, EgressLedger *ledger,
                 QObject *parent = nullptr);
    ~EgressRouter() override;

    // Idempotent: a wanted room is not started twice. Method::Invalid takes
    // the room's configured method, else the default.
    void startRoom(const QString &room, Method method = Method::Invalid);
    // Always wins and always finishes: stops the room's egresses (an
    // unreachable LiveKit is retried later from the ledger), closes and
    // drains its streams.
    void stopRoom(const QString &room);
    // Stops every egress this engine started; stoppedAll() when done.
    void stopAll();

    QList<RoomStatus> rooms() const;
    EgressBudget budget() const;
    // Plans differ: a higher limit starts queued rooms now; a lower one
    // stops nothing that runs, it only holds new starts until usage drops.
    void setEgressLimit(int limit);
    bool isStopping() const { return m_stoppingAll; }

Q_SIGNALS:
    void roomChanged(const roomscribe::routing::RoomStatus &status);
    void budgetChanged(const roomscribe::routing::EgressBudget &budget);
    void stoppedAll();

private:
    // One egress of ours: a composite (key "") or one track's (key = track sid).
    struct EgressRun
    {
        QString egressId; // empty while the start is in flight
        StreamEndpoint stream;
        bool stopping = false; // wanted no more
        bool stopSent = false; // StopEgress asked, or LiveKit ended it
    };

    struct RoomRun
    {
        QString name;
        Method requested = Method::Invalid;
        Method method = Method::Invalid;
        bool wanted = false;
        bool automatic = false;         // wanted by --auto, not by the operator
        bool explicitlyStopped = false; // the operator's stop: --auto leaves it alone
        quint64 order = 0;              // request order: the queue
        int participants = 0;
        int queuePosition = 0;
        QHash<QString, EgressRun> egresses;
        RoomPhase phase = RoomPhase::Invalid;
        QString detail;
        stt::Backoff backoff;
        qint64 nextAttempt_ms = 0; // on m_clock; 0: now
        QString retryReason;       // why the last start failed, while a retry waits
        bool restartAfterStop = false;
        Method restartMethod = Method::Invalid;
        // The hidden subscriber: the room's audio (Method::Participant), or
        // its active speakers beside a composite egress.
        bool subscribed = false; // joined, not yet left
        bool speakersOnly = false;
        ingest::SubscriberPhase subscriberPhase = ingest::SubscriberPhase::Invalid;
        QString subscriberDetail;
        qint64 subscriberRetryAt_ms = 0; // wall clock
        // Why the egress-free way cannot run here: Auto then waits for egress.
        QString participantBlocked;

        explicit RoomRun(const stt::BackoffConfig &retry) : backoff(retry) {}
    };

    void onActiveEgressesRefreshed();
    void onEgressChanged(const livekit::EgressInfo &info);
    void onParticipantGone(const QString &room, const QString &identity);
    void onTrackGone(const QString &room, const QString &trackSid);
    void adoptFromLedger();
    void stopPendingFromLedger();

    // Starts what the budget allows, in request order; updates phases.
    void schedule();
    void scheduleSoon();
    Method chooseMethod(const RoomRun &run, int speakers, int availableEgresses) const;
    // Nothing of ours runs for the room: no egress, no subscriber.
    static bool isIdle(const RoomRun &run) { return run.egresses.isEmpty() && !run.subscribed; }
    void joinRoom(RoomRun &run, bool speakersOnly);
    void leaveRoom(RoomRun &run);
    void onSubscriberChanged(const ingest::SubscriberStatus &status);
    void showSubscriber(RoomRun &run);
    Method configuredMethod(const QString &room) const;
    void startEgress(RoomRun &run, Method method, const livekit::Participant *participant,
                     const livekit::TrackInfo *track);
    void onStartAnswered(const QString &room, const QString &runKey,
                         const livekit::EgressInfo &info,
                         const std::optional<livekit::TwirpError> &error);
    void stopEgress(RoomRun &run, const QString &runKey);
    void finishEgress(const QString &room, const QString &runKey);
    void finishStopIfDone(RoomRun &run);
    void retryLater(RoomRun &run, const QString &why);
    void setPhase(RoomRun &run, RoomPhase phase, const QString &detail = QString());
    RoomStatus statusOf(const RoomRun &run) const;
    RoomRun &runFor(const QString &room);
    // LiveKit's ListEgress(active), as the directory last heard it.
    QSet<QString> activeEgressIds() const;
    QSet<QString> usedEgressIds() const;
    void publishBudget();
    void checkStoppedAll();

    RouterConfig m_config;
    livekit::TwirpClient *m_twirp;
    livekit::RoomDirectory *m_directory;
    StreamPort *m_streams;
    EgressLedger *m_ledger;
    QHash<QString, RoomRun *> m_rooms;
    quint64 m_nextOrder = 0;
    int m_startsInFlight = 0;
    int m_stopsInFlight = 0;
    bool m_budgetFull = false;
    stt::Backoff m_fullBackoff;
    QTimer m_fullTimer;     // after a 429: when to look at ListEgress again
    QTimer m_retryTimer;    // the earliest room retry
    QTimer m_scheduleTimer; // coalesces bursts of directory signals
    QElapsedTimer m_clock;
    bool m_adopted = false;
    bool m_stoppingAll = false;
    bool m_stoppedAllEmitted = false;
    QSet<QString> m_pendingStops; // ledger stops in flight
    EgressBudget m_lastBudget;
};

} // namespace roomscribe::routing

#include "routing/egressrouter.h"

#include "core/logging.h"
#include "ingest/streamregistry.h"
#include "livekit/roomdirectory.h"
#include "livekit/twirpclient.h"

#include <QDateTime>

#include <algorithm>

namespace roomscribe::routing {

namespace {

// Directory signals come in bursts (a poll, a participant with its tracks):
// decide once per burst.
constexpr int kScheduleCoalesce_ms = 50;

bool isMicrophone(const livekit::TrackInfo &track)
{
    // Clients older than track sources report UNKNOWN for their microphone.
    return track.type == livekit::TrackType::Audio &&
           (track.source == livekit::TrackSource::Microphone ||
            track.source == livekit::TrackSource::Unknown ||
            track.source == livekit::TrackSource::Invalid);
}

bool hasMicrophone(const livekit::Participant &participant)
{
    return std::any_of(participant.tracks.cbegin(), participant.tracks.cend(), isMicrophone);
}

bool hasEnded(livekit::EgressStatus status)
{
    return status == livekit::EgressStatus::Complete || status == livekit::EgressStatus::Failed ||
           status == livekit::EgressStatus::Aborted ||
           status == livekit::EgressStatus::LimitReached;
}

// Errors that mean the egress is not running: the stop has nothing left to do.
bool isAlreadyOver(const livekit::TwirpError &error)
{
    return error.kind == livekit::ErrorKind::NotFound ||
           error.kind == livekit::ErrorKind::FailedPrecondition;
}

} // namespace

EgressRouter::EgressRouter(RouterConfig config, livekit::TwirpClient *twirp,
                           livekit::RoomDirectory *directory, StreamPort *streams,
                           EgressLedger *ledger, QObject *parent)
    : QObject(parent), m_config(config), m_twirp(twirp), m_directory(directory), m_streams(streams),
      m_ledger(ledger), m_fullBackoff(config.retry)
{
    qRegisterMetaType<RoomStatus>();
    qRegisterMetaType<EgressBudget>();
    m_clock.start();
    m_fullTimer.setSingleShot(true);
    connect(&m_fullTimer, &QTimer::timeout, m_directory, &livekit::RoomDirectory::refresh);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EgressRouter::schedule);
    m_scheduleTimer.setSingleShot(true);
    m_scheduleTimer.setInterval(kScheduleCoalesce_ms);
    connect(&m_scheduleTimer, &QTimer::timeout, this, &EgressRouter::schedule);

    using livekit::RoomDirectory;
    connect(directory, &RoomDirectory::activeEgressesRefreshed, this,
            &EgressRouter::onActiveEgressesRefreshed);
    connect(directory, &RoomDirectory::egressChanged, this, &EgressRouter::onEgressChanged);
    connect(directory, &RoomDirectory::participantLeft, this, &EgressRouter::onParticipantGone);
    connect(directory, &RoomDirectory::trackUnpublished, this,
            [this](const QString &room, const QString &, const QString &trackSid) {
                onTrackGone(room, trackSid);
            });
    for (auto signal : {&RoomDirectory::roomAppeared, &RoomDirectory::roomGone})
        connect(directory, signal, this, &EgressRouter::scheduleSoon);
    connect(directory, &RoomDirectory::participantsChanged, this, &EgressRouter::scheduleSoon);
    connect(directory, &RoomDirectory::trackPublished, this, &EgressRouter::scheduleSoon);
    m_streams->setSubscriberObserver(
        [this](const ingest::SubscriberStatus &status) { onSubscriberChanged(status); });
}

EgressRouter::~EgressRouter()
{
    qDeleteAll(m_rooms);
}

EgressRouter::RoomRun &EgressRouter::runFor(const QString &room)
{
    RoomRun *&run = m_rooms[room];
    if (!run) {
        run = new RoomRun(m_config.retry);
        run->name = room;
    }
    return *run;
}

void EgressRouter::startRoom(const QString &room, Method method)
{
    if (m_stoppingAll || room.isEmpty())
        return;
    if (method == Method::Invalid)
        method = configuredMethod(room);
    RoomRun &run = runFor(room);
    if (run.phase == RoomPhase::Stopping) {
        run.restartAfterStop = true;
        run.restartMethod = method;
        return;
    }
    if (run.wanted) {
        if (run.requested != method)
            qCInfo(lcRouting).noquote()
                << "room" << room << "already runs; stop it to change its method to"
                << methodName(method);
        return;
    }
    run.wanted = true;
    run.automatic = false;
    run.explicitlyStopped = false;
    run.requested = method;
    run.method = Method::Invalid;
    run.order = ++m_nextOrder;
    run.nextAttempt_ms = 0;
    run.backoff.reset();
    run.participantBlocked.clear();
    qCInfo(lcRouting).noquote() << "room" << room << "wanted, method" << methodName(method);
    scheduleSoon();
}

void EgressRouter::stopRoom(const QString &room)
{
    RoomRun *run = m_rooms.value(room);
    if (!run)
        return;
    run->restartAfterStop = false;
    run->explicitlyStopped = true;
    if (!run->wanted && run->phase != RoomPhase::Stopping)
        return;
    run->wanted = false;
    qCInfo(lcRouting).noquote() << "stopping room" << room;
    if (isIdle(*run)) {
        setPhase(*run, RoomPhase::Stopped);
        checkStoppedAll();
        scheduleSoon();
        return;
    }
    setPhase(*run, RoomPhase::Stopping);
    leaveRoom(*run);
    const QStringList keys = run->egresses.keys();
    for (const QString &key : keys)
        stopEgress(*run, key);
}

void EgressRouter::stopAll()
{
    if (m_stoppingAll)
        return;
    m_stoppingAll = true;
    m_scheduleTimer.stop();
    m_retryTimer.stop();
    m_fullTimer.stop();
    const QStringList names = m_rooms.keys();
    for (const QString &name : names)
        stopRoom(name);
    // Queued: the caller connects to stoppedAll() after asking.
    QMetaObject::invokeMethod(this, &EgressRouter::checkStoppedAll, Qt::QueuedConnection);
}

void EgressRouter::checkStoppedAll()
{
    if (!m_stoppingAll || m_stoppedAllEmitted || m_startsInFlight > 0 || m_stopsInFlight > 0)
        return;
    for (const RoomRun *run : std::as_const(m_rooms)) {
        if (!isIdle(*run))
            return;
    }
    m_stoppedAllEmitted = true;
    qCInfo(lcRouting) << "every egress this engine started is stopped";
    Q_EMIT stoppedAll();
}

void EgressRouter::onActiveEgressesRefreshed()
{
    if (m_budgetFull && !m_fullTimer.isActive())
        m_budgetFull = false;
    if (!m_adopted)
        adoptFromLedger();
    else
        stopPendingFromLedger();
    schedule();
}

void EgressRouter::adoptFromLedger()
{
    m_adopted = true;
    const QSet<QString> active = activeEgressIds();
    for (const EgressRecord &record : m_ledger->records()) {
        if (!active.contains(record.egressId)) {
            qCInfo(lcRouting).noquote() << "egress" << record.egressId << "of room"
                                        << record.stream.label.room << "is over; forgotten";
            m_ledger->remove(record.egressId);
            continue;
        }
        if (record.stopPending || m_stoppingAll)
            continue; // stopPendingFromLedger() takes it
        RoomRun &run = runFor(record.stream.label.room);
        const QString key =
            record.method == Method::Track ? record.stream.label.trackSid : QString();
        if (!m_streams->reopenStream(record.stream) || run.egresses.contains(key)) {
            qCWarning(lcRouting).noquote() << "cannot take egress" << record.egressId
                                           << "back:" << m_streams->errorText() << "; stopping it";
            EgressRecord pending = record;
            pending.stopPending = true;
            m_ledger->put(pending);
            continue;
        }
        run.egresses.insert(key, EgressRun{record.egressId, record.stream});
        run.method = record.method;
        if (!run.wanted) {
            run.wanted = true;
            run.automatic = m_config.autoStart;
            run.requested = configuredMethod(run.name);
            run.order = ++m_nextOrder;
        }
        qCInfo(lcRouting).noquote()
            << "adopted" << methodName(record.method) << "egress" << record.egressId << "of room"
            << run.name
            << (record.method == Method::Track
                    ? QStringLiteral("(") + record.stream.label.participant + u')'
                    : QString());
        setPhase(run, RoomPhase::Running);
    }
    stopPendingFromLedger();
}

void EgressRouter::stopPendingFromLedger()
{
    const QSet<QString> active = activeEgressIds();
    for (const EgressRecord &record : m_ledger->records()) {
        if (!record.stopPending || m_pendingStops.contains(record.egressId))
            continue;
        if (!active.contains(record.egressId)) {
            m_ledger->remove(record.egressId);
            continue;
        }
        m_pendingStops.insert(record.egressId);
        ++m_stopsInFlight;
        m_twirp->stopEgress(
            record.egressId,
            [this, id = record.egressId](const livekit::TwirpResult<livekit::EgressInfo> &result) {
                --m_stopsInFlight;
                m_pendingStops.remove(id);
                if (result.ok() || isAlreadyOver(*result.error)) {
                    qCInfo(lcRouting).noquote() << "stopped egress" << id << "left from before";
                    m_ledger->remove(id);
                }
                checkStoppedAll();
            });
    }
}

void EgressRouter::onEgressChanged(const livekit::EgressInfo &info)
{
    if (!hasEnded(info.status)) {
        scheduleSoon();
        return;
    }
    if (m_ledger->contains(info.egressId) && m_ledger->record(info.egressId).stopPending)
        m_ledger->remove(info.egressId);
    for (RoomRun *run : std::as_const(m_rooms)) {
        for (auto it = run->egresses.begin(); it != run->egresses.end(); ++it) {
            if (it->egressId != info.egressId || it->stopping)
                continue;
            // LiveKit ended it: the track went away, the room closed, the
            // 12-hour limit, or a failure. A wanted room gets a new one.
            const QString key = it.key();
            if (info.status == livekit::EgressStatus::Failed ||
                info.status == livekit::EgressStatus::Aborted)
                qCWarning(lcRouting).noquote()
                    << "egress" << info.egressId << "of room" << run->name << "ended:"
                    << (info.error.isEmpty() ? QStringLiteral("no reason given") : info.error);
            else
                qCInfo(lcRouting).noquote()
                    << "egress" << info.egressId << "of room" << run->name << "ended";
            it->stopping = true;
            it->stopSent = true;
            m_ledger->remove(info.egressId);
            if (info.status == livekit::EgressStatus::Failed)
                retryLater(*run, tr("the egress failed: %1").arg(info.error));
            m_streams->closeStream(it->stream,
                                   [this, room = run->name, key] { finishEgress(room, key); });
            return;
        }
    }
    scheduleSoon();
}

void EgressRouter::onParticipantGone(const QString &room, const QString &identity)
{
    RoomRun *run = m_rooms.value(room);
    if (!run)
        return;
    QStringList keys;
    for (auto it = run->egresses.cbegin(); it != run->egresses.cend(); ++it) {
        if (!it.key().isEmpty() && it->stream.label.participant == identity)
            keys.append(it.key());
    }
    for (const QString &key : std::as_const(keys))
        stopEgress(*run, key);
    scheduleSoon();
}

void EgressRouter::onTrackGone(const QString &room, const QString &trackSid)
{
    RoomRun *run = m_rooms.value(room);
    if (run && !trackSid.isEmpty() && run->egresses.contains(trackSid))
        stopEgress(*run, trackSid);
    scheduleSoon();
}

void EgressRouter::joinRoom(RoomRun &run, bool speakersOnly)
{
    if (!m_streams->joinRoom(run.name, speakersOnly)) {
        if (!speakersOnly)
            retryLater(run, tr("cannot join the room: %1").arg(m_streams->errorText()));
        return;
    }
    run.subscribed = true;
    run.speakersOnly = speakersOnly;
    run.subscriberPhase = ingest::SubscriberPhase::Joining;
    run.subscriberDetail.clear();
    qCInfo(lcRouting).noquote() << "room" << run.name
                                << (speakersOnly ? ": joining for its active speakers"
                                                 : ": joining as a hidden participant (no egress)");
}

void EgressRouter::leaveRoom(RoomRun &run)
{
    if (!run.subscribed)
        return;
    m_streams->leaveRoom(run.name, [this, room = run.name] {
        RoomRun *run = m_rooms.value(room);
        if (!run)
            return;
        run->subscribed = false;
        run->subscriberPhase = ingest::SubscriberPhase::Invalid;
        finishStopIfDone(*run);
        if (run->phase != RoomPhase::Stopped)
            scheduleSoon();
        checkStoppedAll();
    });
}

void EgressRouter::onSubscriberChanged(const ingest::SubscriberStatus &status)
{
    RoomRun *run = m_rooms.value(status.room);
    if (!run || !run->subscribed || status.phase == ingest::SubscriberPhase::Left)
        return;
    run->subscriberPhase = status.phase;
    run->subscriberDetail = status.detail;
    run->subscriberRetryAt_ms = status.retryAt_ms;
    if (run->speakersOnly || run->phase == RoomPhase::Stopping)
        return;
    if (status.phase == ingest::SubscriberPhase::Failed) {
        if (run->requested == Method::Auto) {
            // Auto has another way: leave, and take the room by egress.
            qCWarning(lcRouting).noquote()
                << "room" << run->name << ": no egress-free path:" << status.detail
                << "; taking it by egress";
            run->participantBlocked = status.detail;
            run->method = Method::Invalid;
            leaveRoom(*run);
            scheduleSoon();
            return;
        }
        if (status.retryAt_ms == 0) {
            // LiveKit ended the session (refused, room deleted): join afresh later.
            run->method = Method::Invalid;
            leaveRoom(*run);
            retryLater(*run, tr("cannot take the room without egress: %1").arg(status.detail));
            return;
        }
    }
    showSubscriber(*run);
}

void EgressRouter::showSubscriber(RoomRun &run)
{
    using ingest::SubscriberPhase;
    switch (run.subscriberPhase) {
    case SubscriberPhase::Running:
        setPhase(run, RoomPhase::Running);
        break;
    case SubscriberPhase::Reconnecting:
        setPhase(run, RoomPhase::Running, run.subscriberDetail);
        break;
    case SubscriberPhase::Failed:
        // Only a room that cannot run even without egress waits in the queue.
        setPhase(run, RoomPhase::Queued,
                 tr("cannot take the room without egress: %1").arg(run.subscriberDetail));
        break;
    case SubscriberPhase::Joining:
    case SubscriberPhase::Left:
    case SubscriberPhase::Invalid:
        setPhase(run, RoomPhase::Starting, run.subscriberDetail);
        break;
    }
}

void EgressRouter::scheduleSoon()
{
    if (!m_scheduleTimer.isActive())
        m_scheduleTimer.start();
}

Method EgressRouter::configuredMethod(const QString &room) const
{
    return m_config.roomMethods.value(room, m_config.defaultMethod);
}

Method EgressRouter::chooseMethod(const RoomRun &run, int speakers, int availableEgresses) const
{
    if (speakers == 0)
        return Method::Invalid;
    if (run.requested != Method::Auto)
        return run.requested;
    // The hybrid rule: one mix egress pays for a room of several speakers; a
    // room of one, or any room once the budget is spent, costs no egress as
    // a participant. Where that cannot run (no subscriber, no UDP path),
    // egress it is, waiting for the budget if need be.
    const bool participant = m_streams->canJoinRooms() && run.participantBlocked.isEmpty();
    if (speakers >= 2 && (availableEgresses > 0 || !participant))
        return Method::Composite;
    return participant ? Method::Participant : Method::Track;
}

void EgressRouter::schedule()
{
    if (!m_adopted || m_stoppingAll) {
        publishBudget();
        return;
    }
    if (m_config.autoStart) {
        for (const livekit::RoomView &room : m_directory->rooms()) {
            RoomRun &run = runFor(room.info.name);
            if (!run.wanted && !run.explicitlyStopped && run.phase != RoomPhase::Stopping) {
                run.wanted = true;
                run.automatic = true;
                run.requested = configuredMethod(run.name);
                run.order = ++m_nextOrder;
                qCInfo(lcRouting).noquote() << "room" << room.info.name << "appeared: wanted";
            }
        }
    }
    QList<RoomRun *> queue;
    for (RoomRun *run : std::as_const(m_rooms)) {
        if (run->wanted)
            queue.append(run);
    }
    std::sort(queue.begin(), queue.end(),
              [](const RoomRun *a, const RoomRun *b) { return a->order < b->order; });

    int available = budget().available();
    int position = 0;
    const qint64 now_ms = m_clock.elapsed();
    qint64 nextRetry_ms = -1;
    for (RoomRun *run : std::as_const(queue)) {
        const std::optional<livekit::RoomView> room = m_directory->room(run->name);
        if (!room) {
            if (run->method == Method::Participant) { // nothing left to listen to
                leaveRoom(*run);
                run->method = Method::Invalid;
            }
            if (isIdle(*run)) {
                if (run->automatic) {
                    run->wanted = false; // gone: forgotten below
                    continue;
                }
                setPhase(*run, RoomPhase::WaitingForRoom, tr("LiveKit has no such room yet"));
            }
            continue;
        }
        QList<const livekit::Participant *> speakers;
        for (const livekit::Participant &participant : room->participants) {
            if (hasMicrophone(participant))
                speakers.append(&participant);
        }
        // LiveKit's own egress participants are no audience and no speakers.
        run->participants = int(std::count_if(
            room->participants.cbegin(), room->participants.cend(), [](const auto &participant) {
                return participant.kind != livekit::ParticipantKind::Egress;
            }));
        if (run->nextAttempt_ms > now_ms) {
            if (nextRetry_ms < 0 || run->nextAttempt_ms < nextRetry_ms)
                nextRetry_ms = run->nextAttempt_ms;
            if (run->egresses.isEmpty())
                run->queuePosition = ++position;
            continue;
        }
        const Method method = run->method != Method::Invalid
                                  ? run->method
                                  : chooseMethod(*run, int(speakers.size()), available);
        if (method == Method::Participant) {
            run->queuePosition = 0;
            run->method = method;
            if (!run->subscribed)
                joinRoom(*run, false);
            if (run->subscribed)
                showSubscriber(*run);
            continue;
        }
        if (method == Method::Invalid) {
            if (run->egresses.isEmpty())
                setPhase(*run, RoomPhase::WaitingForSpeakers,
                         tr("nobody in the room publishes a microphone"));
            continue;
        }
        int waiting = 0;
        if (method == Method::Composite) {
            if (run->egresses.isEmpty()) {
                if (available > 0) {
                    --available;
                    startEgress(*run, method, nullptr, nullptr);
                } else {
                    ++waiting;
                }
            }
            // The mix has no speakers: LiveKit's active speakers label it.
            if (!run->egresses.isEmpty() && !run->subscribed && m_streams->canJoinRooms())
                joinRoom(*run, true);
        } else {
            for (const livekit::Participant *participant : std::as_const(speakers)) {
                for (const livekit::TrackInfo &track : participant->tracks) {
                    if (!isMicrophone(track) || run->egresses.contains(track.sid))
                        continue;
                    if (available > 0) {
                        --available;
                        startEgress(*run, method, participant, &track);
                    } else {
                        ++waiting;
                    }
                }
            }
        }
        if (run->method == Method::Invalid && !run->egresses.isEmpty())
            run->method = method;
        const EgressBudget now = budget();
        if (run->egresses.isEmpty()) {
            if (run->nextAttempt_ms > m_clock.elapsed())
                continue; // the start failed at once; retryLater() said why
            run->queuePosition = ++position;
            setPhase(*run, RoomPhase::Queued,
                     now.full ? tr("waiting for the egress budget: LiveKit's limit is reached")
                              : tr("waiting for the egress budget: %1 of %2 in use")
                                    .arg(now.used)
                                    .arg(now.limit));
            continue;
        }
        run->queuePosition = 0;
        const bool starting = std::any_of(run->egresses.cbegin(), run->egresses.cend(),
                                          [](const EgressRun &e) { return e.egressId.isEmpty(); });
        setPhase(*run, starting ? RoomPhase::Starting : RoomPhase::Running,
                 waiting > 0 ? tr("%n speaker(s) wait for the egress budget", nullptr, waiting)
                             : QString());
    }
    // Rooms --auto wanted that are gone with nothing running: forget them.
    for (auto it = m_rooms.begin(); it != m_rooms.end();) {
        RoomRun *run = *it;
        if (!run->wanted && isIdle(*run) && run->phase != RoomPhase::Stopping &&
            !run->explicitlyStopped && !m_directory->room(run->name)) {
            delete run;
            it = m_rooms.erase(it);
        } else {
            ++it;
        }
    }
    if (nextRetry_ms >= 0)
        m_retryTimer.start(int(qMax<qint64>(0, nextRetry_ms - m_clock.elapsed())));
    publishBudget();
}

void EgressRouter::startEgress(RoomRun &run, Method method, const livekit::Participant *participant,
                               const livekit::TrackInfo *track)
{
    const bool composite = method == Method::Composite;
    const StreamEndpoint endpoint =
        composite ? m_streams->openCompositeStream(run.name)
                  : m_streams->openTrackStream({run.name, participant->identity, track->sid});
    if (!endpoint.isValid()) {
        retryLater(run, tr("the ingest cannot take the stream: %1").arg(m_streams->errorText()));
        return;
    }
    const QString key = composite ? QString() : track->sid;
    run.egresses.insert(key, EgressRun{QString(), endpoint});
    ++m_startsInFlight;
    qCInfo(lcRouting).noquote() << "room" << run.name << ": starting" << methodName(method)
                                << "egress"
                                << (composite ? QString() : participant->identity + u'/' + key);
    auto answered = [this, room = run.name,
                     key](const livekit::TwirpResult<livekit::EgressInfo> &result) {
        onStartAnswered(room, key, result.value, result.error);
    };
    if (composite)
        m_twirp->startRoomCompositeEgress(run.name, endpoint.url, answered);
    else
        m_twirp->startTrackEgress(run.name, track->sid, endpoint.url, answered);
}

void EgressRouter::onStartAnswered(const QString &room, const QString &runKey,
                                   const livekit::EgressInfo &info,
                                   const std::optional<livekit::TwirpError> &error)
{
    --m_startsInFlight;
    RoomRun &run = runFor(room);
    auto it = run.egresses.find(runKey);
    if (it == run.egresses.end()) {
        checkStoppedAll();
        return;
    }
    if (!error) {
        it->egressId = info.egressId;
        m_ledger->put(EgressRecord{info.egressId,
                                   runKey.isEmpty() ? Method::Composite : Method::Track, it->stream,
                                   QDateTime::currentMSecsSinceEpoch(), false});
        run.backoff.reset();
        m_fullBackoff.reset();
        qCInfo(lcRouting).noquote() << "room" << room << ": egress" << info.egressId << "started";
        if (it->stopping)
            stopEgress(run, runKey);
    } else {
        const StreamEndpoint stream = it->stream;
        const bool stopping = it->stopping;
        run.egresses.erase(it);
        m_streams->closeStream(stream, [] {});
        if (stopping) {
            finishStopIfDone(run);
        } else if (error->kind == livekit::ErrorKind::ResourceExhausted) {
            // The budget is spent somewhere we cannot see (another engine, a
            // lower limit): wait, and believe ListEgress again after a while.
            m_budgetFull = true;
            const int delay_ms = m_fullBackoff.nextDelay_ms();
            m_fullTimer.start(delay_ms);
            qCInfo(lcRouting).noquote()
                << "room" << room << "waits: LiveKit's egress limit is reached (" << error->message
                << "); looking again in" << delay_ms / 1000.0 << "s";
        } else {
            qCWarning(lcRouting).noquote()
                << "room" << room << ": egress start failed:" << error->message;
            retryLater(run, tr("the egress did not start: %1").arg(error->message));
        }
    }
    schedule();
    checkStoppedAll();
}

void EgressRouter::stopEgress(RoomRun &run, const QString &runKey)
{
    auto it = run.egresses.find(runKey);
    if (it == run.egresses.end() || it->stopSent)
        return;
    it->stopping = true;
    if (it->egressId.isEmpty())
        return; // the start's answer comes back here
    it->stopSent = true;
    const QString egressId = it->egressId;
    ++m_stopsInFlight;
    m_twirp->stopEgress(egressId, [this, room = run.name, runKey, egressId](
                                      const livekit::TwirpResult<livekit::EgressInfo> &result) {
        --m_stopsInFlight;
        RoomRun &run = runFor(room);
        if (result.ok() || isAlreadyOver(*result.error)) {
            m_ledger->remove(egressId);
        } else {
            // The stop finishes here anyway; the ledger keeps the egress so
            // that it is stopped once LiveKit answers again.
            qCWarning(lcRouting).noquote()
                << "LiveKit did not stop egress" << egressId << ":" << result.error->message
                << "; it will be stopped when LiveKit is reachable";
            EgressRecord record = m_ledger->record(egressId);
            if (!record.egressId.isEmpty()) {
                record.stopPending = true;
                m_ledger->put(record);
            }
        }
        const auto it = run.egresses.constFind(runKey);
        if (it == run.egresses.cend())
            return checkStoppedAll();
        m_streams->closeStream(it->stream, [this, room, runKey] { finishEgress(room, runKey); });
    });
}

void EgressRouter::finishEgress(const QString &room, const QString &runKey)
{
    RoomRun &run = runFor(room);
    run.egresses.remove(runKey);
    finishStopIfDone(run);
    if (run.phase != RoomPhase::Stopped)
        scheduleSoon();
    checkStoppedAll();
}

void EgressRouter::finishStopIfDone(RoomRun &run)
{
    if (run.phase != RoomPhase::Stopping || !isIdle(run))
        return;
    setPhase(run, RoomPhase::Stopped);
    qCInfo(lcRouting).noquote() << "room" << run.name << "stopped";
    if (run.restartAfterStop && !m_stoppingAll) {
        run.restartAfterStop = false;
        startRoom(run.name, run.restartMethod);
    }
}

void EgressRouter::retryLater(RoomRun &run, const QString &why)
{
    const int delay_ms = run.backoff.nextDelay_ms();
    run.nextAttempt_ms = m_clock.elapsed() + delay_ms;
    run.retryReason = why;
    setPhase(run, run.egresses.isEmpty() ? RoomPhase::Queued : run.phase,
             tr("%1; retrying in %2 s").arg(why).arg(qMax(1, (delay_ms + 500) / 1000)));
    if (!m_retryTimer.isActive() || m_retryTimer.remainingTime() > delay_ms)
        m_retryTimer.start(delay_ms);
}

void EgressRouter::setPhase(RoomRun &run, RoomPhase phase, const QString &detail)
{
    if (run.phase == phase && run.detail == detail)
        return;
    run.phase = phase;
    run.detail = detail;
    Q_EMIT roomChanged(statusOf(run));
}

RoomStatus EgressRouter::statusOf(const RoomRun &run) const
{
    RoomStatus status;
    status.room = run.name;
    status.requestedMethod = run.requested;
    status.method = run.method;
    status.phase = run.phase;
    status.detail = run.detail;
    status.participants = run.participants;
    status.egresses = int(run.egresses.size());
    status.queuePosition = run.phase == RoomPhase::Queued ? run.queuePosition : 0;
    const qint64 retryIn_ms = run.nextAttempt_ms - m_clock.elapsed();
    if (retryIn_ms > 0 && !run.retryReason.isEmpty()) {
        status.retryReason = run.retryReason;
        status.retryAt_ms = QDateTime::currentMSecsSinceEpoch() + retryIn_ms;
    } else if (run.subscribed && !run.speakersOnly && run.subscriberRetryAt_ms > 0 &&
               (run.subscriberPhase == ingest::SubscriberPhase::Failed ||
                run.subscriberPhase == ingest::SubscriberPhase::Reconnecting)) {
        status.retryReason = run.subscriberDetail;
        status.retryAt_ms = run.subscriberRetryAt_ms;
    }
    return status;
}

QList<RoomStatus> EgressRouter::rooms() const
{
    QList<const RoomRun *> runs(m_rooms.cbegin(), m_rooms.cend());
    std::sort(runs.begin(), runs.end(),
              [](const RoomRun *a, const RoomRun *b) { return a->name < b->name; });
    QList<RoomStatus> statuses;
    for (const RoomRun *run : std::as_const(runs))
        statuses.append(statusOf(*run));
    return statuses;
}

QSet<QString> EgressRouter::activeEgressIds() const
{
    QSet<QString> ids;
    for (const livekit::EgressInfo &info : m_directory->activeEgresses())
        ids.insert(info.egressId);
    return ids;
}

QSet<QString> EgressRouter::usedEgressIds() const
{
    QSet<QString> ids = activeEgressIds();
    // Ours count until LiveKit says they ended, listed yet or not.
    for (const RoomRun *run : std::as_const(m_rooms)) {
        for (const EgressRun &egress : run->egresses) {
            if (!egress.egressId.isEmpty())
                ids.insert(egress.egressId);
        }
    }
    return ids;
}

EgressBudget EgressRouter::budget() const
{
    EgressBudget budget;
    budget.limit = m_config.egressLimit;
    budget.inFlight = m_startsInFlight;
    budget.used = int(usedEgressIds().size()) + m_startsInFlight;
    budget.full = m_budgetFull;
    return budget;
}

void EgressRouter::setEgressLimit(int limit)
{
    if (limit < 0 || limit == m_config.egressLimit)
        return;
    qCInfo(lcRouting) << "egress limit" << m_config.egressLimit << "->" << limit;
    m_config.egressLimit = limit;
    // A 429 said the old plan was full; the new one is for LiveKit to judge.
    m_budgetFull = false;
    publishBudget();
    scheduleSoon();
}

void EgressRouter::publishBudget()
{
    const EgressBudget now = budget();
    if (now.limit == m_lastBudget.limit && now.used == m_lastBudget.used &&
        now.inFlight == m_lastBudget.inFlight && now.full == m_lastBudget.full)
        return;
    m_lastBudget = now;
    Q_EMIT budgetChanged(now);
}

} // namespace roomscribe::routing

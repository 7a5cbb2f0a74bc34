#include "livekit/roomdirectory.h"

#include "core/logging.h"

#include <QPointer>

#include <algorithm>

namespace roomscribe::livekit {

namespace {

// Keys of m_touched; the separator cannot occur in LiveKit names in practice.
QString roomKey(const QString &room)
{
    return QLatin1String("room\x1f") + room;
}

QString participantKey(const QString &room, const QString &identity)
{
    return QLatin1String("participant\x1f") + room + QChar(0x1f) + identity;
}

QString egressKey(const QString &egressId)
{
    return QLatin1String("egress\x1f") + egressId;
}

const TrackInfo *trackWithSid(const QList<TrackInfo> &tracks, const QString &sid)
{
    for (const TrackInfo &track : tracks) {
        if (track.sid == sid)
            return &track;
    }
    return nullptr;
}

} // namespace

RoomDirectory::RoomDirectory(TwirpClient *client, std::chrono::milliseconds pollInterval,
                             QObject *parent)
    : QObject(parent), m_client(client), m_pollInterval(pollInterval)
{
    qRegisterMetaType<TrackInfo>();
    qRegisterMetaType<EgressInfo>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RoomDirectory::refresh);
}

void RoomDirectory::start()
{
    m_started = true;
    refresh();
}

void RoomDirectory::refresh()
{
    if (!m_client)
        return;
    if (m_polling) {
        m_pollAgain = true;
        return;
    }
    m_timer.stop();
    poll();
}

QList<RoomView> RoomDirectory::rooms() const
{
    return m_rooms.values();
}

std::optional<RoomView> RoomDirectory::room(const QString &name) const
{
    const auto it = m_rooms.constFind(name);
    if (it == m_rooms.constEnd())
        return std::nullopt;
    return *it;
}

QList<EgressInfo> RoomDirectory::activeEgresses() const
{
    return m_egresses.values();
}

// ---- webhooks ----

void RoomDirectory::applyWebhook(const WebhookEvent &event)
{
    ++m_sequence;
    const QString roomName = event.room ? event.room->name : QString();
    switch (event.type) {
    case WebhookEventType::RoomStarted:
        if (roomName.isEmpty())
            break;
        touch(roomKey(roomName));
        upsertRoom(*event.room);
        break;
    case WebhookEventType::RoomFinished:
        if (roomName.isEmpty())
            break;
        touch(roomKey(roomName));
        removeRoom(roomName);
        break;
    case WebhookEventType::ParticipantJoined:
    case WebhookEventType::TrackPublished:
        if (roomName.isEmpty() || !event.participant || event.participant->identity.isEmpty())
            break;
        if (event.type == WebhookEventType::TrackPublished && !event.track)
            break;
        mergeParticipant(*event.room, *event.participant, event.track);
        break;
    case WebhookEventType::ParticipantLeft:
    case WebhookEventType::ParticipantConnectionAborted:
    case WebhookEventType::TrackUnpublished: {
        if (roomName.isEmpty() || !event.participant)
            break;
        const QString identity = event.participant->identity;
        touch(participantKey(roomName, identity));
        const auto view = m_rooms.find(roomName);
        if (view == m_rooms.end())
            break;
        bool changed = false;
        if (event.type != WebhookEventType::TrackUnpublished) {
            changed = removeParticipant(*view, identity);
        } else if (event.track && view->participants.contains(identity)) {
            Participant participant = view->participants.value(identity);
            participant.tracks.removeIf(
                [&](const TrackInfo &track) { return track.sid == event.track->sid; });
            changed = replaceParticipant(*view, participant);
        }
        if (changed)
            queue([this, roomName] { Q_EMIT participantsChanged(roomName); });
        break;
    }
    case WebhookEventType::EgressStarted:
    case WebhookEventType::EgressUpdated:
    case WebhookEventType::EgressEnded:
        if (!event.egressInfo)
            break;
        touch(egressKey(event.egressInfo->egressId));
        applyEgress(*event.egressInfo);
        break;
    case WebhookEventType::Other:
    case WebhookEventType::Invalid:
        break;
    }
    flush();
}

void RoomDirectory::mergeParticipant(const Room &room, const Participant &participant,
                                     const std::optional<TrackInfo> &publishedTrack)
{
    // Activity in a room is news of the room too, should its room_started be lost.
    touch(roomKey(room.name));
    touch(participantKey(room.name, participant.identity));
    upsertRoom(room);
    RoomView &view = m_rooms[room.name];

    Participant merged = participant;
    // Webhooks may arrive out of order: a snapshot without a track the
    // directory knows does not unpublish it; track_unpublished does.
    for (const TrackInfo &known : view.participants.value(participant.identity).tracks) {
        if (!trackWithSid(merged.tracks, known.sid))
            merged.tracks.append(known);
    }
    if (publishedTrack) {
        merged.tracks.removeIf(
            [&](const TrackInfo &track) { return track.sid == publishedTrack->sid; });
        merged.tracks.append(*publishedTrack);
    }
    if (replaceParticipant(view, merged)) {
        const QString name = room.name;
        queue([this, name] { Q_EMIT participantsChanged(name); });
    }
}

// ---- state changes; signals are queued and flushed once the state is in place ----

void RoomDirectory::upsertRoom(const Room &info)
{
    const auto it = m_rooms.find(info.name);
    if (it != m_rooms.end()) {
        it->info = info;
        return;
    }
    m_rooms.insert(info.name, RoomView{info, {}});
    qCInfo(lcLiveKit).noquote() << "room appeared:" << info.name;
    const QString name = info.name;
    queue([this, name] { Q_EMIT roomAppeared(name); });
}

void RoomDirectory::removeRoom(const QString &name)
{
    if (m_rooms.remove(name) == 0)
        return;
    qCInfo(lcLiveKit).noquote() << "room gone:" << name;
    queue([this, name] { Q_EMIT roomGone(name); });
}

bool RoomDirectory::replaceParticipant(RoomView &view, Participant participant)
{
    // In sid order, so that the order a source lists tracks in is no change.
    std::sort(participant.tracks.begin(), participant.tracks.end(),
              [](const TrackInfo &a, const TrackInfo &b) { return a.sid < b.sid; });
    const QString room = view.info.name;
    const QString identity = participant.identity;
    const auto it = view.participants.constFind(identity);
    const bool known = it != view.participants.constEnd();
    const QList<TrackInfo> before = known ? it->tracks : QList<TrackInfo>();
    if (known && *it == participant)
        return false;
    if (!known)
        qCDebug(lcLiveKit).noquote() << "participant" << identity << "in" << room;
    view.participants.insert(identity, participant);

    for (const TrackInfo &track : participant.tracks) {
        if (!trackWithSid(before, track.sid))
            queue([this, room, identity, track] { Q_EMIT trackPublished(room, identity, track); });
    }
    for (const TrackInfo &track : before) {
        if (!trackWithSid(participant.tracks, track.sid)) {
            const QString sid = track.sid;
            queue([this, room, identity, sid] { Q_EMIT trackUnpublished(room, identity, sid); });
        }
    }
    return true;
}

bool RoomDirectory::removeParticipant(RoomView &view, const QString &identity)
{
    if (view.participants.remove(identity) == 0)
        return false;
    const QString room = view.info.name;
    qCDebug(lcLiveKit).noquote() << "participant" << identity << "left" << room;
    queue([this, room, identity] { Q_EMIT participantLeft(room, identity); });
    return true;
}

void RoomDirectory::applyEgress(const EgressInfo &info)
{
    // A status newer than this client says nothing it could act on.
    if (info.status == EgressStatus::Invalid)
        return;
    const QString id = info.egressId;
    m_vanished.remove(id);
    if (isActive(info.status)) {
        const auto it = m_egresses.constFind(id);
        if (it != m_egresses.constEnd() && *it == info)
            return;
        m_egresses.insert(id, info);
    } else {
        m_egresses.remove(id);
    }
    qCInfo(lcLiveKit).nospace().noquote()
        << "egress " << id << " (room " << info.roomName << "): " << egressStatusName(info.status);
    queue([this, info] { Q_EMIT egressChanged(info); });
}

void RoomDirectory::queue(std::function<void()> emission)
{
    m_emissions.append(std::move(emission));
}

bool RoomDirectory::flush()
{
    // A slot may re-enter (and queue more) or destroy this directory.
    const QList<std::function<void()>> emissions = std::exchange(m_emissions, {});
    QPointer<RoomDirectory> self(this);
    for (const auto &emission : emissions) {
        if (!self)
            return false;
        emission();
    }
    return !self.isNull();
}

// ---- polling ----

quint64 RoomDirectory::beginRequest()
{
    m_inFlight.insert(m_sequence);
    return m_sequence;
}

// Called once the answer is applied: pruning may drop the marks it was checked against.
void RoomDirectory::endRequest(quint64 sentAt)
{
    m_inFlight.erase(m_inFlight.find(sentAt));
    // A mark matters only to answers of requests sent before it.
    const quint64 oldest = m_inFlight.empty() ? m_sequence : *m_inFlight.begin();
    m_touched.removeIf([oldest](const auto &entry) { return entry.value() <= oldest; });
}

bool RoomDirectory::stale(const QString &key, quint64 sentAt) const
{
    return m_touched.value(key, 0) > sentAt;
}

void RoomDirectory::touch(const QString &key)
{
    m_touched.insert(key, m_sequence);
}

void RoomDirectory::poll()
{
    m_polling = true;
    m_cycleFailure.reset();
    m_cycleFailureKind = ErrorKind::Invalid;
    const quint64 sentAt = beginRequest();
    QPointer<RoomDirectory> self(this);
    m_client->listRooms([this, self, sentAt](const TwirpResult<QList<Room>> &result) {
        if (self)
            onRooms(result, sentAt);
    });
}

void RoomDirectory::onRooms(const TwirpResult<QList<Room>> &result, quint64 sentAt)
{
    if (!result.ok()) {
        endRequest(sentAt);
        noteFailure("ListRooms", *result.error);
        pollEgresses();
        return;
    }
    QSet<QString> listed;
    for (const Room &room : result.value) {
        if (room.name.isEmpty())
            continue;
        listed.insert(room.name);
        if (!stale(roomKey(room.name), sentAt))
            upsertRoom(room);
    }
    for (const QString &name : m_rooms.keys()) {
        if (!listed.contains(name) && !stale(roomKey(name), sentAt))
            removeRoom(name);
    }
    endRequest(sentAt);
    if (!flush())
        return;

    QPointer<RoomDirectory> self(this);
    const QStringList rooms = m_rooms.keys();
    m_participantCallsLeft = int(rooms.size());
    for (const QString &room : rooms) {
        const quint64 participantsSentAt = beginRequest();
        m_client->listParticipants(
            room, [this, self, room, participantsSentAt](const auto &participants) {
                if (self)
                    onParticipants(room, participants, participantsSentAt);
            });
    }
    if (rooms.isEmpty())
        pollEgresses();
}

void RoomDirectory::onParticipants(const QString &room,
                                   const TwirpResult<QList<Participant>> &result, quint64 sentAt)
{
    const auto view = m_rooms.find(room);
    if (!result.ok()) {
        // The room closed after ListRooms: the next poll removes it.
        if (result.error->kind != ErrorKind::NotFound)
            noteFailure("ListParticipants", *result.error);
    } else if (view != m_rooms.end()) {
        bool changed = false;
        QSet<QString> listed;
        for (const Participant &participant : result.value) {
            if (participant.identity.isEmpty())
                continue;
            listed.insert(participant.identity);
            if (!stale(participantKey(room, participant.identity), sentAt))
                changed = replaceParticipant(*view, participant) || changed;
        }
        for (const QString &identity : view->participants.keys()) {
            if (!listed.contains(identity) && !stale(participantKey(room, identity), sentAt))
                changed = removeParticipant(*view, identity) || changed;
        }
        if (changed)
            queue([this, room] { Q_EMIT participantsChanged(room); });
    }
    endRequest(sentAt);
    if (!flush())
        return;
    if (--m_participantCallsLeft == 0)
        pollEgresses();
}

void RoomDirectory::pollEgresses()
{
    const quint64 sentAt = beginRequest();
    QPointer<RoomDirectory> self(this);
    m_client->listEgress({}, true,
                         [this, self, sentAt](const TwirpResult<QList<EgressInfo>> &result) {
                             if (self)
                                 onEgresses(result, sentAt);
                         });
}

void RoomDirectory::onEgresses(const TwirpResult<QList<EgressInfo>> &result, quint64 sentAt)
{
    if (!result.ok()) {
        endRequest(sentAt);
        noteFailure("ListEgress", *result.error);
        finishPoll();
        return;
    }
    QSet<QString> listed;
    for (const EgressInfo &info : result.value) {
        listed.insert(info.egressId);
        if (stale(egressKey(info.egressId), sentAt))
            continue;
        // A server that lists ended egresses too only tells news about the ones known active.
        if (isActive(info.status) || m_egresses.contains(info.egressId))
            applyEgress(info);
    }
    for (const QString &id : m_egresses.keys()) {
        if (!listed.contains(id) && !stale(egressKey(id), sentAt))
            m_vanished.insert(id, m_egresses.take(id));
    }
    endRequest(sentAt);
    queue([this] { Q_EMIT activeEgressesRefreshed(); });
    if (!flush())
        return;
    lookUpVanishedEgresses();
    finishPoll();
}

void RoomDirectory::lookUpVanishedEgresses()
{
    QPointer<RoomDirectory> self(this);
    for (const QString &id : m_vanished.keys()) {
        if (m_lookingUp.contains(id))
            continue;
        m_lookingUp.insert(id);
        const quint64 sentAt = beginRequest();
        m_client->getEgress(id, [this, self, id, sentAt](const auto &result) {
            if (self)
                onVanishedEgress(id, result, sentAt);
        });
    }
}

void RoomDirectory::onVanishedEgress(const QString &egressId,
                                     const TwirpResult<std::optional<EgressInfo>> &result,
                                     quint64 sentAt)
{
    m_lookingUp.remove(egressId);
    const bool stillWanted = m_vanished.contains(egressId) && !stale(egressKey(egressId), sentAt);
    endRequest(sentAt);
    // A failed look-up is tried again after the next ListEgress.
    if (!result.ok() || !stillWanted)
        return;
    EgressInfo info;
    if (result.value) {
        info = *result.value;
    } else {
        info = m_vanished.value(egressId);
        info.status = EgressStatus::Aborted;
        info.error = QStringLiteral("no longer known to LiveKit");
    }
    applyEgress(info);
    flush();
}

void RoomDirectory::noteFailure(const char *method, const TwirpError &error)
{
    if (m_cycleFailure)
        return;
    QString message = QStringLiteral("%1 failed: %2").arg(QLatin1String(method), error.message);
    if (error.httpStatus != 0)
        message += QStringLiteral(" (HTTP %1)").arg(error.httpStatus);
    m_cycleFailure = message;
    m_cycleFailureKind = error.kind;
}

void RoomDirectory::finishPoll()
{
    m_polling = false;
    const bool reachable = !m_cycleFailure;
    const QString error = m_cycleFailure.value_or(QString());
    const bool changed = m_reachable != reachable || m_failureKind != m_cycleFailureKind;
    m_reachable = reachable;
    m_failureKind = m_cycleFailureKind;
    m_lastError = error;
    if (changed) {
        // Logged once per change: a LiveKit that stays down is not news every poll.
        if (reachable)
            qCInfo(lcLiveKit) << "LiveKit server API reachable";
        else
            qCWarning(lcLiveKit).noquote() << "LiveKit server API unreachable:" << error;
        queue([this, reachable, error] { Q_EMIT reachabilityChanged(reachable, error); });
    }
    if (m_pollAgain) {
        m_pollAgain = false;
        poll();
    } else if (m_started) {
        m_timer.start(m_pollInterval);
    }
    flush();
}

} // namespace roomscribe::livekit

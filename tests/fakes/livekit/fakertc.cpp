// FakeLiveKit's client signalling on /rtc (README.md, "Client signalling"):
// admission of the WebSocket upgrade, the sessions of hidden subscribers,
// and what the room's changes tell them.

#include "fakelivekit.h"
#include "fakemessages.h"
#include "fakesfu.h"
#include "speechsample.h"
#include "webrtcsender.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace roomscribe::test {

namespace {

// What the fake says it is: a LiveKit server of protocol 15.
constexpr int kServerProtocol = 15;
constexpr int kMinClientProtocol = 9;
const char *const kServerVersion = "1.8.4";

// Handshakes are matched to their admission by path and query.
QString handshakeKey(const QUrl &url)
{
    return url.path() + QLatin1Char('?') + url.query(QUrl::FullyDecoded);
}

// The token's `video` claim as JSON: the checks need to tell an absent
// permission from a false one, which VideoGrant does not keep for all.
QJsonObject videoClaim(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding |
                                                                    QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(payload).object().value(QLatin1String("video")).toObject();
}

::livekit::ServerInfo serverInfo()
{
    ::livekit::ServerInfo info;
    info.set_edition(::livekit::ServerInfo::Standard);
    info.set_version(kServerVersion);
    info.set_protocol(kServerProtocol);
    info.set_node_id("ND_fakelivekit");
    return info;
}

::livekit::TrackInfo trackInfo(const FakeTrack &track)
{
    ::livekit::TrackInfo info;
    info.set_sid(track.sid.toStdString());
    info.set_type(::livekit::TrackType(protoNumber(track.type)));
    info.set_name(track.name.toStdString());
    info.set_muted(track.muted);
    info.set_source(::livekit::TrackSource(protoNumber(track.source)));
    if (track.type == livekit::TrackType::Audio)
        info.set_mime_type("audio/opus");
    return info;
}

bool isAudio(const FakeTrack &track)
{
    return track.type == livekit::TrackType::Audio;
}

::livekit::ParticipantInfo participantInfo(const FakeParticipant &participant, bool disconnected,
                                           quint32 version)
{
    ::livekit::ParticipantInfo info;
    info.set_sid(participant.sid.toStdString());
    info.set_identity(participant.identity.toStdString());
    info.set_name(participant.name.toStdString());
    info.set_state(disconnected ? ::livekit::ParticipantInfo::DISCONNECTED
                                : ::livekit::ParticipantInfo::ACTIVE);
    info.set_joined_at(participant.joinedAt_ms / 1000);
    // Clients drop an update whose version is not newer than what they have.
    info.set_version(version);
    info.set_is_publisher(!participant.tracks.isEmpty());
    info.mutable_permission()->set_can_subscribe(true);
    info.mutable_permission()->set_can_publish(true);
    info.mutable_permission()->set_can_publish_data(true);
    if (!disconnected) {
        for (const FakeTrack &track : participant.tracks)
            *info.add_tracks() = trackInfo(track);
    }
    return info;
}

void broadcast(const QList<RtcSession *> &sessions, const ::livekit::SignalResponse &response)
{
    for (RtcSession *session : sessions)
        session->send(response);
}

} // namespace

QList<SpeakingEvent> speakingEvents(const QJsonValue &json)
{
    QList<SpeakingEvent> events;
    for (const QJsonValue value : json.toArray()) {
        const QJsonObject object = value.toObject();
        if (!object.value(QLatin1String("at_ms")).isDouble())
            continue;
        events.append({qint64(object.value(QLatin1String("at_ms")).toDouble()),
                       object.value(QLatin1String("active")).toBool(),
                       float(object.value(QLatin1String("level")).toDouble())});
    }
    return events;
}

// ---- Admission ----

FakeLiveKit::RtcAdmission FakeLiveKit::admitRtc(const QUrl &url) const
{
    const auto refuse = [](const QString &reason) {
        return RtcAdmission{401, reason, {}, {}, {}};
    };
    const QUrlQuery query(url);
    const QByteArray token = query.queryItemValue(QStringLiteral("access_token")).toLatin1();
    if (token.isEmpty())
        return refuse(QStringLiteral("no access_token"));
    const livekit::TokenVerification verification = livekit::verifyToken(
        token,
        [this](const QString &key) -> std::optional<QByteArray> {
            return key == m_apiKey ? std::optional<QByteArray>(m_apiSecret) : std::nullopt;
        },
        QDateTime::currentSecsSinceEpoch());
    if (!verification.ok())
        return refuse(QStringLiteral("invalid token: %1").arg(verification.reason));
    const QString identity = verification.claims.identity;
    if (identity.isEmpty())
        return refuse(QStringLiteral("the token has no identity (sub)"));
    const QJsonObject video = videoClaim(token);
    const auto is = [&video](const char *name, bool value) {
        return video.value(QLatin1String(name)) == QJsonValue(value);
    };
    if (!is("roomJoin", true))
        return refuse(QStringLiteral("the grant needs roomJoin: true"));
    const QString roomName = video.value(QLatin1String("room")).toString();
    if (!findRoom(roomName))
        return refuse(QStringLiteral("no room \"%1\"").arg(roomName));
    if (!is("canSubscribe", true))
        return refuse(QStringLiteral("a subscriber needs canSubscribe: true"));
    if (!is("canPublish", false))
        return refuse(QStringLiteral("a hidden subscriber needs canPublish: false"));
    if (video.contains(QLatin1String("canPublishData")) && !is("canPublishData", false))
        return refuse(QStringLiteral("a hidden subscriber needs canPublishData false or absent"));
    if (!is("hidden", true))
        return refuse(QStringLiteral("the subscriber must be hidden: true"));
    const QString autoSubscribe = query.queryItemValue(QStringLiteral("auto_subscribe"));
    if (autoSubscribe != QLatin1String("1") && autoSubscribe != QLatin1String("0"))
        return refuse(QStringLiteral("auto_subscribe=1 or 0 is required"));
    if (query.queryItemValue(QStringLiteral("sdk")).isEmpty())
        return refuse(QStringLiteral("sdk is required"));
    bool ok = false;
    const int protocol = query.queryItemValue(QStringLiteral("protocol")).toInt(&ok);
    if (!ok || protocol < kMinClientProtocol)
        return refuse(QStringLiteral("protocol must be a number >= %1").arg(kMinClientProtocol));

    RtcAdmission admission{0, {}, identity, roomName, {}};
    admission.autoSubscribe = autoSubscribe == QLatin1String("1");
    if (!query.hasQueryItem(QStringLiteral("reconnect")))
        return admission;
    if (query.queryItemValue(QStringLiteral("reconnect")) != QLatin1String("1"))
        return refuse(QStringLiteral("reconnect must be 1"));
    const QString sid = query.queryItemValue(QStringLiteral("sid"));
    if (m_refuseResumes)
        return refuse(QStringLiteral("resume refused (by the test)"));
    const RtcSession *session = m_rtcSessions.value(sid);
    if (!session || session->identity() != identity || session->roomName() != roomName ||
        session->phase() == RtcSession::Phase::Ended)
        return refuse(QStringLiteral("no session %1 of %2 to resume").arg(sid, identity));
    admission.resumeSid = sid;
    return admission;
}

void FakeLiveKit::handleRtcUpgrade(QTcpSocket *socket, const http::Request &request)
{
    if (!request.isWebSocketUpgrade() || request.method != "GET") {
        http::respond(socket, 400, "text/plain", "/rtc takes a WebSocket upgrade\n");
        return;
    }
    const RtcAdmission admission = admitRtc(request.url);
    if (admission.status != 0) {
        qCWarning(lcFakeLiveKit).noquote() << "rtc refused:" << admission.reason;
        http::respond(socket, admission.status, "text/plain", admission.reason.toUtf8() + '\n');
        return;
    }
    socket->disconnect(this);
    m_rtcAdmitted.append({request.url, admission});
    m_rtcServer->handleConnection(socket);
}

void FakeLiveKit::onRtcUpgraded()
{
    while (QWebSocket *socket = m_rtcServer->nextPendingConnection()) {
        const QString key = handshakeKey(socket->requestUrl());
        const auto admitted =
            std::find_if(m_rtcAdmitted.begin(), m_rtcAdmitted.end(),
                         [&](const auto &entry) { return handshakeKey(entry.first) == key; });
        if (admitted == m_rtcAdmitted.end()) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const RtcAdmission admission = admitted->second;
        m_rtcAdmitted.erase(admitted);

        if (!admission.resumeSid.isEmpty()) {
            RtcSession *session = m_rtcSessions.value(admission.resumeSid);
            if (!session) { // forgotten during the handshake
                socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                              QStringLiteral("no session to resume"));
                socket->deleteLater();
                continue;
            }
            ++m_rtcResumes[admission.resumeSid];
            qCInfo(lcFakeLiveKit) << "rtc session" << admission.resumeSid << "resumed";
            ::livekit::ReconnectResponse reconnect;
            *reconnect.mutable_server_info() = serverInfo();
            session->resume(socket, reconnect);
            continue;
        }

        // A full rejoin replaces what is left of the identity's old session.
        const QList<RtcSession *> sessions = m_rtcSessions.values();
        for (RtcSession *old : sessions) {
            if (old->identity() == admission.identity && old->roomName() == admission.roomName)
                old->disconnectClient(::livekit::DUPLICATE_IDENTITY);
        }
        const FakeRoom *room = findRoom(admission.roomName);
        if (!room) { // deleted during the handshake
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("no room"));
            socket->deleteLater();
            continue;
        }
        RtcSession *session = newRtcSession(admission.identity, admission.roomName);
        const qint64 now_s = QDateTime::currentSecsSinceEpoch();
        ::livekit::JoinResponse join;
        ::livekit::Room *info = join.mutable_room();
        info->set_sid(room->sid.toStdString());
        info->set_name(room->name.toStdString());
        info->set_creation_time(room->createdAt_ms / 1000);
        info->set_empty_timeout(300);
        info->set_num_participants(uint32_t(room->participants.size()));
        info->set_num_publishers(uint32_t(std::count_if(
            room->participants.cbegin(), room->participants.cend(),
            [](const FakeParticipant &participant) { return !participant.tracks.isEmpty(); })));
        ::livekit::ParticipantInfo *self = join.mutable_participant();
        self->set_sid(session->sid().toStdString());
        self->set_identity(admission.identity.toStdString());
        self->set_state(::livekit::ParticipantInfo::JOINED);
        self->set_joined_at(now_s);
        self->set_version(++m_participantVersion);
        self->mutable_permission()->set_can_subscribe(true);
        self->mutable_permission()->set_hidden(true);
        for (const FakeParticipant &participant : room->participants)
            *join.add_other_participants() =
                participantInfo(participant, false, ++m_participantVersion);
        join.set_server_version(kServerVersion);
        join.set_subscriber_primary(true);
        join.set_ping_interval(m_pingInterval_s);
        join.set_ping_timeout(m_pingTimeout_s);
        *join.mutable_server_info() = serverInfo();
        qCInfo(lcFakeLiveKit) << "rtc session" << session->sid() << "of" << admission.identity
                              << "joined" << admission.roomName;
        session->join(socket, join);
        // Without auto-subscription LiveKit offers nothing: the client hears
        // who speaks, and scripted speaking runs from the join.
        if (admission.autoSubscribe)
            startRtcMedia(session);
        else
            scheduleSpeaking(session);
    }
}

// ---- Sessions ----

RtcSession *FakeLiveKit::newRtcSession(const QString &identity, const QString &roomName)
{
    const QString sid = newLiveKitId("PA_");
    auto *session = new RtcSession(sid, identity, roomName, m_pingTimeout_s, this);
    m_rtcSessions.insert(sid, session);
    connect(session, &RtcSession::frameLogged, this,
            [this](const RtcFrame &frame) { m_rtcFrames.append(frame); });
    connect(session, &RtcSession::violated, this,
            [this](const QString &violation) { m_rtcViolations.append(violation); });
    connect(session, &RtcSession::mediaStarted, this,
            [this, session] { scheduleSpeaking(session); });
    connect(session, &RtcSession::signallingLost, this, [this, session, sid] {
        const int resumes = m_rtcResumes.value(sid);
        QTimer::singleShot(m_resumeWindow_ms, session, [this, session, sid, resumes] {
            if (session->signallingConnected() || m_rtcResumes.value(sid) != resumes)
                return;
            qCInfo(lcFakeLiveKit) << "rtc session" << sid << "not resumed in time: forgotten";
            forgetRtcSession(sid);
        });
    });
    connect(session, &RtcSession::ended, this, [this, sid] { forgetRtcSession(sid); });
    return session;
}

void FakeLiveKit::startRtcMedia(RtcSession *session)
{
    const FakeRoom *room = findRoom(session->roomName());
    if (!room)
        return;
    // Wait for samples sox is still converting: their packets go in the offer.
    for (const FakeParticipant &participant : room->participants) {
        SpeechSample *sample = sampleFor(participant.samplePath);
        if (sample && !sample->isReady()) {
            connect(
                sample, &SpeechSample::ready, session, [this, session] { startRtcMedia(session); },
                Qt::SingleShotConnection);
            return;
        }
    }
    QList<RtcTrack> tracks;
    for (const FakeParticipant &participant : room->participants) {
        for (const FakeTrack &track : participant.tracks) {
            if (isAudio(track))
                tracks.append(rtcTrack(room->name, participant, track));
        }
    }
    session->startMedia(tracks);
}

RtcTrack FakeLiveKit::rtcTrack(const QString &roomName, const FakeParticipant &participant,
                               const FakeTrack &track) const
{
    return {participant.sid, track.sid, track.muted,
            track.source == livekit::TrackSource::Microphone
                ? opusPackets(roomName, participant.identity)
                : std::vector<QByteArray>()};
}

void FakeLiveKit::forgetRtcSession(const QString &sid)
{
    RtcSession *session = m_rtcSessions.take(sid);
    m_rtcResumes.remove(sid);
    if (!session)
        return;
    session->disconnect(this);
    session->deleteLater();
}

QList<RtcSessionInfo> FakeLiveKit::rtcSessions() const
{
    QList<RtcSessionInfo> sessions;
    for (const RtcSession *session : m_rtcSessions) {
        sessions.append({session->sid(), session->identity(), session->roomName(),
                         session->signallingConnected(), session->mediaRuns(),
                         session->mediaConnected(), session->offeredTrackSids(),
                         m_rtcResumes.value(session->sid())});
    }
    return sessions;
}

int FakeLiveKit::dropSignalling(const QString &identity)
{
    int dropped = 0;
    const QList<RtcSession *> sessions = m_rtcSessions.values();
    for (RtcSession *session : sessions) {
        if ((identity.isEmpty() || session->identity() == identity) &&
            session->signallingConnected()) {
            session->dropSignalling();
            ++dropped;
        }
    }
    return dropped;
}

std::vector<QByteArray> FakeLiveKit::opusPackets(const QString &roomName,
                                                 const QString &identity) const
{
    const FakeParticipant *participant = participantIn(roomName, identity);
    if (!participant)
        return {};
    const SpeechSample *sample = m_samples.value(participant->samplePath);
    if (!sample || !sample->isReady() || sample->pcm().isEmpty())
        return {};
    auto cached = m_opusPackets.find(sample->path());
    if (cached == m_opusPackets.end()) {
        // Stereo to mono: the mean of both channels.
        const QByteArray pcm = sample->pcm();
        const auto *stereo = reinterpret_cast<const int16_t *>(pcm.constData());
        std::vector<int16_t> mono(size_t(pcm.size() / SpeechSample::kBytesPerFrame));
        for (size_t i = 0; i < mono.size(); ++i)
            mono[i] = int16_t((int(stereo[2 * i]) + int(stereo[2 * i + 1])) / 2);
        cached = m_opusPackets.insert(sample->path(), encodeOpusPackets(mono));
    }
    return cached.value();
}

// ---- What the room's changes tell the subscribers ----

QList<RtcSession *> FakeLiveKit::rtcSessionsIn(const QString &roomName) const
{
    QList<RtcSession *> sessions;
    for (RtcSession *session : m_rtcSessions) {
        if (session->roomName() == roomName)
            sessions << session;
    }
    return sessions;
}

void FakeLiveKit::announceParticipant(const FakeRoom *room, const FakeParticipant &participant,
                                      bool disconnected)
{
    ::livekit::SignalResponse response;
    *response.mutable_update()->add_participants() =
        participantInfo(participant, disconnected, ++m_participantVersion);
    broadcast(rtcSessionsIn(room->name), response);
}

void FakeLiveKit::offerRtcTrack(const QString &roomName, const QString &trackSid)
{
    const FakeRoom *room = findRoom(roomName);
    if (!room)
        return;
    for (const FakeParticipant &participant : room->participants) {
        for (const FakeTrack &track : participant.tracks) {
            if (track.sid != trackSid || !isAudio(track))
                continue;
            // Its packets go in the offer: wait for sox. The track may be
            // gone by then; it is looked up again.
            SpeechSample *sample = sampleFor(participant.samplePath);
            if (sample && !sample->isReady()) {
                connect(
                    sample, &SpeechSample::ready, this,
                    [this, roomName, trackSid] { offerRtcTrack(roomName, trackSid); },
                    Qt::SingleShotConnection);
                return;
            }
            const RtcTrack offered = rtcTrack(roomName, participant, track);
            for (RtcSession *session : rtcSessionsIn(roomName))
                session->addTrack(offered);
            return;
        }
    }
}

void FakeLiveKit::pauseRtcTrack(const QString &roomName, const QString &trackSid, bool paused)
{
    for (RtcSession *session : rtcSessionsIn(roomName))
        session->setTrackPaused(trackSid, paused);
}

void FakeLiveKit::announceUnpublished(const FakeRoom *room, const QString &trackSid)
{
    pauseRtcTrack(room->name, trackSid, true);
    ::livekit::SignalResponse response;
    response.mutable_track_unpublished()->set_track_sid(trackSid.toStdString());
    broadcast(rtcSessionsIn(room->name), response);
}

void FakeLiveKit::disconnectRtcRoom(const QString &roomName)
{
    for (RtcSession *session : rtcSessionsIn(roomName))
        session->disconnectClient(::livekit::ROOM_DELETED);
}

bool FakeLiveKit::setSpeaking(const QString &roomName, const QString &identity, bool active,
                              float level, QString *error)
{
    const FakeParticipant *participant = participantIn(roomName, identity);
    if (!participant) {
        if (error)
            *error = QStringLiteral("no participant %1 in room %2").arg(identity, roomName);
        return false;
    }
    if (level < 0 || level > 1) {
        if (error)
            *error = QStringLiteral("a level is 0..1");
        return false;
    }
    ::livekit::SignalResponse response;
    ::livekit::SpeakerInfo *speaker = response.mutable_speakers_changed()->add_speakers();
    speaker->set_sid(participant->sid.toStdString());
    speaker->set_level(level);
    speaker->set_active(active);
    broadcast(rtcSessionsIn(roomName), response);
    return true;
}

void FakeLiveKit::scheduleSpeaking(RtcSession *session)
{
    const FakeRoom *room = findRoom(session->roomName());
    if (!room)
        return;
    for (const FakeParticipant &participant : room->participants) {
        for (const SpeakingEvent &event : participant.speaking) {
            const QString sid = participant.sid;
            QTimer::singleShot(event.at_ms, session, [session, sid, event] {
                ::livekit::SignalResponse response;
                ::livekit::SpeakerInfo *speaker =
                    response.mutable_speakers_changed()->add_speakers();
                speaker->set_sid(sid.toStdString());
                speaker->set_level(event.level);
                speaker->set_active(event.active);
                session->send(response);
            });
        }
    }
}

// ---- Reports ----

QJsonObject FakeLiveKit::rtcFramesJson() const
{
    QJsonArray frames;
    for (const RtcFrame &frame : m_rtcFrames) {
        frames.append(QJsonObject{
            {QStringLiteral("at_ms"), frame.at_ms},
            {QStringLiteral("session"), frame.sessionSid},
            {QStringLiteral("direction"),
             frame.fromClient ? QStringLiteral("in") : QStringLiteral("out")},
            {QStringLiteral("kind"), frame.kind},
            {QStringLiteral("data"), QString::fromLatin1(frame.bytes.toBase64())},
        });
    }
    return QJsonObject{{QStringLiteral("frames"), frames},
                       {QStringLiteral("violations"), QJsonArray::fromStringList(m_rtcViolations)}};
}

QJsonObject FakeLiveKit::rtcSessionsJson() const
{
    QJsonArray sessions;
    for (const RtcSessionInfo &session : rtcSessions()) {
        sessions.append(QJsonObject{
            {QStringLiteral("sid"), session.sid},
            {QStringLiteral("identity"), session.identity},
            {QStringLiteral("room"), session.roomName},
            {QStringLiteral("signalling_connected"), session.signallingConnected},
            {QStringLiteral("answered"), session.answered},
            {QStringLiteral("media_connected"), session.mediaConnected},
            {QStringLiteral("track_sids"), QJsonArray::fromStringList(session.trackSids)},
            {QStringLiteral("resumes"), session.resumes},
        });
    }
    return QJsonObject{
        {QStringLiteral("sessions"), sessions},
        {QStringLiteral("violations"), QJsonArray::fromStringList(m_rtcViolations)},
        {QStringLiteral("refuse_resumes"), m_refuseResumes},
        {QStringLiteral("ping_interval"), m_pingInterval_s},
        {QStringLiteral("ping_timeout"), m_pingTimeout_s},
        {QStringLiteral("resume_window_ms"), m_resumeWindow_ms},
    };
}

} // namespace roomscribe::test

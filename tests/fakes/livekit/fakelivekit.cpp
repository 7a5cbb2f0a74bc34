#include "fakelivekit.h"
#include "fakesfu.h"

#include "compositeegress.h"
#include "fakemessages.h"
#include "speechsample.h"
#include "trackegress.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocketServer>

// Debug (gst-launch output) only on request: QT_LOGGING_RULES="roomscribe.test.livekit.debug=true".
Q_LOGGING_CATEGORY(lcFakeLiveKit, "roomscribe.test.livekit", QtInfoMsg)

namespace roomscribe::test {

namespace {

using livekit::EgressKind;
using livekit::EgressStatus;

qint64 nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000000;
}

QString trackName(livekit::TrackSource source)
{
    switch (source) {
    case livekit::TrackSource::Microphone:
        return QStringLiteral("microphone");
    case livekit::TrackSource::Camera:
        return QStringLiteral("camera");
    case livekit::TrackSource::ScreenShare:
        return QStringLiteral("screen");
    case livekit::TrackSource::ScreenShareAudio:
        return QStringLiteral("screen_audio");
    default:
        return QStringLiteral("track");
    }
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

FakeParticipant *findParticipant(FakeRoom *room, const QString &identity)
{
    if (!room)
        return nullptr;
    for (FakeParticipant &participant : room->participants) {
        if (participant.identity == identity)
            return &participant;
    }
    return nullptr;
}

int trackIndex(const FakeParticipant *participant, const QString &trackSid)
{
    if (!participant)
        return -1;
    for (int i = 0; i < participant->tracks.size(); ++i) {
        if (participant->tracks[i].sid == trackSid)
            return i;
    }
    return -1;
}

} // namespace

FakeLiveKit::FakeLiveKit(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this)), m_webhooks(new WebhookSender(this)),
      m_rtcServer(new QWebSocketServer(QStringLiteral("livekit-fake"),
                                       QWebSocketServer::NonSecureMode, this))
{
    qRegisterMetaType<FakeEgress>();
    qRegisterMetaType<WebhookDelivery>();
    qRegisterMetaType<RtcFrame>();
    connect(m_server, &QTcpServer::newConnection, this, &FakeLiveKit::onNewConnection);
    connect(m_rtcServer, &QWebSocketServer::newConnection, this, &FakeLiveKit::onRtcUpgraded);
    connect(m_webhooks, &WebhookSender::finished, this, &FakeLiveKit::webhookFinished);
}

FakeLiveKit::~FakeLiveKit()
{
    // The media must not report back into a half-destroyed fake.
    for (EgressMedia *media : std::as_const(m_media)) {
        media->disconnect(this);
        delete media;
    }
}

void FakeLiveKit::setCredentials(const QString &apiKey, const QByteArray &apiSecret)
{
    m_apiKey = apiKey;
    m_apiSecret = apiSecret;
    m_webhooks->setCredentials(apiKey, apiSecret);
}

void FakeLiveKit::setWebhookUrl(const QUrl &url)
{
    m_webhooks->setUrl(url);
}

QUrl FakeLiveKit::webhookUrl() const
{
    return m_webhooks->url();
}

bool FakeLiveKit::listen(QString *error, const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        setError(error, m_server->errorString());
        return false;
    }
    return true;
}

QUrl FakeLiveKit::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    return url;
}

quint16 FakeLiveKit::port() const
{
    return m_server->serverPort();
}

// ---- HTTP ----

void FakeLiveKit::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_pending.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_pending.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeLiveKit::onReadyRead(QTcpSocket *socket)
{
    const auto pending = m_pending.find(socket);
    if (pending == m_pending.end()) {
        socket->readAll(); // answered already; the connection is closing
        return;
    }
    if (pending.value().isEmpty()) {
        // Peek only: QWebSocketServer reads an /rtc upgrade request itself.
        http::Request head;
        qsizetype headSize = 0;
        switch (http::parseHead(socket->peek(socket->bytesAvailable()), &head, &headSize)) {
        case http::Parse::Incomplete:
            return;
        case http::Parse::Complete:
            if (head.url.path() == QLatin1String("/rtc")) {
                m_pending.erase(pending);
                handleRtcUpgrade(socket, head);
                return;
            }
            break;
        case http::Parse::Invalid:
            break; // answered below
        }
    }
    pending.value() += socket->readAll();
    http::Request request;
    switch (http::parseRequest(pending.value(), &request)) {
    case http::Parse::Incomplete:
        return;
    case http::Parse::Invalid:
        m_pending.erase(pending);
        http::respond(socket, 400, "text/plain", "bad request\n");
        return;
    case http::Parse::Complete:
        m_pending.erase(pending);
        route(socket, request);
        return;
    }
}

void FakeLiveKit::route(QTcpSocket *socket, const http::Request &request)
{
    const QString path = request.url.path();
    static const QString twirpPrefix = QStringLiteral("/twirp/livekit.");
    if (path.startsWith(twirpPrefix)) {
        const QStringList parts = path.mid(twirpPrefix.size()).split(QLatin1Char('/'));
        handleTwirp(socket, request, parts.value(0), parts.size() == 2 ? parts[1] : QString());
        return;
    }
    if (path.startsWith(QLatin1String("/_fake/"))) {
        const ControlAnswer answer = handleControl(request.method, path, request.body);
        http::respondJson(socket, answer.status, answer.body);
        return;
    }
    http::respond(socket, 404, "text/plain", "404 page not found\n");
}

// ---- State ----

FakeRoom *FakeLiveKit::findRoom(const QString &name)
{
    for (FakeRoom &room : m_rooms) {
        if (room.name == name)
            return &room;
    }
    return nullptr;
}

const FakeRoom *FakeLiveKit::findRoom(const QString &name) const
{
    return const_cast<FakeLiveKit *>(this)->findRoom(name);
}

const FakeParticipant *FakeLiveKit::participantIn(const QString &room,
                                                  const QString &identity) const
{
    return findParticipant(const_cast<FakeLiveKit *>(this)->findRoom(room), identity);
}

std::optional<FakeRoom> FakeLiveKit::room(const QString &name) const
{
    const FakeRoom *room = findRoom(name);
    return room ? std::optional<FakeRoom>(*room) : std::nullopt;
}

QString FakeLiveKit::microphoneTrackSid(const QString &roomName, const QString &identity) const
{
    const FakeRoom *room = findRoom(roomName);
    if (!room)
        return {};
    for (const FakeParticipant &participant : room->participants) {
        if (participant.identity != identity)
            continue;
        for (const FakeTrack &track : participant.tracks) {
            if (track.source == livekit::TrackSource::Microphone)
                return track.sid;
        }
    }
    return {};
}

FakeEgress *FakeLiveKit::findEgress(const QString &egressId)
{
    for (FakeEgress &egress : m_egresses) {
        if (egress.egressId == egressId)
            return &egress;
    }
    return nullptr;
}

int FakeLiveKit::activeEgressCount() const
{
    int count = 0;
    for (const FakeEgress &egress : m_egresses)
        count += livekit::isActive(egress.status) ? 1 : 0;
    return count;
}

QList<FakeEgress> FakeLiveKit::egresses() const
{
    QList<FakeEgress> egresses = m_egresses;
    for (FakeEgress &egress : egresses) {
        if (const auto *track = qobject_cast<TrackEgress *>(m_media.value(egress.egressId))) {
            egress.audioBytesSent = track->audioBytesSent();
            egress.audioFramesSent = track->audioFramesSent();
        }
    }
    return egresses;
}

std::optional<FakeEgress> FakeLiveKit::egress(const QString &egressId) const
{
    for (const FakeEgress &egress : egresses()) {
        if (egress.egressId == egressId)
            return egress;
    }
    return std::nullopt;
}

QList<WebhookDelivery> FakeLiveKit::webhookDeliveries() const
{
    return m_webhooks->deliveries();
}

bool FakeLiveKit::webhooksIdle() const
{
    return m_webhooks->idle();
}

SpeechSample *FakeLiveKit::sampleFor(const QString &path)
{
    if (path.isEmpty())
        return nullptr;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    SpeechSample *&sample = m_samples[absolute];
    if (!sample)
        sample = new SpeechSample(absolute, this);
    return sample;
}

QString FakeLiveKit::createRoom(const QString &name, QString *error)
{
    if (name.isEmpty()) {
        setError(error, QStringLiteral("a room needs a name"));
        return {};
    }
    if (const FakeRoom *existing = findRoom(name))
        return existing->sid;
    FakeRoom room;
    room.sid = newLiveKitId("RM_");
    room.name = name;
    room.createdAt_ms = QDateTime::currentMSecsSinceEpoch();
    m_rooms.append(room);
    qCInfo(lcFakeLiveKit) << "room" << name << "started";
    sendWebhook(QStringLiteral("room_started"), &m_rooms.last());
    return room.sid;
}

bool FakeLiveKit::deleteRoom(const QString &name, QString *error)
{
    if (!findRoom(name)) {
        setError(error, QStringLiteral("no room %1").arg(name));
        return false;
    }
    stopEgressesWhere([&](const FakeEgress &egress) { return egress.roomName == name; });
    disconnectRtcRoom(name);
    // Everybody leaves, then the room closes, as when LiveKit deletes a room.
    while (!findRoom(name)->participants.isEmpty()) {
        const QString identity = findRoom(name)->participants.first().identity; // a copy: it goes
        leaveParticipant(name, identity);
    }
    const FakeRoom room = *findRoom(name);
    m_rooms.removeIf([&](const FakeRoom &candidate) { return candidate.name == name; });
    qCInfo(lcFakeLiveKit) << "room" << name << "finished";
    sendWebhook(QStringLiteral("room_finished"), &room);
    return true;
}

QString FakeLiveKit::joinParticipant(const QString &roomName, const ParticipantSpec &spec,
                                     QString *error)
{
    if (spec.identity.isEmpty()) {
        setError(error, QStringLiteral("a participant needs an identity"));
        return {};
    }
    if (createRoom(roomName, error).isEmpty())
        return {};
    FakeRoom *room = findRoom(roomName);
    for (const FakeParticipant &participant : room->participants) {
        if (participant.identity == spec.identity) {
            setError(error,
                     QStringLiteral("%1 is in room %2 already").arg(spec.identity, roomName));
            return {};
        }
    }
    FakeParticipant participant;
    participant.sid = newLiveKitId("PA_");
    participant.identity = spec.identity;
    participant.name = spec.name;
    participant.samplePath =
        spec.samplePath.isEmpty() ? QString() : QFileInfo(spec.samplePath).absoluteFilePath();
    participant.joinedAt_ms = QDateTime::currentMSecsSinceEpoch();
    participant.speaking = spec.speaking;
    room->participants.append(participant);
    sampleFor(participant.samplePath); // converted now, ready when an egress needs it
    qCInfo(lcFakeLiveKit) << spec.identity << "joined" << roomName;
    sendWebhook(QStringLiteral("participant_joined"), room, &room->participants.last());
    announceParticipant(room, room->participants.last(), false);
    if (spec.microphone &&
        publishTrack(roomName, spec.identity, livekit::TrackSource::Microphone, spec.muted, error)
            .isEmpty())
        return {};
    return participant.sid;
}

bool FakeLiveKit::leaveParticipant(const QString &roomName, const QString &identity, QString *error)
{
    FakeRoom *room = findRoom(roomName);
    if (!findParticipant(room, identity)) {
        setError(error, QStringLiteral("no participant %1 in room %2").arg(identity, roomName));
        return false;
    }
    while (!findParticipant(room, identity)->tracks.isEmpty()) {
        const QString track =
            findParticipant(room, identity)->tracks.first().sid; // a copy: it goes
        unpublishTrack(roomName, identity, track);
    }
    const FakeParticipant participant = *findParticipant(room, identity);
    room->participants.removeIf(
        [&](const FakeParticipant &candidate) { return candidate.identity == identity; });
    qCInfo(lcFakeLiveKit) << identity << "left" << roomName;
    sendWebhook(QStringLiteral("participant_left"), room, &participant);
    announceParticipant(room, participant, true);
    return true;
}

QString FakeLiveKit::publishTrack(const QString &roomName, const QString &identity,
                                  livekit::TrackSource source, bool muted, QString *error)
{
    FakeRoom *room = findRoom(roomName);
    FakeParticipant *participant = findParticipant(room, identity);
    if (!participant) {
        setError(error, QStringLiteral("no participant %1 in room %2").arg(identity, roomName));
        return {};
    }
    if (source == livekit::TrackSource::Invalid) {
        setError(error, QStringLiteral("unknown track source"));
        return {};
    }
    FakeTrack track;
    track.sid = newLiveKitId("TR_");
    track.source = source;
    track.type = source == livekit::TrackSource::Microphone ||
                         source == livekit::TrackSource::ScreenShareAudio
                     ? livekit::TrackType::Audio
                     : livekit::TrackType::Video;
    track.name = trackName(source);
    track.muted = muted;
    track.publishedAt_ms = QDateTime::currentMSecsSinceEpoch();
    participant->tracks.append(track);
    sendWebhook(QStringLiteral("track_published"), room, participant, &participant->tracks.last());
    announceParticipant(room, *participant, false);
    offerRtcTrack(roomName, track.sid);
    return track.sid;
}

bool FakeLiveKit::unpublishTrack(const QString &roomName, const QString &identity,
                                 const QString &trackSid, QString *error)
{
    FakeRoom *room = findRoom(roomName);
    FakeParticipant *participant = findParticipant(room, identity);
    const int index = trackIndex(participant, trackSid);
    if (index < 0) {
        setError(error,
                 QStringLiteral("no track %1 of %2 in room %3").arg(trackSid, identity, roomName));
        return false;
    }
    const FakeTrack removed = participant->tracks.takeAt(index);
    // A track's egress ends with the track.
    stopEgressesWhere([&](const FakeEgress &egress) {
        return egress.kind == EgressKind::Track && egress.trackSid == removed.sid;
    });
    sendWebhook(QStringLiteral("track_unpublished"), room, findParticipant(room, identity),
                &removed);
    announceUnpublished(room, removed.sid);
    announceParticipant(room, *participant, false);
    return true;
}

bool FakeLiveKit::setTrackMuted(const QString &roomName, const QString &identity,
                                const QString &trackSid, bool muted, QString *error)
{
    FakeParticipant *participant = findParticipant(findRoom(roomName), identity);
    const int index = trackIndex(participant, trackSid);
    if (index < 0) {
        setError(error,
                 QStringLiteral("no track %1 of %2 in room %3").arg(trackSid, identity, roomName));
        return false;
    }
    participant->tracks[index].muted = muted;
    pauseRtcTrack(roomName, trackSid, muted);
    announceParticipant(findRoom(roomName), *participant, false);
    for (const FakeEgress &egress : std::as_const(m_egresses)) {
        auto *media = qobject_cast<TrackEgress *>(m_media.value(egress.egressId));
        if (media && egress.trackSid == trackSid)
            media->setMuted(muted);
    }
    return true;
}

bool FakeLiveKit::failEgress(const QString &egressId, const QString &error, QString *failure)
{
    FakeEgress *egress = findEgress(egressId);
    if (!egress || !m_media.contains(egressId)) {
        setError(failure, QStringLiteral("no running egress %1").arg(egressId));
        return false;
    }
    // Gone at once, as with a crashed worker: no clean end for the stream.
    endEgress(egress, EgressStatus::Failed,
              error.isEmpty() ? QStringLiteral("egress failed") : error);
    return true;
}

bool FakeLiveKit::loadScript(const QByteArray &json, const QString &baseDirectory, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        setError(error, parseError.error != QJsonParseError::NoError
                            ? parseError.errorString()
                            : QStringLiteral("a script is a JSON object"));
        return false;
    }
    const QJsonObject script = document.object();
    if (script.contains(QLatin1String("egress_limit")))
        m_egressLimit = script.value(QLatin1String("egress_limit")).toInt(m_egressLimit);
    const QDir base(baseDirectory);
    for (const QJsonValue roomValue : script.value(QLatin1String("rooms")).toArray()) {
        const QJsonObject room = roomValue.toObject();
        const QString name = room.value(QLatin1String("name")).toString();
        if (createRoom(name, error).isEmpty())
            return false;
        for (const QJsonValue value : room.value(QLatin1String("participants")).toArray()) {
            const QJsonObject object = value.toObject();
            ParticipantSpec spec;
            spec.identity = object.value(QLatin1String("identity")).toString();
            spec.name = object.value(QLatin1String("name")).toString();
            const QString sample = object.value(QLatin1String("sample")).toString();
            spec.samplePath = sample.isEmpty() ? QString() : base.absoluteFilePath(sample);
            spec.microphone = object.value(QLatin1String("microphone")).toBool(true);
            spec.muted = object.value(QLatin1String("muted")).toBool(false);
            spec.speaking = speakingEvents(object.value(QLatin1String("speaking")));
            if (joinParticipant(name, spec, error).isEmpty())
                return false;
        }
    }
    return true;
}

// ---- Egress lifecycle ----

void FakeLiveKit::beginEgress(const FakeEgress &egress, EgressMedia *media)
{
    const QString id = egress.egressId;
    m_egresses.append(egress);
    m_media.insert(id, media);
    media->setParent(this);
    connect(media, &EgressMedia::running, this, [this, id] { onMediaRunning(id); });
    connect(media, &EgressMedia::retrying, this,
            [this, id](const QString &error) { onMediaRetrying(id, error); });
    connect(media, &EgressMedia::finished, this,
            [this, id](const QString &error) { onMediaFinished(id, error); });
    qCInfo(lcFakeLiveKit) << "egress" << id << "starting for room" << egress.roomName;
    changed(findEgress(id), QStringLiteral("egress_started"));
    media->start();
}

void FakeLiveKit::requestStop(FakeEgress *egress)
{
    if (egress->status != EgressStatus::Starting && egress->status != EgressStatus::Active)
        return;
    egress->status = EgressStatus::Ending;
    changed(egress, QStringLiteral("egress_updated"));
    if (EgressMedia *media = m_media.value(egress->egressId))
        media->stop();
}

void FakeLiveKit::stopEgressesWhere(const std::function<bool(const FakeEgress &)> &matches)
{
    QStringList ids;
    for (const FakeEgress &egress : std::as_const(m_egresses)) {
        if (matches(egress))
            ids << egress.egressId;
    }
    for (const QString &id : ids)
        requestStop(findEgress(id));
}

void FakeLiveKit::onMediaRunning(const QString &egressId)
{
    FakeEgress *egress = findEgress(egressId);
    if (!egress || egress->status != EgressStatus::Starting)
        return;
    egress->status = EgressStatus::Active;
    egress->startedAt_ns = nowNs();
    qCInfo(lcFakeLiveKit) << "egress" << egressId << "active";
    changed(egress, QStringLiteral("egress_updated"));
}

void FakeLiveKit::onMediaRetrying(const QString &egressId, const QString &error)
{
    FakeEgress *egress = findEgress(egressId);
    if (!egress)
        return;
    ++egress->streamRetries;
    egress->lastRetryAt_ns = nowNs();
    qCInfo(lcFakeLiveKit) << "egress" << egressId << "retrying its stream:" << error;
    changed(egress, QStringLiteral("egress_updated"));
}

void FakeLiveKit::onMediaFinished(const QString &egressId, const QString &error)
{
    FakeEgress *egress = findEgress(egressId);
    if (!egress)
        return;
    const bool requested = egress->status == EgressStatus::Ending;
    endEgress(egress, requested || error.isEmpty() ? EgressStatus::Complete : EgressStatus::Failed,
              requested ? QString() : error);
}

void FakeLiveKit::endEgress(FakeEgress *egress, EgressStatus status, const QString &error)
{
    if (EgressMedia *media = m_media.take(egress->egressId)) {
        if (const auto *track = qobject_cast<TrackEgress *>(media)) {
            egress->audioBytesSent = track->audioBytesSent();
            egress->audioFramesSent = track->audioFramesSent();
        }
        media->disconnect(this);
        media->deleteLater();
    }
    egress->status = status;
    egress->error = error;
    egress->endedAt_ns = nowNs();
    qCInfo(lcFakeLiveKit) << "egress" << egress->egressId
                          << "ended:" << livekit::egressStatusName(status) << error;
    changed(egress, QStringLiteral("egress_ended"));
}

void FakeLiveKit::changed(FakeEgress *egress, const QString &webhookEvent)
{
    egress->updatedAt_ns = nowNs();
    const FakeEgress snapshot = *egress; // slots may start or stop egresses
    sendWebhook(webhookEvent, nullptr, nullptr, nullptr, &snapshot);
    Q_EMIT egressChanged(snapshot);
}

// ---- Webhooks ----

void FakeLiveKit::sendWebhook(const QString &event, const FakeRoom *room,
                              const FakeParticipant *participant, const FakeTrack *track,
                              const FakeEgress *egress)
{
    const QString id = newLiveKitId("EV_");
    ProtoMessage message;
    message.string("event", event);
    if (room) {
        const bool recording =
            std::any_of(m_egresses.cbegin(), m_egresses.cend(), [&](const FakeEgress &candidate) {
                return candidate.roomName == room->name && livekit::isActive(candidate.status);
            });
        message.message("room", roomMessage(*room, recording));
    }
    if (participant) {
        message.message(
            "participant",
            participantMessage(*participant, event == QLatin1String("participant_left")
                                                 ? livekit::ParticipantState::Disconnected
                                                 : livekit::ParticipantState::Active));
    }
    if (egress)
        message.message("egress_info", egressMessage(*egress));
    if (track)
        message.message("track", trackMessage(*track));
    message.string("id", id).int64("created_at", QDateTime::currentSecsSinceEpoch());
    m_webhooks->enqueue(
        id, event,
        QJsonDocument(message.toJson(ProtoStyle::Webhook)).toJson(QJsonDocument::Compact));
}

// ---- Reports ----

QJsonObject FakeLiveKit::stateJson() const
{
    QJsonArray rooms;
    for (const FakeRoom &room : m_rooms) {
        QJsonArray participants;
        for (const FakeParticipant &participant : room.participants) {
            QJsonArray tracks;
            for (const FakeTrack &track : participant.tracks) {
                tracks.append(QJsonObject{
                    {QStringLiteral("sid"), track.sid},
                    {QStringLiteral("name"), track.name},
                    {QStringLiteral("type"), kTrackTypeNames.value(protoNumber(track.type))},
                    {QStringLiteral("source"), kTrackSourceNames.value(protoNumber(track.source))},
                    {QStringLiteral("muted"), track.muted},
                });
            }
            participants.append(QJsonObject{
                {QStringLiteral("sid"), participant.sid},
                {QStringLiteral("identity"), participant.identity},
                {QStringLiteral("name"), participant.name},
                {QStringLiteral("sample"), participant.samplePath},
                {QStringLiteral("tracks"), tracks},
            });
        }
        rooms.append(QJsonObject{
            {QStringLiteral("sid"), room.sid},
            {QStringLiteral("name"), room.name},
            {QStringLiteral("created_at_ms"), room.createdAt_ms},
            {QStringLiteral("participants"), participants},
        });
    }
    return QJsonObject{
        {QStringLiteral("url"), url().toString()},
        {QStringLiteral("webhook_url"), webhookUrl().toString()},
        {QStringLiteral("egress_limit"), m_egressLimit},
        {QStringLiteral("active_egresses"), activeEgressCount()},
        {QStringLiteral("rooms"), rooms},
    };
}

QJsonObject FakeLiveKit::egressesJson() const
{
    QJsonArray list;
    for (const FakeEgress &egress : egresses()) {
        const int status = protoNumber(egress.status);
        QJsonObject object{
            {QStringLiteral("egress_id"), egress.egressId},
            {QStringLiteral("kind"), egress.kind == EgressKind::RoomComposite
                                         ? QStringLiteral("room_composite")
                                         : QStringLiteral("track")},
            {QStringLiteral("room_name"), egress.roomName},
            {QStringLiteral("room_sid"), egress.roomSid},
            {QStringLiteral("status"), livekit::egressStatusName(egress.status)},
            {QStringLiteral("status_number"), status},
            {QStringLiteral("error"), egress.error},
            {QStringLiteral("created_at_ms"), egress.createdAt_ns / 1000000},
            {QStringLiteral("started_at_ms"), egress.startedAt_ns / 1000000},
            {QStringLiteral("ended_at_ms"), egress.endedAt_ns / 1000000},
        };
        if (egress.kind == EgressKind::RoomComposite) {
            object.insert(QStringLiteral("urls"), QJsonArray::fromStringList(egress.urls));
            object.insert(QStringLiteral("url"), egress.urls.value(0));
            object.insert(QStringLiteral("legacy_stream_field"), egress.legacyStreamField);
            object.insert(QStringLiteral("audio_frequency"), egress.audioFrequency_Hz);
            object.insert(QStringLiteral("audio_bitrate"), egress.audioBitrate_kbps);
            object.insert(QStringLiteral("stream_retries"), egress.streamRetries);
        } else {
            object.insert(QStringLiteral("track_sid"), egress.trackSid);
            object.insert(QStringLiteral("participant_identity"), egress.participantIdentity);
            object.insert(QStringLiteral("url"), egress.websocketUrl);
            object.insert(QStringLiteral("audio_bytes_sent"), egress.audioBytesSent);
            object.insert(QStringLiteral("audio_frames_sent"), egress.audioFramesSent);
        }
        list.append(object);
    }
    return QJsonObject{
        {QStringLiteral("start_count"), egressStartCount()},
        {QStringLiteral("refused_count"), m_refusedStarts},
        {QStringLiteral("active_count"), activeEgressCount()},
        {QStringLiteral("egress_limit"), m_egressLimit},
        {QStringLiteral("egresses"), list},
    };
}

QJsonObject FakeLiveKit::webhooksJson() const
{
    QJsonArray list;
    for (const WebhookDelivery &delivery : m_webhooks->deliveries()) {
        list.append(QJsonObject{
            {QStringLiteral("id"), delivery.id},
            {QStringLiteral("event"), delivery.event},
            {QStringLiteral("url"), delivery.url.toString()},
            {QStringLiteral("attempts"), delivery.attempts},
            {QStringLiteral("delivered"), delivery.delivered},
            {QStringLiteral("last_status"), delivery.lastStatus},
            {QStringLiteral("last_error"), delivery.lastError},
            {QStringLiteral("body"), QJsonDocument::fromJson(delivery.body).object()},
        });
    }
    return QJsonObject{
        {QStringLiteral("url"), webhookUrl().toString()},
        {QStringLiteral("idle"), m_webhooks->idle()},
        {QStringLiteral("deliveries"), list},
    };
}

} // namespace roomscribe::test

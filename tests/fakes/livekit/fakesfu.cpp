#include "fakesfu.h"

#include "webrtcsender.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QWebSocket>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

namespace roomscribe::test {

namespace {

// What LiveKit's own field names are, for logs and the frame log.
const char *const kRequestKinds[] = {
    "", "offer", "answer",     "trickle", "",     "mute", "subscription", "", "leave", "",
    "", "",      "sync_state", "",        "ping", "",     "ping_req"};

// The lite runtime keeps unknown fields but has no public accessor for them:
// a pointer to the protected member, taken through a class derived from
// MessageLite, reads them from any message.
struct MetadataOf : google::protobuf::MessageLite
{
    static bool hasUnknown(const google::protobuf::MessageLite &message)
    {
        const auto &metadata = message.*(&MetadataOf::_internal_metadata_);
        return metadata.have_unknown_fields() &&
               !metadata.unknown_fields<std::string>(&google::protobuf::internal::GetEmptyString)
                    .empty();
    }
};

QString firstUnknown(const google::protobuf::MessageLite &message, const QString &path)
{
    return MetadataOf::hasUnknown(message) ? path : QString();
}

QString unknownIn(const ::livekit::SessionDescription &message, const QString &path)
{
    return firstUnknown(message, path);
}

QString unknownIn(const ::livekit::UpdateSubscription &message, const QString &path)
{
    QString found = firstUnknown(message, path);
    for (int i = 0; found.isEmpty() && i < message.participant_tracks_size(); ++i)
        found = firstUnknown(message.participant_tracks(i),
                             path + QStringLiteral(".participant_tracks[%1]").arg(i));
    return found;
}

QString orFirst(const QString &found, const QString &next)
{
    return found.isEmpty() ? next : found;
}

bool isDirection(const QString &attribute)
{
    return attribute == QLatin1String("sendonly") || attribute == QLatin1String("recvonly") ||
           attribute == QLatin1String("inactive") || attribute == QLatin1String("sendrecv");
}

} // namespace

QString unknownFieldsIn(const ::livekit::SignalRequest &request)
{
    QString found = firstUnknown(request, QStringLiteral("SignalRequest"));
    switch (request.message_case()) {
    case ::livekit::SignalRequest::kOffer:
        return orFirst(found, unknownIn(request.offer(), QStringLiteral("offer")));
    case ::livekit::SignalRequest::kAnswer:
        return orFirst(found, unknownIn(request.answer(), QStringLiteral("answer")));
    case ::livekit::SignalRequest::kTrickle:
        return orFirst(found, firstUnknown(request.trickle(), QStringLiteral("trickle")));
    case ::livekit::SignalRequest::kMute:
        return orFirst(found, firstUnknown(request.mute(), QStringLiteral("mute")));
    case ::livekit::SignalRequest::kSubscription:
        return orFirst(found, unknownIn(request.subscription(), QStringLiteral("subscription")));
    case ::livekit::SignalRequest::kLeave:
        return orFirst(found, firstUnknown(request.leave(), QStringLiteral("leave")));
    case ::livekit::SignalRequest::kSyncState: {
        const ::livekit::SyncState &sync = request.sync_state();
        found = orFirst(found, firstUnknown(sync, QStringLiteral("sync_state")));
        found = orFirst(found, unknownIn(sync.answer(), QStringLiteral("sync_state.answer")));
        found = orFirst(found, unknownIn(sync.offer(), QStringLiteral("sync_state.offer")));
        return orFirst(found,
                       unknownIn(sync.subscription(), QStringLiteral("sync_state.subscription")));
    }
    case ::livekit::SignalRequest::kPingReq:
        return orFirst(found, firstUnknown(request.ping_req(), QStringLiteral("ping_req")));
    case ::livekit::SignalRequest::kPing:
    case ::livekit::SignalRequest::MESSAGE_NOT_SET:
        return found;
    }
    return found;
}

QString requestKind(const ::livekit::SignalRequest &request)
{
    const int number = request.message_case();
    if (number <= 0 || number >= int(std::size(kRequestKinds)))
        return QStringLiteral("none");
    return QString::fromLatin1(kRequestKinds[number]);
}

QString responseKind(const ::livekit::SignalResponse &response)
{
    switch (response.message_case()) {
    case ::livekit::SignalResponse::kJoin:
        return QStringLiteral("join");
    case ::livekit::SignalResponse::kAnswer:
        return QStringLiteral("answer");
    case ::livekit::SignalResponse::kOffer:
        return QStringLiteral("offer");
    case ::livekit::SignalResponse::kTrickle:
        return QStringLiteral("trickle");
    case ::livekit::SignalResponse::kUpdate:
        return QStringLiteral("update");
    case ::livekit::SignalResponse::kLeave:
        return QStringLiteral("leave");
    case ::livekit::SignalResponse::kMute:
        return QStringLiteral("mute");
    case ::livekit::SignalResponse::kSpeakersChanged:
        return QStringLiteral("speakers_changed");
    case ::livekit::SignalResponse::kRoomUpdate:
        return QStringLiteral("room_update");
    case ::livekit::SignalResponse::kRefreshToken:
        return QStringLiteral("refresh_token");
    case ::livekit::SignalResponse::kTrackUnpublished:
        return QStringLiteral("track_unpublished");
    case ::livekit::SignalResponse::kPong:
        return QStringLiteral("pong");
    case ::livekit::SignalResponse::kReconnect:
        return QStringLiteral("reconnect");
    case ::livekit::SignalResponse::kPongResp:
        return QStringLiteral("pong_resp");
    case ::livekit::SignalResponse::kSubscriptionResponse:
        return QStringLiteral("subscription_response");
    case ::livekit::SignalResponse::MESSAGE_NOT_SET:
        break;
    }
    return QStringLiteral("none");
}

QList<SdpSection> sdpSections(const QString &sdp)
{
    QList<SdpSection> sections;
    for (const QString &rawLine : sdp.split(QLatin1Char('\n'))) {
        const QString line = rawLine.trimmed();
        if (line.startsWith(QLatin1String("m="))) {
            sections.append({line.mid(2).section(QLatin1Char(' '), 0, 0), {}, {}});
        } else if (!sections.isEmpty() && line.startsWith(QLatin1String("a=mid:"))) {
            sections.last().mid = line.mid(6);
        } else if (!sections.isEmpty() && line.startsWith(QLatin1String("a=")) &&
                   isDirection(line.mid(2))) {
            sections.last().direction = line.mid(2);
        }
    }
    return sections;
}

// ---- RtcSession ----

RtcSession::RtcSession(const QString &sid, const QString &identity, const QString &roomName,
                       int pingTimeout_s, QObject *parent)
    : QObject(parent), m_sid(sid), m_identity(identity), m_roomName(roomName)
{
    m_pingTimeout.setSingleShot(true);
    m_pingTimeout.setInterval(pingTimeout_s * 1000);
    connect(&m_pingTimeout, &QTimer::timeout, this, [this, pingTimeout_s] {
        violation(QStringLiteral("no ping within ping_timeout (%1 s)").arg(pingTimeout_s));
    });
}

RtcSession::~RtcSession()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
}

QStringList RtcSession::offeredTrackSids() const
{
    QStringList sids;
    for (const RtcTrack &track : m_tracks)
        sids << track.trackSid;
    return sids;
}

void RtcSession::attach(QWebSocket *socket)
{
    m_socket = socket;
    socket->setParent(this);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &RtcSession::onBinaryMessage);
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        Q_EMIT frameLogged({QDateTime::currentMSecsSinceEpoch(), m_sid, true, text.toUtf8(),
                            QStringLiteral("text")});
        violation(QStringLiteral("a text frame; signalling is binary protobuf"));
    });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        if (m_phase == Phase::Ended)
            return;
        qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "lost its signalling";
        detach();
        Q_EMIT signallingLost();
    });
    m_pingTimeout.start();
}

void RtcSession::detach()
{
    m_pingTimeout.stop();
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->deleteLater();
    m_socket = nullptr;
}

void RtcSession::join(QWebSocket *socket, const ::livekit::JoinResponse &join)
{
    attach(socket);
    m_phase = Phase::Joined;
    ::livekit::SignalResponse response;
    *response.mutable_join() = join;
    send(response);
}

void RtcSession::startMedia(const QList<RtcTrack> &tracks)
{
    if (m_phase != Phase::Joined || m_subscribed)
        return;
    m_subscribed = true;
    if (tracks.isEmpty())
        return; // nothing to offer: a subscriber PeerConnection comes with the first track
    startSender(tracks);
}

void RtcSession::startSender(const QList<RtcTrack> &tracks)
{
    m_tracks = tracks;
    m_sender = new OpusWebRtcSender(this);
    connect(m_sender, &OpusWebRtcSender::offerReady, this, &RtcSession::onOfferReady);
    connect(m_sender, &OpusWebRtcSender::localCandidate, this,
            [this](const livekit::IceCandidate &candidate) {
                const QJsonObject init{{QStringLiteral("candidate"), candidate.candidate},
                                       {QStringLiteral("sdpMid"), candidate.sdpMid},
                                       {QStringLiteral("sdpMLineIndex"), candidate.sdpMLineIndex}};
                sendTrickle(QString::fromUtf8(QJsonDocument(init).toJson(QJsonDocument::Compact)));
            });
    connect(m_sender, &OpusWebRtcSender::failed, this, [this](const QString &why) {
        violation(QStringLiteral("fake: the media failed: %1").arg(why));
    });
    connect(m_sender, &OpusWebRtcSender::connected, this, [this] {
        m_mediaConnected = true;
        qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "media connected";
    });
    std::vector<OpusWebRtcSender::Track> senderTracks;
    for (const RtcTrack &track : tracks)
        senderTracks.push_back({track.participantSid, track.trackSid, track.opusPackets});
    QString error;
    if (!m_sender->start(senderTracks, &error)) {
        violation(QStringLiteral("fake: the media did not start: %1").arg(error));
        return;
    }
    for (const RtcTrack &track : tracks) {
        if (track.muted)
            m_sender->setTrackPaused(track.trackSid, true);
    }
}

void RtcSession::addTrack(const RtcTrack &track)
{
    if (!m_subscribed || m_phase == Phase::Ended)
        return;
    const auto sameTrack = [&track](const RtcTrack &known) {
        return known.trackSid == track.trackSid;
    };
    if (std::any_of(m_tracks.cbegin(), m_tracks.cend(), sameTrack) ||
        std::any_of(m_waitingTracks.cbegin(), m_waitingTracks.cend(), sameTrack))
        return;
    if (!m_sender) {
        startSender({track});
        return;
    }
    m_waitingTracks.append(track);
    renegotiate();
}

void RtcSession::renegotiate()
{
    // One track per offer: LiveKit may batch, a client must take either.
    if (m_phase != Phase::Answered || !m_socket || m_waitingTracks.isEmpty())
        return;
    const RtcTrack track = m_waitingTracks.takeFirst();
    m_tracks.append(track);
    m_phase = Phase::Renegotiating;
    qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "renegotiates for" << track.trackSid;
    m_sender->addTrack({track.participantSid, track.trackSid, track.opusPackets});
    if (track.muted)
        m_sender->setTrackPaused(track.trackSid, true);
}

bool RtcSession::mediaRuns() const
{
    return m_phase == Phase::Answered || m_phase == Phase::Renegotiating ||
           m_phase == Phase::Reoffered;
}

void RtcSession::resume(QWebSocket *socket, const ::livekit::ReconnectResponse &reconnect)
{
    if (m_socket) {
        // The client saw the old connection fail before the fake did.
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    attach(socket);
    ::livekit::SignalResponse response;
    *response.mutable_reconnect() = reconnect;
    send(response);
    // Our candidates gathered while the client was away.
    if (m_phase != Phase::Joined) {
        const QStringList pending = std::exchange(m_pendingCandidates, {});
        for (const QString &candidate : pending)
            sendTrickle(candidate);
    }
    renegotiate(); // tracks published while the client was away
}

void RtcSession::send(const ::livekit::SignalResponse &response)
{
    if (!m_socket || m_phase == Phase::Ended)
        return;
    const std::string bytes = response.SerializeAsString();
    const QByteArray frame(bytes.data(), qsizetype(bytes.size()));
    Q_EMIT frameLogged(
        {QDateTime::currentMSecsSinceEpoch(), m_sid, false, frame, responseKind(response)});
    m_socket->sendBinaryMessage(frame);
}

void RtcSession::sendTrickle(const QString &candidateJson)
{
    // Before the offer, or while the client is away: they follow later.
    if (m_phase == Phase::Joined || !m_socket) {
        m_pendingCandidates << candidateJson;
        return;
    }
    ::livekit::SignalResponse response;
    response.mutable_trickle()->set_candidateinit(candidateJson.toStdString());
    response.mutable_trickle()->set_target(::livekit::SUBSCRIBER);
    send(response);
}

void RtcSession::setTrackPaused(const QString &trackSid, bool paused)
{
    for (QList<RtcTrack> *tracks : {&m_tracks, &m_waitingTracks}) {
        for (RtcTrack &track : *tracks) {
            if (track.trackSid == trackSid)
                track.muted = paused;
        }
    }
    if (m_sender && offeredTrackSids().contains(trackSid))
        m_sender->setTrackPaused(trackSid, paused);
}

void RtcSession::dropSignalling()
{
    if (!m_socket)
        return;
    qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "signalling dropped on request";
    QWebSocket *socket = m_socket;
    detach();
    socket->abort();
    Q_EMIT signallingLost();
}

void RtcSession::disconnectClient(::livekit::DisconnectReason reason)
{
    ::livekit::SignalResponse response;
    response.mutable_leave()->set_reason(reason);
    response.mutable_leave()->set_action(::livekit::LeaveRequest::DISCONNECT);
    send(response);
    closeAndEnd(QWebSocketProtocol::CloseCodeNormal, {});
}

void RtcSession::closeAndEnd(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    QWebSocket *socket = m_socket;
    end(); // first: a close may report the disconnection at once
    if (socket)
        socket->close(code, reason);
}

void RtcSession::end()
{
    if (m_phase == Phase::Ended)
        return;
    m_phase = Phase::Ended;
    m_pingTimeout.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        connect(m_socket, &QWebSocket::disconnected, m_socket, &QObject::deleteLater);
        m_socket->setParent(nullptr);
        m_socket = nullptr;
    }
    if (m_sender) {
        m_sender->stop();
        m_sender->deleteLater(); // end() may run inside one of its signals
        m_sender = nullptr;
    }
    Q_EMIT ended();
}

void RtcSession::violation(const QString &what)
{
    if (m_phase == Phase::Ended)
        return;
    const QString message = QStringLiteral("%1 (%2): %3").arg(m_sid, m_identity, what);
    qCWarning(lcFakeLiveKit).noquote() << "rtc violation:" << message;
    Q_EMIT violated(message);
    ::livekit::SignalResponse response;
    response.mutable_leave()->set_reason(::livekit::STATE_MISMATCH);
    response.mutable_leave()->set_action(::livekit::LeaveRequest::DISCONNECT);
    send(response);
    closeAndEnd(QWebSocketProtocol::CloseCodePolicyViolated, what.left(120));
}

void RtcSession::onBinaryMessage(const QByteArray &bytes)
{
    ::livekit::SignalRequest request;
    const bool parsed = request.ParseFromArray(bytes.constData(), int(bytes.size()));
    const QString kind = parsed ? requestKind(request) : QStringLiteral("invalid");
    Q_EMIT frameLogged({QDateTime::currentMSecsSinceEpoch(), m_sid, true, bytes, kind});
    if (!parsed) {
        violation(QStringLiteral("a frame that is no SignalRequest"));
        return;
    }
    const QString unknown = unknownFieldsIn(request);
    if (!unknown.isEmpty()) {
        violation(QStringLiteral("%1 carries fields LiveKit's protocol does not have there")
                      .arg(unknown));
        return;
    }
    switch (request.message_case()) {
    case ::livekit::SignalRequest::kAnswer:
        onAnswer(request.answer());
        return;
    case ::livekit::SignalRequest::kTrickle:
        onTrickle(request.trickle());
        return;
    case ::livekit::SignalRequest::kPingReq: {
        if (request.ping_req().timestamp() <= 0) {
            violation(QStringLiteral("ping_req without a timestamp"));
            return;
        }
        m_pingTimeout.start();
        ::livekit::SignalResponse response;
        response.mutable_pong_resp()->set_last_ping_timestamp(request.ping_req().timestamp());
        response.mutable_pong_resp()->set_timestamp(QDateTime::currentMSecsSinceEpoch());
        send(response);
        return;
    }
    case ::livekit::SignalRequest::kPing: {
        m_pingTimeout.start();
        ::livekit::SignalResponse response;
        response.set_pong(QDateTime::currentMSecsSinceEpoch());
        send(response);
        return;
    }
    case ::livekit::SignalRequest::kLeave: {
        const ::livekit::LeaveRequest &leave = request.leave();
        if (leave.reason() != ::livekit::CLIENT_INITIATED ||
            leave.action() != ::livekit::LeaveRequest::DISCONNECT || leave.can_reconnect()) {
            violation(QStringLiteral("leave must be {reason: CLIENT_INITIATED, action: "
                                     "DISCONNECT}, is {reason: %1, action: %2, can_reconnect: %3}")
                          .arg(leave.reason())
                          .arg(leave.action())
                          .arg(leave.can_reconnect()));
            return;
        }
        qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "left";
        closeAndEnd(QWebSocketProtocol::CloseCodeNormal, {});
        return;
    }
    case ::livekit::SignalRequest::kOffer:
        violation(QStringLiteral("offer: a subscribe-only client never offers"));
        return;
    case ::livekit::SignalRequest::kMute:
        violation(QStringLiteral("mute: a client without canPublish has no track to mute"));
        return;
    case ::livekit::SignalRequest::kSubscription:
    case ::livekit::SignalRequest::kSyncState:
        violation(QStringLiteral("%1: not expected from a hidden auto-subscribing client (and not "
                                 "emulated)")
                      .arg(kind));
        return;
    case ::livekit::SignalRequest::MESSAGE_NOT_SET:
        violation(QStringLiteral("an empty SignalRequest"));
        return;
    }
}

void RtcSession::onAnswer(const ::livekit::SessionDescription &answer)
{
    if (m_phase != Phase::Offered && m_phase != Phase::Reoffered) {
        violation(m_phase == Phase::Answered ? QStringLiteral("a second answer to one offer")
                                             : QStringLiteral("an answer before our offer"));
        return;
    }
    if (answer.type() != "answer") {
        violation(
            QStringLiteral("answer of type \"%1\"").arg(QString::fromStdString(answer.type())));
        return;
    }
    const QString sdp = QString::fromStdString(answer.sdp());
    if (!sdp.startsWith(QLatin1String("v=0"))) {
        violation(QStringLiteral("the answer's SDP does not start with v=0"));
        return;
    }
    const QList<SdpSection> sections = sdpSections(sdp);
    if (sections.size() != m_offerMids.size()) {
        violation(QStringLiteral("the answer has %1 m= sections, the offer %2")
                      .arg(sections.size())
                      .arg(m_offerMids.size()));
        return;
    }
    for (int i = 0; i < sections.size(); ++i) {
        if (sections[i].mid != m_offerMids[i]) {
            violation(QStringLiteral("m= section %1 has mid \"%2\", the offer's is \"%3\"")
                          .arg(i)
                          .arg(sections[i].mid, m_offerMids[i]));
            return;
        }
        if (sections[i].direction != QLatin1String("recvonly") &&
            sections[i].direction != QLatin1String("inactive")) {
            violation(QStringLiteral("m= section %1 (mid %2) is \"%3\", not recvonly or inactive")
                          .arg(i)
                          .arg(sections[i].mid, sections[i].direction));
            return;
        }
    }
    for (const char *attribute : {"a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:"}) {
        if (!sdp.contains(QLatin1String(attribute))) {
            violation(QStringLiteral("the answer has no %1").arg(QLatin1String(attribute)));
            return;
        }
    }
    if (!sdp.contains(QLatin1String("a=setup:active")) &&
        !sdp.contains(QLatin1String("a=setup:passive"))) {
        violation(QStringLiteral("the answer has no a=setup:active or passive"));
        return;
    }
    const bool first = m_phase == Phase::Offered;
    m_phase = Phase::Answered;
    m_sender->setRemoteAnswer(sdp);
    if (first) {
        qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "answered; media starts";
        Q_EMIT mediaStarted();
    } else {
        qCInfo(lcFakeLiveKit) << "rtc session" << m_sid << "answered the renegotiation";
    }
    renegotiate(); // tracks published while this negotiation was in flight
}

void RtcSession::onTrickle(const ::livekit::TrickleRequest &trickle)
{
    if (!mediaRuns()) {
        violation(QStringLiteral("trickle before the answer"));
        return;
    }
    if (trickle.target() != ::livekit::SUBSCRIBER) {
        violation(QStringLiteral("trickle for the PUBLISHER PeerConnection, which a subscriber "
                                 "has not"));
        return;
    }
    QJsonParseError error;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromStdString(trickle.candidateinit()), &error);
    if (!document.isObject()) {
        violation(QStringLiteral("trickle candidateInit is not a JSON object"));
        return;
    }
    const QJsonObject init = document.object();
    static const QStringList kKeys = {QStringLiteral("candidate"), QStringLiteral("sdpMid"),
                                      QStringLiteral("sdpMLineIndex"),
                                      QStringLiteral("usernameFragment")};
    for (const QString &key : init.keys()) {
        if (!kKeys.contains(key)) {
            violation(QStringLiteral("trickle candidateInit has \"%1\", not in RTCIceCandidateInit")
                          .arg(key));
            return;
        }
    }
    const QJsonValue candidate = init.value(QLatin1String("candidate"));
    const QJsonValue mid = init.value(QLatin1String("sdpMid"));
    const QJsonValue index = init.value(QLatin1String("sdpMLineIndex"));
    const bool hasMid = mid.isString();
    const bool hasIndex = index.isDouble();
    if (!candidate.isString() || (!candidate.toString().isEmpty() &&
                                  !candidate.toString().startsWith(QLatin1String("candidate:")))) {
        violation(QStringLiteral("trickle candidate is not \"candidate:…\" or \"\""));
        return;
    }
    if ((!hasMid && !mid.isUndefined() && !mid.isNull()) ||
        (!hasIndex && !index.isUndefined() && !index.isNull()) || (!hasMid && !hasIndex)) {
        violation(QStringLiteral("trickle candidateInit needs sdpMid (string) or sdpMLineIndex "
                                 "(number)"));
        return;
    }
    if ((hasMid && !m_offerMids.contains(mid.toString())) ||
        (hasIndex && (index.toDouble() != double(index.toInt()) || index.toInt() < 0 ||
                      index.toInt() >= m_offerMids.size()))) {
        violation(QStringLiteral("trickle names an m= section the offer does not have"));
        return;
    }
    if (candidate.toString().isEmpty())
        return; // the end of the client's candidates: nothing to add
    m_sender->addRemoteCandidate(
        {candidate.toString(), hasMid ? mid.toString() : m_offerMids.value(index.toInt()),
         hasIndex ? index.toInt() : int(m_offerMids.indexOf(mid.toString()))});
}

void RtcSession::onOfferReady(const QString &sdp)
{
    if (m_phase != Phase::Joined && m_phase != Phase::Renegotiating)
        return;
    m_offerMids.clear();
    for (const SdpSection &section : sdpSections(sdp))
        m_offerMids << section.mid;
    m_phase = m_phase == Phase::Joined ? Phase::Offered : Phase::Reoffered;
    ::livekit::SignalResponse response;
    response.mutable_offer()->set_type("offer");
    response.mutable_offer()->set_sdp(sdp.toStdString());
    send(response);
    const QStringList pending = std::exchange(m_pendingCandidates, {});
    for (const QString &candidate : pending)
        sendTrickle(candidate);
}

} // namespace roomscribe::test

#include "livekit/signal/signalcodec.h"

#include "core/logging.h"
#include "livekit/signal/livekit_signal.pb.h"

#include <google/protobuf/stubs/logging.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <limits>
#include <mutex>
#include <string>

namespace roomscribe::livekit {

namespace {

// LiveKit's client protocol version this client speaks (JoinResponse fields,
// ping_req/pong_resp, subscriber_primary).
constexpr int kProtocolVersion = 15;

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string toStd(const QString &text)
{
    return text.toStdString();
}

// protobuf reports what it refuses in a frame (a string that is not UTF-8)
// on stderr by default; this puts it in the signalling's log category.
void logFromProtobuf(google::protobuf::LogLevel level, const char *, int,
                     const std::string &message)
{
    const QString text = QStringLiteral("protobuf: %1").arg(fromStd(message));
    if (level == google::protobuf::LOGLEVEL_INFO)
        qCInfo(lcLiveKitSignal).noquote() << text;
    else
        qCWarning(lcLiveKitSignal).noquote() << text;
}

// Before the first message is parsed or serialized: protobuf's handler is one
// unguarded global, so it is set once, ahead of every use on any thread.
void routeProtobufLogging()
{
    static std::once_flag once;
    std::call_once(once, [] { google::protobuf::SetLogHandler(&logFromProtobuf); });
}

QByteArray serialize(const ::livekit::SignalRequest &request)
{
    routeProtobufLogging();
    std::string bytes;
    request.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

SignalTrack toTrack(const ::livekit::TrackInfo &info)
{
    SignalTrack track;
    track.sid = fromStd(info.sid());
    track.name = fromStd(info.name());
    track.mimeType = fromStd(info.mime_type());
    track.audio = info.type() == ::livekit::AUDIO;
    track.microphone = info.source() == ::livekit::MICROPHONE;
    track.muted = info.muted();
    return track;
}

SignalParticipant toParticipant(const ::livekit::ParticipantInfo &info)
{
    SignalParticipant participant;
    participant.sid = fromStd(info.sid());
    participant.identity = fromStd(info.identity());
    participant.name = fromStd(info.name());
    participant.disconnected = info.state() == ::livekit::ParticipantInfo::DISCONNECTED;
    participant.hidden = info.permission().hidden();
    for (const ::livekit::TrackInfo &track : info.tracks())
        participant.tracks.append(toTrack(track));
    return participant;
}

QList<SignalParticipant>
toParticipants(const google::protobuf::RepeatedPtrField<::livekit::ParticipantInfo> &infos)
{
    QList<SignalParticipant> participants;
    participants.reserve(infos.size());
    for (const ::livekit::ParticipantInfo &info : infos)
        participants.append(toParticipant(info));
    return participants;
}

std::optional<SignalEvent> fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return std::nullopt;
}

std::optional<SignalEvent> decodeJoin(const ::livekit::JoinResponse &response, QString *error)
{
    if (response.participant().sid().empty())
        return fail(error, QStringLiteral("join without our participant sid"));
    if (response.ping_interval() < 0 || response.ping_timeout() < 0)
        return fail(error, QStringLiteral("join with a negative ping interval or timeout"));
    SignalEvent event;
    event.kind = SignalEvent::Kind::Join;
    SignalJoin &join = event.join;
    join.roomName = fromStd(response.room().name());
    join.roomSid = fromStd(response.room().sid());
    join.self = toParticipant(response.participant());
    join.others = toParticipants(response.other_participants());
    for (const ::livekit::ICEServer &server : response.ice_servers()) {
        for (const std::string &url : server.urls())
            join.iceServerUrls.append(fromStd(url));
    }
    join.pingInterval_s = response.ping_interval();
    join.pingTimeout_s = response.ping_timeout();
    join.subscriberPrimary = response.subscriber_primary();
    return event;
}

std::optional<SignalEvent> decodeTrickle(const ::livekit::TrickleRequest &trickle, QString *error)
{
    if (trickle.target() != ::livekit::SUBSCRIBER)
        return fail(error, QStringLiteral("trickle for the publisher PeerConnection, which a "
                                          "subscribe-only client does not have"));
    SignalEvent event;
    event.kind = SignalEvent::Kind::Trickle;
    event.finalCandidate = trickle.final();
    QString candidateError;
    const std::string &json = trickle.candidateinit();
    if (!parseCandidateInit(QByteArray(json.data(), qsizetype(json.size())), &event.candidate,
                            &candidateError))
        return fail(error, QStringLiteral("trickle: %1").arg(candidateError));
    return event;
}

LeaveAction leaveAction(const ::livekit::LeaveRequest &leave)
{
    switch (leave.action()) {
    case ::livekit::LeaveRequest::RESUME:
        return LeaveAction::Resume;
    case ::livekit::LeaveRequest::RECONNECT:
        return LeaveAction::Reconnect;
    case ::livekit::LeaveRequest::DISCONNECT:
        // Servers from before `action` only set can_reconnect.
        return leave.can_reconnect() ? LeaveAction::Reconnect : LeaveAction::Disconnect;
    default:
        return LeaveAction::Invalid;
    }
}

QString percentEncoded(const QByteArray &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(value)));
}

} // namespace

bool SignalTrack::operator==(const SignalTrack &other) const
{
    return sid == other.sid && name == other.name && mimeType == other.mimeType &&
           audio == other.audio && microphone == other.microphone && muted == other.muted;
}

bool SignalParticipant::operator==(const SignalParticipant &other) const
{
    return sid == other.sid && identity == other.identity && name == other.name &&
           disconnected == other.disconnected && hidden == other.hidden && tracks == other.tracks;
}

bool SignalSpeaker::operator==(const SignalSpeaker &other) const
{
    return participantSid == other.participantSid && level == other.level && active == other.active;
}

std::optional<SignalEvent> decodeSignalResponse(const QByteArray &frame, QString *error)
{
    if (frame.size() > kMaxSignalFrameBytes)
        return fail(error, QStringLiteral("frame of %1 bytes exceeds the limit of %2")
                               .arg(frame.size())
                               .arg(kMaxSignalFrameBytes));
    routeProtobufLogging();
    ::livekit::SignalResponse response;
    if (!response.ParseFromArray(frame.constData(), int(frame.size())))
        return fail(error, QStringLiteral("not a SignalResponse (%1 bytes)").arg(frame.size()));

    using Response = ::livekit::SignalResponse;
    SignalEvent event;
    switch (response.message_case()) {
    case Response::kJoin:
        return decodeJoin(response.join(), error);
    case Response::kOffer:
        if (response.offer().type() != "offer")
            return fail(error, QStringLiteral("offer of type \"%1\"")
                                   .arg(fromStd(response.offer().type()).left(32)));
        event.kind = SignalEvent::Kind::Offer;
        event.sdp = fromStd(response.offer().sdp());
        return event;
    case Response::kAnswer:
        event.kind = SignalEvent::Kind::Answer;
        event.sdp = fromStd(response.answer().sdp());
        return event;
    case Response::kTrickle:
        return decodeTrickle(response.trickle(), error);
    case Response::kUpdate:
        event.kind = SignalEvent::Kind::Update;
        event.participants = toParticipants(response.update().participants());
        return event;
    case Response::kLeave:
        event.kind = SignalEvent::Kind::Leave;
        event.leaveAction = leaveAction(response.leave());
        if (event.leaveAction == LeaveAction::Invalid)
            return fail(
                error,
                QStringLiteral("leave with unknown action %1").arg(int(response.leave().action())));
        event.leaveReason = response.leave().reason();
        return event;
    case Response::kMute:
        event.kind = SignalEvent::Kind::Mute;
        event.trackSid = fromStd(response.mute().sid());
        event.muted = response.mute().muted();
        return event;
    case Response::kSpeakersChanged:
        event.kind = SignalEvent::Kind::SpeakersChanged;
        for (const ::livekit::SpeakerInfo &info : response.speakers_changed().speakers())
            event.speakers.append({fromStd(info.sid()), info.level(), info.active()});
        return event;
    case Response::kRoomUpdate:
        event.kind = SignalEvent::Kind::RoomUpdate;
        event.roomName = fromStd(response.room_update().room().name());
        return event;
    case Response::kRefreshToken:
        event.kind = SignalEvent::Kind::RefreshToken;
        event.token = QByteArray::fromStdString(response.refresh_token());
        return event;
    case Response::kTrackUnpublished:
        event.kind = SignalEvent::Kind::TrackUnpublished;
        event.trackSid = fromStd(response.track_unpublished().track_sid());
        return event;
    case Response::kPong:
        // The legacy pong echoes the legacy ping, which this client does not send.
        event.kind = SignalEvent::Kind::Pong;
        event.serverTimestamp_ms = response.pong();
        return event;
    case Response::kPongResp:
        event.kind = SignalEvent::Kind::Pong;
        event.lastPingTimestamp_ms = response.pong_resp().last_ping_timestamp();
        event.serverTimestamp_ms = response.pong_resp().timestamp();
        return event;
    case Response::kReconnect:
        event.kind = SignalEvent::Kind::Reconnect;
        return event;
    case Response::kSubscriptionResponse:
        event.kind = SignalEvent::Kind::SubscriptionResponse;
        event.trackSid = fromStd(response.subscription_response().track_sid());
        event.subscriptionError = response.subscription_response().err();
        return event;
    case Response::MESSAGE_NOT_SET:
        break;
    }
    return fail(error, QStringLiteral("SignalResponse without a message"));
}

QByteArray encodeAnswer(const QString &sdp)
{
    ::livekit::SignalRequest request;
    request.mutable_answer()->set_type("answer");
    request.mutable_answer()->set_sdp(toStd(sdp));
    return serialize(request);
}

QByteArray encodeTrickle(const IceCandidate &candidate, bool final)
{
    ::livekit::SignalRequest request;
    ::livekit::TrickleRequest *trickle = request.mutable_trickle();
    trickle->set_candidateinit(candidateInitJson(candidate).toStdString());
    trickle->set_target(::livekit::SUBSCRIBER);
    trickle->set_final(final);
    return serialize(request);
}

QByteArray encodePingReq(qint64 timestamp_ms, qint64 rtt_ms)
{
    ::livekit::SignalRequest request;
    request.mutable_ping_req()->set_timestamp(timestamp_ms);
    request.mutable_ping_req()->set_rtt(rtt_ms);
    return serialize(request);
}

QByteArray encodeLeave()
{
    ::livekit::SignalRequest request;
    request.mutable_leave()->set_reason(::livekit::CLIENT_INITIATED);
    request.mutable_leave()->set_action(::livekit::LeaveRequest::DISCONNECT);
    return serialize(request);
}

QByteArray candidateInitJson(const IceCandidate &candidate)
{
    const QJsonObject object{{QLatin1String("candidate"), candidate.candidate},
                             {QLatin1String("sdpMid"), candidate.sdpMid},
                             {QLatin1String("sdpMLineIndex"), candidate.sdpMLineIndex}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool parseCandidateInit(const QByteArray &json, IceCandidate *candidate, QString *error)
{
    auto refuse = [error](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (json.size() > kMaxCandidateInitBytes)
        return refuse(QStringLiteral("candidateInit of %1 bytes").arg(json.size()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject())
        return refuse(QStringLiteral("candidateInit is not a JSON object"));
    const QJsonObject object = document.object();

    const QJsonValue line = object.value(QLatin1String("candidate"));
    if (!line.isString())
        return refuse(QStringLiteral("candidateInit without a candidate string"));
    const QString text = line.toString();
    // The line ends up in an SDP attribute: a line break would inject SDP.
    if (!text.isEmpty() && !text.startsWith(QLatin1String("candidate:")))
        return refuse(QStringLiteral("candidate does not start with \"candidate:\""));
    if (text.contains(QLatin1Char('\r')) || text.contains(QLatin1Char('\n')))
        return refuse(QStringLiteral("candidate contains a line break"));

    const QJsonValue mid = object.value(QLatin1String("sdpMid"));
    if (!mid.isString() && !mid.isNull() && !mid.isUndefined())
        return refuse(QStringLiteral("sdpMid is not a string"));
    const QJsonValue index = object.value(QLatin1String("sdpMLineIndex"));
    // An unsigned short in RTCIceCandidateInit.
    const double indexValue = index.toDouble(-1);
    if (!index.isDouble() || indexValue < 0 || indexValue > std::numeric_limits<quint16>::max() ||
        indexValue != double(qint64(indexValue)))
        return refuse(QStringLiteral("sdpMLineIndex is not an index"));

    if (candidate) {
        candidate->candidate = text;
        candidate->sdpMid = mid.toString();
        candidate->sdpMLineIndex = int(indexValue);
    }
    return true;
}

QUrl signalUrl(const QUrl &livekitUrl, const QByteArray &token, const QString &resumeSid,
               bool autoSubscribe)
{
    const QString scheme = livekitUrl.scheme().toLower();
    QUrl url = livekitUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("wss"));
    else
        return QUrl();
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/rtc"));

    // Values are percent-encoded here: QUrlQuery would leave '+' alone, which
    // servers decode as a space. Concatenated, not arg()ed: encoded values
    // hold '%'.
    QString query = QStringLiteral("access_token=") + percentEncoded(token) +
                    QStringLiteral("&auto_subscribe=") +
                    (autoSubscribe ? QStringLiteral("1") : QStringLiteral("0")) +
                    QStringLiteral("&sdk=cpp&version=") + percentEncoded(ROOMSCRIBE_VERSION) +
                    QStringLiteral("&protocol=") + QString::number(kProtocolVersion) +
                    QStringLiteral("&adaptive_stream=0");
    if (!resumeSid.isEmpty())
        query += QStringLiteral("&reconnect=1&sid=") + percentEncoded(resumeSid.toUtf8());
    url.setQuery(query, QUrl::StrictMode);
    return url;
}

} // namespace roomscribe::livekit

#include "fakemessages.h"

#include <QRandomGenerator>
#include <QRegularExpression>

namespace roomscribe::test {

const QStringList kTrackTypeNames{QStringLiteral("AUDIO"), QStringLiteral("VIDEO"),
                                  QStringLiteral("DATA")};
const QStringList kTrackSourceNames{QStringLiteral("UNKNOWN"), QStringLiteral("CAMERA"),
                                    QStringLiteral("MICROPHONE"), QStringLiteral("SCREEN_SHARE"),
                                    QStringLiteral("SCREEN_SHARE_AUDIO")};

namespace {

const QStringList kParticipantStateNames{QStringLiteral("JOINING"), QStringLiteral("JOINED"),
                                         QStringLiteral("ACTIVE"), QStringLiteral("DISCONNECTED")};
const QStringList kParticipantKindNames{QStringLiteral("STANDARD")};
const QStringList kDisconnectReasonNames{QStringLiteral("UNKNOWN_REASON")};
const QStringList kEncryptionNames{QStringLiteral("NONE")};
const QStringList kBackupCodecPolicyNames{QStringLiteral("PREFER_REGRESSION")};
const QStringList kEgressSourceTypeNames{QStringLiteral("EGRESS_SOURCE_TYPE_WEB"),
                                         QStringLiteral("EGRESS_SOURCE_TYPE_SDK")};
const QStringList kAudioMixingNames{QStringLiteral("DEFAULT_MIXING"),
                                    QStringLiteral("DUAL_CHANNEL_AGENT"),
                                    QStringLiteral("DUAL_CHANNEL_ALTERNATE")};
const QStringList kStreamProtocolNames{QStringLiteral("DEFAULT_PROTOCOL"), QStringLiteral("RTMP"),
                                       QStringLiteral("SRT"), QStringLiteral("WEBSOCKET")};
const QStringList kStreamStatusNames{QStringLiteral("ACTIVE"), QStringLiteral("FINISHED"),
                                     QStringLiteral("FAILED")};
const QStringList kAudioCodecNames{QStringLiteral("DEFAULT_AC"), QStringLiteral("OPUS"),
                                   QStringLiteral("AAC"), QStringLiteral("AC_MP3")};
const QStringList kVideoCodecNames{QStringLiteral("DEFAULT_VC"), QStringLiteral("H264_BASELINE"),
                                   QStringLiteral("H264_MAIN"), QStringLiteral("H264_HIGH"),
                                   QStringLiteral("VP8")};
constexpr int kSourceTypeSdk = 1;
constexpr int kProtocolRtmp = 1;
// Rooms as LiveKit creates them by default.
constexpr int kEmptyTimeout_s = 300;
constexpr int kDepartureTimeout_s = 20;

ProtoMessage timedVersion(qint64 at_ms)
{
    return ProtoMessage().int64("unix_micro", at_ms * 1000).int32("ticks", 0);
}

ProtoMessage codec(const QString &mime)
{
    return ProtoMessage().string("mime", mime).string("fmtp_line", {});
}

ProtoMessage permission()
{
    return ProtoMessage()
        .boolean("can_subscribe", true)
        .boolean("can_publish", true)
        .boolean("can_publish_data", true)
        .strings("can_publish_sources", {})
        .boolean("hidden", false)
        .boolean("recorder", false)
        .boolean("can_update_metadata", false)
        .boolean("agent", false)
        .boolean("can_subscribe_metrics", false)
        .boolean("can_manage_agent_session", false);
}

ProtoMessage encodingOptions(const QJsonObject &advanced)
{
    const auto number = [&](const char *name) {
        return int64Of(requestField(advanced, name));
    };
    return ProtoMessage()
        .int32("width", number("width"))
        .int32("height", number("height"))
        .int32("depth", number("depth"))
        .int32("framerate", number("framerate"))
        .enumeration("audio_codec",
                     qMax(0, enumNumber(requestField(advanced, "audioCodec"), kAudioCodecNames)),
                     kAudioCodecNames)
        .int32("audio_bitrate", number("audioBitrate"))
        .int32("audio_frequency", number("audioFrequency"))
        .enumeration("video_codec",
                     qMax(0, enumNumber(requestField(advanced, "videoCodec"), kVideoCodecNames)),
                     kVideoCodecNames)
        .int32("video_bitrate", number("videoBitrate"))
        .real("key_frame_interval", requestField(advanced, "keyFrameInterval").toDouble())
        .int32("audio_quality", number("audioQuality"))
        .int32("video_quality", number("videoQuality"));
}

ProtoMessage streamOutput(const QStringList &urls)
{
    QStringList redacted;
    for (const QString &url : urls)
        redacted << redactStreamKey(url);
    return ProtoMessage()
        .enumeration("protocol", kProtocolRtmp, kStreamProtocolNames)
        .strings("urls", redacted);
}

ProtoMessage roomCompositeRequest(const FakeEgress &egress)
{
    ProtoMessage request;
    request.string("room_name", egress.roomName)
        .string("layout", {})
        .boolean("audio_only", true)
        .enumeration("audio_mixing", 0, kAudioMixingNames)
        .boolean("video_only", false)
        .string("custom_base_url", {});
    if (egress.legacyStreamField)
        request.oneofMessage("stream", streamOutput(egress.urls));
    if (!egress.advanced.isEmpty())
        request.oneofMessage("advanced", encodingOptions(egress.advanced));
    return request.messages("file_outputs", {})
        .messages("stream_outputs", {streamOutput(egress.urls)})
        .messages("segment_outputs", {})
        .messages("image_outputs", {})
        .messages("webhooks", {});
}

ProtoMessage trackRequest(const FakeEgress &egress)
{
    return ProtoMessage()
        .string("room_name", egress.roomName)
        .string("track_id", egress.trackSid)
        .oneofString("websocket_url", egress.websocketUrl)
        .messages("webhooks", {});
}

QList<ProtoMessage> streamResults(const FakeEgress &egress)
{
    using livekit::EgressStatus;
    int status = 0; // ACTIVE
    if (egress.status == EgressStatus::Complete)
        status = 1; // FINISHED
    else if (egress.status == EgressStatus::Failed || egress.status == EgressStatus::Aborted)
        status = 2; // FAILED
    const qint64 duration_ns =
        egress.startedAt_ns && egress.endedAt_ns ? egress.endedAt_ns - egress.startedAt_ns : 0;
    QList<ProtoMessage> results;
    for (const QString &url : egress.urls) {
        results << ProtoMessage()
                       .string("url", redactStreamKey(url))
                       .int64("started_at", egress.startedAt_ns)
                       .int64("ended_at", egress.endedAt_ns)
                       .int64("duration", duration_ns)
                       .enumeration("status", status, kStreamStatusNames)
                       .string("error", status == 2 ? egress.error : QString())
                       .int64("last_retry_at", egress.lastRetryAt_ns)
                       .int32("retries", egress.streamRetries);
    }
    return results;
}

} // namespace

qint64 int64Of(const QJsonValue &value)
{
    return value.isString() ? value.toString().toLongLong() : value.toInteger();
}

QString newLiveKitId(const char *prefix)
{
    static const QByteArray alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    QString id = QLatin1String(prefix);
    for (int i = 0; i < 12; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(alphabet.size()))]);
    return id;
}

QJsonValue requestField(const QJsonObject &request, const char *camelName)
{
    const QString camel = QLatin1String(camelName);
    if (request.contains(camel))
        return request.value(camel);
    QString snake;
    for (const QChar c : camel)
        snake += c.isUpper() ? QLatin1Char('_') + c.toLower() : QString(c);
    return request.value(snake);
}

int enumNumber(const QJsonValue &value, const QStringList &names)
{
    if (value.isUndefined() || value.isNull())
        return 0;
    if (value.isString())
        return int(names.indexOf(value.toString()));
    const qint64 number = value.toInteger(-1);
    return number >= 0 && number < names.size() ? int(number) : -1;
}

QString redactStreamKey(const QString &url)
{
    // rtmp urls must be of format rtmp(s)://{host}(/{path})/{app}/{stream_key}( live=1)
    static const QRegularExpression rtmp(QStringLiteral("^(rtmps?://)(.*/)(.*/)(\\S*)( live=1)?$"));
    const QRegularExpressionMatch match = rtmp.match(url);
    if (!match.hasMatch())
        return url;
    const QString key = match.captured(4);
    QString prefix;
    QString suffix;
    for (int i = 3; i > 0; --i) {
        if (key.size() >= i * 3) {
            prefix = key.left(i);
            suffix = key.right(i);
            break;
        }
    }
    return match.captured(1) + match.captured(2) + match.captured(3) +
           QStringLiteral("{%1...%2}").arg(prefix, suffix) + match.captured(5);
}

ProtoMessage roomMessage(const FakeRoom &room, bool activeRecording)
{
    int publishers = 0;
    for (const FakeParticipant &participant : room.participants)
        publishers += participant.tracks.isEmpty() ? 0 : 1;
    return ProtoMessage()
        .string("sid", room.sid)
        .string("name", room.name)
        .int32("empty_timeout", kEmptyTimeout_s)
        .int32("departure_timeout", kDepartureTimeout_s)
        .int32("max_participants", 0)
        .int64("creation_time", room.createdAt_ms / 1000)
        .int64("creation_time_ms", room.createdAt_ms)
        .string("turn_password", {})
        .messages("enabled_codecs",
                  {codec(QStringLiteral("audio/opus")), codec(QStringLiteral("audio/red")),
                   codec(QStringLiteral("video/VP8")), codec(QStringLiteral("video/H264"))})
        .string("metadata", {})
        .int32("num_participants", room.participants.size())
        .int32("num_publishers", publishers)
        .boolean("active_recording", activeRecording)
        .message("version", timedVersion(room.createdAt_ms));
}

ProtoMessage trackMessage(const FakeTrack &track)
{
    const bool audio = track.type == livekit::TrackType::Audio;
    return ProtoMessage()
        .string("sid", track.sid)
        .enumeration("type", protoNumber(track.type), kTrackTypeNames)
        .string("name", track.name)
        .boolean("muted", track.muted)
        .int32("width", audio ? 0 : 1280)
        .int32("height", audio ? 0 : 720)
        .boolean("simulcast", false)
        .boolean("disable_dtx", false)
        .enumeration("source", protoNumber(track.source), kTrackSourceNames)
        .messages("layers", {})
        .string("mime_type", audio ? QStringLiteral("audio/opus") : QStringLiteral("video/VP8"))
        .string("mid", {})
        .messages("codecs", {})
        .boolean("stereo", false)
        .boolean("disable_red", false)
        .enumeration("encryption", 0, kEncryptionNames)
        .string("stream", {})
        .message("version", timedVersion(track.publishedAt_ms))
        .strings("audio_features", {})
        .enumeration("backup_codec_policy", 0, kBackupCodecPolicyNames)
        .strings("packet_trailer_features", {});
}

ProtoMessage participantMessage(const FakeParticipant &participant, livekit::ParticipantState state)
{
    QList<ProtoMessage> tracks;
    for (const FakeTrack &track : participant.tracks)
        tracks << trackMessage(track);
    return ProtoMessage()
        .string("sid", participant.sid)
        .string("identity", participant.identity)
        .enumeration("state", protoNumber(state), kParticipantStateNames)
        .messages("tracks", tracks)
        .string("metadata", {})
        .int64("joined_at", participant.joinedAt_ms / 1000)
        .int64("joined_at_ms", participant.joinedAt_ms)
        .string("name", participant.name)
        .int32("version", 1)
        .message("permission", permission())
        .string("region", {})
        .boolean("is_publisher", !participant.tracks.isEmpty())
        .enumeration("kind", 0, kParticipantKindNames)
        .stringMap("attributes", {})
        .enumeration("disconnect_reason", 0, kDisconnectReasonNames)
        .strings("kind_details", {})
        .messages("data_tracks", {})
        .int32("client_protocol", 0)
        .strings("capabilities", {});
}

ProtoMessage egressMessage(const FakeEgress &egress)
{
    const bool composite = egress.kind == livekit::EgressKind::RoomComposite;
    ProtoMessage message;
    message.string("egress_id", egress.egressId)
        .string("room_id", egress.roomSid)
        .string("room_name", egress.roomName)
        .enumeration("source_type", kSourceTypeSdk, kEgressSourceTypeNames)
        .enumeration("status", protoNumber(egress.status), livekit::egressStatusName(egress.status))
        .int64("started_at", egress.startedAt_ns)
        .int64("ended_at", egress.endedAt_ns)
        .int64("updated_at", egress.updatedAt_ns);
    if (composite)
        message.oneofMessage("room_composite", roomCompositeRequest(egress));
    else
        message.oneofMessage("track", trackRequest(egress));
    message.messages("stream_results", streamResults(egress))
        .messages("file_results", {})
        .messages("segment_results", {})
        .messages("image_results", {})
        .string("error", egress.error)
        .int32("error_code", 0)
        .string("details", {})
        .string("manifest_location", {})
        .boolean("backup_storage_used", false)
        .int32("retry_count", 0);
    if (composite && egress.legacyStreamField)
        message.oneofMessage("stream", ProtoMessage().messages("info", streamResults(egress)));
    return message;
}

} // namespace roomscribe::test

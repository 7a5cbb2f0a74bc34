// FakeLiveKit's Twirp JSON API: livekit.RoomService and livekit.Egress.

#include "compositeegress.h"
#include "fakelivekit.h"
#include "fakemessages.h"
#include "speechsample.h"
#include "trackegress.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

namespace roomscribe::test {

namespace {

using livekit::EgressKind;
using livekit::EgressStatus;

constexpr int kDefaultAudioFrequency_Hz = 44100;
constexpr int kDefaultAudioBitrate_kbps = 128;

const QStringList kRoomServiceMethods{QStringLiteral("ListRooms"),
                                      QStringLiteral("ListParticipants"),
                                      QStringLiteral("GetParticipant")};
const QStringList kEgressMethods{QStringLiteral("StartRoomCompositeEgress"),
                                 QStringLiteral("StartTrackEgress"), QStringLiteral("StopEgress"),
                                 QStringLiteral("ListEgress")};
const QStringList kStreamProtocols{QStringLiteral("DEFAULT_PROTOCOL"), QStringLiteral("RTMP")};

bool hasEntries(const QJsonValue &value)
{
    return (value.isArray() && !value.toArray().isEmpty()) || value.isObject();
}

QJsonObject twirpBody(const ProtoMessage &message)
{
    return message.toJson(ProtoStyle::TwirpResponse);
}

} // namespace

void FakeLiveKit::handleTwirp(QTcpSocket *socket, const http::Request &request,
                              const QString &service, const QString &method)
{
    const auto fail = [socket](const TwirpError &error) {
        http::respondJson(socket, error.status,
                          QJsonObject{{QStringLiteral("code"), error.code},
                                      {QStringLiteral("msg"), error.message}});
    };
    const bool roomService = service == QLatin1String("RoomService");
    const bool egressService = service == QLatin1String("Egress");
    if ((!roomService || !kRoomServiceMethods.contains(method)) &&
        (!egressService || !kEgressMethods.contains(method))) {
        fail({404, QStringLiteral("bad_route"),
              QStringLiteral("no handler for path \"%1\"").arg(request.url.path())});
        return;
    }
    if (request.method != "POST") {
        fail({404, QStringLiteral("bad_route"),
              QStringLiteral("unsupported method \"%1\" (only POST is allowed)")
                  .arg(QString::fromLatin1(request.method))});
        return;
    }
    const QByteArray contentType = request.header("content-type");
    if (contentType.split(';').first().trimmed().toLower() != "application/json") {
        fail({404, QStringLiteral("bad_route"),
              QStringLiteral("unexpected Content-Type: \"%1\"")
                  .arg(QString::fromLatin1(contentType))});
        return;
    }
    livekit::VideoGrant grant;
    if (const TwirpResult error = authenticate(request.header("authorization"), &grant)) {
        fail(*error);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject()) {
        fail({400, QStringLiteral("malformed"),
              QStringLiteral("the json request could not be decoded")});
        return;
    }
    const QJsonObject body = document.object();
    const TwirpError denied{403, QStringLiteral("permission_denied"),
                            QStringLiteral("permissions denied")};
    QJsonObject answer;
    TwirpResult error;
    if (method == QLatin1String("ListRooms")) {
        if (grant.roomList.value_or(false))
            answer = listRooms(body);
        else
            error = denied;
    } else if (method == QLatin1String("ListParticipants")) {
        error = listParticipants(body, grant, &answer);
    } else if (method == QLatin1String("GetParticipant")) {
        error = getParticipant(body, grant, &answer);
    } else if (!grant.roomRecord.value_or(false)) {
        error = denied; // every Egress method needs roomRecord
    } else if (method == QLatin1String("StartRoomCompositeEgress")) {
        error = startRoomComposite(body, &answer);
    } else if (method == QLatin1String("StartTrackEgress")) {
        error = startTrack(body, &answer);
    } else if (method == QLatin1String("StopEgress")) {
        error = stopEgress(body, &answer);
    } else {
        answer = listEgress(body);
    }
    if (error) {
        qCInfo(lcFakeLiveKit) << service << method << "->" << error->status << error->code
                              << error->message;
        fail(*error);
        return;
    }
    http::respondJson(socket, 200, answer);
}

FakeLiveKit::TwirpResult FakeLiveKit::authenticate(const QByteArray &authorization,
                                                   livekit::VideoGrant *grant) const
{
    static const QByteArray bearer = "Bearer ";
    if (authorization.isEmpty())
        return TwirpError{401, QStringLiteral("unauthenticated"),
                          QStringLiteral("no authorization header")};
    if (!authorization.startsWith(bearer))
        return TwirpError{401, QStringLiteral("unauthenticated"),
                          QStringLiteral("invalid authorization header: Bearer expected")};
    const livekit::TokenVerification verification = livekit::verifyToken(
        authorization.mid(bearer.size()),
        [this](const QString &key) -> std::optional<QByteArray> {
            if (key != m_apiKey)
                return std::nullopt;
            return m_apiSecret;
        },
        QDateTime::currentSecsSinceEpoch());
    if (!verification.ok())
        return TwirpError{401, QStringLiteral("unauthenticated"),
                          QStringLiteral("invalid token: %1").arg(verification.reason)};
    *grant = verification.claims.video;
    return std::nullopt;
}

QJsonObject FakeLiveKit::listRooms(const QJsonObject &request) const
{
    QStringList names;
    for (const QJsonValue name : requestField(request, "names").toArray())
        names << name.toString();
    QJsonArray rooms;
    for (const FakeRoom &room : m_rooms) {
        if (!names.isEmpty() && !names.contains(room.name))
            continue;
        const bool recording =
            std::any_of(m_egresses.cbegin(), m_egresses.cend(), [&](const FakeEgress &egress) {
                return egress.roomName == room.name && livekit::isActive(egress.status);
            });
        rooms.append(twirpBody(roomMessage(room, recording)));
    }
    return QJsonObject{{QStringLiteral("rooms"), rooms}};
}

FakeLiveKit::TwirpResult FakeLiveKit::adminRoom(const QString &roomName,
                                                const livekit::VideoGrant &grant,
                                                const FakeRoom **room) const
{
    if (!grant.roomAdmin.value_or(false) || grant.room != roomName)
        return TwirpError{403, QStringLiteral("permission_denied"),
                          QStringLiteral("permissions denied")};
    *room = findRoom(roomName);
    if (!*room)
        return TwirpError{404, QStringLiteral("not_found"),
                          QStringLiteral("requested room does not exist")};
    return std::nullopt;
}

FakeLiveKit::TwirpResult FakeLiveKit::listParticipants(const QJsonObject &request,
                                                       const livekit::VideoGrant &grant,
                                                       QJsonObject *answer) const
{
    const QString roomName = requestField(request, "room").toString();
    const FakeRoom *room = nullptr;
    if (TwirpResult refused = adminRoom(roomName, grant, &room))
        return refused;
    QJsonArray participants;
    for (const FakeParticipant &participant : room->participants)
        participants.append(twirpBody(participantMessage(participant)));
    *answer = QJsonObject{{QStringLiteral("participants"), participants}};
    return std::nullopt;
}

FakeLiveKit::TwirpResult FakeLiveKit::getParticipant(const QJsonObject &request,
                                                     const livekit::VideoGrant &grant,
                                                     QJsonObject *answer) const
{
    const QString roomName = requestField(request, "room").toString();
    const QString identity = requestField(request, "identity").toString();
    const FakeRoom *room = nullptr;
    if (TwirpResult refused = adminRoom(roomName, grant, &room))
        return refused;
    for (const FakeParticipant &participant : room->participants) {
        if (participant.identity == identity) {
            *answer = twirpBody(participantMessage(participant));
            return std::nullopt;
        }
    }
    return TwirpError{404, QStringLiteral("not_found"),
                      QStringLiteral("participant does not exist")};
}

FakeLiveKit::TwirpResult FakeLiveKit::checkEgressLimit()
{
    if (activeEgressCount() < m_egressLimit)
        return std::nullopt;
    ++m_refusedStarts;
    return TwirpError{429, QStringLiteral("resource_exhausted"),
                      QStringLiteral("concurrent egress sessions limit exceeded")};
}

FakeLiveKit::TwirpResult FakeLiveKit::startRoomComposite(const QJsonObject &request,
                                                         QJsonObject *answer)
{
    const auto invalid = [](const QString &message) {
        return TwirpError{400, QStringLiteral("invalid_argument"), message};
    };
    const QString roomName = requestField(request, "roomName").toString();
    if (roomName.isEmpty())
        return invalid(QStringLiteral("room_name is required"));
    const FakeRoom *room = findRoom(roomName);
    if (!room)
        return TwirpError{404, QStringLiteral("not_found"),
                          QStringLiteral("requested room does not exist")};
    if (!requestField(request, "audioOnly").toBool() || requestField(request, "videoOnly").toBool())
        return invalid(QStringLiteral("the fake LiveKit egresses audio only: set audio_only"));
    for (const char *output :
         {"file", "segments", "fileOutputs", "segmentOutputs", "imageOutputs"}) {
        if (hasEntries(requestField(request, output)))
            return invalid(QStringLiteral("the fake LiveKit supports stream outputs only"));
    }

    FakeEgress egress;
    QList<QJsonObject> outputs;
    for (const QJsonValue output : requestField(request, "streamOutputs").toArray())
        outputs << output.toObject();
    if (requestField(request, "stream").isObject()) {
        outputs << requestField(request, "stream").toObject();
        egress.legacyStreamField = true;
    }
    for (const QJsonObject &output : outputs) {
        if (enumNumber(requestField(output, "protocol"), kStreamProtocols) < 0)
            return invalid(QStringLiteral("the fake LiveKit streams over RTMP only"));
        for (const QJsonValue value : requestField(output, "urls").toArray()) {
            const QString url = value.toString();
            const QUrl parsed(url);
            if ((parsed.scheme() != QLatin1String("rtmp") &&
                 parsed.scheme() != QLatin1String("rtmps")) ||
                parsed.host().isEmpty())
                return invalid(QStringLiteral("invalid stream URL %1").arg(redactStreamKey(url)));
            if (!egress.urls.contains(url))
                egress.urls << url; // the SDK repeats the legacy field's URLs
        }
    }
    if (egress.urls.isEmpty())
        return invalid(QStringLiteral("no stream output URL"));

    egress.advanced = requestField(request, "advanced").toObject();
    const qint64 frequency = int64Of(requestField(egress.advanced, "audioFrequency"));
    const qint64 bitrate = int64Of(requestField(egress.advanced, "audioBitrate"));
    if (frequency < 0 || frequency > 96000 || (frequency > 0 && frequency < 8000) || bitrate < 0 ||
        bitrate > 512)
        return invalid(QStringLiteral("unsupported audio_frequency or audio_bitrate"));
    if (const TwirpResult refused = checkEgressLimit())
        return refused;

    egress.egressId = newLiveKitId("EG_");
    egress.kind = EgressKind::RoomComposite;
    egress.roomName = room->name;
    egress.roomSid = room->sid;
    egress.status = EgressStatus::Starting;
    egress.audioFrequency_Hz = frequency > 0 ? int(frequency) : kDefaultAudioFrequency_Hz;
    egress.audioBitrate_kbps = bitrate > 0 ? int(bitrate) : kDefaultAudioBitrate_kbps;
    egress.createdAt_ns = QDateTime::currentMSecsSinceEpoch() * 1000000;

    CompositeConfig config;
    config.urls = egress.urls;
    config.audioFrequency_Hz = egress.audioFrequency_Hz;
    config.audioBitrate_kbps = egress.audioBitrate_kbps;
    // What the room hears: every unmuted microphone of a participant with a sample.
    for (const FakeParticipant &participant : room->participants) {
        const bool audible = std::any_of(
            participant.tracks.cbegin(), participant.tracks.cend(), [](const FakeTrack &track) {
                return track.type == livekit::TrackType::Audio && !track.muted;
            });
        if (audible && QFileInfo::exists(participant.samplePath))
            config.samplePaths << participant.samplePath;
    }
    beginEgress(egress, new CompositeEgress(config));
    *answer = twirpBody(egressMessage(*findEgress(egress.egressId)));
    return std::nullopt;
}

FakeLiveKit::TwirpResult FakeLiveKit::startTrack(const QJsonObject &request, QJsonObject *answer)
{
    const auto invalid = [](const QString &message) {
        return TwirpError{400, QStringLiteral("invalid_argument"), message};
    };
    const QString roomName = requestField(request, "roomName").toString();
    const QString trackSid = requestField(request, "trackId").toString();
    if (roomName.isEmpty() || trackSid.isEmpty())
        return invalid(QStringLiteral("room_name and track_id are required"));
    if (requestField(request, "file").isObject())
        return invalid(QStringLiteral("the fake LiveKit supports websocket_url outputs only"));
    const QString websocketUrl = requestField(request, "websocketUrl").toString();
    const QUrl url(websocketUrl);
    if ((url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")) ||
        url.host().isEmpty())
        return invalid(QStringLiteral("websocket_url must be a ws:// or wss:// URL"));
    const FakeRoom *room = findRoom(roomName);
    if (!room)
        return TwirpError{404, QStringLiteral("not_found"),
                          QStringLiteral("requested room does not exist")};
    const FakeParticipant *owner = nullptr;
    const FakeTrack *track = nullptr;
    for (const FakeParticipant &participant : room->participants) {
        for (const FakeTrack &candidate : participant.tracks) {
            if (candidate.sid == trackSid) {
                owner = &participant;
                track = &candidate;
            }
        }
    }
    if (!track)
        return TwirpError{404, QStringLiteral("not_found"), QStringLiteral("track not found")};
    if (track->type != livekit::TrackType::Audio)
        return invalid(QStringLiteral("websocket egress supports audio tracks only"));
    if (const TwirpResult refused = checkEgressLimit())
        return refused;

    FakeEgress egress;
    egress.egressId = newLiveKitId("EG_");
    egress.kind = EgressKind::Track;
    egress.roomName = room->name;
    egress.roomSid = room->sid;
    egress.status = EgressStatus::Starting;
    egress.trackSid = trackSid;
    egress.participantIdentity = owner->identity;
    egress.websocketUrl = websocketUrl;
    egress.createdAt_ns = QDateTime::currentMSecsSinceEpoch() * 1000000;
    auto *media = new TrackEgress(url, sampleFor(owner->samplePath), track->muted);
    beginEgress(egress, media);
    *answer = twirpBody(egressMessage(*findEgress(egress.egressId)));
    return std::nullopt;
}

FakeLiveKit::TwirpResult FakeLiveKit::stopEgress(const QJsonObject &request, QJsonObject *answer)
{
    FakeEgress *egress = findEgress(requestField(request, "egressId").toString());
    if (!egress)
        return TwirpError{404, QStringLiteral("not_found"), QStringLiteral("egress not found")};
    if (egress->status != EgressStatus::Starting && egress->status != EgressStatus::Active)
        return TwirpError{412, QStringLiteral("failed_precondition"),
                          QStringLiteral("egress with status %1 cannot be stopped")
                              .arg(livekit::egressStatusName(egress->status))};
    const QString id = egress->egressId;
    requestStop(egress);
    *answer = twirpBody(egressMessage(*findEgress(id)));
    return std::nullopt;
}

QJsonObject FakeLiveKit::listEgress(const QJsonObject &request) const
{
    const QString roomName = requestField(request, "roomName").toString();
    const QString egressId = requestField(request, "egressId").toString();
    const bool activeOnly = requestField(request, "active").toBool();
    QJsonArray items;
    for (const FakeEgress &egress : m_egresses) {
        if (!roomName.isEmpty() && egress.roomName != roomName)
            continue;
        if (!egressId.isEmpty() && egress.egressId != egressId)
            continue;
        if (activeOnly && !livekit::isActive(egress.status))
            continue;
        items.append(twirpBody(egressMessage(egress)));
    }
    return QJsonObject{{QStringLiteral("items"), items},
                       {QStringLiteral("next_page_token"), QJsonValue::Null}};
}

} // namespace roomscribe::test

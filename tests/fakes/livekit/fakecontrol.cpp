// FakeLiveKit's control API under /_fake/ (README.md, "Control API"): the
// scripting methods for tests that run the fake as a separate process.

#include "fakelivekit.h"
#include "fakemessages.h"

#include <QJsonDocument>

namespace roomscribe::test {

namespace {

QJsonObject errorBody(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

} // namespace

FakeLiveKit::ControlAnswer FakeLiveKit::handleControl(const QByteArray &method, const QString &path,
                                                      const QByteArray &body)
{
    const QString action = path.mid(int(qstrlen("/_fake/")));
    if (method == "GET") {
        if (action == QLatin1String("state"))
            return {200, stateJson()};
        if (action == QLatin1String("egresses"))
            return {200, egressesJson()};
        if (action == QLatin1String("webhooks"))
            return {200, webhooksJson()};
        if (action == QLatin1String("rtc/frames"))
            return {200, rtcFramesJson()};
        if (action == QLatin1String("rtc/sessions"))
            return {200, rtcSessionsJson()};
        return {404, errorBody(QStringLiteral("no GET %1").arg(path))};
    }
    if (method != "POST")
        return {405, errorBody(QStringLiteral("GET or POST"))};

    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(body.isEmpty() ? QByteArray("{}") : body, &parseError);
    if (!document.isObject())
        return {400, errorBody(QStringLiteral("the body must be a JSON object"))};
    const QJsonObject request = document.object();
    const QString roomName = request.value(QLatin1String("room")).toString();
    const QString identity = request.value(QLatin1String("identity")).toString();
    // The participant's microphone unless a track is named.
    const QString trackSid = request.contains(QLatin1String("track_sid"))
                                 ? request.value(QLatin1String("track_sid")).toString()
                                 : microphoneTrackSid(roomName, identity);
    QString error;

    if (action == QLatin1String("config")) {
        if (request.contains(QLatin1String("egress_limit")))
            setEgressLimit(request.value(QLatin1String("egress_limit")).toInt(m_egressLimit));
        if (request.contains(QLatin1String("webhook_url")))
            setWebhookUrl(QUrl(request.value(QLatin1String("webhook_url")).toString()));
        return {200, QJsonObject{{QStringLiteral("egress_limit"), m_egressLimit},
                                 {QStringLiteral("webhook_url"), webhookUrl().toString()}}};
    }
    if (action == QLatin1String("create_room")) {
        const QString sid = createRoom(request.value(QLatin1String("name")).toString(), &error);
        if (sid.isEmpty())
            return {400, errorBody(error)};
        return {200, QJsonObject{{QStringLiteral("sid"), sid}}};
    }
    if (action == QLatin1String("delete_room")) {
        if (!deleteRoom(request.value(QLatin1String("name")).toString(), &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    if (action == QLatin1String("join")) {
        ParticipantSpec spec;
        spec.identity = identity;
        spec.name = request.value(QLatin1String("name")).toString();
        spec.samplePath = request.value(QLatin1String("sample")).toString();
        spec.microphone = request.value(QLatin1String("microphone")).toBool(true);
        spec.muted = request.value(QLatin1String("muted")).toBool(false);
        spec.speaking = speakingEvents(request.value(QLatin1String("speaking")));
        if (roomName.isEmpty() || identity.isEmpty())
            return {400, errorBody(QStringLiteral("room and identity are required"))};
        const std::optional<FakeRoom> existing = room(roomName);
        if (existing && std::any_of(existing->participants.cbegin(), existing->participants.cend(),
                                    [&](const FakeParticipant &participant) {
                                        return participant.identity == identity;
                                    }))
            return {409,
                    errorBody(QStringLiteral("%1 is in room %2 already").arg(identity, roomName))};
        const QString sid = joinParticipant(roomName, spec, &error);
        if (sid.isEmpty())
            return {400, errorBody(error)};
        return {200,
                QJsonObject{{QStringLiteral("sid"), sid},
                            {QStringLiteral("track_sid"), microphoneTrackSid(roomName, identity)}}};
    }
    if (action == QLatin1String("leave")) {
        if (!leaveParticipant(roomName, identity, &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    if (action == QLatin1String("publish")) {
        const int source = enumNumber(request.value(QLatin1String("source")), kTrackSourceNames);
        if (source < 0)
            return {400, errorBody(QStringLiteral("unknown track source"))};
        const QString sid = publishTrack(
            roomName, identity,
            request.contains(QLatin1String("source")) ? livekit::TrackSource(source + 1)
                                                      : livekit::TrackSource::Microphone,
            request.value(QLatin1String("muted")).toBool(false), &error);
        if (sid.isEmpty())
            return {404, errorBody(error)};
        return {200, QJsonObject{{QStringLiteral("sid"), sid}}};
    }
    if (action == QLatin1String("unpublish")) {
        if (!unpublishTrack(roomName, identity, trackSid, &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    if (action == QLatin1String("mute")) {
        if (!setTrackMuted(roomName, identity, trackSid,
                           request.value(QLatin1String("muted")).toBool(true), &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    if (action == QLatin1String("fail_egress")) {
        if (!failEgress(request.value(QLatin1String("egress_id")).toString(),
                        request.value(QLatin1String("error")).toString(), &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    if (action == QLatin1String("rtc/config")) {
        if (request.contains(QLatin1String("refuse_resumes")))
            setRefuseResumes(request.value(QLatin1String("refuse_resumes")).toBool());
        if (request.contains(QLatin1String("ping_interval")))
            setPingInterval(request.value(QLatin1String("ping_interval")).toInt(m_pingInterval_s));
        if (request.contains(QLatin1String("ping_timeout")))
            setPingTimeout(request.value(QLatin1String("ping_timeout")).toInt(m_pingTimeout_s));
        if (request.contains(QLatin1String("resume_window_ms")))
            setResumeWindow(
                request.value(QLatin1String("resume_window_ms")).toInt(m_resumeWindow_ms));
        return {200, rtcSessionsJson()};
    }
    if (action == QLatin1String("rtc/drop_signalling"))
        return {200, QJsonObject{{QStringLiteral("dropped"), dropSignalling(identity)}}};
    if (action == QLatin1String("rtc/speaking")) {
        if (!setSpeaking(roomName, identity, request.value(QLatin1String("active")).toBool(true),
                         float(request.value(QLatin1String("level")).toDouble(0)), &error))
            return {404, errorBody(error)};
        return {200, {}};
    }
    return {404, errorBody(QStringLiteral("no POST %1").arg(path))};
}

} // namespace roomscribe::test

#include "livekit/webhookverifier.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace roomscribe::livekit {

namespace {

struct EventName
{
    const char *name;
    WebhookEventType type;
};

const EventName kEventNames[] = {
    {"room_started", WebhookEventType::RoomStarted},
    {"room_finished", WebhookEventType::RoomFinished},
    {"participant_joined", WebhookEventType::ParticipantJoined},
    {"participant_left", WebhookEventType::ParticipantLeft},
    {"participant_connection_aborted", WebhookEventType::ParticipantConnectionAborted},
    {"track_published", WebhookEventType::TrackPublished},
    {"track_unpublished", WebhookEventType::TrackUnpublished},
    {"egress_started", WebhookEventType::EgressStarted},
    {"egress_updated", WebhookEventType::EgressUpdated},
    {"egress_ended", WebhookEventType::EgressEnded},
};

WebhookEventType typeOf(const QString &name)
{
    for (const EventName &known : kEventNames) {
        if (name == QLatin1String(known.name))
            return known.type;
    }
    return WebhookEventType::Other;
}

WebhookVerification rejection(WebhookStatus status, const QString &reason,
                              TokenStatus tokenStatus = TokenStatus::Invalid)
{
    WebhookVerification result;
    result.status = status;
    result.reason = reason;
    result.tokenStatus = tokenStatus;
    return result;
}

} // namespace

std::optional<WebhookEvent> parseWebhookEvent(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();

    WebhookEvent event;
    event.eventName = json::field(object, "event").toString();
    if (event.eventName.isEmpty())
        return std::nullopt;
    event.type = typeOf(event.eventName);
    event.id = json::field(object, "id").toString();
    event.createdAt = json::int64Of(json::field(object, "createdAt"));
    if (const QJsonValue room = json::field(object, "room"); room.isObject())
        event.room = parseRoom(room.toObject());
    if (const QJsonValue participant = json::field(object, "participant"); participant.isObject())
        event.participant = parseParticipant(participant.toObject());
    if (const QJsonValue track = json::field(object, "track"); track.isObject())
        event.track = parseTrackInfo(track.toObject());
    if (const QJsonValue egress = json::field(object, "egressInfo"); egress.isObject()) {
        event.egressInfo = parseEgressInfo(egress.toObject());
        if (!event.egressInfo)
            return std::nullopt;
    }
    return event;
}

WebhookVerification verifyWebhook(const QByteArray &body, const QByteArray &authorization,
                                  const SecretLookup &secretFor, qint64 now_s)
{
    if (authorization.isEmpty())
        return rejection(WebhookStatus::MissingAuthorization,
                         QStringLiteral("no Authorization header"));

    const TokenVerification token = verifyToken(authorization, secretFor, now_s);
    if (!token.ok())
        return rejection(WebhookStatus::BadToken, token.reason, token.status);

    const QByteArray digest = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toBase64();
    if (token.claims.sha256.isEmpty() || token.claims.sha256.toLatin1() != digest)
        return rejection(WebhookStatus::DigestMismatch,
                         QStringLiteral("body digest does not match"), token.status);

    std::optional<WebhookEvent> event = parseWebhookEvent(body);
    if (!event)
        return rejection(WebhookStatus::MalformedBody, QStringLiteral("not a WebhookEvent"),
                         token.status);
    WebhookVerification result;
    result.status = WebhookStatus::Accepted;
    result.tokenStatus = token.status;
    result.event = std::move(*event);
    return result;
}

} // namespace roomscribe::livekit

#pragma once

#include "livekit/accesstoken.h"
#include "livekit/models.h"

#include <QByteArray>
#include <QString>

#include <optional>

// LiveKit webhooks: the signed request check and the WebhookEvent body
// (shared/PROTOCOLS.md, "Webhooks"). Transport-free: the HTTP endpoint hands
// in the raw body and the Authorization header.
namespace roomscribe::livekit {

enum class WebhookEventType {
    Invalid,
    RoomStarted,
    RoomFinished,
    ParticipantJoined,
    ParticipantLeft,
    ParticipantConnectionAborted,
    TrackPublished,
    TrackUnpublished,
    EgressStarted,
    EgressUpdated,
    EgressEnded,
    Other, // an event this client does not know; `eventName` has it
};

struct WebhookEvent
{
    WebhookEventType type = WebhookEventType::Invalid;
    QString eventName;
    QString id;           // "EV_…"
    qint64 createdAt = 0; // unix seconds
    std::optional<Room> room;
    std::optional<Participant> participant;
    std::optional<TrackInfo> track;
    std::optional<EgressInfo> egressInfo;
};

// Empty when the body is not a WebhookEvent object with an event name.
std::optional<WebhookEvent> parseWebhookEvent(const QByteArray &body);

enum class WebhookStatus {
    Invalid,
    Accepted,
    MissingAuthorization,
    BadToken,       // see `tokenStatus`; a "Bearer " prefix lands here too
    DigestMismatch, // the body is not the one the token was signed for
    MalformedBody,
};

struct WebhookVerification
{
    WebhookStatus status = WebhookStatus::Invalid;
    TokenStatus tokenStatus = TokenStatus::Invalid;
    QString reason; // for logs; never contains the token or a secret
    WebhookEvent event;

    bool ok() const { return status == WebhookStatus::Accepted; }
};

// `authorization` is the header value: the bare JWT, as LiveKit sends it
// (its own receivers reject a "Bearer " prefix, and so does this one).
WebhookVerification verifyWebhook(const QByteArray &body, const QByteArray &authorization,
                                  const SecretLookup &secretFor, qint64 now_s);

} // namespace roomscribe::livekit

Q_DECLARE_METATYPE(roomscribe::livekit::WebhookEvent)

#include "fuzzcheck.h"
#include "livekitfuzzinput.h"

#include "livekit/webhookverifier.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace roomscribe::livekit;

using roomscribe::fuzz::check;

namespace {

template <typename Enum> void checkEnum(Enum value, Enum last, const char *what)
{
    check(int(value) >= 0 && int(value) <= int(last), what);
}

// Every model parser on one object: whatever it holds, they must return
// sensible values.
void parseAsModels(const QJsonObject &object)
{
    parseRoom(object);

    const TrackInfo track = parseTrackInfo(object);
    checkEnum(track.type, TrackType::Data, "track type in range");
    checkEnum(track.source, TrackSource::ScreenShareAudio, "track source in range");

    const Participant participant = parseParticipant(object);
    checkEnum(participant.state, ParticipantState::Disconnected, "participant state in range");
    checkEnum(participant.kind, ParticipantKind::Agent, "participant kind in range");
    for (const TrackInfo &t : participant.tracks)
        checkEnum(t.source, TrackSource::ScreenShareAudio, "participant track source in range");

    const std::optional<EgressInfo> egress = parseEgressInfo(object);
    check(egress.has_value() == !json::field(object, "egressId").toString().isEmpty(),
          "an egress parses exactly when it has an id");
    if (egress) {
        checkEnum(egress->status, EgressStatus::LimitReached, "egress status in range");
        check(egress->kind != EgressKind::Invalid, "egress kind decided");
    }
}

// Walks nested objects and arrays, a bounded amount, so that a model deep
// inside an answer is reached too.
void walk(const QJsonValue &value, int depth, int &budget)
{
    if (depth > 6 || --budget < 0)
        return;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        parseAsModels(object);
        for (const QJsonValue child : object)
            walk(child, depth + 1, budget);
    } else if (value.isArray()) {
        for (const QJsonValue child : value.toArray())
            walk(child, depth + 1, budget);
    }
}

void checkToken(const QByteArray &token)
{
    const TokenVerification verification = verifyToken(token, fuzz::secrets(), fuzz::kNow_s);
    check(verification.ok() == (verification.status == TokenStatus::Valid), "ok() is Valid");
    check(verification.ok() || !verification.reason.isEmpty(), "a refusal says why");
    check(!verification.reason.contains(QString::fromLatin1(fuzz::apiSecret())),
          "the reason never holds the secret");
    if (!verification.ok())
        return;
    // What verifies re-signs to a token with the same claims.
    const TokenClaims &claims = verification.claims;
    const TokenVerification again =
        verifyToken(createToken(claims, fuzz::apiSecret()), fuzz::secrets(), fuzz::kNow_s);
    check(again.ok(), "a re-signed token verifies");
    check(again.claims.apiKey == claims.apiKey && again.claims.identity == claims.identity &&
              again.claims.notBefore == claims.notBefore &&
              again.claims.expiresAt == claims.expiresAt && again.claims.video == claims.video &&
              again.claims.sha256 == claims.sha256,
          "claims survive re-signing");
}

} // namespace

// Input: the Authorization header up to the first newline, then the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray authorization = newline < 0 ? QByteArray() : input.left(newline);
    const QByteArray body = newline < 0 ? input : input.mid(newline + 1);

    const WebhookVerification verification =
        verifyWebhook(body, authorization, fuzz::secrets(), fuzz::kNow_s);
    check(verification.ok() == (verification.status == WebhookStatus::Accepted), "ok()");
    check(verification.ok() || !verification.reason.isEmpty(), "a rejection says why");
    if (!authorization.isEmpty())
        checkToken(authorization);

    const std::optional<WebhookEvent> event = parseWebhookEvent(body);
    check(!verification.ok() || event, "an accepted body parses");
    if (event) {
        check(!event->eventName.isEmpty() && event->type != WebhookEventType::Invalid,
              "an event has a name and a type");
        check(!event->egressInfo || !event->egressInfo->egressId.isEmpty(),
              "an event's egress has an id");
        if (verification.ok())
            check(verification.event.id == event->id && verification.event.type == event->type &&
                      verification.event.createdAt == event->createdAt &&
                      verification.event.egressInfo == event->egressInfo &&
                      verification.event.participant == event->participant,
                  "verification yields the parsed event");
    }

    int budget = 256;
    walk(QJsonDocument::fromJson(body).object(), 0, budget);
    return 0;
}

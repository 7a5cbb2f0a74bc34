#pragma once

#include "livekit/accesstoken.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>

// The fixed key, secret and clock of the LiveKit webhook fuzzer, and the
// inputs its seeds are made of (shared by the target and fuzz_seeds).
namespace roomscribe::livekit::fuzz {

constexpr qint64 kNow_s = 1700000000;

inline QString apiKey()
{
    return QStringLiteral("APIfuzz");
}

inline QByteArray apiSecret()
{
    return QByteArrayLiteral("fuzz-secret-of-at-least-32-characters");
}

inline SecretLookup secrets()
{
    return [](const QString &key) -> std::optional<QByteArray> {
        if (key == apiKey())
            return apiSecret();
        return std::nullopt;
    };
}

// fuzz_livekit_webhook's input: the Authorization header, a newline, the body.
inline QByteArray webhookInput(const QByteArray &authorization, const QByteArray &body)
{
    return authorization + '\n' + body;
}

// Signed as LiveKit signs, valid at kNow_s.
inline QByteArray signedWebhook(const QByteArray &body)
{
    TokenClaims claims = makeClaims(apiKey(), {}, kNow_s - 10, std::chrono::seconds(300));
    claims.sha256 =
        QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toBase64());
    return webhookInput(createToken(claims, apiSecret()), body);
}

// Webhook events and Twirp answers, camelCase and snake_case. Slashes are
// escaped as JSON allows: moc mistakes "//" in raw strings for comments.
inline QList<QByteArray> jsonSamples()
{
    return {
        R"({"event":"room_started","id":"EV_1","createdAt":"1700000000",
            "room":{"sid":"RM_1","name":"standup","numParticipants":2,"creationTime":"1699999000"}})",
        R"({"event":"participant_joined","id":"EV_2","createdAt":1700000000,
            "room":{"name":"standup"},"participant":{"sid":"PA_1","identity":"alice",
            "state":"ACTIVE","kind":"STANDARD","tracks":[{"sid":"TR_1","type":"AUDIO",
            "source":"MICROPHONE","muted":false}]}})",
        R"({"event":"track_published","id":"EV_3","room":{"name":"r"},
            "participant":{"identity":"bob","state":1},
            "track":{"sid":"TR_2","type":1,"source":"CAMERA","muted":true}})",
        R"({"event":"egress_ended","id":"EV_4","egressInfo":{"egressId":"EG_1",
            "roomName":"standup","status":"EGRESS_LIMIT_REACHED","startedAt":"1699999100000000000",
            "endedAt":"1700000000000000000","error":"","roomComposite":{"audioOnly":true},
            "streamResults":[{"url":"rtmp:\/\/host\/live\/{k...Y}"}]}})",
        R"({"participants":[{"sid":"PA_1","identity":"alice","state":"JOINED","kind":2,
            "tracks":[{"sid":"TR_1","type":"AUDIO","source":"SCREEN_SHARE_AUDIO"}]}]})",
        R"({"items":[{"egress_id":"EG_2","room_name":"r","status":4,"started_at":1,
            "track":{"track_id":"TR_1"},"stream":{"info":[{"url":"rtmp:\/\/x"}]}}]})",
        R"({"rooms":[{"sid":"RM_2","name":"retro","num_participants":"3","num_publishers":1,
            "creation_time":"1700000000"}]})",
    };
}

// fuzz_webhook_http's input: a control byte (see the target), then the bytes
// a client sends.
inline QList<QByteArray> httpSamples()
{
    const QByteArray body = jsonSamples().first();
    const QByteArray post = "POST /livekit/webhook HTTP/1.1\r\nHost: scribe\r\n"
                            "Content-Type: application/webhook+json\r\nAuthorization: a.b.c\r\n"
                            "Content-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return {
        post,
        post + post,
        "\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "POST / HTTP/1.1\r\nConnection: close, TE\r\nContent-Length: 2\r\n\r\n{}",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
        "POST / HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
    };
}

} // namespace roomscribe::livekit::fuzz

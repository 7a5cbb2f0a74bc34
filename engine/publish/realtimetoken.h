#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <chrono>

// Tokens for the live fan-out's clients: compact HS256 JWTs signed with a
// secret the engine is configured with (the application that lets people in
// mints them). Claims: `room` (one room) or `rooms` (an array), `exp`
// (required), optionally `nbf` and `sub`. Unlike LiveKit's tokens
// (livekit/accesstoken.h) there is no `iss`/API key to look a secret up by.
namespace roomscribe::publish {

constexpr std::chrono::seconds kDefaultRealtimeLeeway{30};

struct RealtimeClaims
{
    QStringList rooms;    // from `room` and `rooms`
    qint64 expiresAt = 0; // exp, unix seconds
    qint64 notBefore = 0; // nbf, unix seconds; 0: not set
    QString subject;      // sub; empty: not set

    bool grants(const QString &room) const { return rooms.contains(room); }
};

enum class RealtimeTokenStatus {
    Invalid,
    Valid,
    Malformed,    // not a compact HS256 JWT, or no exp or room claim
    BadSignature, // signed with another secret, or altered
    Expired,
    NotYetValid,
};

struct RealtimeTokenVerification
{
    RealtimeTokenStatus status = RealtimeTokenStatus::Invalid;
    QString reason; // for logs and the client; never holds the token or the secret
    RealtimeClaims claims;

    bool ok() const { return status == RealtimeTokenStatus::Valid; }
};

// One room is written as `room`, several as `rooms`.
QByteArray createRealtimeToken(const RealtimeClaims &claims, const QByteArray &secret);

RealtimeTokenVerification verifyRealtimeToken(QByteArrayView token, const QByteArray &secret,
                                              qint64 now_s,
                                              std::chrono::seconds leeway = kDefaultRealtimeLeeway);

} // namespace roomscribe::publish

#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

// LiveKit access tokens: HS256 JWTs (shared/PROTOCOLS.md, "LiveKit server API").
namespace roomscribe::livekit {

// Server API tokens are minted per call, so a short lifetime costs nothing.
constexpr std::chrono::seconds kDefaultTokenTtl{600};
// Clock skew tolerated when checking nbf/exp, as LiveKit's own verifier does.
constexpr std::chrono::seconds kDefaultClockLeeway{60};

// The `video` claim. Only the fields that are set are serialized.
struct VideoGrant
{
    std::optional<bool> roomList;
    std::optional<bool> roomAdmin;
    std::optional<bool> roomRecord;
    std::optional<bool> roomCreate;
    std::optional<bool> roomJoin;
    std::optional<bool> canSubscribe;
    std::optional<bool> canPublish;
    std::optional<bool> canPublishData;
    std::optional<bool> hidden;
    QString room; // empty: not set

    QJsonObject toJson() const;
    static VideoGrant fromJson(const QJsonObject &object);
    bool operator==(const VideoGrant &other) const;
    bool operator!=(const VideoGrant &other) const { return !(*this == other); }
};

struct TokenClaims
{
    QString apiKey;       // iss
    QString identity;     // sub; empty: not set
    qint64 notBefore = 0; // nbf, unix seconds
    qint64 expiresAt = 0; // exp, unix seconds
    VideoGrant video;
    QString sha256; // webhook tokens: base64 SHA-256 of the body; empty: not set
};

// Claims valid from now_s for ttl.
TokenClaims makeClaims(const QString &apiKey, const VideoGrant &grant, qint64 now_s,
                       std::chrono::seconds ttl = kDefaultTokenTtl);

// The signed compact JWT: base64url(header).base64url(payload).base64url(signature).
QByteArray createToken(const TokenClaims &claims, const QByteArray &apiSecret);

enum class TokenStatus {
    Invalid,
    Valid,
    Malformed,    // not a compact HS256 JWT with iss and exp
    UnknownKey,   // the lookup has no secret for iss
    BadSignature, // signed with another secret, or altered
    Expired,
    NotYetValid,
};

struct TokenVerification
{
    TokenStatus status = TokenStatus::Invalid;
    QString reason; // for logs; never contains the token or a secret
    TokenClaims claims;

    bool ok() const { return status == TokenStatus::Valid; }
};

// Maps an API key to its secret; empty when the key is unknown.
using SecretLookup = std::function<std::optional<QByteArray>(const QString &apiKey)>;

TokenVerification verifyToken(const QByteArray &token, const SecretLookup &secretFor, qint64 now_s,
                              std::chrono::seconds leeway = kDefaultClockLeeway);

} // namespace roomscribe::livekit

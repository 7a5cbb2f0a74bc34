#include "livekit/accesstoken.h"

#include "core/jwt.h"

#include <QJsonValue>
#include <QList>

#include <iterator>

namespace roomscribe::livekit {

namespace {

TokenVerification failure(TokenStatus status, const QString &reason)
{
    TokenVerification result;
    result.status = status;
    result.reason = reason;
    return result;
}

const char *const kBoolGrants[] = {"roomList",   "roomAdmin",      "roomRecord",
                                   "roomCreate", "roomJoin",       "canSubscribe",
                                   "canPublish", "canPublishData", "hidden"};

// The grant's flags in the order of kBoolGrants.
std::optional<bool> VideoGrant::*const kBoolMembers[] = {
    &VideoGrant::roomList,   &VideoGrant::roomAdmin,      &VideoGrant::roomRecord,
    &VideoGrant::roomCreate, &VideoGrant::roomJoin,       &VideoGrant::canSubscribe,
    &VideoGrant::canPublish, &VideoGrant::canPublishData, &VideoGrant::hidden};

static_assert(std::size(kBoolGrants) == std::size(kBoolMembers));

} // namespace

QJsonObject VideoGrant::toJson() const
{
    QJsonObject object;
    for (size_t i = 0; i < std::size(kBoolGrants); ++i) {
        if (const auto &flag = this->*kBoolMembers[i])
            object.insert(QLatin1String(kBoolGrants[i]), *flag);
    }
    if (!room.isEmpty())
        object.insert(QLatin1String("room"), room);
    return object;
}

VideoGrant VideoGrant::fromJson(const QJsonObject &object)
{
    VideoGrant grant;
    for (size_t i = 0; i < std::size(kBoolGrants); ++i) {
        const QJsonValue value = object.value(QLatin1String(kBoolGrants[i]));
        if (value.isBool())
            grant.*kBoolMembers[i] = value.toBool();
    }
    grant.room = object.value(QLatin1String("room")).toString();
    return grant;
}

bool VideoGrant::operator==(const VideoGrant &other) const
{
    return toJson() == other.toJson();
}

TokenClaims makeClaims(const QString &apiKey, const VideoGrant &grant, qint64 now_s,
                       std::chrono::seconds ttl)
{
    TokenClaims claims;
    claims.apiKey = apiKey;
    claims.notBefore = now_s;
    claims.expiresAt = now_s + ttl.count();
    claims.video = grant;
    return claims;
}

QByteArray createToken(const TokenClaims &claims, const QByteArray &apiSecret)
{
    QJsonObject payload{{QLatin1String("iss"), claims.apiKey},
                        {QLatin1String("nbf"), claims.notBefore},
                        {QLatin1String("exp"), claims.expiresAt}};
    if (!claims.identity.isEmpty())
        payload.insert(QLatin1String("sub"), claims.identity);
    const QJsonObject video = claims.video.toJson();
    if (!video.isEmpty())
        payload.insert(QLatin1String("video"), video);
    if (!claims.sha256.isEmpty())
        payload.insert(QLatin1String("sha256"), claims.sha256);
    return jwt::encodeHs256(payload, apiSecret);
}

TokenVerification verifyToken(const QByteArray &token, const SecretLookup &secretFor, qint64 now_s,
                              std::chrono::seconds leeway)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return failure(TokenStatus::Malformed, QStringLiteral("not a compact JWT"));
    const auto header = jwt::decodeJsonPart(parts[0]);
    const auto payload = jwt::decodeJsonPart(parts[1]);
    const auto signature = jwt::decodeBase64Url(parts[2]);
    if (!header || !payload || !signature)
        return failure(TokenStatus::Malformed, QStringLiteral("undecodable JWT part"));
    // Anything but HS256 (notably "none") would let the token choose how it is checked.
    if (header->value(QLatin1String("alg")).toString() != QLatin1String("HS256"))
        return failure(TokenStatus::Malformed, QStringLiteral("algorithm is not HS256"));

    TokenClaims claims;
    claims.apiKey = payload->value(QLatin1String("iss")).toString();
    const QJsonValue exp = payload->value(QLatin1String("exp"));
    const QJsonValue nbf = payload->value(QLatin1String("nbf"));
    if (claims.apiKey.isEmpty() || !exp.isDouble() || !(nbf.isUndefined() || nbf.isDouble()))
        return failure(TokenStatus::Malformed, QStringLiteral("missing iss or exp claim"));

    const std::optional<QByteArray> secret = secretFor ? secretFor(claims.apiKey) : std::nullopt;
    if (!secret)
        return failure(TokenStatus::UnknownKey,
                       QStringLiteral("unknown API key %1").arg(claims.apiKey));
    const QByteArray signingInput = parts[0] + '.' + parts[1];
    if (!jwt::sameBytes(*signature, jwt::signHs256(signingInput, *secret)))
        return failure(TokenStatus::BadSignature, QStringLiteral("signature does not match"));

    claims.expiresAt = exp.toInteger();
    claims.notBefore = nbf.toInteger();
    if (now_s > claims.expiresAt + leeway.count())
        return failure(TokenStatus::Expired, QStringLiteral("token expired"));
    if (now_s + leeway.count() < claims.notBefore)
        return failure(TokenStatus::NotYetValid, QStringLiteral("token not valid yet"));

    claims.identity = payload->value(QLatin1String("sub")).toString();
    claims.video = VideoGrant::fromJson(payload->value(QLatin1String("video")).toObject());
    claims.sha256 = payload->value(QLatin1String("sha256")).toString();

    TokenVerification result;
    result.status = TokenStatus::Valid;
    result.claims = claims;
    return result;
}

} // namespace roomscribe::livekit

#include "publish/realtimetoken.h"

#include "core/jwt.h"

#include <QJsonArray>
#include <QJsonObject>

namespace roomscribe::publish {

namespace {

// Far above any real token; keeps a hostile query string from costing a big decode.
constexpr qsizetype kMaxToken_bytes = 8192;

RealtimeTokenVerification failure(RealtimeTokenStatus status, const QString &reason)
{
    RealtimeTokenVerification result;
    result.status = status;
    result.reason = reason;
    return result;
}

} // namespace

QByteArray createRealtimeToken(const RealtimeClaims &claims, const QByteArray &secret)
{
    QJsonObject payload{{QLatin1String("exp"), claims.expiresAt}};
    if (claims.rooms.size() == 1)
        payload.insert(QLatin1String("room"), claims.rooms.first());
    else
        payload.insert(QLatin1String("rooms"), QJsonArray::fromStringList(claims.rooms));
    if (claims.notBefore != 0)
        payload.insert(QLatin1String("nbf"), claims.notBefore);
    if (!claims.subject.isEmpty())
        payload.insert(QLatin1String("sub"), claims.subject);
    return jwt::encodeHs256(payload, secret);
}

RealtimeTokenVerification verifyRealtimeToken(QByteArrayView token, const QByteArray &secret,
                                              qint64 now_s, std::chrono::seconds leeway)
{
    if (token.size() > kMaxToken_bytes)
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("token too long"));
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0)
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("not a compact JWT"));
    const QByteArrayView signingInput = token.first(secondDot);
    const auto header = jwt::decodeJsonPart(token.first(firstDot));
    const auto payload = jwt::decodeJsonPart(token.sliced(firstDot + 1, secondDot - firstDot - 1));
    const auto signature = jwt::decodeBase64Url(token.sliced(secondDot + 1));
    if (!header || !payload || !signature)
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("undecodable JWT part"));
    // Anything but HS256 (notably "none") would let the token choose how it is checked.
    if (header->value(QLatin1String("alg")).toString() != QLatin1String("HS256"))
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("algorithm is not HS256"));
    // An empty secret would make every token forgeable.
    if (secret.isEmpty() || !jwt::sameBytes(*signature, jwt::signHs256(signingInput, secret)))
        return failure(RealtimeTokenStatus::BadSignature,
                       QStringLiteral("signature does not match"));

    RealtimeClaims claims;
    const QJsonValue exp = payload->value(QLatin1String("exp"));
    const QJsonValue nbf = payload->value(QLatin1String("nbf"));
    if (!exp.isDouble())
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("token has no exp claim"));
    if (!(nbf.isUndefined() || nbf.isDouble()))
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("malformed nbf claim"));
    claims.expiresAt = exp.toInteger();
    claims.notBefore = nbf.toInteger();
    if (now_s > claims.expiresAt + leeway.count())
        return failure(RealtimeTokenStatus::Expired, QStringLiteral("token expired"));
    if (now_s + leeway.count() < claims.notBefore)
        return failure(RealtimeTokenStatus::NotYetValid, QStringLiteral("token not valid yet"));

    const QJsonValue room = payload->value(QLatin1String("room"));
    const QJsonValue rooms = payload->value(QLatin1String("rooms"));
    if (room.isString() && !room.toString().isEmpty())
        claims.rooms.append(room.toString());
    else if (!room.isUndefined())
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("malformed room claim"));
    if (rooms.isArray()) {
        for (const QJsonValue &value : rooms.toArray()) {
            if (!value.isString() || value.toString().isEmpty())
                return failure(RealtimeTokenStatus::Malformed,
                               QStringLiteral("malformed rooms claim"));
            claims.rooms.append(value.toString());
        }
    } else if (!rooms.isUndefined()) {
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("malformed rooms claim"));
    }
    if (claims.rooms.isEmpty())
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("token names no room"));
    claims.subject = payload->value(QLatin1String("sub")).toString();

    RealtimeTokenVerification result;
    result.status = RealtimeTokenStatus::Valid;
    result.claims = std::move(claims);
    return result;
}

} // namespace roomscribe::publish

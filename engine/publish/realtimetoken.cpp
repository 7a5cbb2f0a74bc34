#include "publish/realtimetoken.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

#include <optional>

namespace roomscribe::publish {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
// Far above any real token; keeps a hostile query string from costing a big decode.
constexpr qsizetype kMaxToken_bytes = 8192;

QByteArray signHs256(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret,
                                            QCryptographicHash::Sha256);
}

// Constant time, so a forger learns nothing from how long a rejection takes.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView part)
{
    auto decoded = QByteArray::fromBase64Encoding(
        part.toByteArray(), kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(*decoded);
}

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part)
{
    const std::optional<QByteArray> decoded = decodeBase64Url(part);
    if (!decoded)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

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
    const QJsonObject header{{QLatin1String("alg"), QLatin1String("HS256")},
                             {QLatin1String("typ"), QLatin1String("JWT")}};
    QJsonObject payload{{QLatin1String("exp"), claims.expiresAt}};
    if (claims.rooms.size() == 1)
        payload.insert(QLatin1String("room"), claims.rooms.first());
    else
        payload.insert(QLatin1String("rooms"), QJsonArray::fromStringList(claims.rooms));
    if (claims.notBefore != 0)
        payload.insert(QLatin1String("nbf"), claims.notBefore);
    if (!claims.subject.isEmpty())
        payload.insert(QLatin1String("sub"), claims.subject);
    const QByteArray signingInput =
        QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kBase64Url) + '.' +
        QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
    return signingInput + '.' + signHs256(signingInput, secret).toBase64(kBase64Url);
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
    const auto header = decodeJsonPart(token.first(firstDot));
    const auto payload = decodeJsonPart(token.sliced(firstDot + 1, secondDot - firstDot - 1));
    const auto signature = decodeBase64Url(token.sliced(secondDot + 1));
    if (!header || !payload || !signature)
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("undecodable JWT part"));
    // Anything but HS256 (notably "none") would let the token choose how it is checked.
    if (header->value(QLatin1String("alg")).toString() != QLatin1String("HS256"))
        return failure(RealtimeTokenStatus::Malformed, QStringLiteral("algorithm is not HS256"));
    // An empty secret would make every token forgeable.
    if (secret.isEmpty() || !sameBytes(*signature, signHs256(signingInput, secret)))
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

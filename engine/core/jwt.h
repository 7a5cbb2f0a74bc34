#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

#include <optional>

// The HS256 compact-JWT primitives the LiveKit access tokens and the live
// fan-out's realtime tokens share; the claims and refusals stay with each.
namespace roomscribe::jwt {

// Base64url without padding, as JWT parts are written.
QByteArray base64Url(const QByteArray &bytes);
// nullopt when `part` is not strict base64url.
std::optional<QByteArray> decodeBase64Url(QByteArrayView part);
// nullopt unless `part` is base64url of a JSON object.
std::optional<QJsonObject> decodeJsonPart(QByteArrayView part);

QByteArray signHs256(QByteArrayView signingInput, const QByteArray &secret);
// Constant time, so a forger learns nothing from how long a rejection takes.
bool sameBytes(const QByteArray &a, const QByteArray &b);

// header.payload.signature with the header {"alg":"HS256","typ":"JWT"}.
QByteArray encodeHs256(const QJsonObject &payload, const QByteArray &secret);

} // namespace roomscribe::jwt

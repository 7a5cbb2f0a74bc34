// LiveKit access tokens: the HS256 JWT encoding checked against an independent
// HMAC and the RFC 7515 example, the claims round trip, and every rejection.

#include "livekit/accesstoken.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace roomscribe::livekit;

namespace {

const QString kKey = QStringLiteral("APIkey123");
const QByteArray kSecret = QByteArrayLiteral("a-secret-of-at-least-32-characters!!");
constexpr qint64 kNow = 1700000000;
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

SecretLookup lookup(const QString &key, const QByteArray &secret)
{
    return [key, secret](const QString &apiKey) -> std::optional<QByteArray> {
        if (apiKey == key)
            return secret;
        return std::nullopt;
    };
}

QJsonObject decodePart(const QByteArray &part)
{
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, kBase64Url)).object();
}

VideoGrant adminGrant()
{
    VideoGrant grant;
    grant.roomAdmin = true;
    grant.canPublish = false;
    grant.room = QStringLiteral("standup");
    return grant;
}

} // namespace

class TestLiveKitToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodingIsHs256OverTheExactBytes()
    {
        TokenClaims claims = makeClaims(kKey, adminGrant(), kNow);
        claims.identity = QStringLiteral("roomscribe");
        const QByteArray token = createToken(claims, kSecret);

        const QList<QByteArray> parts = token.split('.');
        QCOMPARE(parts.size(), 3);
        for (const QByteArray &part : parts) {
            QVERIFY(!part.contains('='));
            QVERIFY(!part.contains('+'));
            QVERIFY(!part.contains('/'));
        }
        const QJsonObject header = decodePart(parts[0]);
        QCOMPARE(header, (QJsonObject{{"alg", "HS256"}, {"typ", "JWT"}}));

        const QByteArray expected = QMessageAuthenticationCode::hash(
            parts[0] + '.' + parts[1], kSecret, QCryptographicHash::Sha256);
        QCOMPARE(QByteArray::fromBase64(parts[2], kBase64Url), expected);

        const QJsonObject payload = decodePart(parts[1]);
        QCOMPARE(payload.value("iss").toString(), kKey);
        QCOMPARE(payload.value("sub").toString(), QStringLiteral("roomscribe"));
        QCOMPARE(payload.value("nbf").toInteger(), kNow);
        QCOMPARE(payload.value("exp").toInteger(), kNow + 600);
        // Only the grants that were set.
        QCOMPARE(payload.value("video").toObject(),
                 (QJsonObject{{"roomAdmin", true}, {"canPublish", false}, {"room", "standup"}}));
        QVERIFY(!payload.contains("sha256"));
    }

    void rfc7515Example()
    {
        // RFC 7515 appendix A.1: an HS256 JWS produced by another implementation.
        const QByteArray token =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb2"
            "90Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        const QByteArray key = QByteArray::fromBase64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_"
                                                      "T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
                                                      kBase64Url);
        const TokenVerification valid =
            verifyToken(token, lookup(QStringLiteral("joe"), key), 1300819000);
        QVERIFY2(valid.ok(), qPrintable(valid.reason));
        QCOMPARE(valid.claims.apiKey, QStringLiteral("joe"));
        QCOMPARE(valid.claims.expiresAt, qint64(1300819380));
        QCOMPARE(verifyToken(token, lookup(QStringLiteral("joe"), key), 1300819380 + 61).status,
                 TokenStatus::Expired);
    }

    void roundTrip()
    {
        TokenClaims claims = makeClaims(kKey, adminGrant(), kNow, std::chrono::seconds(30));
        claims.identity = QStringLiteral("bot");
        claims.sha256 = QStringLiteral("digest");
        const TokenVerification result =
            verifyToken(createToken(claims, kSecret), lookup(kKey, kSecret), kNow + 10);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.claims.apiKey, kKey);
        QCOMPARE(result.claims.identity, QStringLiteral("bot"));
        QCOMPARE(result.claims.notBefore, kNow);
        QCOMPARE(result.claims.expiresAt, kNow + 30);
        QCOMPARE(result.claims.sha256, QStringLiteral("digest"));
        QVERIFY(result.claims.video == adminGrant());
        QVERIFY(!result.claims.video.roomList.has_value());
    }

    void timeWindow()
    {
        const QByteArray token =
            createToken(makeClaims(kKey, adminGrant(), kNow, std::chrono::seconds(600)), kSecret);
        const auto secrets = lookup(kKey, kSecret);
        const auto leeway = std::chrono::seconds(0);
        QVERIFY(verifyToken(token, secrets, kNow, leeway).ok());
        QVERIFY(verifyToken(token, secrets, kNow + 600, leeway).ok());
        QCOMPARE(verifyToken(token, secrets, kNow + 601, leeway).status, TokenStatus::Expired);
        QCOMPARE(verifyToken(token, secrets, kNow - 1, leeway).status, TokenStatus::NotYetValid);
        // The default leeway absorbs a minute of clock skew, no more.
        QVERIFY(verifyToken(token, secrets, kNow - 60).ok());
        QCOMPARE(verifyToken(token, secrets, kNow - 61).status, TokenStatus::NotYetValid);
        QCOMPARE(verifyToken(token, secrets, kNow + 661).status, TokenStatus::Expired);
    }

    void rejections()
    {
        const QByteArray token = createToken(makeClaims(kKey, adminGrant(), kNow), kSecret);
        const auto secrets = lookup(kKey, kSecret);

        QCOMPARE(verifyToken(token, lookup(kKey, "another secret"), kNow).status,
                 TokenStatus::BadSignature);
        QCOMPARE(verifyToken(token, lookup(QStringLiteral("other"), kSecret), kNow).status,
                 TokenStatus::UnknownKey);
        QCOMPARE(verifyToken(token, {}, kNow).status, TokenStatus::UnknownKey);

        // A payload with more rights, the original signature kept.
        QList<QByteArray> parts = token.split('.');
        QJsonObject payload = decodePart(parts[1]);
        payload.insert("video", QJsonObject{{"roomAdmin", true}, {"roomCreate", true}});
        parts[1] = QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
        QCOMPARE(verifyToken(parts.join('.'), secrets, kNow).status, TokenStatus::BadSignature);

        // alg "none" with no signature must never pass.
        const QByteArray none = QByteArray(R"({"alg":"none","typ":"JWT"})").toBase64(kBase64Url) +
                                '.' + token.split('.')[1] + '.';
        QCOMPARE(verifyToken(none, secrets, kNow).status, TokenStatus::Malformed);

        QCOMPARE(verifyToken("", secrets, kNow).status, TokenStatus::Malformed);
        QCOMPARE(verifyToken("a.b", secrets, kNow).status, TokenStatus::Malformed);
        QCOMPARE(verifyToken(token + ".x", secrets, kNow).status, TokenStatus::Malformed);
        QCOMPARE(verifyToken("Bearer " + token, secrets, kNow).status, TokenStatus::Malformed);
        QCOMPARE(verifyToken("!!!." + token.split('.')[1] + ".sig", secrets, kNow).status,
                 TokenStatus::Malformed);

        // exp is required.
        const QByteArray header = token.split('.')[0];
        const QByteArray noExp = QByteArray(R"({"iss":"APIkey123","nbf":1})").toBase64(kBase64Url);
        const QByteArray signature = QMessageAuthenticationCode::hash(header + '.' + noExp, kSecret,
                                                                      QCryptographicHash::Sha256)
                                         .toBase64(kBase64Url);
        QCOMPARE(verifyToken(header + '.' + noExp + '.' + signature, secrets, kNow).status,
                 TokenStatus::Malformed);
    }

    void reasonsNeverCarryTheSecret()
    {
        const QByteArray token = createToken(makeClaims(kKey, adminGrant(), kNow), kSecret);
        const TokenVerification result = verifyToken(token, lookup(kKey, "wrong"), kNow);
        QVERIFY(!result.reason.isEmpty());
        QVERIFY(!result.reason.contains(QString::fromLatin1(kSecret)));
        QVERIFY(!result.reason.contains(QString::fromLatin1(token)));
    }
};

QTEST_GUILESS_MAIN(TestLiveKitToken)
#include "tst_livekittoken.moc"

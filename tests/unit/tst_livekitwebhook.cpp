// LiveKit webhook verification: the bare-JWT Authorization header, the body
// digest claim, every rejection, and the WebhookEvent parse.

#include "livekit/webhookverifier.h"

#include <QCryptographicHash>
#include <QTest>

using namespace roomscribe::livekit;

namespace {

const QString kKey = QStringLiteral("APIkey123");
const QByteArray kSecret = QByteArrayLiteral("a-secret-of-at-least-32-characters!!");
constexpr qint64 kNow = 1700000000;

// Slashes are escaped as JSON allows: moc mistakes "//" in raw strings for comments.
const QByteArray kBody = R"({
  "event": "egress_ended",
  "room": {"sid": "RM_1", "name": "standup", "numParticipants": 2, "creationTime": "1699999000"},
  "egressInfo": {"egressId": "EG_abc", "roomName": "standup", "status": "EGRESS_LIMIT_REACHED",
                 "startedAt": "1699999100000000000", "endedAt": "1700000000000000000",
                 "roomComposite": {"roomName": "standup", "audioOnly": true},
                 "streamResults": [{"url": "rtmp:\/\/host/live/{k...Y}"}]},
  "id": "EV_xyz",
  "createdAt": "1700000000"})";

SecretLookup secrets()
{
    return [](const QString &apiKey) -> std::optional<QByteArray> {
        if (apiKey == kKey)
            return kSecret;
        return std::nullopt;
    };
}

// A header as LiveKit signs it: the digest of `signedBody`, iss = key.
QByteArray authorizationFor(const QByteArray &signedBody, const QString &key = kKey,
                            const QByteArray &secret = kSecret, qint64 now_s = kNow)
{
    TokenClaims claims = makeClaims(key, {}, now_s, std::chrono::seconds(300));
    claims.sha256 = QString::fromLatin1(
        QCryptographicHash::hash(signedBody, QCryptographicHash::Sha256).toBase64());
    return createToken(claims, secret);
}

} // namespace

class TestLiveKitWebhook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsAndParses()
    {
        const WebhookVerification result =
            verifyWebhook(kBody, authorizationFor(kBody), secrets(), kNow + 5);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.tokenStatus, TokenStatus::Valid);
        const WebhookEvent &event = result.event;
        QCOMPARE(event.type, WebhookEventType::EgressEnded);
        QCOMPARE(event.eventName, QStringLiteral("egress_ended"));
        QCOMPARE(event.id, QStringLiteral("EV_xyz"));
        QCOMPARE(event.createdAt, kNow);
        QVERIFY(event.room);
        QCOMPARE(event.room->name, QStringLiteral("standup"));
        QCOMPARE(event.room->numParticipants, 2);
        QCOMPARE(event.room->creationTime, qint64(1699999000));
        QVERIFY(event.egressInfo);
        QCOMPARE(event.egressInfo->egressId, QStringLiteral("EG_abc"));
        QCOMPARE(event.egressInfo->status, EgressStatus::LimitReached);
        QCOMPARE(event.egressInfo->kind, EgressKind::RoomComposite);
        QCOMPARE(event.egressInfo->endedAt, qint64(1700000000000000000));
        QCOMPARE(event.egressInfo->streamUrls, QStringList{"rtmp://host/live/{k...Y}"});
        QVERIFY(!event.participant);
        QVERIFY(!event.track);
    }

    void parsesParticipantAndTrackEvents()
    {
        const QByteArray body = R"({"event":"track_published","id":"EV_1","createdAt":1700000000,
            "room":{"sid":"RM_1","name":"standup"},
            "participant":{"sid":"PA_1","identity":"alice","state":"ACTIVE"},
            "track":{"sid":"TR_1","type":"AUDIO","source":"MICROPHONE","muted":true}})";
        const WebhookVerification result =
            verifyWebhook(body, authorizationFor(body), secrets(), kNow);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.event.type, WebhookEventType::TrackPublished);
        QCOMPARE(result.event.createdAt, kNow);
        QCOMPARE(result.event.participant->identity, QStringLiteral("alice"));
        QCOMPARE(result.event.participant->state, ParticipantState::Active);
        QCOMPARE(result.event.track->sid, QStringLiteral("TR_1"));
        QCOMPARE(result.event.track->source, TrackSource::Microphone);
        QCOMPARE(result.event.track->muted, true);

        const auto unknown = parseWebhookEvent(R"({"event":"room_metadata_changed"})");
        QVERIFY(unknown);
        QCOMPARE(unknown->type, WebhookEventType::Other);
        QCOMPARE(unknown->eventName, QStringLiteral("room_metadata_changed"));
    }

    void rejectsTampering()
    {
        const QByteArray authorization = authorizationFor(kBody);

        QByteArray changed = kBody;
        changed.replace("EGRESS_LIMIT_REACHED", "EGRESS_COMPLETE");
        WebhookVerification result = verifyWebhook(changed, authorization, secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::DigestMismatch);
        QVERIFY(!result.ok());

        // Whitespace counts: the digest is over the raw bytes.
        result = verifyWebhook(kBody + "\n", authorization, secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::DigestMismatch);

        // A token without a digest claim vouches for no body.
        const QByteArray noDigest = createToken(makeClaims(kKey, {}, kNow), kSecret);
        result = verifyWebhook(kBody, noDigest, secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::DigestMismatch);

        // The digest of another body, correctly signed.
        result = verifyWebhook(kBody, authorizationFor("{}"), secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::DigestMismatch);

        result =
            verifyWebhook(kBody, authorizationFor(kBody, kKey, "wrong secret"), secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::BadToken);
        QCOMPARE(result.tokenStatus, TokenStatus::BadSignature);
    }

    void rejectsBearerPrefix()
    {
        // LiveKit sends the bare JWT; its receivers do not strip "Bearer ".
        const WebhookVerification result =
            verifyWebhook(kBody, "Bearer " + authorizationFor(kBody), secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::BadToken);
        QCOMPARE(result.tokenStatus, TokenStatus::Malformed);
    }

    void rejectsExpiredUnknownAndMissing()
    {
        const QByteArray authorization = authorizationFor(kBody);
        WebhookVerification result =
            verifyWebhook(kBody, authorization, secrets(), kNow + 300 + 61);
        QCOMPARE(result.status, WebhookStatus::BadToken);
        QCOMPARE(result.tokenStatus, TokenStatus::Expired);

        result = verifyWebhook(kBody, authorization, secrets(), kNow - 61);
        QCOMPARE(result.tokenStatus, TokenStatus::NotYetValid);

        result = verifyWebhook(kBody, authorizationFor(kBody, QStringLiteral("other-key")),
                               secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::BadToken);
        QCOMPARE(result.tokenStatus, TokenStatus::UnknownKey);

        result = verifyWebhook(kBody, {}, secrets(), kNow);
        QCOMPARE(result.status, WebhookStatus::MissingAuthorization);
        QVERIFY(!result.reason.isEmpty());
    }

    void rejectsMalformedBodies()
    {
        for (const QByteArray &body :
             {QByteArray("not json"), QByteArray("[]"), QByteArray(R"({"id":"EV_1"})"),
              QByteArray(
                  R"({"event":"egress_started","egressInfo":{"status":"EGRESS_ACTIVE"}})")}) {
            const WebhookVerification result =
                verifyWebhook(body, authorizationFor(body), secrets(), kNow);
            QCOMPARE(result.status, WebhookStatus::MalformedBody);
            QCOMPARE(result.tokenStatus, TokenStatus::Valid);
        }
    }
};

QTEST_GUILESS_MAIN(TestLiveKitWebhook)
#include "tst_livekitwebhook.moc"

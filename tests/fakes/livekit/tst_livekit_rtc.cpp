// The fake's client signalling (/rtc), driven by a raw QWebSocket client with
// the generated protobuf classes. Apart from tst_livekit_fake because
// LiveKit's protobuf namespace `livekit` and roomscribe::livekit cannot both
// be brought in with `using namespace roomscribe`.

#include "fakelivekit.h"
#include "ingest/webrtc/webrtcsession.h"
#include "livekit/accesstoken.h"
#include "livekit/signal/livekit_signal.pb.h"
#include "waituntil.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtEndian>
#include <QtTest>

#include <cmath>

using roomscribe::test::FakeLiveKit;
using roomscribe::test::ParticipantSpec;
using roomscribe::test::waitUntil;

namespace {

const QString kKey = QStringLiteral("rtc-key");
const QByteArray kSecret = "rtc-secret-that-is-long-enough";
const QString kRoom = QStringLiteral("standup");

QUrl rtcUrl(const FakeLiveKit &fake, const QString &identity, const QString &resumeSid = {})
{
    roomscribe::livekit::VideoGrant grant;
    grant.roomJoin = true;
    grant.room = kRoom;
    grant.canSubscribe = true;
    grant.canPublish = false;
    grant.hidden = true;
    roomscribe::livekit::TokenClaims claims =
        roomscribe::livekit::makeClaims(kKey, grant, QDateTime::currentSecsSinceEpoch());
    claims.identity = identity;
    QUrl url = fake.url();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/rtc"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("access_token"),
                       QString::fromLatin1(roomscribe::livekit::createToken(claims, kSecret)));
    query.addQueryItem(QStringLiteral("auto_subscribe"), QStringLiteral("1"));
    query.addQueryItem(QStringLiteral("sdk"), QStringLiteral("cpp"));
    query.addQueryItem(QStringLiteral("protocol"), QStringLiteral("15"));
    if (!resumeSid.isEmpty()) {
        query.addQueryItem(QStringLiteral("reconnect"), QStringLiteral("1"));
        query.addQueryItem(QStringLiteral("sid"), resumeSid);
    }
    url.setQuery(query);
    return url;
}

// Half a second of a 440 Hz tone, s16le 48 kHz stereo: read as it is.
QString writeTone(const QString &path)
{
    QByteArray pcm;
    for (int i = 0; i < 24000; ++i) {
        const qint16 value = qint16(8000 * std::sin(2 * M_PI * 440 * i / 48000.0));
        for (int channel = 0; channel < 2; ++channel) {
            char bytes[2];
            qToLittleEndian(value, bytes);
            pcm.append(bytes, 2);
        }
    }
    const auto le32 = [](quint32 value) {
        char bytes[4];
        qToLittleEndian(value, bytes);
        return QByteArray(bytes, 4);
    };
    const auto le16 = [](quint16 value) {
        char bytes[2];
        qToLittleEndian(value, bytes);
        return QByteArray(bytes, 2);
    };
    const QByteArray wav = "RIFF" + le32(quint32(36 + pcm.size())) + "WAVEfmt " + le32(16) +
                           le16(1) + le16(2) + le32(48000) + le32(48000 * 4) + le16(4) + le16(16) +
                           "data" + le32(quint32(pcm.size())) + pcm;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(wav) != wav.size())
        return {};
    return path;
}

// A raw signalling client: every frame decoded, kept in order.
class RtcClient
{
public:
    explicit RtcClient(const QUrl &url)
    {
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived,
                         [this](const QByteArray &bytes) {
                             livekit::SignalResponse response;
                             QVERIFY(response.ParseFromArray(bytes.constData(), int(bytes.size())));
                             received.push_back(response);
                         });
        socket.open(url);
    }
    bool opened()
    {
        return waitUntil([this] { return socket.state() == QAbstractSocket::ConnectedState; });
    }
    // The first unread response of that kind.
    std::optional<livekit::SignalResponse> next(livekit::SignalResponse::MessageCase kind)
    {
        std::optional<livekit::SignalResponse> found;
        waitUntil([&] {
            for (size_t i = 0; i < received.size(); ++i) {
                if (received[i].message_case() == kind) {
                    found = received[i];
                    received.erase(received.begin() + qsizetype(i));
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    void send(const livekit::SignalRequest &request)
    {
        const std::string bytes = request.SerializeAsString();
        socket.sendBinaryMessage(QByteArray(bytes.data(), qsizetype(bytes.size())));
    }

    QWebSocket socket;
    std::vector<livekit::SignalResponse> received;
};

// The engine's WebRtcSession behind a raw client, as the engine wires it:
// its answers and candidates go to the fake; the fake's offers and
// candidates, in the order they came, go to it on pump().
class EngineSubscriber
{
public:
    explicit EngineSubscriber(RtcClient *client) : m_client(client), session(sessionConfig())
    {
        session.setPacketSink(
            [this](const QString &trackSid, const char *rtp, size_t size, int64_t) {
                // RTP without CSRCs or extension (what OpusWebRtcSender builds): 12 bytes of
                // header.
                QVERIFY(size > 12 && (rtp[0] & 0x1f) == 0);
                payloads[trackSid].push_back(QByteArray(rtp + 12, qsizetype(size - 12)));
            });
        QObject::connect(&session, &roomscribe::ingest::WebRtcSession::answerReady,
                         [this](const QString &sdp) {
                             livekit::SignalRequest answer;
                             answer.mutable_answer()->set_type("answer");
                             answer.mutable_answer()->set_sdp(sdp.toStdString());
                             m_client->send(answer);
                         });
        QObject::connect(&session, &roomscribe::ingest::WebRtcSession::localCandidate,
                         [this](const roomscribe::livekit::IceCandidate &candidate) {
                             livekit::SignalRequest trickle;
                             const QJsonObject init{{"candidate", candidate.candidate},
                                                    {"sdpMid", candidate.sdpMid},
                                                    {"sdpMLineIndex", candidate.sdpMLineIndex}};
                             trickle.mutable_trickle()->set_candidateinit(
                                 QJsonDocument(init).toJson(QJsonDocument::Compact).toStdString());
                             trickle.mutable_trickle()->set_target(livekit::SUBSCRIBER);
                             m_client->send(trickle);
                         });
        QObject::connect(
            &session, &roomscribe::ingest::WebRtcSession::trackAdded,
            [this](const QString &trackSid, const QString &) { tracksAdded << trackSid; });
    }

    // Starts the session on the join's offer; its answer goes out as it comes.
    bool start(const livekit::SessionDescription &offer, QString *error)
    {
        if (!session.start(error))
            return false;
        session.setRemoteOffer(QString::fromStdString(offer.sdp()));
        return true;
    }

    void pump()
    {
        auto &received = m_client->received;
        for (auto it = received.begin(); it != received.end();) {
            if (it->has_offer()) {
                ++offers;
                session.setRemoteOffer(QString::fromStdString(it->offer().sdp()));
            } else if (it->has_trickle()) {
                const QJsonObject init = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                                     it->trickle().candidateinit()))
                                             .object();
                session.addRemoteCandidate({init.value("candidate").toString(),
                                            init.value("sdpMid").toString(),
                                            init.value("sdpMLineIndex").toInt()});
            } else {
                ++it;
                continue;
            }
            it = received.erase(it);
        }
    }

private:
    static roomscribe::ingest::WebRtcSessionConfig sessionConfig()
    {
        roomscribe::ingest::WebRtcSessionConfig config;
        config.loopbackOnly = true;
        return config;
    }

    RtcClient *m_client;

public:
    roomscribe::ingest::WebRtcSession session;
    std::map<QString, std::vector<QByteArray>> payloads; // by track sid
    QStringList tracksAdded;
    int offers = 0;
};

} // namespace

class TestLiveKitRtc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void joinOfferPingLeave();
    void roomChangesReachTheSubscriber();
    void violationsEndTheSession();
    void resumesAfterADrop();
    void refusedResumeNeedsARejoin();
    void mediaReachesTheEnginesWebRtcSession();
    void lateTrackIsRenegotiated();
    void firstTrackAfterTheJoinIsOffered();

private:
    // Connects, reads join and offer.
    std::unique_ptr<RtcClient> joined(const QString &identity, livekit::JoinResponse *join,
                                      livekit::SessionDescription *offer);

    std::unique_ptr<FakeLiveKit> m_fake;
};

void TestLiveKitRtc::init()
{
    m_fake = std::make_unique<FakeLiveKit>();
    m_fake->setCredentials(kKey, kSecret);
    QString error;
    QVERIFY2(m_fake->listen(&error), qPrintable(error));
    QVERIFY(!m_fake->joinParticipant(kRoom, {QStringLiteral("alice"), QStringLiteral("Alice"), {}})
                 .isEmpty());
}

void TestLiveKitRtc::cleanup()
{
    m_fake.reset();
}

std::unique_ptr<RtcClient> TestLiveKitRtc::joined(const QString &identity,
                                                  livekit::JoinResponse *join,
                                                  livekit::SessionDescription *offer)
{
    auto client = std::make_unique<RtcClient>(rtcUrl(*m_fake, identity));
    if (!client->opened())
        return nullptr;
    const auto joinResponse = client->next(livekit::SignalResponse::kJoin);
    const auto offerResponse = client->next(livekit::SignalResponse::kOffer);
    if (!joinResponse || !offerResponse)
        return nullptr;
    *join = joinResponse->join();
    *offer = offerResponse->offer();
    return client;
}

void TestLiveKitRtc::joinOfferPingLeave()
{
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-1"), &join, &offer);
    QVERIFY(client);
    QCOMPARE(join.room().name(), kRoom.toStdString());
    QVERIFY(join.participant().permission().hidden());
    QVERIFY(join.subscriber_primary());
    QCOMPARE(join.ping_interval(), FakeLiveKit::kDefaultPingInterval_s);
    QCOMPARE(join.other_participants_size(), 1);
    const livekit::TrackInfo &track = join.other_participants(0).tracks(0);
    QCOMPARE(QString::fromStdString(track.sid()),
             m_fake->microphoneTrackSid(kRoom, QStringLiteral("alice")));
    QCOMPARE(track.source(), livekit::MICROPHONE);
    QCOMPARE(track.mime_type(), "audio/opus");
    QCOMPARE(offer.type(), "offer");
    QVERIFY(QString::fromStdString(offer.sdp())
                .contains(QStringLiteral("a=msid:%1|%2")
                              .arg(QString::fromStdString(join.other_participants(0).sid()),
                                   QString::fromStdString(track.sid()))));

    livekit::SignalRequest ping;
    ping.mutable_ping_req()->set_timestamp(12345);
    client->send(ping);
    const auto pong = client->next(livekit::SignalResponse::kPongResp);
    QVERIFY(pong);
    QCOMPARE(pong->pong_resp().last_ping_timestamp(), 12345);

    livekit::SignalRequest leave;
    leave.mutable_leave()->set_reason(livekit::CLIENT_INITIATED);
    client->send(leave);
    QVERIFY(waitUntil([&] { return m_fake->rtcSessions().isEmpty(); }));
    QVERIFY2(m_fake->rtcViolations().isEmpty(), qPrintable(m_fake->rtcViolations().join('\n')));
    QVERIFY(m_fake->rtcFrames().size() >= 5);
}

void TestLiveKitRtc::roomChangesReachTheSubscriber()
{
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-2"), &join, &offer);
    QVERIFY(client);
    const QString track = m_fake->microphoneTrackSid(kRoom, QStringLiteral("alice"));
    QVERIFY(m_fake->setTrackMuted(kRoom, QStringLiteral("alice"), track, true));
    auto update = client->next(livekit::SignalResponse::kUpdate);
    QVERIFY(update);
    QVERIFY(update->update().participants(0).tracks(0).muted());

    QVERIFY(m_fake->setSpeaking(kRoom, QStringLiteral("alice"), true, 0.75f));
    const auto speakers = client->next(livekit::SignalResponse::kSpeakersChanged);
    QVERIFY(speakers);
    QCOMPARE(speakers->speakers_changed().speakers(0).sid(), join.other_participants(0).sid());
    QCOMPARE(speakers->speakers_changed().speakers(0).level(), 0.75f);

    QVERIFY(m_fake->leaveParticipant(kRoom, QStringLiteral("alice")));
    const auto unpublished = client->next(livekit::SignalResponse::kTrackUnpublished);
    QVERIFY(unpublished);
    QCOMPARE(QString::fromStdString(unpublished->track_unpublished().track_sid()), track);
    bool gone = false;
    while (const auto next = client->next(livekit::SignalResponse::kUpdate)) {
        if (next->update().participants(0).state() == livekit::ParticipantInfo::DISCONNECTED) {
            gone = true;
            break;
        }
    }
    QVERIFY(gone);
}

void TestLiveKitRtc::violationsEndTheSession()
{
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-3"), &join, &offer);
    QVERIFY(client);
    // An answer that keeps the offer's direction.
    livekit::SignalRequest answer;
    answer.mutable_answer()->set_type("answer");
    answer.mutable_answer()->set_sdp(offer.sdp());
    client->send(answer);
    const auto leave = client->next(livekit::SignalResponse::kLeave);
    QVERIFY(leave);
    QCOMPARE(leave->leave().action(), livekit::LeaveRequest::DISCONNECT);
    QVERIFY(waitUntil([&] { return client->socket.state() == QAbstractSocket::UnconnectedState; }));
    QCOMPARE(m_fake->rtcViolations().size(), 1);
    QVERIFY2(m_fake->rtcViolations().first().contains(QLatin1String("not recvonly or inactive")),
             qPrintable(m_fake->rtcViolations().first()));
    QVERIFY(m_fake->rtcSessions().isEmpty());
}

void TestLiveKitRtc::resumesAfterADrop()
{
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-4"), &join, &offer);
    QVERIFY(client);
    QCOMPARE(m_fake->dropSignalling(QStringLiteral("roomscribe-4")), 1);
    QVERIFY(waitUntil([&] { return client->socket.state() == QAbstractSocket::UnconnectedState; }));
    QCOMPARE(m_fake->rtcSessions().size(), 1);
    QVERIFY(!m_fake->rtcSessions().first().signallingConnected);

    const QString sid = QString::fromStdString(join.participant().sid());
    RtcClient resumed(rtcUrl(*m_fake, QStringLiteral("roomscribe-4"), sid));
    QVERIFY(resumed.opened());
    QVERIFY(resumed.next(livekit::SignalResponse::kReconnect));
    QCOMPARE(m_fake->rtcSessions().first().resumes, 1);
    QCOMPARE(m_fake->rtcSessions().first().sid, sid);
    QVERIFY(m_fake->rtcViolations().isEmpty());
}

void TestLiveKitRtc::refusedResumeNeedsARejoin()
{
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-5"), &join, &offer);
    QVERIFY(client);
    m_fake->setRefuseResumes(true);
    m_fake->dropSignalling();
    RtcClient resumed(rtcUrl(*m_fake, QStringLiteral("roomscribe-5"),
                             QString::fromStdString(join.participant().sid())));
    QVERIFY(
        waitUntil([&] { return resumed.socket.error() != QAbstractSocket::UnknownSocketError; }));
    QVERIFY(resumed.socket.state() != QAbstractSocket::ConnectedState);
    // A full rejoin replaces the old session.
    livekit::JoinResponse rejoin;
    auto again = joined(QStringLiteral("roomscribe-5"), &rejoin, &offer);
    QVERIFY(again);
    QVERIFY(rejoin.participant().sid() != join.participant().sid());
    QVERIFY(waitUntil([&] { return m_fake->rtcSessions().size() == 1; }));
}

void TestLiveKitRtc::mediaReachesTheEnginesWebRtcSession()
{
    QTemporaryDir dir;
    const QString tone = writeTone(dir.filePath(QStringLiteral("tone.wav")));
    QVERIFY(!tone.isEmpty());
    ParticipantSpec carol{QStringLiteral("carol"), QStringLiteral("Carol"), tone};
    carol.speaking = {{0, true, 0.625f}}; // as soon as the media starts
    QVERIFY(!m_fake->joinParticipant(kRoom, carol).isEmpty());
    const std::vector<QByteArray> expected = m_fake->opusPackets(kRoom, QStringLiteral("carol"));
    QCOMPARE(expected.size(), size_t(25)); // 0.5 s in 20 ms packets
    const QString carolTrack = m_fake->microphoneTrackSid(kRoom, QStringLiteral("carol"));

    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-media"), &join, &offer);
    QVERIFY(client);

    EngineSubscriber engine(client.get());
    QString error;
    QVERIFY2(engine.start(offer, &error), qPrintable(error));
    // The fake's candidates, as they come.
    QVERIFY(waitUntil(
        [&] {
            engine.pump();
            return engine.payloads[carolTrack].size() >= expected.size();
        },
        30000));
    QVERIFY2(m_fake->rtcViolations().isEmpty(), qPrintable(m_fake->rtcViolations().join('\n')));
    QVERIFY(m_fake->rtcSessions().first().answered);
    QCOMPARE(engine.payloads[carolTrack], expected);
    const auto speakers = client->next(livekit::SignalResponse::kSpeakersChanged);
    QVERIFY(speakers);
    QCOMPARE(QString::fromStdString(speakers->speakers_changed().speakers(0).sid()),
             m_fake->room(kRoom)->participants.last().sid);
    QCOMPARE(speakers->speakers_changed().speakers(0).level(), 0.625f);
    engine.session.stop();
}

void TestLiveKitRtc::lateTrackIsRenegotiated()
{
    QTemporaryDir dir;
    const QString tone = writeTone(dir.filePath(QStringLiteral("tone.wav")));
    QVERIFY(!tone.isEmpty());
    livekit::JoinResponse join;
    livekit::SessionDescription offer;
    auto client = joined(QStringLiteral("roomscribe-late"), &join, &offer);
    QVERIFY(client);
    EngineSubscriber engine(client.get());
    QString error;
    QVERIFY2(engine.start(offer, &error), qPrintable(error));
    QVERIFY(waitUntil(
        [&] {
            engine.pump();
            return !m_fake->rtcSessions().isEmpty() && m_fake->rtcSessions().first().mediaConnected;
        },
        30000));

    // Dave joins after us: an update names his track, a new offer adds it.
    QVERIFY(!m_fake->joinParticipant(kRoom, {QStringLiteral("dave"), QStringLiteral("Dave"), tone})
                 .isEmpty());
    const QString daveTrack = m_fake->microphoneTrackSid(kRoom, QStringLiteral("dave"));
    const std::vector<QByteArray> expected = m_fake->opusPackets(kRoom, QStringLiteral("dave"));
    QCOMPARE(expected.size(), size_t(25));
    QVERIFY(waitUntil(
        [&] {
            engine.pump();
            return engine.payloads[daveTrack].size() >= expected.size();
        },
        30000));
    QVERIFY2(m_fake->rtcViolations().isEmpty(), qPrintable(m_fake->rtcViolations().join('\n')));
    QCOMPARE(engine.offers, 1);
    QCOMPARE(engine.payloads[daveTrack], expected);
    const QString aliceTrack = m_fake->microphoneTrackSid(kRoom, QStringLiteral("alice"));
    QCOMPARE(engine.tracksAdded, (QStringList{aliceTrack, daveTrack}));
    QCOMPARE(m_fake->rtcSessions().first().trackSids, (QStringList{aliceTrack, daveTrack}));

    // The update came first, the offer after it; the client answered both.
    QStringList order;
    for (const roomscribe::test::RtcFrame &frame : m_fake->rtcFrames()) {
        if (frame.kind == QLatin1String("offer") || frame.kind == QLatin1String("answer"))
            order << frame.kind;
        livekit::SignalResponse response;
        if (!frame.fromClient && frame.kind == QLatin1String("update") &&
            response.ParseFromArray(frame.bytes.constData(), int(frame.bytes.size())) &&
            response.update().participants(0).tracks_size() > 0 &&
            response.update().participants(0).identity() == "dave")
            order << QStringLiteral("update");
    }
    QCOMPARE(order, (QStringList{"offer", "answer", "update", "offer", "answer"}));

    // A second answer to the renegotiation is still out of order.
    livekit::SignalRequest again;
    again.mutable_answer()->set_type("answer");
    again.mutable_answer()->set_sdp("v=0\r\n");
    client->send(again);
    QVERIFY(client->next(livekit::SignalResponse::kLeave));
    QCOMPARE(m_fake->rtcViolations().size(), 1);
    QVERIFY2(m_fake->rtcViolations().first().contains(QLatin1String("a second answer")),
             qPrintable(m_fake->rtcViolations().first()));
    engine.session.stop();
}

void TestLiveKitRtc::firstTrackAfterTheJoinIsOffered()
{
    // No audio track at the join: no offer, until one is published.
    QVERIFY(m_fake->unpublishTrack(kRoom, QStringLiteral("alice"),
                                   m_fake->microphoneTrackSid(kRoom, QStringLiteral("alice"))));
    RtcClient client(rtcUrl(*m_fake, QStringLiteral("roomscribe-empty")));
    QVERIFY(client.opened());
    const auto join = client.next(livekit::SignalResponse::kJoin);
    QVERIFY(join);
    QCOMPARE(m_fake->rtcSessions().size(), 1);
    QVERIFY(m_fake->rtcSessions().first().trackSids.isEmpty());

    const QString track = m_fake->publishTrack(kRoom, QStringLiteral("alice"));
    QVERIFY(!track.isEmpty());
    const auto offer = client.next(livekit::SignalResponse::kOffer);
    QVERIFY(offer);
    const QString sdp = QString::fromStdString(offer->offer().sdp());
    QCOMPARE(sdp.count(QStringLiteral("m=audio ")), 1);
    QVERIFY(sdp.contains(
        QStringLiteral("a=msid:%1|%2")
            .arg(QString::fromStdString(join->join().other_participants(0).sid()), track)));
    QCOMPARE(m_fake->rtcSessions().first().trackSids, QStringList{track});
    QVERIFY2(m_fake->rtcViolations().isEmpty(), qPrintable(m_fake->rtcViolations().join('\n')));
}

QTEST_GUILESS_MAIN(TestLiveKitRtc)
#include "tst_livekit_rtc.moc"

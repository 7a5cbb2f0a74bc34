// LiveKit signalling frames: every SignalResponse kind decoded from messages
// built with the generated protobuf classes, every refusal, the requests as
// the server's classes read them, candidate JSON and the /rtc URL.

#include "livekit/signal/livekit_signal.pb.h"
#include "livekit/signal/signalcodec.h"

#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

using namespace roomscribe::livekit;
namespace pb = ::livekit;

namespace {

QByteArray bytesOf(const pb::SignalResponse &response)
{
    std::string bytes;
    response.SerializeToString(&bytes);
    return QByteArray::fromStdString(bytes);
}

pb::SignalRequest requestOf(const QByteArray &frame)
{
    pb::SignalRequest request;
    if (!request.ParseFromArray(frame.constData(), int(frame.size())))
        qFatal("not a SignalRequest");
    return request;
}

SignalEvent decoded(const pb::SignalResponse &response)
{
    QString error;
    const std::optional<SignalEvent> event = decodeSignalResponse(bytesOf(response), &error);
    if (!event)
        qFatal("decode failed: %s", qPrintable(error));
    return *event;
}

QString refusal(const QByteArray &frame)
{
    QString error;
    const std::optional<SignalEvent> event = decodeSignalResponse(frame, &error);
    return event ? QString() : error;
}

void fillParticipant(pb::ParticipantInfo *info, const char *sid, const char *identity)
{
    info->set_sid(sid);
    info->set_identity(identity);
    info->set_name(std::string(identity) + " name");
    info->set_state(pb::ParticipantInfo::ACTIVE);
}

pb::SignalResponse trickle(const std::string &candidateInit, pb::SignalTarget target)
{
    pb::SignalResponse response;
    response.mutable_trickle()->set_candidateinit(candidateInit);
    response.mutable_trickle()->set_target(target);
    return response;
}

const QString kCandidate =
    QStringLiteral("candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host generation 0");

} // namespace

class TestSignalCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesJoin()
    {
        pb::SignalResponse response;
        pb::JoinResponse *join = response.mutable_join();
        join->mutable_room()->set_name("standup");
        join->mutable_room()->set_sid("RM_1");
        fillParticipant(join->mutable_participant(), "PA_self", "roomscribe-1");
        join->mutable_participant()->mutable_permission()->set_hidden(true);
        pb::ParticipantInfo *alice = join->add_other_participants();
        fillParticipant(alice, "PA_alice", "alice");
        pb::TrackInfo *mic = alice->add_tracks();
        mic->set_sid("TR_mic");
        mic->set_name("microphone");
        mic->set_type(pb::AUDIO);
        mic->set_source(pb::MICROPHONE);
        mic->set_mime_type("audio/opus");
        mic->set_muted(true);
        pb::TrackInfo *camera = alice->add_tracks();
        camera->set_sid("TR_cam");
        camera->set_type(pb::VIDEO);
        camera->set_source(pb::CAMERA);
        fillParticipant(join->add_other_participants(), "PA_bob", "bob");
        pb::ICEServer *ice = join->add_ice_servers();
        ice->add_urls("stun:stun.example:3478");
        ice->add_urls("turn:turn.example:3478");
        join->set_ping_interval(5);
        join->set_ping_timeout(15);
        join->set_subscriber_primary(true);

        const SignalEvent event = decoded(response);
        QCOMPARE(event.kind, SignalEvent::Kind::Join);
        QCOMPARE(event.join.roomName, QStringLiteral("standup"));
        QCOMPARE(event.join.roomSid, QStringLiteral("RM_1"));
        QCOMPARE(event.join.self.sid, QStringLiteral("PA_self"));
        QCOMPARE(event.join.self.identity, QStringLiteral("roomscribe-1"));
        QVERIFY(event.join.self.hidden);
        QCOMPARE(event.join.others.size(), 2);
        const SignalParticipant &first = event.join.others.at(0);
        QCOMPARE(first.identity, QStringLiteral("alice"));
        QCOMPARE(first.name, QStringLiteral("alice name"));
        QVERIFY(!first.disconnected);
        QCOMPARE(first.tracks.size(), 2);
        const SignalTrack expectedMic{QStringLiteral("TR_mic"),
                                      QStringLiteral("microphone"),
                                      QStringLiteral("audio/opus"),
                                      true,
                                      true,
                                      true};
        QCOMPARE(first.tracks.at(0), expectedMic);
        QVERIFY(!first.tracks.at(1).audio);
        QVERIFY(!first.tracks.at(1).microphone);
        QCOMPARE(event.join.others.at(1).sid, QStringLiteral("PA_bob"));
        QCOMPARE(event.join.iceServerUrls, QStringList({QStringLiteral("stun:stun.example:3478"),
                                                        QStringLiteral("turn:turn.example:3478")}));
        QCOMPARE(event.join.pingInterval_s, 5);
        QCOMPARE(event.join.pingTimeout_s, 15);
        QVERIFY(event.join.subscriberPrimary);
    }

    void decodesSessionDescriptions()
    {
        pb::SignalResponse offer;
        offer.mutable_offer()->set_type("offer");
        offer.mutable_offer()->set_sdp("v=0\r\n");
        SignalEvent event = decoded(offer);
        QCOMPARE(event.kind, SignalEvent::Kind::Offer);
        QCOMPARE(event.sdp, QStringLiteral("v=0\r\n"));

        pb::SignalResponse answer;
        answer.mutable_answer()->set_type("answer");
        answer.mutable_answer()->set_sdp("v=0 answer");
        event = decoded(answer);
        QCOMPARE(event.kind, SignalEvent::Kind::Answer);
        QCOMPARE(event.sdp, QStringLiteral("v=0 answer"));
    }

    void decodesTrickle()
    {
        pb::SignalResponse response = trickle(R"({"candidate":")" + kCandidate.toStdString() +
                                                  R"(","sdpMid":"1","sdpMLineIndex":1})",
                                              pb::SUBSCRIBER);
        response.mutable_trickle()->set_final(true);
        const SignalEvent event = decoded(response);
        QCOMPARE(event.kind, SignalEvent::Kind::Trickle);
        QCOMPARE(event.candidate, (IceCandidate{kCandidate, QStringLiteral("1"), 1}));
        QVERIFY(event.finalCandidate);
    }

    void decodesUpdatesAndNotices()
    {
        pb::SignalResponse update;
        pb::ParticipantInfo *gone = update.mutable_update()->add_participants();
        fillParticipant(gone, "PA_alice", "alice");
        gone->set_state(pb::ParticipantInfo::DISCONNECTED);
        SignalEvent event = decoded(update);
        QCOMPARE(event.kind, SignalEvent::Kind::Update);
        QCOMPARE(event.participants.size(), 1);
        QVERIFY(event.participants.at(0).disconnected);

        pb::SignalResponse mute;
        mute.mutable_mute()->set_sid("TR_mic");
        mute.mutable_mute()->set_muted(true);
        event = decoded(mute);
        QCOMPARE(event.kind, SignalEvent::Kind::Mute);
        QCOMPARE(event.trackSid, QStringLiteral("TR_mic"));
        QVERIFY(event.muted);

        pb::SignalResponse speakers;
        pb::SpeakerInfo *loud = speakers.mutable_speakers_changed()->add_speakers();
        loud->set_sid("PA_alice");
        loud->set_level(0.5f);
        loud->set_active(true);
        pb::SpeakerInfo *quiet = speakers.mutable_speakers_changed()->add_speakers();
        quiet->set_sid("PA_bob");
        event = decoded(speakers);
        QCOMPARE(event.kind, SignalEvent::Kind::SpeakersChanged);
        QCOMPARE(event.speakers, (QList<SignalSpeaker>{{QStringLiteral("PA_alice"), 0.5f, true},
                                                       {QStringLiteral("PA_bob"), 0.0f, false}}));

        pb::SignalResponse room;
        room.mutable_room_update()->mutable_room()->set_name("standup");
        event = decoded(room);
        QCOMPARE(event.kind, SignalEvent::Kind::RoomUpdate);
        QCOMPARE(event.roomName, QStringLiteral("standup"));

        pb::SignalResponse refresh;
        refresh.set_refresh_token("new.jwt.token");
        event = decoded(refresh);
        QCOMPARE(event.kind, SignalEvent::Kind::RefreshToken);
        QCOMPARE(event.token, QByteArray("new.jwt.token"));

        pb::SignalResponse unpublished;
        unpublished.mutable_track_unpublished()->set_track_sid("TR_cam");
        event = decoded(unpublished);
        QCOMPARE(event.kind, SignalEvent::Kind::TrackUnpublished);
        QCOMPARE(event.trackSid, QStringLiteral("TR_cam"));

        pb::SignalResponse subscription;
        subscription.mutable_subscription_response()->set_track_sid("TR_mic");
        subscription.mutable_subscription_response()->set_err(pb::SE_TRACK_NOTFOUND);
        event = decoded(subscription);
        QCOMPARE(event.kind, SignalEvent::Kind::SubscriptionResponse);
        QCOMPARE(event.trackSid, QStringLiteral("TR_mic"));
        QCOMPARE(event.subscriptionError, int(pb::SE_TRACK_NOTFOUND));

        pb::SignalResponse reconnect;
        reconnect.mutable_reconnect()->set_last_message_seq(3);
        QCOMPARE(decoded(reconnect).kind, SignalEvent::Kind::Reconnect);
    }

    void decodesPongs()
    {
        pb::SignalResponse pong;
        pong.mutable_pong_resp()->set_last_ping_timestamp(1700000000123);
        pong.mutable_pong_resp()->set_timestamp(1700000000456);
        SignalEvent event = decoded(pong);
        QCOMPARE(event.kind, SignalEvent::Kind::Pong);
        QCOMPARE(event.lastPingTimestamp_ms, 1700000000123);
        QCOMPARE(event.serverTimestamp_ms, 1700000000456);

        pb::SignalResponse legacy;
        legacy.set_pong(1700000000789);
        event = decoded(legacy);
        QCOMPARE(event.kind, SignalEvent::Kind::Pong);
        QCOMPARE(event.lastPingTimestamp_ms, 0);
        QCOMPARE(event.serverTimestamp_ms, 1700000000789);
    }

    void decodesLeaveActions_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<bool>("canReconnect");
        QTest::addColumn<LeaveAction>("expected");
        QTest::newRow("disconnect")
            << int(pb::LeaveRequest::DISCONNECT) << false << LeaveAction::Disconnect;
        QTest::newRow("resume") << int(pb::LeaveRequest::RESUME) << false << LeaveAction::Resume;
        QTest::newRow("reconnect")
            << int(pb::LeaveRequest::RECONNECT) << false << LeaveAction::Reconnect;
        QTest::newRow("legacy can_reconnect")
            << int(pb::LeaveRequest::DISCONNECT) << true << LeaveAction::Reconnect;
    }

    void decodesLeaveActions()
    {
        QFETCH(int, action);
        QFETCH(bool, canReconnect);
        QFETCH(LeaveAction, expected);
        pb::SignalResponse response;
        response.mutable_leave()->set_action(pb::LeaveRequest::Action(action));
        response.mutable_leave()->set_can_reconnect(canReconnect);
        response.mutable_leave()->set_reason(pb::ROOM_DELETED);
        const SignalEvent event = decoded(response);
        QCOMPARE(event.kind, SignalEvent::Kind::Leave);
        QCOMPARE(event.leaveAction, expected);
        QCOMPARE(event.leaveReason, int(pb::ROOM_DELETED));
    }

    void refusesBadFrames()
    {
        QVERIFY(refusal(QByteArray::fromHex("ffffffffffffffffffff01"))
                    .contains(QLatin1String("not a SignalResponse")));
        QVERIFY(refusal(QByteArray()).contains(QLatin1String("without a message")));

        pb::SignalResponse wrongOffer;
        wrongOffer.mutable_offer()->set_type("answer");
        QVERIFY(refusal(bytesOf(wrongOffer)).contains(QLatin1String("offer of type \"answer\"")));

        QVERIFY(refusal(bytesOf(trickle(R"({"candidate":"","sdpMLineIndex":0})", pb::PUBLISHER)))
                    .contains(QLatin1String("publisher")));
        QVERIFY(refusal(bytesOf(trickle("not json", pb::SUBSCRIBER)))
                    .contains(QLatin1String("trickle: candidateInit is not a JSON object")));

        pb::SignalResponse anonymousJoin;
        anonymousJoin.mutable_join()->mutable_room()->set_name("standup");
        QVERIFY(refusal(bytesOf(anonymousJoin)).contains(QLatin1String("participant sid")));

        pb::SignalResponse negativePing;
        negativePing.mutable_join()->mutable_participant()->set_sid("PA_1");
        negativePing.mutable_join()->set_ping_interval(-1);
        QVERIFY(refusal(bytesOf(negativePing)).contains(QLatin1String("negative")));

        pb::SignalResponse unknownLeave;
        unknownLeave.mutable_leave()->set_action(pb::LeaveRequest::Action(7));
        QVERIFY(refusal(bytesOf(unknownLeave)).contains(QLatin1String("unknown action 7")));

        // protobuf's own report of the refusal goes to the signalling's
        // log category, not stderr.
        pb::SignalResponse offer;
        offer.mutable_offer()->set_type("offer");
        offer.mutable_offer()->set_sdp("v=0 @@");
        QByteArray notUtf8 = bytesOf(offer);
        notUtf8.replace("@@", "\xff\xfe");
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("^protobuf: .*UTF-8")));
        QVERIFY(refusal(notUtf8).contains(QLatin1String("not a SignalResponse")));

        pb::SignalResponse huge;
        huge.mutable_offer()->set_type("offer");
        huge.mutable_offer()->set_sdp(std::string(kMaxSignalFrameBytes, 'a'));
        QVERIFY(refusal(bytesOf(huge)).contains(QLatin1String("exceeds the limit")));
    }

    void parsesCandidateInit_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: accepted

        QTest::newRow("full") << QByteArray(R"({"candidate":"candidate:1 1 udp 1 192.0.2.1 9 )"
                                            R"(typ host","sdpMid":"0","sdpMLineIndex":0})")
                              << QString();
        QTest::newRow("end of candidates")
            << QByteArray(R"({"candidate":"","sdpMid":null,"sdpMLineIndex":2})") << QString();
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("no candidate")
            << QByteArray(R"({"sdpMLineIndex":0})") << QStringLiteral("without a candidate");
        QTest::newRow("number candidate") << QByteArray(R"({"candidate":5,"sdpMLineIndex":0})")
                                          << QStringLiteral("without a candidate");
        QTest::newRow("foreign line")
            << QByteArray(R"({"candidate":"a=candidate:1","sdpMLineIndex":0})")
            << QStringLiteral("does not start");
        QTest::newRow("injected line")
            << QByteArray(R"({"candidate":"candidate:1\r\na=x","sdpMLineIndex":0})")
            << QStringLiteral("line break");
        QTest::newRow("numeric mid")
            << QByteArray(R"({"candidate":"","sdpMid":0,"sdpMLineIndex":0})")
            << QStringLiteral("sdpMid");
        QTest::newRow("no index") << QByteArray(R"({"candidate":"","sdpMid":"0"})")
                                  << QStringLiteral("sdpMLineIndex");
        QTest::newRow("negative index") << QByteArray(R"({"candidate":"","sdpMLineIndex":-1})")
                                        << QStringLiteral("sdpMLineIndex");
        QTest::newRow("fractional index") << QByteArray(R"({"candidate":"","sdpMLineIndex":0.5})")
                                          << QStringLiteral("sdpMLineIndex");
        QTest::newRow("huge index") << QByteArray(R"({"candidate":"","sdpMLineIndex":70000})")
                                    << QStringLiteral("sdpMLineIndex");
        QTest::newRow("oversized")
            << QByteArray(R"({"candidate":"candidate:)") + QByteArray(kMaxCandidateInitBytes, 'x') +
                   QByteArray(R"(","sdpMLineIndex":0})")
            << QStringLiteral("bytes");
    }

    void parsesCandidateInit()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        IceCandidate candidate;
        QString actual;
        QCOMPARE(parseCandidateInit(json, &candidate, &actual), error.isEmpty());
        if (error.isEmpty())
            QVERIFY(actual.isEmpty());
        else
            QVERIFY2(actual.contains(error), qPrintable(actual));
    }

    void candidateJsonRoundTrips()
    {
        const IceCandidate original{kCandidate, QStringLiteral("audio"), 3};
        IceCandidate parsed;
        QString error;
        QVERIFY(parseCandidateInit(candidateInitJson(original), &parsed, &error));
        QCOMPARE(parsed, original);
    }

    void encodesRequests()
    {
        const pb::SignalRequest answer = requestOf(encodeAnswer(QStringLiteral("v=0\r\n")));
        QCOMPARE(answer.message_case(), pb::SignalRequest::kAnswer);
        QCOMPARE(answer.answer().type(), std::string("answer"));
        QCOMPARE(answer.answer().sdp(), std::string("v=0\r\n"));

        const IceCandidate candidate{kCandidate, QStringLiteral("0"), 0};
        const pb::SignalRequest trickled = requestOf(encodeTrickle(candidate));
        QCOMPARE(trickled.message_case(), pb::SignalRequest::kTrickle);
        QCOMPARE(trickled.trickle().target(), pb::SUBSCRIBER);
        QVERIFY(!trickled.trickle().final());
        IceCandidate parsed;
        QString error;
        QVERIFY(parseCandidateInit(QByteArray::fromStdString(trickled.trickle().candidateinit()),
                                   &parsed, &error));
        QCOMPARE(parsed, candidate);
        QVERIFY(requestOf(encodeTrickle({}, true)).trickle().final());

        const pb::SignalRequest ping = requestOf(encodePingReq(1700000000123, 42));
        QCOMPARE(ping.message_case(), pb::SignalRequest::kPingReq);
        QCOMPARE(ping.ping_req().timestamp(), 1700000000123);
        QCOMPARE(ping.ping_req().rtt(), 42);

        const pb::SignalRequest leave = requestOf(encodeLeave());
        QCOMPARE(leave.message_case(), pb::SignalRequest::kLeave);
        QCOMPARE(leave.leave().reason(), pb::CLIENT_INITIATED);
        QCOMPARE(leave.leave().action(), pb::LeaveRequest::DISCONNECT);
    }

    void buildsSignalUrl_data()
    {
        QTest::addColumn<QUrl>("livekit");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("resumeSid");
        QTest::addColumn<bool>("autoSubscribe");
        QTest::addColumn<QString>("expected"); // the query follows, checked separately

        QTest::newRow("http") << QUrl(QStringLiteral("http://lk.example:7880")) << QByteArray("t")
                              << QString() << true << QStringLiteral("ws://lk.example:7880/rtc");
        QTest::newRow("https with base path")
            << QUrl(QStringLiteral("https://example.org/livekit/")) << QByteArray("t") << QString()
            << true << QStringLiteral("wss://example.org/livekit/rtc");
        QTest::newRow("ws kept, query dropped")
            << QUrl(QStringLiteral("ws://127.0.0.1:7880/?x=1#f")) << QByteArray("t") << QString()
            << false << QStringLiteral("ws://127.0.0.1:7880/rtc");
        QTest::newRow("wss resume")
            << QUrl(QStringLiteral("WSS://lk.example")) << QByteArray("t") << QStringLiteral("PA_x")
            << true << QStringLiteral("wss://lk.example/rtc");
    }

    void buildsSignalUrl()
    {
        QFETCH(QUrl, livekit);
        QFETCH(QByteArray, token);
        QFETCH(QString, resumeSid);
        QFETCH(bool, autoSubscribe);
        QFETCH(QString, expected);
        const QUrl url = signalUrl(livekit, token, resumeSid, autoSubscribe);
        QVERIFY(url.isValid());
        QCOMPARE(url.adjusted(QUrl::RemoveQuery).toString(), expected);
        QString query = QStringLiteral("access_token=t&auto_subscribe=%1&sdk=cpp&version=%2"
                                       "&protocol=15&adaptive_stream=0")
                            .arg(autoSubscribe ? 1 : 0)
                            .arg(QLatin1String(ROOMSCRIBE_VERSION));
        if (!resumeSid.isEmpty())
            query += QStringLiteral("&reconnect=1&sid=") + resumeSid;
        QCOMPARE(url.query(QUrl::FullyEncoded), query);
    }

    void escapesTheToken()
    {
        const QByteArray token = "a+b/c=d&e f";
        const QUrl url = signalUrl(QUrl(QStringLiteral("http://h")), token, QStringLiteral("P&1"));
        QVERIFY(url.query(QUrl::FullyEncoded)
                    .startsWith(QLatin1String("access_token=a%2Bb%2Fc%3Dd%26e%20f&")));
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded),
                 QString::fromLatin1(token));
        QCOMPARE(query.queryItemValue(QStringLiteral("sid"), QUrl::FullyDecoded),
                 QStringLiteral("P&1"));
    }

    void refusesOtherSchemes()
    {
        QVERIFY(!signalUrl(QUrl(QStringLiteral("ftp://h")), "t").isValid());
        QVERIFY(!signalUrl(QUrl(QStringLiteral("lk.example:7880")), "t").isValid());
    }
};

QTEST_GUILESS_MAIN(TestSignalCodec)
#include "tst_signalcodec.moc"

// SignalClient against an in-test LiveKit signalling server that speaks the
// generated protobuf classes: the join, offer/answer, trickle both ways,
// keepalive, notices, resume after a drop, a refused resume and the full
// rejoin after it, the server's leave actions, bad frames, and leave() in
// every state.

#include "livekit/signal/livekit_signal.pb.h"
#include "livekit/signal/signalclient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace roomscribe;
using namespace roomscribe::livekit;
namespace pb = ::livekit;

namespace {

const QString kCandidate =
    QStringLiteral("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0");

// A LiveKit signalling endpoint at /base/rtc. Every upgrade comes through a
// plain TCP server so that one can be refused with an HTTP status.
class FakeSignalServer : public QObject
{
public:
    FakeSignalServer()
        : m_webSockets(QStringLiteral("fake-livekit"), QWebSocketServer::NonSecureMode)
    {
        QVERIFY(m_tcp.listen(QHostAddress::LocalHost, 0));
        connect(&m_tcp, &QTcpServer::newConnection, this, &FakeSignalServer::onTcpConnection);
        connect(&m_webSockets, &QWebSocketServer::newConnection, this,
                &FakeSignalServer::onWebSocket);
    }

    QUrl livekitUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/base/").arg(m_tcp.serverPort()));
    }

    void send(const pb::SignalResponse &response)
    {
        std::string bytes;
        response.SerializeToString(&bytes);
        QVERIFY(client);
        client->sendBinaryMessage(QByteArray::fromStdString(bytes));
    }

    void sendJoin(const char *sid, int pingInterval_s = 30, int pingTimeout_s = 60)
    {
        pb::SignalResponse response;
        pb::JoinResponse *join = response.mutable_join();
        join->mutable_room()->set_name("standup");
        join->mutable_participant()->set_sid(sid);
        join->mutable_participant()->set_identity("roomscribe-test");
        pb::ParticipantInfo *alice = join->add_other_participants();
        alice->set_sid("PA_alice");
        alice->set_identity("alice");
        pb::TrackInfo *mic = alice->add_tracks();
        mic->set_sid("TR_mic");
        mic->set_source(pb::MICROPHONE);
        join->set_ping_interval(pingInterval_s);
        join->set_ping_timeout(pingTimeout_s);
        join->set_subscriber_primary(true);
        send(response);
    }

    void sendReconnect()
    {
        pb::SignalResponse response;
        response.mutable_reconnect();
        send(response);
    }

    void sendLeave(pb::LeaveRequest::Action action)
    {
        pb::SignalResponse response;
        response.mutable_leave()->set_action(action);
        response.mutable_leave()->set_reason(pb::ROOM_DELETED);
        send(response);
    }

    // The requests of one kind the current or an earlier connection sent.
    QList<pb::SignalRequest> received(pb::SignalRequest::MessageCase kind) const
    {
        QList<pb::SignalRequest> result;
        for (const pb::SignalRequest &request : frames) {
            if (request.message_case() == kind)
                result.append(request);
        }
        return result;
    }

    QUrlQuery lastQuery() const { return QUrlQuery(requests.last()); }

    int refuseWith = 0; // the next upgrade is answered with this HTTP status
    bool answerPings = true;
    QList<QUrl> requests;         // every upgrade request, refused ones too
    QWebSocket *client = nullptr; // the newest connection
    int connections = 0;
    QList<pb::SignalRequest> frames;
    bool badRequest = false; // a frame that is not a SignalRequest arrived

private:
    void onTcpConnection()
    {
        while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
            if (refuseWith == 0) {
                m_webSockets.handleConnection(socket);
                continue;
            }
            const int status = refuseWith;
            refuseWith = 0;
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket, status] {
                const QByteArray head = socket->peek(socket->bytesAvailable());
                if (!head.contains("\r\n\r\n"))
                    return;
                const QList<QByteArray> requestLine = head.left(head.indexOf('\r')).split(' ');
                requests.append(QUrl(QStringLiteral("http://127.0.0.1") +
                                     QString::fromLatin1(requestLine.value(1))));
                socket->readAll();
                socket->write("HTTP/1.1 " + QByteArray::number(status) +
                              " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void onWebSocket()
    {
        while (QWebSocket *socket = m_webSockets.nextPendingConnection()) {
            socket->setParent(this);
            requests.append(socket->requestUrl());
            client = socket;
            ++connections;
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this, socket](const QByteArray &frame) { onFrame(socket, frame); });
        }
    }

    void onFrame(QWebSocket *socket, const QByteArray &frame)
    {
        pb::SignalRequest request;
        if (!request.ParseFromArray(frame.constData(), int(frame.size()))) {
            badRequest = true;
            return;
        }
        frames.append(request);
        if (request.message_case() == pb::SignalRequest::kPingReq && answerPings) {
            pb::SignalResponse pong;
            pong.mutable_pong_resp()->set_last_ping_timestamp(request.ping_req().timestamp());
            pong.mutable_pong_resp()->set_timestamp(request.ping_req().timestamp() + 1);
            std::string bytes;
            pong.SerializeToString(&bytes);
            socket->sendBinaryMessage(QByteArray::fromStdString(bytes));
        }
    }

    QTcpServer m_tcp;
    QWebSocketServer m_webSockets;
};

} // namespace

class TestSignalClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeSignalServer> m_server;
    int m_tokens = 0;

    SignalClientConfig config(int backoff_ms = 10)
    {
        SignalClientConfig config;
        config.livekitUrl = m_server->livekitUrl();
        config.tokenSource = [this] {
            return QByteArray("token-") + QByteArray::number(++m_tokens);
        };
        config.reconnect = stt::BackoffConfig{backoff_ms, 2.0, backoff_ms * 4};
        config.connectTimeout_ms = 30000;
        return config;
    }

    // Joins as PA_self; returns false (after a failed check) otherwise.
    bool joined(SignalClient &client, int pingInterval_s = 30, int pingTimeout_s = 60)
    {
        QSignalSpy joins(&client, &SignalClient::joined);
        const int connections = m_server->connections;
        client.join();
        [&] {
            QTRY_COMPARE(m_server->connections, connections + 1);
        }();
        if (QTest::currentTestFailed())
            return false;
        m_server->sendJoin("PA_self", pingInterval_s, pingTimeout_s);
        [&] {
            QTRY_COMPARE(joins.size(), 1);
        }();
        return !QTest::currentTestFailed() && client.state() == SignalClient::State::Joined;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeSignalServer>();
        m_tokens = 0;
    }

    void cleanup() { m_server.reset(); }

    void wholeSession()
    {
        SignalClient client(config());
        QSignalSpy joins(&client, &SignalClient::joined);
        QSignalSpy candidates(&client, &SignalClient::remoteCandidate);
        QSignalSpy updates(&client, &SignalClient::participantsUpdated);
        QSignalSpy unpublished(&client, &SignalClient::trackUnpublished);
        QSignalSpy mutes(&client, &SignalClient::trackMuted);
        QSignalSpy speakers(&client, &SignalClient::speakersChanged);
        QSignalSpy resumes(&client, &SignalClient::resumed);
        QSignalSpy closes(&client, &SignalClient::closed);
        QSignalSpy errors(&client, &SignalClient::protocolError);
        connect(&client, &SignalClient::offerReceived, &client, [&client](const QString &sdp) {
            client.sendAnswer(QStringLiteral("answer to ") + sdp);
        });

        // The join: path and query as LiveKit expects them.
        QCOMPARE(client.state(), SignalClient::State::Idle);
        client.join();
        QTRY_COMPARE(m_server->connections, 1);
        QCOMPARE(m_server->requests.last().path(), QStringLiteral("/base/rtc"));
        QUrlQuery query = m_server->lastQuery();
        QCOMPARE(query.queryItemValue(QStringLiteral("access_token")), QStringLiteral("token-1"));
        QCOMPARE(query.queryItemValue(QStringLiteral("auto_subscribe")), QStringLiteral("1"));
        QCOMPARE(query.queryItemValue(QStringLiteral("sdk")), QStringLiteral("cpp"));
        QCOMPARE(query.queryItemValue(QStringLiteral("protocol")), QStringLiteral("15"));
        QCOMPARE(query.queryItemValue(QStringLiteral("adaptive_stream")), QStringLiteral("0"));
        QVERIFY(!query.hasQueryItem(QStringLiteral("reconnect")));
        QCOMPARE(client.state(), SignalClient::State::Connecting);

        m_server->sendJoin("PA_self", 1, 60);
        QTRY_COMPARE(joins.size(), 1);
        const SignalJoin join = joins.at(0).at(0).value<SignalJoin>();
        QCOMPARE(join.self.sid, QStringLiteral("PA_self"));
        QCOMPARE(join.others.size(), 1);
        QCOMPARE(join.others.at(0).tracks.at(0).sid, QStringLiteral("TR_mic"));
        QCOMPARE(client.participantSid(), QStringLiteral("PA_self"));
        QCOMPARE(client.state(), SignalClient::State::Joined);

        // Offer in, answer out.
        pb::SignalResponse offer;
        offer.mutable_offer()->set_type("offer");
        offer.mutable_offer()->set_sdp("v=0 offer");
        m_server->send(offer);
        QTRY_COMPARE(m_server->received(pb::SignalRequest::kAnswer).size(), 1);
        const pb::SignalRequest answer = m_server->received(pb::SignalRequest::kAnswer).at(0);
        QCOMPARE(answer.answer().type(), std::string("answer"));
        QCOMPARE(answer.answer().sdp(), std::string("answer to v=0 offer"));

        // Candidates both ways.
        pb::SignalResponse trickle;
        trickle.mutable_trickle()->set_candidateinit(
            candidateInitJson({kCandidate, QStringLiteral("0"), 0}).toStdString());
        trickle.mutable_trickle()->set_target(pb::SUBSCRIBER);
        m_server->send(trickle);
        QTRY_COMPARE(candidates.size(), 1);
        QCOMPARE(candidates.at(0).at(0).value<IceCandidate>(),
                 (IceCandidate{kCandidate, QStringLiteral("0"), 0}));
        client.sendCandidate({kCandidate, QStringLiteral("0"), 0});
        QTRY_COMPARE(m_server->received(pb::SignalRequest::kTrickle).size(), 1);
        const pb::TrickleRequest sent =
            m_server->received(pb::SignalRequest::kTrickle).at(0).trickle();
        QCOMPARE(sent.target(), pb::SUBSCRIBER);
        IceCandidate parsed;
        QString error;
        QVERIFY(
            parseCandidateInit(QByteArray::fromStdString(sent.candidateinit()), &parsed, &error));
        QCOMPARE(parsed.candidate, kCandidate);

        // Keepalive: ping_req every second, each answered.
        QTRY_VERIFY(m_server->received(pb::SignalRequest::kPingReq).size() >= 2);
        const QList<pb::SignalRequest> pings = m_server->received(pb::SignalRequest::kPingReq);
        QVERIFY(pings.at(0).ping_req().timestamp() > 0);
        QVERIFY(pings.at(1).ping_req().timestamp() >= pings.at(0).ping_req().timestamp());
        QCOMPARE(client.state(), SignalClient::State::Joined);

        // Notices.
        pb::SignalResponse speaking;
        pb::SpeakerInfo *speaker = speaking.mutable_speakers_changed()->add_speakers();
        speaker->set_sid("PA_alice");
        speaker->set_level(0.75f);
        speaker->set_active(true);
        m_server->send(speaking);
        pb::SignalResponse update;
        pb::ParticipantInfo *gone = update.mutable_update()->add_participants();
        gone->set_sid("PA_bob");
        gone->set_state(pb::ParticipantInfo::DISCONNECTED);
        m_server->send(update);
        pb::SignalResponse mute;
        mute.mutable_mute()->set_sid("TR_mic");
        mute.mutable_mute()->set_muted(true);
        m_server->send(mute);
        pb::SignalResponse unpublish;
        unpublish.mutable_track_unpublished()->set_track_sid("TR_mic");
        m_server->send(unpublish);
        pb::SignalResponse refresh;
        refresh.set_refresh_token("refreshed.jwt");
        m_server->send(refresh);
        QTRY_COMPARE(unpublished.size(), 1);
        QCOMPARE(speakers.size(), 1);
        const auto speakerList = speakers.at(0).at(0).value<QList<SignalSpeaker>>();
        QCOMPARE(speakerList, (QList<SignalSpeaker>{{QStringLiteral("PA_alice"), 0.75f, true}}));
        QCOMPARE(updates.size(), 1);
        const auto participants = updates.at(0).at(0).value<QList<SignalParticipant>>();
        QCOMPARE(participants.size(), 1);
        QVERIFY(participants.at(0).disconnected);
        QCOMPARE(mutes.size(), 1);
        QCOMPARE(mutes.at(0).at(0).toString(), QStringLiteral("TR_mic"));
        QCOMPARE(mutes.at(0).at(1).toBool(), true);
        QCOMPARE(unpublished.at(0).at(0).toString(), QStringLiteral("TR_mic"));

        // The server drops the TCP connection: the client resumes with the
        // refreshed token; what it sends meanwhile goes out after the resume.
        m_server->client->abort();
        QTRY_COMPARE(m_server->connections, 2);
        query = m_server->lastQuery();
        QCOMPARE(query.queryItemValue(QStringLiteral("reconnect")), QStringLiteral("1"));
        QCOMPARE(query.queryItemValue(QStringLiteral("sid")), QStringLiteral("PA_self"));
        QCOMPARE(query.queryItemValue(QStringLiteral("access_token")),
                 QStringLiteral("refreshed.jwt"));
        QTRY_COMPARE(client.state(), SignalClient::State::Resuming);
        client.sendCandidate({QString(), QStringLiteral("0"), 0});
        m_server->sendReconnect();
        QTRY_COMPARE(resumes.size(), 1);
        QCOMPARE(client.state(), SignalClient::State::Joined);
        QTRY_COMPARE(m_server->received(pb::SignalRequest::kTrickle).size(), 2);
        QCOMPARE(joins.size(), 1);

        // The next resume is refused: a full join follows, and joined() again.
        m_server->refuseWith = 401;
        m_server->client->abort();
        QTRY_COMPARE(m_server->connections, 3);
        QCOMPARE(m_server->requests.size(), 4);
        QCOMPARE(QUrlQuery(m_server->requests.at(2)).queryItemValue(QStringLiteral("sid")),
                 QStringLiteral("PA_self"));
        QVERIFY(!m_server->lastQuery().hasQueryItem(QStringLiteral("reconnect")));
        m_server->sendJoin("PA_self2");
        QTRY_COMPARE(joins.size(), 2);
        QCOMPARE(client.participantSid(), QStringLiteral("PA_self2"));
        QCOMPARE(resumes.size(), 1);

        // leave(): a LeaveRequest, then the close.
        QWebSocket *last = m_server->client;
        QSignalSpy serverSideClosed(last, &QWebSocket::disconnected);
        client.leave();
        QCOMPARE(client.state(), SignalClient::State::Closed);
        QCOMPARE(closes.size(), 1);
        QTRY_COMPARE(m_server->received(pb::SignalRequest::kLeave).size(), 1);
        const pb::LeaveRequest leave = m_server->received(pb::SignalRequest::kLeave).at(0).leave();
        QCOMPARE(leave.reason(), pb::CLIENT_INITIATED);
        QCOMPARE(leave.action(), pb::LeaveRequest::DISCONNECT);
        QTRY_COMPARE(serverSideClosed.size(), 1);
        client.leave();
        QCOMPARE(closes.size(), 1);
        QCOMPARE(errors.size(), 0);
        QVERIFY(!m_server->badRequest);
    }

    void missingPongsResume()
    {
        SignalClient client(config());
        QVERIFY(joined(client, 1, 1));
        m_server->answerPings = false;
        QTRY_COMPARE(m_server->connections, 2);
        QCOMPARE(m_server->lastQuery().queryItemValue(QStringLiteral("sid")),
                 QStringLiteral("PA_self"));
    }

    void badFramesReconnect()
    {
        SignalClient client(config());
        QSignalSpy errors(&client, &SignalClient::protocolError);
        QSignalSpy resumes(&client, &SignalClient::resumed);
        QSignalSpy joins(&client, &SignalClient::joined);
        QVERIFY(joined(client));

        // Garbage while joined: an error, then a resume.
        m_server->client->sendBinaryMessage(QByteArray::fromHex("ffffffffffffffffffff01"));
        QTRY_COMPARE(errors.size(), 1);
        QTRY_COMPARE(m_server->connections, 2);
        QCOMPARE(m_server->lastQuery().queryItemValue(QStringLiteral("reconnect")),
                 QStringLiteral("1"));
        m_server->sendReconnect();
        QTRY_COMPARE(resumes.size(), 1);

        // A text frame and a publisher trickle, likewise.
        m_server->client->sendTextMessage(QStringLiteral("{}"));
        QTRY_COMPARE(errors.size(), 2);
        QTRY_COMPARE(m_server->connections, 3);
        m_server->sendReconnect();
        QTRY_COMPARE(resumes.size(), 2);
        pb::SignalResponse trickle;
        trickle.mutable_trickle()->set_candidateinit(R"({"candidate":"","sdpMLineIndex":0})");
        trickle.mutable_trickle()->set_target(pb::PUBLISHER);
        m_server->send(trickle);
        QTRY_COMPARE(errors.size(), 3);
        QTRY_COMPARE(m_server->connections, 4);

        // Garbage instead of the reconnect answer: the resume counts as
        // refused and a full join follows.
        m_server->client->sendBinaryMessage(QByteArray::fromHex("ffff"));
        QTRY_COMPARE(m_server->connections, 5);
        QVERIFY(!m_server->lastQuery().hasQueryItem(QStringLiteral("reconnect")));
        m_server->sendJoin("PA_self");
        QTRY_COMPARE(joins.size(), 2);
        QCOMPARE(client.state(), SignalClient::State::Joined);
    }

    void serverLeaveActions()
    {
        SignalClient client(config());
        QSignalSpy joins(&client, &SignalClient::joined);
        QSignalSpy resumes(&client, &SignalClient::resumed);
        QSignalSpy closes(&client, &SignalClient::closed);
        QVERIFY(joined(client));

        m_server->sendLeave(pb::LeaveRequest::RESUME);
        QTRY_COMPARE(m_server->connections, 2);
        QCOMPARE(m_server->lastQuery().queryItemValue(QStringLiteral("sid")),
                 QStringLiteral("PA_self"));
        // A resume answered with RECONNECT: a full join.
        m_server->sendLeave(pb::LeaveRequest::RECONNECT);
        QTRY_COMPARE(m_server->connections, 3);
        QVERIFY(!m_server->lastQuery().hasQueryItem(QStringLiteral("reconnect")));
        m_server->sendJoin("PA_self");
        QTRY_COMPARE(joins.size(), 2);

        m_server->sendLeave(pb::LeaveRequest::DISCONNECT);
        QTRY_COMPARE(closes.size(), 1);
        QCOMPARE(client.state(), SignalClient::State::Closed);
        QCOMPARE(client.retryAt_ms(), qint64(0));
        QCOMPARE(resumes.size(), 0);
    }

    void refusedJoinCloses()
    {
        SignalClient client(config());
        QSignalSpy closes(&client, &SignalClient::closed);
        m_server->refuseWith = 403;
        client.join();
        QTRY_COMPARE(closes.size(), 1);
        QVERIFY2(closes.at(0).at(0).toString().contains(QLatin1String("403")),
                 qPrintable(closes.at(0).at(0).toString()));
        QCOMPARE(client.state(), SignalClient::State::Closed);
        QCOMPARE(client.retryAt_ms(), qint64(0));
        QCOMPARE(m_server->requests.size(), 1);
    }

    void otherRefusalsAreRetried()
    {
        SignalClient client(config());
        QSignalSpy joins(&client, &SignalClient::joined);
        m_server->refuseWith = 503;
        client.join();
        QTRY_COMPARE(m_server->connections, 1);
        QCOMPARE(m_server->requests.size(), 2);
        m_server->sendJoin("PA_self");
        QTRY_COMPARE(joins.size(), 1);
    }

    void silentServerTimesOut()
    {
        SignalClientConfig quick = config();
        quick.connectTimeout_ms = 100;
        SignalClient client(quick);
        client.join();
        // The upgrade succeeds but no join follows: the attempt is given up
        // and another one made.
        QTRY_VERIFY(m_server->connections >= 2);
        QVERIFY(!m_server->lastQuery().hasQueryItem(QStringLiteral("reconnect")));
    }

    void leaveWhileWaitingFinishesAtOnce()
    {
        // Long delays: the client sits in WaitingToReconnect until leave().
        SignalClient client(config(600000));
        QVERIFY(joined(client));
        QSignalSpy closes(&client, &SignalClient::closed);
        bool left = false;
        connect(&client, &SignalClient::stateChanged, &client,
                [&](SignalClient::State state, const QString &detail) {
                    if (state != SignalClient::State::WaitingToReconnect || left)
                        return;
                    QVERIFY(detail.startsWith(QLatin1String("Resuming in ")));
                    QVERIFY(client.retryAt_ms() > 0);
                    left = true;
                    client.leave();
                });
        m_server->client->abort();
        QTRY_VERIFY(left);
        QCOMPARE(closes.size(), 1);
        QCOMPARE(client.state(), SignalClient::State::Closed);
        QCOMPARE(client.retryAt_ms(), qint64(0));
    }

    void leaveWhileConnectingFinishesAtOnce()
    {
        SignalClient client(config());
        QSignalSpy closes(&client, &SignalClient::closed);
        client.join();
        QCOMPARE(client.state(), SignalClient::State::Connecting);
        client.leave();
        QCOMPARE(closes.size(), 1);
        QCOMPARE(client.state(), SignalClient::State::Closed);
    }

    void leaveBeforeJoin()
    {
        SignalClient client(config());
        QSignalSpy closes(&client, &SignalClient::closed);
        client.leave();
        QCOMPARE(closes.size(), 1);
        client.join();
        QCOMPARE(client.state(), SignalClient::State::Closed);
    }

    void rejoinStartsAFreshSession()
    {
        SignalClient client(config());
        QSignalSpy joins(&client, &SignalClient::joined);
        QVERIFY(joined(client));
        client.rejoin();
        QCOMPARE(client.state(), SignalClient::State::Connecting);
        QTRY_COMPARE(m_server->connections, 2);
        QVERIFY(!m_server->lastQuery().hasQueryItem(QStringLiteral("reconnect")));
        m_server->sendJoin("PA_other");
        QTRY_COMPARE(joins.size(), 2);
        QCOMPARE(client.participantSid(), QStringLiteral("PA_other"));
    }

    void speakersOnlyDoesNotAutoSubscribe()
    {
        SignalClientConfig withoutTracks = config();
        withoutTracks.autoSubscribe = false;
        SignalClient client(withoutTracks);
        client.join();
        QTRY_COMPARE(m_server->connections, 1);
        QCOMPARE(m_server->lastQuery().queryItemValue(QStringLiteral("auto_subscribe")),
                 QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestSignalClient)
#include "tst_signalclient.moc"

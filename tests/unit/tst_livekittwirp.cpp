// TwirpClient against an in-test HTTP responder on loopback: paths, bearer
// tokens and their grants, request bodies, snake_case and camelCase answers,
// and every error mapping including time-outs.

#include "livekit/twirpclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace roomscribe::livekit;

namespace {

const QString kKey = QStringLiteral("APIkey123");
const QByteArray kSecret = QByteArrayLiteral("a-secret-of-at-least-32-characters!!");
constexpr int kWait_ms = 5000;

struct Request
{
    QByteArray method;
    QByteArray path;
    QByteArray authorization;
    QByteArray contentType;
    QByteArray body;
};

struct Response
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body = "{}";
};

// One-request-per-connection HTTP/1.1 responder; `answer` decides each reply,
// and an empty optional means never to answer.
class FakeLiveKit : public QObject
{
public:
    std::function<std::optional<Response>(const Request &)> answer = [](const Request &) {
        return Response{};
    };
    QList<Request> requests;

    bool start()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        qsizetype length = 0;
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "authorization")
                request.authorization = value;
            else if (name == "content-type")
                request.contentType = value;
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        request.body = buffer.mid(headerEnd + 4, length);
        m_buffers.remove(socket);
        requests.append(request);

        const std::optional<Response> response = answer(request);
        if (!response)
            return;
        QByteArray reply = "HTTP/1.1 " + QByteArray::number(response->status) + " X\r\n";
        if (!response->contentType.isEmpty())
            reply += "Content-Type: " + response->contentType + "\r\n";
        reply += "Content-Length: " + QByteArray::number(response->body.size()) +
                 "\r\nConnection: close\r\n\r\n" + response->body;
        socket->write(reply);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

SecretLookup secrets()
{
    return [](const QString &apiKey) -> std::optional<QByteArray> {
        if (apiKey == kKey)
            return kSecret;
        return std::nullopt;
    };
}

// The grant of the request's bearer token; empty unless the token verifies.
std::optional<VideoGrant> grantOf(const Request &request)
{
    if (!request.authorization.startsWith("Bearer "))
        return std::nullopt;
    const TokenVerification verification =
        verifyToken(request.authorization.mid(7), secrets(), QDateTime::currentSecsSinceEpoch(),
                    std::chrono::seconds(0));
    if (!verification.ok() || verification.claims.apiKey != kKey ||
        verification.claims.expiresAt - verification.claims.notBefore > 600) {
        qWarning() << "bad bearer token:" << verification.reason;
        return std::nullopt;
    }
    return verification.claims.video;
}

VideoGrant recordGrant()
{
    VideoGrant grant;
    grant.roomRecord = true;
    return grant;
}

QJsonObject bodyOf(const Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

// The result of one call; empty unless the callback ran exactly once, later.
template <typename T>
std::optional<TwirpResult<T>> await(const std::function<void(TwirpCallback<T>)> &call)
{
    std::optional<TwirpResult<T>> result;
    int calls = 0;
    call([&](const TwirpResult<T> &r) {
        result = r;
        ++calls;
    });
    if (calls != 0)
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return calls > 0; }, kWait_ms))
        return std::nullopt;
    QTest::qWait(20);
    return calls == 1 ? result : std::nullopt;
}

ServerConfig configFor(const FakeLiveKit &server)
{
    ServerConfig config;
    config.host = server.url();
    config.apiKey = kKey;
    config.apiSecret = kSecret;
    return config;
}

// Slashes are escaped as JSON allows: moc mistakes "//" in raw strings for comments.
const QByteArray kEgressSnake = R"({
    "egress_id": "EG_abc", "room_id": "RM_1", "room_name": "standup",
    "status": "EGRESS_ACTIVE", "started_at": "1700000000123456789", "ended_at": "0",
    "updated_at": "1700000000123456789", "error": "", "error_code": 0, "details": "",
    "room_composite": {"room_name": "standup", "audio_only": true},
    "stream_results": [{"url": "rtmp:\/\/host:1935/live/{k...Y}", "status": "ACTIVE"}]})";

const QByteArray kEgressCamel = R"({
    "egressId": "EG_def", "roomName": "standup", "status": 4,
    "startedAt": 1700000000000000000, "endedAt": "1700000001000000000",
    "error": "pipeline failed", "track": {"trackId": "TR_1", "websocketUrl": "wss:\/\/x/y"}})";

} // namespace

class TestLiveKitTwirp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listRoomsSnakeCase()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &) {
            return Response{200, "application/json", R"({"rooms":[
                {"sid":"RM_1","name":"standup","num_participants":3,"num_publishers":"2",
                 "creation_time":"1700000000","empty_timeout":300,"metadata":""},
                {"sid":"RM_2","name":"retro","num_participants":0,"num_publishers":0,
                 "creation_time":"1700000100"}]})"};
        };
        TwirpClient client(configFor(server));
        const auto result = await<QList<Room>>([&](auto done) { client.listRooms(done); });
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value.size(), 2);
        QCOMPARE(result->value[0].sid, QStringLiteral("RM_1"));
        QCOMPARE(result->value[0].name, QStringLiteral("standup"));
        QCOMPARE(result->value[0].numParticipants, 3);
        QCOMPARE(result->value[0].numPublishers, 2);
        QCOMPARE(result->value[0].creationTime, qint64(1700000000));
        QCOMPARE(result->value[1].name, QStringLiteral("retro"));

        QCOMPARE(server.requests.size(), 1);
        const Request &request = server.requests[0];
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QByteArray("/twirp/livekit.RoomService/ListRooms"));
        QCOMPARE(request.contentType, QByteArray("application/json"));
        QCOMPARE(bodyOf(request), QJsonObject());
        VideoGrant expected;
        expected.roomList = true;
        QVERIFY(grantOf(request) == expected);
    }

    void listRoomsCamelCaseAndEmpty()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &) {
            return Response{200, "application/json; charset=utf-8",
                            R"({"rooms":[{"sid":"RM_1","name":"a","numParticipants":1,
                                "creationTime":1700000000}]})"};
        };
        TwirpClient client(configFor(server));
        auto result = await<QList<Room>>([&](auto done) { client.listRooms(done); });
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value.size(), 1);
        QCOMPARE(result->value[0].numParticipants, 1);
        QCOMPARE(result->value[0].numPublishers, 0);
        QCOMPARE(result->value[0].creationTime, qint64(1700000000));

        // protobuf JSON leaves out an empty list.
        server.answer = [](const Request &) {
            return Response{};
        };
        result = await<QList<Room>>([&](auto done) { client.listRooms(done); });
        QVERIFY(result);
        QVERIFY(result->ok());
        QVERIFY(result->value.isEmpty());
    }

    void listParticipants()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &) {
            return Response{200, "application/json", R"({"participants":[
                {"sid":"PA_1","identity":"alice","name":"Alice","state":"ACTIVE",
                 "tracks":[{"sid":"TR_1","type":"AUDIO","source":"MICROPHONE","muted":false},
                           {"sid":"TR_2","type":"VIDEO","source":"CAMERA","muted":true}]},
                {"sid":"PA_2","identity":"bob","state":1,
                 "tracks":[{"sid":"TR_3","type":0,"source":4}]},
                {"sid":"PA_3","identity":"carol","state":"FROM_THE_FUTURE"}]})"};
        };
        TwirpClient client(configFor(server));
        const auto result = await<QList<Participant>>(
            [&](auto done) { client.listParticipants(QStringLiteral("standup"), done); });
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value.size(), 3);
        const Participant &alice = result->value[0];
        QCOMPARE(alice.identity, QStringLiteral("alice"));
        QCOMPARE(alice.name, QStringLiteral("Alice"));
        QCOMPARE(alice.state, ParticipantState::Active);
        QCOMPARE(alice.tracks.size(), 2);
        QCOMPARE(alice.tracks[0].sid, QStringLiteral("TR_1"));
        QCOMPARE(alice.tracks[0].type, TrackType::Audio);
        QCOMPARE(alice.tracks[0].source, TrackSource::Microphone);
        QCOMPARE(alice.tracks[0].muted, false);
        QCOMPARE(alice.tracks[1].type, TrackType::Video);
        QCOMPARE(alice.tracks[1].muted, true);
        QCOMPARE(result->value[1].state, ParticipantState::Joined);
        QCOMPARE(result->value[1].tracks[0].type, TrackType::Audio);
        QCOMPARE(result->value[1].tracks[0].source, TrackSource::ScreenShareAudio);
        QCOMPARE(result->value[2].state, ParticipantState::Invalid);

        const Request &request = server.requests.value(0);
        QCOMPARE(request.path, QByteArray("/twirp/livekit.RoomService/ListParticipants"));
        QCOMPARE(bodyOf(request), (QJsonObject{{"room", "standup"}}));
        VideoGrant expected;
        expected.roomAdmin = true;
        expected.room = QStringLiteral("standup");
        QVERIFY(grantOf(request) == expected);
    }

    void startRoomCompositeEgress()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &) {
            return Response{200, "application/json", kEgressSnake};
        };
        ServerConfig config = configFor(server);
        config.host.setScheme(QStringLiteral("ws")); // the URL clients join with works too
        TwirpClient client(config);
        const QUrl rtmp(QStringLiteral("rtmp://ingest.example:1935/live/SECRETKEY"));
        const auto result = await<EgressInfo>([&](auto done) {
            client.startRoomCompositeEgress(QStringLiteral("standup"), rtmp, done);
        });
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value.egressId, QStringLiteral("EG_abc"));
        QCOMPARE(result->value.roomName, QStringLiteral("standup"));
        QCOMPARE(result->value.status, EgressStatus::Active);
        QCOMPARE(result->value.startedAt, qint64(1700000000123456789));
        QCOMPARE(result->value.endedAt, qint64(0));
        QCOMPARE(result->value.kind, EgressKind::RoomComposite);
        QCOMPARE(result->value.streamUrls,
                 QStringList{QStringLiteral("rtmp://host:1935/live/{k...Y}")});

        const Request &request = server.requests.value(0);
        QCOMPARE(request.path, QByteArray("/twirp/livekit.Egress/StartRoomCompositeEgress"));
        const QJsonObject expectedBody{
            {"roomName", "standup"},
            {"audioOnly", true},
            {"streamOutputs",
             QJsonArray{QJsonObject{{"protocol", "RTMP"}, {"urls", QJsonArray{rtmp.toString()}}}}},
            {"advanced", QJsonObject{{"audioFrequency", 48000}}}};
        QCOMPARE(bodyOf(request), expectedBody);
        QVERIFY(grantOf(request) == recordGrant());
    }

    void startTrackEgressCamelCase()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &) {
            return Response{200, "application/json", kEgressCamel};
        };
        TwirpClient client(configFor(server));
        const auto result = await<EgressInfo>([&](auto done) {
            client.startTrackEgress(QStringLiteral("standup"), QStringLiteral("TR_1"),
                                    QUrl(QStringLiteral("wss://scribe.example/pcm/1")), done);
        });
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value.egressId, QStringLiteral("EG_def"));
        QCOMPARE(result->value.status, EgressStatus::Failed);
        QCOMPARE(result->value.startedAt, qint64(1700000000000000000));
        QCOMPARE(result->value.endedAt, qint64(1700000001000000000));
        QCOMPARE(result->value.error, QStringLiteral("pipeline failed"));
        QCOMPARE(result->value.kind, EgressKind::Track);

        const Request &request = server.requests.value(0);
        QCOMPARE(request.path, QByteArray("/twirp/livekit.Egress/StartTrackEgress"));
        QCOMPARE(bodyOf(request), (QJsonObject{{"roomName", "standup"},
                                               {"trackId", "TR_1"},
                                               {"websocketUrl", "wss://scribe.example/pcm/1"}}));
        QVERIFY(grantOf(request) == recordGrant());
    }

    void stopAndListEgress()
    {
        FakeLiveKit server;
        QVERIFY(server.start());
        server.answer = [](const Request &request) {
            if (request.path.endsWith("/StopEgress"))
                return Response{200, "application/json",
                                R"({"egressId":"EG_abc","status":"EGRESS_ENDING"})"};
            return Response{200, "application/json",
                            "{\"items\":[" + kEgressSnake + "," + kEgressCamel +
                                R"(,{"egress_id":"EG_x","status":"EGRESS_LIMIT_REACHED"},
                                   {"egress_id":"EG_y"}]})"};
        };
        TwirpClient client(configFor(server));
        const auto stopped = await<EgressInfo>(
            [&](auto done) { client.stopEgress(QStringLiteral("EG_abc"), done); });
        QVERIFY(stopped);
        QVERIFY(stopped->ok());
        QCOMPARE(stopped->value.status, EgressStatus::Ending);
        QCOMPARE(server.requests.value(0).path, QByteArray("/twirp/livekit.Egress/StopEgress"));
        QCOMPARE(bodyOf(server.requests.value(0)), (QJsonObject{{"egressId", "EG_abc"}}));
        QVERIFY(grantOf(server.requests.value(0)) == recordGrant());

        const auto listed = await<QList<EgressInfo>>(
            [&](auto done) { client.listEgress(QStringLiteral("standup"), true, done); });
        QVERIFY(listed);
        QVERIFY(listed->ok());
        QCOMPARE(listed->value.size(), 4);
        QCOMPARE(listed->value[0].egressId, QStringLiteral("EG_abc"));
        QCOMPARE(listed->value[1].egressId, QStringLiteral("EG_def"));
        QCOMPARE(listed->value[2].status, EgressStatus::LimitReached);
        // An absent enum is its protobuf zero.
        QCOMPARE(listed->value[3].status, EgressStatus::Starting);
        QCOMPARE(listed->value[3].kind, EgressKind::Other);
        QCOMPARE(server.requests.value(1).path, QByteArray("/twirp/livekit.Egress/ListEgress"));
        QCOMPARE(bodyOf(server.requests.value(1)),
                 (QJsonObject{{"roomName", "standup"}, {"active", true}}));
        QVERIFY(grantOf(server.requests.value(1)) == recordGrant());

        const auto all =
            await<QList<EgressInfo>>([&](auto done) { client.listEgress({}, false, done); });
        QVERIFY(all);
        QVERIFY(all->ok());
        QCOMPARE(bodyOf(server.requests.value(2)), QJsonObject());
    }

    void errors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");

        QTest::newRow("429") << 429 << QByteArray("application/json")
                             << QByteArray(R"({"code":"resource_exhausted",)"
                                           R"("msg":"concurrent egress sessions limit exceeded"})")
                             << ErrorKind::ResourceExhausted << "resource_exhausted"
                             << "concurrent egress sessions limit exceeded";
        QTest::newRow("401") << 401 << QByteArray("application/json")
                             << QByteArray(R"({"code":"unauthenticated","msg":"invalid token"})")
                             << ErrorKind::Unauthenticated << "unauthenticated"
                             << "invalid token";
        QTest::newRow("403") << 403 << QByteArray("application/json")
                             << QByteArray(R"({"code":"permission_denied","msg":"no"})")
                             << ErrorKind::PermissionDenied << "permission_denied"
                             << "no";
        QTest::newRow("404") << 404 << QByteArray("application/json")
                             << QByteArray(R"({"code":"not_found","msg":"room not found"})")
                             << ErrorKind::NotFound << "not_found"
                             << "room not found";
        QTest::newRow("400") << 400 << QByteArray("application/json")
                             << QByteArray(R"({"code":"invalid_argument","msg":"bad url"})")
                             << ErrorKind::InvalidArgument << "invalid_argument"
                             << "bad url";
        QTest::newRow("412") << 412 << QByteArray("application/json")
                             << QByteArray(R"({"code":"failed_precondition","msg":"ended"})")
                             << ErrorKind::FailedPrecondition << "failed_precondition"
                             << "ended";
        QTest::newRow("503") << 503 << QByteArray("application/json")
                             << QByteArray(
                                    R"({"code":"unavailable","msg":"no response from servers"})")
                             << ErrorKind::Unavailable << "unavailable"
                             << "no response from servers";
        QTest::newRow("500 unknown code")
            << 500 << QByteArray("application/json")
            << QByteArray(R"({"code":"internal","msg":"boom"})") << ErrorKind::Other << "internal"
            << "boom";
        // A proxy's page: the status decides.
        QTest::newRow("502 html") << 502 << QByteArray("text/html")
                                  << QByteArray("<html>Bad Gateway</html>")
                                  << ErrorKind::Unavailable << ""
                                  << "<html>Bad Gateway</html>";
        QTest::newRow("429 plain") << 429 << QByteArray("text/plain") << QByteArray("slow down")
                                   << ErrorKind::ResourceExhausted << ""
                                   << "slow down";
        QTest::newRow("malformed json 200")
            << 200 << QByteArray("application/json") << QByteArray("{\"rooms\":[")
            << ErrorKind::Malformed << ""
            << "answer is not a JSON object";
        QTest::newRow("non-json 200") << 200 << QByteArray("text/html")
                                      << QByteArray(R"({"rooms":[]})") << ErrorKind::Malformed << ""
                                      << "answer is not application/json";
        QTest::newRow("wrong shape 200")
            << 200 << QByteArray("application/json") << QByteArray(R"({"rooms":{"sid":"x"}})")
            << ErrorKind::Malformed << ""
            << "answer lacks the expected fields";
    }

    void errors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        QFETCH(QString, message);

        FakeLiveKit server;

        QVERIFY(server.start());
        server.answer = [&](const Request &) {
            return Response{status, contentType, body};
        };
        TwirpClient client(configFor(server));
        const auto result = await<QList<Room>>([&](auto done) { client.listRooms(done); });
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error->kind, kind);
        QCOMPARE(result->error->httpStatus, status);
        QCOMPARE(result->error->code, code);
        QCOMPARE(result->error->message, message);
    }

    void networkErrors()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        ServerConfig config;
        config.host = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort));
        config.apiKey = kKey;
        config.apiSecret = kSecret;
        TwirpClient refused(config);
        const auto result = await<QList<Room>>([&](auto done) { refused.listRooms(done); });
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error->kind, ErrorKind::Network);
        QCOMPARE(result->error->httpStatus, 0);

        FakeLiveKit silent;

        QVERIFY(silent.start());
        silent.answer = [](const Request &) {
            return std::optional<Response>();
        };
        config = configFor(silent);
        config.transferTimeout = std::chrono::milliseconds(300);
        TwirpClient timingOut(config);
        const auto timedOut = await<QList<Room>>([&](auto done) { timingOut.listRooms(done); });
        QVERIFY(timedOut);
        QVERIFY(!timedOut->ok());
        QCOMPARE(timedOut->error->kind, ErrorKind::Network);
        QCOMPARE(timedOut->error->message, QStringLiteral("no answer within 300 ms"));
    }

    void destroyedClientNeverCallsBack()
    {
        FakeLiveKit silent;
        QVERIFY(silent.start());
        silent.answer = [](const Request &) {
            return std::optional<Response>();
        };
        bool called = false;
        {
            TwirpClient client(configFor(silent));
            client.listRooms([&](const TwirpResult<QList<Room>> &) { called = true; });
            QTRY_COMPARE_WITH_TIMEOUT(silent.requests.size(), 1, kWait_ms);
        }
        QTest::qWait(100);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestLiveKitTwirp)
#include "tst_livekittwirp.moc"

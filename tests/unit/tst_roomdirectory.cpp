// RoomDirectory: webhooks applied at once, polls of an in-test Twirp answerer
// replacing the state, exactly which signals each change yields, answers
// older than a webhook, and an unreachable server.

#include "livekit/httprequestreader.h"
#include "livekit/roomdirectory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace roomscribe::livekit;

namespace {

constexpr int kWait_ms = 10000;
constexpr std::chrono::hours kNoTimer{1}; // tests poll with refresh()

// Answers Twirp calls from the state it holds, as the real server does
// (snake_case, every call on a connection of its own). Reads requests with
// the engine's own HttpRequestReader.
class FakeTwirp : public QObject
{
public:
    QJsonArray rooms;
    QHash<QString, QJsonArray> participants; // by room
    QJsonArray activeEgresses;
    QHash<QString, QJsonObject> egressById; // what ListEgress by id finds
    int failStatus = 0;                     // non-zero: every call answers this
    bool dropConnections = false;           // close every connection unanswered
    QSet<QString> heldMethods;              // parked until release()
    QList<QPair<QString, QJsonObject>> calls;
    int connections = 0;

    bool start()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                socket->setParent(this);
                if (dropConnections) {
                    socket->abort();
                    socket->deleteLater();
                    continue;
                }
                auto reader = std::make_shared<HttpRequestReader>(1 << 20);
                connect(socket, &QTcpSocket::readyRead, this,
                        [this, socket, reader] { read(socket, *reader); });
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }

    int callsOf(const QString &method) const
    {
        return int(std::count_if(calls.begin(), calls.end(),
                                 [&](const auto &call) { return call.first == method; }));
    }

    void release()
    {
        const auto parked = std::exchange(m_parked, {});
        for (const Parked &call : parked) {
            if (call.socket)
                respond(call.socket, call.method, call.body);
        }
    }

private:
    struct Parked
    {
        QPointer<QTcpSocket> socket;
        QString method;
        QJsonObject body;
    };

    void read(QTcpSocket *socket, HttpRequestReader &reader)
    {
        if (reader.feed(socket->readAll()) != HttpRequestReader::Status::Complete)
            return;
        const QString method =
            QString::fromLatin1(reader.request().target).section(QLatin1Char('/'), -1);
        const QJsonObject body = QJsonDocument::fromJson(reader.request().body).object();
        calls.append({method, body});
        if (heldMethods.contains(method))
            m_parked.append({socket, method, body});
        else
            respond(socket, method, body);
    }

    void respond(QTcpSocket *socket, const QString &method, const QJsonObject &body)
    {
        int status = 200;
        QJsonObject answer;
        if (failStatus != 0) {
            status = failStatus;
            answer = {{"code", "unavailable"}, {"msg", "no response from servers"}};
        } else if (method == QLatin1String("ListRooms")) {
            answer = {{"rooms", rooms}};
        } else if (method == QLatin1String("ListParticipants")) {
            const QString room = body.value("room").toString();
            if (participants.contains(room)) {
                answer = {{"participants", participants.value(room)}};
            } else {
                status = 404;
                answer = {{"code", "not_found"}, {"msg", "room not found"}};
            }
        } else if (method == QLatin1String("ListEgress")) {
            const QString id = body.value("egressId").toString();
            QJsonArray items = activeEgresses;
            if (!id.isEmpty()) {
                items = {};
                if (egressById.contains(id))
                    items.append(egressById.value(id));
            }
            answer = {{"items", items}};
        } else {
            status = 404;
            answer = {{"code", "bad_route"}, {"msg", "no such method"}};
        }
        const QByteArray json = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 " + QByteArray::number(status) +
                      " X\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QList<Parked> m_parked;
};

QJsonObject roomJson(const QString &name)
{
    return {{"sid", "RM_" + name},
            {"name", name},
            {"num_participants", 0},
            {"num_publishers", 0},
            {"creation_time", "1700000000"}};
}

QJsonObject trackJson(const QString &sid, const char *type, const char *source, bool muted = false)
{
    return {{"sid", sid}, {"type", type}, {"source", source}, {"muted", muted}};
}

QJsonObject participantJson(const QString &identity, const QJsonArray &tracks = {})
{
    return {{"sid", "PA_" + identity}, {"identity", identity}, {"name", identity},
            {"state", "ACTIVE"},       {"kind", "STANDARD"},   {"tracks", tracks}};
}

QJsonObject egressJson(const QString &id, const QString &room, const char *status)
{
    return {{"egress_id", id},
            {"room_name", room},
            {"status", status},
            {"started_at", "1700000000000000000"},
            {"room_composite", QJsonObject{{"room_name", room}, {"audio_only", true}}},
            {"stream_results", QJsonArray{}}};
}

QString trackName(const TrackInfo &track)
{
    QString name = track.sid;
    name += track.type == TrackType::Audio ? " audio" : " other";
    if (track.source == TrackSource::Microphone)
        name += " mic";
    else if (track.source == TrackSource::Camera)
        name += " camera";
    return name;
}

// Every signal of a directory, in order, as readable lines.
class Recorder
{
public:
    explicit Recorder(RoomDirectory *directory)
    {
        auto add = [this](const QString &line) {
            m_log.append(line);
        };
        QObject::connect(directory, &RoomDirectory::roomAppeared, directory,
                         [add](const QString &room) { add("appeared " + room); });
        QObject::connect(directory, &RoomDirectory::roomGone, directory,
                         [add](const QString &room) { add("gone " + room); });
        QObject::connect(directory, &RoomDirectory::participantsChanged, directory,
                         [add](const QString &room) { add("changed " + room); });
        QObject::connect(directory, &RoomDirectory::trackPublished, directory,
                         [add](const QString &room, const QString &identity, const TrackInfo &t) {
                             add("published " + room + ' ' + identity + ' ' + trackName(t));
                         });
        QObject::connect(directory, &RoomDirectory::trackUnpublished, directory,
                         [add](const QString &room, const QString &identity, const QString &sid) {
                             add("unpublished " + room + ' ' + identity + ' ' + sid);
                         });
        QObject::connect(directory, &RoomDirectory::participantLeft, directory,
                         [add](const QString &room, const QString &identity) {
                             add("left " + room + ' ' + identity);
                         });
        QObject::connect(directory, &RoomDirectory::egressChanged, directory,
                         [add](const EgressInfo &info) {
                             add(info.egressId + ' ' + egressStatusName(info.status));
                         });
        QObject::connect(directory, &RoomDirectory::activeEgressesRefreshed, directory,
                         [add] { add("refreshed"); });
        QObject::connect(directory, &RoomDirectory::reachabilityChanged, directory,
                         [add](bool reachable, const QString &) {
                             add(reachable ? "reachable" : "unreachable");
                         });
    }

    QStringList take() { return std::exchange(m_log, {}); }
    bool contains(const QString &line) const { return m_log.contains(line); }
    qsizetype count(const QString &line) const { return m_log.count(line); }

private:
    QStringList m_log;
};

void apply(RoomDirectory &directory, const QByteArray &json)
{
    const std::optional<WebhookEvent> event = parseWebhookEvent(json);
    QVERIFY2(event, json.constData());
    directory.applyWebhook(*event);
}

ServerConfig configFor(const QUrl &url)
{
    ServerConfig config;
    config.host = url;
    config.apiKey = QStringLiteral("APIkey123");
    config.apiSecret = QByteArrayLiteral("a-secret-of-at-least-32-characters!!");
    return config;
}

// Polls once and waits for the poll's end: its ListEgress answer.
bool pollOnce(RoomDirectory &directory, Recorder &recorder)
{
    directory.refresh();
    return QTest::qWaitFor([&] { return recorder.contains("refreshed"); }, kWait_ms);
}

} // namespace

class TestRoomDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void webhooksUpdateAtOnce()
    {
        RoomDirectory directory(nullptr);
        Recorder log(&directory);

        apply(directory, R"({"event":"room_started","room":{"sid":"RM_1","name":"standup"}})");
        QCOMPARE(log.take(), QStringList{"appeared standup"});
        QCOMPARE(directory.rooms().size(), 1);
        QCOMPARE(directory.room("standup")->info.sid, QStringLiteral("RM_1"));

        const QByteArray aliceJoined = R"({"event":"participant_joined",
            "room":{"name":"standup"},"participant":{"identity":"alice","state":"JOINED"}})";
        apply(directory, aliceJoined);
        QCOMPARE(log.take(), QStringList{"changed standup"});
        apply(directory, aliceJoined);
        QCOMPARE(log.take(), QStringList{});

        apply(directory, R"({"event":"track_published","room":{"name":"standup"},
            "participant":{"identity":"alice","state":"ACTIVE"},
            "track":{"sid":"TR_A","type":"AUDIO","source":"MICROPHONE"}})");
        QCOMPARE(log.take(),
                 (QStringList{"published standup alice TR_A audio mic", "changed standup"}));
        const Participant alice = directory.room("standup")->participants.value("alice");
        QCOMPARE(alice.state, ParticipantState::Active);
        QCOMPARE(alice.tracks.size(), 1);
        QCOMPARE(alice.tracks[0].source, TrackSource::Microphone);

        // A snapshot that lacks a known track (webhooks arrive out of order) keeps it.
        apply(directory, R"({"event":"track_published","room":{"name":"standup"},
            "participant":{"identity":"alice","state":"ACTIVE","tracks":[]},
            "track":{"sid":"TR_V","type":"VIDEO","source":"CAMERA"}})");
        QCOMPARE(log.take(),
                 (QStringList{"published standup alice TR_V other camera", "changed standup"}));
        QCOMPARE(directory.room("standup")->participants.value("alice").tracks.size(), 2);

        // Muting is a change of the participant, not a new track.
        apply(directory, R"({"event":"track_published","room":{"name":"standup"},
            "participant":{"identity":"alice","state":"ACTIVE"},
            "track":{"sid":"TR_A","type":"AUDIO","source":"MICROPHONE","muted":true}})");
        QCOMPARE(log.take(), QStringList{"changed standup"});

        const QByteArray cameraGone = R"({"event":"track_unpublished","room":{"name":"standup"},
            "participant":{"identity":"alice"},"track":{"sid":"TR_V"}})";
        apply(directory, cameraGone);
        QCOMPARE(log.take(), (QStringList{"unpublished standup alice TR_V", "changed standup"}));
        apply(directory, cameraGone);
        QCOMPARE(log.take(), QStringList{});

        // A participant in a room whose room_started was missed brings the room.
        apply(directory, R"({"event":"participant_joined","room":{"name":"retro"},
            "participant":{"identity":"bob"}})");
        QCOMPARE(log.take(), (QStringList{"appeared retro", "changed retro"}));

        apply(directory, R"({"event":"participant_left","room":{"name":"standup"},
            "participant":{"identity":"alice"}})");
        QCOMPARE(log.take(), (QStringList{"left standup alice", "changed standup"}));
        apply(directory, R"({"event":"participant_connection_aborted","room":{"name":"retro"},
            "participant":{"identity":"bob"}})");
        QCOMPARE(log.take(), (QStringList{"left retro bob", "changed retro"}));

        apply(directory, R"({"event":"room_finished","room":{"name":"standup"}})");
        QCOMPARE(log.take(), QStringList{"gone standup"});
        QVERIFY(!directory.room("standup"));

        apply(directory, R"({"event":"egress_started","egressInfo":{"egressId":"EG_1",
            "roomName":"retro","status":"EGRESS_STARTING","roomComposite":{}}})");
        QCOMPARE(log.take(), QStringList{"EG_1 EGRESS_STARTING"});
        QCOMPARE(directory.activeEgresses().size(), 1);
        const QByteArray active = R"({"event":"egress_updated","egressInfo":{"egressId":"EG_1",
            "roomName":"retro","status":"EGRESS_ACTIVE","roomComposite":{}}})";
        apply(directory, active);
        QCOMPARE(log.take(), QStringList{"EG_1 EGRESS_ACTIVE"});
        apply(directory, active);
        QCOMPARE(log.take(), QStringList{});
        // A status this client does not know changes nothing.
        apply(directory, R"({"event":"egress_updated","egressInfo":{"egressId":"EG_1",
            "roomName":"retro","status":"EGRESS_FROM_THE_FUTURE","roomComposite":{}}})");
        QCOMPARE(log.take(), QStringList{});
        QCOMPARE(directory.activeEgresses().value(0).status, EgressStatus::Active);
        apply(directory, R"({"event":"egress_ended","egressInfo":{"egressId":"EG_1",
            "roomName":"retro","status":"EGRESS_COMPLETE","roomComposite":{}}})");
        QCOMPARE(log.take(), QStringList{"EG_1 EGRESS_COMPLETE"});
        QVERIFY(directory.activeEgresses().isEmpty());

        apply(directory, R"({"event":"room_metadata_changed","room":{"name":"retro"}})");
        QCOMPARE(log.take(), QStringList{});
        QVERIFY(!directory.isReachable()); // never polled
    }

    void pollReplacesState()
    {
        FakeTwirp server;
        QVERIFY(server.start());
        server.rooms = {roomJson("standup"), roomJson("retro")};
        server.participants["standup"] = {
            participantJson("alice", {trackJson("TR_A", "AUDIO", "MICROPHONE"),
                                      trackJson("TR_C", "VIDEO", "CAMERA")}),
            participantJson("bob")};
        server.participants["retro"] = {};
        server.activeEgresses = {egressJson("EG_1", "standup", "EGRESS_ACTIVE")};

        TwirpClient client(configFor(server.url()));
        RoomDirectory directory(&client, kNoTimer);
        Recorder log(&directory);
        QVERIFY(pollOnce(directory, log));
        QCOMPARE(log.take(),
                 (QStringList{"appeared standup", "appeared retro",
                              "published standup alice TR_A audio mic",
                              "published standup alice TR_C other camera", "changed standup",
                              "EG_1 EGRESS_ACTIVE", "refreshed", "reachable"}));
        QVERIFY(directory.isReachable());
        QVERIFY(directory.lastError().isEmpty());
        const std::optional<RoomView> standup = directory.room("standup");
        QVERIFY(standup);
        QCOMPARE(standup->participants.keys(), (QStringList{"alice", "bob"}));
        QCOMPARE(standup->participants.value("alice").kind, ParticipantKind::Standard);
        QCOMPARE(directory.activeEgresses().size(), 1);
        QCOMPARE(directory.activeEgresses()[0].egressId, QStringLiteral("EG_1"));

        QCOMPARE(server.callsOf("ListRooms"), 1);
        QCOMPARE(server.callsOf("ListParticipants"), 2);
        QCOMPARE(server.callsOf("ListEgress"), 1);
        QCOMPARE(server.calls.last().second, (QJsonObject{{"active", true}}));

        // The same state again, tracks listed in another order: nothing but the egress clock.
        server.participants["standup"] = {
            participantJson("alice", {trackJson("TR_C", "VIDEO", "CAMERA"),
                                      trackJson("TR_A", "AUDIO", "MICROPHONE")}),
            participantJson("bob")};
        QVERIFY(pollOnce(directory, log));
        QCOMPARE(log.take(), QStringList{"refreshed"});

        // retro closes, bob leaves, carol joins and speaks, alice mutes;
        // EG_1 ends unreported and EG_2 starts.
        server.rooms = {roomJson("standup")};
        server.participants.remove("retro");
        server.participants["standup"] = {
            participantJson("alice", {trackJson("TR_A", "AUDIO", "MICROPHONE", true),
                                      trackJson("TR_C", "VIDEO", "CAMERA")}),
            participantJson("carol", {trackJson("TR_K", "AUDIO", "MICROPHONE")})};
        server.activeEgresses = {egressJson("EG_2", "standup", "EGRESS_STARTING")};
        server.egressById["EG_1"] = egressJson("EG_1", "standup", "EGRESS_COMPLETE");
        QVERIFY(pollOnce(directory, log));
        QVERIFY(QTest::qWaitFor([&] { return log.contains("EG_1 EGRESS_COMPLETE"); }, kWait_ms));
        QCOMPARE(log.take(),
                 (QStringList{"gone retro", "published standup carol TR_K audio mic",
                              "left standup bob", "changed standup", "EG_2 EGRESS_STARTING",
                              "refreshed", "EG_1 EGRESS_COMPLETE"}));
        QCOMPARE(server.calls.last().second, (QJsonObject{{"egressId", "EG_1"}}));
        QCOMPARE(directory.rooms().size(), 1);
        QVERIFY(directory.room("standup")->participants.value("alice").tracks[0].muted);
        QCOMPARE(directory.activeEgresses().size(), 1);
        QCOMPARE(directory.activeEgresses()[0].egressId, QStringLiteral("EG_2"));

        // An egress LiveKit no longer knows at all is reported aborted.
        server.activeEgresses = {};
        QVERIFY(pollOnce(directory, log));
        QVERIFY(QTest::qWaitFor([&] { return log.contains("EG_2 EGRESS_ABORTED"); }, kWait_ms));
        QCOMPARE(log.take(), (QStringList{"refreshed", "EG_2 EGRESS_ABORTED"}));
        QVERIFY(directory.activeEgresses().isEmpty());
    }

    void answersOlderThanAWebhookDoNotUndoIt()
    {
        FakeTwirp server;
        QVERIFY(server.start());
        TwirpClient client(configFor(server.url()));
        RoomDirectory directory(&client, kNoTimer);
        Recorder log(&directory);

        // The room starts after ListRooms was sent: the empty answer is older.
        server.heldMethods = {"ListRooms"};
        directory.refresh();
        QVERIFY(QTest::qWaitFor([&] { return server.callsOf("ListRooms") == 1; }, kWait_ms));
        apply(directory, R"({"event":"room_started","room":{"name":"late"}})");
        QCOMPARE(log.take(), QStringList{"appeared late"});
        server.release();
        QVERIFY(QTest::qWaitFor([&] { return log.contains("refreshed"); }, kWait_ms));
        QCOMPARE(log.take(), (QStringList{"refreshed", "reachable"}));
        QVERIFY(directory.room("late"));

        // The egress ends after ListEgress was sent: the answer still lists it.
        server.heldMethods = {"ListEgress"};
        server.activeEgresses = {egressJson("EG_1", "late", "EGRESS_ACTIVE")};
        directory.refresh();
        QVERIFY(QTest::qWaitFor([&] { return server.callsOf("ListEgress") == 2; }, kWait_ms));
        apply(directory, R"({"event":"egress_ended","egressInfo":{"egressId":"EG_1",
            "roomName":"late","status":"EGRESS_FAILED","error":"boom","roomComposite":{}}})");
        server.release();
        QVERIFY(QTest::qWaitFor([&] { return log.contains("refreshed"); }, kWait_ms));
        // The ListRooms of this poll was sent after room_started: it is the truth again.
        QCOMPARE(log.take(), (QStringList{"gone late", "EG_1 EGRESS_FAILED", "refreshed"}));
        QVERIFY(directory.activeEgresses().isEmpty());

        server.heldMethods.clear();
        server.activeEgresses = {};
        QVERIFY(pollOnce(directory, log));
        QCOMPARE(log.take(), QStringList{"refreshed"});
    }

    void pollsByItself()
    {
        FakeTwirp server;
        QVERIFY(server.start());
        server.rooms = {roomJson("standup")};
        server.participants["standup"] = {};
        TwirpClient client(configFor(server.url()));
        RoomDirectory directory(&client, std::chrono::milliseconds(20));
        Recorder log(&directory);
        directory.start();
        QVERIFY(QTest::qWaitFor([&] { return log.contains("appeared standup"); }, kWait_ms));
        server.rooms = {};
        QVERIFY(QTest::qWaitFor([&] { return log.contains("gone standup"); }, kWait_ms));
        QVERIFY(server.callsOf("ListRooms") >= 2);
    }

    void unreachableIsReportedOnce()
    {
        FakeTwirp server;
        QVERIFY(server.start());
        server.dropConnections = true;
        TwirpClient client(configFor(server.url()));
        RoomDirectory directory(&client, std::chrono::milliseconds(10));
        Recorder log(&directory);
        directory.start();
        // Each poll is a ListRooms and a ListEgress: wait for several polls.
        QVERIFY(QTest::qWaitFor([&] { return server.connections >= 8; }, kWait_ms));
        QCOMPARE(log.take(), QStringList{"unreachable"});
        QVERIFY(!directory.isReachable());
        QVERIFY2(directory.lastError().startsWith("ListRooms failed: "),
                 qPrintable(directory.lastError()));

        // Another kind of failure is news; the same one again is not.
        server.dropConnections = false;
        server.failStatus = 503;
        QVERIFY(QTest::qWaitFor([&] { return server.callsOf("ListRooms") >= 4; }, kWait_ms));
        QCOMPARE(log.take(), QStringList{"unreachable"});
        QVERIFY2(directory.lastError().contains("HTTP 503"), qPrintable(directory.lastError()));

        server.failStatus = 0;
        QVERIFY(QTest::qWaitFor([&] { return log.contains("reachable"); }, kWait_ms));
        const int calls = server.callsOf("ListRooms");
        QVERIFY(
            QTest::qWaitFor([&] { return server.callsOf("ListRooms") >= calls + 3; }, kWait_ms));
        QCOMPARE(log.count("reachable"), 1);
        QCOMPARE(log.count("unreachable"), 0);
        QVERIFY(directory.isReachable());
        QVERIFY(directory.lastError().isEmpty());
    }

    void closedPortIsUnreachable()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        TwirpClient client(configFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort))));
        RoomDirectory directory(&client, kNoTimer);
        Recorder log(&directory);
        directory.refresh();
        QVERIFY(QTest::qWaitFor([&] { return log.contains("unreachable"); }, kWait_ms));
        QVERIFY(!directory.isReachable());
        QVERIFY(!directory.lastError().isEmpty());
        QCOMPARE(log.take(), QStringList{"unreachable"});
    }
};

QTEST_GUILESS_MAIN(TestRoomDirectory)
#include "tst_roomdirectory.moc"

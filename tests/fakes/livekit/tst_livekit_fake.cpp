#include "fakehttp.h"
#include "fakelivekit.h"
#include "fakemessages.h"
#include "livekit/accesstoken.h"
#include "livekit/webhookverifier.h"
#include "speechsample.h"
#include "testsupport.h"
#include "waituntil.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <memory>

using namespace roomscribe;
using namespace roomscribe::test;

namespace {

const QString kKey = QStringLiteral("test-key");
const QByteArray kSecret = "test-secret-that-is-long-enough";

QByteArray token(const livekit::VideoGrant &grant, const QString &key = kKey,
                 const QByteArray &secret = kSecret, qint64 notBeforeShift_s = 0,
                 qint64 ttl_s = 600)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch() + notBeforeShift_s;
    return livekit::createToken(livekit::makeClaims(key, grant, now, std::chrono::seconds(ttl_s)),
                                secret);
}

livekit::VideoGrant grantOf(const QJsonObject &json)
{
    return livekit::VideoGrant::fromJson(json);
}

const livekit::VideoGrant kRecord = grantOf({{"roomRecord", true}});
const livekit::VideoGrant kList = grantOf({{"roomList", true}});

livekit::VideoGrant adminOf(const QString &room)
{
    return grantOf({{"roomAdmin", true}, {"room", room}});
}

struct Answer
{
    int status = 0;
    QByteArray contentType;
    QByteArray raw;
    QJsonObject body;
};

Answer send(const QByteArray &method, const QUrl &url, const QByteArray &authorization,
            const QByteArray &body, const QByteArray &contentType = "application/json")
{
    static auto *network = new QNetworkAccessManager(qApp);
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    QNetworkReply *reply = network->sendCustomRequest(request, method, body);
    if (!waitUntil([reply] { return reply->isFinished(); }))
        return {};
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.contentType = reply->rawHeader("Content-Type");
    answer.raw = reply->readAll();
    answer.body = QJsonDocument::fromJson(answer.raw).object();
    reply->deleteLater();
    return answer;
}

Answer twirp(const FakeLiveKit &fake, const QString &service, const QString &method,
             const QJsonObject &request, const QByteArray &authorization)
{
    QUrl url = fake.url();
    url.setPath(QStringLiteral("/twirp/livekit.%1/%2").arg(service, method));
    return send("POST", url, authorization, QJsonDocument(request).toJson());
}

Answer twirp(const FakeLiveKit &fake, const QString &service, const QString &method,
             const QJsonObject &request, const livekit::VideoGrant &grant)
{
    return twirp(fake, service, method, request, "Bearer " + token(grant));
}

Answer control(const FakeLiveKit &fake, const QByteArray &method, const QString &action,
               const QJsonObject &request = {})
{
    QUrl url = fake.url();
    url.setPath(QStringLiteral("/_fake/") + action);
    return send(method, url, {}, method == "GET" ? QByteArray() : QJsonDocument(request).toJson());
}

// Receives webhooks; the first `failures` requests are answered 500.
class WebhookSink : public QObject
{
public:
    struct Received
    {
        QByteArray body;
        QByteArray authorization;
        QByteArray contentType;
    };

    WebhookSink()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    http::Request request;
                    if (http::parseRequest(*buffer, &request) != http::Parse::Complete)
                        return;
                    buffer->clear();
                    ++attempts;
                    if (failures > 0) {
                        --failures;
                        http::respond(socket, 500, "text/plain", "try again\n");
                        return;
                    }
                    received.append({request.body, request.header("authorization"),
                                     request.header("content-type")});
                    http::respond(socket, 200, {}, {});
                });
            }
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/webhook").arg(m_server.serverPort()));
    }
    QStringList events() const
    {
        QStringList names;
        for (const Received &hook : received)
            names << QJsonDocument::fromJson(hook.body).object().value("event").toString();
        return names;
    }

    QList<Received> received;
    int failures = 0;
    int attempts = 0;

private:
    QTcpServer m_server;
};

// A Track Egress destination: records the handshake's headers (peeked before
// QWebSocketServer takes the connection) and every message.
class PcmSink : public QObject
{
public:
    struct Message
    {
        bool binary = false;
        QByteArray data;
    };

    PcmSink() : m_webSockets(QStringLiteral("sink"), QWebSocketServer::NonSecureMode)
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    const QByteArray head = socket->peek(64 * 1024);
                    if (!head.contains("\r\n\r\n"))
                        return;
                    socket->disconnect(this);
                    handshake = head.left(head.indexOf("\r\n\r\n"));
                    m_webSockets.handleConnection(socket);
                });
            }
        });
        connect(&m_webSockets, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *socket = m_webSockets.nextPendingConnection();
            ++connections;
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this](const QByteArray &data) {
                        messages.append({true, data});
                    });
            connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                messages.append({false, text.toUtf8()});
            });
            connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                closeCode = socket->closeCode();
                closed = true;
                socket->deleteLater();
            });
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/track?token=t").arg(m_server.serverPort()));
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : handshake.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QByteArray audio() const
    {
        QByteArray pcm;
        for (const Message &message : messages)
            pcm += message.binary ? message.data : QByteArray();
        return pcm;
    }
    int binaryCount() const
    {
        return int(std::count_if(messages.cbegin(), messages.cend(),
                                 [](const Message &message) { return message.binary; }));
    }
    int indexOfText(const QByteArray &text, int from = 0) const
    {
        for (int i = from; i < messages.size(); ++i) {
            if (!messages[i].binary && messages[i].data == text)
                return i;
        }
        return -1;
    }

    QByteArray handshake;
    QList<Message> messages;
    int connections = 0;
    bool closed = false;
    QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal;

private:
    QTcpServer m_server;
    QWebSocketServer m_webSockets;
};

// A loopback port nobody listens on (right now).
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Whether something listens on 127.0.0.1:port, from /proc/net/tcp: asking by
// connecting would use up ffmpeg's single -listen connection.
bool isListening(quint16 port)
{
    QFile table(QStringLiteral("/proc/net/tcp"));
    if (!table.open(QIODevice::ReadOnly))
        return false;
    const QByteArray local =
        QByteArray("0100007F:") + QByteArray::number(port, 16).toUpper().rightJustified(4, '0');
    for (const QByteArray &line : table.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() > 3 && fields[1] == local && fields[3] == "0A")
            return true;
    }
    return false;
}

// The data chunk of a WAV file.
QByteArray wavData(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return readPcm48kStereoWav(file.readAll());
}

double rms(const QByteArray &pcm)
{
    const auto *samples = reinterpret_cast<const qint16 *>(pcm.constData());
    const qsizetype count = pcm.size() / 2;
    double sum = 0;
    for (qsizetype i = 0; i < count; ++i)
        sum += double(samples[i]) * samples[i];
    return count ? std::sqrt(sum / count) : 0;
}

} // namespace

class TestLiveKitFake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void redactsStreamKeysLikeLiveKit();
    void refusesBadTokensAndMissingGrants();
    void answersRoomServiceInSnakeCase();
    void acceptsSnakeCaseRequests();
    void signsWebhooksInOrder();
    void retriesAWebhookOnce();
    void limitsConcurrentEgress();
    void stopsAndListsEgress();
    void roomCompositeDeliversAacOverRtmp();
    void roomCompositeFailsWhenRtmpIsRefused();
    void trackEgressDeliversPcmWithMuteFrames();
    void trackEgressEndsWhenTheParticipantLeaves();
    void controlApiScriptsTheRoom();

private:
    Answer startTrackEgress(const QString &room, const QString &trackSid, const QUrl &url);
    livekit::SecretLookup lookup() const
    {
        return [](const QString &key) -> std::optional<QByteArray> {
            return key == kKey ? std::optional<QByteArray>(kSecret) : std::nullopt;
        };
    }

    QTemporaryDir m_dir;
    QString m_alice; // 48 kHz stereo: sent as it is
    QString m_bob;   // 22.05 kHz mono: converted by the fake
    std::unique_ptr<WebhookSink> m_hooks;
    std::unique_ptr<FakeLiveKit> m_fake;
};

void TestLiveKitFake::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_alice =
        makeSpeech(m_dir.path(), QStringLiteral("alice"), QStringLiteral("en"),
                   QStringLiteral("Hello, this is Alice speaking in the fake room."), 48000, 2);
    QVERIFY(!m_alice.isEmpty());
    m_bob = m_dir.filePath(QStringLiteral("bob.wav"));
    QVERIFY(run(QStringLiteral("espeak-ng"),
                {QStringLiteral("-w"), m_bob, QStringLiteral("Bob has something to say.")}, 30000));
}

void TestLiveKitFake::init()
{
    m_hooks = std::make_unique<WebhookSink>();
    m_fake = std::make_unique<FakeLiveKit>();
    m_fake->setCredentials(kKey, kSecret);
    m_fake->setWebhookUrl(m_hooks->url());
    QString error;
    QVERIFY2(m_fake->listen(&error), qPrintable(error));
}

void TestLiveKitFake::cleanup()
{
    m_fake.reset();
    m_hooks.reset();
}

Answer TestLiveKitFake::startTrackEgress(const QString &room, const QString &trackSid,
                                         const QUrl &url)
{
    return twirp(*m_fake, "Egress", "StartTrackEgress",
                 {{"roomName", room}, {"trackId", trackSid}, {"websocketUrl", url.toString()}},
                 kRecord);
}

void TestLiveKitFake::redactsStreamKeysLikeLiveKit()
{
    QCOMPARE(redactStreamKey("rtmp://host:1935/live/abcdefghij"),
             QStringLiteral("rtmp://host:1935/live/{abc...hij}"));
    QCOMPARE(redactStreamKey("rtmps://host/app/path/abcdef"),
             QStringLiteral("rtmps://host/app/path/{ab...ef}"));
    QCOMPARE(redactStreamKey("rtmp://host/live/abcd"), QStringLiteral("rtmp://host/live/{a...d}"));
    QCOMPARE(redactStreamKey("rtmp://host/live/ab"), QStringLiteral("rtmp://host/live/{...}"));
    QCOMPARE(redactStreamKey("ws://host/live/abcdefghij"),
             QStringLiteral("ws://host/live/abcdefghij"));
}

void TestLiveKitFake::refusesBadTokensAndMissingGrants()
{
    m_fake->createRoom("r1");
    const QJsonObject list;
    const auto expect = [](const Answer &answer, int status, const char *code) {
        QCOMPARE(answer.status, status);
        // The SDK reads the error only with exactly this type.
        QCOMPARE(answer.contentType, QByteArray("application/json"));
        QCOMPARE(answer.body.value("code").toString(), QLatin1String(code));
        QVERIFY(!answer.body.value("msg").toString().isEmpty());
    };
    expect(twirp(*m_fake, "RoomService", "ListRooms", list, QByteArray()), 401, "unauthenticated");
    expect(twirp(*m_fake, "RoomService", "ListRooms", list, token(kList)), 401, "unauthenticated");
    expect(twirp(*m_fake, "RoomService", "ListRooms", list, "Bearer not.a.jwt"), 401,
           "unauthenticated");
    expect(twirp(*m_fake, "RoomService", "ListRooms", list,
                 "Bearer " + token(kList, kKey, "another-secret")),
           401, "unauthenticated");
    expect(twirp(*m_fake, "RoomService", "ListRooms", list, "Bearer " + token(kList, "other-key")),
           401, "unauthenticated");
    expect(twirp(*m_fake, "RoomService", "ListRooms", list,
                 "Bearer " + token(kList, kKey, kSecret, -3600, 600)),
           401, "unauthenticated"); // expired
    expect(twirp(*m_fake, "RoomService", "ListRooms", list,
                 "Bearer " + token(kList, kKey, kSecret, 3600, 600)),
           401, "unauthenticated"); // not valid yet

    expect(twirp(*m_fake, "RoomService", "ListRooms", list, adminOf("r1")), 403,
           "permission_denied");
    expect(twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "r1"}}, kList), 403,
           "permission_denied");
    expect(twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "r1"}}, adminOf("r2")), 403,
           "permission_denied");
    expect(twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "r1"}},
                 grantOf({{"roomAdmin", true}})),
           403, "permission_denied");
    expect(twirp(*m_fake, "Egress", "ListEgress", {}, adminOf("r1")), 403, "permission_denied");
    expect(twirp(*m_fake, "Egress", "StopEgress", {{"egressId", "EG_x"}}, kList), 403,
           "permission_denied");

    expect(twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "nowhere"}},
                 adminOf("nowhere")),
           404, "not_found");
    expect(twirp(*m_fake, "RoomService", "DeleteRoom", {{"room", "r1"}},
                 grantOf({{"roomCreate", true}})),
           404, "bad_route");
    QUrl url = m_fake->url();
    url.setPath("/twirp/livekit.RoomService/ListRooms");
    expect(send("POST", url, "Bearer " + token(kList), "{not json"), 400, "malformed");
    expect(send("GET", url, "Bearer " + token(kList), {}), 404, "bad_route");

    QCOMPARE(twirp(*m_fake, "RoomService", "ListRooms", list, kList).status, 200);
    QCOMPARE(
        twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "r1"}}, adminOf("r1")).status,
        200);
}

void TestLiveKitFake::answersRoomServiceInSnakeCase()
{
    ParticipantSpec alice{"alice", "Alice", m_alice, true, false};
    ParticipantSpec bob{"bob", "Bob", {}, false, false};
    QVERIFY(m_fake->joinParticipant("standup", alice).startsWith("PA_"));
    QVERIFY(!m_fake->joinParticipant("standup", bob).isEmpty());
    m_fake->createRoom("empty");

    const Answer rooms = twirp(*m_fake, "RoomService", "ListRooms", {}, kList);
    QCOMPARE(rooms.status, 200);
    QCOMPARE(rooms.contentType, QByteArray("application/json"));
    const QJsonArray list = rooms.body.value("rooms").toArray();
    QCOMPARE(list.size(), 2);
    const QJsonObject standup = list.at(0).toObject();
    QCOMPARE(standup.value("name").toString(), QStringLiteral("standup"));
    QVERIFY(standup.value("sid").toString().startsWith("RM_"));
    QCOMPARE(standup.value("sid").toString().size(), 15);
    QCOMPARE(standup.value("num_participants").toInt(), 2);
    QCOMPARE(standup.value("num_publishers").toInt(), 1);
    QVERIFY(standup.value("creation_time").isString()); // int64
    QVERIFY(standup.value("creation_time").toString().toLongLong() > 1600000000);
    for (const char *field :
         {"empty_timeout", "departure_timeout", "max_participants", "creation_time_ms",
          "turn_password", "enabled_codecs", "metadata", "active_recording", "version"})
        QVERIFY2(standup.contains(field), field);

    const Answer filtered =
        twirp(*m_fake, "RoomService", "ListRooms", {{"names", QJsonArray{"empty"}}}, kList);
    QCOMPARE(filtered.body.value("rooms").toArray().size(), 1);

    const Answer people = twirp(*m_fake, "RoomService", "ListParticipants", {{"room", "standup"}},
                                adminOf("standup"));
    QCOMPARE(people.status, 200);
    const QJsonArray participants = people.body.value("participants").toArray();
    QCOMPARE(participants.size(), 2);
    const QJsonObject first = participants.at(0).toObject();
    QCOMPARE(first.value("identity").toString(), QStringLiteral("alice"));
    QCOMPARE(first.value("name").toString(), QStringLiteral("Alice"));
    QCOMPARE(first.value("state").toString(), QStringLiteral("ACTIVE"));
    QCOMPARE(first.value("kind").toString(), QStringLiteral("STANDARD"));
    QVERIFY(first.value("sid").toString().startsWith("PA_"));
    QVERIFY(first.value("joined_at").isString());
    const QJsonObject track = first.value("tracks").toArray().at(0).toObject();
    QVERIFY(track.value("sid").toString().startsWith("TR_"));
    QCOMPARE(track.value("type").toString(), QStringLiteral("AUDIO"));
    QCOMPARE(track.value("source").toString(), QStringLiteral("MICROPHONE"));
    QCOMPARE(track.value("muted").toBool(), false);
    QCOMPARE(track.value("sid").toString(), m_fake->microphoneTrackSid("standup", "alice"));
    QVERIFY(participants.at(1).toObject().value("tracks").toArray().isEmpty());

    const Answer one = twirp(*m_fake, "RoomService", "GetParticipant",
                             {{"room", "standup"}, {"identity", "bob"}}, adminOf("standup"));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body.value("identity").toString(), QStringLiteral("bob"));
    QCOMPARE(twirp(*m_fake, "RoomService", "GetParticipant",
                   {{"room", "standup"}, {"identity", "carol"}}, adminOf("standup"))
                 .status,
             404);
}

void TestLiveKitFake::acceptsSnakeCaseRequests()
{
    m_fake->joinParticipant("r", {"alice", "Alice", m_alice, true, false});
    PcmSink sink;
    const Answer started = twirp(*m_fake, "Egress", "StartTrackEgress",
                                 {{"room_name", "r"},
                                  {"track_id", m_fake->microphoneTrackSid("r", "alice")},
                                  {"websocket_url", sink.url().toString()}},
                                 kRecord);
    QCOMPARE(started.status, 200);
    const QString id = started.body.value("egress_id").toString();
    QVERIFY(id.startsWith("EG_"));
    QCOMPARE(started.body.value("track").toObject().value("websocket_url").toString(),
             sink.url().toString());
    const Answer listed =
        twirp(*m_fake, "Egress", "ListEgress", {{"room_name", "r"}, {"active", true}}, kRecord);
    QCOMPARE(listed.body.value("items").toArray().size(), 1);
    QCOMPARE(twirp(*m_fake, "Egress", "StopEgress", {{"egress_id", id}}, kRecord).status, 200);
    QVERIFY(
        waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Complete; }));
}

void TestLiveKitFake::signsWebhooksInOrder()
{
    const QString sid = m_fake->joinParticipant("r", {"alice", "Alice", m_alice, true, false});
    QVERIFY(!sid.isEmpty());
    const QString track = m_fake->microphoneTrackSid("r", "alice");
    QVERIFY(m_fake->setTrackMuted("r", "alice", track, true)); // no webhook for mutes
    QVERIFY(m_fake->leaveParticipant("r", "alice"));
    QVERIFY(m_fake->deleteRoom("r"));
    const QStringList expected{"room_started",      "participant_joined", "track_published",
                               "track_unpublished", "participant_left",   "room_finished"};
    QVERIFY(waitUntil([&] { return m_hooks->received.size() == expected.size(); }));
    QCOMPARE(m_hooks->events(), expected);

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QStringList ids;
    for (const WebhookSink::Received &hook : m_hooks->received) {
        QCOMPARE(hook.contentType, QByteArray("application/webhook+json"));
        QVERIFY(!hook.authorization.startsWith("Bearer"));
        const livekit::WebhookVerification verification =
            livekit::verifyWebhook(hook.body, hook.authorization, lookup(), now);
        QVERIFY2(verification.ok(), qPrintable(verification.reason));
        QVERIFY(verification.event.id.startsWith("EV_"));
        QVERIFY(qAbs(verification.event.createdAt - now) < 60);
        ids << verification.event.id;

        // A byte changed: the digest no longer matches.
        QByteArray tampered = hook.body;
        tampered.insert(1, ' ');
        QCOMPARE(livekit::verifyWebhook(tampered, hook.authorization, lookup(), now).status,
                 livekit::WebhookStatus::DigestMismatch);
        // Another key: refused.
        QVERIFY(!livekit::verifyWebhook(
                     hook.body, hook.authorization, [](const QString &) { return QByteArray("x"); },
                     now)
                     .ok());
    }
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());

    // lowerCamelCase, defaults left out.
    const QJsonObject joined = QJsonDocument::fromJson(m_hooks->received[1].body).object();
    QCOMPARE(joined.value("participant").toObject().value("identity").toString(),
             QStringLiteral("alice"));
    QCOMPARE(joined.value("participant").toObject().value("sid").toString(), sid);
    QVERIFY(joined.value("room").toObject().contains("numParticipants"));
    QVERIFY(!joined.value("room").toObject().contains("num_participants"));
    QVERIFY(!joined.value("room").toObject().contains("metadata"));
    QVERIFY(joined.value("createdAt").isString());
    const QJsonObject published = QJsonDocument::fromJson(m_hooks->received[2].body).object();
    QCOMPARE(published.value("track").toObject().value("sid").toString(), track);
    QCOMPARE(published.value("track").toObject().value("source").toString(),
             QStringLiteral("MICROPHONE"));
    const QJsonObject left = QJsonDocument::fromJson(m_hooks->received[4].body).object();
    QCOMPARE(left.value("participant").toObject().value("state").toString(),
             QStringLiteral("DISCONNECTED"));
}

void TestLiveKitFake::retriesAWebhookOnce()
{
    m_hooks->failures = 1;
    m_fake->createRoom("a");
    QVERIFY(waitUntil([&] { return m_hooks->received.size() == 1; }));
    QCOMPARE(m_hooks->attempts, 2);
    QVERIFY(waitUntil([&] { return m_fake->webhooksIdle(); }));
    QCOMPARE(m_fake->webhookDeliveries().first().attempts, 2);
    QVERIFY(m_fake->webhookDeliveries().first().delivered);

    // Two failures: given up after the retry; the next event still goes out.
    m_hooks->failures = 2;
    m_fake->createRoom("b");
    m_fake->createRoom("c");
    QVERIFY(waitUntil([&] { return m_hooks->received.size() == 2; }));
    QVERIFY(waitUntil([&] { return m_fake->webhooksIdle(); }));
    QCOMPARE(m_hooks->events(), (QStringList{"room_started", "room_started"}));
    const QList<WebhookDelivery> deliveries = m_fake->webhookDeliveries();
    QCOMPARE(deliveries.size(), 3);
    QCOMPARE(deliveries[1].attempts, 2);
    QVERIFY(!deliveries[1].delivered);
    QCOMPARE(deliveries[1].lastStatus, 500);
    QVERIFY(deliveries[2].delivered);
    QCOMPARE(QJsonDocument::fromJson(m_hooks->received[1].body)
                 .object()
                 .value("room")
                 .toObject()
                 .value("name")
                 .toString(),
             QStringLiteral("c"));
}

void TestLiveKitFake::limitsConcurrentEgress()
{
    m_fake->setEgressLimit(2);
    for (const char *identity : {"a", "b", "c"})
        m_fake->joinParticipant("r", {identity, {}, m_alice, true, false});
    PcmSink sink;
    const Answer first = startTrackEgress("r", m_fake->microphoneTrackSid("r", "a"), sink.url());
    const Answer second = startTrackEgress("r", m_fake->microphoneTrackSid("r", "b"), sink.url());
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    const Answer third = startTrackEgress("r", m_fake->microphoneTrackSid("r", "c"), sink.url());
    QCOMPARE(third.status, 429);
    QCOMPARE(third.contentType, QByteArray("application/json"));
    QCOMPARE(third.body, (QJsonObject{{"code", "resource_exhausted"},
                                      {"msg", "concurrent egress sessions limit exceeded"}}));
    // A composite counts against the same limit.
    QCOMPARE(twirp(*m_fake, "Egress", "StartRoomCompositeEgress",
                   {{"roomName", "r"},
                    {"audioOnly", true},
                    {"streamOutputs",
                     QJsonArray{QJsonObject{{"protocol", "RTMP"},
                                            {"urls", QJsonArray{"rtmp://127.0.0.1:1/live/k"}}}}}},
                   kRecord)
                 .status,
             429);
    QCOMPARE(m_fake->egressStartCount(), 2);
    QCOMPARE(m_fake->egressRefusedCount(), 2);

    // ENDING still counts; COMPLETE frees the slot.
    const QString id = first.body.value("egress_id").toString();
    const Answer stopped = twirp(*m_fake, "Egress", "StopEgress", {{"egressId", id}}, kRecord);
    QCOMPARE(stopped.body.value("status").toString(), QStringLiteral("EGRESS_ENDING"));
    if (m_fake->egress(id)->status == livekit::EgressStatus::Ending)
        QCOMPARE(startTrackEgress("r", m_fake->microphoneTrackSid("r", "c"), sink.url()).status,
                 429);
    QVERIFY(
        waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Complete; }));
    QCOMPARE(startTrackEgress("r", m_fake->microphoneTrackSid("r", "c"), sink.url()).status, 200);

    m_fake->setEgressLimit(3);
    QCOMPARE(startTrackEgress("r", m_fake->microphoneTrackSid("r", "a"), sink.url()).status, 200);
}

void TestLiveKitFake::stopsAndListsEgress()
{
    m_fake->joinParticipant("one", {"a", {}, m_alice, true, false});
    m_fake->joinParticipant("two", {"b", {}, m_alice, true, false});
    PcmSink sink;
    const QString first =
        startTrackEgress("one", m_fake->microphoneTrackSid("one", "a"), sink.url())
            .body.value("egress_id")
            .toString();
    const QString second =
        startTrackEgress("two", m_fake->microphoneTrackSid("two", "b"), sink.url())
            .body.value("egress_id")
            .toString();
    QVERIFY(waitUntil([&] {
        return m_fake->egress(first)->status == livekit::EgressStatus::Active &&
               m_fake->egress(second)->status == livekit::EgressStatus::Active;
    }));

    QCOMPARE(twirp(*m_fake, "Egress", "StopEgress", {{"egressId", "EG_unknown"}}, kRecord).status,
             404);
    QCOMPARE(twirp(*m_fake, "Egress", "StopEgress", {{"egressId", first}}, kRecord).status, 200);
    QVERIFY(waitUntil(
        [&] { return m_fake->egress(first)->status == livekit::EgressStatus::Complete; }));
    const Answer again = twirp(*m_fake, "Egress", "StopEgress", {{"egressId", first}}, kRecord);
    QCOMPARE(again.status, 412);
    QCOMPARE(again.body.value("code").toString(), QStringLiteral("failed_precondition"));

    const auto ids = [&](const QJsonObject &request) {
        QStringList found;
        for (const QJsonValue item :
             twirp(*m_fake, "Egress", "ListEgress", request, kRecord).body.value("items").toArray())
            found << item.toObject().value("egress_id").toString() + '=' +
                         item.toObject().value("status").toString();
        return found;
    };
    QCOMPARE(ids({}), (QStringList{first + "=EGRESS_COMPLETE", second + "=EGRESS_ACTIVE"}));
    QCOMPARE(ids({{"active", true}}), QStringList{second + "=EGRESS_ACTIVE"});
    QCOMPARE(ids({{"roomName", "one"}}), QStringList{first + "=EGRESS_COMPLETE"});
    QCOMPARE(ids({{"roomName", "one"}, {"active", true}}), QStringList());
    QCOMPARE(ids({{"egressId", second}}), QStringList{second + "=EGRESS_ACTIVE"});

    const QJsonObject item = twirp(*m_fake, "Egress", "ListEgress", {{"egressId", first}}, kRecord)
                                 .body.value("items")
                                 .toArray()
                                 .at(0)
                                 .toObject();
    for (const char *field :
         {"egress_id", "room_id", "room_name", "status", "started_at", "ended_at", "updated_at",
          "error", "error_code", "details", "track", "stream_results"})
        QVERIFY2(item.contains(field), field);
    QVERIFY(item.value("room_id").toString().startsWith("RM_"));
    QVERIFY(item.value("ended_at").toString().toLongLong() >=
            item.value("started_at").toString().toLongLong());
    QVERIFY(item.value("started_at").toString().toLongLong() > 0);
}

void TestLiveKitFake::roomCompositeDeliversAacOverRtmp()
{
    m_fake->joinParticipant("standup", {"alice", "Alice", m_alice, true, false});
    m_fake->joinParticipant("standup", {"bob", "Bob", m_bob, true, false});
    const quint16 port = freePort();
    const QString key = QStringLiteral("sk_roomscribe_123456");
    const QString url = QStringLiteral("rtmp://127.0.0.1:%1/live/%2").arg(port).arg(key);
    const QString flv = m_dir.filePath(QStringLiteral("composite.flv"));
    QProcess ffmpeg;
    ffmpeg.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    ffmpeg.start(QStringLiteral("timeout"),
                 {"-k", "2", "40", "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-listen",
                  "1", "-i", url, "-t", "3", "-c", "copy", flv});
    QVERIFY(waitUntil([&] { return isListening(port); }));

    const QJsonObject output{{"protocol", "RTMP"}, {"urls", QJsonArray{url}}};
    const Answer started = twirp(*m_fake, "Egress", "StartRoomCompositeEgress",
                                 {{"roomName", "standup"},
                                  {"audioOnly", true},
                                  {"stream", output}, // the SDK sends both
                                  {"streamOutputs", QJsonArray{output}},
                                  {"advanced", QJsonObject{{"audioFrequency", 48000}}}},
                                 kRecord);
    QCOMPARE(started.status, 200);
    const QString id = started.body.value("egress_id").toString();
    QCOMPARE(started.body.value("status").toString(), QStringLiteral("EGRESS_STARTING"));
    const QString redacted = QStringLiteral("rtmp://127.0.0.1:%1/live/{sk_...456}").arg(port);
    const QJsonObject request = started.body.value("room_composite").toObject();
    QCOMPARE(request.value("stream_outputs")[0]["urls"].toArray(), QJsonArray{redacted});
    QCOMPARE(request.value("stream")["urls"].toArray(), QJsonArray{redacted});
    QCOMPARE(request.value("advanced")["audio_frequency"].toInt(), 48000);
    QCOMPARE(started.body.value("stream_results")[0]["url"].toString(), redacted);
    QVERIFY(!started.raw.contains(key.toUtf8()));
    QCOMPARE(m_fake->egress(id)->urls, QStringList{url}); // what the test may compare

    QVERIFY(waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Active; }));
    QVERIFY(waitUntil([&] { return ffmpeg.state() == QProcess::NotRunning; }, 30000));
    QCOMPARE(ffmpeg.exitCode(), 0);

    QByteArray probe;
    QVERIFY(run("ffprobe",
                {"-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of",
                 "compact", flv},
                10000, &probe));
    QVERIFY2(probe.contains("codec_name=aac|sample_rate=48000|channels=2"), probe.constData());
    const QString wav = m_dir.filePath(QStringLiteral("composite.wav"));
    QVERIFY(run("ffmpeg",
                {"-hide_banner", "-loglevel", "error", "-y", "-i", flv, "-ac", "1", "-ar", "16000",
                 "-f", "s16le", wav},
                20000));
    QFile decoded(wav);
    QVERIFY(decoded.open(QIODevice::ReadOnly));
    const QByteArray pcm = decoded.readAll();
    QVERIFY(pcm.size() >= 16000 * 2 * 2);
    QVERIFY2(rms(pcm.left(16000 * 2 * 2)) > 300, "the speech is in the mix");

    // ffmpeg has gone: the egress keeps trying its stream until stopped.
    QVERIFY(waitUntil([&] { return m_fake->egress(id)->streamRetries > 0; }));
    QCOMPARE(m_fake->egress(id)->status, livekit::EgressStatus::Active);
    QCOMPARE(twirp(*m_fake, "Egress", "StopEgress", {{"egressId", id}}, kRecord)
                 .body.value("status")
                 .toString(),
             QStringLiteral("EGRESS_ENDING"));
    QVERIFY(
        waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Complete; }));
    QVERIFY(waitUntil([&] { return m_hooks->events().contains("egress_ended"); }));
    QStringList egressEvents;
    for (const QString &event : m_hooks->events()) {
        if (event.startsWith("egress_"))
            egressEvents << event;
    }
    QCOMPARE(egressEvents.first(), QStringLiteral("egress_started"));
    QCOMPARE(egressEvents.last(), QStringLiteral("egress_ended"));
    const QJsonObject ended = QJsonDocument::fromJson(m_hooks->received.last().body)
                                  .object()
                                  .value("egressInfo")
                                  .toObject();
    QCOMPARE(ended.value("status").toString(), QStringLiteral("EGRESS_COMPLETE"));
    QCOMPARE(ended.value("roomComposite")["streamOutputs"][0]["urls"][0].toString(), redacted);
}

void TestLiveKitFake::roomCompositeFailsWhenRtmpIsRefused()
{
    m_fake->joinParticipant("r", {"alice", "Alice", m_alice, true, false});
    const QString url = QStringLiteral("rtmp://127.0.0.1:%1/live/key").arg(freePort());
    const Answer started =
        twirp(*m_fake, "Egress", "StartRoomCompositeEgress",
              {{"roomName", "r"},
               {"audioOnly", true},
               {"streamOutputs", QJsonArray{QJsonObject{{"urls", QJsonArray{url}}}}}},
              kRecord);
    QCOMPARE(started.status, 200);
    const QString id = started.body.value("egress_id").toString();
    QVERIFY(waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Failed; }));
    QVERIFY2(m_fake->egress(id)->error.contains("refused", Qt::CaseInsensitive),
             qPrintable(m_fake->egress(id)->error));
    QCOMPARE(m_fake->egress(id)->audioFrequency_Hz, 44100);
    QVERIFY(waitUntil([&] { return m_hooks->events().contains("egress_ended"); }));
    const QJsonObject info = QJsonDocument::fromJson(m_hooks->received.last().body)
                                 .object()
                                 .value("egressInfo")
                                 .toObject();
    QCOMPARE(info.value("status").toString(), QStringLiteral("EGRESS_FAILED"));
    QVERIFY(!info.value("error").toString().isEmpty());
    QCOMPARE(info.value("streamResults")[0]["status"].toString(), QStringLiteral("FAILED"));

    // Invalid requests never start anything.
    QCOMPARE(twirp(*m_fake, "Egress", "StartRoomCompositeEgress",
                   {{"roomName", "r"},
                    {"streamOutputs", QJsonArray{QJsonObject{{"urls", QJsonArray{url}}}}}},
                   kRecord)
                 .status,
             400); // not audio only
    QCOMPARE(twirp(*m_fake, "Egress", "StartRoomCompositeEgress",
                   {{"roomName", "nowhere"},
                    {"audioOnly", true},
                    {"streamOutputs", QJsonArray{QJsonObject{{"urls", QJsonArray{url}}}}}},
                   kRecord)
                 .status,
             404);
    QCOMPARE(m_fake->egressStartCount(), 1);
}

void TestLiveKitFake::trackEgressDeliversPcmWithMuteFrames()
{
    m_fake->joinParticipant("r", {"alice", "Alice", m_alice, true, false});
    const QString track = m_fake->microphoneTrackSid("r", "alice");
    PcmSink sink;
    const Answer started = startTrackEgress("r", track, sink.url());
    QCOMPARE(started.status, 200);
    const QString id = started.body.value("egress_id").toString();
    QVERIFY(waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Active; }));
    QCOMPARE(sink.header("content-type"), QByteArray("audio/x-raw"));

    // Real-time 10 ms frames of the sample, byte for byte.
    const QByteArray speech = wavData(m_alice);
    QVERIFY(speech.size() > 48000 * 4);
    QVERIFY(waitUntil([&] { return sink.binaryCount() >= 50; }));
    for (const PcmSink::Message &message : sink.messages)
        QCOMPARE(message.data.size(), 1920);
    const QByteArray received = sink.audio();
    QCOMPARE(received, speech.left(received.size()));

    QVERIFY(m_fake->setTrackMuted("r", "alice", track, true));
    QVERIFY(waitUntil([&] { return sink.indexOfText(R"({"muted":true})") >= 0; }));
    const int mutedAt = sink.indexOfText(R"({"muted":true})");
    const int before = sink.binaryCount();
    QTest::qWait(200);
    QCOMPARE(sink.binaryCount(), before); // nothing while muted
    QVERIFY(m_fake->setTrackMuted("r", "alice", track, false));
    QVERIFY(waitUntil([&] { return sink.binaryCount() > before + 5; }));
    const int unmutedAt = sink.indexOfText(R"({"muted":false})", mutedAt);
    QVERIFY(unmutedAt > mutedAt);
    for (int i = mutedAt + 1; i < unmutedAt; ++i)
        QVERIFY(!sink.messages[i].binary);

    QCOMPARE(twirp(*m_fake, "Egress", "StopEgress", {{"egressId", id}}, kRecord).status, 200);
    QVERIFY(waitUntil([&] { return sink.closed; }));
    QCOMPARE(sink.closeCode, QWebSocketProtocol::CloseCodeNormal);
    QVERIFY(
        waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Complete; }));
    QCOMPARE(m_fake->egress(id)->audioBytesSent, qint64(sink.audio().size()));
    QCOMPARE(sink.connections, 1);
}

void TestLiveKitFake::trackEgressEndsWhenTheParticipantLeaves()
{
    // Bob's espeak-ng WAV (22.05 kHz mono) is converted; his track starts muted.
    m_fake->joinParticipant("r", {"bob", "Bob", m_bob, true, true});
    PcmSink sink;
    const QString id = startTrackEgress("r", m_fake->microphoneTrackSid("r", "bob"), sink.url())
                           .body.value("egress_id")
                           .toString();
    QVERIFY(waitUntil([&] { return !sink.messages.isEmpty(); }));
    QCOMPARE(sink.messages.first().data, QByteArray(R"({"muted":true})"));
    QVERIFY(m_fake->setTrackMuted("r", "bob", m_fake->microphoneTrackSid("r", "bob"), false));
    QVERIFY(waitUntil([&] { return rms(sink.audio()) > 100; })); // speech, not just silence
    QVERIFY(m_fake->leaveParticipant("r", "bob"));
    QCOMPARE(m_fake->egress(id)->status, livekit::EgressStatus::Ending);
    QVERIFY(waitUntil([&] { return sink.closed; }));
    QVERIFY(
        waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Complete; }));

    // A refused WebSocket fails the egress.
    m_fake->joinParticipant("r", {"carol", {}, m_alice, true, false});
    const QString refused =
        startTrackEgress("r", m_fake->microphoneTrackSid("r", "carol"),
                         QUrl(QStringLiteral("ws://127.0.0.1:%1/x").arg(freePort())))
            .body.value("egress_id")
            .toString();
    QVERIFY(waitUntil(
        [&] { return m_fake->egress(refused)->status == livekit::EgressStatus::Failed; }));
    QVERIFY(!m_fake->egress(refused)->error.isEmpty());
}

void TestLiveKitFake::controlApiScriptsTheRoom()
{
    const Answer joined = control(*m_fake, "POST", "join",
                                  {{"room", "r"}, {"identity", "alice"}, {"sample", m_alice}});
    QCOMPARE(joined.status, 200);
    QVERIFY(joined.body.value("sid").toString().startsWith("PA_"));
    const QString track = joined.body.value("track_sid").toString();
    QVERIFY(track.startsWith("TR_"));
    QCOMPARE(control(*m_fake, "POST", "join", {{"room", "r"}, {"identity", "alice"}}).status, 409);
    QCOMPARE(control(*m_fake, "POST", "join",
                     {{"room", "r"}, {"identity", "bob"}, {"microphone", false}})
                 .status,
             200);
    const Answer published =
        control(*m_fake, "POST", "publish", {{"room", "r"}, {"identity", "bob"}, {"muted", true}});
    QCOMPARE(published.status, 200);
    QCOMPARE(m_fake->room("r")->participants[1].tracks[0].muted, true);
    QCOMPARE(
        control(*m_fake, "POST", "mute", {{"room", "r"}, {"identity", "bob"}, {"muted", false}})
            .status,
        200);
    QCOMPARE(m_fake->room("r")->participants[1].tracks[0].muted, false);
    QCOMPARE(control(*m_fake, "POST", "config", {{"egress_limit", 1}})
                 .body.value("egress_limit")
                 .toInt(),
             1);
    QCOMPARE(m_fake->egressLimit(), 1);

    PcmSink sink;
    const QString id = startTrackEgress("r", track, sink.url()).body.value("egress_id").toString();
    QCOMPARE(startTrackEgress("r", published.body.value("sid").toString(), sink.url()).status, 429);
    QVERIFY(waitUntil([&] { return m_fake->egress(id)->status == livekit::EgressStatus::Active; }));
    const QJsonObject egresses = control(*m_fake, "GET", "egresses").body;
    QCOMPARE(egresses.value("start_count").toInt(), 1);
    QCOMPARE(egresses.value("refused_count").toInt(), 1);
    const QJsonObject egress = egresses.value("egresses")[0].toObject();
    QCOMPARE(egress.value("egress_id").toString(), id);
    QCOMPARE(egress.value("status").toString(), QStringLiteral("EGRESS_ACTIVE"));
    QCOMPARE(egress.value("status_number").toInt(), 1);
    QCOMPARE(egress.value("url").toString(), sink.url().toString());
    QCOMPARE(egress.value("participant_identity").toString(), QStringLiteral("alice"));

    QCOMPARE(control(*m_fake, "POST", "fail_egress", {{"egress_id", id}, {"error", "worker died"}})
                 .status,
             200);
    QCOMPARE(m_fake->egress(id)->status, livekit::EgressStatus::Failed);
    QCOMPARE(m_fake->egress(id)->error, QStringLiteral("worker died"));

    QCOMPARE(control(*m_fake, "POST", "unpublish", {{"room", "r"}, {"identity", "alice"}}).status,
             200);
    QCOMPARE(control(*m_fake, "POST", "leave", {{"room", "r"}, {"identity", "alice"}}).status, 200);
    QCOMPARE(control(*m_fake, "POST", "leave", {{"room", "r"}, {"identity", "alice"}}).status, 404);
    const QJsonObject state = control(*m_fake, "GET", "state").body;
    QCOMPARE(state.value("rooms")[0]["participants"].toArray().size(), 1);
    QCOMPARE(control(*m_fake, "POST", "delete_room", {{"name", "r"}}).status, 200);
    QVERIFY(control(*m_fake, "GET", "state").body.value("rooms").toArray().isEmpty());
    QVERIFY(waitUntil([&] { return m_fake->webhooksIdle(); }));
    const QJsonArray deliveries =
        control(*m_fake, "GET", "webhooks").body.value("deliveries").toArray();
    QCOMPARE(deliveries.last()["event"].toString(), QStringLiteral("room_finished"));
    QVERIFY(deliveries.last()["delivered"].toBool());
}

QTEST_GUILESS_MAIN(TestLiveKitFake)
#include "tst_livekit_fake.moc"

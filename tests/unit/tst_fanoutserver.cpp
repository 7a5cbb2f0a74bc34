// PublishServer on loopback with real clients: QWebSocket for the normal
// ones, raw sockets where the test needs a client that misbehaves (never
// reads, reads late, sends garbage), QNetworkAccessManager for /health and
// /metrics. Every auth refusal, replay on connect, slow clients against a
// normal one, the close codes, and the Prometheus text parsed back.

#include "publish/publishserver.h"
#include "publish/realtimetoken.h"
#include "publish/websocketprotocol.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace roomscribe;
using namespace roomscribe::publish;

namespace {

const QByteArray kSecret = QByteArrayLiteral("fan-out-secret-of-32-characters!!");
constexpr int kWait_ms = 10000;

QByteArray tokenFor(const QStringList &rooms, qint64 ttl_s = 600,
                    const QByteArray &secret = kSecret)
{
    RealtimeClaims claims;
    claims.rooms = rooms;
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + ttl_s;
    return createRealtimeToken(claims, secret);
}

stt::TranscriptSegment segment(const QString &room, const QString &utterance, bool isFinal,
                               const QString &text)
{
    stt::TranscriptSegment s;
    s.room = room;
    s.stream = QStringLiteral("live/") + room;
    s.session = QStringLiteral("session-1");
    s.utteranceId = utterance;
    s.isFinal = isFinal;
    s.start_ms = 1000;
    s.end_ms = 2500;
    s.wallClock = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);
    s.speaker = QStringLiteral("alice");
    s.language = QStringLiteral("en");
    s.text = text;
    s.words = {{QStringLiteral("hello"), 1000, 1400, 0.9}};
    return s;
}

PublishConfig baseConfig()
{
    PublishConfig config;
    config.address = QHostAddress::LocalHost;
    config.tokenSecret = kSecret;
    config.workers = 2;
    return config;
}

// A QWebSocket that keeps every text message as JSON.
struct Client
{
    QWebSocket socket;
    QList<QJsonObject> messages;
    bool connected = false;
    bool disconnected = false;

    Client()
    {
        QObject::connect(&socket, &QWebSocket::connected, [this] { connected = true; });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] { disconnected = true; });
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &text) {
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
    }

    void open(quint16 port, const QString &room, const QByteArray &token, bool inHeader = false)
    {
        QUrl url(QStringLiteral("ws://127.0.0.1:%1/api/realtime/transcribe").arg(port));
        QString query =
            QStringLiteral("room=") + QString::fromLatin1(QUrl::toPercentEncoding(room));
        QNetworkRequest request;
        if (inHeader)
            request.setRawHeader("Authorization", "Bearer " + token);
        else if (!token.isEmpty())
            query += QStringLiteral("&access_token=") + QString::fromLatin1(token);
        url.setQuery(query);
        request.setUrl(url);
        socket.open(request);
    }
};

// A QWebSocket client on a thread of its own: it reads as fast as it can,
// whatever the test's thread is doing.
class ThreadedClient
{
public:
    ThreadedClient()
    {
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~ThreadedClient()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { delete m_socket; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void open(quint16 port, const QString &room, const QByteArray &token)
    {
        const QUrl url(
            QStringLiteral("ws://127.0.0.1:%1/api/realtime/transcribe?room=%2&access_token=%3")
                .arg(port)
                .arg(room, QString::fromLatin1(token)));
        QMetaObject::invokeMethod(&m_context, [this, url] {
            m_socket = new QWebSocket();
            QObject::connect(m_socket, &QWebSocket::connected, [this] {
                QMutexLocker lock(&m_mutex);
                m_connected = true;
            });
            QObject::connect(m_socket, &QWebSocket::disconnected, [this] {
                QMutexLocker lock(&m_mutex);
                m_disconnected = true;
            });
            QObject::connect(
                m_socket, &QWebSocket::textMessageReceived, [this](const QString &text) {
                    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
                    QMutexLocker lock(&m_mutex);
                    m_messages.append(message);
                });
            m_socket->open(url);
        });
    }

    bool connected() const
    {
        QMutexLocker lock(&m_mutex);
        return m_connected;
    }
    bool disconnected() const
    {
        QMutexLocker lock(&m_mutex);
        return m_disconnected;
    }
    QList<QJsonObject> messages() const
    {
        QMutexLocker lock(&m_mutex);
        return m_messages;
    }

private:
    QThread m_thread;
    QObject m_context;
    QWebSocket *m_socket = nullptr; // on m_thread
    mutable QMutex m_mutex;
    QList<QJsonObject> m_messages;
    bool m_connected = false;
    bool m_disconnected = false;
};

// The HTTP/1.1 upgrade request a browser sends, as raw bytes.
QByteArray upgradeRequest(const QString &room, const QByteArray &token)
{
    return "GET /api/realtime/transcribe?room=" + QUrl::toPercentEncoding(room) +
           (token.isEmpty() ? QByteArray() : "&access_token=" + token) +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}

// A POSIX socket the test reads only when it says so: the kernel's buffers
// are all that absorbs what the server sends meanwhile.
class RawClient
{
public:
    ~RawClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    bool connectTo(quint16 port, int receiveBuffer_bytes)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receiveBuffer_bytes > 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer_bytes,
                         sizeof(receiveBuffer_bytes));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0)
            return false;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        return true;
    }

    bool send(const QByteArray &bytes)
    {
        return ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) ==
               ssize_t(bytes.size());
    }

    // Reads what is there; false once the peer has closed (EOF or reset).
    bool readAvailable()
    {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
            if (n > 0) {
                m_received.append(buffer, n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return true;
            m_closed = true;
            return false;
        }
    }

    // Reads until the peer closes.
    bool readToEnd(int timeout_ms)
    {
        return QTest::qWaitFor([this] { return !readAvailable(); }, timeout_ms);
    }

    const QByteArray &received() const { return m_received; }
    bool closed() const { return m_closed; }

private:
    int m_fd = -1;
    QByteArray m_received;
    bool m_closed = false;
};

struct ServerFrame
{
    WsOpcode opcode = WsOpcode::Continuation;
    QByteArray payload;
};

// Splits what a raw client read into the HTTP head and the server's frames
// (unmasked, whole); a cut-off frame at the end is left out.
QList<ServerFrame> framesAfterHead(const QByteArray &bytes, QByteArray *head = nullptr)
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (head)
        *head = end < 0 ? bytes : bytes.left(end + 4);
    QList<ServerFrame> frames;
    if (end < 0)
        return frames;
    qsizetype offset = end + 4;
    while (bytes.size() - offset >= 2) {
        const auto *data = reinterpret_cast<const uint8_t *>(bytes.constData() + offset);
        qsizetype header = 2;
        uint64_t length = data[1] & 0x7f;
        if (length == 126) {
            if (bytes.size() - offset < 4)
                break;
            length = (uint64_t(data[2]) << 8) | data[3];
            header = 4;
        } else if (length == 127) {
            if (bytes.size() - offset < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | data[i];
            header = 10;
        }
        if (uint64_t(bytes.size() - offset - header) < length)
            break;
        frames.append({WsOpcode(data[0] & 0x0f), bytes.mid(offset + header, qsizetype(length))});
        offset += header + qsizetype(length);
    }
    return frames;
}

int statusOf(const QByteArray &head)
{
    const QList<QByteArray> words = head.left(head.indexOf("\r\n")).split(' ');
    return words.size() >= 2 ? words[1].toInt() : 0;
}

// One sample of the Prometheus text format, read back.
struct Sample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct ParsedMetrics
{
    QMap<QString, QString> types; // family -> type
    QList<Sample> samples;
    QString error; // empty when the text is well-formed

    double value(const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        for (const Sample &sample : samples) {
            if (sample.name == name && sample.labels == labels)
                return sample.value;
        }
        return std::nan("");
    }
};

// A strict reader of text format 0.0.4: HELP then TYPE before a family's
// samples, families contiguous, each named once, label values unescaped.
ParsedMetrics parsePrometheus(const QByteArray &text)
{
    ParsedMetrics parsed;
    static const QRegularExpression sampleLine(
        QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$)"));
    static const QRegularExpression label(
        QStringLiteral(R"re(^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(,|$))re"));
    QString family;
    QString help;
    QSet<QString> finished;
    if (!text.endsWith('\n'))
        parsed.error = QStringLiteral("no final line feed");
    const QStringList lines = QString::fromUtf8(text).split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (!parsed.error.isEmpty())
            break;
        if (line.startsWith(QLatin1String("# HELP "))) {
            const QString name = line.section(u' ', 2, 2);
            if (finished.contains(name) || parsed.types.contains(name))
                parsed.error = QStringLiteral("family written twice: ") + name;
            if (!family.isEmpty())
                finished.insert(family);
            family = name;
            help = name;
            continue;
        }
        if (line.startsWith(QLatin1String("# TYPE "))) {
            const QString name = line.section(u' ', 2, 2);
            const QString type = line.section(u' ', 3);
            if (name != help)
                parsed.error = QStringLiteral("TYPE without its HELP: ") + name;
            else if (!QStringList{"counter", "gauge", "summary", "histogram", "untyped"}.contains(
                         type))
                parsed.error = QStringLiteral("unknown type: ") + type;
            parsed.types.insert(name, type);
            continue;
        }
        if (line.startsWith(u'#'))
            continue;
        const QRegularExpressionMatch match = sampleLine.match(line);
        if (!match.hasMatch()) {
            parsed.error = QStringLiteral("malformed sample: ") + line;
            break;
        }
        Sample sample;
        sample.name = match.captured(1);
        const QString type = parsed.types.value(family);
        const bool ours =
            sample.name == family ||
            (type == QLatin1String("summary") && (sample.name == family + QLatin1String("_sum") ||
                                                  sample.name == family + QLatin1String("_count")));
        if (!ours) {
            parsed.error = QStringLiteral("sample outside its family: ") + line;
            break;
        }
        QString labels = match.captured(3);
        while (!labels.isEmpty()) {
            const QRegularExpressionMatch one = label.match(labels);
            if (!one.hasMatch()) {
                parsed.error = QStringLiteral("malformed labels: ") + line;
                break;
            }
            QString value = one.captured(2);
            value.replace(QLatin1String("\\n"), QLatin1String("\n"))
                .replace(QLatin1String("\\\""), QLatin1String("\""))
                .replace(QLatin1String("\\\\"), QLatin1String("\\"));
            sample.labels.insert(one.captured(1), value);
            labels = labels.mid(one.capturedLength());
        }
        const QString value = match.captured(4);
        bool ok = true;
        if (value == QLatin1String("NaN"))
            sample.value = std::nan("");
        else if (value == QLatin1String("+Inf"))
            sample.value = HUGE_VAL;
        else if (value == QLatin1String("-Inf"))
            sample.value = -HUGE_VAL;
        else
            sample.value = value.toDouble(&ok);
        if (!ok)
            parsed.error = QStringLiteral("malformed value: ") + line;
        parsed.samples.append(sample);
    }
    return parsed;
}

} // namespace

class TestFanoutServer : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    struct HttpAnswer
    {
        int status = 0;
        QByteArray contentType;
        QByteArray body;
    };

    HttpAnswer get(quint16 port, const QString &path)
    {
        QNetworkReply *reply = m_network.get(
            QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
        const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, kWait_ms);
        HttpAnswer answer;
        if (finished) {
            answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            answer.contentType = reply->rawHeader("Content-Type");
            answer.body = reply->readAll();
        }
        reply->deleteLater();
        return answer;
    }

    PublishStats statsOf(PublishServer &server)
    {
        QSignalSpy spy(&server, &PublishServer::statsUpdated);
        server.requestStats();
        if (!spy.wait(kWait_ms))
            return {};
        return spy.at(0).at(0).value<PublishStats>();
    }

    // Waits until the server counts `clients` WebSocket clients.
    bool waitForClients(PublishServer &server, uint64_t clients)
    {
        return QTest::qWaitFor([&] { return statsOf(server).clients == clients; }, kWait_ms);
    }

    // Sends raw bytes and reads the whole answer (the server closes after a refusal).
    QByteArray rawExchange(quint16 port, const QByteArray &request)
    {
        RawClient raw;
        if (!raw.connectTo(port, 0) || !raw.send(request))
            return {};
        raw.readToEnd(kWait_ms);
        return raw.received();
    }

private Q_SLOTS:
    void refusesBadTokensBeforeTheUpgrade_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addRow("no token") << QStringLiteral("standup") << QByteArray() << 401
                                  << QByteArray("missing access token");
        QTest::addRow("wrong room") << QStringLiteral("standup") << tokenFor({"retro"}) << 403
                                    << QByteArray("token does not grant this room");
        QTest::addRow("expired") << QStringLiteral("standup") << tokenFor({"standup"}, -3600) << 401
                                 << QByteArray("invalid token: token expired");
        QTest::addRow("bad signature")
            << QStringLiteral("standup") << tokenFor({"standup"}, 600, "not the secret") << 401
            << QByteArray("invalid token: signature does not match");
        QTest::addRow("not a JWT") << QStringLiteral("standup") << QByteArray("garbage") << 401
                                   << QByteArray("invalid token: not a compact JWT");
    }

    void refusesBadTokensBeforeTheUpgrade()
    {
        QFETCH(QString, room);
        QFETCH(QByteArray, token);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        PublishServer server(baseConfig());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        // As a browser sees it: the HTTP answer, with the reason as its body.
        QByteArray head;
        const QByteArray answer = rawExchange(server.port(), upgradeRequest(room, token));
        const qsizetype end = answer.indexOf("\r\n\r\n");
        QVERIFY2(end > 0, answer.constData());
        head = answer.left(end);
        QCOMPARE(statusOf(head), status);
        QCOMPARE(answer.mid(end + 4), reason + '\n');
        QVERIFY(head.contains("\r\nConnection: close"));
        if (status == 401)
            QVERIFY(head.contains("\r\nWWW-Authenticate: Bearer realm=\"roomscribe\""));

        // And through QWebSocket, with the token in the header: never connected.
        Client client;
        QSignalSpy errors(&client.socket,
                          QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
        client.open(server.port(), room, token, !token.isEmpty());
        QVERIFY(errors.wait(kWait_ms));
        QVERIFY(!client.connected);

        const PublishStats stats = statsOf(server);
        QCOMPARE(stats.clients, uint64_t(0));
        QCOMPARE(status == 403 ? stats.refusedForbidden : stats.refusedUnauthorized, uint64_t(2));
    }

    void deliversPartialsAndFinalsOfItsRoom()
    {
        PublishServer server(baseConfig());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Client query, header, other;
        query.open(server.port(), QStringLiteral("stand up"), tokenFor({"stand up"}));
        header.open(server.port(), QStringLiteral("stand up"), tokenFor({"x", "stand up"}), true);
        other.open(server.port(), QStringLiteral("retro"), tokenFor({"retro"}));
        QTRY_VERIFY_WITH_TIMEOUT(query.connected && header.connected && other.connected, kWait_ms);

        const stt::TranscriptSegment partial =
            segment(QStringLiteral("stand up"), QStringLiteral("u1"), false, QStringLiteral("hel"));
        const stt::TranscriptSegment final = segment(
            QStringLiteral("stand up"), QStringLiteral("u1"), true, QStringLiteral("hello"));
        server.publish(partial);
        server.publish(segment(QStringLiteral("retro"), QStringLiteral("r1"), true,
                               QStringLiteral("elsewhere")));
        server.publish(final);
        QTRY_COMPARE_WITH_TIMEOUT(query.messages.size(), 2, kWait_ms);
        QTRY_COMPARE_WITH_TIMEOUT(header.messages.size(), 2, kWait_ms);
        QTRY_COMPARE_WITH_TIMEOUT(other.messages.size(), 1, kWait_ms);

        for (const Client *client : {&query, &header}) {
            QCOMPARE(client->messages[0],
                     (QJsonObject{{"type", "partial"}, {"segment", stt::toJson(partial)}}));
            QCOMPARE(client->messages[1],
                     (QJsonObject{{"type", "final"}, {"segment", stt::toJson(final)}}));
        }
        QCOMPARE(other.messages[0].value("segment").toObject().value("text").toString(),
                 QStringLiteral("elsewhere"));

        const PublishStats stats = statsOf(server);
        QCOMPARE(stats.clients, uint64_t(3));
        QCOMPARE(stats.rooms.size(), 2);
        QCOMPARE(stats.publishedPartials, uint64_t(1));
        QCOMPARE(stats.publishedFinals, uint64_t(2));
        QCOMPARE(stats.messagesSent, uint64_t(5));
        QCOMPARE(stats.deliveryCount, uint64_t(5));
        QCOMPARE(stats.deliveryLatency_us.count(), uint64_t(5));

        // A segment without a room goes nowhere.
        server.publish(segment(QString(), QStringLiteral("n"), true, QStringLiteral("none")));
        QCOMPARE(statsOf(server).publishedFinals, uint64_t(2));
    }

    void replaysLastFinalsOnConnect()
    {
        PublishConfig config = baseConfig();
        config.replayFinals = 2;
        PublishServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString room = QStringLiteral("standup");
        for (int i = 1; i <= 3; ++i)
            server.publish(segment(room, QStringLiteral("u%1").arg(i), true,
                                   QStringLiteral("final %1").arg(i)));
        server.publish(segment(room, QStringLiteral("u4"), false, QStringLiteral("partial")));
        server.publish(segment(QStringLiteral("retro"), QStringLiteral("r"), true,
                               QStringLiteral("other room")));

        Client client;
        client.open(server.port(), room, tokenFor({room}));
        QTRY_COMPARE_WITH_TIMEOUT(client.messages.size(), 2, kWait_ms);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(client.messages[i].value("type").toString(), QStringLiteral("final"));
            QCOMPARE(client.messages[i].value("replay").toBool(), true);
            QCOMPARE(client.messages[i].value("segment").toObject().value("text").toString(),
                     QStringLiteral("final %1").arg(i + 2));
        }
        server.publish(segment(room, QStringLiteral("u5"), true, QStringLiteral("live")));
        QTRY_COMPARE_WITH_TIMEOUT(client.messages.size(), 3, kWait_ms);
        QVERIFY(!client.messages[2].contains("replay"));
        QCOMPARE(statsOf(server).replayed, uint64_t(2));

        // A room forgotten has nothing to replay.
        server.forgetRoom(room);
        Client late;
        late.open(server.port(), room, tokenFor({room}));
        QTRY_VERIFY_WITH_TIMEOUT(late.connected, kWait_ms);
        server.publish(segment(room, QStringLiteral("u6"), false, QStringLiteral("after")));
        QTRY_COMPARE_WITH_TIMEOUT(late.messages.size(), 1, kWait_ms);
        QCOMPARE(late.messages[0].value("type").toString(), QStringLiteral("partial"));
    }

    void slowClientsCannotSlowOthers()
    {
        PublishConfig config = baseConfig();
        config.socketSendBuffer_bytes = 4096;
        config.maxQueue_bytes = 64 * 1024;
        config.closeTimeout = std::chrono::milliseconds(3000);
        PublishServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString room = QStringLiteral("standup");

        ThreadedClient normal;
        normal.open(server.port(), room, tokenFor({room}));
        QTRY_VERIFY_WITH_TIMEOUT(normal.connected(), kWait_ms);
        // Two clients that stop reading: one for good, one until it is told off.
        RawClient never, late;
        QVERIFY(never.connectTo(server.port(), 4096));
        QVERIFY(late.connectTo(server.port(), 4096));
        QVERIFY(never.send(upgradeRequest(room, tokenFor({room}))));
        QVERIFY(late.send(upgradeRequest(room, tokenFor({room}))));
        QVERIFY(waitForClients(server, 3));

        // 8 KiB segments: the slow ones' kernel buffers take a few, their queues eight.
        const QString text(8000, u'x');
        int published = 0;
        auto publishSome = [&](int count, bool isFinal) {
            for (int i = 0; i < count; ++i) {
                server.publish(
                    segment(room, QStringLiteral("u%1").arg(published++), isFinal, text));
                // Paced by the normal client, so only the others fall behind.
                if (!QTest::qWaitFor([&] { return normal.messages().size() == published; },
                                     kWait_ms))
                    return false;
            }
            return true;
        };
        QVERIFY(publishSome(30, false));
        QTRY_VERIFY_WITH_TIMEOUT(statsOf(server).partialsDropped > 0, kWait_ms);
        QCOMPARE(statsOf(server).slowDisconnects, uint64_t(0));
        QVERIFY(publishSome(30, true));
        QTRY_COMPARE_WITH_TIMEOUT(statsOf(server).slowDisconnects, uint64_t(2), kWait_ms);

        // The normal client got everything, in order.
        QTRY_COMPARE_WITH_TIMEOUT(normal.messages().size(), published, kWait_ms);
        const QList<QJsonObject> received = normal.messages();
        for (int i = 0; i < published; ++i)
            QCOMPARE(received[i].value("segment").toObject().value("utterance_id").toString(),
                     QStringLiteral("u%1").arg(i));
        QVERIFY(!normal.disconnected());

        // The late reader finds what was queued for it, then the close frame.
        QVERIFY(late.readToEnd(kWait_ms));
        QByteArray head;
        const QList<ServerFrame> frames = framesAfterHead(late.received(), &head);
        QCOMPARE(statusOf(head), 101);
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.last().opcode, WsOpcode::Close);
        QCOMPARE(frames.last().payload, QByteArray::fromHex("03f0") + "client too slow");
        int finals = 0;
        for (const ServerFrame &frame : frames.first(frames.size() - 1)) {
            const QJsonObject message = QJsonDocument::fromJson(frame.payload).object();
            finals += message.value("type").toString() == QLatin1String("final");
        }
        QVERIFY(finals < 30); // it lost finals: it was cut off, not fed late

        // The one that never reads is cut after the close timeout.
        QVERIFY(never.readToEnd(kWait_ms));
        QVERIFY(waitForClients(server, 1));
        const PublishStats stats = statsOf(server);
        QVERIFY(stats.partialsDropped > 0);
        QCOMPARE(stats.slowDisconnects, uint64_t(2));

        // And the normal client still receives.
        server.publish(segment(room, QStringLiteral("after"), true, QStringLiteral("still here")));
        QTRY_COMPARE_WITH_TIMEOUT(normal.messages().size(), published + 1, kWait_ms);
    }

    void closesWithReasons()
    {
        PublishConfig config = baseConfig();
        config.clockLeeway = std::chrono::seconds(0);
        PublishServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        // The token runs out while connected.
        Client expiring;
        expiring.open(server.port(), QStringLiteral("r"), tokenFor({"r"}, 1));
        QTRY_VERIFY_WITH_TIMEOUT(expiring.connected, kWait_ms);
        QTRY_VERIFY_WITH_TIMEOUT(expiring.disconnected, kWait_ms);
        QCOMPARE(expiring.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(expiring.socket.closeReason(), QStringLiteral("token expired"));

        // A client that closes gets its close echoed and leaves.
        Client leaving;
        leaving.open(server.port(), QStringLiteral("r"), tokenFor({"r"}));
        QTRY_VERIFY_WITH_TIMEOUT(leaving.connected, kWait_ms);
        leaving.socket.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
        QTRY_VERIFY_WITH_TIMEOUT(leaving.disconnected, kWait_ms);
        QCOMPARE(leaving.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
        QVERIFY(waitForClients(server, 0));

        // A protocol error: an unmasked frame.
        RawClient raw;
        QVERIFY(raw.connectTo(server.port(), 0));
        QVERIFY(raw.send(upgradeRequest(QStringLiteral("r"), tokenFor({"r"}))));
        QVERIFY(waitForClients(server, 1));
        QVERIFY(raw.send(encodeServerFrame(WsOpcode::Text, "unmasked")));
        QVERIFY(raw.readToEnd(kWait_ms));
        const QList<ServerFrame> frames = framesAfterHead(raw.received());
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].opcode, WsOpcode::Close);
        QCOMPARE(frames[0].payload.left(2), QByteArray("\x03\xea", 2));

        // Shutdown says so to every client.
        Client staying;
        staying.open(server.port(), QStringLiteral("r"), tokenFor({"r"}));
        QTRY_VERIFY_WITH_TIMEOUT(staying.connected, kWait_ms);
        QSignalSpy stopped(&server, &PublishServer::stopped);
        server.stop();
        QVERIFY(stopped.wait(kWait_ms));
        QTRY_VERIFY_WITH_TIMEOUT(staying.disconnected, kWait_ms);
        QCOMPARE(staying.socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QCOMPARE(staying.socket.closeReason(), QStringLiteral("server shutting down"));
    }

    void pingsSilentClientsAndDropsDeadOnes()
    {
        PublishConfig config = baseConfig();
        config.pingInterval = std::chrono::milliseconds(300);
        PublishServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        // QWebSocket answers pings by itself: it stays.
        Client alive;
        alive.open(server.port(), QStringLiteral("r"), tokenFor({"r"}));
        QTRY_VERIFY_WITH_TIMEOUT(alive.connected, kWait_ms);
        // A raw client reads but never answers: pinged, then dropped.
        RawClient mute;
        QVERIFY(mute.connectTo(server.port(), 0));
        QVERIFY(mute.send(upgradeRequest(QStringLiteral("r"), tokenFor({"r"}))));
        QVERIFY(mute.readToEnd(kWait_ms));
        const QList<ServerFrame> frames = framesAfterHead(mute.received());
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames[0].opcode, WsOpcode::Ping);
        QVERIFY(statsOf(server).timeouts >= 1);
        QVERIFY(!alive.disconnected);
        QCOMPARE(statsOf(server).clients, uint64_t(1));
        server.publish(
            segment(QStringLiteral("r"), QStringLiteral("u"), true, QStringLiteral("x")));
        QTRY_COMPARE_WITH_TIMEOUT(alive.messages.size(), 1, kWait_ms);
    }

    void refusesPastTheConnectionLimit()
    {
        PublishConfig config = baseConfig();
        config.workers = 1;
        config.maxConnections = 1;
        PublishServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Client first;
        first.open(server.port(), QStringLiteral("r"), tokenFor({"r"}));
        QTRY_VERIFY_WITH_TIMEOUT(first.connected, kWait_ms);
        const QByteArray answer =
            rawExchange(server.port(), upgradeRequest(QStringLiteral("r"), tokenFor({"r"})));
        QCOMPARE(statusOf(answer), 503);
        QVERIFY(answer.endsWith("too many connections\n"));
    }

    void servesHealthAndMetrics()
    {
        PublishServer server(baseConfig());
        bool healthy = true;
        server.setHealthProvider([&healthy] {
            return QJsonObject{
                {"state", "running"}, {"healthy", healthy}, {"rooms", QJsonArray{"standup"}}};
        });
        server.setMetricsProvider([] {
            return QByteArray("# HELP roomscribe_streams Streams\n# TYPE roomscribe_streams "
                              "gauge\nroomscribe_streams{room=\"stand \\\"up\\\"\"} 2");
        });
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Client client;
        client.open(server.port(), QStringLiteral("standup"), tokenFor({"standup"}));
        QTRY_VERIFY_WITH_TIMEOUT(client.connected, kWait_ms);
        server.publish(
            segment(QStringLiteral("standup"), QStringLiteral("u"), false, QStringLiteral("hi")));
        QTRY_COMPARE_WITH_TIMEOUT(client.messages.size(), 1, kWait_ms);

        HttpAnswer health = get(server.port(), QStringLiteral("/health"));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.contentType, QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(health.body).object();
        QCOMPARE(body.value("state").toString(), QStringLiteral("running"));
        QCOMPARE(body.value("rooms").toArray(), QJsonArray{"standup"});
        QCOMPARE(body.value("fanout").toObject().value("clients").toInt(), 1);
        QCOMPARE(body.value("fanout").toObject().value("rooms").toInt(), 1);
        healthy = false;
        QCOMPARE(get(server.port(), QStringLiteral("/health")).status, 503);

        const HttpAnswer metrics = get(server.port(), QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        QCOMPARE(metrics.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        const ParsedMetrics parsed = parsePrometheus(metrics.body);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error + u'\n' + metrics.body));
        QCOMPARE(parsed.value("roomscribe_streams", {{"room", "stand \"up\""}}), 2.0);
        QCOMPARE(parsed.types.value("roomscribe_fanout_clients"), QStringLiteral("gauge"));
        QCOMPARE(parsed.value("roomscribe_fanout_clients"), 1.0);
        QCOMPARE(parsed.value("roomscribe_fanout_rooms"), 1.0);
        QCOMPARE(parsed.value("roomscribe_fanout_segments_published_total", {{"type", "partial"}}),
                 1.0);
        QCOMPARE(parsed.value("roomscribe_fanout_messages_sent_total"), 1.0);
        QCOMPARE(parsed.value("roomscribe_fanout_partials_dropped_total"), 0.0);
        QCOMPARE(parsed.value("roomscribe_fanout_slow_disconnects_total"), 0.0);
        QCOMPARE(parsed.value("roomscribe_fanout_http_requests_total"), 2.0);
        QCOMPARE(parsed.types.value("roomscribe_fanout_delivery_latency_seconds"),
                 QStringLiteral("summary"));
        const double p50 =
            parsed.value("roomscribe_fanout_delivery_latency_seconds", {{"quantile", "0.5"}});
        const double p99 =
            parsed.value("roomscribe_fanout_delivery_latency_seconds", {{"quantile", "0.99"}});
        QVERIFY(p50 >= 0 && p99 >= p50);
        QCOMPARE(parsed.value("roomscribe_fanout_delivery_latency_seconds_count"), 1.0);

        // Only GET, only these paths.
        QCOMPARE(get(server.port(), QStringLiteral("/nothing")).status, 404);
        const QByteArray post = rawExchange(
            server.port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(statusOf(post), 405);
        QVERIFY(post.contains("\r\nAllow: GET\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestFanoutServer)
#include "tst_fanoutserver.moc"

// roomscribe-fanout-server: publishes timestamped transcript segments to one
// room at a steady rate, through
//   --impl engine   the engine's PublishServer (epoll workers, shared frames), or
//   --impl qt       the obvious alternative: QWebSocketServer on one thread and
//                   sendTextMessage() on one QWebSocket per client.
// Each segment's text is "seq=N t=NS", NS being CLOCK_MONOTONIC when it was
// handed over, so that a client on the same machine can time its delivery.
// Prints {"type":"listening","port":P}; when its standard input closes, a
// {"type":"stats",...} line, and exits.

#include "core/clock.h"
#include "publish/publishserver.h"
#include "publish/realtimetoken.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace roomscribe;

namespace {

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

stt::TranscriptSegment makeSegment(const QString &room, uint64_t seq, bool isFinal, int words)
{
    stt::TranscriptSegment segment;
    segment.room = room;
    segment.stream = QStringLiteral("live/") + room;
    segment.session = QStringLiteral("bench-session");
    segment.utteranceId = QString::number(seq / 5);
    segment.isFinal = isFinal;
    segment.start_ms = int64_t(seq) * 300;
    segment.end_ms = segment.start_ms + 1500;
    segment.wallClock = QDateTime::currentDateTimeUtc();
    segment.speaker = QStringLiteral("participant-1");
    segment.language = QStringLiteral("en");
    for (int i = 0; i < words; ++i)
        segment.words.push_back({QStringLiteral("word%1").arg(i), segment.start_ms + i * 100,
                                 segment.start_ms + i * 100 + 90, 0.93});
    segment.text = QStringLiteral("seq=%1 t=%2").arg(seq).arg(monotonicNow_ns());
    return segment;
}

// The alternative: Qt's WebSocket server and one QWebSocket per client, all
// on the main thread; the token is checked after the upgrade (QWebSocketServer
// upgrades before the application sees the request).
class QtFanout final : public QObject
{
public:
    QtFanout(QByteArray secret)
        : m_server(QStringLiteral("bench"), QWebSocketServer::NonSecureMode),
          m_secret(std::move(secret))
    {
        m_server.setMaxPendingConnections(4096);
        connect(&m_server, &QWebSocketServer::newConnection, this, &QtFanout::accept);
    }

    bool listen(quint16 port) { return m_server.listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_server.serverPort(); }
    int clients() const { return int(m_clients.size()); }

    void publish(const stt::TranscriptSegment &segment)
    {
        const QByteArray json = QJsonDocument(stt::toJson(segment)).toJson(QJsonDocument::Compact);
        const QString message =
            QString::fromUtf8("{\"type\":\"" + QByteArray(segment.isFinal ? "final" : "partial") +
                              "\",\"segment\":" + json + '}');
        for (QWebSocket *client : m_clients)
            client->sendTextMessage(message);
    }

private:
    void accept()
    {
        while (QWebSocket *client = m_server.nextPendingConnection()) {
            const QUrlQuery query(client->requestUrl());
            const auto verification = publish::verifyRealtimeToken(
                query.queryItemValue(QStringLiteral("access_token")).toUtf8(), m_secret,
                QDateTime::currentSecsSinceEpoch());
            if (!verification.ok() ||
                !verification.claims.grants(query.queryItemValue(QStringLiteral("room")))) {
                client->close(QWebSocketProtocol::CloseCodePolicyViolated);
                client->deleteLater();
                continue;
            }
            m_clients.insert(client);
            connect(client, &QWebSocket::disconnected, this, [this, client] {
                m_clients.remove(client);
                client->deleteLater();
            });
        }
    }

    QWebSocketServer m_server;
    QByteArray m_secret;
    QSet<QWebSocket *> m_clients;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Live fan-out benchmark server"));
    parser.addHelpOption();
    const QCommandLineOption implOption(QStringLiteral("impl"), QStringLiteral("engine or qt"),
                                        QStringLiteral("impl"), QStringLiteral("engine"));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port"),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption secretOption(QStringLiteral("secret"), QStringLiteral("token secret"),
                                          QStringLiteral("secret"));
    const QCommandLineOption roomOption(QStringLiteral("room"), QStringLiteral("room to publish"),
                                        QStringLiteral("room"), QStringLiteral("bench"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("segments per second"), QStringLiteral("hz"),
                                        QStringLiteral("10"));
    const QCommandLineOption finalOption(QStringLiteral("final-every"),
                                         QStringLiteral("every Nth segment is a final"),
                                         QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption wordsOption(QStringLiteral("words"),
                                         QStringLiteral("words per segment"), QStringLiteral("n"),
                                         QStringLiteral("12"));
    const QCommandLineOption workersOption(QStringLiteral("workers"),
                                           QStringLiteral("engine worker threads (0: per core)"),
                                           QStringLiteral("n"), QStringLiteral("0"));
    parser.addOptions({implOption, portOption, secretOption, roomOption, rateOption, finalOption,
                       wordsOption, workersOption});
    parser.process(app);

    // Every client is a descriptor.
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }

    const bool engine = parser.value(implOption) == QLatin1String("engine");
    const QByteArray secret = parser.value(secretOption).toUtf8();
    const QString room = parser.value(roomOption);
    const double rate = parser.value(rateOption).toDouble();
    const int finalEvery = std::max(1, parser.value(finalOption).toInt());
    const int words = parser.value(wordsOption).toInt();
    if (secret.isEmpty() || rate <= 0 || (!engine && parser.value(implOption) != "qt")) {
        std::fprintf(stderr, "need --secret, a positive --rate and --impl engine|qt\n");
        return 2;
    }

    std::unique_ptr<publish::PublishServer> server;
    std::unique_ptr<QtFanout> qtServer;
    quint16 port = 0;
    if (engine) {
        publish::PublishConfig config;
        config.port = quint16(parser.value(portOption).toUInt());
        config.tokenSecret = secret;
        config.workers = parser.value(workersOption).toInt();
        config.maxConnections = 100000;
        server = std::make_unique<publish::PublishServer>(config);
        QString error;
        if (!server->start(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        port = server->port();
    } else {
        qtServer = std::make_unique<QtFanout>(secret);
        if (!qtServer->listen(quint16(parser.value(portOption).toUInt()))) {
            std::fprintf(stderr, "cannot listen\n");
            return 1;
        }
        port = qtServer->port();
    }
    printJson({{"type", "listening"}, {"port", port}});

    uint64_t seq = 0;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(int(1000 / rate));
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const stt::TranscriptSegment segment =
            makeSegment(room, seq, seq % uint64_t(finalEvery) == uint64_t(finalEvery - 1), words);
        ++seq;
        if (server)
            server->publish(segment);
        else
            qtServer->publish(segment);
    });
    timer.start();

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof(buffer)) > 0)
            return;
        input.setEnabled(false);
        timer.stop();
        if (!server) {
            printJson(
                {{"type", "stats"}, {"published", qint64(seq)}, {"clients", qtServer->clients()}});
            app.quit();
            return;
        }
        QObject::connect(
            server.get(), &publish::PublishServer::statsUpdated,
            [&](const publish::PublishStats &stats) {
                printJson({{"type", "stats"},
                           {"published", qint64(seq)},
                           {"clients", qint64(stats.clients)},
                           {"messages_sent", qint64(stats.messagesSent)},
                           {"partials_dropped", qint64(stats.partialsDropped)},
                           {"slow_disconnects", qint64(stats.slowDisconnects)},
                           {"server_p50_us", qint64(stats.deliveryLatency_us.percentile_us(0.5))},
                           {"server_p99_us", qint64(stats.deliveryLatency_us.percentile_us(0.99))},
                           {"server_max_us", qint64(stats.deliveryLatency_us.max_us())}});
                app.quit();
            });
        server->requestStats();
    });
    return app.exec();
}

// fanout-test-server: the engine's live fan-out (PublishServer) on a free
// loopback port, for clients that are not Qt (the Node ws tests, the page in
// Chromium). Prints {"type":"listening","port":P}, then reads one JSON
// command per line on standard input and answers each with one line:
//   {"cmd":"publish","room":R,"utterance_id":U,"final":B,"text":T[,"speaker":S]}
//       -> {"type":"published"}
//   {"cmd":"stats"} -> {"type":"stats","clients":N,"rooms":N,...}
// Exits when its input ends.
//
// Usage: fanout-test-server --secret S [--replay N]

#include "publish/publishserver.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace roomscribe;

namespace {

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

stt::TranscriptSegment segmentFrom(const QJsonObject &command)
{
    stt::TranscriptSegment segment;
    segment.room = command.value(QStringLiteral("room")).toString();
    segment.stream = QStringLiteral("live/") + segment.room;
    segment.session = QStringLiteral("test-session");
    segment.utteranceId = command.value(QStringLiteral("utterance_id")).toString();
    segment.isFinal = command.value(QStringLiteral("final")).toBool();
    segment.start_ms = 1200;
    segment.end_ms = 2400;
    segment.wallClock = QDateTime::currentDateTimeUtc();
    segment.speaker = command.value(QStringLiteral("speaker")).toString(QStringLiteral("alice"));
    segment.language = QStringLiteral("en");
    segment.text = command.value(QStringLiteral("text")).toString();
    int64_t at_ms = segment.start_ms;
    for (const QString &word : segment.text.split(u' ', Qt::SkipEmptyParts)) {
        segment.words.push_back({word, at_ms, at_ms + 250, 0.9});
        at_ms += 300;
    }
    return segment;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    publish::PublishConfig config;
    config.address = QHostAddress::LocalHost;
    config.clockLeeway = std::chrono::seconds(0);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--secret") == 0)
            config.tokenSecret = argv[i + 1];
        else if (std::strcmp(argv[i], "--replay") == 0)
            config.replayFinals = std::atoi(argv[i + 1]);
    }
    if (config.tokenSecret.isEmpty()) {
        std::fprintf(stderr, "usage: %s --secret S [--replay N]\n", argv[0]);
        return 2;
    }
    publish::PublishServer server(config);
    server.setHealthProvider([] {
        return QJsonObject{{QStringLiteral("state"), QStringLiteral("running")}};
    });
    server.setMetricsProvider([] {
        return QByteArray("# HELP roomscribe_test_up The test server runs\n"
                          "# TYPE roomscribe_test_up gauge\nroomscribe_test_up 1\n");
    });
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    printJson({{QStringLiteral("type"), QStringLiteral("listening")},
               {QStringLiteral("port"), server.port()}});

    QObject::connect(
        &server, &publish::PublishServer::statsUpdated, [](const publish::PublishStats &stats) {
            printJson({{QStringLiteral("type"), QStringLiteral("stats")},
                       {QStringLiteral("clients"), qint64(stats.clients)},
                       {QStringLiteral("rooms"), qint64(stats.rooms.size())},
                       {QStringLiteral("refused_unauthorized"), qint64(stats.refusedUnauthorized)},
                       {QStringLiteral("refused_forbidden"), qint64(stats.refusedForbidden)},
                       {QStringLiteral("messages_sent"), qint64(stats.messagesSent)}});
        });

    QByteArray pending;
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof(buffer));
        if (n <= 0) {
            input.setEnabled(false);
            app.quit();
            return;
        }
        pending.append(buffer, n);
        for (qsizetype end; (end = pending.indexOf('\n')) >= 0;) {
            const QJsonObject command = QJsonDocument::fromJson(pending.left(end)).object();
            pending.remove(0, end + 1);
            const QString cmd = command.value(QStringLiteral("cmd")).toString();
            if (cmd == QLatin1String("publish")) {
                server.publish(segmentFrom(command));
                printJson({{QStringLiteral("type"), QStringLiteral("published")}});
            } else if (cmd == QLatin1String("stats")) {
                server.requestStats();
            } else {
                printJson({{QStringLiteral("type"), QStringLiteral("error")},
                           {QStringLiteral("error"), QStringLiteral("unknown command")}});
            }
        }
    });
    return app.exec();
}

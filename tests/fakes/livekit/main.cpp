// livekit-fake: the fake LiveKit server as a program, for clients that are
// not Qt (the official npm SDK) and end-to-end tests. See README.md.

#include "fakelivekit.h"
#include "livekit/accesstoken.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace roomscribe;
using namespace roomscribe::test;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
}

// SIGINT and SIGTERM quit the event loop, so that the egress pipelines are
// stopped on the way out.
void quitOnSignals(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "livekit-fake: %s\n", qPrintable(message));
    return 2;
}

// --mint-token: a token made by the engine's own createToken, for checking it
// with other implementations (the SDK's TokenVerifier).
int mintToken(const QCommandLineParser &parser)
{
    livekit::VideoGrant grant;
    if (parser.isSet("grant")) {
        const QJsonDocument document = QJsonDocument::fromJson(parser.value("grant").toUtf8());
        if (!document.isObject())
            return fail(QStringLiteral("--grant needs a JSON object"));
        grant = livekit::VideoGrant::fromJson(document.object());
    }
    bool ok = false;
    const qint64 ttl_s = parser.value("ttl").toLongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--ttl needs a number of seconds"));
    livekit::TokenClaims claims =
        livekit::makeClaims(parser.value("api-key"), grant, QDateTime::currentSecsSinceEpoch(),
                            std::chrono::seconds(ttl_s));
    claims.identity = parser.value("identity");
    std::printf("%s\n",
                livekit::createToken(claims, parser.value("api-secret").toUtf8()).constData());
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "A fake LiveKit server for tests: RoomService and Egress over Twirp, signed webhooks, "
        "real media. The control API is under /_fake/ (see README.md).");
    parser.addHelpOption();
    parser.addOptions({
        {"port", "Port on 127.0.0.1 (0: any free one).", "PORT", "0"},
        {"api-key", "The API key tokens must carry as iss.", "KEY", "devkey"},
        {"api-secret", "The secret tokens are signed with.", "SECRET", "secret"},
        {"webhook-url", "Where webhooks are posted.", "URL"},
        {"egress-limit", "Concurrent egresses (STARTING, ACTIVE, ENDING) allowed.", "N",
         QString::number(FakeLiveKit::kDefaultEgressLimit)},
        {"script", "JSON file with the initial rooms and participants.", "FILE"},
        {"mint-token", "Print a token made by the engine's createToken and exit."},
        {"grant", "With --mint-token: the video grant as JSON.", "JSON"},
        {"identity", "With --mint-token: the sub claim.", "IDENTITY"},
        {"ttl", "With --mint-token: seconds of validity.", "SECONDS", "600"},
    });
    parser.process(app);

    if (parser.isSet("mint-token"))
        return mintToken(parser);

    FakeLiveKit fake;
    fake.setCredentials(parser.value("api-key"), parser.value("api-secret").toUtf8());
    if (parser.isSet("webhook-url"))
        fake.setWebhookUrl(QUrl(parser.value("webhook-url")));
    bool ok = false;
    const int limit = parser.value("egress-limit").toInt(&ok);
    if (!ok || limit < 0)
        return fail(QStringLiteral("--egress-limit needs a number"));
    fake.setEgressLimit(limit);
    const uint port = parser.value("port").toUInt(&ok);
    if (!ok || port > 65535)
        return fail(QStringLiteral("--port needs a port number"));

    QString error;
    if (!fake.listen(&error, QHostAddress::LocalHost, quint16(port)))
        return fail(QStringLiteral("cannot listen on port %1: %2").arg(port).arg(error));
    // After listen, so that webhooks about the script's rooms find a server
    // that can already answer the client they wake up.
    if (parser.isSet("script")) {
        QFile file(parser.value("script"));
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("--script: %1").arg(file.errorString()));
        if (!fake.loadScript(file.readAll(), QFileInfo(file).absolutePath(), &error))
            return fail(QStringLiteral("--script: %1").arg(error));
    }

    quitOnSignals(&app);
    std::printf("listening on %s\n", qPrintable(fake.url().toString()));
    std::fflush(stdout);
    return app.exec();
}

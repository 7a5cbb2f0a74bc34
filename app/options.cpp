#include "app/options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QThread>

#include <cstdio>
#include <cstring>

namespace roomscribe::app {

static bool parseHostPort(const QString &text, QHostAddress *address, quint16 *port)
{
    const int colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    if (host == u"localhost")
        *address = QHostAddress::LocalHost;
    else if (!address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

static bool readKeysFile(const QString &path, QStringList *keys, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    while (!file.atEnd()) {
        const QString key = QString::fromUtf8(file.readLine()).trimmed();
        if (!key.isEmpty() && !key.startsWith(u'#'))
            keys->append(key);
    }
    return true;
}

// A key file must not be readable by anyone but its owner: a secret that
// others can read is refused rather than used.
static bool readSecretFile(const QString &path, QByteArray *secret, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QFile::Permissions shared =
        QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    if (file.permissions() & shared) {
        *error = QStringLiteral("%1 is readable by others: chmod 600 it").arg(path);
        return false;
    }
    *secret = file.readAll().trimmed();
    if (secret->isEmpty()) {
        *error = QStringLiteral("%1 is empty").arg(path);
        return false;
    }
    return true;
}

namespace {

// The settings layer of the parse in progress (parseOptions is not re-entrant).
const SettingsLayer *s_settings = nullptr;

// A configuration variable: the environment's, else the saved settings'.
QByteArray configVariable(const char *name)
{
    QByteArray value = qgetenv(name);
    if (value.isEmpty() && s_settings)
        value = s_settings->environment.value(name);
    return value;
}

QString configText(const char *name)
{
    return QString::fromLocal8Bit(configVariable(name));
}

// The LiveKit side of the command line (shared/PROTOCOLS.md, "LiveKit server API").
struct LiveKitFlags
{
    QCommandLineOption url{
        QStringLiteral("livekit-url"),
        QStringLiteral("LiveKit server URL, http(s):// or ws(s):// (default LIVEKIT_HTTP_URL, "
                       "else LIVEKIT_URL). Needs LIVEKIT_API_KEY and LIVEKIT_API_SECRET."),
        QStringLiteral("url")};
    QCommandLineOption rtmpPublicUrl{
        QStringLiteral("rtmp-public-url"),
        QStringLiteral("What Room Composite egress dials: rtmp://HOST:PORT/live (default from "
                       "RTMP_HOST and the RTMP port, else this machine's address)."),
        QStringLiteral("url")};
    QCommandLineOption wsPublicUrl{
        QStringLiteral("ws-public-url"),
        QStringLiteral("What Track Egress dials: ws(s)://HOST:PORT (default this machine's "
                       "address and the --ws-listen port)."),
        QStringLiteral("url")};
    QCommandLineOption webhookListen{
        QStringLiteral("webhook-listen"),
        QStringLiteral("Take LiveKit webhooks on HOST:PORT (any path; signature checked)."),
        QStringLiteral("host:port")};
    QCommandLineOption poll{
        QStringLiteral("livekit-poll-s"),
        QStringLiteral("Poll LiveKit's rooms, participants and egresses every N seconds, "
                       "covering missed webhooks (default 5)."),
        QStringLiteral("seconds"), QStringLiteral("5")};
    QCommandLineOption egressLimit{
        QStringLiteral("egress-limit"),
        QStringLiteral("The project's concurrent egress limit (default 2, LiveKit Cloud's free "
                       "plan)."),
        QStringLiteral("n"), QStringLiteral("2")};
    QCommandLineOption room{QStringLiteral("room"),
                            QStringLiteral("Transcribe this LiveKit room (repeatable)."),
                            QStringLiteral("name")};
    QCommandLineOption roomMethod{
        QStringLiteral("room-method"),
        QStringLiteral("Take this room's audio by METHOD, whatever --method says (repeatable)."),
        QStringLiteral("name=method")};
    QCommandLineOption autoStart{
        QStringLiteral("auto"),
        QStringLiteral("Transcribe every room as it appears, by the router's rule.")};
    QCommandLineOption method{
        QStringLiteral("method"),
        QStringLiteral("How to take a room's audio: auto (composite for 2+ speakers while the "
                       "egress budget lasts, else as a hidden participant), composite, track or "
                       "participant (no egress) (default auto)."),
        QStringLiteral("method"), QStringLiteral("auto")};
    QCommandLineOption stateFile{
        QStringLiteral("state-file"),
        QStringLiteral("Where the egresses this engine started are recorded, so that a restart "
                       "adopts them (default in the user's state directory)."),
        QStringLiteral("file")};
    QCommandLineOption noParticipant{
        QStringLiteral("no-participant"),
        QStringLiteral("Never join rooms as a hidden WebRTC participant: every room by egress.")};
    QCommandLineOption stunServer{
        QStringLiteral("stun-server"),
        QStringLiteral("A STUN server for the participant's WebRTC media, as stun://host:port "
                       "(repeatable; none needed when LiveKit's media address is reachable)."),
        QStringLiteral("url")};

    QList<QCommandLineOption> all() const
    {
        return {url,         rtmpPublicUrl, wsPublicUrl, webhookListen, poll,
                egressLimit, room,          roomMethod,  autoStart,     method,
                stateFile,   noParticipant, stunServer};
    }
};

bool applyLiveKitFlags(const QCommandLineParser &parser, const LiveKitFlags &flags,
                       AppOptions *options, QString *error)
{
    LiveKitOptions &liveKit = options->liveKit;
    QString url = parser.value(flags.url);
    for (const char *variable : {"LIVEKIT_HTTP_URL", "LIVEKIT_URL"}) {
        if (url.isEmpty())
            url = configText(variable);
    }
    const bool wantsRooms = parser.isSet(flags.room) || parser.isSet(flags.autoStart);
    if (url.isEmpty()) {
        if (wantsRooms)
            *error = QStringLiteral("--room and --auto need a LiveKit server (--livekit-url or "
                                    "LIVEKIT_URL)");
        return !wantsRooms;
    }
    liveKit.enabled = true;
    liveKit.server.host = QUrl(url);
    const QString scheme = liveKit.server.host.scheme();
    if (!liveKit.server.host.isValid() ||
        !(scheme == u"http" || scheme == u"https" || scheme == u"ws" || scheme == u"wss")) {
        *error = QStringLiteral("the LiveKit URL must be http(s):// or ws(s)://, got ") + url;
        return false;
    }
    liveKit.server.apiKey = configText("LIVEKIT_API_KEY");
    liveKit.server.apiSecret = configVariable("LIVEKIT_API_SECRET");
    if (liveKit.server.apiKey.isEmpty() || liveKit.server.apiSecret.isEmpty()) {
        *error = QStringLiteral("LiveKit needs LIVEKIT_API_KEY and LIVEKIT_API_SECRET");
        return false;
    }
    auto urlOption = [&](const QCommandLineOption &option, QStringList schemes, QUrl *out) {
        if (!parser.isSet(option))
            return true;
        *out = QUrl(parser.value(option));
        if (out->isValid() && schemes.contains(out->scheme()) && !out->host().isEmpty())
            return true;
        *error = QStringLiteral("--%1 wants %2://HOST:PORT…, got %3")
                     .arg(option.names().constFirst(), schemes.join(u'|'), parser.value(option));
        return false;
    };
    if (!urlOption(flags.rtmpPublicUrl, {QStringLiteral("rtmp")}, &liveKit.rtmpPublicUrl) ||
        !urlOption(flags.wsPublicUrl, {QStringLiteral("ws"), QStringLiteral("wss")},
                   &liveKit.wsPublicUrl))
        return false;
    if (liveKit.rtmpPublicUrl.isEmpty() && qEnvironmentVariableIsSet("RTMP_HOST"))
        liveKit.rtmpPublicUrl = QUrl(QStringLiteral("rtmp://%1:%2/live")
                                         .arg(qEnvironmentVariable("RTMP_HOST"))
                                         .arg(options->ingest.rtmpPort));
    if (parser.isSet(flags.webhookListen)) {
        liveKit.webhooks = true;
        if (!parseHostPort(parser.value(flags.webhookListen), &liveKit.webhookAddress,
                           &liveKit.webhookPort)) {
            *error = QStringLiteral("--webhook-listen wants HOST:PORT, got ") +
                     parser.value(flags.webhookListen);
            return false;
        }
    }
    bool ok = false;
    const double poll_s = parser.value(flags.poll).toDouble(&ok);
    if (!ok || poll_s < 0.2 || poll_s > 3600) {
        *error =
            QStringLiteral("--livekit-poll-s wants 0.2..3600, got ") + parser.value(flags.poll);
        return false;
    }
    liveKit.pollInterval_ms = int(poll_s * 1000);
    routing::RouterConfig &router = liveKit.router;
    router.egressLimit = parser.value(flags.egressLimit).toInt(&ok);
    if (!ok || router.egressLimit < 0 || router.egressLimit > 10000) {
        *error =
            QStringLiteral("--egress-limit wants 0..10000, got ") + parser.value(flags.egressLimit);
        return false;
    }
    const std::optional<routing::Method> method = routing::parseMethod(parser.value(flags.method));
    if (!method) {
        *error = QStringLiteral("--method wants auto, composite, track or participant, got ") +
                 parser.value(flags.method);
        return false;
    }
    router.defaultMethod = *method;
    for (const QString &pair : parser.values(flags.roomMethod)) {
        const qsizetype equals = pair.lastIndexOf(u'=');
        const std::optional<routing::Method> roomMethod =
            equals > 0 ? routing::parseMethod(pair.mid(equals + 1)) : std::nullopt;
        if (!roomMethod) {
            *error =
                QStringLiteral("--room-method wants NAME=auto|composite|track|participant, got ") +
                pair;
            return false;
        }
        router.roomMethods.insert(pair.left(equals), *roomMethod);
    }
    router.autoStart = parser.isSet(flags.autoStart);
    for (const QString &stun : parser.values(flags.stunServer)) {
        if (!stun.startsWith(QLatin1String("stun://")) || !QUrl(stun).isValid()) {
            *error = QStringLiteral("--stun-server wants stun://HOST:PORT, got ") + stun;
            return false;
        }
    }
    // The hidden participant joins with the same server and credentials.
    if (!parser.isSet(flags.noParticipant)) {
        ingest::ParticipantConfig &participant = options->ingest.participant;
        participant.livekitUrl = liveKit.server.host;
        participant.apiKey = liveKit.server.apiKey;
        participant.apiSecret = liveKit.server.apiSecret;
        participant.stunServers = parser.values(flags.stunServer);
    }
    liveKit.rooms = parser.values(flags.room);
    liveKit.rooms.removeDuplicates();
    liveKit.ledgerPath =
        parser.isSet(flags.stateFile)
            ? parser.value(flags.stateFile)
            : QDir(qEnvironmentVariable("XDG_STATE_HOME",
                                        QDir::homePath() + QStringLiteral("/.local/state")))
                  .filePath(QStringLiteral("roomscribe/egresses.json"));
    return true;
}

} // namespace

bool wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-gui") == 0 || std::strcmp(argv[i], "--help") == 0 ||
            std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--version") == 0 ||
            std::strcmp(argv[i], "-v") == 0)
            return true;
    }
    return false;
}

ParseOutcome parseOptions(const QStringList &arguments, AppOptions *options,
                          const SettingsLayer *settings)
{
    s_settings = settings;
    const auto forgetSettings = qScopeGuard([] { s_settings = nullptr; });
    QStringList layered = arguments;
    if (settings && !layered.isEmpty())
        layered = arguments.mid(0, 1) + settings->arguments + arguments.mid(1);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Live transcription console for LiveKit rooms. Without --no-gui it opens "
                       "the console window."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption noGui(QStringLiteral("no-gui"),
                                   QStringLiteral("Run headless: no window, no Qt Gui or QML."));
    const QCommandLineOption rtmpListen(
        QStringLiteral("rtmp-listen"),
        QStringLiteral("Address and port of the RTMP server (default 0.0.0.0:1935, port from "
                       "RTMP_PORT if set)."),
        QStringLiteral("host:port"));
    const QCommandLineOption wsListen(
        QStringLiteral("ws-listen"),
        QStringLiteral("Address and port of the WebSocket endpoint Track Egress sends audio to "
                       "(ws://HOST:PORT/track/<token>; default off, port 0 picks a free one)."),
        QStringLiteral("host:port"));
    const QCommandLineOption streamKey(
        QStringLiteral("stream-key"),
        QStringLiteral("Accept publishing to live/KEY (repeatable). Without any key one is "
                       "generated and printed."),
        QStringLiteral("key"));
    const QCommandLineOption streamKeysFile(
        QStringLiteral("stream-keys-file"),
        QStringLiteral("Accept every key listed in the file, one per line."),
        QStringLiteral("file"));
    const QCommandLineOption pcmDir(
        QStringLiteral("pcm-dir"),
        QStringLiteral("Write each stream's 16 kHz mono s16le audio to DIR/<key>.pcm."),
        QStringLiteral("dir"));
    const QCommandLineOption chunk(
        QStringLiteral("chunk-ms"),
        QStringLiteral("Audio chunk length in ms (10..1000, default 100)."), QStringLiteral("ms"),
        QStringLiteral("100"));
    const QCommandLineOption workers(
        QStringLiteral("workers"),
        QStringLiteral("Worker threads for streams (default: CPU cores, here %1).")
            .arg(QThread::idealThreadCount()),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption stats(
        QStringLiteral("stats"),
        QStringLiteral("Print a JSON stats line to stdout every N seconds (headless)."),
        QStringLiteral("seconds"));
    const QCommandLineOption statsStreams(
        QStringLiteral("stats-streams"),
        QStringLiteral("Add each stream's state to the stats lines (key shortened)."));
    const QCommandLineOption gladiaUrl(
        QStringLiteral("gladia-url"),
        QStringLiteral("Gladia API base URL (default GLADIA_API_URL or https://api.gladia.io)."),
        QStringLiteral("url"));
    const QCommandLineOption gladiaKeyFile(
        QStringLiteral("gladia-key-file"),
        QStringLiteral("Read the Gladia API key from FILE (readable by its owner only) instead "
                       "of GLADIA_API_KEY."),
        QStringLiteral("file"));
    const QCommandLineOption gladiaRegion(QStringLiteral("gladia-region"),
                                          QStringLiteral("Gladia region: us-west or eu-west."),
                                          QStringLiteral("region"));
    const QCommandLineOption languages(
        QStringLiteral("languages"),
        QStringLiteral("Languages to recognise, with code switching (default ru,en)."),
        QStringLiteral("codes"), QStringLiteral("ru,en"));
    const QCommandLineOption gladiaBuffer(
        QStringLiteral("gladia-buffer-s"),
        QStringLiteral("Audio kept for Gladia while it is unreachable (default 60 s)."),
        QStringLiteral("seconds"), QStringLiteral("60"));
    const QCommandLineOption transcripts(
        QStringLiteral("transcripts"),
        QStringLiteral("Append every partial and final transcript to FILE as JSON Lines (- for "
                       "stdout)."),
        QStringLiteral("file"));
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("Where final transcripts are stored: a SQLite file (default %1) or "
                       "postgresql://user:password@host:port/database.")
            .arg(store::defaultSqlitePath()),
        QStringLiteral("url"));
    const QCommandLineOption noDb(QStringLiteral("no-db"),
                                  QStringLiteral("Do not store final transcripts."));
    const QCommandLineOption dbFlush(
        QStringLiteral("db-flush-ms"),
        QStringLiteral("Store finals at least this often (default 300 ms)."), QStringLiteral("ms"),
        QStringLiteral("300"));
    const QCommandLineOption dbBatch(
        QStringLiteral("db-batch"),
        QStringLiteral("Store finals in transactions of up to N (default 100)."),
        QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption httpListen(
        QStringLiteral("http-listen"),
        QStringLiteral("Serve live transcripts (WebSocket /api/realtime/transcribe?room=NAME), "
                       "/health and /metrics on HOST:PORT. Clients need a JWT signed with "
                       "ROOMSCRIBE_JWT_SECRET or --jwt-secret-file."),
        QStringLiteral("host:port"));
    const QCommandLineOption jwtSecretFile(
        QStringLiteral("jwt-secret-file"),
        QStringLiteral("Read the secret of the live clients' tokens from FILE (readable by its "
                       "owner only) instead of ROOMSCRIBE_JWT_SECRET."),
        QStringLiteral("file"));
    parser.addOptions({noGui, rtmpListen, wsListen, streamKey, streamKeysFile, pcmDir, chunk,
                       workers, stats, statsStreams, gladiaUrl, gladiaKeyFile, gladiaRegion,
                       languages, gladiaBuffer, transcripts});
    const LiveKitFlags liveKitFlags;
    parser.addOptions(liveKitFlags.all());
    const QCommandLineOption guiScript(
        QStringLiteral("gui-script"),
        QStringLiteral("Run the QML in FILE inside the console once its window shows, with the "
                       "window, the engine's backend and the console as properties (tours, "
                       "screenshots, automation)."),
        QStringLiteral("file"));
    parser.addOptions({db, noDb, dbFlush, dbBatch, httpListen, jwtSecretFile, guiScript});

    auto fail = [](const QString &message) {
        std::fprintf(stderr, "roomscribe: %s\n", qPrintable(message));
        return ParseOutcome::Error;
    };
    if (!parser.parse(layered))
        return fail(parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        std::fputs("\nEnvironment:\n"
                   "  RTMP_PORT       RTMP port when --rtmp-listen is not given.\n"
                   "  GLADIA_API_KEY  Gladia API key; transcription runs when a key is given.\n"
                   "  GLADIA_API_URL  Gladia API base URL when --gladia-url is not given.\n"
                   "  LIVEKIT_URL, LIVEKIT_HTTP_URL\n"
                   "                  LiveKit server when --livekit-url is not given.\n"
                   "  LIVEKIT_API_KEY, LIVEKIT_API_SECRET\n"
                   "                  LiveKit API credentials.\n"
                   "  RTMP_HOST       Host Room Composite egress dials, when --rtmp-public-url is\n"
                   "                  not given.\n"
                   "  ROOMSCRIBE_JWT_SECRET\n"
                   "                  Secret of the live clients' tokens (--http-listen).\n"
                   "\nStored transcripts: roomscribe export --help\n",
                   stdout);
        return ParseOutcome::Exit;
    }
    if (parser.isSet(version)) {
        std::printf("roomscribe %s\n", ROOMSCRIBE_VERSION);
        return ParseOutcome::Exit;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument: ") + parser.positionalArguments().first());

    options->headless = parser.isSet(noGui);
    options->guiScript = parser.value(guiScript);
    ingest::IngestConfig &config = options->ingest;
    if (parser.isSet(rtmpListen)) {
        if (!parseHostPort(parser.value(rtmpListen), &config.rtmpAddress, &config.rtmpPort))
            return fail(QStringLiteral("--rtmp-listen wants HOST:PORT, got ") +
                        parser.value(rtmpListen));
    } else if (qEnvironmentVariableIsSet("RTMP_PORT")) {
        bool ok = false;
        const uint port = qEnvironmentVariable("RTMP_PORT").toUInt(&ok);
        if (!ok || port > 65535)
            return fail(QStringLiteral("RTMP_PORT is not a port: ") +
                        qEnvironmentVariable("RTMP_PORT"));
        config.rtmpPort = quint16(port);
    }
    if (parser.isSet(wsListen) &&
        !parseHostPort(parser.value(wsListen), &config.trackAddress, &config.trackPort))
        return fail(QStringLiteral("--ws-listen wants HOST:PORT, got ") + parser.value(wsListen));
    bool ok = false;
    config.chunkDuration_ms = parser.value(chunk).toInt(&ok);
    if (!ok || config.chunkDuration_ms < 10 || config.chunkDuration_ms > 1000)
        return fail(QStringLiteral("--chunk-ms wants 10..1000, got ") + parser.value(chunk));
    config.workers = parser.value(workers).toInt(&ok);
    if (!ok || config.workers < 0 || config.workers > 256)
        return fail(QStringLiteral("--workers wants 0..256, got ") + parser.value(workers));
    config.pcmDirectory = parser.value(pcmDir);
    options->streamKeys = parser.values(streamKey);
    if (parser.isSet(streamKeysFile)) {
        QString error;
        if (!readKeysFile(parser.value(streamKeysFile), &options->streamKeys, &error))
            return fail(error);
    }
    if (parser.isSet(stats)) {
        options->statsInterval_s = parser.value(stats).toDouble(&ok);
        if (!ok || options->statsInterval_s < 0.1)
            return fail(QStringLiteral("--stats wants seconds ≥ 0.1, got ") + parser.value(stats));
    }
    options->statsPerStream = parser.isSet(statsStreams);

    stt::GladiaConfig &gladia = options->gladia;
    const QString url =
        parser.isSet(gladiaUrl) ? parser.value(gladiaUrl) : configText("GLADIA_API_URL");
    if (!url.isEmpty()) {
        gladia.apiUrl = QUrl(url);
        if (!gladia.apiUrl.isValid() || !gladia.apiUrl.scheme().startsWith(u"http"))
            return fail(QStringLiteral("the Gladia URL must be http(s)://…, got ") + url);
    }
    if (parser.isSet(gladiaKeyFile)) {
        QString error;
        if (!readSecretFile(parser.value(gladiaKeyFile), &gladia.apiKey, &error))
            return fail(error);
    } else {
        gladia.apiKey = configVariable("GLADIA_API_KEY").trimmed();
    }
    options->transcribe = !gladia.apiKey.isEmpty();
    gladia.region = parser.value(gladiaRegion);
    if (!gladia.region.isEmpty() && gladia.region != u"us-west" && gladia.region != u"eu-west")
        return fail(QStringLiteral("--gladia-region wants us-west or eu-west, got ") +
                    gladia.region);
    gladia.languages = parser.value(languages).split(u',', Qt::SkipEmptyParts);
    const int buffer_s = parser.value(gladiaBuffer).toInt(&ok);
    if (!ok || buffer_s < 1 || buffer_s > 3600)
        return fail(QStringLiteral("--gladia-buffer-s wants 1..3600, got ") +
                    parser.value(gladiaBuffer));
    gladia.bufferLimit_ms = buffer_s * 1000;
    options->transcriptsPath = parser.value(transcripts);
    if (!options->transcriptsPath.isEmpty() && !options->transcribe)
        return fail(QStringLiteral(
            "--transcripts needs a Gladia key (GLADIA_API_KEY or --gladia-key-file)"));
    if (parser.isSet(httpListen)) {
        options->serveHttp = true;
        if (!parseHostPort(parser.value(httpListen), &options->http.address, &options->http.port))
            return fail(QStringLiteral("--http-listen wants HOST:PORT, got ") +
                        parser.value(httpListen));
        if (parser.isSet(jwtSecretFile)) {
            QString error;
            if (!readSecretFile(parser.value(jwtSecretFile), &options->http.tokenSecret, &error))
                return fail(error);
        } else {
            options->http.tokenSecret = qgetenv("ROOMSCRIBE_JWT_SECRET");
        }
        if (options->http.tokenSecret.size() < 16)
            return fail(QStringLiteral("--http-listen needs a token secret of 16 bytes or more "
                                       "(ROOMSCRIBE_JWT_SECRET or --jwt-secret-file)"));
    }
    options->storeFinals = !parser.isSet(noDb);
    options->store.database = parser.value(db);
    options->store.flushInterval_ms = parser.value(dbFlush).toInt(&ok);
    if (!ok || options->store.flushInterval_ms < 10 || options->store.flushInterval_ms > 60000)
        return fail(QStringLiteral("--db-flush-ms wants 10..60000, got ") + parser.value(dbFlush));
    options->store.batchSize = parser.value(dbBatch).toInt(&ok);
    if (!ok || options->store.batchSize < 1 || options->store.batchSize > 100000)
        return fail(QStringLiteral("--db-batch wants 1..100000, got ") + parser.value(dbBatch));
    QString liveKitError;
    if (!applyLiveKitFlags(parser, liveKitFlags, options, &liveKitError))
        return fail(liveKitError);
    return ParseOutcome::Run;
}

} // namespace roomscribe::app

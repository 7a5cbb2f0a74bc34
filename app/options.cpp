#include "app/options.h"

#include "app/optiontable.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QScopeGuard>

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

// The parsed command line, asked by entries of the option table.
class ParsedOptions
{
public:
    explicit ParsedOptions(const QCommandLineParser &parser) : m_parser(parser) {}

    bool isSet(const OptionSpec &option) const { return m_parser.isSet(name(option)); }
    QString value(const OptionSpec &option) const { return m_parser.value(name(option)); }
    QStringList values(const OptionSpec &option) const { return m_parser.values(name(option)); }

private:
    static QString name(const OptionSpec &option) { return QLatin1String(option.name); }

    const QCommandLineParser &m_parser;
};

// The LiveKit side of the command line (shared/PROTOCOLS.md, "LiveKit server API").
bool applyLiveKitFlags(const ParsedOptions &parsed, AppOptions *options, QString *error)
{
    LiveKitOptions &liveKit = options->liveKit;
    QString url = parsed.value(option::liveKitUrl);
    for (const char *variable : {"LIVEKIT_HTTP_URL", "LIVEKIT_URL"}) {
        if (url.isEmpty())
            url = configText(variable);
    }
    const bool wantsRooms = parsed.isSet(option::room) || parsed.isSet(option::autoStart);
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
    auto urlOption = [&](const OptionSpec &spec, QStringList schemes, QUrl *out) {
        if (!parsed.isSet(spec))
            return true;
        *out = QUrl(parsed.value(spec));
        if (out->isValid() && schemes.contains(out->scheme()) && !out->host().isEmpty())
            return true;
        *error = QStringLiteral("--%1 wants %2://HOST:PORT…, got %3")
                     .arg(QLatin1String(spec.name), schemes.join(u'|'), parsed.value(spec));
        return false;
    };
    if (!urlOption(option::rtmpPublicUrl, {QStringLiteral("rtmp")}, &liveKit.rtmpPublicUrl) ||
        !urlOption(option::wsPublicUrl, {QStringLiteral("ws"), QStringLiteral("wss")},
                   &liveKit.wsPublicUrl))
        return false;
    if (liveKit.rtmpPublicUrl.isEmpty() && qEnvironmentVariableIsSet("RTMP_HOST"))
        liveKit.rtmpPublicUrl = QUrl(QStringLiteral("rtmp://%1:%2/live")
                                         .arg(qEnvironmentVariable("RTMP_HOST"))
                                         .arg(options->ingest.rtmpPort));
    if (parsed.isSet(option::webhookListen)) {
        liveKit.webhooks = true;
        if (!parseHostPort(parsed.value(option::webhookListen), &liveKit.webhookAddress,
                           &liveKit.webhookPort)) {
            *error = QStringLiteral("--webhook-listen wants HOST:PORT, got ") +
                     parsed.value(option::webhookListen);
            return false;
        }
    }
    bool ok = false;
    const double poll_s = parsed.value(option::liveKitPoll).toDouble(&ok);
    if (!ok || poll_s < 0.2 || poll_s > 3600) {
        *error = QStringLiteral("--livekit-poll-s wants 0.2..3600, got ") +
                 parsed.value(option::liveKitPoll);
        return false;
    }
    liveKit.pollInterval_ms = int(poll_s * 1000);
    routing::RouterConfig &router = liveKit.router;
    router.egressLimit = parsed.value(option::egressLimit).toInt(&ok);
    if (!ok || router.egressLimit < 0 || router.egressLimit > 10000) {
        *error = QStringLiteral("--egress-limit wants 0..10000, got ") +
                 parsed.value(option::egressLimit);
        return false;
    }
    const std::optional<routing::Method> method =
        routing::parseMethod(parsed.value(option::method));
    if (!method) {
        *error = QStringLiteral("--method wants auto, composite, track or participant, got ") +
                 parsed.value(option::method);
        return false;
    }
    router.defaultMethod = *method;
    for (const QString &pair : parsed.values(option::roomMethod)) {
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
    router.autoStart = parsed.isSet(option::autoStart);
    for (const QString &stun : parsed.values(option::stunServer)) {
        if (!stun.startsWith(QLatin1String("stun://")) || !QUrl(stun).isValid()) {
            *error = QStringLiteral("--stun-server wants stun://HOST:PORT, got ") + stun;
            return false;
        }
    }
    // The hidden participant joins with the same server and credentials.
    if (!parsed.isSet(option::noParticipant)) {
        ingest::ParticipantConfig &participant = options->ingest.participant;
        participant.livekitUrl = liveKit.server.host;
        participant.apiKey = liveKit.server.apiKey;
        participant.apiSecret = liveKit.server.apiSecret;
        participant.stunServers = parsed.values(option::stunServer);
    }
    liveKit.rooms = parsed.values(option::room);
    liveKit.rooms.removeDuplicates();
    liveKit.ledgerPath =
        parsed.isSet(option::stateFile)
            ? parsed.value(option::stateFile)
            : QDir(qEnvironmentVariable("XDG_STATE_HOME",
                                        QDir::homePath() + QStringLiteral("/.local/state")))
                  .filePath(QStringLiteral("roomscribe/egresses.json"));
    return true;
}

} // namespace

bool wantsHeadless(int argc, char **argv)
{
    // These run headless or print and exit: the console is never loaded for them.
    const OptionSpec *const headless[] = {&option::noGui, &option::help, &option::version,
                                          &option::manPage};
    for (int i = 1; i < argc; ++i) {
        const char *argument = argv[i];
        for (const OptionSpec *spec : headless) {
            if ((std::strncmp(argument, "--", 2) == 0 &&
                 std::strcmp(argument + 2, spec->name) == 0) ||
                (spec->shortName && argument[0] == '-' &&
                 std::strcmp(argument + 1, spec->shortName) == 0))
                return true;
        }
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
    addTableOptions(&parser);
    const ParsedOptions parsed(parser);

    auto fail = [](const QString &message) {
        std::fprintf(stderr, "roomscribe: %s\n", qPrintable(message));
        return ParseOutcome::Error;
    };
    if (!parser.parse(layered))
        return fail(parser.errorText());
    if (parsed.isSet(option::help)) {
        std::fputs(qPrintable(helpText(parser)), stdout);
        return ParseOutcome::Exit;
    }
    if (parsed.isSet(option::version)) {
        std::printf("roomscribe %s\n", ROOMSCRIBE_VERSION);
        return ParseOutcome::Exit;
    }
    if (parsed.isSet(option::manPage)) {
        std::fputs(qPrintable(manPage()), stdout);
        return ParseOutcome::Exit;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument: ") + parser.positionalArguments().first());

    options->headless = parsed.isSet(option::noGui);
    options->guiScript = parsed.value(option::guiScript);
    ingest::IngestConfig &config = options->ingest;
    if (parsed.isSet(option::rtmpListen)) {
        if (!parseHostPort(parsed.value(option::rtmpListen), &config.rtmpAddress, &config.rtmpPort))
            return fail(QStringLiteral("--rtmp-listen wants HOST:PORT, got ") +
                        parsed.value(option::rtmpListen));
    } else if (qEnvironmentVariableIsSet("RTMP_PORT")) {
        bool ok = false;
        const uint port = qEnvironmentVariable("RTMP_PORT").toUInt(&ok);
        if (!ok || port > 65535)
            return fail(QStringLiteral("RTMP_PORT is not a port: ") +
                        qEnvironmentVariable("RTMP_PORT"));
        config.rtmpPort = quint16(port);
    }
    if (parsed.isSet(option::wsListen) &&
        !parseHostPort(parsed.value(option::wsListen), &config.trackAddress, &config.trackPort))
        return fail(QStringLiteral("--ws-listen wants HOST:PORT, got ") +
                    parsed.value(option::wsListen));
    bool ok = false;
    config.chunkDuration_ms = parsed.value(option::chunk).toInt(&ok);
    if (!ok || config.chunkDuration_ms < 10 || config.chunkDuration_ms > 1000)
        return fail(QStringLiteral("--chunk-ms wants 10..1000, got ") +
                    parsed.value(option::chunk));
    config.workers = parsed.value(option::workers).toInt(&ok);
    if (!ok || config.workers < 0 || config.workers > 256)
        return fail(QStringLiteral("--workers wants 0..256, got ") + parsed.value(option::workers));
    config.pcmDirectory = parsed.value(option::pcmDir);
    options->streamKeys = parsed.values(option::streamKey);
    if (parsed.isSet(option::streamKeysFile)) {
        QString error;
        if (!readKeysFile(parsed.value(option::streamKeysFile), &options->streamKeys, &error))
            return fail(error);
    }
    if (parsed.isSet(option::stats)) {
        options->statsInterval_s = parsed.value(option::stats).toDouble(&ok);
        if (!ok || options->statsInterval_s < 0.1)
            return fail(QStringLiteral("--stats wants seconds ≥ 0.1, got ") +
                        parsed.value(option::stats));
    }
    options->statsPerStream = parsed.isSet(option::statsStreams);

    stt::GladiaConfig &gladia = options->gladia;
    const QString url = parsed.isSet(option::gladiaUrl) ? parsed.value(option::gladiaUrl)
                                                        : configText("GLADIA_API_URL");
    if (!url.isEmpty()) {
        gladia.apiUrl = QUrl(url);
        if (!gladia.apiUrl.isValid() || !gladia.apiUrl.scheme().startsWith(u"http"))
            return fail(QStringLiteral("the Gladia URL must be http(s)://…, got ") + url);
    }
    if (parsed.isSet(option::gladiaKeyFile)) {
        QString error;
        if (!readSecretFile(parsed.value(option::gladiaKeyFile), &gladia.apiKey, &error))
            return fail(error);
    } else {
        gladia.apiKey = configVariable("GLADIA_API_KEY").trimmed();
    }
    options->transcribe = !gladia.apiKey.isEmpty();
    gladia.region = parsed.value(option::gladiaRegion);
    if (!gladia.region.isEmpty() && gladia.region != u"us-west" && gladia.region != u"eu-west")
        return fail(QStringLiteral("--gladia-region wants us-west or eu-west, got ") +
                    gladia.region);
    gladia.languages = parsed.value(option::languages).split(u',', Qt::SkipEmptyParts);
    const int buffer_s = parsed.value(option::gladiaBuffer).toInt(&ok);
    if (!ok || buffer_s < 1 || buffer_s > 3600)
        return fail(QStringLiteral("--gladia-buffer-s wants 1..3600, got ") +
                    parsed.value(option::gladiaBuffer));
    gladia.bufferLimit_ms = buffer_s * 1000;
    options->transcriptsPath = parsed.value(option::transcripts);
    if (!options->transcriptsPath.isEmpty() && !options->transcribe)
        return fail(QStringLiteral(
            "--transcripts needs a Gladia key (GLADIA_API_KEY or --gladia-key-file)"));
    if (parsed.isSet(option::httpListen)) {
        options->serveHttp = true;
        if (!parseHostPort(parsed.value(option::httpListen), &options->http.address,
                           &options->http.port))
            return fail(QStringLiteral("--http-listen wants HOST:PORT, got ") +
                        parsed.value(option::httpListen));
        if (parsed.isSet(option::jwtSecretFile)) {
            QString error;
            if (!readSecretFile(parsed.value(option::jwtSecretFile), &options->http.tokenSecret,
                                &error))
                return fail(error);
        } else {
            options->http.tokenSecret = qgetenv("ROOMSCRIBE_JWT_SECRET");
        }
        if (options->http.tokenSecret.size() < 16)
            return fail(QStringLiteral("--http-listen needs a token secret of 16 bytes or more "
                                       "(ROOMSCRIBE_JWT_SECRET or --jwt-secret-file)"));
    }
    options->storeFinals = !parsed.isSet(option::noDb);
    options->store.database = parsed.value(option::db);
    options->store.flushInterval_ms = parsed.value(option::dbFlush).toInt(&ok);
    if (!ok || options->store.flushInterval_ms < 10 || options->store.flushInterval_ms > 60000)
        return fail(QStringLiteral("--db-flush-ms wants 10..60000, got ") +
                    parsed.value(option::dbFlush));
    options->store.batchSize = parsed.value(option::dbBatch).toInt(&ok);
    if (!ok || options->store.batchSize < 1 || options->store.batchSize > 100000)
        return fail(QStringLiteral("--db-batch wants 1..100000, got ") +
                    parsed.value(option::dbBatch));
    QString liveKitError;
    if (!applyLiveKitFlags(parsed, options, &liveKitError))
        return fail(liveKitError);
    return ParseOutcome::Run;
}

} // namespace roomscribe::app

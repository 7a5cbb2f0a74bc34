#pragma once

#include "ingest/ingestconfig.h"
#include "livekit/twirpclient.h"
#include "publish/publishconfig.h"
#include "routing/egressrouter.h"
#include "store/storeconfig.h"
#include "stt/gladiaconfig.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace roomscribe::app {

// Driving LiveKit: on when a LiveKit URL is given.
struct LiveKitOptions
{
    bool enabled = false;
    livekit::ServerConfig server;
    QUrl rtmpPublicUrl; // rtmp://host:port/app that Room Composite egress dials; empty: derived
    QUrl wsPublicUrl;   // ws://host:port that Track Egress dials; empty: derived
    QHostAddress webhookAddress = QHostAddress::Any;
    quint16 webhookPort = 0;
    bool webhooks = false;
    int pollInterval_ms = 5000;
    routing::RouterConfig router;
    QStringList rooms;  // --room, started at once
    QString ledgerPath; // egresses this engine started, for adoption after a crash
};

// Everything the command line and environment configure, for both modes.
struct AppOptions
{
    bool headless = false;
    ingest::IngestConfig ingest;
    QStringList streamKeys;
    double statsInterval_s = 0; // 0: no stats lines
    bool transcribe = false;    // a Gladia key was given
    stt::GladiaConfig gladia;
    QString transcriptsPath; // JSON Lines of segments; "-" is stdout
    bool statsPerStream = false;
    LiveKitOptions liveKit;
    bool serveHttp = false; // --http-listen: live fan-out, /health, /metrics
    publish::PublishConfig http;
    bool storeFinals = true; // finals go to the transcript store when transcribing
    store::StoreConfig store;
    QString guiScript; // --gui-script: QML run in the console once its window shows
};

// The console's saved settings, beneath the command line and the
// environment: their arguments go before the command line's (the later
// value of an option wins), their variables count where the environment has
// none. Secrets come this way from the keychain, never as arguments.
struct SettingsLayer
{
    QStringList arguments;
    QHash<QByteArray, QByteArray> environment;
};

enum class ParseOutcome {
    Invalid = 0,
    Run,
    Exit,  // --help, --version or --man-page printed
    Error, // message printed
};

// Parses arguments and RTMP_PORT; prints help, version, the manual or the
// error itself.
ParseOutcome parseOptions(const QStringList &arguments, AppOptions *options,
                          const SettingsLayer *settings = nullptr);

// Cheap check before any QCoreApplication exists, so the GUI is never loaded
// in headless mode.
bool wantsHeadless(int argc, char **argv);

} // namespace roomscribe::app

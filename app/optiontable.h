#pragma once

#include <QString>

class QCommandLineParser;

namespace roomscribe::app {

// Where the manual lists an option.
enum class OptionGroup {
    Invalid = 0,
    General,
    Ingest,
    Transcription,
    LiveKit,
    Store,
    LiveClients,
};

// One command-line option. The parser (and so --help) and the manual are both
// made from the table below, so they cannot disagree.
struct OptionSpec
{
    OptionGroup group = OptionGroup::Invalid;
    const char *name = nullptr;        // --NAME
    const char *valueName = nullptr;   // nullptr: a flag
    const char *description = nullptr; // English, like the rest of --help
    const char *defaultValue = nullptr;
    const char *shortName = nullptr; // -X
    bool hidden = false;             // in neither --help nor the manual
};

namespace option {
// clang-format off
inline constexpr OptionSpec help{OptionGroup::General, "help", nullptr,
    "Displays help on commandline options.", nullptr, "h"};
inline constexpr OptionSpec version{OptionGroup::General, "version", nullptr,
    "Displays version information.", nullptr, "v"};
inline constexpr OptionSpec manPage{OptionGroup::General, "man-page", nullptr,
    "Print the manual page (roff) and exit.", nullptr, nullptr, true};
inline constexpr OptionSpec noGui{OptionGroup::General, "no-gui", nullptr,
    "Run headless: no window, no Qt Gui or QML."};
inline constexpr OptionSpec guiScript{OptionGroup::General, "gui-script", "file",
    "Run the QML in FILE inside the console once its window shows, with the window, the "
    "engine's backend and the console as properties (tours, screenshots, automation)."};
inline constexpr OptionSpec stats{OptionGroup::General, "stats", "seconds",
    "Print a JSON stats line to stdout every N seconds (headless)."};
inline constexpr OptionSpec statsStreams{OptionGroup::General, "stats-streams", nullptr,
    "Add each stream's state to the stats lines (key shortened)."};

inline constexpr OptionSpec rtmpListen{OptionGroup::Ingest, "rtmp-listen", "host:port",
    "Address and port of the RTMP server (default 0.0.0.0:1935, port from RTMP_PORT if set)."};
inline constexpr OptionSpec wsListen{OptionGroup::Ingest, "ws-listen", "host:port",
    "Address and port of the WebSocket endpoint Track Egress sends audio to "
    "(ws://HOST:PORT/track/<token>; default off, port 0 picks a free one)."};
inline constexpr OptionSpec streamKey{OptionGroup::Ingest, "stream-key", "key",
    "Accept publishing to live/KEY (repeatable). Without any key one is generated and printed."};
inline constexpr OptionSpec streamKeysFile{OptionGroup::Ingest, "stream-keys-file", "file",
    "Accept every key listed in the file, one per line."};
inline constexpr OptionSpec pcmDir{OptionGroup::Ingest, "pcm-dir", "dir",
    "Write each stream's 16 kHz mono s16le audio to DIR/<key>.pcm."};
inline constexpr OptionSpec chunk{OptionGroup::Ingest, "chunk-ms", "ms",
    "Audio chunk length in ms (10..1000, default 100).", "100"};
inline constexpr OptionSpec workers{OptionGroup::Ingest, "workers", "n",
    "Worker threads for streams (default 0: one per CPU core).", "0"};

inline constexpr OptionSpec gladiaUrl{OptionGroup::Transcription, "gladia-url", "url",
    "Gladia API base URL (default GLADIA_API_URL or https://api.gladia.io)."};
inline constexpr OptionSpec gladiaKeyFile{OptionGroup::Transcription, "gladia-key-file", "file",
    "Read the Gladia API key from FILE (readable by its owner only) instead of GLADIA_API_KEY."};
inline constexpr OptionSpec gladiaRegion{OptionGroup::Transcription, "gladia-region", "region",
    "Gladia region: us-west or eu-west."};
inline constexpr OptionSpec languages{OptionGroup::Transcription, "languages", "codes",
    "Languages to recognise, with code switching (default ru,en).", "ru,en"};
inline constexpr OptionSpec gladiaBuffer{OptionGroup::Transcription, "gladia-buffer-s", "seconds",
    "Audio kept for Gladia while it is unreachable (default 60 s).", "60"};
inline constexpr OptionSpec transcripts{OptionGroup::Transcription, "transcripts", "file",
    "Append every partial and final transcript to FILE as JSON Lines (- for stdout)."};

inline constexpr OptionSpec liveKitUrl{OptionGroup::LiveKit, "livekit-url", "url",
    "LiveKit server URL, http(s):// or ws(s):// (default LIVEKIT_HTTP_URL, else LIVEKIT_URL). "
    "Needs LIVEKIT_API_KEY and LIVEKIT_API_SECRET."};
inline constexpr OptionSpec rtmpPublicUrl{OptionGroup::LiveKit, "rtmp-public-url", "url",
    "What Room Composite egress dials: rtmp://HOST:PORT/live (default from RTMP_HOST and the "
    "RTMP port, else this machine's address)."};
inline constexpr OptionSpec wsPublicUrl{OptionGroup::LiveKit, "ws-public-url", "url",
    "What Track Egress dials: ws(s)://HOST:PORT (default this machine's address and the "
    "--ws-listen port)."};
inline constexpr OptionSpec webhookListen{OptionGroup::LiveKit, "webhook-listen", "host:port",
    "Take LiveKit webhooks on HOST:PORT (any path; signature checked)."};
inline constexpr OptionSpec liveKitPoll{OptionGroup::LiveKit, "livekit-poll-s", "seconds",
    "Poll LiveKit's rooms, participants and egresses every N seconds, covering missed webhooks "
    "(default 5).", "5"};
inline constexpr OptionSpec egressLimit{OptionGroup::LiveKit, "egress-limit", "n",
    "The project's concurrent egress limit (default 2, LiveKit Cloud's free plan).", "2"};
inline constexpr OptionSpec room{OptionGroup::LiveKit, "room", "name",
    "Transcribe this LiveKit room (repeatable)."};
inline constexpr OptionSpec roomMethod{OptionGroup::LiveKit, "room-method", "name=method",
    "Take this room's audio by METHOD, whatever --method says (repeatable)."};
inline constexpr OptionSpec autoStart{OptionGroup::LiveKit, "auto", nullptr,
    "Transcribe every room as it appears, by the router's rule."};
inline constexpr OptionSpec method{OptionGroup::LiveKit, "method", "method",
    "How to take a room's audio: auto (composite for 2+ speakers while the egress budget lasts, "
    "else as a hidden participant), composite, track or participant (no egress) (default auto).",
    "auto"};
inline constexpr OptionSpec stateFile{OptionGroup::LiveKit, "state-file", "file",
    "Where the egresses this engine started are recorded, so that a restart adopts them "
    "(default $XDG_STATE_HOME/roomscribe/egresses.json)."};
inline constexpr OptionSpec noParticipant{OptionGroup::LiveKit, "no-participant", nullptr,
    "Never join rooms as a hidden WebRTC participant: every room by egress."};
inline constexpr OptionSpec stunServer{OptionGroup::LiveKit, "stun-server", "url",
    "A STUN server for the participant's WebRTC media, as stun://host:port (repeatable; none "
    "needed when LiveKit's media address is reachable)."};

inline constexpr OptionSpec db{OptionGroup::Store, "db", "url",
    "Where final transcripts are stored: a SQLite file (default "
    "$XDG_DATA_HOME/roomscribe/transcripts.sqlite) or "
    "postgresql://user:password@host:port/database."};
inline constexpr OptionSpec noDb{OptionGroup::Store, "no-db", nullptr,
    "Do not store final transcripts."};
inline constexpr OptionSpec dbFlush{OptionGroup::Store, "db-flush-ms", "ms",
    "Store finals at least this often (default 300 ms).", "300"};
inline constexpr OptionSpec dbBatch{OptionGroup::Store, "db-batch", "n",
    "Store finals in transactions of up to N (default 100).", "100"};

inline constexpr OptionSpec httpListen{OptionGroup::LiveClients, "http-listen", "host:port",
    "Serve live transcripts (WebSocket /api/realtime/transcribe?room=NAME), /health and "
    "/metrics on HOST:PORT. Clients need a JWT signed with ROOMSCRIBE_JWT_SECRET or "
    "--jwt-secret-file."};
inline constexpr OptionSpec jwtSecretFile{OptionGroup::LiveClients, "jwt-secret-file", "file",
    "Read the secret of the live clients' tokens from FILE (readable by its owner only) instead "
    "of ROOMSCRIBE_JWT_SECRET."};
// clang-format on
} // namespace option

// Every option in --help order; the manual groups them by OptionGroup.
inline constexpr const OptionSpec *kOptions[] = {
    &option::help,          &option::version,      &option::manPage,       &option::noGui,
    &option::rtmpListen,    &option::wsListen,     &option::streamKey,     &option::streamKeysFile,
    &option::pcmDir,        &option::chunk,        &option::workers,       &option::stats,
    &option::statsStreams,  &option::gladiaUrl,    &option::gladiaKeyFile, &option::gladiaRegion,
    &option::languages,     &option::gladiaBuffer, &option::transcripts,   &option::liveKitUrl,
    &option::rtmpPublicUrl, &option::wsPublicUrl,  &option::webhookListen, &option::liveKitPoll,
    &option::egressLimit,   &option::room,         &option::roomMethod,    &option::autoStart,
    &option::method,        &option::stateFile,    &option::noParticipant, &option::stunServer,
    &option::guiScript,     &option::db,           &option::noDb,          &option::dbFlush,
    &option::dbBatch,       &option::httpListen,   &option::jwtSecretFile,
};

// Adds every option of the table, with the program's description.
void addTableOptions(QCommandLineParser *parser);

// --help: the parser's text, then the environment variables read.
QString helpText(const QCommandLineParser &parser);

// The roomscribe(1) manual in roff, for man(1).
QString manPage();

} // namespace roomscribe::app

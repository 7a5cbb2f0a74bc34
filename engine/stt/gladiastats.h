#pragma once

#include "stt/audioledger.h"

#include <QMetaType>
#include <QString>

#include <cstdint>

namespace roomscribe::stt {

enum class SessionState {
    Invalid,
    Initializing, // POST /v2/live (and its retries)
    Connecting,   // first WebSocket handshake
    Streaming,
    Reconnecting, // connection lost: waiting to resume, or resuming
    Stopping,     // last audio, stop_recording, post-processing
    Finished,     // stopped, ended by Gladia, or given up as unreachable: the detail says which
    Failed,       // Gladia refused the session; the detail is its message
};
QString stateName(SessionState state);
inline bool isEnded(SessionState state)
{
    return state == SessionState::Finished || state == SessionState::Failed;
}

// Counters are cumulative; the latencies cover the time since the previous
// collection (takeStats resets them).
struct GladiaStats
{
    SessionState state = SessionState::Invalid;
    QString detail;
    QString sessionId; // the session audio goes to now
    int sessions = 0;  // Gladia sessions opened
    uint64_t bytesPushed = 0;
    uint64_t bytesSent = 0; // written to sockets, re-sends included
    uint64_t bytesResent = 0;
    uint64_t bytesAcknowledged = 0;
    uint64_t bytesBuffered = 0; // held for Gladia, not yet acknowledged
    uint64_t bytesDropped = 0;  // never delivered: beyond the buffer limit, or given up
    uint64_t reconnects = 0;    // WebSocket reconnection attempts
    uint64_t initRetries = 0;
    uint64_t partials = 0;
    uint64_t finals = 0;
    uint64_t malformedMessages = 0;
    uint64_t serverErrors = 0;
    QString lastError;
    StageLatencies latencies;

    // Adds another session's counters and latencies (state, detail and ids stay).
    void add(const GladiaStats &other);
};

} // namespace roomscribe::stt

Q_DECLARE_METATYPE(roomscribe::stt::SessionState)
Q_DECLARE_METATYPE(roomscribe::stt::GladiaStats)

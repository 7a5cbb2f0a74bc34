#pragma once

#include "livekit/httprequestreader.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <chrono>

// What the fan-out's HTTP port does with one request, decided without a
// socket: the WebSocket endpoint with its token check, /health, /metrics, or
// a refusal with the status and reason to answer.
namespace roomscribe::publish {

inline constexpr char kRealtimePath[] = "/api/realtime/transcribe";
inline constexpr char kHealthPath[] = "/health";
inline constexpr char kMetricsPath[] = "/metrics";

enum class RequestKind {
    Invalid,
    WebSocket, // upgrade: answer upgradeResponse(acceptKey)
    Health,
    Metrics,
    Refused, // answer status with reason and extraHeaders, then close
};

struct RequestDecision
{
    RequestKind kind = RequestKind::Invalid;
    int status = 0;            // Refused
    QByteArray reason;         // Refused: for the client and the log; never holds a token
    QByteArray extraHeaders;   // Refused: whole header lines, e.g. WWW-Authenticate
    QString room;              // WebSocket (and Refused, when known: for the log)
    QByteArray acceptKey;      // WebSocket: Sec-WebSocket-Accept
    qint64 tokenExpiresAt = 0; // WebSocket: exp, unix seconds
};

RequestDecision decideRequest(const livekit::HttpRequest &request, const QByteArray &tokenSecret,
                              qint64 now_s, std::chrono::seconds leeway);

// A complete HTTP/1.1 answer with a body.
QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body, bool close,
                        QByteArrayView extraHeaders = {});
QByteArray upgradeResponse(const QByteArray &acceptKey);

} // namespace roomscribe::publish

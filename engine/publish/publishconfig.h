#pragma once

#include "publish/realtimetoken.h"

#include <QByteArray>
#include <QHostAddress>
#include <QtGlobal>

#include <chrono>

namespace roomscribe::publish {

// The live fan-out's HTTP endpoint (--http-listen HOST:PORT).
struct PublishConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: a free port, see PublishServer::port()
    // HS256 secret of the clients' tokens (realtimetoken.h); required.
    QByteArray tokenSecret;
    std::chrono::seconds clockLeeway = kDefaultRealtimeLeeway; // for exp and nbf
    // Threads that own the client sockets; 0: one per core.
    int workers = 0;
    // Connections at once, WebSocket clients and HTTP requests together;
    // past it new ones are closed at once.
    int maxConnections = 10000;
    // Finals per room replayed to a client on connect.
    int replayFinals = 50;
    // Per-client bound on what waits to be written. Past it pending partials
    // are dropped; when finals alone exceed it the client is disconnected.
    qsizetype maxQueue_bytes = 1024 * 1024;
    int maxQueue_messages = 1000;
    // SO_SNDBUF of client sockets; 0: the system's (which grows to megabytes
    // before a slow reader shows in the queue above).
    int socketSendBuffer_bytes = 0;
    // A client's own messages (pings, pongs, close) are bounded by this.
    qsizetype maxClientMessage_bytes = 4096;
    // An HTTP request, or a WebSocket upgrade, must arrive whole within this.
    std::chrono::milliseconds requestTimeout{10000};
    // A client silent for this long is pinged; silent for twice it, dropped.
    // 0: never.
    std::chrono::milliseconds pingInterval{30000};
    // After a close frame or an HTTP refusal, how long the peer may take to
    // read it and close before the socket is cut.
    std::chrono::milliseconds closeTimeout{5000};
    // Delivery latency quantiles cover between one and two of these.
    std::chrono::milliseconds latencyWindow{60000};
};

} // namespace roomscribe::publish

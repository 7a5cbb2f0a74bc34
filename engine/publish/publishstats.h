#pragma once

#include "core/latencyhistogram.h"

#include <QMetaType>
#include <QSet>
#include <QString>

#include <cstdint>

namespace roomscribe::publish {

class PrometheusText;

// What the fan-out counts; counters are totals since start.
struct PublishStats
{
    uint64_t clients = 0;             // WebSocket clients connected now
    QSet<QString> rooms;              // rooms with at least one client
    uint64_t httpConnections = 0;     // connections not (or never to be) upgraded
    uint64_t upgrades = 0;            // WebSocket clients accepted
    uint64_t refusedUnauthorized = 0; // 401: no token, bad or expired token
    uint64_t refusedForbidden = 0;    // 403: the token does not grant the room
    uint64_t refusedOther = 0;        // 400, 404, 405, 426, 431, or over maxConnections
    uint64_t httpRequests = 0;        // /health and /metrics answered
    uint64_t publishedPartials = 0;
    uint64_t publishedFinals = 0;
    uint64_t messagesSent = 0; // segment frames written whole to a client, replays included
    uint64_t bytesSent = 0;    // everything written to clients
    uint64_t replayed = 0;     // finals replayed on connect
    uint64_t partialsDropped = 0;
    uint64_t slowDisconnects = 0;
    uint64_t timeouts = 0; // no request in time, or no pong
    // publish() to the frame's last byte in the client's socket, µs; quantiles
    // over the recent window (PublishConfig::latencyWindow), sum and count since start.
    LatencyHistogram deliveryLatency_us;
    double deliverySum_s = 0;
    uint64_t deliveryCount = 0;

    void add(const PublishStats &other);
    // The fan-out's families (roomscribe_fanout_*).
    void appendMetrics(PrometheusText &out) const;
};

} // namespace roomscribe::publish

Q_DECLARE_METATYPE(roomscribe::publish::PublishStats)

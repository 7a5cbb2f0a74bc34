#include "publish/publishstats.h"

#include "publish/prometheustext.h"

namespace roomscribe::publish {

void PublishStats::add(const PublishStats &other)
{
    clients += other.clients;
    rooms.unite(other.rooms);
    httpConnections += other.httpConnections;
    upgrades += other.upgrades;
    refusedUnauthorized += other.refusedUnauthorized;
    refusedForbidden += other.refusedForbidden;
    refusedOther += other.refusedOther;
    httpRequests += other.httpRequests;
    publishedPartials += other.publishedPartials;
    publishedFinals += other.publishedFinals;
    messagesSent += other.messagesSent;
    bytesSent += other.bytesSent;
    replayed += other.replayed;
    partialsDropped += other.partialsDropped;
    slowDisconnects += other.slowDisconnects;
    timeouts += other.timeouts;
    deliveryLatency_us.merge(other.deliveryLatency_us);
    deliverySum_s += other.deliverySum_s;
    deliveryCount += other.deliveryCount;
}

void PublishStats::appendMetrics(PrometheusText &out) const
{
    out.gauge("roomscribe_fanout_clients", u"WebSocket clients connected to the live fan-out",
              double(clients));
    out.gauge("roomscribe_fanout_rooms", u"Rooms with at least one fan-out client",
              double(rooms.size()));
    out.gauge("roomscribe_fanout_http_connections",
              u"Connections to the fan-out port that are not WebSocket clients",
              double(httpConnections));
    out.counter("roomscribe_fanout_connections_total", u"WebSocket clients accepted",
                double(upgrades));
    if (out.family("roomscribe_fanout_refused_total", MetricType::Counter,
                   u"Connections refused, by reason")) {
        out.sample(double(refusedUnauthorized), {{"reason", QStringLiteral("unauthorized")}});
        out.sample(double(refusedForbidden), {{"reason", QStringLiteral("forbidden")}});
        out.sample(double(refusedOther), {{"reason", QStringLiteral("other")}});
    }
    out.counter("roomscribe_fanout_http_requests_total", u"/health and /metrics requests answered",
                double(httpRequests));
    if (out.family("roomscribe_fanout_segments_published_total", MetricType::Counter,
                   u"Transcript segments handed to the fan-out, by type")) {
        out.sample(double(publishedPartials), {{"type", QStringLiteral("partial")}});
        out.sample(double(publishedFinals), {{"type", QStringLiteral("final")}});
    }
    out.counter("roomscribe_fanout_messages_sent_total",
                u"Segment messages written whole to clients, replays included",
                double(messagesSent));
    out.counter("roomscribe_fanout_bytes_sent_total", u"Bytes written to fan-out clients",
                double(bytesSent));
    out.counter("roomscribe_fanout_replayed_total", u"Finals replayed to clients on connect",
                double(replayed));
    out.counter("roomscribe_fanout_partials_dropped_total",
                u"Partials dropped from slow clients' queues", double(partialsDropped));
    out.counter("roomscribe_fanout_slow_disconnects_total",
                u"Clients disconnected because finals overflowed their queue",
                double(slowDisconnects));
    out.counter("roomscribe_fanout_timeouts_total",
                u"Connections closed for sending no request in time or answering no ping",
                double(timeouts));
    if (out.family("roomscribe_fanout_delivery_latency_seconds", MetricType::Summary,
                   u"From publish() to the message's last byte in the client's socket; quantiles "
                   u"over the recent window"))
        out.latencySummary(deliveryLatency_us, deliverySum_s, deliveryCount);
    out.gauge("roomscribe_fanout_delivery_latency_max_seconds",
              u"Longest delivery in the recent window", double(deliveryLatency_us.max_us()) / 1e6);
}

} // namespace roomscribe::publish

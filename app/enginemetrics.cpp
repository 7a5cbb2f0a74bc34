#include "app/enginemetrics.h"

#include "media/pcmchunk.h"
#include "publish/prometheustext.h"

#include <QJsonArray>

namespace roomscribe::app {

namespace {

int failedStreams(const ingest::IngestStats &stats)
{
    int failed = 0;
    for (const ingest::StreamStats &stream : stats.streams)
        failed += stream.transcribing && stream.stt.state == stt::SessionState::Failed ? 1 : 0;
    return failed;
}

} // namespace

QJsonObject healthJson(const EngineSnapshot &snapshot)
{
    const int failed = failedStreams(snapshot.ingest);
    const bool sttFailing =
        snapshot.ingest.transcribing > 0 && failed == snapshot.ingest.transcribing;
    const bool storeRetrying = snapshot.store && snapshot.store->retrying;
    const bool liveKitDown = snapshot.liveKit && !snapshot.liveKitReachable;
    QJsonObject health{
        {QStringLiteral("healthy"),
         !snapshot.stopping && !sttFailing && !storeRetrying && !liveKitDown},
        {QStringLiteral("state"),
         snapshot.stopping ? QStringLiteral("stopping") : QStringLiteral("running")},
        {QStringLiteral("uptime_s"), snapshot.ingest.uptime_s},
        {QStringLiteral("streams"), snapshot.ingest.registeredStreams},
        {QStringLiteral("publishers"), snapshot.ingest.publishers},
        {QStringLiteral("gladia"),
         QJsonObject{{QStringLiteral("configured"), snapshot.transcribing},
                     {QStringLiteral("sessions"), snapshot.ingest.stt.sessions},
                     {QStringLiteral("failed_streams"), failed},
                     {QStringLiteral("reconnects"), double(snapshot.ingest.stt.reconnects)}}},
    };
    if (snapshot.store)
        health.insert(QStringLiteral("store"),
                      QJsonObject{{QStringLiteral("queued"), double(snapshot.store->queued)},
                                  {QStringLiteral("journaled"), double(snapshot.store->journaled)},
                                  {QStringLiteral("written"), double(snapshot.store->written)},
                                  {QStringLiteral("retrying"), snapshot.store->retrying},
                                  {QStringLiteral("last_error"), snapshot.store->lastError}});
    if (snapshot.liveKit) {
        QJsonArray rooms;
        for (const routing::RoomStatus &room : snapshot.rooms)
            rooms.append(QJsonObject{{QStringLiteral("room"), room.room},
                                     {QStringLiteral("phase"), routing::phaseName(room.phase)},
                                     {QStringLiteral("method"), routing::methodName(room.method)},
                                     {QStringLiteral("detail"), room.detail}});
        health.insert(QStringLiteral("livekit"),
                      QJsonObject{{QStringLiteral("reachable"), snapshot.liveKitReachable},
                                  {QStringLiteral("error"), snapshot.liveKitError},
                                  {QStringLiteral("egress_used"), snapshot.egress.used},
                                  {QStringLiteral("egress_limit"), snapshot.egress.limit},
                                  {QStringLiteral("rooms"), rooms}});
    }
    return health;
}

QByteArray metricsText(const EngineSnapshot &snapshot)
{
    using publish::MetricType;
    publish::PrometheusText text;
    const ingest::IngestStats &ingest = snapshot.ingest;
    text.gauge("roomscribe_up", u"1 while running, 0 while stopping.", snapshot.stopping ? 0 : 1);
    text.gauge("roomscribe_streams", u"Streams registered with the ingest.",
               ingest.registeredStreams);
    text.gauge("roomscribe_publishers", u"Streams with a connected publisher.", ingest.publishers);
    text.gauge("roomscribe_connections", u"Ingest connections open.", ingest.connections);
    text.counter("roomscribe_ingest_bytes_total", u"Bytes read from ingest sockets.",
                 double(ingest.bytesIn));
    text.counter("roomscribe_audio_seconds_total", u"16 kHz audio produced, in seconds.",
                 double(ingest.samplesOut) / media::kOutputSampleRate_Hz);
    text.counter("roomscribe_ingest_refused_total", u"Publishers refused (unknown keys, tokens).",
                 double(ingest.refused));
    if (text.family("roomscribe_stage_latency_seconds", MetricType::Summary,
                    u"Latency per stage over the last stats interval.")) {
        const stt::StageLatencies &stages = ingest.stt.latencies;
        const auto stage = [&](const LatencyHistogram &histogram, const char *name) {
            text.latencySummary(histogram, 0, histogram.count(),
                                {{"stage", QString::fromLatin1(name)}});
        };
        stage(ingest.chunkLatency, "chunk");
        stage(stages.send, "gladia_send");
        stage(stages.ackRoundTrip, "gladia_ack");
        stage(stages.sttPartial, "stt_partial");
        stage(stages.sttFinal, "stt_final");
    }
    text.gauge("roomscribe_gladia_sessions", u"Gladia sessions open.", ingest.stt.sessions);
    text.counter("roomscribe_gladia_reconnects_total", u"Gladia WebSocket reconnects.",
                 double(ingest.stt.reconnects));
    text.counter("roomscribe_gladia_bytes_sent_total", u"Audio bytes sent to Gladia.",
                 double(ingest.stt.bytesSent));
    text.counter("roomscribe_gladia_bytes_dropped_total",
                 u"Audio bytes dropped past the Gladia buffer.", double(ingest.stt.bytesDropped));
    text.counter("roomscribe_transcript_finals_total", u"Final segments received.",
                 double(ingest.stt.finals));
    text.counter("roomscribe_transcript_partials_total", u"Partial segments received.",
                 double(ingest.stt.partials));
    if (snapshot.store) {
        text.gauge("roomscribe_store_queue", u"Finals waiting for the database.",
                   double(snapshot.store->queued));
        text.gauge("roomscribe_store_journaled", u"Finals in the overflow journal.",
                   double(snapshot.store->journaled));
        text.counter("roomscribe_store_written_total", u"Finals committed.",
                     double(snapshot.store->written));
        text.counter("roomscribe_store_failed_flushes_total", u"Database transactions that failed.",
                     double(snapshot.store->failedFlushes));
    }
    if (snapshot.liveKit) {
        text.gauge("roomscribe_livekit_up", u"1 when LiveKit's server API answers.",
                   snapshot.liveKitReachable ? 1 : 0);
        text.gauge("roomscribe_egress_used", u"Concurrent egresses in use (LiveKit's count).",
                   snapshot.egress.used);
        text.gauge("roomscribe_egress_limit", u"The configured concurrent egress limit.",
                   snapshot.egress.limit);
        if (text.family("roomscribe_rooms", MetricType::Gauge, u"Rooms by phase.")) {
            for (routing::RoomPhase phase :
                 {routing::RoomPhase::WaitingForRoom, routing::RoomPhase::WaitingForSpeakers,
                  routing::RoomPhase::Queued, routing::RoomPhase::Starting,
                  routing::RoomPhase::Running, routing::RoomPhase::Stopping,
                  routing::RoomPhase::Stopped}) {
                const auto count = std::count_if(
                    snapshot.rooms.cbegin(), snapshot.rooms.cend(),
                    [phase](const routing::RoomStatus &room) { return room.phase == phase; });
                text.sample(double(count), {{"phase", routing::phaseName(phase)}});
            }
        }
    }
    return text.text();
}

} // namespace roomscribe::app

#include "app/enginehost.h"

#include "core/logging.h"
#include "ingest/streamregistry.h"
#include "livekit/roomdirectory.h"
#include "media/pcmchunk.h"
#include "session/transcriptionconsumer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>

#include <cstdio>

namespace roomscribe::app {

// Beyond what the engine bounds itself by (Gladia's post-processing wait).
constexpr int kStopMargin_ms = 10000;

static QJsonObject percentiles(const LatencyHistogram &histogram)
{
    return {{QStringLiteral("count"), double(histogram.count())},
            {QStringLiteral("p50"), double(histogram.percentile_us(0.50))},
            {QStringLiteral("p95"), double(histogram.percentile_us(0.95))},
            {QStringLiteral("p99"), double(histogram.percentile_us(0.99))},
            {QStringLiteral("max"), double(histogram.max_us())}};
}

EngineHost::EngineHost(const AppOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_transcripts(this),
      m_publish(options.serveHttp ? std::make_unique<publish::PublishServer>(options.http)
                                  : nullptr),
      m_feed(options.headless ? nullptr : std::make_unique<session::TranscriptFeed>()),
      m_ingest(ingestConfig(), this)
{
    connect(&m_ingest, &ingest::IngestServer::stopped, this, &EngineHost::closeStore);
    connect(&m_store, &store::TranscriptStore::closed, this, &EngineHost::stopPublishing);
    connect(&m_ingest, &ingest::IngestServer::statsUpdated, this, &EngineHost::onStats);
    connect(&m_ingest, &ingest::IngestServer::speakersChanged, this,
            [this](const ingest::SpeakerUpdate &update) { m_speakers->apply(update); });
    if (m_publish)
        connect(m_publish.get(), &publish::PublishServer::stopped, this, &EngineHost::stopped);
    connect(&m_statsTimer, &QTimer::timeout, &m_ingest, &ingest::IngestServer::requestStats);
    m_stopDeadline.setSingleShot(true);
    connect(&m_stopDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcEngine) << "stopping took too long; quitting anyway";
        Q_EMIT stopped();
    });
}

QString EngineHost::publicHost() const
{
    const QHostAddress &address = m_options.ingest.rtmpAddress;
    if (address != QHostAddress::Any && address != QHostAddress::AnyIPv4 &&
        address != QHostAddress::AnyIPv6)
        return address.protocol() == QAbstractSocket::IPv6Protocol
                   ? u'[' + address.toString() + u']'
                   : address.toString();
    for (const QHostAddress &candidate : QNetworkInterface::allAddresses()) {
        if (!candidate.isLoopback() && candidate.protocol() == QAbstractSocket::IPv4Protocol)
            return candidate.toString();
    }
    return QStringLiteral("127.0.0.1");
}

ingest::IngestConfig EngineHost::ingestConfig()
{
    ingest::IngestConfig config = m_options.ingest;
    if (!m_options.transcribe)
        return config;
    const stt::GladiaConfig gladia = m_options.gladia;
    TranscriptLog *log = m_options.transcriptsPath.isEmpty() ? nullptr : &m_transcripts;
    store::TranscriptStore *finals = m_options.storeFinals ? &m_store : nullptr;
    publish::PublishServer *fanout = m_publish.get();
    session::TranscriptFeed *feed = m_feed.get();
    const std::shared_ptr<session::SpeakerTimelines> speakers = m_speakers;
    // Runs on the stream's worker thread: the bridge belongs to that thread,
    // and its segments reach the log (this thread) queued.
    config.consumerFactory = [gladia, log, finals, fanout, feed,
                              speakers](const QString &app, const QString &key,
                                        const ingest::StreamLabel &label) {
        stt::GladiaConfig streamConfig = gladia;
        // A stream given by its key alone is the room of that name; Gladia and
        // the logs see it shortened, as the key is a publishing secret.
        const QString room = label.room.isEmpty() ? key : label.room;
        streamConfig.customMetadata.insert(
            QStringLiteral("room"), label.room.isEmpty() ? ingest::redactedKey(key) : label.room);
        if (!label.participant.isEmpty())
            streamConfig.customMetadata.insert(QStringLiteral("participant"), label.participant);
        // Names that outlive the key: a room's mix, or the track of one speaker.
        const QString stream = label.room.isEmpty() ? app + u'/' + key
                               : label.isTrack()    ? QStringLiteral("track/") + label.trackSid
                                                    : QStringLiteral("mix");
        auto bridge = std::make_unique<stt::GladiaBridge>(streamConfig, room, stream);
        if (!label.participant.isEmpty())
            bridge->setSpeakerName(0, label.participant);
        else if (!label.room.isEmpty()) // a room's mix: speakers inferred, marked so
            bridge->setSpeakerResolver([speakers](const stt::TranscriptSegment &segment) {
                return speakers->speakerOf(segment);
            });
        if (log)
            QObject::connect(bridge.get(), &stt::GladiaBridge::segment, log, &TranscriptLog::write);
        // The store, the fan-out and the console's feed take segments on any
        // thread: no hop through the main one.
        if (finals || fanout || feed)
            QObject::connect(bridge.get(), &stt::GladiaBridge::segment, bridge.get(),
                             [finals, fanout, feed](const stt::TranscriptSegment &segment) {
                                 if (finals)
                                     finals->addFinal(segment);
                                 if (fanout)
                                     fanout->publish(segment);
                                 if (feed)
                                     feed->push(segment);
                             });
        std::vector<std::unique_ptr<ingest::ChunkConsumer>> consumers;
        consumers.push_back(std::make_unique<session::TranscriptionConsumer>(std::move(bridge)));
        return consumers;
    };
    return config;
}

bool EngineHost::start(QString *error)
{
    if (!m_options.transcriptsPath.isEmpty() &&
        !m_transcripts.open(m_options.transcriptsPath, error))
        return false;
    if (!m_options.transcribe)
        qCInfo(lcEngine)
            << "transcription off: no Gladia key (GLADIA_API_KEY or --gladia-key-file)";
    else if (m_options.storeFinals) {
        if (!m_store.open(m_options.store, error))
            return false;
        qCInfo(lcEngine).noquote()
            << "final transcripts stored in" << m_store.databaseDescription();
    }
    const QString app = QString::fromLatin1(ingest::IngestServer::kDefaultApp);
    QStringList keys = m_options.streamKeys;
    for (const QString &key : std::as_const(keys)) {
        if (!m_ingest.registerStream(app, key)) {
            *error = QStringLiteral("stream key \"%1\" is a duplicate or not made of "
                                    "A-Z a-z 0-9 _ . - (at most 128)")
                         .arg(key);
            return false;
        }
    }
    // With LiveKit the router makes the keys; without, one is made to publish to.
    if (keys.isEmpty() && !m_options.liveKit.enabled)
        keys.append(m_ingest.registerNewStream(app));
    if (!m_ingest.start(error))
        return false;
    const QString base =
        QStringLiteral("rtmp://%1:%2/%3/").arg(publicHost()).arg(m_ingest.rtmpPort()).arg(app);
    for (const QString &key : std::as_const(keys))
        m_publishUrls.append(base + key);
    m_streamKeys = keys;
    if (m_options.liveKit.enabled && !startRoomControl(error))
        return false;
    if (m_publish) {
        m_publish->setHealthProvider([this] { return healthJson(snapshot()); });
        m_publish->setMetricsProvider([this] { return metricsText(snapshot()); });
        if (!m_publish->start(error))
            return false;
        qCInfo(lcEngine).noquote()
            << "live transcripts, /health and /metrics on port" << m_publish->port();
    }
    // /health and /metrics answer from the last collection: keep one fresh.
    constexpr int kHealthStatsInterval_ms = 1000;
    if (m_options.statsInterval_s > 0 || m_publish)
        m_statsTimer.start(m_options.statsInterval_s > 0 ? int(m_options.statsInterval_s * 1000)
                                                         : kHealthStatsInterval_ms);
    return true;
}

bool EngineHost::startRoomControl(QString *error)
{
    const LiveKitOptions &liveKit = m_options.liveKit;
    routing::RoomControlConfig config;
    config.server = liveKit.server;
    config.rtmpPublicUrl = liveKit.rtmpPublicUrl;
    if (config.rtmpPublicUrl.isEmpty())
        config.rtmpPublicUrl =
            QUrl(QStringLiteral("rtmp://%1:%2/%3")
                     .arg(publicHost())
                     .arg(m_ingest.rtmpPort())
                     .arg(QString::fromLatin1(ingest::IngestServer::kDefaultApp)));
    else if (config.rtmpPublicUrl.path().section(u'/', -1).isEmpty())
        config.rtmpPublicUrl.setPath(u'/' + QString::fromLatin1(ingest::IngestServer::kDefaultApp));
    config.wsPublicUrl = liveKit.wsPublicUrl;
    if (config.wsPublicUrl.isEmpty() && m_ingest.trackPort() != 0)
        config.wsPublicUrl =
            QUrl(QStringLiteral("ws://%1:%2").arg(publicHost()).arg(m_ingest.trackPort()));
    config.webhooks = liveKit.webhooks;
    config.webhookAddress = liveKit.webhookAddress;
    config.webhookPort = liveKit.webhookPort;
    config.pollInterval_ms = liveKit.pollInterval_ms;
    config.router = liveKit.router;
    config.ledgerPath = liveKit.ledgerPath;
    if (config.router.defaultMethod != routing::Method::Composite && m_ingest.trackPort() == 0)
        qCWarning(lcEngine) << "the Track Egress endpoint is off (--ws-listen): rooms that "
                               "need per-track audio will wait";
    m_rooms = std::make_unique<routing::RoomControl>(config, &m_ingest);
    // A room that runs is a store session; one that stopped has no live
    // clients to replay to.
    connect(m_rooms->router(), &routing::EgressRouter::roomChanged, this,
            [this](const routing::RoomStatus &room) {
                if (room.phase == routing::RoomPhase::Running && m_store.isOpen())
                    m_store.beginRoomSession(room.room);
                if (room.phase != routing::RoomPhase::Stopped)
                    return;
                m_speakers->forgetRoom(room.room);
                if (m_store.isOpen())
                    m_store.endRoomSession(room.room);
                if (m_publish)
                    m_publish->forgetRoom(room.room);
            });
    if (!m_rooms->start(error))
        return false;
    connect(m_rooms.get(), &routing::RoomControl::stopped, &m_ingest, &ingest::IngestServer::stop);
    for (const QString &room : liveKit.rooms)
        m_rooms->router()->startRoom(room);
    qCInfo(lcEngine).noquote()
        << "egress publishes to" << config.rtmpPublicUrl.toString() << "and"
        << (config.wsPublicUrl.isEmpty() ? QStringLiteral("(no track endpoint)")
                                         : config.wsPublicUrl.toString())
        << (m_rooms->webhookPort()
                ? QStringLiteral("| webhooks on port %1").arg(m_rooms->webhookPort())
                : QString());
    return true;
}

void EngineHost::onStats(const ingest::IngestStats &stats)
{
    m_lastStats = stats;
    if (m_options.statsInterval_s > 0)
        printStats(stats);
}

EngineSnapshot EngineHost::snapshot() const
{
    EngineSnapshot snapshot;
    snapshot.stopping = m_stopping;
    snapshot.transcribing = m_options.transcribe;
    snapshot.ingest = m_lastStats;
    if (m_store.isOpen())
        snapshot.store = m_store.stats();
    if (m_rooms) {
        snapshot.liveKit = true;
        snapshot.liveKitReachable = m_rooms->directory()->isReachable();
        snapshot.liveKitError = m_rooms->directory()->lastError();
        snapshot.egress = m_rooms->router()->budget();
        snapshot.rooms = m_rooms->router()->rooms();
    }
    return snapshot;
}

void EngineHost::closeStore()
{
    if (!m_store.isOpen()) {
        stopPublishing();
        return;
    }
    // A bare stream key is a room of its own; LiveKit rooms ended as they stopped.
    for (const QString &key : std::as_const(m_streamKeys))
        m_store.endRoomSession(key);
    m_store.close();
}

void EngineHost::stopPublishing()
{
    if (m_publish)
        m_publish->stop();
    else
        Q_EMIT stopped();
}

void EngineHost::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_statsTimer.stop();
    m_stopDeadline.start(kStopMargin_ms +
                         (m_options.transcribe ? m_options.gladia.stopTimeout_ms : 0) +
                         (m_rooms ? int(m_options.liveKit.server.transferTimeout.count()) : 0) +
                         (m_store.isOpen() ? m_options.store.closeTimeout_ms : 0));
    // Egresses first: each one's stream is closed and drained once LiveKit
    // has stopped it (or failed to answer); the ingest stops after.
    if (m_rooms)
        m_rooms->stop();
    else
        m_ingest.stop();
}

void EngineHost::printStats(const ingest::IngestStats &stats)
{
    const LatencyHistogram &latency = stats.chunkLatency;
    QJsonObject line{
        {QStringLiteral("type"), QStringLiteral("stats")},
        {QStringLiteral("uptime_s"), stats.uptime_s},
        {QStringLiteral("streams"), stats.registeredStreams},
        {QStringLiteral("connections"), stats.connections},
        {QStringLiteral("publishers"), stats.publishers},
        {QStringLiteral("audio_messages"), double(stats.audioMessages)},
        {QStringLiteral("bytes_in"), double(stats.bytesIn)},
        {QStringLiteral("audio_out_s"), double(stats.samplesOut) / media::kOutputSampleRate_Hz},
        {QStringLiteral("chunks"), double(stats.chunks)},
        {QStringLiteral("refused"), double(stats.refused)},
        {QStringLiteral("failed"), double(stats.failedConnections)},
        {QStringLiteral("chunk_latency_us"), percentiles(latency)},
    };
    if (m_options.transcribe) {
        const stt::GladiaStats &stt = stats.stt;
        line.insert(
            QStringLiteral("stt"),
            QJsonObject{
                {QStringLiteral("transcribing"), stats.transcribing},
                {QStringLiteral("sessions"), stt.sessions},
                {QStringLiteral("reconnects"), double(stt.reconnects)},
                {QStringLiteral("init_retries"), double(stt.initRetries)},
                {QStringLiteral("bytes_sent"), double(stt.bytesSent)},
                {QStringLiteral("bytes_resent"), double(stt.bytesResent)},
                {QStringLiteral("bytes_acknowledged"), double(stt.bytesAcknowledged)},
                {QStringLiteral("bytes_buffered"), double(stt.bytesBuffered)},
                {QStringLiteral("bytes_dropped"), double(stt.bytesDropped)},
                {QStringLiteral("partials"), double(stt.partials)},
                {QStringLiteral("finals"), double(stt.finals)},
                {QStringLiteral("send_latency_us"), percentiles(stt.latencies.send)},
                {QStringLiteral("ack_rtt_us"), percentiles(stt.latencies.ackRoundTrip)},
                {QStringLiteral("stt_partial_latency_us"), percentiles(stt.latencies.sttPartial)},
                {QStringLiteral("stt_final_latency_us"), percentiles(stt.latencies.sttFinal)},
            });
    }
    if (m_rooms)
        line.insert(QStringLiteral("livekit"), m_rooms->statsJson());
    if (m_options.statsPerStream) {
        QJsonArray streams;
        for (const ingest::StreamStats &stream : stats.streams) {
            streams.append(QJsonObject{
                {QStringLiteral("key"), ingest::redactedKey(stream.key)},
                {QStringLiteral("room"), stream.label.room},
                {QStringLiteral("participant"), stream.label.participant},
                {QStringLiteral("muted"), stream.muted},
                {QStringLiteral("publishing"), stream.publishing},
                {QStringLiteral("publish_count"), stream.publishCount},
                {QStringLiteral("input_rate_hz"), stream.inputSampleRate_Hz},
                {QStringLiteral("input_channels"), stream.inputChannels},
                {QStringLiteral("stream_time_ms"), double(stream.streamTime_ms)},
                {QStringLiteral("audio_s"),
                 double(stream.samplesOut) / media::kOutputSampleRate_Hz},
                {QStringLiteral("corrupt_frames"), double(stream.corruptFrames)},
                {QStringLiteral("rms_dbfs"), double(stream.rms_dBFS)},
                {QStringLiteral("peak_dbfs"), double(stream.peak_dBFS)},
                {QStringLiteral("error"), stream.lastError},
                {QStringLiteral("stt_state"),
                 stream.transcribing ? stt::stateName(stream.stt.state) : QString()},
                {QStringLiteral("stt_detail"), stream.stt.detail},
                {QStringLiteral("stt_bytes_dropped"), double(stream.stt.bytesDropped)},
            });
        }
        line.insert(QStringLiteral("stream_details"), streams);
    }
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace roomscribe::app

#include "app/enginehost.h"

#include "core/logging.h"
#include "ingest/streamregistry.h"
#include "media/pcmchunk.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>

#include <cstdio>

namespace roomscribe::app {

constexpr int kStopDeadline_ms = 10000;

EngineHost::EngineHost(const AppOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_ingest(options.ingest, this)
{
    connect(&m_ingest, &ingest::IngestServer::stopped, this, &EngineHost::stopped);
    connect(&m_statsTimer, &QTimer::timeout, &m_ingest, &ingest::IngestServer::requestStats);
    m_stopDeadline.setSingleShot(true);
    connect(&m_stopDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcEngine) << "stopping took over" << kStopDeadline_ms << "ms; quitting anyway";
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

bool EngineHost::start(QString *error)
{
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
    if (keys.isEmpty())
        keys.append(m_ingest.registerNewStream(app));
    if (!m_ingest.start(error))
        return false;
    const QString base =
        QStringLiteral("rtmp://%1:%2/%3/").arg(publicHost()).arg(m_ingest.rtmpPort()).arg(app);
    for (const QString &key : std::as_const(keys))
        m_publishUrls.append(base + key);
    if (m_options.statsInterval_s > 0) {
        connect(&m_ingest, &ingest::IngestServer::statsUpdated, this, &EngineHost::printStats);
        m_statsTimer.start(int(m_options.statsInterval_s * 1000));
    }
    return true;
}

void EngineHost::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_statsTimer.stop();
    m_stopDeadline.start(kStopDeadline_ms);
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
        {QStringLiteral("chunk_latency_us"),
         QJsonObject{{QStringLiteral("count"), double(latency.count())},
                     {QStringLiteral("p50"), double(latency.percentile_us(0.50))},
                     {QStringLiteral("p95"), double(latency.percentile_us(0.95))},
                     {QStringLiteral("p99"), double(latency.percentile_us(0.99))},
                     {QStringLiteral("max"), double(latency.max_us())}}},
    };
    if (m_options.statsPerStream) {
        QJsonArray streams;
        for (const ingest::StreamStats &stream : stats.streams) {
            streams.append(QJsonObject{
                {QStringLiteral("key"), ingest::redactedKey(stream.key)},
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
            });
        }
        line.insert(QStringLiteral("stream_details"), streams);
    }
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace roomscribe::app

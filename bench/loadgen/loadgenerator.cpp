#include "loadgenerator.h"

#include "core/clock.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace roomscribe::bench {

namespace {

constexpr int kTickInterval_ms = 10;
// Time for unpublish commands to leave before the process exits.
constexpr int kCloseGrace_ms = 500;
constexpr double kNsPerSecond = 1e9;
constexpr double kNsPerMs = 1e6;

} // namespace

LoadGenerator::LoadGenerator(const FlvAudio &audio, Options options)
    : m_audio(audio), m_options(std::move(options))
{
    m_publishers.reserve(m_options.targets.size());
    for (const PublishTarget &target : m_options.targets)
        m_publishers.push_back(std::make_unique<Publisher>(target, m_audio, &m_counters));
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickInterval_ms);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { tick(); });
}

void LoadGenerator::start()
{
    m_start_ns = monotonicNow_ns();
    m_nextReport_ns = m_start_ns + int64_t(m_options.report_s * kNsPerSecond);
    m_timer.start();
    tick();
}

void LoadGenerator::tick()
{
    const int64_t now_ns = monotonicNow_ns();
    const double elapsed_s = double(now_ns - m_start_ns) / kNsPerSecond;
    // Stream i starts at ramp * i / N, so connects and frames spread evenly.
    const size_t count = m_publishers.size();
    while (m_started < count &&
           (m_options.ramp_s <= 0 || elapsed_s >= m_options.ramp_s * double(m_started) / count))
        m_publishers[m_started++]->start();

    for (const std::unique_ptr<Publisher> &publisher : m_publishers)
        publisher->sendDue(now_ns, m_scratch);

    if (now_ns >= m_nextReport_ns) {
        report(now_ns);
        m_nextReport_ns += int64_t(m_options.report_s * kNsPerSecond);
    }
    if (elapsed_s >= m_options.duration_s)
        finish(now_ns);
}

void LoadGenerator::report(int64_t now_ns)
{
    int connected = 0;
    int publishing = 0;
    qint64 backlog = 0;
    int64_t maxLag_ns = m_counters.maxSendLag_ns;
    for (const std::unique_ptr<Publisher> &publisher : m_publishers) {
        connected += publisher->isConnected() ? 1 : 0;
        publishing += publisher->state() == Publisher::State::Publishing ? 1 : 0;
        backlog += publisher->backlogBytes();
        maxLag_ns = std::max(maxLag_ns, publisher->pendingLag_ns(now_ns));
    }
    m_counters.maxSendLag_ns = 0;
    const QJsonObject line{
        {QStringLiteral("type"), QStringLiteral("loadgen")},
        {QStringLiteral("t_s"), double(now_ns - m_start_ns) / kNsPerSecond},
        {QStringLiteral("connected"), connected},
        {QStringLiteral("publishing"), publishing},
        {QStringLiteral("refused"), qint64(m_counters.refused)},
        {QStringLiteral("failed"), qint64(m_counters.failed)},
        {QStringLiteral("messages_sent"), qint64(m_counters.messagesSent)},
        {QStringLiteral("bytes_sent"), qint64(m_counters.bytesSent)},
        {QStringLiteral("max_send_lag_ms"), double(maxLag_ns) / kNsPerMs},
        {QStringLiteral("backlog_bytes"), backlog},
    };
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).append('\n').constData(), stdout);
    std::fflush(stdout);
}

void LoadGenerator::finish(int64_t now_ns)
{
    m_timer.stop();
    report(now_ns);
    for (const std::unique_ptr<Publisher> &publisher : m_publishers)
        publisher->stop();
    QTimer::singleShot(kCloseGrace_ms, QCoreApplication::instance(), &QCoreApplication::quit);
}

} // namespace roomscribe::bench

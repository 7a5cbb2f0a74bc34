#include "compositeegress.h"

#include <QLoggingCategory>
#include <QProcessEnvironment>

#include <csignal>
#include <sys/prctl.h>

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

namespace roomscribe::test {

namespace {

constexpr int kRetryInterval_ms = 1000;
constexpr int kStopGrace_ms = 5000;
// rtmp2sink logs this (GST_DEBUG rtmp2sink:4) once the server has accepted
// the publish; gst-launch itself says nothing about it.
constexpr char kConnectedMarker[] = "set_chunk_size";
constexpr char kErrorFromElement[] = "ERROR: from element ";

} // namespace

CompositeEgress::CompositeEgress(const CompositeConfig &config, QObject *parent)
    : EgressMedia(parent), m_config(config)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(kRetryInterval_ms);
    connect(&m_retryTimer, &QTimer::timeout, this, &CompositeEgress::launch);
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(kStopGrace_ms);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process)
            m_process->kill();
    });
}

CompositeEgress::~CompositeEgress()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

QStringList CompositeEgress::launchArguments(const CompositeConfig &config)
{
    // One element, property or '!' per argument: gst-launch escapes each
    // argument, so a path or URL needs no quoting of its own.
    const auto tokens = [](const QString &text) {
        return text.split(QLatin1Char(' '));
    };
    const QString mixFormat = QStringLiteral("audio/x-raw,rate=48000,channels=2");
    QStringList arguments{QStringLiteral("-e")};
    arguments << tokens(QStringLiteral("audiomixer name=mix ! audioconvert ! audioresample !"))
              << QStringLiteral("audio/x-raw,rate=%1,channels=2").arg(config.audioFrequency_Hz)
              << tokens(QStringLiteral("! voaacenc bitrate=%1 ! aacparse ! flvmux streamable=true")
                            .arg(config.audioBitrate_kbps * 1000));
    if (config.urls.size() == 1) {
        arguments << tokens(QStringLiteral("! rtmp2sink"))
                  << QStringLiteral("location=") + config.urls.first();
    } else {
        arguments << tokens(QStringLiteral("! tee name=out"));
        for (const QString &url : config.urls) {
            arguments << tokens(QStringLiteral("out. ! queue ! rtmp2sink"))
                      << QStringLiteral("location=") + url;
        }
    }
    arguments << tokens(QStringLiteral("audiotestsrc wave=silence is-live=true !")) << mixFormat
              << tokens(QStringLiteral("! mix."));
    for (const QString &path : config.samplePaths) {
        arguments << QStringLiteral("filesrc") << QStringLiteral("location=") + path
                  << tokens(QStringLiteral("! wavparse ! audioconvert ! audioresample !"))
                  << mixFormat << tokens(QStringLiteral("! mix."));
    }
    return arguments;
}

void CompositeEgress::start()
{
    launch();
}

void CompositeEgress::launch()
{
    m_connected = false;
    m_lastError.clear();
    m_pending.clear();
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GST_DEBUG"), QStringLiteral("rtmp2sink:4"));
    environment.insert(QStringLiteral("GST_DEBUG_NO_COLOR"), QStringLiteral("1"));
    m_process->setProcessEnvironment(environment);
    // No orphaned publishers when the fake itself is killed.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &CompositeEgress::onOutput);
    connect(m_process, &QProcess::finished, this, &CompositeEgress::onProcessEnded);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_lastError = QStringLiteral("gst-launch-1.0: %1").arg(m_process->errorString());
            onProcessEnded();
        }
    });
    const QStringList arguments = launchArguments(m_config);
    qCDebug(lcFakeLiveKit) << "gst-launch-1.0" << arguments.join(QLatin1Char(' '));
    m_process->start(QStringLiteral("gst-launch-1.0"), arguments);
}

void CompositeEgress::onOutput()
{
    m_pending += m_process->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_pending.left(newline)).trimmed();
        m_pending.remove(0, newline + 1);
        qCDebug(lcFakeLiveKit) << "gst:" << line;
        if (line.contains(QLatin1String("rtmp2sink")) &&
            line.contains(QLatin1String(kConnectedMarker)) && !m_connected) {
            m_connected = true;
            m_failedRetries = 0;
            if (!m_everConnected) {
                m_everConnected = true;
                Q_EMIT running();
            }
        } else if (line.startsWith(QLatin1String(kErrorFromElement))) {
            // "ERROR: from element /GstPipeline:pipeline0/GstRtmp2Sink:rtmp2sink0: text"
            const qsizetype text =
                line.indexOf(QLatin1String(": "), qsizetype(sizeof kErrorFromElement) - 1);
            m_lastError = text < 0 ? line : line.mid(text + 2);
        } else if ((line.startsWith(QLatin1String("ERROR: ")) ||
                    line.startsWith(QLatin1String("WARNING: erroneous pipeline"))) &&
                   m_lastError.isEmpty()) {
            m_lastError = line.mid(line.indexOf(QLatin1String(": ")) + 2);
        }
    }
}

void CompositeEgress::onProcessEnded()
{
    if (!m_process)
        return;
    onOutput();
    const int exitCode = m_process->exitCode();
    const bool crashed = m_process->exitStatus() != QProcess::NormalExit;
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    m_killTimer.stop();
    if (m_stopping) {
        finish({});
        return;
    }
    QString error = m_lastError;
    if (error.isEmpty()) {
        error = crashed ? QStringLiteral("gst-launch-1.0 crashed")
                        : QStringLiteral("gst-launch-1.0 exited with code %1").arg(exitCode);
    }
    if (!m_everConnected) {
        finish(error);
        return;
    }
    if (!m_connected && ++m_failedRetries > kMaxFailedRetries) {
        finish(error);
        return;
    }
    qCInfo(lcFakeLiveKit) << "RTMP output lost (" << error << "), retrying";
    Q_EMIT retrying(error);
    m_retryTimer.start();
}

void CompositeEgress::stop()
{
    if (m_stopping || m_finished)
        return;
    m_stopping = true;
    m_retryTimer.stop();
    if (!m_process) {
        finish({});
        return;
    }
    const qint64 pid = m_process->processId();
    if (pid > 0) // never 0: kill(0, …) would signal our own process group
        ::kill(pid_t(pid), SIGINT);
    else
        m_process->kill();
    m_killTimer.start();
}

void CompositeEgress::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    // Never from inside stop(): callers see ENDING before COMPLETE.
    QTimer::singleShot(0, this, [this, error] { Q_EMIT finished(error); });
}

} // namespace roomscribe::test

#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <csignal>

namespace roomscribe::test {

bool run(const QString &program, const QStringList &arguments, int timeout_ms, QByteArray *log)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    const bool finished = process.waitForFinished(timeout_ms);
    if (!finished)
        process.kill(), process.waitForFinished(5000);
    if (log)
        *log = process.readAll();
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QString makeSpeech(const QString &directory, const QString &name, const QString &voice,
                   const QString &text, int sampleRate_Hz, int channels)
{
    const QString raw = QDir(directory).filePath(name + QStringLiteral(".espeak.wav"));
    const QString wav = QDir(directory).filePath(name + QStringLiteral(".wav"));
    if (!run(QStringLiteral("espeak-ng"),
             {QStringLiteral("-v"), voice, QStringLiteral("-w"), raw, text}, 30000))
        return {};
    if (!run(QStringLiteral("sox"),
             {raw, QStringLiteral("-r"), QString::number(sampleRate_Hz), QStringLiteral("-c"),
              QString::number(channels), QStringLiteral("-b"), QStringLiteral("16"), wav},
             30000))
        return {};
    return wav;
}

QString encodeAacFlv(const QString &wav, const QString &flv)
{
    return run(QStringLiteral("ffmpeg"),
               {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                QStringLiteral("error"), QStringLiteral("-y"), QStringLiteral("-i"), wav,
                QStringLiteral("-c:a"), QStringLiteral("aac"), QStringLiteral("-b:a"),
                QStringLiteral("128k"), QStringLiteral("-f"), QStringLiteral("flv"), flv},
               60000)
               ? flv
               : QString();
}

std::vector<int16_t> readPcm(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    std::vector<int16_t> samples(size_t(bytes.size()) / 2);
    std::memcpy(samples.data(), bytes.constData(), samples.size() * 2);
    return samples;
}

std::vector<int16_t> ffmpegDecode16kMono(const QString &path)
{
    QTemporaryDir directory;
    const QString out = directory.filePath(QStringLiteral("reference.pcm"));
    if (!run(QStringLiteral("ffmpeg"),
             {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error"),
              QStringLiteral("-i"), path, QStringLiteral("-f"), QStringLiteral("s16le"),
              QStringLiteral("-ar"), QStringLiteral("16000"), QStringLiteral("-ac"),
              QStringLiteral("1"), out},
             60000))
        return {};
    return readPcm(out);
}

template <typename Sample>
static double energy(const std::vector<Sample> &a, size_t from, size_t count)
{
    double sum = 0;
    for (size_t i = from; i < from + count; ++i)
        sum += double(a[i]) * a[i];
    return sum;
}

// Both sides low-passed at 6 kHz: the engine's 16 kHz resampler is flat to
// 7 kHz and rejects aliases from 8 kHz, FFmpeg's default one droops there and
// lets some in, so only the band below 6 kHz is the same signal on both sides.
static std::vector<double> lowpass6kHz(const std::vector<int16_t> &samples)
{
    constexpr int kTaps = 127;
    constexpr double kCutoff = 6000.0 / 16000.0; // of the sample rate
    static const std::vector<double> taps = [] {
        std::vector<double> h(kTaps);
        double sum = 0;
        for (int i = 0; i < kTaps; ++i) {
            const double n = i - (kTaps - 1) / 2.0;
            const double sinc =
                n == 0 ? 2 * kCutoff : std::sin(2 * M_PI * kCutoff * n) / (M_PI * n);
            const double blackman = 0.42 - 0.5 * std::cos(2 * M_PI * i / (kTaps - 1)) +
                                    0.08 * std::cos(4 * M_PI * i / (kTaps - 1));
            h[size_t(i)] = sinc * blackman;
            sum += h[size_t(i)];
        }
        for (double &tap : h)
            tap /= sum;
        return h;
    }();
    std::vector<double> out(samples.size(), 0.0);
    for (size_t i = 0; i < samples.size(); ++i) {
        double acc = 0;
        for (int k = 0; k < kTaps; ++k) {
            const int64_t j = int64_t(i) + k - (kTaps - 1) / 2;
            if (j >= 0 && size_t(j) < samples.size())
                acc += taps[size_t(k)] * samples[size_t(j)];
        }
        out[i] = acc;
    }
    return out;
}

Comparison compareAligned(const std::vector<int16_t> &referenceSamples,
                          const std::vector<int16_t> &actualSamples, int maxLag)
{
    const std::vector<double> reference = lowpass6kHz(referenceSamples);
    const std::vector<double> actual = lowpass6kHz(actualSamples);
    // Line up on the loudest second of the reference (speech, not silence).
    const size_t window = std::min<size_t>(16000, reference.size() / 2);
    size_t anchor = 0;
    double loudest = -1;
    for (size_t start = 0; start + window <= reference.size(); start += window / 4) {
        const double e = energy(reference, start, window);
        if (e > loudest)
            loudest = e, anchor = start;
    }
    Comparison best;
    double bestScore = -1e300;
    for (int lag = -maxLag; lag <= maxLag; ++lag) {
        const int64_t begin = int64_t(anchor) + lag;
        if (begin < 0 || size_t(begin) + window > actual.size())
            continue;
        double dot = 0;
        for (size_t i = 0; i < window; ++i)
            dot += reference[anchor + i] * actual[size_t(begin) + i];
        if (dot > bestScore)
            bestScore = dot, best.lag = lag;
    }
    // Compare everything that overlaps at that lag.
    const int64_t firstRef = std::max<int64_t>(0, -int64_t(best.lag));
    const int64_t end =
        std::min<int64_t>(int64_t(reference.size()), int64_t(actual.size()) - best.lag);
    double signal = 0, noise = 0;
    for (int64_t i = firstRef; i < end; ++i) {
        const double r = reference[size_t(i)];
        const double d = r - actual[size_t(i + best.lag)];
        signal += r * r;
        noise += d * d;
    }
    best.overlap = size_t(std::max<int64_t>(0, end - firstRef));
    best.snr_dB = noise == 0 ? 200.0 : 10 * std::log10(signal / noise);
    return best;
}

double rms_dBFS(const std::vector<int16_t> &samples)
{
    if (samples.empty())
        return -200;
    const double mean = energy(samples, 0, samples.size()) / double(samples.size());
    return 10 * std::log10(std::max(mean, 1e-20) / (32768.0 * 32768.0));
}

QString roomscribeBinary()
{
    return QStringLiteral(ROOMSCRIBE_BINARY_DIR "/app/roomscribe");
}

EngineProcess::~EngineProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool EngineProcess::start(const QStringList &arguments, int expectedUrls)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // On top of what the test set, if anything.
    QProcessEnvironment environment = m_process.processEnvironment();
    if (environment.isEmpty())
        environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_STATE_HOME"), m_home.filePath(QStringLiteral("state")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                       m_home.filePath(QStringLiteral("config")));
    m_process.setProcessEnvironment(environment);
    m_process.start(roomscribeBinary(),
                    m_console ? arguments : QStringList{QStringLiteral("--no-gui")} + arguments);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression urlLine(
        QStringLiteral("publish to: (rtmp://[^:/]+:(\\d+)/\\S+)"));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        m_process.waitForReadyRead(200);
        m_log += m_process.readAll();
        m_urls.clear();
        auto matches = urlLine.globalMatch(QString::fromUtf8(m_log));
        while (matches.hasNext()) {
            const auto match = matches.next();
            m_urls.append(match.captured(1));
            m_port = quint16(match.captured(2).toUInt());
        }
        if (m_urls.size() >= expectedUrls)
            return true;
        if (m_process.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

QByteArray EngineProcess::readLog()
{
    m_log += m_process.readAll();
    return m_log;
}

QJsonObject EngineProcess::waitForStats(const std::function<bool(const QJsonObject &)> &accept,
                                        int timeout_ms)
{
    QElapsedTimer clock;
    clock.start();
    do {
        m_process.waitForReadyRead(100);
        readLog();
        qsizetype end;
        while ((end = m_log.indexOf('\n', m_scanned)) >= 0) {
            const QByteArray line = m_log.mid(m_scanned, end - m_scanned);
            m_scanned = end + 1;
            if (!line.startsWith('{'))
                continue;
            const QJsonObject stats = QJsonDocument::fromJson(line).object();
            if (stats[QStringLiteral("type")].toString() == u"stats" && accept(stats))
                return stats;
        }
    } while (clock.elapsed() < timeout_ms && m_process.state() == QProcess::Running);
    return {};
}

QString EngineProcess::urlFor(const QString &key) const
{
    return QStringLiteral("rtmp://127.0.0.1:%1/live/%2").arg(m_port).arg(key);
}

bool EngineProcess::stop(int timeout_ms)
{
    ::kill(pid_t(m_process.processId()), SIGTERM);
    const bool finished = m_process.waitForFinished(timeout_ms);
    m_log += m_process.readAll();
    return finished && m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

} // namespace roomscribe::test

namespace roomscribe::test {

QList<QJsonObject> readJsonLines(const QString &path)
{
    QList<QJsonObject> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

ServiceProcess::~ServiceProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

bool ServiceProcess::startProgram(const QString &program, const QStringList &arguments)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, arguments);
    static const QRegularExpression listening(
        QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000 && m_process.state() != QProcess::NotRunning) {
        m_process.waitForReadyRead(100);
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(log()));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    return false;
}

QJsonDocument ServiceProcess::request(const QByteArray &method, const QString &path,
                                      const QJsonObject &body)
{
    QStringList arguments{QStringLiteral("-sS"), QStringLiteral("-X"), QString::fromLatin1(method),
                          baseUrl() + path};
    if (method != "GET")
        arguments << QStringLiteral("-H") << QStringLiteral("Content-Type: application/json")
                  << QStringLiteral("--data-binary")
                  << QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
    QByteArray answer;
    if (!run(QStringLiteral("curl"), arguments, 10000, &answer))
        return {};
    return QJsonDocument::fromJson(answer);
}

bool GladiaEmulatorProcess::start(const QStringList &arguments)
{
    return startProgram(QStringLiteral(ROOMSCRIBE_BINARY_DIR "/tests/fakes/gladia/gladia-emulator"),
                        QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                            arguments);
}

bool LiveKitFakeProcess::start(const QStringList &arguments)
{
    return startProgram(QStringLiteral(ROOMSCRIBE_BINARY_DIR "/tests/fakes/livekit/livekit-fake"),
                        QStringList{QStringLiteral("--port"), QStringLiteral("0")} + arguments);
}

} // namespace roomscribe::test

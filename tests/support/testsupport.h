#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdint>
#include <functional>
#include <vector>

// Helpers for tests that drive real programs: espeak-ng, sox, ffmpeg,
// gst-launch-1.0 and the roomscribe executable itself.
namespace roomscribe::test {

// Runs a program to completion; false (with its output in *log) on a
// non-zero exit, a crash or a time-out.
bool run(const QString &program, const QStringList &arguments, int timeout_ms,
         QByteArray *log = nullptr);

// Real speech from espeak-ng, converted by sox to the given rate/channels (wav).
QString makeSpeech(const QString &directory, const QString &name, const QString &voice,
                   const QString &text, int sampleRate_Hz, int channels);
// FFmpeg's AAC encoder into an FLV file (what an RTMP publisher sends).
QString encodeAacFlv(const QString &wav, const QString &flv);

std::vector<int16_t> readPcm(const QString &path);
// A JSON Lines file, one object per non-empty line (empty when unreadable).
QList<QJsonObject> readJsonLines(const QString &path);
// FFmpeg's own decode of a file to s16le 16 kHz mono: the reference.
std::vector<int16_t> ffmpegDecode16kMono(const QString &path);

struct Comparison
{
    int lag = 0;        // samples to shift `actual` by to line up with `reference`
    double snr_dB = 0;  // reference energy over difference energy, on the overlap
    size_t overlap = 0; // samples compared
};
// Finds the best alignment within ±maxLag samples and measures the SNR there,
// on both signals low-passed at 6 kHz (the band where the engine's resampler
// and FFmpeg's default one are meant to agree).
Comparison compareAligned(const std::vector<int16_t> &reference, const std::vector<int16_t> &actual,
                          int maxLag);
double rms_dBFS(const std::vector<int16_t> &samples);

// The roomscribe executable, headless, on a free loopback port.
class EngineProcess
{
public:
    ~EngineProcess();
    // Starts it and waits until it has printed expectedUrls publish URLs.
    bool start(const QStringList &arguments, int expectedUrls = 1);
    // With the console window instead of --no-gui (needs a display).
    void setConsole(bool console) { m_console = console; }
    quint16 port() const { return m_port; }
    QStringList publishUrls() const { return m_urls; }
    QString urlFor(const QString &key) const;
    // SIGTERM and wait; true when it exited 0.
    bool stop(int timeout_ms = 15000);
    // Everything it printed so far.
    QByteArray readLog();
    // Reads its output until a stats line (from --stats) satisfies `accept`;
    // an empty object on time-out.
    QJsonObject waitForStats(const std::function<bool(const QJsonObject &)> &accept,
                             int timeout_ms);
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }

    // Its XDG config, data and state directories (settings, the default
    // database, the egress ledger).
    QString homeDirectory() const { return m_home.path(); }

private:
    QProcess m_process;
    QTemporaryDir m_home; // keeps the user's own directories out of tests
    QByteArray m_log;
    qsizetype m_scanned = 0; // m_log bytes already searched for stats lines
    QStringList m_urls;
    quint16 m_port = 0;
    bool m_console = false;
};

QString roomscribeBinary();

// A fake service as a process that prints "listening on http://127.0.0.1:P".
class ServiceProcess
{
public:
    ~ServiceProcess();
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    quint16 port() const { return m_port; }
    // A JSON request to the service (curl); an empty document on failure.
    QJsonDocument request(const QByteArray &method, const QString &path,
                          const QJsonObject &body = {});
    QByteArray log() { return m_log += m_process.readAll(); }
    QProcess &process() { return m_process; }

protected:
    // Starts it and waits until it serves.
    bool startProgram(const QString &program, const QStringList &arguments);

private:
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

// The Gladia emulator (tests/fakes/gladia), for end-to-end runs.
class GladiaEmulatorProcess : public ServiceProcess
{
public:
    // On a free loopback port.
    bool start(const QStringList &arguments);
    QString apiUrl() const { return baseUrl(); }
    // GET /_emulator/sessions: one report object per session.
    QJsonArray sessions() { return request("GET", QStringLiteral("/_emulator/sessions")).array(); }
};

// The fake LiveKit server (tests/fakes/livekit), for end-to-end runs.
class LiveKitFakeProcess : public ServiceProcess
{
public:
    // On a free loopback port.
    bool start(const QStringList &arguments);
    // POST /_fake/<action> (tests/fakes/livekit/README.md).
    QJsonObject control(const QString &action, const QJsonObject &body)
    {
        return request("POST", QStringLiteral("/_fake/") + action, body).object();
    }
    QJsonObject egresses() { return request("GET", QStringLiteral("/_fake/egresses")).object(); }
    // Every /rtc signalling frame both ways, and the protocol violations seen.
    QJsonObject rtcFrames() { return request("GET", QStringLiteral("/_fake/rtc/frames")).object(); }
};

} // namespace roomscribe::test

// The Track Egress endpoint and closing streams, in process: a real
// QWebSocket client dials ws://127.0.0.1:PORT/track/<token> as LiveKit's
// Track Egress does (Content-Type: audio/x-raw, ~10 ms binary messages of
// s16le 48 kHz stereo, {"muted":…} text messages) and the stream's consumers
// see 16 kHz mono that must match FFmpeg's own conversion of the same speech.
//
// Measure: SNR against `ffmpeg -i speech.wav -ar 16000 -ac 1` after
// alignment, both low-passed at 6 kHz (see testsupport's compareAligned).
// The input is the same PCM on both sides, so only the resamplers differ:
// threshold 40 dB, while one lost or repeated 10 ms message brings speech
// down to a few dB.

#include "ingest/ingestserver.h"
#include "ingest/streamregistry.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QNetworkRequest>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <map>
#include <memory>

using namespace roomscribe;
using namespace roomscribe::ingest;
using namespace roomscribe::test;

namespace {

constexpr int kWait_ms = 30000;
constexpr qsizetype kFrameBytes = 4; // s16 stereo
constexpr qsizetype kTenMs_bytes = 480 * kFrameBytes;

// What the consumers of each stream saw, by key; filled on the owner threads.
class Recorder
{
public:
    struct Stream
    {
        QString app;
        StreamLabel label;
        QByteArray pcm;
        uint64_t chunks = 0;
        bool finished = false;
    };

    ChunkConsumerFactory factory()
    {
        return [this](const QString &app, const QString &key, const StreamLabel &label) {
            {
                QMutexLocker lock(&m_mutex);
                Stream &stream = m_streams[key];
                stream.app = app;
                stream.label = label;
            }
            std::vector<std::unique_ptr<ChunkConsumer>> consumers;
            consumers.push_back(std::make_unique<Consumer>(this, key));
            return consumers;
        };
    }

    Stream stream(const QString &key) const
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_streams.find(key);
        return it == m_streams.end() ? Stream{} : it->second;
    }
    bool has(const QString &key) const
    {
        QMutexLocker lock(&m_mutex);
        return m_streams.count(key) > 0;
    }

private:
    class Consumer final : public ChunkConsumer
    {
    public:
        Consumer(Recorder *recorder, QString key) : m_recorder(recorder), m_key(std::move(key)) {}
        void consumeChunk(const media::PcmChunk &chunk) override
        {
            QMutexLocker lock(&m_recorder->m_mutex);
            Stream &stream = m_recorder->m_streams[m_key];
            stream.pcm += chunk.pcm;
            ++stream.chunks;
        }
        // Later, from the owner's event loop, as a transcription finishes.
        void finish(std::function<void()> done) override
        {
            QTimer::singleShot(0, [this, done] {
                {
                    QMutexLocker lock(&m_recorder->m_mutex);
                    m_recorder->m_streams[m_key].finished = true;
                }
                done();
            });
        }

    private:
        Recorder *m_recorder;
        QString m_key;
    };

    mutable QMutex m_mutex;
    std::map<QString, Stream> m_streams;
};

// Runs the event loop until condition() holds; false on time-out.
bool waitFor(const std::function<bool()> &condition)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > kWait_ms)
            return false;
        QTest::qWait(5);
    }
    return true;
}

std::vector<int16_t> samplesOf(const QByteArray &pcm)
{
    std::vector<int16_t> samples(size_t(pcm.size()) / 2);
    std::memcpy(samples.data(), pcm.constData(), samples.size() * 2);
    return samples;
}

// The PCM of a WAV file (its "data" chunk).
QByteArray wavData(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray wav = file.readAll();
    qsizetype at = 12; // RIFF header
    while (at + 8 <= wav.size()) {
        const QByteArray id = wav.mid(at, 4);
        quint32 size;
        std::memcpy(&size, wav.constData() + at + 4, 4);
        if (id == "data")
            return wav.mid(at + 8, qsizetype(size));
        at += 8 + qsizetype(size) + (size & 1);
    }
    return {};
}

QByteArray stereoTone(qsizetype frames)
{
    QByteArray pcm(frames * kFrameBytes, Qt::Uninitialized);
    auto *samples = reinterpret_cast<int16_t *>(pcm.data());
    for (qsizetype i = 0; i < frames; ++i)
        samples[2 * i] = samples[2 * i + 1] =
            int16_t(8000 * std::sin(2 * M_PI * 440 * i / 48000.0));
    return pcm;
}

} // namespace

class TestTrackIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void speechMatchesFfmpeg();
    void refusesWhatWeDidNotIssue();
    void muteFillsSilenceAtRealTimePace();
    void newConnectionReplacesOld();
    void badMessages();
    void closeStreamIsIdempotent();
    void closeRtmpStream();
    void stopFinishesTrackStreams();
    void tokenGivenAgainIsAccepted();

private:
    QString url(const QString &path) const
    {
        return QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server->trackPort()).arg(path);
    }
    std::unique_ptr<QWebSocket> dial(const QString &token);
    // Dials and sends `frames` of a tone; returns once the stream has taken
    // them all (nullptr on failure).
    std::unique_ptr<QWebSocket> publishTone(const QString &token, qsizetype frames);
    // The status line the endpoint answers a WebSocket request for path with.
    QByteArray statusFor(const QString &path);
    StreamStats statsFor(const QString &key, IngestStats *total = nullptr);
    void sendAudio(QWebSocket &socket, const QByteArray &pcm);
    // Closes as the egress does at the end and waits until the server has
    // taken everything sent before (Qt's client drops the TCP connection
    // right after its close frame).
    bool finishPublishing(QWebSocket &socket, const QString &token);
    bool closeStreamAndWait(const QString &app, const QString &key);

    QTemporaryDir m_dir;
    QString m_speechWav;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<IngestServer> m_server;
    bool m_stopped = false;
};

void TestTrackIngest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_speechWav = makeSpeech(m_dir.path(), QStringLiteral("speech"), QStringLiteral("en"),
                             QStringLiteral("Track egress sends one speaker at a time. Alice "
                                            "speaking, testing one two three four five."),
                             48000, 2);
    QVERIFY(!m_speechWav.isEmpty());
}

void TestTrackIngest::init()
{
    m_recorder = std::make_unique<Recorder>();
    IngestConfig config;
    config.rtmpAddress = QHostAddress::LocalHost;
    config.rtmpPort = 0;
    config.trackAddress = QHostAddress::LocalHost;
    config.trackPort = 0;
    config.workers = 2;
    config.consumerFactory = m_recorder->factory();
    m_server = std::make_unique<IngestServer>(config);
    m_stopped = false;
    connect(m_server.get(), &IngestServer::stopped, this, [this] { m_stopped = true; });
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QVERIFY(m_server->trackPort() != 0);
}

void TestTrackIngest::cleanup()
{
    m_server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(m_stopped, kWait_ms);
    m_server.reset();
    m_recorder.reset();
}

std::unique_ptr<QWebSocket> TestTrackIngest::dial(const QString &token)
{
    auto socket = std::make_unique<QWebSocket>();
    QNetworkRequest request(QUrl(url(IngestServer::trackPath(token))));
    request.setRawHeader("Content-Type", "audio/x-raw");
    QSignalSpy connected(socket.get(), &QWebSocket::connected);
    socket->open(request);
    if (!connected.wait(kWait_ms))
        return nullptr;
    return socket;
}

std::unique_ptr<QWebSocket> TestTrackIngest::publishTone(const QString &token, qsizetype frames)
{
    std::unique_ptr<QWebSocket> socket = dial(token);
    if (!socket)
        return nullptr;
    const uint64_t expected = statsFor(token).bytesIn + uint64_t(frames * kFrameBytes);
    sendAudio(*socket, stereoTone(frames));
    if (!waitFor([&] { return statsFor(token).bytesIn == expected; }))
        return nullptr;
    return socket;
}

QByteArray TestTrackIngest::statusFor(const QString &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->trackPort());
    socket.write("GET " + path.toLatin1() +
                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 "Content-Type: audio/x-raw\r\n\r\n");
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (!answer.contains("\r\n") && clock.elapsed() < kWait_ms) {
        QTest::qWait(10);
        answer += socket.readAll();
    }
    return answer.left(answer.indexOf("\r\n"));
}

StreamStats TestTrackIngest::statsFor(const QString &key, IngestStats *total)
{
    StreamStats found;
    bool answered = false;
    const auto connection =
        connect(m_server.get(), &IngestServer::statsUpdated, this, [&](const IngestStats &stats) {
            answered = true;
            if (total)
                *total = stats;
            for (const StreamStats &stream : stats.streams) {
                if (stream.key == key)
                    found = stream;
            }
        });
    m_server->requestStats();
    waitFor([&] { return answered; });
    disconnect(connection);
    return found;
}

void TestTrackIngest::sendAudio(QWebSocket &socket, const QByteArray &pcm)
{
    // About 10 ms a message, now and then a length that splits a sample.
    const qsizetype lengths[] = {
        kTenMs_bytes,     kTenMs_bytes - 3, kTenMs_bytes, kTenMs_bytes + 3, 1,
        kTenMs_bytes - 1, kTenMs_bytes};
    qsizetype at = 0;
    for (int i = 0; at < pcm.size(); ++i) {
        const qsizetype length = std::min(lengths[i % 7], pcm.size() - at);
        socket.sendBinaryMessage(pcm.mid(at, length));
        at += length;
    }
    socket.flush();
}

bool TestTrackIngest::finishPublishing(QWebSocket &socket, const QString &token)
{
    socket.close();
    return waitFor([&] { return !statsFor(token).publishing; });
}

bool TestTrackIngest::closeStreamAndWait(const QString &app, const QString &key)
{
    QSignalSpy closed(m_server.get(), &IngestServer::streamClosed);
    m_server->closeStream(app, key);
    if (!closed.wait(kWait_ms))
        return false;
    return closed.count() == 1 && closed.at(0).at(0).toString() == app &&
           closed.at(0).at(1).toString() == key;
}

void TestTrackIngest::speechMatchesFfmpeg()
{
    const StreamLabel label{QStringLiteral("standup"), QStringLiteral("alice@example.com"),
                            QStringLiteral("TR_AMkx9aBc")};
    const QString token = m_server->registerTrackStream(label);
    QCOMPARE(token.size(), 22);
    QCOMPARE(IngestServer::trackPath(token), QStringLiteral("/track/") + token);

    const QByteArray pcm = wavData(m_speechWav);
    QVERIFY(pcm.size() > 48000 * kFrameBytes); // over a second of speech
    const std::unique_ptr<QWebSocket> socket = dial(token);
    QVERIFY(socket);
    sendAudio(*socket, pcm);

    const QString app = QString::fromLatin1(IngestServer::kTrackApp);
    const uint64_t expectedSamples = uint64_t(pcm.size() / kFrameBytes + 2) / 3;
    // Everything but the last partial chunk comes out while the egress sends.
    // Each look at the stats takes the level measured since the one before.
    IngestStats total;
    StreamStats stats;
    float loudest_dBFS = -120;
    uint64_t latencies = 0;
    QVERIFY(waitFor([&] {
        stats = statsFor(token, &total);
        loudest_dBFS = std::max(loudest_dBFS, stats.rms_dBFS);
        latencies += total.chunkLatency.count();
        return stats.samplesOut + 1600 >= expectedSamples;
    }));
    QCOMPARE(stats.app, app);
    QCOMPARE(stats.label.room, label.room);
    QCOMPARE(stats.label.participant, label.participant);
    QCOMPARE(stats.label.trackSid, label.trackSid);
    QVERIFY(stats.publishing);
    QVERIFY(!stats.muted);
    QCOMPARE(stats.inputSampleRate_Hz, 48000);
    QCOMPARE(stats.inputChannels, 2);
    QCOMPARE(stats.bytesIn, uint64_t(pcm.size()));
    QVERIFY(loudest_dBFS > -60);
    QCOMPARE(total.publishers, 1);
    QVERIFY(latencies > 0); // arrival to chunk, as on the RTMP path

    QVERIFY(finishPublishing(*socket, token));
    QVERIFY(!m_recorder->stream(token).finished); // the stream outlives its publisher
    QVERIFY(closeStreamAndWait(app, token));

    // The label reached the factory; the consumers were finished, with all the audio.
    const Recorder::Stream recorded = m_recorder->stream(token);
    QCOMPARE(recorded.app, app);
    QCOMPARE(recorded.label.room, label.room);
    QCOMPARE(recorded.label.participant, label.participant);
    QCOMPARE(recorded.label.trackSid, label.trackSid);
    QVERIFY(recorded.finished);
    const std::vector<int16_t> actual = samplesOf(recorded.pcm);
    QCOMPARE(uint64_t(actual.size()), expectedSamples);
    const std::vector<int16_t> expected = ffmpegDecode16kMono(m_speechWav);
    const Comparison match = compareAligned(expected, actual, 4000);
    qInfo("speech: %zu samples (FFmpeg %zu), lag %d, SNR %.1f dB over %zu samples", actual.size(),
          expected.size(), match.lag, match.snr_dB, match.overlap);
    QVERIFY2(match.snr_dB >= 40.0, qPrintable(QString::number(match.snr_dB)));

    // A closed token is refused, and no longer counted.
    QVERIFY(statusFor(IngestServer::trackPath(token)).contains(" 401 "));
    QCOMPARE(statsFor(token).key, QString());
}

// Everything logged while it lives.
class LogCapture
{
public:
    LogCapture() { s_previous = qInstallMessageHandler(&LogCapture::handle); }
    ~LogCapture() { qInstallMessageHandler(s_previous); }
    QString text() const
    {
        QMutexLocker lock(&s_mutex);
        return s_text;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        {
            QMutexLocker lock(&s_mutex);
            s_text += message + u'\n';
        }
        s_previous(type, context, message);
    }

    static inline QtMessageHandler s_previous = nullptr;
    static inline QMutex s_mutex;
    static inline QString s_text;
};

void TestTrackIngest::refusesWhatWeDidNotIssue()
{
    const LogCapture log;
    const QString token = m_server->registerTrackStream({});
    const QString unknown = StreamRegistry::generateKey();
    QVERIFY(statusFor(IngestServer::trackPath(unknown)).contains(" 401 "));
    QVERIFY(statusFor(QStringLiteral("/track/")).contains(" 404 "));
    QVERIFY(statusFor(QStringLiteral("/")).contains(" 404 "));
    QVERIFY(statusFor(QStringLiteral("/live/") + token).contains(" 404 "));
    QVERIFY(statusFor(IngestServer::trackPath(token) + QStringLiteral("/x")).contains(" 404 "));
    // An RTMP key is no track token, even at a track path.
    const QString rtmpKey =
        m_server->registerNewStream(QString::fromLatin1(IngestServer::kDefaultApp));
    QVERIFY(statusFor(IngestServer::trackPath(rtmpKey)).contains(" 401 "));
    // The token itself gets through, as a WebSocket.
    QVERIFY(statusFor(IngestServer::trackPath(token)).contains(" 101 "));
    IngestStats total;
    statsFor(token, &total);
    QCOMPARE(total.refused, uint64_t(6));
    // Each refusal was logged, with no secret in it.
    QCOMPARE(log.text().count(QStringLiteral("refused Track Egress connection")), 6);
    for (const QString &secret : {token, unknown, rtmpKey})
        QVERIFY2(!log.text().contains(secret.left(8)), qPrintable(log.text()));
}

void TestTrackIngest::muteFillsSilenceAtRealTimePace()
{
    const QString token = m_server->registerTrackStream(
        {QStringLiteral("standup"), QStringLiteral("bob"), QStringLiteral("TR_b")});
    const std::unique_ptr<QWebSocket> socket = publishTone(token, 4800); // 100 ms
    QVERIFY(socket);
    socket->sendTextMessage(QStringLiteral("{\"muted\":true}"));
    QElapsedTimer muted;
    muted.start();
    QTRY_VERIFY_WITH_TIMEOUT(statsFor(token).muted, kWait_ms);
    // Sent nothing for a while: the stream goes on with silence meanwhile.
    QTest::qWait(1500);
    QVERIFY(statsFor(token).samplesOut >= 1600 + 8000);
    socket->sendTextMessage(QStringLiteral("{\"muted\":false}"));
    const double mutedFor_ms = double(muted.elapsed());
    sendAudio(*socket, stereoTone(4800));
    QVERIFY(finishPublishing(*socket, token));
    QVERIFY(closeStreamAndWait(QString::fromLatin1(IngestServer::kTrackApp), token));

    const std::vector<int16_t> pcm = samplesOf(m_recorder->stream(token).pcm);
    const double silence_ms = double(pcm.size() - 2 * 1600) / 16;
    qInfo("muted for %.0f ms (as the client saw it): %.0f ms of silence", mutedFor_ms, silence_ms);
    // The server's mute started after ours and ended after ours: the two
    // spans differ by delivery jitter only (loopback, a loaded machine).
    QVERIFY2(std::abs(silence_ms - mutedFor_ms) < 250, qPrintable(QString::number(silence_ms)));
    const size_t silenceEnd = pcm.size() - 1600;
    for (size_t n = 1600; n < silenceEnd; ++n)
        QCOMPARE(pcm[n], int16_t(0));
    QVERIFY(rms_dBFS({pcm.begin() + 100, pcm.begin() + 1500}) > -20);
    QVERIFY(rms_dBFS({pcm.begin() + long(silenceEnd) + 100, pcm.end() - 100}) > -20);
}

void TestTrackIngest::newConnectionReplacesOld()
{
    // An egress that retries: the newest connection wins, on the same stream.
    const QString token = m_server->registerTrackStream({});
    const std::unique_ptr<QWebSocket> first = publishTone(token, 4800);
    QVERIFY(first);
    QSignalSpy firstClosed(first.get(), &QWebSocket::disconnected);
    const std::unique_ptr<QWebSocket> second = dial(token);
    QVERIFY(second);
    QVERIFY(firstClosed.count() > 0 || firstClosed.wait(kWait_ms));
    QVERIFY2(first->closeReason().startsWith(QStringLiteral("replaced by a new publisher")),
             qPrintable(first->closeReason()));
    sendAudio(*second, stereoTone(4800));
    QTRY_VERIFY_WITH_TIMEOUT(statsFor(token).samplesOut >= 3200 - 1600, kWait_ms);
    const StreamStats stats = statsFor(token);
    QVERIFY(stats.publishing);
    QCOMPARE(stats.publishCount, 2);
    QCOMPARE(stats.bytesIn, uint64_t(2 * 4800 * kFrameBytes));
}

void TestTrackIngest::tokenGivenAgainIsAccepted()
{
    // After a restart the router registers the token an egress still dials.
    const QString token = StreamRegistry::generateKey();
    QCOMPARE(statusFor(IngestServer::trackPath(token)), QByteArray("HTTP/1.1 401 Unauthorized"));
    const StreamLabel label{QStringLiteral("standup"), QStringLiteral("bob"),
                            QStringLiteral("TR_again")};
    QVERIFY(m_server->registerStream(QString::fromLatin1(IngestServer::kTrackApp), token, label));
    QVERIFY(!m_server->registerStream(QString::fromLatin1(IngestServer::kTrackApp), token, label));
    const std::unique_ptr<QWebSocket> socket = publishTone(token, 4800);
    QVERIFY(socket);
    QCOMPARE(statsFor(token).label.participant, QStringLiteral("bob"));
}

void TestTrackIngest::badMessages()
{
    const QString token = m_server->registerTrackStream({});
    const std::unique_ptr<QWebSocket> socket = publishTone(token, 4800);
    QVERIFY(socket);
    // Text that is not a mute state is logged and ignored.
    for (const char *text : {"{muted", "{\"muted\":\"yes\"}", "[]", "hello"})
        socket->sendTextMessage(QString::fromLatin1(text));
    sendAudio(*socket, stereoTone(4800));
    QTRY_VERIFY_WITH_TIMEOUT(statsFor(token).bytesIn == uint64_t(2 * 4800 * kFrameBytes), kWait_ms);
    QVERIFY(!statsFor(token).muted);
    QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);

    // A message over 1 MiB ends the connection, with a reason.
    QSignalSpy disconnected(socket.get(), &QWebSocket::disconnected);
    socket->sendBinaryMessage(QByteArray(1024 * 1024 + 4, '\0'));
    QVERIFY(disconnected.wait(kWait_ms));
    QCOMPARE(socket->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(!socket->closeReason().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!statsFor(token).publishing, kWait_ms);
    // The stream is still there for the egress's retry.
    QVERIFY(dial(token));
}

void TestTrackIngest::closeStreamIsIdempotent()
{
    const QString app = QString::fromLatin1(IngestServer::kTrackApp);
    // Unknown, then registered but never published, then closed twice.
    QVERIFY(closeStreamAndWait(QStringLiteral("live"), QStringLiteral("nobody")));
    const QString token = m_server->registerTrackStream({});
    QVERIFY(closeStreamAndWait(app, token));
    QVERIFY(closeStreamAndWait(app, token));
    QVERIFY(!m_recorder->has(token));
    QVERIFY(statusFor(IngestServer::trackPath(token)).contains(" 401 "));

    // Closing while the egress is connected kicks it.
    const QString live = m_server->registerTrackStream({});
    const std::unique_ptr<QWebSocket> socket = publishTone(live, 48000);
    QVERIFY(socket);
    QSignalSpy kicked(socket.get(), &QWebSocket::disconnected);
    QVERIFY(closeStreamAndWait(app, live));
    QVERIFY(kicked.count() > 0 || kicked.wait(kWait_ms));
    QCOMPARE(socket->closeReason(), QStringLiteral("stream closed"));
    const Recorder::Stream recorded = m_recorder->stream(live);
    QVERIFY(recorded.finished);
    QCOMPARE(recorded.pcm.size(), qsizetype(16000 * 2));
    QCOMPARE(recorded.chunks, uint64_t(10));
}

void TestTrackIngest::closeRtmpStream()
{
    const StreamLabel label{QStringLiteral("weekly"), {}, {}};
    const QString key =
        m_server->registerNewStream(QString::fromLatin1(IngestServer::kDefaultApp), label);
    const QString url =
        QStringLiteral("rtmp://127.0.0.1:%1/live/%2").arg(m_server->rtmpPort()).arg(key);
    const QString flv = QStringLiteral(ROOMSCRIBE_TEST_DATA "/tone_noise_44k1_stereo.flv");
    // A publisher that goes on until it is kicked.
    const QStringList publish =
        QStringLiteral("-hide_banner -loglevel error -re -stream_loop -1 -i %1 -c copy -f flv %2")
            .arg(flv, url)
            .split(u' ');
    QProcess publisher;
    publisher.setProcessChannelMode(QProcess::MergedChannels);
    publisher.start(QStringLiteral("ffmpeg"), publish);
    QTRY_VERIFY_WITH_TIMEOUT(statsFor(key).samplesOut >= 16000, kWait_ms);
    QCOMPARE(statsFor(key).label.room, label.room);

    QVERIFY(closeStreamAndWait(QString::fromLatin1(IngestServer::kDefaultApp), key));
    // The publisher was kicked, the consumers finished, with its audio.
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), QProcess::NotRunning, kWait_ms);
    QVERIFY(publisher.exitCode() != 0);
    const Recorder::Stream recorded = m_recorder->stream(key);
    QCOMPARE(recorded.label.room, label.room);
    QVERIFY(recorded.finished);
    QVERIFY(recorded.pcm.size() >= 16000 * 2);

    // The key cannot publish again (the file once, as fast as it goes).
    QProcess again;
    again.start(QStringLiteral("ffmpeg"), publish.mid(0, 3) + publish.mid(6));
    QTRY_COMPARE_WITH_TIMEOUT(again.state(), QProcess::NotRunning, kWait_ms);
    QVERIFY(again.exitCode() != 0);
    IngestStats total;
    statsFor(key, &total);
    QVERIFY(total.refused >= 1);
}

void TestTrackIngest::stopFinishesTrackStreams()
{
    const QString token = m_server->registerTrackStream({});
    const std::unique_ptr<QWebSocket> socket = publishTone(token, 24000);
    QVERIFY(socket);
    QSignalSpy disconnected(socket.get(), &QWebSocket::disconnected);
    m_server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(m_stopped, kWait_ms);
    QVERIFY(disconnected.count() > 0 || disconnected.wait(kWait_ms));
    QCOMPARE(socket->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    const Recorder::Stream recorded = m_recorder->stream(token);
    QVERIFY(recorded.finished);
    QCOMPARE(recorded.pcm.size(), qsizetype(8000 * 2));
}

QTEST_GUILESS_MAIN(TestTrackIngest)
#include "tst_trackingest.moc"

// Many real publishers at once, each with its own speech: every stream's PCM
// must be its own audio (matching FFmpeg's decode of what it sent, not a
// neighbour's), an unknown key is refused while the others go on, and a
// publisher that drops and comes back continues the same stream.

#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace roomscribe::test;

namespace {

constexpr int kFfmpegPublishers = 14;
constexpr int kGstreamerPublishers = 8;

QStringList ffmpegPublish(const QString &flv, const QString &url)
{
    return {QStringLiteral("-hide_banner"),
            QStringLiteral("-loglevel"),
            QStringLiteral("error"),
            QStringLiteral("-re"),
            QStringLiteral("-i"),
            flv,
            QStringLiteral("-c"),
            QStringLiteral("copy"),
            QStringLiteral("-f"),
            QStringLiteral("flv"),
            url};
}

// A pre-encoded FLV through GStreamer's flvmux and rtmp2sink, in real time.
QStringList gstreamerPublish(const QString &flv, const QString &url)
{
    return QStringLiteral("-q filesrc location=%1 ! flvdemux ! aacparse ! "
                          "flvmux streamable=true ! rtmp2sink location=%2")
        .arg(flv, url)
        .split(u' ');
}

std::unique_ptr<QProcess> startProcess(const QString &program, const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->start(program, arguments);
    return process;
}

bool finishedCleanly(QProcess &process, int timeout_ms)
{
    return process.waitForFinished(timeout_ms) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

} // namespace

class TestIngestConcurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void concurrentPublishersStaySeparate();
    void republishContinuesStream();

private:
    QTemporaryDir m_dir;
    QStringList m_flvs; // one distinct utterance per publisher
};

void TestIngestConcurrency::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QStringList voices{QStringLiteral("en"), QStringLiteral("en-us"), QStringLiteral("ru"),
                             QStringLiteral("de")};
    const QStringList words{QStringLiteral("alpha"),   QStringLiteral("bravo"),
                            QStringLiteral("charlie"), QStringLiteral("delta"),
                            QStringLiteral("echo"),    QStringLiteral("foxtrot")};
    for (int i = 0; i < kFfmpegPublishers + kGstreamerPublishers; ++i) {
        const QString name = QStringLiteral("speaker%1").arg(i);
        const QString text = QStringLiteral("Speaker %1 says %2 and %3, room %1.")
                                 .arg(i)
                                 .arg(words[i % words.size()], words[(i * 5 + 1) % words.size()]);
        const QString wav = makeSpeech(m_dir.path(), name, voices[i % voices.size()], text,
                                       i % 2 ? 48000 : 44100, 2);
        QVERIFY(!wav.isEmpty());
        const QString flv = encodeAacFlv(wav, m_dir.filePath(name + QStringLiteral(".flv")));
        QVERIFY(!flv.isEmpty());
        m_flvs.append(flv);
    }
}

void TestIngestConcurrency::concurrentPublishersStaySeparate()
{
    const QString pcmDir = m_dir.filePath(QStringLiteral("concurrent"));
    QVERIFY(QDir().mkpath(pcmDir));
    QStringList arguments{QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--pcm-dir"), pcmDir};
    QStringList keys;
    for (int i = 0; i < m_flvs.size(); ++i) {
        keys.append(QStringLiteral("room%1-%2").arg(i).arg(QRandomGenerator::global()->generate()));
        arguments << QStringLiteral("--stream-key") << keys.last();
    }
    EngineProcess engine;
    QVERIFY2(engine.start(arguments, int(keys.size())), engine.readLog().constData());

    std::vector<std::unique_ptr<QProcess>> publishers;
    for (int i = 0; i < m_flvs.size(); ++i) {
        const QString url = engine.urlFor(keys[i]);
        publishers.push_back(
            i < kFfmpegPublishers
                ? startProcess(QStringLiteral("ffmpeg"), ffmpegPublish(m_flvs[i], url))
                : startProcess(QStringLiteral("gst-launch-1.0"), gstreamerPublish(m_flvs[i], url)));
    }
    // A key nobody registered, while the others stream.
    auto intruder =
        startProcess(QStringLiteral("ffmpeg"),
                     ffmpegPublish(m_flvs[0], engine.urlFor(QStringLiteral("guessed-key"))));
    QVERIFY(intruder->waitForFinished(30000));
    QVERIFY2(intruder->exitCode() != 0, "publishing to an unknown key must fail");
    for (auto &publisher : publishers)
        QVERIFY2(finishedCleanly(*publisher, 60000), publisher->readAll().constData());
    QVERIFY2(engine.stop(), engine.readLog().constData());
    QVERIFY(engine.readLog().contains("refused publish of unknown stream live/gues"));

    for (int i = 0; i < m_flvs.size(); ++i) {
        const std::vector<int16_t> own = ffmpegDecode16kMono(m_flvs[i]);
        const std::vector<int16_t> neighbour = ffmpegDecode16kMono(m_flvs[(i + 1) % m_flvs.size()]);
        const std::vector<int16_t> actual =
            readPcm(QDir(pcmDir).filePath(keys[i] + QStringLiteral(".pcm")));
        const Comparison match = compareAligned(own, actual, 4000);
        const Comparison other = compareAligned(neighbour, actual, 4000);
        qInfo("stream %d: %zu/%zu samples, SNR %.1f dB (against a neighbour's audio %.1f dB)", i,
              actual.size(), own.size(), match.snr_dB, other.snr_dB);
        QVERIFY2(match.snr_dB >= 30.0, qPrintable(keys[i]));
        QVERIFY(other.snr_dB < 10.0);
        QVERIFY(std::abs(int64_t(actual.size()) - int64_t(own.size())) <= 1600);
    }
}

void TestIngestConcurrency::republishContinuesStream()
{
    // Split one utterance into two FLV files between two AAC frames (the
    // segment muxer gives every packet to exactly one part).
    const QString full = m_flvs[1];
    const QString first = m_dir.filePath(QStringLiteral("part0.flv"));
    const QString second = m_dir.filePath(QStringLiteral("part1.flv"));
    QVERIFY(run(QStringLiteral("ffmpeg"),
                {QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-y"),
                 QStringLiteral("-i"), full, QStringLiteral("-c"), QStringLiteral("copy"),
                 QStringLiteral("-f"), QStringLiteral("segment"), QStringLiteral("-segment_time"),
                 QStringLiteral("1.5"), QStringLiteral("-segment_format"), QStringLiteral("flv"),
                 m_dir.filePath(QStringLiteral("part%d.flv"))},
                30000));
    QVERIFY(QFile::exists(second));
    const std::vector<int16_t> expected1 = ffmpegDecode16kMono(first);
    const std::vector<int16_t> expected2 = ffmpegDecode16kMono(second);

    const QString pcmDir = m_dir.filePath(QStringLiteral("republish"));
    QVERIFY(QDir().mkpath(pcmDir));
    const QString key = QStringLiteral("again-%1").arg(QRandomGenerator::global()->generate());
    EngineProcess engine;
    QVERIFY(engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--stream-key"), key, QStringLiteral("--pcm-dir"), pcmDir,
                          QStringLiteral("--stats"), QStringLiteral("0.2"),
                          QStringLiteral("--stats-streams")}));
    // First by FFmpeg, then, after it has gone, by GStreamer on the same key.
    QVERIFY(finishedCleanly(
        *startProcess(QStringLiteral("ffmpeg"), ffmpegPublish(first, engine.urlFor(key))), 60000));
    const QJsonObject afterFirst = engine.waitForStats(
        [](const QJsonObject &stats) {
            const QJsonArray streams = stats[QStringLiteral("stream_details")].toArray();
            return !streams.isEmpty() && !streams[0][QStringLiteral("publishing")].toBool();
        },
        10000);
    QVERIFY(!afterFirst.isEmpty());
    const double time1 =
        afterFirst[QStringLiteral("stream_details")][0][QStringLiteral("stream_time_ms")]
            .toDouble();
    QVERIFY(finishedCleanly(*startProcess(QStringLiteral("gst-launch-1.0"),
                                          gstreamerPublish(second, engine.urlFor(key))),
                            60000));
    const QJsonObject afterSecond = engine.waitForStats(
        [](const QJsonObject &stats) {
            const QJsonArray streams = stats[QStringLiteral("stream_details")].toArray();
            return !streams.isEmpty() && streams[0][QStringLiteral("publish_count")].toInt() == 2 &&
                   !streams[0][QStringLiteral("publishing")].toBool();
        },
        10000);
    QVERIFY(!afterSecond.isEmpty());
    const double time2 =
        afterSecond[QStringLiteral("stream_details")][0][QStringLiteral("stream_time_ms")]
            .toDouble();
    QVERIFY(engine.stop());

    // The stream clock went on from where the first publisher left it.
    qInfo("stream time after first publisher %.0f ms, after second %.0f ms", time1, time2);
    QVERIFY(time1 >= 1300);
    QVERIFY(time2 > time1 + 1000);

    // One file: the first part, then the second appended. The decoder runs on
    // across the junction, so the result is the decode of the uncut stream.
    const std::vector<int16_t> actual =
        readPcm(QDir(pcmDir).filePath(key + QStringLiteral(".pcm")));
    const std::vector<int16_t> whole = ffmpegDecode16kMono(full);
    const Comparison match = compareAligned(whole, actual, 4000);
    qInfo(
        "republish: %zu samples (parts %zu + %zu, uncut %zu), SNR against the uncut stream %.1f dB",
        actual.size(), expected1.size(), expected2.size(), whole.size(), match.snr_dB);
    QVERIFY(std::abs(int64_t(actual.size()) - int64_t(expected1.size() + expected2.size())) <=
            1600);
    QVERIFY2(match.snr_dB >= 30.0, qPrintable(QString::number(match.snr_dB)));
    QVERIFY(match.overlap >= actual.size() * 95 / 100);
}

QTEST_GUILESS_MAIN(TestIngestConcurrency)
#include "tst_ingest_concurrency.moc"

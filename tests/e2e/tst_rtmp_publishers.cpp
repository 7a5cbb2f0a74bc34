// Real publishers (FFmpeg and GStreamer's rtmp2sink, the element LiveKit
// Egress uses) send real speech to the roomscribe executable; what it writes
// must match FFmpeg's own decode of the very same AAC stream.
//
// Measure: SNR of the engine's 16 kHz mono PCM against `ffmpeg -i ref.flv -f
// s16le -ar 16000 -ac 1`, after alignment, both low-passed at 6 kHz (the
// engine's resampler is flat to 7 kHz and rejects aliases from 8 kHz, FFmpeg's
// default one is not, so above 6 kHz they differ by design). Threshold 30 dB:
// the same decoder on both sides agrees far above it (about 78 dB measured),
// while a lost, repeated or misplaced 23 ms AAC frame drops the SNR of speech
// to a few dB, and a lossy re-encode to about 15-20 dB.

#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::test;

class TestRtmpPublishers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void publisher_data();
    void publisher();

private:
    QTemporaryDir m_dir;
};

void TestRtmpPublishers::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(roomscribeBinary()), qPrintable(roomscribeBinary()));
}

void TestRtmpPublishers::publisher_data()
{
    QTest::addColumn<QString>("publisher");
    QTest::addColumn<int>("rate");
    QTest::newRow("ffmpeg aac 44.1 kHz") << QStringLiteral("ffmpeg") << 44100;
    QTest::newRow("ffmpeg aac 48 kHz") << QStringLiteral("ffmpeg") << 48000;
    QTest::newRow("gstreamer avenc_aac rtmp2sink 44.1 kHz") << QStringLiteral("avenc_aac") << 44100;
    QTest::newRow("gstreamer voaacenc rtmp2sink 48 kHz") << QStringLiteral("voaacenc") << 48000;
}

void TestRtmpPublishers::publisher()
{
    QFETCH(QString, publisher);
    QFETCH(int, rate);
    const QString name = publisher + QString::number(rate);
    const QString wav = makeSpeech(
        m_dir.path(), name, QStringLiteral("en"),
        QStringLiteral("Roomscribe hears the room. Number %1 speaking, testing one two three.")
            .arg(rate),
        rate, 2);
    QVERIFY(!wav.isEmpty());

    const QString pcmDir = m_dir.filePath(name);
    QVERIFY(QDir().mkpath(pcmDir));
    EngineProcess engine;
    QVERIFY2(
        engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                      QStringLiteral("--stream-key"), name, QStringLiteral("--pcm-dir"), pcmDir}),
        engine.readLog().constData());

    // The publisher writes the exact AAC stream it sends into ref.flv too.
    const QString reference = m_dir.filePath(name + QStringLiteral(".ref.flv"));
    const QString url = engine.urlFor(name);
    QByteArray log;
    bool published = false;
    if (publisher == u"ffmpeg") {
        published = run(QStringLiteral("ffmpeg"),
                        {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                         QStringLiteral("error"), QStringLiteral("-re"), QStringLiteral("-i"), wav,
                         QStringLiteral("-map"), QStringLiteral("0:a"), QStringLiteral("-c:a"),
                         QStringLiteral("aac"), QStringLiteral("-b:a"), QStringLiteral("128k"),
                         QStringLiteral("-f"), QStringLiteral("tee"),
                         QStringLiteral("[f=flv]%1|[f=flv]%2").arg(reference, url)},
                        60000, &log);
    } else {
        const QString encoder = publisher == u"avenc_aac"
                                    ? QStringLiteral("avenc_aac bitrate=128000")
                                    : QStringLiteral("voaacenc bitrate=128000");
        const QString pipeline =
            QStringLiteral("filesrc location=%1 ! wavparse ! audioconvert ! audioresample ! "
                           "audio/x-raw,rate=%2,channels=2 ! %3 ! aacparse ! tee name=t "
                           "t. ! queue ! flvmux streamable=true ! rtmp2sink location=%4 "
                           "t. ! queue ! flvmux ! filesink location=%5")
                .arg(wav)
                .arg(rate)
                .arg(encoder, url, reference);
        published = run(QStringLiteral("gst-launch-1.0"),
                        QStringList{QStringLiteral("-q")} + pipeline.split(u' '), 60000, &log);
    }
    QVERIFY2(published, log.constData());
    QVERIFY2(engine.stop(), engine.readLog().constData());

    const std::vector<int16_t> expected = ffmpegDecode16kMono(reference);
    const std::vector<int16_t> actual =
        readPcm(QDir(pcmDir).filePath(name + QStringLiteral(".pcm")));
    QVERIFY(expected.size() > 16000);
    const Comparison match = compareAligned(expected, actual, 4000);
    qInfo("%s: %zu samples expected, %zu received, lag %d, SNR %.1f dB, speech at %.1f dBFS",
          qPrintable(name), expected.size(), actual.size(), match.lag, match.snr_dB,
          rms_dBFS(actual));
    QVERIFY2(match.snr_dB >= 30.0, qPrintable(QString::number(match.snr_dB)));
    // At most one AAC frame (1024 samples at 44.1 kHz = 372 at 16 kHz) apart.
    QVERIFY(std::abs(match.lag) <= 372);
    QVERIFY(std::abs(int64_t(actual.size()) - int64_t(expected.size())) <= 1600);
    QVERIFY(match.overlap >= expected.size() * 95 / 100);
    QVERIFY(rms_dBFS(actual) > -40.0);
}

QTEST_GUILESS_MAIN(TestRtmpPublishers)
#include "tst_rtmp_publishers.moc"

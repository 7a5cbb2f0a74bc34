// Hostile input closes only the connection that sent it: a real FFmpeg
// publisher streams throughout and its audio must come out whole, the engine
// must keep accepting, and afterwards hold no connection and exit cleanly
// (under the sanitizer build, LeakSanitizer checks that exit for leaks).

#include "rawrtmpclient.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::test;
using roomscribe::rtmp::Amf0Value;
using roomscribe::rtmp::MessageType;

namespace {

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, '\0');
    QRandomGenerator generator(42);
    for (char &byte : bytes)
        byte = char(generator.bounded(256));
    return bytes;
}

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

class TestIngestHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostileConnectionsCloseAlone();
};

void TestIngestHostile::hostileConnectionsCloseAlone()
{
    QTemporaryDir dir;
    const QString wav =
        makeSpeech(dir.path(), QStringLiteral("good"), QStringLiteral("en"),
                   QStringLiteral("The good publisher keeps talking while strangers "
                                  "knock on the door with garbage. Nothing breaks."),
                   48000, 2);
    const QString flv = encodeAacFlv(wav, dir.filePath(QStringLiteral("good.flv")));
    QVERIFY(!flv.isEmpty());

    EngineProcess engine;
    QVERIFY(engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--pcm-dir"), dir.path(), QStringLiteral("--stats"),
                          QStringLiteral("0.2"), QStringLiteral("--stats-streams"),
                          QStringLiteral("--stream-key"), QStringLiteral("good"),
                          QStringLiteral("--stream-key"), QStringLiteral("hugechunks"),
                          QStringLiteral("--stream-key"), QStringLiteral("badconfig")},
                         3));
    const quint16 port = engine.port();
    QProcess good;
    good.setProcessChannelMode(QProcess::MergedChannels);
    good.start(QStringLiteral("ffmpeg"),
               {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                QStringLiteral("error"), QStringLiteral("-re"), QStringLiteral("-i"), flv,
                QStringLiteral("-c"), QStringLiteral("copy"), QStringLiteral("-f"),
                QStringLiteral("flv"), engine.urlFor(QStringLiteral("good"))});
    QVERIFY(
        !engine
             .waitForStats(
                 [](const QJsonObject &s) { return s[QStringLiteral("publishers")].toInt() == 1; },
                 10000)
             .isEmpty());

    // A silent connection that stops mid-handshake is closed by the server
    // when its publish timeout (10 s) passes; it is checked last.
    RawRtmpClient stalled;
    QVERIFY(stalled.connectTo(port));
    stalled.sendRaw(QByteArray(1, '\x03') + randomBytes(700));

    {
        RawRtmpClient client; // not RTMP at all
        QVERIFY(client.connectTo(port));
        QByteArray garbage = randomBytes(4096);
        garbage[0] = 'G'; // "GET …": no RTMP version byte
        client.sendRaw(garbage);
        QVERIFY(client.waitForServerClose(5000));
    }
    {
        RawRtmpClient client; // the handshake, then a run of random chunks
        QVERIFY(client.connectTo(port));
        QVERIFY(client.handshake());
        client.sendRaw(randomBytes(64 * 1024));
        QVERIFY(client.waitForServerClose(5000));
    }
    {
        RawRtmpClient client; // a command claiming 16 MiB - 1
        QVERIFY(client.connectTo(port));
        QVERIFY(client.handshake());
        client.sendRaw(QByteArray::fromHex("03000000ffffff1400000000") + randomBytes(8192));
        QVERIFY(client.waitForServerClose(5000));
    }
    {
        RawRtmpClient client; // a command whose AMF0 is cut short
        QVERIFY(client.connectTo(port));
        QVERIFY(client.handshake());
        client.sendMessage(MessageType::CommandAmf0, 0, 0,
                           QByteArray::fromHex("0200077075626c69736800"));
        QVERIFY(client.waitForServerClose(5000));
    }
    {
        RawRtmpClient client; // a publish, then an AudioSpecificConfig nobody can decode
        QVERIFY(client.connectTo(port));
        QVERIFY(client.handshake());
        client.publish(QStringLiteral("badconfig"), port);
        client.sendMessage(MessageType::Audio, 1, 0, QByteArray::fromHex("af00f8ff"));
        QVERIFY(client.waitForServerClose(5000));
    }
    {
        // The largest chunk size RTMP allows is legal: it must cost nothing,
        // and video and data messages in between are ignored.
        RawRtmpClient client;
        QVERIFY(client.connectTo(port));
        QVERIFY(client.handshake());
        const qint64 rssBefore = residentKiB(engine.pid());
        QByteArray setChunkSize;
        client.writer().writeSetChunkSize(setChunkSize, 0x7fffffff);
        client.sendRaw(setChunkSize);
        client.publish(QStringLiteral("hugechunks"), port);
        client.sendMessage(MessageType::Video, 1, 0, randomBytes(200000));
        client.sendMessage(
            MessageType::DataAmf0, 1, 0,
            roomscribe::rtmp::encodeAmf0({Amf0Value::string(QStringLiteral("@setDataFrame")),
                                          Amf0Value::string(QStringLiteral("onMetaData")),
                                          Amf0Value::ecmaArray({{QStringLiteral("audiosamplerate"),
                                                                 Amf0Value::number(48000)}})}));
        QVERIFY(!client.waitForServerClose(1000));
        QVERIFY(client.isOpen());
        const QJsonObject stats = engine.waitForStats(
            [](const QJsonObject &s) { return s[QStringLiteral("publishers")].toInt() == 2; },
            5000);
        QVERIFY2(!stats.isEmpty(), "the connection with 2^31-1 byte chunks could not publish");
        const qint64 rssAfter = residentKiB(engine.pid());
        qInfo("RSS before %lld KiB, after a 2^31-1 chunk size and a 200 kB video message %lld KiB",
              rssBefore, rssAfter);
        QVERIFY(rssAfter - rssBefore < 16 * 1024);
    }

    QVERIFY(stalled.waitForServerClose(15000));
    QVERIFY2(good.waitForFinished(60000) && good.exitCode() == 0, good.readAll().constData());

    // Only the hostile connections failed; none is left open.
    const QJsonObject settled = engine.waitForStats(
        [](const QJsonObject &s) { return s[QStringLiteral("connections")].toInt() == 0; }, 10000);
    QVERIFY2(!settled.isEmpty(), engine.readLog().right(4000).constData());
    QVERIFY(settled[QStringLiteral("failed")].toInt() >= 5);
    QVERIFY(engine.stop());
    const QByteArray log = engine.readLog();
    QVERIFY(log.contains("handshake"));
    QVERIFY(log.contains("exceeds"));
    QVERIFY(log.contains("undecodable"));

    const std::vector<int16_t> expected = ffmpegDecode16kMono(flv);
    const std::vector<int16_t> actual = readPcm(dir.filePath(QStringLiteral("good.pcm")));
    const Comparison match = compareAligned(expected, actual, 4000);
    qInfo("good publisher: %zu/%zu samples, SNR %.1f dB", actual.size(), expected.size(),
          match.snr_dB);
    QVERIFY(match.snr_dB >= 30.0);
    QVERIFY(std::abs(int64_t(actual.size()) - int64_t(expected.size())) <= 1600);
}

QTEST_GUILESS_MAIN(TestIngestHostile)
#include "tst_ingest_hostile.moc"

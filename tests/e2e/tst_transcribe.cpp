// Headless end to end with transcription: GStreamer's rtmp2sink publishes
// real speech to roomscribe, which streams it to the Gladia emulator. The
// transcripts file must hold the emulator's scripted transcripts with sane
// times, and the emulator must have received exactly the audio the engine
// decoded (compared by SHA-256 with the engine's own PCM file) — also when
// the emulator drops the connection three times at random points. A refused
// key fails transcription clearly while ingest goes on.

#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::test;

namespace {

const char kScript[] = R"([
 {"start_s": 0.2, "end_s": 1.4, "text": "Good morning, room."},
 {"start_s": 1.6, "end_s": 2.9, "text": "The transcript arrives live.", "language": "en"},
 {"start_s": 3.1, "end_s": 4.0, "text": "Доброе утро.", "language": "ru"}
])";
constexpr int kScriptedFinals = 3;

struct Run
{
    QList<QJsonObject> finals;
    QList<QJsonObject> partials;
    QByteArray pcmSha256;
    qint64 pcmBytes = 0;
    QJsonArray sessions;
    QByteArray log;
};

} // namespace

class TestTranscribe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void transcribesPublishedSpeech();
    void dropsLoseNothing();
    void refusedKeyKeepsIngesting();

private:
    Run transcribe(const QStringList &emulatorArguments, const QString &name);
    QTemporaryDir m_dir;
    QString m_wav;
    QString m_script;
};

void TestTranscribe::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_wav = makeSpeech(m_dir.path(), QStringLiteral("speech"), QStringLiteral("en"),
                       QStringLiteral("Good morning, room. The transcript arrives live. "
                                      "This is the end of the test."),
                       48000, 2);
    QVERIFY(!m_wav.isEmpty());
    m_script = m_dir.filePath(QStringLiteral("script.json"));
    QFile script(m_script);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kScript);
}

Run TestTranscribe::transcribe(const QStringList &emulatorArguments, const QString &name)
{
    Run result;
    GladiaEmulatorProcess emulator;
    if (!emulator.start(QStringList{QStringLiteral("--api-key"), QStringLiteral("secret-key"),
                                    QStringLiteral("--script"), m_script} +
                        emulatorArguments)) {
        qWarning("emulator did not start: %s", emulator.log().constData());
        return result;
    }
    const QString pcmDir = m_dir.filePath(name);
    QDir().mkpath(pcmDir);
    const QString transcripts = m_dir.filePath(name + QStringLiteral(".jsonl"));
    EngineProcess engine;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GLADIA_API_KEY"), QStringLiteral("secret-key"));
    engine.process().setProcessEnvironment(environment);
    if (!engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                       QStringLiteral("--stream-key"), name, QStringLiteral("--pcm-dir"), pcmDir,
                       QStringLiteral("--gladia-url"), emulator.apiUrl(),
                       QStringLiteral("--transcripts"), transcripts})) {
        qWarning("engine did not start: %s", engine.readLog().constData());
        return result;
    }
    const QString pipeline =
        QStringLiteral("-q filesrc location=%1 ! wavparse ! audioconvert ! audioresample ! "
                       "audio/x-raw,rate=48000,channels=2 ! avenc_aac ! aacparse ! "
                       "flvmux streamable=true ! rtmp2sink location=%2")
            .arg(m_wav, engine.urlFor(name));
    QByteArray publisherLog;
    if (!run(QStringLiteral("gst-launch-1.0"), pipeline.split(u' '), 60000, &publisherLog))
        qWarning("publisher failed: %s", publisherLog.constData());
    if (!engine.stop(60000))
        qWarning("engine did not stop cleanly");
    result.log = engine.readLog();
    for (const QJsonObject &line : readJsonLines(transcripts))
        (line[QStringLiteral("is_final")].toBool() ? result.finals : result.partials).append(line);
    QFile pcm(QDir(pcmDir).filePath(name + QStringLiteral(".pcm")));
    if (pcm.open(QIODevice::ReadOnly)) {
        const QByteArray audio = pcm.readAll();
        result.pcmBytes = audio.size();
        result.pcmSha256 = QCryptographicHash::hash(audio, QCryptographicHash::Sha256).toHex();
    }
    result.sessions = emulator.sessions();
    return result;
}

void TestTranscribe::transcribesPublishedSpeech()
{
    const Run result = transcribe({}, QStringLiteral("calm"));
    QCOMPARE(result.finals.size(), kScriptedFinals);
    QVERIFY(result.partials.size() >= kScriptedFinals);
    const QStringList texts{QStringLiteral("Good morning, room."),
                            QStringLiteral("The transcript arrives live."),
                            QStringLiteral("Доброе утро.")};
    qint64 previousEnd = 0;
    for (int i = 0; i < kScriptedFinals; ++i) {
        const QJsonObject &final = result.finals[i];
        QCOMPARE(final[QStringLiteral("type")].toString(), QStringLiteral("transcript"));
        QCOMPARE(final[QStringLiteral("text")].toString(), texts[i]);
        QCOMPARE(final[QStringLiteral("room")].toString(), QStringLiteral("calm"));
        const qint64 start = final[QStringLiteral("start_ms")].toInteger();
        const qint64 end = final[QStringLiteral("end_ms")].toInteger();
        QVERIFY(start >= previousEnd && end > start);
        QVERIFY(end <= result.pcmBytes / 32); // within the audio sent (32 bytes per ms)
        QVERIFY(
            QDateTime::fromString(final[QStringLiteral("wall_clock")].toString(), Qt::ISODateWithMs)
                .isValid());
        previousEnd = end;
    }
    QCOMPARE(result.finals[2][QStringLiteral("language")].toString(), QStringLiteral("ru"));
    QCOMPARE(result.sessions.size(), 1);
    const QJsonObject session = result.sessions[0].toObject();
    QCOMPARE(session[QStringLiteral("sha256")].toString().toLatin1(), result.pcmSha256);
    QCOMPARE(session[QStringLiteral("bytes_received")].toInteger(), result.pcmBytes);
    QVERIFY(session[QStringLiteral("stop_received")].toBool());
    QVERIFY(!result.log.contains("secret-key"));
}

void TestTranscribe::dropsLoseNothing()
{
    const Run calm = transcribe({}, QStringLiteral("reference"));
    // Three closes at a random point each: every B bytes, B random.
    const int every = 24000 + int(QRandomGenerator::global()->bounded(16000));
    const Run stormy = transcribe(
        {QStringLiteral("--close-after"), QString::number(every), QStringLiteral("--close-repeat")},
        QStringLiteral("stormy"));
    const QJsonObject session = stormy.sessions[0].toObject();
    qInfo("closing every %d bytes: %lld reconnects, %lld bytes re-sent and dropped as overlap",
          every, session[QStringLiteral("reconnects")].toInteger(),
          session[QStringLiteral("overlap_bytes")].toInteger());
    QVERIFY(session[QStringLiteral("reconnects")].toInteger() >= 3);
    QCOMPARE(session[QStringLiteral("sha256")].toString().toLatin1(), stormy.pcmSha256);
    QCOMPARE(session[QStringLiteral("resend_mismatch_bytes")].toInteger(), 0);
    QVERIFY(session[QStringLiteral("errors")].toArray().isEmpty());
    // Identical finals: the same texts, ids and times, none missing or doubled.
    QCOMPARE(stormy.finals.size(), calm.finals.size());
    for (int i = 0; i < calm.finals.size(); ++i) {
        for (const char *field : {"text", "utterance_id", "start_ms", "end_ms", "language"})
            QCOMPARE(stormy.finals[i][QLatin1String(field)], calm.finals[i][QLatin1String(field)]);
    }
}

void TestTranscribe::refusedKeyKeepsIngesting()
{
    GladiaEmulatorProcess emulator;
    QVERIFY(emulator.start({QStringLiteral("--api-key"), QStringLiteral("another-key")}));
    const QString pcmDir = m_dir.filePath(QStringLiteral("refused"));
    QVERIFY(QDir().mkpath(pcmDir));
    EngineProcess engine;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GLADIA_API_KEY"), QStringLiteral("wrong-key"));
    engine.process().setProcessEnvironment(environment);
    QVERIFY(engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--stream-key"), QStringLiteral("one"),
                          QStringLiteral("--stream-key"), QStringLiteral("two"),
                          QStringLiteral("--pcm-dir"), pcmDir, QStringLiteral("--gladia-url"),
                          emulator.apiUrl(), QStringLiteral("--stats"), QStringLiteral("0.5"),
                          QStringLiteral("--stats-streams")},
                         2));
    const QString flv = encodeAacFlv(m_wav, m_dir.filePath(QStringLiteral("refused.flv")));
    QProcess first;
    QProcess second;
    for (auto [process, key] : {std::pair{&first, "one"}, std::pair{&second, "two"}}) {
        process->start(QStringLiteral("ffmpeg"),
                       {QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-re"),
                        QStringLiteral("-i"), flv, QStringLiteral("-c"), QStringLiteral("copy"),
                        QStringLiteral("-f"), QStringLiteral("flv"),
                        engine.urlFor(QString::fromLatin1(key))});
    }
    const QJsonObject failed = engine.waitForStats(
        [](const QJsonObject &stats) {
            const QJsonArray streams = stats[QStringLiteral("stream_details")].toArray();
            return streams.size() == 2 &&
                   streams[0][QStringLiteral("stt_state")].toString() == u"failed" &&
                   streams[1][QStringLiteral("stt_state")].toString() == u"failed";
        },
        20000);
    QVERIFY2(!failed.isEmpty(), engine.readLog().right(3000).constData());
    const QString detail =
        failed[QStringLiteral("stream_details")][0][QStringLiteral("stt_detail")].toString();
    qInfo("transcription refused: %s", qPrintable(detail));
    QVERIFY(!detail.isEmpty());
    QVERIFY(first.waitForFinished(60000) && first.exitCode() == 0);
    QVERIFY(second.waitForFinished(60000) && second.exitCode() == 0);
    QVERIFY(engine.stop());
    // Ingest went on for both streams.
    const std::vector<int16_t> expected = ffmpegDecode16kMono(flv);
    for (const char *key : {"one", "two"}) {
        const std::vector<int16_t> actual =
            readPcm(QDir(pcmDir).filePath(QLatin1String(key) + QStringLiteral(".pcm")));
        QVERIFY(compareAligned(expected, actual, 4000).snr_dB >= 30.0);
    }
}

QTEST_GUILESS_MAIN(TestTranscribe)
#include "tst_transcribe.moc"

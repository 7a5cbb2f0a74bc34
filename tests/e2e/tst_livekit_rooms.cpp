// Headless end to end with LiveKit control: the fake LiveKit server (limit of
// two concurrent egresses, real GStreamer RTMP and WebSocket media, signed
// webhooks) and the Gladia emulator, driven by the roomscribe executable.
//  - --auto --no-participant (egress only): rooms of 2, 3 and 1 participants:
//    the first two run Room Composite, the third waits; when one room ends,
//    the third starts, per track, and its transcripts name its speaker. A webhook with a bad
//    signature is refused and changes nothing. SIGTERM stops every egress.
//  - a room under Track Egress: each speaker's audio lands in the stream
//    labelled with that speaker (compared with the samples), and the
//    transcripts name the right identities.
//  - SIGKILL and restart: the running egress is adopted, with no second start.
//  - --auto with an egress limit of 0: a room of three speakers is taken as a
//    hidden participant (WebRTC, no egress); one stream per speaker, and the
//    transcripts name all three.
//  - a composite room: the engine also joins it for LiveKit's active speakers
//    (no media), and the mix's final names the one speaking, marked inferred.

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace roomscribe::test;

namespace {

const QString kApiKey = QStringLiteral("APItestkey");
const QByteArray kApiSecret = "e2e-secret-that-is-long-enough-for-hs256";

const char kScript[] = R"([
 {"start_s": 0.3, "end_s": 1.2, "text": "Hello from the room."}
])";

// The fake's arguments: the engine's credentials, then `extra`.
QStringList fakeArguments(const QStringList &extra = {})
{
    return QStringList{QStringLiteral("--api-key"), kApiKey, QStringLiteral("--api-secret"),
                       QString::fromLatin1(kApiSecret)} +
           extra;
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

QJsonObject roomIn(const QJsonObject &stats, const QString &name)
{
    for (const QJsonValue &room :
         stats[QStringLiteral("livekit")][QStringLiteral("rooms")].toArray()) {
        if (room[QStringLiteral("room")].toString() == name)
            return room.toObject();
    }
    return {};
}

bool roomIs(const QJsonObject &stats, const QString &name, const QString &phase,
            const QString &method = QString())
{
    const QJsonObject room = roomIn(stats, name);
    return room[QStringLiteral("phase")].toString() == phase &&
           (method.isEmpty() || room[QStringLiteral("method")].toString() == method);
}

QJsonArray egressesOf(LiveKitFakeProcess &fake)
{
    return fake.egresses()[QStringLiteral("egresses")].toArray();
}

// What the fake's egresses look like: "room_composite"/"track" → status names.
QStringList egressSummary(LiveKitFakeProcess &fake)
{
    QStringList summary;
    for (const QJsonValue &egress : egressesOf(fake))
        summary.append(egress[QStringLiteral("room_name")].toString() + u':' +
                       egress[QStringLiteral("kind")].toString() + u':' +
                       egress[QStringLiteral("status")].toString());
    return summary;
}

} // namespace

class TestLiveKitRooms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void autoRoutesWithinTheBudget();
    void trackEgressAttributesSpeakers();
    void restartAdoptsRunningEgress();
    void participantWithoutEgress();
    void compositeSpeakersInferred();

private:
    // The engine against the fake, its webhooks pointed at the engine.
    bool startEngine(EngineProcess &engine, LiveKitFakeProcess &fake, const QStringList &extra);
    // startEngine(), then stats where `room` runs by `method` and the streams
    // with more than `audio_s` of audio are exactly those of `speakers`.
    void startUntilSpeaking(EngineProcess &engine, LiveKitFakeProcess &fake,
                            const QStringList &extra, const QString &room, const QString &method,
                            const QStringList &speakers, double audio_s, int timeout_ms);
    QString sample(const QString &identity) const { return m_samples.value(identity); }
    void join(LiveKitFakeProcess &fake, const QString &room, const QStringList &identities);

    QTemporaryDir m_dir;
    QHash<QString, QString> m_samples; // identity → wav
    GladiaEmulatorProcess m_gladia;
};

void TestLiveKitRooms::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QList<std::pair<QString, QString>> speakers{
        {QStringLiteral("ann"), QStringLiteral("Good morning everyone, the meeting starts now.")},
        {QStringLiteral("bob"), QStringLiteral("Seven eight nine, numbers are easy to hear.")},
        {QStringLiteral("cat"), QStringLiteral("Cats sleep most of the day.")},
        {QStringLiteral("dan"), QStringLiteral("The weather is cold today.")},
        {QStringLiteral("eve"), QStringLiteral("Please share the slides.")},
        {QStringLiteral("fay"), QStringLiteral("I am alone in this room, talking to myself.")},
    };
    for (const auto &[identity, text] : speakers) {
        const QString wav =
            makeSpeech(m_dir.path(), identity, QStringLiteral("en"), text, 48000, 2);
        QVERIFY2(!wav.isEmpty(), qPrintable(identity));
        m_samples.insert(identity, wav);
    }
    const QString script = m_dir.filePath(QStringLiteral("script.json"));
    QFile file(script);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kScript);
    file.close();
    QVERIFY2(m_gladia.start({QStringLiteral("--api-key"), QStringLiteral("e2e-gladia"),
                             QStringLiteral("--script"), script}),
             m_gladia.log().constData());
}

void TestLiveKitRooms::join(LiveKitFakeProcess &fake, const QString &room,
                            const QStringList &identities)
{
    for (const QString &identity : identities) {
        const QJsonObject answer =
            fake.control(QStringLiteral("join"), {{QStringLiteral("room"), room},
                                                  {QStringLiteral("identity"), identity},
                                                  {QStringLiteral("sample"), sample(identity)}});
        QVERIFY2(!answer[QStringLiteral("track_sid")].toString().isEmpty(),
                 QJsonDocument(answer).toJson().constData());
    }
}

bool TestLiveKitRooms::startEngine(EngineProcess &engine, LiveKitFakeProcess &fake,
                                   const QStringList &extra)
{
    qputenv("LIVEKIT_API_KEY", kApiKey.toUtf8());
    qputenv("LIVEKIT_API_SECRET", kApiSecret);
    qputenv("GLADIA_API_KEY", "e2e-gladia");
    const QStringList arguments =
        QStringList{QStringLiteral("--ws-listen"),      QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--livekit-url"),    fake.baseUrl(),
                    QStringLiteral("--webhook-listen"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--livekit-poll-s"), QStringLiteral("1"),
                    QStringLiteral("--gladia-url"),     m_gladia.apiUrl(),
                    QStringLiteral("--stats"),          QStringLiteral("0.5"),
                    QStringLiteral("--stats-streams")} +
        extra;
    if (!engine.start(arguments, 0))
        return false;
    static const QRegularExpression webhookPort(QStringLiteral("webhooks on port (\\d+)"));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        const QRegularExpressionMatch match =
            webhookPort.match(QString::fromUtf8(engine.readLog()));
        if (match.hasMatch()) {
            fake.control(QStringLiteral("config"),
                         {{QStringLiteral("webhook_url"),
                           QStringLiteral("http://127.0.0.1:%1/livekit").arg(match.captured(1))}});
            return true;
        }
        engine.process().waitForReadyRead(100);
    }
    return false;
}

void TestLiveKitRooms::startUntilSpeaking(EngineProcess &engine, LiveKitFakeProcess &fake,
                                          const QStringList &extra, const QString &room,
                                          const QString &method, const QStringList &speakers,
                                          double audio_s, int timeout_ms)
{
    QVERIFY2(startEngine(engine, fake, extra), engine.readLog().constData());
    const QJsonObject stats = engine.waitForStats(
        [&](const QJsonObject &s) {
            QSet<QString> speaking;
            for (const QJsonValue &stream : s[QStringLiteral("stream_details")].toArray()) {
                if (stream[QStringLiteral("audio_s")].toDouble() > audio_s)
                    speaking.insert(stream[QStringLiteral("participant")].toString());
            }
            return roomIs(s, room, QStringLiteral("running"), method) &&
                   speaking == QSet<QString>(speakers.cbegin(), speakers.cend());
        },
        timeout_ms);
    QVERIFY2(!stats.isEmpty(), engine.readLog().right(6000).constData());
}

void TestLiveKitRooms::autoRoutesWithinTheBudget()
{
    LiveKitFakeProcess fake;
    QVERIFY2(fake.start(fakeArguments({QStringLiteral("--egress-limit"), QStringLiteral("2")})),
             fake.log().constData());
    join(fake, QStringLiteral("alpha"), {QStringLiteral("ann"), QStringLiteral("bob")});
    join(fake, QStringLiteral("bravo"),
         {QStringLiteral("cat"), QStringLiteral("dan"), QStringLiteral("eve")});
    join(fake, QStringLiteral("charlie"), {QStringLiteral("fay")});

    const QString transcripts = m_dir.filePath(QStringLiteral("auto.jsonl"));
    const QString ledger = m_dir.filePath(QStringLiteral("auto-state.json"));
    EngineProcess engine;
    QVERIFY2(startEngine(engine, fake,
                         {QStringLiteral("--auto"), QStringLiteral("--no-participant"),
                          QStringLiteral("--egress-limit"), QStringLiteral("2"),
                          QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--state-file"), ledger, QStringLiteral("--transcripts"),
                          transcripts}),
             engine.readLog().constData());

    // Two composite rooms run; the one-participant room waits for budget.
    QJsonObject stats = engine.waitForStats(
        [](const QJsonObject &s) {
            return roomIs(s, QStringLiteral("alpha"), QStringLiteral("running"),
                          QStringLiteral("composite")) &&
                   roomIs(s, QStringLiteral("bravo"), QStringLiteral("running"),
                          QStringLiteral("composite")) &&
                   roomIs(s, QStringLiteral("charlie"), QStringLiteral("queued"));
        },
        30000);
    QVERIFY2(!stats.isEmpty(), engine.readLog().right(6000).constData());
    QCOMPARE(
        stats[QStringLiteral("livekit")][QStringLiteral("egress")][QStringLiteral("used")].toInt(),
        2);
    QVERIFY(
        !roomIn(stats, QStringLiteral("charlie"))[QStringLiteral("detail")].toString().isEmpty());

    // Their audio arrives over RTMP, labelled with the room.
    stats = engine.waitForStats(
        [](const QJsonObject &s) {
            int flowing = 0;
            for (const QJsonValue &stream : s[QStringLiteral("stream_details")].toArray()) {
                if (stream[QStringLiteral("audio_s")].toDouble() > 1.0 &&
                    !stream[QStringLiteral("room")].toString().isEmpty())
                    ++flowing;
            }
            return flowing == 2;
        },
        30000);
    QVERIFY2(!stats.isEmpty(), engine.readLog().right(6000).constData());
    QCOMPARE(fake.egresses()[QStringLiteral("start_count")].toInt(), 2);

    // A forged webhook (wrong secret) that would end bravo is refused.
    const quint16 webhookPort =
        quint16(QRegularExpression(QStringLiteral("webhooks on port (\\d+)"))
                    .match(QString::fromUtf8(engine.readLog()))
                    .captured(1)
                    .toUInt());
    QByteArray answer;
    QVERIFY(run(QStringLiteral("curl"),
                {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                 QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                 QStringLiteral("Content-Type: application/webhook+json"), QStringLiteral("-H"),
                 QStringLiteral("Authorization: eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJBUEl0ZXN0a2V5In0."
                                "c2lnbmF0dXJl"),
                 QStringLiteral("--data-binary"),
                 QStringLiteral(R"({"event":"room_finished","room":{"name":"bravo"}})"),
                 QStringLiteral("http://127.0.0.1:%1/livekit").arg(webhookPort)},
                10000, &answer));
    QCOMPARE(answer, QByteArray("401"));
    stats = engine.waitForStats(
        [](const QJsonObject &s) {
            return s[QStringLiteral("livekit")][QStringLiteral("webhooks")]
                    [QStringLiteral("rejected")]
                        .toInt() >= 1;
        },
        10000);
    QVERIFY(!stats.isEmpty());
    QVERIFY(roomIs(stats, QStringLiteral("bravo"), QStringLiteral("running")));
    QVERIFY(stats[QStringLiteral("livekit")][QStringLiteral("webhooks")][QStringLiteral("accepted")]
                .toInt() > 0);

    // alpha ends in LiveKit: its egress ends, the budget frees, charlie starts per track.
    fake.control(QStringLiteral("delete_room"),
                 {{QStringLiteral("name"), QStringLiteral("alpha")}});
    stats = engine.waitForStats(
        [](const QJsonObject &s) {
            return roomIs(s, QStringLiteral("charlie"), QStringLiteral("running"),
                          QStringLiteral("track"));
        },
        30000);
    QVERIFY2(!stats.isEmpty(), engine.readLog().right(6000).constData());
    QVERIFY(roomIs(stats, QStringLiteral("bravo"), QStringLiteral("running")));
    QCOMPARE(fake.egresses()[QStringLiteral("start_count")].toInt(), 3);

    // charlie's transcript names its one speaker.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonObject &line : readJsonLines(transcripts)) {
                if (line[QStringLiteral("room")].toString() == u"charlie" &&
                    line[QStringLiteral("is_final")].toBool())
                    return line[QStringLiteral("speaker")].toString() == u"fay";
            }
            return false;
        }(),
        30000);

    // SIGTERM stops every egress the engine started, then it exits.
    QVERIFY2(engine.stop(60000), engine.readLog().right(6000).constData());
    const QStringList summary = egressSummary(fake);
    QCOMPARE(summary.size(), 3);
    for (const QString &egress : summary)
        QVERIFY2(egress.endsWith(u":EGRESS_COMPLETE"), qPrintable(summary.join(u' ')));
    QFile state(ledger);
    QVERIFY(state.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(state.readAll())[QStringLiteral("egresses")].toArray().size(),
             0);
}

void TestLiveKitRooms::trackEgressAttributesSpeakers()
{
    LiveKitFakeProcess fake;
    QVERIFY2(fake.start(fakeArguments()), fake.log().constData());
    join(fake, QStringLiteral("hotel"), {QStringLiteral("ann"), QStringLiteral("bob")});

    const QString pcmDir = m_dir.filePath(QStringLiteral("track-pcm"));
    QVERIFY(QDir().mkpath(pcmDir));
    const QString transcripts = m_dir.filePath(QStringLiteral("track.jsonl"));
    const QString database = m_dir.filePath(QStringLiteral("track.sqlite"));
    // One egress per speaker; each stream is labelled with its speaker.
    EngineProcess engine;
    startUntilSpeaking(
        engine, fake,
        {QStringLiteral("--room"), QStringLiteral("hotel"), QStringLiteral("--method"),
         QStringLiteral("track"), QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
         QStringLiteral("--state-file"), m_dir.filePath(QStringLiteral("track-state.json")),
         QStringLiteral("--pcm-dir"), pcmDir, QStringLiteral("--transcripts"), transcripts,
         QStringLiteral("--db"), database},
        QStringLiteral("hotel"), QStringLiteral("track"),
        {QStringLiteral("ann"), QStringLiteral("bob")}, 4.0, 40000);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(engine.stop(60000), engine.readLog().right(6000).constData());

    // The audio of each stream is its speaker's: the file of the token in the
    // URL LiveKit was given for that participant's track.
    QHash<QString, QString> trackOf; // identity → track sid
    const QJsonArray egresses = egressesOf(fake);
    QCOMPARE(egresses.size(), 2);
    for (const QJsonValue &egress : egresses) {
        QCOMPARE(egress[QStringLiteral("kind")].toString(), QStringLiteral("track"));
        const QString identity = egress[QStringLiteral("participant_identity")].toString();
        trackOf.insert(identity, egress[QStringLiteral("track_sid")].toString());
        const QString token =
            QUrl(egress[QStringLiteral("url")].toString()).path().section(u'/', -1);
        const std::vector<int16_t> received =
            readPcm(QDir(pcmDir).filePath(token + QStringLiteral(".pcm")));
        QVERIFY2(received.size() > 16000, qPrintable(identity));
        const QString other = identity == u"ann" ? QStringLiteral("bob") : QStringLiteral("ann");
        const Comparison own =
            compareAligned(ffmpegDecode16kMono(sample(identity)), received, 1600);
        const Comparison swapped =
            compareAligned(ffmpegDecode16kMono(sample(other)), received, 1600);
        qInfo("%s: SNR %.1f dB against their own sample, %.1f dB against %s's",
              qPrintable(identity), own.snr_dB, swapped.snr_dB, qPrintable(other));
        QVERIFY2(own.snr_dB > 20, qPrintable(identity));
        QVERIFY2(swapped.snr_dB < 3, qPrintable(identity));
    }

    // Transcripts name each speaker on the stream of that speaker's track.
    QSet<QString> named;
    for (const QJsonObject &line : readJsonLines(transcripts)) {
        if (!line[QStringLiteral("is_final")].toBool())
            continue;
        const QString speaker = line[QStringLiteral("speaker")].toString();
        QCOMPARE(line[QStringLiteral("room")].toString(), QStringLiteral("hotel"));
        QCOMPARE(line[QStringLiteral("stream")].toString(),
                 QStringLiteral("track/") + trackOf.value(speaker));
        named.insert(speaker);
    }
    QCOMPARE(named, (QSet<QString>{QStringLiteral("ann"), QStringLiteral("bob")}));

    // The same finals were stored, and export names the same speakers.
    QByteArray exported;
    QVERIFY2(run(roomscribeBinary(),
                 {QStringLiteral("export"), QStringLiteral("--db"), database,
                  QStringLiteral("--room"), QStringLiteral("hotel"), QStringLiteral("--format"),
                  QStringLiteral("json"), QStringLiteral("--out"), QStringLiteral("-")},
                 30000, &exported),
             exported.constData());
    QSet<QString> stored;
    int storedFinals = 0;
    for (const QJsonValue &segment :
         QJsonDocument::fromJson(exported)[QStringLiteral("segments")].toArray()) {
        stored.insert(segment[QStringLiteral("speaker")].toString());
        ++storedFinals;
    }
    QCOMPARE(stored, named);
    int loggedFinals = 0;
    for (const QJsonObject &line : readJsonLines(transcripts))
        loggedFinals += line[QStringLiteral("is_final")].toBool() ? 1 : 0;
    QCOMPARE(storedFinals, loggedFinals);
}

void TestLiveKitRooms::restartAdoptsRunningEgress()
{
    LiveKitFakeProcess fake;
    QVERIFY2(fake.start(fakeArguments()), fake.log().constData());
    join(fake, QStringLiteral("india"), {QStringLiteral("cat"), QStringLiteral("dan")});

    // The egress retries the same URL: the restarted engine listens on the same port.
    const QString rtmpListen = QStringLiteral("127.0.0.1:%1").arg(freePort());
    const QString ledger = m_dir.filePath(QStringLiteral("adopt-state.json"));
    const QStringList arguments{QStringLiteral("--room"),        QStringLiteral("india"),
                                QStringLiteral("--rtmp-listen"), rtmpListen,
                                QStringLiteral("--state-file"),  ledger};
    auto audioOf = [](const QJsonObject &s) {
        for (const QJsonValue &stream : s[QStringLiteral("stream_details")].toArray()) {
            if (stream[QStringLiteral("room")].toString() == u"india")
                return stream[QStringLiteral("audio_s")].toDouble();
        }
        return 0.0;
    };
    {
        EngineProcess first;
        QVERIFY2(startEngine(first, fake, arguments), first.readLog().constData());
        const QJsonObject stats =
            first.waitForStats([&](const QJsonObject &s) { return audioOf(s) > 1.0; }, 30000);
        QVERIFY2(!stats.isEmpty(), first.readLog().right(6000).constData());
        ::kill(pid_t(first.pid()), SIGKILL);
        first.process().waitForFinished(10000);
    }
    QFile state(ledger);
    QVERIFY(state.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(state.readAll())[QStringLiteral("egresses")].toArray().size(),
             1);
    state.close();

    EngineProcess second;
    QVERIFY2(startEngine(second, fake, arguments), second.readLog().constData());
    // The egress reconnects to the same key and the audio flows again.
    const QJsonObject stats = second.waitForStats(
        [&](const QJsonObject &s) {
            return roomIs(s, QStringLiteral("india"), QStringLiteral("running"),
                          QStringLiteral("composite")) &&
                   audioOf(s) > 1.0;
        },
        40000);
    QVERIFY2(!stats.isEmpty(), second.readLog().right(6000).constData());
    QVERIFY(second.readLog().contains("adopted composite egress"));
    QCOMPARE(fake.egresses()[QStringLiteral("start_count")].toInt(), 1);
    QVERIFY2(second.stop(60000), second.readLog().right(6000).constData());
    const QStringList summary = egressSummary(fake);
    QCOMPARE(summary, QStringList{QStringLiteral("india:room_composite:EGRESS_COMPLETE")});
}

void TestLiveKitRooms::participantWithoutEgress()
{
    LiveKitFakeProcess fake;
    QVERIFY2(fake.start(fakeArguments({QStringLiteral("--egress-limit"), QStringLiteral("0")})),
             fake.log().constData());
    const QStringList speakers{QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cat")};
    join(fake, QStringLiteral("juliet"), speakers);

    const QString pcmDir = m_dir.filePath(QStringLiteral("participant-pcm"));
    QVERIFY(QDir().mkpath(pcmDir));
    const QString transcripts = m_dir.filePath(QStringLiteral("participant.jsonl"));
    EngineProcess engine;
    startUntilSpeaking(
        engine, fake,
        {QStringLiteral("--auto"), QStringLiteral("--egress-limit"), QStringLiteral("0"),
         QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
         QStringLiteral("--state-file"), m_dir.filePath(QStringLiteral("participant-state.json")),
         QStringLiteral("--pcm-dir"), pcmDir, QStringLiteral("--transcripts"), transcripts},
        QStringLiteral("juliet"), QStringLiteral("participant"), speakers, 1.0, 60000);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(engine.stop(60000), engine.readLog().right(6000).constData());
    QCOMPARE(egressesOf(fake).size(), 0);
    QVERIFY2(fake.rtcFrames()[QStringLiteral("violations")].toArray().isEmpty(),
             fake.log().right(4000).constData());

    // One stream, and one PCM file, per speaker (byte-exactness against the
    // Opus the fake sent is tst_egressrouter's participantWhenBudgetSpent).
    const QStringList files = QDir(pcmDir).entryList({QStringLiteral("*.pcm")}, QDir::Files);
    QCOMPARE(files.size(), speakers.size());
    for (const QString &file : files)
        QVERIFY2(readPcm(QDir(pcmDir).filePath(file)).size() > 16000, qPrintable(file));

    QSet<QString> named;
    for (const QJsonObject &line : readJsonLines(transcripts)) {
        if (line[QStringLiteral("is_final")].toBool())
            named.insert(line[QStringLiteral("speaker")].toString());
    }
    QCOMPARE(named, QSet<QString>(speakers.cbegin(), speakers.cend()));
}

void TestLiveKitRooms::compositeSpeakersInferred()
{
    LiveKitFakeProcess fake;
    QVERIFY2(fake.start(fakeArguments()), fake.log().constData());
    // Ann speaks from the moment a subscriber joins; Bob never does.
    const QJsonArray annSpeaks{QJsonObject{{QStringLiteral("at_ms"), 0},
                                           {QStringLiteral("active"), true},
                                           {QStringLiteral("level"), 0.8}}};
    for (const QString &identity : {QStringLiteral("ann"), QStringLiteral("bob")}) {
        QJsonObject body{{QStringLiteral("room"), QStringLiteral("kilo")},
                         {QStringLiteral("identity"), identity},
                         {QStringLiteral("sample"), sample(identity)}};
        if (identity == u"ann")
            body.insert(QStringLiteral("speaking"), annSpeaks);
        QVERIFY(!fake.control(QStringLiteral("join"), body)[QStringLiteral("track_sid")]
                     .toString()
                     .isEmpty());
    }

    const QString transcripts = m_dir.filePath(QStringLiteral("inferred.jsonl"));
    EngineProcess engine;
    QVERIFY2(
        startEngine(engine, fake,
                    {QStringLiteral("--room"), QStringLiteral("kilo"), QStringLiteral("--method"),
                     QStringLiteral("composite"), QStringLiteral("--rtmp-listen"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--state-file"),
                     m_dir.filePath(QStringLiteral("inferred-state.json")),
                     QStringLiteral("--transcripts"), transcripts}),
        engine.readLog().constData());
    auto finals = [&] {
        QList<QJsonObject> lines;
        for (const QJsonObject &line : readJsonLines(transcripts)) {
            if (line[QStringLiteral("is_final")].toBool())
                lines.append(line);
        }
        return lines;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(!finals().isEmpty(), engine.readLog().right(6000).constData(), 60000);
    QVERIFY2(engine.stop(60000), engine.readLog().right(6000).constData());
    const QJsonObject final = finals().constFirst();
    QCOMPARE(final[QStringLiteral("stream")].toString(), QStringLiteral("mix"));
    QCOMPARE(final[QStringLiteral("speaker")].toString(), QStringLiteral("ann"));
    QCOMPARE(final[QStringLiteral("speaker_inferred")].toBool(), true);
    QVERIFY2(fake.rtcFrames()[QStringLiteral("violations")].toArray().isEmpty(),
             fake.log().right(4000).constData());
}

QTEST_GUILESS_MAIN(TestLiveKitRooms)
#include "tst_livekit_rooms.moc"

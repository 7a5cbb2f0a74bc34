// The engine's HTTP face end to end: GStreamer publishes speech to a stream
// key, the Gladia emulator transcribes it, and a WebSocket client with a
// token for that room receives the partials and finals live while /health
// and /metrics describe the running engine; a token for another room is
// refused. The finals the client saw are the ones the store kept.

#include "publish/realtimetoken.h"
#include "testsupport.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace roomscribe;
using namespace roomscribe::test;

namespace {

const QByteArray kSecret = "engine-http-test-secret-0123456789";

const char kScript[] = R"([
 {"start_s": 0.2, "end_s": 1.4, "text": "Good morning, room."},
 {"start_s": 1.6, "end_s": 2.9, "text": "The transcript arrives live."}
])";

QByteArray tokenFor(const QString &room)
{
    publish::RealtimeClaims claims;
    claims.rooms = {room};
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + 300;
    return publish::createRealtimeToken(claims, kSecret);
}

} // namespace

class TestEngineHttp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveClientHealthAndMetrics();
};

void TestEngineHttp::liveClientHealthAndMetrics()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString wav =
        makeSpeech(dir.path(), QStringLiteral("speech"), QStringLiteral("en"),
                   QStringLiteral("Good morning, room. The transcript arrives live."), 48000, 2);
    QVERIFY(!wav.isEmpty());
    const QString script = dir.filePath(QStringLiteral("script.json"));
    QFile scriptFile(script);
    QVERIFY(scriptFile.open(QIODevice::WriteOnly));
    scriptFile.write(kScript);
    scriptFile.close();
    GladiaEmulatorProcess gladia;
    QVERIFY(gladia.start({QStringLiteral("--script"), script}));

    const QString database = dir.filePath(QStringLiteral("transcripts.sqlite"));
    EngineProcess engine;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GLADIA_API_KEY"), QStringLiteral("secret-key"));
    environment.insert(QStringLiteral("ROOMSCRIBE_JWT_SECRET"), QString::fromLatin1(kSecret));
    engine.process().setProcessEnvironment(environment);
    QVERIFY2(engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("--stream-key"), QStringLiteral("lobby"),
                           QStringLiteral("--gladia-url"), gladia.apiUrl(),
                           QStringLiteral("--http-listen"), QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("--db"), database}),
             engine.readLog().constData());
    const QRegularExpression portLine(QStringLiteral("/metrics on port (\\d+)"));
    QTRY_VERIFY_WITH_TIMEOUT(portLine.match(QString::fromUtf8(engine.readLog())).hasMatch(), 10000);
    const quint16 port =
        quint16(portLine.match(QString::fromUtf8(engine.readLog())).captured(1).toUInt());
    const QString base = QStringLiteral("127.0.0.1:%1").arg(port);

    // A token for another room is refused before the upgrade.
    QWebSocket stranger;
    QSignalSpy strangerGone(&stranger, &QWebSocket::disconnected);
    stranger.open(QUrl(QStringLiteral("ws://%1/api/realtime/transcribe?room=lobby&access_token=%2")
                           .arg(base, QString::fromLatin1(tokenFor(QStringLiteral("elsewhere"))))));
    QVERIFY(strangerGone.wait(10000));
    QVERIFY(stranger.state() != QAbstractSocket::ConnectedState);

    QWebSocket client;
    QList<QJsonObject> received;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &message) {
        received.append(QJsonDocument::fromJson(message.toUtf8()).object());
    });
    QSignalSpy connected(&client, &QWebSocket::connected);
    client.open(QUrl(QStringLiteral("ws://%1/api/realtime/transcribe?room=lobby&access_token=%2")
                         .arg(base, QString::fromLatin1(tokenFor(QStringLiteral("lobby"))))));
    QVERIFY(connected.wait(10000));

    QProcess publisher;
    publisher.setProcessChannelMode(QProcess::MergedChannels);
    publisher.start(QStringLiteral("gst-launch-1.0"),
                    QStringLiteral("-q filesrc location=%1 ! wavparse ! audioconvert ! "
                                   "audioresample ! audio/x-raw,rate=48000,channels=2 ! avenc_aac "
                                   "! aacparse ! flvmux streamable=true ! rtmp2sink location=%2")
                        .arg(wav, engine.urlFor(QStringLiteral("lobby")))
                        .split(u' '));
    auto finals = [&] {
        QStringList texts;
        for (const QJsonObject &message : received) {
            if (message[QStringLiteral("type")].toString() == u"final")
                texts.append(message[QStringLiteral("segment")][QStringLiteral("text")].toString());
        }
        return texts;
    };
    QTRY_COMPARE_WITH_TIMEOUT(finals().size(), 2, 60000);
    QCOMPARE(finals(), (QStringList{QStringLiteral("Good morning, room."),
                                    QStringLiteral("The transcript arrives live.")}));
    QVERIFY(std::any_of(received.cbegin(), received.cend(), [](const QJsonObject &message) {
        return message[QStringLiteral("type")].toString() == u"partial";
    }));
    for (const QJsonObject &message : received)
        QCOMPARE(message[QStringLiteral("segment")][QStringLiteral("room")].toString(),
                 QStringLiteral("lobby"));
    QVERIFY(publisher.waitForFinished(60000));

    // /health and /metrics describe the engine.
    QByteArray body;
    QVERIFY(run(QStringLiteral("curl"), {QStringLiteral("-sf"), base + QStringLiteral("/health")},
                10000, &body));
    const QJsonObject health = QJsonDocument::fromJson(body).object();
    QVERIFY2(health[QStringLiteral("healthy")].toBool(), body.constData());
    QCOMPARE(health[QStringLiteral("state")].toString(), QStringLiteral("running"));
    QVERIFY(health[QStringLiteral("store")].isObject());
    QVERIFY(health[QStringLiteral("gladia")][QStringLiteral("configured")].toBool());
    QVERIFY(run(QStringLiteral("curl"), {QStringLiteral("-sf"), base + QStringLiteral("/metrics")},
                10000, &body));
    const QString metrics = QString::fromUtf8(body);
    for (const char *family :
         {"roomscribe_up 1", "# TYPE roomscribe_stage_latency_seconds summary",
          "roomscribe_stage_latency_seconds{stage=\"stt_final\",quantile=\"0.99\"}",
          "roomscribe_store_written_total", "roomscribe_transcript_finals_total",
          "roomscribe_gladia_sessions"})
        QVERIFY2(metrics.contains(QLatin1String(family)), family);

    QVERIFY2(engine.stop(60000), engine.readLog().right(4000).constData());
    QByteArray exported;
    QVERIFY2(run(roomscribeBinary(),
                 {QStringLiteral("export"), QStringLiteral("--db"), database,
                  QStringLiteral("--room"), QStringLiteral("lobby"), QStringLiteral("--format"),
                  QStringLiteral("json"), QStringLiteral("--out"), QStringLiteral("-")},
                 30000, &exported),
             exported.constData());
    QStringList stored;
    for (const QJsonValue &segment :
         QJsonDocument::fromJson(exported)[QStringLiteral("segments")].toArray())
        stored.append(segment[QStringLiteral("text")].toString());
    QCOMPARE(stored, finals());
}

QTEST_GUILESS_MAIN(TestEngineHttp)
#include "tst_engine_http.moc"

// Gladia Live v2 wire rules: init URL and body, close codes, init answers,
// server messages (shared/PROTOCOLS.md), and the reconnect backoff.

#include "stt/backoff.h"
#include "stt/gladiaconfig.h"
#include "stt/gladiaprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace roomscribe::stt;

class TestGladiaProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initUrl();
    void initBodyDefaults();
    void initBodyOptionals();
    void closeCodes_data();
    void closeCodes();
    void initOutcomes_data();
    void initOutcomes();
    void errorMessages();
    void initAnswer();
    void transcript();
    void acknowledgement();
    void otherMessages();
    void malformed_data();
    void malformed();
    void backoffBounds();
    void backoffJitters();
};

void TestGladiaProtocol::initUrl()
{
    GladiaConfig config;
    QCOMPARE(gladiaInitUrl(config), QUrl(QStringLiteral("https://api.gladia.io/v2/live")));
    config.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:8080/proxy/"));
    config.region = QStringLiteral("eu-west");
    QCOMPARE(gladiaInitUrl(config),
             QUrl(QStringLiteral("http://127.0.0.1:8080/proxy/v2/live?region=eu-west")));
}

void TestGladiaProtocol::initBodyDefaults()
{
    const QByteArray json = R"({
        "encoding": "wav/pcm", "bit_depth": 16, "sample_rate": 16000, "channels": 1,
        "language_config": {"languages": ["ru", "en"], "code_switching": true},
        "messages_config": {"receive_partial_transcripts": true, "receive_final_transcripts": true,
            "receive_speech_events": true, "receive_acknowledgments": true,
            "receive_errors": true, "receive_lifecycle_events": true}
    })";
    const QJsonObject expected = QJsonDocument::fromJson(json).object();
    QCOMPARE(gladiaInitBody(GladiaConfig()), expected);
}

void TestGladiaProtocol::initBodyOptionals()
{
    GladiaConfig config;
    config.channels = 2;
    config.sampleRate_Hz = 48000;
    config.languages = {QStringLiteral("en")};
    config.codeSwitching = false;
    config.model = QStringLiteral("solaria-1");
    config.endpointing_s = 0.05;
    config.customMetadata = {{QStringLiteral("room"), QStringLiteral("standup")}};
    const QJsonObject body = gladiaInitBody(config);
    QCOMPARE(body.value(u"channels").toInt(), 2);
    QCOMPARE(body.value(u"sample_rate").toInt(), 48000);
    QCOMPARE(body.value(u"model").toString(), QStringLiteral("solaria-1"));
    QCOMPARE(body.value(u"endpointing").toDouble(), 0.05);
    QCOMPARE(body.value(u"language_config").toObject(),
             QJsonObject({{QStringLiteral("languages"), QJsonArray{QStringLiteral("en")}},
                          {QStringLiteral("code_switching"), false}}));
    QCOMPARE(body.value(u"custom_metadata").toObject(), config.customMetadata);
    QCOMPARE(config.bytesPerSecond(), 48000 * 2 * 2);
}

void TestGladiaProtocol::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<CloseAction>("action");
    QTest::newRow("normal") << 1000 << CloseAction::Finish;
    QTest::newRow("going away") << 1001 << CloseAction::Finish;
    QTest::newRow("protocol error") << 1002 << CloseAction::Reconnect;
    QTest::newRow("abnormal") << 1006 << CloseAction::Reconnect;
    QTest::newRow("too big") << 1009 << CloseAction::Reconnect;
    QTest::newRow("server error") << 1011 << CloseAction::Reconnect;
    QTest::newRow("4399") << 4399 << CloseAction::Reconnect;
    QTest::newRow("4400") << 4400 << CloseAction::Fail;
    QTest::newRow("4499") << 4499 << CloseAction::Fail;
    QTest::newRow("4500") << 4500 << CloseAction::Reconnect;
    QTest::newRow("9999") << 9999 << CloseAction::Reconnect;
    QTest::newRow("0") << 0 << CloseAction::Invalid;
    QTest::newRow("999") << 999 << CloseAction::Invalid;
    QTest::newRow("10000") << 10000 << CloseAction::Invalid;
}

void TestGladiaProtocol::closeCodes()
{
    QFETCH(int, code);
    QFETCH(CloseAction, action);
    QCOMPARE(closeActionFor(code), action);
}

void TestGladiaProtocol::initOutcomes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<InitOutcome>("outcome");
    QTest::newRow("201") << 201 << InitOutcome::Created;
    QTest::newRow("200") << 200 << InitOutcome::Created;
    QTest::newRow("no answer") << 0 << InitOutcome::Retry;
    QTest::newRow("408") << 408 << InitOutcome::Retry;
    QTest::newRow("413") << 413 << InitOutcome::Retry;
    QTest::newRow("429") << 429 << InitOutcome::Retry;
    QTest::newRow("500") << 500 << InitOutcome::Retry;
    QTest::newRow("503") << 503 << InitOutcome::Retry;
    QTest::newRow("400") << 400 << InitOutcome::Fail;
    QTest::newRow("401") << 401 << InitOutcome::Fail;
    QTest::newRow("403") << 403 << InitOutcome::Fail;
    QTest::newRow("422") << 422 << InitOutcome::Fail;
}

void TestGladiaProtocol::initOutcomes()
{
    QFETCH(int, status);
    QFETCH(InitOutcome, outcome);
    QCOMPARE(initOutcomeFor(status), outcome);
}

void TestGladiaProtocol::errorMessages()
{
    const QByteArray unauthorized = R"({"timestamp":"t","path":"/v2/live","request_id":"r",
        "statusCode":401,"message":"Invalid or missing x-gladia-key"})";
    QCOMPARE(errorMessageOf(unauthorized), QStringLiteral("Invalid or missing x-gladia-key"));
    const QByteArray invalid = R"({"statusCode":422,"message":["sample_rate must be one of 8000",
        "channels must not be greater than 8"],"validation_errors":["…"]})";
    QCOMPARE(
        errorMessageOf(invalid),
        QStringLiteral("sample_rate must be one of 8000; channels must not be greater than 8"));
    QCOMPARE(errorMessageOf("<html>Bad gateway</html>"), QString());
}

void TestGladiaProtocol::initAnswer()
{
    // Plain literals: moc reads "//" inside raw strings as a comment.
    const QByteArray created = "{\"id\":\"4b2e\",\"created_at\":\"2025-01-01T00:00:00Z\","
                               "\"url\":\"wss://api.gladia.io/v2/live?token=abc\"}";
    const QByteArray httpUrl = "{\"id\":\"4b2e\",\"url\":\"https://api.gladia.io/v2/live\"}";
    const QByteArray noId = "{\"url\":\"ws://127.0.0.1:1/v2/live?token=a\"}";
    QString error;
    const auto answer = parseInitAnswer(created, &error);
    QVERIFY(answer);
    QCOMPARE(answer->id, QStringLiteral("4b2e"));
    QCOMPARE(answer->url, QUrl(QStringLiteral("wss://api.gladia.io/v2/live?token=abc")));
    QVERIFY(!parseInitAnswer(httpUrl, &error));
    QVERIFY(!parseInitAnswer(noId, &error));
    QVERIFY(!parseInitAnswer("not json", &error));
    QVERIFY(!error.isEmpty());
}

void TestGladiaProtocol::transcript()
{
    QString error;
    const QByteArray text = R"({"session_id":"s","created_at":"c",
        "type":"transcript","data":{"id":"00-00000011","is_final":true,
        "utterance":{"start":0.0,"end":0.48,"confidence":0.91,"channel":1,"language":"en",
        "text":" Hello world.","words":[{"word":" Hello","start":0.0,"end":0.35,"confidence":0.91},
        {"word":" world.","start":0.35,"end":0.48,"confidence":0.8}]}}})";
    const ServerMessage message = parseServerMessage(text, &error);
    QCOMPARE(message.type, MessageType::Transcript);
    QCOMPARE(message.utteranceId, QStringLiteral("00-00000011"));
    QVERIFY(message.isFinal);
    QCOMPARE(message.start_s, 0.0);
    QCOMPARE(message.end_s, 0.48);
    QCOMPARE(message.channel, 1);
    QCOMPARE(message.language, QStringLiteral("en"));
    QCOMPARE(message.text, QStringLiteral(" Hello world."));
    QCOMPARE(message.words.size(), size_t(2));
    QCOMPARE(message.words[1].word, QStringLiteral(" world."));
    QCOMPARE(message.words[1].start_s, 0.35);
    QCOMPARE(message.words[1].confidence, 0.8);
    QVERIFY(message.error.isEmpty());
}

void TestGladiaProtocol::acknowledgement()
{
    QString error;
    const QByteArray ack = R"({"type":"audio_chunk","acknowledged":true,"error":null,
            "data":{"byte_range":[1024,2048],"time_range":[0.032,0.064]}})";
    ServerMessage message = parseServerMessage(ack, &error);
    QCOMPARE(message.type, MessageType::AudioChunkAck);
    QVERIFY(message.acknowledged);
    QCOMPARE(message.byteStart, 1024);
    QCOMPARE(message.byteEnd, 2048);
    QVERIFY(message.error.isEmpty());

    message = parseServerMessage(
        R"({"type":"audio_chunk","acknowledged":false,"error":{"message":"bad chunk"},"data":null})",
        &error);
    QCOMPARE(message.type, MessageType::AudioChunkAck);
    QVERIFY(!message.acknowledged);
    QCOMPARE(message.error, QStringLiteral("bad chunk"));
}

void TestGladiaProtocol::otherMessages()
{
    QString error;
    ServerMessage message =
        parseServerMessage(R"({"type":"speech_start","data":{"time":1.24,"channel":0}})", &error);
    QCOMPARE(message.type, MessageType::SpeechStart);
    QCOMPARE(message.time_s, 1.24);
    const QByteArray stopAck = R"({"type":"stop_recording","acknowledged":true,
        "data":{"recording_duration":344.45,"recording_left_to_process":11.23}})";
    message = parseServerMessage(stopAck, &error);
    QCOMPARE(message.type, MessageType::StopRecordingAck);
    QCOMPARE(message.leftToProcess_s, 11.23);
    QCOMPARE(parseServerMessage(R"({"type":"end_session"})", &error).type, MessageType::EndSession);
    QCOMPARE(
        parseServerMessage(R"({"type":"post_final_transcript","data":{"metadata":{}}})", &error)
            .type,
        MessageType::PostFinalTranscript);
    message = parseServerMessage(R"({"type":"translation","data":{}})", &error);
    QCOMPARE(message.type, MessageType::Other);
    QCOMPARE(message.typeName, QStringLiteral("translation"));
}

void TestGladiaProtocol::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("not json") << QByteArray("{\"type\":");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("no type") << QByteArray(R"({"data":{}})");
    QTest::newRow("transcript without utterance")
        << QByteArray(R"({"type":"transcript","data":{"id":"x"}})");
    QTest::newRow("ack without range")
        << QByteArray(R"({"type":"audio_chunk","acknowledged":true,"data":{"byte_range":[1]}})");
}

void TestGladiaProtocol::malformed()
{
    QFETCH(QByteArray, text);
    QString error;
    QCOMPARE(parseServerMessage(text, &error).type, MessageType::Invalid);
    QVERIFY(!error.isEmpty());
}

void TestGladiaProtocol::backoffBounds()
{
    const BackoffConfig config{500, 2.0, 30000};
    Backoff backoff(config, QRandomGenerator(42));
    const int ceilings[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (int ceiling : ceilings) {
        QCOMPARE(backoff.nextCeiling_ms(), ceiling);
        const int delay = backoff.nextDelay_ms();
        QVERIFY2(delay >= 0 && delay <= ceiling, qPrintable(QString::number(delay)));
    }
    QCOMPARE(backoff.failures(), 9);
    backoff.reset();
    QCOMPARE(backoff.nextCeiling_ms(), 500);
}

void TestGladiaProtocol::backoffJitters()
{
    // Full jitter: delays spread over the whole range, not clustered at the ceiling.
    const BackoffConfig config{1000, 2.0, 1000};
    Backoff backoff(config, QRandomGenerator(7));
    int low = 0;
    int high = 0;
    for (int i = 0; i < 1000; ++i) {
        const int delay = backoff.nextDelay_ms();
        QVERIFY(delay >= 0 && delay <= 1000);
        low += delay < 250;
        high += delay > 750;
    }
    QVERIFY2(low > 150 && high > 150, qPrintable(QStringLiteral("%1 %2").arg(low).arg(high)));
}

QTEST_GUILESS_MAIN(TestGladiaProtocol)
#include "tst_gladiaprotocol.moc"

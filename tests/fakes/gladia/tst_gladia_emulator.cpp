#include "gladiaemulator.h"
#include "waituntil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtTest>

#include <memory>

using namespace roomscribe::test;

namespace {

constexpr int kBytesPerSecond = 32000; // 16 kHz mono s16le
constexpr int kChunk = 3200;           // 100 ms
const QByteArray kKey = "test-key";

// Noise: every window of a few bytes occurs once, so offsets are unambiguous.
QByteArray makePcm(int bytes)
{
    QByteArray pcm((bytes + 3) / 4 * 4, Qt::Uninitialized);
    QRandomGenerator generator(7);
    generator.fillRange(reinterpret_cast<quint32 *>(pcm.data()), pcm.size() / 4);
    pcm.truncate(bytes);
    return pcm;
}

QList<ScriptedUtterance> testScript()
{
    return {{0.2, 1.0, "Hello world."},
            {1.5, 2.6, "Second utterance here.", "fr"},
            {2.9, 3.6, "Tail."}};
}

QJsonObject standardConfig()
{
    return QJsonObject{{"encoding", "wav/pcm"},
                       {"bit_depth", 16},
                       {"sample_rate", 16000},
                       {"channels", 1},
                       {"messages_config", QJsonObject{{"receive_partial_transcripts", true},
                                                       {"receive_lifecycle_events", true}}}};
}

struct HttpAnswer
{
    int status = 0;
    QJsonObject body;
};

HttpAnswer request(const QByteArray &method, const QUrl &url, const QByteArray &key = kKey,
                   const QByteArray &body = {})
{
    static auto *network = new QNetworkAccessManager(qApp);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    if (!key.isEmpty())
        request.setRawHeader("x-gladia-key", key);
    QNetworkReply *reply = network->sendCustomRequest(request, method, body);
    if (!waitUntil([reply] { return reply->isFinished(); }, 10000))
        return {};
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return answer;
}

HttpAnswer startSession(const GladiaEmulator &emulator,
                        const QJsonObject &config = standardConfig(), const QByteArray &key = kKey,
                        const QString &query = {})
{
    QUrl url = emulator.apiUrl();
    url.setPath("/v2/live");
    url.setQuery(query);
    return request("POST", url, key, QJsonDocument(config).toJson());
}

// A client of one session, resuming the way the official SDK does: it keeps
// what was not acknowledged and re-sends it after reconnecting to the same URL.
class LiveClient : public QObject
{
public:
    explicit LiveClient(const QUrl &url) : m_url(url) {}

    bool connectSocket()
    {
        m_socket = std::make_unique<QWebSocket>();
        m_closed = false;
        connect(m_socket.get(), &QWebSocket::textMessageReceived, this,
                [this](const QString &text) {
                    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
                    messages << message;
                    if (message.value("type") == QLatin1String("audio_chunk") &&
                        message.value("acknowledged").toBool())
                        acked = message["data"]["byte_range"][1].toInteger();
                });
        connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
            m_closed = true;
            closeCodes << m_socket->closeCode();
        });
        QSignalSpy connected(m_socket.get(), &QWebSocket::connected);
        QSignalSpy failed(m_socket.get(),
                          qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        m_socket->open(m_url);
        return waitUntil([&] { return !connected.isEmpty() || !failed.isEmpty(); }) &&
               !connected.isEmpty();
    }
    bool isOpen() const { return m_socket && !m_closed; }
    bool waitClosed(int timeout_ms = 5000)
    {
        return waitUntil([this] { return m_closed; }, timeout_ms);
    }
    void sendBinary(const QByteArray &data) { m_socket->sendBinaryMessage(data); }
    void close(QWebSocketProtocol::CloseCode code) { m_socket->close(code); }
    void sendText(const QJsonObject &message)
    {
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson()));
    }

    // Streams `pcm` in 100 ms chunks; on a lost connection it reconnects and
    // re-sends from the last acknowledged byte.
    bool stream(const QByteArray &pcm)
    {
        qint64 sent = 0;
        while (sent < pcm.size()) {
            if (!isOpen() && !resume(pcm, sent))
                return false;
            const QByteArray chunk = pcm.mid(sent, kChunk);
            sendBinary(chunk);
            sent += chunk.size();
            QTest::qWait(2);
        }
        // The last chunks may have gone to a connection that was being cut.
        if (!waitUntil([&] { return acked == sent || !isOpen(); }))
            return false;
        return isOpen() || resume(pcm, sent);
    }

    // Reconnects and re-sends what of pcm[0, sent) was not acknowledged.
    bool resume(const QByteArray &pcm, qint64 sent)
    {
        if (!waitClosed() || !connectSocket())
            return false;
        sendBinary(pcm.mid(acked, sent - acked));
        return true;
    }

    bool stop()
    {
        sendText({{"type", "stop_recording"}});
        return waitClosed(10000);
    }

    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &message : messages) {
            if (message.value("type") == type)
                result << message;
        }
        return result;
    }
    QList<QJsonObject> transcripts(bool final) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &message : ofType("transcript")) {
            if (message["data"]["is_final"].toBool() == final)
                result << message;
        }
        return result;
    }
    qsizetype indexOf(const QString &type, const QString &id = {}) const
    {
        for (qsizetype i = 0; i < messages.size(); ++i) {
            if (messages[i].value("type") == type &&
                (id.isEmpty() || messages[i]["data"]["id"].toString() == id))
                return i;
        }
        return -1;
    }

    QList<QJsonObject> messages;
    QList<int> closeCodes;
    qint64 acked = 0;

private:
    QUrl m_url;
    std::unique_ptr<QWebSocket> m_socket;
    bool m_closed = true;
};

} // namespace

class TstGladiaEmulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void initErrors();
    void initFaults();
    void happyPath();
    void base64Chunks();
    void oversizedFrameCloses1009();
    void resumeAfterClose1011();
    void resumeAfterTcpDrop();
    void resendMissingIsReported();
    void referenceFindsGapAndDuplicate();
    void compareAudioFindsShift();
    void slowAcksAndStall();
    void maxSessionDuration();
    void tokensAndJobs();
    void controlEndpoint();
    void concurrentSessions();

private:
    std::unique_ptr<GladiaEmulator> m_emulator;
};

void TstGladiaEmulator::init()
{
    m_emulator = std::make_unique<GladiaEmulator>();
    m_emulator->setApiKey(kKey);
    m_emulator->setScript(testScript());
    QString error;
    QVERIFY2(m_emulator->listen(&error), qPrintable(error));
}

void TstGladiaEmulator::initErrors()
{
    HttpAnswer answer = startSession(*m_emulator, standardConfig(), QByteArray());
    QCOMPARE(answer.status, 401);
    for (const char *field : {"timestamp", "path", "request_id", "message"})
        QVERIFY2(answer.body.value(field).isString(), field);
    QCOMPARE(answer.body.value("statusCode").toInt(), 401);
    QCOMPARE(answer.body.value("path").toString(), QString("/v2/live"));

    answer = startSession(*m_emulator, standardConfig(), "wrong-key");
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.body.value("message").toString(), QString("Invalid API key"));

    answer =
        startSession(*m_emulator, {{"sample_rate", 12345}, {"channels", 9}, {"encoding", "mp3"}});
    QCOMPARE(answer.status, 422);
    QCOMPARE(answer.body.value("statusCode").toInt(), 422);
    QCOMPARE(answer.body.value("validation_errors").toArray().size(), 3);
    QVERIFY(answer.body.value("message").toString().contains("sample_rate"));

    answer = startSession(*m_emulator, {{"bit_depth", 16}, {"encoding", "wav/alaw"}});
    QCOMPARE(answer.status, 422);

    QUrl url = m_emulator->apiUrl();
    url.setPath("/v2/live");
    answer = request("POST", url, kKey, "{not json");
    QCOMPARE(answer.status, 400);
    QVERIFY(answer.body.value("message").toString().startsWith("Invalid JSON body"));

    answer = startSession(*m_emulator, standardConfig(), kKey, "region=mars");
    QCOMPARE(answer.status, 422);
    QVERIFY(m_emulator->sessions().isEmpty());

    // Unknown fields are tolerated; the URL is absolute, as the SDK needs.
    QJsonObject config = standardConfig();
    config.insert("future_option", QJsonObject{{"x", 1}});
    answer = startSession(*m_emulator, config, kKey, "region=eu-west");
    QCOMPARE(answer.status, 201);
    QVERIFY(!answer.body.value("id").toString().isEmpty());
    QVERIFY(!answer.body.value("created_at").toString().isEmpty());
    const QUrl wsUrl(answer.body.value("url").toString());
    QCOMPARE(wsUrl.scheme(), QString("ws"));
    QCOMPARE(wsUrl.port(), int(m_emulator->port()));
    QCOMPARE(wsUrl.path(), QString("/v2/live"));
    QVERIFY(!QUrlQuery(wsUrl).queryItemValue("token").isEmpty());
    QCOMPARE(m_emulator->sessions().size(), 1);
}

void TstGladiaEmulator::initFaults()
{
    m_emulator->faults().initErrorStatus = 429;
    m_emulator->faults().initErrorCount = 2;
    QCOMPARE(startSession(*m_emulator).status, 429);
    const HttpAnswer refused = startSession(*m_emulator);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.body.value("statusCode").toInt(), 429);
    QCOMPARE(startSession(*m_emulator).status, 201);

    m_emulator->faults().initErrorStatus = 500;
    m_emulator->faults().initErrorCount = -1;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(startSession(*m_emulator).status, 500);
    m_emulator->faults().initErrorStatus = 422;
    const HttpAnswer invalid = startSession(*m_emulator);
    QCOMPARE(invalid.status, 422);
    QVERIFY(!invalid.body.value("validation_errors").toArray().isEmpty());
}

void TstGladiaEmulator::happyPath()
{
    const QByteArray pcm = makePcm(int(3.2 * kBytesPerSecond));
    m_emulator->setReference(pcm);
    QSignalSpy finished(m_emulator.get(), &GladiaEmulator::sessionFinished);
    const HttpAnswer answer = startSession(*m_emulator);
    QCOMPARE(answer.status, 201);
    const QString id = answer.body.value("id").toString();

    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    for (qsizetype offset = 0; offset < pcm.size(); offset += kChunk) {
        client.sendBinary(pcm.mid(offset, kChunk));
        QTest::qWait(1);
    }
    QVERIFY(waitUntil([&] { return client.acked == pcm.size(); }));

    // Acknowledgements: contiguous [start, end) byte ranges, times from them.
    const QList<QJsonObject> acks = client.ofType("audio_chunk");
    QCOMPARE(acks.size(), (pcm.size() + kChunk - 1) / kChunk);
    qint64 expected = 0;
    for (const QJsonObject &ack : acks) {
        QVERIFY(ack.value("acknowledged").toBool());
        QVERIFY(ack.value("error").isNull());
        const QJsonArray range = ack["data"]["byte_range"].toArray();
        QCOMPARE(range[0].toInteger(), expected);
        QCOMPARE(range[1].toInteger(), qMin<qint64>(expected + kChunk, pcm.size()));
        const QJsonArray times = ack["data"]["time_range"].toArray();
        QCOMPARE(times[0].toDouble(), double(range[0].toInteger()) / kBytesPerSecond);
        QCOMPARE(times[1].toDouble(), double(range[1].toInteger()) / kBytesPerSecond);
        expected = range[1].toInteger();
    }

    // Two utterances ended within the audio: partial, then final, same id.
    QCOMPARE(client.transcripts(true).size(), 2);
    const QList<QJsonObject> partials = client.transcripts(false);
    QCOMPARE(partials.size(), 2); // the third one's middle is past the audio
    QCOMPARE(partials[0]["data"]["id"].toString(), QString("00-00000000"));
    QCOMPARE(partials[0]["data"]["utterance"]["text"].toString(), QString(" Hello"));
    const QJsonObject first = client.transcripts(true).first()["data"].toObject();
    QCOMPARE(first["id"].toString(), QString("00-00000000"));
    const QJsonObject utterance = first["utterance"].toObject();
    QCOMPARE(utterance["text"].toString(), QString(" Hello world."));
    QCOMPARE(utterance["start"].toDouble(), 0.2);
    QCOMPARE(utterance["end"].toDouble(), 1.0);
    QCOMPARE(utterance["channel"].toInt(), 0);
    QCOMPARE(utterance["language"].toString(), QString("en"));
    QVERIFY(utterance["confidence"].toDouble() > 0);
    const QJsonArray words = utterance["words"].toArray();
    QCOMPARE(words.size(), 2);
    QCOMPARE(words[0]["word"].toString(), QString(" Hello"));
    QCOMPARE(words[1]["end"].toDouble(), 1.0);
    QCOMPARE(client.transcripts(true).at(1)["data"]["utterance"]["language"].toString(),
             QString("fr"));
    for (const QString &utteranceId : {QString("00-00000000"), QString("00-00000001")}) {
        QVERIFY(client.indexOf("transcript", utteranceId) >= 0);
    }
    QVERIFY(client.indexOf("speech_start") < client.indexOf("speech_end"));

    QVERIFY(client.stop());
    QCOMPARE(client.closeCodes, QList<int>{1000});
    // The third utterance was still open at the end of the audio.
    QCOMPARE(client.transcripts(true).size(), 3);
    QCOMPARE(client.transcripts(true).at(2)["data"]["id"].toString(), QString("00-00000002"));
    const qsizetype stopAck = client.indexOf("stop_recording");
    QVERIFY(stopAck > 0);
    const QJsonObject stop = client.messages[stopAck];
    QVERIFY(stop.value("acknowledged").toBool());
    QCOMPARE(stop["data"]["recording_duration"].toDouble(), 3.2);
    QCOMPARE(stop["data"]["recording_left_to_process"].toDouble(), 0.6);
    QStringList tail;
    for (qsizetype i = stopAck; i < client.messages.size(); ++i)
        tail << client.messages[i].value("type").toString();
    QCOMPARE(tail, QStringList({"stop_recording", "speech_end", "transcript", "end_recording",
                                "post_transcript", "post_final_transcript", "end_session"}));
    const QJsonObject post = client.ofType("post_transcript").first()["data"].toObject();
    QCOMPARE(post["full_transcript"].toString(),
             QString("Hello world. Second utterance here. Tail."));
    QCOMPARE(post["utterances"].toArray().size(), 3);
    const QJsonObject finalResult =
        client.ofType("post_final_transcript").first()["data"].toObject();
    QCOMPARE(finalResult["metadata"]["audio_duration"].toDouble(), 3.2);
    QCOMPARE(finalResult["transcription"]["utterances"].toArray().size(), 3);
    QCOMPARE(client.ofType("start_session").size(), 1);
    QCOMPARE(client.ofType("start_recording").size(), 1);
    for (const QJsonObject &message : client.messages) {
        QCOMPARE(message.value("session_id").toString(), id);
        QVERIFY(!message.value("created_at").toString().isEmpty());
    }

    QTRY_COMPARE(finished.size(), 1);
    const SessionReport report = finished.first().first().value<SessionReport>();
    QCOMPARE(report.id, id);
    QCOMPARE(report.state, QString("finished"));
    QVERIFY(report.reference.equal);
    QCOMPARE(report.bytesReceived, qint64(pcm.size()));
    QCOMPARE(report.sha256, QCryptographicHash::hash(pcm, QCryptographicHash::Sha256).toHex());
    QCOMPARE(report.connections, 1);
    QVERIFY(report.errors.isEmpty());
    QCOMPARE(report.messagesSent, int(client.messages.size()));
    QVERIFY(report.stopReceived);
}

void TstGladiaEmulator::base64Chunks()
{
    const QByteArray pcm = makePcm(10 * kChunk);
    m_emulator->setReference(pcm);
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    for (qsizetype offset = 0; offset < pcm.size(); offset += kChunk) {
        client.sendText(
            {{"type", "audio_chunk"},
             {"data",
              QJsonObject{{"chunk", QString::fromLatin1(pcm.mid(offset, kChunk).toBase64())}}}});
    }
    QVERIFY(waitUntil([&] { return client.acked == pcm.size(); }));
    client.sendText({{"type", "audio_chunk"}, {"data", QJsonObject{{"chunk", "@@not base64@@"}}}});
    QVERIFY(waitUntil([&] {
        const QList<QJsonObject> acks = client.ofType("audio_chunk");
        return !acks.last().value("acknowledged").toBool();
    }));
    const QJsonObject refused = client.ofType("audio_chunk").last();
    QVERIFY(refused.value("data").isNull());
    QVERIFY(!refused["error"]["message"].toString().isEmpty());
    QVERIFY(client.stop());
    const SessionReport report = m_emulator->sessions().first();
    QVERIFY(report.reference.equal);
    QCOMPARE(report.errors.size(), 1);
}

void TstGladiaEmulator::oversizedFrameCloses1009()
{
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    client.sendBinary(QByteArray(1024 * 1024, 'x'));
    QVERIFY(waitUntil([&] { return client.acked == 1024 * 1024; }));
    client.sendBinary(QByteArray(1024 * 1024 + 1, 'y'));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCodes, QList<int>{1009});
    const SessionReport report = m_emulator->sessions().first();
    QCOMPARE(report.bytesReceived, 1024 * 1024);
    QCOMPARE(report.closes.size(), 1);
    QCOMPARE(report.closes.first().code, 1009);
    QCOMPARE(report.closes.first().by, QString("emulator"));
    QCOMPARE(report.state, QString("waiting")); // a client may still resume
}

void TstGladiaEmulator::resumeAfterClose1011()
{
    const QByteArray pcm = makePcm(int(3.2 * kBytesPerSecond));
    m_emulator->setReference(pcm);
    m_emulator->faults().close = {40000, false};
    m_emulator->faults().closeCode = 1011;
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    QVERIFY(client.stream(pcm));
    QVERIFY(client.stop());
    QCOMPARE(client.closeCodes, QList<int>({1011, 1000}));

    const SessionReport report = m_emulator->sessions().first();
    QVERIFY2(report.reference.equal, qPrintable(QJsonDocument(report.toJson()).toJson()));
    QCOMPARE(report.connections, 2);
    QCOMPARE(report.reconnects(), 1);
    // The chunk that crossed 40000 bytes was kept but not acknowledged.
    QCOMPARE(report.overlapBytes, kChunk);
    QCOMPARE(report.closes.first().code, 1011);
    QCOMPARE(report.closes.first().by, QString("emulator"));
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join('\n')));
    // No final is sent twice across connections.
    QCOMPARE(client.transcripts(true).size(), 3);
    QCOMPARE(client.ofType("start_session").size(), 1);
}

void TstGladiaEmulator::resumeAfterTcpDrop()
{
    const QByteArray pcm = makePcm(2 * kBytesPerSecond);
    m_emulator->setReference(pcm);
    m_emulator->faults().drop = {20000, true};
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    QVERIFY(client.stream(pcm));
    QVERIFY(client.stop());

    const SessionReport report = m_emulator->sessions().first();
    QVERIFY2(report.reference.equal, qPrintable(QJsonDocument(report.toJson()).toJson()));
    // Cut once the session holds 20000 bytes (at 22400), then 20000 more.
    QCOMPARE(report.connections, 3);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(report.closes[i].code, 1006);
        QCOMPARE(report.closes[i].by, QString("emulator"));
    }
    QCOMPARE(report.overlapBytes, 2 * kChunk);
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join('\n')));
}

void TstGladiaEmulator::resendMissingIsReported()
{
    // A client that does not re-send unacknowledged audio after a reconnect.
    const QByteArray pcm = makePcm(20 * kChunk);
    m_emulator->setReference(pcm);
    m_emulator->faults().close = {5 * kChunk, false};
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    for (int i = 0; i < 5; ++i)
        client.sendBinary(pcm.mid(i * kChunk, kChunk));
    QVERIFY(client.waitClosed());
    QVERIFY(client.connectSocket());
    client.sendBinary(pcm.mid(5 * kChunk));
    QVERIFY(waitUntil([&] { return client.acked == pcm.size(); }));
    QVERIFY(client.stop());
    const SessionReport report = m_emulator->sessions().first();
    QCOMPARE(report.errors.size(), 1);
    QVERIFY(report.errors.first().contains("matches no acknowledged offset"));
}

void TstGladiaEmulator::referenceFindsGapAndDuplicate()
{
    const QByteArray pcm = makePcm(30 * kChunk);
    m_emulator->setReference(pcm);
    m_emulator->setScript({});

    // A bridge that loses 1000 bytes of one chunk.
    HttpAnswer answer = startSession(*m_emulator);
    LiveClient lossy(QUrl(answer.body.value("url").toString()));
    QVERIFY(lossy.connectSocket());
    for (qsizetype offset = 0; offset < pcm.size(); offset += kChunk)
        lossy.sendBinary(offset == 12 * kChunk ? pcm.mid(offset + 1000, kChunk - 1000)
                                               : pcm.mid(offset, kChunk));
    QVERIFY(waitUntil([&] { return lossy.acked == pcm.size() - 1000; }));
    QVERIFY(lossy.stop());
    SessionReport report = m_emulator->session(answer.body.value("id").toString());
    QVERIFY(!report.reference.equal);
    QCOMPARE(report.reference.firstDifference, 12 * kChunk);
    QCOMPARE(report.reference.missingBytes, 1000);
    QCOMPARE(report.reference.duplicatedBytes, 0);
    QCOMPARE(report.toJson().value("matches_reference").toBool(true), false);

    // A bridge that sends one chunk twice.
    answer = startSession(*m_emulator);
    LiveClient doubled(QUrl(answer.body.value("url").toString()));
    QVERIFY(doubled.connectSocket());
    for (qsizetype offset = 0; offset < pcm.size(); offset += kChunk) {
        doubled.sendBinary(pcm.mid(offset, kChunk));
        if (offset == 7 * kChunk)
            doubled.sendBinary(pcm.mid(offset, kChunk));
    }
    QVERIFY(waitUntil([&] { return doubled.acked == pcm.size() + kChunk; }));
    QVERIFY(doubled.stop());
    report = m_emulator->session(answer.body.value("id").toString());
    QVERIFY(!report.reference.equal);
    QCOMPARE(report.reference.firstDifference, 8 * kChunk);
    QCOMPARE(report.reference.duplicatedBytes, kChunk);
    QCOMPARE(report.reference.missingBytes, 0);
}

void TstGladiaEmulator::compareAudioFindsShift()
{
    const QByteArray reference = makePcm(8000);
    QVERIFY(compareAudio(reference, reference).equal);
    AudioComparison result = compareAudio(reference, reference.left(5000));
    QCOMPARE(result.firstDifference, 5000);
    QCOMPARE(result.missingBytes, 3000);
    result = compareAudio(reference, reference + reference.left(10));
    QCOMPARE(result.firstDifference, 8000);
    QCOMPARE(result.duplicatedBytes, 10);
    result = compareAudio(reference, reference.left(4000) + reference.mid(4400));
    QCOMPARE(result.firstDifference, 4000);
    QCOMPARE(result.missingBytes, 400);
    QByteArray reordered = reference;
    std::swap_ranges(reordered.begin() + 1000, reordered.begin() + 2000, reordered.begin() + 2000);
    result = compareAudio(reference, reordered);
    QVERIFY(!result.equal);
    QCOMPARE(result.firstDifference, 1000);
}

void TstGladiaEmulator::slowAcksAndStall()
{
    const QByteArray pcm = makePcm(10 * kChunk);
    m_emulator->setReference(pcm);
    m_emulator->faults().ackDelay_ms = 300;
    const HttpAnswer answer = startSession(*m_emulator);
    const QString id = answer.body.value("id").toString();
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());

    QElapsedTimer clock;
    clock.start();
    client.sendBinary(pcm.left(kChunk));
    QVERIFY(waitUntil([&] { return client.acked == kChunk; }));
    QVERIFY(clock.elapsed() >= 250);

    GladiaFaults faults = m_emulator->faults();
    faults.ackDelay_ms = 0;
    faults.stall = {2 * kChunk, false};
    faults.stall_ms = 1000;
    QVERIFY(m_emulator->setSessionFaults(id, faults));
    client.sendBinary(pcm.mid(kChunk, kChunk)); // reaches 2 chunks: the stall starts
    QVERIFY(waitUntil([&] { return client.acked == 2 * kChunk; }));
    clock.restart();
    client.sendBinary(pcm.mid(2 * kChunk, kChunk));
    client.sendText({{"type", "stop_recording"}});
    QTest::qWait(300);
    QCOMPARE(client.acked, 2 * kChunk);
    QVERIFY(client.waitClosed());
    QVERIFY(clock.elapsed() >= 800);
    QCOMPARE(client.acked, 3 * kChunk);
    QCOMPARE(client.closeCodes, QList<int>{1000});
}

void TstGladiaEmulator::maxSessionDuration()
{
    m_emulator->faults().maxSession_ms = 1000;
    QSignalSpy finished(m_emulator.get(), &GladiaEmulator::sessionFinished);
    const HttpAnswer answer = startSession(*m_emulator);
    LiveClient client(QUrl(answer.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    client.sendBinary(makePcm(40 * kChunk)); // 4 s: every utterance heard
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCodes, QList<int>{1000});
    QCOMPARE(client.transcripts(true).size(), 3);
    QVERIFY(client.indexOf("end_session") > 0);
    QCOMPARE(client.indexOf("stop_recording"), -1);
    QCOMPARE(finished.size(), 1);
}

void TstGladiaEmulator::tokensAndJobs()
{
    const HttpAnswer answer = startSession(*m_emulator);
    const QString id = answer.body.value("id").toString();
    QUrl wsUrl(answer.body.value("url").toString());

    QUrl badToken = wsUrl;
    badToken.setQuery("token=nope");
    LiveClient intruder(badToken);
    QVERIFY(!intruder.connectSocket());

    QUrl jobUrl = m_emulator->apiUrl();
    jobUrl.setPath("/v2/live/" + id);
    HttpAnswer job = request("GET", jobUrl);
    QCOMPARE(job.status, 200);
    QCOMPARE(job.body.value("status").toString(), QString("processing"));
    QCOMPARE(request("GET", jobUrl, "wrong").status, 401);

    LiveClient client(wsUrl);
    QVERIFY(client.connectSocket());
    client.sendBinary(makePcm(kChunk));
    QVERIFY(client.stop());
    // A finished session's URL no longer connects.
    LiveClient late(wsUrl);
    QVERIFY(!late.connectSocket());
    job = request("GET", jobUrl);
    QCOMPARE(job.body.value("status").toString(), QString("done"));
    QCOMPARE(std::as_const(job.body)["result"]["metadata"]["audio_duration"].toDouble(), 0.1);
    QCOMPARE(request("DELETE", jobUrl).status, 202);
    jobUrl.setPath("/v2/live/unknown");
    QCOMPARE(request("GET", jobUrl).status, 404);

    // A client closing with 1000 instead of stop_recording ends its session.
    const HttpAnswer second = startSession(*m_emulator);
    LiveClient closer(QUrl(second.body.value("url").toString()));
    QVERIFY(closer.connectSocket());
    QSignalSpy finished(m_emulator.get(), &GladiaEmulator::sessionFinished);
    closer.sendText({{"type", "noise"}});
    closer.close(QWebSocketProtocol::CloseCodeNormal);
    QTRY_COMPARE(finished.size(), 1);
    const SessionReport report = finished.first().first().value<SessionReport>();
    QCOMPARE(report.id, second.body.value("id").toString());
    QCOMPARE(report.closes.size(), 1);
    QCOMPARE(report.closes.first().code, 1000);
    QCOMPARE(report.closes.first().by, QString("client"));
    QCOMPARE(report.errors.size(), 1);
    QVERIFY(report.errors.first().startsWith("unexpected text message"));
    QVERIFY(!report.stopReceived);
}

void TstGladiaEmulator::controlEndpoint()
{
    const QByteArray pcm = makePcm(10 * kChunk);
    m_emulator->setReference(pcm);
    QUrl faultsUrl = m_emulator->apiUrl();
    faultsUrl.setPath("/_emulator/faults");
    HttpAnswer answer =
        request("POST", faultsUrl, {}, R"({"init_error": 503, "init_error_count": 1})");
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.body.value("init_error").toInt(), 503);
    QCOMPARE(startSession(*m_emulator).status, 503);
    const HttpAnswer created = startSession(*m_emulator);
    QCOMPARE(created.status, 201);
    const QString id = created.body.value("id").toString();
    answer = request(
        "POST", faultsUrl, {},
        QJsonDocument(QJsonObject{{"session", id}, {"close_after", 0}, {"close_code", 4400}})
            .toJson());
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.body.value("close_code").toInt(), 4400);

    LiveClient client(QUrl(created.body.value("url").toString()));
    QVERIFY(client.connectSocket());
    client.sendBinary(pcm.left(kChunk));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCodes, QList<int>{4400});

    QUrl sessionsUrl = m_emulator->apiUrl();
    sessionsUrl.setPath("/_emulator/sessions");
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(sessionsUrl));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(5000));
    const QJsonArray sessions = QJsonDocument::fromJson(reply->readAll()).array();
    reply->deleteLater();
    QCOMPARE(sessions.size(), 1);
    const QJsonObject session = sessions.first().toObject();
    QCOMPARE(session.value("id").toString(), id);
    QCOMPARE(session.value("bytes_received").toInteger(), kChunk);
    QCOMPARE(session.value("matches_reference").toBool(true), false);
    QCOMPARE(session.value("first_difference").toInteger(), kChunk);
    QCOMPARE(session.value("missing_bytes").toInteger(), pcm.size() - kChunk);
    QCOMPARE(session.value("connections").toInt(), 1);
    QCOMPARE(session["closes"][0]["code"].toInt(), 4400);
    QCOMPARE(session.value("sha256").toString(),
             QString::fromLatin1(
                 QCryptographicHash::hash(pcm.left(kChunk), QCryptographicHash::Sha256).toHex()));
}

void TstGladiaEmulator::concurrentSessions()
{
    constexpr int kSessions = 200;
    const QByteArray pcm = makePcm(10 * kChunk);
    m_emulator->setReference(pcm);
    m_emulator->setScript({{0.2, 0.8, "Many sessions."}});
    m_emulator->faults().close = {5 * kChunk, false};
    QSignalSpy finished(m_emulator.get(), &GladiaEmulator::sessionFinished);

    std::vector<std::unique_ptr<LiveClient>> clients;
    for (int i = 0; i < kSessions; ++i) {
        const HttpAnswer answer = startSession(*m_emulator);
        QCOMPARE(answer.status, 201);
        clients.push_back(std::make_unique<LiveClient>(QUrl(answer.body.value("url").toString())));
        QVERIFY(clients.back()->connectSocket());
    }
    // Interleaved: every session gets a chunk before any gets the next.
    for (qsizetype offset = 0; offset < pcm.size(); offset += kChunk) {
        for (auto &client : clients) {
            if (!client->isOpen())
                QVERIFY(client->resume(pcm, offset));
            client->sendBinary(pcm.mid(offset, kChunk));
        }
        QTest::qWait(20);
    }
    for (auto &client : clients) {
        QVERIFY(waitUntil([&] { return client->acked == pcm.size() || !client->isOpen(); }));
        if (!client->isOpen())
            QVERIFY(client->resume(pcm, pcm.size()));
        client->sendText({{"type", "stop_recording"}});
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), kSessions, 30000);
    const QList<SessionReport> reports = m_emulator->sessions();
    QCOMPARE(reports.size(), kSessions);
    for (const SessionReport &report : reports) {
        QVERIFY2(report.reference.equal, qPrintable(report.id));
        QCOMPARE(report.connections, 2);
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join('\n')));
        QCOMPARE(report.messagesByType.value("transcript"), 2); // partial and final
    }
}

QTEST_GUILESS_MAIN(TstGladiaEmulator)
#include "tst_gladia_emulator.moc"

// GladiaLiveSession against the in-process Gladia emulator: scripted
// transcripts, byte-exact delivery through closes and drops, refusals,
// retries, exact drop accounting beyond the buffer bound, bounded stop; and
// against a hostile server that sends garbage.

#include "core/clock.h"
#include "gladiatestsupport.h"
#include "stt/gladialivesession.h"

#include "gladiaemulator.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace roomscribe::stt;
using roomscribe::media::PcmChunk;
using roomscribe::test::fastGladiaConfig;
using roomscribe::test::GladiaEmulator;
using roomscribe::test::noiseAudio;
using roomscribe::test::ScriptedUtterance;
using roomscribe::test::SessionReport;

namespace {

constexpr int kChunkBytes = 3200; // 100 ms of 16 kHz mono s16le
constexpr int kAudio_ms = 6000;
constexpr int kTimeout_ms = 20000;
const QByteArray kKey = QByteArrayLiteral("test-key");

QList<ScriptedUtterance> testScript()
{
    ScriptedUtterance hello;
    hello.start_s = 0.5;
    hello.end_s = 1.5;
    hello.text = QStringLiteral("hello world");
    ScriptedUtterance privet;
    privet.start_s = 2.0;
    privet.end_s = 3.5;
    privet.text = QStringLiteral("привет всем");
    privet.language = QStringLiteral("ru");
    ScriptedUtterance fox;
    fox.start_s = 4.0;
    fox.end_s = 5.6;
    fox.text = QStringLiteral("the quick brown fox");
    return {hello, privet, fox};
}

PcmChunk chunkOf(const QByteArray &audio, int index)
{
    PcmChunk chunk;
    chunk.pcm = audio.mid(qsizetype(index) * kChunkBytes, kChunkBytes);
    chunk.sequence = uint64_t(index);
    chunk.firstSample = uint64_t(index) * kChunkBytes / 2;
    chunk.ready_ns = roomscribe::monotonicNow_ns();
    chunk.firstArrival_ns = chunk.ready_ns - 100000000;
    chunk.lastArrival_ns = chunk.ready_ns;
    return chunk;
}

int chunkCount(const QByteArray &audio)
{
    return int((audio.size() + kChunkBytes - 1) / kChunkBytes);
}

// Fast retries so faults cost milliseconds, and nothing that times out on its
// own while a test runs.
// The finals match the script once each, at its times.
void verifyFinals(const std::vector<TranscriptSegment> &segments)
{
    const QList<ScriptedUtterance> script = testScript();
    QSet<QString> ids;
    std::vector<const TranscriptSegment *> finals;
    for (const TranscriptSegment &segment : segments) {
        if (!segment.isFinal)
            continue;
        QVERIFY2(!ids.contains(segment.utteranceId), qPrintable(segment.utteranceId));
        ids.insert(segment.utteranceId);
        finals.push_back(&segment);
    }
    QCOMPARE(finals.size(), size_t(script.size()));
    for (qsizetype i = 0; i < script.size(); ++i) {
        QCOMPARE(finals[size_t(i)]->text, script[i].text);
        QCOMPARE(finals[size_t(i)]->language, script[i].language);
        QCOMPARE(finals[size_t(i)]->start_ms, qRound64(script[i].start_s * 1000));
        QCOMPARE(finals[size_t(i)]->end_ms, qRound64(script[i].end_s * 1000));
        QVERIFY(finals[size_t(i)]->wallClock.isValid());
        QVERIFY(!finals[size_t(i)]->words.empty());
    }
}

// Answers POST /v2/live with a session whose WebSocket URL is `webSocketUrl`:
// for servers the emulator cannot play.
class InitResponder : public QTcpServer
{
public:
    explicit InitResponder(const QUrl &webSocketUrl) : m_webSocketUrl(webSocketUrl)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
        });
    }
    QUrl apiUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }

private:
    void answer(QTcpSocket *socket)
    {
        const QByteArray request = socket->peek(socket->bytesAvailable()).toLower();
        const qsizetype headerEnd = request.indexOf("\r\n\r\n");
        const qsizetype lengthAt = request.indexOf("content-length: ");
        if (headerEnd < 0 || lengthAt < 0 ||
            request.size() < headerEnd + 4 + request.mid(lengthAt + 16, 8).split('\r')[0].toInt())
            return;
        socket->readAll();
        const QByteArray body =
            QJsonDocument(QJsonObject{{"id", "handmade-1"}, {"url", m_webSocketUrl.toString()}})
                .toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    const QUrl m_webSocketUrl;
};

} // namespace

class TestGladiaSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void happyPath();
    void resumesAfterFaults_data();
    void resumesAfterFaults();
    void refusals_data();
    void refusals();
    void retriesInit_data();
    void retriesInit();
    void failsOnClose4400();
    void dropsBeyondBufferBound();
    void stopWhileReconnecting();
    void stopIsBounded();
    void survivesGarbage();
    void givesUpUnreachableSession();

private:
    void startSession(const GladiaConfig &config);
    // One chunk per event-loop turn of interval_ms, so acknowledgements flow
    // while audio does.
    void feed(int from, int to, int interval_ms = 2);
    void stopAndWait();
    SessionReport onlyReport();

    std::unique_ptr<GladiaEmulator> m_emulator;
    QNetworkAccessManager m_network;
    std::unique_ptr<GladiaLiveSession> m_session;
    std::vector<TranscriptSegment> m_segments;
    std::vector<SessionState> m_states;
    QByteArray m_audio;
};

void TestGladiaSession::init()
{
    m_emulator = std::make_unique<GladiaEmulator>();
    QString error;
    QVERIFY2(m_emulator->listen(&error), qPrintable(error));
    m_emulator->setApiKey(QString::fromLatin1(kKey));
    m_emulator->setScript(testScript());
    m_audio = noiseAudio(kAudio_ms, 12345);
    m_emulator->setReference(m_audio);
    m_segments.clear();
    m_states.clear();
}

void TestGladiaSession::cleanup()
{
    m_session.reset();
    m_emulator.reset();
}

void TestGladiaSession::startSession(const GladiaConfig &config)
{
    m_session = std::make_unique<GladiaLiveSession>(config, &m_network);
    connect(m_session.get(), &GladiaLiveSession::transcript, this,
            [this](const TranscriptSegment &segment) { m_segments.push_back(segment); });
    connect(m_session.get(), &GladiaLiveSession::stateChanged, this, [this](SessionState state) {
        if (m_states.empty() || m_states.back() != state)
            m_states.push_back(state);
    });
    m_session->start();
}

void TestGladiaSession::feed(int from, int to, int interval_ms)
{
    for (int i = from; i < to; ++i) {
        m_session->pushChunk(chunkOf(m_audio, i));
        QTest::qWait(interval_ms);
    }
}

void TestGladiaSession::stopAndWait()
{
    m_session->stop();
    QTRY_VERIFY_WITH_TIMEOUT(isEnded(m_session->state()), kTimeout_ms);
}

SessionReport TestGladiaSession::onlyReport()
{
    const QList<SessionReport> reports = m_emulator->sessions();
    if (reports.size() != 1) {
        qWarning() << "expected one emulator session, have" << reports.size();
        return {};
    }
    return reports.first();
}

void TestGladiaSession::happyPath()
{
    startSession(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Streaming, kTimeout_ms);
    feed(0, chunkCount(m_audio));
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);
    QCOMPARE(m_session->detail(), QString());

    const SessionReport report = onlyReport();
    QVERIFY(report.stopReceived);
    QVERIFY2(report.reference.equal, qPrintable(QJsonDocument(report.toJson()).toJson()));
    QCOMPARE(report.connections, 1);
    QCOMPARE(report.overlapBytes, 0);
    QVERIFY(report.errors.isEmpty());
    QCOMPARE(m_session->sessionId(), report.id);

    verifyFinals(m_segments);
    QVERIFY(std::any_of(m_segments.begin(), m_segments.end(),
                        [](const TranscriptSegment &segment) { return !segment.isFinal; }));
    const std::vector<SessionState> expected{SessionState::Initializing, SessionState::Connecting,
                                             SessionState::Streaming, SessionState::Stopping,
                                             SessionState::Finished};
    QCOMPARE(m_states, expected);

    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.bytesPushed, uint64_t(m_audio.size()));
    QCOMPARE(stats.bytesSent, uint64_t(m_audio.size()));
    QCOMPARE(stats.bytesAcknowledged, uint64_t(m_audio.size()));
    QCOMPARE(stats.bytesBuffered, 0u);
    QCOMPARE(stats.bytesDropped, 0u);
    QCOMPARE(stats.bytesResent, 0u);
    QCOMPARE(stats.reconnects, 0u);
    QCOMPARE(stats.finals, 3u);
    QVERIFY(stats.partials > 0);
    QCOMPARE(stats.malformedMessages, 0u);
    QCOMPARE(stats.latencies.send.count(), uint64_t(chunkCount(m_audio)));
    QVERIFY(stats.latencies.ackRoundTrip.count() > 0);
    QCOMPARE(stats.latencies.sttFinal.count(), 3u);
    QVERIFY(stats.latencies.sttPartial.count() > 0);
    // Taking the stats starts a new interval for the latencies, not for the counters.
    const GladiaStats again = m_session->takeStats();
    QCOMPARE(again.latencies.send.count(), 0u);
    QCOMPARE(again.bytesAcknowledged, uint64_t(m_audio.size()));
}

void TestGladiaSession::resumesAfterFaults_data()
{
    QTest::addColumn<QJsonObject>("faults");
    // Random points (the row names say which), within the 192000 bytes sent.
    auto *random = QRandomGenerator::global();
    for (int run = 1; run <= 3; ++run) {
        const int every = int(random->bounded(16000, 150000));
        QTest::addRow("close 1011 every %d bytes", every)
            << QJsonObject{{"close_after", every}, {"close_repeat", true}, {"close_code", 1011}};
    }
    const int dropAt = int(random->bounded(1, 150000));
    QTest::addRow("TCP drop at %d", dropAt) << QJsonObject{{"drop_after", dropAt}};
    QTest::newRow("TCP drops every 40000 bytes")
        << QJsonObject{{"drop_after", 40000}, {"drop_repeat", true}};
    QTest::newRow("slow acknowledgements") << QJsonObject{{"ack_delay_ms", 300}};
    QTest::newRow("close 1011 with slow acknowledgements")
        << QJsonObject{{"close_after", 64000}, {"close_code", 1011}, {"ack_delay_ms", 300}};
}

void TestGladiaSession::resumesAfterFaults()
{
    QFETCH(QJsonObject, faults);
    m_emulator->faults().merge(faults);
    startSession(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    feed(0, chunkCount(m_audio));
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);

    const SessionReport report = onlyReport();
    QVERIFY2(report.reference.equal, qPrintable(QJsonDocument(report.toJson()).toJson()));
    QCOMPARE(report.resendMismatchBytes, 0);
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(u'\n')));
    verifyFinals(m_segments);

    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.bytesDropped, 0u);
    QCOMPARE(stats.bytesAcknowledged, uint64_t(m_audio.size()));
    QCOMPARE(stats.reconnects, uint64_t(report.reconnects()));
    if (faults.contains(u"close_after") || faults.contains(u"drop_after"))
        QVERIFY(report.reconnects() >= 1);
}

void TestGladiaSession::refusals_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("region");
    QTest::addColumn<int>("initError");
    QTest::addColumn<QString>("message");
    QTest::newRow("401 wrong key")
        << QByteArrayLiteral("wrong-key") << QString() << 0 << QStringLiteral("Invalid API key");
    QTest::newRow("422 bad region")
        << kKey << QStringLiteral("mars") << 0
        << QStringLiteral("region must be one of the following values: us-west, eu-west");
    QTest::newRow("422 refused") << kKey << QString() << 422 << QStringLiteral("Request refused");
    QTest::newRow("400 refused") << kKey << QString() << 400 << QStringLiteral("Request refused");
}

void TestGladiaSession::refusals()
{
    QFETCH(QByteArray, key);
    QFETCH(QString, region);
    QFETCH(int, initError);
    QFETCH(QString, message);
    m_emulator->faults().initErrorStatus = initError;
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.apiKey = key;
    config.region = region;
    startSession(config);
    m_session->pushChunk(chunkOf(m_audio, 0));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Failed, kTimeout_ms);
    QCOMPARE(m_session->detail(), message);
    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.initRetries, 0u);
    QCOMPARE(stats.lastError, message);
    QCOMPARE(stats.bytesDropped, uint64_t(kChunkBytes));
    QVERIFY(m_emulator->sessions().isEmpty());
}

void TestGladiaSession::retriesInit_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("count");
    QTest::newRow("429 twice") << 429 << 2;
    QTest::newRow("500 once") << 500 << 1;
    QTest::newRow("503 three times") << 503 << 3;
}

void TestGladiaSession::retriesInit()
{
    QFETCH(int, status);
    QFETCH(int, count);
    m_emulator->faults().initErrorStatus = status;
    m_emulator->faults().initErrorCount = count;
    startSession(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    feed(0, chunkCount(m_audio));
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);
    QCOMPARE(m_session->takeStats().initRetries, uint64_t(count));
    QVERIFY(onlyReport().reference.equal);
    verifyFinals(m_segments);
}

void TestGladiaSession::failsOnClose4400()
{
    m_emulator->faults().merge({{"close_after", 32000}, {"close_code", 4400}});
    startSession(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    feed(0, 20);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Failed, kTimeout_ms);
    QCOMPARE(m_session->detail(), QStringLiteral("emulated fault")); // the close reason, verbatim
    QTest::qWait(300); // time enough for a (wrong) reconnect with this backoff
    QCOMPARE(onlyReport().connections, 1);
    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.reconnects, 0u);
    QCOMPARE(stats.lastError, QStringLiteral("emulated fault"));
}

void TestGladiaSession::dropsBeyondBufferBound()
{
    // Gladia stops acknowledging after 1 s of audio for longer than the test;
    // the client keeps 0.5 s, so it must give up on that connection, drop
    // exactly what does not fit and resume with the rest.
    m_emulator->faults().merge({{"stall_after", 32000}, {"stall_ms", 600000}});
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.bufferLimit_ms = 500;
    startSession(config);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Streaming, kTimeout_ms);
    feed(0, chunkCount(m_audio));
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);

    const GladiaStats stats = m_session->takeStats();
    const SessionReport report = onlyReport();
    QVERIFY(stats.bytesDropped > 0);
    QCOMPARE(stats.bytesPushed, uint64_t(m_audio.size()));
    QCOMPARE(uint64_t(report.bytesReceived), stats.bytesPushed - stats.bytesDropped);
    QCOMPARE(stats.bytesAcknowledged, uint64_t(report.bytesReceived));
    // One hole, exactly where and as long as reported: the oldest audio went.
    const qint64 hole = report.reference.firstDifference;
    QVERIFY(hole >= 32000);
    const QByteArray received = m_emulator->receivedAudio(report.id);
    QCOMPARE(received, m_audio.left(hole) + m_audio.mid(hole + qint64(stats.bytesDropped)));
    QCOMPARE(report.resendMismatchBytes, 0);
}

void TestGladiaSession::stopWhileReconnecting()
{
    m_emulator->faults().merge({{"close_after", 32000}, {"close_code", 1011}});
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.backoff = {600000, 2.0, 600000}; // it would wait for minutes
    startSession(config);
    int next = 0;
    while (next < chunkCount(m_audio) && m_session->state() != SessionState::Reconnecting) {
        feed(next, next + 1);
        ++next;
    }
    QCOMPARE(m_session->state(), SessionState::Reconnecting);
    feed(next, chunkCount(m_audio)); // buffered meanwhile
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);
    const SessionReport report = onlyReport();
    QVERIFY2(report.reference.equal, qPrintable(QJsonDocument(report.toJson()).toJson()));
    QCOMPARE(report.connections, 2);
    verifyFinals(m_segments);
}

void TestGladiaSession::stopIsBounded()
{
    // Gladia hangs: it neither acknowledges nor answers stop_recording.
    m_emulator->faults().merge({{"stall_after", 16000}, {"stall_ms", 600000}});
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.stopTimeout_ms = 500;
    startSession(config);
    feed(0, 20);
    stopAndWait();
    QCOMPARE(m_session->state(), SessionState::Finished);
    QVERIFY2(m_session->detail().startsWith(QStringLiteral("stop timed out")),
             qPrintable(m_session->detail()));
    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.bytesBuffered, 0u);
    QCOMPARE(stats.bytesAcknowledged, 16000u);
    QCOMPARE(stats.bytesDropped, uint64_t(20 * kChunkBytes - 16000));
}

void TestGladiaSession::survivesGarbage()
{
    // A server that answers init, then sends what no Gladia should: the
    // session counts it, logs it and keeps streaming.
    QWebSocketServer webSockets(QStringLiteral("hostile"), QWebSocketServer::NonSecureMode);
    QVERIFY(webSockets.listen(QHostAddress::LocalHost));
    InitResponder http(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/v2/live?token=t").arg(webSockets.serverPort())));
    QVERIFY(http.listen(QHostAddress::LocalHost));
    std::vector<QByteArray> garbage{
        "not json at all",
        "[1, 2, 3]",
        R"({"no":"type"})",
        R"({"type":"transcript","data":{"id":"x"}})",
        R"({"type":"audio_chunk","acknowledged":true,"data":{"byte_range":[0, 99999999]}})",
    };
    connect(&webSockets, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *socket = webSockets.nextPendingConnection();
        socket->setParent(&webSockets);
        connect(socket, &QWebSocket::binaryMessageReceived, socket, [socket, &garbage] {
            if (garbage.empty())
                return;
            for (const QByteArray &text : garbage)
                socket->sendTextMessage(QString::fromUtf8(text));
            garbage.clear();
            socket->sendBinaryMessage("binary from the server");
            socket->sendTextMessage(R"({"type":"some_future_event","data":{}})");
            socket->sendTextMessage(
                R"({"type":"audio_chunk","acknowledged":true,"data":{"byte_range":[0,3200]}})");
            socket->sendTextMessage(
                R"({"type":"transcript","data":{"id":"00-1","is_final":true,"utterance":{"start":0.0,"end":0.1,"channel":0,"language":"en","text":" still here","words":[]}}})");
        });
    });

    startSession(fastGladiaConfig(http.apiUrl(), kKey, kTimeout_ms / 2));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Streaming, kTimeout_ms);
    m_session->pushChunk(chunkOf(m_audio, 0));
    QTRY_COMPARE_WITH_TIMEOUT(m_segments.size(), size_t(1), kTimeout_ms);
    QCOMPARE(m_segments.front().text, QStringLiteral("still here"));
    QCOMPARE(m_session->state(), SessionState::Streaming);
    const GladiaStats stats = m_session->takeStats();
    QCOMPARE(stats.malformedMessages, 6u); // five bad texts and one binary message
    QCOMPARE(stats.bytesAcknowledged, uint64_t(kChunkBytes));
    QCOMPARE(stats.latencies.sttFinal.count(), 1u);
}

void TestGladiaSession::givesUpUnreachableSession()
{
    // The session URL leads nowhere (as when Gladia has dropped the session):
    // after the give-up time the session ends, for its owner to replace it.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    InitResponder http(QUrl(QStringLiteral("ws://127.0.0.1:%1/v2/live?token=t").arg(port)));
    QVERIFY(http.listen(QHostAddress::LocalHost));
    GladiaConfig config = fastGladiaConfig(http.apiUrl(), kKey, kTimeout_ms / 2);
    config.reconnectGiveUp_ms = 300;
    startSession(config);
    feed(0, 5);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Finished, kTimeout_ms);
    QVERIFY2(m_session->detail().startsWith(QStringLiteral("given up after")),
             qPrintable(m_session->detail()));
    const GladiaStats stats = m_session->takeStats();
    QVERIFY(stats.reconnects >= 2);
    QCOMPARE(stats.bytesDropped, uint64_t(5 * kChunkBytes));
}

QTEST_GUILESS_MAIN(TestGladiaSession)
#include "tst_gladiasession.moc"

// GladiaBridge against the in-process Gladia emulator: rollover to new
// sessions before the session limit (nothing sent twice or skipped, times
// continue), replacing a session Gladia ends on its own, a refused key, and
// speakers of a mix named by the speaker resolver (inferred).

#include "core/clock.h"
#include "gladiatestsupport.h"
#include "stt/gladiabridge.h"

#include "gladiaemulator.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

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
constexpr int kBytesPerMs = 32;
constexpr int kTimeout_ms = 20000;
const QByteArray kKey = QByteArrayLiteral("test-key");

// Short utterances, so each fits in a two-second session.
QList<ScriptedUtterance> testScript()
{
    ScriptedUtterance first;
    first.start_s = 0.2;
    first.end_s = 0.9;
    first.text = QStringLiteral("alpha beta");
    ScriptedUtterance second;
    second.start_s = 1.1;
    second.end_s = 1.8;
    second.text = QStringLiteral("gamma delta");
    return {first, second};
}

int sessionIndexOf(const TranscriptSegment &segment)
{
    return segment.utteranceId.section(u':', 0, 0).toInt();
}

} // namespace

class TestGladiaBridge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void rollsOver();
    void replacesSessionEndedByGladia();
    void refusedKeyFailsTheStream();
    void stopWithoutAudio();
    void resolvesSpeakersOfTheMix();

private:
    void startBridge(const GladiaConfig &config);
    void feed(int interval_ms);
    void stopAndWait();

    std::unique_ptr<GladiaEmulator> m_emulator;
    std::unique_ptr<GladiaBridge> m_bridge;
    std::unique_ptr<QSignalSpy> m_finished;
    std::vector<TranscriptSegment> m_segments;
    QByteArray m_audio;
};

void TestGladiaBridge::init()
{
    m_emulator = std::make_unique<GladiaEmulator>();
    QString error;
    QVERIFY2(m_emulator->listen(&error), qPrintable(error));
    m_emulator->setApiKey(QString::fromLatin1(kKey));
    m_emulator->setScript(testScript());
    m_audio = noiseAudio(7000, 987654321);
    m_segments.clear();
}

void TestGladiaBridge::cleanup()
{
    m_finished.reset();
    m_bridge.reset();
    m_emulator.reset();
}

void TestGladiaBridge::startBridge(const GladiaConfig &config)
{
    m_bridge = std::make_unique<GladiaBridge>(config, QStringLiteral("standup"),
                                              QStringLiteral("live/standup"));
    m_finished = std::make_unique<QSignalSpy>(m_bridge.get(), &GladiaBridge::finished);
    connect(m_bridge.get(), &GladiaBridge::segment, this,
            [this](const TranscriptSegment &segment) { m_segments.push_back(segment); });
    m_bridge->start();
}

void TestGladiaBridge::feed(int interval_ms)
{
    for (qsizetype offset = 0; offset < m_audio.size(); offset += kChunkBytes) {
        PcmChunk chunk;
        chunk.pcm = m_audio.mid(offset, kChunkBytes);
        chunk.ready_ns = roomscribe::monotonicNow_ns();
        chunk.firstArrival_ns = chunk.ready_ns - 100000000;
        m_bridge->pushChunk(chunk);
        QTest::qWait(interval_ms);
    }
}

void TestGladiaBridge::stopAndWait()
{
    m_bridge->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_finished->count(), 1, kTimeout_ms);
}

void TestGladiaBridge::rollsOver()
{
    // Sessions last 3 s and the next opens 1 s before that: the 7 s of audio
    // (sent faster than real time, so audio age decides) spans several sessions.
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.maxSessionDuration_ms = 3000;
    config.rolloverLead_ms = 1000;
    startBridge(config);
    m_bridge->setSpeakerName(0, QStringLiteral("Анна"));
    feed(2);
    stopAndWait();
    QCOMPARE(m_bridge->state(), SessionState::Finished);

    const QList<SessionReport> reports = m_emulator->sessions();
    QVERIFY2(reports.size() >= 3, qPrintable(QString::number(reports.size())));
    QByteArray concatenated;
    std::vector<int64_t> base_ms;
    for (const SessionReport &report : reports) {
        QCOMPARE(report.state, QStringLiteral("finished"));
        QVERIFY(report.stopReceived);
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(u'\n')));
        QCOMPARE(report.overlapBytes, 0);
        base_ms.push_back(concatenated.size() / kBytesPerMs);
        // Every session but the last took at least the 2 s before its successor opened.
        if (&report != &reports.last())
            QVERIFY(report.bytesReceived >= 2000 * kBytesPerMs);
        concatenated += m_emulator->receivedAudio(report.id);
    }
    QCOMPARE(concatenated, m_audio); // each chunk exactly once, in order

    // Finals carry stream times: their session's start plus the script's.
    const QList<ScriptedUtterance> script = testScript();
    QSet<QString> ids;
    int64_t previousStart_ms = -1;
    int finals = 0;
    for (const TranscriptSegment &segment : m_segments) {
        QCOMPARE(segment.room, QStringLiteral("standup"));
        QCOMPARE(segment.stream, QStringLiteral("live/standup"));
        QCOMPARE(segment.speaker, QStringLiteral("Анна"));
        if (!segment.isFinal)
            continue;
        ++finals;
        QVERIFY2(!ids.contains(segment.utteranceId), qPrintable(segment.utteranceId));
        ids.insert(segment.utteranceId);
        const int index = sessionIndexOf(segment);
        QVERIFY(index >= 1 && index <= int(reports.size()));
        QCOMPARE(segment.session, reports[index - 1].id);
        const ScriptedUtterance &utterance = script[segment.text == script[0].text ? 0 : 1];
        QCOMPARE(segment.start_ms, base_ms[size_t(index - 1)] + qRound64(utterance.start_s * 1000));
        QVERIFY2(
            segment.start_ms > previousStart_ms,
            qPrintable(QStringLiteral("%1 after %2").arg(segment.start_ms).arg(previousStart_ms)));
        previousStart_ms = segment.start_ms;
        QCOMPARE(toJson(segment).value(u"utterance_id").toString(), segment.utteranceId);
    }
    QVERIFY(finals >= 4);

    const GladiaStats stats = m_bridge->takeStats();
    QCOMPARE(stats.sessions, int(reports.size()));
    QCOMPARE(stats.bytesPushed, uint64_t(m_audio.size()));
    QCOMPARE(stats.bytesAcknowledged, uint64_t(m_audio.size()));
    QCOMPARE(stats.bytesDropped, 0u);
    QCOMPARE(stats.bytesBuffered, 0u);
    QCOMPARE(stats.finals, uint64_t(finals));
    QVERIFY(stats.latencies.sttFinal.count() > 0);
}

void TestGladiaBridge::replacesSessionEndedByGladia()
{
    // Gladia ends each session after 0.8 s of wall time; the audio (1.4 s of
    // wall time) continues in new ones. What the ended session had not
    // acknowledged is lost and counted; the rest arrives in order.
    m_emulator->faults().maxSession_ms = 800;
    startBridge(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    feed(20);
    stopAndWait();
    QCOMPARE(m_bridge->state(), SessionState::Finished);

    const QList<SessionReport> reports = m_emulator->sessions();
    QVERIFY2(reports.size() >= 2, qPrintable(QString::number(reports.size())));
    const GladiaStats stats = m_bridge->takeStats();
    qsizetype offset = 0;
    qsizetype missing = 0;
    std::vector<int64_t> base_ms;
    for (const SessionReport &report : reports) {
        const QByteArray received = m_emulator->receivedAudio(report.id);
        const qsizetype at = m_audio.indexOf(received, offset);
        QVERIFY2(at >= offset, qPrintable(report.id));
        base_ms.push_back(at / kBytesPerMs);
        missing += at - offset;
        offset = at + received.size();
    }
    missing += m_audio.size() - offset;
    QCOMPARE(uint64_t(missing), stats.bytesDropped);
    QCOMPARE(stats.bytesPushed, uint64_t(m_audio.size()));
    QCOMPARE(stats.sessions, int(reports.size()));

    for (const TranscriptSegment &segment : m_segments) {
        const int index = sessionIndexOf(segment);
        QVERIFY(segment.start_ms >= base_ms[size_t(index - 1)]);
    }
}

void TestGladiaBridge::refusedKeyFailsTheStream()
{
    GladiaConfig config = fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2);
    config.apiKey = "revoked";
    startBridge(config);
    QSignalSpy states(m_bridge.get(), &GladiaBridge::stateChanged);
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->state(), SessionState::Failed, kTimeout_ms);
    QCOMPARE(m_bridge->detail(), QStringLiteral("Invalid API key"));
    QCOMPARE(states.last().at(0).value<SessionState>(), SessionState::Failed);
    m_bridge->pushChunk({m_audio.left(kChunkBytes)});
    m_bridge->pushChunk({m_audio.mid(kChunkBytes, kChunkBytes)});
    stopAndWait();
    QCOMPARE(m_bridge->state(), SessionState::Failed);
    const GladiaStats stats = m_bridge->takeStats();
    QCOMPARE(stats.bytesDropped, uint64_t(2 * kChunkBytes));
    QCOMPARE(stats.lastError, QStringLiteral("Invalid API key"));
    QVERIFY(m_emulator->sessions().isEmpty());
}

void TestGladiaBridge::stopWithoutAudio()
{
    startBridge(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->state(), SessionState::Streaming, kTimeout_ms);
    stopAndWait();
    QCOMPARE(m_bridge->state(), SessionState::Finished);
    QTRY_COMPARE_WITH_TIMEOUT(m_emulator->sessions().value(0).state, QStringLiteral("finished"),
                              kTimeout_ms);
}

void TestGladiaBridge::resolvesSpeakersOfTheMix()
{
    // A mix (no speaker names): the resolver is asked for every segment, and
    // names the first utterance's speaker only.
    startBridge(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    const QString first = testScript().at(0).text;
    int asked = 0;
    m_bridge->setSpeakerResolver([&](const TranscriptSegment &segment) -> std::optional<QString> {
        ++asked;
        if (!segment.speaker.isEmpty() || segment.room != u"standup")
            return QStringLiteral("wrong");
        if (first.startsWith(segment.text.trimmed()))
            return QStringLiteral("alice");
        return std::nullopt;
    });
    feed(2);
    stopAndWait();
    int partials = 0;
    int finals = 0;
    for (const TranscriptSegment &segment : m_segments) {
        (segment.isFinal ? finals : partials) += 1;
        const bool named = first.startsWith(segment.text.trimmed());
        QCOMPARE(segment.speaker, named ? QStringLiteral("alice") : QString());
        QCOMPARE(segment.speakerInferred, named);
        QCOMPARE(toJson(segment).value(u"speaker_inferred").toBool(), named);
        QCOMPARE(toJson(segment).contains(u"speaker_inferred"), named);
    }
    QVERIFY(finals >= 2);
    QVERIFY(partials >= 1);
    QCOMPARE(asked, int(m_segments.size()));

    // Audio with a known speaker never asks.
    m_segments.clear();
    m_finished.reset();
    m_bridge.reset();
    startBridge(fastGladiaConfig(m_emulator->apiUrl(), kKey, kTimeout_ms / 2));
    m_bridge->setSpeakerName(0, QStringLiteral("Анна"));
    asked = 0;
    m_bridge->setSpeakerResolver([&](const TranscriptSegment &) -> std::optional<QString> {
        ++asked;
        return QStringLiteral("alice");
    });
    feed(2);
    stopAndWait();
    QVERIFY(!m_segments.empty());
    QCOMPARE(asked, 0);
    for (const TranscriptSegment &segment : m_segments) {
        QCOMPARE(segment.speaker, QStringLiteral("Анна"));
        QVERIFY(!segment.speakerInferred);
    }
}

QTEST_GUILESS_MAIN(TestGladiaBridge)
#include "tst_gladiabridge.moc"

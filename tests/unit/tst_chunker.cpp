#include "core/clock.h"
#include "media/pcmchunker.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtTest>

#include <vector>

using namespace roomscribe;
using namespace roomscribe::media;

class TstChunker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultSize();
    void clampedSize();
    void smallPieces();
    void largePiece();
    void exactMultiples();
    void flushPartial();
    void continuesAfterFlush();
    void emptyPieceIgnored();
    void randomPieces_data();
    void randomPieces();
};

namespace {

// Feeds pieces of consecutive sample values (sample i = i mod 2^15) with
// arrival = piece index * 1000 + 1, and checks every emitted chunk against
// what those pieces imply.
class Harness
{
public:
    explicit Harness(int chunkDuration_ms)
        : chunker(chunkDuration_ms,
                  [this](PcmChunk &&chunk) { chunks.push_back(std::move(chunk)); })
    {
    }

    void push(size_t count)
    {
        std::vector<int16_t> piece(count);
        for (auto &sample : piece) {
            sample = int16_t(arrivals.size() % 32768);
            arrivals.push_back(arrival_ns());
        }
        chunker.push(piece.data(), piece.size(), arrival_ns());
        ++pieces;
    }
    int64_t arrival_ns() const { return int64_t(pieces) * 1000 + 1; }

    // Every chunk full but possibly the last, contents and stamps as fed.
    void verify(bool lastMayBePartial) const
    {
        const size_t n = size_t(chunker.chunkSamples());
        uint64_t sample = 0;
        int64_t previousReady_ns = 0;
        for (size_t k = 0; k < chunks.size(); ++k) {
            const PcmChunk &chunk = chunks[k];
            const size_t samples = size_t(chunk.pcm.size()) / 2;
            QCOMPARE(size_t(chunk.pcm.size()) % 2, size_t(0));
            if (k + 1 < chunks.size() || !lastMayBePartial)
                QCOMPARE(samples, n);
            QVERIFY(samples > 0 && samples <= n);
            QCOMPARE(chunk.sequence, uint64_t(k));
            QCOMPARE(chunk.firstSample, sample);
            const auto *pcm = reinterpret_cast<const int16_t *>(chunk.pcm.constData());
            for (size_t i = 0; i < samples; ++i)
                QCOMPARE(pcm[i], int16_t((sample + i) % 32768));
            QCOMPARE(chunk.firstArrival_ns, arrivals[sample]);
            QCOMPARE(chunk.lastArrival_ns, arrivals[sample + samples - 1]);
            QVERIFY(chunk.ready_ns >= previousReady_ns);
            QVERIFY(chunk.ready_ns <= monotonicNow_ns());
            previousReady_ns = chunk.ready_ns;
            sample += samples;
        }
        QCOMPARE(chunker.samplesOut(), sample);
        QCOMPARE(chunker.chunksOut(), uint64_t(chunks.size()));
    }

    PcmChunker chunker;
    std::vector<PcmChunk> chunks;
    std::vector<int64_t> arrivals; // per sample fed
    int pieces = 0;
};

} // namespace

void TstChunker::defaultSize()
{
    Harness h(100);
    QCOMPARE(h.chunker.chunkSamples(), 1600);
    h.push(1600);
    QCOMPARE(h.chunks.size(), size_t(1));
    QCOMPARE(h.chunks[0].pcm.size(), qsizetype(3200));
}

void TstChunker::clampedSize()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("chunk duration 5 ms out of range"));
    QCOMPARE(PcmChunker(5, [](PcmChunk &&) {}).chunkSamples(), 160);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("chunk duration 5000 ms out of range"));
    QCOMPARE(PcmChunker(5000, [](PcmChunk &&) {}).chunkSamples(), 16000);
    QCOMPARE(PcmChunker(10, [](PcmChunk &&) {}).chunkSamples(), 160);
    QCOMPARE(PcmChunker(1000, [](PcmChunk &&) {}).chunkSamples(), 16000);
}

void TstChunker::smallPieces()
{
    Harness h(100);
    for (int i = 0; i < 20; ++i)
        h.push(300); // 6000 samples: 3 chunks, 1200 held
    QCOMPARE(h.chunks.size(), size_t(3));
    h.verify(false);
    // Chunk 1 = samples 1600..3199: first from piece 5 (1500..1799), last from piece 10.
    QCOMPARE(h.chunks[1].firstArrival_ns, 5 * 1000 + 1);
    QCOMPARE(h.chunks[1].lastArrival_ns, 10 * 1000 + 1);
    QCOMPARE(h.chunker.samplesOut(), uint64_t(4800));
}

void TstChunker::largePiece()
{
    Harness h(100);
    h.push(100);
    h.push(5000); // completes chunks 0..2, leaves 300
    QCOMPARE(h.chunks.size(), size_t(3));
    QCOMPARE(h.chunks[0].firstArrival_ns, 1);
    QCOMPARE(h.chunks[0].lastArrival_ns, 1001);
    QCOMPARE(h.chunks[1].firstArrival_ns, 1001);
    QCOMPARE(h.chunks[2].lastArrival_ns, 1001);
    h.chunker.flush();
    QCOMPARE(h.chunks.size(), size_t(4));
    QCOMPARE(h.chunks[3].pcm.size(), qsizetype(300 * 2));
    h.verify(true);
}

void TstChunker::exactMultiples()
{
    Harness h(100);
    h.push(1600);
    QCOMPARE(h.chunks.size(), size_t(1));
    h.push(3200);
    QCOMPARE(h.chunks.size(), size_t(3));
    h.chunker.flush(); // nothing held
    QCOMPARE(h.chunks.size(), size_t(3));
    h.verify(false);
    QCOMPARE(h.chunks[1].firstArrival_ns, h.chunks[2].lastArrival_ns);
}

void TstChunker::flushPartial()
{
    Harness h(100);
    h.chunker.flush();
    QVERIFY(h.chunks.empty());
    h.push(700);
    h.push(100);
    QVERIFY(h.chunks.empty());
    h.chunker.flush();
    h.chunker.flush();
    QCOMPARE(h.chunks.size(), size_t(1));
    QCOMPARE(h.chunks[0].pcm.size(), qsizetype(800 * 2));
    QCOMPARE(h.chunks[0].firstArrival_ns, 1);
    QCOMPARE(h.chunks[0].lastArrival_ns, 1001);
    h.verify(true);
}

void TstChunker::continuesAfterFlush()
{
    Harness h(20);
    h.push(500); // 320 + 180
    h.chunker.flush();
    h.push(320);
    QCOMPARE(h.chunks.size(), size_t(3));
    QCOMPARE(h.chunks[1].pcm.size(), qsizetype(180 * 2));
    QCOMPARE(h.chunks[2].firstSample, uint64_t(500));
    QCOMPARE(h.chunks[2].sequence, uint64_t(2));
    QCOMPARE(h.chunker.samplesOut(), uint64_t(820));
}

void TstChunker::emptyPieceIgnored()
{
    Harness h(100);
    h.push(100);
    h.chunker.push(nullptr, 0, 999999); // stamps nothing
    h.chunker.flush();
    QCOMPARE(h.chunks.size(), size_t(1));
    QCOMPARE(h.chunks[0].lastArrival_ns, 1);
}

void TstChunker::randomPieces_data()
{
    QTest::addColumn<int>("duration_ms");
    QTest::addColumn<int>("chunkSamples");
    QTest::newRow("10 ms") << 10 << 160;
    QTest::newRow("20 ms") << 20 << 320;
    QTest::newRow("100 ms") << 100 << 1600;
    QTest::newRow("250 ms") << 250 << 4000;
    QTest::newRow("1000 ms") << 1000 << 16000;
}

void TstChunker::randomPieces()
{
    QFETCH(int, duration_ms);
    QFETCH(int, chunkSamples);
    Harness h(duration_ms);
    QCOMPARE(h.chunker.chunkSamples(), chunkSamples);
    QRandomGenerator random{quint32(duration_ms)};
    // Piece sizes around those a decoder gives (a few hundred), with some far
    // larger than a chunk.
    for (int i = 0; i < 400; ++i)
        h.push(random.bounded(8) == 0 ? random.bounded(20000) : random.bounded(1, 800));
    h.chunker.flush();
    QVERIFY(h.chunks.size() > 2);
    QCOMPARE(h.chunker.samplesOut(), uint64_t(h.arrivals.size()));
    h.verify(true);
}

QTEST_GUILESS_MAIN(TstChunker)
#include "tst_chunker.moc"

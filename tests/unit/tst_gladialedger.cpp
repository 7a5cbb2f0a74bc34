// AudioLedger: unacknowledged audio, acknowledgements in any order, resume
// from the acknowledged byte, exact drops beyond the bound, and the mapping of
// Gladia's session bytes back to our audio and its write times.

#include "stt/audioledger.h"

#include <QTest>

using roomscribe::media::PcmChunk;
using roomscribe::stt::AudioLedger;
using roomscribe::stt::StageLatencies;
using AckStatus = AudioLedger::AckStatus;
using Edge = AudioLedger::Edge;

namespace {

constexpr int64_t kBytesPerSecond = 32000;
constexpr int kChunk = 3200; // 100 ms

PcmChunk makeChunk(int sequence)
{
    PcmChunk chunk;
    chunk.pcm.resize(kChunk);
    for (int i = 0; i < kChunk; ++i)
        chunk.pcm[i] = char((sequence * 31 + i) & 0xff);
    chunk.sequence = uint64_t(sequence);
    chunk.firstArrival_ns = 1000000000 + int64_t(sequence) * 100000000;
    chunk.ready_ns = chunk.firstArrival_ns + 100000000;
    return chunk;
}

QByteArray joined(const std::vector<QByteArray> &writes)
{
    QByteArray all;
    for (const QByteArray &bytes : writes)
        all += bytes;
    return all;
}

} // namespace

class TestGladiaLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndAcknowledgements();
    void resumesFromAcknowledgedByte();
    void acknowledgementsInAnyOrder();
    void invalidAcknowledgements();
    void dropsOldestBeyondBound();
    void dropsPartlyAcknowledgedFront();
    void neverDropsWhatTheConnectionHolds();
    void mapsSessionBytesAcrossGaps();
    void writeAndArrivalTimes();
    void dropAll();
};

void TestGladiaLedger::writesAndAcknowledgements()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    for (int i = 0; i < 3; ++i)
        ledger.append(makeChunk(i));
    QVERIFY(ledger.takeUnwritten(1).empty()); // no connection yet
    ledger.connectionOpened();
    const int64_t written_ns = makeChunk(2).ready_ns + 5000000; // 5 ms after the last was ready
    const auto writes = ledger.takeUnwritten(written_ns);
    QCOMPARE(writes.size(), size_t(3));
    QCOMPARE(writes[1], makeChunk(1).pcm);
    QVERIFY(ledger.takeUnwritten(written_ns).empty());
    QCOMPARE(ledger.writtenBytes(), 3 * kChunk);
    QCOMPARE(ledger.inFlightBytes(), 3 * kChunk);
    QCOMPARE(ledger.bufferedBytes(), 3 * kChunk);

    QCOMPARE(ledger.acknowledge(0, 2 * kChunk, written_ns + 40000000, &latencies),
             AckStatus::Advanced);
    QCOMPARE(ledger.acknowledgedBytes(), 2 * kChunk);
    QCOMPARE(ledger.bufferedBytes(), kChunk);
    QCOMPARE(ledger.inFlightBytes(), kChunk);
    QCOMPARE(latencies.ackRoundTrip.count(), 1u);
    QCOMPARE(latencies.ackRoundTrip.max_us(), 40000);
    QCOMPARE(latencies.send.count(), 2u);      // one per chunk fully acknowledged
    QCOMPARE(latencies.send.max_us(), 205000); // chunk 0: ready 200 ms before the write… +5 ms
    QCOMPARE(ledger.resentBytes(), 0);
}

void TestGladiaLedger::resumesFromAcknowledgedByte()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    for (int i = 0; i < 3; ++i)
        ledger.append(makeChunk(i));
    ledger.connectionOpened();
    ledger.takeUnwritten(1);
    // Gladia acknowledged into the middle of chunk 1, then the connection broke.
    QCOMPARE(ledger.acknowledge(0, kChunk + 1000, 2, &latencies), AckStatus::Advanced);
    ledger.connectionClosed();
    QCOMPARE(ledger.inFlightBytes(), 0);
    ledger.append(makeChunk(3)); // arrives while disconnected
    QVERIFY(ledger.takeUnwritten(3).empty());

    ledger.connectionOpened();
    const auto writes = ledger.takeUnwritten(4);
    QCOMPARE(writes.size(), size_t(3));
    QCOMPARE(writes.front(), makeChunk(1).pcm.mid(1000)); // first byte sent = acknowledged end
    QCOMPARE(joined(writes), makeChunk(1).pcm.mid(1000) + makeChunk(2).pcm + makeChunk(3).pcm);
    QCOMPARE(ledger.resentBytes(), int64_t(kChunk - 1000 + kChunk));
    QCOMPARE(ledger.writtenBytes(), int64_t(3 * kChunk + kChunk - 1000 + 2 * kChunk));
    // The new connection's acknowledgements continue in the same session byte space.
    QCOMPARE(ledger.acknowledge(kChunk + 1000, 4 * kChunk, 5, &latencies), AckStatus::Advanced);
    QCOMPARE(ledger.bufferedBytes(), 0);
}

void TestGladiaLedger::acknowledgementsInAnyOrder()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    for (int i = 0; i < 4; ++i)
        ledger.append(makeChunk(i));
    ledger.connectionOpened();
    ledger.takeUnwritten(1);
    QCOMPARE(ledger.acknowledge(2 * kChunk, 3 * kChunk, 2, &latencies), AckStatus::Pending);
    QCOMPARE(ledger.acknowledge(kChunk, 2 * kChunk + 10, 2, &latencies), AckStatus::Pending);
    QCOMPARE(ledger.acknowledgedBytes(), 0);
    QCOMPARE(ledger.acknowledge(0, kChunk + 5, 3, &latencies), AckStatus::Advanced);
    QCOMPARE(ledger.acknowledgedBytes(), 3 * kChunk); // the held ranges joined up
    QCOMPARE(ledger.acknowledge(0, kChunk, 4, &latencies), AckStatus::Duplicate);
    QCOMPARE(ledger.acknowledge(3 * kChunk - 100, 3 * kChunk + 100, 4, &latencies),
             AckStatus::Advanced); // overlapping
    QCOMPARE(ledger.acknowledgedBytes(), 3 * kChunk + 100);

    // Held ranges past a hole do not survive the connection.
    QCOMPARE(ledger.acknowledge(3 * kChunk + 200, 4 * kChunk, 5, &latencies), AckStatus::Pending);
    ledger.connectionClosed();
    ledger.connectionOpened();
    ledger.takeUnwritten(6);
    QCOMPARE(ledger.acknowledge(3 * kChunk + 100, 3 * kChunk + 200, 7, &latencies),
             AckStatus::Advanced);
    QCOMPARE(ledger.acknowledgedBytes(), 3 * kChunk + 200);
}

void TestGladiaLedger::invalidAcknowledgements()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    ledger.append(makeChunk(0));
    ledger.append(makeChunk(1));
    QCOMPARE(ledger.acknowledge(0, kChunk, 1, &latencies), AckStatus::Invalid); // not connected
    ledger.connectionOpened();
    QCOMPARE(ledger.acknowledge(0, kChunk, 1, &latencies), AckStatus::Invalid); // nothing sent
    ledger.takeUnwritten(1);
    QCOMPARE(ledger.acknowledge(0, 2 * kChunk + 1, 1, &latencies), AckStatus::Invalid);
    QCOMPARE(ledger.acknowledge(-5, 10, 1, &latencies), AckStatus::Invalid);
    QCOMPARE(ledger.acknowledge(10, 10, 1, &latencies), AckStatus::Invalid);
    QCOMPARE(ledger.acknowledge(20, 10, 1, &latencies), AckStatus::Invalid);
    QCOMPARE(ledger.acknowledgedBytes(), 0);
    QCOMPARE(latencies.ackRoundTrip.count(), 0u);
}

void TestGladiaLedger::dropsOldestBeyondBound()
{
    AudioLedger ledger(kBytesPerSecond, 3 * kChunk);
    for (int i = 0; i < 5; ++i) {
        ledger.append(makeChunk(i));
        ledger.dropBeyondLimit();
    }
    QCOMPARE(ledger.droppedBytes(), 2 * kChunk);
    QCOMPARE(ledger.bufferedBytes(), 3 * kChunk);
    QVERIFY(!ledger.overLimit());
    ledger.connectionOpened();
    QCOMPARE(joined(ledger.takeUnwritten(1)),
             makeChunk(2).pcm + makeChunk(3).pcm + makeChunk(4).pcm);
    // Gladia counts only what it got: its byte 0 is our chunk 2.
    QCOMPARE(ledger.inputOffsetOf(0, Edge::Start), 2 * kChunk);
    StageLatencies latencies;
    QCOMPARE(ledger.acknowledge(0, 3 * kChunk, 2, &latencies), AckStatus::Advanced);
    QCOMPARE(ledger.bufferedBytes(), 0);
}

void TestGladiaLedger::dropsPartlyAcknowledgedFront()
{
    AudioLedger ledger(kBytesPerSecond, 2 * kChunk);
    StageLatencies latencies;
    ledger.append(makeChunk(0));
    ledger.append(makeChunk(1));
    ledger.connectionOpened();
    ledger.takeUnwritten(1);
    QCOMPARE(ledger.acknowledge(0, 1000, 2, &latencies), AckStatus::Advanced);
    ledger.connectionClosed();
    ledger.append(makeChunk(2));
    // Over by kChunk - 1000: the unacknowledged rest of chunk 0 goes, exactly.
    QCOMPARE(ledger.dropBeyondLimit(), int64_t(kChunk - 1000));
    QCOMPARE(ledger.bufferedBytes(), 2 * kChunk);
    ledger.append(makeChunk(3));
    QCOMPARE(ledger.dropBeyondLimit(), int64_t(kChunk));
    QCOMPARE(ledger.droppedBytes(), int64_t(2 * kChunk - 1000));
    ledger.connectionOpened();
    QCOMPARE(joined(ledger.takeUnwritten(3)), makeChunk(2).pcm + makeChunk(3).pcm);
    QCOMPARE(ledger.inputOffsetOf(1000, Edge::Start), 2 * kChunk);
    QCOMPARE(ledger.inputOffsetOf(1000, Edge::End), 1000);
}

void TestGladiaLedger::neverDropsWhatTheConnectionHolds()
{
    AudioLedger ledger(kBytesPerSecond, 2 * kChunk);
    ledger.connectionOpened();
    for (int i = 0; i < 3; ++i) {
        ledger.append(makeChunk(i));
        ledger.takeUnwritten(i);
    }
    QVERIFY(ledger.overLimit());
    QCOMPARE(ledger.dropBeyondLimit(), 0);
    QCOMPARE(ledger.inFlightBytes(), 3 * kChunk);
    ledger.connectionClosed(); // what the caller does: then dropping is exact
    QCOMPARE(ledger.dropBeyondLimit(), int64_t(kChunk));
    QVERIFY(!ledger.overLimit());
    ledger.connectionOpened();
    QCOMPARE(joined(ledger.takeUnwritten(9)), makeChunk(1).pcm + makeChunk(2).pcm);
}

void TestGladiaLedger::mapsSessionBytesAcrossGaps()
{
    AudioLedger ledger(kBytesPerSecond, 2 * kChunk);
    StageLatencies latencies;
    // Chunks 0–1 delivered, 2–3 dropped during an outage, 4–5 delivered.
    ledger.append(makeChunk(0));
    ledger.append(makeChunk(1));
    ledger.connectionOpened();
    ledger.takeUnwritten(1);
    ledger.acknowledge(0, 2 * kChunk, 2, &latencies);
    ledger.connectionClosed();
    for (int i = 2; i < 6; ++i) {
        ledger.append(makeChunk(i));
        ledger.dropBeyondLimit();
    }
    QCOMPARE(ledger.droppedBytes(), 2 * kChunk);
    ledger.connectionOpened();
    ledger.takeUnwritten(3);
    ledger.acknowledge(2 * kChunk, 4 * kChunk, 4, &latencies);

    QCOMPARE(ledger.inputOffsetOf(kChunk, Edge::Start), kChunk);
    QCOMPARE(ledger.inputOffsetOf(kChunk, Edge::End), kChunk);
    // At the gap itself: audio ends before it, audio starts after it.
    QCOMPARE(ledger.inputOffsetOf(2 * kChunk, Edge::End), 2 * kChunk);
    QCOMPARE(ledger.inputOffsetOf(2 * kChunk, Edge::Start), 4 * kChunk);
    QCOMPARE(ledger.inputOffsetOf(3 * kChunk, Edge::Start), 5 * kChunk);
    QCOMPARE(ledger.inputOffsetOf(3 * kChunk, Edge::End), 5 * kChunk);
}

void TestGladiaLedger::writeAndArrivalTimes()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    ledger.append(makeChunk(0));
    ledger.append(makeChunk(1));
    ledger.connectionOpened();
    ledger.takeUnwritten(100);
    ledger.append(makeChunk(2));
    ledger.takeUnwritten(200);
    ledger.acknowledge(0, kChunk, 300, &latencies);

    QVERIFY(!ledger.writeTimeBefore(0));
    QCOMPARE(*ledger.writeTimeBefore(kChunk), 100);     // last byte of chunk 0 (acknowledged)
    QCOMPARE(*ledger.writeTimeBefore(kChunk + 1), 100); // first byte of chunk 1
    QCOMPARE(*ledger.writeTimeBefore(3 * kChunk), 200);
    QVERIFY(!ledger.writeTimeBefore(3 * kChunk + 2)); // beyond the audio

    // A re-send moves the write time: that copy is the one Gladia transcribes.
    ledger.connectionClosed();
    ledger.connectionOpened();
    ledger.takeUnwritten(400);
    QCOMPARE(*ledger.writeTimeBefore(2 * kChunk), 400);
    QCOMPARE(*ledger.writeTimeBefore(kChunk), 100);

    const PcmChunk chunk1 = makeChunk(1);
    QCOMPARE(*ledger.arrivalAt(kChunk), chunk1.firstArrival_ns);
    QCOMPARE(*ledger.arrivalAt(kChunk + 1600), chunk1.firstArrival_ns + 50000000);
    QCOMPARE(*ledger.arrivalAt(0), makeChunk(0).firstArrival_ns);
}

void TestGladiaLedger::dropAll()
{
    AudioLedger ledger(kBytesPerSecond, 10 * kChunk);
    StageLatencies latencies;
    for (int i = 0; i < 3; ++i)
        ledger.append(makeChunk(i));
    ledger.connectionOpened();
    ledger.takeUnwritten(1);
    ledger.acknowledge(0, 500, 2, &latencies);
    QCOMPARE(ledger.dropAll(), int64_t(3 * kChunk - 500));
    QCOMPARE(ledger.bufferedBytes(), 0);
    QCOMPARE(ledger.droppedBytes(), int64_t(3 * kChunk - 500));
    QCOMPARE(ledger.inFlightBytes(), 0);
}

QTEST_GUILESS_MAIN(TestGladiaLedger)
#include "tst_gladialedger.moc"

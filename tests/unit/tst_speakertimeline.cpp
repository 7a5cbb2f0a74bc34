// SpeakerTimelines: the identity with the largest overlap with an utterance,
// open intervals, several speakers, the share threshold, the mix delay shift,
// pruning, forgetting a room, and apply/infer from two threads at once.

#include "session/speakertimeline.h"

#include <QTest>
#include <QThread>

#include <atomic>

using roomscribe::ingest::SpeakerChange;
using roomscribe::ingest::SpeakerUpdate;
using roomscribe::session::InferredSpeaker;
using roomscribe::session::SpeakerTimelines;

namespace {

const QString kRoom = QStringLiteral("standup");
constexpr qint64 kT0_ms = 1'700'000'000'000;

SpeakerUpdate update(qint64 at_ms, QList<SpeakerChange> changes, const QString &room = kRoom)
{
    return SpeakerUpdate{room, kT0_ms + at_ms, std::move(changes)};
}

SpeakerChange on(const QString &identity)
{
    return {identity, 0.5f, true};
}

SpeakerChange off(const QString &identity)
{
    return {identity, 0.0f, false};
}

std::optional<InferredSpeaker> infer(const SpeakerTimelines &timelines, qint64 from_ms,
                                     qint64 to_ms, const QString &room = kRoom)
{
    return timelines.infer(room, kT0_ms + from_ms, kT0_ms + to_ms);
}

} // namespace

class TestSpeakerTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void largestOverlapWins();
    void openIntervalCountsUpToTheEnd();
    void absentIdentityKeepsItsState();
    void nobodyOrTooLittle();
    void mixDelayShiftsTheWindow();
    void segmentsByWallClock();
    void prunesOldIntervals();
    void forgetsRooms();
    void twoThreads();
};

void TestSpeakerTimeline::largestOverlapWins()
{
    SpeakerTimelines timelines;
    // Alice 0..3000, Bob 2000..6000, Alice again 5000..5500.
    timelines.apply(update(0, {on(QStringLiteral("alice"))}));
    timelines.apply(update(2000, {on(QStringLiteral("bob"))}));
    timelines.apply(update(3000, {off(QStringLiteral("alice"))}));
    timelines.apply(update(5000, {on(QStringLiteral("alice"))}));
    timelines.apply(update(5500, {off(QStringLiteral("alice"))}));
    timelines.apply(update(6000, {off(QStringLiteral("bob"))}));

    std::optional<InferredSpeaker> speaker = infer(timelines, 0, 2500);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("alice"));
    QCOMPARE(speaker->share, 1.0);
    // 1000..4000: Alice 2000 ms, Bob 2000 ms; a tie goes to the smaller identity.
    speaker = infer(timelines, 1000, 4000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("alice"));
    // 2500..6000: Alice 500 + 500 ms, Bob 3500 ms.
    speaker = infer(timelines, 2500, 6000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("bob"));
    QCOMPARE(speaker->share, 1.0);
    // Both of Alice's intervals add up: over 0..5500 she has 3000 + 500 ms, as Bob has.
    speaker = infer(timelines, 0, 5500);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("alice"));
    QCOMPARE(speaker->share, 3500.0 / 5500.0);
}

void TestSpeakerTimeline::openIntervalCountsUpToTheEnd()
{
    SpeakerTimelines timelines;
    timelines.apply(update(1000, {on(QStringLiteral("carol"))}));
    std::optional<InferredSpeaker> speaker = infer(timelines, 0, 5000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("carol"));
    QCOMPARE(speaker->share, 0.8);
    // Later windows too, while Carol has not stopped.
    speaker = infer(timelines, 60000, 62000);
    QVERIFY(speaker);
    QCOMPARE(speaker->share, 1.0);
    // A zero-length window (a first partial) asks who speaks at that instant.
    speaker = infer(timelines, 3000, 3000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("carol"));
    QVERIFY(!infer(timelines, 500, 500));
}

void TestSpeakerTimeline::absentIdentityKeepsItsState()
{
    SpeakerTimelines timelines;
    timelines.apply(update(0, {on(QStringLiteral("alice")), on(QStringLiteral("bob"))}));
    // Only Bob changes: Alice still speaks.
    timelines.apply(update(1000, {off(QStringLiteral("bob"))}));
    // A repeated "active" does not restart Alice's interval.
    timelines.apply(update(1500, {on(QStringLiteral("alice"))}));
    timelines.apply(update(4000, {off(QStringLiteral("alice"))}));
    // A repeated "inactive" changes nothing.
    timelines.apply(update(4500, {off(QStringLiteral("alice"))}));
    QCOMPARE(timelines.intervalCount(kRoom), 2);
    const std::optional<InferredSpeaker> speaker = infer(timelines, 0, 4000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("alice"));
    QCOMPARE(speaker->share, 1.0);
}

void TestSpeakerTimeline::nobodyOrTooLittle()
{
    SpeakerTimelines timelines;
    QVERIFY(!infer(timelines, 0, 1000)); // unknown room
    timelines.apply(update(0, {on(QStringLiteral("alice"))}));
    timelines.apply(update(1000, {off(QStringLiteral("alice"))}));
    QVERIFY(!infer(timelines, 2000, 3000)); // nobody overlapped
    // 1000 ms of Alice in a 5000 ms utterance: 20 %, under the threshold.
    QVERIFY(SpeakerTimelines::kMinShare > 0.2);
    QVERIFY(!infer(timelines, 0, 5000));
    // 1000 of 3000: a third, enough.
    const std::optional<InferredSpeaker> speaker = infer(timelines, 0, 3000);
    QVERIFY(speaker);
    QCOMPARE(speaker->identity, QStringLiteral("alice"));
}

void TestSpeakerTimeline::mixDelayShiftsTheWindow()
{
    SpeakerTimelines timelines;
    QCOMPARE(timelines.mixDelay_ms(), 0);
    timelines.apply(update(0, {on(QStringLiteral("alice"))}));
    timelines.apply(update(2000, {off(QStringLiteral("alice")), on(QStringLiteral("bob"))}));
    timelines.apply(update(4000, {off(QStringLiteral("bob"))}));
    // The mix's audio of 2500..4000 arrives 2000 ms after its speaker changes.
    QCOMPARE(infer(timelines, 2500, 4000)->identity, QStringLiteral("bob"));
    timelines.setMixDelay_ms(2000);
    QCOMPARE(timelines.mixDelay_ms(), 2000);
    QCOMPARE(infer(timelines, 2500, 4000)->identity, QStringLiteral("alice"));
    // Negative: the speaker changes arrive later than the audio.
    timelines.setMixDelay_ms(-2000);
    QCOMPARE(infer(timelines, 0, 1500)->identity, QStringLiteral("bob"));
}

void TestSpeakerTimeline::segmentsByWallClock()
{
    SpeakerTimelines timelines;
    timelines.apply(update(0, {on(QStringLiteral("alice"))}));
    timelines.apply(update(2000, {off(QStringLiteral("alice"))}));
    roomscribe::stt::TranscriptSegment segment;
    segment.room = kRoom;
    segment.start_ms = 40000; // stream time: only the duration matters
    segment.end_ms = 41500;
    QVERIFY(!timelines.speakerOf(segment)); // no wall clock
    segment.wallClock = QDateTime::fromMSecsSinceEpoch(kT0_ms + 200, Qt::UTC);
    QCOMPARE(timelines.speakerOf(segment), QStringLiteral("alice"));
    segment.room = QStringLiteral("other");
    QVERIFY(!timelines.speakerOf(segment));
}

void TestSpeakerTimeline::prunesOldIntervals()
{
    SpeakerTimelines timelines;
    // Four hours of one-second turns: far more than the retention holds.
    const qint64 turns = 4 * 3600;
    for (qint64 i = 0; i < turns; ++i) {
        const QString who = i % 2 ? QStringLiteral("alice") : QStringLiteral("bob");
        timelines.apply(update(i * 1000, {on(who)}));
        timelines.apply(update(i * 1000 + 900, {off(who)}));
    }
    const qint64 newest_ms = (turns - 1) * 1000 + 900;
    const qsizetype kept = timelines.intervalCount(kRoom);
    QVERIFY2(kept <= SpeakerTimelines::kRetention_ms / 1000 + 2, qPrintable(QString::number(kept)));
    QVERIFY(kept >= SpeakerTimelines::kRetention_ms / 1000 - 2);
    // Recent turns are still known, the first ones no longer.
    QVERIFY(infer(timelines, newest_ms - 900, newest_ms));
    QVERIFY(!infer(timelines, 1000, 1900));
    // An interval still open is never pruned, however old.
    SpeakerTimelines open;
    open.apply(update(0, {on(QStringLiteral("dave"))}));
    open.apply(update(3600 * 1000, {off(QStringLiteral("erin"))}));
    QCOMPARE(open.intervalCount(kRoom), 1);
    QCOMPARE(infer(open, 100, 200)->identity, QStringLiteral("dave"));
}

void TestSpeakerTimeline::forgetsRooms()
{
    SpeakerTimelines timelines;
    timelines.apply(update(0, {on(QStringLiteral("alice"))}));
    timelines.apply(update(0, {on(QStringLiteral("bob"))}, QStringLiteral("other")));
    timelines.forgetRoom(kRoom);
    QVERIFY(!infer(timelines, 0, 1000));
    QCOMPARE(timelines.intervalCount(kRoom), 0);
    QCOMPARE(infer(timelines, 0, 1000, QStringLiteral("other"))->identity, QStringLiteral("bob"));
}

void TestSpeakerTimeline::twoThreads()
{
    // Updates on this thread while another infers: a smoke test for the
    // locking (run it under TSan to see races).
    SpeakerTimelines timelines;
    std::atomic<bool> done{false};
    std::atomic<int> answers{0};
    std::unique_ptr<QThread> reader(QThread::create([&] {
        while (!done.load()) {
            for (qint64 at = 0; at < 20000; at += 1000)
                if (infer(timelines, at, at + 500))
                    answers.fetch_add(1);
        }
    }));
    reader->start();
    for (qint64 i = 0; i < 20000; ++i) {
        const QString who = QStringLiteral("p%1").arg(i % 5);
        timelines.apply(update(i, {on(who)}));
        timelines.apply(update(i, {off(who)}));
        if (i % 1000 == 0)
            timelines.setMixDelay_ms(i % 3);
    }
    done.store(true);
    QVERIFY(reader->wait());
    QVERIFY(timelines.intervalCount(kRoom) > 0);
}

QTEST_GUILESS_MAIN(TestSpeakerTimeline)
#include "tst_speakertimeline.moc"

// TranscriptTimeline: partials replaced in place by their final, order by
// start time, late partials and repeated finals ignored.

#include "stt/transcripttimeline.h"

#include <QTest>

using roomscribe::stt::TranscriptSegment;
using roomscribe::stt::TranscriptTimeline;
using Change = TranscriptTimeline::Change;

namespace {

TranscriptSegment segment(const QString &id, bool isFinal, int64_t start_ms, const QString &text)
{
    TranscriptSegment s;
    s.utteranceId = id;
    s.isFinal = isFinal;
    s.start_ms = start_ms;
    s.end_ms = start_ms + 500;
    s.text = text;
    return s;
}

} // namespace

class TestTranscriptTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void partialsGiveWayToTheirFinal();
    void lateEventsChangeNothing();
    void outOfOrderUtterancesAreSortedByStart();
};

void TestTranscriptTimeline::partialsGiveWayToTheirFinal()
{
    TranscriptTimeline timeline;
    int index = -1;
    QCOMPARE(timeline.apply(segment("1:a", false, 0, "Hel"), &index), Change::Inserted);
    QCOMPARE(index, 0);
    QCOMPARE(timeline.apply(segment("1:a", false, 0, "Hello"), &index), Change::Replaced);
    QCOMPARE(timeline.apply(segment("1:a", true, 0, "Hello there."), &index), Change::Replaced);
    QCOMPARE(index, 0);
    QCOMPARE(timeline.segments().size(), size_t(1));
    QCOMPARE(timeline.segments()[0].text, QStringLiteral("Hello there."));
    QVERIFY(timeline.segments()[0].isFinal);
    QCOMPARE(timeline.finalCount(), 1);
}

void TestTranscriptTimeline::lateEventsChangeNothing()
{
    TranscriptTimeline timeline;
    timeline.apply(segment("1:a", true, 0, "Final words."));
    QCOMPARE(timeline.apply(segment("1:a", false, 0, "Final"), nullptr), Change::Ignored);
    QCOMPARE(timeline.apply(segment("1:a", true, 0, "Final words."), nullptr), Change::Ignored);
    QCOMPARE(timeline.segments()[0].text, QStringLiteral("Final words."));
    QCOMPARE(timeline.finalCount(), 1);
}

void TestTranscriptTimeline::outOfOrderUtterancesAreSortedByStart()
{
    TranscriptTimeline timeline;
    timeline.apply(segment("1:a", true, 0, "first"));
    timeline.apply(segment("1:c", false, 3000, "third"));
    int index = -1;
    QCOMPARE(timeline.apply(segment("1:b", false, 1500, "second"), &index), Change::Inserted);
    QCOMPARE(index, 1);
    QCOMPARE(timeline.indexOf("1:a"), 0);
    QCOMPARE(timeline.indexOf("1:b"), 1);
    QCOMPARE(timeline.indexOf("1:c"), 2);
    QCOMPARE(timeline.indexOf("2:x"), -1);
    // A rollover's utterance (next session index) continues the order.
    timeline.apply(segment("2:a", true, 3600, "fourth"));
    QCOMPARE(timeline.segments().back().text, QStringLiteral("fourth"));
    QCOMPARE(timeline.apply(segment("1:c", true, 3000, "third."), &index), Change::Replaced);
    QCOMPARE(index, 2);
    QCOMPARE(timeline.finalCount(), 3);
}

QTEST_APPLESS_MAIN(TestTranscriptTimeline)
#include "tst_transcripttimeline.moc"

// LatencyModel under QAbstractItemModelTester: a row per room with streams,
// stage percentiles from the streams' histograms over a sliding window, end to
// end latency from finals, and events when Gladia reconnects or audio drops.

#include "latency/latencymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using roomscribe::LatencyHistogram;
using roomscribe::console::LatencyModel;
using roomscribe::ingest::IngestStats;
using roomscribe::ingest::StreamStats;
using roomscribe::session::LiveSegment;

namespace {

constexpr qint64 kT0_ms = 1'700'000'000'000; // a slot boundary

StreamStats stream(const QString &room, const QString &key)
{
    StreamStats s;
    s.app = QStringLiteral("live");
    s.key = key;
    s.label.room = room;
    s.publishing = true;
    s.transcribing = true;
    return s;
}

void record(LatencyHistogram &histogram, int times, int64_t value_ms)
{
    for (int i = 0; i < times; ++i)
        histogram.record(value_ms * 1000);
}

QVariantMap stage(const LatencyModel &model, int row, const QString &key)
{
    const QVariantList stages = model.data(model.index(row), LatencyModel::StagesRole).toList();
    for (const QVariant &value : stages) {
        if (value.toMap().value(QStringLiteral("key")).toString() == key)
            return value.toMap();
    }
    return {};
}

// Within the histogram's 3 % bucket error.
bool near(double value, double expected)
{
    return qAbs(value - expected) <= expected * 0.04;
}

LiveSegment final(const QString &room, qint64 audioStart_ms, int duration_ms, qint64 received_ms)
{
    LiveSegment live;
    live.segment.room = room;
    live.segment.stream = QStringLiteral("mix");
    live.segment.utteranceId = QString::number(received_ms);
    live.segment.isFinal = true;
    live.segment.start_ms = 5000;
    live.segment.end_ms = 5000 + duration_ms;
    live.segment.wallClock = QDateTime::fromMSecsSinceEpoch(audioStart_ms, Qt::UTC);
    live.received_ms = received_ms;
    return live;
}

} // namespace

class TestLatencyModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stagesMergeStreamsOfRoom();
    void endToEndFromFinals();
    void eventsWhenCountersGrow();
    void windowSlides();
};

void TestLatencyModel::stagesMergeStreamsOfRoom()
{
    LatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    IngestStats stats;
    StreamStats alice = stream(QStringLiteral("standup"), QStringLiteral("a"));
    StreamStats bob = stream(QStringLiteral("standup"), QStringLiteral("b"));
    record(alice.stt.latencies.send, 50, 10);
    record(bob.stt.latencies.send, 50, 30);
    record(alice.chunkFill, 10, 80);
    record(bob.stt.latencies.sttFinal, 20, 600);
    record(bob.stt.latencies.sttPartial, 20, 250);
    record(bob.stt.latencies.ackRoundTrip, 20, 40);
    stats.streams = {alice, stream(QString(), QStringLiteral("bare-key")), bob};
    model.applyStats(stats, kT0_ms);

    QCOMPARE(model.rowCount(), 2); // by room name; a bare key is its own room
    QCOMPARE(model.data(model.index(0), LatencyModel::RoomRole).toString(),
             QStringLiteral("bare-key"));
    QCOMPARE(model.data(model.index(1), LatencyModel::RoomRole).toString(),
             QStringLiteral("standup"));
    QCOMPARE(model.data(model.index(1), LatencyModel::StreamsRole).toInt(), 2);

    const QVariantMap send = stage(model, 1, QStringLiteral("send"));
    QCOMPARE(send.value(QStringLiteral("name")).toString(), QStringLiteral("Send"));
    QCOMPARE(send.value(QStringLiteral("samples")).toLongLong(), 100);
    QVERIFY2(near(send.value(QStringLiteral("p50_ms")).toDouble(), 10),
             qPrintable(send.value(QStringLiteral("p50_ms")).toString()));
    QVERIFY(near(send.value(QStringLiteral("p95_ms")).toDouble(), 30));
    QVERIFY(send.value(QStringLiteral("path")).toBool());
    QVERIFY(
        near(stage(model, 1, QStringLiteral("chunking")).value(QStringLiteral("p95_ms")).toDouble(),
             80));
    QVERIFY(
        near(stage(model, 1, QStringLiteral("sttFinal")).value(QStringLiteral("p50_ms")).toDouble(),
             600));
    const QVariantMap partial = stage(model, 1, QStringLiteral("sttPartial"));
    QVERIFY(near(partial.value(QStringLiteral("p50_ms")).toDouble(), 250));
    QVERIFY(!partial.value(QStringLiteral("path")).toBool());
    QVERIFY(near(
        stage(model, 1, QStringLiteral("ackRoundTrip")).value(QStringLiteral("p50_ms")).toDouble(),
        40));
    QCOMPARE(stage(model, 0, QStringLiteral("send")).value(QStringLiteral("samples")).toLongLong(),
             0);

    // A room whose streams are gone leaves; the other row updates in place.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    StreamStats quiet = stream(QStringLiteral("standup"), QStringLiteral("a"));
    stats.streams = {quiet};
    model.applyStats(stats, kT0_ms + 1000);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.data(model.index(0), LatencyModel::StreamsRole).toInt(), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(LatencyModel::StreamsRole));
    // The window still holds the last collection's latencies.
    QCOMPARE(stage(model, 0, QStringLiteral("send")).value(QStringLiteral("samples")).toLongLong(),
             100);
}

void TestLatencyModel::endToEndFromFinals()
{
    LatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    IngestStats stats;
    stats.streams = {stream(QStringLiteral("standup"), QStringLiteral("a"))};
    model.applyStats(stats, kT0_ms);
    QCOMPARE(model.data(model.index(0), LatencyModel::E2eSamplesRole).toLongLong(), 0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const qint64 start = kT0_ms - 10000;
    LiveSegment partial = final(QStringLiteral("standup"), start, 2000, start + 2100);
    partial.segment.isFinal = false;
    model.applySegments({
        final(QStringLiteral("standup"), start, 2000, start + 2000 + 700),    // 700 ms
        final(QStringLiteral("standup"), start, 3000, start + 3000 + 900),    // 900 ms
        final(QStringLiteral("standup"), start, 2000, start + 1500),          // clamped to 0
        partial,                                                              // not a final
        final(QStringLiteral("elsewhere"), start, 2000, start + 2000 + 5000), // no row
    });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.data(model.index(0), LatencyModel::E2eSamplesRole).toLongLong(), 3);
    QVERIFY(near(model.data(model.index(0), LatencyModel::E2eP50MsRole).toDouble(), 700));
    QVERIFY(near(model.data(model.index(0), LatencyModel::E2eP95MsRole).toDouble(), 900));

    // The finals' slot closes: one history point for it.
    model.applyStats(stats, kT0_ms + LatencyModel::kSlot_ms);
    const QVariantList history = model.data(model.index(0), LatencyModel::HistoryRole).toList();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.at(0).toMap().value(QStringLiteral("t")).toLongLong(), kT0_ms);
    QVERIFY(near(history.at(0).toMap().value(QStringLiteral("e2e_ms")).toDouble(), 700));
}

void TestLatencyModel::eventsWhenCountersGrow()
{
    LatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    IngestStats stats;
    StreamStats s = stream(QStringLiteral("standup"), QStringLiteral("a"));
    s.stt.reconnects = 1; // before the console looked: no event
    stats.streams = {s};
    model.applyStats(stats, kT0_ms);
    QCOMPARE(model.data(model.index(0), LatencyModel::EventsRole).toList().size(), 0);
    QCOMPARE(model.data(model.index(0), LatencyModel::ReconnectsRole).toInt(), 1);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    stats.streams[0].stt.reconnects = 3;
    stats.streams[0].stt.bytesDropped = 64000;
    model.applyStats(stats, kT0_ms + 1000);
    QVariantList events = model.data(model.index(0), LatencyModel::EventsRole).toList();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).toMap().value(QStringLiteral("kind")).toString(),
             QStringLiteral("reconnect"));
    QCOMPARE(events.at(0).toMap().value(QStringLiteral("t")).toLongLong(), kT0_ms + 1000);
    QVERIFY(events.at(0).toMap().value(QStringLiteral("text")).toString().contains(u'2'));
    QCOMPARE(events.at(1).toMap().value(QStringLiteral("kind")).toString(), QStringLiteral("drop"));
    QCOMPARE(model.data(model.index(0), LatencyModel::ReconnectsRole).toInt(), 3);
    QCOMPARE(model.data(model.index(0), LatencyModel::DroppedSecondsRole).toDouble(), 2.0);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(LatencyModel::EventsRole));

    // Unchanged counters add nothing; a restarted stream (counters back to 0) is no event.
    model.applyStats(stats, kT0_ms + 2000);
    stats.streams[0].stt.reconnects = 0;
    stats.streams[0].stt.bytesDropped = 0;
    model.applyStats(stats, kT0_ms + 3000);
    QCOMPARE(model.data(model.index(0), LatencyModel::EventsRole).toList().size(), 2);
    stats.streams[0].stt.bytesDropped = 16000;
    model.applyStats(stats, kT0_ms + 4000);
    events = model.data(model.index(0), LatencyModel::EventsRole).toList();
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(2).toMap().value(QStringLiteral("kind")).toString(), QStringLiteral("drop"));

    // Events older than the history's span go.
    stats.streams[0].stt.bytesDropped = 16000;
    model.applyStats(stats, kT0_ms + LatencyModel::kHistory_ms + 5000);
    QCOMPARE(model.data(model.index(0), LatencyModel::EventsRole).toList().size(), 0);
}

void TestLatencyModel::windowSlides()
{
    LatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    IngestStats stats;
    stats.streams = {stream(QStringLiteral("standup"), QStringLiteral("a"))};
    const auto send = [&](int times, int value_ms) {
        stats.streams[0].stt.latencies.send.clear();
        record(stats.streams[0].stt.latencies.send, times, value_ms);
    };
    const auto sendStage = [&](const char *field) {
        return stage(model, 0, QStringLiteral("send")).value(QLatin1String(field)).toDouble();
    };
    send(60, 100);
    model.applyStats(stats, kT0_ms);
    QVERIFY(near(sendStage("p50_ms"), 100));

    // Thirty seconds on, both collections count.
    send(40, 500);
    model.applyStats(stats, kT0_ms + 30000);
    QVERIFY(near(sendStage("p50_ms"), 100));
    QVERIFY(near(sendStage("p95_ms"), 500));
    QCOMPARE(sendStage("samples"), 100.0);

    // A minute after the first collection, it has left the window.
    send(0, 0);
    model.applyStats(stats, kT0_ms + LatencyModel::kSlot_ms * LatencyModel::kSlots);
    QVERIFY(near(sendStage("p50_ms"), 500));
    QCOMPARE(sendStage("samples"), 40.0);
    model.applyStats(stats, kT0_ms + 30000 + LatencyModel::kSlot_ms * LatencyModel::kSlots);
    QCOMPARE(sendStage("samples"), 0.0);
    QCOMPARE(sendStage("p50_ms"), 0.0);
}

QTEST_MAIN(TestLatencyModel)
#include "tst_latencymodel.moc"

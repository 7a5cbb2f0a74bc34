// StreamListModel under QAbstractItemModelTester: rows appear as streams do,
// update in place, and the roles carry what the console shows.

#include "streamlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using roomscribe::ingest::IngestStats;
using roomscribe::ingest::StreamStats;

namespace {

StreamStats stream(const QString &key, bool publishing, uint64_t samples)
{
    StreamStats stats;
    stats.app = QStringLiteral("live");
    stats.key = key;
    stats.publishing = publishing;
    stats.inputSampleRate_Hz = 48000;
    stats.inputChannels = 2;
    stats.samplesOut = samples;
    stats.rms_dBFS = -20.f;
    stats.peak_dBFS = -6.f;
    return stats;
}

} // namespace

class TestStreamListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowStats();
};

void TestStreamListModel::rowsFollowStats()
{
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy counts(&model, &StreamListModel::countsChanged);
    QCOMPARE(model.rowCount(), 0);

    IngestStats stats;
    stats.publishers = 1;
    stats.streams = {stream(QStringLiteral("a"), true, 16000)};
    model.apply(stats);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.publishingCount(), 1);

    stats.publishers = 1;
    stats.streams = {stream(QStringLiteral("a"), false, 32000),
                     stream(QStringLiteral("b"), true, 8000)};
    model.apply(stats);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.count(), 2);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(counts.count(), 2);

    const QModelIndex first = model.index(0);
    QCOMPARE(model.data(first, StreamListModel::KeyRole).toString(), QStringLiteral("a"));
    QCOMPARE(model.data(first, StreamListModel::PublishingRole).toBool(), false);
    QCOMPARE(model.data(first, StreamListModel::AudioSecondsRole).toDouble(), 2.0);
    QCOMPARE(model.data(first, StreamListModel::RmsRole).toFloat(), -20.f);
    QVERIFY(model.data(first, StreamListModel::FormatRole).toString().contains(u"48"));
    const QHash<int, QByteArray> roles = model.roleNames();
    QCOMPARE(roles.value(StreamListModel::KeyRole), QByteArray("key"));
    QCOMPARE(int(StreamListModel::KeyRole), Qt::UserRole + 1);
}

QTEST_GUILESS_MAIN(TestStreamListModel)
#include "tst_streamlistmodel.moc"

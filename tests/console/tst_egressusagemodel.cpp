// EgressUsageModel under QAbstractItemModelTester: which rooms hold the
// egress budget, who waits for it in which order, since when it is full, and
// an hour of samples at most.

#include "usage/egressusagemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using roomscribe::console::EgressUsageModel;
using roomscribe::console::RoomEntry;
using roomscribe::routing::EgressBudget;
using roomscribe::routing::Method;
using roomscribe::routing::RoomPhase;

namespace {

RoomEntry room(const QString &name, RoomPhase phase, Method method, int egresses,
               int queuePosition = 0)
{
    RoomEntry entry;
    entry.name = name;
    entry.status.room = name;
    entry.status.phase = phase;
    entry.status.requestedMethod = Method::Auto;
    entry.status.method = method;
    entry.status.egresses = egresses;
    entry.status.queuePosition = queuePosition;
    return entry;
}

EgressBudget budget(int used, int limit, bool full = false)
{
    EgressBudget budget;
    budget.used = used;
    budget.limit = limit;
    budget.full = full;
    return budget;
}

} // namespace

class TestEgressUsageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void breakdownRows();
    void queueOrder();
    void fullSince();
    void historyRing();
};

void TestEgressUsageModel::breakdownRows()
{
    EgressUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy breakdown(&model, &EgressUsageModel::breakdownChanged);
    model.apply({room("a", RoomPhase::Running, Method::Composite, 1),
                 room("b", RoomPhase::Running, Method::Track, 3),
                 room("c", RoomPhase::Queued, Method::Invalid, 0, 1),
                 room("d", RoomPhase::Starting, Method::Track, 2)},
                budget(6, 10), {});
    QCOMPARE(model.rowCount(), 3);
    const auto at = [&](int row, int role) {
        return model.data(model.index(row), role);
    };
    QCOMPARE(at(0, EgressUsageModel::RoomRole).toString(), QStringLiteral("a"));
    QCOMPARE(at(0, EgressUsageModel::MethodRole).toString(), QStringLiteral("composite"));
    QCOMPARE(at(0, EgressUsageModel::MethodTextRole).toString(),
             QStringLiteral("Room mix (composite)"));
    QCOMPARE(at(1, EgressUsageModel::RoomRole).toString(), QStringLiteral("b"));
    QCOMPARE(at(1, EgressUsageModel::EgressesRole).toInt(), 3);
    QCOMPARE(at(2, EgressUsageModel::RoomRole).toString(), QStringLiteral("d"));
    QCOMPARE(model.compositeCount(), 1);
    QCOMPARE(model.trackCount(), 5);
    QCOMPARE(breakdown.count(), 1);
    QCOMPARE(model.used(), 6);
    QCOMPARE(model.limit(), 10);
    QVERIFY(!model.full());
    QCOMPARE(model.fullSinceText(), QString());

    // One more track egress for b: that row changes in place, a goes away.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.apply({room("a", RoomPhase::Stopped, Method::Composite, 0),
                 room("b", RoomPhase::Running, Method::Track, 4),
                 room("d", RoomPhase::Running, Method::Track, 2)},
                budget(6, 10), {});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 0);
    QCOMPARE(changed[0][2].value<QList<int>>(), QList<int>{EgressUsageModel::EgressesRole});
    QCOMPARE(model.compositeCount(), 0);
    QCOMPARE(model.trackCount(), 6);
}

void TestEgressUsageModel::queueOrder()
{
    EgressUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy queue(&model, &EgressUsageModel::queueChanged);
    model.apply({room("alpha", RoomPhase::Queued, Method::Invalid, 0, 3),
                 room("beta", RoomPhase::Queued, Method::Invalid, 0, 1),
                 room("gamma", RoomPhase::Running, Method::Composite, 1),
                 room("delta", RoomPhase::Queued, Method::Invalid, 0, 0), // retrying
                 room("omega", RoomPhase::Queued, Method::Invalid, 0, 2)},
                budget(10, 10), {});
    QCOMPARE(model.queue(), (QStringList{"beta", "omega", "alpha", "delta"}));
    QCOMPARE(model.queueLength(), 4);
    QCOMPARE(queue.count(), 1);
    model.apply({room("beta", RoomPhase::Starting, Method::Composite, 1),
                 room("omega", RoomPhase::Queued, Method::Invalid, 0, 1)},
                budget(10, 10), {});
    QCOMPARE(model.queue(), QStringList{"omega"});
    QCOMPARE(queue.count(), 2);
}

void TestEgressUsageModel::fullSince()
{
    EgressUsageModel model;
    QSignalSpy changed(&model, &EgressUsageModel::budgetChanged);
    const QDateTime since(QDate(2024, 5, 6), QTime(14, 2, 31));
    EgressBudget full = budget(10, 10, true);
    full.inFlight = 2;
    model.apply({}, full, since);
    QVERIFY(model.full());
    QCOMPARE(model.inFlight(), 2);
    QCOMPARE(model.fullSinceText(), QStringLiteral("Budget full since 14:02:31"));
    QCOMPARE(changed.count(), 1);
    model.apply({}, full, since);
    QCOMPARE(changed.count(), 1);
    model.apply({}, budget(9, 10), {});
    QVERIFY(!model.full());
    QCOMPARE(model.fullSinceText(), QString());
    QCOMPARE(changed.count(), 2);
}

void TestEgressUsageModel::historyRing()
{
    EgressUsageModel model;
    QSignalSpy history(&model, &EgressUsageModel::historyChanged);
    model.apply({}, budget(1, 10), {});
    model.addSample(0);
    model.apply({}, budget(2, 12), {});
    for (int i = 1; i <= EgressUsageModel::kHistorySamples; ++i)
        model.addSample(qint64(i) * EgressUsageModel::kSampleInterval_ms);
    QCOMPARE(history.count(), EgressUsageModel::kHistorySamples + 1);

    const QVariantList samples = model.history();
    QCOMPARE(samples.size(), 360);
    const QVariantMap first = samples.first().toMap();
    QCOMPARE(first.value("t").toLongLong(), 10000); // the sample at 0 fell out
    QCOMPARE(first.value("used").toInt(), 2);
    QCOMPARE(first.value("limit").toInt(), 12);
    QCOMPARE(samples.last().toMap().value("t").toLongLong(), 3600000);
}

QTEST_GUILESS_MAIN(TestEgressUsageModel)
#include "tst_egressusagemodel.moc"

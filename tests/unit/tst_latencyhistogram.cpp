// LatencyHistogram: percentiles within the promised 3 %, merge, clear.

#include "core/latencyhistogram.h"

#include <QTest>

#include <cmath>

using roomscribe::LatencyHistogram;

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsZero();
    void exactBelow64();
    void percentilesWithinThreePercent();
    void mergeAndClear();
    void extremes();
};

void TestLatencyHistogram::emptyIsZero()
{
    LatencyHistogram histogram;
    QCOMPARE(histogram.count(), 0u);
    QCOMPARE(histogram.percentile_us(0.99), 0);
}

void TestLatencyHistogram::exactBelow64()
{
    LatencyHistogram histogram;
    for (int value = 1; value <= 50; ++value)
        histogram.record(value);
    QCOMPARE(histogram.percentile_us(0.5), 25);
    QCOMPARE(histogram.percentile_us(1.0), 50);
    QCOMPARE(histogram.max_us(), 50);
}

void TestLatencyHistogram::percentilesWithinThreePercent()
{
    LatencyHistogram histogram;
    for (int64_t value = 1; value <= 100000; ++value)
        histogram.record(value);
    for (double fraction : {0.5, 0.9, 0.95, 0.99, 0.999}) {
        const double expected = fraction * 100000;
        const double actual = double(histogram.percentile_us(fraction));
        QVERIFY2(
            actual >= expected && actual <= expected * 1.03,
            qPrintable(QStringLiteral("p%1: %2 vs %3").arg(fraction).arg(actual).arg(expected)));
    }
}

void TestLatencyHistogram::mergeAndClear()
{
    LatencyHistogram a;
    LatencyHistogram b;
    for (int i = 0; i < 90; ++i)
        a.record(100);
    for (int i = 0; i < 10; ++i)
        b.record(5000);
    a.merge(b);
    QCOMPARE(a.count(), 100u);
    QVERIFY(a.percentile_us(0.5) >= 100 && a.percentile_us(0.5) <= 103);
    QVERIFY(a.percentile_us(0.95) >= 5000 && a.percentile_us(0.95) <= 5000);
    QCOMPARE(a.max_us(), 5000);
    a.clear();
    QCOMPARE(a.count(), 0u);
    QCOMPARE(a.max_us(), 0);
}

void TestLatencyHistogram::extremes()
{
    LatencyHistogram histogram;
    histogram.record(-5); // a clock step backwards counts as zero
    histogram.record(INT64_MAX);
    QCOMPARE(histogram.count(), 2u);
    QCOMPARE(histogram.percentile_us(0.5), 0);
    QCOMPARE(histogram.percentile_us(1.0), INT64_MAX);
}

QTEST_APPLESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"

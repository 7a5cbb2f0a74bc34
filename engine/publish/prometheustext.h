#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringView>

#include <cstdint>

namespace roomscribe {
class LatencyHistogram;
}

// Writes the Prometheus text exposition format, version 0.0.4: each metric
// family is one # HELP line, one # TYPE line and its samples, together.
// Label values and help texts are escaped here; names are the caller's
// constants and must match [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no colon, no
// leading "__"); a family with an invalid name is left out, and so is a label.
namespace roomscribe::publish {

// The Content-Type of a /metrics answer.
inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { Invalid, Counter, Gauge, Summary, Untyped };

using MetricLabels = QList<QPair<QByteArray, QString>>; // name, value

class PrometheusText
{
public:
    // Starts a family. Every sample() until the next family() belongs to it.
    // A name already written is refused (false): a scraper rejects repeats.
    bool family(QByteArrayView name, MetricType type, QStringView help);
    // A sample of the current family: its name plus `suffix` (a summary's
    // "_sum" or "_count"), with labels.
    void sample(double value, const MetricLabels &labels = {}, QByteArrayView suffix = {});

    // A family with one unlabelled sample.
    void counter(QByteArrayView name, QStringView help, double value);
    void gauge(QByteArrayView name, QStringView help, double value);
    // The samples of a summary family in seconds (started with family(...,
    // Summary, ...)): the 0.5, 0.9 and 0.99 quantiles of a histogram of
    // microseconds as `quantile` gauges, then _sum and _count.
    void latencySummary(const LatencyHistogram &histogram_us, double sum_s, uint64_t count,
                        const MetricLabels &labels = {});

    const QByteArray &text() const { return m_text; }

    static bool isValidMetricName(QByteArrayView name);
    static bool isValidLabelName(QByteArrayView name);
    // Backslash, double quote and line feed escaped, as in a label value.
    static QByteArray escapeLabelValue(QStringView value);
    // The shortest form that reads back as the same double; NaN, +Inf, -Inf.
    static QByteArray formatValue(double value);

private:
    QByteArray m_text;
    QByteArray m_family; // the current family's name
    QSet<QByteArray> m_written;
};

} // namespace roomscribe::publish

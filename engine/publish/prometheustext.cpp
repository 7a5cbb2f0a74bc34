#include "publish/prometheustext.h"

#include "core/latencyhistogram.h"

#include <QLocale>

#include <cmath>

namespace roomscribe::publish {

namespace {

bool isNameChar(char c, bool first, bool colon)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return true;
    if (c == ':')
        return colon;
    return !first && c >= '0' && c <= '9';
}

bool isValidName(QByteArrayView name, bool colon)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name[i], i == 0, colon))
            return false;
    }
    return true;
}

// HELP text escapes backslash and line feed only (a quote is literal there).
QByteArray escapeHelp(QStringView help)
{
    QByteArray out;
    for (const char c : help.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

const char *typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Summary:
        return "summary";
    case MetricType::Invalid:
    case MetricType::Untyped:
        break;
    }
    return "untyped";
}

} // namespace

bool PrometheusText::isValidMetricName(QByteArrayView name)
{
    return isValidName(name, true);
}

bool PrometheusText::isValidLabelName(QByteArrayView name)
{
    return isValidName(name, false) && !name.startsWith("__");
}

QByteArray PrometheusText::escapeLabelValue(QStringView value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusText::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Counts up to 2^53 print as plain integers, not in exponent form.
    if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

bool PrometheusText::family(QByteArrayView name, MetricType type, QStringView help)
{
    const QByteArray key = name.toByteArray();
    if (!isValidMetricName(name) || m_written.contains(key)) {
        m_family.clear();
        return false;
    }
    m_written.insert(key);
    m_family = key;
    m_text += "# HELP " + key + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + key + ' ' + typeName(type) + '\n';
    return true;
}

void PrometheusText::sample(double value, const MetricLabels &labels, QByteArrayView suffix)
{
    if (m_family.isEmpty())
        return;
    m_text += m_family;
    m_text += suffix;
    if (!labels.isEmpty()) {
        m_text += '{';
        bool first = true;
        for (const auto &[name, labelValue] : labels) {
            if (!isValidLabelName(name))
                continue;
            if (!first)
                m_text += ',';
            first = false;
            m_text += name + "=\"" + escapeLabelValue(labelValue) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

void PrometheusText::counter(QByteArrayView name, QStringView help, double value)
{
    if (family(name, MetricType::Counter, help))
        sample(value);
}

void PrometheusText::gauge(QByteArrayView name, QStringView help, double value)
{
    if (family(name, MetricType::Gauge, help))
        sample(value);
}

void PrometheusText::latencySummary(const LatencyHistogram &histogram_us, double sum_s,
                                    uint64_t count, const MetricLabels &labels)
{
    for (const double quantile : {0.5, 0.9, 0.99}) {
        MetricLabels withQuantile = labels;
        withQuantile.append({QByteArrayLiteral("quantile"), QString::number(quantile)});
        // An empty window has no quantiles: NaN, as the client libraries write.
        sample(histogram_us.count() == 0 ? std::nan("")
                                         : double(histogram_us.percentile_us(quantile)) / 1e6,
               withQuantile);
    }
    sample(sum_s, labels, "_sum");
    sample(double(count), labels, "_count");
}

} // namespace roomscribe::publish

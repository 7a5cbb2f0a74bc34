#include "core/latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace roomscribe {

int LatencyHistogram::bucketOf(uint64_t value)
{
    if (value < kSubBuckets)
        return int(value);
    const int msb = 63 - __builtin_clzll(value);
    const int shift = msb - kSubBucketBits + 1;
    // Bucket groups after the first hold values [2^msb, 2^(msb+1)) in kSubBuckets/2 steps
    // (the top bit is implied), so each group adds kSubBuckets/2 buckets.
    const int group = shift;
    const int sub = int(value >> shift) - kSubBuckets / 2;
    return kSubBuckets + (group - 1) * (kSubBuckets / 2) + sub;
}

int64_t LatencyHistogram::upperBoundOf(int bucket)
{
    if (bucket < kSubBuckets)
        return bucket;
    const int group = (bucket - kSubBuckets) / (kSubBuckets / 2) + 1;
    const int sub = (bucket - kSubBuckets) % (kSubBuckets / 2) + kSubBuckets / 2;
    // The top buckets reach past INT64_MAX: compute wide, then clamp.
    const unsigned __int128 bound = ((unsigned __int128)(sub + 1) << group) - 1;
    return bound > INT64_MAX ? INT64_MAX : int64_t(bound);
}

void LatencyHistogram::record(int64_t value_us)
{
    const uint64_t value = uint64_t(std::max<int64_t>(value_us, 0));
    const int bucket = std::min(bucketOf(value), kBucketCount - 1);
    ++m_buckets[size_t(bucket)];
    ++m_count;
    m_max_us = std::max(m_max_us, int64_t(value));
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max_us = std::max(m_max_us, other.m_max_us);
}

void LatencyHistogram::clear()
{
    m_buckets.fill(0);
    m_count = 0;
    m_max_us = 0;
}

int64_t LatencyHistogram::percentile_us(double fraction) const
{
    if (m_count == 0)
        return 0;
    const uint64_t rank =
        std::max<uint64_t>(1, uint64_t(std::ceil(std::clamp(fraction, 0.0, 1.0) * m_count)));
    uint64_t seen = 0;
    for (int bucket = 0; bucket < kBucketCount; ++bucket) {
        seen += m_buckets[size_t(bucket)];
        if (seen >= rank)
            return std::min(upperBoundOf(bucket), m_max_us);
    }
    return m_max_us;
}

} // namespace roomscribe

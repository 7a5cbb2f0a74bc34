#pragma once

#include <array>
#include <cstdint>

namespace roomscribe {

// Log-linear histogram of durations in microseconds: exact below 64 µs, then 32
// steps per power of two (≤ 3 % error), fixed size, no allocation, so recording on the audio
// path costs a few instructions. Not thread-safe: one per worker, merged by
// whoever reads them.
class LatencyHistogram
{
public:
    void record(int64_t value_us);
    void merge(const LatencyHistogram &other);
    void clear();

    uint64_t count() const { return m_count; }
    int64_t max_us() const { return m_max_us; }
    // Value at or below which the given fraction (0..1) of records fall; 0 when empty.
    int64_t percentile_us(double fraction) const;

private:
    static constexpr int kSubBucketBits = 6;
    static constexpr int kSubBuckets = 1 << kSubBucketBits;
    static constexpr int kBucketCount = kSubBuckets + (64 - kSubBucketBits) * (kSubBuckets / 2);
    static int bucketOf(uint64_t value);
    static int64_t upperBoundOf(int bucket);

    std::array<uint32_t, kBucketCount> m_buckets{};
    uint64_t m_count = 0;
    int64_t m_max_us = 0;
};

} // namespace roomscribe

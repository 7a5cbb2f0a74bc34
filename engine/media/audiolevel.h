#pragma once

#include <cstddef>
#include <cstdint>

namespace roomscribe::media {

struct AudioLevel
{
    float rms_dBFS = -120.f;
    float peak_dBFS = -120.f;
};

// RMS and peak of s16 samples since the last take(), relative to full scale
// (32768): a full-scale sine reads -3.01 dBFS RMS and 0 dBFS peak. Silence or
// no samples read kFloor_dBFS.
class AudioLevelMeter
{
public:
    static constexpr float kFloor_dBFS = -120.f;

    void add(const int16_t *samples, size_t count);
    AudioLevel take();

private:
    // Integer sums: exact, and the loop vectorises. 2^64 / 2^30 leaves room
    // for 2^34 samples, 12 days of audio between takes.
    uint64_t m_sumOfSquares = 0;
    uint64_t m_count = 0;
    int m_peak = 0; // largest |sample|, up to 32768
};

} // namespace roomscribe::media

#include "media/audiolevel.h"

#include <algorithm>
#include <cmath>

namespace roomscribe::media {

namespace {

float toDbfs(double linear)
{
    constexpr double kFullScale = 32768.0;
    if (linear <= 0)
        return AudioLevelMeter::kFloor_dBFS;
    return std::max(AudioLevelMeter::kFloor_dBFS, float(20.0 * std::log10(linear / kFullScale)));
}

} // namespace

void AudioLevelMeter::add(const int16_t *samples, size_t count)
{
    uint64_t sum = 0;
    int peak = m_peak;
    for (size_t i = 0; i < count; ++i) {
        const int s = samples[i];
        sum += uint64_t(s * s);
        peak = std::max(peak, std::abs(s));
    }
    m_sumOfSquares += sum;
    m_count += count;
    m_peak = peak;
}

AudioLevel AudioLevelMeter::take()
{
    AudioLevel level;
    if (m_count > 0) {
        level.rms_dBFS = toDbfs(std::sqrt(double(m_sumOfSquares) / double(m_count)));
        level.peak_dBFS = toDbfs(m_peak);
    }
    *this = AudioLevelMeter{};
    return level;
}

} // namespace roomscribe::media

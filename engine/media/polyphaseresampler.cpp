#include "media/polyphaseresampler.h"

#include "media/pcmchunk.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <mutex>
#include <numeric>

namespace roomscribe::media {

namespace {

constexpr double kPi = 3.14159265358979323846;

// What speech-to-text uses is below 7 kHz; the output band ends at 8 kHz,
// and whatever the filter lets through above that folds back below it.
constexpr double kPassbandEdge_Hz = 7000;
constexpr double kStopbandEdge_Hz = 8000;
// Designed for 74 dB so that the measured 70 dB hold with some margin.
constexpr double kStopbandAttenuation_dB = 74;

// Partial sums per output, in SIMD vectors of the build's width (four SSE
// or two AVX registers); independent, so several additions are in flight.
// Tap counts are a multiple of it.
constexpr int kLanes = 16;

// AAC's rates above the output rate.
constexpr int kInputRates_Hz[] = {22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000};

// Modified Bessel function of the first kind, order 0, by its power series.
double besselI0(double x)
{
    double sum = 1, term = 1;
    for (int k = 1; term > 1e-17 * sum; ++k) {
        term *= (x / (2 * k)) * (x / (2 * k));
        sum += term;
    }
    return sum;
}

// kOutputs dot products of the same coefficients with sample windows
// `spacing` apart: sharing the coefficient loads is what makes it faster
// than one at a time. Inlined into each build of decimate(), whose
// instructions it then uses.
template <typename Vector, int kOutputs>
[[gnu::always_inline]] inline void dotProducts(const float *coefficients, const float *samples,
                                               size_t spacing, int taps, float *results)
{
    constexpr int kWidth = int(sizeof(Vector) / sizeof(float));
    constexpr int kChains = kLanes / kWidth;
    Vector sums[kOutputs][kChains] = {};
    for (int k = 0; k < taps; k += kLanes) {
#pragma GCC unroll 4
        for (int chain = 0; chain < kChains; ++chain) {
            Vector c;
            std::memcpy(&c, coefficients + k + chain * kWidth, sizeof c);
#pragma GCC unroll 4
            for (int o = 0; o < kOutputs; ++o) {
                Vector x; // unaligned
                std::memcpy(&x, samples + size_t(o) * spacing + size_t(k + chain * kWidth),
                            sizeof x);
                sums[o][chain] += c * x;
            }
        }
    }
#pragma GCC unroll 4
    for (int o = 0; o < kOutputs; ++o) {
#pragma GCC unroll 4
        for (int chain = 1; chain < kChains; ++chain)
            sums[o][0] += sums[o][chain];
        float sum = 0;
#pragma GCC unroll 8
        for (int lane = 0; lane < kWidth; ++lane)
            sum += sums[o][0][lane];
        results[o] = sum;
    }
}

[[gnu::always_inline]] inline int16_t toS16(float sample)
{
    // Round to nearest even, as lrintf() does, without its library call:
    // adding 1.5·2^23 leaves no bits for the fraction.
    constexpr float kRounder = 12582912.f;
    const float clipped = std::clamp(sample * 32768.f, -32768.f, 32767.f);
    return int16_t((clipped + kRounder) - kRounder);
}

void mix(const float *__restrict left, const float *__restrict right, float *__restrict mono,
         size_t samples)
{
    // Blocks of a fixed size, which g++ -O2 vectorizes, then the rest.
    size_t i = 0;
    for (; i + kLanes <= samples; i += kLanes) {
#pragma GCC unroll 16
        for (size_t j = i; j < i + kLanes; ++j)
            mono[j] = 0.5f * (left[j] + right[j]);
    }
    for (; i < samples; ++i)
        mono[i] = 0.5f * (left[i] + right[i]);
}

// One buffer per thread for the input of a call (history, then the new
// samples), shared by every stream the thread serves.
float *workspace(size_t size)
{
    thread_local std::vector<float> buffer;
    if (buffer.size() < size)
        buffer.resize(size);
    return buffer.data();
}

// Writes the outputs whose taps all lie in samples[0, length) and returns
// how many; *first and *phase are those of the next output. Each output's
// arithmetic is the same whether or not it is part of a block, so the
// result does not depend on how the input was split.
template <typename Vector, int kBlock>
[[gnu::always_inline]] inline size_t decimateWith(const PolyphaseFilter &filter,
                                                  const float *samples, size_t length,
                                                  size_t *first, int *phase, int16_t *out)
{
    const size_t taps = size_t(filter.taps());
    const int phases = filter.phases();
    const size_t advance = size_t(filter.step() / phases);
    const int carry = filter.step() % phases;
    size_t tap = *first;
    int p = *phase;
    int16_t *next = out;
    float results[kBlock];
    if (phases == 1) { // integer ratio: every output has the same coefficients
        while (tap + (kBlock - 1) * advance + taps <= length) {
            dotProducts<Vector, kBlock>(filter.coefficients(0), samples + tap, advance, int(taps),
                                        results);
            for (float result : results)
                *next++ = toS16(result);
            tap += kBlock * advance;
        }
    }
    while (tap + taps <= length) {
        dotProducts<Vector, 1>(filter.coefficients(p), samples + tap, 0, int(taps), results);
        *next++ = toS16(results[0]);
        tap += advance;
        p += carry;
        if (p >= phases) {
            p -= phases;
            ++tap;
        }
    }
    *first = tap;
    *phase = p;
    return size_t(next - out);
}

using Float4 = float __attribute__((vector_size(16)));

size_t decimateBaseline(const PolyphaseFilter &filter, const float *samples, size_t length,
                        size_t *first, int *phase, int16_t *out)
{
    // Two outputs at a time fill the 16 SSE registers; four would spill.
    return decimateWith<Float4, 2>(filter, samples, length, first, phase, out);
}

#if defined(__x86_64__)
using Float8 = float __attribute__((vector_size(32)));

// AVX2 with fused multiply-add (x86-64 CPUs since 2013): 1.5 to 1.8 times as
// fast as the baseline's SSE2.
__attribute__((target("avx2,fma"))) size_t decimateAvx2(const PolyphaseFilter &filter,
                                                        const float *samples, size_t length,
                                                        size_t *first, int *phase, int16_t *out)
{
    return decimateWith<Float8, 4>(filter, samples, length, first, phase, out);
}
#endif

size_t decimate(const PolyphaseFilter &filter, const float *samples, size_t length, size_t *first,
                int *phase, int16_t *out)
{
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx2)
        return decimateAvx2(filter, samples, length, first, phase, out);
#endif
    return decimateBaseline(filter, samples, length, first, phase, out);
}

} // namespace

PolyphaseFilter::PolyphaseFilter(int inputRate_Hz) : m_inputRate_Hz(inputRate_Hz)
{
    const int divisor = std::gcd(inputRate_Hz, kOutputSampleRate_Hz);
    m_phases = kOutputSampleRate_Hz / divisor;
    m_step = inputRate_Hz / divisor;

    // Kaiser's formulas for the window's shape and the length that give the
    // attenuation over the transition band (in cycles per input sample).
    const double beta = 0.1102 * (kStopbandAttenuation_dB - 8.7);
    const double transition = (kStopbandEdge_Hz - kPassbandEdge_Hz) / inputRate_Hz;
    const int length = int(std::ceil((kStopbandAttenuation_dB - 7.95) / (14.36 * transition))) + 1;
    m_taps = (length + kLanes - 1) / kLanes * kLanes;

    const double cutoff = (kPassbandEdge_Hz + kStopbandEdge_Hz) / 2 / inputRate_Hz;
    const double halfLength = m_taps / 2.0;
    const double windowScale = 1 / besselI0(beta);
    m_coefficients = std::make_unique<float[]>(size_t(m_phases) * size_t(m_taps));
    std::vector<double> values(static_cast<size_t>(m_taps));
    for (int p = 0; p < m_phases; ++p) {
        double sum = 0;
        for (int k = 0; k < m_taps; ++k) {
            // Distance, in input samples, from tap k's sample to the output.
            const double t = double(p) / m_phases + halfLength - 1 - k;
            const double u = t / halfLength;
            const double window =
                besselI0(beta * std::sqrt(std::max(0.0, 1 - u * u))) * windowScale;
            const double x = 2 * cutoff * t;
            const double sinc = x == 0 ? 1 : std::sin(kPi * x) / (kPi * x);
            values[size_t(k)] = window * sinc;
            sum += values[size_t(k)];
        }
        // Unity gain for each phase; otherwise their small differences would
        // modulate DC into tones.
        float *coefficients = m_coefficients.get() + size_t(p) * size_t(m_taps);
        for (int k = 0; k < m_taps; ++k)
            coefficients[k] = float(values[size_t(k)] / sum);
    }
}

const PolyphaseFilter *PolyphaseFilter::forInputRate(int inputRate_Hz)
{
    constexpr size_t kRates = std::size(kInputRates_Hz);
    const int *rate = std::find(kInputRates_Hz, kInputRates_Hz + kRates, inputRate_Hz);
    if (rate == kInputRates_Hz + kRates)
        return nullptr;
    static std::once_flag built[kRates];
    static std::unique_ptr<const PolyphaseFilter> filters[kRates];
    const size_t i = size_t(rate - kInputRates_Hz);
    std::call_once(built[i], [&] { filters[i].reset(new PolyphaseFilter(inputRate_Hz)); });
    return filters[i].get();
}

PolyphaseResampler::PolyphaseResampler(const PolyphaseFilter &filter) : m_filter(&filter)
{
    m_history.reserve(size_t(filter.taps()));
    restart();
}

void PolyphaseResampler::restart()
{
    // Silence before the first sample, so that output 0's taps are in place.
    m_history.assign(size_t(m_filter->taps() / 2 - 1), 0.f);
    m_phase = 0;
}

void PolyphaseResampler::convert(const float *left, const float *right, size_t samples,
                                 std::vector<int16_t> &out)
{
    float *work = workspace(m_history.size() + samples);
    std::copy(m_history.begin(), m_history.end(), work);
    mix(left, right, work + m_history.size(), samples);
    run(work, samples, out);
}

void PolyphaseResampler::flush(std::vector<int16_t> &out)
{
    // Enough silence for the outputs up to the last input sample's instant.
    const size_t padding = size_t(m_filter->taps() / 2);
    float *work = workspace(m_history.size() + padding);
    std::copy(m_history.begin(), m_history.end(), work);
    std::fill_n(work + m_history.size(), padding, 0.f);
    run(work, padding, out);
    restart();
}

void PolyphaseResampler::run(const float *work, size_t added, std::vector<int16_t> &out)
{
    const size_t taps = size_t(m_filter->taps());
    const size_t length = m_history.size() + added;
    // At most this many outputs have all their taps in work.
    const size_t bound =
        length < taps
            ? 0
            : (length - taps + 1) * size_t(m_filter->phases()) / size_t(m_filter->step()) + 1;
    const size_t used = out.size();
    out.resize(used + bound);
    size_t first = 0;
    out.resize(used + decimate(*m_filter, work, length, &first, &m_phase, out.data() + used));
    m_history.assign(work + first, work + length);
}

} // namespace roomscribe::media

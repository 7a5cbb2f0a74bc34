#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace roomscribe::media {

// The anti-alias lowpass from one input rate to kOutputSampleRate_Hz: a
// Kaiser-windowed sinc, flat to 7 kHz (within ±0.002 dB) and at least 73 dB
// down from 8 kHz up, laid out as the phases() phases of a polyphase filter
// for the exact ratio phases()/step(). Linear phase, and every phase sums to
// 1, so the gain is exactly 1 at DC. Built on first use and then shared,
// read-only, by every stream at that rate.
class PolyphaseFilter
{
public:
    // nullptr for rates without a filter: those at or below the output rate
    // and those that are not AAC sampling rates (which keeps the number of
    // tables a stream can make the process build small).
    static const PolyphaseFilter *forInputRate(int inputRate_Hz);

    int inputRate_Hz() const { return m_inputRate_Hz; }
    // Output sample n sits at input position n·step()/phases().
    int phases() const { return m_phases; }
    int step() const { return m_step; }
    // Per phase; even, and a multiple of the accumulator width.
    int taps() const { return m_taps; }
    // taps() coefficients, for taps() consecutive input samples centred on
    // the output's position (the middle two straddle it).
    const float *coefficients(int phase) const
    {
        return m_coefficients.get() + size_t(phase) * size_t(m_taps);
    }

private:
    explicit PolyphaseFilter(int inputRate_Hz);

    int m_inputRate_Hz = 0;
    int m_phases = 0;
    int m_step = 0;
    int m_taps = 0;
    std::unique_ptr<float[]> m_coefficients;
};

// Mono or stereo float samples to s16 mono at kOutputSampleRate_Hz: the
// channels are mixed to 0.5·left + 0.5·right (what swr's default matrix
// does for stereo to mono), then filtered and decimated with a shared
// PolyphaseFilter. Output sample n is the input at instant n / 16 kHz: no
// delay, unity gain, full scale ±1.0 maps to ±32768 (rounded and clipped,
// as swr does). An output comes out once taps()/2 input samples past its
// instant have arrived (2.3 ms at 48 kHz); what the stream keeps between
// calls is those last samples, under 1 KiB.
class PolyphaseResampler
{
public:
    explicit PolyphaseResampler(const PolyphaseFilter &filter);

    const PolyphaseFilter &filter() const { return *m_filter; }

    // Appends the output samples that these input samples complete. right
    // may be left (mono).
    void convert(const float *left, const float *right, size_t samples, std::vector<int16_t> &out);
    // Appends the rest, as if the input went on with silence, so that N
    // input samples since the start give ceil(N·phases/step) outputs; the
    // next convert() starts a new stream.
    void flush(std::vector<int16_t> &out);

private:
    void restart();
    // Filters the history followed by `added` samples in work, then keeps
    // what the next outputs need as history.
    void run(const float *work, size_t added, std::vector<int16_t> &out);

    const PolyphaseFilter *m_filter;
    // The input from the next output's first tap on (fewer than taps()).
    std::vector<float> m_history;
    int m_phase = 0; // the next output's phase
};

} // namespace roomscribe::media

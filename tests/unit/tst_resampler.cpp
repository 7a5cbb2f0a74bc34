#include "media/pcmchunk.h"
#include "media/pcmresampler.h"
#include "media/polyphaseresampler.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>
}

#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <thread>
#include <vector>

using namespace roomscribe::media;

Q_DECLARE_METATYPE(AVSampleFormat)

class TstResampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lengthAndFrequency_data();
    void lengthAndFrequency();
    void passband_data();
    void passband();
    void stopband_data();
    void stopband();
    void zeroDelayUnityGain_data();
    void zeroDelayUnityGain();
    void exactLength_data();
    void exactLength();
    void continuousAcrossPieces_data();
    void continuousAcrossPieces();
    void sharedFilters();
    void stereoDownmix_data();
    void stereoDownmix();
    void reinitOnFormatChange_data();
    void reinitOnFormatChange();
    void flushThenContinue();
    void unspecifiedLayout();
    void rejectsBadInput();
};

namespace {

constexpr double kPi = 3.14159265358979323846;

struct FrameDeleter
{
    void operator()(AVFrame *frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

// value(channel, sample index in the stream) in [-1, 1].
using Signal = std::function<double(int, int64_t)>;

Signal sine(double frequency_Hz, int sampleRate_Hz, double amplitude)
{
    return [=](int, int64_t n) {
        return amplitude * std::sin(2 * kPi * frequency_Hz * double(n) / sampleRate_Hz);
    };
}

FramePtr makeFrame(AVSampleFormat format, int sampleRate_Hz, const AVChannelLayout &layout,
                   int samples, int64_t first, const Signal &signal)
{
    FramePtr frame(av_frame_alloc());
    frame->format = format;
    frame->sample_rate = sampleRate_Hz;
    frame->nb_samples = samples;
    av_channel_layout_copy(&frame->ch_layout, &layout);
    if (av_frame_get_buffer(frame.get(), 0) < 0)
        return nullptr;
    const int channels = layout.nb_channels;
    const bool planar = av_sample_fmt_is_planar(format);
    for (int c = 0; c < channels; ++c) {
        for (int i = 0; i < samples; ++i) {
            const double v = signal(c, first + i);
            const int plane = planar ? c : 0;
            const int index = planar ? i : i * channels + c;
            uint8_t *data = frame->extended_data[plane];
            switch (av_get_packed_sample_fmt(format)) {
            case AV_SAMPLE_FMT_S16:
                reinterpret_cast<int16_t *>(data)[index] = int16_t(std::lrint(v * 32767));
                break;
            case AV_SAMPLE_FMT_S32:
                reinterpret_cast<int32_t *>(data)[index] = int32_t(std::lrint(v * 2147483647.0));
                break;
            case AV_SAMPLE_FMT_FLT:
                reinterpret_cast<float *>(data)[index] = float(v);
                break;
            case AV_SAMPLE_FMT_DBL:
                reinterpret_cast<double *>(data)[index] = v;
                break;
            default:
                return nullptr;
            }
        }
    }
    return frame;
}

// Feeds duration_s of signal in frames of frameSamples, then flushes.
// *beforeFlush gets the output length before the flush.
bool convert(PcmResampler &resampler, AVSampleFormat format, int sampleRate_Hz,
             const AVChannelLayout &layout, double duration_s, const Signal &signal,
             std::vector<int16_t> &out, size_t *beforeFlush = nullptr, int frameSamples = 1024)
{
    const int64_t total = std::llround(duration_s * sampleRate_Hz);
    for (int64_t first = 0; first < total; first += frameSamples) {
        const int samples = int(std::min<int64_t>(frameSamples, total - first));
        FramePtr frame = makeFrame(format, sampleRate_Hz, layout, samples, first, signal);
        if (!frame || !resampler.convert(*frame, out))
            return false;
    }
    if (beforeFlush)
        *beforeFlush = out.size();
    resampler.flush(out);
    return true;
}

// Frequency from the spacing of interpolated rising zero crossings.
double frequency_Hz(const int16_t *pcm, size_t count, int sampleRate_Hz = kOutputSampleRate_Hz)
{
    double first = -1, last = -1;
    int crossings = 0;
    for (size_t i = 1; i < count; ++i) {
        if (pcm[i - 1] < 0 && pcm[i] >= 0) {
            const double t = double(i - 1) + double(-pcm[i - 1]) / double(pcm[i] - pcm[i - 1]);
            if (first < 0)
                first = t;
            last = t;
            ++crossings;
        }
    }
    if (crossings < 2)
        return 0;
    return (crossings - 1) * sampleRate_Hz / (last - first);
}

double rms(const int16_t *pcm, size_t count)
{
    double sum = 0;
    for (size_t i = 0; i < count; ++i)
        sum += double(pcm[i]) * pcm[i];
    return count ? std::sqrt(sum / double(count)) : 0;
}

// Peak amplitude of a steady sine (relative to 32768) from its RMS.
double sineAmplitude(const int16_t *pcm, size_t count)
{
    return rms(pcm, count) * std::sqrt(2.0) / 32768;
}

// Amplitude (relative to 32768) of the frequency_Hz component, by projection
// on a sine and a cosine; over many periods the rest contributes little.
double toneAmplitude(const int16_t *pcm, size_t count, double frequency_Hz)
{
    double sine = 0, cosine = 0;
    for (size_t i = 0; i < count; ++i) {
        const double phase = 2 * kPi * frequency_Hz * double(i) / kOutputSampleRate_Hz;
        sine += pcm[i] * std::sin(phase);
        cosine += pcm[i] * std::cos(phase);
    }
    return 2 * std::hypot(sine, cosine) / double(count) / 32768;
}

// convert() with the decoder's format, stereo planar float.
bool convertStereoFloat(PcmResampler &resampler, int sampleRate_Hz, double duration_s,
                        const Signal &signal, std::vector<int16_t> &out)
{
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    return convert(resampler, AV_SAMPLE_FMT_FLTP, sampleRate_Hz, stereo, duration_s, signal, out);
}

} // namespace

void TstResampler::lengthAndFrequency_data()
{
    QTest::addColumn<AVSampleFormat>("format");
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<double>("frequency");
    QTest::newRow("48k stereo fltp 1k") << AV_SAMPLE_FMT_FLTP << 48000 << 2 << 1000.0;
    QTest::newRow("44.1k stereo fltp 1k") << AV_SAMPLE_FMT_FLTP << 44100 << 2 << 1000.0;
    QTest::newRow("44.1k stereo s16 440") << AV_SAMPLE_FMT_S16 << 44100 << 2 << 440.0;
    QTest::newRow("48k mono flt 3k") << AV_SAMPLE_FMT_FLT << 48000 << 1 << 3000.0;
    QTest::newRow("22.05k mono s16p 440") << AV_SAMPLE_FMT_S16P << 22050 << 1 << 440.0;
    QTest::newRow("96k 5.1 s32 1k") << AV_SAMPLE_FMT_S32 << 96000 << 6 << 1000.0;
    QTest::newRow("8k stereo dbl 440") << AV_SAMPLE_FMT_DBL << 8000 << 2 << 440.0;
    QTest::newRow("16k mono s16 1k") << AV_SAMPLE_FMT_S16 << 16000 << 1 << 1000.0;
}

void TstResampler::lengthAndFrequency()
{
    QFETCH(AVSampleFormat, format);
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    QFETCH(double, frequency);
    AVChannelLayout layout{};
    av_channel_layout_default(&layout, channels);

    PcmResampler resampler;
    std::vector<int16_t> out;
    size_t beforeFlush = 0;
    const double duration_s = 2.0;
    QVERIFY(convert(resampler, format, sampleRate, layout, duration_s,
                    sine(frequency, sampleRate, 0.5), out, &beforeFlush));

    // After the flush the length is the exact ratio (± rounding); before it,
    // short by what the filter holds back: PolyphaseResampler (float input)
    // taps/2 input samples, 37 or 38 outputs; swr's default 32-tap filter 16
    // outputs (32 at 8 kHz input, where upsampling keeps 16 input samples).
    const double expected = duration_s * kOutputSampleRate_Hz;
    QVERIFY2(std::abs(double(out.size()) - expected) <= 1, qPrintable(QString::number(out.size())));
    QVERIFY2(beforeFlush <= out.size() && out.size() - beforeFlush <= 38,
             qPrintable(QString::number(out.size() - beforeFlush)));

    // Away from the edges: same frequency, no level change beyond filter ripple.
    const int16_t *middle = out.data() + 4000;
    const size_t count = out.size() - 8000;
    QVERIFY2(std::abs(frequency_Hz(middle, count) - frequency) < 0.05,
             qPrintable(QString::number(frequency_Hz(middle, count))));
    if (channels <= 2) // 5.1 → mono mixes in the centre and LFE at other gains
        QVERIFY2(std::abs(20 * std::log10(sineAmplitude(middle, count) / 0.5)) < 0.05,
                 qPrintable(QString::number(sineAmplitude(middle, count))));
}

void TstResampler::passband_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<double>("frequency");
    for (int rate : {48000, 44100}) {
        for (double frequency : {100.0, 440.0, 1000.0, 2500.0, 4000.0, 5500.0, 6500.0, 7000.0})
            QTest::addRow("%d Hz, %g Hz", rate, frequency) << rate << frequency;
    }
    QTest::addRow("22050 Hz, 7000 Hz") << 22050 << 7000.0;
    QTest::addRow("96000 Hz, 7000 Hz") << 96000 << 7000.0;
}

void TstResampler::passband()
{
    // What speech-to-text uses, 0-7 kHz, comes through within ±0.1 dB (swr's
    // default filter is 0.39 dB down at 7 kHz).
    QFETCH(int, sampleRate);
    QFETCH(double, frequency);
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(convertStereoFloat(resampler, sampleRate, 1.5, sine(frequency, sampleRate, 0.5), out));
    const double gain_dB =
        20 * std::log10(toneAmplitude(out.data() + 4000, 16000, frequency) / 0.5);
    QVERIFY2(std::abs(gain_dB) <= 0.1, qPrintable(QString::number(gain_dB)));
}

void TstResampler::stopband_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<double>("frequency");
    for (int rate : {48000, 44100}) {
        for (double frequency : {8050.0, 8500.0, 9000.0, 10000.0, 12300.0, 15100.0, 20200.0})
            QTest::addRow("%d Hz, %g Hz", rate, frequency) << rate << frequency;
    }
    QTest::addRow("22050 Hz, 8500 Hz") << 22050 << 8500.0;
    QTest::addRow("24000 Hz, 11000 Hz") << 24000 << 11000.0;
    QTest::addRow("32000 Hz, 8200 Hz") << 32000 << 8200.0;
    QTest::addRow("96000 Hz, 8300 Hz") << 96000 << 8300.0;
    QTest::addRow("96000 Hz, 40000 Hz") << 96000 << 40000.0;
}

void TstResampler::stopband()
{
    // Above 8 kHz a tone would fold back into the output band (8.5 kHz to
    // 7.5 kHz, 12.3 kHz to 3.7 kHz...): whatever comes out, anywhere in the
    // band, is at least 70 dB below the tone (swr's default filter lets an
    // 8.5 kHz tone through at -26 dB).
    QFETCH(int, sampleRate);
    QFETCH(double, frequency);
    const double amplitude = 0.9;
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(convertStereoFloat(resampler, sampleRate, 1.5, sine(frequency, sampleRate, amplitude),
                               out));
    const double level_dB = 20 * std::log10(std::max(rms(out.data() + 4000, 16000) / 32768, 1e-12) /
                                            (amplitude / std::sqrt(2.0)));
    QVERIFY2(level_dB <= -70, qPrintable(QString::number(level_dB)));
}

void TstResampler::zeroDelayUnityGain_data()
{
    QTest::addColumn<int>("sampleRate");
    for (int rate : {48000, 44100, 32000, 22050, 96000})
        QTest::addRow("%d Hz", rate) << rate;
}

void TstResampler::zeroDelayUnityGain()
{
    // Output sample n is the input at instant n / 16 kHz, at its level: a
    // 1 kHz sine comes out as the same sine sampled at 16 kHz, up to the
    // rounding to 16 bits.
    QFETCH(int, sampleRate);
    const double amplitude = 0.5;
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(convertStereoFloat(resampler, sampleRate, 1.0, sine(1000, sampleRate, amplitude), out));
    double signal = 0, error = 0;
    for (size_t n = 200; n + 200 < out.size(); ++n) {
        const double ideal =
            32768 * amplitude * std::sin(2 * kPi * 1000 * double(n) / kOutputSampleRate_Hz);
        signal += ideal * ideal;
        error += (out[n] - ideal) * (out[n] - ideal);
    }
    const double snr_dB = 10 * std::log10(signal / error);
    QVERIFY2(snr_dB >= 70, qPrintable(QString::number(snr_dB)));
}

void TstResampler::exactLength_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("samples");
    for (int rate : {48000, 44100, 22050}) {
        for (int samples : {1, 2, 3, 441, 1024, 12345, 44100, 48001})
            QTest::addRow("%d Hz, %d samples", rate, samples) << rate << samples;
    }
}

void TstResampler::exactLength()
{
    // N input samples give ceil(N · 16000 / rate) outputs: those whose
    // instant falls before the end of the input.
    QFETCH(int, sampleRate);
    QFETCH(int, samples);
    PcmResampler resampler;
    std::vector<int16_t> out;
    size_t beforeFlush = 0;
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    QVERIFY(convert(resampler, AV_SAMPLE_FMT_FLTP, sampleRate, stereo, double(samples) / sampleRate,
                    sine(440, sampleRate, 0.5), out, &beforeFlush));
    const int64_t expected =
        (int64_t(samples) * kOutputSampleRate_Hz + sampleRate - 1) / sampleRate;
    QCOMPARE(int64_t(out.size()), expected);
    // Held back until the flush: the outputs within taps/2 input samples of
    // the end.
    const int taps = PolyphaseFilter::forInputRate(sampleRate)->taps();
    QVERIFY(out.size() - beforeFlush <= size_t(taps / 2 * kOutputSampleRate_Hz / sampleRate + 1));
}

void TstResampler::continuousAcrossPieces_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::newRow("48k stereo") << 48000 << 2;
    QTest::newRow("44.1k stereo") << 44100 << 2;
    QTest::newRow("44.1k mono") << 44100 << 1;
    QTest::newRow("22.05k stereo") << 22050 << 2;
}

void TstResampler::continuousAcrossPieces()
{
    // Pieces of any size give the same samples, bit for bit, as the whole.
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    AVChannelLayout layout{};
    av_channel_layout_default(&layout, channels);
    std::mt19937 random(7);
    std::uniform_real_distribution<double> noise(-0.4, 0.4);
    const int total = 2 * sampleRate;
    std::vector<double> values(size_t(total) * 2);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = noise(random) + 0.5 * std::sin(double(i / 2) * 0.01);
    const Signal signal = [&](int channel, int64_t n) {
        return values[size_t(n) * 2 + channel];
    };

    PcmResampler whole;
    std::vector<int16_t> expected;
    FramePtr frame = makeFrame(AV_SAMPLE_FMT_FLTP, sampleRate, layout, total, 0, signal);
    QVERIFY(whole.convert(*frame, expected));
    whole.flush(expected);

    PcmResampler pieces;
    std::vector<int16_t> out;
    std::uniform_int_distribution<int> size(1, 2500);
    for (int first = 0; first < total;) {
        const int samples = std::min(size(random), total - first);
        frame = makeFrame(AV_SAMPLE_FMT_FLTP, sampleRate, layout, samples, first, signal);
        QVERIFY(pieces.convert(*frame, out));
        first += samples;
    }
    pieces.flush(out);
    QCOMPARE(out.size(), expected.size());
    QVERIFY(out == expected);
}

void TstResampler::sharedFilters()
{
    // One table per rate for the whole process, built once even when
    // streams ask for it at the same time.
    const PolyphaseFilter *filter48 = PolyphaseFilter::forInputRate(48000);
    QVERIFY(filter48);
    QCOMPARE(PolyphaseFilter::forInputRate(48000), filter48);
    QCOMPARE(filter48->phases(), 1);
    QCOMPARE(filter48->step(), 3);
    const PolyphaseFilter *filter441 = PolyphaseFilter::forInputRate(44100);
    QVERIFY(filter441 && filter441 != filter48);
    QCOMPARE(filter441->phases(), 160);
    QCOMPARE(filter441->step(), 441);
    for (int p = 0; p < filter441->phases(); ++p) {
        const float *coefficients = filter441->coefficients(p);
        double sum = 0;
        for (int k = 0; k < filter441->taps(); ++k)
            sum += coefficients[k];
        QVERIFY2(std::abs(sum - 1) < 1e-5, qPrintable(QString::number(sum)));
    }
    for (int rate : {16000, 12000, 8000, 44099, 192000, 0, -44100})
        QCOMPARE(PolyphaseFilter::forInputRate(rate), nullptr);

    std::vector<const PolyphaseFilter *> seen(8, nullptr);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&seen, i] { seen[i] = PolyphaseFilter::forInputRate(88200); });
    for (std::thread &thread : threads)
        thread.join();
    QVERIFY(seen[0]);
    for (const PolyphaseFilter *filter : seen)
        QCOMPARE(filter, seen[0]);
}

void TstResampler::stereoDownmix_data()
{
    // swr's default stereo → mono matrix is FL·√½ + FR·√½; as the output is
    // integer, swr normalises the row to a sum of 1, i.e. 0.5·FL + 0.5·FR
    // (what `ffmpeg -ac 1` does too). So identical channels keep their level,
    // one silent channel halves it (-6 dB), opposite phases cancel.
    QTest::addColumn<double>("left");
    QTest::addColumn<double>("right");
    QTest::addColumn<double>("expected");
    QTest::newRow("identical") << 0.5 << 0.5 << 0.5;
    QTest::newRow("left only") << 0.5 << 0.0 << 0.25;
    QTest::newRow("right only") << 0.0 << 0.8 << 0.4;
    QTest::newRow("opposite") << 0.5 << -0.5 << 0.0;
}

void TstResampler::stereoDownmix()
{
    QFETCH(double, left);
    QFETCH(double, right);
    QFETCH(double, expected);
    const Signal signal = [&](int channel, int64_t n) {
        return (channel == 0 ? left : right) * std::sin(2 * kPi * 1000 * double(n) / 48000);
    };
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(convert(resampler, AV_SAMPLE_FMT_FLTP, 48000, stereo, 1.0, signal, out));
    const double amplitude = sineAmplitude(out.data() + 2000, out.size() - 4000);
    QVERIFY2(std::abs(amplitude - expected) < 0.001 * std::max(expected, 1.0),
             qPrintable(QString::number(amplitude)));
}

void TstResampler::reinitOnFormatChange_data()
{
    QTest::addColumn<AVSampleFormat>("format");
    QTest::newRow("to s16 (swr)") << AV_SAMPLE_FMT_S16;
    QTest::newRow("to planar float") << AV_SAMPLE_FMT_FLTP;
}

void TstResampler::reinitOnFormatChange()
{
    // What a reconfigured stream looks like: 48 kHz stereo float, then
    // 44.1 kHz mono. The first part's tail is flushed at the change, so both
    // keep their length and frequency.
    QFETCH(AVSampleFormat, format);
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    PcmResampler resampler;
    std::vector<int16_t> out;
    const int64_t total48 = 24000;
    for (int64_t first = 0; first < total48; first += 1024) {
        FramePtr frame =
            makeFrame(AV_SAMPLE_FMT_FLTP, 48000, stereo,
                      int(std::min<int64_t>(1024, total48 - first)), first, sine(1000, 48000, 0.5));
        QVERIFY(resampler.convert(*frame, out));
    }
    const size_t firstPart = out.size();
    QVERIFY(firstPart < 8000);

    FramePtr frame = makeFrame(format, 44100, mono, 1024, 0, sine(440, 44100, 0.5));
    QVERIFY(resampler.convert(*frame, out));
    // The 48 kHz part is complete now (± rounding), the new part has begun.
    QVERIFY(out.size() >= 8000 - 1);
    for (int64_t first = 1024; first < 22050; first += 1024) {
        frame = makeFrame(format, 44100, mono, int(std::min<int64_t>(1024, 22050 - first)), first,
                          sine(440, 44100, 0.5));
        QVERIFY(resampler.convert(*frame, out));
    }
    resampler.flush(out);
    QVERIFY2(std::abs(double(out.size()) - 16000) <= 2, qPrintable(QString::number(out.size())));
    QVERIFY(std::abs(frequency_Hz(out.data() + 1000, 6000) - 1000) < 0.1);
    QVERIFY(std::abs(frequency_Hz(out.data() + 9000, 6000) - 440) < 0.1);
    QVERIFY(std::abs(sineAmplitude(out.data() + 9000, 6000 - 6000 % 400) - 0.5) < 0.002);
}

void TstResampler::flushThenContinue()
{
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(convertStereoFloat(resampler, 44100, 1.0, sine(440, 44100, 0.5), out));
    QCOMPARE(out.size(), size_t(16000));
    resampler.flush(out); // nothing more
    QCOMPARE(out.size(), size_t(16000));
    // After a flush the conversion starts afresh, as a new resampler would.
    QVERIFY(convertStereoFloat(resampler, 44100, 1.0, sine(440, 44100, 0.5), out));
    QCOMPARE(out.size(), size_t(32000));
    QVERIFY(std::equal(out.begin(), out.begin() + 16000, out.begin() + 16000));
    QVERIFY(std::abs(frequency_Hz(out.data() + 17000, 14000) - 440) < 0.05);
}

void TstResampler::unspecifiedLayout()
{
    // Treated as the default layout for the count (stereo), as ffmpeg does.
    AVChannelLayout unspecified{};
    unspecified.order = AV_CHANNEL_ORDER_UNSPEC;
    unspecified.nb_channels = 2;
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY2(convert(resampler, AV_SAMPLE_FMT_FLTP, 48000, unspecified, 1.0, sine(1000, 48000, 0.5),
                     out),
             qPrintable(resampler.errorText()));
    QVERIFY(std::abs(double(out.size()) - 16000) <= 1);
    QVERIFY(std::abs(sineAmplitude(out.data() + 2000, 12000) - 0.5) < 0.002);
}

void TstResampler::rejectsBadInput()
{
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    FramePtr frame = makeFrame(AV_SAMPLE_FMT_FLTP, 48000, stereo, 1024, 0, sine(1000, 48000, 0.5));
    frame->sample_rate = 0;
    PcmResampler resampler;
    std::vector<int16_t> out;
    QVERIFY(!resampler.convert(*frame, out));
    QVERIFY(!resampler.errorText().isEmpty());
    QVERIFY(out.empty());
    // A good frame afterwards works.
    frame->sample_rate = 48000;
    QVERIFY(resampler.convert(*frame, out));
    QVERIFY(!out.empty());
}

QTEST_APPLESS_MAIN(TstResampler)
#include "tst_resampler.moc"

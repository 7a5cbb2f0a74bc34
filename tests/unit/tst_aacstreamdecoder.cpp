#include "core/clock.h"
#include "media/aacstreamdecoder.h"
#include "media/audiolevel.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
}

#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QtTest>

#include <malloc.h>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

using namespace roomscribe;
using namespace roomscribe::media;

class TstAacStreamDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void levelMeter();
    void decodesTone_data();
    void decodesTone();
    void matchesFfmpegTool();
    void sameConfigContinues();
    void differentConfigReopens();
    void flushThenContinue();
    void audioBeforeConfig();
    void rejectedConfig_data();
    void rejectedConfig();
    void notAac();
    void corruptFramesSkipped();
    void memoryPerDecoder();
};

namespace {

constexpr double kPi = 3.14159265358979323846;

// value(channel, sample index) in [-1, 1]
using Signal = std::function<double(int, int64_t)>;

Signal tone(double frequency_Hz, int sampleRate_Hz, double amplitude)
{
    return [=](int, int64_t n) {
        return amplitude * std::sin(2 * kPi * frequency_Hz * double(n) / sampleRate_Hz);
    };
}

// An AAC stream as an RTMP publisher sends it: libavcodec's native encoder,
// the AudioSpecificConfig in a sequence header tag, then one tag per frame.
struct EncodedStream
{
    QByteArray sequenceHeader;
    std::vector<QByteArray> frames;
    int sampleRate_Hz = 0;

    // Samples the decoder gives back: every frame is 1024, the first being
    // the encoder's priming.
    int64_t decodedSamples() const { return int64_t(frames.size()) * 1024; }
    // decodedSamples() at 16 kHz.
    double outputSamples() const
    {
        return double(decodedSamples()) * kOutputSampleRate_Hz / sampleRate_Hz;
    }
};

QByteArray flvTag(uint8_t packetType, const QByteArray &payload)
{
    QByteArray tag;
    tag.append(char(0xaf)).append(char(packetType)).append(payload);
    return tag;
}

EncodedStream encode(int sampleRate_Hz, int channels, double duration_s, const Signal &signal,
                     int bitRate = 128000)
{
    EncodedStream stream;
    stream.sampleRate_Hz = sampleRate_Hz;
    const AVCodec *codec = avcodec_find_encoder_by_name("aac");
    AVCodecContext *context = avcodec_alloc_context3(codec);
    context->sample_fmt = AV_SAMPLE_FMT_FLTP;
    context->sample_rate = sampleRate_Hz;
    context->bit_rate = bitRate;
    context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_channel_layout_default(&context->ch_layout, channels);
    if (avcodec_open2(context, codec, nullptr) < 0) {
        avcodec_free_context(&context);
        return stream;
    }
    stream.sequenceHeader = flvTag(
        0, QByteArray(reinterpret_cast<const char *>(context->extradata), context->extradata_size));

    AVFrame *frame = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    auto receivePackets = [&] {
        while (avcodec_receive_packet(context, packet) == 0) {
            stream.frames.push_back(
                flvTag(1, QByteArray(reinterpret_cast<const char *>(packet->data), packet->size)));
            av_packet_unref(packet);
        }
    };
    const int64_t total = std::llround(duration_s * sampleRate_Hz);
    for (int64_t first = 0; first < total; first += context->frame_size) {
        frame->format = context->sample_fmt;
        frame->sample_rate = sampleRate_Hz;
        frame->nb_samples = int(std::min<int64_t>(context->frame_size, total - first));
        av_channel_layout_copy(&frame->ch_layout, &context->ch_layout);
        av_frame_get_buffer(frame, 0);
        for (int c = 0; c < channels; ++c) {
            auto *data = reinterpret_cast<float *>(frame->extended_data[c]);
            for (int i = 0; i < frame->nb_samples; ++i)
                data[i] = float(signal(c, first + i));
        }
        frame->pts = first;
        avcodec_send_frame(context, frame);
        av_frame_unref(frame);
        receivePackets();
    }
    avcodec_send_frame(context, nullptr);
    receivePackets();
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&context);
    return stream;
}

// Collects what an AacStreamDecoder emits.
struct Sink
{
    explicit Sink(int chunkDuration_ms = 100)
        : chunkSamples(chunkDuration_ms * kOutputSampleRate_Hz / 1000),
          decoder(chunkDuration_ms,
                  [this](PcmChunk &&chunk) { chunks.push_back(std::move(chunk)); })
    {
    }

    bool feed(const QByteArray &tag)
    {
        return decoder.feed(tag.constData(), size_t(tag.size()), monotonicNow_ns());
    }
    bool feed(const EncodedStream &stream, size_t from = 0, size_t to = SIZE_MAX)
    {
        for (size_t i = from; i < std::min(to, stream.frames.size()); ++i) {
            if (!feed(stream.frames[i]))
                return false;
        }
        return true;
    }

    std::vector<int16_t> pcm() const
    {
        std::vector<int16_t> all;
        for (const PcmChunk &chunk : chunks) {
            const auto *samples = reinterpret_cast<const int16_t *>(chunk.pcm.constData());
            all.insert(all.end(), samples, samples + chunk.pcm.size() / 2);
        }
        return all;
    }

    // Continuous numbering, ordered stamps, and full chunks but the last
    // (unless the stream was flushed midway).
    void verifyChunks(bool partialsAllowed = false) const
    {
        uint64_t sample = 0;
        int64_t previousLast_ns = 0;
        int64_t previousReady_ns = 0;
        const qsizetype chunkBytes = qsizetype(chunkSamples) * 2;
        for (size_t k = 0; k < chunks.size(); ++k) {
            const PcmChunk &chunk = chunks[k];
            QCOMPARE(chunk.sequence, uint64_t(k));
            QCOMPARE(chunk.firstSample, sample);
            if (k + 1 < chunks.size() && !partialsAllowed)
                QCOMPARE(chunk.pcm.size(), chunkBytes);
            QVERIFY(chunk.firstArrival_ns >= previousLast_ns);
            QVERIFY(chunk.lastArrival_ns >= chunk.firstArrival_ns);
            QVERIFY(chunk.ready_ns >= chunk.lastArrival_ns);
            QVERIFY(chunk.ready_ns >= previousReady_ns);
            previousLast_ns = chunk.lastArrival_ns;
            previousReady_ns = chunk.ready_ns;
            sample += uint64_t(chunk.pcm.size() / 2);
        }
        QCOMPARE(decoder.samplesOut(), sample);
    }

    const int chunkSamples;
    AacStreamDecoder decoder;
    std::vector<PcmChunk> chunks;
};

// Frequency from the spacing of interpolated rising zero crossings.
double frequency_Hz(const int16_t *pcm, size_t count)
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
    return crossings < 2 ? 0 : (crossings - 1) * kOutputSampleRate_Hz / (last - first);
}

std::vector<int16_t> sineSamples(double amplitude, size_t count)
{
    std::vector<int16_t> samples(count);
    for (size_t i = 0; i < count; ++i)
        samples[i] = int16_t(std::lrint(amplitude * std::sin(2 * kPi * 1000 * double(i) / 16000)));
    return samples;
}

template <typename Sample>
double snr_dB(const Sample *reference, const Sample *actual, size_t count)
{
    double signal = 0, noise = 0;
    for (size_t i = 0; i < count; ++i) {
        signal += double(reference[i]) * reference[i];
        noise += (double(actual[i]) - reference[i]) * (double(actual[i]) - reference[i]);
    }
    return 10 * std::log10(signal / std::max(noise, 1e-9));
}

// Below 6 kHz only: a Kaiser-windowed sinc (beta 8, 255 taps at 16 kHz),
// flat within 0.001 dB to 5.5 kHz and 80 dB down from 6 kHz.
std::vector<double> lowpass(const int16_t *pcm, size_t count)
{
    constexpr int kHalf = 127;
    constexpr double kCutoff = 5750.0 / 16000;
    constexpr double kBeta = 8;
    const auto besselI0 = [](double x) {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; ++k) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    };
    std::vector<double> taps(2 * kHalf + 1);
    for (int k = -kHalf; k <= kHalf; ++k) {
        const double u = double(k) / (kHalf + 1);
        const double x = 2 * kCutoff * k;
        taps[size_t(k + kHalf)] = 2 * kCutoff * (k == 0 ? 1 : std::sin(kPi * x) / (kPi * x)) *
                                  besselI0(kBeta * std::sqrt(1 - u * u)) / besselI0(kBeta);
    }
    std::vector<double> out(count > 2 * kHalf ? count - 2 * kHalf : 0);
    for (size_t n = 0; n < out.size(); ++n) {
        for (size_t k = 0; k < taps.size(); ++k)
            out[n] += taps[k] * pcm[n + k];
    }
    return out;
}

} // namespace

void TstAacStreamDecoder::initTestCase()
{
    // The corrupt-frame test makes libavcodec complain on stderr, and every
    // decoder logs its config.
    av_log_set_level(AV_LOG_FATAL);
    QLoggingCategory::setFilterRules(QStringLiteral("roomscribe.media.info=false"));
}

void TstAacStreamDecoder::levelMeter()
{
    AudioLevelMeter meter;
    AudioLevel level = meter.take();
    QCOMPARE(level.rms_dBFS, -120.f);
    QCOMPARE(level.peak_dBFS, -120.f);

    const std::vector<int16_t> full = sineSamples(32767, 16000);
    meter.add(full.data(), full.size());
    level = meter.take();
    QVERIFY2(std::abs(level.rms_dBFS - -3.0103f) < 0.01f,
             qPrintable(QString::number(level.rms_dBFS)));
    QVERIFY(std::abs(level.peak_dBFS) < 0.001f);

    // Accumulates across add() calls until take().
    const std::vector<int16_t> half = sineSamples(16384, 16000);
    meter.add(half.data(), 8000);
    meter.add(half.data() + 8000, 8000);
    level = meter.take();
    QVERIFY(std::abs(level.rms_dBFS - -9.0309f) < 0.01f);
    QVERIFY(std::abs(level.peak_dBFS - -6.0206f) < 0.01f);

    const std::vector<int16_t> silence(1600, 0);
    meter.add(silence.data(), silence.size());
    level = meter.take();
    QCOMPARE(level.rms_dBFS, -120.f);
    QCOMPARE(level.peak_dBFS, -120.f);

    const int16_t extremes[] = {-32768, 1};
    meter.add(extremes, 2);
    level = meter.take();
    QCOMPARE(level.peak_dBFS, 0.f);
    // One LSB: -90.3 dBFS, above the floor.
    const int16_t lsb[] = {1, -1};
    meter.add(lsb, 2);
    QVERIFY(std::abs(meter.take().rms_dBFS - -90.309f) < 0.01f);
}

void TstAacStreamDecoder::decodesTone_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("chunk_ms");
    QTest::newRow("44.1k stereo") << 44100 << 2 << 100;
    QTest::newRow("48k stereo") << 48000 << 2 << 100;
    QTest::newRow("48k mono, 20 ms") << 48000 << 1 << 20;
    QTest::newRow("32k stereo, 250 ms") << 32000 << 2 << 250;
}

void TstAacStreamDecoder::decodesTone()
{
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    QFETCH(int, chunk_ms);
    const double duration_s = 3.0;
    const EncodedStream stream =
        encode(sampleRate, channels, duration_s, tone(440, sampleRate, 0.5));
    QVERIFY(!stream.frames.empty());

    Sink sink(chunk_ms);
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 0);
    QVERIFY2(sink.feed(stream.sequenceHeader), qPrintable(sink.decoder.errorText()));
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), sampleRate);
    QCOMPARE(sink.decoder.inputChannels(), channels);
    // Levels of the steady tone, away from the onset's overshoot.
    const size_t third = stream.frames.size() / 3;
    QVERIFY2(sink.feed(stream, 0, third), qPrintable(sink.decoder.errorText()));
    sink.decoder.takeLevel();
    QVERIFY(sink.feed(stream, third, 2 * third));
    const AudioLevel level = sink.decoder.takeLevel();
    QVERIFY(sink.feed(stream, 2 * third));
    sink.decoder.flush();
    QCOMPARE(sink.decoder.corruptFrames(), uint64_t(0));
    sink.verifyChunks();
    // A 0.5 sine: -9.03 dBFS RMS, -6.02 dBFS peak; AAC at 128 kb/s keeps a
    // pure tone within a few tenths of a dB.
    QVERIFY2(std::abs(level.rms_dBFS - -9.03f) < 0.2f, qPrintable(QString::number(level.rms_dBFS)));
    QVERIFY2(std::abs(level.peak_dBFS - -6.02f) < 0.3f,
             qPrintable(QString::number(level.peak_dBFS)));
    sink.decoder.takeLevel();
    QCOMPARE(sink.decoder.takeLevel().rms_dBFS, -120.f);

    // Every decoded sample comes out, resampled (± rounding). That is the
    // signal plus the encoder's 1024 priming samples and the padding of the
    // last frame: between 1024 and 2047 samples at the input rate more than
    // the signal's duration.
    const std::vector<int16_t> pcm = sink.pcm();
    QVERIFY2(std::abs(double(pcm.size()) - stream.outputSamples()) <= 1,
             qPrintable(QStringLiteral("%1 vs %2").arg(pcm.size()).arg(stream.outputSamples())));
    const double extra = double(pcm.size()) - duration_s * kOutputSampleRate_Hz;
    QVERIFY(extra >= 1024.0 * 16000 / sampleRate - 1 && extra <= 2048.0 * 16000 / sampleRate);
    QCOMPARE(sink.decoder.samplesOut(), uint64_t(pcm.size()));

    const int16_t *middle = pcm.data() + 8000;
    const size_t count = 32000;
    QVERIFY2(std::abs(frequency_Hz(middle, count) - 440) < 0.1,
             qPrintable(QString::number(frequency_Hz(middle, count))));
}

void TstAacStreamDecoder::matchesFfmpegTool()
{
    // The reference is what `ffmpeg -f s16le -ar 16000 -ac 1` (FFmpeg 5.1)
    // makes of the FLV file; tone_noise_44k1_stereo.txt says how both were
    // made. Decoding is the same, the conversion is not swr's.
    QFile flvFile(QStringLiteral(ROOMSCRIBE_TEST_DATA "/tone_noise_44k1_stereo.flv"));
    QFile referenceFile(
        QStringLiteral(ROOMSCRIBE_TEST_DATA "/tone_noise_44k1_stereo.ffmpeg16k.s16"));
    QVERIFY(flvFile.open(QIODevice::ReadOnly));
    QVERIFY(referenceFile.open(QIODevice::ReadOnly));
    const QByteArray flv = flvFile.readAll();
    const QByteArray reference = referenceFile.readAll();

    Sink sink;
    // FLV file: 9-byte header, then (previous tag size, tag header, body)*.
    QVERIFY(flv.startsWith("FLV"));
    qsizetype pos = 9 + 4;
    int audioTags = 0;
    while (pos + 11 <= flv.size()) {
        const auto *header = reinterpret_cast<const uint8_t *>(flv.constData() + pos);
        const qsizetype bodySize = (header[1] << 16) | (header[2] << 8) | header[3];
        QVERIFY(pos + 11 + bodySize <= flv.size());
        if (header[0] == 8) {
            QVERIFY2(sink.feed(flv.mid(pos + 11, bodySize)), qPrintable(sink.decoder.errorText()));
            ++audioTags;
        }
        pos += 11 + bodySize + 4;
    }
    sink.decoder.flush();
    QVERIFY(audioTags > 80);

    const std::vector<int16_t> pcm = sink.pcm();
    const auto *expected = reinterpret_cast<const int16_t *>(reference.constData());
    QCOMPARE(qsizetype(pcm.size()), reference.size() / 2);
    // Same timing, level and downmix, but a sharper filter than swr's
    // default, which droops from 6.3 kHz (-0.4 dB at 7 kHz) and folds 8 to
    // 9.3 kHz back in. So the two differ by what this signal (its pink noise)
    // has between 6 and 9.3 kHz, 43 dB below the whole; below 6 kHz they
    // agree to the rounding (73 dB), where a shift by one sample would leave
    // about 12 dB and a gain error of 0.1 dB 39 dB. The bounds leave 3 and
    // 8 dB for other SIMD paths in libavcodec.
    const double fullBand_dB = snr_dB(expected, pcm.data(), pcm.size());
    const std::vector<double> lowReference = lowpass(expected, pcm.size());
    const std::vector<double> lowPcm = lowpass(pcm.data(), pcm.size());
    const double lowBand_dB = snr_dB(lowReference.data(), lowPcm.data(), lowPcm.size());
    qInfo("SNR against ffmpeg: %.1f dB, below 6 kHz %.1f dB", fullBand_dB, lowBand_dB);
    QVERIFY(fullBand_dB >= 40);
    QVERIFY(lowBand_dB >= 65);
}

void TstAacStreamDecoder::sameConfigContinues()
{
    // A republished stream sends its config again: the output must be exactly
    // what it would have been without the repeat.
    const EncodedStream stream = encode(44100, 2, 2.0, tone(440, 44100, 0.5));
    Sink plain;
    QVERIFY(plain.feed(stream.sequenceHeader) && plain.feed(stream));
    plain.decoder.flush();

    Sink repeated;
    const size_t half = stream.frames.size() / 2;
    QVERIFY(repeated.feed(stream.sequenceHeader) && repeated.feed(stream, 0, half));
    const uint64_t before = repeated.decoder.samplesOut();
    QVERIFY(repeated.feed(stream.sequenceHeader));
    QCOMPARE(repeated.decoder.samplesOut(), before); // nothing flushed
    QVERIFY(repeated.feed(stream.sequenceHeader));
    QVERIFY(repeated.feed(stream, half));
    repeated.decoder.flush();

    repeated.verifyChunks();
    QCOMPARE(repeated.chunks.size(), plain.chunks.size());
    QVERIFY(repeated.pcm() == plain.pcm());
}

void TstAacStreamDecoder::differentConfigReopens()
{
    const EncodedStream first = encode(48000, 2, 1.5, tone(440, 48000, 0.5));
    const EncodedStream second = encode(44100, 2, 1.5, tone(440, 44100, 0.5));
    QVERIFY(first.sequenceHeader != second.sequenceHeader);

    Sink sink;
    QVERIFY(sink.feed(first.sequenceHeader) && sink.feed(first));
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 48000);
    QVERIFY2(sink.feed(second.sequenceHeader), qPrintable(sink.decoder.errorText()));
    // The first stream is out in full (± rounding) before the second starts.
    QVERIFY(double(sink.decoder.samplesOut()) >=
            std::floor((first.outputSamples() - 1) / 1600) * 1600);
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 44100);
    QVERIFY(sink.feed(second));
    sink.decoder.flush();
    sink.verifyChunks();

    const std::vector<int16_t> pcm = sink.pcm();
    const double expected = first.outputSamples() + second.outputSamples();
    QVERIFY2(std::abs(double(pcm.size()) - expected) <= 2,
             qPrintable(QStringLiteral("%1 vs %2").arg(pcm.size()).arg(expected)));
    const size_t boundary = size_t(first.outputSamples());
    QVERIFY(std::abs(frequency_Hz(pcm.data() + 2000, boundary - 4000) - 440) < 0.1);
    QVERIFY(std::abs(frequency_Hz(pcm.data() + boundary + 2000, pcm.size() - boundary - 4000) -
                     440) < 0.1);
}

void TstAacStreamDecoder::flushThenContinue()
{
    const EncodedStream stream = encode(44100, 2, 2.0, tone(440, 44100, 0.5));
    Sink sink;
    const size_t half = stream.frames.size() / 2;
    QVERIFY(sink.feed(stream.sequenceHeader) && sink.feed(stream, 0, half));
    sink.decoder.flush();
    const uint64_t flushed = sink.decoder.samplesOut();
    QVERIFY(std::abs(double(flushed) - double(half) * 1024 * 16000 / 44100) <= 1);
    QVERIFY2(sink.feed(stream, half), qPrintable(sink.decoder.errorText()));
    sink.decoder.flush();
    sink.verifyChunks(true);
    QVERIFY(std::abs(double(sink.decoder.samplesOut()) - stream.outputSamples()) <= 2);
    QCOMPARE(sink.decoder.corruptFrames(), uint64_t(0));
}

void TstAacStreamDecoder::audioBeforeConfig()
{
    const EncodedStream stream = encode(48000, 2, 0.5, tone(440, 48000, 0.5));
    Sink sink;
    QVERIFY(!sink.feed(stream.frames[0]));
    QVERIFY2(sink.decoder.errorText().contains(QLatin1String("AudioSpecificConfig")),
             qPrintable(sink.decoder.errorText()));
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 0);
    // Not fatal: once the config comes, decoding starts.
    QVERIFY(sink.feed(stream.sequenceHeader) && sink.feed(stream, 1));
    sink.decoder.flush();
    QVERIFY(sink.decoder.samplesOut() > 7000);
}

void TstAacStreamDecoder::rejectedConfig_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << "truncated";
    QTest::newRow("garbage") << QByteArray::fromHex("ffffff") << "truncated";
    QTest::newRow("object type 0") << QByteArray::fromHex("0210") << "object type 0";
    QTest::newRow("reserved frequency") << QByteArray::fromHex("1690") << "frequency";
    // Well-formed, but libavcodec 5.1 decodes neither USAC nor TwinVQ (7).
    QTest::newRow("USAC") << QByteArray::fromHex("f94640") << "libavcodec rejected";
    QTest::newRow("TwinVQ") << QByteArray::fromHex("3a10") << "libavcodec rejected";
}

void TstAacStreamDecoder::rejectedConfig()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, reason);
    const EncodedStream stream = encode(48000, 2, 0.5, tone(440, 48000, 0.5));

    Sink sink;
    QVERIFY(sink.feed(stream.sequenceHeader) && sink.feed(stream, 0, 10));
    QVERIFY(!sink.feed(flvTag(0, config)));
    QVERIFY2(sink.decoder.errorText().contains(reason), qPrintable(sink.decoder.errorText()));
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 0);
    // Audio after the bad config is refused rather than decoded with the old one.
    QVERIFY(!sink.feed(stream.frames[10]));
    QVERIFY(sink.decoder.errorText().contains(QLatin1String("AudioSpecificConfig")));
    // What the previous config decoded was delivered in full.
    sink.decoder.flush();
    QVERIFY(std::abs(double(sink.decoder.samplesOut()) - 10 * 1024 / 3.0) <= 1);
}

void TstAacStreamDecoder::notAac()
{
    Sink sink;
    const QByteArray mp3 = QByteArray::fromHex("2fffe3");
    QVERIFY(!sink.feed(mp3));
    QVERIFY2(sink.decoder.errorText().contains(QLatin1String("MP3")),
             qPrintable(sink.decoder.errorText()));
    QVERIFY(!sink.decoder.feed(nullptr, 0, 0));
    QVERIFY(!sink.decoder.errorText().isEmpty());
}

void TstAacStreamDecoder::corruptFramesSkipped()
{
    EncodedStream stream = encode(44100, 2, 2.0, tone(440, 44100, 0.5));
    // Frames cut short and an element the stereo config does not have.
    const std::vector<size_t> corrupted = {20, 21, 40, 41, 60};
    for (size_t i : corrupted)
        stream.frames[i].truncate(4 + int(i % 2));
    stream.frames[60] = flvTag(1, QByteArray::fromHex("00112233445566778899"));
    const QByteArray empty = flvTag(1, QByteArray());

    Sink sink;
    QVERIFY(sink.feed(stream.sequenceHeader));
    // One warning, the rest within the rate limit.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("skipped 1 corrupt AAC frame"));
    QTest::failOnWarning(QRegularExpression("corrupt AAC"));
    QVERIFY(sink.feed(stream));
    QVERIFY(sink.feed(empty)); // nothing to decode, not corrupt
    sink.decoder.flush();
    QCOMPARE(sink.decoder.corruptFrames(), uint64_t(corrupted.size()));
    sink.verifyChunks();
    const double expected = double(stream.frames.size() - corrupted.size()) * 1024 * 16000 / 44100;
    QVERIFY2(std::abs(double(sink.decoder.samplesOut()) - expected) <= 1,
             qPrintable(QStringLiteral("%1 vs %2").arg(sink.decoder.samplesOut()).arg(expected)));
}

void TstAacStreamDecoder::memoryPerDecoder()
{
    // Heap held by a decoder that has seen a config and some audio (glibc's
    // count of allocated bytes, mmapped blocks included; libavcodec clears
    // what it allocates, so all of it is resident). The budget is 1 MiB of
    // RSS per stream for everything.
    const EncodedStream stream = encode(44100, 2, 0.2, tone(440, 44100, 0.5));
    constexpr int kDecoders = 50;
    std::vector<std::unique_ptr<Sink>> sinks;
    sinks.reserve(kDecoders);
    const auto heap = [] {
        const struct mallinfo2 info = mallinfo2();
        return info.uordblks + info.hblkhd;
    };
    const size_t before = heap();
    for (int i = 0; i < kDecoders; ++i) {
        sinks.push_back(std::make_unique<Sink>());
        QVERIFY(sinks.back()->feed(stream.sequenceHeader) && sinks.back()->feed(stream));
        sinks.back()->chunks.clear();
        sinks.back()->chunks.shrink_to_fit();
    }
    const double perDecoder = double(heap() - before) / kDecoders;
    qInfo("heap per decoder: %.0f KiB", perDecoder / 1024);
    QVERIFY(perDecoder < 1024 * 1024);
}

QTEST_GUILESS_MAIN(TstAacStreamDecoder)
#include "tst_aacstreamdecoder.moc"

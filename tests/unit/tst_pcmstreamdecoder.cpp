// PcmStreamDecoder: Track Egress's s16le 48 kHz stereo in pieces of any
// length to 16 kHz mono chunks — sample count, amplitude, the channel mix,
// pieces split anywhere (inside a sample too) giving the same output as one
// piece, silence for a muted speaker, and a dropped publisher's split frame.

#include "core/clock.h"
#include "media/pcmstreamdecoder.h"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace roomscribe;
using namespace roomscribe::media;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Interleaved s16le stereo at 48 kHz: a 1 kHz sine of the given amplitudes
// (full scale 1.0) on each channel.
QByteArray stereoSine(int frames, double left, double right, int firstFrame = 0)
{
    QByteArray bytes(qsizetype(frames) * 4, Qt::Uninitialized);
    auto *samples = reinterpret_cast<int16_t *>(bytes.data());
    for (int i = 0; i < frames; ++i) {
        const double s = std::sin(2 * kPi * 1000 * double(firstFrame + i) / 48000);
        samples[2 * i] = int16_t(std::lrint(left * 32767 * s));
        samples[2 * i + 1] = int16_t(std::lrint(right * 32767 * s));
    }
    return bytes;
}

struct Sink
{
    Sink()
        : decoder(100, [this](PcmChunk &&chunk) {
              bytes += chunk.pcm;
              ++chunks;
          })
    {
    }

    void feed(const QByteArray &bytes)
    {
        QVERIFY(decoder.feed(bytes.constData(), size_t(bytes.size()), monotonicNow_ns()));
    }

    std::vector<int16_t> pcm() const
    {
        const auto *samples = reinterpret_cast<const int16_t *>(bytes.constData());
        return {samples, samples + bytes.size() / 2};
    }

    PcmStreamDecoder decoder;
    QByteArray bytes;
    size_t chunks = 0;
};

double rms(const int16_t *samples, size_t count)
{
    double sum = 0;
    for (size_t i = 0; i < count; ++i)
        sum += double(samples[i]) * samples[i];
    return std::sqrt(sum / double(count));
}

} // namespace

class TstPcmStreamDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sineToMono();
    void channelsAreMixed();
    void splitAnywhereGivesSameOutput();
    void silenceForMutedSpeaker();
    void endInputDropsSplitFrame();
};

void TstPcmStreamDecoder::sineToMono()
{
    Sink sink;
    constexpr int kFrames = 48000; // 1 s
    sink.feed(stereoSine(kFrames, 0.5, 0.5));
    sink.decoder.flush();
    const std::vector<int16_t> pcm = sink.pcm();
    QCOMPARE(pcm.size(), size_t(kFrames / 3));
    QCOMPARE(sink.decoder.samplesOut(), uint64_t(kFrames / 3));
    QCOMPARE(sink.chunks, size_t(10));
    QCOMPARE(sink.decoder.inputSampleRate_Hz(), 48000);
    QCOMPARE(sink.decoder.inputChannels(), 2);

    // Away from the edges: a 1 kHz sine of half full scale, in phase with
    // the input (output n is the input at n / 16 kHz).
    const size_t from = 800, to = pcm.size() - 800;
    QVERIFY(std::abs(rms(pcm.data() + from, to - from) / (0.5 * 32767 / std::sqrt(2.0)) - 1) <
            0.01);
    double error = 0;
    for (size_t n = from; n < to; ++n) {
        const double expected = 0.5 * 32767 * std::sin(2 * kPi * 1000 * double(n) / 16000);
        error = std::max(error, std::abs(pcm[n] - expected));
    }
    QVERIFY2(error < 0.01 * 32767, qPrintable(QString::number(error)));
}

void TstPcmStreamDecoder::channelsAreMixed()
{
    // 0.5·L + 0.5·R: a sine on the left only comes out at half its level.
    Sink sink;
    sink.feed(stereoSine(48000, 0.8, 0));
    sink.decoder.flush();
    const std::vector<int16_t> pcm = sink.pcm();
    const double level = rms(pcm.data() + 800, pcm.size() - 1600);
    QVERIFY2(std::abs(level / (0.4 * 32767 / std::sqrt(2.0)) - 1) < 0.01,
             qPrintable(QString::number(level)));
}

void TstPcmStreamDecoder::splitAnywhereGivesSameOutput()
{
    const QByteArray input = stereoSine(48000, 0.7, -0.3);
    Sink whole;
    whole.feed(input);
    whole.decoder.flush();

    // Pieces of odd lengths: splits inside samples and inside frames.
    Sink pieces;
    const int lengths[] = {1, 3, 5, 7, 961, 1, 1917, 2, 3839, 13};
    qsizetype at = 0;
    for (int i = 0; at < input.size(); ++i) {
        const qsizetype length = std::min<qsizetype>(lengths[i % 10], input.size() - at);
        pieces.feed(input.mid(at, length));
        at += length;
    }
    pieces.decoder.flush();
    QCOMPARE(pieces.decoder.samplesOut(), whole.decoder.samplesOut());
    QVERIFY(pieces.pcm() == whole.pcm());
}

void TstPcmStreamDecoder::silenceForMutedSpeaker()
{
    Sink sink;
    sink.feed(stereoSine(4800, 0.5, 0.5)); // 100 ms
    sink.decoder.feedSilence(8000, monotonicNow_ns());
    sink.feed(stereoSine(4800, 0.5, 0.5, 4800));
    sink.decoder.flush();
    const std::vector<int16_t> pcm = sink.pcm();
    // Audio, then the silence, then audio again: nothing lost or added.
    QCOMPARE(pcm.size(), size_t(1600 + 8000 + 1600));
    // The audio before it ends at its last input sample, the audio after
    // starts afresh: the silence is exact.
    for (size_t n = 1600; n < 1600 + 8000; ++n)
        QCOMPARE(pcm[n], int16_t(0));
    QVERIFY(rms(pcm.data() + 200, 1200) > 0.3 * 32767);
    QVERIFY(rms(pcm.data() + 9600 + 200, 1200) > 0.3 * 32767);
}

void TstPcmStreamDecoder::endInputDropsSplitFrame()
{
    // A publisher that ends inside a frame: its stray bytes must not shift
    // the next publisher's samples.
    const QByteArray input = stereoSine(4800, 0.5, 0.5);
    Sink reference;
    reference.feed(input);
    reference.feed(input);
    reference.decoder.flush();

    Sink sink;
    sink.feed(input);
    sink.feed(input.left(3));
    sink.decoder.endInput();
    sink.feed(input);
    sink.decoder.flush();
    QVERIFY(sink.pcm() == reference.pcm());
}

QTEST_GUILESS_MAIN(TstPcmStreamDecoder)
#include "tst_pcmstreamdecoder.moc"

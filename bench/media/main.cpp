// media-bench: what decoding AAC and converting it to 16 kHz mono costs per
// stream, with swr's default conversion (what `ffmpeg -ar 16000 -ac 1` does,
// and what the engine did before PcmResampler had a converter of its own)
// and with PcmResampler.
//
// The input is speech from espeak-ng (or a WAV file), made stereo (the right
// channel 0.8 times the left, 0.5 ms later) at 48 and 44.1 kHz and encoded
// with libavcodec's AAC encoder at 128 kb/s. N streams, each with a decoder
// and a converter of its own, are fed frame by frame in turn, as an ingest
// worker serves them, so that their states compete for the caches as they
// do in the engine. CPU is this thread's CPU time, the best of several runs.

#include "media/aacdecoder.h"
#include "media/pcmchunk.h"
#include "media/pcmresampler.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libswresample/swresample.h>
}

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QProcess>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

using namespace roomscribe::media;

namespace {

constexpr int kHeapInstances = 100;
constexpr int kHeapFrames = 50;
constexpr int kAacFrameSamples = 1024;

const char kSpeech[] =
    "Good morning everyone, thanks for joining the weekly planning call. Today we will review "
    "the release schedule, the open support tickets, and the results of the latest load test on "
    "the ingest servers. The first item is the release. We planned to ship the new version on "
    "Thursday, but two issues are still open: the reconnect logic drops the first second of "
    "audio, and the level meter shows the wrong peak after a format change. Maria, can you give "
    "us an update on the reconnect fix? Sure. The fix is ready and reviewed, it only needs the "
    "end to end test to pass on the build machine. Great. Then the support tickets: seventeen "
    "are open, five of them about audio quality. Most of those come from customers who publish "
    "at forty four point one kilohertz from old encoders. Let us look at the recordings "
    "together after this call. Finally the load test: three hundred streams on one machine, and "
    "the engine stayed well below a quarter of one core per stream.";

enum class Conversion { Invalid, None, SwrDefaults, PcmResampler };

const char *describe(Conversion conversion)
{
    switch (conversion) {
    case Conversion::None:
        return "decode only";
    case Conversion::SwrDefaults:
        return "decode + swr defaults (old)";
    case Conversion::PcmResampler:
        return "decode + PcmResampler (new)";
    case Conversion::Invalid:
        break;
    }
    return "?";
}

double threadCpu_s()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

struct Pcm
{
    std::vector<int16_t> samples; // mono
    int sampleRate_Hz = 0;
};

// The samples of a 16-bit PCM WAV file's first channel.
bool parseWav(const QByteArray &wav, Pcm *pcm)
{
    if (wav.size() < 12 || !wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return false;
    int channels = 0;
    qsizetype pos = 12;
    while (pos + 8 <= wav.size()) {
        const QByteArray id = wav.mid(pos, 4);
        uint32_t size = 0;
        std::memcpy(&size, wav.constData() + pos + 4, 4);
        const qsizetype body = pos + 8;
        // A stream's header may give a size larger than what follows.
        const qsizetype available = std::min<qsizetype>(qsizetype(size), wav.size() - body);
        if (id == "fmt " && available >= 16) {
            uint16_t format = 0, count = 0, bits = 0;
            uint32_t rate = 0;
            std::memcpy(&format, wav.constData() + body, 2);
            std::memcpy(&count, wav.constData() + body + 2, 2);
            std::memcpy(&rate, wav.constData() + body + 4, 4);
            std::memcpy(&bits, wav.constData() + body + 14, 2);
            if (format != 1 || bits != 16 || count == 0)
                return false;
            channels = count;
            pcm->sampleRate_Hz = int(rate);
        } else if (id == "data" && channels > 0) {
            const auto *samples = reinterpret_cast<const int16_t *>(wav.constData() + body);
            for (qsizetype i = 0; i + channels <= available / 2; i += channels)
                pcm->samples.push_back(samples[i]);
            return !pcm->samples.empty();
        }
        pos = body + available + (available & 1);
    }
    return false;
}

bool loadSpeech(const QString &wavPath, Pcm *pcm)
{
    QByteArray wav;
    if (wavPath.isEmpty()) {
        QProcess espeak;
        espeak.start(QStringLiteral("espeak-ng"),
                     {QStringLiteral("-v"), QStringLiteral("en"), QStringLiteral("-s"),
                      QStringLiteral("150"), QStringLiteral("--stdout"),
                      QString::fromLatin1(kSpeech)});
        if (!espeak.waitForFinished(60000) || espeak.exitCode() != 0) {
            fprintf(stderr, "media-bench: espeak-ng failed (install it, or give --wav)\n");
            return false;
        }
        wav = espeak.readAllStandardOutput();
    } else {
        QFile file(wavPath);
        if (!file.open(QIODevice::ReadOnly)) {
            fprintf(stderr, "media-bench: %s: %s\n", qPrintable(wavPath),
                    qPrintable(file.errorString()));
            return false;
        }
        wav = file.readAll();
    }
    if (!parseWav(wav, pcm)) {
        fprintf(stderr, "media-bench: not a 16-bit PCM WAV file\n");
        return false;
    }
    return true;
}

// duration_s of speech (repeated if shorter) as stereo planar float at
// sampleRate_Hz, through swr at its best: this is test material.
bool makeStereo(const Pcm &speech, int sampleRate_Hz, double duration_s,
                std::vector<float> channels[2])
{
    SwrContext *swr = nullptr;
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    if (swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, sampleRate_Hz, &mono, AV_SAMPLE_FMT_S16,
                            speech.sampleRate_Hz, 0, nullptr) < 0 ||
        swr_init(swr) < 0) {
        swr_free(&swr);
        return false;
    }
    std::vector<float> converted(
        size_t(av_rescale(int64_t(speech.samples.size()), sampleRate_Hz, speech.sampleRate_Hz)) +
        256);
    uint8_t *out = reinterpret_cast<uint8_t *>(converted.data());
    const uint8_t *in = reinterpret_cast<const uint8_t *>(speech.samples.data());
    int count = swr_convert(swr, &out, int(converted.size()), &in, int(speech.samples.size()));
    if (count >= 0) {
        out = reinterpret_cast<uint8_t *>(converted.data() + count);
        const int tail = swr_convert(swr, &out, int(converted.size()) - count, nullptr, 0);
        count += std::max(tail, 0);
    }
    swr_free(&swr);
    if (count <= 0)
        return false;

    const size_t total = size_t(std::llround(duration_s * sampleRate_Hz));
    const size_t delay = size_t(sampleRate_Hz / 2000);
    channels[0].resize(total);
    channels[1].resize(total);
    for (size_t i = 0; i < total; ++i) {
        channels[0][i] = converted[i % size_t(count)];
        channels[1][i] = i < delay ? 0.f : 0.8f * converted[(i - delay) % size_t(count)];
    }
    return true;
}

struct EncodedAudio
{
    std::vector<uint8_t> config; // AudioSpecificConfig
    std::vector<std::vector<uint8_t>> frames;
    int sampleRate_Hz = 0;
    double duration_s = 0;
};

bool encodeAac(const std::vector<float> channels[2], int sampleRate_Hz, EncodedAudio *encoded)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("aac");
    AVCodecContext *context = codec ? avcodec_alloc_context3(codec) : nullptr;
    if (!context)
        return false;
    context->sample_fmt = AV_SAMPLE_FMT_FLTP;
    context->sample_rate = sampleRate_Hz;
    context->bit_rate = 128000;
    context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_channel_layout_default(&context->ch_layout, 2);
    AVFrame *frame = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    bool ok = frame && packet && avcodec_open2(context, codec, nullptr) >= 0;
    if (ok) {
        encoded->config.assign(context->extradata, context->extradata + context->extradata_size);
        encoded->sampleRate_Hz = sampleRate_Hz;
        encoded->duration_s = double(channels[0].size()) / sampleRate_Hz;
    }
    const auto receive = [&] {
        while (avcodec_receive_packet(context, packet) == 0) {
            encoded->frames.emplace_back(packet->data, packet->data + packet->size);
            av_packet_unref(packet);
        }
    };
    const size_t total = channels[0].size();
    for (size_t first = 0; ok && first < total; first += size_t(context->frame_size)) {
        frame->format = context->sample_fmt;
        frame->sample_rate = sampleRate_Hz;
        frame->nb_samples = int(std::min(size_t(context->frame_size), total - first));
        ok = av_channel_layout_copy(&frame->ch_layout, &context->ch_layout) >= 0 &&
             av_frame_get_buffer(frame, 0) >= 0;
        for (int c = 0; ok && c < 2; ++c)
            std::memcpy(frame->extended_data[c], channels[c].data() + first,
                        size_t(frame->nb_samples) * sizeof(float));
        ok = ok && avcodec_send_frame(context, frame) >= 0;
        av_frame_unref(frame);
        receive();
    }
    if (ok) {
        avcodec_send_frame(context, nullptr);
        receive();
    }
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&context);
    return ok && !encoded->frames.empty();
}

// The conversion the engine made before: swr with its default options.
class SwrDefaults
{
public:
    ~SwrDefaults() { swr_free(&m_swr); }

    bool convert(const AVFrame &frame, std::vector<int16_t> &out)
    {
        if (!m_swr) {
            AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
            if (swr_alloc_set_opts2(&m_swr, &mono, AV_SAMPLE_FMT_S16, kOutputSampleRate_Hz,
                                    const_cast<AVChannelLayout *>(&frame.ch_layout),
                                    AVSampleFormat(frame.format), frame.sample_rate, 0,
                                    nullptr) < 0 ||
                swr_init(m_swr) < 0)
                return false;
        }
        const int room = swr_get_out_samples(m_swr, frame.nb_samples);
        const size_t used = out.size();
        out.resize(used + size_t(std::max(room, 0)));
        uint8_t *dst = reinterpret_cast<uint8_t *>(out.data() + used);
        const int converted = swr_convert(
            m_swr, &dst, room, const_cast<const uint8_t **>(frame.extended_data), frame.nb_samples);
        out.resize(used + size_t(std::max(converted, 0)));
        return converted >= 0;
    }

    void flush(std::vector<int16_t> &out)
    {
        const int room = m_swr ? swr_get_out_samples(m_swr, 0) : 0;
        if (room <= 0)
            return;
        const size_t used = out.size();
        out.resize(used + size_t(room));
        uint8_t *dst = reinterpret_cast<uint8_t *>(out.data() + used);
        out.resize(used + size_t(std::max(swr_convert(m_swr, &dst, room, nullptr, 0), 0)));
    }

private:
    SwrContext *m_swr = nullptr;
};

struct Stream
{
    AacDecoder decoder;
    SwrDefaults swr;
    PcmResampler resampler;
    std::vector<int16_t> pcm;
};

bool feed(Stream &stream, Conversion conversion, const std::vector<uint8_t> *frame)
{
    bool ok = true;
    if (frame)
        ok = stream.decoder.send(frame->data(), frame->size());
    else
        stream.decoder.drain();
    while (const AVFrame *decoded = stream.decoder.receive()) {
        if (conversion == Conversion::SwrDefaults)
            ok = stream.swr.convert(*decoded, stream.pcm) && ok;
        else if (conversion == Conversion::PcmResampler)
            ok = stream.resampler.convert(*decoded, stream.pcm) && ok;
    }
    if (!frame && conversion == Conversion::SwrDefaults)
        stream.swr.flush(stream.pcm);
    else if (!frame && conversion == Conversion::PcmResampler)
        stream.resampler.flush(stream.pcm);
    return ok;
}

// CPU seconds for `streams` streams of the whole input, interleaved frame by
// frame; the first stream's output goes to *output.
double run(const EncodedAudio &audio, int streams, Conversion conversion,
           std::vector<int16_t> *output)
{
    std::vector<std::unique_ptr<Stream>> all;
    for (int i = 0; i < streams; ++i) {
        all.push_back(std::make_unique<Stream>());
        if (!all.back()->decoder.open(audio.config.data(), audio.config.size()))
            return -1;
    }
    output->clear();
    const double start_s = threadCpu_s();
    for (size_t f = 0; f <= audio.frames.size(); ++f) {
        const std::vector<uint8_t> *frame = f < audio.frames.size() ? &audio.frames[f] : nullptr;
        for (int i = 0; i < streams; ++i) {
            Stream &stream = *all[size_t(i)];
            if (!feed(stream, conversion, frame))
                return -1;
            if (i == 0)
                output->insert(output->end(), stream.pcm.begin(), stream.pcm.end());
            stream.pcm.clear();
        }
    }
    return threadCpu_s() - start_s;
}

// Heap held per stream: kHeapInstances decoders (and converters) that have
// seen some audio.
double heapPerStream_KiB(const EncodedAudio &audio, Conversion conversion)
{
    std::vector<std::unique_ptr<Stream>> all;
    malloc_trim(0);
    const size_t before = heapInUse();
    for (int i = 0; i < kHeapInstances; ++i) {
        all.push_back(std::make_unique<Stream>());
        Stream &stream = *all.back();
        stream.decoder.open(audio.config.data(), audio.config.size());
        for (size_t f = 0; f < std::min<size_t>(kHeapFrames, audio.frames.size()); ++f) {
            feed(stream, conversion, &audio.frames[f]);
            stream.pcm.clear();
        }
        stream.pcm.shrink_to_fit();
    }
    return double(heapInUse() - before) / kHeapInstances / 1024;
}

double snr_dB(const std::vector<int16_t> &reference, const std::vector<int16_t> &other)
{
    double signal = 0, noise = 0;
    for (size_t i = 0; i < std::min(reference.size(), other.size()); ++i) {
        const double difference = double(reference[i]) - other[i];
        signal += double(reference[i]) * reference[i];
        noise += difference * difference;
    }
    return 10 * std::log10(signal / std::max(noise, 1e-9));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    av_log_set_level(AV_LOG_ERROR); // the encoder reports its quantizer on exit
    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral(
        "CPU and heap per stream of AAC decoding and conversion to 16 kHz mono, swr's defaults "
        "against PcmResampler."));
    args.addHelpOption();
    args.addOption({QStringLiteral("streams"), QStringLiteral("Streams decoded in turn."),
                    QStringLiteral("N"), QStringLiteral("100")});
    args.addOption({QStringLiteral("seconds"), QStringLiteral("Audio per stream."),
                    QStringLiteral("S"), QStringLiteral("60")});
    args.addOption({QStringLiteral("runs"), QStringLiteral("Runs per figure; the best counts."),
                    QStringLiteral("N"), QStringLiteral("3")});
    args.addOption({QStringLiteral("rate"),
                    QStringLiteral("Input sampling rate; 48000 and 44100 when not given."),
                    QStringLiteral("HZ")});
    args.addOption({QStringLiteral("wav"),
                    QStringLiteral("Speech (16-bit WAV) to use instead of espeak-ng's."),
                    QStringLiteral("FILE")});
    args.process(app);
    const int streams = std::max(1, args.value(QStringLiteral("streams")).toInt());
    const double seconds = std::max(1.0, args.value(QStringLiteral("seconds")).toDouble());
    const int runs = std::max(1, args.value(QStringLiteral("runs")).toInt());

    Pcm speech;
    if (!loadSpeech(args.value(QStringLiteral("wav")), &speech))
        return 1;
    printf("media-bench: %d streams x %.0f s of AAC stereo speech (128 kb/s), interleaved frame by "
           "frame; CPU in %% of one core per stream for real time, best of %d runs\n",
           streams, seconds, runs);

    std::vector<int> rates_Hz = {48000, 44100};
    if (args.isSet(QStringLiteral("rate")))
        rates_Hz = {args.value(QStringLiteral("rate")).toInt()};
    for (int sampleRate_Hz : rates_Hz) {
        std::vector<float> channels[2];
        EncodedAudio audio;
        if (!makeStereo(speech, sampleRate_Hz, seconds, channels) ||
            !encodeAac(channels, sampleRate_Hz, &audio)) {
            fprintf(stderr, "media-bench: cannot make %d Hz AAC\n", sampleRate_Hz);
            return 1;
        }
        printf("\n%d Hz:\n%-30s %10s %12s %14s %16s\n", sampleRate_Hz, "", "CPU %/stream",
               "conversion", "heap KiB/stream", "conversion heap");
        double decodeOnly_percent = 0;
        double decodeOnly_KiB = 0;
        std::vector<int16_t> outputs[2];
        for (Conversion conversion :
             {Conversion::None, Conversion::SwrDefaults, Conversion::PcmResampler}) {
            std::vector<int16_t> output;
            double best_s = 1e300;
            for (int r = 0; r < runs; ++r) {
                const double cpu_s = run(audio, streams, conversion, &output);
                if (cpu_s < 0) {
                    fprintf(stderr, "media-bench: decoding or conversion failed\n");
                    return 1;
                }
                best_s = std::min(best_s, cpu_s);
            }
            const double percent = best_s / (streams * audio.duration_s) * 100;
            const double heap_KiB = heapPerStream_KiB(audio, conversion);
            if (conversion == Conversion::None) {
                decodeOnly_percent = percent;
                decodeOnly_KiB = heap_KiB;
                printf("%-30s %10.4f %12s %14.1f %16s\n", describe(conversion), percent, "",
                       heap_KiB, "");
                continue;
            }
            printf("%-30s %10.4f %12.4f %14.1f %16.1f\n", describe(conversion), percent,
                   percent - decodeOnly_percent, heap_KiB, heap_KiB - decodeOnly_KiB);
            outputs[conversion == Conversion::PcmResampler] = std::move(output);
        }
        printf("new vs old output: %zu vs %zu samples, SNR %.1f dB\n", outputs[1].size(),
               outputs[0].size(), snr_dB(outputs[0], outputs[1]));
        if (const PolyphaseFilter *filter = PolyphaseFilter::forInputRate(sampleRate_Hz))
            printf("shared filter: %d phases x %d taps, %.0f KiB once per process\n",
                   filter->phases(), filter->taps(),
                   double(filter->phases()) * filter->taps() * sizeof(float) / 1024);
    }
    return 0;
}

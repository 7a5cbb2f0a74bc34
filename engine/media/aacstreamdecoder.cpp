#include "media/aacstreamdecoder.h"

#include "core/clock.h"
#include "core/logging.h"
#include "media/aacdecoder.h"
#include "media/audiospecificconfig.h"
#include "media/flvaudiotag.h"
#include "media/pcmchunker.h"
#include "media/pcmresampler.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <QByteArray>

#include <cstring>
#include <utility>
#include <vector>

namespace roomscribe::media {

namespace {

// A broken encoder can corrupt every frame; one line per interval is enough.
constexpr int64_t kCorruptLogInterval_ns = 10'000'000'000;

} // namespace

struct AacStreamDecoder::Private
{
    Private(int chunkDuration_ms, ChunkHandler onChunk)
        : m_chunker(chunkDuration_ms, std::move(onChunk))
    {
    }

    bool fail(const QString &text);
    bool configure(const uint8_t *data, size_t size, int64_t arrival_ns);
    bool decode(const uint8_t *data, size_t size, int64_t arrival_ns);
    // Resamples every frame the decoder has ready and hands the result on.
    bool receiveFrames(int64_t arrival_ns);
    // Drains decoder and resampler: the end of this stream or of this config.
    void finishConversion(int64_t arrival_ns);
    void deliver(int64_t arrival_ns);
    void countCorruptFrame();

    AacDecoder m_decoder;
    PcmResampler m_resampler;
    AudioLevelMeter m_meter;
    PcmChunker m_chunker;
    QByteArray m_config;        // the AudioSpecificConfig the decoder is open with
    std::vector<int16_t> m_pcm; // resampler output, capacity reused
    QString m_errorText;
    uint64_t m_corruptFrames = 0;
    uint64_t m_corruptFramesLogged = 0;
    int64_t m_corruptLogged_ns = 0;
    int64_t m_lastArrival_ns = 0;
    int m_inputSampleRate_Hz = 0;
    int m_inputChannels = 0;
};

bool AacStreamDecoder::Private::fail(const QString &text)
{
    m_errorText = text;
    return false;
}

bool AacStreamDecoder::Private::configure(const uint8_t *data, size_t size, int64_t arrival_ns)
{
    // A republished stream repeats its config: keep decoding without a seam.
    if (m_decoder.isOpen() && size == size_t(m_config.size()) &&
        memcmp(data, m_config.constData(), size) == 0)
        return true;

    finishConversion(arrival_ns);
    m_decoder.close();
    m_config.clear();
    m_inputSampleRate_Hz = 0;
    m_inputChannels = 0;

    AudioSpecificConfig asc;
    QString error;
    if (!parseAudioSpecificConfig(data, size, asc, &error))
        return fail(error);
    if (!m_decoder.open(data, size))
        return fail(QStringLiteral("%1 (%2)").arg(m_decoder.errorText(), describe(asc)));
    m_config = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
    m_inputSampleRate_Hz = asc.outputSampleRate_Hz();
    m_inputChannels = asc.channels;
    qCInfo(lcMedia).noquote() << "AAC config:" << describe(asc);
    return true;
}

bool AacStreamDecoder::Private::decode(const uint8_t *data, size_t size, int64_t arrival_ns)
{
    if (!m_decoder.isOpen())
        return fail(QStringLiteral("AAC audio without a usable AudioSpecificConfig"));
    if (size == 0)
        return true; // nothing to decode; libavcodec would read it as end of stream
    if (!m_decoder.send(data, size)) {
        countCorruptFrame();
        return true;
    }
    return receiveFrames(arrival_ns);
}

bool AacStreamDecoder::Private::receiveFrames(int64_t arrival_ns)
{
    bool ok = true;
    while (const AVFrame *frame = m_decoder.receive()) {
        // The decoder knows best: implicit SBR/PS and PCE layouts show here.
        m_inputSampleRate_Hz = frame->sample_rate;
        m_inputChannels = frame->ch_layout.nb_channels;
        if (ok && !m_resampler.convert(*frame, m_pcm))
            ok = fail(m_resampler.errorText());
    }
    if (m_decoder.lastReceiveFailed())
        countCorruptFrame();
    deliver(arrival_ns);
    return ok;
}

void AacStreamDecoder::Private::finishConversion(int64_t arrival_ns)
{
    if (!m_decoder.isOpen())
        return;
    m_decoder.drain();
    receiveFrames(arrival_ns);
    m_resampler.flush(m_pcm);
    deliver(arrival_ns);
}

void AacStreamDecoder::Private::deliver(int64_t arrival_ns)
{
    if (m_pcm.empty())
        return;
    m_meter.add(m_pcm.data(), m_pcm.size());
    m_chunker.push(m_pcm.data(), m_pcm.size(), arrival_ns);
    m_pcm.clear();
}

void AacStreamDecoder::Private::countCorruptFrame()
{
    ++m_corruptFrames;
    const int64_t now_ns = monotonicNow_ns();
    if (m_corruptFramesLogged == 0 || now_ns - m_corruptLogged_ns >= kCorruptLogInterval_ns) {
        qCWarning(lcMedia).noquote() << "skipped" << m_corruptFrames - m_corruptFramesLogged
                                     << "corrupt AAC frame(s):" << m_decoder.errorText();
        m_corruptFramesLogged = m_corruptFrames;
        m_corruptLogged_ns = now_ns;
    }
}

AacStreamDecoder::AacStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk)
    : d(std::make_unique<Private>(chunkDuration_ms, std::move(onChunk)))
{
}

AacStreamDecoder::~AacStreamDecoder() = default;

bool AacStreamDecoder::feedFlvAudioTag(const char *data, size_t size, int64_t arrival_ns)
{
    d->m_lastArrival_ns = arrival_ns;
    FlvAudioTag tag;
    QString error;
    if (!parseFlvAudioTag(reinterpret_cast<const uint8_t *>(data), size, tag, &error))
        return d->fail(error);
    if (tag.aacPacketType == AacPacketType::SequenceHeader)
        return d->configure(tag.payload, tag.payloadSize, arrival_ns);
    return d->decode(tag.payload, tag.payloadSize, arrival_ns);
}

void AacStreamDecoder::flush()
{
    d->finishConversion(d->m_lastArrival_ns);
    d->m_chunker.flush();
}

QString AacStreamDecoder::errorText() const
{
    return d->m_errorText;
}

AudioLevel AacStreamDecoder::takeLevel()
{
    return d->m_meter.take();
}

uint64_t AacStreamDecoder::samplesOut() const
{
    return d->m_chunker.samplesOut();
}

uint64_t AacStreamDecoder::corruptFrames() const
{
    return d->m_corruptFrames;
}

int AacStreamDecoder::inputSampleRate_Hz() const
{
    return d->m_inputSampleRate_Hz;
}

int AacStreamDecoder::inputChannels() const
{
    return d->m_inputChannels;
}

} // namespace roomscribe::media

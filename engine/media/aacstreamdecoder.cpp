#include "media/aacstreamdecoder.h"

#include "core/clock.h"
#include "core/logging.h"
#include "media/aacdecoder.h"
#include "media/audiospecificconfig.h"
#include "media/flvaudiotag.h"
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
    explicit Private(AacStreamDecoder *q) : q(q) {}

    bool configure(const uint8_t *data, size_t size, int64_t arrival_ns);
    bool decode(const uint8_t *data, size_t size, int64_t arrival_ns);
    // Resamples every frame the decoder has ready and hands the result on.
    bool receiveFrames(int64_t arrival_ns);
    // Drains decoder and resampler: the end of this stream or of this config.
    void finishConversion(int64_t arrival_ns);
    void countCorruptFrame();

    AacStreamDecoder *q;
    AacDecoder m_decoder;
    PcmResampler m_resampler;
    QByteArray m_config;        // the AudioSpecificConfig the decoder is open with
    std::vector<int16_t> m_pcm; // resampler output, capacity reused
    uint64_t m_corruptFrames = 0;
    uint64_t m_corruptFramesLogged = 0;
    int64_t m_corruptLogged_ns = 0;
    int m_inputSampleRate_Hz = 0;
    int m_inputChannels = 0;
};

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
        return q->fail(error);
    if (!m_decoder.open(data, size))
        return q->fail(QStringLiteral("%1 (%2)").arg(m_decoder.errorText(), describe(asc)));
    m_config = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
    m_inputSampleRate_Hz = asc.outputSampleRate_Hz();
    m_inputChannels = asc.channels;
    qCInfo(lcMedia).noquote() << "AAC config:" << describe(asc);
    return true;
}

bool AacStreamDecoder::Private::decode(const uint8_t *data, size_t size, int64_t arrival_ns)
{
    if (!m_decoder.isOpen())
        return q->fail(QStringLiteral("AAC audio without a usable AudioSpecificConfig"));
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
            ok = q->fail(m_resampler.errorText());
    }
    if (m_decoder.lastReceiveFailed())
        countCorruptFrame();
    q->deliver(m_pcm, arrival_ns);
    return ok;
}

void AacStreamDecoder::Private::finishConversion(int64_t arrival_ns)
{
    if (!m_decoder.isOpen())
        return;
    m_decoder.drain();
    receiveFrames(arrival_ns);
    m_resampler.flush(m_pcm);
    q->deliver(m_pcm, arrival_ns);
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
    : StreamDecoder(chunkDuration_ms, std::move(onChunk)), d(std::make_unique<Private>(this))
{
}

AacStreamDecoder::~AacStreamDecoder() = default;

bool AacStreamDecoder::decode(const char *data, size_t size, int64_t arrival_ns)
{
    FlvAudioTag tag;
    QString error;
    if (!parseFlvAudioTag(reinterpret_cast<const uint8_t *>(data), size, tag, &error))
        return fail(error);
    if (tag.aacPacketType == AacPacketType::SequenceHeader)
        return d->configure(tag.payload, tag.payloadSize, arrival_ns);
    return d->decode(tag.payload, tag.payloadSize, arrival_ns);
}

void AacStreamDecoder::drain(int64_t arrival_ns)
{
    d->finishConversion(arrival_ns);
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

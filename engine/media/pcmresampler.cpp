#include "media/pcmresampler.h"

#include "media/averror.h"
#include "media/pcmchunk.h"

extern "C" {
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
}

#include <algorithm>

namespace roomscribe::media {

PcmResampler::PcmResampler() = default;

PcmResampler::~PcmResampler()
{
    swr_free(&m_swr);
    av_channel_layout_uninit(&m_layout);
}

bool PcmResampler::configure(const AVFrame &frame, const AVChannelLayout &layout)
{
    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    const bool isMono = av_channel_layout_compare(&layout, &mono) == 0;
    const bool isStereo = av_channel_layout_compare(&layout, &stereo) == 0;
    // Packed float is planar too when there is one channel.
    const bool planarFloat =
        frame.format == AV_SAMPLE_FMT_FLTP || (frame.format == AV_SAMPLE_FMT_FLT && isMono);
    const PolyphaseFilter *filter = PolyphaseFilter::forInputRate(frame.sample_rate);

    m_polyphase.reset();
    int error = av_channel_layout_copy(&m_layout, &layout);
    if (error >= 0 && filter && planarFloat && (isMono || isStereo)) {
        swr_free(&m_swr);
        m_polyphase.emplace(*filter);
    } else if (error >= 0) {
        // FFmpeg 5.1 declares the layouts non-const; swr only copies them.
        error = swr_alloc_set_opts2(&m_swr, const_cast<AVChannelLayout *>(&mono), AV_SAMPLE_FMT_S16,
                                    kOutputSampleRate_Hz, const_cast<AVChannelLayout *>(&layout),
                                    AVSampleFormat(frame.format), frame.sample_rate, 0, nullptr);
        if (error >= 0)
            error = swr_init(m_swr);
    }
    if (error < 0) {
        m_errorText = QStringLiteral("cannot convert %1 Hz, %2 channels, format %3: %4")
                          .arg(frame.sample_rate)
                          .arg(layout.nb_channels)
                          .arg(frame.format)
                          .arg(avErrorText(error));
        swr_free(&m_swr);
        m_needsInit = true;
        return false;
    }
    m_format = frame.format;
    m_sampleRate_Hz = frame.sample_rate;
    m_needsInit = false;
    m_hasInput = false;
    return true;
}

bool PcmResampler::convert(const AVFrame &frame, std::vector<int16_t> &out)
{
    // A layout without channel positions cannot be downmixed; assume the
    // usual one for the count, as the ffmpeg tool does.
    AVChannelLayout defaultLayout{};
    const bool unordered = frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC;
    if (unordered)
        av_channel_layout_default(&defaultLayout, frame.ch_layout.nb_channels);
    const AVChannelLayout &layout = unordered ? defaultLayout : frame.ch_layout;

    const bool changed = frame.format != m_format || frame.sample_rate != m_sampleRate_Hz ||
                         av_channel_layout_compare(&layout, &m_layout) != 0;
    if (changed)
        flush(out);
    if ((changed || m_needsInit) && !configure(frame, layout))
        return false;

    if (m_polyphase) {
        const auto *left = reinterpret_cast<const float *>(frame.extended_data[0]);
        const auto *right = layout.nb_channels == 2
                                ? reinterpret_cast<const float *>(frame.extended_data[1])
                                : left;
        m_polyphase->convert(left, right, size_t(std::max(frame.nb_samples, 0)), out);
        return true;
    }

    const size_t used = out.size();
    const int room = swr_get_out_samples(m_swr, frame.nb_samples);
    if (room < 0) {
        m_errorText = QStringLiteral("resampling failed: %1").arg(avErrorText(room));
        return false;
    }
    out.resize(used + size_t(room));
    uint8_t *dst = reinterpret_cast<uint8_t *>(out.data() + used);
    const int converted = swr_convert(
        m_swr, &dst, room, const_cast<const uint8_t **>(frame.extended_data), frame.nb_samples);
    if (converted < 0) {
        out.resize(used);
        m_errorText = QStringLiteral("resampling failed: %1").arg(avErrorText(converted));
        return false;
    }
    out.resize(used + size_t(converted));
    m_hasInput = true;
    return true;
}

void PcmResampler::flush(std::vector<int16_t> &out)
{
    if (m_polyphase) {
        m_polyphase->flush(out); // and starts over
        return;
    }
    if (!m_swr || m_needsInit || !m_hasInput)
        return;
    for (;;) {
        const int room = swr_get_out_samples(m_swr, 0);
        if (room <= 0)
            break;
        const size_t used = out.size();
        out.resize(used + size_t(room));
        uint8_t *dst = reinterpret_cast<uint8_t *>(out.data() + used);
        const int converted = swr_convert(m_swr, &dst, room, nullptr, 0);
        out.resize(used + size_t(std::max(converted, 0)));
        if (converted <= 0)
            break;
    }
    m_needsInit = true;
}

} // namespace roomscribe::media

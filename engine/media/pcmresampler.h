#pragma once

#include <QString>

#include <cstdint>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
struct AVFrame;
struct SwrContext;
}

namespace roomscribe::media {

// libswresample from any decoded format, rate and channel layout to s16 mono
// at kOutputSampleRate_Hz, with swr's default options (the same conversion as
// `ffmpeg -i in -f s16le -ar 16000 -ac 1`). Reconfigures itself when the input
// changes. Steady state does not allocate: output goes into the caller's
// vector, whose capacity is reused.
class PcmResampler
{
public:
    PcmResampler();
    ~PcmResampler();
    PcmResampler(const PcmResampler &) = delete;
    PcmResampler &operator=(const PcmResampler &) = delete;

    // Appends frame's samples, converted, to out. When the frame's format,
    // rate or layout differs from the previous frame's, what the old
    // conversion still holds is flushed to out first. Returns false with
    // errorText() if swr refuses the input.
    bool convert(const AVFrame &frame, std::vector<int16_t> &out);
    // Appends the samples still held in the filter; the next convert()
    // starts a fresh conversion.
    void flush(std::vector<int16_t> &out);

    QString errorText() const { return m_errorText; }

private:
    bool configure(const AVFrame &frame, const AVChannelLayout &layout);

    SwrContext *m_swr = nullptr;
    bool m_needsInit = true; // fresh context or flushed
    bool m_hasInput = false; // samples fed since the last (re)start
    int m_format = -1;
    int m_sampleRate_Hz = 0;
    AVChannelLayout m_layout{};
    QString m_errorText;
};

} // namespace roomscribe::media

#pragma once

#include "media/polyphaseresampler.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
struct AVFrame;
struct SwrContext;
}

namespace roomscribe::media {

// Any decoded format, rate and channel layout to s16 mono at
// kOutputSampleRate_Hz. What AAC streams decode to (planar float, mono or
// stereo, at an AAC rate above 16 kHz) goes through PolyphaseResampler:
// the 0.5·L + 0.5·R downmix of `ffmpeg -ac 1`, a sharper anti-alias filter
// than swr's default (flat to 7 kHz, 70+ dB down from 8 kHz), tables shared
// by all streams and under 1 KiB of state per stream. Anything else goes
// through libswresample with its default options (`ffmpeg -ar 16000 -ac 1`).
// Both keep the timing of the input (no delay). Reconfigures itself when the
// input changes. Steady state does not allocate: output goes into the
// caller's vector, whose capacity is reused.
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
    // errorText() if the input cannot be converted.
    bool convert(const AVFrame &frame, std::vector<int16_t> &out);
    // Appends the samples still held in the filter; the next convert()
    // starts a fresh conversion.
    void flush(std::vector<int16_t> &out);

    QString errorText() const { return m_errorText; }

private:
    bool configure(const AVFrame &frame, const AVChannelLayout &layout);

    std::optional<PolyphaseResampler> m_polyphase; // when the input suits it
    SwrContext *m_swr = nullptr;                   // for any other input
    bool m_needsInit = true;                       // fresh swr context or flushed
    bool m_hasInput = false;                       // samples fed since the last (re)start
    int m_format = -1;
    int m_sampleRate_Hz = 0;
    AVChannelLayout m_layout{};
    QString m_errorText;
};

} // namespace roomscribe::media

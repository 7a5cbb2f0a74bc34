#pragma once

#include <QByteArray>

#include <cstdint>

namespace roomscribe::media {

// s16le 16 kHz mono audio, the unit every later stage works in.
constexpr int kOutputSampleRate_Hz = 16000;

struct PcmChunk
{
    QByteArray pcm;            // s16le mono at kOutputSampleRate_Hz
    uint64_t sequence = 0;     // 0, 1, 2… per stream
    uint64_t firstSample = 0;  // index of pcm's first sample in the stream
    int64_t firstArrival_ns = 0; // arrival of the input that gave the first sample
    int64_t lastArrival_ns = 0;  // arrival of the input that completed the chunk
    int64_t ready_ns = 0;        // when the chunk was complete
};

} // namespace roomscribe::media

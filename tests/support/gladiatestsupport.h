#pragma once

#include "stt/gladiaconfig.h"

#include <QByteArray>
#include <QUrl>

#include <cstdint>

// Shared by the Gladia client tests that run against the emulator.
namespace roomscribe::test {

// 16 kHz mono s16le noise that never repeats, so a re-send can only line up
// where it belongs.
inline QByteArray noiseAudio(int duration_ms, uint32_t seed)
{
    QByteArray audio(duration_ms * 32, Qt::Uninitialized);
    uint32_t state = seed;
    for (char &byte : audio) {
        state = state * 1664525u + 1013904223u;
        byte = char(state >> 24);
    }
    return audio;
}

// Reconnects within milliseconds, so fault tests stay short.
inline stt::GladiaConfig fastGladiaConfig(const QUrl &apiUrl, const QByteArray &key,
                                          int stopTimeout_ms)
{
    stt::GladiaConfig config;
    config.apiUrl = apiUrl;
    config.apiKey = key;
    config.backoff = {20, 2.0, 200};
    config.stallTimeout_ms = 60000;
    config.stopTimeout_ms = stopTimeout_ms;
    return config;
}

} // namespace roomscribe::test

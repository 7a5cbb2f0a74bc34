#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <optional>

namespace roomscribe::stt {

// Exponential backoff with full jitter: attempt n waits a uniform random time
// in [0, min(cap, initial × factor^n)], so many clients that lost the same
// server do not come back in step.
struct BackoffConfig
{
    int initial_ms = 500;
    double factor = 2.0;
    int cap_ms = 30000;
};

// Everything one Gladia Live v2 stream needs (shared/PROTOCOLS.md "Gladia Live v2").
struct GladiaConfig
{
    QUrl apiUrl = QUrl(QStringLiteral("https://api.gladia.io"));
    QByteArray apiKey; // sent as x-gladia-key, never logged
    QString region;    // "us-west", "eu-west"; empty: Gladia's default

    // Audio as sent: the defaults are what ingest produces (media::PcmChunk).
    int sampleRate_Hz = 16000;
    int bitDepth = 16;
    int channels = 1;

    QStringList languages = {QStringLiteral("ru"), QStringLiteral("en")};
    bool codeSwitching = true;
    QString model;                       // empty: Gladia's default
    std::optional<double> endpointing_s; // silence that ends an utterance
    QJsonObject customMetadata;          // echoed by Gladia, e.g. {"room": …}

    // Unacknowledged audio kept for re-sending after a reconnect; beyond it
    // the oldest audio is dropped (and counted).
    int bufferLimit_ms = 60000;
    BackoffConfig backoff;
    int initTimeout_ms = 15000;    // one POST /v2/live
    int connectTimeout_ms = 10000; // one WebSocket handshake
    // A connection with unacknowledged audio and no acknowledgement for this
    // long is dead even if TCP has not noticed: reconnect.
    int stallTimeout_ms = 20000;
    // A session that cannot be reached again for this long (its URL may have
    // expired) is given up; GladiaBridge continues the stream in a new one.
    int reconnectGiveUp_ms = 120000;
    // After stop: how long to wait for the last audio, post-processing and
    // Gladia's close before giving up.
    int stopTimeout_ms = 30000;

    // Gladia ends a live session after 3 hours; a stream rolls over to a new
    // session rolloverLead_ms before that.
    int64_t maxSessionDuration_ms = int64_t(3) * 3600 * 1000;
    int64_t rolloverLead_ms = 60000;

    int frameBytes() const { return bitDepth / 8 * channels; }
    int64_t bytesPerSecond() const { return int64_t(sampleRate_Hz) * frameBytes(); }
};

// POST {apiUrl}/v2/live[?region=…]
QUrl gladiaInitUrl(const GladiaConfig &config);
// The init request body, with every message kind the client handles switched on.
QJsonObject gladiaInitBody(const GladiaConfig &config);

} // namespace roomscribe::stt

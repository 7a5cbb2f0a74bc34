#pragma once

#include "core/latencyhistogram.h"
#include "ingest/streamlabel.h"
#include "stt/gladiastats.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace roomscribe::ingest {

struct StreamStats
{
    QString app;
    QString key;
    StreamLabel label;
    bool publishing = false;
    bool muted = false;   // a track whose speaker muted (Track Egress says so)
    int publishCount = 0; // how many times a publisher has started on this key
    int inputSampleRate_Hz = 0;
    int inputChannels = 0;
    uint64_t audioMessages = 0;
    uint64_t bytesIn = 0; // audio payload bytes
    uint64_t samplesOut = 0;
    uint64_t chunks = 0;
    uint64_t corruptFrames = 0;
    uint32_t streamTime_ms = 0; // monotonic across republishes
    // First input arrival → chunk ready since the previous collection: the
    // wait for a chunk to fill, this stream's "chunking" stage.
    LatencyHistogram chunkFill;
    float rms_dBFS = -120.f;
    float peak_dBFS = -120.f;
    QString lastError;
    bool transcribing = false;
    stt::GladiaStats stt; // when transcribing
};

// One worker's counters; cumulative except the histogram, which covers the
// time since the previous collection.
struct WorkerStats
{
    int worker = -1;
    int connections = 0;
    uint64_t bytesIn = 0; // everything read from sockets
    uint64_t refused = 0;
    uint64_t failedConnections = 0;
    LatencyHistogram chunkLatency; // last input arrival → chunk ready
    std::vector<StreamStats> streams;
};

struct IngestStats
{
    double uptime_s = 0;
    int registeredStreams = 0;
    int connections = 0;
    int publishers = 0;
    uint64_t bytesIn = 0;
    uint64_t audioMessages = 0;
    uint64_t samplesOut = 0;
    uint64_t chunks = 0;
    uint64_t refused = 0;
    uint64_t failedConnections = 0;
    LatencyHistogram chunkLatency;
    int transcribing = 0;
    stt::GladiaStats stt; // all transcribed streams together
    std::vector<StreamStats> streams;
};

} // namespace roomscribe::ingest

Q_DECLARE_METATYPE(roomscribe::ingest::WorkerStats)
Q_DECLARE_METATYPE(roomscribe::ingest::IngestStats)

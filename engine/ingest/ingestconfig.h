#pragma once

#include "ingest/chunkconsumer.h"
#include "ingest/participant/participantconfig.h"

#include <QHostAddress>
#include <QString>

namespace roomscribe::ingest {

struct IngestConfig
{
    QHostAddress rtmpAddress = QHostAddress::Any;
    quint16 rtmpPort = 1935;
    // The Track Egress WebSocket endpoint: off while trackAddress is null (the
    // default); port 0 takes a free port (IngestServer::trackPort() says which).
    QHostAddress trackAddress;
    quint16 trackPort = 0;
    int workers = 0; // 0: one per CPU core
    int chunkDuration_ms = 100;
    QString pcmDirectory; // empty: no PCM files
    int maxConnections = 4096;
    int publishTimeout_s = 10; // from accept to an accepted publish (Track Egress: a request)
    int idleTimeout_s = 30;    // no input from an RTMP publisher
    // Consumers every stream gets besides the PCM file (transcription, say);
    // called on the stream's owner thread, so it must be thread-safe.
    ChunkConsumerFactory consumerFactory;
    // Rooms joined as a hidden WebRTC subscriber (no egress); off by default.
    ParticipantConfig participant;
};

} // namespace roomscribe::ingest

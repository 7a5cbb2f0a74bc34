#pragma once

#include "ingest/ingeststats.h"
#include "routing/routingtypes.h"
#include "store/transcriptstore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <optional>

// What /health and /metrics say about the engine, from snapshots the host
// keeps at hand (requests never wait for the workers).
namespace roomscribe::app {

struct EngineSnapshot
{
    bool stopping = false;
    bool transcribing = false;  // a Gladia key is configured
    ingest::IngestStats ingest; // the last stats collection
    std::optional<store::StoreStats> store;
    bool liveKit = false; // LiveKit control is on
    bool liveKitReachable = false;
    QString liveKitError;
    routing::EgressBudget egress;
    QList<routing::RoomStatus> rooms;
};

// "healthy" is false while stopping, when LiveKit is unreachable, when every
// transcribed stream has failed, or when the store is retrying.
QJsonObject healthJson(const EngineSnapshot &snapshot);
// Prometheus text 0.0.4, roomscribe_* families.
QByteArray metricsText(const EngineSnapshot &snapshot);

} // namespace roomscribe::app

#pragma once

#include "stt/backoff.h"

#include <QByteArray>
#include <QStringList>
#include <QUrl>

namespace roomscribe::ingest {

// The hidden subscriber that takes a room's audio without egress: where
// LiveKit is and how to sign its join tokens. Off while livekitUrl is empty.
struct ParticipantConfig
{
    QUrl livekitUrl; // http(s)://… or ws(s)://…, as the Twirp client takes it
    QString apiKey;
    QByteArray apiSecret;
    QStringList stunServers; // none needed when LiveKit's media address is reachable
    int jitterLatency_ms = 100;
    stt::BackoffConfig reconnect{500, 2.0, 30000};
    // Without media for this long after the join (no offer answered, ICE
    // never connected) the attempt counts as failed: no UDP path, typically.
    int mediaTimeout_s = 20;

    bool isEnabled() const { return livekitUrl.isValid() && !livekitUrl.isEmpty(); }
};

} // namespace roomscribe::ingest

#pragma once

#include "ingest/streamowner.h"

#include <QTimer>

#include <memory>
#include <unordered_map>
#include <vector>

class QTcpSocket;
class QWebSocketServer;

namespace roomscribe::ingest {

class TrackConnection;

// The Track Egress endpoint: LiveKit's Track Egress dials
// ws://HOST:PORT/track/<token> and sends one track's audio as raw PCM
// (TrackConnection). It owns every track stream on one thread of its own.
//
// Why one thread, and Qt's WebSocket code: Track Egress connections are few —
// each takes one of the LiveKit plan's concurrent egresses, 2 on the free
// plan and about 100 on paid ones — and each sends 192 kB/s of PCM in ~10 ms
// messages that need no decoding, only a 3:1 decimation. One thread carries
// that with room to spare, so there is no need for the RTMP workers' epoll
// and spreading; QWebSocketServer does the handshake and the framing.
//
// Only a token that IngestServer issued and has not closed gets through:
// the request line is read before the upgrade, and anything else is answered
// with HTTP 404 (not a /track/ path) or 401 (unknown or closed token).
class TrackIngest final : public StreamOwner
{
    Q_OBJECT
public:
    static constexpr int kMaxMessage_bytes = 1024 * 1024;

    TrackIngest(int index, const IngestConfig &config, std::shared_ptr<StreamRegistry> registry);
    ~TrackIngest() override;

    // The path Track Egress must dial for a token (/track/<token>), and back;
    // tokenOf() is empty for any other path.
    static QString pathFor(const QString &token);
    static QString tokenOf(const QString &path);

    // Thread-safe: takes an accepted descriptor onto this thread.
    void adoptSocket(qintptr fd);

    // For this endpoint's connections (same thread): deletes the connection
    // from the event loop.
    void forget(TrackConnection *connection);

protected:
    int connectionCount() const override;
    void closeConnections(const QString &reason) override;

private:
    void examineRequest(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, const QByteArray &status, const QString &why);
    void dropPending(QTcpSocket *socket);
    void onUpgraded();
    void keepPace();
    void sweep();

    QWebSocketServer *m_server; // never listens: it upgrades the sockets we let through
    std::unordered_map<QTcpSocket *, int64_t> m_pending; // accepted, request not yet read
    std::unordered_map<TrackConnection *, std::unique_ptr<TrackConnection>> m_connections;
    std::vector<std::unique_ptr<TrackConnection>> m_finished; // deleted from the event loop
    QTimer m_paceTimer;
    QTimer m_sweepTimer;
};

} // namespace roomscribe::ingest

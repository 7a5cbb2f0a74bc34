#pragma once

#include "ingest/rtmp/rtmpserversession.h"
#include "ingest/streamowner.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace roomscribe::ingest {

class IngestStream;
class IngestWorker;

// A connection on its way to another worker: the socket and the protocol
// state, with any input already read.
struct RtmpHandoff
{
    RtmpHandoff(int fd, std::unique_ptr<rtmp::RtmpServerSession> session, QString peer);
    ~RtmpHandoff(); // closes the descriptor unless it was adopted
    RtmpHandoff(const RtmpHandoff &) = delete;
    RtmpHandoff &operator=(const RtmpHandoff &) = delete;

    int fd = -1;
    std::unique_ptr<rtmp::RtmpServerSession> session;
    QString peer;
};

// One RTMP publisher on a worker: a non-blocking socket that the worker's
// epoll reports on, the protocol session it feeds, and the stream its audio
// goes to. Plain sockets rather than QTcpSocket: at hundreds of streams per
// thread, Qt's per-socket notifiers and buffers cost more than the decoding.
class RtmpConnection final : public rtmp::RtmpServerSession::Delegate, public Publisher
{
public:
    enum class State {
        Invalid = 0,
        Open,
        Lingering, // our side is done; waiting for the peer to close
        Closed,
    };

    // A freshly accepted connection.
    RtmpConnection(IngestWorker *worker, int fd, QString peer);
    // A connection handed over by another worker, its publish still pending.
    RtmpConnection(IngestWorker *worker, RtmpHandoff &handoff);
    ~RtmpConnection() override;
    RtmpConnection(const RtmpConnection &) = delete;
    RtmpConnection &operator=(const RtmpConnection &) = delete;

    int fd() const { return m_fd; }
    State state() const { return m_state; }
    QString peer() const override { return m_peer; }
    QString streamKey() const { return m_session->streamKey(); }
    bool isPublishing() const;
    bool awaitsPublish() const; // handshake or commands, no publish yet
    int64_t accepted_ns() const { return m_accepted_ns; }
    int64_t lastInput_ns() const { return m_lastInput_ns; }
    int64_t lingerDeadline_ns() const { return m_lingerDeadline_ns; }

    // Called by the worker when epoll reports the socket.
    void onReadable();
    void onWritable();
    // Ends the connection at once (protocol error, idle, shutdown).
    void close(const QString &reason) override;
    // Answers the publish that the previous worker deferred to this one.
    void completeHandoff();

    // RtmpServerSession::Delegate
    rtmp::PublishDecision onPublish(const QString &app, const QString &streamKey) override;
    void onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns) override;
    void onUnpublish() override;

private:
    void afterInput(bool keepOpen);
    void send(const QByteArray &bytes);
    void updateWritableWatch();
    // halfClose: tell the peer we are done writing (it then sees EOF).
    void finishGracefully(const QString &reason, bool halfClose);
    void handOff();
    void detachStream();

    IngestWorker *m_worker;
    int m_fd;
    std::unique_ptr<rtmp::RtmpServerSession> m_session;
    IngestStream *m_stream = nullptr;
    QString m_peer;
    QString m_endReason;
    QByteArray m_pendingOutput; // what the socket would not take yet
    State m_state = State::Open;
    bool m_watchingWritable = false;
    int m_targetWorker = -1; // where a deferred publish goes
    int64_t m_accepted_ns = 0;
    int64_t m_lastInput_ns = 0;
    int64_t m_lingerDeadline_ns = 0;
};

} // namespace roomscribe::ingest

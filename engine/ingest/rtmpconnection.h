#pragma once

#include "ingest/rtmp/rtmpserversession.h"

#include <QObject>
#include <QString>

#include <memory>

class QTcpSocket;

namespace roomscribe::ingest {

class IngestStream;
class IngestWorker;

// A connection on its way to another worker: the socket (a duplicated
// descriptor) and the protocol state, with any input already read.
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

// One RTMP publisher on a worker: reads the socket into the protocol session
// and routes its audio to the stream it published.
class RtmpConnection final : public QObject, public rtmp::RtmpServerSession::Delegate
{
    Q_OBJECT
public:
    // A freshly accepted connection.
    RtmpConnection(IngestWorker *worker, QTcpSocket *socket);
    // A connection handed over by another worker, its publish still pending.
    RtmpConnection(IngestWorker *worker, QTcpSocket *socket, RtmpHandoff &handoff);
    ~RtmpConnection() override;

    QString peer() const { return m_peer; }
    QString streamKey() const { return m_session->streamKey(); }
    bool isPublishing() const;
    bool awaitsPublish() const; // handshake or commands, no publish yet
    int64_t accepted_ns() const { return m_accepted_ns; }
    int64_t lastInput_ns() const { return m_lastInput_ns; }

    // Ends the connection with a reason for the log (idle, replaced, shutdown).
    void close(const QString &reason);
    // Answers the publish that the previous worker deferred to this one.
    void completeHandoff();

Q_SIGNALS:
    void finished(roomscribe::ingest::RtmpConnection *connection);

public:
    // RtmpServerSession::Delegate
    rtmp::PublishDecision onPublish(const QString &app, const QString &streamKey) override;
    void onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns) override;
    void onUnpublish() override;

private:
    void attach();
    void readInput();
    void afterInput(bool keepOpen);
    void writeOutput();
    void handOff();
    void detachStream();

    IngestWorker *m_worker;
    QTcpSocket *m_socket;
    std::unique_ptr<rtmp::RtmpServerSession> m_session;
    IngestStream *m_stream = nullptr;
    QString m_peer;
    int m_targetWorker = -1; // where a deferred publish goes
    bool m_closing = false;
    int64_t m_accepted_ns = 0;
    int64_t m_lastInput_ns = 0;
};

} // namespace roomscribe::ingest

#pragma once

#include "ingest/rtmp/amf0.h"
#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QTcpSocket>

#include <vector>

namespace roomscribe::test {

// A blocking RTMP client for tests that must send what no well-behaved
// publisher would: it pipelines the publish commands without waiting for
// answers, then writes whatever bytes the test wants.
class RawRtmpClient
{
public:
    bool connectTo(quint16 port);
    // C0+C1, waits for S0+S1+S2, sends C2.
    bool handshake();
    void sendCommand(const QString &name, double transaction,
                     std::vector<rtmp::Amf0Value> arguments);
    // connect, createStream, publish on app "live" (the stream id will be 1).
    void publish(const QString &key, quint16 port);
    void sendMessage(rtmp::MessageType type, uint32_t streamId, uint32_t timestamp_ms,
                     const QByteArray &payload);
    void sendRaw(const QByteArray &bytes);
    rtmp::RtmpChunkWriter &writer() { return m_writer; }
    // Reads (and drops) input until the server closes; false on time-out.
    bool waitForServerClose(int timeout_ms);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QByteArray received() const { return m_received; }

private:
    QTcpSocket m_socket;
    rtmp::RtmpChunkWriter m_writer;
    QByteArray m_received;
};

} // namespace roomscribe::test

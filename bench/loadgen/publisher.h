#pragma once

#include "flvaudio.h"

#include "ingest/rtmp/amf0.h"
#include "ingest/rtmp/rtmpchunkreader.h"
#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QByteArray>
#include <QString>
#include <QTcpSocket>

#include <cstdint>
#include <vector>

namespace roomscribe::bench {

// Where one stream publishes: rtmp://host:port/app/key.
struct PublishTarget
{
    QString host;
    quint16 port = 0;
    QString app;
    QString key;

    QString tcUrl() const;
    // Parses a full rtmp:// URL whose path is /APP/KEY.
    static bool fromUrl(const QString &url, PublishTarget *target, QString *error);
};

// Counters shared by all publishers; the load generator reports and resets them.
struct LoadCounters
{
    uint64_t refused = 0;
    uint64_t failed = 0;
    uint64_t messagesSent = 0;
    uint64_t bytesSent = 0;
    int64_t maxSendLag_ns = 0; // since the last report
};

// One RTMP publisher: connects, publishes, then sends the FLV's audio frames
// when they are due. Does nothing on its own between events: the load
// generator's single timer calls sendDue() for every publisher.
class Publisher
{
public:
    enum class State {
        Invalid = 0,
        Idle,
        Connecting, // TCP
        Handshake,  // C0+C1 sent, waiting for S0+S1+S2
        Connect,    // waiting for connect's _result
        CreateStream,
        Publish, // waiting for onStatus
        Publishing,
        Refused,
        Failed,
        Closed, // by us
    };

    Publisher(const PublishTarget &target, const FlvAudio &audio, LoadCounters *counters);
    ~Publisher();
    Publisher(const Publisher &) = delete;
    Publisher &operator=(const Publisher &) = delete;

    void start();
    // Sends every frame due by now_ns; scratch is reused to spare allocations.
    void sendDue(int64_t now_ns, QByteArray &scratch);
    // How late the oldest unsent frame is now (0 when none is due).
    int64_t pendingLag_ns(int64_t now_ns) const;
    // Unpublishes politely and closes.
    void stop();

    State state() const { return m_state; }
    bool isConnected() const;
    qint64 backlogBytes() const { return m_socket.bytesToWrite(); }

private:
    void onConnected();
    void onReadyRead();
    void onError();
    void handleHandshake();
    void consume(const char *data, size_t size);
    void handleMessage(rtmp::MessageType type, const char *payload, size_t size);
    void handleCommand(const std::vector<rtmp::Amf0Value> &values);
    void startPublishing();
    void sendCommand(uint32_t streamId, const std::vector<rtmp::Amf0Value> &values);
    void send(const QByteArray &bytes);
    void fail(const QString &reason);
    int64_t nextDue_ns() const;
    uint32_t nextTimestamp_ms() const;

    PublishTarget m_target;
    const FlvAudio &m_audio;
    LoadCounters *m_counters;
    QTcpSocket m_socket;
    State m_state = State::Idle;
    QByteArray m_handshakeInput;
    rtmp::RtmpChunkReader m_reader;
    rtmp::RtmpChunkWriter m_writer;
    uint32_t m_streamId = 0;
    int64_t m_publishStart_ns = 0;
    size_t m_nextFrame = 0;
    uint32_t m_loops = 0; // completed replays of the file
};

} // namespace roomscribe::bench

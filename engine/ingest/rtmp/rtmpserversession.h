#pragma once

#include "ingest/rtmp/amf0.h"
#include "ingest/rtmp/rtmpchunkreader.h"
#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace roomscribe::rtmp {

enum class PublishDecision {
    Invalid = 0,
    Accept,
    Refuse,
    // The stream lives on another worker: processing pauses (unread input is
    // kept) until completePublish() is called, possibly on another thread.
    Defer,
};

// The server side of one RTMP connection, without I/O: bytes in, bytes out,
// publish and audio events to a delegate. Used by exactly one thread at a time.
//
// Ending: FCUnpublish and closeStream end the publish (onUnpublish, state back
// to Connecting; the same connection may publish again). deleteStream ends it
// too and moves to Closed with an empty errorText(): feed() returns false, but
// the owner should send pending output and let the peer close the socket,
// since GStreamer's rtmp2sink reports an error when the server closes first.
// A refused publish is Closed with errorText() "stream key refused". A peer
// that disconnects while Publishing gets no onUnpublish: the owner sees that.
// Unknown commands are ignored without an answer. The delegate must be set
// whenever input is fed or a publish completed.
class RtmpServerSession
{
public:
    class Delegate
    {
    public:
        virtual ~Delegate() = default;
        virtual PublishDecision onPublish(const QString &app, const QString &streamKey) = 0;
        // Body of an FLV audio tag (first byte = sound format flags).
        virtual void onAudio(uint32_t timestamp_ms, const char *data, size_t size,
                             int64_t arrival_ns) = 0;
        // FCUnpublish, deleteStream or closeStream after a successful publish.
        virtual void onUnpublish() = 0;
    };

    enum class State {
        Invalid = 0,
        Handshake,  // waiting for C0+C1, then C2
        Connecting, // commands before an accepted publish
        Publishing,
        Deferred,
        Closed, // the peer ended politely (or the publish was refused)
        Failed, // protocol error: errorText() says what
    };

    struct Limits
    {
        uint32_t maxMessageSize = 1u << 20; // audio/command/data messages kept in memory
        int maxChunkStreams = 64;
        size_t maxPendingInput = 4u << 20; // unread input kept while Deferred
    };

    explicit RtmpServerSession(Delegate *delegate, Limits limits);
    explicit RtmpServerSession(Delegate *delegate) : RtmpServerSession(delegate, Limits{}) {}

    void setDelegate(Delegate *delegate) { m_delegate = delegate; }

    // Consumes bytes that arrived at arrival_ns (monotonic). Returns false once
    // the connection must be closed (Closed or Failed).
    bool feed(const char *data, size_t size, int64_t arrival_ns);
    // Answers a deferred publish and goes on with any input kept meanwhile,
    // which counts as arriving at arrival_ns. A no-op unless Deferred.
    bool completePublish(bool accepted, int64_t arrival_ns);

    // Bytes to send to the peer; the caller writes them to the socket.
    QByteArray takeOutput();
    bool hasOutput() const { return !m_output.isEmpty(); }

    State state() const { return m_state; }
    QString errorText() const { return m_errorText; }
    QString app() const { return m_app; }
    QString streamKey() const { return m_streamKey; }
    uint64_t bytesReceived() const { return m_bytesReceived; }

private:
    bool isOpen() const;
    bool finish(); // feed()'s result, with an Acknowledgement sent when due
    void process(const char *data, size_t size, int64_t arrival_ns);
    size_t readHandshake(const char *data, size_t size, int64_t arrival_ns);
    void handleMessage(const RtmpMessage &message, int64_t arrival_ns);
    void handleCommand(const RtmpMessage &message);
    void handleData(const RtmpMessage &message);
    void handleUserControl(const RtmpMessage &message);
    void handleConnect(double transactionId, const std::vector<Amf0Value> &values);
    void handlePublish(const RtmpMessage &message, const std::vector<Amf0Value> &values);
    void answerPublish(bool accepted);
    void endPublish();
    void sendResult(double transactionId, std::vector<Amf0Value> values);
    void sendCommand(uint32_t csid, uint32_t streamId, const std::vector<Amf0Value> &values);
    void sendStatus(const QString &level, const QString &code, const QString &description);
    void sendControl(MessageType type, const QByteArray &payload);
    void fail(const QString &error);

    Delegate *m_delegate;
    Limits m_limits;
    State m_state = State::Handshake;
    RtmpChunkReader m_reader;
    RtmpChunkWriter m_writer;
    QByteArray m_output;
    QByteArray m_handshake; // C0+C1 until complete
    bool m_awaitingC2 = false;
    size_t m_c2Remaining = 0;
    QByteArray m_pending; // input kept while Deferred
    QString m_errorText;
    QString m_app;
    QString m_streamKey;
    bool m_connected = false;
    uint32_t m_publishStreamId = 0;
    uint32_t m_ackWindow = 0; // 0 until the peer sends Window Acknowledgement Size
    uint64_t m_ackedBytes = 0;
    uint64_t m_bytesReceived = 0;
};

} // namespace roomscribe::rtmp

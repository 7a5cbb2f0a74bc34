#pragma once

#include "ingest/streamowner.h"

#include <QString>
#include <QWebSocketProtocol>

#include <cstdint>

class QWebSocket;

namespace roomscribe::ingest {

class IngestStream;
class TrackIngest;

// One Track Egress WebSocket on the track endpoint's thread: binary messages
// are raw PCM for its stream, text messages {"muted":true|false} the
// speaker's mute state.
//
// Muting: while the stream is muted and no audio arrives, the connection
// adds silence at real-time pace, so that the transcription session stays
// open and segment times stay on the room's clock (pausing instead would
// close the gap and shift every later segment). Audio that does arrive while
// muted is used as it is and counts towards the pace, so silence fills only
// what the audio leaves uncovered. The pace is kept in arrears — the silence
// up to now is added on each tick of the endpoint's pace timer and on unmute.
// Only while a connection is up: between an egress's connections the stream
// waits, as an RTMP stream does between publishers; the mute state stays with
// the stream.
//
// No idle time-out: a muted track may send nothing for as long as the
// speaker stays muted, and the egress's pings do not surface through
// QWebSocket. An egress that is gone without a close is ended by the caller
// closing its stream (LiveKit reports the egress ended).
class TrackConnection final : public Publisher
{
public:
    enum class State {
        Invalid = 0,
        Open,
        Closing, // our close frame sent; waiting for the peer's
        Closed,
    };

    // Takes the upgraded socket (deleted later, from the event loop).
    TrackConnection(TrackIngest *owner, QWebSocket *socket, QString token);
    ~TrackConnection() override;
    TrackConnection(const TrackConnection &) = delete;
    TrackConnection &operator=(const TrackConnection &) = delete;

    // Attaches to the token's stream, or closes when it is not ours (any more).
    void start();

    State state() const { return m_state; }
    int64_t closingDeadline_ns() const { return m_closingDeadline_ns; }

    // Called by the endpoint: silence due by now while muted.
    void keepPace(int64_t now_ns);
    // Ends the connection with a close frame carrying `code` and `reason`.
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);
    // Drops the socket without a goodbye (a peer that does not answer ours).
    void abort();

    // Publisher
    QString peer() const override { return m_peer; }
    void close(const QString &reason) override;

private:
    void onBinary(const QByteArray &data);
    void onText(const QString &text);
    void onDisconnected();
    void ended();
    void detachStream();
    uint64_t inputFrames() const;
    uint32_t mediaTime_ms() const;

    TrackIngest *m_owner;
    QWebSocket *m_socket;
    const QString m_token;
    QString m_peer;
    IngestStream *m_stream = nullptr;
    State m_state = State::Open;
    uint64_t m_bytes = 0;          // PCM received on this connection
    uint64_t m_silenceSamples = 0; // 16 kHz silence added on this connection
    // Where the pace started: the time, and the audio and silence until then.
    bool m_pacing = false;
    int64_t m_paceStart_ns = 0;
    uint64_t m_paceStartFrames = 0;
    uint64_t m_paceStartSilence = 0;
    int64_t m_closingDeadline_ns = 0;
};

} // namespace roomscribe::ingest

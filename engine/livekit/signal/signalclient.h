#pragma once

#include "livekit/signal/signalcodec.h"
#include "stt/backoff.h"

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>

class QWebSocket;

namespace roomscribe::livekit {

struct SignalClientConfig
{
    QUrl livekitUrl; // http(s)://… or ws(s)://…, optionally with a base path
    // A fresh join token per attempt; once the server sent a refresh_token,
    // that one is used instead.
    std::function<QByteArray()> tokenSource;
    // false: the server offers no tracks (participants and speakers only).
    bool autoSubscribe = true;
    stt::BackoffConfig reconnect;
    // One attempt: the WebSocket upgrade and the server's join or reconnect answer.
    int connectTimeout_ms = 10000;
};

// LiveKit's signalling WebSocket for a hidden, subscribe-only participant
// (brief "LiveKit signalling protocol"): joins, relays the subscriber
// PeerConnection's offer/answer/candidates, keeps the connection alive and
// rides out drops. A drop after the join is resumed (reconnect=1&sid=…:
// media keeps flowing); where the server refuses the resume, the client joins
// afresh and emits joined() again, after which the owner builds a new
// PeerConnection. Lives on the thread that creates it.
class SignalClient : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Invalid,
        Idle,               // before join()
        Connecting,         // a full join is being dialled
        Joined,             // the server's join or reconnect answer arrived
        Resuming,           // a resume is being dialled
        WaitingToReconnect, // the next attempt is due at retryAt_ms()
        Closed,             // final: see closed()
    };
    Q_ENUM(State)

    explicit SignalClient(SignalClientConfig config, QObject *parent = nullptr);
    ~SignalClient() override;

    void join();
    // A full join now, whatever the state (not after Closed): the owner's
    // media never came up, so a new session with a new PeerConnection is due.
    void rejoin();
    // Sent while Joined; held while a resume is pending and sent after it;
    // dropped otherwise (a full join brings a new offer).
    void sendAnswer(const QString &sdp);
    void sendCandidate(const IceCandidate &candidate);
    // Sends the LeaveRequest if joined and closes; closed() follows at once,
    // whatever the state. Final.
    void leave();

    State state() const { return m_state; }
    QString participantSid() const { return m_participantSid; }
    // For people: "Joining", "Resuming in 4 s: <why>", "Rejoining in 1 s: <why>",
    // the reason of closed().
    QString detail() const { return m_detail; }
    // Wall clock (ms since the epoch) of the next attempt while
    // WaitingToReconnect; 0 otherwise.
    qint64 retryAt_ms() const { return m_retryAt_ms; }

Q_SIGNALS:
    void stateChanged(roomscribe::livekit::SignalClient::State state, const QString &detail);
    void joined(const roomscribe::livekit::SignalJoin &join);
    void offerReceived(const QString &sdp);
    void remoteCandidate(const roomscribe::livekit::IceCandidate &candidate);
    void participantsUpdated(const QList<roomscribe::livekit::SignalParticipant> &participants);
    void trackUnpublished(const QString &trackSid);
    void trackMuted(const QString &trackSid, bool muted);
    void speakersChanged(const QList<roomscribe::livekit::SignalSpeaker> &speakers);
    // Signalling is back on the same session; the PeerConnection is untouched.
    void resumed();
    // Final: the server said DISCONNECT, leave() was called, or the join was
    // refused (HTTP 401/403).
    void closed(const QString &reason);
    // The server sent something this client cannot use; the connection is
    // dropped and resumed.
    void protocolError(const QString &error);

private:
    enum class Attempt { Invalid, Join, Resume };

    void dial(Attempt attempt);
    void onConnected();
    void onFrame(const QByteArray &frame);
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void handleEvent(const SignalEvent &event);
    void handleLeave(const SignalEvent &event);
    void enterJoined(const QString &detail);
    // The connection or attempt is lost: try again as `next` after a backoff delay.
    void drop(const QString &why, Attempt next);
    Attempt retryAfterFailure() const;
    void sendPing();
    // Sends while Joined; queues while a resume may still carry it.
    void sendOrQueue(const QByteArray &frame);
    void closeSocket(bool graceful);
    void finish(const QString &reason, bool graceful);
    void setState(State state, const QString &detail);

    SignalClientConfig m_config;
    stt::Backoff m_backoff;
    QWebSocket *m_socket = nullptr;
    State m_state = State::Idle;
    Attempt m_next = Attempt::Invalid; // what the retry timer dials
    QString m_detail;
    QString m_participantSid;
    QByteArray m_refreshedToken;
    qint64 m_retryAt_ms = 0;
    qint64 m_rtt_ms = 0;
    int m_pingInterval_ms = 0;
    int m_pingTimeout_ms = 0;
    // Counts sockets opened and closed, so that a handler can tell whether
    // the signal it emitted closed its socket.
    quint64 m_connection = 0;
    QList<QByteArray> m_queued;
    QTimer m_connectTimer;
    QTimer m_retryTimer;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
};

} // namespace roomscribe::livekit

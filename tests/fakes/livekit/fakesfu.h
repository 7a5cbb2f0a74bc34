#pragma once

#include "fakelivekit.h"
#include "livekit/signal/livekit_signal.pb.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

#include <vector>

// One participant session on the fake's /rtc: the SFU side of LiveKit's
// client signalling for a hidden, subscribe-only client, strict about every
// frame the client sends (README.md, "Client signalling").
namespace roomscribe::test {

class OpusWebRtcSender;

// An audio track the subscriber offer carries.
struct RtcTrack
{
    QString participantSid;
    QString trackSid;
    bool muted = false;
    std::vector<QByteArray> opusPackets; // 20 ms each
};

class RtcSession : public QObject
{
    Q_OBJECT

public:
    enum class Phase {
        Invalid,
        Joined,   // join sent; the offer is not out yet
        Offered,  // our offer sent; the client's answer is due
        Answered, // media runs
        // A track added while media runs (LiveKit's renegotiation): our new
        // offer is being made, then sent; media runs on meanwhile.
        Renegotiating,
        Reoffered, // the new offer sent; the client's answer is due
        Ended,     // left, refused or violated: forgotten
    };

    RtcSession(const QString &sid, const QString &identity, const QString &roomName,
               int pingTimeout_s, QObject *parent = nullptr);
    ~RtcSession() override;

    QString sid() const { return m_sid; }
    QString identity() const { return m_identity; }
    QString roomName() const { return m_roomName; }
    Phase phase() const { return m_phase; }
    bool signallingConnected() const { return m_socket != nullptr; }
    bool mediaConnected() const { return m_mediaConnected; }
    // An answer is applied: media runs, a renegotiation may be in flight.
    bool mediaRuns() const;
    QStringList offeredTrackSids() const;

    // A first join: takes the socket and sends `join`.
    void join(QWebSocket *socket, const ::livekit::JoinResponse &join);
    // The subscriber PeerConnection with these tracks; the offer follows.
    void startMedia(const QList<RtcTrack> &tracks);
    // A track published after startMedia: a new offer carries it, once the
    // negotiation in flight (if any) is answered and the signalling is up.
    // The first offer, if the room had no audio track before. Ignored before
    // startMedia (whose tracks come from the room then) and for a track
    // offered or waiting already.
    void addTrack(const RtcTrack &track);
    // A resume: the new socket replaces the lost one; `reconnect` goes out,
    // the media runs on untouched.
    void resume(QWebSocket *socket, const ::livekit::ReconnectResponse &reconnect);

    // Sent while the signalling is up; dropped otherwise (as LiveKit does for
    // a participant that is away).
    void send(const ::livekit::SignalResponse &response);
    void setTrackPaused(const QString &trackSid, bool paused);
    // Aborts the WebSocket's TCP connection; the PeerConnection stays.
    void dropSignalling();
    // Sends `leave` (DISCONNECT) with the reason, closes, ends.
    void disconnectClient(::livekit::DisconnectReason reason);

Q_SIGNALS:
    void frameLogged(const roomscribe::test::RtcFrame &frame);
    void violated(const QString &violation);
    void mediaStarted();   // the client's answer was applied
    void signallingLost(); // the socket went without a leave: resumable
    void ended();          // never resumable again; the owner deletes it later

private:
    void onBinaryMessage(const QByteArray &bytes);
    void onAnswer(const ::livekit::SessionDescription &answer);
    void onTrickle(const ::livekit::TrickleRequest &trickle);
    void onOfferReady(const QString &sdp);
    void startSender(const QList<RtcTrack> &tracks);
    // The next waiting track into a new offer, when nothing is negotiating.
    void renegotiate();
    void sendTrickle(const QString &candidateJson);
    void violation(const QString &what);
    void attach(QWebSocket *socket);
    void detach();
    void closeAndEnd(QWebSocketProtocol::CloseCode code, const QString &reason);
    void end();

    QString m_sid;
    QString m_identity;
    QString m_roomName;
    Phase m_phase = Phase::Invalid;
    QPointer<QWebSocket> m_socket;
    OpusWebRtcSender *m_sender = nullptr;
    QList<RtcTrack> m_tracks;        // offered
    QList<RtcTrack> m_waitingTracks; // to be offered by a renegotiation
    bool m_subscribed = false;       // startMedia ran
    QStringList m_offerMids;         // in m= order
    QStringList m_pendingCandidates; // ours, JSON, until the offer is out
    bool m_mediaConnected = false;
    QTimer m_pingTimeout;
};

// The checks on what a client sends, free of any session (fakesfu.cpp).

// Empty if the message and all its submessages have no unknown fields;
// otherwise the path of the first message that has some.
QString unknownFieldsIn(const ::livekit::SignalRequest &request);
QString requestKind(const ::livekit::SignalRequest &request);
QString responseKind(const ::livekit::SignalResponse &response);

struct SdpSection
{
    QString media; // "audio"
    QString mid;
    QString direction; // "sendonly", "recvonly", "inactive", "sendrecv"; empty: none given
};
// The m= sections of an SDP in order.
QList<SdpSection> sdpSections(const QString &sdp);

} // namespace roomscribe::test

#pragma once

#include "livekit/signal/icecandidate.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// LiveKit's client signalling (shared/PROTOCOLS.md, brief "LiveKit signalling
// protocol") as plain values: SignalResponse frames decoded, SignalRequest
// frames encoded. No sockets; SignalClient does the talking.
namespace roomscribe::livekit {

// Larger frames are refused before parsing: an SDP offer for a big room is a
// few tens of KiB, so this only stops a runaway or hostile server.
constexpr qsizetype kMaxSignalFrameBytes = 1024 * 1024;
// A candidate line is a few hundred bytes at most.
constexpr qsizetype kMaxCandidateInitBytes = 4096;

struct SignalTrack
{
    QString sid;
    QString name;
    QString mimeType; // "audio/opus"; may be empty
    bool audio = false;
    bool microphone = false; // source MICROPHONE (not screen-share audio)
    bool muted = false;

    bool operator==(const SignalTrack &other) const;
};

struct SignalParticipant
{
    QString sid;
    QString identity;
    QString name;
    bool disconnected = false; // state DISCONNECTED: gone from the room
    bool hidden = false;
    QList<SignalTrack> tracks;

    bool operator==(const SignalParticipant &other) const;
};

struct SignalSpeaker
{
    QString participantSid;
    float level = 0; // 0..1
    bool active = false;

    bool operator==(const SignalSpeaker &other) const;
};

struct SignalJoin
{
    QString roomName;
    QString roomSid;
    SignalParticipant self;
    QList<SignalParticipant> others;
    QStringList iceServerUrls;
    int pingInterval_s = 0; // 0: no keepalive
    int pingTimeout_s = 0;
    bool subscriberPrimary = false;
};

// What a LeaveRequest asks of the client, after LiveKit's compatibility rule
// (an old server's can_reconnect means RECONNECT).
enum class LeaveAction { Invalid, Disconnect, Resume, Reconnect };

// One decoded SignalResponse. Only the fields of its kind are set.
struct SignalEvent
{
    enum class Kind {
        Invalid,
        Join,
        Offer,
        Answer,
        Trickle,
        Update,
        Leave,
        Mute,
        SpeakersChanged,
        RoomUpdate,
        RefreshToken,
        TrackUnpublished,
        Pong,
        Reconnect,
        SubscriptionResponse,
    };

    Kind kind = Kind::Invalid;
    SignalJoin join;                                // Join
    QString sdp;                                    // Offer, Answer
    IceCandidate candidate;                         // Trickle
    bool finalCandidate = false;                    // Trickle
    QList<SignalParticipant> participants;          // Update
    LeaveAction leaveAction = LeaveAction::Invalid; // Leave
    int leaveReason = 0;                            // Leave: LiveKit's DisconnectReason number
    QString trackSid;                               // Mute, TrackUnpublished, SubscriptionResponse
    bool muted = false;                             // Mute
    QList<SignalSpeaker> speakers;                  // SpeakersChanged
    QString roomName;                               // RoomUpdate
    QByteArray token;                               // RefreshToken
    qint64 lastPingTimestamp_ms = 0;                // Pong: the timestamp of the ping answered
    qint64 serverTimestamp_ms = 0;                  // Pong
    int subscriptionError = 0; // SubscriptionResponse: LiveKit's SubscriptionError number
};

// One SignalResponse frame; nullopt with *error set when it is not one this
// subscribe-only client can act on.
std::optional<SignalEvent> decodeSignalResponse(const QByteArray &frame, QString *error);

// SignalRequest frames.
QByteArray encodeAnswer(const QString &sdp);
// For the SUBSCRIBER PeerConnection, the only one this client has.
QByteArray encodeTrickle(const IceCandidate &candidate, bool final = false);
QByteArray encodePingReq(qint64 timestamp_ms, qint64 rtt_ms);
// reason CLIENT_INITIATED, action DISCONNECT.
QByteArray encodeLeave();

// RTCIceCandidateInit JSON: {"candidate":…,"sdpMid":…,"sdpMLineIndex":…}.
QByteArray candidateInitJson(const IceCandidate &candidate);
bool parseCandidateInit(const QByteArray &json, IceCandidate *candidate, QString *error);

// The WebSocket URL of LiveKit's /rtc endpoint for a LiveKit URL (http(s) or
// ws(s), optionally with a base path); with resumeSid, the resume of that
// participant. Without autoSubscribe the server offers no tracks (speakers
// and participants still arrive). Invalid for other schemes.
QUrl signalUrl(const QUrl &livekitUrl, const QByteArray &token, const QString &resumeSid = {},
               bool autoSubscribe = true);

} // namespace roomscribe::livekit

Q_DECLARE_METATYPE(roomscribe::livekit::SignalJoin)
Q_DECLARE_METATYPE(roomscribe::livekit::SignalParticipant)
Q_DECLARE_METATYPE(roomscribe::livekit::SignalSpeaker)

#pragma once

#include "fakehttp.h"
#include "livekit/accesstoken.h"
#include "livekit/models.h"
#include "webhooksender.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

// A stand-in for a LiveKit server and its Egress service, for tests:
// RoomService and Egress over Twirp JSON with real token and grant checks,
// scriptable rooms, participants and tracks, signed webhooks, a concurrent
// egress limit, and real media (GStreamer to RTMP for Room Composite, PCM over
// a WebSocket for Track Egress). shared/PROTOCOLS.md "LiveKit server API" is
// the contract; README.md next to this file describes it all.
namespace roomscribe::test {

class EgressMedia;
class RtcSession;
struct RtcTrack;
class SpeechSample;

// One /rtc signalling frame, either way, as it went over the WebSocket.
struct RtcFrame
{
    qint64 at_ms = 0; // unix milliseconds
    QString sessionSid;
    bool fromClient = false;
    QByteArray bytes; // the serialized SignalRequest or SignalResponse
    QString kind; // the oneof's field name ("join", "ping_req"…); "invalid" if it did not parse
};

struct FakeTrack
{
    QString sid; // "TR_…"
    QString name;
    livekit::TrackType type = livekit::TrackType::Audio;
    livekit::TrackSource source = livekit::TrackSource::Microphone;
    bool muted = false;
    qint64 publishedAt_ms = 0;
};

// A scripted SpeakersChanged: at_ms after a subscriber's media starts.
struct SpeakingEvent
{
    qint64 at_ms = 0;
    bool active = false;
    float level = 0; // 0..1
};

struct FakeParticipant
{
    QString sid; // "PA_…"
    QString identity;
    QString name;
    QString samplePath; // WAV of what they say; empty: silence
    qint64 joinedAt_ms = 0;
    QList<FakeTrack> tracks;
    QList<SpeakingEvent> speaking; // sent to each /rtc subscriber
};

struct FakeRoom
{
    QString sid; // "RM_…"
    QString name;
    qint64 createdAt_ms = 0;
    QList<FakeParticipant> participants;
};

struct ParticipantSpec
{
    QString identity;
    QString name;
    QString samplePath;
    bool microphone = true; // publish a microphone track on joining
    bool muted = false;     // that track's initial state
    QList<SpeakingEvent> speaking;
};

// A participant session on /rtc (the hidden subscriber).
struct RtcSessionInfo
{
    QString sid; // "PA_…"
    QString identity;
    QString roomName;
    bool signallingConnected = false;
    bool answered = false;       // the client's answer is applied: media runs
    bool mediaConnected = false; // the PeerConnection is connected
    QStringList trackSids;       // what the subscriber offer carried
    int resumes = 0;
};

struct FakeEgress
{
    QString egressId; // "EG_…"
    livekit::EgressKind kind = livekit::EgressKind::Invalid;
    QString roomName;
    QString roomSid;
    livekit::EgressStatus status = livekit::EgressStatus::Invalid;
    QString error;
    // Room Composite: the stream URLs exactly as requested (stream keys
    // included; answers redact them).
    QStringList urls;
    bool legacyStreamField = false; // the request used the deprecated `stream`
    int audioFrequency_Hz = 0;      // what the pipeline encodes at
    int audioBitrate_kbps = 0;
    QJsonObject advanced; // the request's advanced encoding options, as given
    // Track Egress.
    QString trackSid;
    QString participantIdentity;
    QString websocketUrl;
    qint64 audioBytesSent = 0; // PCM bytes sent so far
    int audioFramesSent = 0;
    // Times in unix nanoseconds, as EgressInfo has them; 0: not yet.
    qint64 createdAt_ns = 0;
    qint64 startedAt_ns = 0;
    qint64 updatedAt_ns = 0;
    qint64 endedAt_ns = 0;
    int streamRetries = 0; // RTMP reconnections
    qint64 lastRetryAt_ns = 0;
};

// A script's "speaking" list, [{"at_ms", "active", "level"}]; entries without
// at_ms are left out.
QList<SpeakingEvent> speakingEvents(const QJsonValue &json);

class FakeLiveKit : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultEgressLimit = 2;
    static constexpr int kDefaultPingInterval_s = 5;
    static constexpr int kDefaultPingTimeout_s = 15;
    static constexpr int kDefaultResumeWindow_ms = 20000;

    explicit FakeLiveKit(QObject *parent = nullptr);
    // Media still running is killed.
    ~FakeLiveKit() override;

    // The one API key tokens must be issued by (and webhooks are signed with).
    void setCredentials(const QString &apiKey, const QByteArray &apiSecret);
    QString apiKey() const { return m_apiKey; }
    QByteArray apiSecret() const { return m_apiSecret; }
    // Where webhooks go; empty: nowhere (events are still recorded).
    void setWebhookUrl(const QUrl &url);
    QUrl webhookUrl() const;
    // STARTING, ACTIVE and ENDING egresses counted together; a start that
    // would reach past it is refused with 429 resource_exhausted.
    void setEgressLimit(int limit) { m_egressLimit = limit; }
    int egressLimit() const { return m_egressLimit; }
    // Rooms and participants from a script (README.md, "Script"); relative
    // sample paths are taken from baseDirectory.
    bool loadScript(const QByteArray &json, const QString &baseDirectory, QString *error);

    bool listen(QString *error, const QHostAddress &address = QHostAddress::LocalHost,
                quint16 port = 0);
    QUrl url() const; // http://HOST:PORT: the host for server SDKs and clients
    quint16 port() const;

    // Scripting. Every change sends its webhooks. Failures return an empty
    // sid or false, with the reason in *error.

    // Returns the room's sid; the existing room's if there is one.
    QString createRoom(const QString &name, QString *error = nullptr);
    bool deleteRoom(const QString &name, QString *error = nullptr);
    // Creates the room if needed (as a join does). Returns the participant sid.
    QString joinParticipant(const QString &room, const ParticipantSpec &spec,
                            QString *error = nullptr);
    bool leaveParticipant(const QString &room, const QString &identity, QString *error = nullptr);
    // Audio for Microphone and ScreenShareAudio, video otherwise. Returns the track sid.
    QString publishTrack(const QString &room, const QString &identity,
                         livekit::TrackSource source = livekit::TrackSource::Microphone,
                         bool muted = false, QString *error = nullptr);
    bool unpublishTrack(const QString &room, const QString &identity, const QString &trackSid,
                        QString *error = nullptr);
    bool setTrackMuted(const QString &room, const QString &identity, const QString &trackSid,
                       bool muted, QString *error = nullptr);
    // Ends a running egress as EGRESS_FAILED with that error, as a crashed
    // egress worker would.
    bool failEgress(const QString &egressId, const QString &error, QString *failure = nullptr);

    QList<FakeRoom> rooms() const { return m_rooms; }
    std::optional<FakeRoom> room(const QString &name) const;
    // The participant's first microphone track; empty if none.
    QString microphoneTrackSid(const QString &room, const QString &identity) const;
    // Every egress ever started, in start order.
    QList<FakeEgress> egresses() const;
    std::optional<FakeEgress> egress(const QString &egressId) const;
    int egressStartCount() const { return m_egresses.size(); }
    int egressRefusedCount() const { return m_refusedStarts; } // 429 answers
    QList<WebhookDelivery> webhookDeliveries() const;
    // No webhook waiting or in flight.
    bool webhooksIdle() const;

    // What GET /_fake/state, /_fake/egresses and /_fake/webhooks answer.
    QJsonObject stateJson() const;
    QJsonObject egressesJson() const;
    QJsonObject webhooksJson() const;

    // Client signalling on /rtc (fakertc.cpp; README.md, "Client signalling").

    // What `join` tells the client; a session keeps the values it joined with.
    void setPingInterval(int interval_s) { m_pingInterval_s = interval_s; }
    void setPingTimeout(int timeout_s) { m_pingTimeout_s = timeout_s; }
    // How long a session whose signalling dropped stays resumable.
    void setResumeWindow(int window_ms) { m_resumeWindow_ms = window_ms; }
    // Refuse every resume with 401: the client must rejoin.
    void setRefuseResumes(bool refuse) { m_refuseResumes = refuse; }
    bool refusesResumes() const { return m_refuseResumes; }
    // Sends speakers_changed to the room's subscribers.
    bool setSpeaking(const QString &room, const QString &identity, bool active, float level,
                     QString *error = nullptr);
    // Aborts the signalling TCP connection of the identity's sessions (every
    // session when empty); their PeerConnections run on. Returns how many.
    int dropSignalling(const QString &identity = {});
    // Every protocol violation seen, "PA_… (identity): what", in order.
    QStringList rtcViolations() const { return m_rtcViolations; }
    // Every signalling frame both ways, in order.
    QList<RtcFrame> rtcFrames() const { return m_rtcFrames; }
    // Live and resumable sessions.
    QList<RtcSessionInfo> rtcSessions() const;
    // What the participant's microphone sends over WebRTC: its sample (mono)
    // as 20 ms Opus packets; empty without a sample or before it is ready.
    std::vector<QByteArray> opusPackets(const QString &room, const QString &identity) const;
    // What GET /_fake/rtc/frames and /_fake/rtc/sessions answer.
    QJsonObject rtcFramesJson() const;
    QJsonObject rtcSessionsJson() const;

Q_SIGNALS:
    void egressChanged(const roomscribe::test::FakeEgress &egress);
    void webhookFinished(const roomscribe::test::WebhookDelivery &delivery);

private:
    struct TwirpError
    {
        int status = 0;
        QString code;
        QString message;
    };
    using TwirpResult = std::optional<TwirpError>; // empty: success
    struct ControlAnswer
    {
        int status = 200;
        QJsonObject body;
    };

    // What the /rtc upgrade request asked for, once its checks passed.
    struct RtcAdmission
    {
        int status = 0; // 0: admitted; otherwise the HTTP refusal
        QString reason;
        QString identity;
        QString roomName;
        QString resumeSid; // empty: a first join
        // auto_subscribe=0: signalling alone (active speakers), no offer
        bool autoSubscribe = true;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void route(QTcpSocket *socket, const http::Request &request);

    // Twirp (faketwirp.cpp).
    void handleTwirp(QTcpSocket *socket, const http::Request &request, const QString &service,
                     const QString &method);
    TwirpResult authenticate(const QByteArray &authorization, livekit::VideoGrant *grant) const;
    QJsonObject listRooms(const QJsonObject &request) const;
    // RoomService calls on one room: roomAdmin for that room, and the room.
    TwirpResult adminRoom(const QString &roomName, const livekit::VideoGrant &grant,
                          const FakeRoom **room) const;
    TwirpResult listParticipants(const QJsonObject &request, const livekit::VideoGrant &grant,
                                 QJsonObject *answer) const;
    TwirpResult getParticipant(const QJsonObject &request, const livekit::VideoGrant &grant,
                               QJsonObject *answer) const;
    TwirpResult startRoomComposite(const QJsonObject &request, QJsonObject *answer);
    TwirpResult startTrack(const QJsonObject &request, QJsonObject *answer);
    TwirpResult stopEgress(const QJsonObject &request, QJsonObject *answer);
    QJsonObject listEgress(const QJsonObject &request) const;
    TwirpResult checkEgressLimit();

    // Control API (fakecontrol.cpp).
    ControlAnswer handleControl(const QByteArray &method, const QString &path,
                                const QByteArray &body);

    // Client signalling (fakertc.cpp).
    RtcAdmission admitRtc(const QUrl &url) const;
    void handleRtcUpgrade(QTcpSocket *socket, const http::Request &request);
    void onRtcUpgraded();
    RtcSession *newRtcSession(const QString &identity, const QString &roomName);
    void startRtcMedia(RtcSession *session);
    // What a subscriber's offer carries for the audio track.
    RtcTrack rtcTrack(const QString &roomName, const FakeParticipant &participant,
                      const FakeTrack &track) const;
    void forgetRtcSession(const QString &sid);
    // Live and resumable sessions of the room.
    QList<RtcSession *> rtcSessionsIn(const QString &roomName) const;
    // An update with the participant to the room's sessions.
    void announceParticipant(const FakeRoom *room, const FakeParticipant &participant,
                             bool disconnected);
    // The track is gone: paused in every session, track_unpublished sent.
    void announceUnpublished(const FakeRoom *room, const QString &trackSid);
    void pauseRtcTrack(const QString &roomName, const QString &trackSid, bool paused);
    // A track published: the room's subscribers renegotiate to receive it
    // (once its sample is converted).
    void offerRtcTrack(const QString &roomName, const QString &trackSid);
    // leave (ROOM_DELETED) to every session of the room.
    void disconnectRtcRoom(const QString &roomName);
    void scheduleSpeaking(RtcSession *session);

    // State.
    FakeRoom *findRoom(const QString &name);
    const FakeRoom *findRoom(const QString &name) const;
    const FakeParticipant *participantIn(const QString &room, const QString &identity) const;
    FakeEgress *findEgress(const QString &egressId);
    int activeEgressCount() const;
    SpeechSample *sampleFor(const QString &path);
    // Records a started egress and runs its media.
    void beginEgress(const FakeEgress &egress, EgressMedia *media);
    // STARTING or ACTIVE -> ENDING; the media stops, COMPLETE follows.
    void requestStop(FakeEgress *egress);
    void stopEgressesWhere(const std::function<bool(const FakeEgress &)> &matches);
    void onMediaRunning(const QString &egressId);
    void onMediaRetrying(const QString &egressId, const QString &error);
    void onMediaFinished(const QString &egressId, const QString &error);
    // To a final status: the media (if still running) is dropped.
    void endEgress(FakeEgress *egress, livekit::EgressStatus status, const QString &error);
    void changed(FakeEgress *egress, const QString &webhookEvent);

    // Sends the event with the objects it carries.
    void sendWebhook(const QString &event, const FakeRoom *room,
                     const FakeParticipant *participant = nullptr, const FakeTrack *track = nullptr,
                     const FakeEgress *egress = nullptr);

    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_pending; // request bytes per connection
    QString m_apiKey;
    QByteArray m_apiSecret;
    int m_egressLimit = kDefaultEgressLimit;
    QList<FakeRoom> m_rooms;
    QList<FakeEgress> m_egresses;
    QHash<QString, EgressMedia *> m_media;    // by egress id, while it runs
    QHash<QString, SpeechSample *> m_samples; // by path
    int m_refusedStarts = 0;
    WebhookSender *m_webhooks = nullptr;
    // /rtc.
    QWebSocketServer *m_rtcServer = nullptr;        // never listens: takes upgraded connections
    QList<QPair<QUrl, RtcAdmission>> m_rtcAdmitted; // handshakes in flight
    QHash<QString, RtcSession *> m_rtcSessions;     // by participant sid
    QHash<QString, int> m_rtcResumes;               // by participant sid
    QStringList m_rtcViolations;
    QList<RtcFrame> m_rtcFrames;
    mutable QHash<QString, std::vector<QByteArray>> m_opusPackets; // by sample path
    int m_pingInterval_s = kDefaultPingInterval_s;
    int m_pingTimeout_s = kDefaultPingTimeout_s;
    int m_resumeWindow_ms = kDefaultResumeWindow_ms;
    bool m_refuseResumes = false;
    quint32 m_participantVersion = 0; // ParticipantInfo.version, rising
};

} // namespace roomscribe::test

Q_DECLARE_METATYPE(roomscribe::test::FakeEgress)
Q_DECLARE_METATYPE(roomscribe::test::WebhookDelivery)
Q_DECLARE_METATYPE(roomscribe::test::RtcFrame)

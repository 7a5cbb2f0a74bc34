#pragma once

#include "fakehttp.h"
#include "livekit/accesstoken.h"
#include "livekit/models.h"
#include "webhooksender.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

class QTcpServer;
class QTcpSocket;

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

// A stand-in for a LiveKit server and its Egress service, for tests:
// RoomService and Egress over Twirp JSON with real token and grant checks,
// scriptable rooms, participants and tracks, signed webhooks, a concurrent
// egress limit, and real media (GStreamer to RTMP for Room Composite, PCM over
// a WebSocket for Track Egress). shared/PROTOCOLS.md "LiveKit server API" is
// the contract; README.md next to this file describes it all.
namespace roomscribe::test {

class EgressMedia;
class SpeechSample;

struct FakeTrack
{
    QString sid; // "TR_…"
    QString name;
    livekit::TrackType type = livekit::TrackType::Audio;
    livekit::TrackSource source = livekit::TrackSource::Microphone;
    bool muted = false;
    qint64 publishedAt_ms = 0;
};

struct FakeParticipant
{
    QString sid; // "PA_…"
    QString identity;
    QString name;
    QString samplePath; // WAV of what they say; empty: silence
    qint64 joinedAt_ms = 0;
    QList<FakeTrack> tracks;
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

class FakeLiveKit : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultEgressLimit = 2;

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

    // State.
    FakeRoom *findRoom(const QString &name);
    const FakeRoom *findRoom(const QString &name) const;
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
};

} // namespace roomscribe::test

Q_DECLARE_METATYPE(roomscribe::test::FakeEgress)
Q_DECLARE_METATYPE(roomscribe::test::WebhookDelivery)

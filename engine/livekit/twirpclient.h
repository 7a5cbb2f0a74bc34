#pragma once

#include "livekit/accesstoken.h"
#include "livekit/models.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

// An asynchronous client of LiveKit's Twirp server API: RoomService and Egress
// (shared/PROTOCOLS.md, "LiveKit server API").
namespace roomscribe::livekit {

struct ServerConfig
{
    QUrl host; // http(s)://… or the ws(s)://… URL clients join with
    QString apiKey;
    QByteArray apiSecret;
    std::chrono::milliseconds transferTimeout{10000};
    std::chrono::seconds tokenTtl = kDefaultTokenTtl;
};

enum class ErrorKind {
    Invalid,
    Unauthenticated,    // 401 unauthenticated
    PermissionDenied,   // 403 permission_denied
    NotFound,           // 404 not_found
    InvalidArgument,    // 400 invalid_argument or malformed
    FailedPrecondition, // 412 failed_precondition, e.g. stopping a finished egress
    ResourceExhausted,  // 429, e.g. the plan's concurrent egress limit
    Unavailable,        // 502–504, e.g. no egress worker free
    Network,            // no HTTP answer: refused, reset, TLS, time-out
    Malformed,          // an answer this client cannot read
    Other,
};

struct TwirpError
{
    ErrorKind kind = ErrorKind::Invalid;
    int httpStatus = 0; // 0: no HTTP answer
    QString code;       // the Twirp error code, when the body has one
    QString message;
};

template <typename T> struct TwirpResult
{
    T value; // meaningful only when ok()
    std::optional<TwirpError> error;

    bool ok() const { return !error; }
};

template <typename T> using TwirpCallback = std::function<void(const TwirpResult<T> &)>;

// Lives on the thread that creates it; every callback runs there, exactly
// once per call, from the event loop (never from inside the call itself).
// Destroying the client abandons calls in flight without calling back.
// Each call carries a fresh token with only the grants that call needs.
// Failures are logged at debug level only: what a failure means (a 429 that
// just fills the budget, a poll of a server that is down) is the caller's to
// judge and log.
class TwirpClient : public QObject
{
    Q_OBJECT
public:
    explicit TwirpClient(ServerConfig config, QObject *parent = nullptr);
    ~TwirpClient() override;

    void listRooms(TwirpCallback<QList<Room>> done);
    void listParticipants(const QString &room, TwirpCallback<QList<Participant>> done);
    // Audio only, mixed, AAC at 48 kHz to one RTMP URL.
    void startRoomCompositeEgress(const QString &room, const QUrl &rtmpUrl,
                                  TwirpCallback<EgressInfo> done);
    // Raw PCM of one track to a WebSocket URL.
    void startTrackEgress(const QString &room, const QString &trackSid, const QUrl &websocketUrl,
                          TwirpCallback<EgressInfo> done);
    void stopEgress(const QString &egressId, TwirpCallback<EgressInfo> done);
    // room empty: every room; activeOnly: STARTING, ACTIVE and ENDING only.
    void listEgress(const QString &room, bool activeOnly, TwirpCallback<QList<EgressInfo>> done);
    // One egress whatever its status (ListEgress by id); empty when LiveKit
    // does not know it.
    void getEgress(const QString &egressId, TwirpCallback<std::optional<EgressInfo>> done);

private:
    // The answer of a 2xx call, or the error; `method` names the call for logs.
    using JsonCallback = std::function<void(const QString &method, const QJsonObject &answer,
                                            std::optional<TwirpError> error)>;

    void post(const QString &service, const QString &method, const QJsonObject &request,
              const VideoGrant &grant, JsonCallback done);
    void finish(QNetworkReply *reply, const QString &method, const JsonCallback &done);

    ServerConfig m_config;
    QNetworkAccessManager *m_network = nullptr;
};

} // namespace roomscribe::livekit

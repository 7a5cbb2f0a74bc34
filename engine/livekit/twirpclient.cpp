#include "livekit/twirpclient.h"

#include "core/logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace roomscribe::livekit {

namespace {

const QString kRoomService = QStringLiteral("livekit.RoomService");
const QString kEgress = QStringLiteral("livekit.Egress");
constexpr int kEgressAudioFrequency_hz = 48000;
constexpr qsizetype kMaxMessageChars = 200;

ErrorKind kindOfCode(const QString &code)
{
    if (code == QLatin1String("unauthenticated"))
        return ErrorKind::Unauthenticated;
    if (code == QLatin1String("permission_denied"))
        return ErrorKind::PermissionDenied;
    if (code == QLatin1String("not_found") || code == QLatin1String("bad_route"))
        return ErrorKind::NotFound;
    if (code == QLatin1String("invalid_argument") || code == QLatin1String("malformed") ||
        code == QLatin1String("out_of_range"))
        return ErrorKind::InvalidArgument;
    if (code == QLatin1String("failed_precondition"))
        return ErrorKind::FailedPrecondition;
    if (code == QLatin1String("resource_exhausted"))
        return ErrorKind::ResourceExhausted;
    if (code == QLatin1String("unavailable"))
        return ErrorKind::Unavailable;
    return ErrorKind::Invalid;
}

ErrorKind kindOfStatus(int status)
{
    switch (status) {
    case 400:
        return ErrorKind::InvalidArgument;
    case 401:
        return ErrorKind::Unauthenticated;
    case 403:
        return ErrorKind::PermissionDenied;
    case 404:
        return ErrorKind::NotFound;
    case 412:
        return ErrorKind::FailedPrecondition;
    case 429:
        return ErrorKind::ResourceExhausted;
    case 502:
    case 503:
    case 504:
        return ErrorKind::Unavailable;
    default:
        return ErrorKind::Other;
    }
}

TwirpError makeError(ErrorKind kind, int status, const QString &message)
{
    TwirpError error;
    error.kind = kind;
    error.httpStatus = status;
    error.message = message;
    return error;
}

bool isJson(const QNetworkReply *reply)
{
    const QString type = reply->header(QNetworkRequest::ContentTypeHeader).toString();
    return type.section(QLatin1Char(';'), 0, 0)
               .trimmed()
               .compare(QLatin1String("application/json"), Qt::CaseInsensitive) == 0;
}

// A non-2xx answer: the Twirp {"code","msg"} body when there is one, else the status.
TwirpError httpError(int status, const QByteArray &body, bool json)
{
    const QJsonObject object = json ? QJsonDocument::fromJson(body).object() : QJsonObject();
    TwirpError error;
    error.httpStatus = status;
    error.code = object.value(QLatin1String("code")).toString();
    error.message = object.value(QLatin1String("msg")).toString();
    if (error.message.isEmpty())
        error.message = QString::fromUtf8(body.left(kMaxMessageChars)).simplified();
    error.kind = kindOfCode(error.code);
    if (error.kind == ErrorKind::Invalid)
        error.kind = kindOfStatus(status);
    return error;
}

// Adapts a JSON answer to a typed result (a parse that yields nothing is
// Malformed), and logs the outcome.
template <typename T, typename Parse> auto adapt(TwirpCallback<T> done, Parse parse)
{
    return [done = std::move(done), parse](const QString &method, const QJsonObject &answer,
                                           std::optional<TwirpError> error) {
        TwirpResult<T> result;
        if (error) {
            result.error = std::move(error);
        } else if (std::optional<T> value = parse(answer)) {
            result.value = std::move(*value);
        } else {
            result.error = makeError(ErrorKind::Malformed, 200,
                                     QStringLiteral("answer lacks the expected fields"));
        }
        if (result.error)
            qCDebug(lcLiveKit).nospace()
                << method << " failed: HTTP " << result.error->httpStatus << " "
                << result.error->code << " " << result.error->message;
        else
            qCDebug(lcLiveKit) << method << "succeeded";
        done(result);
    };
}

template <typename T, typename ParseItem>
std::optional<QList<T>> parseList(const QJsonObject &answer, const char *field, ParseItem parse)
{
    const QJsonValue items = json::field(answer, field);
    if (!items.isUndefined() && !items.isArray())
        return std::nullopt;
    QList<T> list;
    for (const QJsonValue item : items.toArray()) {
        if (!item.isObject())
            return std::nullopt;
        std::optional<T> value = parse(item.toObject());
        if (!value)
            return std::nullopt;
        list.append(std::move(*value));
    }
    return list;
}

QUrl httpUrlOf(QUrl host)
{
    // Clients are usually configured with the wss:// URL; the API is on the same host.
    if (host.scheme() == QLatin1String("wss"))
        host.setScheme(QStringLiteral("https"));
    else if (host.scheme() == QLatin1String("ws"))
        host.setScheme(QStringLiteral("http"));
    return host;
}

} // namespace

TwirpClient::TwirpClient(ServerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_network(new QNetworkAccessManager(this))
{
    m_config.host = httpUrlOf(m_config.host);
}

TwirpClient::~TwirpClient()
{
    // Replies die with the manager; keep them from calling back into a dying client.
    for (QNetworkReply *reply : m_network->findChildren<QNetworkReply *>())
        reply->disconnect(this);
}

void TwirpClient::listRooms(TwirpCallback<QList<Room>> done)
{
    VideoGrant grant;
    grant.roomList = true;
    post(kRoomService, QStringLiteral("ListRooms"), {}, grant,
         adapt(std::move(done), [](const QJsonObject &answer) {
             return parseList<Room>(answer, "rooms", [](const QJsonObject &o) {
                 return std::optional<Room>(parseRoom(o));
             });
         }));
}

void TwirpClient::listParticipants(const QString &room, TwirpCallback<QList<Participant>> done)
{
    VideoGrant grant;
    grant.roomAdmin = true;
    grant.room = room;
    post(kRoomService, QStringLiteral("ListParticipants"), {{QLatin1String("room"), room}}, grant,
         adapt(std::move(done), [](const QJsonObject &answer) {
             return parseList<Participant>(answer, "participants", [](const QJsonObject &o) {
                 return std::optional<Participant>(parseParticipant(o));
             });
         }));
}

namespace {

VideoGrant egressGrant()
{
    VideoGrant grant;
    grant.roomRecord = true;
    return grant;
}

} // namespace

void TwirpClient::startRoomCompositeEgress(const QString &room, const QUrl &rtmpUrl,
                                           TwirpCallback<EgressInfo> done)
{
    const QJsonObject output{
        {QLatin1String("protocol"), QLatin1String("RTMP")},
        {QLatin1String("urls"), QJsonArray{rtmpUrl.toString(QUrl::FullyEncoded)}}};
    const QJsonObject request{
        {QLatin1String("roomName"), room},
        {QLatin1String("audioOnly"), true},
        {QLatin1String("streamOutputs"), QJsonArray{output}},
        {QLatin1String("advanced"),
         QJsonObject{{QLatin1String("audioFrequency"), kEgressAudioFrequency_hz}}}};
    post(kEgress, QStringLiteral("StartRoomCompositeEgress"), request, egressGrant(),
         adapt(std::move(done), parseEgressInfo));
}

void TwirpClient::startTrackEgress(const QString &room, const QString &trackSid,
                                   const QUrl &websocketUrl, TwirpCallback<EgressInfo> done)
{
    const QJsonObject request{
        {QLatin1String("roomName"), room},
        {QLatin1String("trackId"), trackSid},
        {QLatin1String("websocketUrl"), websocketUrl.toString(QUrl::FullyEncoded)}};
    post(kEgress, QStringLiteral("StartTrackEgress"), request, egressGrant(),
         adapt(std::move(done), parseEgressInfo));
}

void TwirpClient::stopEgress(const QString &egressId, TwirpCallback<EgressInfo> done)
{
    post(kEgress, QStringLiteral("StopEgress"), {{QLatin1String("egressId"), egressId}},
         egressGrant(), adapt(std::move(done), parseEgressInfo));
}

void TwirpClient::listEgress(const QString &room, bool activeOnly,
                             TwirpCallback<QList<EgressInfo>> done)
{
    QJsonObject request;
    if (!room.isEmpty())
        request.insert(QLatin1String("roomName"), room);
    if (activeOnly)
        request.insert(QLatin1String("active"), true);
    post(kEgress, QStringLiteral("ListEgress"), request, egressGrant(),
         adapt(std::move(done), [](const QJsonObject &answer) {
             return parseList<EgressInfo>(answer, "items", parseEgressInfo);
         }));
}

void TwirpClient::getEgress(const QString &egressId, TwirpCallback<std::optional<EgressInfo>> done)
{
    post(kEgress, QStringLiteral("ListEgress"), {{QLatin1String("egressId"), egressId}},
         egressGrant(), adapt(std::move(done), [egressId](const QJsonObject &answer) {
             const auto items = parseList<EgressInfo>(answer, "items", parseEgressInfo);
             if (!items)
                 return std::optional<std::optional<EgressInfo>>();
             // A server that ignores the filter answers with more than the one asked for.
             for (const EgressInfo &item : *items) {
                 if (item.egressId == egressId)
                     return std::optional<std::optional<EgressInfo>>(item);
             }
             return std::optional<std::optional<EgressInfo>>(std::optional<EgressInfo>());
         }));
}

void TwirpClient::post(const QString &service, const QString &method, const QJsonObject &request,
                       const VideoGrant &grant, JsonCallback done)
{
    QUrl url = m_config.host;
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + QStringLiteral("/twirp/%1/%2").arg(service, method));
    QNetworkRequest httpRequest(url);
    httpRequest.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    const QByteArray token = createToken(
        makeClaims(m_config.apiKey, grant, QDateTime::currentSecsSinceEpoch(), m_config.tokenTtl),
        m_config.apiSecret);
    httpRequest.setRawHeader("Authorization", "Bearer " + token);
    httpRequest.setTransferTimeout(int(m_config.transferTimeout.count()));

    qCDebug(lcLiveKit) << "calling" << method;
    QNetworkReply *reply =
        m_network->post(httpRequest, QJsonDocument(request).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, method, done = std::move(done)] {
        reply->deleteLater();
        finish(reply, method, done);
    });
}

void TwirpClient::finish(QNetworkReply *reply, const QString &method, const JsonCallback &done)
{
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    std::optional<TwirpError> error;
    QJsonObject answer;
    if (!statusAttribute.isValid()) {
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError;
        error = makeError(
            ErrorKind::Network, 0,
            timedOut
                ? QStringLiteral("no answer within %1 ms").arg(m_config.transferTimeout.count())
                : reply->errorString());
    } else if (const int status = statusAttribute.toInt(); status < 200 || status > 299) {
        error = httpError(status, reply->readAll(), isJson(reply));
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll(), &parseError);
        if (!isJson(reply))
            error = makeError(ErrorKind::Malformed, status,
                              QStringLiteral("answer is not application/json"));
        else if (parseError.error != QJsonParseError::NoError || !document.isObject())
            error = makeError(ErrorKind::Malformed, status,
                              QStringLiteral("answer is not a JSON object"));
        else
            answer = document.object();
    }
    done(method, answer, error);
}

} // namespace roomscribe::livekit

#include "publish/publishrequest.h"

#include "publish/realtimetoken.h"
#include "publish/websocketprotocol.h"

#include "livekit/httprequestreader.h"

#include <QList>
#include <QPair>

namespace roomscribe::publish {

namespace {

QByteArrayView trimmed(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && (bytes.front() == ' ' || bytes.front() == '\t'))
        bytes = bytes.sliced(1);
    while (!bytes.isEmpty() && (bytes.back() == ' ' || bytes.back() == '\t'))
        bytes.chop(1);
    return bytes;
}

// A comma-separated header holds `token` (case-insensitive), in any of its values.
bool hasToken(const QList<QByteArray> &values, QByteArrayView token)
{
    for (const QByteArray &value : values) {
        for (const QByteArray &item : value.split(',')) {
            if (trimmed(item).compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

// Form-style decoding, as browsers' URLSearchParams write it: '+' is a space.
QByteArray decodeQueryPart(QByteArrayView part)
{
    QByteArray bytes = part.toByteArray();
    bytes.replace('+', ' ');
    return QByteArray::fromPercentEncoding(bytes);
}

using Query = QList<QPair<QByteArray, QByteArray>>;

Query parseQuery(QByteArrayView query)
{
    Query items;
    for (const QByteArray &item : query.toByteArray().split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype equals = item.indexOf('=');
        if (equals < 0)
            items.append({decodeQueryPart(item), QByteArray()});
        else
            items.append({decodeQueryPart(QByteArrayView(item).first(equals)),
                          decodeQueryPart(QByteArrayView(item).sliced(equals + 1))});
    }
    return items;
}

QList<QByteArray> queryValues(const Query &query, QByteArrayView name)
{
    QList<QByteArray> values;
    for (const auto &[key, value] : query) {
        if (key == name)
            values.append(value);
    }
    return values;
}

RequestDecision refuse(int status, QByteArray reason, QByteArray extraHeaders = {})
{
    RequestDecision decision;
    decision.kind = RequestKind::Refused;
    decision.status = status;
    decision.reason = std::move(reason);
    decision.extraHeaders = std::move(extraHeaders);
    return decision;
}

// RFC 6750: a 401 names the scheme, and says whether the token itself was the problem.
QByteArray bearerChallenge(bool invalidToken)
{
    return invalidToken
               ? "WWW-Authenticate: Bearer realm=\"roomscribe\", error=\"invalid_token\"\r\n"
               : "WWW-Authenticate: Bearer realm=\"roomscribe\"\r\n";
}

RequestDecision decideWebSocket(const livekit::HttpRequest &request, const Query &query,
                                const QByteArray &tokenSecret, qint64 now_s,
                                std::chrono::seconds leeway)
{
    if (request.method != "GET")
        return refuse(405, "only GET is allowed", "Allow: GET\r\n");
    if (!hasToken(request.values("upgrade"), "websocket") ||
        !hasToken(request.values("connection"), "upgrade"))
        return refuse(426, "this endpoint is a WebSocket",
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n");
    const QList<QByteArray> versions = request.values("sec-websocket-version");
    if (versions.size() != 1 || trimmed(versions.first()) != "13")
        return refuse(426, "unsupported WebSocket version", "Sec-WebSocket-Version: 13\r\n");
    const QList<QByteArray> keys = request.values("sec-websocket-key");
    if (keys.size() != 1 || !isValidWebSocketKey(keys.first()))
        return refuse(400, "malformed Sec-WebSocket-Key");

    const QList<QByteArray> rooms = queryValues(query, "room");
    if (rooms.size() > 1)
        return refuse(400, "room given more than once");
    const QString room = QString::fromUtf8(rooms.value(0));
    if (room.isEmpty())
        return refuse(400, "missing room parameter");

    const QList<QByteArray> queryTokens = queryValues(query, "access_token");
    const QList<QByteArray> authorizations = request.values("authorization");
    RequestDecision decision;
    decision.room = room;
    auto refuseFor = [&room](RequestDecision refused) {
        refused.room = room;
        return refused;
    };
    if (queryTokens.size() + authorizations.size() > 1)
        return refuseFor(refuse(400, "give the access token once: header or access_token"));
    QByteArray token;
    if (!authorizations.isEmpty()) {
        const QByteArray &authorization = authorizations.first();
        if (authorization.size() < 7 ||
            QByteArrayView(authorization).first(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
            return refuseFor(
                refuse(401, "Authorization is not a Bearer token", bearerChallenge(false)));
        token = trimmed(QByteArrayView(authorization).sliced(7)).toByteArray();
    } else if (!queryTokens.isEmpty()) {
        token = queryTokens.first();
    }
    if (token.isEmpty())
        return refuseFor(refuse(401, "missing access token", bearerChallenge(false)));

    const RealtimeTokenVerification verification =
        verifyRealtimeToken(token, tokenSecret, now_s, leeway);
    if (!verification.ok())
        return refuseFor(
            refuse(401, "invalid token: " + verification.reason.toUtf8(), bearerChallenge(true)));
    if (!verification.claims.grants(room))
        return refuseFor(refuse(403, "token does not grant this room"));

    decision.kind = RequestKind::WebSocket;
    decision.acceptKey = webSocketAccept(trimmed(keys.first()));
    decision.tokenExpiresAt = verification.claims.expiresAt;
    return decision;
}

} // namespace

RequestDecision decideRequest(const livekit::HttpRequest &request, const QByteArray &tokenSecret,
                              qint64 now_s, std::chrono::seconds leeway)
{
    const qsizetype question = request.target.indexOf('?');
    const QByteArrayView path = question < 0 ? QByteArrayView(request.target)
                                             : QByteArrayView(request.target).first(question);
    const Query query =
        question < 0 ? Query() : parseQuery(QByteArrayView(request.target).sliced(question + 1));

    if (path == kRealtimePath)
        return decideWebSocket(request, query, tokenSecret, now_s, leeway);
    if (path == kHealthPath || path == kMetricsPath) {
        if (request.method != "GET")
            return refuse(405, "only GET is allowed", "Allow: GET\r\n");
        RequestDecision decision;
        decision.kind = path == kHealthPath ? RequestKind::Health : RequestKind::Metrics;
        return decision;
    }
    return refuse(404, "no such endpoint");
}

QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body, bool close,
                        QByteArrayView extraHeaders)
{
    QByteArray out = livekit::httpStatusLine(status) +
                     "Content-Type: " + contentType.toByteArray() +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\nCache-Control: no-store\r\n";
    out += extraHeaders;
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

QByteArray upgradeResponse(const QByteArray &acceptKey)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           acceptKey + "\r\n\r\n";
}

} // namespace roomscribe::publish

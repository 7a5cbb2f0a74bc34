#include "fakehttp.h"

#include "livekit/httprequestreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace roomscribe::test::http {

namespace {

constexpr qsizetype kMaxHeadSize = 64 * 1024;
constexpr qint64 kMaxBodySize = 4 * 1024 * 1024;

} // namespace

bool Request::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket";
}

Parse parseHead(const QByteArray &data, Request *request, qsizetype *headSize)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return data.size() > kMaxHeadSize ? Parse::Invalid : Parse::Incomplete;
    const QList<QByteArray> lines = data.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return Parse::Invalid;
    request->method = requestLine[0];
    request->url = QUrl::fromEncoded(requestLine[1]);
    if (!request->url.isValid())
        return Parse::Invalid;
    request->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            return Parse::Invalid;
        request->headers.insert(lines[i].left(colon).trimmed().toLower(),
                                lines[i].mid(colon + 1).trimmed());
    }
    *headSize = end + 4;
    return Parse::Complete;
}

qint64 contentLength(const Request &request)
{
    const QByteArray value = request.header("content-length");
    if (value.isEmpty())
        return 0;
    bool ok = false;
    const qint64 length = value.toLongLong(&ok);
    return ok && length >= 0 ? length : -1;
}

Parse parseRequest(const QByteArray &data, Request *request)
{
    qsizetype headSize = 0;
    const Parse head = parseHead(data, request, &headSize);
    if (head != Parse::Complete)
        return head;
    if (!request->header("transfer-encoding").isEmpty())
        return Parse::Invalid; // chunked bodies: no client of the fakes sends them
    const qint64 length = contentLength(*request);
    if (length < 0 || length > kMaxBodySize)
        return Parse::Invalid;
    if (data.size() < headSize + length)
        return Parse::Incomplete;
    request->body = data.mid(headSize, length);
    return Parse::Complete;
}

void respond(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body)
{
    QByteArray head = roomscribe::livekit::httpStatusLine(status) +
                      "Content-Length: " + QByteArray::number(body.size()) +
                      "\r\nConnection: close\r\n";
    if (!contentType.isEmpty())
        head += "Content-Type: " + contentType + "\r\n";
    socket->write(head + "\r\n" + body);
    socket->disconnectFromHost();
}

void respondJson(QTcpSocket *socket, int status, const QJsonValue &body,
                 const QByteArray &contentType)
{
    QByteArray payload;
    if (body.isArray())
        payload = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    else if (body.isObject())
        payload = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    respond(socket, status, contentType, payload);
}

} // namespace roomscribe::test::http

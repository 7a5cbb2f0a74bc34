#include "httpexchange.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>

namespace roomscribe::test {

namespace {

constexpr qsizetype kMaxHeadSize = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

bool HttpRequest::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket";
}

HttpParse parseHttpHead(const QByteArray &data, HttpRequest *request, qsizetype *headSize)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return data.size() > kMaxHeadSize ? HttpParse::Invalid : HttpParse::Incomplete;
    const QList<QByteArray> lines = data.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return HttpParse::Invalid;
    request->method = requestLine[0];
    request->url = QUrl::fromEncoded(requestLine[1]);
    if (!request->url.isValid())
        return HttpParse::Invalid;
    request->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            return HttpParse::Invalid;
        request->headers.insert(lines[i].left(colon).trimmed().toLower(),
                                lines[i].mid(colon + 1).trimmed());
    }
    *headSize = end + 4;
    return HttpParse::Complete;
}

qint64 contentLength(const HttpRequest &request)
{
    bool ok = false;
    const qint64 length = request.header("content-length").toLongLong(&ok);
    return ok && length > 0 ? length : 0;
}

void writeHttpResponse(QTcpSocket *socket, int status, const QJsonValue &body)
{
    QByteArray payload;
    if (body.isArray())
        payload = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    else if (body.isObject())
        payload = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                      QByteArray::number(payload.size()) + "\r\nConnection: close\r\n\r\n";
    socket->write(head + payload);
    socket->disconnectFromHost();
}

QJsonValue gladiaErrorBody(int status, const QString &path, const QString &message,
                           const QStringList &validationErrors)
{
    QJsonObject body{
        {"timestamp", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {"path", path},
        {"request_id",
         QStringLiteral("G-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar('0'))},
        {"statusCode", status},
        {"message", message},
    };
    if (!validationErrors.isEmpty())
        body.insert("validation_errors", QJsonArray::fromStringList(validationErrors));
    return body;
}

} // namespace roomscribe::test

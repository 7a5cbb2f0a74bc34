#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QStringList>
#include <QUrl>

class QTcpSocket;

// Just enough HTTP/1.1 for the emulator: one request per connection,
// Content-Length bodies, answers closed after writing.
namespace roomscribe::test {

struct HttpRequest
{
    QByteArray method;
    QUrl url;                              // path and query, as requested
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name); }
    bool isWebSocketUpgrade() const;
};

enum class HttpParse { Invalid, Incomplete, Complete };

// Parses the request at the start of `data`. With Complete, *headSize is the
// length of the request line and headers; the body is then
// data[*headSize, *headSize + contentLength()).
HttpParse parseHttpHead(const QByteArray &data, HttpRequest *request, qsizetype *headSize);
qint64 contentLength(const HttpRequest &request);

// An object or array as JSON; anything else as an empty body.
void writeHttpResponse(QTcpSocket *socket, int status, const QJsonValue &body);

// Gladia's error body: {timestamp, path, request_id, statusCode, message,
// validation_errors?}.
QJsonValue gladiaErrorBody(int status, const QString &path, const QString &message,
                           const QStringList &validationErrors = {});

} // namespace roomscribe::test

#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QUrl>

class QTcpSocket;

// Just enough HTTP/1.1 for the fake servers: one request per connection,
// Content-Length bodies, every answer closes the connection (clients
// reconnect). What a service puts in its bodies stays with its fake.
namespace roomscribe::test::http {

struct Request
{
    QByteArray method;
    QUrl url;                              // path and query, as requested
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name); }
    bool isWebSocketUpgrade() const;
};

enum class Parse { Invalid, Incomplete, Complete };

// Parses the request line and headers at the start of `data`, leaving the
// body alone. With Complete, *headSize is their length: the body starts there.
Parse parseHead(const QByteArray &data, Request *request, qsizetype *headSize);
// The Content-Length: 0 when absent, -1 when not a non-negative number.
qint64 contentLength(const Request &request);
// Parses a whole request, head and body, from the start of `data`. A body
// must come with a valid Content-Length of at most 4 MiB, never chunked.
Parse parseRequest(const QByteArray &data, Request *request);

// Writes the answer and closes the connection. `contentType` is sent exactly
// as given (none when empty): the LiveKit SDK reads a Twirp error only when it
// is precisely "application/json".
void respond(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body);
// An object or array as compact JSON; anything else as an empty body.
void respondJson(QTcpSocket *socket, int status, const QJsonValue &body,
                 const QByteArray &contentType = "application/json");

} // namespace roomscribe::test::http

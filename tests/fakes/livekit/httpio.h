#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QUrl>

class QTcpSocket;

// Just enough HTTP/1.1 for the fake: Content-Length bodies, one request per
// connection, every answer closes the connection (clients reconnect).
namespace roomscribe::test::http {

struct Request
{
    QByteArray method;
    QUrl url;                              // path and query, as requested
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name); }
};

enum class Parse { Invalid, Incomplete, Complete };

// Parses a whole request (head and body) from the start of `data`.
Parse parseRequest(const QByteArray &data, Request *request);

// `contentType` is sent exactly as given: the LiveKit SDK reads a Twirp error
// only when it is precisely "application/json".
void respond(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body);
void respondJson(QTcpSocket *socket, int status, const QJsonObject &body);

} // namespace roomscribe::test::http

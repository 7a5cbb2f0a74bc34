#pragma once

#include "livekit/webhookverifier.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTcpServer>

#include <chrono>
#include <deque>

class QTcpSocket;

// The HTTP endpoint LiveKit posts its webhooks to (shared/PROTOCOLS.md,
// "Webhooks"). It is a small HTTP/1.1 reader over QTcpServer rather than
// QHttpServer: Qt 6.4's QHttpServer (a tech preview) buffers whatever body a
// client sends with no bound, and this endpoint faces the internet; here the
// body is bounded before it is read, and the raw bytes that the signature
// covers are exactly what the verifier sees.
namespace roomscribe::livekit {

struct WebhookServerConfig
{
    QString apiKey; // the key LiveKit signs webhooks with (the token's iss)
    QByteArray apiSecret;
    qsizetype maxBody_bytes = 1024 * 1024;
    // A connection must complete each request within this, idle ones included.
    std::chrono::milliseconds requestTimeout{10000};
    int maxConnections = 64;
    // Event ids remembered to acknowledge LiveKit's retries without repeating them.
    int recentEventIds = 4096;
};

struct WebhookServerStats
{
    quint64 accepted = 0;   // verified events, duplicates included (answered 200)
    quint64 duplicates = 0; // of those, retries of an event already delivered
    quint64 rejected = 0;   // every other answer: 401, 405, 413, malformed HTTP
};

// Lives on the thread that creates it. Any POST path is accepted: the URL is
// whatever was configured in LiveKit. A verified event is answered 200 and
// then emitted, once per event id; a request that fails verification is
// answered 401 with a short reason, another method 405, a body over the
// bound 413 (and the connection is closed). Logs name the reason, never a
// token or the secret. A slot of eventReceived may call close(), but must
// not delete the server (deleteLater() is fine).
class WebhookServer final : public QObject
{
    Q_OBJECT
public:
    explicit WebhookServer(WebhookServerConfig config, QObject *parent = nullptr);

    // port 0: a free port, see port(). False with *error when the address is
    // taken or no API key and secret are configured.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_listener.serverPort(); }
    // Stops listening and closes every connection once what was answered is sent.
    void close();

    WebhookServerStats stats() const { return m_stats; }

Q_SIGNALS:
    void eventReceived(const roomscribe::livekit::WebhookEvent &event);

private:
    class Connection;

    void onNewConnection();
    void onReadyRead(Connection *connection);
    // Answers one complete request; true when the connection stays open.
    bool answer(Connection *connection);
    // Answers a request the reader refused; the connection only drains after it.
    void reject(Connection *connection, int status, const QByteArray &reason);
    void write(QTcpSocket *socket, int status, const QByteArray &body, bool close,
               const QByteArray &extraHeaders = {});
    // True the first time an id is seen (an empty id is never a repeat).
    bool rememberEventId(const QString &id);

    WebhookServerConfig m_config;
    QTcpServer m_listener;
    WebhookServerStats m_stats;
    QSet<QString> m_recentIds;
    std::deque<QString> m_recentOrder; // oldest first
};

} // namespace roomscribe::livekit

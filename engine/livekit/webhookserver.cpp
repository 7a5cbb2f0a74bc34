#include "livekit/webhookserver.h"

#include "core/logging.h"
#include "livekit/httprequestreader.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace roomscribe::livekit {

namespace {

// Qt reads no further ahead than this, so one readyRead never holds more.
constexpr qint64 kSocketReadBuffer_bytes = 64 * 1024;
// A refused body is read and dropped up to this many times the bound, so that
// the client gets to read the answer instead of a reset; past it the
// connection is cut.
constexpr qsizetype kDrainFactor = 4;

QString peerOf(const QTcpSocket *socket)
{
    return socket->peerAddress().toString();
}

} // namespace

class WebhookServer::Connection final : public QObject
{
    Q_OBJECT // for findChildren
        public : Connection(QTcpSocket *socket, const WebhookServerConfig &config, QObject *parent)
        : QObject(parent), socket(socket), reader(config.maxBody_bytes)
    {
        socket->setParent(this);
        timer.setSingleShot(true);
    }

    QTcpSocket *socket;
    HttpRequestReader reader;
    QTimer timer;
    // After a refusal: the rest of the request is dropped until the client closes.
    bool draining = false;
    qsizetype drained_bytes = 0;
    // After an answer with "Connection: close": nothing more is read.
    bool closing = false;
};

WebhookServer::WebhookServer(WebhookServerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config))
{
    qRegisterMetaType<WebhookEvent>();
    connect(&m_listener, &QTcpServer::newConnection, this, &WebhookServer::onNewConnection);
}

bool WebhookServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_config.apiKey.isEmpty() || m_config.apiSecret.isEmpty()) {
        *error = QStringLiteral("webhooks need the LiveKit API key and secret");
        return false;
    }
    if (!m_listener.listen(address, port)) {
        *error = QStringLiteral("cannot listen for webhooks on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_listener.errorString());
        return false;
    }
    qCInfo(lcLiveKit).noquote() << "webhooks listening on"
                                << address.toString() + u':' + QString::number(this->port());
    return true;
}

void WebhookServer::close()
{
    m_listener.close();
    // Answers already written still go out; each socket closes after them
    // (or at its time-out) and takes its connection along.
    for (Connection *connection : findChildren<Connection *>(Qt::FindDirectChildrenOnly)) {
        connection->closing = true;
        connection->socket->disconnectFromHost();
    }
}

void WebhookServer::onNewConnection()
{
    while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
        if (findChildren<Connection *>(Qt::FindDirectChildrenOnly).size() >=
            m_config.maxConnections) {
            qCDebug(lcLiveKit).noquote()
                << "webhook connection from" << peerOf(socket) << "refused: too many connections";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new Connection(socket, m_config, this);
        socket->setReadBufferSize(kSocketReadBuffer_bytes);
        connect(socket, &QTcpSocket::readyRead, connection,
                [this, connection] { onReadyRead(connection); });
        connect(socket, &QTcpSocket::disconnected, connection, &QObject::deleteLater);
        connect(&connection->timer, &QTimer::timeout, connection, [connection] {
            qCDebug(lcLiveKit).noquote()
                << "webhook connection from" << peerOf(connection->socket) << "timed out";
            connection->socket->abort();
            connection->deleteLater();
        });
        connection->timer.start(m_config.requestTimeout);
    }
}

void WebhookServer::onReadyRead(Connection *connection)
{
    QTcpSocket *socket = connection->socket;
    const QByteArray bytes = socket->readAll();
    if (connection->closing)
        return;
    if (connection->draining) {
        connection->drained_bytes += bytes.size();
        if (connection->drained_bytes > kDrainFactor * m_config.maxBody_bytes) {
            socket->abort();
            connection->deleteLater();
        }
        return;
    }

    HttpRequestReader::Status status = connection->reader.feed(bytes);
    while (status == HttpRequestReader::Status::Complete) {
        if (!answer(connection))
            return;
        status = connection->reader.next();
    }
    if (status == HttpRequestReader::Status::Failed) {
        const HttpRequestReader &reader = connection->reader;
        qCInfo(lcLiveKit).nospace().noquote()
            << "webhook request from " << peerOf(socket) << " refused (" << reader.errorStatus()
            << "): " << reader.errorReason();
        reject(connection, reader.errorStatus(), reader.errorReason());
    }
}

bool WebhookServer::answer(Connection *connection)
{
    QTcpSocket *socket = connection->socket;
    const HttpRequest &request = connection->reader.request();
    const bool keepAlive = request.keepAlive;
    connection->timer.start(m_config.requestTimeout);
    auto finish = [&] {
        if (!keepAlive) {
            connection->closing = true;
            socket->disconnectFromHost();
        }
        return keepAlive;
    };

    if (request.method != "POST") {
        qCInfo(lcLiveKit).nospace().noquote() << "webhook request from " << peerOf(socket)
                                              << " refused: " << request.method << " is not POST";
        ++m_stats.rejected;
        write(socket, 405, "only POST is allowed\n", !keepAlive, "Allow: POST\r\n");
        return finish();
    }

    const QList<QByteArray> authorizations = request.values("authorization");
    WebhookVerification verification;
    if (authorizations.size() > 1) {
        verification.status = WebhookStatus::BadToken;
        verification.reason = QStringLiteral("more than one Authorization header");
    } else {
        verification = verifyWebhook(
            request.body, authorizations.value(0),
            [this](const QString &apiKey) -> std::optional<QByteArray> {
                if (apiKey == m_config.apiKey)
                    return m_config.apiSecret;
                return std::nullopt;
            },
            QDateTime::currentSecsSinceEpoch());
    }
    if (!verification.ok()) {
        qCWarning(lcLiveKit).nospace().noquote()
            << "webhook from " << peerOf(socket) << " rejected: " << verification.reason;
        ++m_stats.rejected;
        write(socket, 401, verification.reason.toUtf8() + '\n', !keepAlive);
        return finish();
    }

    ++m_stats.accepted;
    const WebhookEvent event = std::move(verification.event);
    const bool fresh = rememberEventId(event.id);
    if (!fresh)
        ++m_stats.duplicates;
    qCDebug(lcLiveKit).noquote() << "webhook" << event.eventName << event.id
                                 << (fresh ? "accepted" : "repeated; acknowledged");
    // Answer first: LiveKit waits for it, and a slot may take its time.
    write(socket, 200, "ok\n", !keepAlive);
    const bool stays = finish();
    if (!fresh)
        return stays;
    QPointer<WebhookServer> self(this);
    QPointer<Connection> alive(connection);
    Q_EMIT eventReceived(event);
    return self && alive && stays && socket->state() == QAbstractSocket::ConnectedState;
}

void WebhookServer::reject(Connection *connection, int status, const QByteArray &reason)
{
    ++m_stats.rejected;
    write(connection->socket, status, reason + '\n', true);
    connection->draining = true;
}

void WebhookServer::write(QTcpSocket *socket, int status, const QByteArray &body, bool close,
                          const QByteArray &extraHeaders)
{
    QByteArray out = httpStatusLine(status) +
                     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n" + extraHeaders;
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n" + body;
    socket->write(out);
}

bool WebhookServer::rememberEventId(const QString &id)
{
    if (id.isEmpty())
        return true;
    if (m_recentIds.contains(id))
        return false;
    m_recentIds.insert(id);
    m_recentOrder.push_back(id);
    while (m_recentOrder.size() > size_t(std::max(m_config.recentEventIds, 1))) {
        m_recentIds.remove(m_recentOrder.front());
        m_recentOrder.pop_front();
    }
    return true;
}

} // namespace roomscribe::livekit

#include "webhookserver.moc"

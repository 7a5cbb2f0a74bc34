#include "ingest/trackingest.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingestserver.h"
#include "ingest/streamregistry.h"
#include "ingest/trackconnection.h"

#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <unistd.h>

namespace roomscribe::ingest {

// Silence for muted tracks is added this often (see TrackConnection).
constexpr int kPaceInterval_ms = 20;
constexpr int kSweepInterval_ms = 1000;
// A WebSocket request is a few hundred bytes; more is not one.
constexpr qsizetype kMaxRequestHead_bytes = 8192;

static QString prefix()
{
    return u'/' + QString::fromLatin1(IngestServer::kTrackApp) + u'/';
}

QString TrackIngest::pathFor(const QString &token)
{
    return prefix() + token;
}

QString TrackIngest::tokenOf(const QString &path)
{
    if (!path.startsWith(prefix()))
        return {};
    const QString token = path.mid(prefix().size());
    return token.contains(u'/') ? QString() : token;
}

// For logs: a path without the secrets it may hold (a token, at a wrong
// path too), every long segment shortened as redactedKey() does.
static QString redactedPath(const QString &path)
{
    constexpr qsizetype kShortSegment = 8; // "track", "live": no token
    QStringList segments = path.left(256).split(u'/');
    for (QString &segment : segments) {
        if (segment.size() > kShortSegment)
            segment = redactedKey(segment);
    }
    return segments.join(u'/');
}

TrackIngest::TrackIngest(int index, const IngestConfig &config,
                         std::shared_ptr<StreamRegistry> registry)
    : StreamOwner(index, StreamInput::PcmS16Stereo, config, std::move(registry)),
      m_server(new QWebSocketServer(QStringLiteral("roomscribe"), QWebSocketServer::NonSecureMode,
                                    this)),
      m_paceTimer(this), m_sweepTimer(this)
{
    connect(m_server, &QWebSocketServer::newConnection, this, &TrackIngest::onUpgraded);
    m_paceTimer.setInterval(kPaceInterval_ms);
    connect(&m_paceTimer, &QTimer::timeout, this, &TrackIngest::keepPace);
    m_sweepTimer.setInterval(kSweepInterval_ms);
    connect(&m_sweepTimer, &QTimer::timeout, this, &TrackIngest::sweep);
}

TrackIngest::~TrackIngest()
{
    m_connections.clear();
    m_finished.clear();
}

int TrackIngest::connectionCount() const
{
    return int(m_pending.size() + m_connections.size());
}

void TrackIngest::adoptSocket(qintptr fd)
{
    QMetaObject::invokeMethod(this, [this, fd] {
        if (isShuttingDown() || connectionCount() >= m_config.maxConnections) {
            qCWarning(lcIngest) << "refusing a Track Egress connection:"
                                << (isShuttingDown() ? "stopping" : "connection limit reached");
            countRefused();
            ::close(int(fd));
            return;
        }
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(fd)) {
            qCWarning(lcIngest) << "cannot adopt a Track Egress connection:"
                                << socket->errorString();
            delete socket;
            ::close(int(fd));
            return;
        }
        m_pending.emplace(socket, monotonicNow_ns());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { examineRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropPending(socket); });
        if (!m_sweepTimer.isActive())
            m_sweepTimer.start();
    });
}

void TrackIngest::examineRequest(QTcpSocket *socket)
{
    // Peek only: QWebSocketServer reads the same request for the handshake.
    const QByteArray head = socket->peek(kMaxRequestHead_bytes);
    if (!head.contains("\r\n\r\n")) {
        if (head.size() >= kMaxRequestHead_bytes)
            refuse(socket, "431 Request Header Fields Too Large",
                   QStringLiteral("request head too large"));
        return;
    }
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QString path =
        requestLine.size() == 3 ? QUrl(QString::fromLatin1(requestLine[1])).path() : QString();
    const QString token = tokenOf(path);
    if (token.isEmpty()) {
        refuse(socket, "404 Not Found",
               QStringLiteral("not a %1<token> path: %2").arg(prefix(), redactedPath(path)));
        return;
    }
    const std::optional<StreamRegistry::Registration> registration =
        m_registry->find(QString::fromLatin1(IngestServer::kTrackApp), token);
    if (!registration || registration->owner != index()) {
        refuse(socket, "401 Unauthorized",
               QStringLiteral("unknown or closed track token at %1").arg(redactedPath(path)));
        return;
    }
    socket->disconnect(this);
    m_pending.erase(socket);
    m_server->handleConnection(socket);
}

void TrackIngest::refuse(QTcpSocket *socket, const QByteArray &status, const QString &why)
{
    qCWarning(lcIngest).noquote() << "refused Track Egress connection from"
                                  << socket->peerAddress().toString() + u':' +
                                         QString::number(socket->peerPort())
                                  << ":" << why;
    countRefused();
    socket->disconnect(this);
    m_pending.erase(socket);
    const QByteArray body = status + '\n';
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost(); // once the answer is written
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
}

void TrackIngest::dropPending(QTcpSocket *socket)
{
    socket->disconnect(this);
    m_pending.erase(socket);
    socket->abort();
    socket->deleteLater();
}

void TrackIngest::onUpgraded()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        auto connection =
            std::make_unique<TrackConnection>(this, socket, tokenOf(socket->requestUrl().path()));
        TrackConnection *started = connection.get();
        m_connections.emplace(started, std::move(connection));
        if (!m_paceTimer.isActive() && !isShuttingDown())
            m_paceTimer.start();
        // The token may have been closed since its request was read.
        started->start();
    }
}

void TrackIngest::forget(TrackConnection *connection)
{
    const auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    m_finished.push_back(std::move(it->second));
    m_connections.erase(it);
    if (m_connections.empty())
        m_paceTimer.stop();
    // The caller may be inside one of the connection's socket signals.
    QMetaObject::invokeMethod(
        this, [this] { m_finished.clear(); }, Qt::QueuedConnection);
}

void TrackIngest::keepPace()
{
    const int64_t now_ns = monotonicNow_ns();
    for (const auto &entry : m_connections)
        entry.first->keepPace(now_ns);
}

void TrackIngest::sweep()
{
    const int64_t now_ns = monotonicNow_ns();
    const int64_t requestTimeout_ns = int64_t(m_config.publishTimeout_s) * 1'000'000'000;
    for (QTcpSocket *socket : keysOf(m_pending)) {
        if (now_ns - m_pending.at(socket) <= requestTimeout_ns)
            continue;
        qCWarning(lcIngest).noquote()
            << "Track Egress connection from" << socket->peerAddress().toString()
            << "sent no request within" << m_config.publishTimeout_s << "s";
        countFailed();
        dropPending(socket);
    }
    for (TrackConnection *connection : keysOf(m_connections)) {
        if (connection->state() == TrackConnection::State::Closing &&
            now_ns > connection->closingDeadline_ns())
            connection->abort(); // the peer did not answer our close
    }
}

void TrackIngest::closeConnections(const QString &reason)
{
    m_paceTimer.stop();
    for (QTcpSocket *socket : keysOf(m_pending))
        dropPending(socket);
    for (TrackConnection *connection : keysOf(m_connections))
        connection->closeWith(QWebSocketProtocol::CloseCodeGoingAway, reason);
}

} // namespace roomscribe::ingest

#include "ingest/ingestworker.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/rtmpconnection.h"
#include "ingest/streamregistry.h"

#include <QHostAddress>
#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace roomscribe::ingest {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr int kSweepInterval_ms = 1000;

IngestWorker::IngestWorker(int index, const IngestConfig &config,
                           std::shared_ptr<StreamRegistry> registry,
                           std::shared_ptr<const std::vector<IngestWorker *>> peers)
    : StreamOwner(index, StreamInput::FlvAac, config, std::move(registry)),
      m_peers(std::move(peers)), m_sweepTimer(this), m_readBuffer(kReadBufferSize)
{
    m_sweepTimer.setInterval(kSweepInterval_ms);
    connect(&m_sweepTimer, &QTimer::timeout, this, &IngestWorker::sweep);
}

IngestWorker::~IngestWorker()
{
    m_connections.clear();
    m_finished.clear();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

static QString peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return QStringLiteral("unknown peer");
    QHostAddress host(reinterpret_cast<sockaddr *>(&address));
    const quint16 port = address.ss_family == AF_INET6
                             ? ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
    return host.toString() + u':' + QString::number(port);
}

void IngestWorker::adoptSocket(qintptr fd)
{
    QMetaObject::invokeMethod(this, [this, fd] {
        const int perWorkerLimit = m_config.maxConnections / int(m_peers->size());
        if (isShuttingDown() || int(m_connections.size()) >= perWorkerLimit) {
            qCWarning(lcIngest).noquote()
                << "refusing connection from" << peerOf(int(fd)) << ":"
                << (isShuttingDown() ? "stopping" : "connection limit reached");
            countRefused();
            ::close(int(fd));
            return;
        }
        track(std::make_unique<RtmpConnection>(this, int(fd), peerOf(int(fd))));
    });
}

void IngestWorker::adoptHandoff(std::shared_ptr<RtmpHandoff> handoff)
{
    QMetaObject::invokeMethod(this, [this, handoff] {
        if (isShuttingDown())
            return; // the handoff closes the descriptor
        auto connection = std::make_unique<RtmpConnection>(this, *handoff);
        RtmpConnection *adopted = connection.get();
        track(std::move(connection));
        if (m_connections.count(adopted))
            adopted->completeHandoff();
    });
}

void IngestWorker::track(std::unique_ptr<RtmpConnection> connection)
{
    if (m_epoll < 0) {
        m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0) {
            qCCritical(lcIngest) << "epoll_create1 failed:" << std::strerror(errno);
            return;
        }
        m_epollNotifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
        connect(m_epollNotifier, &QSocketNotifier::activated, this,
                &IngestWorker::dispatchSocketEvents);
        m_sweepTimer.start();
    }
    // Reads and writes must never block the worker.
    const int flags = ::fcntl(connection->fd(), F_GETFL);
    ::fcntl(connection->fd(), F_SETFL, flags | O_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.ptr = connection.get();
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, connection->fd(), &event) != 0) {
        qCWarning(lcIngest) << "cannot watch socket:" << std::strerror(errno);
        return;
    }
    RtmpConnection *key = connection.get();
    m_connections.emplace(key, std::move(connection));
}

void IngestWorker::watchWritable(RtmpConnection *connection, bool writable)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (writable ? uint32_t(EPOLLOUT) : 0u);
    event.data.ptr = connection;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection->fd(), &event);
}

void IngestWorker::forget(RtmpConnection *connection)
{
    const auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection->fd(), nullptr);
    m_finished.push_back(std::move(it->second));
    m_connections.erase(it);
    // Outside a batch of socket events (a timer, a queued call) nothing else
    // can hold the pointer once this returns to the event loop.
    if (!m_dispatching)
        QMetaObject::invokeMethod(
            this, [this] { m_finished.clear(); }, Qt::QueuedConnection);
}

void IngestWorker::dispatchSocketEvents()
{
    constexpr int kMaxEvents = 256;
    epoll_event events[kMaxEvents];
    const int count = ::epoll_wait(m_epoll, events, kMaxEvents, 0);
    m_dispatching = true;
    for (int i = 0; i < count; ++i) {
        auto *connection = static_cast<RtmpConnection *>(events[i].data.ptr);
        // Skip connections that an earlier event in this batch ended.
        if (connection->state() == RtmpConnection::State::Closed)
            continue;
        if (events[i].events & EPOLLOUT)
            connection->onWritable();
        if (connection->state() != RtmpConnection::State::Closed &&
            events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            connection->onReadable();
    }
    m_dispatching = false;
    m_finished.clear();
}

rtmp::PublishDecision IngestWorker::routePublish(RtmpConnection *connection, const QString &app,
                                                 const QString &key, int *targetWorker)
{
    const std::optional<StreamRegistry::Registration> registration = m_registry->find(app, key);
    // Owners past the workers are not RTMP (Track Egress tokens).
    if (!registration || registration->owner >= int(m_peers->size())) {
        qCWarning(lcIngest).noquote()
            << "refused publish of unknown stream" << app + u'/' + redactedKey(key) << "from"
            << connection->peer();
        countRefused();
        return rtmp::PublishDecision::Refuse;
    }
    if (registration->owner != index()) {
        *targetWorker = registration->owner;
        return rtmp::PublishDecision::Defer;
    }
    return rtmp::PublishDecision::Accept;
}

void IngestWorker::sweep()
{
    const int64_t now = monotonicNow_ns();
    std::vector<std::pair<RtmpConnection *, QString>> expired;
    for (const auto &[connection, owned] : m_connections) {
        if (connection->state() == RtmpConnection::State::Lingering &&
            now > connection->lingerDeadline_ns())
            expired.emplace_back(connection, QStringLiteral("peer did not close after goodbye"));
        else if (connection->awaitsPublish() &&
                 now - connection->accepted_ns() > int64_t(m_config.publishTimeout_s) * 1000000000)
            expired.emplace_back(
                connection,
                QStringLiteral("no publish within %1 s").arg(m_config.publishTimeout_s));
        else if (connection->isPublishing() &&
                 now - connection->lastInput_ns() > int64_t(m_config.idleTimeout_s) * 1000000000)
            expired.emplace_back(connection,
                                 QStringLiteral("no data for %1 s").arg(m_config.idleTimeout_s));
    }
    for (auto &[connection, reason] : expired)
        connection->close(reason);
}

void IngestWorker::closeConnections(const QString &reason)
{
    m_sweepTimer.stop();
    for (RtmpConnection *connection : keysOf(m_connections))
        connection->close(reason);
}

} // namespace roomscribe::ingest

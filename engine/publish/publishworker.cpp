#include "publish/publishworker.h"

#include "core/clock.h"
#include "core/logging.h"
#include "livekit/httprequestreader.h"
#include "publish/publishrequest.h"
#include "publish/websocketprotocol.h"

#include <QDateTime>
#include <QHostAddress>
#include <QSocketNotifier>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace roomscribe::publish {

namespace {

constexpr size_t kReadBuffer_bytes = 64 * 1024;
// Reads per readiness report: enough for a burst, few enough that one
// chatty peer cannot starve the others on the worker.
constexpr int kMaxReadsPerWakeup = 4;
constexpr int kSweepInterval_ms = 250;
// Requests on this port have no body.
constexpr qsizetype kMaxRequestBody_bytes = 0;
// What a refused peer may still send before the socket is cut.
constexpr qsizetype kMaxDrain_bytes = 64 * 1024;

int64_t toNs(std::chrono::milliseconds duration)
{
    return int64_t(duration.count()) * 1000000;
}

QString peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return QStringLiteral("unknown peer");
    const QHostAddress host(reinterpret_cast<sockaddr *>(&address));
    const quint16 port = address.ss_family == AF_INET6
                             ? ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
    return host.toString() + u':' + QString::number(port);
}

} // namespace

struct PublishWorker::Connection
{
    enum class State {
        Invalid,
        Http,           // reading a request
        AwaitingAnswer, // /health or /metrics: the server prepares the answer
        WebSocket,      // a client of `room`
        Closing,        // last bytes queued; waits for the peer to close
        Closed,         // deleted by reap()
    };
    struct Pending
    {
        QByteArray bytes; // shares the segment's frame: no copy per client
        FrameKind kind = FrameKind::Invalid;
        int64_t published_ns = 0; // live segments: for the delivery latency
    };

    int fd = -1;
    QString peer;
    State state = State::Http;
    std::unique_ptr<livekit::HttpRequestReader> http;
    std::unique_ptr<ClientFrameReader> frames; // once upgraded
    QString room;
    size_t roomSlot = 0;
    bool inRoom = false;
    qint64 tokenExpiresAt = 0;
    std::deque<Pending> queue;
    qsizetype sentOfFront = 0; // bytes of queue.front() already written
    qsizetype queued_bytes = 0;
    uint32_t events = 0; // what epoll watches for
    int64_t lastInput_ns = 0;
    int64_t deadline_ns = 0; // Http: for the request; Closing: for the peer's close
    bool pingOutstanding = false;
    bool closeWhenFlushed = false;     // Closing: the close handshake is done once this is out
    bool halfCloseWhenFlushed = false; // Closing after an HTTP answer
    qsizetype drained_bytes = 0;
    quint64 requestId = 0; // AwaitingAnswer
    bool keepAlive = false;
};

PublishWorker::PublishWorker(int index, const PublishConfig &config, int maxConnections)
    : m_index(index), m_config(config), m_maxConnections(maxConnections), m_sweepTimer(this),
      m_readBuffer(kReadBuffer_bytes)
{
    m_sweepTimer.setInterval(kSweepInterval_ms);
    connect(&m_sweepTimer, &QTimer::timeout, this, &PublishWorker::sweep);
}

PublishWorker::~PublishWorker()
{
    for (auto &[connection, owned] : m_connections) {
        if (owned->fd >= 0)
            ::close(owned->fd);
    }
    if (m_epoll >= 0)
        ::close(m_epoll);
}

void PublishWorker::ensureStarted()
{
    if (m_epoll >= 0)
        return;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        qCCritical(lcPublish) << "epoll_create1 failed:" << std::strerror(errno);
        return;
    }
    m_epollNotifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_epollNotifier, &QSocketNotifier::activated, this,
            &PublishWorker::dispatchSocketEvents);
    m_sweepTimer.start();
    m_latencyWindowStart_ns = monotonicNow_ns();
}

void PublishWorker::adoptSocket(qintptr fd)
{
    QMetaObject::invokeMethod(this, [this, fd] {
        ensureStarted();
        if (m_shuttingDown || m_epoll < 0 || int(m_connections.size()) >= m_maxConnections) {
            qCWarning(lcPublish).noquote()
                << "fan-out: refusing connection from" << peerOf(int(fd)) << ":"
                << (m_shuttingDown ? "stopping" : "connection limit reached");
            ++m_stats.refusedOther;
            // Best effort: the socket is fresh, so the answer fits its buffer.
            const QByteArray busy =
                httpResponse(503, "text/plain; charset=utf-8", "too many connections\n", true);
            [[maybe_unused]] const ssize_t sent =
                ::send(int(fd), busy.constData(), size_t(busy.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(int(fd));
            return;
        }
        track(int(fd));
    });
}

void PublishWorker::track(int fd)
{
    // Writes must never block the worker, and each frame should leave at once.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (m_config.socketSendBuffer_bytes > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &m_config.socketSendBuffer_bytes,
                     sizeof(m_config.socketSendBuffer_bytes));

    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    connection->peer = peerOf(fd);
    connection->http = std::make_unique<livekit::HttpRequestReader>(kMaxRequestBody_bytes);
    connection->lastInput_ns = monotonicNow_ns();
    connection->deadline_ns = connection->lastInput_ns + toNs(m_config.requestTimeout);
    connection->events = EPOLLIN | EPOLLRDHUP;
    epoll_event event{};
    event.events = connection->events;
    event.data.ptr = connection.get();
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        qCWarning(lcPublish) << "fan-out: cannot watch socket:" << std::strerror(errno);
        ::close(fd);
        return;
    }
    Connection *key = connection.get();
    m_connections.emplace(key, std::move(connection));
}

void PublishWorker::dispatchSocketEvents()
{
    constexpr int kMaxEvents = 256;
    epoll_event events[kMaxEvents];
    const int count = ::epoll_wait(m_epoll, events, kMaxEvents, 0);
    for (int i = 0; i < count; ++i) {
        auto *connection = static_cast<Connection *>(events[i].data.ptr);
        // Skip connections that an earlier event in this batch ended.
        if (connection->state == Connection::State::Closed)
            continue;
        if (events[i].events & EPOLLOUT)
            flush(*connection);
        if (connection->state == Connection::State::Closed)
            continue;
        if (connection->state == Connection::State::AwaitingAnswer) {
            // Not reading while the answer is prepared; only a hang-up matters.
            if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                closeNow(*connection, QStringLiteral("peer closed"));
        } else if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            onReadable(*connection);
        }
    }
    reap();
}

void PublishWorker::onReadable(Connection &connection)
{
    char *buffer = m_readBuffer.data();
    for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
        if (connection.state == Connection::State::Closed ||
            connection.state == Connection::State::AwaitingAnswer)
            return;
        const ssize_t n = ::read(connection.fd, buffer, m_readBuffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            closeNow(connection, n == 0 ? QStringLiteral("peer closed")
                                        : QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        connection.lastInput_ns = monotonicNow_ns();
        connection.pingOutstanding = false;
        switch (connection.state) {
        case Connection::State::Http:
            readHttp(connection, buffer, n);
            break;
        case Connection::State::WebSocket:
            readFrames(connection, buffer, n);
            break;
        case Connection::State::Closing:
            if (connection.frames) {
                readFrames(connection, buffer, n); // waiting for the client's close frame
            } else {
                connection.drained_bytes += n;
                if (connection.drained_bytes > kMaxDrain_bytes)
                    closeNow(connection, QStringLiteral("peer kept sending after the answer"));
            }
            break;
        case Connection::State::Invalid:
        case Connection::State::AwaitingAnswer:
        case Connection::State::Closed:
            return;
        }
        if (size_t(n) < m_readBuffer.size())
            return; // drained
    }
}

void PublishWorker::readHttp(Connection &connection, const char *data, qsizetype size)
{
    connection.http->feed(QByteArrayView(data, size));
    handleRequests(connection);
}

void PublishWorker::handleRequests(Connection &connection)
{
    using Status = livekit::HttpRequestReader::Status;
    while (connection.state == Connection::State::Http &&
           connection.http->status() == Status::Complete) {
        const livekit::HttpRequest &request = connection.http->request();
        const RequestDecision decision =
            decideRequest(request, m_config.tokenSecret, QDateTime::currentSecsSinceEpoch(),
                          m_config.clockLeeway);
        switch (decision.kind) {
        case RequestKind::WebSocket:
            upgrade(connection, decision.room, decision.acceptKey, decision.tokenExpiresAt);
            return;
        case RequestKind::Health:
        case RequestKind::Metrics: {
            connection.state = Connection::State::AwaitingAnswer;
            connection.requestId = m_nextRequestId++;
            connection.keepAlive = request.keepAlive;
            m_awaitingAnswer.emplace(connection.requestId, &connection);
            watch(connection);
            Q_EMIT serviceRequested(m_index, connection.requestId,
                                    decision.kind == RequestKind::Health ? ServiceEndpoint::Health
                                                                         : ServiceEndpoint::Metrics,
                                    request.keepAlive);
            return;
        }
        case RequestKind::Refused:
        case RequestKind::Invalid:
            if (decision.room.isEmpty())
                qCInfo(lcPublish).nospace().noquote()
                    << "fan-out request from " << connection.peer << " refused (" << decision.status
                    << "): " << decision.reason;
            else
                qCInfo(lcPublish).nospace().noquote()
                    << "fan-out client from " << connection.peer << " for room "
                    << QDebug::toString(decision.room) << " refused (" << decision.status
                    << "): " << decision.reason;
            refuse(connection, decision.status, decision.reason, decision.extraHeaders);
            return;
        }
    }
    if (connection.state == Connection::State::Http &&
        connection.http->status() == Status::Failed) {
        qCInfo(lcPublish).nospace().noquote()
            << "fan-out request from " << connection.peer << " refused ("
            << connection.http->errorStatus() << "): " << connection.http->errorReason();
        refuse(connection, connection.http->errorStatus(), connection.http->errorReason(), {});
    }
}

void PublishWorker::refuse(Connection &connection, int status, const QByteArray &reason,
                           const QByteArray &extraHeaders)
{
    if (status == 401)
        ++m_stats.refusedUnauthorized;
    else if (status == 403)
        ++m_stats.refusedForbidden;
    else
        ++m_stats.refusedOther;
    connection.state = Connection::State::Closing;
    connection.halfCloseWhenFlushed = true;
    connection.deadline_ns = monotonicNow_ns() + toNs(m_config.closeTimeout);
    push(connection,
         httpResponse(status, "text/plain; charset=utf-8", reason + '\n', true, extraHeaders),
         FrameKind::Control, 0);
    flush(connection);
}

void PublishWorker::upgrade(Connection &connection, const QString &room,
                            const QByteArray &acceptKey, qint64 tokenExpiresAt)
{
    connection.state = Connection::State::WebSocket;
    connection.http.reset();
    connection.frames = std::make_unique<ClientFrameReader>(m_config.maxClientMessage_bytes);
    connection.room = room;
    connection.tokenExpiresAt = tokenExpiresAt;
    // Joined before anything is written: every segment published after the
    // client reads the 101 reaches it, after the replay and in order.
    Room &entry = m_rooms[room];
    connection.roomSlot = entry.clients.size();
    connection.inRoom = true;
    entry.clients.push_back(&connection);
    ++m_stats.upgrades;
    qCDebug(lcPublish).noquote() << "fan-out client" << connection.peer << "joined room"
                                 << QDebug::toString(room);

    push(connection, upgradeResponse(acceptKey), FrameKind::Control, 0);
    for (const std::shared_ptr<const OutgoingSegment> &segment : entry.replay) {
        if (!enqueue(connection, segment->replayFrame, FrameKind::Final, 0))
            return;
        ++m_stats.replayed;
    }
    flush(connection);
}

void PublishWorker::readFrames(Connection &connection, const char *data, qsizetype size)
{
    using Status = ClientFrameReader::Status;
    Status status = connection.frames->feed(QByteArrayView(data, size));
    while (status == Status::Message) {
        const ClientFrameReader::Message &message = connection.frames->message();
        if (message.opcode == WsOpcode::Close) {
            if (connection.state != Connection::State::WebSocket) {
                closeNow(connection, QStringLiteral("close handshake done"));
                return;
            }
            // Echo the client's code, then close the TCP connection first, as
            // a server should (RFC 6455, 7.1.1).
            leaveRoom(connection);
            connection.state = Connection::State::Closing;
            connection.closeWhenFlushed = true;
            connection.deadline_ns = monotonicNow_ns() + toNs(m_config.closeTimeout);
            push(connection,
                 message.closeCode == 1005 ? encodeServerFrame(WsOpcode::Close, {})
                                           : encodeCloseFrame(message.closeCode, {}),
                 FrameKind::Control, 0);
            flush(connection);
            return;
        }
        if (message.opcode == WsOpcode::Ping && connection.state == Connection::State::WebSocket) {
            if (!enqueue(connection, encodeServerFrame(WsOpcode::Pong, message.payload),
                         FrameKind::Control, 0))
                return;
            flush(connection);
            if (connection.state == Connection::State::Closed)
                return;
        }
        // Pongs only prove the client alive; data messages have no meaning here.
        status = connection.frames->next();
    }
    if (status == Status::Failed) {
        if (connection.state != Connection::State::WebSocket) {
            closeNow(connection, QStringLiteral("malformed frame while closing"));
            return;
        }
        qCInfo(lcPublish).noquote()
            << "fan-out client" << connection.peer << "failed:" << connection.frames->errorReason();
        beginClose(connection, connection.frames->errorCode(), connection.frames->errorReason());
        // Nothing the client says after a protocol error can be trusted.
        connection.closeWhenFlushed = true;
        if (connection.queue.empty())
            closeNow(connection, QStringLiteral("protocol error"));
    }
}

void PublishWorker::deliver(std::shared_ptr<const OutgoingSegment> segment)
{
    QMetaObject::invokeMethod(this, [this, segment = std::move(segment)] {
        if (m_shuttingDown)
            return;
        Room &room = m_rooms[segment->room];
        if (room.clients.empty())
            m_untidyRooms.insert(segment->room); // nobody to keep it for, maybe
        if (segment->isFinal && m_config.replayFinals > 0) {
            room.replay.push_back(segment);
            while (room.replay.size() > size_t(m_config.replayFinals))
                room.replay.pop_front();
        }
        const FrameKind kind = segment->isFinal ? FrameKind::Final : FrameKind::Partial;
        // Index, not iterator: a client that fails here only leaves a hole.
        for (size_t i = 0; i < room.clients.size(); ++i) {
            Connection *client = room.clients[i];
            if (!client)
                continue;
            if (client->queue.empty()) {
                sendDirect(*client, segment->frame, kind, segment->published_ns);
                continue;
            }
            if (enqueue(*client, segment->frame, kind, segment->published_ns) &&
                !(client->events & EPOLLOUT))
                flush(*client);
        }
        reap();
    });
}

void PublishWorker::forgetRoom(const QString &room)
{
    QMetaObject::invokeMethod(this, [this, room] {
        const auto it = m_rooms.find(room);
        if (it == m_rooms.end())
            return;
        it->replay.clear();
        m_untidyRooms.insert(room);
        reap();
    });
}

bool PublishWorker::enqueue(Connection &connection, const QByteArray &bytes, FrameKind kind,
                            int64_t published_ns)
{
    if (connection.state != Connection::State::WebSocket)
        return false;
    // An empty queue takes anything: one big frame does not make a client slow.
    auto over = [&] {
        return !connection.queue.empty() &&
               (connection.queued_bytes + bytes.size() > m_config.maxQueue_bytes ||
                qsizetype(connection.queue.size()) + 1 > m_config.maxQueue_messages);
    };
    if (over()) {
        dropPartials(connection);
        if (over()) {
            if (kind == FrameKind::Partial) {
                ++m_stats.partialsDropped;
                return false;
            }
            ++m_stats.slowDisconnects;
            qCInfo(lcPublish).noquote()
                << "fan-out client" << connection.peer << "in room"
                << QDebug::toString(connection.room) << "too slow:" << connection.queue.size()
                << "messages," << connection.queued_bytes << "bytes waiting; disconnecting";
            // Only a frame already partly written must still go out whole.
            while (connection.queue.size() > (connection.sentOfFront > 0 ? 1u : 0u)) {
                connection.queued_bytes -= connection.queue.back().bytes.size();
                connection.queue.pop_back();
            }
            beginClose(connection, closecode::kPolicyViolation, "client too slow");
            return false;
        }
    }
    push(connection, bytes, kind, published_ns);
    return true;
}

void PublishWorker::push(Connection &connection, const QByteArray &bytes, FrameKind kind,
                         int64_t published_ns)
{
    connection.queue.push_back({bytes, kind, published_ns});
    connection.queued_bytes += bytes.size();
}

void PublishWorker::sendDirect(Connection &connection, const QByteArray &bytes, FrameKind kind,
                               int64_t published_ns)
{
    // The usual case: the client keeps up and the whole frame fits the
    // socket. Written from the shared frame, without touching its reference
    // count, which every worker would otherwise bounce between cores.
    ssize_t n;
    do {
        n = ::send(connection.fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n == bytes.size()) {
        m_stats.bytesSent += uint64_t(n);
        countDelivered(kind, published_ns);
        return;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        closeNow(connection, QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    push(connection, bytes, kind, published_ns);
    if (n > 0) {
        m_stats.bytesSent += uint64_t(n);
        connection.sentOfFront = n;
    }
    watch(connection);
}

void PublishWorker::countDelivered(FrameKind kind, int64_t published_ns)
{
    if (kind != FrameKind::Partial && kind != FrameKind::Final)
        return;
    ++m_stats.messagesSent;
    if (published_ns != 0) {
        const int64_t latency_ns = monotonicNow_ns() - published_ns;
        m_latencyCurrent.record(latency_ns / 1000);
        m_stats.deliverySum_s += double(latency_ns) / 1e9;
        ++m_stats.deliveryCount;
    }
}

void PublishWorker::dropPartials(Connection &connection)
{
    const auto begin = connection.queue.begin() + (connection.sentOfFront > 0 ? 1 : 0);
    const auto kept = std::stable_partition(
        begin, connection.queue.end(),
        [](const Connection::Pending &pending) { return pending.kind != FrameKind::Partial; });
    for (auto it = kept; it != connection.queue.end(); ++it) {
        connection.queued_bytes -= it->bytes.size();
        ++m_stats.partialsDropped;
    }
    connection.queue.erase(kept, connection.queue.end());
}

void PublishWorker::flush(Connection &connection)
{
    while (!connection.queue.empty()) {
        Connection::Pending &front = connection.queue.front();
        const qsizetype left = front.bytes.size() - connection.sentOfFront;
        const ssize_t n = ::send(connection.fd, front.bytes.constData() + connection.sentOfFront,
                                 size_t(left), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            closeNow(connection, QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        m_stats.bytesSent += uint64_t(n);
        if (n < left) {
            connection.sentOfFront += n;
            break;
        }
        countDelivered(front.kind, front.published_ns);
        connection.queued_bytes -= front.bytes.size();
        connection.sentOfFront = 0;
        connection.queue.pop_front();
    }
    if (connection.queue.empty() && connection.state == Connection::State::Closing) {
        if (connection.closeWhenFlushed) {
            closeNow(connection, QStringLiteral("closed"));
            return;
        }
        if (connection.halfCloseWhenFlushed) {
            // The answer is out: the peer reads it, sees the end and closes.
            ::shutdown(connection.fd, SHUT_WR);
            connection.halfCloseWhenFlushed = false;
        }
    }
    watch(connection);
}

void PublishWorker::watch(Connection &connection)
{
    if (connection.state == Connection::State::Closed)
        return;
    uint32_t wanted = EPOLLRDHUP;
    if (connection.state != Connection::State::AwaitingAnswer)
        wanted |= EPOLLIN;
    if (!connection.queue.empty())
        wanted |= EPOLLOUT;
    if (wanted == connection.events)
        return;
    connection.events = wanted;
    epoll_event event{};
    event.events = wanted;
    event.data.ptr = &connection;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.fd, &event);
}

void PublishWorker::beginClose(Connection &connection, uint16_t code, const QByteArray &reason)
{
    if (connection.state != Connection::State::WebSocket) {
        closeNow(connection, QString::fromUtf8(reason));
        return;
    }
    leaveRoom(connection);
    connection.state = Connection::State::Closing;
    connection.deadline_ns = monotonicNow_ns() + toNs(m_config.closeTimeout);
    push(connection, encodeCloseFrame(code, reason), FrameKind::Control, 0);
    if (!(connection.events & EPOLLOUT))
        flush(connection);
}

void PublishWorker::closeNow(Connection &connection, const QString &why)
{
    if (connection.state == Connection::State::Closed)
        return;
    leaveRoom(connection);
    if (connection.requestId != 0)
        m_awaitingAnswer.erase(connection.requestId);
    qCDebug(lcPublish).noquote() << "fan-out connection" << connection.peer << "closed:" << why;
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
    ::close(connection.fd);
    connection.fd = -1;
    connection.state = Connection::State::Closed;
    const auto it = m_connections.find(&connection);
    if (it != m_connections.end()) {
        m_closed.push_back(std::move(it->second));
        m_connections.erase(it);
    }
}

void PublishWorker::leaveRoom(Connection &connection)
{
    if (!connection.inRoom)
        return;
    connection.inRoom = false;
    const auto it = m_rooms.find(connection.room);
    if (it == m_rooms.end())
        return;
    it->clients[connection.roomSlot] = nullptr;
    ++it->holes;
    m_untidyRooms.insert(connection.room);
}

void PublishWorker::sweep()
{
    const int64_t now_ns = monotonicNow_ns();
    const qint64 now_s = QDateTime::currentSecsSinceEpoch();
    if (now_ns - m_latencyWindowStart_ns > toNs(m_config.latencyWindow)) {
        m_latencyPrevious = m_latencyCurrent;
        m_latencyCurrent.clear();
        m_latencyWindowStart_ns = now_ns;
    }
    const int64_t ping_ns = toNs(m_config.pingInterval);

    enum class Action { Invalid, Timeout, Expired, Ping, Silent, Linger };
    std::vector<std::pair<Connection *, Action>> actions;
    for (const auto &[connection, owned] : m_connections) {
        switch (connection->state) {
        case Connection::State::Http:
            if (now_ns > connection->deadline_ns)
                actions.emplace_back(connection, Action::Timeout);
            break;
        case Connection::State::WebSocket:
            if (now_s > connection->tokenExpiresAt + m_config.clockLeeway.count())
                actions.emplace_back(connection, Action::Expired);
            else if (ping_ns > 0 && now_ns - connection->lastInput_ns > 2 * ping_ns)
                actions.emplace_back(connection, Action::Silent);
            else if (ping_ns > 0 && now_ns - connection->lastInput_ns > ping_ns &&
                     !connection->pingOutstanding)
                actions.emplace_back(connection, Action::Ping);
            break;
        case Connection::State::Closing:
            if (now_ns > connection->deadline_ns)
                actions.emplace_back(connection, Action::Linger);
            break;
        case Connection::State::Invalid:
        case Connection::State::AwaitingAnswer:
        case Connection::State::Closed:
            break;
        }
    }
    for (const auto &[connection, action] : actions) {
        switch (action) {
        case Action::Timeout:
            ++m_stats.timeouts;
            closeNow(*connection, QStringLiteral("no request in time"));
            break;
        case Action::Expired:
            qCInfo(lcPublish).noquote()
                << "fan-out client" << connection->peer << "disconnected: its token expired";
            beginClose(*connection, closecode::kPolicyViolation, "token expired");
            break;
        case Action::Silent:
            ++m_stats.timeouts;
            closeNow(*connection, QStringLiteral("no answer to ping"));
            break;
        case Action::Ping:
            connection->pingOutstanding = true;
            if (enqueue(*connection, encodeServerFrame(WsOpcode::Ping, {}), FrameKind::Control, 0))
                flush(*connection);
            break;
        case Action::Linger:
            closeNow(*connection, QStringLiteral("peer did not close in time"));
            break;
        case Action::Invalid:
            break;
        }
    }
    reap();
}

void PublishWorker::reap()
{
    m_closed.clear();
    // Fill the holes that leaving clients made, and drop rooms with nothing left.
    for (const QString &name : std::as_const(m_untidyRooms)) {
        const auto it = m_rooms.find(name);
        if (it == m_rooms.end())
            continue;
        Room &room = it.value();
        if (room.holes > 0) {
            size_t kept = 0;
            for (Connection *client : room.clients) {
                if (!client)
                    continue;
                client->roomSlot = kept;
                room.clients[kept++] = client;
            }
            room.clients.resize(kept);
            room.holes = 0;
        }
        if (room.clients.empty() && room.replay.empty())
            m_rooms.erase(it);
    }
    m_untidyRooms.clear();
}

void PublishWorker::collectStats()
{
    QMetaObject::invokeMethod(this, [this] {
        PublishStats stats = m_stats;
        for (const auto &[connection, owned] : m_connections) {
            if (connection->state == Connection::State::WebSocket)
                ++stats.clients;
            else
                ++stats.httpConnections;
        }
        for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it) {
            if (it->clients.size() > it->holes)
                stats.rooms.insert(it.key());
        }
        stats.deliveryLatency_us = m_latencyPrevious;
        stats.deliveryLatency_us.merge(m_latencyCurrent);
        Q_EMIT statsCollected(stats);
    });
}

void PublishWorker::answer(quint64 requestId, const QByteArray &response, bool keepAlive)
{
    QMetaObject::invokeMethod(this, [this, requestId, response, keepAlive] {
        const auto it = m_awaitingAnswer.find(requestId);
        if (it == m_awaitingAnswer.end())
            return; // the peer left meanwhile
        Connection &connection = *it->second;
        m_awaitingAnswer.erase(it);
        connection.requestId = 0;
        ++m_stats.httpRequests;
        push(connection, response, FrameKind::Control, 0);
        if (keepAlive) {
            connection.state = Connection::State::Http;
            connection.deadline_ns = monotonicNow_ns() + toNs(m_config.requestTimeout);
            flush(connection);
            if (connection.state == Connection::State::Http) {
                connection.http->next(); // a pipelined request may be buffered
                handleRequests(connection);
            }
        } else {
            connection.state = Connection::State::Closing;
            connection.halfCloseWhenFlushed = true;
            connection.deadline_ns = monotonicNow_ns() + toNs(m_config.closeTimeout);
            flush(connection);
        }
        reap();
    });
}

void PublishWorker::shutdown()
{
    QMetaObject::invokeMethod(this, [this] {
        m_shuttingDown = true;
        m_sweepTimer.stop();
        std::vector<Connection *> connections;
        connections.reserve(m_connections.size());
        for (const auto &[connection, owned] : m_connections)
            connections.push_back(connection);
        for (Connection *connection : connections) {
            // One try to tell clients why; what does not fit now is not waited for.
            if (connection->state == Connection::State::WebSocket) {
                while (connection->queue.size() > (connection->sentOfFront > 0 ? 1u : 0u)) {
                    connection->queued_bytes -= connection->queue.back().bytes.size();
                    connection->queue.pop_back();
                }
                beginClose(*connection, closecode::kGoingAway, "server shutting down");
            }
            closeNow(*connection, QStringLiteral("server shutting down"));
        }
        m_awaitingAnswer.clear();
        reap();
        Q_EMIT shutdownFinished();
    });
}

} // namespace roomscribe::publish

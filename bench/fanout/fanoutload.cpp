// roomscribe-fanout-load: holds N WebSocket clients of one room over
// non-blocking sockets and epoll (a few threads, each with its share), and
// times each segment from the stamp in its text ("t=NS", CLOCK_MONOTONIC of
// the publishing process on this machine) to its arrival here. Connects at
// most --in-flight at a time, answers pings, and stops by itself:
//   {"type":"connected",...}  once all are connected (or the ramp limit passed)
//   {"type":"measuring"}      after the warm-up; the window starts
//   {"type":"summary",...}    after the window, then it exits.

#include "core/clock.h"
#include "core/latencyhistogram.h"
#include "publish/realtimetoken.h"
#include "publish/websocketprotocol.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <getopt.h>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace roomscribe;

namespace {

struct Options
{
    int port = 0;
    int clients = 1000;
    int threads = 2;
    int inFlight = 200;
    QByteArray secret;
    QString room = QStringLiteral("bench");
    double rampLimit_s = 120;
    double warmup_s = 3;
    double window_s = 20;
};

std::atomic<int> g_connected{0};
std::atomic<int> g_failed{0};
std::atomic<int> g_closedByServer{0};
std::atomic<bool> g_measuring{false};
std::atomic<bool> g_stop{false};

struct Connection
{
    enum class State { Connecting, Handshake, Open, Closed };
    int fd = -1;
    State state = State::Connecting;
    std::string input;
    size_t requestSent = 0;
};

// One thread's share of the clients, on its own epoll descriptor.
class Worker
{
public:
    Worker(const Options &options, int share, QByteArray request)
        : m_options(options), m_share(share), m_request(std::move(request))
    {
        m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
        m_buffer.resize(256 * 1024);
    }
    ~Worker()
    {
        for (auto &connection : m_connections) {
            if (connection->fd >= 0)
                ::close(connection->fd);
        }
        ::close(m_epoll);
    }

    void run()
    {
        epoll_event events[512];
        while (!g_stop.load(std::memory_order_relaxed)) {
            openMore();
            const int count = ::epoll_wait(m_epoll, events, 512, 10);
            for (int i = 0; i < count; ++i)
                handle(*static_cast<Connection *>(events[i].data.ptr), events[i].events);
        }
    }

    const LatencyHistogram &latency() const { return m_latency; }
    uint64_t messages() const { return m_messages; }
    uint64_t bytes() const { return m_bytes; }

private:
    void openMore()
    {
        while (m_opened < m_share && m_pending < m_options.inFlight) {
            auto connection = std::make_unique<Connection>();
            connection->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (connection->fd < 0) {
                std::fprintf(stderr, "socket: %s\n", std::strerror(errno));
                ++m_opened;
                g_failed.fetch_add(1);
                continue;
            }
            const int one = 1;
            ::setsockopt(connection->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(uint16_t(m_options.port));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const int result =
                ::connect(connection->fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
            if (result != 0 && errno != EINPROGRESS) {
                ::close(connection->fd);
                ++m_opened;
                g_failed.fetch_add(1);
                continue;
            }
            epoll_event event{};
            event.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
            event.data.ptr = connection.get();
            ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, connection->fd, &event);
            m_connections.push_back(std::move(connection));
            ++m_opened;
            ++m_pending;
        }
    }

    void fail(Connection &connection, bool byServer)
    {
        if (connection.state == Connection::State::Closed)
            return;
        if (connection.state == Connection::State::Open) {
            g_connected.fetch_sub(1);
            if (byServer)
                g_closedByServer.fetch_add(1);
        } else {
            --m_pending;
            g_failed.fetch_add(1);
        }
        connection.state = Connection::State::Closed;
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
        ::close(connection.fd);
        connection.fd = -1;
    }

    void handle(Connection &connection, uint32_t events)
    {
        if (connection.state == Connection::State::Closed)
            return;
        if (connection.state == Connection::State::Connecting && (events & EPOLLOUT)) {
            int error = 0;
            socklen_t length = sizeof(error);
            ::getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) {
                fail(connection, false);
                return;
            }
            const ssize_t n = ::send(connection.fd, m_request.constData(), size_t(m_request.size()),
                                     MSG_NOSIGNAL);
            if (n != m_request.size()) {
                fail(connection, false);
                return;
            }
            connection.state = Connection::State::Handshake;
            epoll_event event{};
            event.events = EPOLLIN | EPOLLRDHUP;
            event.data.ptr = &connection;
            ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.fd, &event);
        }
        if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
            return;
        for (;;) {
            const ssize_t n = ::recv(connection.fd, m_buffer.data(), m_buffer.size(), 0);
            if (n > 0) {
                connection.input.append(m_buffer.data(), size_t(n));
                if (size_t(n) < m_buffer.size())
                    break;
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (n < 0 && errno == EINTR)
                continue;
            parse(connection);
            fail(connection, true);
            return;
        }
        parse(connection);
    }

    void parse(Connection &connection)
    {
        if (connection.state == Connection::State::Handshake) {
            const size_t end = connection.input.find("\r\n\r\n");
            if (end == std::string::npos)
                return;
            if (connection.input.compare(0, 12, "HTTP/1.1 101") != 0) {
                std::fprintf(stderr, "upgrade refused: %.*s\n", int(connection.input.find("\r\n")),
                             connection.input.c_str());
                fail(connection, false);
                return;
            }
            connection.input.erase(0, end + 4);
            connection.state = Connection::State::Open;
            --m_pending;
            g_connected.fetch_add(1);
        }
        if (connection.state != Connection::State::Open)
            return;
        size_t offset = 0;
        const int64_t now_ns = monotonicNow_ns();
        const bool measuring = g_measuring.load(std::memory_order_relaxed);
        const auto *data = reinterpret_cast<const uint8_t *>(connection.input.data());
        const size_t size = connection.input.size();
        while (size - offset >= 2) {
            const uint8_t *frame = data + offset;
            size_t header = 2;
            uint64_t length = frame[1] & 0x7f;
            if (length == 126) {
                if (size - offset < 4)
                    break;
                length = (uint64_t(frame[2]) << 8) | frame[3];
                header = 4;
            } else if (length == 127) {
                if (size - offset < 10)
                    break;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | frame[i];
                header = 10;
            }
            if (size - offset - header < length)
                break;
            const auto opcode = publish::WsOpcode(frame[0] & 0x0f);
            const char *payload = reinterpret_cast<const char *>(frame + header);
            if (opcode == publish::WsOpcode::Text) {
                if (measuring) {
                    ++m_messages;
                    m_bytes += header + length;
                    // The stamp: " t=" followed by digits, inside the text.
                    const void *stamp = ::memmem(payload, length, " t=", 3);
                    if (stamp) {
                        int64_t published_ns = 0;
                        for (const char *p = static_cast<const char *>(stamp) + 3;
                             p < payload + length && *p >= '0' && *p <= '9'; ++p)
                            published_ns = published_ns * 10 + (*p - '0');
                        m_latency.record((now_ns - published_ns) / 1000);
                    }
                }
            } else if (opcode == publish::WsOpcode::Ping) {
                const QByteArray pong = publish::encodeClientFrame(
                    publish::WsOpcode::Pong, QByteArrayView(payload, qsizetype(length)),
                    0x12345678);
                ::send(connection.fd, pong.constData(), size_t(pong.size()), MSG_NOSIGNAL);
            } else if (opcode == publish::WsOpcode::Close) {
                fail(connection, true);
                return;
            }
            offset += header + length;
        }
        connection.input.erase(0, offset);
    }

    const Options &m_options;
    const int m_share;
    const QByteArray m_request;
    int m_epoll = -1;
    int m_opened = 0;
    int m_pending = 0; // connecting or in the handshake
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<char> m_buffer;
    LatencyHistogram m_latency;
    uint64_t m_messages = 0;
    uint64_t m_bytes = 0;
};

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

double cpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void sleepFor(double seconds)
{
    std::this_thread::sleep_for(std::chrono::microseconds(int64_t(seconds * 1e6)));
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    const option longOptions[] = {{"port", required_argument, nullptr, 'p'},
                                  {"clients", required_argument, nullptr, 'n'},
                                  {"threads", required_argument, nullptr, 't'},
                                  {"in-flight", required_argument, nullptr, 'f'},
                                  {"secret", required_argument, nullptr, 's'},
                                  {"room", required_argument, nullptr, 'r'},
                                  {"ramp-limit-s", required_argument, nullptr, 'l'},
                                  {"warmup-s", required_argument, nullptr, 'w'},
                                  {"window-s", required_argument, nullptr, 'd'},
                                  {nullptr, 0, nullptr, 0}};
    for (int c; (c = ::getopt_long(argc, argv, "", longOptions, nullptr)) != -1;) {
        switch (c) {
        case 'p':
            options.port = std::atoi(optarg);
            break;
        case 'n':
            options.clients = std::atoi(optarg);
            break;
        case 't':
            options.threads = std::max(1, std::atoi(optarg));
            break;
        case 'f':
            options.inFlight = std::max(1, std::atoi(optarg));
            break;
        case 's':
            options.secret = optarg;
            break;
        case 'r':
            options.room = QString::fromLocal8Bit(optarg);
            break;
        case 'l':
            options.rampLimit_s = std::atof(optarg);
            break;
        case 'w':
            options.warmup_s = std::atof(optarg);
            break;
        case 'd':
            options.window_s = std::atof(optarg);
            break;
        default:
            std::fprintf(stderr,
                         "usage: %s --port P --secret S [--clients N] [--threads T] "
                         "[--in-flight K] [--room R] [--ramp-limit-s S] [--warmup-s S] "
                         "[--window-s S]\n",
                         argv[0]);
            return 2;
        }
    }
    if (options.port <= 0 || options.secret.isEmpty()) {
        std::fprintf(stderr, "need --port and --secret\n");
        return 2;
    }
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (rlim_t(options.clients) + 64 > limit.rlim_cur) {
        std::fprintf(stderr, "%d clients need more descriptors than the limit (%llu)\n",
                     options.clients, static_cast<unsigned long long>(limit.rlim_cur));
        return 1;
    }

    publish::RealtimeClaims claims;
    claims.rooms = {options.room};
    claims.expiresAt = QDateTime::currentSecsSinceEpoch() + 3600;
    const QByteArray token = publish::createRealtimeToken(claims, options.secret);
    const QByteArray request =
        "GET /api/realtime/transcribe?room=" + QUrl::toPercentEncoding(options.room) +
        "&access_token=" + token +
        " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(options.port) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    for (int i = 0; i < options.threads; ++i) {
        const int share =
            options.clients / options.threads + (i < options.clients % options.threads);
        workers.push_back(std::make_unique<Worker>(options, share, request));
    }
    const int64_t start_ns = monotonicNow_ns();
    for (auto &worker : workers)
        threads.emplace_back([&worker] { worker->run(); });

    while (g_connected.load() + g_failed.load() < options.clients &&
           double(monotonicNow_ns() - start_ns) / 1e9 < options.rampLimit_s)
        sleepFor(0.05);
    const double ramp_s = double(monotonicNow_ns() - start_ns) / 1e9;
    printJson({{"type", "connected"},
               {"clients", g_connected.load()},
               {"failed", g_failed.load()},
               {"ramp_s", ramp_s}});

    sleepFor(options.warmup_s);
    printJson({{"type", "measuring"}});
    const double cpuBefore = cpuSeconds();
    const int connectedBefore = g_connected.load();
    g_measuring = true;
    sleepFor(options.window_s);
    g_measuring = false;
    const double cpu = cpuSeconds() - cpuBefore;
    g_stop = true;
    for (std::thread &thread : threads)
        thread.join();

    LatencyHistogram latency;
    uint64_t messages = 0;
    uint64_t bytes = 0;
    for (const auto &worker : workers) {
        latency.merge(worker->latency());
        messages += worker->messages();
        bytes += worker->bytes();
    }
    printJson({{"type", "summary"},
               {"clients", connectedBefore},
               {"clients_at_end", g_connected.load()},
               {"closed_by_server", g_closedByServer.load()},
               {"failed", g_failed.load()},
               {"window_s", options.window_s},
               {"samples", qint64(latency.count())},
               {"messages", qint64(messages)}, // in the window
               {"bytes", qint64(bytes)},
               {"p50_us", qint64(latency.percentile_us(0.5))},
               {"p99_us", qint64(latency.percentile_us(0.99))},
               {"max_us", qint64(latency.max_us())},
               {"client_cpu_s", cpu}});
    return 0;
}

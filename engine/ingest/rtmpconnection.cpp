#include "ingest/rtmpconnection.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingeststream.h"
#include "ingest/ingestworker.h"
#include "ingest/streamregistry.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace roomscribe::ingest {

using SessionState = rtmp::RtmpServerSession::State;

constexpr int64_t kLinger_ns = 2'000'000'000;
// Reads per readiness report: enough to drain a burst, few enough that one
// busy publisher cannot starve the others on the worker.
constexpr int kMaxReadsPerWakeup = 8;

RtmpHandoff::RtmpHandoff(int fd, std::unique_ptr<rtmp::RtmpServerSession> session, QString peer)
    : fd(fd), session(std::move(session)), peer(std::move(peer))
{
}

RtmpHandoff::~RtmpHandoff()
{
    if (fd >= 0)
        ::close(fd);
}

RtmpConnection::RtmpConnection(IngestWorker *worker, int fd, QString peer)
    : m_worker(worker), m_fd(fd), m_session(std::make_unique<rtmp::RtmpServerSession>(this)),
      m_peer(std::move(peer)), m_accepted_ns(monotonicNow_ns()), m_lastInput_ns(m_accepted_ns)
{
}

RtmpConnection::RtmpConnection(IngestWorker *worker, RtmpHandoff &handoff)
    : m_worker(worker), m_fd(handoff.fd), m_session(std::move(handoff.session)),
      m_peer(handoff.peer), m_accepted_ns(monotonicNow_ns()), m_lastInput_ns(m_accepted_ns)
{
    handoff.fd = -1;
    m_session->setDelegate(this);
}

RtmpConnection::~RtmpConnection()
{
    detachStream();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RtmpConnection::isPublishing() const
{
    return m_state == State::Open && m_session->state() == SessionState::Publishing;
}

bool RtmpConnection::awaitsPublish() const
{
    const SessionState state = m_session->state();
    return m_state == State::Open &&
           (state == SessionState::Handshake || state == SessionState::Connecting);
}

void RtmpConnection::onReadable()
{
    char *buffer = m_worker->readBuffer();
    for (int i = 0; i < kMaxReadsPerWakeup && m_state != State::Closed; ++i) {
        const ssize_t n = ::read(m_fd, buffer, m_worker->readBufferSize());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            close(n == 0
                      ? (m_state == State::Lingering ? m_endReason : QStringLiteral("peer closed"))
                      : QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        m_worker->countInput(size_t(n));
        if (m_state == State::Lingering)
            continue; // said goodbye: what follows is not ours to read
        m_lastInput_ns = monotonicNow_ns();
        afterInput(m_session->feed(buffer, size_t(n), m_lastInput_ns));
        if (m_state != State::Open || m_session->state() == SessionState::Deferred)
            return;
        if (size_t(n) < m_worker->readBufferSize())
            return; // drained
    }
}

void RtmpConnection::onWritable()
{
    if (m_pendingOutput.isEmpty())
        return;
    const QByteArray pending = std::move(m_pendingOutput);
    m_pendingOutput.clear();
    send(pending);
    updateWritableWatch();
}

void RtmpConnection::send(const QByteArray &bytes)
{
    if (!m_pendingOutput.isEmpty()) {
        m_pendingOutput += bytes;
        return;
    }
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            ::send(m_fd, bytes.constData() + written, size_t(bytes.size() - written), MSG_NOSIGNAL);
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            close(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
    }
    if (written < bytes.size())
        m_pendingOutput = bytes.mid(written);
    updateWritableWatch();
}

void RtmpConnection::updateWritableWatch()
{
    const bool wanted = !m_pendingOutput.isEmpty();
    if (wanted != m_watchingWritable) {
        m_watchingWritable = wanted;
        m_worker->watchWritable(this, wanted);
    }
}

void RtmpConnection::afterInput(bool keepOpen)
{
    if (m_state != State::Open)
        return;
    if (m_session->hasOutput())
        send(m_session->takeOutput());
    if (m_state != State::Open)
        return;
    if (!keepOpen) {
        if (m_session->state() == SessionState::Failed) {
            m_worker->countFailed();
            close(m_session->errorText());
        } else {
            // A refusal (its answer sent) or the publisher's goodbye: the
            // peer closes first. Closing with its input unread would reset
            // the connection, and rtmp2sink reports an early close as an error.
            const bool refused = !m_session->errorText().isEmpty();
            finishGracefully(
                refused ? m_session->errorText() : QStringLiteral("publisher finished"), refused);
        }
        return;
    }
    if (m_session->state() == SessionState::Deferred)
        handOff();
}

rtmp::PublishDecision RtmpConnection::onPublish(const QString &app, const QString &streamKey)
{
    const rtmp::PublishDecision decision =
        m_worker->routePublish(this, app, streamKey, &m_targetWorker);
    if (decision == rtmp::PublishDecision::Accept)
        m_stream = m_worker->attachPublisher(this, app, streamKey);
    return decision;
}

void RtmpConnection::onAudio(uint32_t timestamp_ms, const char *data, size_t size,
                             int64_t arrival_ns)
{
    if (!m_stream || m_state != State::Open)
        return;
    if (!m_stream->onAudio(timestamp_ms, data, size, arrival_ns)) {
        const QString error = m_stream->errorText();
        m_worker->countFailed();
        close(QStringLiteral("undecodable audio: ") + error);
    }
}

void RtmpConnection::onUnpublish()
{
    detachStream();
}

void RtmpConnection::detachStream()
{
    if (m_stream) {
        m_worker->detachPublisher(this, m_stream);
        m_stream = nullptr;
    }
}

void RtmpConnection::handOff()
{
    // The stream lives on another worker: move this connection there, so
    // that one thread owns the stream's socket, parser and decoder.
    if (!m_pendingOutput.isEmpty()) {
        m_worker->countFailed();
        close(QStringLiteral("peer does not read; cannot hand the connection over"));
        return;
    }
    m_worker->forget(this);
    auto handoff = std::make_shared<RtmpHandoff>(m_fd, std::move(m_session), m_peer);
    m_fd = -1;
    // Keep a session so that late questions about this object have answers.
    m_session = std::make_unique<rtmp::RtmpServerSession>(this);
    m_state = State::Closed;
    m_worker->peer(m_targetWorker)->adoptHandoff(std::move(handoff));
}

void RtmpConnection::completeHandoff()
{
    m_stream = m_worker->attachPublisher(this, m_session->app(), m_session->streamKey());
    afterInput(m_session->completePublish(m_stream != nullptr, monotonicNow_ns()));
    if (m_state == State::Open)
        onReadable(); // input that arrived during the move
}

void RtmpConnection::finishGracefully(const QString &reason, bool halfClose)
{
    detachStream();
    m_endReason = reason;
    m_state = State::Lingering;
    m_lingerDeadline_ns = monotonicNow_ns() + kLinger_ns;
    if (halfClose)
        ::shutdown(m_fd, SHUT_WR);
}

void RtmpConnection::close(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    qCInfo(lcIngest).noquote()
        << "connection" << m_peer
        << (streamKey().isEmpty() ? QString()
                                  : QStringLiteral("(stream %1)").arg(redactedKey(streamKey())))
        << "closed:" << reason;
    detachStream();
    m_worker->forget(this);
}

} // namespace roomscribe::ingest

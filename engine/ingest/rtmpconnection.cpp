#include "ingest/rtmpconnection.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingeststream.h"
#include "ingest/ingestworker.h"
#include "ingest/streamregistry.h"

#include <QTcpSocket>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

namespace roomscribe::ingest {

constexpr int kLingerTimeout_ms = 2000;

RtmpHandoff::RtmpHandoff(int fd, std::unique_ptr<rtmp::RtmpServerSession> session, QString peer)
    : fd(fd), session(std::move(session)), peer(std::move(peer))
{
}

RtmpHandoff::~RtmpHandoff()
{
    if (fd >= 0)
        ::close(fd);
}

static QString peerOf(const QTcpSocket *socket)
{
    return socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
}

RtmpConnection::RtmpConnection(IngestWorker *worker, QTcpSocket *socket)
    : QObject(worker), m_worker(worker), m_socket(socket),
      m_session(std::make_unique<rtmp::RtmpServerSession>(this)), m_peer(peerOf(socket)),
      m_accepted_ns(monotonicNow_ns()), m_lastInput_ns(m_accepted_ns)
{
    attach();
}

RtmpConnection::RtmpConnection(IngestWorker *worker, QTcpSocket *socket, RtmpHandoff &handoff)
    : QObject(worker), m_worker(worker), m_socket(socket), m_session(std::move(handoff.session)),
      m_peer(handoff.peer), m_accepted_ns(monotonicNow_ns()), m_lastInput_ns(m_accepted_ns)
{
    m_session->setDelegate(this);
    attach();
}

RtmpConnection::~RtmpConnection()
{
    detachStream();
}

void RtmpConnection::attach()
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &RtmpConnection::readInput);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { close(QStringLiteral("peer closed")); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            close(m_socket->errorString());
    });
}

bool RtmpConnection::isPublishing() const
{
    return m_session->state() == rtmp::RtmpServerSession::State::Publishing;
}

bool RtmpConnection::awaitsPublish() const
{
    const auto state = m_session->state();
    return state == rtmp::RtmpServerSession::State::Handshake ||
           state == rtmp::RtmpServerSession::State::Connecting;
}

void RtmpConnection::readInput()
{
    bool keepOpen = m_session->state() != rtmp::RtmpServerSession::State::Closed;
    if (!keepOpen) { // said goodbye: whatever follows is not ours to read
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    while (keepOpen && !m_closing &&
           m_session->state() != rtmp::RtmpServerSession::State::Deferred) {
        const qint64 n = m_socket->read(m_worker->readBuffer(), qint64(m_worker->readBufferSize()));
        if (n <= 0)
            break;
        m_lastInput_ns = monotonicNow_ns();
        m_worker->countInput(size_t(n));
        keepOpen = m_session->feed(m_worker->readBuffer(), size_t(n), m_lastInput_ns);
    }
    afterInput(keepOpen);
}

void RtmpConnection::afterInput(bool keepOpen)
{
    if (m_closing)
        return;
    writeOutput();
    if (!keepOpen) {
        const auto state = m_session->state();
        if (state == rtmp::RtmpServerSession::State::Closed && m_session->errorText().isEmpty()) {
            // The publisher said goodbye (deleteStream): it closes the socket
            // itself, and closing first would make it report an error.
            detachStream();
            QTimer::singleShot(kLingerTimeout_ms, this,
                               [this] { close(QStringLiteral("publisher finished")); });
            return;
        }
        if (state == rtmp::RtmpServerSession::State::Failed)
            m_worker->countFailed();
        close(m_session->errorText());
        return;
    }
    if (m_session->state() == rtmp::RtmpServerSession::State::Deferred)
        handOff();
}

void RtmpConnection::writeOutput()
{
    if (m_session->hasOutput())
        m_socket->write(m_session->takeOutput());
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
    if (m_stream && !m_closing && !m_stream->onAudio(timestamp_ms, data, size, arrival_ns)) {
        qCWarning(lcIngest).noquote() << "stream" << redactedKey(streamKey()) << "from" << m_peer
                                      << "undecodable:" << m_stream->errorText();
        m_worker->countFailed();
        close(QStringLiteral("undecodable audio: ") + m_stream->errorText());
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
    // The stream lives on another worker: move this connection there so the
    // stream keeps one owner. The descriptor is duplicated before Qt closes
    // its own, so the TCP connection itself never closes.
    m_socket->flush();
    const int fd = m_socket->bytesToWrite() == 0
                       ? ::fcntl(int(m_socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0)
                       : -1;
    if (fd < 0) {
        m_worker->countFailed();
        close(QStringLiteral("could not hand the connection over"));
        return;
    }
    auto handoff = std::make_shared<RtmpHandoff>(fd, std::move(m_session), m_peer);
    // The session moved: keep a dead one so late signals find a closed state.
    m_session = std::make_unique<rtmp::RtmpServerSession>(this);
    m_worker->peer(m_targetWorker)->adoptHandoff(std::move(handoff));
    m_closing = true;
    m_socket->abort();
    Q_EMIT finished(this);
    deleteLater();
}

void RtmpConnection::completeHandoff()
{
    m_stream = m_worker->attachPublisher(this, m_session->app(), m_session->streamKey());
    afterInput(m_session->completePublish(m_stream != nullptr, monotonicNow_ns()));
    if (!m_closing && m_socket->bytesAvailable() > 0)
        readInput();
}

void RtmpConnection::close(const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    qCInfo(lcIngest).noquote()
        << "connection" << m_peer
        << (streamKey().isEmpty() ? QString()
                                  : QStringLiteral("(stream %1)").arg(redactedKey(streamKey())))
        << "closed:" << reason;
    detachStream();
    Q_EMIT finished(this);
    // Let the socket send what is queued (a refusal, say) but never wait on a
    // peer that does not read.
    if (m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesToWrite() > 0) {
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        QTimer::singleShot(kLingerTimeout_ms, this, &QObject::deleteLater);
        m_socket->disconnectFromHost();
        return;
    }
    m_socket->abort();
    deleteLater();
}

} // namespace roomscribe::ingest
